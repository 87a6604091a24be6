#define G_LOG_DOMAIN "fer-receiver"

#include "receiver.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "audio/ring.h"
#include "audio/sink.h"
#include "audio/wav.h"
#include "dsp/convert.h"
#include "device/handoff.h"
#include "dsp/fft.h"
#include "frame-slot.h"

/* 64 blocks of 32 KiB: 0.44 s of cu8 at 2.4 MS/s between the source and the
 * DSP thread, enough to ride out a slow moment without dropping. */
#define POOL_BLOCKS 64
#define BLOCK_BYTES (32 * 1024)
/* About 0.34 s of audio between the DSP thread and the sound card. */
#define AUDIO_RING_FRAMES 16384
/* More FFTs per spectrum frame add little but cost time. */
#define MAX_FFTS_PER_FRAME 8
#define POP_TIMEOUT_US (100 * 1000)

typedef enum {
  COMMAND_TUNE,
  COMMAND_SET_CENTER,
  COMMAND_SET_GAIN,
  COMMAND_SET_MODE,
} CommandKind;

typedef struct {
  CommandKind kind;
  double value;
} Command;

/* Events may still be on their way to the main context when the receiver is
 * freed: they hold this and find receiver == NULL. */
typedef struct {
  GMutex lock;
  FerReceiver *receiver;
} EventTarget;

typedef struct {
  EventTarget *target;
  FerReceiverEvent event;
  char *message;
} PendingEvent;

struct _FerReceiver {
  FerSource *source;                  /* owned */
  FerReceiverOptions options;
  char *audio_path;                   /* owned copy of options.audio_path */
  GMainContext *context;              /* owned ref; where events go */
  EventTarget *event_target;          /* atomic rc box */
  FerReceiverEventFunc event_func;    /* thread: main */
  gpointer event_data;

  FerBlockPool *pool;                 /* owned */
  GAsyncQueue *blocks;                /* owned; FerBlock * */
  GAsyncQueue *commands;              /* owned; Command * */
  FerBlock wake;                      /* marker that wakes the DSP thread */
  GThread *dsp_thread;
  atomic_bool running;
  gboolean started;

  /* Shared state: written by whoever changes it, read by anyone. */
  _Atomic double freq_hz;
  _Atomic int mode;
  _Atomic double bandwidth_hz;
  atomic_uint_fast64_t n_blocks;
  atomic_uint_fast64_t n_samples;
  atomic_uint_fast64_t n_audio_frames;
  atomic_uint_fast64_t n_overruns;
  atomic_int audio_state;

  /* Audio output: one of these. */
  FerRing *ring;                      /* owned; to the sound card */
  FerAudioSink *sink;                 /* owned */
  FerWavWriter *wav;                  /* owned; thread: dsp while running */
  GError *wav_error;                  /* thread: dsp; first write error */

  /* thread: dsp */
  FerConverter *converter;
  float complex *iq;
  gsize iq_capacity;
  FerChannel *channel;
  double channel_rate_hz;
  float *audio;
  gsize audio_capacity;
  FerFft *fft;
  guint fft_size;
  float complex *fft_in;
  guint fft_fill;
  float *fft_db;
  float *fft_sum;
  guint n_ffts;
  guint64 frame_samples;              /* samples since the last frame */
  guint64 frame_seq;
  guint64 max_samples;                /* 0 = no limit */
  gboolean finished;
  FerFrameSlot *frames;
};

void
fer_receiver_options_init (FerReceiverOptions *options)
{
  memset (options, 0, sizeof *options);
  options->freq_hz = 100e6;
  options->mode = FER_MODE_WFM;
  options->fft_size = 2048;
  options->frames_per_second = 30;
  options->audio_path = NULL;
  options->max_seconds = 0;
  options->volume = 1.0;
}

/* --- events ------------------------------------------------------------- */

static void
event_target_clear (EventTarget *target)
{
  g_mutex_clear (&target->lock);
}

static gboolean
deliver_event (gpointer data)
{
  PendingEvent *ev = data;
  FER_HANDOFF_ACQUIRE (ev);
  EventTarget *target = ev->target;

  /* The receiver is only freed on the main context, so once it is seen
   * alive here it stays alive for the call. */
  g_mutex_lock (&target->lock);
  FerReceiver *receiver = target->receiver;
  g_mutex_unlock (&target->lock);
  if (receiver != NULL && receiver->event_func != NULL)
    receiver->event_func (receiver, ev->event, ev->message, receiver->event_data);
  return G_SOURCE_REMOVE;
}

static void
pending_event_free (gpointer data)
{
  PendingEvent *ev = data;
  g_atomic_rc_box_release_full (ev->target, (GDestroyNotify) event_target_clear);
  g_free (ev->message);
  g_free (ev);
}

static void
post_event (FerReceiver *receiver, FerReceiverEvent event, const char *message)
{
  PendingEvent *ev = g_new0 (PendingEvent, 1);
  ev->target = g_atomic_rc_box_acquire (receiver->event_target);
  ev->event = event;
  ev->message = g_strdup (message);
  FER_HANDOFF_RELEASE (ev);
  g_main_context_invoke_full (receiver->context, G_PRIORITY_DEFAULT, deliver_event, ev,
                              pending_event_free);
}

static void
on_audio_state (FerAudioState state, const char *message, gpointer user_data)
{
  FerReceiver *receiver = user_data;
  atomic_store (&receiver->audio_state, state);
  post_event (receiver, FER_RECEIVER_EVENT_AUDIO, message);
}

/* --- construction ------------------------------------------------------- */

static gboolean
freq_reachable (FerSource *source, double freq_hz, GError **error)
{
  double rate = fer_source_get_rate (source);
  if (source->max_center_hz > 0)
    {
      double lo = source->min_center_hz - rate / 2, hi = source->max_center_hz + rate / 2;
      if (freq_hz >= lo && freq_hz <= hi)
        return TRUE;
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "%.6f MHz is out of range: %s tunes %.3f to %.3f MHz",
                   freq_hz / 1e6, source->name, lo / 1e6, hi / 1e6);
      return FALSE;
    }
  double center = fer_source_get_center (source);
  if (fabs (freq_hz - center) < rate / 2)
    return TRUE;
  g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
               "%.6f MHz is outside the recording: it covers %.6f to %.6f MHz",
               freq_hz / 1e6, (center - rate / 2) / 1e6, (center + rate / 2) / 1e6);
  return FALSE;
}

FerReceiver *
fer_receiver_new (FerSource *source, const FerReceiverOptions *options, GError **error)
{
  g_return_val_if_fail (source != NULL && options != NULL, NULL);

  FerReceiverOptions opts = *options;
  if (opts.fft_size == 0)
    opts.fft_size = 2048;
  if (opts.frames_per_second <= 0)
    opts.frames_per_second = 30;

  if (!freq_reachable (source, opts.freq_hz, error))
    {
      fer_source_free (source);
      return NULL;
    }
  double rate = fer_source_get_rate (source);
  g_autoptr (FerChannel) probe = fer_channel_new (rate, opts.mode, 0, FER_AUDIO_RATE_HZ);
  if (probe == NULL)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "A sample rate of %.0f S/s is too low for %s", rate,
                   fer_mode_name (opts.mode));
      fer_source_free (source);
      return NULL;
    }

  FerReceiver *receiver = g_new0 (FerReceiver, 1);
  receiver->source = source;
  receiver->options = opts;
  receiver->audio_path = g_strdup (opts.audio_path);
  receiver->options.audio_path = receiver->audio_path;
  receiver->context = g_main_context_ref_thread_default ();
  receiver->event_target = g_atomic_rc_box_new0 (EventTarget);
  g_mutex_init (&receiver->event_target->lock);
  receiver->event_target->receiver = receiver;

  atomic_init (&receiver->running, false);
  atomic_init (&receiver->freq_hz, opts.freq_hz);
  atomic_init (&receiver->mode, opts.mode);
  atomic_init (&receiver->bandwidth_hz, fer_channel_get_bandwidth (probe));
  atomic_init (&receiver->n_blocks, 0);
  atomic_init (&receiver->n_samples, 0);
  atomic_init (&receiver->n_audio_frames, 0);
  atomic_init (&receiver->n_overruns, 0);
  atomic_init (&receiver->audio_state, FER_AUDIO_STATE_STOPPED);

  receiver->pool = fer_block_pool_new (POOL_BLOCKS, BLOCK_BYTES);
  receiver->blocks = g_async_queue_new ();
  receiver->commands = g_async_queue_new_full (g_free);
  receiver->frames = fer_frame_slot_new (opts.fft_size);
  receiver->fft_size = opts.fft_size;

  if (g_strcmp0 (opts.audio_path, FER_RECEIVER_NO_AUDIO) == 0)
    ;
  else if (opts.audio_path != NULL)
    {
      receiver->wav = fer_wav_writer_new (opts.audio_path, FER_AUDIO_RATE_HZ, 1, error);
      if (receiver->wav == NULL)
        {
          fer_receiver_free (receiver);
          return NULL;
        }
    }
  else
    receiver->ring = fer_ring_new (AUDIO_RING_FRAMES, 1);

  return receiver;
}

void
fer_receiver_free (FerReceiver *receiver)
{
  if (receiver == NULL)
    return;
  fer_receiver_stop (receiver, NULL);

  g_mutex_lock (&receiver->event_target->lock);
  receiver->event_target->receiver = NULL;
  g_mutex_unlock (&receiver->event_target->lock);
  g_atomic_rc_box_release_full (receiver->event_target, (GDestroyNotify) event_target_clear);

  if (receiver->wav != NULL)
    fer_wav_writer_abort (receiver->wav);
  g_clear_error (&receiver->wav_error);
  fer_source_free (receiver->source);
  g_async_queue_unref (receiver->commands);
  g_async_queue_unref (receiver->blocks);
  fer_block_pool_free (receiver->pool);
  fer_frame_slot_free (receiver->frames);
  g_clear_pointer (&receiver->ring, fer_ring_free);
  g_main_context_unref (receiver->context);
  g_free (receiver->audio_path);
  g_free (receiver);
}

void
fer_receiver_set_event_func (FerReceiver *receiver, FerReceiverEventFunc func,
                             gpointer user_data)
{
  receiver->event_func = func;
  receiver->event_data = user_data;
}

/* --- DSP thread ----------------------------------------------------------- */

static void
dsp_free_chain (FerReceiver *receiver)
{
  g_clear_pointer (&receiver->channel, fer_channel_free);
  g_clear_pointer (&receiver->converter, fer_converter_free);
  g_clear_pointer (&receiver->fft, fer_fft_free);
  g_clear_pointer (&receiver->iq, g_free);
  g_clear_pointer (&receiver->audio, g_free);
  g_clear_pointer (&receiver->fft_in, g_free);
  g_clear_pointer (&receiver->fft_db, g_free);
  g_clear_pointer (&receiver->fft_sum, g_free);
}

/* (Re)builds the channel for @rate_hz. Allocates: only at start and on a
 * rate or mode change, never per block. */
static gboolean
dsp_build_channel (FerReceiver *receiver, double rate_hz)
{
  g_clear_pointer (&receiver->channel, fer_channel_free);
  receiver->channel = fer_channel_new (rate_hz, atomic_load (&receiver->mode), 0,
                                       FER_AUDIO_RATE_HZ);
  receiver->channel_rate_hz = rate_hz;
  if (receiver->channel == NULL)
    return FALSE;
  atomic_store (&receiver->bandwidth_hz, fer_channel_get_bandwidth (receiver->channel));
  gsize max_samples = BLOCK_BYTES / 2;
  gsize need = fer_channel_max_out (receiver->channel, max_samples);
  if (need > receiver->audio_capacity)
    {
      g_free (receiver->audio);
      receiver->audio = g_new (float, need);
      receiver->audio_capacity = need;
    }
  return TRUE;
}

static void
dsp_setup (FerReceiver *receiver)
{
  receiver->converter = fer_converter_new ();
  /* cu8/cs8 take 2 bytes a sample: the most samples one block can hold. */
  receiver->iq_capacity = BLOCK_BYTES / 2;
  receiver->iq = g_new (float complex, receiver->iq_capacity);
  receiver->fft = fer_fft_new (receiver->fft_size);
  receiver->fft_in = g_new (float complex, receiver->fft_size);
  receiver->fft_db = g_new (float, receiver->fft_size);
  receiver->fft_sum = g_new0 (float, receiver->fft_size);
  receiver->fft_fill = 0;
  receiver->n_ffts = 0;
  receiver->frame_samples = 0;
  dsp_build_channel (receiver, fer_source_get_rate (receiver->source));
}

static void
dsp_spectrum (FerReceiver *receiver, const FerBlock *block, const float complex *iq,
              gsize n)
{
  double rate = block->rate_hz;
  guint64 samples_per_frame = (guint64) MAX (1.0, rate / receiver->options.frames_per_second);
  guint size = receiver->fft_size;

  for (gsize i = 0; i < n;)
    {
      if (receiver->n_ffts < MAX_FFTS_PER_FRAME)
        {
          gsize take = MIN (n - i, (gsize) (size - receiver->fft_fill));
          memcpy (receiver->fft_in + receiver->fft_fill, iq + i, take * sizeof *iq);
          receiver->fft_fill += take;
          if (receiver->fft_fill == size)
            {
              fer_fft_power_db (receiver->fft, receiver->fft_in, receiver->fft_db);
              for (guint k = 0; k < size; k++)
                receiver->fft_sum[k] += receiver->fft_db[k];
              receiver->n_ffts++;
              receiver->fft_fill = 0;
            }
          i += take;
          receiver->frame_samples += take;
        }
      else
        {
          /* Enough FFTs for this frame: skip ahead to the next frame. */
          guint64 left = samples_per_frame > receiver->frame_samples
                           ? samples_per_frame - receiver->frame_samples : 0;
          gsize skip = (gsize) MIN ((guint64) (n - i), left);
          i += skip;
          receiver->frame_samples += skip;
        }

      if (receiver->frame_samples >= samples_per_frame && receiver->n_ffts > 0)
        {
          FerFrame *frame = fer_frame_slot_back (receiver->frames);
          float scale = 1.0f / (float) receiver->n_ffts;
          for (guint k = 0; k < size; k++)
            {
              frame->db[k] = receiver->fft_sum[k] * scale;
              receiver->fft_sum[k] = 0;
            }
          frame->size = size;
          frame->center_hz = block->center_hz;
          frame->rate_hz = rate;
          frame->seq = ++receiver->frame_seq;
          fer_frame_slot_publish (receiver->frames);
          receiver->n_ffts = 0;
          receiver->frame_samples = 0;
          receiver->fft_fill = 0;
        }
    }
}

static void
dsp_audio_out (FerReceiver *receiver, const float *audio, gsize n_frames)
{
  atomic_fetch_add (&receiver->n_audio_frames, n_frames);
  if (receiver->wav != NULL)
    {
      if (receiver->wav_error == NULL
          && !fer_wav_writer_write (receiver->wav, audio, n_frames, &receiver->wav_error))
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, receiver->wav_error->message);
    }
  else if (receiver->ring != NULL)
    {
      gsize written = fer_ring_write (receiver->ring, audio, n_frames);
      if (written < n_frames)
        atomic_fetch_add (&receiver->n_overruns, n_frames - written);
    }
}

static void
dsp_process_block (FerReceiver *receiver, FerBlock *block)
{
  gsize sample_bytes = fer_sample_format_bytes (block->format);
  gsize n = block->n_bytes / sample_bytes;
  if (receiver->max_samples > 0)
    {
      guint64 done = atomic_load (&receiver->n_samples);
      if (done + n >= receiver->max_samples)
        {
          n = (gsize) (receiver->max_samples - done);
          receiver->finished = TRUE;
        }
    }
  n = MIN (n, receiver->iq_capacity);

  if (block->rate_hz != receiver->channel_rate_hz)
    if (!dsp_build_channel (receiver, block->rate_hz))
      {
        g_autofree char *msg = g_strdup_printf ("A sample rate of %.0f S/s is too low for %s",
                                                block->rate_hz,
                                                fer_mode_name (atomic_load (&receiver->mode)));
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, msg);
      }

  fer_converter_process (receiver->converter, block->format, block->data, n, receiver->iq);
  dsp_spectrum (receiver, block, receiver->iq, n);

  if (receiver->channel != NULL)
    {
      double offset = atomic_load (&receiver->freq_hz) - block->center_hz;
      gsize n_out;
      if (fabs (offset) < block->rate_hz / 2)
        {
          if (offset != fer_channel_get_offset (receiver->channel))
            fer_channel_set_offset (receiver->channel, offset);
          n_out = fer_channel_process (receiver->channel, receiver->iq, n, receiver->audio);
        }
      else
        {
          /* Retuning: this block does not contain the station. Keep the audio
           * clock running with silence. */
          n_out = (gsize) llround ((double) n * FER_AUDIO_RATE_HZ / block->rate_hz);
          n_out = MIN (n_out, receiver->audio_capacity);
          memset (receiver->audio, 0, n_out * sizeof (float));
        }
      dsp_audio_out (receiver, receiver->audio, n_out);
    }

  atomic_fetch_add (&receiver->n_blocks, 1);
  atomic_fetch_add (&receiver->n_samples, n);
}

static void
dsp_apply_command (FerReceiver *receiver, const Command *cmd)
{
  g_autoptr (GError) error = NULL;
  FerSource *source = receiver->source;

  switch (cmd->kind)
    {
    case COMMAND_TUNE:
      {
        double rate = fer_source_get_rate (source);
        double center = fer_source_get_center (source);
        double bw = atomic_load (&receiver->bandwidth_hz);
        /* Inside the band (with the passband clear of the edges) only the
         * channel moves; otherwise the source retunes onto the station. */
        if (fabs (cmd->value - center) + bw / 2 > rate / 2 * 0.9)
          {
            if (source->ops->set_center == NULL)
              break;
            if (!fer_source_set_center (source, cmd->value, &error))
              {
                post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, error->message);
                break;
              }
          }
        post_event (receiver, FER_RECEIVER_EVENT_TUNED, NULL);
        break;
      }
    case COMMAND_SET_CENTER:
      if (!fer_source_set_center (source, cmd->value, &error))
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, error->message);
      else
        post_event (receiver, FER_RECEIVER_EVENT_TUNED, NULL);
      break;
    case COMMAND_SET_GAIN:
      if (!fer_source_set_gain (source, cmd->value, &error))
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, error->message);
      break;
    case COMMAND_SET_MODE:
      dsp_build_channel (receiver, receiver->channel_rate_hz);
      break;
    }
}

static gpointer
dsp_thread_main (gpointer data)
{
  FerReceiver *receiver = data;

  dsp_setup (receiver);
  while (atomic_load (&receiver->running))
    {
      Command *cmd;
      while ((cmd = g_async_queue_try_pop (receiver->commands)) != NULL)
        {
          FER_HANDOFF_ACQUIRE (cmd);
          dsp_apply_command (receiver, cmd);
          g_free (cmd);
        }

      FerBlock *block = fer_block_queue_pop (receiver->blocks, POP_TIMEOUT_US);
      if (block == NULL || block == &receiver->wake)
        continue;
      if (block->flags & FER_BLOCK_FLAG_END)
        {
          if (!receiver->finished)
            {
              receiver->finished = TRUE;
              g_autoptr (GError) error = fer_source_dup_error (receiver->source);
              if (error != NULL)
                post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, error->message);
              else
                post_event (receiver, FER_RECEIVER_EVENT_FINISHED, NULL);
            }
          continue;
        }
      if (!receiver->finished)
        {
          dsp_process_block (receiver, block);
          if (receiver->finished)
            post_event (receiver, FER_RECEIVER_EVENT_FINISHED, NULL);
        }
      fer_block_release (block);
    }
  dsp_free_chain (receiver);
  return NULL;
}

/* --- control -------------------------------------------------------------- */

gboolean
fer_receiver_start (FerReceiver *receiver, GError **error)
{
  g_return_val_if_fail (!receiver->started, FALSE);

  double rate = fer_source_get_rate (receiver->source);
  receiver->max_samples = receiver->options.max_seconds > 0
                            ? (guint64) llround (receiver->options.max_seconds * rate) : 0;
  receiver->finished = FALSE;

  atomic_store (&receiver->running, true);
  receiver->dsp_thread = g_thread_new ("fer-dsp", dsp_thread_main, receiver);
  if (!fer_source_start (receiver->source, receiver->pool, receiver->blocks, error))
    {
      atomic_store (&receiver->running, false);
      fer_block_queue_push (receiver->blocks, &receiver->wake);
      g_thread_join (receiver->dsp_thread);
      receiver->dsp_thread = NULL;
      return FALSE;
    }
  receiver->started = TRUE;

  if (receiver->ring != NULL)
    {
      atomic_store (&receiver->audio_state, FER_AUDIO_STATE_STARTING);
      receiver->sink = fer_audio_sink_new (receiver->ring, FER_AUDIO_RATE_HZ, on_audio_state,
                                           receiver);
      fer_audio_sink_set_volume (receiver->sink, (float) receiver->options.volume);
    }
  return TRUE;
}

gboolean
fer_receiver_stop (FerReceiver *receiver, GError **error)
{
  if (!receiver->started)
    return TRUE;
  receiver->started = FALSE;

  /* Source first: once its thread is joined nothing new arrives. */
  fer_source_stop (receiver->source);
  atomic_store (&receiver->running, false);
  fer_block_queue_push (receiver->blocks, &receiver->wake);
  g_thread_join (receiver->dsp_thread);
  receiver->dsp_thread = NULL;

  FerBlock *block;
  while ((block = fer_block_queue_pop (receiver->blocks, 0)) != NULL)
    fer_block_release (block);

  g_clear_pointer (&receiver->sink, fer_audio_sink_free);
  atomic_store (&receiver->audio_state, FER_AUDIO_STATE_STOPPED);

  if (receiver->wav != NULL)
    {
      FerWavWriter *wav = g_steal_pointer (&receiver->wav);
      if (receiver->wav_error != NULL)
        {
          fer_wav_writer_abort (wav);
          if (error != NULL)
            *error = g_error_copy (receiver->wav_error);
          return FALSE;
        }
      return fer_wav_writer_close (wav, error);
    }
  return TRUE;
}

static void
push_command (FerReceiver *receiver, CommandKind kind, double value)
{
  Command *cmd = g_new (Command, 1);
  cmd->kind = kind;
  cmd->value = value;
  FER_HANDOFF_RELEASE (cmd);
  g_async_queue_push (receiver->commands, cmd);
  fer_block_queue_push (receiver->blocks, &receiver->wake);
}

gboolean
fer_receiver_tune (FerReceiver *receiver, double freq_hz, GError **error)
{
  if (!isfinite (freq_hz))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID, "Frequency is not a number");
      return FALSE;
    }
  if (!freq_reachable (receiver->source, freq_hz, error))
    return FALSE;
  atomic_store (&receiver->freq_hz, freq_hz);
  push_command (receiver, COMMAND_TUNE, freq_hz);
  return TRUE;
}

gboolean
fer_receiver_set_center (FerReceiver *receiver, double center_hz, GError **error)
{
  FerSource *source = receiver->source;
  if (source->ops->set_center == NULL || source->max_center_hz <= 0)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "%s cannot change its frequency", source->name);
      return FALSE;
    }
  if (!(center_hz >= source->min_center_hz && center_hz <= source->max_center_hz))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "%.6f MHz is out of range: %s tunes %.3f to %.3f MHz", center_hz / 1e6,
                   source->name, source->min_center_hz / 1e6, source->max_center_hz / 1e6);
      return FALSE;
    }
  push_command (receiver, COMMAND_SET_CENTER, center_hz);
  return TRUE;
}

gboolean
fer_receiver_set_gain (FerReceiver *receiver, double gain_db, GError **error)
{
  if (receiver->source->ops->set_gain == NULL)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "%s has no gain to set", receiver->source->name);
      return FALSE;
    }
  push_command (receiver, COMMAND_SET_GAIN, gain_db);
  return TRUE;
}

void
fer_receiver_set_volume (FerReceiver *receiver, double volume)
{
  receiver->options.volume = CLAMP (volume, 0.0, 2.0);
  if (receiver->sink != NULL)
    fer_audio_sink_set_volume (receiver->sink, (float) receiver->options.volume);
}

void
fer_receiver_set_mode (FerReceiver *receiver, FerMode mode)
{
  atomic_store (&receiver->mode, mode);
  push_command (receiver, COMMAND_SET_MODE, 0);
}

FerSource *
fer_receiver_get_source (FerReceiver *receiver)
{
  return receiver->source;
}

double
fer_receiver_get_freq (FerReceiver *receiver)
{
  return atomic_load (&receiver->freq_hz);
}

double
fer_receiver_get_center (FerReceiver *receiver)
{
  return fer_source_get_center (receiver->source);
}

double
fer_receiver_get_rate (FerReceiver *receiver)
{
  return fer_source_get_rate (receiver->source);
}

FerMode
fer_receiver_get_mode (FerReceiver *receiver)
{
  return atomic_load (&receiver->mode);
}

double
fer_receiver_get_bandwidth (FerReceiver *receiver)
{
  return atomic_load (&receiver->bandwidth_hz);
}

void
fer_receiver_get_stats (FerReceiver *receiver, FerReceiverStats *stats)
{
  memset (stats, 0, sizeof *stats);
  stats->n_blocks = atomic_load (&receiver->n_blocks);
  stats->n_samples = atomic_load (&receiver->n_samples);
  stats->n_dropped = fer_source_get_n_dropped (receiver->source);
  stats->n_audio_frames = atomic_load (&receiver->n_audio_frames);
  stats->n_overruns = atomic_load (&receiver->n_overruns);
  stats->n_underruns = receiver->sink ? fer_audio_sink_get_n_underruns (receiver->sink) : 0;
  stats->audio_state = atomic_load (&receiver->audio_state);
  stats->to_file = receiver->ring == NULL;
}

gboolean
fer_receiver_get_spectrum (FerReceiver *receiver, FerSpectrumFrame *frame)
{
  const FerFrame *newest = fer_frame_slot_read (receiver->frames);
  if (newest == NULL || newest->seq <= frame->seq)
    return FALSE;
  frame->seq = newest->seq;
  frame->center_hz = newest->center_hz;
  frame->rate_hz = newest->rate_hz;
  frame->size = newest->size;
  memcpy (frame->db, newest->db, newest->size * sizeof (float));
  return TRUE;
}

guint
fer_receiver_get_fft_size (FerReceiver *receiver)
{
  return receiver->fft_size;
}
