#define G_LOG_DOMAIN "fer-audio"

#include "sink.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "pa-host.h"
#include "playout.h"

/* Powers of two only: other sizes crackle under PipeWire's ALSA emulation.
 * 1024 frames (21 ms): through PulseAudio's ALSA plugin the callbacks come
 * every ~21 ms whatever is asked, and smaller buffers only made dropouts
 * more likely on a loaded machine. */
#define FRAMES_PER_BUFFER 1024
/* The fill the ring keeps before each callback: one callback's worth plus
 * twice that for the jitter of both sides (audio arrives in bursts of a few
 * ms, later when the machine is busy; callbacks come early or late, and in
 * a burst when another client joins the sound server). Each dropout adds a
 * callback's worth, up to twice the start. */
#define TARGET_FILL_FRAMES (3 * FRAMES_PER_BUFFER)
#define MAX_TARGET_FILL_FRAMES (6 * FRAMES_PER_BUFFER)
/* How often the worker checks that the stream is alive and playing. A
 * vanished server ends the stream within milliseconds, so this sets the
 * delay before "audio lost" is reported. */
#define WATCH_INTERVAL_US (100 * G_TIME_SPAN_MILLISECOND)
/* The watchdog: PLAYING, yet no frame played for this long (a frozen
 * server stops calling back without any error). */
#define STALL_US (1500 * G_TIME_SPAN_MILLISECOND)
/* A stall this long is not a pause: close the stream and open it again.
 * (With the server still frozen that blocks the worker, not the caller.) */
#define STALL_REOPEN_US (20 * G_TIME_SPAN_SECOND)
/* With no device, or after losing it, how often PortAudio is shut down and
 * initialised again to look for one (each look costs ~50 ms of CPU). */
#define RESCAN_INTERVAL_US (2 * G_TIME_SPAN_SECOND)
/* How long fer_audio_sink_free() waits for the worker. Closing a healthy
 * stream and terminating PortAudio takes a few ms to ~100 ms; a frozen sound
 * server blocks those calls for 30 s or more. */
#define FREE_TIMEOUT_US (2 * G_TIME_SPAN_SECOND)

#define NO_DEVICE_MESSAGE "No audio output device found; Ferrite runs silently"
#define LOST_MESSAGE "Audio lost: the sound device or server went away. Ferrite keeps " \
                     "running and plays again when it is back"
#define STALLED_MESSAGE "Audio lost: the sound server stopped taking audio. Ferrite keeps " \
                        "running and plays again when it answers"

typedef enum {
  WATCH_QUIT,       /* free() asked to stop */
  WATCH_SWITCH,     /* another device was chosen */
  WATCH_LOST,       /* the stream died, or stalled for good */
  WATCH_REOPEN,     /* the stream took audio again after a stall */
} WatchResult;

struct _FerAudioSink {
  FerRing *ring;                /* borrowed; read only by the callback, until released */
  guint channels;
  guint rate_hz;
  FerAudioStateFunc on_state;
  gpointer user_data;
  GThread *worker;              /* owned; runs every PortAudio call */
  FerPlayout *playout;          /* owned; the callback's side */

  /* lock + cond wake the worker and free() and serialise on_state calls
   * against free(); the flags themselves are atomics, which ThreadSanitizer
   * can check (GLib's futex-based GMutex is invisible to it). */
  GMutex lock;
  GCond cond;
  atomic_bool quit;             /* free() asked the worker to stop */
  atomic_bool closing;          /* free() has begun: on_state is not called any more */
  atomic_bool worker_done;      /* the worker has closed everything */
  atomic_bool switch_device;    /* set_device() asked for another device */
  /* One reference for the caller, one for the worker: whoever drops the last
   * frees the sink. Normally free() does, after joining the worker; if free()
   * gave up on a stuck worker, the worker does when it comes back. */
  atomic_int refs;

  /* What is asked for and what plays: set by the caller and the worker,
   * read by anyone. A pthread mutex rather than a GMutex: ThreadSanitizer
   * sees it. Never held across a PortAudio call. */
  pthread_mutex_t info_lock;
  char *requested;              /* device spec; NULL = default */
  char *device_name;            /* playing now; NULL = none */
  gboolean is_requested;        /* device_name is what was asked for */
  GPtrArray *devices;           /* FerAudioDevice; the last scan */

  atomic_int state;             /* FerAudioState; written by the worker */
  atomic_bool stream_finished;  /* set by PortAudio when the stream ends */
  atomic_uint_least64_t stream_latency_us;   /* the open stream's, from PortAudio */
  atomic_uint_least64_t live_latency_us;     /* from the callback's timestamps; 0 = none */
  atomic_uint n_recoveries;
  atomic_uint_least64_t n_xruns;  /* callbacks the host API says came too late */

  /* free() must not return while the callback may still read the ring: it
   * raises ring_released, then waits for in_callback to drop. Both are
   * sequentially consistent, so either the callback sees the release or
   * free() sees the callback in progress. */
  atomic_bool ring_released;
  atomic_bool in_callback;
};

/* ---- the stream callback: real time, no locks, no allocation, no logs --- */

static int
stream_callback (const void *input, void *output, unsigned long n_frames,
                 const PaStreamCallbackTimeInfo *time_info, PaStreamCallbackFlags flags,
                 void *user_data)
{
  FerAudioSink *self = user_data;
  float *out = output;

  atomic_store (&self->in_callback, TRUE);
  if (!atomic_load (&self->ring_released))
    fer_playout_pull (self->playout, out, n_frames);
  else
    memset (out, 0, n_frames * self->channels * sizeof (float));
  atomic_store (&self->in_callback, FALSE);
  if (flags & paOutputUnderflow)
    atomic_fetch_add_explicit (&self->n_xruns, 1, memory_order_relaxed);

  /* When this buffer reaches the speaker, as the host API sees it now. */
  if (time_info != NULL && time_info->currentTime > 0
      && time_info->outputBufferDacTime > time_info->currentTime)
    {
      double ahead_s = time_info->outputBufferDacTime - time_info->currentTime;
      if (ahead_s < 10.0)
        atomic_store_explicit (&self->live_latency_us, (guint64) (ahead_s * 1e6),
                               memory_order_relaxed);
    }
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

/* Waits until free() asks to stop, another device is chosen (if
 * @until_switch) or @timeout_us passes (< 0: no limit). Returns TRUE if it
 * was not the timeout. */
static gboolean
wait_for_request (FerAudioSink *self, gint64 timeout_us, gboolean until_switch)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  gboolean asked = FALSE;
  g_mutex_lock (&self->lock);
  for (;;)
    {
      asked = atomic_load (&self->quit) || (until_switch && atomic_load (&self->switch_device));
      if (asked || timeout_us == 0)
        break;
      if (timeout_us < 0)
        g_cond_wait (&self->cond, &self->lock);
      else if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
        break;
    }
  g_mutex_unlock (&self->lock);
  return asked;
}

static void
set_playing_device (FerAudioSink *self, const char *name, gboolean is_requested)
{
  pthread_mutex_lock (&self->info_lock);
  g_free (self->device_name);
  self->device_name = g_strdup (name);
  self->is_requested = is_requested;
  pthread_mutex_unlock (&self->info_lock);
}

/* Opens and starts @device. NULL (and why, logged) if it refuses:
 * PortAudio's error codes do not name the cause reliably (a dead server
 * gives "Illegal combination of I/O devices"), so every failure means "no
 * device". Call with pa_lock held. */
static PaStream *
open_stream (FerAudioSink *self, const FerAudioDevice *device)
{
  PaStreamParameters params = {
    .device = device->index,
    .channelCount = (int) self->channels,
    .sampleFormat = paFloat32,
    /* The low default: the buffer comes out at two callbacks' worth or so
     * (~43 ms through PulseAudio), which rode out a loaded machine. */
    .suggestedLatency = device->latency_s,
  };
  PaStream *stream = NULL;
  atomic_store (&self->stream_finished, FALSE);
  atomic_store (&self->live_latency_us, 0);
  fer_playout_restart (self->playout);
  PaError err = Pa_OpenStream (&stream, NULL, &params, self->rate_hz, FRAMES_PER_BUFFER,
                               paNoFlag, stream_callback, self);
  if (err != paNoError)
    {
      fer_pa_log_error ("Opening the audio output failed", err);
      return NULL;
    }
  Pa_SetStreamFinishedCallback (stream, stream_finished);
  const PaStreamInfo *stream_info = Pa_GetStreamInfo (stream);
  if (stream_info != NULL)
    atomic_store (&self->stream_latency_us, (guint64) (stream_info->outputLatency * 1e6));
  err = Pa_StartStream (stream);
  if (err != paNoError)
    {
      fer_pa_log_error ("Starting the audio output failed", err);
      Pa_CloseStream (stream);
      atomic_store (&self->stream_latency_us, 0);
      return NULL;
    }
  g_debug ("Playing on “%s” (%s), %u Hz, %u channels, output latency %.3f s", device->name,
           device->host_api, self->rate_hz, self->channels,
           stream_info != NULL ? stream_info->outputLatency : 0.0);
  return stream;
}

/* Brings PortAudio up afresh (so that it sees the devices there are now),
 * remembers the device list and opens the asked-for device, or the default
 * one if that is missing. On success PortAudio stays initialised; *@notice
 * may say what was chosen instead. Returns NULL (PortAudio shut down again)
 * if nothing could be opened. */
static PaStream *
start_output (FerAudioSink *self, char **notice)
{
  PaStream *stream = NULL;
  *notice = NULL;

  /* Take the request before looking at it: a new one sets the flag again. */
  atomic_store (&self->switch_device, FALSE);
  pthread_mutex_lock (&self->info_lock);
  g_autofree char *spec = g_strdup (self->requested);
  pthread_mutex_unlock (&self->info_lock);

  fer_pa_lock ();
  fer_pa_quiet ();
  PaError err = Pa_Initialize ();
  if (err != paNoError)
    {
      fer_pa_log_error ("PortAudio did not start", err);
      fer_pa_unlock ();
      return NULL;
    }
  GPtrArray *devices = fer_pa_scan_devices ();
  FerAudioDevice *device = NULL, *chosen = NULL;
  gboolean is_requested = TRUE;
  if (spec != NULL)
    chosen = fer_audio_devices_find (devices, spec);
  if (chosen != NULL)
    device = chosen;
  else
    for (guint i = 0; i < devices->len && device == NULL; i++)
      if (((FerAudioDevice *) devices->pdata[i])->is_default)
        device = devices->pdata[i];
  if (spec != NULL && chosen == NULL && device != NULL)
    {
      is_requested = FALSE;
      *notice = g_strdup_printf ("The audio device “%s” is not there; playing on “%s” "
                                 "instead", spec, device->name);
    }
  if (device != NULL && !wait_for_request (self, 0, FALSE))
    stream = open_stream (self, device);
  if (stream == NULL)
    Pa_Terminate ();
  fer_pa_unlock ();

  if (device == NULL)
    g_debug ("PortAudio lists no output device (%u outputs)", devices->len);
  if (stream != NULL)
    set_playing_device (self, device->name, is_requested);
  else
    g_clear_pointer (notice, g_free);
  pthread_mutex_lock (&self->info_lock);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  self->devices = devices;
  pthread_mutex_unlock (&self->info_lock);
  return stream;
}

/* Abort, not stop: stopping waits for queued buffers to drain. PortAudio is
 * shut down too, so that the next start sees the devices afresh. */
static void
stop_output (FerAudioSink *self, PaStream *stream)
{
  fer_pa_lock ();
  Pa_AbortStream (stream);
  Pa_CloseStream (stream);
  Pa_Terminate ();
  fer_pa_unlock ();
  atomic_store (&self->stream_latency_us, 0);
  atomic_store (&self->live_latency_us, 0);
  set_playing_device (self, NULL, FALSE);
}

/* Watches a playing stream until free() asks to stop, another device is
 * chosen, or the stream is lost. A dead server ends the stream (finished
 * callback, not active any more); a frozen one just stops calling back,
 * which the watchdog sees as frames no longer being played: "audio lost"
 * until they are again (then the stream is opened afresh), and after
 * STALL_REOPEN_US the stream is given up. */
static WatchResult
watch_stream (FerAudioSink *self, PaStream *stream, const char *device_name)
{
  FerPlayoutStats stats;
  fer_playout_get_stats (self->playout, &stats);
  guint64 last_played = stats.n_played;
  gint64 last_progress_us = g_get_monotonic_time ();
  gboolean stalled = FALSE;

  while (!wait_for_request (self, WATCH_INTERVAL_US, TRUE))
    {
      if (atomic_load (&self->stream_finished))
        {
          g_debug ("The audio stream ended by itself: the device or sound server went away");
          notify (self, FER_AUDIO_STATE_FAILED, LOST_MESSAGE);
          return WATCH_LOST;
        }
      fer_pa_lock ();
      int active = Pa_IsStreamActive (stream);
      fer_pa_unlock ();
      if (active != 1)
        {
          if (active < 0)
            fer_pa_log_error ("The audio stream failed", active);
          notify (self, FER_AUDIO_STATE_FAILED, LOST_MESSAGE);
          return WATCH_LOST;
        }

      gint64 now_us = g_get_monotonic_time ();
      fer_playout_get_stats (self->playout, &stats);
      if (stats.n_played != last_played)
        {
          last_played = stats.n_played;
          last_progress_us = now_us;
          if (stalled)
            {
              /* The server has grown its buffer to ride out what it took
               * for our underrun, and keeps that latency: a new stream
               * starts lean (a gap of a few ms after seconds of silence). */
              g_debug ("The sound server takes audio again: opening the output afresh");
              return WATCH_REOPEN;
            }
        }
      else if (!stalled && now_us - last_progress_us >= STALL_US)
        {
          stalled = TRUE;
          g_debug ("No audio played for %.1f s: the sound server does not take it",
                     (double) (now_us - last_progress_us) / G_USEC_PER_SEC);
          notify (self, FER_AUDIO_STATE_FAILED, STALLED_MESSAGE);
        }
      else if (stalled && now_us - last_progress_us >= STALL_REOPEN_US)
        {
          g_message ("No audio played for %.0f s: opening the output again",
                     (double) (now_us - last_progress_us) / G_USEC_PER_SEC);
          return WATCH_LOST;
        }
    }
  return atomic_load (&self->quit) ? WATCH_QUIT : WATCH_SWITCH;
}

static void
sink_destroy (FerAudioSink *self)
{
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  pthread_mutex_destroy (&self->info_lock);
  fer_playout_free (self->playout);
  g_free (self->requested);
  g_free (self->device_name);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_free (self);
}

static gpointer
worker_main (gpointer data)
{
  FerAudioSink *self = data;
  gboolean lost = FALSE;        /* FAILED was reported: say when it is back */
  gboolean silent = FALSE;      /* NO_DEVICE was reported */

  notify (self, FER_AUDIO_STATE_STARTING, "Opening the audio output");
  while (!atomic_load (&self->quit))
    {
      g_autofree char *notice = NULL;
      PaStream *stream = start_output (self, &notice);
      WatchResult result = WATCH_LOST;
      if (stream != NULL)
        {
          g_autofree char *name = fer_audio_sink_dup_device_name (self, NULL);
          g_autofree char *msg = NULL;
          if (lost || silent)
            {
              msg = g_strdup_printf ("Audio is back: playing on “%s”", name);
              atomic_fetch_add (&self->n_recoveries, 1);
              g_debug ("Audio output found again: playing on “%s”", name);
            }
          else
            msg = g_strdup_printf ("Playing on “%s”", name);
          if (notice != NULL)
            {
              g_debug ("%s", notice);
              g_free (msg);
              msg = g_steal_pointer (&notice);
            }
          notify (self, FER_AUDIO_STATE_PLAYING, msg);
          lost = silent = FALSE;

          result = watch_stream (self, stream, name);
          if (result == WATCH_LOST)
            {
              /* watch_stream () reported FAILED already, unless the stall
               * that preceded this was reported. */
              if (fer_audio_sink_get_state (self) != FER_AUDIO_STATE_FAILED)
                notify (self, FER_AUDIO_STATE_FAILED, LOST_MESSAGE);
              lost = TRUE;
            }
          stop_output (self, stream);
        }
      else if (!lost && !silent && !atomic_load (&self->quit))
        {
          /* Lost stays lost (the window keeps "audio lost" up) until the
           * device is back; otherwise say there is none, once. */
          g_debug ("No audio output device; looking again every %d s",
                     (int) (RESCAN_INTERVAL_US / G_USEC_PER_SEC));
          notify (self, FER_AUDIO_STATE_NO_DEVICE, NO_DEVICE_MESSAGE);
          silent = TRUE;
        }

      if (result == WATCH_REOPEN)
        lost = TRUE;
      if (result == WATCH_SWITCH || result == WATCH_REOPEN)
        continue;
      /* Look again later, or at once when another device is chosen. */
      wait_for_request (self, RESCAN_INTERVAL_US, TRUE);
    }

  wait_for_request (self, -1, FALSE);
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
fer_audio_sink_new (FerRing *ring, guint rate_hz, const char *device,
                    FerAudioStateFunc on_state, gpointer user_data)
{
  g_return_val_if_fail (ring != NULL, NULL);
  g_return_val_if_fail (rate_hz > 0, NULL);

  FerAudioSink *self = g_new0 (FerAudioSink, 1);
  self->ring = ring;
  self->channels = fer_ring_get_channels (ring);
  self->rate_hz = rate_hz;
  self->on_state = on_state;
  self->user_data = user_data;
  self->playout = fer_playout_new (ring, rate_hz, TARGET_FILL_FRAMES, MAX_TARGET_FILL_FRAMES,
                                   FRAMES_PER_BUFFER);
  self->requested = g_strdup (device);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  pthread_mutex_init (&self->info_lock, NULL);
  atomic_init (&self->state, FER_AUDIO_STATE_STARTING);
  atomic_init (&self->stream_finished, FALSE);
  atomic_init (&self->stream_latency_us, 0);
  atomic_init (&self->live_latency_us, 0);
  atomic_init (&self->n_recoveries, 0);
  atomic_init (&self->n_xruns, 0);
  atomic_init (&self->ring_released, FALSE);
  atomic_init (&self->in_callback, FALSE);
  atomic_init (&self->quit, FALSE);
  atomic_init (&self->closing, FALSE);
  atomic_init (&self->worker_done, FALSE);
  atomic_init (&self->switch_device, FALSE);
  atomic_init (&self->refs, 2);

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

void
fer_audio_sink_set_device (FerAudioSink *sink, const char *device)
{
  g_return_if_fail (sink != NULL);
  pthread_mutex_lock (&sink->info_lock);
  g_free (sink->requested);
  sink->requested = g_strdup (device);
  pthread_mutex_unlock (&sink->info_lock);

  g_mutex_lock (&sink->lock);
  atomic_store (&sink->switch_device, TRUE);
  g_cond_broadcast (&sink->cond);
  g_mutex_unlock (&sink->lock);
}

char *
fer_audio_sink_dup_device_name (FerAudioSink *sink, gboolean *is_requested)
{
  g_return_val_if_fail (sink != NULL, NULL);
  pthread_mutex_lock (&sink->info_lock);
  char *name = g_strdup (sink->device_name);
  if (is_requested != NULL)
    *is_requested = sink->device_name != NULL && sink->is_requested;
  pthread_mutex_unlock (&sink->info_lock);
  return name;
}

GPtrArray *
fer_audio_sink_dup_devices (FerAudioSink *sink)
{
  g_return_val_if_fail (sink != NULL, NULL);
  pthread_mutex_lock (&sink->info_lock);
  GPtrArray *devices = fer_audio_devices_copy (sink->devices);
  pthread_mutex_unlock (&sink->info_lock);
  return devices;
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
  fer_playout_set_volume (sink->playout, volume);
}

void
fer_audio_sink_set_muted (FerAudioSink *sink, gboolean muted)
{
  g_return_if_fail (sink != NULL);
  fer_playout_set_muted (sink->playout, muted);
}

guint64
fer_audio_sink_get_n_underruns (FerAudioSink *sink)
{
  g_return_val_if_fail (sink != NULL, 0);
  FerPlayoutStats stats;
  fer_playout_get_stats (sink->playout, &stats);
  return stats.n_underruns;
}

guint64
fer_audio_sink_get_n_played (FerAudioSink *sink)
{
  g_return_val_if_fail (sink != NULL, 0);
  FerPlayoutStats stats;
  fer_playout_get_stats (sink->playout, &stats);
  return stats.n_played;
}

double
fer_audio_sink_get_latency_s (FerAudioSink *sink)
{
  g_return_val_if_fail (sink != NULL, 0.0);
  return (double) atomic_load (&sink->stream_latency_us) / 1e6;
}

void
fer_audio_sink_get_stats (FerAudioSink *sink, FerAudioSinkStats *stats)
{
  g_return_if_fail (sink != NULL && stats != NULL);
  FerPlayoutStats p;
  fer_playout_get_stats (sink->playout, &p);
  memset (stats, 0, sizeof *stats);
  stats->state = fer_audio_sink_get_state (sink);
  stats->n_played = p.n_played;
  stats->n_underruns = p.n_underruns;
  stats->n_discarded = p.n_discarded;
  stats->n_recoveries = atomic_load (&sink->n_recoveries);
  stats->n_xruns = atomic_load_explicit (&sink->n_xruns, memory_order_relaxed);
  stats->drift_ppm = (p.ratio - 1.0) * 1e6;
  if (stats->state != FER_AUDIO_STATE_PLAYING || p.priming)
    return;
  guint64 live_us = atomic_load_explicit (&sink->live_latency_us, memory_order_relaxed);
  guint64 stream_us = atomic_load (&sink->stream_latency_us);
  stats->ring_s = p.fill_frames / sink->rate_hz;
  stats->device_s = (double) (live_us > 0 ? live_us : stream_us) / 1e6;
  /* A frame waits for the fill ahead of it (the fill before a callback),
   * passes the resampler's filter, then the device's buffer. */
  stats->latency_s = stats->ring_s + fer_playout_get_filter_delay (sink->playout) / sink->rate_hz
                     + stats->device_s;
}
