/* The front end on what a dongle really delivers: a DC spike, a mirror
 * image from unequal I and Q paths, impulse noise. */
#include <math.h>
#include <string.h>

#include "dsp/channel.h"
#include "dsp/frontend.h"
#include "synth.h"
#include "tone.h"

#define RATE 2400000.0

/* Power of the component at @freq_hz of complex @x (least squares). */
static double
complex_component (const float complex *x, gsize n, double freq_hz)
{
  double complex acc = 0;
  for (gsize i = 0; i < n; i++)
    acc += x[i] * cexp (-I * 2 * G_PI * freq_hz * i / RATE);
  return cabs (acc) / n;
}

/* A tone at @f with I/Q gain ratio @g and phase error @phi (rad), DC @dc. */
static float complex *
impaired_tone (gsize n, double f, double g, double phi, double complex dc)
{
  float complex *x = g_new (float complex, n);
  GRand *r = g_rand_new_with_seed (3);
  for (gsize i = 0; i < n; i++)
    {
      double w = 2 * G_PI * f * i / RATE;
      double re = 0.3 * cos (w) + creal (dc) + 1e-4 * (g_rand_double (r) - 0.5);
      double im = g * 0.3 * sin (w + phi) + cimag (dc) + 1e-4 * (g_rand_double (r) - 0.5);
      x[i] = (float complex) (re + I * im);
    }
  g_rand_free (r);
  return x;
}

static void
test_dc_and_image (void)
{
  const double f = 150000;
  gsize n = (gsize) (0.5 * RATE);
  g_autofree float complex *x = impaired_tone (n, f, 1.05, 3 * G_PI / 180, 0.04 - 0.02 * I);
  gsize tail = n / 5, from = n - tail;
  double image_before = complex_component (x + from, tail, -f) / complex_component (x + from, tail, f);
  double dc_before = complex_component (x + from, tail, 0);
  g_autoptr (FerFrontEnd) fe = fer_front_end_new ();
  /* In odd pieces, as a source delivers. */
  for (gsize pos = 0; pos < n; pos += 10007)
    fer_front_end_process (fe, x + pos, MIN ((gsize) 10007, n - pos));
  double tone = complex_component (x + from, tail, f);
  double image = complex_component (x + from, tail, -f) / tone;
  double dc = complex_component (x + from, tail, 0);   /* already a magnitude */
  float complex dc_est;
  double gain_db, phase_deg;
  fer_front_end_get_estimate (fe, &dc_est, &gain_db, &phase_deg);
  g_test_message ("image %.1f dB -> %.1f dB; DC %.4f -> %.2e; found DC %.4f%+.4fj, Q gain %.3f dB, "
                  "phase %.2f deg", 20 * log10 (image_before), 20 * log10 (image), dc_before, dc,
                  crealf (dc_est), cimagf (dc_est), gain_db, phase_deg);
  g_assert_cmpfloat (20 * log10 (image_before), >, -35);
  g_assert_cmpfloat (20 * log10 (image), <, -60);
  g_assert_cmpfloat (dc, <, 1e-4);
  g_assert_cmpfloat_with_epsilon (tone, 0.3, 0.02);
  g_assert_cmpfloat_with_epsilon (crealf (dc_est), 0.04, 1e-4);
  g_assert_cmpfloat_with_epsilon (cimagf (dc_est), -0.02, 1e-4);
  g_assert_cmpfloat_with_epsilon (gain_db, 20 * log10 (1.05), 0.02);
  g_assert_cmpfloat_with_epsilon (fabs (phase_deg), 3, 0.05);
}

static void
test_chunks_match_whole (void)
{
  gsize n = 100000;
  g_autofree float complex *a = impaired_tone (n, 12345, 0.97, -0.02, 0.01);
  g_autofree float complex *b = g_memdup2 (a, n * sizeof *a);
  g_autoptr (FerFrontEnd) fa = fer_front_end_new ();
  g_autoptr (FerFrontEnd) fb = fer_front_end_new ();
  fer_front_end_set_noise_blanker (fa, TRUE, 20);
  fer_front_end_set_noise_blanker (fb, TRUE, 20);
  fer_front_end_process (fa, a, n);
  const gsize sizes[] = { 1, 3, 4096, 7, 10000, 13 };
  for (gsize pos = 0, i = 0; pos < n; i++)
    {
      gsize take = MIN (sizes[i % G_N_ELEMENTS (sizes)], n - pos);
      fer_front_end_process (fb, b + pos, take);
      pos += take;
    }
  g_assert_cmpmem (a, n * sizeof *a, b, n * sizeof *b);
}

static void
test_noise_blanker (void)
{
  /* An AM broadcast with ignition-like clicks (2 samples at 100x the
   * carrier, 100 a second): the blanker keeps them out of the audio. */
  const double offset = 200000;
  gsize n = (gsize) (0.6 * RATE);
  SynthSignal mod = { 0 };
  synth_add_term (&mod, 0.05, 1000, 0);
  g_autofree double complex *xd = g_new0 (double complex, n);
  synth_add_am (xd, n, RATE, offset, 0.1, &mod, NULL);
  synth_add_noise (xd, n, 1e-6, 4);
  for (gsize i = 1000; i + 2 < n; i += 24000)
    {
      xd[i] += 10.0;
      xd[i + 1] -= 7.0 * I;
    }
  double sinad[2];
  guint64 blanked = 0;
  for (int on = 0; on < 2; on++)
    {
      g_autofree float complex *x = synth_to_float (xd, n);
      g_autoptr (FerFrontEnd) fe = fer_front_end_new ();
      fer_front_end_set_noise_blanker (fe, on, 20);
      fer_front_end_process (fe, x, n);
      if (on)
        blanked = fer_front_end_get_n_blanked (fe);
      g_autoptr (FerChannel) ch = fer_channel_new (RATE, FER_MODE_AM, offset, 48000);
      fer_channel_set_agc (ch, FER_AGC_OFF);
      g_autofree float *out = g_new (float, fer_channel_max_out (ch, n));
      gsize m = fer_channel_process (ch, x, n, out);
      FerToneFit fit;
      g_assert_true (fer_tone_fit (out + m / 3, m - m / 3, 48000, 1000, &fit));
      sinad[on] = fit.sinad_db;
    }
  g_test_message ("impulses: SINAD %.1f dB without the blanker, %.1f dB with; %" G_GUINT64_FORMAT
                  " samples blanked", sinad[0], sinad[1], blanked);
  g_assert_cmpfloat (sinad[1], >=, sinad[0] + 15);
  /* 60 clicks of 2 samples, each followed by a short hold: nothing else. */
  g_assert_cmpuint (blanked, >=, 58 * 2);
  g_assert_cmpuint (blanked, <=, 60 * 6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/frontend/removes-dc-and-image", test_dc_and_image);
  g_test_add_func ("/dsp/frontend/chunks-match-whole", test_chunks_match_whole);
  g_test_add_func ("/dsp/frontend/noise-blanker", test_noise_blanker);
  return g_test_run ();
}
