/* The demodulators from the command line: the real binary on the demo
 * dongle, audio read back from the files it writes. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "audio/wav.h"
#include "tone.h"

static const char *ferrite_bin;
static char *tmp_dir;

typedef struct {
  int exit_status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

static Run
run_ferrite (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) ferrite_bin);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "PULSE_SERVER", "unix:/nonexistent/ferrite-test", TRUE);
  env = g_environ_unsetenv (env, "DISPLAY");
  Run r = { 0 };
  int wait_status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                &wait_status, &error);
  g_assert_no_error (error);
  r.exit_status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return r;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Runs ferrite on the demo at @freq in @mode for @seconds into a WAV (plus
 * @extra arguments), checks it ran cleanly, and reads the WAV back. */
static FerWav *
demo_wav (const char *freq, const char *mode, const char *seconds, const char *const *extra)
{
  g_autofree char *wav = tmp_path ("modes.wav");
  const char *args[24] = { "--headless", "--source", "demo", "--freq", freq, "--mode", mode,
                           "--seconds", seconds, "--audio-out", wav };
  guint n = 11;
  for (guint i = 0; extra && extra[i]; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  Run r = run_ferrite (args);
  if (r.exit_status != 0 || r.err[0] != '\0')
    g_error ("ferrite %s %s exited %d: %s", freq, mode, r.exit_status, r.err);
  run_clear (&r);
  g_autoptr (GError) error = NULL;
  FerWav *w = fer_wav_read (wav, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w->rate_hz, ==, 48000);
  return w;
}

static double
component (const float *x, gsize n, guint stride, double freq_hz)
{
  double cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
  for (gsize i = 0; i < n; i++)
    {
      double w = 2 * G_PI * freq_hz * (double) i / 48000;
      double c = cos (w), s = sin (w);
      cc += c * c;
      ss += s * s;
      cs += c * s;
      xc += x[i * stride] * c;
      xs += x[i * stride] * s;
    }
  double det = cc * ss - cs * cs;
  return hypot ((xc * ss - xs * cs) / det, (xs * cc - xc * cs) / det);
}

static double
rms (const float *x, gsize n, guint stride)
{
  double s = 0;
  for (gsize i = 0; i < n; i++)
    s += (double) x[i * stride] * x[i * stride];
  return sqrt (s / n);
}

static void
test_stereo_left_only (void)
{
  /* The demo's 100.5 MHz station: L = 1 kHz, R silent. */
  g_autoptr (FerWav) w = demo_wav ("100.5M", "wfm-stereo", "2", NULL);
  g_assert_cmpuint (w->channels, ==, 2);
  gsize skip = 48000, n = w->n_frames - skip;
  g_autofree float *left = fer_tone_deinterleave (w->frames + 2 * skip, n, 2, 0);
  FerToneFit fit;
  g_assert_true (fer_tone_fit (left, n, 48000, 0, &fit));
  double l = component (w->frames + 2 * skip, n, 2, 1000);
  double r = component (w->frames + 2 * skip + 1, n, 2, 1000);
  double r_rms = rms (w->frames + 2 * skip + 1, n, 2);
  g_test_message ("100.5 MHz stereo: left %.2f Hz %.3f SINAD %.1f dB; right 1 kHz %.1f dB "
                  "below, right %.1f dBFS rms", fit.freq_hz, fit.amplitude, fit.sinad_db,
                  20 * log10 (l / r), 20 * log10 (r_rms));
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, 1000, 0.5);
  g_assert_cmpfloat (fit.amplitude, >, 0.3);
  g_assert_cmpfloat (fit.sinad_db, >=, 30);
  g_assert_cmpfloat (20 * log10 (l / r), >=, 35);
  g_assert_cmpfloat (20 * log10 (r_rms), <=, -40);
}

static void
test_mono_modes_on_demo (void)
{
  /* The demo's NFM and AM emitters: a 1 kHz tone each, in a mono WAV. */
  const struct { const char *freq, *mode; double min_sinad; } cases[] = {
    { "145.525M", "nfm", 20 },
    { "118.7M", "am", 25 },
    { "118.7M", "am-sync", 25 },
    { "100M", "wfm", 40 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (FerWav) w = demo_wav (cases[i].freq, cases[i].mode, "1.5", NULL);
      g_assert_cmpuint (w->channels, ==, 1);
      gsize skip = 24000;
      FerToneFit fit;
      g_assert_true (fer_tone_fit (w->frames + skip, w->n_frames - skip, 48000, 0, &fit));
      g_test_message ("%s %s: %.2f Hz, %.3f, SINAD %.1f dB", cases[i].freq, cases[i].mode,
                      fit.freq_hz, fit.amplitude, fit.sinad_db);
      g_assert_cmpfloat_with_epsilon (fit.freq_hz, 1000, 0.5);
      g_assert_cmpfloat (fit.sinad_db, >=, cases[i].min_sinad);
    }
}

static void
test_squelch_mutes_weak_station (void)
{
  /* 145.525 MHz is weak: a squelch at -20 dBFS keeps it silent; one at
   * -100 dBFS lets it through. */
  const char *high[] = { "--squelch", "-20", NULL };
  g_autoptr (FerWav) muted = demo_wav ("145.525M", "nfm", "1", high);
  double peak = 0;
  for (gsize i = 0; i < muted->n_frames; i++)
    peak = MAX (peak, fabs (muted->frames[i]));
  const char *low[] = { "--squelch", "-100", NULL };
  g_autoptr (FerWav) open = demo_wav ("145.525M", "nfm", "1", low);
  double r_open = rms (open->frames + 24000, open->n_frames - 24000, 1);
  g_test_message ("squelch: shut, peak %.2e; open, %.1f dBFS rms", peak, 20 * log10 (r_open));
  g_assert_cmpfloat (peak, <, 1e-3);
  g_assert_cmpfloat (20 * log10 (r_open), >, -30);
}

static void
test_raw_iq (void)
{
  /* Raw IQ at the channel rate: 0.5 s at a 50 kHz bandwidth (75 kHz from
   * 2.4 MS/s) is 37500 cf32 frames, and the WFM carrier at 100 MHz fills
   * them at a constant level. */
  g_autofree char *path = tmp_path ("raw.cf32");
  const char *args[] = { "--headless", "--source", "demo", "--freq", "100M", "--mode", "raw",
                         "--bandwidth", "50k", "--seconds", "0.5", "--audio-out", path, NULL };
  Run r = run_ferrite (args);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.exit_status, ==, 0);
  run_clear (&r);
  g_autofree char *data = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, ==, 37500 * 8);
  const float *f = (const float *) data;
  double p = 0;
  for (gsize i = 10000; i < 37500; i++)
    p += f[2 * i] * f[2 * i] + f[2 * i + 1] * f[2 * i + 1];
  p /= 27500;
  g_test_message ("raw: %" G_GSIZE_FORMAT " bytes, power %.1f dBFS", len, 10 * log10 (p));
  g_assert_cmpfloat (10 * log10 (p), >, -40);

  /* Without a place to write it, raw is refused. */
  const char *bad[] = { "--headless", "--source", "demo", "--mode", "raw", NULL };
  Run b = run_ferrite (bad);
  g_assert_cmpint (b.exit_status, ==, 2);
  g_assert_nonnull (strstr (b.err, "--audio-out"));
  run_clear (&b);
}

/* The strongest component within +-@span Hz of @freq_hz (a tuner's step
 * moves a sideband signal's tones by a few Hz). */
static double
strongest_near (const float *x, gsize n, double freq_hz, double span, double *at_hz)
{
  double best = 0;
  for (double f = freq_hz - span; f <= freq_hz + span; f += 0.5)
    {
      double a = component (x, n, 1, f);
      if (a > best)
        {
          best = a;
          *at_hz = f;
        }
    }
  return best;
}

static void
test_sideband_and_cw (void)
{
  /* 144.300 MHz sends a 700 + 1900 Hz two-tone in the upper sideband. */
  const char *agc_off[] = { "--agc", "off", NULL };
  g_autoptr (FerWav) usb = demo_wav ("144.3M", "usb", "1", agc_off);
  g_autoptr (FerWav) lsb = demo_wav ("144.3M", "lsb", "1", agc_off);
  gsize skip = 12000, n = usb->n_frames - skip;
  double f1 = 0, f2 = 0, g1 = 0, g2 = 0;
  double a1 = strongest_near (usb->frames + skip, n, 700, 25, &f1);
  double a2 = strongest_near (usb->frames + skip, n, 1900, 25, &f2);
  double b1 = strongest_near (lsb->frames + skip, n, 700, 25, &g1);
  double b2 = strongest_near (lsb->frames + skip, n, 1900, 25, &g2);
  g_test_message ("usb two-tone: %.1f Hz %.4f, %.1f Hz %.4f; in lsb %.1f dB and %.1f dB down", f1,
                  a1, f2, a2, 20 * log10 (a1 / b1), 20 * log10 (a2 / b2));
  g_assert_cmpfloat (a1, >, 1e-3);
  g_assert_cmpfloat (fabs (20 * log10 (a1 / a2)), <, 1);
  g_assert_cmpfloat_with_epsilon (f2 - f1, 1200, 1);
  g_assert_cmpfloat (20 * log10 (a1 / b1), >, 40);
  g_assert_cmpfloat (20 * log10 (a2 / b2), >, 40);

  /* 144.050 MHz sends Morse: a ~700 Hz note, keyed. */
  g_autoptr (FerWav) cw = demo_wav ("144.05M", "cw", "3", NULL);
  double fc = 0;
  double ac = strongest_near (cw->frames + 48000, cw->n_frames - 48000, 700, 25, &fc);
  gsize on = 0, windows = 0;
  for (gsize i = 48000; i + 480 <= cw->n_frames; i += 480, windows++)
    on += rms (cw->frames + i, 480, 1) > 0.05;
  g_test_message ("cw: %.1f Hz at %.4f, key down %.0f %% of the time", fc, ac,
                  100.0 * on / windows);
  g_assert_cmpfloat (ac, >, 0.02);
  g_assert_cmpfloat ((double) on / windows, >, 0.3);
  g_assert_cmpfloat ((double) on / windows, <, 0.85);
}

static void
test_am_sync_rides_the_fade (void)
{
  /* 27.065 MHz: the carrier sinks 25 dB every 6 s (deepest at 3 s). In the
   * trough the envelope detector folds over; the synchronous one does not. */
  double sinad[2];
  const char *modes[] = { "am", "am-sync" };
  for (guint m = 0; m < 2; m++)
    {
      g_autoptr (FerWav) w = demo_wav ("27.065M", modes[m], "3.6", NULL);
      FerToneFit fit;
      gsize from = (gsize) (2.4 * 48000), to = (gsize) (3.6 * 48000);
      g_assert_true (fer_tone_fit (w->frames + from, to - from, 48000, 1000, &fit));
      sinad[m] = fit.sinad_db;
    }
  g_test_message ("fading AM in the trough: envelope SINAD %.1f dB, synchronous %.1f dB",
                  sinad[0], sinad[1]);
  g_assert_cmpfloat (sinad[1], >=, sinad[0] + 10);
  g_assert_cmpfloat (sinad[1], >=, 25);
}

static void
test_bad_options (void)
{
  const struct { const char *opt, *value, *says; } cases[] = {
    { "--mode", "fm", "wfm-stereo" },
    { "--bandwidth", "1M", "--bandwidth" },
    { "--bandwidth", "wide", "--bandwidth" },
    { "--deemphasis", "60", "--deemphasis" },
    { "--squelch", "loud", "--squelch" },
    { "--squelch", "10", "--squelch" },
    { "--agc", "quick", "--agc" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "--headless", "--source", "demo", "--mode", "nfm", cases[i].opt,
                             cases[i].value, "--seconds", "0.1", "-o", "/dev/null", NULL };
      if (strcmp (cases[i].opt, "--mode") == 0)
        args[4] = cases[i].value;
      Run r = run_ferrite (args);
      g_test_message ("%s %s: %s", cases[i].opt, cases[i].value, r.err);
      g_assert_cmpint (r.exit_status, ==, 2);
      g_assert_nonnull (strstr (r.err, cases[i].says));
      run_clear (&r);
    }
  /* And good ones are taken. */
  const char *good[] = { "--headless", "--source", "demo", "--freq", "100M", "--mode", "wfm",
                         "--deemphasis", "75", "--agc", "slow", "--bandwidth", "180k",
                         "--squelch", "snr:3", "--seconds", "0.2", "-o", "/dev/null", NULL };
  Run r = run_ferrite (good);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.exit_status, ==, 0);
  run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ferrite_bin = g_getenv ("FERRITE_BIN");
  g_assert_nonnull (ferrite_bin);
  tmp_dir = g_dir_make_tmp ("ferrite-cli-modes-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/cli/modes/wfm-stereo-left-only", test_stereo_left_only);
  g_test_add_func ("/cli/modes/mono-modes-on-demo", test_mono_modes_on_demo);
  g_test_add_func ("/cli/modes/squelch-mutes-weak-station", test_squelch_mutes_weak_station);
  g_test_add_func ("/cli/modes/raw-iq", test_raw_iq);
  g_test_add_func ("/cli/modes/sideband-and-cw", test_sideband_and_cw);
  g_test_add_func ("/cli/modes/am-sync-rides-the-fade", test_am_sync_rides_the_fade);
  g_test_add_func ("/cli/modes/bad-options", test_bad_options);
  int rc = g_test_run ();

  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
