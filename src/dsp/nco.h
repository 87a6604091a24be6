/* nco.h - numerically controlled oscillator: shifts complex samples in frequency.
 *
 * out[n] = in[n] e^{j 2 pi (phi0 + f n)}. The phase is kept in double
 * precision and rebuilt exactly every FER_NCO_TABLE_LEN samples, so it does
 * not drift however long it runs; between those points the oscillator comes
 * from a table, so the mixing loop is a plain vectorisable complex product.
 * A frequency that is a multiple of 1 / FER_NCO_TABLE_LEN makes the table
 * periodic (the cheapest case; see fer_nco_quantize_freq ()).
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

#define FER_NCO_TABLE_LEN 1024

typedef struct _FerNco FerNco;

/* @freq_norm: cycles per sample, in [-0.5, 0.5]. */
FerNco *fer_nco_new (double freq_norm);
void fer_nco_free (FerNco *nco);
/* Changes the frequency from the next sample on, keeping the phase continuous. */
void fer_nco_set_freq (FerNco *nco, double freq_norm);
double fer_nco_get_freq (FerNco *nco);
/* Phase of the next sample, in cycles [0, 1). */
double fer_nco_get_phase (FerNco *nco);
/* Phase back to 0, as after new (). */
void fer_nco_reset (FerNco *nco);
/* Multiplies @n samples by the oscillator. @in may equal @out. */
void fer_nco_mix (FerNco *nco, const float complex *in, gsize n, float complex *out);

/* The frequency nearest @freq_norm whose oscillator table is periodic. */
double fer_nco_quantize_freq (double freq_norm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerNco, fer_nco_free)

G_END_DECLS
