/* channel.h - one receiver channel (VFO): IQ at the source rate in, audio out.
 *
 * The chain: shift the wanted signal to 0 Hz, filter and decimate to the
 * channel rate, demodulate, filter and resample to the audio rate, then
 * condition the audio (squelch, AGC, high-/low-pass). A pure block: no
 * threads, no locks, no allocation in process; the output is the same
 * whether input arrives whole or in chunks.
 *
 * Output is interleaved frames of fer_channel_get_n_channels () floats:
 * one (mono) or two (left, right for wfm-stereo; I, Q for raw). Raw mode
 * writes the filtered IQ at the channel rate instead of audio.
 */
#pragma once

#include <complex.h>
#include <glib.h>

#include "agc.h"

G_BEGIN_DECLS

typedef enum {
  FER_MODE_WFM,          /* broadcast FM, mono */
  FER_MODE_WFM_STEREO,   /* broadcast FM, stereo: pilot PLL, blends to mono as the pilot fades */
  FER_MODE_NFM,          /* narrow FM (voice), CTCSS removed */
  FER_MODE_AM,           /* AM, envelope detector */
  FER_MODE_AM_SYNC,      /* AM, synchronous detector (carrier PLL): rides out selective fading */
  FER_MODE_USB,          /* upper sideband */
  FER_MODE_LSB,          /* lower sideband */
  FER_MODE_CW,           /* Morse: a narrow filter on the carrier, heard at the BFO offset */
  FER_MODE_DSB,          /* double sideband, suppressed carrier (both sidebands, coherent) */
  FER_MODE_RAW,          /* no demodulation: IQ at the channel rate */
} FerMode;

#define FER_N_MODES (FER_MODE_RAW + 1)

const char *fer_mode_name (FerMode mode);           /* "wfm", "wfm-stereo", "nfm", ... */
/* A label for people ("Wide FM stereo"). */
const char *fer_mode_label (FerMode mode);
gboolean fer_mode_parse (const char *name, FerMode *out);
/* "wfm, wfm-stereo, nfm, ..." (static string), for help texts and errors. */
const char *fer_mode_list (void);
/* The filter bandwidth a mode starts with and the range it accepts, in Hz
 * (WFM 200 kHz, NFM 12.5 kHz, AM 10 kHz, SSB 2.8 kHz, CW 500 Hz, ...). */
double fer_mode_default_bandwidth (FerMode mode);
void fer_mode_bandwidth_range (FerMode mode, double *min_hz, double *max_hz);
/* De-emphasis the mode starts with: 50e-6 for WFM, 0 for NFM, 0 (none) otherwise. */
double fer_mode_default_deemphasis (FerMode mode);

typedef struct _FerChannel FerChannel;

/* @in_rate_hz: source sample rate.
 * @offset_hz: signal frequency relative to the source centre (|offset| < in_rate/2).
 * @audio_rate_hz: output rate (48000 normally; raw mode outputs at the channel rate).
 * Returns NULL if the rates cannot work together (e.g. the input is too
 * narrow for the mode). The bandwidth starts at the mode's default. */
FerChannel *fer_channel_new (double in_rate_hz, FerMode mode, double offset_hz,
                             double audio_rate_hz);
/* The same with a starting bandwidth (0 = the mode's default). Raw mode
 * picks its channel rate from it (1.25 to 1.6 times the bandwidth), which
 * stays for the channel's life. */
FerChannel *fer_channel_new_full (double in_rate_hz, FerMode mode, double offset_hz,
                                  double audio_rate_hz, double bandwidth_hz);
void fer_channel_free (FerChannel *ch);

void fer_channel_set_offset (FerChannel *ch, double offset_hz);
double fer_channel_get_offset (FerChannel *ch);
FerMode fer_channel_get_mode (FerChannel *ch);

/* Filter bandwidth in Hz, clamped into the mode's range (and what the
 * channel rate allows). For USB/LSB it is the width of the sideband, for CW
 * and the others the width centred on the carrier. Narrow modes change
 * their filter in place, without a click; wfm, wfm-stereo and raw redesign
 * their decimation filters (allocates; a few milliseconds of transient). */
void fer_channel_set_bandwidth (FerChannel *ch, double bandwidth_hz);
double fer_channel_get_bandwidth (FerChannel *ch);
/* The passband relative to the tuned frequency, for drawing the filter:
 * e.g. -100000..100000 for WFM, 100..2900 for USB, -250..250 for CW. */
void fer_channel_get_passband (FerChannel *ch, double *lo_hz, double *hi_hz);

/* Frames the channel writes: interleaved floats per frame (1 or 2). */
guint fer_channel_get_n_channels (FerChannel *ch);
/* Rate of the frames process () writes: the audio rate, or the channel rate in raw mode. */
double fer_channel_get_output_rate (FerChannel *ch);

/* Upper bound on the frames process () writes for @n_in input samples. */
gsize fer_channel_max_out (FerChannel *ch, gsize n_in);
/* Processes @n_in samples; writes interleaved frames (audio about -1..1) to
 * @out and returns how many frames. */
gsize fer_channel_process (FerChannel *ch, const float complex *in, gsize n_in, float *out);
/* Forgets all history (filters, phase, PLLs, meters) as after new (). */
void fer_channel_reset (FerChannel *ch);

/* De-emphasis time constant for FM modes (wfm default 50e-6; 75e-6 in the
 * Americas; 0 turns it off; nfm default 0). Takes effect at once, without a
 * click. Ignored by the other modes. */
void fer_channel_set_deemphasis (FerChannel *ch, double tau_s);
double fer_channel_get_deemphasis (FerChannel *ch);

/* AGC for am, am-sync, usb, lsb, cw and dsb (FM needs none; raw has no audio).
 * Default medium. */
void fer_channel_set_agc (FerChannel *ch, FerAgcMode mode);
FerAgcMode fer_channel_get_agc (FerChannel *ch);

typedef enum {
  FER_SQUELCH_OFF,
  FER_SQUELCH_LEVEL,   /* threshold on the channel power, dBFS */
  FER_SQUELCH_SNR,     /* threshold on the signal-to-noise ratio, dB */
} FerSquelchMode;

/* The squelch opens when the measure rises 0.5 dB above @threshold_db and
 * closes when it falls 0.5 dB below (1 dB of hysteresis), and mutes and
 * unmutes with a 5 ms ramp, so neither makes a click. Default off. */
void fer_channel_set_squelch (FerChannel *ch, FerSquelchMode mode, double threshold_db);

/* Audio high-pass and low-pass corners in Hz (0 = off). Defaults: nfm 300 Hz
 * high-pass (removes CTCSS tones) and 3 kHz low-pass; am 100 Hz high-pass;
 * ssb and dsb 100 Hz high-pass; others off. */
void fer_channel_set_audio_filter (FerChannel *ch, double highpass_hz, double lowpass_hz);
void fer_channel_get_audio_filter (FerChannel *ch, double *highpass_hz, double *lowpass_hz);

/* CW: the pitch a carrier at the tuned frequency is heard at (700 Hz by default). */
void fer_channel_set_cw_pitch (FerChannel *ch, double pitch_hz);

typedef struct {
  double level_dbfs;     /* power in the channel filter, dBFS (a full-scale carrier is 0) */
  double snr_db;         /* signal-to-noise ratio in the channel bandwidth */
  gboolean squelch_open; /* TRUE when the squelch is off */
  /* wfm-stereo only (0 otherwise): */
  gboolean pilot_locked;
  double pilot_snr_db;
  double stereo_blend;   /* 0 = mono .. 1 = full stereo */
} FerChannelMeter;

/* The meters as of the end of the last process () call (smoothed over ~50 ms). */
void fer_channel_get_meter (FerChannel *ch, FerChannelMeter *meter);

/* The FM multiplex tap (wfm and wfm-stereo): @func receives, from inside
 * process () and on its thread, every piece of the discriminator output at
 * the channel rate (fer_channel_get_channel_rate ()), before de-emphasis,
 * in order and without gaps: 1.0 = 75 kHz deviation, so the 19 kHz pilot
 * reads about 0.1 and the 57 kHz RDS subcarrier a few hundredths. @mpx is
 * valid only during the call. NULL stops it. Other modes never call it. */
typedef void (*FerMpxFunc) (const float *mpx, gsize n, gpointer user_data);
void fer_channel_set_mpx_func (FerChannel *ch, FerMpxFunc func, gpointer user_data);

/* Rate the demodulator runs at, after decimation (e.g. 300000 for WFM at 2.4 MS/s). */
double fer_channel_get_channel_rate (FerChannel *ch);
double fer_channel_get_in_rate (FerChannel *ch);
double fer_channel_get_audio_rate (FerChannel *ch);

/* process () is these three steps in turn, exposed for measuring each step
 * (bench-dsp) and for tests:
 * shift and decimate (@n_in source samples -> channel-rate IQ, channel filter
 * included), demodulate (@n channel-rate IQ samples -> n_channels planar
 * streams of @n values each: stream k starts at out + k * n), resample
 * (those streams, same layout -> interleaved frames at the output rate,
 * conditioned). */
gsize fer_channel_max_channel_samples (FerChannel *ch, gsize n_in);
gsize fer_channel_shift_decimate (FerChannel *ch, const float complex *in, gsize n_in,
                                  float complex *out);
gsize fer_channel_demodulate (FerChannel *ch, const float complex *in, gsize n, float *out);
gsize fer_channel_resample (FerChannel *ch, const float *in, gsize n, float *out);
/* One line saying how the chain is built (stages, rates, taps); g_free it. */
gchar *fer_channel_dup_description (FerChannel *ch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerChannel, fer_channel_free)

G_END_DECLS
