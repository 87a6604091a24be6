#define G_LOG_DOMAIN "fer-dsp"

/* complex.h first: fftwf_complex is then the C99 float complex. */
#include <complex.h>
#include <fftw3.h>
#include <math.h>

#include "fft.h"

/* FFTW's planner keeps global state (wisdom, twiddle caches): only
 * fftwf_execute* may run on several threads at once. Spectrum objects are
 * made and freed from the UI and the DSP thread alike, so every planner call
 * (and, as FFTW documents, every other non-execute call) holds this lock.
 * Transforms never take it. */
static GRecMutex planner_lock;  /* pthread-based: visible to ThreadSanitizer */

struct _FerFft {
  guint size;
  float *window;          /* owned; Blackman-Harris, size values */
  float norm;             /* 1 / (sum of window)^2: a full-scale tone at a bin centre reads 1 */
  fftwf_complex *buf;     /* owned (fftwf_malloc); transformed in place */
  float *power;           /* owned; dB per bin in FFT order */
  fftwf_plan plan;        /* owned */
};

FerFft *
fer_fft_new (guint size)
{
  g_return_val_if_fail (size >= 256 && size <= 65536 && (size & (size - 1)) == 0, NULL);

  FerFft *fft = g_new0 (FerFft, 1);
  fft->size = size;
  fft->window = g_new (float, size);
  fft->power = g_new (float, size);

  /* 4-term Blackman-Harris, periodic form (the DFT sees one period):
   * sidelobes 92 dB down. */
  const double a0 = 0.35875, a1 = 0.48829, a2 = 0.14128, a3 = 0.01168;
  double sum = 0;
  for (guint n = 0; n < size; n++)
    {
      double x = 2 * G_PI * n / size;
      double w = a0 - a1 * cos (x) + a2 * cos (2 * x) - a3 * cos (3 * x);
      fft->window[n] = (float) w;
      sum += w;
    }
  fft->norm = (float) (1.0 / (sum * sum));

  g_rec_mutex_lock (&planner_lock);
  fft->buf = fftwf_alloc_complex (size);
  /* ESTIMATE: planning takes well under a millisecond even at 65536, where
   * MEASURE would stall the caller for seconds; the difference in speed is small. */
  fft->plan = fftwf_plan_dft_1d ((int) size, fft->buf, fft->buf, FFTW_FORWARD, FFTW_ESTIMATE);
  g_rec_mutex_unlock (&planner_lock);
  return fft;
}

void
fer_fft_free (FerFft *fft)
{
  if (fft == NULL)
    return;
  g_rec_mutex_lock (&planner_lock);
  fftwf_destroy_plan (fft->plan);
  fftwf_free (fft->buf);
  g_rec_mutex_unlock (&planner_lock);
  g_free (fft->window);
  g_free (fft->power);
  g_free (fft);
}

guint
fer_fft_get_size (FerFft *fft)
{
  return fft->size;
}

/* log2 (1 + m) = m P (m) on [0, 1): a near-minimax fit, 1.5e-5 at most
 * (5e-5 dB). Written with selects and bit moves only, so it vectorises,
 * unlike log10f (). */
#define LOG2_C0 1.441965730e+00f
#define LOG2_C1 -7.096642843e-01f
#define LOG2_C2 4.176012438e-01f
#define LOG2_C3 -1.962773312e-01f
#define LOG2_C4 4.638899375e-02f
#define DB_PER_LOG2 3.0102999566398120f   /* 10 log10 (2) */
#define POWER_FLOOR 1e-20f                /* -200 dB: keeps log finite for silence */

static inline float
power_db (float p)
{
  union { float f; guint32 u; } v = { p > POWER_FLOOR ? p : POWER_FLOOR };
  float e = (float) ((gint32) (v.u >> 23) - 127);
  v.u = (v.u & 0x7fffffu) | 0x3f800000u;
  float m = v.f - 1.0f;
  float poly = (((LOG2_C4 * m + LOG2_C3) * m + LOG2_C2) * m + LOG2_C1) * m + LOG2_C0;
  return DB_PER_LOG2 * (e + m * poly);
}

static void
bins_to_db (const float complex *restrict x, gsize n, float norm, float *restrict out)
{
  for (gsize k = 0; k < n; k++)
    {
      float re = crealf (x[k]), im = cimagf (x[k]);
      out[k] = power_db ((re * re + im * im) * norm);
    }
}

void
fer_fft_power_db (FerFft *fft, const float complex *in, float *out_db)
{
  g_return_if_fail (fft != NULL);
  const guint n = fft->size, half = n / 2;
  float complex *restrict buf = fft->buf;
  const float *restrict w = fft->window;
  for (guint i = 0; i < n; i++)
    buf[i] = in[i] * w[i];
  fftwf_execute (fft->plan);
  /* FFT order is 0 .. +rate/2, then -rate/2 .. 0: swap the halves. */
  bins_to_db (buf, half, fft->norm, out_db + half);
  bins_to_db (buf + half, half, fft->norm, out_db);
}
