/* test-manpage.c - data/ferrite.1 documents exactly the options `ferrite
 * --help` prints (names, short forms and argument names), and the version
 * `ferrite --version` prints, so neither can drift from the other.
 *
 * Environment: FERRITE_BIN = the built binary, G_TEST_SRCDIR = tests/.
 */
#include <glib.h>
#include <string.h>

/* Runs ferrite with @arg in the C locale; returns its stdout. */
static char *
run_ferrite (const char *arg)
{
  const char *bin = g_getenv ("FERRITE_BIN");
  g_assert_nonnull (bin);
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "LC_ALL", "C", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  const char *argv[] = { bin, arg, NULL };
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("ferrite %s failed: %s", arg, err);
  return out;
}

/* The option column of --help: "  -s, --source=demo|file:PATH     Where ..."
 * gives "-s, --source=demo|file:PATH". */
static GPtrArray *
options_from_help (const char *help)
{
  GPtrArray *opts = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (help, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = lines[i];
      if (!g_str_has_prefix (p, "  -"))
        continue;
      p += 2;
      const char *end = strstr (p, "  ");
      g_ptr_array_add (opts, end ? g_strndup (p, end - p) : g_strdup (p));
    }
  return opts;
}

/* Plain text of a man(7) line: macro arguments joined (alternating macros
 * such as .BR join without spaces), font escapes dropped, \- as -. */
static char *
man_text (const char *line)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const char *p = line;
  gboolean join_tight = FALSE;
  if (*p == '.')
    {
      const char *space = strchr (p, ' ');
      g_autofree char *macro = space ? g_strndup (p + 1, space - p - 1) : g_strdup (p + 1);
      join_tight = strlen (macro) == 2;   /* BR, RB, BI, IB, IR, RI */
      p = space ? space + 1 : p + strlen (p);
      /* split into arguments; double quotes group */
      gboolean first = TRUE;
      while (*p != '\0')
        {
          while (*p == ' ')
            p++;
          if (*p == '\0')
            break;
          if (!first && !join_tight)
            g_string_append_c (text, ' ');
          first = FALSE;
          if (*p == '"')
            {
              const char *close = strchr (p + 1, '"');
              if (close == NULL)
                close = p + strlen (p);
              g_string_append_len (text, p + 1, close - p - 1);
              p = *close ? close + 1 : close;
            }
          else
            {
              const char *next = strchr (p, ' ');
              if (next == NULL)
                next = p + strlen (p);
              g_string_append_len (text, p, next - p);
              p = next;
            }
        }
    }
  else
    g_string_append (text, line);

  /* escapes */
  g_autoptr (GString) plain = g_string_new (NULL);
  for (const char *q = text->str; *q != '\0'; q++)
    {
      if (q[0] == '\\' && q[1] == 'f' && q[2] != '\0')
        q += 2;                                   /* \fB \fI \fR \fP */
      else if (q[0] == '\\' && q[1] == '-')
        {
          g_string_append_c (plain, '-');
          q++;
        }
      else if (q[0] == '\\' && q[1] == '&')
        q++;
      else
        g_string_append_c (plain, *q);
    }
  return g_string_free (g_steal_pointer (&plain), FALSE);
}

/* The tag line after each .TP of the OPTIONS section. */
static GPtrArray *
options_from_man (const char *man)
{
  GPtrArray *opts = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (man, "\n", -1);
  gboolean in_options = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], ".SH"))
        in_options = strstr (lines[i], "OPTIONS") != NULL;
      else if (in_options && g_str_has_prefix (lines[i], ".TP") && lines[i + 1] != NULL)
        g_ptr_array_add (opts, man_text (lines[i + 1]));
    }
  return opts;
}

static char *
read_man_page (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "ferrite.1", NULL);
  char *man = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &man, NULL, &error));
  g_assert_no_error (error);
  return man;
}

static gboolean
contains (GPtrArray *list, const char *s)
{
  for (guint i = 0; i < list->len; i++)
    if (strcmp (list->pdata[i], s) == 0)
      return TRUE;
  return FALSE;
}

static void
test_options_match_help (void)
{
  g_autofree char *help = run_ferrite ("--help");
  g_autofree char *man = read_man_page ();
  g_autoptr (GPtrArray) from_help = options_from_help (help);
  g_autoptr (GPtrArray) from_man = options_from_man (man);

  /* sanity: both parsers found the options they should */
  g_assert_true (contains (from_help, "-h, --help"));
  g_assert_true (contains (from_help, "--headless"));
  g_assert_cmpuint (from_help->len, >=, 10);

  gboolean ok = TRUE;
  for (guint i = 0; i < from_help->len; i++)
    if (!contains (from_man, from_help->pdata[i]))
      {
        g_printerr ("in --help but not in ferrite.1: %s\n", (char *) from_help->pdata[i]);
        ok = FALSE;
      }
  for (guint i = 0; i < from_man->len; i++)
    if (!contains (from_help, from_man->pdata[i]))
      {
        g_printerr ("in ferrite.1 but not in --help: %s\n", (char *) from_man->pdata[i]);
        ok = FALSE;
      }
  if (!ok)
    g_error ("ferrite.1's OPTIONS and `ferrite --help` differ (see above)");
  g_assert_cmpuint (from_help->len, ==, from_man->len);
}

static void
test_version_matches (void)
{
  g_autofree char *version = run_ferrite ("--version");
  g_strstrip (version);
  g_assert_true (g_str_has_prefix (version, "ferrite "));
  const char *number = version + strlen ("ferrite ");

  g_autofree char *man = read_man_page ();
  g_autofree char *th = NULL;
  g_auto (GStrv) lines = g_strsplit (man, "\n", -1);
  for (guint i = 0; lines[i] != NULL && th == NULL; i++)
    if (g_str_has_prefix (lines[i], ".TH "))
      th = g_strdup (lines[i]);
  g_assert_nonnull (th);
  g_autofree char *expect = g_strdup_printf ("\"Ferrite %s\"", number);
  if (strstr (th, expect) == NULL)
    g_error ("ferrite.1's .TH line names another version than %s: %s", number, th);
}

static void
test_man_text_parser (void)
{
  g_autofree char *a = man_text (".BR \\-s \", \" \\-\\-source =\\fIdemo\\fR|\\fIfile:PATH\\fR");
  g_assert_cmpstr (a, ==, "-s, --source=demo|file:PATH");
  g_autofree char *b = man_text (".B \\-\\-headless");
  g_assert_cmpstr (b, ==, "--headless");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/install/manpage/parser-reads-option-tags", test_man_text_parser);
  g_test_add_func ("/install/manpage/options-match-help", test_options_match_help);
  g_test_add_func ("/install/manpage/version-matches", test_version_matches);
  return g_test_run ();
}
