/* The discriminator reads frequency in deviation units; the de-emphasis has
 * the analogue 1 / (1 + j w tau) response over the audio band. */
#include <math.h>

#include "dsp/fm.h"

static void
test_fast_atan2 (void)
{
  double worst = 0;
  for (int i = 0; i <= 100000; i++)
    {
      double a = -G_PI + 2 * G_PI * i / 100000.0;
      const double radii[] = { 1e-20, 1e-3, 1.0, 1e6 };
      for (guint r = 0; r < G_N_ELEMENTS (radii); r++)
        {
          float x = (float) (radii[r] * cos (a)), y = (float) (radii[r] * sin (a));
          double err = fabs (fer_fast_atan2f (y, x) - atan2 (y, x));
          worst = MAX (worst, MIN (err, 2 * G_PI - err));
        }
    }
  g_test_message ("worst atan2 error %.2e rad", worst);
  g_assert_cmpfloat (worst, <, 2e-6);
  g_assert_cmpfloat (fer_fast_atan2f (0, 0), ==, 0);
  g_assert_cmpfloat_with_epsilon (fer_fast_atan2f (1, 0), G_PI / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (fer_fast_atan2f (0, -1), G_PI, 1e-6);
  g_assert_cmpfloat_with_epsilon (fer_fast_atan2f (-1, 0), -G_PI / 2, 1e-6);
}

static void
test_discriminator_scale (void)
{
  /* A carrier 37.5 kHz above centre at 300 kHz reads +0.5 of 75 kHz deviation. */
  const double rate = 300000, dev = 75000;
  const double freqs[] = { 37500, -75000, 0, 110000 };
  g_autoptr (FerFmDemod) d = fer_fm_demod_new (rate, dev);
  for (guint k = 0; k < G_N_ELEMENTS (freqs); k++)
    {
      const gsize n = 1000;
      g_autofree float complex *x = g_new (float complex, n);
      g_autofree float *y = g_new (float, n);
      for (gsize i = 0; i < n; i++)
        x[i] = (float complex) (0.3 * cexp (I * 2 * G_PI * freqs[k] * i / rate));
      fer_fm_demod_reset (d);
      g_assert_cmpuint (fer_fm_demod_process (d, x, n, y), ==, n);
      for (gsize i = 1; i < n; i++)
        g_assert_cmpfloat_with_epsilon (y[i], freqs[k] / dev, 1e-5);
    }
}

static void
test_discriminator_chunks (void)
{
  const gsize n = 3001;
  g_autofree float complex *x = g_new (float complex, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float complex) cexp (I * (0.3 * i + 2 * sin (0.01 * i)));
  g_autoptr (FerFmDemod) a = fer_fm_demod_new (250000, 75000);
  g_autoptr (FerFmDemod) b = fer_fm_demod_new (250000, 75000);
  g_autofree float *whole = g_new (float, n);
  g_autofree float *chunked = g_new (float, n);
  fer_fm_demod_process (a, x, n, whole);
  for (gsize pos = 0; pos < n;)
    {
      gsize take = MIN ((pos % 5) + 1 + (pos % 300), n - pos);
      fer_fm_demod_process (b, x + pos, take, chunked + pos);
      pos += take;
    }
  g_assert_cmpmem (chunked, n * sizeof (float), whole, n * sizeof (float));
}

/* Gain of @d for a sine at @freq_hz: after 2 ms (ten time constants), the
 * projection on sin and cos over whole periods, at least 4000 samples so
 * the part of a sample the span misses a whole period by does not count. */
static double
deemph_gain_measured (FerDeemph *d, double rate, double freq_hz)
{
  gsize skip = (gsize) (0.002 * rate);
  double periods = MAX (2.0, ceil (4000 * freq_hz / rate));
  gsize span = (gsize) round (periods * rate / freq_hz);
  gsize n = skip + span;
  g_autofree float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float) (0.5 * sin (2 * G_PI * freq_hz * i / rate));
  fer_deemph_reset (d);
  fer_deemph_process (d, x, n, x);   /* in place */
  double re = 0, im = 0;
  for (gsize i = skip; i < n; i++)
    {
      double w = 2 * G_PI * freq_hz * i / rate;
      re += x[i] * sin (w);
      im += x[i] * cos (w);
    }
  return 2 * hypot (re, im) / span / 0.5;
}

static void
test_deemphasis_response (void)
{
  /* The rates the WFM channel runs it at. */
  const double rates[] = { 200000, 240000, 250000, 256000, 266666.6667, 300000, 400000 };
  const double taus[] = { 50e-6, 75e-6 };
  const double freqs[] = { 50, 300, 1000, 2122, 3183, 5000, 10000, 15000 };
  double worst = 0;
  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    for (guint t = 0; t < G_N_ELEMENTS (taus); t++)
      {
        g_autoptr (FerDeemph) d = fer_deemph_new (rates[r], taus[t]);
        g_assert_cmpfloat (fer_deemph_get_tau (d), ==, taus[t]);
        for (guint f = 0; f < G_N_ELEMENTS (freqs); f++)
          {
            double wt = 2 * G_PI * freqs[f] * taus[t];
            double analogue_db = -10 * log10 (1 + wt * wt);
            double got_db = 20 * log10 (deemph_gain_measured (d, rates[r], freqs[f]));
            worst = MAX (worst, fabs (got_db - analogue_db));
            if (fabs (got_db - analogue_db) > 0.5)
              g_error ("%.0f Hz, tau %.0f us, %.0f Hz: %.2f dB, analogue %.2f dB", rates[r],
                       taus[t] * 1e6, freqs[f], got_db, analogue_db);
          }
      }
  g_test_message ("worst deviation from the analogue response: %.3f dB", worst);
}

static void
test_deemphasis_off_and_switch (void)
{
  g_autoptr (FerDeemph) d = fer_deemph_new (240000, 0);
  float x[64], y[64];
  for (int i = 0; i < 64; i++)
    x[i] = (float) sin (i);
  fer_deemph_process (d, x, 64, y);
  g_assert_cmpmem (x, sizeof x, y, sizeof y);
  fer_deemph_set_tau (d, 75e-6);
  g_assert_cmpfloat (fer_deemph_get_tau (d), ==, 75e-6);
  g_assert_cmpfloat_with_epsilon (20 * log10 (deemph_gain_measured (d, 240000, 2122)),
                                  -10 * log10 (1 + pow (2 * G_PI * 2122 * 75e-6, 2)), 0.1);
}

static void
test_deemphasis_chunks (void)
{
  const gsize n = 4001;
  g_autofree float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float) sin (0.05 * i) + 0.3f * (float) cos (0.9 * i);
  g_autoptr (FerDeemph) a = fer_deemph_new (256000, 50e-6);
  g_autoptr (FerDeemph) b = fer_deemph_new (256000, 50e-6);
  g_autofree float *whole = g_new (float, n);
  g_autofree float *chunked = g_new (float, n);
  fer_deemph_process (a, x, n, whole);
  for (gsize pos = 0; pos < n;)
    {
      gsize take = MIN (1 + (pos * 7) % 301, n - pos);
      fer_deemph_process (b, x + pos, take, chunked + pos);
      pos += take;
    }
  g_assert_cmpmem (chunked, n * sizeof (float), whole, n * sizeof (float));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/fm/fast-atan2-accuracy", test_fast_atan2);
  g_test_add_func ("/dsp/fm/discriminator-reads-deviation", test_discriminator_scale);
  g_test_add_func ("/dsp/fm/discriminator-chunks", test_discriminator_chunks);
  g_test_add_func ("/dsp/fm/deemphasis-matches-analogue", test_deemphasis_response);
  g_test_add_func ("/dsp/fm/deemphasis-off-and-switch", test_deemphasis_off_and_switch);
  g_test_add_func ("/dsp/fm/deemphasis-chunks", test_deemphasis_chunks);
  return g_test_run ();
}
