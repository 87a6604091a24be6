/* rigctl remote control of a running `ferrite --headless`:
 *   test-rigctl --hamlib   Hamlib's own client (rigctl -m 2) sets and reads back
 *                          frequency, mode and squelch (exit 77 without it);
 *   test-rigctl            the raw protocol: garbage, 1 MB lines, recording.
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net-test-util.h"

static char *tmp_dir;
static guint16 port;
static GPid ferrite_pid;

static void
start_ferrite (void)
{
  port = net_free_port (FALSE);
  g_autofree char *where = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *wav = g_build_filename (tmp_dir, "local.wav", NULL);
  g_autofree char *errors = g_build_filename (tmp_dir, "ferrite-stderr.txt", NULL);
  const char *argv[] = { net_ferrite_bin (), "--headless", "--source", "demo", "--realtime",
                         "--seconds", "60", "-o", wav, "--rigctl", where, NULL };
  ferrite_pid = net_spawn_in (argv, errors, tmp_dir);
  int fd = net_connect (port, 10000);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
}

static void
stop_ferrite (void)
{
  kill (ferrite_pid, SIGTERM);
  int status = net_wait (ferrite_pid, 10000);
  g_autofree char *errors = g_build_filename (tmp_dir, "ferrite-stderr.txt", NULL);
  g_autofree char *err = NULL;
  g_file_get_contents (errors, &err, NULL, NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);   /* still alive, and it stopped cleanly */
}

/* --- Hamlib's client ------------------------------------------------------------ */

static char *
hamlib (const char *commands)
{
  g_autofree char *where = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *line = g_strdup_printf ("rigctl -m 2 -r %s %s", where, commands);
  g_auto (GStrv) argv = NULL;
  g_assert_true (g_shell_parse_argv (line, NULL, &argv, NULL));
  char *out = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_test_message ("rigctl %s ->\n%s", commands, out);
  return out;
}

static double
strength (void)
{
  g_autofree char *out = hamlib ("l STRENGTH");
  return g_ascii_strtod (out, NULL);
}

static void
test_hamlib_sets_and_reads_back (void)
{
  start_ferrite ();
  g_autofree char *a = hamlib ("F 145500000 f M USB 2800 m");
  g_assert_cmpstr (a, ==, "145500000\nUSB\n2800\n");
  g_autofree char *b = hamlib ("f m");
  g_assert_cmpstr (b, ==, "145500000\nUSB\n2800\n");   /* a new connection sees the same */
  g_autofree char *c = hamlib ("F 100000000 M FM 12500 f m");
  g_assert_cmpstr (c, ==, "100000000\nFM\n12500\n");
  /* Passband 0: the mode's default (Hamlib answers m from its own cache
   * right after an M, so a new connection asks). */
  g_autofree char *d0 = hamlib ("M AM 0");
  g_usleep (100 * 1000);
  g_autofree char *d = hamlib ("m");
  g_assert_cmpstr (d, ==, "AM\n10000\n");
  g_autofree char *e = hamlib ("l SQL L SQL -60 l SQL");
  g_assert_cmpstr (e, ==, "-150.000000\n-60.000000\n");
  g_autofree char *f = hamlib ("L SQL -150");
  g_assert_cmpstr (f, ==, "");

  /* The receiver really moved: the strong station at 100.0 MHz, then an
   * empty frequency, in the signal meter Hamlib reads. */
  g_autofree char *wfm = hamlib ("M WFM 0 F 100000000");
  g_usleep (300 * 1000);
  double on = strength ();
  g_autofree char *off = hamlib ("F 102000000");
  g_usleep (300 * 1000);
  double empty = strength ();
  g_test_message ("strength on the station %.1f dBFS, off it %.1f dBFS", on, empty);
  g_assert_cmpfloat (on - empty, >, 20);
  stop_ferrite ();
}

/* --- the raw protocol -------------------------------------------------------------- */

static int
connect_raw (void)
{
  int fd = net_connect (port, 5000);
  g_assert_cmpint (fd, >=, 0);
  return fd;
}

static void
send_all (int fd, const void *data, gsize n)
{
  const char *p = data;
  while (n > 0)
    {
      ssize_t w = send (fd, p, n, MSG_NOSIGNAL);
      g_assert_cmpint (w, >, 0);
      p += w;
      n -= (gsize) w;
    }
}

/* Reads one reply line (without its newline). */
static char *
read_line (int fd)
{
  GString *s = g_string_new (NULL);
  char c;
  while (net_read_all (fd, &c, 1, 5000) && c != '\n')
    g_string_append_c (s, c);
  return g_string_free (s, FALSE);
}

static void
expect (int fd, const char *command, const char *reply)
{
  send_all (fd, command, strlen (command));
  g_autofree char *line = read_line (fd);
  g_assert_cmpstr (line, ==, reply);
}

static void
test_garbage_and_long_lines (void)
{
  start_ferrite ();
  int fd = connect_raw ();
  expect (fd, "F 100000000\n", "RPRT 0");
  expect (fd, "f\n", "100000000");
  expect (fd, "xyzzy\n", "RPRT 1");
  expect (fd, "\x01\x02\xff\xfe\n", "RPRT 1");
  expect (fd, "F notanumber\n", "RPRT 1");
  expect (fd, "F -5\n", "RPRT 1");
  expect (fd, "F nan\n", "RPRT 1");
  expect (fd, "F 1e300\n", "RPRT 1");
  expect (fd, "M BOGUS 100\n", "RPRT 1");
  expect (fd, "M USB lots\n", "RPRT 1");
  expect (fd, "L SQL\n", "RPRT 1");
  expect (fd, "l NONSENSE\n", "RPRT 1");
  expect (fd, "U RECORD maybe\n", "RPRT 1");
  expect (fd, "F 100000000\r\n", "RPRT 0");   /* telnet's line ends */
  send_all (fd, "f\0garbage\n", 10);            /* a NUL ends the command */
  g_autofree char *nul = read_line (fd);
  g_assert_cmpstr (nul, ==, "100000000");

  /* One line of 1 MB: one refusal, then business as usual. */
  gsize big = 1 << 20;
  g_autofree char *line = g_malloc (big + 1);
  memset (line, 'F', big);
  line[big] = '\n';
  send_all (fd, line, big + 1);
  g_autofree char *refused = read_line (fd);
  g_assert_cmpstr (refused, ==, "RPRT 1");
  expect (fd, "f\n", "100000000");

  /* q closes this connection (the server reads EOF from us next). */
  send_all (fd, "q\n", 2);
  char c;
  g_assert_false (net_read_all (fd, &c, 1, 2000));
  close (fd);

  /* Random bytes from many clients at once, some never reading. */
  int quiet[6];
  GRand *rand = g_rand_new_with_seed (8);
  for (guint i = 0; i < G_N_ELEMENTS (quiet); i++)
    {
      quiet[i] = connect_raw ();
      guint8 junk[4096];
      for (guint k = 0; k < sizeof junk; k++)
        junk[k] = (guint8) g_rand_int (rand);
      send (quiet[i], junk, sizeof junk, MSG_NOSIGNAL);
    }
  g_rand_free (rand);
  /* A client that sends commands and never reads the replies is dropped,
   * not buffered for ever. */
  int deaf = connect_raw ();
  g_autoptr (GString) flood = g_string_new (NULL);
  for (int i = 0; i < 20000; i++)
    g_string_append (flood, "\\dump_state\n");
  send (deaf, flood->str, flood->len, MSG_NOSIGNAL | MSG_DONTWAIT);
  for (guint i = 0; i < G_N_ELEMENTS (quiet); i++)
    close (quiet[i]);
  fd = connect_raw ();
  expect (fd, "f\n", "100000000");
  close (fd);
  close (deaf);
  stop_ferrite ();
}

/* U RECORD and AOS/LOS record the audio to a WAV file beside the process. */
static void
test_record_commands (void)
{
  start_ferrite ();
  int fd = connect_raw ();
  expect (fd, "M WFM 0\n", "RPRT 0");
  expect (fd, "F 100000000\n", "RPRT 0");
  expect (fd, "u RECORD\n", "0");
  expect (fd, "U RECORD 1\n", "RPRT 0");
  expect (fd, "u RECORD\n", "1");
  g_usleep (1500 * 1000);
  expect (fd, "U RECORD 0\n", "RPRT 0");
  expect (fd, "u RECORD\n", "0");
  expect (fd, "AOS\n", "RPRT 0");
  expect (fd, "u RECORD\n", "1");
  expect (fd, "LOS\n", "RPRT 0");
  expect (fd, "u RECORD\n", "0");
  close (fd);
  stop_ferrite ();

  /* Two recordings; the first is 1.5 s of the 1 kHz station. */
  g_autoptr (GDir) d = g_dir_open (tmp_dir, 0, NULL);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "ferrite-") && g_str_has_suffix (name, "-100.000MHz.wav"))
      g_ptr_array_add (found, g_build_filename (tmp_dir, name, NULL));
  g_assert_cmpuint (found->len, >=, 1);
  g_ptr_array_sort (found, (GCompareFunc) g_strcmp0);
  double sinad = 0;
  for (guint i = 0; i < found->len && sinad == 0; i++)
    {
      GStatBuf st;
      g_stat (found->pdata[i], &st);
      if (st.st_size > 48000 * 2)
        sinad = net_assert_wav_tone (found->pdata[i], 1000, 40, 0.3);
    }
  g_assert_cmpfloat (sinad, >=, 40);
}

int
main (int argc, char **argv)
{
  gboolean with_hamlib = argc > 1 && strcmp (argv[1], "--hamlib") == 0;
  if (with_hamlib)
    {
      argv[1] = argv[0];
      argv++;
      argc--;
      g_autofree char *rigctl = g_find_program_in_path ("rigctl");
      if (rigctl == NULL)
        {
          g_printerr ("Hamlib's rigctl is not installed (Debian: libhamlib-utils): skipped\n");
          return 77;
        }
    }
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("ferrite-rigctl-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  if (with_hamlib)
    g_test_add_func ("/net/rigctl/hamlib-sets-and-reads-back", test_hamlib_sets_and_reads_back);
  else
    {
      g_test_add_func ("/net/rigctl/garbage-and-long-lines", test_garbage_and_long_lines);
      g_test_add_func ("/net/rigctl/record-commands", test_record_commands);
    }
  int rc = g_test_run ();
  net_rm_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
