/* Every demodulator on synthetic signals: the numbers a listener or a
 * bench instrument would check. */
#include <math.h>
#include <string.h>

#include "dsp/channel.h"
#include "synth.h"
#include "tone.h"

#define AUDIO_RATE 48000.0

typedef struct {
  float *frames;
  gsize n;
  guint nc;
  double rate;
  FerChannelMeter meter;
} Output;

static void
output_clear (Output *o)
{
  g_free (o->frames);
}

static Output
run_channel (FerChannel *ch, const float complex *x, gsize n)
{
  Output o = { 0 };
  o.nc = fer_channel_get_n_channels (ch);
  o.rate = fer_channel_get_output_rate (ch);
  o.frames = g_new (float, (fer_channel_max_out (ch, n) + 16) * o.nc);
  for (gsize pos = 0; pos < n; pos += 16384)
    o.n += fer_channel_process (ch, x + pos, MIN ((gsize) 16384, n - pos), o.frames + o.n * o.nc);
  fer_channel_get_meter (ch, &o.meter);
  return o;
}

/* A fresh channel with the AGC off (levels then follow the input). */
static Output
run (FerMode mode, double rate, double offset, const float complex *x, gsize n)
{
  g_autoptr (FerChannel) ch = fer_channel_new (rate, mode, offset, AUDIO_RATE);
  g_assert_nonnull (ch);
  fer_channel_set_agc (ch, FER_AGC_OFF);
  return run_channel (ch, x, n);
}

static FerToneFit
fit (const Output *o, double from_s, double to_s, double freq_hz)
{
  gsize a = (gsize) (from_s * o->rate), b = MIN (o->n, (gsize) (to_s * o->rate));
  g_assert_cmpuint (b, >, a + 1000);
  g_autofree float *y = synth_channel (o->frames + a * o->nc, b - a, o->nc, 0);
  FerToneFit f;
  g_assert_true (fer_tone_fit (y, b - a, o->rate, freq_hz, &f));
  return f;
}

static double
component (const Output *o, double from_s, double freq_hz)
{
  gsize a = (gsize) (from_s * o->rate);
  return synth_component (o->frames + a * o->nc, o->n - a, o->nc, o->rate, freq_hz);
}

static void
test_names_and_bandwidths (void)
{
  static const struct { const char *name; double bw; guint nc; } expect[] = {
    { "wfm", 200000, 1 }, { "wfm-stereo", 200000, 2 }, { "nfm", 12500, 1 },
    { "am", 10000, 1 }, { "am-sync", 10000, 1 }, { "usb", 2800, 1 }, { "lsb", 2800, 1 },
    { "cw", 500, 1 }, { "dsb", 5600, 1 }, { "raw", 200000, 2 },
  };
  g_assert_cmpuint (G_N_ELEMENTS (expect), ==, FER_N_MODES);
  for (guint i = 0; i < FER_N_MODES; i++)
    {
      FerMode m;
      g_assert_cmpstr (fer_mode_name (i), ==, expect[i].name);
      g_assert_nonnull (fer_mode_label (i));
      g_assert_true (fer_mode_parse (expect[i].name, &m));
      g_assert_cmpint (m, ==, i);
      g_assert_nonnull (strstr (fer_mode_list (), expect[i].name));
      g_assert_cmpfloat (fer_mode_default_bandwidth (i), ==, expect[i].bw);
      g_autoptr (FerChannel) ch = fer_channel_new (2400000, i, 0, AUDIO_RATE);
      g_assert_nonnull (ch);
      g_assert_cmpfloat (fer_channel_get_bandwidth (ch), ==, expect[i].bw);
      g_assert_cmpuint (fer_channel_get_n_channels (ch), ==, expect[i].nc);
      double lo, hi;
      fer_mode_bandwidth_range (i, &lo, &hi);
      fer_channel_set_bandwidth (ch, 1e9);
      g_assert_cmpfloat (fer_channel_get_bandwidth (ch), <=, hi);
      fer_channel_set_bandwidth (ch, 1);
      g_assert_cmpfloat (fer_channel_get_bandwidth (ch), ==, lo);
    }
  g_assert_false (fer_mode_parse ("fm", NULL));
  g_assert_false (fer_mode_parse ("", NULL));

  /* Where the passband sits, for drawing it. */
  const struct { FerMode mode; double lo, hi; } bands[] = {
    { FER_MODE_USB, 100, 2900 }, { FER_MODE_LSB, -2900, -100 }, { FER_MODE_CW, -250, 250 },
    { FER_MODE_AM, -5000, 5000 }, { FER_MODE_NFM, -6250, 6250 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bands); i++)
    {
      g_autoptr (FerChannel) ch = fer_channel_new (2400000, bands[i].mode, 0, AUDIO_RATE);
      double lo, hi;
      fer_channel_get_passband (ch, &lo, &hi);
      g_assert_cmpfloat_with_epsilon (lo, bands[i].lo, 1e-6);
      g_assert_cmpfloat_with_epsilon (hi, bands[i].hi, 1e-6);
    }
  /* Raw: the channel rate follows the bandwidth it starts with. */
  g_autoptr (FerChannel) raw = fer_channel_new_full (2400000, FER_MODE_RAW, 0, AUDIO_RATE, 25000);
  double r = fer_channel_get_output_rate (raw);
  g_assert_cmpfloat (r, ==, fer_channel_get_channel_rate (raw));
  g_assert_cmpfloat (r, >=, 25000 * 1.25);
  g_assert_cmpfloat (r, <=, 25000 * 1.6);
}

static void
test_nfm_snr_theory (void)
{
  /* Above threshold, FM's output noise density rises with f^2: over the
   * voice band f1..f2 its power is N0 (f2^3 - f1^3) / (3 A^2) (in Hz^2 of
   * deviation), against a tone's dev^2 / 2. */
  const double rate = 240000, offset = 20000, dev = 2500, amp = 0.5, tone = 1000;
  const double cnr_db = 20;            /* in the 12.5 kHz channel */
  double n0 = amp * amp / pow (10, cnr_db / 10) / 12500;
  gsize n = (gsize) (1.5 * rate);
  SynthSignal mod = { 0 };
  synth_add_term (&mod, 1.0, tone, 0);
  g_autofree double complex *x = g_new0 (double complex, n);
  synth_add_fm (x, n, rate, offset, amp, dev, &mod);
  synth_add_noise (x, n, n0 * rate, 11);
  g_autofree float complex *xf = synth_to_float (x, n);
  Output o = run (FER_MODE_NFM, rate, offset, xf, n);
  FerToneFit f = fit (&o, 0.2, 1.5, tone);
  const double f1 = 300, f2 = 3000;
  double theory = 10 * log10 ((dev * dev / 2) / (n0 * (f2 * f2 * f2 - f1 * f1 * f1) / (3 * amp * amp)));
  g_test_message ("nfm: CNR %.0f dB: SNR %.2f dB, theory %.2f dB (tone %.4f, meter SNR %.1f dB)",
                  cnr_db, f.sinad_db, theory, f.amplitude, o.meter.snr_db);
  g_assert_cmpfloat_with_epsilon (f.freq_hz, tone, 0.1);
  g_assert_cmpfloat_with_epsilon (f.sinad_db, theory, 2.0);
  /* 5 kHz deviation reads 1.0. */
  g_assert_cmpfloat_with_epsilon (20 * log10 (f.amplitude / (dev / 5000)), 0, 0.3);
  output_clear (&o);
}

static void
test_nfm_ctcss_removed (void)
{
  /* A 1 kHz voice tone with a CTCSS tone under it at 10 % of the deviation:
   * the tone goes, the voice stays. */
  const double rate = 240000, offset = 0;
  const double ctcss[] = { 67.0, 100.0, 250.3 };
  for (guint i = 0; i < G_N_ELEMENTS (ctcss); i++)
    {
      SynthSignal mod = { 0 };
      synth_add_term (&mod, 1.0, 1000, 0);
      synth_add_term (&mod, 0.1, ctcss[i], 0);
      gsize n = (gsize) (1.0 * rate);
      g_autofree double complex *x = g_new0 (double complex, n);
      synth_add_fm (x, n, rate, offset, 0.5, 2500, &mod);
      g_autofree float complex *xf = synth_to_float (x, n);
      Output o = run (FER_MODE_NFM, rate, offset, xf, n);
      double voice = component (&o, 0.3, 1000), sub = component (&o, 0.3, ctcss[i]);
      double atten = 20 * log10 (0.05 / sub);
      g_test_message ("ctcss %.1f Hz: down %.1f dB; voice %.4f (sent 0.5)", ctcss[i], atten,
                      voice);
      g_assert_cmpfloat (atten, >=, 25);
      g_assert_cmpfloat_with_epsilon (20 * log10 (voice / 0.5), 0, 0.5);
      output_clear (&o);
    }
}

static void
test_am_envelope (void)
{
  const double rate = 480000, offset = 50000;
  SynthSignal mod = { 0 };
  synth_add_term (&mod, 0.25, 1000, 0);       /* 50 % of a 0.5 carrier */
  gsize n = (gsize) (0.6 * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  synth_add_am (x, n, rate, offset, 0.5, &mod, NULL);
  synth_add_noise (x, n, 1e-11 * rate, 5);
  g_autofree float complex *xf = synth_to_float (x, n);
  for (int sync = 0; sync < 2; sync++)
    {
      Output o = run (sync ? FER_MODE_AM_SYNC : FER_MODE_AM, rate, offset, xf, n);
      FerToneFit f = fit (&o, 0.3, 0.6, 1000);
      g_test_message ("%s: %.2f Hz, %.4f, SINAD %.1f dB", sync ? "am-sync" : "am", f.freq_hz,
                      f.amplitude, f.sinad_db);
      g_assert_cmpfloat_with_epsilon (f.freq_hz, 1000, 0.1);
      g_assert_cmpfloat_with_epsilon (f.amplitude, 0.25, 0.0025);
      g_assert_cmpfloat (f.sinad_db, >=, 50);
      output_clear (&o);
    }
}

/* The carrier fades to -20 dB between 0.2 and 0.4 s and stays there: the
 * sidebands do not (a notch over the carrier, as selective fading makes). */
static double
fade (double t)
{
  if (t < 0.2)
    return 1.0;
  if (t < 0.4)
    return 1.0 - 0.9 * (t - 0.2) / 0.2;
  return 0.1;
}

static void
test_am_sync_in_selective_fade (void)
{
  const double rate = 480000, offset = -30000, carrier_off = 420;  /* tuned 420 Hz off */
  SynthSignal mod = { 0 };
  synth_add_term (&mod, 0.2, 1000, 0);
  gsize n = (gsize) (1.2 * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  synth_add_am (x, n, rate, offset + carrier_off, 0.5, &mod, fade);
  synth_add_noise (x, n, 2e-10 * rate, 9);
  g_autofree float complex *xf = synth_to_float (x, n);
  Output env = run (FER_MODE_AM, rate, offset, xf, n);
  Output syn = run (FER_MODE_AM_SYNC, rate, offset, xf, n);
  FerToneFit fe = fit (&env, 0.7, 1.2, 1000), fs = fit (&syn, 0.7, 1.2, 1000);
  FerToneFit before = fit (&syn, 0.08, 0.2, 1000);
  g_test_message ("selective fade: envelope SINAD %.1f dB, synchronous %.1f dB "
                  "(before the fade %.1f dB)", fe.sinad_db, fs.sinad_db, before.sinad_db);
  g_assert_cmpfloat (fs.sinad_db, >=, fe.sinad_db + 10);
  g_assert_cmpfloat (fs.sinad_db, >=, 30);
  output_clear (&env);
  output_clear (&syn);
}

static void
test_ssb_opposite_sideband (void)
{
  /* A tone on the wanted side is heard at its audio frequency; the same
   * tone on the other side is 50 dB and more down. */
  const double rate = 240000, offset = 7000;
  const double tones[] = { 300, 1000, 2500 };
  for (int upper = 0; upper < 2; upper++)
    for (guint i = 0; i < G_N_ELEMENTS (tones); i++)
      {
        double got[2];
        for (int side = 0; side < 2; side++)
          {
            SynthSignal a = { 0 };
            synth_add_term (&a, 0.3, tones[i], 0);
            gsize n = (gsize) (0.5 * rate);
            g_autofree double complex *x = g_new0 (double complex, n);
            gboolean wanted = side == 0;
            synth_add_ssb (x, n, rate, offset, &a, wanted ? upper : !upper);
            g_autofree float complex *xf = synth_to_float (x, n);
            Output o = run (upper ? FER_MODE_USB : FER_MODE_LSB, rate, offset, xf, n);
            got[side] = component (&o, 0.2, tones[i]);
            if (wanted)
              {
                FerToneFit f = fit (&o, 0.2, 0.5, tones[i]);
                g_assert_cmpfloat_with_epsilon (f.freq_hz, tones[i], 0.1);
                g_assert_cmpfloat (f.sinad_db, >=, 50);
              }
            output_clear (&o);
          }
        double supp = 20 * log10 (got[0] / got[1]);
        g_test_message ("%s %4.0f Hz: wanted %.4f, opposite sideband %.1f dB down",
                        upper ? "usb" : "lsb", tones[i], got[0], supp);
        g_assert_cmpfloat_with_epsilon (got[0], 0.3, 0.01);
        g_assert_cmpfloat (supp, >=, 50);
      }
}

static void
test_cw_pitch_and_filter (void)
{
  /* A carrier on frequency sounds at the pitch; one 500 Hz away is outside
   * the 500 Hz filter. */
  const double rate = 240000, offset = 0;
  gsize n = (gsize) (0.5 * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  synth_add_am (x, n, rate, offset, 0.1, NULL, NULL);
  g_autofree float complex *on = synth_to_float (x, n);
  memset (x, 0, n * sizeof *x);
  synth_add_am (x, n, rate, offset + 500, 0.1, NULL, NULL);
  g_autofree float complex *off = synth_to_float (x, n);

  g_autoptr (FerChannel) ch = fer_channel_new (rate, FER_MODE_CW, offset, AUDIO_RATE);
  fer_channel_set_agc (ch, FER_AGC_OFF);
  Output o = run_channel (ch, on, n);
  FerToneFit f = fit (&o, 0.2, 0.5, 0);
  output_clear (&o);
  fer_channel_reset (ch);
  fer_channel_set_cw_pitch (ch, 600);
  Output p = run_channel (ch, on, n);
  FerToneFit g = fit (&p, 0.2, 0.5, 0);
  output_clear (&p);
  fer_channel_reset (ch);
  Output q = run_channel (ch, off, n);
  double leak = component (&q, 0.2, 1100);
  output_clear (&q);
  g_test_message ("cw: %.2f Hz (%.4f), pitch 600: %.2f Hz; 500 Hz off: %.1f dB", f.freq_hz,
                  f.amplitude, g.freq_hz, 20 * log10 (leak / g.amplitude));
  g_assert_cmpfloat_with_epsilon (f.freq_hz, 700, 0.05);
  g_assert_cmpfloat_with_epsilon (f.amplitude, 0.1, 0.002);
  g_assert_cmpfloat_with_epsilon (g.freq_hz, 600, 0.05);
  g_assert_cmpfloat (20 * log10 (leak / g.amplitude), <, -50);
}

static void
test_dsb_costas (void)
{
  /* Suppressed carrier, 3 Hz off and at an odd phase: the loop finds it. */
  const double rate = 240000, offset = 1000;
  SynthSignal mod = { 0 };
  synth_add_term (&mod, 0.3, 1000, 0);
  gsize n = (gsize) (0.8 * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  synth_add_am (x, n, rate, offset + 3, 0.0, &mod, NULL);
  for (gsize i = 0; i < n; i++)
    x[i] *= cexp (I * 1.1);
  g_autofree float complex *xf = synth_to_float (x, n);
  Output o = run (FER_MODE_DSB, rate, offset, xf, n);
  FerToneFit f = fit (&o, 0.4, 0.8, 1000);
  g_test_message ("dsb: %.2f Hz %.4f SINAD %.1f dB", f.freq_hz, f.amplitude, f.sinad_db);
  g_assert_cmpfloat_with_epsilon (f.freq_hz, 1000, 0.1);
  g_assert_cmpfloat_with_epsilon (f.amplitude, 0.3, 0.01);
  g_assert_cmpfloat (f.sinad_db, >=, 40);
  output_clear (&o);
}

static void
test_raw_iq (void)
{
  /* A tone 5 kHz above the tuned frequency comes out as e^{j 2 pi 5k t}. */
  const double rate = 2400000, offset = 300000, amp = 0.4;
  gsize n = (gsize) (0.1 * rate);
  g_autofree float complex *x = g_new (float complex, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float complex) (amp * cexp (I * 2 * G_PI * (offset + 5000) * i / rate));
  g_autoptr (FerChannel) ch = fer_channel_new_full (rate, FER_MODE_RAW, offset, AUDIO_RATE, 40000);
  Output o = run_channel (ch, x, n);
  double r = o.rate;
  g_test_message ("raw: %.0f Hz x %u, %" G_GSIZE_FORMAT " frames", r, o.nc, o.n);
  g_assert_cmpuint (o.nc, ==, 2);
  g_assert_cmpfloat (fabs ((double) o.n - n * r / rate), <=, 2);
  double worst = 0;
  gsize skip = (gsize) (0.01 * r);
  double complex ref = (o.frames[2 * skip] + I * o.frames[2 * skip + 1])
                       / cexp (I * 2 * G_PI * 5000 * skip / r);
  g_assert_cmpfloat_with_epsilon (cabs (ref), amp, 0.001);
  for (gsize i = skip; i < o.n; i++)
    {
      double complex want = ref * cexp (I * 2 * G_PI * 5000 * i / r);
      double complex got = o.frames[2 * i] + I * o.frames[2 * i + 1];
      worst = MAX (worst, cabs (got - want));
    }
  g_test_message ("raw: largest error %.2e", worst);
  g_assert_cmpfloat (worst, <, 1e-3);
  output_clear (&o);
}

static void
test_chunks_match_whole (void)
{
  /* Whatever the blocks, the same output: every mode. */
  const double rate = 960000, offset = 40000;
  gsize n = (gsize) (0.15 * rate);
  SynthSignal mod = { 0 }, l = { 0 }, r = { 0 }, mpx;
  synth_add_term (&mod, 0.3, 700, 0);
  synth_add_term (&l, 0.5, 900, 0);
  synth_stereo_mpx (&mpx, &l, &r, 0.1);
  g_autofree double complex *x = g_new0 (double complex, n);
  synth_add_fm (x, n, rate, offset, 0.3, 75000, &mpx);
  synth_add_am (x, n, rate, offset + 1000, 0.2, &mod, NULL);
  synth_add_noise (x, n, 1e-5, 3);
  g_autofree float complex *xf = synth_to_float (x, n);
  const gsize sizes[] = { 1, 7, 1000, 16384, 3, 4096, 65536, 13 };
  for (guint m = 0; m < FER_N_MODES; m++)
    {
      g_autoptr (FerChannel) a = fer_channel_new (rate, m, offset, AUDIO_RATE);
      g_autoptr (FerChannel) b = fer_channel_new (rate, m, offset, AUDIO_RATE);
      /* The squelch closes on the filters' start-up and opens again: that too must match. */
      fer_channel_set_squelch (a, FER_SQUELCH_LEVEL, -20);
      fer_channel_set_squelch (b, FER_SQUELCH_LEVEL, -20);
      guint nc = fer_channel_get_n_channels (a);
      g_autofree float *whole = g_new (float, fer_channel_max_out (a, n) * nc);
      gsize n_whole = fer_channel_process (a, xf, n, whole);
      g_autofree float *chunked = g_new (float, (fer_channel_max_out (b, n) + 64) * nc);
      gsize pos = 0, n_chunked = 0;
      for (guint i = 0; pos < n; i++)
        {
          gsize take = MIN (sizes[i % G_N_ELEMENTS (sizes)], n - pos);
          gsize got = fer_channel_process (b, xf + pos, take, chunked + n_chunked * nc);
          g_assert_cmpuint (got, <=, fer_channel_max_out (b, take));
          n_chunked += got;
          pos += take;
        }
      g_assert_cmpuint (n_chunked, ==, n_whole);
      for (gsize i = 0; i < n_whole * nc; i++)
        if (fabsf (chunked[i] - whole[i]) > 1e-5f * MAX (1.0f, fabsf (whole[i])))
          g_error ("%s: value %" G_GSIZE_FORMAT " differs: %g vs %g", fer_mode_name (m), i,
                   chunked[i], whole[i]);
    }
}

static void
test_bandwidth_change_is_smooth (void)
{
  /* Narrowing an AM filter while a tone plays: no step in the audio. */
  const double rate = 240000, offset = 0;
  SynthSignal mod = { 0 };
  synth_add_term (&mod, 0.2, 500, 0);
  gsize n = (gsize) (0.6 * rate), half = n / 2;
  g_autofree double complex *x = g_new0 (double complex, n);
  synth_add_am (x, n, rate, offset, 0.4, &mod, NULL);
  g_autofree float complex *xf = synth_to_float (x, n);
  g_autoptr (FerChannel) ch = fer_channel_new (rate, FER_MODE_AM, offset, AUDIO_RATE);
  fer_channel_set_agc (ch, FER_AGC_OFF);
  g_autofree float *out = g_new (float, fer_channel_max_out (ch, n) + 64);
  gsize m = fer_channel_process (ch, xf, half, out);
  fer_channel_set_bandwidth (ch, 3000);
  g_assert_cmpfloat (fer_channel_get_bandwidth (ch), ==, 3000);
  m += fer_channel_process (ch, xf + half, n - half, out + m);
  double worst = 0;
  for (gsize i = (gsize) (0.1 * AUDIO_RATE); i < m; i++)
    worst = MAX (worst, fabs (out[i] - out[i - 1]));
  /* 0.2 at 500 Hz moves at most 2 pi 500 / 48000 * 0.2 = 0.013 a sample. */
  g_test_message ("bandwidth change: largest step %.4f", worst);
  g_assert_cmpfloat (worst, <, 0.016);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/modes/names-and-bandwidths", test_names_and_bandwidths);
  g_test_add_func ("/dsp/modes/nfm-voice-snr-matches-theory", test_nfm_snr_theory);
  g_test_add_func ("/dsp/modes/nfm-ctcss-removed", test_nfm_ctcss_removed);
  g_test_add_func ("/dsp/modes/am-envelope", test_am_envelope);
  g_test_add_func ("/dsp/modes/am-sync-beats-envelope-in-selective-fade",
                   test_am_sync_in_selective_fade);
  g_test_add_func ("/dsp/modes/ssb-opposite-sideband-suppressed", test_ssb_opposite_sideband);
  g_test_add_func ("/dsp/modes/cw-pitch-and-filter", test_cw_pitch_and_filter);
  g_test_add_func ("/dsp/modes/dsb-costas-loop", test_dsb_costas);
  g_test_add_func ("/dsp/modes/raw-iq", test_raw_iq);
  g_test_add_func ("/dsp/modes/chunks-match-whole", test_chunks_match_whole);
  g_test_add_func ("/dsp/modes/bandwidth-change-is-smooth", test_bandwidth_change_is_smooth);
  return g_test_run ();
}
