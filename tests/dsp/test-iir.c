/* Audio high-pass and low-pass: corners, slopes, ripple, as designed and
 * as measured on tones. */
#include <math.h>

#include "dsp/iir.h"
#include "tone.h"

#define RATE 48000.0

static double
db (double x)
{
  return 20 * log10 (x);
}

static void
test_butterworth (void)
{
  g_autoptr (FerIir) lp = fer_iir_new (RATE, 1);
  g_autoptr (FerIir) hp = fer_iir_new (RATE, 1);
  fer_iir_design (lp, FER_IIR_LOWPASS, 3000, 8, 0);
  fer_iir_design (hp, FER_IIR_HIGHPASS, 300, 4, 0);
  /* -3 dB at the corner, flat well inside, 6 dB per octave per order outside. */
  g_assert_cmpfloat_with_epsilon (db (fer_iir_response (lp, 3000)), -3.01, 0.05);
  g_assert_cmpfloat_with_epsilon (db (fer_iir_response (lp, 300)), 0, 0.01);
  /* (The bilinear transform only steepens the skirt towards Nyquist.) */
  g_assert_cmpfloat (db (fer_iir_response (lp, 6000)), <=, -48.2);
  g_assert_cmpfloat_with_epsilon (db (fer_iir_response (hp, 300)), -3.01, 0.05);
  g_assert_cmpfloat_with_epsilon (db (fer_iir_response (hp, 3000)), 0, 0.01);
  g_assert_cmpfloat_with_epsilon (db (fer_iir_response (hp, 150)), -24.1, 0.3);
}

static void
test_chebyshev_ctcss (void)
{
  /* The CTCSS filter: 0.5 dB of ripple from 300 Hz up, the highest
   * sub-audible tone (254.1 Hz) 25 dB and more down. */
  g_autoptr (FerIir) hp = fer_iir_new (RATE, 1);
  fer_iir_design (hp, FER_IIR_HIGHPASS, 300, 8, 0.5);
  double lo = 0, hi = -100;
  for (double f = 300; f <= 20000; f *= 1.01)
    {
      double g = db (fer_iir_response (hp, f));
      lo = MIN (lo, g);
      hi = MAX (hi, g);
    }
  g_test_message ("ripple %.3f .. %.3f dB; 254.1 Hz %.1f dB, 67 Hz %.1f dB", lo, hi,
                  db (fer_iir_response (hp, 254.1)), db (fer_iir_response (hp, 67)));
  g_assert_cmpfloat (hi, <=, 0.26);
  g_assert_cmpfloat (lo, >=, -0.26);
  g_assert_cmpfloat (db (fer_iir_response (hp, 254.1)), <=, -25);
  g_assert_cmpfloat (db (fer_iir_response (hp, 67)), <=, -90);
}

static void
test_tones_match_response (void)
{
  /* What the filter does to a tone is what its response says, in both
   * channels of a stereo pair independently. */
  const double freqs[] = { 100, 400, 2900, 5000 };
  g_autoptr (FerIir) f = fer_iir_new (RATE, 2);
  fer_iir_design (f, FER_IIR_LOWPASS, 3000, 8, 0);
  gsize n = (gsize) RATE;
  for (guint i = 0; i < G_N_ELEMENTS (freqs); i++)
    {
      g_autofree float *x = g_new (float, 2 * n);
      for (gsize k = 0; k < n; k++)
        {
          x[2 * k] = (float) (0.5 * sin (2 * G_PI * freqs[i] * k / RATE));
          x[2 * k + 1] = (float) (0.25 * sin (2 * G_PI * 2 * freqs[i] * k / RATE));
        }
      fer_iir_reset (f);
      fer_iir_process (f, x, n);
      for (guint c = 0; c < 2; c++)
        {
          double freq = freqs[i] * (c + 1), a = c ? 0.25 : 0.5;
          g_autofree float *y = fer_tone_deinterleave (x + n, n / 2, 2, c);
          FerToneFit fit;
          g_assert_true (fer_tone_fit (y, n / 2, RATE, freq, &fit));
          g_assert_cmpfloat_with_epsilon (db (fit.amplitude / a), db (fer_iir_response (f, freq)),
                                          0.05);
        }
    }
}

static void
test_off_passes_through (void)
{
  g_autoptr (FerIir) f = fer_iir_new (RATE, 1);
  g_assert_false (fer_iir_is_active (f));
  fer_iir_design (f, FER_IIR_HIGHPASS, 300, 8, 0.5);
  g_assert_true (fer_iir_is_active (f));
  fer_iir_design (f, FER_IIR_HIGHPASS, 0, 8, 0.5);
  g_assert_false (fer_iir_is_active (f));
  float x[5] = { 1, -2, 3, 0.5f, 0 };
  fer_iir_process (f, x, 5);
  g_assert_cmpfloat (x[1], ==, -2);
  g_assert_cmpfloat (x[3], ==, 0.5f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/iir/butterworth-corners-and-slopes", test_butterworth);
  g_test_add_func ("/dsp/iir/chebyshev-takes-ctcss-down", test_chebyshev_ctcss);
  g_test_add_func ("/dsp/iir/tones-match-response", test_tones_match_response);
  g_test_add_func ("/dsp/iir/off-passes-through", test_off_passes_through);
  return g_test_run ();
}
