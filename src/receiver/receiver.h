/* receiver.h - FerReceiver, the one facade the window and the command line drive.
 *
 * It owns a source, the block pool and queue, the DSP thread (conversion,
 * spectrum frames, the channel) and the audio output (a PortAudio sink or a
 * WAV file). Commands (tune, gain, mode, volume) may come from any thread;
 * they travel on a queue and are applied by the DSP thread between blocks.
 * Events come back on the GMainContext the receiver was created in.
 */
#pragma once

#include <glib.h>

#include "device/source.h"
#include "dsp/channel.h"
#include "dsp/rds.h"
#include "audio/sink.h"

G_BEGIN_DECLS

#define FER_AUDIO_RATE_HZ 48000

typedef struct {
  double freq_hz;           /* the frequency to listen to */
  FerMode mode;
  guint fft_size;           /* 0 = 2048 */
  double frames_per_second; /* spectrum frames; 0 = 30 */
  /* Audio: NULL plays through the sound card; a path writes a WAV file there
   * ("-" = stdout); FER_RECEIVER_NO_AUDIO discards it. */
  const char *audio_path;
  /* The output device, as fer_audio_devices_find () takes it (a name or an
   * index); NULL = the one chosen last time (fer_audio_choice_load), or
   * the default. An explicit device is remembered once it plays; a missing
   * one gives way to the default, with a notice. */
  const char *audio_device;
  /* Stop after this many seconds of signal (samples / rate); 0 = run on. */
  double max_seconds;
  double volume;            /* 0..2, 1 = unity; ignored for files */
  /* The channel (see dsp/channel.h). A wfm-stereo WAV file has two channels
   * (left, right); raw mode writes the channel's IQ as cf32 (interleaved
   * 32-bit floats at the channel rate) to audio_path instead of a WAV. */
  double bandwidth_hz;      /* 0 = the mode's default */
  double deemphasis_s;      /* FM de-emphasis; < 0 = the mode's default (wfm 50 us) */
  FerSquelchMode squelch_mode;
  double squelch_db;        /* dBFS (level) or dB (SNR) */
  FerAgcMode agc;           /* default medium */
} FerReceiverOptions;

#define FER_RECEIVER_NO_AUDIO "<none>"

void fer_receiver_options_init (FerReceiverOptions *options);

typedef enum {
  FER_RECEIVER_EVENT_FINISHED,     /* max_seconds reached or the source ended cleanly */
  FER_RECEIVER_EVENT_SOURCE_ERROR, /* the source stopped with an error (message says why) */
  FER_RECEIVER_EVENT_AUDIO,        /* the audio output's state changed (message says how) */
  FER_RECEIVER_EVENT_TUNED,        /* frequency or centre changed */
  /* The dongle was unplugged, or it is back (stats.device_disconnected says
   * which; message says what happened). An unplugged dongle does not end the
   * stream: the source waits for the same dongle and resumes. */
  FER_RECEIVER_EVENT_DEVICE,
  /* What RDS shows changed (PI, PS, radiotext, ...): fer_receiver_get_rds (). */
  FER_RECEIVER_EVENT_RDS,
} FerReceiverEvent;

typedef struct _FerReceiver FerReceiver;

typedef void (*FerReceiverEventFunc) (FerReceiver *receiver, FerReceiverEvent event,
                                      const char *message, gpointer user_data);

/* Takes @source. Checks the options (frequency inside what the source can
 * reach, ...) and opens the audio output; nothing streams yet. */
FerReceiver *fer_receiver_new (FerSource *source, const FerReceiverOptions *options,
                               GError **error);
void fer_receiver_free (FerReceiver *receiver);
void fer_receiver_set_event_func (FerReceiver *receiver, FerReceiverEventFunc func,
                                  gpointer user_data);

gboolean fer_receiver_start (FerReceiver *receiver, GError **error);
/* Stops the source and the DSP thread; finishes a WAV file. Returns FALSE
 * with @error if the audio file could not be finished. */
gboolean fer_receiver_stop (FerReceiver *receiver, GError **error);

/* Listen to @freq_hz. Inside the sampled band only the channel moves;
 * outside it the source is retuned. FALSE (and nothing changes) when the
 * source cannot reach it. */
gboolean fer_receiver_tune (FerReceiver *receiver, double freq_hz, GError **error);
/* Retune the source's centre, keeping the listened frequency if it stays inside. */
gboolean fer_receiver_set_center (FerReceiver *receiver, double center_hz, GError **error);
/* @gain_db: NAN = automatic. */
gboolean fer_receiver_set_gain (FerReceiver *receiver, double gain_db, GError **error);
/* The source's sample rate (applied between blocks; a rate the source
 * refuses comes back as a SOURCE_ERROR event). FALSE if it has none to set. */
gboolean fer_receiver_set_rate (FerReceiver *receiver, double rate_hz, GError **error);
/* The crystal correction, in parts per million; FALSE if the source has none. */
gboolean fer_receiver_set_ppm (FerReceiver *receiver, int ppm, GError **error);
/* A dongle's extra modes (applied between blocks; a refusal comes back as a
 * SOURCE_ERROR event). FALSE when the source has none of it: see
 * fer_source_get_caps () on fer_receiver_get_source () for what to offer. */
gboolean fer_receiver_set_bias_tee (FerReceiver *receiver, gboolean on, GError **error);
gboolean fer_receiver_set_direct_sampling (FerReceiver *receiver, FerDirectSampling mode,
                                           GError **error);
gboolean fer_receiver_set_offset_tuning (FerReceiver *receiver, gboolean on, GError **error);
void fer_receiver_set_volume (FerReceiver *receiver, double volume);
/* A new mode starts at its default bandwidth. Switching between mono and
 * stereo keeps the audio going: the sound card always gets two channels
 * (mono on both); a WAV file keeps the channel count it was opened with. */
void fer_receiver_set_mode (FerReceiver *receiver, FerMode mode);
/* Channel settings; any thread, applied between blocks. */
void fer_receiver_set_bandwidth (FerReceiver *receiver, double bandwidth_hz);
void fer_receiver_set_deemphasis (FerReceiver *receiver, double tau_s);
void fer_receiver_set_squelch (FerReceiver *receiver, FerSquelchMode mode, double threshold_db);
void fer_receiver_set_agc (FerReceiver *receiver, FerAgcMode agc);
/* Audio high-pass and low-pass corners in Hz (0 = off, < 0 = the mode's
 * default: nfm 300 Hz / 3 kHz, am 100 Hz, ...); a new mode starts at its own. */
void fer_receiver_set_audio_filter (FerReceiver *receiver, double highpass_hz, double lowpass_hz);
/* Impulse noise blanker on the source's IQ (off by default); @threshold_db
 * above the average power counts as an impulse (20 is a good start). */
void fer_receiver_set_noise_blanker (FerReceiver *receiver, gboolean on, double threshold_db);
/* The spectrum always has the dongle's DC spike and IQ mirror images taken
 * out (dsp/frontend.h). The audio path too when @on (off by default: a
 * station tuned exactly to the centre has its own carrier at DC, which the
 * correction would take for the dongle's and distort; tune a little off
 * the centre instead). */
void fer_receiver_set_iq_correction (FerReceiver *receiver, gboolean on);

/* What the signal meter shows, as of the last block; any thread. */
typedef struct {
  double level_dbfs;        /* power in the channel filter */
  double snr_db;            /* signal to noise in the channel bandwidth */
  gboolean squelch_open;    /* TRUE when the squelch is off */
  gboolean pilot_locked;    /* wfm-stereo: a 19 kHz pilot is there */
  double stereo_blend;      /* wfm-stereo: 0 mono .. 1 full stereo */
} FerReceiverSignal;

void fer_receiver_get_signal (FerReceiver *receiver, FerReceiverSignal *signal);
/* The filter's passband relative to the tuned frequency, Hz (for drawing). */
void fer_receiver_get_passband (FerReceiver *receiver, double *lo_hz, double *hi_hz);
double fer_receiver_get_deemphasis (FerReceiver *receiver);
FerSquelchMode fer_receiver_get_squelch (FerReceiver *receiver, double *threshold_db);
FerAgcMode fer_receiver_get_agc (FerReceiver *receiver);

FerSource *fer_receiver_get_source (FerReceiver *receiver);
double fer_receiver_get_freq (FerReceiver *receiver);
double fer_receiver_get_center (FerReceiver *receiver);
double fer_receiver_get_rate (FerReceiver *receiver);
FerMode fer_receiver_get_mode (FerReceiver *receiver);
double fer_receiver_get_bandwidth (FerReceiver *receiver);

typedef struct {
  guint64 n_blocks;          /* blocks processed */
  guint64 n_samples;         /* IQ samples processed */
  guint64 n_dropped;         /* blocks the source dropped (queue full) */
  guint64 n_audio_frames;    /* audio frames produced */
  guint64 n_underruns;       /* sound card asked and the ring was empty */
  guint64 n_overruns;        /* audio frames dropped because the ring was full */
  FerAudioState audio_state;
  gboolean to_file;          /* audio goes to a file, not a sound card */
  /* The sound card's side (0 while nothing plays). */
  double audio_latency_s;    /* from the ring to the speaker: ring + device */
  double audio_ring_s;       /* queued in the ring (smoothed) */
  double audio_device_s;     /* in the device, as it reports */
  double audio_drift_ppm;    /* playback steered this much faster than nominal */
  guint64 n_audio_discarded; /* frames dropped to catch up after the device stalled */
  guint64 n_audio_xruns;     /* the device ran dry: its callback came too late */
  guint n_audio_recoveries;  /* times audio came back by itself after a loss */
  gboolean device_disconnected; /* the dongle is unplugged; waiting for it */
} FerReceiverStats;

void fer_receiver_get_stats (FerReceiver *receiver, FerReceiverStats *stats);

/* What RDS has decoded on the tuned station (wfm and wfm-stereo; all
 * fields empty in other modes and right after a tune), copied out. Any
 * thread; FER_RECEIVER_EVENT_RDS says when it changes. */
void fer_receiver_get_rds (FerReceiver *receiver, FerRdsState *out);

/* Audio output devices, for a device menu: a new GPtrArray of FerAudioDevice
 * as the sink saw them at its last look (it looks again whenever it opens
 * a device, and every few seconds while it has none). Empty when audio goes
 * to a file or the receiver is not started. Main thread; never blocks. */
GPtrArray *fer_receiver_dup_audio_devices (FerReceiver *receiver);
/* The device playing now; NULL when none. */
char *fer_receiver_dup_audio_device (FerReceiver *receiver);
/* Plays on @device (a name or index; NULL = the default output) from now on
 * and remembers it for the next start once it plays. Returns at once; an
 * AUDIO event says how it went. Main thread. */
void fer_receiver_set_audio_device (FerReceiver *receiver, const char *device);

/* The newest spectrum frame, copied out. */
typedef struct {
  guint64 seq;        /* increases with each frame */
  double center_hz;
  double rate_hz;
  guint size;         /* bins in db */
  float *db;          /* caller's buffer of at least fft_size floats; dBFS, low to high freq */
} FerSpectrumFrame;

/* Copies the newest frame into @frame if it is newer than @frame->seq;
 * returns FALSE otherwise. Any thread; never blocks the DSP thread. */
gboolean fer_receiver_get_spectrum (FerReceiver *receiver, FerSpectrumFrame *frame);

/* Spectrum settings, any time (frames of the new size follow within a frame
 * or two). A frame holds at most FER_RECEIVER_MAX_FFT_SIZE bins. */
#define FER_RECEIVER_MIN_FFT_SIZE 256
#define FER_RECEIVER_MAX_FFT_SIZE 65536
guint fer_receiver_get_fft_size (FerReceiver *receiver);
/* @fft_size: a power of two from MIN to MAX. */
void fer_receiver_set_fft_size (FerReceiver *receiver, guint fft_size);
/* Spectrum frames per second, 1..120. */
void fer_receiver_set_frame_rate (FerReceiver *receiver, double frames_per_second);
double fer_receiver_get_frame_rate (FerReceiver *receiver);

/* Taps: others that see what the receiver sees (IQ recorders, the rtl_tcp
 * server, UDP audio). A tap runs on the DSP thread for every block, or every
 * stretch of audio: it must copy what it needs and return at once (no
 * waiting, no I/O, no allocation). Block taps get each block the channel
 * hears, as the source sent it; audio taps the demodulated audio at
 * FER_AUDIO_RATE_HZ, interleaved, 1 or 2 channels (none in raw mode). */
typedef void (*FerReceiverBlockFunc) (const FerBlock *block, gpointer user_data);
typedef void (*FerReceiverAudioFunc) (const float *frames, gsize n_frames, guint n_channels,
                                      gpointer user_data);

/* The thread that starts and stops the receiver; at most 8 taps at a time.
 * Return the tap's id, 0 when there are too many. */
guint fer_receiver_add_block_tap (FerReceiver *receiver, FerReceiverBlockFunc func,
                                  gpointer user_data);
guint fer_receiver_add_audio_tap (FerReceiver *receiver, FerReceiverAudioFunc func,
                                  gpointer user_data);
/* Once this returns the tap is never called again (it waits for the DSP
 * thread to finish the block in hand). */
void fer_receiver_remove_tap (FerReceiver *receiver, guint tap_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerReceiver, fer_receiver_free)

G_END_DECLS
