/* fm.h - FM discriminator and de-emphasis.
 *
 * FerFmDemod turns complex baseband into the instantaneous frequency: the
 * angle between consecutive samples, arg (x[n] conj (x[n-1])), scaled so that
 * a deviation of @deviation_hz reads 1.0. FerDeemph is the broadcast
 * de-emphasis, the one-pole low-pass 1 / (1 + j w tau).
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerFmDemod FerFmDemod;

FerFmDemod *fer_fm_demod_new (double rate_hz, double deviation_hz);
void fer_fm_demod_free (FerFmDemod *demod);
void fer_fm_demod_reset (FerFmDemod *demod);
/* Writes @n values to @out (one per input sample) and returns @n. */
gsize fer_fm_demod_process (FerFmDemod *demod, const float complex *in, gsize n, float *out);

/* atan2 (@y, @x) by a polynomial, within 2e-6 rad; 0 for (0, 0). */
float fer_fast_atan2f (float y, float x);

typedef struct _FerDeemph FerDeemph;

/* @tau_s: time constant (50e-6 in Europe, 75e-6 in the Americas); 0 turns it off. */
FerDeemph *fer_deemph_new (double rate_hz, double tau_s);
void fer_deemph_free (FerDeemph *deemph);
/* Keeps the filter state (no click when switching 50 <-> 75 us). */
void fer_deemph_set_tau (FerDeemph *deemph, double tau_s);
double fer_deemph_get_tau (FerDeemph *deemph);
void fer_deemph_reset (FerDeemph *deemph);
/* Filters @n samples; @in may equal @out. */
void fer_deemph_process (FerDeemph *deemph, const float *in, gsize n, float *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerFmDemod, fer_fm_demod_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerDeemph, fer_deemph_free)

G_END_DECLS
