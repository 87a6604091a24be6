/* fft.h - power spectrum of complex samples (the spectrum and waterfall).
 *
 * The only module that includes FFTW. Plan creation and destruction are
 * serialised inside (FFTW's planner is not thread-safe); fer_fft_power_db ()
 * on distinct objects may run on any threads at once.
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerFft FerFft;

/* @size: 2^k between 256 and 65536. A Blackman-Harris window is applied. */
FerFft *fer_fft_new (guint size);
void fer_fft_free (FerFft *fft);
guint fer_fft_get_size (FerFft *fft);

/* Windowed FFT of @in (size samples) into @out_db (size values): power per
 * bin in dBFS (a full-scale complex tone reads 0 dB whatever the size and
 * window), ordered from -rate/2 to +rate/2 (DC in the middle, bin size/2). */
void fer_fft_power_db (FerFft *fft, const float complex *in, float *out_db);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerFft, fer_fft_free)

G_END_DECLS
