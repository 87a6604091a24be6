/* WFM stereo as a listener judges it: separation, SINAD, de-emphasis,
 * and how it falls back to mono when the pilot sinks into the noise. */
#include <math.h>
#include <string.h>

#include "dsp/channel.h"
#include "synth.h"
#include "tone.h"

#define AUDIO_RATE 48000.0
#define DEVIATION_HZ 75000.0

typedef struct {
  float *frames;           /* interleaved */
  gsize n;                 /* frames */
  guint nc;
  FerChannelMeter meter;   /* at the end */
} Output;

static void
output_clear (Output *o)
{
  g_free (o->frames);
}

/* Runs @x through a fresh channel of @mode in blocks of 16384 (as the
 * receiver does). */
static Output
run (FerMode mode, double rate, double offset, const float complex *x, gsize n, double tau_s)
{
  g_autoptr (FerChannel) ch = fer_channel_new (rate, mode, offset, AUDIO_RATE);
  g_assert_nonnull (ch);
  fer_channel_set_deemphasis (ch, tau_s);
  Output o = { 0 };
  o.nc = fer_channel_get_n_channels (ch);
  o.frames = g_new (float, (fer_channel_max_out (ch, n) + 16) * o.nc);
  for (gsize pos = 0; pos < n; pos += 16384)
    {
      gsize take = MIN ((gsize) 16384, n - pos);
      o.n += fer_channel_process (ch, x + pos, take, o.frames + o.n * o.nc);
    }
  fer_channel_get_meter (ch, &o.meter);
  return o;
}

static FerToneFit
fit_channel (const Output *o, guint c, double skip_s, double freq_hz)
{
  gsize skip = (gsize) (skip_s * AUDIO_RATE);
  g_assert_cmpuint (o->n, >, skip + 4800);
  g_autofree float *y = synth_channel (o->frames + skip * o->nc, o->n - skip, o->nc, c);
  FerToneFit fit;
  g_assert_true (fer_tone_fit (y, o->n - skip, AUDIO_RATE, freq_hz, &fit));
  return fit;
}

static double
component (const Output *o, guint c, double skip_s, double freq_hz)
{
  gsize skip = (gsize) (skip_s * AUDIO_RATE);
  return synth_component (o->frames + skip * o->nc + c, o->n - skip, o->nc, AUDIO_RATE, freq_hz);
}

static float complex *
make_station (double rate, double offset, gsize n, const SynthSignal *mpx, double noise_power)
{
  g_autofree double complex *x = g_new0 (double complex, n);
  synth_add_fm (x, n, rate, offset, 0.5, DEVIATION_HZ, mpx);
  if (noise_power > 0)
    synth_add_noise (x, n, noise_power, 7);
  return synth_to_float (x, n);
}

static void
test_separation_and_sinad (void)
{
  /* Left 1 kHz, right 1.7 kHz, each at 80 % of full deviation, pre-emphasised
   * as broadcast, with the 10 % pilot: the output must be the same tones at
   * the same level, each in its own channel only. */
  const double rate = 2400000, offset = 300000, a = 0.8;
  SynthSignal left = { 0 }, right = { 0 }, mpx;
  synth_add_term (&left, a, 1000, 0);
  synth_add_term (&right, a, 1700, 0.3);
  synth_preemphasise (&left, 50e-6);
  synth_preemphasise (&right, 50e-6);
  synth_stereo_mpx (&mpx, &left, &right, 0.1);
  gsize n = (gsize) (1.0 * rate);
  g_autofree float complex *x = make_station (rate, offset, n, &mpx, 0);

  Output o = run (FER_MODE_WFM_STEREO, rate, offset, x, n, 50e-6);
  g_assert_cmpuint (o.nc, ==, 2);
  const double skip = 0.7;
  FerToneFit l = fit_channel (&o, 0, skip, 1000), r = fit_channel (&o, 1, skip, 1700);
  double sep_l = 20 * log10 (component (&o, 0, skip, 1000) / component (&o, 1, skip, 1000));
  double sep_r = 20 * log10 (component (&o, 1, skip, 1700) / component (&o, 0, skip, 1700));
  g_test_message ("stereo: L %.2f Hz %.4f SINAD %.1f dB, R %.2f Hz %.4f SINAD %.1f dB; "
                  "separation L->R %.1f dB, R->L %.1f dB; pilot SNR %.1f dB, blend %.3f",
                  l.freq_hz, l.amplitude, l.sinad_db, r.freq_hz, r.amplitude, r.sinad_db,
                  sep_l, sep_r, o.meter.pilot_snr_db, o.meter.stereo_blend);
  g_assert_true (o.meter.pilot_locked);
  g_assert_cmpfloat (o.meter.stereo_blend, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (l.freq_hz, 1000, 0.1);
  g_assert_cmpfloat_with_epsilon (r.freq_hz, 1700, 0.1);
  g_assert_cmpfloat_with_epsilon (20 * log10 (l.amplitude / a), 0, 0.2);
  g_assert_cmpfloat_with_epsilon (20 * log10 (r.amplitude / a), 0, 0.2);
  g_assert_cmpfloat (sep_l, >=, 40);
  g_assert_cmpfloat (sep_r, >=, 40);
  g_assert_cmpfloat (l.sinad_db, >=, 45);
  g_assert_cmpfloat (r.sinad_db, >=, 45);
  output_clear (&o);
}

static void
test_mono_sinad (void)
{
  /* A mono broadcast (no pilot), 1 kHz at 50 % deviation: mono mode and
   * stereo mode (which must stay mono, both channels equal) give >= 60 dB. */
  const double rate = 1200000, offset = -200000;
  SynthSignal mono = { 0 };
  synth_add_term (&mono, 0.5, 1000, 0);
  gsize n = (gsize) (0.5 * rate);
  g_autofree float complex *x = make_station (rate, offset, n, &mono, 0);

  Output m = run (FER_MODE_WFM, rate, offset, x, n, 50e-6);
  FerToneFit fm = fit_channel (&m, 0, 0.1, 1000);
  Output s = run (FER_MODE_WFM_STEREO, rate, offset, x, n, 50e-6);
  FerToneFit fl = fit_channel (&s, 0, 0.1, 1000), fr = fit_channel (&s, 1, 0.1, 1000);
  g_test_message ("mono: wfm SINAD %.1f dB; wfm-stereo L %.1f dB, R %.1f dB, blend %.2f, "
                  "pilot SNR %.1f dB", fm.sinad_db, fl.sinad_db, fr.sinad_db,
                  s.meter.stereo_blend, s.meter.pilot_snr_db);
  g_assert_cmpfloat (fm.sinad_db, >=, 60);
  g_assert_cmpfloat (fl.sinad_db, >=, 60);
  g_assert_cmpfloat (fr.sinad_db, >=, 60);
  g_assert_false (s.meter.pilot_locked);
  g_assert_cmpfloat (s.meter.stereo_blend, ==, 0);
  for (gsize i = 0; i < s.n; i++)
    g_assert_cmpfloat (s.frames[2 * i], ==, s.frames[2 * i + 1]);
  /* Same level as mono mode. */
  g_assert_cmpfloat_with_epsilon (fl.amplitude, fm.amplitude, fm.amplitude * 1e-3);
  output_clear (&m);
  output_clear (&s);
}

static void
test_deemphasis_flat (void)
{
  /* Pre-emphasised tones from 50 Hz to 15 kHz come out at the level they
   * went in, within 0.5 dB, for 50 and 75 us, in mono and in stereo (left). */
  static const double freqs[] = { 50, 100, 400, 1000, 3000, 6000, 10000, 13000, 15000 };
  const double rate = 1200000, offset = 100000, a = 0.04;
  const double taus[] = { 50e-6, 75e-6 };
  for (guint t = 0; t < G_N_ELEMENTS (taus); t++)
    for (int stereo = 0; stereo < 2; stereo++)
      {
        SynthSignal left = { 0 }, right = { 0 }, mpx;
        for (guint i = 0; i < G_N_ELEMENTS (freqs); i++)
          synth_add_term (&left, a, freqs[i], i * 0.7);
        synth_preemphasise (&left, taus[t]);
        if (stereo)
          synth_stereo_mpx (&mpx, &left, &right, 0.1);
        else
          mpx = left;
        gsize n = (gsize) (1.0 * rate);
        g_autofree float complex *x = make_station (rate, offset, n, &mpx, 0);
        Output o = run (stereo ? FER_MODE_WFM_STEREO : FER_MODE_WFM, rate, offset, x, n,
                        taus[t]);
        double worst = 0;
        for (guint i = 0; i < G_N_ELEMENTS (freqs); i++)
          {
            double got = component (&o, 0, 0.7, freqs[i]);
            double db = 20 * log10 (got / a);
            worst = MAX (worst, fabs (db));
            g_test_message ("tau %.0f us %s: %5.0f Hz %+.3f dB", taus[t] * 1e6,
                            stereo ? "stereo L" : "mono", freqs[i], db);
          }
        g_assert_cmpfloat (worst, <=, 0.5);
        output_clear (&o);
      }
}

static double
blend_at (double cnr_db)
{
  /* Carrier power 0.25 over the noise in 200 kHz. */
  const double rate = 1200000, offset = 0;
  SynthSignal left = { 0 }, right = { 0 }, mpx;
  synth_add_term (&left, 0.6, 1000, 0);
  synth_stereo_mpx (&mpx, &left, &right, 0.1);
  gsize n = (gsize) (1.2 * rate);
  double noise = 0.25 / pow (10, cnr_db / 10) * rate / 200000;
  g_autofree float complex *x = make_station (rate, offset, n, &mpx, noise);
  Output o = run (FER_MODE_WFM_STEREO, rate, offset, x, n, 50e-6);
  double blend = o.meter.stereo_blend;
  g_test_message ("CNR %4.1f dB: pilot SNR %5.1f dB, blend %.3f, SNR meter %.1f dB", cnr_db,
                  o.meter.pilot_snr_db, blend, o.meter.snr_db);
  output_clear (&o);
  return blend;
}

static void
test_blend_follows_pilot (void)
{
  /* As the signal weakens the blend goes from full stereo to mono, passing
   * through the values between (no switch). */
  const double cnrs[] = { 40, 30, 26, 22, 18, 14, 8 };
  double prev = 2, mid = 0;
  gboolean saw_mid = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (cnrs); i++)
    {
      double b = blend_at (cnrs[i]);
      g_assert_cmpfloat (b, <=, prev + 0.05);
      if (b > 0.05 && b < 0.95)
        {
          saw_mid = TRUE;
          mid = b;
        }
      if (i == 0)
        g_assert_cmpfloat (b, ==, 1.0);
      if (i + 1 == G_N_ELEMENTS (cnrs))
        g_assert_cmpfloat (b, ==, 0.0);
      prev = b;
    }
  g_test_message ("a partial blend seen: %.2f", mid);
  g_assert_true (saw_mid);
}

static void
test_blend_is_smooth (void)
{
  /* The pilot stops halfway: the difference channel fades out over a few
   * hundred milliseconds, never stepping from one sample to the next. */
  const double rate = 600000, offset = 0;
  SynthSignal left = { 0 }, right = { 0 }, mpx, mono;
  synth_add_term (&left, 0.6, 1000, 0);
  synth_stereo_mpx (&mpx, &left, &right, 0.1);
  synth_stereo_mpx (&mono, &left, &right, 0);
  gsize n = (gsize) (1.4 * rate), half = n / 2;
  g_autofree double complex *xd = g_new0 (double complex, n);
  /* Same phase path up to the switch, so only the pilot and subcarrier go. */
  synth_add_fm (xd, half, rate, offset, 0.5, DEVIATION_HZ, &mpx);
  g_autofree double complex *tail = g_new0 (double complex, n);
  synth_add_fm (tail, n, rate, offset, 0.5, DEVIATION_HZ, &mono);
  double complex turn = xd[half - 1] / tail[half - 1];
  for (gsize i = half; i < n; i++)
    xd[i] = tail[i] * turn;
  g_autofree float complex *x = synth_to_float (xd, n);
  Output o = run (FER_MODE_WFM_STEREO, rate, offset, x, n, 50e-6);
  /* R = S - D: before, silent; after, the mono half of the 1 kHz tone. */
  double worst = 0;
  for (gsize i = (gsize) (0.6 * AUDIO_RATE) + 1; i < o.n; i++)
    worst = MAX (worst, fabs (o.frames[2 * i + 1] - o.frames[2 * i - 1]));
  gsize before_at = (gsize) (0.55 * AUDIO_RATE);
  double r_before = synth_component (o.frames + before_at * 2 + 1, (gsize) (0.14 * AUDIO_RATE), 2,
                                     AUDIO_RATE, 1000);
  gsize tail_skip = (gsize) (1.2 * AUDIO_RATE);
  double r_after = synth_component (o.frames + tail_skip * 2 + 1, o.n - tail_skip, 2, AUDIO_RATE,
                                    1000);
  g_test_message ("pilot off: R 1 kHz %.4f before (%.4f after), largest step %.4f", r_before,
                  r_after, worst);
  g_assert_cmpfloat (o.meter.stereo_blend, ==, 0);
  g_assert_cmpfloat (r_before, <, 0.003);
  g_assert_cmpfloat (r_after, >, 0.25);
  /* A 1 kHz tone of amplitude 0.6 moves at most 2 pi 1000 / 48000 * 0.6 = 0.08 a sample. */
  g_assert_cmpfloat (worst, <, 0.1);
  output_clear (&o);
}

typedef struct {
  gsize n;
  double sum_sq;
  float *copy;
  gsize cap;
} MpxTap;

static void
on_mpx (const float *mpx, gsize n, gpointer user_data)
{
  MpxTap *t = user_data;
  for (gsize i = 0; i < n && t->n + i < t->cap; i++)
    t->copy[t->n + i] = mpx[i];
  t->n += n;
}

static void
test_mpx_tap (void)
{
  /* The multiplex the tap hands out has the pilot at 0.1 and the
   * modulation undistorted by de-emphasis. */
  const double rate = 1200000, offset = 0;
  SynthSignal left = { 0 }, right = { 0 }, mpx;
  synth_add_term (&left, 0.6, 1000, 0);
  synth_stereo_mpx (&mpx, &left, &right, 0.1);
  synth_add_term (&mpx, 0.03, 57000, 0);     /* where RDS lives */
  gsize n = (gsize) (0.2 * rate);
  g_autofree float complex *x = make_station (rate, offset, n, &mpx, 0);
  for (int mode = 0; mode < 2; mode++)
    {
      g_autoptr (FerChannel) ch = fer_channel_new (rate, mode ? FER_MODE_WFM_STEREO : FER_MODE_WFM,
                                                   offset, AUDIO_RATE);
      double ch_rate = fer_channel_get_channel_rate (ch);
      MpxTap tap = { 0 };
      tap.cap = (gsize) (0.2 * ch_rate) + 16;
      tap.copy = g_new (float, tap.cap);
      fer_channel_set_mpx_func (ch, on_mpx, &tap);
      g_autofree float *out = g_new (float, 2 * fer_channel_max_out (ch, n));
      for (gsize pos = 0; pos < n; pos += 5000)
        fer_channel_process (ch, x + pos, MIN ((gsize) 5000, n - pos), out);
      g_assert_cmpfloat (fabs ((double) tap.n - n * ch_rate / rate), <=, 1);
      gsize skip = (gsize) (0.02 * ch_rate);
      double pilot = synth_component (tap.copy + skip, tap.n - skip, 1, ch_rate, 19000);
      double rds = synth_component (tap.copy + skip, tap.n - skip, 1, ch_rate, 57000);
      double low = synth_component (tap.copy + skip, tap.n - skip, 1, ch_rate, 1000);
      g_test_message ("mpx at %.0f Hz: 1 kHz %.4f, pilot %.4f, 57 kHz %.4f", ch_rate, low, pilot,
                      rds);
      g_assert_cmpfloat_with_epsilon (pilot, 0.1, 0.002);
      g_assert_cmpfloat_with_epsilon (low, 0.3, 0.003);
      /* A phase-difference discriminator reads f at sinc (f / rate) of its deviation. */
      double droop = sin (G_PI * 57000 / ch_rate) / (G_PI * 57000 / ch_rate);
      g_assert_cmpfloat_with_epsilon (rds, 0.03 * droop, 0.0005);
      fer_channel_set_mpx_func (ch, NULL, NULL);
      gsize before = tap.n;
      fer_channel_process (ch, x, 4096, out);
      g_assert_cmpuint (tap.n, ==, before);
      g_free (tap.copy);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/stereo/separation-and-sinad", test_separation_and_sinad);
  g_test_add_func ("/dsp/stereo/mono-sinad", test_mono_sinad);
  g_test_add_func ("/dsp/stereo/deemphasis-flat-50hz-15khz", test_deemphasis_flat);
  g_test_add_func ("/dsp/stereo/blend-follows-pilot-snr", test_blend_follows_pilot);
  g_test_add_func ("/dsp/stereo/blend-is-smooth", test_blend_is_smooth);
  g_test_add_func ("/dsp/stereo/mpx-tap", test_mpx_tap);
  return g_test_run ();
}
