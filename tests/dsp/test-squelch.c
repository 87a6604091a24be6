/* The signal meter and the squelch: what they read for known signals, and
 * where the squelch opens and closes. */
#include <math.h>
#include <string.h>

#include "dsp/channel.h"
#include "synth.h"
#include "tone.h"

#define AUDIO_RATE 48000.0
#define RATE 240000.0

/* @seconds of an FM carrier (1 kHz tone, 2 kHz deviation) or a bare carrier
 * (@fm FALSE) of amplitude @amp, plus noise of density @n0 (per Hz).
 * @phase carries the oscillators across calls. */
static float complex *
make (double seconds, double amp, double n0, gboolean fm, guint32 seed, gsize *n_out)
{
  gsize n = (gsize) (seconds * RATE);
  g_autofree double complex *x = g_new0 (double complex, n);
  SynthSignal mod = { 0 };
  synth_add_term (&mod, 1.0, 1000, 0);
  if (fm)
    synth_add_fm (x, n, RATE, 0, amp, 2000, &mod);
  else
    synth_add_am (x, n, RATE, 0, amp, NULL, NULL);
  if (n0 > 0)
    synth_add_noise (x, n, n0 * RATE, seed);
  *n_out = n;
  return synth_to_float (x, n);
}

static FerChannelMeter
measure (FerMode mode, double amp, double n0, gboolean fm)
{
  gsize n;
  g_autofree float complex *x = make (0.4, amp, n0, fm, 17, &n);
  g_autoptr (FerChannel) ch = fer_channel_new (RATE, mode, 0, AUDIO_RATE);
  g_autofree float *out = g_new (float, fer_channel_max_out (ch, n) + 16);
  fer_channel_process (ch, x, n, out);
  FerChannelMeter m;
  fer_channel_get_meter (ch, &m);
  return m;
}

static void
test_level (void)
{
  const FerMode modes[] = { FER_MODE_NFM, FER_MODE_AM, FER_MODE_CW, FER_MODE_WFM };
  const double levels[] = { -6, -30, -60 };
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
      {
        if (modes[m] == FER_MODE_WFM && levels[i] < -30)
          continue;
        double amp = pow (10, levels[i] / 20);
        FerChannelMeter me = measure (modes[m], amp, 1e-16, modes[m] != FER_MODE_CW);
        g_test_message ("%s: carrier at %.1f dBFS reads %.2f dBFS", fer_mode_name (modes[m]),
                        levels[i], me.level_dbfs);
        g_assert_cmpfloat_with_epsilon (me.level_dbfs, levels[i], 0.3);
      }
}

static void
test_snr (void)
{
  /* SNR in the channel bandwidth: NFM reads it from the envelope's
   * moments, AM from a noise probe beside the channel. */
  const struct { FerMode mode; double bw; gboolean fm; } cases[] = {
    { FER_MODE_NFM, 12500, TRUE }, { FER_MODE_AM, 10000, FALSE }, { FER_MODE_USB, 2800, FALSE },
  };
  const double snrs[] = { 6, 12, 20, 30 };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (guint i = 0; i < G_N_ELEMENTS (snrs); i++)
      {
        double amp = 0.1, n0 = amp * amp / pow (10, snrs[i] / 10) / cases[c].bw;
        /* USB: the carrier sits inside the sideband, 1.5 kHz up. */
        gsize n;
        g_autofree float complex *x = make (0.5, amp, n0, cases[c].fm, 23 + i, &n);
        if (cases[c].mode == FER_MODE_USB)
          for (gsize k = 0; k < n; k++)
            x[k] *= cexpf (I * (float) (2 * G_PI * 1500 * k / RATE));
        g_autoptr (FerChannel) ch = fer_channel_new (RATE, cases[c].mode, 0, AUDIO_RATE);
        g_autofree float *out = g_new (float, fer_channel_max_out (ch, n) + 16);
        fer_channel_process (ch, x, n, out);
        FerChannelMeter me;
        fer_channel_get_meter (ch, &me);
        g_test_message ("%s: SNR %.0f dB in %.0f Hz reads %.2f dB", fer_mode_name (cases[c].mode),
                        snrs[i], cases[c].bw, me.snr_db);
        g_assert_cmpfloat_with_epsilon (me.snr_db, snrs[i], 1.0);
      }
}

typedef struct {
  double open_at;      /* measure when it opened on the way up */
  double close_at;     /* and closed on the way down */
  double worst_step;   /* largest sample-to-sample change of the audio */
  gboolean silent_when_closed;
} Sweep;

/* Steps the carrier level (LEVEL: dBFS; SNR: dB over a fixed noise) up from
 * @lo to @hi and back in 0.25 dB steps of 50 ms, noting where the squelch
 * opens and closes. */
static Sweep
sweep (FerSquelchMode mode, double threshold, double lo, double hi, double n0)
{
  g_autoptr (FerChannel) ch = fer_channel_new (RATE, FER_MODE_NFM, 0, AUDIO_RATE);
  fer_channel_set_squelch (ch, mode, threshold);
  const double step_s = 0.05, bw = 12500;
  gsize n_step = (gsize) (step_s * RATE);
  g_autofree double complex *x = g_new (double complex, n_step);
  g_autofree float complex *xf = g_new (float complex, n_step);
  g_autofree float *out = g_new (float, fer_channel_max_out (ch, n_step) + 16);
  GRand *rand = g_rand_new_with_seed (5);
  Sweep s = { NAN, NAN, 0, TRUE };
  gboolean was_open = FALSE;
  float last = 0;
  double ph = 0;
  guint n_levels = (guint) ((hi - lo) / 0.25);
  for (guint k = 0; k < 2 * n_levels; k++)
    {
      double v = k < n_levels ? lo + 0.25 * k : hi - 0.25 * (k - n_levels);
      double amp = mode == FER_SQUELCH_LEVEL ? pow (10, v / 20) : sqrt (n0 * bw * pow (10, v / 10));
      for (gsize i = 0; i < n_step; i++)
        {
          /* 1 kHz at 2 kHz deviation, phase carried from step to step. */
          ph += 2 * G_PI * 2000 * sin (2 * G_PI * 1000 * ((double) (k * n_step + i) / RATE)) / RATE;
          double u1 = g_rand_double (rand), u2 = g_rand_double (rand);
          double r = sqrt (-2 * log (MAX (u1, 1e-300))) * sqrt (n0 * RATE / 2);
          x[i] = amp * cexp (I * ph) + r * cexp (I * 2 * G_PI * u2);
          xf[i] = (float complex) x[i];
        }
      gsize m = fer_channel_process (ch, xf, n_step, out);
      for (gsize i = 0; i < m; i++)
        {
          s.worst_step = MAX (s.worst_step, fabsf (out[i] - last));
          last = out[i];
        }
      FerChannelMeter me;
      fer_channel_get_meter (ch, &me);
      if (!was_open && !me.squelch_open)
        for (gsize i = m / 2; i < m; i++)
          s.silent_when_closed &= fabsf (out[i]) < 1e-4f;   /* -80 dBFS: the filters' tails */
      if (me.squelch_open && !was_open && k < n_levels && isnan (s.open_at))
        s.open_at = v;
      if (!me.squelch_open && was_open && k >= n_levels && isnan (s.close_at))
        s.close_at = v;
      was_open = me.squelch_open;
    }
  g_rand_free (rand);
  return s;
}

static void
test_squelch_level (void)
{
  const double t = -50;
  Sweep s = sweep (FER_SQUELCH_LEVEL, t, t - 6, t + 6, 1e-14);
  g_test_message ("level squelch at %.0f dBFS: opens at %.2f, closes at %.2f; largest step %.4f",
                  t, s.open_at, s.close_at, s.worst_step);
  g_assert_cmpfloat (fabs (s.open_at - t), <=, 1.0);
  g_assert_cmpfloat (fabs (s.close_at - t), <=, 1.0);
  g_assert_cmpfloat (s.open_at, >, s.close_at);          /* hysteresis */
  g_assert_true (s.silent_when_closed);
  /* The 1 kHz tone at 0.4 moves at most 0.05 a sample: no click. */
  g_assert_cmpfloat (s.worst_step, <, 0.1);
}

static void
test_squelch_snr (void)
{
  const double t = 12;
  Sweep s = sweep (FER_SQUELCH_SNR, t, t - 6, t + 6, 1e-9);
  g_test_message ("SNR squelch at %.0f dB: opens at %.2f, closes at %.2f; largest step %.4f", t,
                  s.open_at, s.close_at, s.worst_step);
  g_assert_cmpfloat (fabs (s.open_at - t), <=, 1.0);
  g_assert_cmpfloat (fabs (s.close_at - t), <=, 1.0);
  g_assert_cmpfloat (s.open_at, >, s.close_at);
  g_assert_true (s.silent_when_closed);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/meter/level-dbfs", test_level);
  g_test_add_func ("/dsp/meter/snr", test_snr);
  g_test_add_func ("/dsp/squelch/level-opens-and-closes-at-threshold", test_squelch_level);
  g_test_add_func ("/dsp/squelch/snr-opens-and-closes-at-threshold", test_squelch_snr);
  return g_test_run ();
}
