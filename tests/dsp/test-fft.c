/* The spectrum as the waterfall shows it: a full-scale tone reads 0 dBFS in
 * its bin whatever the size, the window keeps it from smearing, and noise
 * reads where theory puts it. */
#include <math.h>

#include "dsp/fft.h"

static void
fill_tone (float complex *x, guint n, double cycles_per_frame, double amplitude)
{
  for (guint i = 0; i < n; i++)
    x[i] = (float complex) (amplitude * cexp (I * 2 * G_PI * cycles_per_frame * i / n));
}

static void
test_tone_reads_0_dbfs (void)
{
  for (guint size = 256; size <= 65536; size *= 2)
    {
      g_autoptr (FerFft) fft = fer_fft_new (size);
      g_assert_nonnull (fft);
      g_assert_cmpuint (fer_fft_get_size (fft), ==, size);
      g_autofree float complex *x = g_new (float complex, size);
      g_autofree float *db = g_new (float, size);
      const int bins[] = { (int) size / 8 + 3, -(int) size / 5, 0 };
      for (guint b = 0; b < G_N_ELEMENTS (bins); b++)
        {
          int k = bins[b];
          fill_tone (x, size, k, 1.0);
          fer_fft_power_db (fft, x, db);
          guint peak = size / 2 + k;   /* DC in the middle */
          g_assert_cmpfloat_with_epsilon (db[peak], 0.0, 0.1);
          float worst = -INFINITY;
          for (guint j = 0; j < size; j++)
            if (abs ((int) j - (int) peak) >= 5)
              worst = MAX (worst, db[j]);
          if (worst >= -90)
            g_error ("size %u, bin %d: %.1f dB five or more bins away", size, k, worst);
        }
      /* Level follows amplitude: 0.1 is -20 dBFS. */
      fill_tone (x, size, 17, 0.1);
      fer_fft_power_db (fft, x, db);
      g_assert_cmpfloat_with_epsilon (db[size / 2 + 17], -20.0, 0.1);
    }
}

static void
test_between_bins (void)
{
  /* Half a bin off, the Blackman-Harris scalloping loss is 0.83 dB. */
  const guint size = 4096;
  g_autoptr (FerFft) fft = fer_fft_new (size);
  g_autofree float complex *x = g_new (float complex, size);
  g_autofree float *db = g_new (float, size);
  fill_tone (x, size, 100.5, 1.0);
  fer_fft_power_db (fft, x, db);
  float peak = MAX (db[size / 2 + 100], db[size / 2 + 101]);
  g_assert_cmpfloat_with_epsilon (peak, -0.83, 0.05);
}

static void
test_noise_floor (void)
{
  /* Complex white noise of power s2 per sample: each bin holds
   * s2 * sum (w^2) / (sum w)^2 = s2 * ENBW / N on this scale. */
  const guint size = 2048, n_frames = 64;
  const double s2 = 1e-4;
  g_autoptr (FerFft) fft = fer_fft_new (size);
  g_autofree float complex *x = g_new (float complex, size);
  g_autofree float *db = g_new (float, size);
  GRand *rand = g_rand_new_with_seed (42);
  double sum_lin = 0;
  for (guint f = 0; f < n_frames; f++)
    {
      for (guint i = 0; i < size; i++)
        {
          double u1 = g_rand_double_range (rand, 1e-12, 1.0), u2 = g_rand_double (rand);
          double r = sqrt (-log (u1) * s2);   /* Rayleigh: E |x|^2 = s2 */
          x[i] = (float complex) (r * cexp (I * 2 * G_PI * u2));
        }
      fer_fft_power_db (fft, x, db);
      for (guint j = 0; j < size; j++)
        sum_lin += pow (10, db[j] / 10);
    }
  g_rand_free (rand);

  double sw = 0, sw2 = 0;
  for (guint n = 0; n < size; n++)
    {
      double t = 2 * G_PI * n / size;
      double w = 0.35875 - 0.48829 * cos (t) + 0.14128 * cos (2 * t) - 0.01168 * cos (3 * t);
      sw += w;
      sw2 += w * w;
    }
  double expected_db = 10 * log10 (s2 * sw2 / (sw * sw));
  double measured_db = 10 * log10 (sum_lin / (n_frames * size));
  g_test_message ("noise floor %.2f dB, theory %.2f dB", measured_db, expected_db);
  g_assert_cmpfloat_with_epsilon (measured_db, expected_db, 1.0);
  /* Known: at 2048 points and -40 dBFS per sample, -70.1 dB per bin (ENBW 2.0044 bins). */
  g_assert_cmpfloat_with_epsilon (expected_db, -40 - 10 * log10 (size / 2.0044), 0.01);
}

static void
test_silence_is_finite (void)
{
  const guint size = 256;
  g_autoptr (FerFft) fft = fer_fft_new (size);
  float complex x[256] = { 0 };
  float db[256];
  fer_fft_power_db (fft, x, db);
  for (guint i = 0; i < size; i++)
    {
      g_assert_true (isfinite (db[i]));
      g_assert_cmpfloat (db[i], <, -150);
    }
}

static void
test_plans_quickly (void)
{
  for (guint size = 256; size <= 65536; size *= 4)
    {
      gint64 t0 = g_get_monotonic_time ();
      FerFft *fft = fer_fft_new (size);
      gint64 dt = g_get_monotonic_time () - t0;
      fer_fft_free (fft);
      g_test_message ("plan %u: %.2f ms", size, dt / 1000.0);
      g_assert_cmpint (dt, <, 50000);
    }
}

static gpointer
make_and_use (gpointer data)
{
  guint size = GPOINTER_TO_UINT (data);
  float complex *x = g_new (float complex, size);
  float *db = g_new (float, size);
  for (int r = 0; r < 20; r++)
    {
      FerFft *fft = fer_fft_new (size);
      fill_tone (x, size, 3, 1.0);
      fer_fft_power_db (fft, x, db);
      g_assert_cmpfloat_with_epsilon (db[size / 2 + 3], 0, 0.1);
      fer_fft_free (fft);
    }
  g_free (x);
  g_free (db);
  return NULL;
}

static void
test_threads (void)
{
  /* Plans made and destroyed on two threads at once (the planner is locked inside). */
  GThread *a = g_thread_new ("fft-a", make_and_use, GUINT_TO_POINTER (1024));
  GThread *b = g_thread_new ("fft-b", make_and_use, GUINT_TO_POINTER (512));
  g_thread_join (a);
  g_thread_join (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/fft/tone-reads-0-dbfs-sidelobes-below-90", test_tone_reads_0_dbfs);
  g_test_add_func ("/dsp/fft/between-bins-scalloping", test_between_bins);
  g_test_add_func ("/dsp/fft/noise-floor-matches-theory", test_noise_floor);
  g_test_add_func ("/dsp/fft/silence-is-finite", test_silence_is_finite);
  g_test_add_func ("/dsp/fft/plans-quickly", test_plans_quickly);
  g_test_add_func ("/dsp/fft/threads", test_threads);
  return g_test_run ();
}
