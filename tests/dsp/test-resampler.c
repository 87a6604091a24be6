/* Audio rate conversion: the tone keeps its pitch and level, the output
 * count follows the ratio exactly, what lies above the new Nyquist (and the
 * stereo pilot) is gone. */
#include <math.h>

#include "dsp/resampler.h"
#include "tone.h"

static float *
sine (double rate, double freq_hz, double amplitude, gsize n)
{
  float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float) (amplitude * sin (2 * G_PI * freq_hz * i / rate));
  return x;
}

/* Amplitude of the component at exactly @freq_hz. */
static double
component (const float *x, gsize n, double rate, double freq_hz)
{
  double re = 0, im = 0;
  for (gsize i = 0; i < n; i++)
    {
      re += x[i] * cos (2 * G_PI * freq_hz * i / rate);
      im += x[i] * sin (2 * G_PI * freq_hz * i / rate);
    }
  return 2 * hypot (re, im) / n;
}

typedef struct {
  double in_rate, out_rate;
  gboolean rational;
} RateCase;

static void
test_tone_through (gconstpointer data)
{
  const RateCase *c = data;
  g_autoptr (FerResampler) rs = fer_resampler_new (c->in_rate, c->out_rate, 15000, 19000, 66);
  guint l = 0, m = 0;
  g_assert_cmpint (fer_resampler_is_rational (rs, &l, &m), ==, c->rational);
  if (c->rational)
    g_assert_cmpfloat (fabs ((double) l / m - c->out_rate / c->in_rate), <, 1e-12);

  gsize n = (gsize) (0.5 * c->in_rate);
  g_autofree float *x = sine (c->in_rate, 1000, 0.5, n);
  g_autofree float *y = g_new (float, fer_resampler_max_out (rs, n));
  gsize n_out = fer_resampler_process (rs, x, n, y);
  g_assert_cmpfloat (fabs ((double) n_out - n * c->out_rate / c->in_rate), <=, 1.0);

  gsize skip = n_out / 5;
  FerToneFit fit;
  g_assert_true (fer_tone_fit (y + skip, n_out - skip, c->out_rate, 1000, &fit));
  g_test_message ("%.1f -> %.1f: %.5f Hz, %.5f, SINAD %.1f dB", c->in_rate, c->out_rate,
                  fit.freq_hz, fit.amplitude, fit.sinad_db);
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, 1000, 1e-3);
  g_assert_cmpfloat_with_epsilon (fit.amplitude, 0.5, 0.5e-3);
  g_assert_cmpfloat (fit.sinad_db, >, 80);
}

static void
test_stopband (void)
{
  /* 300 kHz -> 48 kHz: the 19 kHz pilot, and 30 and 38 kHz (which would fold
   * to 18 and 10 kHz), are at least 60 dB down. */
  const double in_rate = 300000, out_rate = 48000;
  const double freqs[] = { 19000, 30000, 38000, 53000 };
  const double folds[] = { 19000, 18000, 10000, 5000 };
  for (guint i = 0; i < G_N_ELEMENTS (freqs); i++)
    {
      g_autoptr (FerResampler) rs = fer_resampler_new (in_rate, out_rate, 15000, 19000, 66);
      gsize n = (gsize) (0.2 * in_rate);
      g_autofree float *x = sine (in_rate, freqs[i], 1.0, n);
      g_autofree float *y = g_new (float, fer_resampler_max_out (rs, n));
      gsize n_out = fer_resampler_process (rs, x, n, y);
      double a = component (y + 1000, n_out - 1000, out_rate, folds[i]);
      g_test_message ("%.0f Hz: %.1f dB", freqs[i], 20 * log10 (a));
      g_assert_cmpfloat (20 * log10 (a), <, -60);
    }
  /* And 15 kHz passes whole. */
  g_autoptr (FerResampler) rs = fer_resampler_new (in_rate, out_rate, 15000, 19000, 66);
  gsize n = (gsize) (0.2 * in_rate);
  g_autofree float *x = sine (in_rate, 15000, 1.0, n);
  g_autofree float *y = g_new (float, fer_resampler_max_out (rs, n));
  gsize n_out = fer_resampler_process (rs, x, n, y);
  g_assert_cmpfloat_with_epsilon (component (y + 1000, n_out - 1000, out_rate, 15000), 1.0, 1e-3);
}

static void
test_chunks_match_whole (gconstpointer data)
{
  const RateCase *c = data;
  gsize n = 20011;
  g_autofree float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float) (sin (0.01 * i) + 0.2 * cos (0.7 * i));
  g_autoptr (FerResampler) a = fer_resampler_new (c->in_rate, c->out_rate, 15000, 19000, 66);
  g_autoptr (FerResampler) b = fer_resampler_new (c->in_rate, c->out_rate, 15000, 19000, 66);
  g_autofree float *whole = g_new (float, fer_resampler_max_out (a, n));
  gsize n_whole = fer_resampler_process (a, x, n, whole);
  g_autofree float *chunked = g_new (float, fer_resampler_max_out (b, n));
  gsize got = 0;
  for (gsize pos = 0; pos < n;)
    {
      gsize take = MIN (1 + (pos * 13) % 4999, n - pos);
      gsize k = fer_resampler_process (b, x + pos, take, chunked + got);
      g_assert_cmpuint (k, <=, fer_resampler_max_out (b, take));
      got += k;
      pos += take;
    }
  g_assert_cmpuint (got, ==, n_whole);
  g_assert_cmpmem (chunked, got * sizeof (float), whole, n_whole * sizeof (float));
  fer_resampler_reset (a);
  g_assert_cmpuint (fer_resampler_process (a, x, n, chunked), ==, n_whole);
  g_assert_cmpmem (chunked, got * sizeof (float), whole, n_whole * sizeof (float));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  static const RateCase cases[] = {
    { 300000, 48000, TRUE },        /* 4/25 */
    { 60000, 48000, TRUE },         /* 4/5 */
    { 256000, 48000, TRUE },        /* 3/16 */
    { 800000.0 / 3, 48000, TRUE },  /* 9/50 */
    { 44100, 48000, TRUE },         /* 160/147, upsampling */
    { 250000, 48000, TRUE },        /* 24/125 */
    { 300015, 48000, FALSE },       /* a ppm-corrected source: fractional */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *p = g_strdup_printf ("/dsp/resampler/tone-through/%.0f-%.0f",
                                             cases[i].in_rate, cases[i].out_rate);
      g_test_add_data_func (p, &cases[i], test_tone_through);
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *p = g_strdup_printf ("/dsp/resampler/chunks-match-whole/%.0f-%.0f",
                                             cases[i].in_rate, cases[i].out_rate);
      g_test_add_data_func (p, &cases[i], test_chunks_match_whole);
    }
  g_test_add_func ("/dsp/resampler/stopband-pilot-and-folds", test_stopband);
  return g_test_run ();
}
