/* am.h - AM detectors: envelope, synchronous, and Costas for DSB.
 *
 * Envelope: |x|, the carrier (a slow average) taken off. Synchronous: a
 * carrier loop (a frequency-locked loop pulls in up to a couple of kHz, a
 * phase-locked loop then holds the phase) turns the signal so the carrier
 * lies on the real axis; the real part is carrier plus audio, and stays so
 * when fading takes the carrier down below the sidebands, where the
 * envelope folds over and distorts. Output is in input units (a 50 %
 * modulated carrier of amplitude a gives audio peaks of a / 2); the AGC
 * after it sets the level. Costas: the same loop on the signal squared,
 * for double sideband with the carrier suppressed (the phase is then known
 * but for a sign, which the ear does not hear).
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FER_AM_ENVELOPE,
  FER_AM_SYNCHRONOUS,
  FER_AM_COSTAS,
} FerAmDetector;

typedef struct _FerAmDemod FerAmDemod;

FerAmDemod *fer_am_demod_new (double rate_hz, FerAmDetector detector);
void fer_am_demod_free (FerAmDemod *am);
void fer_am_demod_reset (FerAmDemod *am);
/* Writes @n audio samples to @out. */
void fer_am_demod_process (FerAmDemod *am, const float complex *in, gsize n, float *out);
/* Synchronous and Costas: TRUE while the loop holds the carrier's phase. */
gboolean fer_am_demod_is_locked (FerAmDemod *am);
/* Synchronous and Costas: the carrier's offset from the tuned frequency, Hz. */
double fer_am_demod_get_carrier_offset (FerAmDemod *am);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerAmDemod, fer_am_demod_free)

G_END_DECLS
