/* channel.h - one receiver channel (VFO): IQ at the source rate in, audio out.
 *
 * The chain: shift the wanted signal to 0 Hz, filter and decimate to the
 * channel rate, demodulate, filter and resample to the audio rate. A pure
 * block: no threads, no locks, no allocation in process; the output is the
 * same whether input arrives whole or in chunks.
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FER_MODE_WFM,   /* broadcast FM, mono */
} FerMode;

const char *fer_mode_name (FerMode mode);           /* "wfm" */
gboolean fer_mode_parse (const char *name, FerMode *out);

typedef struct _FerChannel FerChannel;

/* @in_rate_hz: source sample rate (225 kHz .. 3.2 MHz).
 * @offset_hz: signal frequency relative to the source centre (|offset| < in_rate/2).
 * @audio_rate_hz: output rate (48000 normally).
 * Returns NULL if the rates cannot work together (e.g. the input is too
 * narrow for the mode). */
FerChannel *fer_channel_new (double in_rate_hz, FerMode mode, double offset_hz,
                             double audio_rate_hz);
void fer_channel_free (FerChannel *ch);

void fer_channel_set_offset (FerChannel *ch, double offset_hz);
double fer_channel_get_offset (FerChannel *ch);
FerMode fer_channel_get_mode (FerChannel *ch);
/* Audio bandwidth of the passband the mode uses around the carrier, in Hz (for drawing). */
double fer_channel_get_bandwidth (FerChannel *ch);

/* Upper bound on the audio frames process () writes for @n_in input samples. */
gsize fer_channel_max_out (FerChannel *ch, gsize n_in);
/* Processes @n_in samples; writes mono audio frames (about -1..1) to @out,
 * returns how many. */
gsize fer_channel_process (FerChannel *ch, const float complex *in, gsize n_in, float *out);
/* Forgets all history (filters, phase) as after new (). */
void fer_channel_reset (FerChannel *ch);

/* Additions beyond the chain's core API. */

/* De-emphasis time constant for FM modes (50e-6 by default; 75e-6 in the
 * Americas; 0 turns it off). Takes effect at once, without a click. */
void fer_channel_set_deemphasis (FerChannel *ch, double tau_s);
double fer_channel_get_deemphasis (FerChannel *ch);
/* Rate the demodulator runs at, after decimation (e.g. 300000 for 2.4 MS/s). */
double fer_channel_get_channel_rate (FerChannel *ch);
double fer_channel_get_in_rate (FerChannel *ch);
double fer_channel_get_audio_rate (FerChannel *ch);

/* process () is these three steps in turn, exposed for measuring each step
 * (bench-dsp) and for modes that need the channel-rate signals:
 * shift and decimate (@n_in source samples -> channel-rate IQ), demodulate
 * (channel-rate IQ -> baseband audio at the channel rate, de-emphasised),
 * resample (channel-rate audio -> audio rate). */
gsize fer_channel_max_channel_samples (FerChannel *ch, gsize n_in);
gsize fer_channel_shift_decimate (FerChannel *ch, const float complex *in, gsize n_in,
                                  float complex *out);
gsize fer_channel_demodulate (FerChannel *ch, const float complex *in, gsize n, float *out);
gsize fer_channel_resample (FerChannel *ch, const float *in, gsize n, float *out);
/* One line saying how the chain is built (stages, rates, taps); g_free it. */
gchar *fer_channel_dup_description (FerChannel *ch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerChannel, fer_channel_free)

G_END_DECLS
