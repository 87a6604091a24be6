/* Filter design and the decimating FIR: the responses meet their spec, the
 * half-band path computes what the plain convolution does, and chunking
 * changes nothing. */
#include <math.h>

#include "dsp/fir.h"

static double
db (double x)
{
  return 20 * log10 (x);
}

static void
test_lowpass_design (void)
{
  /* 0.1 passband, 0.15 stopband, 70 dB. */
  guint n = fer_kaiser_n_taps (0.05, 70);
  g_autofree float *h = fer_fir_design_lowpass (n, 0.125, 70, 1.0);
  g_assert_cmpfloat_with_epsilon (fer_fir_response (h, n, 0), 1.0, 1e-6);
  for (double f = 0; f <= 0.1; f += 0.005)
    g_assert_cmpfloat (fabs (db (fer_fir_response (h, n, f))), <, 0.01);
  for (double f = 0.15; f <= 0.5; f += 0.0025)
    g_assert_cmpfloat (db (fer_fir_response (h, n, f)), <, -69);
  /* Linear phase: symmetric taps. */
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (h[i], h[n - 1 - i], 1e-7);
}

static void
test_halfband_design (void)
{
  guint n;
  g_autofree float *h = fer_fir_design_halfband (0.2, 72, &n);
  g_assert_cmpuint (n % 4, ==, 3);
  guint c = n / 2;
  g_assert_cmpfloat (h[c], ==, 0.5f);
  for (guint d = 2; d <= c; d += 2)
    {
      g_assert_cmpfloat (h[c + d], ==, 0.0f);
      g_assert_cmpfloat (h[c - d], ==, 0.0f);
    }
  g_assert_cmpfloat (h[0], !=, 0.0f);
  g_assert_cmpfloat_with_epsilon (fer_fir_response (h, n, 0), 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (fer_fir_response (h, n, 0.25), 0.5, 1e-6);
  for (double f = 0.35; f <= 0.5; f += 0.002)
    g_assert_cmpfloat (db (fer_fir_response (h, n, f)), <, -71);
  for (double f = 0; f <= 0.15; f += 0.002)
    g_assert_cmpfloat (fabs (db (fer_fir_response (h, n, f))), <, 0.01);
}

/* y[m] = sum_k h[k] x[m d - k] in double, x[< 0] = 0. */
static double complex
reference (const float *h, guint n_taps, const float complex *x, gsize m, guint d)
{
  double complex acc = 0;
  for (guint k = 0; k < n_taps; k++)
    if (m * d >= k)
      acc += h[k] * (double complex) x[m * d - k];
  return acc;
}

static float complex *
test_signal (gsize n)
{
  float complex *x = g_new (float complex, n);
  GRand *rand = g_rand_new_with_seed (3);
  for (gsize i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (rand, -1, 1) + I * (float) g_rand_double_range (rand, -1, 1);
  g_rand_free (rand);
  return x;
}

static void
check_against_reference (const float *h, guint n_taps, guint d, gboolean expect_halfband)
{
  const gsize n = 5001;
  g_autofree float complex *x = test_signal (n);
  g_autoptr (FerFir) fir = fer_fir_new (h, n_taps, d);
  g_assert_cmpint (fer_fir_is_halfband (fir), ==, expect_halfband);
  g_assert_cmpuint (fer_fir_get_decim (fir), ==, d);
  g_autofree float complex *y = g_new (float complex, fer_fir_max_out (fir, n));
  gsize n_out = fer_fir_process (fir, x, n, y);
  g_assert_cmpuint (n_out, ==, (n + d - 1) / d);
  for (gsize m = 0; m < n_out; m++)
    {
      double complex r = reference (h, n_taps, x, m, d);
      g_assert_cmpfloat (cabs (y[m] - r), <, 1e-5);
    }

  /* Any chunking: the same numbers, to the bit. */
  fer_fir_reset (fir);
  g_autofree float complex *z = g_new (float complex, n);
  const gsize sizes[] = { 1, 2, 3, 5000, 7, 2048, 4097, 64 };
  gsize pos = 0, got = 0;
  for (guint i = 0; pos < n; i++)
    {
      gsize take = MIN (sizes[i % G_N_ELEMENTS (sizes)], n - pos);
      gsize k = fer_fir_process (fir, x + pos, take, z + got);
      g_assert_cmpuint (k, <=, fer_fir_max_out (fir, take));
      got += k;
      pos += take;
    }
  g_assert_cmpuint (got, ==, n_out);
  g_assert_cmpmem (z, got * sizeof (float complex), y, n_out * sizeof (float complex));
}

static void
test_general_matches_convolution (void)
{
  const guint decims[] = { 1, 2, 3, 5, 8 };
  for (guint i = 0; i < G_N_ELEMENTS (decims); i++)
    {
      guint d = decims[i], n = 37;
      g_autofree float *h = fer_fir_design_lowpass (n, 0.4 / d, 60, 1.0);
      check_against_reference (h, n, d, FALSE);
    }
}

static void
test_halfband_matches_convolution (void)
{
  const double transitions[] = { 0.33, 0.2, 0.1, 0.05 };
  for (guint i = 0; i < G_N_ELEMENTS (transitions); i++)
    {
      guint n;
      g_autofree float *h = fer_fir_design_halfband (transitions[i], 70, &n);
      check_against_reference (h, n, 2, TRUE);
      /* The same taps without decimation take the general path. */
      check_against_reference (h, n, 1, FALSE);
    }
}

/* Steady-state gain for a complex tone at @freq_norm (of the input rate). */
static double
tone_gain (FerFir *fir, double freq_norm)
{
  const gsize n = 8192;
  g_autofree float complex *x = g_new (float complex, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float complex) cexp (I * 2 * G_PI * freq_norm * i);
  g_autofree float complex *y = g_new (float complex, fer_fir_max_out (fir, n));
  fer_fir_reset (fir);
  gsize n_out = fer_fir_process (fir, x, n, y);
  double sum = 0;
  gsize from = n_out / 2;
  for (gsize m = from; m < n_out; m++)
    sum += cabsf (y[m]);
  return sum / (n_out - from);
}

static void
test_decimate_keeps_passband_rejects_aliases (void)
{
  /* Decimating by 2 to a half-band: tones up to 0.15 pass, tones that would
   * alias (0.35 .. 0.65) are 70 dB down, including negative frequencies. */
  guint n;
  g_autofree float *h = fer_fir_design_halfband (0.2, 72, &n);
  g_autoptr (FerFir) fir = fer_fir_new (h, n, 2);
  const double pass[] = { 0, 0.05, -0.1, 0.15, -0.15 };
  for (guint i = 0; i < G_N_ELEMENTS (pass); i++)
    g_assert_cmpfloat_with_epsilon (tone_gain (fir, pass[i]), 1.0, 1e-3);
  const double stop[] = { 0.35, 0.4, 0.5, -0.37, -0.45 };
  for (guint i = 0; i < G_N_ELEMENTS (stop); i++)
    g_assert_cmpfloat (db (tone_gain (fir, stop[i])), <, -70);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/fir/lowpass-design-meets-spec", test_lowpass_design);
  g_test_add_func ("/dsp/fir/halfband-design-meets-spec", test_halfband_design);
  g_test_add_func ("/dsp/fir/general-path-matches-convolution", test_general_matches_convolution);
  g_test_add_func ("/dsp/fir/halfband-path-matches-convolution", test_halfband_matches_convolution);
  g_test_add_func ("/dsp/fir/decimate-keeps-passband-rejects-aliases",
                   test_decimate_keeps_passband_rejects_aliases);
  return g_test_run ();
}
