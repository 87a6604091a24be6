/* synth.h - test signals for the demodulators, made in double precision.
 *
 * Modulation is a sum of sine terms, so an FM phase is its exact integral
 * and a stereo multiplex (sum, pilot, subcarrier products) is exact too.
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

/* a sin (2 pi f t + phase) */
typedef struct {
  double amplitude;
  double freq_hz;
  double phase;
} SynthTerm;

#define SYNTH_MAX_TERMS 32

typedef struct {
  guint n;
  SynthTerm t[SYNTH_MAX_TERMS];
} SynthSignal;

void synth_add_term (SynthSignal *s, double amplitude, double freq_hz, double phase);
/* The broadcast multiplex for left and right audio (each in units of full
 * deviation): (L+R)/2 + (L-R)/2 sin (2 pilot) + @pilot sin (pilot), the
 * subcarrier products written out as terms. @pilot 0 leaves it mono. */
void synth_stereo_mpx (SynthSignal *mpx, const SynthSignal *left, const SynthSignal *right,
                       double pilot);
/* The 50/75 us pre-emphasis a transmitter applies: each term scaled and
 * turned by 1 + j w tau, so the receiver's de-emphasis gives it back. */
void synth_preemphasise (SynthSignal *s, double tau_s);
double synth_value (const SynthSignal *s, double t);

/* Adds an FM carrier: amplitude @amplitude at @offset_hz, deviation
 * @deviation_hz per unit of @mod. */
void synth_add_fm (double complex *x, gsize n, double rate_hz, double offset_hz,
                   double amplitude, double deviation_hz, const SynthSignal *mod);
/* Adds AM: (carrier + sum of terms) e^{j 2 pi offset t}; the carrier gain may
 * follow @carrier_gain (NULL = 1) to make a selective fade. */
void synth_add_am (double complex *x, gsize n, double rate_hz, double offset_hz,
                   double carrier, const SynthSignal *mod,
                   double (*carrier_gain) (double t));
/* Adds single-sideband audio: each term a e^{+-j (2 pi (offset +- f) t + phase)}:
 * @upper TRUE for USB (above the carrier), FALSE for LSB. */
void synth_add_ssb (double complex *x, gsize n, double rate_hz, double offset_hz,
                    const SynthSignal *audio, gboolean upper);
/* Adds complex white Gaussian noise of total power @power (seeded). */
void synth_add_noise (double complex *x, gsize n, double power, guint32 seed);

float complex *synth_to_float (const double complex *x, gsize n);
/* Amplitude of the component at exactly @freq_hz (least squares on sin and cos). */
double synth_component (const float *x, gsize n, gsize stride, double rate_hz, double freq_hz);
/* Copies channel @c of @n interleaved frames of @nc channels. */
float *synth_channel (const float *frames, gsize n, guint nc, guint c);

G_END_DECLS
