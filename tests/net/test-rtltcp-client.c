/* The rtl_tcp client source:
 *   test-rtltcp-client --real   against librtlsdr's own rtl_tcp serving the emulated
 *                               dongle through umockdev (emu-run); exit 77 without them
 *   test-rtltcp-client          Ferrite to Ferrite, and a fake server that hangs up,
 *                               goes quiet or refuses, to see it reported and retried.
 * In every case the tuning goes through the protocol: the servers start away
 * from 100.0 MHz, and the demo station's 1 kHz tone is heard only if the
 * client's SET_FREQ took. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "device/rtltcp-proto.h"
#include "device/source-rtltcp.h"
#include "net-test-util.h"
#include "receiver/receiver.h"

static char *tmp_dir;

/* Runs the client: ferrite --source rtl_tcp:... --freq 100M for 2 s of signal. */
static void
client_hears_tone (guint16 port, const char *who)
{
  g_autofree char *spec = g_strdup_printf ("rtl_tcp:127.0.0.1:%u", port);
  g_autofree char *wav = g_build_filename (tmp_dir, "client.wav", NULL);
  g_autofree char *errors = g_build_filename (tmp_dir, "client-stderr.txt", NULL);
  const char *argv[] = { net_ferrite_bin (), "--headless", "--source", spec, "--freq", "100M",
                         "--seconds", "2", "-o", wav, NULL };
  int status = net_wait (net_spawn (argv, errors), 30000);
  g_autofree char *err = NULL;
  g_file_get_contents (errors, &err, NULL, NULL);
  g_test_message ("client said:\n%s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "Receiving from the rtl_tcp server"));
  double sinad = net_assert_wav_tone (wav, 1000, 40, 0.3);
  g_test_message ("%s -> Ferrite: 1 kHz at %.1f dB SINAD", who, sinad);
}

/* librtlsdr's rtl_tcp on the emulated dongle, started at 90 MHz. */
static void
test_real_rtl_tcp (void)
{
  guint16 port = net_free_port (FALSE);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *log = g_build_filename (tmp_dir, "rtl_tcp.log", NULL);
  const char *argv[] = { g_getenv ("EMU_RUN"), "--timeout", "40", "--", "rtl_tcp", "-a",
                         "127.0.0.1", "-p", port_text, "-f", "90000000", "-s", "2400000", NULL };
  GPid server = net_spawn (argv, log);
  /* No waiting for it: the client retries until rtl_tcp listens. */
  client_hears_tone (port, "rtl_tcp (librtlsdr, emulated dongle)");
  /* rtl_tcp may hang on its way out under the emulator: a bounded wait. */
  kill (server, SIGTERM);
  net_wait (server, 5000);
  g_autofree char *text = NULL;
  g_file_get_contents (log, &text, NULL, NULL);
  /* rtl_tcp began at 90 MHz: the 100 MHz station was in the band only
   * because the client's SET_FREQ moved it there. */
  g_test_message ("rtl_tcp said:\n%s", text);
}

/* Ferrite serving the demo (at 90 MHz) to Ferrite. */
static void
test_ferrite_to_ferrite (void)
{
  guint16 port = net_free_port (FALSE);
  g_autofree char *where = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *wav = g_build_filename (tmp_dir, "server.wav", NULL);
  g_autofree char *errors = g_build_filename (tmp_dir, "server-stderr.txt", NULL);
  const char *argv[] = { net_ferrite_bin (), "--headless", "--source", "demo", "--realtime",
                         "--freq", "90M", "--serve-rtl-tcp", where, "-o", wav, NULL };
  GPid server = net_spawn (argv, errors);
  client_hears_tone (port, "Ferrite's rtl_tcp server");
  kill (server, SIGTERM);
  g_assert_cmpint (net_wait (server, 10000), ==, 0);
}

/* --- a fake server that misbehaves on purpose --------------------------------------- */

typedef enum { FAKE_HANG_UP, FAKE_GO_QUIET, FAKE_REFUSE } FakeMode;

typedef struct {
  int listen_fd;
  guint16 port;
  FakeMode mode;
  GThread *thread;
  gint n_connections;     /* atomic */
  gint freq_after_reconnect; /* atomic; the SET_FREQ seen on the second connection */
  gint stop;              /* atomic */
} Fake;

static gpointer
fake_thread (gpointer data)
{
  Fake *f = data;
  guint8 noise[48000];
  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) (127 + (i * 37) % 7);
  while (!g_atomic_int_get (&f->stop))
    {
      struct pollfd p = { f->listen_fd, POLLIN, 0 };
      if (poll (&p, 1, 50) <= 0)
        continue;
      int fd = accept (f->listen_fd, NULL, NULL);
      if (fd < 0)
        continue;
      int n = g_atomic_int_add (&f->n_connections, 1) + 1;
      if (f->mode == FAKE_REFUSE)
        {
          close (fd);
          continue;
        }
      guint8 hello[FER_RTLTCP_GREETING_BYTES];
      fer_rtltcp_greeting_encode (hello, FER_RTLTCP_TUNER_R820T, 29);
      send (fd, hello, sizeof hello, MSG_NOSIGNAL);
      /* Some samples, then hang up (or stay silent). */
      for (int k = 0; k < 5; k++)
        {
          send (fd, noise, sizeof noise, MSG_NOSIGNAL);
          g_usleep (20000);
        }
      gint64 until = g_get_monotonic_time () + (f->mode == FAKE_GO_QUIET ? 3 : 0) * G_USEC_PER_SEC;
      while (g_get_monotonic_time () < until && !g_atomic_int_get (&f->stop))
        g_usleep (10000);
      /* Whatever the client sent: on the second connection, its settings again. */
      guint8 cmds[4096];
      ssize_t r = recv (fd, cmds, sizeof cmds, MSG_DONTWAIT);
      for (ssize_t i = 0; n == 2 && i + 5 <= r; i += 5)
        if (cmds[i] == FER_RTLTCP_SET_FREQ)
          g_atomic_int_set (&f->freq_after_reconnect,
                            (gint) ((guint32) cmds[i + 1] << 24 | cmds[i + 2] << 16
                                    | cmds[i + 3] << 8 | cmds[i + 4]));
      close (fd);
    }
  return NULL;
}

static Fake *
fake_new (FakeMode mode)
{
  Fake *f = g_new0 (Fake, 1);
  f->mode = mode;
  f->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a = { 0 };
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (f->listen_fd, (struct sockaddr *) &a, sizeof a), ==, 0);
  listen (f->listen_fd, 4);
  socklen_t len = sizeof a;
  getsockname (f->listen_fd, (struct sockaddr *) &a, &len);
  f->port = ntohs (a.sin_port);
  f->thread = g_thread_new ("fake-rtltcp", fake_thread, f);
  return f;
}

static void
fake_free (Fake *f)
{
  g_atomic_int_set (&f->stop, 1);
  g_thread_join (f->thread);
  close (f->listen_fd);
  g_free (f);
}

typedef struct {
  GPtrArray *messages;
} Seen;

static void
spin (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (5000);
}

static void
on_event (FerReceiver *rx, FerReceiverEvent event, const char *message, gpointer data)
{
  Seen *seen = data;
  if ((event == FER_RECEIVER_EVENT_DEVICE || event == FER_RECEIVER_EVENT_SOURCE_ERROR)
      && message != NULL)
    g_ptr_array_add (seen->messages, g_strdup (message));
}

static gboolean
seen_has (Seen *seen, const char *text)
{
  for (guint i = 0; i < seen->messages->len; i++)
    if (strstr (seen->messages->pdata[i], text) != NULL)
      return TRUE;
  return FALSE;
}

/* Runs the main loop until @text was reported, up to @ms. */
static void
wait_for_message (Seen *seen, const char *text, guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  while (!seen_has (seen, text) && g_get_monotonic_time () < end)
    spin ();
  for (guint i = 0; i < seen->messages->len; i++)
    g_test_message ("reported: %s", (char *) seen->messages->pdata[i]);
  g_assert_true (seen_has (seen, text));
}

static FerReceiver *
client_receiver (guint16 port, Seen *seen)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *spec = g_strdup_printf ("127.0.0.1:%u", port);
  FerSource *src = fer_source_rtltcp_new (spec, &error);
  g_assert_no_error (error);
  g_assert_true (fer_source_set_center (src, 145.5e6, &error));
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.freq_hz = 145.5e6;
  opts.audio_path = FER_RECEIVER_NO_AUDIO;
  FerReceiver *rx = fer_receiver_new (src, &opts, &error);
  g_assert_no_error (error);
  seen->messages = g_ptr_array_new_with_free_func (g_free);
  fer_receiver_set_event_func (rx, on_event, seen);
  /* Starting never waits on the network. */
  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (fer_receiver_start (rx, &error));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 100 * 1000);
  return rx;
}

static void
client_receiver_free (FerReceiver *rx, Seen *seen)
{
  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (fer_receiver_stop (rx, NULL));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 500 * 1000);
  fer_receiver_free (rx);
  g_ptr_array_unref (seen->messages);
}

static void
test_vanished_server_is_retried (void)
{
  Fake *f = fake_new (FAKE_HANG_UP);
  Seen seen;
  FerReceiver *rx = client_receiver (f->port, &seen);
  wait_for_message (&seen, "Receiving from", 5000);
  wait_for_message (&seen, "closed the connection; reconnecting", 5000);
  /* Back, with the settings sent again. */
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&f->n_connections) < 2 && g_get_monotonic_time () < end)
    spin ();
  g_assert_cmpint (g_atomic_int_get (&f->n_connections), >=, 2);
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&f->freq_after_reconnect) == 0 && g_get_monotonic_time () < end)
    g_usleep (10000);
  g_assert_cmpint (g_atomic_int_get (&f->freq_after_reconnect), ==, 145500000);
  client_receiver_free (rx, &seen);
  fake_free (f);
}

static void
test_quiet_server_is_reported (void)
{
  Fake *f = fake_new (FAKE_GO_QUIET);
  Seen seen;
  FerReceiver *rx = client_receiver (f->port, &seen);
  wait_for_message (&seen, "stopped sending samples", 6000);
  /* The window keeps working meanwhile: a retune returns at once. */
  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (fer_receiver_set_center (rx, 146e6, NULL));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * 1000);
  FerReceiverStats st;
  fer_receiver_get_stats (rx, &st);
  g_assert_true (st.device_disconnected);
  client_receiver_free (rx, &seen);
  fake_free (f);
}

static void
test_refusal_and_absence_are_reported (void)
{
  Fake *f = fake_new (FAKE_REFUSE);
  Seen seen;
  FerReceiver *rx = client_receiver (f->port, &seen);
  wait_for_message (&seen, "hung up before its greeting", 5000);
  client_receiver_free (rx, &seen);
  fake_free (f);

  /* Nobody there at all. */
  guint16 port = net_free_port (FALSE);
  rx = client_receiver (port, &seen);
  wait_for_message (&seen, "Cannot reach the rtl_tcp server", 5000);
  wait_for_message (&seen, "trying again", 100);
  client_receiver_free (rx, &seen);
}

static void
test_bad_specs (void)
{
  g_autoptr (GError) error = NULL;
  const char *bad[] = { "", ":1234", "host:", "host:0", "host:70000", "host:12ab", "a:b:c" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (fer_source_rtltcp_new (bad[i], &error));
      g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID);
      g_clear_error (&error);
    }
  FerSource *ok = fer_source_rtltcp_new ("[::1]:1234", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fer_source_get_name (ok), ==, "rtl_tcp [::1]:1234");
  fer_source_free (ok);
  ok = fer_source_rtltcp_new ("localhost", &error);
  g_assert_cmpstr (fer_source_get_name (ok), ==, "rtl_tcp localhost:1234");
  fer_source_free (ok);
}

int
main (int argc, char **argv)
{
  gboolean real = argc > 1 && strcmp (argv[1], "--real") == 0;
  if (real)
    {
      argv[1] = argv[0];
      argv++;
      argc--;
      g_autofree char *rtl_tcp = g_find_program_in_path ("rtl_tcp");
      if (g_getenv ("EMU_RUN") == NULL || rtl_tcp == NULL)
        {
          g_printerr ("needs emu-run (umockdev) and rtl_tcp (Debian rtl-sdr): skipped\n");
          return 77;
        }
    }
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("ferrite-rtltcp-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  if (real)
    g_test_add_func ("/net/rtltcp-client/real-rtl-tcp", test_real_rtl_tcp);
  else
    {
      g_test_add_func ("/net/rtltcp-client/ferrite-to-ferrite", test_ferrite_to_ferrite);
      g_test_add_func ("/net/rtltcp-client/vanished-server-is-retried",
                       test_vanished_server_is_retried);
      g_test_add_func ("/net/rtltcp-client/quiet-server-is-reported",
                       test_quiet_server_is_reported);
      g_test_add_func ("/net/rtltcp-client/refusal-and-absence-are-reported",
                       test_refusal_and_absence_are_reported);
      g_test_add_func ("/net/rtltcp-client/bad-specs", test_bad_specs);
    }
  int rc = g_test_run ();
  net_rm_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
