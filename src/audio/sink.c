#define G_LOG_DOMAIN "fer-audio"

#include "sink.h"

#include <dlfcn.h>
#include <portaudio.h>
#include <stdatomic.h>
#include <string.h>

/* Powers of two only: other sizes crackle under PipeWire's ALSA emulation. */
#define FRAMES_PER_BUFFER 1024
/* The cushion the ring must hold before playback (re)starts: two buffers. */
#define PRIME_FRAMES (2 * FRAMES_PER_BUFFER)
/* How often the worker checks that the stream is still alive. A vanished
 * server ends the stream within milliseconds, so this sets the delay before
 * FAILED is reported. */
#define WATCH_INTERVAL_US (100 * G_TIME_SPAN_MILLISECOND)
/* How long fer_audio_sink_free() waits for the worker. Closing a healthy
 * stream and terminating PortAudio takes a few ms to ~100 ms; a frozen sound
 * server blocks those calls for 30 s or more. */
#define FREE_TIMEOUT_US (2 * G_TIME_SPAN_SECOND)

#define NO_DEVICE_MESSAGE "No audio output device found; Ferrite runs silently"
#define FAILED_MESSAGE "The audio output stopped (the sound device or server went away); " \
                       "Ferrite runs silently"

/* PortAudio's state is process-wide (an initialisation count, the device
 * list, host API globals) and its calls are not thread-safe, while each sink
 * calls it from its own worker. Every PortAudio call but the stream callback
 * runs under this lock. A worker stuck in a frozen server holds it, so a
 * later sink waits on its own worker thread, never on the caller's. */
static GMutex pa_lock;

struct _FerAudioSink {
  FerRing *ring;                /* borrowed; read only by the callback, until released */
  guint channels;
  guint rate_hz;
  FerAudioStateFunc on_state;
  gpointer user_data;
  GThread *worker;              /* owned; runs every PortAudio call */

  /* lock + cond wake the worker and free() and serialise on_state calls
   * against free(); the flags themselves are atomics, which ThreadSanitizer
   * can check (GLib's futex-based GMutex is invisible to it). */
  GMutex lock;
  GCond cond;
  atomic_bool quit;             /* free() asked the worker to stop */
  atomic_bool closing;          /* free() has begun: on_state is not called any more */
  atomic_bool worker_done;      /* the worker has closed everything */
  /* One reference for the caller, one for the worker: whoever drops the last
   * frees the sink. Normally free() does, after joining the worker; if free()
   * gave up on a stuck worker, the worker does when it comes back. */
  atomic_int refs;

  atomic_int state;             /* FerAudioState; written by the worker */
  atomic_uint volume_bits;      /* float; any thread writes, the callback reads */
  atomic_bool muted;
  atomic_bool stream_finished;  /* set by PortAudio when the stream ends */
  atomic_uint_least64_t latency_us;
  atomic_uint_least64_t n_underruns;
  atomic_uint_least64_t n_played;

  /* free() must not return while the callback may still read the ring: it
   * raises ring_released, then waits for in_callback to drop. Both are
   * sequentially consistent, so either the callback sees the release or
   * free() sees the callback in progress. */
  atomic_bool ring_released;
  atomic_bool in_callback;
  gboolean priming;             /* thread: callback; waiting for the ring to fill */
};

/* ---- the stream callback: real time, no locks, no allocation, no logs --- */

static float
load_volume (FerAudioSink *self)
{
  guint bits = atomic_load_explicit (&self->volume_bits, memory_order_relaxed);
  float volume;
  memcpy (&volume, &bits, sizeof volume);
  return volume;
}

static int
stream_callback (const void *input, void *output, unsigned long n_frames,
                 const PaStreamCallbackTimeInfo *time_info, PaStreamCallbackFlags flags,
                 void *user_data)
{
  FerAudioSink *self = user_data;
  float *out = output;
  gsize n_samples = n_frames * self->channels;
  gsize got = 0;

  /* Audio arrives in bursts (one per block of samples): play only once the
   * ring holds a cushion, and after a dropout build the cushion up again,
   * so one late burst is one gap, not a stutter of short reads. */
  atomic_store (&self->in_callback, TRUE);
  if (!atomic_load (&self->ring_released))
    {
      if (self->priming && fer_ring_get_fill (self->ring) >= PRIME_FRAMES)
        self->priming = FALSE;
      if (!self->priming)
        got = fer_ring_read (self->ring, out, n_frames);
    }
  atomic_store (&self->in_callback, FALSE);

  if (got < n_frames)
    {
      memset (out + got * self->channels, 0, (n_frames - got) * self->channels * sizeof (float));
      /* Silence while priming is waiting, not a dropout. */
      if (!self->priming)
        {
          atomic_fetch_add_explicit (&self->n_underruns, 1, memory_order_relaxed);
          self->priming = TRUE;
        }
    }

  float volume = atomic_load_explicit (&self->muted, memory_order_relaxed)
                   ? 0.0f : load_volume (self);
  if (volume == 0.0f)
    memset (out, 0, n_samples * sizeof (float));
  else if (volume != 1.0f)
    {
      gsize n_audio = got * self->channels;
      for (gsize i = 0; i < n_audio; i++)
        out[i] = CLAMP (out[i] * volume, -1.0f, 1.0f);
    }

  atomic_fetch_add_explicit (&self->n_played, n_frames, memory_order_relaxed);
  return paContinue;
}

static void
stream_finished (void *user_data)
{
  FerAudioSink *self = user_data;
  atomic_store (&self->stream_finished, TRUE);
}

/* ---- the worker thread ---------------------------------------------------- */

static void
notify (FerAudioSink *self, FerAudioState state, const char *message)
{
  atomic_store (&self->state, state);
  /* Under the lock, so that once free() has set closing no call is running
   * or will start: the caller may drop user_data when free() returns. */
  g_mutex_lock (&self->lock);
  if (!atomic_load (&self->closing) && self->on_state != NULL)
    self->on_state (state, message, self->user_data);
  g_mutex_unlock (&self->lock);
}

/* Waits until free() asks to stop or @timeout_us passes (< 0: no limit).
 * Returns TRUE if asked to stop. */
static gboolean
wait_for_quit (FerAudioSink *self, gint64 timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  g_mutex_lock (&self->lock);
  while (!atomic_load (&self->quit) && timeout_us != 0)
    {
      if (timeout_us < 0)
        g_cond_wait (&self->cond, &self->lock);
      else if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
        break;
    }
  g_mutex_unlock (&self->lock);
  return atomic_load (&self->quit);
}

static void
ignore_jack_message (const char *message)
{
}

/* PortAudio probes for a JACK server at every Pa_Initialize, and without one
 * libjack prints ten lines of "Cannot connect to server socket" to stderr.
 * libjack has a documented hook for its messages; it is linked by PortAudio,
 * not by Ferrite, so the setters are looked up at run time (absent when
 * PortAudio was built without JACK: nothing to do). The probe's messages are
 * dropped: the default output is never a JACK one, and once PortAudio does
 * reach a JACK server it installs its own handler. */
static void
quiet_jack_probe (void)
{
  static const char *const setters[] = { "jack_set_error_function", "jack_set_info_function" };
  for (gsize i = 0; i < G_N_ELEMENTS (setters); i++)
    {
      void *symbol = dlsym (RTLD_DEFAULT, setters[i]);
      void (*set_handler) (void (*handler) (const char *));
      if (symbol == NULL)
        continue;
      memcpy (&set_handler, &symbol, sizeof set_handler);
      set_handler (ignore_jack_message);
    }
}

static void
log_pa_error (const char *what, PaError err)
{
  if (err == paUnanticipatedHostError)
    {
      const PaHostErrorInfo *host = Pa_GetLastHostErrorInfo ();
      g_message ("%s: %s (host API %d, code %ld: %s)", what, Pa_GetErrorText (err),
                 host->hostApiType, host->errorCode,
                 host->errorText != NULL ? host->errorText : "");
    }
  else
    g_message ("%s: %s", what, Pa_GetErrorText (err));
}

/* Opens and starts the default output. NULL (and why, logged) if there is
 * none or it refuses: PortAudio's error codes do not name the cause reliably
 * (a dead server gives "Illegal combination of I/O devices"), so every
 * failure means "no device". Call with pa_lock held. */
static PaStream *
open_stream (FerAudioSink *self)
{
  PaDeviceIndex device = Pa_GetDefaultOutputDevice ();
  if (device == paNoDevice)
    {
      g_message ("PortAudio lists no default output device (%d devices)",
                 Pa_GetDeviceCount ());
      return NULL;
    }
  const PaDeviceInfo *info = Pa_GetDeviceInfo (device);
  PaStreamParameters params = {
    .device = device,
    .channelCount = (int) self->channels,
    .sampleFormat = paFloat32,
    /* The high default: a radio wants no dropouts more than low latency. */
    .suggestedLatency = info != NULL ? info->defaultHighOutputLatency : 0.1,
  };
  PaStream *stream = NULL;
  self->priming = TRUE;
  PaError err = Pa_OpenStream (&stream, NULL, &params, self->rate_hz, FRAMES_PER_BUFFER,
                               paNoFlag, stream_callback, self);
  if (err != paNoError)
    {
      log_pa_error ("Opening the audio output failed", err);
      return NULL;
    }
  Pa_SetStreamFinishedCallback (stream, stream_finished);
  const PaStreamInfo *stream_info = Pa_GetStreamInfo (stream);
  if (stream_info != NULL)
    atomic_store (&self->latency_us, (guint64) (stream_info->outputLatency * 1e6));
  err = Pa_StartStream (stream);
  if (err != paNoError)
    {
      log_pa_error ("Starting the audio output failed", err);
      Pa_CloseStream (stream);
      atomic_store (&self->latency_us, 0);
      return NULL;
    }
  g_debug ("Playing on “%s”, %u Hz, %u channels, output latency %.3f s",
           info != NULL ? info->name : "?", self->rate_hz, self->channels,
           stream_info != NULL ? stream_info->outputLatency : 0.0);
  return stream;
}

/* Returns when free() asks to stop (TRUE) or the stream dies (FALSE). A dead
 * server ends the stream (finished callback, not active any more); a frozen
 * one just stops calling back, and is only noticed when free() times out. */
static gboolean
watch_stream (FerAudioSink *self, PaStream *stream)
{
  while (!wait_for_quit (self, WATCH_INTERVAL_US))
    {
      if (atomic_load (&self->stream_finished))
        return FALSE;
      g_mutex_lock (&pa_lock);
      int active = Pa_IsStreamActive (stream);
      g_mutex_unlock (&pa_lock);
      if (active != 1)
        {
          if (active < 0)
            log_pa_error ("The audio stream failed", active);
          return FALSE;
        }
    }
  return TRUE;
}

static void
sink_destroy (FerAudioSink *self)
{
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

static gpointer
worker_main (gpointer data)
{
  FerAudioSink *self = data;
  PaStream *stream = NULL;

  notify (self, FER_AUDIO_STATE_STARTING, "Opening the audio output");

  g_mutex_lock (&pa_lock);
  quiet_jack_probe ();
  PaError err = Pa_Initialize ();
  if (err != paNoError)
    log_pa_error ("PortAudio did not start", err);
  else if (!wait_for_quit (self, 0))
    stream = open_stream (self);
  g_mutex_unlock (&pa_lock);

  if (stream != NULL)
    {
      notify (self, FER_AUDIO_STATE_PLAYING, "Playing");
      if (!watch_stream (self, stream))
        {
          g_message ("The audio stream ended by itself: the device or sound server went away");
          notify (self, FER_AUDIO_STATE_FAILED, FAILED_MESSAGE);
        }
    }
  else if (!wait_for_quit (self, 0))
    notify (self, FER_AUDIO_STATE_NO_DEVICE, NO_DEVICE_MESSAGE);

  /* Abort, not stop: stopping waits for queued buffers to drain. After a
   * failure PortAudio is shut down at once, so a server coming back gets a
   * fresh Pa_Initialize. */
  g_mutex_lock (&pa_lock);
  if (stream != NULL)
    {
      Pa_AbortStream (stream);
      Pa_CloseStream (stream);
    }
  if (err == paNoError)
    Pa_Terminate ();
  g_mutex_unlock (&pa_lock);
  atomic_store (&self->latency_us, 0);

  wait_for_quit (self, -1);
  atomic_store (&self->state, FER_AUDIO_STATE_STOPPED);

  if (atomic_fetch_sub (&self->refs, 1) == 1)
    {
      /* free() gave up on this thread long ago; nobody else holds the sink. */
      g_message ("The audio worker left behind by a frozen sound server has finished");
      sink_destroy (self);
      return NULL;
    }
  /* free() is waiting, or will join this thread before freeing the sink. */
  g_mutex_lock (&self->lock);
  atomic_store (&self->worker_done, TRUE);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* ---- public API ------------------------------------------------------------ */

FerAudioSink *
fer_audio_sink_new (FerRing *ring, guint rate_hz, FerAudioStateFunc on_state,
                    gpointer user_data)
{
  g_return_val_if_fail (ring != NULL, NULL);
  g_return_val_if_fail (rate_hz > 0, NULL);

  FerAudioSink *self = g_new0 (FerAudioSink, 1);
  self->ring = ring;
  self->channels = fer_ring_get_channels (ring);
  self->rate_hz = rate_hz;
  self->on_state = on_state;
  self->user_data = user_data;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  atomic_init (&self->state, FER_AUDIO_STATE_STARTING);
  atomic_init (&self->volume_bits, 0);
  atomic_init (&self->muted, FALSE);
  atomic_init (&self->stream_finished, FALSE);
  atomic_init (&self->latency_us, 0);
  atomic_init (&self->n_underruns, 0);
  atomic_init (&self->n_played, 0);
  atomic_init (&self->ring_released, FALSE);
  atomic_init (&self->in_callback, FALSE);
  atomic_init (&self->quit, FALSE);
  atomic_init (&self->closing, FALSE);
  atomic_init (&self->worker_done, FALSE);
  atomic_init (&self->refs, 2);
  fer_audio_sink_set_volume (self, 1.0f);

  self->worker = g_thread_new ("fer-audio", worker_main, self);
  return self;
}

/* Bounded: when the worker is stuck in PortAudio (a frozen sound server
 * blocks Pa_AbortStream/Pa_CloseStream for 30 s each, Pa_Initialize for 2
 * minutes), free() stops waiting after FREE_TIMEOUT_US, logs a warning and
 * leaves that one worker behind, detached. It still holds the sink's memory
 * and PortAudio; when its call returns it finishes the shutdown and frees the
 * sink itself. Before returning, free() makes sure the stream callback no
 * longer reads the ring and on_state is no longer called, so the caller may
 * free both. */
void
fer_audio_sink_free (FerAudioSink *self)
{
  if (self == NULL)
    return;

  /* Under the lock: an on_state call in progress finishes first, and none
   * starts after this. */
  g_mutex_lock (&self->lock);
  atomic_store (&self->closing, TRUE);
  atomic_store (&self->quit, TRUE);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  atomic_store (&self->ring_released, TRUE);
  while (atomic_load (&self->in_callback))
    g_usleep (50);

  gint64 deadline = g_get_monotonic_time () + FREE_TIMEOUT_US;
  GThread *worker = self->worker;
  g_mutex_lock (&self->lock);
  while (!atomic_load (&self->worker_done))
    if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
      break;
  g_mutex_unlock (&self->lock);

  if (atomic_fetch_sub (&self->refs, 1) == 1)
    {
      /* The worker has dropped its reference: it is done with PortAudio and
       * at most signalling; the join waits for that. */
      g_thread_join (worker);
      sink_destroy (self);
      return;
    }
  /* Abandoned: the worker owns the sink from here; do not touch it. */
  g_warning ("The audio worker is still blocked in PortAudio after %d s (frozen sound "
             "server?); leaving it behind, it finishes by itself if the server recovers",
             (int) (FREE_TIMEOUT_US / G_TIME_SPAN_SECOND));
  g_thread_unref (worker);
}

FerAudioState
fer_audio_sink_get_state (FerAudioSink *sink)
{
  g_return_val_if_fail (sink != NULL, FER_AUDIO_STATE_STOPPED);
  return (FerAudioState) atomic_load (&sink->state);
}

void
fer_audio_sink_set_volume (FerAudioSink *sink, float volume)
{
  g_return_if_fail (sink != NULL);
  if (!(volume >= 0.0f))   /* NaN too */
    volume = 0.0f;
  volume = MIN (volume, 2.0f);
  guint bits;
  memcpy (&bits, &volume, sizeof bits);
  atomic_store_explicit (&sink->volume_bits, bits, memory_order_relaxed);
}

void
fer_audio_sink_set_muted (FerAudioSink *sink, gboolean muted)
{
  g_return_if_fail (sink != NULL);
  atomic_store_explicit (&sink->muted, muted != FALSE, memory_order_relaxed);
}

guint64
fer_audio_sink_get_n_underruns (FerAudioSink *sink)
{
  g_return_val_if_fail (sink != NULL, 0);
  return atomic_load_explicit (&sink->n_underruns, memory_order_relaxed);
}

guint64
fer_audio_sink_get_n_played (FerAudioSink *sink)
{
  g_return_val_if_fail (sink != NULL, 0);
  return atomic_load_explicit (&sink->n_played, memory_order_relaxed);
}

double
fer_audio_sink_get_latency_s (FerAudioSink *sink)
{
  g_return_val_if_fail (sink != NULL, 0.0);
  return (double) atomic_load (&sink->latency_us) / 1e6;
}
