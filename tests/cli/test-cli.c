/* The command line as scripts and people use it: the real binary, spawned. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audio/wav.h"
#include "iqgen.h"
#include "tone.h"

static const char *ferrite_bin;
static char *tmp_dir;

typedef struct {
  int exit_status;   /* -1 if killed by a signal */
  char *out;
  gsize out_len;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs ferrite with @args (NULL-terminated) and an environment without any
 * sound server. */
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
  r.out_len = strlen (r.out);
  if (WIFEXITED (wait_status))
    r.exit_status = WEXITSTATUS (wait_status);
  else
    r.exit_status = -1;
  return r;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static void
assert_wav_tone (const char *path, double min_sinad_db, double seconds)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FerWav) wav = fer_wav_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->rate_hz, ==, 48000);
  g_assert_cmpfloat_with_epsilon ((double) wav->n_frames / 48000, seconds, 0.02);
  gsize skip = 48000 / 5;
  FerToneFit fit;
  g_assert_true (fer_tone_fit (wav->frames + skip, wav->n_frames - skip, 48000, 0, &fit));
  g_test_message ("%s: %.3f Hz, SINAD %.1f dB", path, fit.freq_hz, fit.sinad_db);
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, 1000.0, 0.5);
  g_assert_cmpfloat (fit.sinad_db, >=, min_sinad_db);
}

static void
test_demo_station_tone (void)
{
  g_autofree char *wav = tmp_path ("demo.wav");
  const char *args[] = { "--headless", "--source", "demo", "--freq", "100M", "--mode", "wfm",
                         "--seconds", "3", "--audio-out", wav, NULL };
  Run r = run_ferrite (args);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.exit_status, ==, 0);
  assert_wav_tone (wav, 40, 3);
  run_clear (&r);
}

static void
test_iq_file_tone (void)
{
  const double rate = 2.048e6;
  const gsize n = (gsize) (rate * 2);
  g_autofree float complex *iq = fer_iqgen_fm_tone (rate, n, 250e3, 1000, 37500, 0.8);
  g_autofree char *iq_path = tmp_path ("rec.cu8");
  g_autofree char *wav = tmp_path ("file.wav");
  fer_iqgen_write_file (iq_path, iq, n, FER_SAMPLE_CU8);
  g_autofree char *source = g_strdup_printf ("file:%s", iq_path);
  const char *args[] = { "--headless", "--source", source, "--rate", "2.048M", "--center",
                         "96.3M", "--freq", "96.55M", "--audio-out", wav, NULL };
  Run r = run_ferrite (args);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.exit_status, ==, 0);
  assert_wav_tone (wav, 40, 2);
  run_clear (&r);
}

static void
test_wav_to_stdout (void)
{
  const double rate = 1.024e6;
  const gsize n = (gsize) (rate * 1);
  g_autofree float complex *iq = fer_iqgen_fm_tone (rate, n, 0, 1000, 37500, 0.5);
  g_autofree char *iq_path = tmp_path ("rec.cf32");
  fer_iqgen_write_file (iq_path, iq, n, FER_SAMPLE_CF32);
  g_autofree char *source = g_strdup_printf ("file:%s", iq_path);
  const char *args[] = { "--headless", "--source", source, "--format", "cf32", "--rate", "1.024M",
                         "--freq", "100M", "-o", "-", NULL };

  /* stdout is binary here: read it through a file to keep the length. */
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) ferrite_bin);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_autofree char *wav = tmp_path ("stdout.wav");
  int fd = g_open (wav, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  /* Spawned and reaped by hand: no helper threads in the test itself. */
  GPid pid;
  g_autoptr (GError) error = NULL;
  g_spawn_async_with_fds (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                          NULL, &pid, -1, fd, -1, &error);
  g_assert_no_error (error);
  close (fd);
  int wait_status;
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  assert_wav_tone (wav, 50, 1);
}

typedef struct {
  const char *name;
  const char *args[12];
  const char *expect;   /* in stderr */
} BadCase;

static void
test_bad_input (void)
{
  g_autofree char *empty = tmp_path ("empty.cu8");
  g_file_set_contents (empty, "", 0, NULL);
  g_autofree char *src_empty = g_strdup_printf ("file:%s", empty);
  g_autofree char *src_dir = g_strdup_printf ("file:%s", tmp_dir);
  g_autofree char *wav = tmp_path ("never.wav");
  g_autofree char *bad_dir_wav = g_build_filename (tmp_dir, "no", "such", "dir.wav", NULL);

  const BadCase cases[] = {
    { "missing file", { "--headless", "-s", "file:/nonexistent/x.cu8", "-o", wav },
      "No such file" },
    { "a directory", { "--headless", "-s", src_dir, "-o", wav }, "not a regular file" },
    { "empty file", { "--headless", "-s", src_empty, "-o", wav }, "holds no IQ samples" },
    { "unknown format", { "--headless", "-s", src_empty, "--format", "u12", "-o", wav },
      "unknown sample format" },
    { "unknown source", { "--headless", "-s", "hackrf", "-o", wav }, "unknown source" },
    { "frequency too high", { "--headless", "--freq", "3G", "-o", wav }, "out of range" },
    { "frequency too low", { "--headless", "--freq", "1M", "--direct-sampling", "off", "-o", wav }, "out of range" },
    { "frequency garbage", { "--headless", "--freq", "lots", "-o", wav }, "not a frequency" },
    { "rate in the gap", { "--headless", "--rate", "500k", "-o", wav }, "500000 S/s" },
    { "rate too high", { "--headless", "--rate", "10M", "-o", wav }, "10000000 S/s" },
    { "negative seconds", { "--headless", "--seconds", "-3", "-o", wav }, "--seconds" },
    { "absurd seconds", { "--headless", "--seconds", "1e12", "-o", wav }, "--seconds" },
    { "nan seconds", { "--headless", "--seconds", "nan", "-o", wav }, "--seconds" },
    { "unknown mode", { "--headless", "--mode", "dab", "-o", wav }, "unknown mode" },
    { "bad gain", { "--headless", "--gain", "loud", "-o", wav }, "--gain" },
    { "absurd ppm", { "--headless", "--ppm", "50000", "-o", wav }, "--ppm" },
    { "unwritable output", { "--headless", "--seconds", "1", "-o", bad_dir_wav }, "dir.wav" },
    { "unknown option", { "--headless", "--frobnicate" }, "Unknown option" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run r = run_ferrite (cases[i].args);
      g_test_message ("%s: exit %d, stderr: %s", cases[i].name, r.exit_status, r.err);
      if (r.exit_status != 2 || strstr (r.err, cases[i].expect) == NULL)
        g_error ("%s: expected exit 2 and '%s' on stderr, got exit %d and: %s", cases[i].name,
                 cases[i].expect, r.exit_status, r.err);
      /* One clear message: a single line, starting with the program's name. */
      g_assert_true (g_str_has_prefix (r.err, "ferrite: "));
      g_assert_cmpint ((int) (strchr (r.err, '\n') - r.err), ==, (int) strlen (r.err) - 1);
      g_assert_false (g_file_test (wav, G_FILE_TEST_EXISTS));
      run_clear (&r);
    }
}

static void
test_no_audio_device_runs_silently (void)
{
  /* No --audio-out: the sound card, and there is none here. */
  const char *args[] = { "--headless", "--source", "demo", "--seconds", "1", NULL };
  Run r = run_ferrite (args);
  g_assert_cmpint (r.exit_status, ==, 0);
  g_assert_nonnull (strstr (r.err, "No audio output device"));
  run_clear (&r);
}

static void
test_help_and_version (void)
{
  const char *help[] = { "--help", NULL };
  Run r = run_ferrite (help);
  g_assert_cmpint (r.exit_status, ==, 0);
  const char *documented[] = { "--headless", "--source", "--freq", "--mode", "--rate",
                               "--center", "--format", "--gain", "--ppm", "--seconds",
                               "--audio-out", "--realtime", "--list-devices", "file:PATH" };
  for (guint i = 0; i < G_N_ELEMENTS (documented); i++)
    if (strstr (r.out, documented[i]) == NULL)
      g_error ("--help does not mention %s", documented[i]);
  run_clear (&r);

  const char *version[] = { "--version", NULL };
  r = run_ferrite (version);
  g_assert_cmpint (r.exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "ferrite "));
  run_clear (&r);

  const char *list[] = { "--list-devices", NULL };
  r = run_ferrite (list);
  g_assert_cmpint (r.exit_status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Demo dongle"));
  run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ferrite_bin = g_getenv ("FERRITE_BIN");
  g_assert_nonnull (ferrite_bin);
  tmp_dir = g_dir_make_tmp ("ferrite-cli-XXXXXX", NULL);

  g_test_add_func ("/cli/demo-station-tone", test_demo_station_tone);
  g_test_add_func ("/cli/iq-file-tone", test_iq_file_tone);
  g_test_add_func ("/cli/wav-to-stdout", test_wav_to_stdout);
  g_test_add_func ("/cli/bad-input", test_bad_input);
  g_test_add_func ("/cli/no-audio-device-runs-silently", test_no_audio_device_runs_silently);
  g_test_add_func ("/cli/help-and-version", test_help_and_version);
  int rc = g_test_run ();

  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  (void) !system (cmd);
  g_free (tmp_dir);
  return rc;
}
