/* The AGC: where it puts the level, how fast it follows, and that it never
 * overshoots on a sudden loud signal. */
#include <math.h>

#include "dsp/agc.h"

#define RATE 48000.0

/* A 1 kHz tone whose amplitude is @a1 for @t1 seconds, then @a2 for @t2. */
static float *
tone_steps (double a1, double t1, double a2, double t2, gsize *n)
{
  gsize n1 = (gsize) (t1 * RATE), n2 = (gsize) (t2 * RATE);
  float *x = g_new (float, n1 + n2);
  for (gsize i = 0; i < n1 + n2; i++)
    x[i] = (float) ((i < n1 ? a1 : a2) * sin (2 * G_PI * 1000 * i / RATE));
  *n = n1 + n2;
  return x;
}

/* Peak of |x| over [from, to) seconds. */
static double
peak (const float *x, gsize n, double from, double to)
{
  double p = 0;
  for (gsize i = (gsize) (from * RATE); i < MIN (n, (gsize) (to * RATE)); i++)
    p = MAX (p, fabs (x[i]));
  return p;
}

static void
test_names (void)
{
  const char *names[] = { "off", "fast", "medium", "slow" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      FerAgcMode m;
      g_assert_cmpstr (fer_agc_mode_name (i), ==, names[i]);
      g_assert_true (fer_agc_mode_parse (names[i], &m));
      g_assert_cmpint (m, ==, i);
    }
  g_assert_false (fer_agc_mode_parse ("quick", NULL));
}

static void
test_levels_to_target (void)
{
  /* From -60 dB to 0 dB of input, every mode brings peaks to the target. */
  const double inputs[] = { 0.001, 0.03, 1.0 };
  for (FerAgcMode m = FER_AGC_FAST; m <= FER_AGC_SLOW; m++)
    for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
      {
        gsize n;
        g_autofree float *x = tone_steps (inputs[i], 2.0, 0, 0, &n);
        g_autoptr (FerAgc) agc = fer_agc_new (RATE, m);
        fer_agc_process (agc, x, n);
        double p = peak (x, n, 1.5, 2.0);
        g_test_message ("%s: input %.3f -> peak %.4f (gain %.1f dB)", fer_agc_mode_name (m),
                        inputs[i], p, fer_agc_get_gain_db (agc));
        g_assert_cmpfloat_with_epsilon (20 * log10 (p / FER_AGC_TARGET), 0, 0.5);
      }
}

/* Seconds after a 20 dB drop until the output is back within 3 dB of the target. */
static double
recovery_s (FerAgcMode mode)
{
  gsize n;
  g_autofree float *x = tone_steps (0.5, 1.0, 0.05, 4.0, &n);
  g_autoptr (FerAgc) agc = fer_agc_new (RATE, mode);
  fer_agc_process (agc, x, n);
  /* Peaks per millisecond after the drop (1 kHz: one cycle each), from
   * when the drop comes out of the look-ahead. */
  double d = fer_agc_get_delay (agc) / RATE;
  for (double t = 1.0 + d + 0.001; t < 5.0; t += 0.001)
    if (peak (x, n, t, t + 0.001) > FER_AGC_TARGET / sqrt (2))
      return t - 1.0 - d;
  return INFINITY;
}

static void
test_release_times (void)
{
  double fast = recovery_s (FER_AGC_FAST), medium = recovery_s (FER_AGC_MEDIUM);
  double slow = recovery_s (FER_AGC_SLOW);
  g_test_message ("back within 3 dB after a 20 dB drop: fast %.3f s, medium %.3f s, slow %.3f s",
                  fast, medium, slow);
  /* Release time constant times ln (10 / sqrt 2), plus the hang. */
  g_assert_cmpfloat_with_epsilon (fast, 0.05 * log (10 / sqrt (2)), 0.02);
  g_assert_cmpfloat_with_epsilon (medium, 0.1 + 0.3 * log (10 / sqrt (2)), 0.05);
  g_assert_cmpfloat_with_epsilon (slow, 0.4 + 1.5 * log (10 / sqrt (2)), 0.2);
}

static void
test_attack_without_overshoot (void)
{
  /* 40 dB louder at once: the look-ahead has the gain down before the
   * loud part comes out. */
  for (FerAgcMode m = FER_AGC_FAST; m <= FER_AGC_SLOW; m++)
    {
      gsize n;
      g_autofree float *x = tone_steps (0.005, 1.0, 0.5, 0.5, &n);
      g_autoptr (FerAgc) agc = fer_agc_new (RATE, m);
      fer_agc_process (agc, x, n);
      double after = peak (x, n, 1.0, 1.5);
      g_test_message ("%s: largest peak after a 40 dB jump %.3f", fer_agc_mode_name (m), after);
      g_assert_cmpfloat (after, <, FER_AGC_TARGET * 1.25);
    }
}

static void
test_off_is_unity (void)
{
  gsize n;
  g_autofree float *x = tone_steps (0.02, 0.1, 0.7, 0.1, &n);
  g_autofree float *y = g_memdup2 (x, n * sizeof (float));
  g_autoptr (FerAgc) agc = fer_agc_new (RATE, FER_AGC_OFF);
  /* In odd pieces: the delay line carries across calls. */
  for (gsize pos = 0; pos < n; pos += 777)
    fer_agc_process (agc, y + pos, MIN ((gsize) 777, n - pos));
  guint d = fer_agc_get_delay (agc);
  g_assert_cmpuint (d, ==, 96);   /* 2 ms */
  for (gsize i = d; i < n; i++)
    g_assert_cmpfloat (y[i], ==, x[i - d]);
  g_assert_cmpfloat (fer_agc_get_gain_db (agc), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/agc/names", test_names);
  g_test_add_func ("/dsp/agc/levels-to-target", test_levels_to_target);
  g_test_add_func ("/dsp/agc/release-times", test_release_times);
  g_test_add_func ("/dsp/agc/attack-without-overshoot", test_attack_without_overshoot);
  g_test_add_func ("/dsp/agc/off-is-unity", test_off_is_unity);
  return g_test_run ();
}
