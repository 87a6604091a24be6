#define G_LOG_DOMAIN "fer-receiver"

#include "receiver.h"

#include <math.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "audio/device-choice.h"
#include "audio/ring.h"
#include "audio/sink.h"
#include "audio/wav.h"
#include "dsp/convert.h"
#include "device/handoff.h"
#include "device/source-dongle.h"
#include "device/source-rtltcp.h"
#include "dsp/fft.h"
#include "dsp/frontend.h"
#include "event-queue.h"
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
  COMMAND_APPLY_CHANNEL,    /* bandwidth, de-emphasis, squelch, AGC, blanker from the atomics */
  COMMAND_SET_FFT_SIZE,
  COMMAND_SET_RATE,
  COMMAND_SET_PPM,
  COMMAND_SET_BIAS_TEE,
  COMMAND_SET_DIRECT_SAMPLING,
  COMMAND_SET_OFFSET_TUNING,
  COMMAND_ADD_TAP,          /* data: a Tap to copy in */
  COMMAND_REMOVE_TAP,       /* value: its id; data: an atomic_bool set once it is out */
} CommandKind;

typedef struct {
  CommandKind kind;
  double value;
  gpointer data;
} Command;

/* Who else sees the blocks or the audio (recorders, servers). */
#define MAX_TAPS 8
typedef struct {
  guint id;
  FerReceiverBlockFunc block_func;
  FerReceiverAudioFunc audio_func;
  gpointer user_data;
} Tap;

struct _FerReceiver {
  FerSource *source;                  /* owned */
  FerReceiverOptions options;
  char *audio_path;                   /* owned copy of options.audio_path */
  GMainContext *context;              /* owned ref; where events go */
  FerEventQueue *events;              /* owned; delivers on context */
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
  _Atomic double frames_per_second;   /* spectrum frames */
  atomic_uint fft_size_now;           /* what get_fft_size says: the newest asked for */
  atomic_uint_fast64_t n_blocks;
  atomic_uint_fast64_t n_samples;
  atomic_uint_fast64_t n_audio_frames;
  atomic_uint_fast64_t n_overruns;
  atomic_int audio_state;
  atomic_bool device_disconnected;

  /* Channel settings (any thread writes, the DSP thread applies) and the
   * signal meter (the DSP thread writes after each block). */
  _Atomic double bandwidth_req;       /* 0 = the mode's default */
  _Atomic double deemphasis_s;        /* < 0 = the mode's default */
  atomic_int squelch_mode;
  _Atomic double squelch_db;
  atomic_int agc;
  atomic_bool nb_on;
  _Atomic double nb_db;
  atomic_bool iq_fix;                 /* DC and IQ correction for the channel too */
  _Atomic double highpass_req, lowpass_req;   /* audio filter corners; < 0 = the mode's */
  _Atomic double passband_lo, passband_hi;
  _Atomic double sig_level_dbfs, sig_snr_db, sig_blend;
  atomic_bool sig_squelch_open, sig_pilot;

  /* Audio output: one of these. */
  FerRing *ring;                      /* owned; to the sound card */
  FerAudioSink *sink;                 /* owned */
  char *audio_device;                 /* owned; the device to play on; NULL = default */
  gboolean remember_audio_device;     /* thread: main; save the choice once it plays */
  FerWavWriter *wav;                  /* owned; thread: dsp while running */
  GError *wav_error;                  /* thread: dsp; first write error */
  FILE *raw;                          /* owned (unless stdout); raw mode's cf32 IQ */
  guint out_channels;                 /* interleaved floats per frame the output takes */

  /* thread: dsp */
  FerConverter *converter;
  float complex *iq;
  gsize iq_capacity;
  FerChannel *channel;
  double channel_rate_hz;
  float *audio;
  gsize audio_capacity;
  float *audio_out;                   /* audio in the output's channel count */
  FerFrontEnd *frontend;              /* on what the channel hears: blanker, optional fixes */
  FerFrontEnd *spectrum_fix;          /* DC and IQ correction of the spectrum's input */
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

  /* RDS (wfm modes): decoded on the DSP thread from the channel's
   * multiplex; a copy for other threads under rds_lock. */
  FerRds *rds;                        /* owned; thread: dsp */
  double rds_freq_hz;                 /* thread: dsp; the frequency it decodes */
  guint rds_seq;                      /* thread: dsp; change_seq last announced */
  guint64 rds_groups;                 /* thread: dsp; n_groups last copied */
  gboolean rds_synced;                /* thread: dsp */
  GRecMutex rds_lock;
  FerRdsState rds_state;              /* guarded by rds_lock */

  /* thread: dsp while started, else the thread that starts and stops */
  Tap taps[MAX_TAPS];
  guint n_taps;
  atomic_uint n_taps_reserved;        /* added and not yet removed */
  atomic_uint next_tap_id;
};

static void
command_free (gpointer data)
{
  Command *cmd = data;
  if (cmd->kind == COMMAND_ADD_TAP)
    g_free (cmd->data);
  g_free (cmd);
}

void
fer_receiver_options_init (FerReceiverOptions *options)
{
  memset (options, 0, sizeof *options);
  options->freq_hz = 100e6;
  options->mode = FER_MODE_WFM;
  options->fft_size = 2048;
  options->frames_per_second = 30;
  options->audio_path = NULL;
  options->deemphasis_s = -1;
  options->squelch_mode = FER_SQUELCH_OFF;
  options->agc = FER_AGC_MEDIUM;
  options->max_seconds = 0;
  options->volume = 1.0;
}

/* --- events ------------------------------------------------------------- */

/* An explicitly chosen device is remembered once it plays: a typo or a
 * device that is not there does not replace the last good choice. */
static void
remember_audio_device (FerReceiver *receiver)
{
  if (!receiver->remember_audio_device || receiver->sink == NULL
      || fer_audio_sink_get_state (receiver->sink) != FER_AUDIO_STATE_PLAYING)
    return;
  gboolean is_requested;
  g_autofree char *name = fer_audio_sink_dup_device_name (receiver->sink, &is_requested);
  if (name == NULL || !is_requested)
    return;
  receiver->remember_audio_device = FALSE;
  g_autoptr (GError) error = NULL;
  if (!fer_audio_choice_save (NULL, receiver->audio_device != NULL ? name : NULL, &error))
    g_warning ("The audio output chosen is not remembered: %s", error->message);
}

static void
deliver_event (int kind, const char *message, gpointer user_data)
{
  FerReceiver *receiver = user_data;
  if (kind == FER_RECEIVER_EVENT_AUDIO)
    remember_audio_device (receiver);
  if (receiver->event_func != NULL)
    receiver->event_func (receiver, (FerReceiverEvent) kind, message, receiver->event_data);
}

/* Any thread; the event reaches event_func on the receiver's context. */
static void
post_event (FerReceiver *receiver, FerReceiverEvent event, const char *message)
{
  fer_event_queue_post (receiver->events, event, message);
}

static void
on_audio_state (FerAudioState state, const char *message, gpointer user_data)
{
  FerReceiver *receiver = user_data;
  atomic_store (&receiver->audio_state, state);
  post_event (receiver, FER_RECEIVER_EVENT_AUDIO, message);
}

/* The source's reconnect thread: the dongle went, or came back. */
static void
on_dongle_state (FerSource *source, FerDongleState state, const char *message,
                 gpointer user_data)
{
  FerReceiver *receiver = user_data;
  atomic_store (&receiver->device_disconnected, state != FER_DONGLE_STATE_CONNECTED);
  post_event (receiver, FER_RECEIVER_EVENT_DEVICE, message);
}

/* --- construction ------------------------------------------------------- */

static gboolean
freq_reachable (FerSource *source, double freq_hz, GError **error)
{
  double rate = fer_source_get_rate (source);
  if (source->max_center_hz > 0)
    {
      double lo = MAX (0.0, source->min_center_hz - rate / 2), hi = source->max_center_hz + rate / 2;
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
  g_autoptr (FerChannel) probe = fer_channel_new_full (rate, opts.mode, 0, FER_AUDIO_RATE_HZ,
                                                       opts.bandwidth_hz);
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
  receiver->events = fer_event_queue_new (receiver->context, deliver_event, receiver);
  atomic_init (&receiver->device_disconnected, false);
  if (fer_source_is_dongle (source))
    fer_source_dongle_set_state_func (source, on_dongle_state, receiver);
  else if (fer_source_is_rtltcp (source))
    fer_source_rtltcp_set_state_func (source, on_dongle_state, receiver);

  atomic_init (&receiver->running, false);
  atomic_init (&receiver->freq_hz, opts.freq_hz);
  g_rec_mutex_init (&receiver->rds_lock);
  atomic_init (&receiver->mode, opts.mode);
  atomic_init (&receiver->bandwidth_hz, fer_channel_get_bandwidth (probe));
  atomic_init (&receiver->bandwidth_req, opts.bandwidth_hz);
  atomic_init (&receiver->deemphasis_s, opts.deemphasis_s);
  atomic_init (&receiver->squelch_mode, opts.squelch_mode);
  atomic_init (&receiver->squelch_db, opts.squelch_db);
  atomic_init (&receiver->agc, opts.agc);
  atomic_init (&receiver->nb_on, false);
  atomic_init (&receiver->nb_db, 20.0);
  atomic_init (&receiver->iq_fix, false);
  atomic_init (&receiver->highpass_req, -1.0);
  atomic_init (&receiver->lowpass_req, -1.0);
  double lo, hi;
  fer_channel_get_passband (probe, &lo, &hi);
  atomic_init (&receiver->passband_lo, lo);
  atomic_init (&receiver->passband_hi, hi);
  atomic_init (&receiver->sig_level_dbfs, -200.0);
  atomic_init (&receiver->sig_snr_db, 0.0);
  atomic_init (&receiver->sig_blend, 0.0);
  atomic_init (&receiver->sig_squelch_open, opts.squelch_mode == FER_SQUELCH_OFF);
  atomic_init (&receiver->sig_pilot, false);
  atomic_init (&receiver->n_blocks, 0);
  atomic_init (&receiver->n_samples, 0);
  atomic_init (&receiver->n_audio_frames, 0);
  atomic_init (&receiver->n_overruns, 0);
  atomic_init (&receiver->audio_state, FER_AUDIO_STATE_STOPPED);
  atomic_init (&receiver->n_taps_reserved, 0);
  atomic_init (&receiver->next_tap_id, 1);

  receiver->pool = fer_block_pool_new (POOL_BLOCKS, BLOCK_BYTES);
  receiver->blocks = g_async_queue_new ();
  receiver->commands = g_async_queue_new_full (command_free);
  /* room for the largest FFT: the size may change while running */
  opts.fft_size = CLAMP (opts.fft_size, FER_RECEIVER_MIN_FFT_SIZE, FER_RECEIVER_MAX_FFT_SIZE);
  receiver->options.fft_size = opts.fft_size;
  receiver->frames = fer_frame_slot_new (FER_RECEIVER_MAX_FFT_SIZE);
  receiver->fft_size = opts.fft_size;
  atomic_init (&receiver->fft_size_now, opts.fft_size);
  atomic_init (&receiver->frames_per_second, opts.frames_per_second);

  if (g_strcmp0 (opts.audio_path, FER_RECEIVER_NO_AUDIO) == 0)
    ;
  else if (opts.audio_path != NULL && opts.mode == FER_MODE_RAW)
    {
      /* Raw IQ: plain cf32, no header, at the channel rate. */
      receiver->out_channels = 2;
      if (strcmp (opts.audio_path, "-") == 0)
        receiver->raw = stdout;
      else if ((receiver->raw = fopen (opts.audio_path, "wb")) == NULL)
        {
          int e = errno;
          g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO, "Cannot write %s: %s",
                       opts.audio_path, g_strerror (e));
          fer_receiver_free (receiver);
          return NULL;
        }
    }
  else if (opts.audio_path != NULL)
    {
      /* Stereo modes write two channels (left, right). */
      receiver->out_channels = fer_channel_get_n_channels (probe);
      receiver->wav = fer_wav_writer_new (opts.audio_path, FER_AUDIO_RATE_HZ,
                                          receiver->out_channels, error);
      if (receiver->wav == NULL)
        {
          fer_receiver_free (receiver);
          return NULL;
        }
    }
  else
    {
      /* Always two channels: the mode can change between mono and stereo. */
      receiver->out_channels = 2;
      receiver->ring = fer_ring_new (AUDIO_RING_FRAMES, 2);
      receiver->remember_audio_device = opts.audio_device != NULL;
      receiver->audio_device = opts.audio_device != NULL ? g_strdup (opts.audio_device)
                                                        : fer_audio_choice_load (NULL);
    }
  receiver->options.audio_device = receiver->audio_device;

  return receiver;
}

void
fer_receiver_free (FerReceiver *receiver)
{
  if (receiver == NULL)
    return;
  fer_receiver_stop (receiver, NULL);

  if (receiver->wav != NULL)
    fer_wav_writer_abort (receiver->wav);
  if (receiver->raw != NULL && receiver->raw != stdout)
    fclose (receiver->raw);
  g_clear_error (&receiver->wav_error);
  fer_source_free (receiver->source);
  /* Every thread that posts is gone now (DSP, sink worker, the source's own):
   * drop what was not delivered. */
  g_clear_pointer (&receiver->events, fer_event_queue_free);
  g_async_queue_unref (receiver->commands);
  g_async_queue_unref (receiver->blocks);
  fer_block_pool_free (receiver->pool);
  fer_frame_slot_free (receiver->frames);
  g_clear_pointer (&receiver->ring, fer_ring_free);
  g_main_context_unref (receiver->context);
  g_free (receiver->audio_path);
  g_free (receiver->audio_device);
  g_rec_mutex_clear (&receiver->rds_lock);
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
  g_clear_pointer (&receiver->rds, fer_rds_free);
  g_clear_pointer (&receiver->converter, fer_converter_free);
  g_clear_pointer (&receiver->fft, fer_fft_free);
  g_clear_pointer (&receiver->iq, g_free);
  g_clear_pointer (&receiver->audio, g_free);
  g_clear_pointer (&receiver->audio_out, g_free);
  receiver->audio_capacity = 0;
  g_clear_pointer (&receiver->frontend, fer_front_end_free);
  g_clear_pointer (&receiver->spectrum_fix, fer_front_end_free);
  g_clear_pointer (&receiver->fft_in, g_free);
  g_clear_pointer (&receiver->fft_db, g_free);
  g_clear_pointer (&receiver->fft_sum, g_free);
}

/* Hands the settings the atomics hold to the channel and the front end,
 * and publishes what the channel made of them. */
static void
dsp_apply_channel_settings (FerReceiver *receiver)
{
  FerChannel *ch = receiver->channel;
  if (receiver->frontend != NULL)
    {
      gboolean fix = atomic_load (&receiver->iq_fix);
      fer_front_end_set_noise_blanker (receiver->frontend, atomic_load (&receiver->nb_on),
                                       atomic_load (&receiver->nb_db));
      fer_front_end_set_dc_removal (receiver->frontend, fix);
      fer_front_end_set_iq_correction (receiver->frontend, fix);
    }
  if (ch == NULL)
    return;
  double bw = atomic_load (&receiver->bandwidth_req);
  if (bw > 0 && bw != fer_channel_get_bandwidth (ch))
    fer_channel_set_bandwidth (ch, bw);
  double tau = atomic_load (&receiver->deemphasis_s);
  fer_channel_set_deemphasis (ch, tau >= 0 ? tau
                                           : fer_mode_default_deemphasis (fer_channel_get_mode (ch)));
  fer_channel_set_squelch (ch, atomic_load (&receiver->squelch_mode),
                           atomic_load (&receiver->squelch_db));
  fer_channel_set_agc (ch, atomic_load (&receiver->agc));
  double hp = atomic_load (&receiver->highpass_req), lp = atomic_load (&receiver->lowpass_req);
  if (hp >= 0 || lp >= 0)
    {
      double mode_hp, mode_lp;
      fer_channel_get_audio_filter (ch, &mode_hp, &mode_lp);
      fer_channel_set_audio_filter (ch, hp >= 0 ? hp : mode_hp, lp >= 0 ? lp : mode_lp);
    }
  atomic_store (&receiver->bandwidth_hz, fer_channel_get_bandwidth (ch));
  double lo, hi;
  fer_channel_get_passband (ch, &lo, &hi);
  atomic_store (&receiver->passband_lo, lo);
  atomic_store (&receiver->passband_hi, hi);
}

/* --- RDS ------------------------------------------------------------------ */

/* Copies the decoder's state out when it moved; announces what is shown. */
static void
dsp_rds_publish (FerReceiver *receiver)
{
  FerRdsState empty = { 0 };
  const FerRdsState *s = receiver->rds ? fer_rds_get_state (receiver->rds) : &empty;
  if (s->change_seq == receiver->rds_seq && s->n_groups == receiver->rds_groups
      && s->synced == receiver->rds_synced)
    return;
  g_rec_mutex_lock (&receiver->rds_lock);
  receiver->rds_state = *s;
  g_rec_mutex_unlock (&receiver->rds_lock);
  receiver->rds_groups = s->n_groups;
  receiver->rds_synced = s->synced;
  if (s->change_seq != receiver->rds_seq)
    {
      receiver->rds_seq = s->change_seq;
      post_event (receiver, FER_RECEIVER_EVENT_RDS, NULL);
    }
}

static void
dsp_on_mpx (const float *mpx, gsize n, gpointer user_data)
{
  FerReceiver *receiver = user_data;
  fer_rds_process (receiver->rds, mpx, n);
  dsp_rds_publish (receiver);
}

/* A wfm channel gets the RDS decoder (kept across rebuilds at the same
 * channel rate); other modes have none, and show none. */
static void
dsp_rds_attach (FerReceiver *receiver)
{
  FerMode mode = fer_channel_get_mode (receiver->channel);
  if (mode != FER_MODE_WFM && mode != FER_MODE_WFM_STEREO)
    g_clear_pointer (&receiver->rds, fer_rds_free);
  else
    {
      double rate = fer_channel_get_channel_rate (receiver->channel);
      if (receiver->rds == NULL || fer_rds_get_rate (receiver->rds) != rate)
        {
          g_clear_pointer (&receiver->rds, fer_rds_free);
          receiver->rds = fer_rds_new (rate);
          receiver->rds_freq_hz = atomic_load (&receiver->freq_hz);
        }
      fer_channel_set_mpx_func (receiver->channel, dsp_on_mpx, receiver);
    }
  receiver->rds_seq = G_MAXUINT;   /* announce, even if the counts look alike */
  dsp_rds_publish (receiver);
}

/* A new station: forget the old one's name and text. */
static void
dsp_rds_follow (FerReceiver *receiver)
{
  double freq = atomic_load (&receiver->freq_hz);
  if (receiver->rds == NULL || freq == receiver->rds_freq_hz)
    return;
  receiver->rds_freq_hz = freq;
  fer_rds_reset (receiver->rds);
  receiver->rds_seq = G_MAXUINT;
  dsp_rds_publish (receiver);
}

void
fer_receiver_get_rds (FerReceiver *receiver, FerRdsState *out)
{
  g_return_if_fail (receiver != NULL && out != NULL);
  g_rec_mutex_lock (&receiver->rds_lock);
  *out = receiver->rds_state;
  g_rec_mutex_unlock (&receiver->rds_lock);
}

/* (Re)builds the channel for @rate_hz. Allocates: only at start and on a
 * rate or mode change, never per block. */
static gboolean
dsp_build_channel (FerReceiver *receiver, double rate_hz)
{
  g_clear_pointer (&receiver->channel, fer_channel_free);
  receiver->channel = fer_channel_new_full (rate_hz, atomic_load (&receiver->mode), 0,
                                            FER_AUDIO_RATE_HZ,
                                            atomic_load (&receiver->bandwidth_req));
  receiver->channel_rate_hz = rate_hz;
  if (receiver->channel == NULL)
    return FALSE;
  dsp_apply_channel_settings (receiver);
  dsp_rds_attach (receiver);
  /* Frames of up to two channels, in and out. */
  gsize max_samples = BLOCK_BYTES / 2;
  gsize need = 2 * fer_channel_max_out (receiver->channel, max_samples);
  if (need > receiver->audio_capacity)
    {
      g_free (receiver->audio);
      g_free (receiver->audio_out);
      receiver->audio = g_new (float, need);
      receiver->audio_out = g_new (float, need);
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
  receiver->frontend = fer_front_end_new ();
  receiver->spectrum_fix = fer_front_end_new ();
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
  guint64 samples_per_frame =
    (guint64) MAX (1.0, rate / atomic_load (&receiver->frames_per_second));
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
              /* The dongle's DC spike and mirror images stay out of the picture. */
              fer_front_end_process (receiver->spectrum_fix, receiver->fft_in, size);
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

/* --- taps ------------------------------------------------------------------ */

/* What the channel heard, as the source sent it (the last block of a
 * --seconds run cut to length). */
static void
dsp_run_block_taps (FerReceiver *receiver, const FerBlock *block, gsize n_bytes)
{
  FerBlock view = *block;
  view.n_bytes = n_bytes;
  for (guint i = 0; i < receiver->n_taps; i++)
    if (receiver->taps[i].block_func != NULL)
      receiver->taps[i].block_func (&view, receiver->taps[i].user_data);
}

static void
taps_insert (FerReceiver *receiver, const Tap *tap)
{
  if (receiver->n_taps < MAX_TAPS)
    receiver->taps[receiver->n_taps++] = *tap;
}

static void
taps_remove (FerReceiver *receiver, guint id)
{
  for (guint i = 0; i < receiver->n_taps; i++)
    if (receiver->taps[i].id == id)
      {
        receiver->taps[i] = receiver->taps[--receiver->n_taps];
        return;
      }
}

static void
dsp_audio_out (FerReceiver *receiver, const float *audio, gsize n_frames, guint in_channels)
{
  atomic_fetch_add (&receiver->n_audio_frames, n_frames);
  if (fer_channel_get_mode (receiver->channel) != FER_MODE_RAW)
    for (guint i = 0; i < receiver->n_taps; i++)
      if (receiver->taps[i].audio_func != NULL)
        receiver->taps[i].audio_func (audio, n_frames, in_channels, receiver->taps[i].user_data);
  guint out_channels = receiver->out_channels;
  if (out_channels != 0 && in_channels != out_channels)
    {
      /* Mono on both sides of a stereo output, or a stereo mode into a mono file. */
      float *restrict o = receiver->audio_out;
      if (in_channels == 1)
        for (gsize i = 0; i < n_frames; i++)
          o[2 * i] = o[2 * i + 1] = audio[i];
      else
        for (gsize i = 0; i < n_frames; i++)
          o[i] = 0.5f * (audio[2 * i] + audio[2 * i + 1]);
      audio = o;
    }
  if (receiver->raw != NULL)
    {
      /* Only raw mode writes IQ; if the mode changed since, the file ends here. */
      if (receiver->wav_error == NULL && in_channels == 2
          && fer_channel_get_mode (receiver->channel) == FER_MODE_RAW
          && fwrite (audio, 2 * sizeof (float), n_frames, receiver->raw) != n_frames)
        {
          int e = errno;
          g_set_error (&receiver->wav_error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO,
                       "Cannot write the IQ output: %s", g_strerror (e));
          post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, receiver->wav_error->message);
        }
    }
  else if (fer_channel_get_mode (receiver->channel) == FER_MODE_RAW)
    ;   /* IQ is not audio: only a raw file takes it */
  else if (receiver->wav != NULL)
    {
      if (receiver->wav_error == NULL
          && !fer_wav_writer_write (receiver->wav, audio, n_frames, &receiver->wav_error))
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, receiver->wav_error->message);
    }
  else if (receiver->ring != NULL)
    {
      gsize written = fer_ring_write (receiver->ring, audio, n_frames);
      /* Without a device the ring just stays full: nothing is lost there. */
      if (written < n_frames && atomic_load (&receiver->audio_state) == FER_AUDIO_STATE_PLAYING)
        atomic_fetch_add (&receiver->n_overruns, n_frames - written);
    }
}

/* The signal meter, for the window. */
static void
dsp_publish_signal (FerReceiver *receiver)
{
  FerChannelMeter m;
  fer_channel_get_meter (receiver->channel, &m);
  atomic_store (&receiver->sig_level_dbfs, m.level_dbfs);
  atomic_store (&receiver->sig_snr_db, m.snr_db);
  atomic_store (&receiver->sig_squelch_open, m.squelch_open);
  atomic_store (&receiver->sig_pilot, m.pilot_locked);
  atomic_store (&receiver->sig_blend, m.stereo_blend);
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
  if (receiver->n_taps > 0)
    dsp_run_block_taps (receiver, block, n * sample_bytes);

  if (block->rate_hz != receiver->channel_rate_hz)
    if (!dsp_build_channel (receiver, block->rate_hz))
      {
        g_autofree char *msg = g_strdup_printf ("A sample rate of %.0f S/s is too low for %s",
                                                block->rate_hz,
                                                fer_mode_name (atomic_load (&receiver->mode)));
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, msg);
      }

  fer_converter_process (receiver->converter, block->format, block->data, n, receiver->iq);
  if (atomic_load (&receiver->nb_on) || atomic_load (&receiver->iq_fix))
    fer_front_end_process (receiver->frontend, receiver->iq, n);
  dsp_spectrum (receiver, block, receiver->iq, n);

  if (receiver->channel != NULL)
    {
      double offset = atomic_load (&receiver->freq_hz) - block->center_hz;
      guint nc = fer_channel_get_n_channels (receiver->channel);
      gsize n_out;
      if (fabs (offset) < block->rate_hz / 2)
        {
          if (offset != fer_channel_get_offset (receiver->channel))
            fer_channel_set_offset (receiver->channel, offset);
          dsp_rds_follow (receiver);
          n_out = fer_channel_process (receiver->channel, receiver->iq, n, receiver->audio);
          dsp_publish_signal (receiver);
        }
      else
        {
          /* Retuning: this block does not contain the station. Keep the audio
           * clock running with silence. */
          double out_rate = fer_channel_get_output_rate (receiver->channel);
          n_out = (gsize) llround ((double) n * out_rate / block->rate_hz);
          n_out = MIN (n_out, receiver->audio_capacity / 2);
          memset (receiver->audio, 0, n_out * nc * sizeof (float));
        }
      dsp_audio_out (receiver, receiver->audio, n_out, nc);
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
    case COMMAND_APPLY_CHANNEL:
      dsp_apply_channel_settings (receiver);
      break;
    case COMMAND_SET_FFT_SIZE:
      /* allocates: on a user's change only, never per block */
      g_clear_pointer (&receiver->fft, fer_fft_free);
      g_clear_pointer (&receiver->fft_in, g_free);
      g_clear_pointer (&receiver->fft_db, g_free);
      g_clear_pointer (&receiver->fft_sum, g_free);
      receiver->fft_size = (guint) cmd->value;
      receiver->fft = fer_fft_new (receiver->fft_size);
      receiver->fft_in = g_new (float complex, receiver->fft_size);
      receiver->fft_db = g_new (float, receiver->fft_size);
      receiver->fft_sum = g_new0 (float, receiver->fft_size);
      receiver->fft_fill = 0;
      receiver->n_ffts = 0;
      receiver->frame_samples = 0;
      break;
    case COMMAND_SET_RATE:
      if (!fer_source_set_rate (source, cmd->value, &error))
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, error->message);
      else
        {
          /* a narrower band may have lost the station: tune to it again */
          Command retune = { COMMAND_TUNE, atomic_load (&receiver->freq_hz) };
          dsp_apply_command (receiver, &retune);
        }
      break;
    case COMMAND_SET_PPM:
      if (!fer_source_set_ppm (source, (int) cmd->value, &error))
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, error->message);
      break;
    case COMMAND_SET_BIAS_TEE:
      if (!fer_source_set_bias_tee (source, cmd->value != 0, &error))
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, error->message);
      break;
    case COMMAND_SET_DIRECT_SAMPLING:
      if (!fer_source_set_direct_sampling (source, (FerDirectSampling) cmd->value, &error))
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, error->message);
      else
        post_event (receiver, FER_RECEIVER_EVENT_TUNED, NULL);
      break;
    case COMMAND_SET_OFFSET_TUNING:
      if (!fer_source_set_offset_tuning (source, cmd->value != 0, &error))
        post_event (receiver, FER_RECEIVER_EVENT_SOURCE_ERROR, error->message);
      break;
    case COMMAND_ADD_TAP:
      taps_insert (receiver, cmd->data);
      g_free (cmd->data);
      break;
    case COMMAND_REMOVE_TAP:
      taps_remove (receiver, (guint) cmd->value);
      atomic_store_explicit ((atomic_bool *) cmd->data, true, memory_order_release);
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
      receiver->sink = fer_audio_sink_new (receiver->ring, FER_AUDIO_RATE_HZ,
                                           receiver->audio_device, on_audio_state, receiver);
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
  if (receiver->raw != NULL)
    {
      FILE *raw = g_steal_pointer (&receiver->raw);
      gboolean ok = receiver->wav_error == NULL && fflush (raw) == 0;
      int e = errno;
      if (raw != stdout && fclose (raw) != 0 && ok)
        {
          ok = FALSE;
          e = errno;
        }
      if (!ok)
        {
          if (receiver->wav_error != NULL)
            g_propagate_error (error, g_error_copy (receiver->wav_error));
          else
            g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO,
                         "Cannot write the IQ output: %s", g_strerror (e));
          return FALSE;
        }
    }
  return TRUE;
}

static void
push_command_data (FerReceiver *receiver, CommandKind kind, double value, gpointer data)
{
  Command *cmd = g_new (Command, 1);
  cmd->kind = kind;
  cmd->value = value;
  cmd->data = data;
  FER_HANDOFF_RELEASE (cmd);
  g_async_queue_push (receiver->commands, cmd);
  fer_block_queue_push (receiver->blocks, &receiver->wake);
}

static void
push_command (FerReceiver *receiver, CommandKind kind, double value)
{
  push_command_data (receiver, kind, value, NULL);
}

static guint
add_tap (FerReceiver *receiver, FerReceiverBlockFunc block_func,
         FerReceiverAudioFunc audio_func, gpointer user_data)
{
  if (atomic_fetch_add (&receiver->n_taps_reserved, 1) >= MAX_TAPS)
    {
      atomic_fetch_sub (&receiver->n_taps_reserved, 1);
      return 0;
    }
  Tap tap = { atomic_fetch_add (&receiver->next_tap_id, 1), block_func, audio_func, user_data };
  if (!receiver->started)
    taps_insert (receiver, &tap);
  else
    push_command_data (receiver, COMMAND_ADD_TAP, 0, g_memdup2 (&tap, sizeof tap));
  return tap.id;
}

guint
fer_receiver_add_block_tap (FerReceiver *receiver, FerReceiverBlockFunc func,
                            gpointer user_data)
{
  g_return_val_if_fail (func != NULL, 0);
  return add_tap (receiver, func, NULL, user_data);
}

guint
fer_receiver_add_audio_tap (FerReceiver *receiver, FerReceiverAudioFunc func,
                            gpointer user_data)
{
  g_return_val_if_fail (func != NULL, 0);
  return add_tap (receiver, NULL, func, user_data);
}

void
fer_receiver_remove_tap (FerReceiver *receiver, guint tap_id)
{
  if (tap_id == 0)
    return;
  if (!receiver->started)
    taps_remove (receiver, tap_id);
  else
    {
      /* The DSP thread takes it out between blocks; after that it never
       * calls it again, so the caller may free what the tap uses. */
      atomic_bool done;
      atomic_init (&done, false);
      push_command_data (receiver, COMMAND_REMOVE_TAP, tap_id, &done);
      while (!atomic_load_explicit (&done, memory_order_acquire))
        g_usleep (200);
    }
  atomic_fetch_sub (&receiver->n_taps_reserved, 1);
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
  atomic_store (&receiver->bandwidth_req, 0.0);
  atomic_store (&receiver->highpass_req, -1.0);
  atomic_store (&receiver->lowpass_req, -1.0);
  push_command (receiver, COMMAND_SET_MODE, 0);
}

void
fer_receiver_set_bandwidth (FerReceiver *receiver, double bandwidth_hz)
{
  atomic_store (&receiver->bandwidth_req, MAX (bandwidth_hz, 0.0));
  push_command (receiver, COMMAND_APPLY_CHANNEL, 0);
}

void
fer_receiver_set_deemphasis (FerReceiver *receiver, double tau_s)
{
  atomic_store (&receiver->deemphasis_s, tau_s);
  push_command (receiver, COMMAND_APPLY_CHANNEL, 0);
}

void
fer_receiver_set_squelch (FerReceiver *receiver, FerSquelchMode mode, double threshold_db)
{
  atomic_store (&receiver->squelch_mode, mode);
  atomic_store (&receiver->squelch_db, threshold_db);
  push_command (receiver, COMMAND_APPLY_CHANNEL, 0);
}

void
fer_receiver_set_agc (FerReceiver *receiver, FerAgcMode agc)
{
  atomic_store (&receiver->agc, agc);
  push_command (receiver, COMMAND_APPLY_CHANNEL, 0);
}

void
fer_receiver_set_noise_blanker (FerReceiver *receiver, gboolean on, double threshold_db)
{
  atomic_store (&receiver->nb_on, on);
  atomic_store (&receiver->nb_db, threshold_db);
  push_command (receiver, COMMAND_APPLY_CHANNEL, 0);
}

void
fer_receiver_set_audio_filter (FerReceiver *receiver, double highpass_hz, double lowpass_hz)
{
  atomic_store (&receiver->highpass_req, highpass_hz);
  atomic_store (&receiver->lowpass_req, lowpass_hz);
  push_command (receiver, COMMAND_APPLY_CHANNEL, 0);
}

void
fer_receiver_set_iq_correction (FerReceiver *receiver, gboolean on)
{
  atomic_store (&receiver->iq_fix, on);
  push_command (receiver, COMMAND_APPLY_CHANNEL, 0);
}

void
fer_receiver_get_signal (FerReceiver *receiver, FerReceiverSignal *signal)
{
  signal->level_dbfs = atomic_load (&receiver->sig_level_dbfs);
  signal->snr_db = atomic_load (&receiver->sig_snr_db);
  signal->squelch_open = atomic_load (&receiver->sig_squelch_open);
  signal->pilot_locked = atomic_load (&receiver->sig_pilot);
  signal->stereo_blend = atomic_load (&receiver->sig_blend);
}

void
fer_receiver_get_passband (FerReceiver *receiver, double *lo_hz, double *hi_hz)
{
  if (lo_hz)
    *lo_hz = atomic_load (&receiver->passband_lo);
  if (hi_hz)
    *hi_hz = atomic_load (&receiver->passband_hi);
}

double
fer_receiver_get_deemphasis (FerReceiver *receiver)
{
  double tau = atomic_load (&receiver->deemphasis_s);
  return tau >= 0 ? tau : fer_mode_default_deemphasis (atomic_load (&receiver->mode));
}

FerSquelchMode
fer_receiver_get_squelch (FerReceiver *receiver, double *threshold_db)
{
  if (threshold_db)
    *threshold_db = atomic_load (&receiver->squelch_db);
  return atomic_load (&receiver->squelch_mode);
}

FerAgcMode
fer_receiver_get_agc (FerReceiver *receiver)
{
  return atomic_load (&receiver->agc);
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
  stats->device_disconnected = atomic_load (&receiver->device_disconnected);
  if (receiver->sink != NULL)
    {
      FerAudioSinkStats audio;
      fer_audio_sink_get_stats (receiver->sink, &audio);
      stats->audio_latency_s = audio.latency_s;
      stats->audio_ring_s = audio.ring_s;
      stats->audio_device_s = audio.device_s;
      stats->audio_drift_ppm = audio.drift_ppm;
      stats->n_audio_discarded = audio.n_discarded;
      stats->n_audio_xruns = audio.n_xruns;
      stats->n_audio_recoveries = audio.n_recoveries;
    }
}

GPtrArray *
fer_receiver_dup_audio_devices (FerReceiver *receiver)
{
  if (receiver->sink == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) fer_audio_device_free);
  return fer_audio_sink_dup_devices (receiver->sink);
}

char *
fer_receiver_dup_audio_device (FerReceiver *receiver)
{
  return receiver->sink != NULL ? fer_audio_sink_dup_device_name (receiver->sink, NULL) : NULL;
}

void
fer_receiver_set_audio_device (FerReceiver *receiver, const char *device)
{
  if (receiver->ring == NULL)
    return;
  g_free (receiver->audio_device);
  receiver->audio_device = g_strdup (device);
  receiver->options.audio_device = receiver->audio_device;
  receiver->remember_audio_device = TRUE;
  if (receiver->sink != NULL)
    fer_audio_sink_set_device (receiver->sink, device);
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
  return atomic_load (&receiver->fft_size_now);
}

void
fer_receiver_set_fft_size (FerReceiver *receiver, guint fft_size)
{
  g_return_if_fail (fft_size >= FER_RECEIVER_MIN_FFT_SIZE && fft_size <= FER_RECEIVER_MAX_FFT_SIZE
                    && (fft_size & (fft_size - 1)) == 0);
  if (atomic_exchange (&receiver->fft_size_now, fft_size) != fft_size)
    push_command (receiver, COMMAND_SET_FFT_SIZE, fft_size);
}

void
fer_receiver_set_frame_rate (FerReceiver *receiver, double frames_per_second)
{
  atomic_store (&receiver->frames_per_second, CLAMP (frames_per_second, 1.0, 120.0));
}

double
fer_receiver_get_frame_rate (FerReceiver *receiver)
{
  return atomic_load (&receiver->frames_per_second);
}

gboolean
fer_receiver_set_rate (FerReceiver *receiver, double rate_hz, GError **error)
{
  if (receiver->source->ops->set_rate == NULL)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "%s cannot change its sample rate", receiver->source->name);
      return FALSE;
    }
  push_command (receiver, COMMAND_SET_RATE, rate_hz);
  return TRUE;
}

gboolean
fer_receiver_set_ppm (FerReceiver *receiver, int ppm, GError **error)
{
  if (receiver->source->ops->set_ppm == NULL)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "%s has no crystal to correct", receiver->source->name);
      return FALSE;
    }
  push_command (receiver, COMMAND_SET_PPM, ppm);
  return TRUE;
}

/* Queues a command for an optional source op, or says the source has none. */
static gboolean
push_mode_command (FerReceiver *receiver, gboolean supported, const char *what,
                   CommandKind kind, double value, GError **error)
{
  if (!supported)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "%s has no %s", receiver->source->name, what);
      return FALSE;
    }
  push_command (receiver, kind, value);
  return TRUE;
}

gboolean
fer_receiver_set_bias_tee (FerReceiver *receiver, gboolean on, GError **error)
{
  return push_mode_command (receiver, receiver->source->ops->set_bias_tee != NULL,
                            "antenna supply (bias tee)", COMMAND_SET_BIAS_TEE, on, error);
}

gboolean
fer_receiver_set_direct_sampling (FerReceiver *receiver, FerDirectSampling mode,
                                  GError **error)
{
  return push_mode_command (receiver, receiver->source->ops->set_direct_sampling != NULL,
                            "direct sampling", COMMAND_SET_DIRECT_SAMPLING, mode, error);
}

gboolean
fer_receiver_set_offset_tuning (FerReceiver *receiver, gboolean on, GError **error)
{
  return push_mode_command (receiver, receiver->source->ops->set_offset_tuning != NULL,
                            "offset tuning", COMMAND_SET_OFFSET_TUNING, on, error);
}
