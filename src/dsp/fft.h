/* fft.h - power spectrum of complex samples (the spectrum and waterfall).
 *
 * The only module that includes FFTW. Plan creation and destruction are
 * serialised inside (FFTW's planner is not thread-safe); transforms on
 * distinct objects may run on any threads at once.
 *
 * Plans come from FFTW wisdom when there is some for the size (measured
 * plans, made in no time), else from FFTW's estimate. fer_fft_learn ()
 * measures a size once and keeps the wisdom in the user's cache
 * (g_get_user_cache_dir ()/ferrite/fftw-wisdom), which every later start
 * reads, so start-up stays fast and the transforms are the measured ones.
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FER_WINDOW_BLACKMAN_HARRIS,   /* 4 terms: sidelobes 92 dB down (the default) */
  FER_WINDOW_HANN,              /* narrower peaks, sidelobes 31 dB down */
  FER_WINDOW_HAMMING,
  FER_WINDOW_FLAT_TOP,          /* wide peaks whose height is right to 0.01 dB */
  FER_WINDOW_RECTANGULAR,       /* none */
} FerWindow;

#define FER_N_WINDOWS (FER_WINDOW_RECTANGULAR + 1)

const char *fer_window_name (FerWindow window);    /* "blackman-harris", "hann", ... */
gboolean fer_window_parse (const char *name, FerWindow *out);

#define FER_FFT_MIN_SIZE 256
#define FER_FFT_MAX_SIZE 65536

typedef struct _FerFft FerFft;

/* @size: 2^k between FER_FFT_MIN_SIZE and FER_FFT_MAX_SIZE; Blackman-Harris window. */
FerFft *fer_fft_new (guint size);
FerFft *fer_fft_new_full (guint size, FerWindow window);
void fer_fft_free (FerFft *fft);
guint fer_fft_get_size (FerFft *fft);
FerWindow fer_fft_get_window (FerFft *fft);
/* TRUE if the plan came from wisdom (measured), FALSE if estimated. */
gboolean fer_fft_is_measured (FerFft *fft);

/* Windowed FFT of @in (size samples) into @out_db (size values): power per
 * bin in dBFS (a full-scale complex tone at a bin's centre reads 0 dB
 * whatever the size and window), ordered from -rate/2 to +rate/2 (DC in the
 * middle, bin size/2). */
void fer_fft_power_db (FerFft *fft, const float complex *in, float *out_db);
/* The same as linear power (1.0 = 0 dBFS), for averaging before dB. */
void fer_fft_power (FerFft *fft, const float complex *in, float *out_power);

/* 10 log10 (@power) for @n values, vectorised (within 1e-4 dB; at least
 * -200 dB for 0). @power and @out_db may be the same array. */
void fer_power_to_db (const float *power, gsize n, float *out_db);

/* Wisdom. The default path: the user cache dir's ferrite/fftw-wisdom. */
char *fer_fft_dup_wisdom_path (void);
/* Reads wisdom from @path (NULL = the default) unless done already.
 * Missing: FALSE quietly; unreadable or corrupt: FALSE, a debug message,
 * and FFTW carries on without it. */
gboolean fer_fft_load_wisdom (const char *path);
/* Measures plans for @size (a second or so at 65536, once) and writes all
 * wisdom to @path (NULL = the default) atomically: a crash never leaves a
 * half-written file. Blocks: call it from a worker thread. */
gboolean fer_fft_learn (guint size, const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerFft, fer_fft_free)

/* ---- averaging and peak hold ---------------------------------------------- */

typedef struct _FerSpectrum FerSpectrum;

/* Averages successive power spectra of @size bins: exponentially with
 * weight @alpha for the newest (1 = no averaging; 0.1 = about ten frames),
 * in power, not dB (so noise reads its true level). */
FerSpectrum *fer_spectrum_new (guint size);
void fer_spectrum_free (FerSpectrum *sp);
void fer_spectrum_set_averaging (FerSpectrum *sp, double alpha);
/* Peak hold: the highest averaged value per bin, sinking by @decay_db per
 * frame (0 = holds for ever). Off by default. */
void fer_spectrum_set_peak_hold (FerSpectrum *sp, gboolean on, double decay_db);
void fer_spectrum_reset (FerSpectrum *sp);
/* Adds one frame of linear power (as fer_fft_power writes it). */
void fer_spectrum_add (FerSpectrum *sp, const float *power);
/* The averaged spectrum in dB; @peak_db (may be NULL) gets the peak hold
 * (the average itself when peak hold is off). */
void fer_spectrum_get_db (FerSpectrum *sp, float *out_db, float *peak_db);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerSpectrum, fer_spectrum_free)

G_END_DECLS
