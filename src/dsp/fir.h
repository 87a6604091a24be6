/* fir.h - FIR low-pass design and a decimating FIR for complex samples.
 *
 * Design: Kaiser-windowed sinc, sized from the transition width and the
 * stopband attenuation wanted. All frequencies are normalised to the rate the
 * filter runs at (_norm = cycles per sample, 0.5 = Nyquist).
 *
 * FerFir filters complex samples with real taps and keeps one output in
 * @decim, computing only the kept outputs. A half-band filter decimating by 2
 * (every other tap zero) takes a faster path that skips the zero taps.
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

/* Kaiser window shape for a stopband @atten_db below the passband. */
double fer_kaiser_beta (double atten_db);
/* Taps a Kaiser-windowed low-pass needs for a transition @transition_norm wide
 * and a stopband @atten_db down. */
guint fer_kaiser_n_taps (double transition_norm, double atten_db);

/* Windowed-sinc low-pass of @n_taps taps, -6 dB at @cutoff_norm, DC gain
 * @gain. Returns @n_taps newly allocated taps (g_free). */
float *fer_fir_design_lowpass (guint n_taps, double cutoff_norm, double atten_db, double gain);

/* Half-band low-pass (cut-off at a quarter of the rate, every second tap
 * zero, centre tap 1/2, DC gain 1) whose transition band is
 * @transition_norm wide, centred on 0.25. Stores the length (4k - 1) in
 * @n_taps; returns newly allocated taps (g_free). */
float *fer_fir_design_halfband (double transition_norm, double atten_db, guint *n_taps);

/* Magnitude of the response of @taps at @freq_norm (for tests and design checks). */
double fer_fir_response (const float *taps, guint n_taps, double freq_norm);

typedef struct _FerFir FerFir;

/* y[m] = sum_k taps[k] x[m decim - k]; the taps are copied. */
FerFir *fer_fir_new (const float *taps, guint n_taps, guint decim);
void fer_fir_free (FerFir *fir);
void fer_fir_reset (FerFir *fir);
guint fer_fir_get_decim (FerFir *fir);
guint fer_fir_get_n_taps (FerFir *fir);
/* TRUE if the filter runs on the half-band path. */
gboolean fer_fir_is_halfband (FerFir *fir);
/* Replaces the taps with @taps of the same length, keeping the history, so
 * a filter can change its passband while running without a gap. Not for
 * half-band filters (the new taps must keep the general path). */
void fer_fir_set_taps (FerFir *fir, const float *taps);
/* Upper bound on the outputs process () writes for @n_in inputs. */
gsize fer_fir_max_out (FerFir *fir, gsize n_in);
/* Filters @n_in samples from @in; writes the kept outputs to @out and returns
 * how many. @in and @out must not overlap. */
gsize fer_fir_process (FerFir *fir, const float complex *in, gsize n_in, float complex *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerFir, fer_fir_free)

G_END_DECLS
