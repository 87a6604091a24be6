/* tone.h - measuring a sine tone the way a bench instrument would.
 *
 * A four-parameter sine fit (IEEE 1057): frequency, amplitude, phase and
 * offset are fitted by least squares; what the fit does not explain is noise
 * plus distortion, which gives SINAD. Unlike an FFT, no window leakage limits
 * the figure.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double freq_hz;
  double amplitude;   /* peak */
  double offset;      /* DC */
  double sinad_db;    /* tone power over residual power */
  double rms_residual;
} FerToneFit;

/* Fits a tone to @n samples of @x at @rate_hz. @freq_guess_hz <= 0 means
 * "find it" (from the strongest DFT bin). Returns FALSE if there is no tone
 * (silence, too few samples). */
gboolean fer_tone_fit (const float *x, gsize n, double rate_hz, double freq_guess_hz,
                       FerToneFit *fit);

/* Copies channel @channel of @n_frames interleaved frames of @n_channels. */
float *fer_tone_deinterleave (const float *frames, gsize n_frames, guint n_channels,
                              guint channel);

/* Index of the largest value in @values. */
gsize fer_peak_index (const float *values, gsize n);

G_END_DECLS
