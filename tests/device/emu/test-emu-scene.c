/* Tests of the scene synthesis: modulation content, levels, continuity, and
 * the documented default scene. */
#include <math.h>
#include <string.h>

#include "device/emu/scene.h"
#include "test-emu-common.h"
#include "tone.h"

/* 960 kHz and 96000 samples: 10 Hz bins, every tone below on a bin. */
#define RATE_HZ 960000.0
#define N       96000

static FerSceneWindow
window_at (double center_hz, double rate_hz)
{
  FerSceneWindow w = { .rate_hz = rate_hz, .noise_gain = 1.0, .n_views = 1 };
  w.views[0] = (FerSceneView) { .center_hz = center_hz, .mirrored = FALSE, .split_hz = 0,
                                .gain_below = 1.0, .gain_above = 1.0 };
  return w;
}

/* Instantaneous frequency in Hz of interleaved IQ. */
static float *
fm_demod (const float *iq, gsize n, double rate_hz)
{
  float *f = g_new0 (float, n);
  for (gsize k = 1; k < n; k++)
    {
      float re = iq[2 * k] * iq[2 * k - 2] + iq[2 * k + 1] * iq[2 * k - 1];
      float im = iq[2 * k + 1] * iq[2 * k - 2] - iq[2 * k] * iq[2 * k - 1];
      f[k] = atan2f (im, re) * (float) (rate_hz / (2 * G_PI));
    }
  f[0] = f[1];
  return f;
}

/* Amplitude and phase of the @freq_hz component of @x (exact bin). */
static double
component (const float *x, gsize n, double freq_hz, double rate_hz, double *phase)
{
  double re = 0, im = 0;
  for (gsize k = 0; k < n; k++)
    {
      double a = 2 * G_PI * freq_hz / rate_hz * k;
      re += x[k] * cos (a);
      im -= x[k] * sin (a);
    }
  if (phase != NULL)
    *phase = atan2 (im, re);
  return 2 * sqrt (re * re + im * im) / n;
}

static float *
render_one (const FerEmitter *e, double center_hz, double rate_hz, gsize n)
{
  g_autoptr (FerScene) scene = fer_scene_new (-300.0);
  fer_scene_add (scene, e);
  FerSceneWindow w = window_at (center_hz, rate_hz);
  float *iq = g_new (float, 2 * n);
  fer_scene_render (scene, &w, iq, n);
  return iq;
}

static void
test_wfm_multiplex (void)
{
  FerEmitter e = { .label = "L=R", .kind = FER_EMITTER_WFM_STEREO, .freq_hz = 100e6,
                   .level_dbfs = -10, .audio_level = 0.5,
                   .left = { { 1000 }, 1, 0 }, .right = { { 1000 }, 1, 0 } };
  float *iq = render_one (&e, 100e6, RATE_HZ, N);
  float *mpx = fm_demod (iq, N, RATE_HZ);

  /* L = R: the sum channel at 50 % of 75 kHz, a 10 % pilot, no subcarrier. */
  g_assert_cmpfloat_with_epsilon (component (mpx, N, 1000, RATE_HZ, NULL), 37500, 200);
  g_assert_cmpfloat_with_epsilon (component (mpx, N, 19000, RATE_HZ, NULL), 7500, 100);
  g_assert_cmpfloat (component (mpx, N, 37000, RATE_HZ, NULL), <, 50);
  g_assert_cmpfloat (component (mpx, N, 39000, RATE_HZ, NULL), <, 50);
  /* Carrier level. */
  double p = 0;
  for (gsize k = 0; k < 2 * N; k++)
    p += iq[k] * iq[k];
  g_assert_cmpfloat_with_epsilon (10 * log10 (p / N), -10.0, 0.05);
  g_free (iq);
  g_free (mpx);

  /* Left only: the difference rides on 38 kHz, locked to the pilot. */
  e.right.n_notes = 0;
  iq = render_one (&e, 100e6, RATE_HZ, N);
  mpx = fm_demod (iq, N, RATE_HZ);
  double pilot_phase;
  component (mpx, N, 19000, RATE_HZ, &pilot_phase);
  double sum = component (mpx, N, 1000, RATE_HZ, NULL);
  g_assert_cmpfloat_with_epsilon (sum, 0.5 * 0.5 * 75000, 200);
  /* Demodulate the difference with a subcarrier regenerated from the pilot
   * (pilot = sin(w t + p0) means the subcarrier is sin(2 w t + 2 p0)). */
  double p0 = pilot_phase + G_PI / 2;
  float *diff = g_new (float, N);
  for (gsize k = 0; k < N; k++)
    diff[k] = mpx[k] * 2.0f * (float) sin (2 * (2 * G_PI * 19000 / RATE_HZ * k + p0));
  double difference = component (diff, N, 1000, RATE_HZ, NULL);
  g_test_message ("left only: L+R %.0f Hz, L-R %.0f Hz", sum, difference);
  g_assert_cmpfloat_with_epsilon (difference, sum, 0.02 * sum);
  g_free (diff);
  g_free (iq);
  g_free (mpx);
}

static void
test_nfm_deviation (void)
{
  FerEmitter e = { .label = "nfm", .kind = FER_EMITTER_NFM, .freq_hz = 145.5e6,
                   .level_dbfs = -20, .deviation_hz = 5000, .left = { { 1000 }, 1, 0 } };
  /* Offset from the centre, so the offset oscillator is exercised too. */
  float *iq = render_one (&e, 145.5e6 - 100e3, RATE_HZ, N);
  float *f = fm_demod (iq, N, RATE_HZ);
  /* Audio bandwidth: 5 kHz. */
  float *taps = test_lowpass_taps (255, 5000 / RATE_HZ);
  gsize n_audio = N - 255;
  float *audio = g_new (float, n_audio);
  for (gsize k = 0; k < n_audio; k++)
    {
      float acc = 0;
      for (guint t = 0; t < 255; t++)
        acc += taps[t] * f[k + 255 - t];
      audio[k] = acc;
    }
  /* The filter's own response at 1 kHz. */
  double h = 0;
  for (guint t = 0; t < 255; t++)
    h += taps[t] * cos (2 * G_PI * 1000 / RATE_HZ * ((double) t - 127));
  FerToneFit fit;
  g_assert_true (fer_tone_fit (audio, n_audio, RATE_HZ, 1000, &fit));
  g_test_message ("NFM: deviation %.1f Hz, SINAD %.1f dB", fit.amplitude / h, fit.sinad_db);
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, 1000, 0.01);
  g_assert_cmpfloat_with_epsilon (fit.amplitude / h, 5000, 25);
  g_assert_cmpfloat_with_epsilon (fit.offset, 100e3, 1);
  g_assert_cmpfloat (fit.sinad_db, >, 45);
  g_free (iq);
  g_free (f);
  g_free (taps);
  g_free (audio);
}

static void
test_am_depth (void)
{
  FerEmitter e = { .label = "am", .kind = FER_EMITTER_AM, .freq_hz = 118.7e6,
                   .level_dbfs = -20, .am_depth = 0.5, .left = { { 1000 }, 1, 0 } };
  float *iq = render_one (&e, 118.7e6 + 250e3, RATE_HZ, N);
  float *env = g_new (float, N);
  for (gsize k = 0; k < N; k++)
    env[k] = hypotf (iq[2 * k], iq[2 * k + 1]);
  FerToneFit fit;
  g_assert_true (fer_tone_fit (env, N, RATE_HZ, 1000, &fit));
  g_assert_cmpfloat_with_epsilon (fit.amplitude / fit.offset, 0.5, 0.005);
  g_assert_cmpfloat_with_epsilon (fit.offset, pow (10, -20 / 20.0), 1e-3);
  /* And it sits 250 kHz below the centre. */
  g_assert_cmpfloat (component (env, N, 1000, RATE_HZ, NULL), >, 0.0);
  float *f = fm_demod (iq, N, RATE_HZ);
  double mean = 0;
  for (gsize k = 1; k < N; k++)
    mean += f[k];
  g_assert_cmpfloat_with_epsilon (mean / (N - 1), -250e3, 1.0);
  g_free (iq);
  g_free (env);
  g_free (f);
}

static void
test_mirrored_view_conjugates (void)
{
  FerEmitter e = { .label = "nfm", .kind = FER_EMITTER_NFM, .freq_hz = 145.5e6,
                   .level_dbfs = -20, .deviation_hz = 5000, .left = { { 1000 }, 1, 0 } };
  g_autoptr (FerScene) a = fer_scene_new (-300.0);
  g_autoptr (FerScene) b = fer_scene_new (-300.0);
  fer_scene_add (a, &e);
  fer_scene_add (b, &e);
  FerSceneWindow wa = window_at (145.4e6, RATE_HZ), wb = wa;
  wb.views[0].mirrored = TRUE;
  float *x = g_new (float, 2 * 4096), *y = g_new (float, 2 * 4096);
  fer_scene_render (a, &wa, x, 4096);
  fer_scene_render (b, &wb, y, 4096);
  /* y = conj (x) up to a constant phase (the carrier phase is arbitrary). */
  double theta = atan2 (y[1], y[0]) - atan2 (-x[1], x[0]);
  float c = (float) cos (theta), s = (float) sin (theta);
  for (gsize k = 0; k < 4096; k++)
    {
      float re = x[2 * k], im = -x[2 * k + 1];
      g_assert_cmpfloat_with_epsilon (y[2 * k], re * c - im * s, 1e-3);
      g_assert_cmpfloat_with_epsilon (y[2 * k + 1], re * s + im * c, 1e-3);
    }
  g_free (x);
  g_free (y);
}

static void
test_noise_floor_level (void)
{
  g_autoptr (FerScene) scene = fer_scene_new (-120.0);
  FerSceneWindow w = window_at (100e6, 2.4e6);
  const gsize n = 1 << 18;
  float *iq = g_new (float, 2 * n);
  fer_scene_render (scene, &w, iq, n);
  double p = 0, mean_i = 0;
  for (gsize k = 0; k < n; k++)
    {
      p += iq[2 * k] * iq[2 * k] + iq[2 * k + 1] * iq[2 * k + 1];
      mean_i += iq[2 * k];
    }
  /* -120 dBFS/Hz over 2.4 MHz = -56.2 dBFS. */
  g_assert_cmpfloat_with_epsilon (10 * log10 (p / n), -120 + 10 * log10 (2.4e6), 0.1);
  g_assert_cmpfloat_with_epsilon (10 * log10 (fer_scene_window_power (scene, &w)),
                                  -120 + 10 * log10 (2.4e6), 1e-9);
  g_assert_cmpfloat (fabs (mean_i / n), <, 0.01 * sqrt (p / n));

  /* White: equal power in the lower and upper halves of the band. */
  double *re = g_new (double, 65536), *im = g_new (double, 65536);
  for (gsize k = 0; k < 65536; k++)
    {
      re[k] = iq[2 * k];
      im[k] = iq[2 * k + 1];
    }
  test_fft (re, im, 65536);
  double lo = 0, hi = 0;
  for (gsize k = 1; k < 32768; k++)
    {
      hi += re[k] * re[k] + im[k] * im[k];
      lo += re[65536 - k] * re[65536 - k] + im[65536 - k] * im[65536 - k];
    }
  g_assert_cmpfloat_with_epsilon (10 * log10 (hi / lo), 0.0, 0.2);
  g_free (re);
  g_free (im);
  g_free (iq);
}

static void
test_only_visible_emitters_render (void)
{
  FerEmitter e = { .label = "c", .kind = FER_EMITTER_CARRIER, .freq_hz = 100e6 + 1.3e6,
                   .level_dbfs = -10 };
  g_autoptr (FerScene) scene = fer_scene_new (-300.0);
  fer_scene_add (scene, &e);
  FerSceneWindow w = window_at (100e6, 2.4e6);
  g_assert_cmpfloat (fer_scene_window_power (scene, &w), <, 1e-15);
  float iq[2 * 256];
  fer_scene_render (scene, &w, iq, 256);
  for (gsize k = 0; k < 2 * 256; k++)
    g_assert_cmpfloat (fabsf (iq[k]), <, 1e-6f);
  w.rate_hz = 3.2e6;
  g_assert_cmpfloat_with_epsilon (fer_scene_window_power (scene, &w), 0.1, 1e-6);
}

static void
test_chunking_does_not_change_output (void)
{
  g_autoptr (FerScene) a = fer_scene_new_default ();
  g_autoptr (FerScene) b = fer_scene_new_default ();
  FerSceneWindow w = window_at (100.2e6, 2.4e6);
  const gsize n = 40000;
  const gsize chunks[] = { 1, 7, 1000, 1023, 4096, 333 };
  float *x = g_new (float, 2 * n), *y = g_new (float, 2 * n);

  fer_scene_render (a, &w, x, n);
  gsize done = 0;
  for (guint i = 0; done < n; i = (i + 1) % G_N_ELEMENTS (chunks))
    {
      gsize m = MIN (chunks[i], n - done);
      fer_scene_render (b, &w, y + 2 * done, m);
      done += m;
    }
  for (gsize k = 0; k < 2 * n; k++)
    g_assert_cmpfloat_with_epsilon (y[k], x[k], 1e-5);
  g_assert_cmpfloat_with_epsilon (fer_scene_get_time (b), n / 2.4e6, 1e-12);
  g_free (x);
  g_free (y);
}

static void
test_phase_continues_across_retune (void)
{
  /* A tone keeps its audio phase while tuned away: the FM audio after
   * coming back fits the same sine as before leaving. */
  FerEmitter e = { .label = "nfm", .kind = FER_EMITTER_NFM, .freq_hz = 145.5e6,
                   .level_dbfs = -20, .deviation_hz = 5000, .left = { { 700 }, 1, 0 } };
  g_autoptr (FerScene) scene = fer_scene_new (-300.0);
  fer_scene_add (scene, &e);
  FerSceneWindow here = window_at (145.5e6, RATE_HZ), away = window_at (440e6, RATE_HZ);
  const gsize n = 9600, gap = 12345;
  float *iq = g_new (float, 2 * (n + gap));
  fer_scene_render (scene, &here, iq, n);
  fer_scene_render (scene, &away, iq + 2 * n, gap);
  fer_scene_render (scene, &here, iq + 2 * n, n);
  float *f1 = fm_demod (iq, n, RATE_HZ), *f2 = fm_demod (iq + 2 * n, n, RATE_HZ);
  FerToneFit t1, t2;
  g_assert_true (fer_tone_fit (f1 + 1, n - 1, RATE_HZ, 700, &t1));
  g_assert_true (fer_tone_fit (f2 + 1, n - 1, RATE_HZ, 700, &t2));
  /* Predict the second stretch from the first fit: residual stays small. */
  double w = 2 * G_PI * 700 / RATE_HZ, err = 0, phase1, phase2;
  component (f1 + 1, n - 1, 700, RATE_HZ, &phase1);
  component (f2 + 1, n - 1, 700, RATE_HZ, &phase2);
  double expected = phase1 + w * (n + gap);
  err = remainder (phase2 - expected, 2 * G_PI);
  g_assert_cmpfloat (fabs (err), <, 0.01);
  g_free (iq);
  g_free (f1);
  g_free (f2);
}

static void
test_default_scene_table (void)
{
  guint n = 0, n_wfm = 0, n_nfm = 0, n_am = 0;
  const FerEmitter *e = fer_scene_default_emitters (&n);
  const FerEmitter *ref = NULL;
  g_assert_cmpuint (n, >, 0);

  for (guint i = 0; i < n; i++)
    {
      switch (e[i].kind)
        {
        case FER_EMITTER_WFM_STEREO:
          g_assert_cmpfloat (e[i].freq_hz, >=, 88e6);
          g_assert_cmpfloat (e[i].freq_hz, <=, 108e6);
          g_assert_cmpfloat (e[i].audio_level, <=, 0.9);
          n_wfm++;
          for (guint j = 0; j < n; j++)
            if (j != i && e[j].kind == FER_EMITTER_WFM_STEREO)
              g_assert_cmpfloat (fabs (e[j].freq_hz - e[i].freq_hz), >=, 0.4e6 - 1);
          if (e[i].freq_hz == 100.0e6)
            ref = &e[i];
          break;
        case FER_EMITTER_NFM:
          g_assert_true (e[i].deviation_hz == 2500 || e[i].deviation_hz == 5000);
          n_nfm++;
          break;
        case FER_EMITTER_AM:
          g_assert_cmpfloat_with_epsilon (e[i].am_depth, 0.5, 1e-9);
          n_am++;
          break;
        case FER_EMITTER_CARRIER:
          break;
        case FER_EMITTER_USB:
        case FER_EMITTER_LSB:
          g_assert_cmpuint (e[i].left.n_notes, >=, 1);
          break;
        case FER_EMITTER_CW:
          g_assert_nonnull (e[i].morse);
          break;
        case FER_EMITTER_AM_FADING:
          g_assert_cmpfloat (e[i].fade_db, >, 0);
          g_assert_cmpfloat (e[i].fade_period_s, >, 0);
          break;
        }
      g_assert_nonnull (e[i].label);
    }
  g_assert_cmpuint (n_wfm, >=, 5);
  g_assert_cmpuint (n_nfm, >=, 2);
  g_assert_cmpuint (n_am, >=, 2);

  /* The reference station: 100.0 MHz, steady L = R = 1 kHz at 50 %. */
  g_assert_nonnull (ref);
  g_assert_cmpuint (ref->left.n_notes, ==, 1);
  g_assert_cmpuint (ref->right.n_notes, ==, 1);
  g_assert_cmpfloat (ref->left.notes_hz[0], ==, 1000.0f);
  g_assert_cmpfloat (ref->right.notes_hz[0], ==, 1000.0f);
  g_assert_cmpfloat_with_epsilon (ref->audio_level, 0.5, 1e-9);
  g_assert_cmpfloat (ref->key_on_s, ==, 0.0);
  for (guint i = 0; i < n; i++)
    if (&e[i] != ref)
      g_assert_cmpfloat (e[i].level_dbfs, <, ref->level_dbfs);

  /* The scene object holds the same list. */
  g_autoptr (FerScene) scene = fer_scene_new_default ();
  g_assert_cmpuint (fer_scene_get_n_emitters (scene), ==, n);
  g_assert_cmpfloat (fer_scene_get_emitter (scene, 0)->freq_hz, ==, e[0].freq_hz);
}

static void
test_keyed_emitter_pauses (void)
{
  FerEmitter e = { .label = "keyed", .kind = FER_EMITTER_CARRIER, .freq_hz = 433.92e6,
                   .level_dbfs = -10, .key_on_s = 0.01, .key_off_s = 0.02 };
  float *iq = render_one (&e, 433.92e6, 100000, 6000);  /* 60 ms */
  /* On 0-10 ms, off 10-30 ms, on 30-40 ms ... */
  g_assert_cmpfloat (hypotf (iq[2 * 500], iq[2 * 500 + 1]), >, 0.3f);
  g_assert_cmpfloat (hypotf (iq[2 * 1500], iq[2 * 1500 + 1]), <, 1e-6f);
  g_assert_cmpfloat (hypotf (iq[2 * 3500], iq[2 * 3500 + 1]), >, 0.3f);
  g_assert_cmpfloat (hypotf (iq[2 * 999], iq[2 * 999 + 1]), >, 0.3f);
  g_assert_cmpfloat (hypotf (iq[2 * 1001], iq[2 * 1001 + 1]), <, 1e-6f);
  g_free (iq);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/device/emu/scene/wfm-multiplex", test_wfm_multiplex);
  g_test_add_func ("/device/emu/scene/nfm-deviation", test_nfm_deviation);
  g_test_add_func ("/device/emu/scene/am-depth", test_am_depth);
  g_test_add_func ("/device/emu/scene/mirrored-view-conjugates", test_mirrored_view_conjugates);
  g_test_add_func ("/device/emu/scene/noise-floor-level", test_noise_floor_level);
  g_test_add_func ("/device/emu/scene/only-visible-emitters-render",
                   test_only_visible_emitters_render);
  g_test_add_func ("/device/emu/scene/chunking-does-not-change-output",
                   test_chunking_does_not_change_output);
  g_test_add_func ("/device/emu/scene/phase-continues-across-retune",
                   test_phase_continues_across_retune);
  g_test_add_func ("/device/emu/scene/keyed-emitter-pauses", test_keyed_emitter_pauses);
  g_test_add_func ("/device/emu/scene/default-scene-table", test_default_scene_table);
  return g_test_run ();
}
