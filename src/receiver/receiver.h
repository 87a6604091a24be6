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
  /* Stop after this many seconds of signal (samples / rate); 0 = run on. */
  double max_seconds;
  double volume;            /* 0..2, 1 = unity; ignored for files */
} FerReceiverOptions;

#define FER_RECEIVER_NO_AUDIO "<none>"

void fer_receiver_options_init (FerReceiverOptions *options);

typedef enum {
  FER_RECEIVER_EVENT_FINISHED,     /* max_seconds reached or the source ended cleanly */
  FER_RECEIVER_EVENT_SOURCE_ERROR, /* the source stopped with an error (message says why) */
  FER_RECEIVER_EVENT_AUDIO,        /* the audio output's state changed (message says how) */
  FER_RECEIVER_EVENT_TUNED,        /* frequency or centre changed */
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
void fer_receiver_set_volume (FerReceiver *receiver, double volume);
void fer_receiver_set_mode (FerReceiver *receiver, FerMode mode);

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
} FerReceiverStats;

void fer_receiver_get_stats (FerReceiver *receiver, FerReceiverStats *stats);

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
guint fer_receiver_get_fft_size (FerReceiver *receiver);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerReceiver, fer_receiver_free)

G_END_DECLS
