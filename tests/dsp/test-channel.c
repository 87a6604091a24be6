/* The WFM channel as a listener would judge it: an FM broadcast synthesised
 * in double precision goes in, and the 1 kHz tone that comes out must have
 * the right frequency and level, and little else with it. */
#include <math.h>
#include <string.h>

#include "dsp/channel.h"
#include "dsp/convert.h"
#include "tone.h"

#define AUDIO_RATE 48000.0
#define DEVIATION_HZ 75000.0
#define TONE_HZ 1000.0
#define SETTLE_S 0.1         /* filter and de-emphasis transients */
#define MEASURE_S 0.3

/* One term of the modulating signal, in units of full deviation (75 kHz). */
typedef struct {
  double amplitude;
  double freq_hz;
} Term;

typedef struct {
  double offset_hz;         /* carrier relative to the source centre */
  double amplitude;         /* carrier amplitude (1 = full scale) */
  const Term *terms;        /* modulation: sum of a_i sin (2 pi f_i t) */
  guint n_terms;
} Station;

/* Adds @st to @x: the phase is the exact integral of the modulation,
 * -a 75k / f cos (2 pi f t) per term, so nothing is lost to numerical
 * integration. */
static void
add_station (double complex *x, gsize n, double rate_hz, const Station *st)
{
  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate_hz;
      double ph = 2 * G_PI * st->offset_hz * t;
      for (guint k = 0; k < st->n_terms; k++)
        ph -= st->terms[k].amplitude * DEVIATION_HZ / st->terms[k].freq_hz
              * cos (2 * G_PI * st->terms[k].freq_hz * t);
      x[i] += st->amplitude * cexp (I * ph);
    }
}

static float complex *
to_float (const double complex *x, gsize n)
{
  float complex *y = g_new (float complex, n);
  for (gsize i = 0; i < n; i++)
    y[i] = (float complex) x[i];
  return y;
}

/* Runs @in through a fresh channel; returns the audio (g_free) and its length. */
static float *
run_channel (double rate_hz, double offset_hz, const float complex *in, gsize n,
             gsize *n_out)
{
  FerChannel *ch = fer_channel_new (rate_hz, FER_MODE_WFM, offset_hz, AUDIO_RATE);
  g_assert_nonnull (ch);
  float *out = g_new (float, fer_channel_max_out (ch, n));
  *n_out = fer_channel_process (ch, in, n, out);
  fer_channel_free (ch);
  return out;
}

/* Fits the tone after the settling time. */
static FerToneFit
measure (const float *audio, gsize n_audio, double freq_hz)
{
  gsize skip = (gsize) (SETTLE_S * AUDIO_RATE);
  g_assert_cmpuint (n_audio, >, skip + 1000);
  FerToneFit fit;
  g_assert_true (fer_tone_fit (audio + skip, n_audio - skip, AUDIO_RATE, freq_hz, &fit));
  return fit;
}

/* Amplitude of the component at exactly @freq_hz (least squares on sin and cos). */
static double
component_amplitude (const float *x, gsize n, double freq_hz)
{
  double cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
  for (gsize i = 0; i < n; i++)
    {
      double w = 2 * G_PI * freq_hz * (double) i / AUDIO_RATE;
      double c = cos (w), s = sin (w);
      cc += c * c;
      ss += s * s;
      cs += c * s;
      xc += x[i] * c;
      xs += x[i] * s;
    }
  double det = cc * ss - cs * cs;
  double a = (xc * ss - xs * cs) / det, b = (xs * cc - xc * cs) / det;
  return hypot (a, b);
}

/* 50 us de-emphasis at @freq_hz: |1 / (1 + j w tau)|. */
static double
deemph_gain (double freq_hz, double tau_s)
{
  double wt = 2 * G_PI * freq_hz * tau_s;
  return 1.0 / sqrt (1.0 + wt * wt);
}

static const Term tone_half_deviation[] = { { 0.5, TONE_HZ } };

typedef struct {
  double rate_hz;
  double offset_hz;
} Case;

static void
check_clean_tone (const Case *c)
{
  gsize n = (gsize) ((SETTLE_S + MEASURE_S) * c->rate_hz);
  g_autofree double complex *x = g_new0 (double complex, n);
  Station st = { c->offset_hz, 0.9, tone_half_deviation, 1 };
  add_station (x, n, c->rate_hz, &st);
  g_autofree float complex *xf = to_float (x, n);

  gsize n_audio;
  g_autofree float *audio = run_channel (c->rate_hz, c->offset_hz, xf, n, &n_audio);
  /* The output count follows the rate ratio exactly (give or take the filter's edge). */
  g_assert_cmpfloat (fabs ((double) n_audio - n * AUDIO_RATE / c->rate_hz), <=, 2);

  FerToneFit fit = measure (audio, n_audio, TONE_HZ);
  g_test_message ("%.0f Hz, offset %+.0f Hz: %.4f Hz, amplitude %.5f, SINAD %.1f dB",
                  c->rate_hz, c->offset_hz, fit.freq_hz, fit.amplitude, fit.sinad_db);
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, TONE_HZ, 0.5);
  double expected = 0.5 * deemph_gain (TONE_HZ, 50e-6);
  g_assert_cmpfloat_with_epsilon (fit.amplitude, expected, expected * 0.005);
  g_assert_cmpfloat (fabs (fit.offset), <, 1e-3);
  g_assert_cmpfloat (fit.sinad_db, >=, 55.0);
}

static void
test_clean_tone (gconstpointer data)
{
  check_clean_tone (data);
}

static void
test_cu8_input (void)
{
  /* What a dongle delivers: 8-bit samples with 127.5 as zero. */
  const double rate = 2400000, offset = 300000;
  gsize n = (gsize) ((SETTLE_S + MEASURE_S) * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  Station st = { offset, 0.7, tone_half_deviation, 1 };
  add_station (x, n, rate, &st);
  g_autofree guint8 *bytes = g_new (guint8, 2 * n);
  for (gsize i = 0; i < n; i++)
    {
      bytes[2 * i] = (guint8) CLAMP (lround (127.5 + 127.5 * creal (x[i])), 0, 255);
      bytes[2 * i + 1] = (guint8) CLAMP (lround (127.5 + 127.5 * cimag (x[i])), 0, 255);
    }
  g_autoptr (FerConverter) conv = fer_converter_new ();
  g_autofree float complex *xf = g_new (float complex, n);
  fer_converter_process (conv, FER_SAMPLE_CU8, bytes, n, xf);

  gsize n_audio;
  g_autofree float *audio = run_channel (rate, offset, xf, n, &n_audio);
  FerToneFit fit = measure (audio, n_audio, TONE_HZ);
  g_test_message ("cu8: %.4f Hz, SINAD %.1f dB", fit.freq_hz, fit.sinad_db);
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, TONE_HZ, 0.5);
  g_assert_cmpfloat (fit.sinad_db, >=, 45.0);
}

static void
test_stereo_multiplex_removed (void)
{
  /* A stereo broadcast's multiplex: the wanted 1 kHz (L+R), the 19 kHz pilot
   * at 10 % deviation and a 38 kHz DSB subcarrier carrying 3 kHz (L-R).
   * Its sidebands at 35 and 41 kHz would fold to 13 and 7 kHz at 48 kHz if
   * they got through. */
  const double rate = 2400000, offset = -700000;
  const Term mpx[] = {
    { 0.5, TONE_HZ },
    { 0.1, 19000 },
    { 0.1, 41000 },    /* 0.2 sin (3k) cos (38k) = 0.1 sin (41k) - 0.1 sin (35k) */
    { -0.1, 35000 },
  };
  gsize n = (gsize) ((SETTLE_S + MEASURE_S) * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  Station st = { offset, 0.9, mpx, G_N_ELEMENTS (mpx) };
  add_station (x, n, rate, &st);
  g_autofree float complex *xf = to_float (x, n);
  gsize n_audio;
  g_autofree float *audio = run_channel (rate, offset, xf, n, &n_audio);
  FerToneFit fit = measure (audio, n_audio, TONE_HZ);

  /* The same station without the multiplex, for reference. */
  memset (x, 0, n * sizeof (double complex));
  Station mono = { offset, 0.9, tone_half_deviation, 1 };
  add_station (x, n, rate, &mono);
  g_autofree float complex *xm = to_float (x, n);
  gsize n_ref;
  g_autofree float *ref = run_channel (rate, offset, xm, n, &n_ref);
  FerToneFit fit_ref = measure (ref, n_ref, TONE_HZ);

  gsize skip = (gsize) (SETTLE_S * AUDIO_RATE);
  double pilot = component_amplitude (audio + skip, n_audio - skip, 19000);
  double fold7 = component_amplitude (audio + skip, n_audio - skip, 7000);
  double fold13 = component_amplitude (audio + skip, n_audio - skip, 13000);
  g_test_message ("multiplex: SINAD %.1f dB (mono %.1f dB); 19 kHz %.1f dB, 7 kHz %.1f dB, "
                  "13 kHz %.1f dB re tone", fit.sinad_db, fit_ref.sinad_db,
                  20 * log10 (pilot / fit.amplitude), 20 * log10 (fold7 / fit.amplitude),
                  20 * log10 (fold13 / fit.amplitude));
  /* Costs at most 1 dB of SINAD, or leaves it far above anything audible. */
  g_assert_cmpfloat (fit.sinad_db, >=, MIN (fit_ref.sinad_db - 1.0, 80.0));
  g_assert_cmpfloat (20 * log10 (pilot / fit.amplitude), <, -60);
  g_assert_cmpfloat (20 * log10 (fold7 / fit.amplitude), <, -60);
  g_assert_cmpfloat (20 * log10 (fold13 / fit.amplitude), <, -60);
  g_assert_cmpfloat_with_epsilon (fit.amplitude, fit_ref.amplitude, fit_ref.amplitude * 1e-3);
}

static void
test_adjacent_channel (void)
{
  /* Another station 400 kHz up, as strong, modulated with 1.7 kHz. */
  const double rate = 2400000, offset = 300000;
  static const Term other_tone[] = { { 0.6, 1700 } };
  gsize n = (gsize) ((SETTLE_S + MEASURE_S) * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  Station wanted = { offset, 0.45, tone_half_deviation, 1 };
  Station other = { offset - 400000, 0.45, other_tone, 1 };
  add_station (x, n, rate, &wanted);
  add_station (x, n, rate, &other);
  g_autofree float complex *xf = to_float (x, n);
  gsize n_audio;
  g_autofree float *audio = run_channel (rate, offset, xf, n, &n_audio);
  FerToneFit fit = measure (audio, n_audio, TONE_HZ);
  gsize skip = (gsize) (SETTLE_S * AUDIO_RATE);
  double leak = component_amplitude (audio + skip, n_audio - skip, 1700);
  g_test_message ("adjacent: SINAD %.1f dB, 1.7 kHz %.1f dB re tone", fit.sinad_db,
                  20 * log10 (leak / fit.amplitude));
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, TONE_HZ, 0.5);
  g_assert_cmpfloat (fit.sinad_db, >=, 50.0);
}

static void
test_chunks_match_whole (void)
{
  /* Block sizes a source might deliver, odd ones included. */
  const double rates[] = { 2400000, 1024000, 250000, 2400120 };
  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    {
      double rate = rates[r], offset = rate > 1e6 ? 212345 : 12345;
      gsize n = (gsize) (0.05 * rate);
      g_autofree double complex *x = g_new0 (double complex, n);
      Station st = { offset, 0.9, tone_half_deviation, 1 };
      add_station (x, n, rate, &st);
      g_autofree float complex *xf = to_float (x, n);

      gsize n_whole;
      g_autofree float *whole = run_channel (rate, offset, xf, n, &n_whole);

      FerChannel *ch = fer_channel_new (rate, FER_MODE_WFM, offset, AUDIO_RATE);
      g_autofree float *chunked = g_new (float, fer_channel_max_out (ch, n));
      const gsize sizes[] = { 1, 7, 1000, 16384, 3, 4096, 65536, 13 };
      gsize pos = 0, n_chunked = 0;
      for (guint i = 0; pos < n; i++)
        {
          gsize take = MIN (sizes[i % G_N_ELEMENTS (sizes)], n - pos);
          gsize bound = fer_channel_max_out (ch, take);
          gsize got = fer_channel_process (ch, xf + pos, take, chunked + n_chunked);
          g_assert_cmpuint (got, <=, bound);
          n_chunked += got;
          pos += take;
        }
      fer_channel_free (ch);

      g_assert_cmpuint (n_chunked, ==, n_whole);
      for (gsize i = 0; i < n_whole; i++)
        if (fabsf (chunked[i] - whole[i]) > 1e-6f)
          g_error ("rate %.0f: sample %" G_GSIZE_FORMAT " differs: %g vs %g", rate, i,
                   chunked[i], whole[i]);
    }
}

static void
test_steps_compose_process (void)
{
  /* shift_decimate -> demodulate -> resample is process (), in any blocks. */
  const double rate = 3200000, offset = -345678;
  gsize n = (gsize) (0.03 * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  Station st = { offset, 0.9, tone_half_deviation, 1 };
  add_station (x, n, rate, &st);
  g_autofree float complex *xf = to_float (x, n);
  gsize n_whole;
  g_autofree float *whole = run_channel (rate, offset, xf, n, &n_whole);

  g_autoptr (FerChannel) ch = fer_channel_new (rate, FER_MODE_WFM, offset, AUDIO_RATE);
  g_autofree float complex *iq = g_new (float complex, fer_channel_max_channel_samples (ch, n));
  g_autofree float *demod = g_new (float, fer_channel_max_channel_samples (ch, n));
  g_autofree float *audio = g_new (float, fer_channel_max_out (ch, n));
  gsize n_iq = fer_channel_shift_decimate (ch, xf, n, iq);
  g_assert_cmpfloat (fabs (n_iq - n / (rate / fer_channel_get_channel_rate (ch))), <=, 1);
  g_assert_cmpuint (fer_channel_demodulate (ch, iq, n_iq, demod), ==, n_iq);
  gsize n_audio = fer_channel_resample (ch, demod, n_iq, audio);
  g_assert_cmpuint (n_audio, ==, n_whole);
  g_assert_cmpmem (audio, n_audio * sizeof (float), whole, n_whole * sizeof (float));
}

static void
test_reset_forgets (void)
{
  const double rate = 1024000, offset = -100000;
  gsize n = (gsize) (0.03 * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  Station st = { offset, 0.9, tone_half_deviation, 1 };
  add_station (x, n, rate, &st);
  g_autofree float complex *xf = to_float (x, n);

  FerChannel *ch = fer_channel_new (rate, FER_MODE_WFM, offset, AUDIO_RATE);
  g_autofree float *a = g_new (float, fer_channel_max_out (ch, n));
  g_autofree float *b = g_new (float, fer_channel_max_out (ch, n));
  gsize na = fer_channel_process (ch, xf, n, a);
  fer_channel_reset (ch);
  gsize nb = fer_channel_process (ch, xf, n, b);
  fer_channel_free (ch);
  g_assert_cmpuint (na, ==, nb);
  g_assert_cmpmem (a, na * sizeof (float), b, nb * sizeof (float));
}

static void
test_retune_without_click (void)
{
  /* An unmodulated carrier. Channel A is tuned to it all along; channel B
   * starts 1.6 kHz off (a DC level in the audio) and is retuned halfway.
   * The discriminator ignores a constant phase, so after the change B must
   * follow A; in between, B's output may only move smoothly from its old
   * level to A's: a phase jump in either oscillator would be a spike. */
  const double rate = 2400000, carrier = 301000, first = carrier + 1600;
  gsize n = (gsize) (0.1 * rate), half = n / 2 + 777;
  g_autofree double complex *x = g_new0 (double complex, n);
  Station st = { carrier, 0.9, NULL, 0 };
  add_station (x, n, rate, &st);
  g_autofree float complex *xf = to_float (x, n);

  gsize n_a;
  g_autofree float *a = run_channel (rate, carrier, xf, n, &n_a);
  FerChannel *ch = fer_channel_new (rate, FER_MODE_WFM, first, AUDIO_RATE);
  g_autofree float *b = g_new (float, fer_channel_max_out (ch, n));
  gsize n_b = fer_channel_process (ch, xf, half, b);
  gsize switch_at = n_b;
  fer_channel_set_offset (ch, carrier);
  g_assert_cmpfloat (fer_channel_get_offset (ch), ==, carrier);
  n_b += fer_channel_process (ch, xf + half, n - half, b + n_b);
  fer_channel_free (ch);
  g_assert_cmpuint (n_a, ==, n_b);

  /* Before: tuned 1.6 kHz above the carrier, the audio reads -1.6/75 (less de-emphasis, which is 1 at DC). */
  double level = -1600.0 / DEVIATION_HZ;
  gsize settle = (gsize) (0.02 * AUDIO_RATE);
  for (gsize i = settle; i < switch_at; i++)
    g_assert_cmpfloat_with_epsilon (b[i] - a[i], level, 1e-4);
  double lo = level - 0.02 * fabs (level), hi = 0.02 * fabs (level);
  double worst = 0;
  for (gsize i = switch_at; i < n_b; i++)
    {
      double d = b[i] - a[i];
      worst = MAX (worst, MAX (d - hi, lo - d));
    }
  g_test_message ("retune: worst excursion outside the step %.2e", worst);
  g_assert_cmpfloat (worst, <=, 0);
  /* And it does arrive. */
  g_assert_cmpfloat (fabs (b[n_b - 1] - a[n_b - 1]), <, 1e-4);
}

static void
test_deemphasis_75us (void)
{
  const double rate = 2048000, offset = 0;
  gsize n = (gsize) ((SETTLE_S + MEASURE_S) * rate);
  g_autofree double complex *x = g_new0 (double complex, n);
  static const Term tone5k[] = { { 0.3, 5000 } };
  Station st = { offset, 0.9, tone5k, 1 };
  add_station (x, n, rate, &st);
  g_autofree float complex *xf = to_float (x, n);

  const double taus[] = { 50e-6, 75e-6, 0 };
  for (guint i = 0; i < G_N_ELEMENTS (taus); i++)
    {
      FerChannel *ch = fer_channel_new (rate, FER_MODE_WFM, offset, AUDIO_RATE);
      g_assert_cmpfloat (fer_channel_get_deemphasis (ch), ==, 50e-6);
      fer_channel_set_deemphasis (ch, taus[i]);
      g_assert_cmpfloat (fer_channel_get_deemphasis (ch), ==, taus[i]);
      g_autofree float *audio = g_new (float, fer_channel_max_out (ch, n));
      gsize n_audio = fer_channel_process (ch, xf, n, audio);
      fer_channel_free (ch);
      FerToneFit fit = measure (audio, n_audio, 5000);
      double expected = 0.3 * deemph_gain (5000, taus[i]);
      g_test_message ("tau %.0f us: 5 kHz at %.5f, expected %.5f", taus[i] * 1e6,
                      fit.amplitude, expected);
      g_assert_cmpfloat_with_epsilon (20 * log10 (fit.amplitude / expected), 0, 0.1);
    }
}

static void
test_rates_and_bandwidth (void)
{
  const struct { double in, channel; } rates[] = {
    { 2400000, 0 }, { 2048000, 0 }, { 1024000, 256000 },
    { 3200000, 0 }, { 250000, 250000 }, { 1800000, 0 }, { 2400120, 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      g_autoptr (FerChannel) ch = fer_channel_new (rates[i].in, FER_MODE_WFM, 0, AUDIO_RATE);
      g_assert_nonnull (ch);
      double chr = fer_channel_get_channel_rate (ch);
      g_autofree gchar *desc = fer_channel_dup_description (ch);
      g_test_message ("%s", desc);
      if (rates[i].channel > 0)
        g_assert_cmpfloat (chr, ==, rates[i].channel);
      /* An integer decimation to between ~200 and 300 kHz, none below 400 kHz. */
      double d = rates[i].in / chr;
      g_assert_cmpfloat (fabs (d - round (d)), <, 1e-9);
      if (rates[i].in < 400000)
        g_assert_cmpfloat (d, ==, 1);
      else
        {
          g_assert_cmpfloat (chr, >=, 200000);
          g_assert_cmpfloat (chr, <=, 300000 * 1.001);   /* a ppm-corrected 2.4 MS/s */
        }
      g_assert_cmpfloat (fer_channel_get_bandwidth (ch), >=, 170000);
      g_assert_cmpfloat (fer_channel_get_bandwidth (ch), <=, 200000);
      g_assert_cmpfloat (fer_channel_get_in_rate (ch), ==, rates[i].in);
      g_assert_cmpfloat (fer_channel_get_audio_rate (ch), ==, AUDIO_RATE);
      g_assert_cmpint (fer_channel_get_mode (ch), ==, FER_MODE_WFM);
    }
  /* Too narrow for broadcast FM, or an audio rate above the channel's. */
  g_assert_null (fer_channel_new (100000, FER_MODE_WFM, 0, AUDIO_RATE));
  g_assert_null (fer_channel_new (250000, FER_MODE_WFM, 0, 384000));
}

static void
test_mode_names (void)
{
  FerMode mode = (FerMode) -1;
  g_assert_cmpstr (fer_mode_name (FER_MODE_WFM), ==, "wfm");
  g_assert_true (fer_mode_parse ("wfm", &mode));
  g_assert_cmpint (mode, ==, FER_MODE_WFM);
  g_assert_true (fer_mode_parse ("WFM", &mode));
  g_assert_false (fer_mode_parse ("wfmx", &mode));
  g_assert_false (fer_mode_parse ("", &mode));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  static const Case cases[] = {
    { 2400000, 0 }, { 2400000, 300000 }, { 2400000, -700000 },
    { 2048000, 0 }, { 2048000, 300000 }, { 2048000, -700000 },
    { 1024000, 0 }, { 1024000, 300000 },
    { 250000, 0 },
    { 3200000, 0 }, { 3200000, 300000 }, { 3200000, -700000 },
    { 2400120, -700000 },   /* a ppm-corrected rate: the fractional resampler */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/dsp/channel/wfm-tone/%.0f/%+.0f",
                                                cases[i].rate_hz, cases[i].offset_hz);
      g_test_add_data_func (path, &cases[i], test_clean_tone);
    }
  g_test_add_func ("/dsp/channel/wfm-cu8-input-keeps-sinad", test_cu8_input);
  g_test_add_func ("/dsp/channel/wfm-stereo-multiplex-removed", test_stereo_multiplex_removed);
  g_test_add_func ("/dsp/channel/wfm-adjacent-channel-rejected", test_adjacent_channel);
  g_test_add_func ("/dsp/channel/chunks-match-whole", test_chunks_match_whole);
  g_test_add_func ("/dsp/channel/steps-compose-process", test_steps_compose_process);
  g_test_add_func ("/dsp/channel/reset-forgets", test_reset_forgets);
  g_test_add_func ("/dsp/channel/retune-without-click", test_retune_without_click);
  g_test_add_func ("/dsp/channel/deemphasis-50-75-off", test_deemphasis_75us);
  g_test_add_func ("/dsp/channel/rates-and-bandwidth", test_rates_and_bandwidth);
  g_test_add_func ("/dsp/channel/mode-names", test_mode_names);
  return g_test_run ();
}
