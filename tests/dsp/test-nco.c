/* The oscillator's phase is exact at every sample, long runs included, and
 * a frequency change keeps it continuous. */
#include <math.h>

#include "dsp/nco.h"

/* Phase error (radians) of @y against e^{j 2 pi cycles}. */
static double
phase_error (float complex y, double cycles)
{
  double complex want = cexp (I * 2 * G_PI * cycles);
  return fabs (carg (y * conj (want)));
}

static void
test_matches_exact_phase (void)
{
  /* A frequency that is an exact binary fraction, so the true phase of
   * sample n is computable exactly in integers: f n mod 1. */
  const guint64 num = 123456789, den = G_GUINT64_CONSTANT (1) << 30;
  double f = (double) num / den;
  g_assert_cmpfloat (fer_nco_quantize_freq (f), !=, f);   /* the general (non-periodic) path */
  g_autoptr (FerNco) nco = fer_nco_new (f);
  g_assert_cmpfloat (fer_nco_get_freq (nco), ==, f);
  const gsize block = 65536;
  g_autofree float complex *ones = g_new (float complex, block);
  g_autofree float complex *y = g_new (float complex, block);
  for (gsize i = 0; i < block; i++)
    ones[i] = 1;

  /* 50 M samples: 21 s of a 2.4 MS/s stream; the error must not grow with time. */
  double worst = 0;
  for (guint64 start = 0; start < 50000000; start += block)
    {
      fer_nco_mix (nco, ones, block, y);
      for (gsize i = 0; i < block; i += 997)
        {
          guint64 n = start + i;
          double cycles = (double) ((num * n) % den) / den;
          worst = MAX (worst, phase_error (y[i], cycles));
          g_assert_cmpfloat_with_epsilon (cabsf (y[i]), 1.0, 1e-6);
        }
    }
  g_test_message ("worst phase error %.2e rad", worst);
  g_assert_cmpfloat (worst, <, 1e-6);
}

static void
test_periodic_frequency (void)
{
  double f = fer_nco_quantize_freq (-0.13);
  g_assert_cmpfloat (fabs (f * FER_NCO_TABLE_LEN - round (f * FER_NCO_TABLE_LEN)), <, 1e-12);
  g_assert_cmpfloat (fabs (f + 0.13), <=, 0.5 / FER_NCO_TABLE_LEN);
  g_autoptr (FerNco) nco = fer_nco_new (f);
  const gsize n = 10 * FER_NCO_TABLE_LEN + 17;
  g_autofree float complex *ones = g_new (float complex, n);
  g_autofree float complex *y = g_new (float complex, n);
  for (gsize i = 0; i < n; i++)
    ones[i] = 1;
  fer_nco_mix (nco, ones, n, y);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (phase_error (y[i], f * (double) i), <, 1e-6);
}

static void
test_set_freq_keeps_phase (void)
{
  const double f1 = 0.0123456, f2 = -0.0311;
  g_autoptr (FerNco) nco = fer_nco_new (f1);
  float complex one = 1, y;
  for (int i = 0; i < 1500; i++)
    fer_nco_mix (nco, &one, 1, &y);
  double phase_before = fer_nco_get_phase (nco);    /* phase of the next sample */
  g_assert_cmpfloat_with_epsilon (phase_before, fmod (f1 * 1500, 1.0), 1e-12);
  fer_nco_set_freq (nco, f2);
  g_assert_cmpfloat (fer_nco_get_freq (nco), ==, f2);
  g_assert_cmpfloat_with_epsilon (fer_nco_get_phase (nco), phase_before, 1e-12);
  /* The next sample is where the old frequency left off, then it moves at f2. */
  for (int i = 0; i < 3000; i++)
    {
      fer_nco_mix (nco, &one, 1, &y);
      g_assert_cmpfloat (phase_error (y, phase_before + f2 * i), <, 1e-6);
    }
}

static void
test_chunks_and_in_place (void)
{
  const gsize n = 5000;
  g_autofree float complex *x = g_new (float complex, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float) sin (0.01 * i) + I * (float) cos (0.037 * i);
  g_autoptr (FerNco) a = fer_nco_new (0.2345678);
  g_autofree float complex *whole = g_new (float complex, n);
  fer_nco_mix (a, x, n, whole);

  g_autoptr (FerNco) b = fer_nco_new (0.2345678);
  g_autofree float complex *chunked = g_memdup2 (x, n * sizeof (float complex));
  const gsize sizes[] = { 1, 1023, 1025, 3, 2048 };
  gsize pos = 0;
  for (guint i = 0; pos < n; i++)
    {
      gsize take = MIN (sizes[i % G_N_ELEMENTS (sizes)], n - pos);
      fer_nco_mix (b, chunked + pos, take, chunked + pos);   /* in place */
      pos += take;
    }
  g_assert_cmpmem (chunked, n * sizeof (float complex), whole, n * sizeof (float complex));

  fer_nco_reset (b);
  g_assert_cmpfloat (fer_nco_get_phase (b), ==, 0);
  fer_nco_mix (b, x, n, chunked);
  g_assert_cmpmem (chunked, n * sizeof (float complex), whole, n * sizeof (float complex));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/nco/matches-exact-phase-no-drift", test_matches_exact_phase);
  g_test_add_func ("/dsp/nco/periodic-frequency", test_periodic_frequency);
  g_test_add_func ("/dsp/nco/set-freq-keeps-phase", test_set_freq_keeps_phase);
  g_test_add_func ("/dsp/nco/chunks-and-in-place", test_chunks_and_in_place);
  return g_test_run ();
}
