/* The measuring tool itself must be right before any test trusts it. */
#include <math.h>

#include "tone.h"

static void
test_clean_tone (void)
{
  const gsize n = 48000;
  g_autofree float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    x[i] = 0.5f * (float) sin (2 * G_PI * 1000.3 * (double) i / 48000.0 + 0.7) + 0.01f;

  FerToneFit fit;
  g_assert_true (fer_tone_fit (x, n, 48000, 0, &fit));
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, 1000.3, 0.01);
  g_assert_cmpfloat_with_epsilon (fit.amplitude, 0.5, 1e-4);
  g_assert_cmpfloat_with_epsilon (fit.offset, 0.01, 1e-4);
  g_assert_cmpfloat (fit.sinad_db, >, 100);
}

static void
test_noisy_tone_sinad (void)
{
  /* Tone power 0.125; noise variance 0.125e-4 -> 40 dB. */
  const gsize n = 96000;
  g_autofree float *x = g_new (float, n);
  GRand *rand = g_rand_new_with_seed (7);
  double sigma = sqrt (0.125e-4);
  for (gsize i = 0; i < n; i++)
    {
      /* Box-Muller */
      double u1 = g_rand_double_range (rand, 1e-12, 1.0), u2 = g_rand_double (rand);
      double gauss = sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
      x[i] = (float) (0.5 * sin (2 * G_PI * 997.0 * (double) i / 48000.0) + sigma * gauss);
    }
  g_rand_free (rand);

  FerToneFit fit;
  g_assert_true (fer_tone_fit (x, n, 48000, 0, &fit));
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, 997.0, 0.05);
  g_assert_cmpfloat_with_epsilon (fit.sinad_db, 40.0, 0.3);
}

static void
test_distortion_counts (void)
{
  /* A 1 % third harmonic is -40 dB: SINAD must not exceed ~40 dB. */
  const gsize n = 48000;
  g_autofree float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    {
      double ph = 2 * G_PI * 1000.0 * (double) i / 48000.0;
      x[i] = (float) (0.5 * sin (ph) + 0.005 * sin (3 * ph));
    }
  FerToneFit fit;
  g_assert_true (fer_tone_fit (x, n, 48000, 1000, &fit));
  g_assert_cmpfloat_with_epsilon (fit.sinad_db, 40.0, 0.2);
}

static void
test_silence_is_no_tone (void)
{
  float x[1000] = { 0 };
  FerToneFit fit;
  g_assert_false (fer_tone_fit (x, G_N_ELEMENTS (x), 48000, 1000, &fit));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/common/tone/clean-tone", test_clean_tone);
  g_test_add_func ("/common/tone/noisy-tone-sinad", test_noisy_tone_sinad);
  g_test_add_func ("/common/tone/distortion-counts", test_distortion_counts);
  g_test_add_func ("/common/tone/silence-is-no-tone", test_silence_is_no_tone);
  return g_test_run ();
}
