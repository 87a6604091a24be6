/* `ferrite --rds`: what the demo dongle's stations send, as JSON lines. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

static const char *ferrite_bin;
static char *tmp_dir;

typedef struct {
  int exit_status;   /* -1 if killed by a signal */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs ferrite with @args (NULL-terminated), with no sound server nor display. */
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
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");

  Run r = { 0 };
  int wait_status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                &wait_status, &error);
  g_assert_no_error (error);
  r.exit_status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return r;
}

/* The lines of @text that are JSON objects, checked to be one each. */
static GPtrArray *
json_lines (const char *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) all = g_strsplit (text, "\n", -1);
  for (guint i = 0; all[i]; i++)
    if (all[i][0] == '{')
      {
        g_assert_true (g_str_has_suffix (all[i], "}"));
        g_ptr_array_add (lines, g_strdup (all[i]));
      }
  return lines;
}

static void
test_demo_100m_to_file (void)
{
  /* The reference station: name, text, type, clock and AFs as the scene
   * documents them, in a file; each line differs from the one before. */
  g_autofree char *path = g_build_filename (tmp_dir, "rds.json", NULL);
  const char *args[] = { "--headless", "--source", "demo", "--freq", "100M", "--mode", "wfm",
                         "--rds", path, "--seconds", "5", "-o", "/dev/null", NULL };
  Run r = run_ferrite (args);
  g_assert_cmpint (r.exit_status, ==, 0);
  g_assert_null (strstr (r.err, "{\""));

  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_autoptr (GPtrArray) lines = json_lines (text);
  g_test_message ("%u lines; last: %s", lines->len,
                  lines->len ? (char *) g_ptr_array_index (lines, lines->len - 1) : "");
  g_assert_cmpuint (lines->len, >=, 2);
  for (guint i = 1; i < lines->len; i++)
    g_assert_cmpstr (g_ptr_array_index (lines, i), !=, g_ptr_array_index (lines, i - 1));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 0), "{\"pi\":\"0x1234\""));
  g_assert_cmpstr (g_ptr_array_index (lines, lines->len - 1), ==,
                   "{\"pi\":\"0x1234\",\"pty\":10,\"tp\":false,\"ta\":false,\"ps\":\"FERRITE1\","
                   "\"rt\":\"Ferrite demo: 1 kHz test tone\",\"ab\":0,"
                   "\"ct\":\"2026-11-25T10:00:00+01:00\",\"af\":[96.7,101.1]}");
  run_clear (&r);
}

static void
test_stderr_and_ab_flip (void)
{
  /* Without FILE the lines go to stderr. 94.6 MHz takes turns between two
   * texts every 10 s: the old one is cleared when the A/B flag flips. */
  const char *args[] = { "--headless", "--source", "demo", "--freq", "94.6M", "--mode",
                         "wfm-stereo", "--rds", "--seconds", "12", "-o", "/dev/null", NULL };
  Run r = run_ferrite (args);
  g_assert_cmpint (r.exit_status, ==, 0);
  g_autoptr (GPtrArray) lines = json_lines (r.err);
  GString *texts = g_string_new (NULL);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_assert_true (g_str_has_prefix (line, "{\"pi\":\"0x1203\",\"pty\":9,\"tp\":true,"));
      const char *rt = strstr (line, "\"rt\":");
      if (rt != NULL)
        {
          const char *end = strstr (rt, ",\"ct\"");
          g_autofree char *part = end ? g_strndup (rt, end - rt) : g_strdup (rt);
          if (!g_str_has_suffix (texts->str, part))
            g_string_append_printf (texts, "%s%s", texts->len ? " | " : "", part);
        }
    }
  g_test_message ("texts: %s", texts->str);
  g_assert_nonnull (strstr (texts->str,
                            "\"rt\":\"Steps: 600 800 1000 800 Hz\",\"ab\":0 | "
                            "\"rt\":\"\",\"ab\":1 | "
                            "\"rt\":\"Same steps on both channels\",\"ab\":1"));
  g_string_free (texts, TRUE);
  run_clear (&r);
}

static void
test_bad_use (void)
{
  /* Each misuse gets one clear message and exit status 2. */
  g_autofree char *bad_path = g_build_filename (tmp_dir, "no-such-dir", "rds.json", NULL);
  struct {
    const char *args[16];
    const char *says;
  } cases[] = {
    { { "--source", "demo", "--rds", NULL }, "--rds works with --headless" },
    { { "--headless", "--source", "demo", "--freq", "145.5M", "--mode", "nfm", "--rds",
        "--seconds", "1", "-o", "/dev/null", NULL }, "--rds needs --mode wfm" },
    { { "--headless", "--source", "demo", "--rds", bad_path, "--seconds", "1", "-o",
        "/dev/null", NULL }, "--rds: cannot write" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run r = run_ferrite (cases[i].args);
      g_assert_cmpint (r.exit_status, ==, 2);
      g_assert_nonnull (strstr (r.err, cases[i].says));
      run_clear (&r);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ferrite_bin = g_getenv ("FERRITE_BIN");
  if (ferrite_bin == NULL)
    {
      g_printerr ("FERRITE_BIN is not set\n");
      return 77;
    }
  g_autoptr (GError) error = NULL;
  tmp_dir = g_dir_make_tmp ("ferrite-cli-rds-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/cli/rds/demo-100m-name-text-clock-afs-to-file", test_demo_100m_to_file);
  g_test_add_func ("/cli/rds/stderr-and-text-ab-flip", test_stderr_and_ab_flip);
  g_test_add_func ("/cli/rds/bad-use-exits-2", test_bad_use);
  int rc = g_test_run ();

  g_autofree char *json = g_build_filename (tmp_dir, "rds.json", NULL);
  g_unlink (json);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
