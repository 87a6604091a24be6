/* channel-private.h - what the files of FerChannel share (private to channel*.c).
 *
 * A channel is process ()'s three steps, one file each, around a facade:
 *   channel-decimate.c  shift and decimate: source-rate IQ -> channel-rate IQ,
 *                       the narrow modes' channel filter and noise probe included;
 *   channel-demod.c     demodulate: channel-rate IQ -> planar streams, with the
 *                       meters and the squelch;
 *   channel-audio.c     resample and condition: streams -> interleaved frames at
 *                       the output rate (AGC, high-/low-pass);
 *   channel-modes.c     the mode table and the mode queries of channel.h;
 *   channel.c           the facade: lifecycle, settings that span steps, process ().
 * Each step has _init (called once by fer_channel_new_full (), in that order),
 * _free and _reset for the members it owns.
 */
#pragma once

#include "channel.h"

#include "am.h"
#include "channel-plan.h"
#include "fir.h"
#include "fm.h"
#include "iir.h"
#include "nco.h"
#include "resampler.h"
#include "stereo.h"

G_BEGIN_DECLS

/* How each mode is built.
 *
 * Wide modes (wfm, wfm-stereo, raw) make their last decimation stage the
 * channel filter. Narrow modes decimate to a channel rate a few times their
 * widest bandwidth, then run a channel filter there whose length is fixed
 * by the mode's transition width, so a new bandwidth is only new taps. The
 * decimators' passband leaves room beyond the widest channel filter for a
 * noise probe (a band-pass beside the channel) that the SNR meter of the
 * non-FM modes reads. */
typedef enum {
  FER_DEMOD_FM,
  FER_DEMOD_AM,
  FER_DEMOD_LINEAR,     /* shift by the BFO/sideband offset, take the real part */
  FER_DEMOD_NONE,       /* raw */
} FerDemodKind;

typedef struct {
  const char *name;
  const char *label;
  FerDemodKind demod;
  gboolean wide;
  guint n_channels;
  double bw_default, bw_min, bw_max;
  double rate_min, rate_max;     /* channel rate; raw derives it from the bandwidth */
  double transition_hz;          /* narrow: channel filter transition width */
  double probe_hz;               /* narrow non-FM: width of the noise probe on each side */
  double deemph_s;
  double highpass_hz, lowpass_hz;
  gboolean agc;
} FerModeInfo;

#define SSB_LOW_HZ 100.0         /* a sideband's inner edge */
#define CW_PITCH_HZ 700.0
/* The noise probe only feeds a meter: one output in four is plenty, and
 * costs a quarter. */
#define PROBE_DECIM 4
#define MAX_STREAMS 2

/* Source samples per pass through the chain: every intermediate buffer
 * stays in the first-level cache. */
#define BLOCK 2048

struct _FerChannel {
  FerMode mode;
  const FerModeInfo *info;
  double in_rate_hz;
  double audio_rate_hz;
  double channel_rate_hz;
  double offset_hz;
  double bandwidth_hz;
  double shift_hz;              /* added to the offset before decimating (a sideband's centre) */
  double pass_hz;               /* decimation passband, each side */
  double cw_pitch_hz;

  /* Shift and decimate. The source-rate oscillator is held to frequencies
   * whose table repeats (one complex product per sample); the remainder,
   * under rate / 2048, is shifted at the channel rate. */
  FerNco *coarse;               /* owned; source rate */
  FerNco *fine;                 /* owned; channel rate; NULL without decimation */
  guint decim;                  /* total */
  guint n_stages;
  FerFir *stages[FER_PLAN_MAX_STAGES];          /* owned */
  float complex *scratch[FER_PLAN_MAX_STAGES];  /* owned; input of stage i */
  double delay_in;              /* group delay of the stages, in source samples */
  guint64 n_in_total;           /* source samples shifted since reset */
  guint64 n_ch_total;           /* channel samples out since reset */
  gboolean fine_pending;        /* a residual to switch to once the chain has caught up */
  guint64 fine_switch_at;       /* channel sample index for it */
  double fine_next_freq;

  /* Narrow modes: channel filter and noise probe, at the channel rate. */
  FerFir *chan_fir;             /* owned, may be NULL */
  guint chan_n_taps;
  double chan_noise_bw;         /* rate * sum h^2: the filter's noise bandwidth, Hz */
  FerFir *probe_fir;            /* owned, may be NULL; decimates by PROBE_DECIM */
  double probe_noise_bw;
  float complex *chan_in;       /* owned; the channel filter's input */
  float complex *probe_out;     /* owned; the probe's outputs for the current block */
  gsize probe_n, probe_pos;     /* outputs there, and how many the meters took */
  guint64 probe_base;           /* outputs before this block: output k sees channel sample 4k */
  guint64 block_start;          /* channel samples filtered before this block */
  guint64 filt_total;           /* channel samples filtered so far */

  /* Demodulate. */
  FerFmDemod *fm;               /* owned, may be NULL */
  FerDeemph *deemph[MAX_STREAMS];  /* owned, may be NULL */
  double deemph_s;
  FerStereo *stereo;            /* owned, may be NULL */
  FerAmDemod *am;               /* owned, may be NULL */
  FerNco *bfo;                  /* owned, may be NULL: linear modes' shift to audio */
  float complex *lin_buf;       /* owned */
  FerMpxFunc mpx_func;
  gpointer mpx_data;

  /* Meters and squelch, in windows of meter_window channel samples. */
  guint meter_window;
  guint meter_fill;
  double acc_p2, acc_p4, acc_probe;
  guint n_probe;                /* probe outputs in acc_probe */
  double avg_p2, avg_p4, avg_probe;   /* smoothed */
  double meter_alpha;
  gboolean meter_primed;
  guint n_windows;              /* windows since priming */
  double level_dbfs, snr_db;
  FerSquelchMode squelch_mode;
  double squelch_db;
  gboolean squelch_open;
  float squelch_gain;
  float squelch_step;           /* per channel sample */

  /* Resample, then condition at the audio rate. */
  guint n_streams;
  FerResampler *audio_decim[MAX_STREAMS];  /* owned, may be NULL */
  FerResampler *audio_rs[MAX_STREAMS];     /* owned, may be NULL (rates equal) */
  guint audio_decim_factor;
  float *audio_scratch;         /* owned */
  float *stream_out[MAX_STREAMS];  /* owned; resampled streams */
  FerAgc *agc;                  /* owned */
  FerAgcMode agc_mode;
  FerIir *highpass;             /* owned */
  FerIir *lowpass;              /* owned */
  double highpass_hz, lowpass_hz;

  /* process () buffers, for BLOCK source samples. */
  gsize ch_cap;
  float complex *ch_buf;        /* owned */
  float *demod_buf;             /* owned; MAX_STREAMS * ch_cap */
};

/* channel-modes.c */
const FerModeInfo *fer_mode_info (FerMode mode);
/* Offset of the passband's centre from the carrier. */
double fer_channel_passband_centre (const FerChannel *ch);
/* The audio the linear modes hear a component at 0 Hz of the filtered,
 * centred signal at. */
double fer_channel_bfo_hz (const FerChannel *ch);

/* channel-decimate.c. init plans the decimation for the mode and
 * bandwidth, which sets the channel rate; FALSE if none works. */
gboolean fer_channel_decimate_init (FerChannel *ch);
void fer_channel_decimate_free (FerChannel *ch);
void fer_channel_decimate_reset (FerChannel *ch);
/* Moves the oscillators to offset + shift, keeping their phases. */
void fer_channel_retune (FerChannel *ch);
/* Wide modes: redesigns the decimation for @bandwidth_hz (already clamped
 * to the mode's range); the channel rate stays. */
void fer_channel_set_wide_bandwidth (FerChannel *ch, double bandwidth_hz);
/* Narrow modes: new channel filter taps for ch->bandwidth_hz. */
void fer_channel_design_channel_filter (FerChannel *ch);
/* At most BLOCK source samples -> channel samples, channel filter included. */
gsize fer_channel_decimate_block (FerChannel *ch, const float complex *in, gsize n_in,
                                  float complex *out);

/* channel-demod.c */
void fer_channel_demod_init (FerChannel *ch);
void fer_channel_demod_free (FerChannel *ch);
void fer_channel_demod_reset (FerChannel *ch);
/* Follows a new bandwidth or CW pitch. */
void fer_channel_update_bfo (FerChannel *ch);
/* Demodulates @n channel samples into planar streams (stride @n), running
 * the meters and the squelch on the way. @have_probe: the noise probe's
 * output corresponds to @in (fer_channel_decimate_block () leaves it so). */
gsize fer_channel_demod_block (FerChannel *ch, const float complex *in, gsize n, float *out,
                               gboolean have_probe);

/* channel-audio.c */
void fer_channel_audio_init (FerChannel *ch);
void fer_channel_audio_free (FerChannel *ch);
void fer_channel_audio_reset (FerChannel *ch);
/* Resamples, matrixes and conditions @n channel-rate values per stream
 * (stream s at in + s * stride), at most ch_cap of them; writes interleaved
 * frames. */
gsize fer_channel_audio_block (FerChannel *ch, const float *in, gsize stride, gsize n,
                               float *out);

G_END_DECLS
