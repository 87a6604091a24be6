/* Spectrum blocks: windows, the vectorised dB, averaging, peak hold, and
 * FFTW wisdom kept in the user's cache. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "dsp/fft.h"

static float complex *
tone (guint n, double bin, double amp)
{
  float complex *x = g_new (float complex, n);
  for (guint i = 0; i < n; i++)
    x[i] = (float complex) (amp * cexp (I * 2 * G_PI * bin * i / n));
  return x;
}

static void
test_windows (void)
{
  /* Every window reads a full-scale tone on a bin at 0 dBFS; half-way
   * between bins, the flat-top still reads it within 0.05 dB, where Hann
   * loses 1.4 dB. */
  const guint n = 4096;
  for (FerWindow w = 0; w < FER_N_WINDOWS; w++)
    {
      FerWindow back;
      g_assert_true (fer_window_parse (fer_window_name (w), &back));
      g_assert_cmpint (back, ==, w);
      g_autoptr (FerFft) fft = fer_fft_new_full (n, w);
      g_assert_cmpint (fer_fft_get_window (fft), ==, w);
      g_autofree float *db = g_new (float, n);
      g_autofree float complex *on = tone (n, 300, 1.0);
      fer_fft_power_db (fft, on, db);
      g_assert_cmpfloat_with_epsilon (db[n / 2 + 300], 0, 0.01);
      g_autofree float complex *off = tone (n, 300.5, 1.0);
      fer_fft_power_db (fft, off, db);
      double top = MAX (db[n / 2 + 300], db[n / 2 + 301]);
      g_test_message ("%s: half a bin off reads %.3f dB", fer_window_name (w), top);
      if (w == FER_WINDOW_FLAT_TOP)
        g_assert_cmpfloat (fabs (top), <, 0.05);
      if (w == FER_WINDOW_HANN)
        g_assert_cmpfloat_with_epsilon (top, -1.42, 0.05);
    }
  g_assert_false (fer_window_parse ("kaiser", NULL));
}

static void
test_db_conversion (void)
{
  /* The vectorised dB against libm over 24 decades, and 0 -> -200 dB. */
  const gsize n = 100000;
  g_autofree float *p = g_new (float, n);
  g_autofree float *db = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    p[i] = (float) pow (10, -20 + 24.0 * i / n);
  fer_power_to_db (p, n, db);
  double worst = 0;
  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabs (db[i] - 10 * log10 (p[i])));
  g_test_message ("largest dB error %.2e", worst);
  g_assert_cmpfloat (worst, <, 1e-4);
  float zero = 0;
  fer_power_to_db (&zero, 1, &zero);
  g_assert_cmpfloat_with_epsilon (zero, -200.0, 1e-3);
  /* In place gives the same. */
  g_autofree float *q = g_memdup2 (p, n * sizeof (float));
  fer_power_to_db (q, n, q);
  g_assert_cmpmem (q, n * sizeof (float), db, n * sizeof (float));
}

static void
test_averaging (void)
{
  /* Noise frames: averaging over ~10 frames (alpha 0.1) shrinks the spread
   * of a bin's reading about four times and keeps its mean power. */
  const guint n = 1024, frames = 400;
  g_autoptr (FerFft) fft = fer_fft_new (n);
  g_autoptr (FerSpectrum) raw = fer_spectrum_new (n);
  g_autoptr (FerSpectrum) avg = fer_spectrum_new (n);
  fer_spectrum_set_averaging (avg, 0.1);
  g_autofree float complex *x = g_new (float complex, n);
  g_autofree float *p = g_new (float, n), *a = g_new (float, n), *b = g_new (float, n);
  GRand *r = g_rand_new_with_seed (9);
  double s_raw = 0, s2_raw = 0, s_avg = 0, s2_avg = 0, mean_lin = 0;
  guint count = 0;
  for (guint f = 0; f < frames; f++)
    {
      for (guint i = 0; i < n; i++)
        x[i] = (float) g_rand_double_range (r, -0.01, 0.01)
               + I * (float) g_rand_double_range (r, -0.01, 0.01);
      fer_fft_power (fft, x, p);
      fer_spectrum_add (raw, p);
      fer_spectrum_add (avg, p);
      fer_spectrum_get_db (raw, a, NULL);
      fer_spectrum_get_db (avg, b, NULL);
      if (f < 50)
        continue;
      for (guint i = 100; i < n - 100; i += 7)
        {
          s_raw += a[i];
          s2_raw += a[i] * a[i];
          s_avg += b[i];
          s2_avg += b[i] * b[i];
          mean_lin += pow (10, b[i] / 10);
          count++;
        }
    }
  g_rand_free (r);
  double sd_raw = sqrt (s2_raw / count - pow (s_raw / count, 2));
  double sd_avg = sqrt (s2_avg / count - pow (s_avg / count, 2));
  /* Uniform noise of +-0.01 per part: power 2 * 0.01^2 / 3 per sample,
   * spread over the window's noise bandwidth (2.0 bins for Blackman-Harris). */
  double expect = 10 * log10 (2 * 1e-4 / 3 * 2.004 / n);
  g_test_message ("spread per bin: %.2f dB raw, %.2f dB averaged; mean %.2f dB (expect %.2f)",
                  sd_raw, sd_avg, 10 * log10 (mean_lin / count), expect);
  g_assert_cmpfloat (sd_avg, <, sd_raw / 3);
  g_assert_cmpfloat_with_epsilon (10 * log10 (mean_lin / count), expect, 0.3);
}

static void
test_peak_hold (void)
{
  /* A tone heard once stays in the peak hold, sinking by the decay a frame. */
  const guint n = 1024;
  g_autoptr (FerFft) fft = fer_fft_new (n);
  g_autoptr (FerSpectrum) sp = fer_spectrum_new (n);
  fer_spectrum_set_peak_hold (sp, TRUE, 0.5);
  g_autofree float complex *loud = tone (n, 100, 0.5);
  g_autofree float complex *quiet = tone (n, 100, 0.005);
  g_autofree float *p = g_new (float, n), *db = g_new (float, n), *peak = g_new (float, n);
  fer_fft_power (fft, loud, p);
  fer_spectrum_add (sp, p);
  fer_spectrum_get_db (sp, db, peak);
  g_assert_cmpfloat_with_epsilon (peak[n / 2 + 100], -6.02, 0.01);
  for (int f = 0; f < 10; f++)
    {
      fer_fft_power (fft, quiet, p);
      fer_spectrum_add (sp, p);
      fer_spectrum_get_db (sp, db, peak);
    }
  g_test_message ("now %.2f dB, held %.2f dB", db[n / 2 + 100], peak[n / 2 + 100]);
  g_assert_cmpfloat_with_epsilon (db[n / 2 + 100], -46.02, 0.01);
  g_assert_cmpfloat_with_epsilon (peak[n / 2 + 100], -6.02 - 10 * 0.5, 0.01);
  /* Off: the peak output is the average. */
  fer_spectrum_set_peak_hold (sp, FALSE, 0);
  fer_spectrum_get_db (sp, db, peak);
  g_assert_cmpmem (db, n * sizeof (float), peak, n * sizeof (float));
}

static void
test_wisdom_cached (void)
{
  /* Learning writes the wisdom under the cache dir (whole: no temporary
   * left beside it); plans made after it are measured ones. A corrupt
   * file is ignored and FFTs still work. */
  g_autofree char *dir = g_dir_make_tmp ("ferrite-wisdom-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ferrite", "fftw-wisdom", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (fer_fft_learn (1024, path, &error));
  g_assert_no_error (error);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "fftw"));
  g_autofree char *sub = g_path_get_dirname (path);
  g_autoptr (GDir) d = g_dir_open (sub, 0, NULL);
  guint n_files = 0;
  while (g_dir_read_name (d))
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
  g_assert_true (fer_fft_load_wisdom (path));
  g_autoptr (FerFft) fft = fer_fft_new (1024);
  g_assert_true (fer_fft_is_measured (fft));

  g_autofree char *bad = g_build_filename (dir, "corrupt", NULL);
  g_assert_true (g_file_set_contents (bad, "(fftw-3.3.10 fftwf_wisdom #x garbage", -1, NULL));
  g_assert_false (fer_fft_load_wisdom (bad));
  g_autofree char *missing = g_build_filename (dir, "none", NULL);
  g_assert_false (fer_fft_load_wisdom (missing));
  g_autoptr (FerFft) still = fer_fft_new (2048);
  g_autofree float complex *x = tone (2048, 10, 1.0);
  g_autofree float *db = g_new (float, 2048);
  fer_fft_power_db (still, x, db);
  g_assert_cmpfloat_with_epsilon (db[1024 + 10], 0, 0.01);

  g_unlink (path);
  g_unlink (bad);
  g_rmdir (sub);
  g_rmdir (dir);
}

static void
test_default_wisdom_path (void)
{
  g_autofree char *p = fer_fft_dup_wisdom_path ();
  g_autofree char *want = g_build_filename (g_get_user_cache_dir (), "ferrite", "fftw-wisdom",
                                            NULL);
  g_assert_cmpstr (p, ==, want);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/spectrum/windows", test_windows);
  g_test_add_func ("/dsp/spectrum/db-conversion", test_db_conversion);
  g_test_add_func ("/dsp/spectrum/averaging", test_averaging);
  g_test_add_func ("/dsp/spectrum/peak-hold", test_peak_hold);
  g_test_add_func ("/dsp/spectrum/wisdom-cached", test_wisdom_cached);
  g_test_add_func ("/dsp/spectrum/default-wisdom-path", test_default_wisdom_path);
  return g_test_run ();
}
