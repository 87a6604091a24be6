/* iir.h - audio high-pass and low-pass filters (cascaded biquads).
 *
 * Butterworth (maximally flat) or Chebyshev type I (a steeper skirt for a
 * ripple in the passband), designed from the analogue prototype by the
 * bilinear transform with the corner pre-warped, so the corner lands where
 * it is asked. State and coefficients are double: the poles of a low corner
 * sit close to the unit circle. Frames may hold several interleaved channels.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FER_IIR_LOWPASS,
  FER_IIR_HIGHPASS,
} FerIirKind;

#define FER_IIR_MAX_ORDER 8

typedef struct _FerIir FerIir;

/* A pass-through filter until designed. */
FerIir *fer_iir_new (double rate_hz, guint n_channels);
void fer_iir_free (FerIir *iir);
/* @order: 2, 4, 6 or 8. @ripple_db: 0 = Butterworth (-3 dB at @corner_hz),
 * otherwise Chebyshev I whose passband ripples by that much (centred on
 * 0 dB) and ends at @corner_hz. @corner_hz <= 0 or at/above Nyquist: pass-through. Keeps the
 * state, so small changes do not click. */
void fer_iir_design (FerIir *iir, FerIirKind kind, double corner_hz, guint order,
                     double ripple_db);
/* TRUE if designed as a filter (not pass-through). */
gboolean fer_iir_is_active (FerIir *iir);
void fer_iir_reset (FerIir *iir);
/* Filters @n_frames interleaved frames in place. */
void fer_iir_process (FerIir *iir, float *io, gsize n_frames);
/* Magnitude response at @freq_hz (design check and tests). */
double fer_iir_response (FerIir *iir, double freq_hz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerIir, fer_iir_free)

G_END_DECLS
