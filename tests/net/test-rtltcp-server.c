/* Ferrite's rtl_tcp server sharing the demo dongle, against well-behaved
 * and badly-behaved peers: the greeting and stream, commands reaching the
 * dongle, a second client refused, random bytes, half commands, a client
 * that never reads, 100 connect/disconnect cycles. The server stays up,
 * the receiver never stalls, and (under ASan) nothing leaks. */
#include <arpa/inet.h>
#include <math.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "device/rtltcp-proto.h"
#include "device/source-demo.h"
#include "net-test-util.h"
#include "receiver/receiver.h"
#include "receiver/rtltcp-server.h"

typedef struct {
  FerReceiver *rx;
  FerRtlTcpServer *server;
  guint16 port;
} Fixture;

static void
setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FerSource *demo = fer_source_demo_new (TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (fer_source_set_rate (demo, 2.4e6, &error));
  g_assert_true (fer_source_set_center (demo, 100e6, &error));
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.audio_path = FER_RECEIVER_NO_AUDIO;
  fx->rx = fer_receiver_new (demo, &opts, &error);
  g_assert_no_error (error);
  fx->server = fer_rtltcp_server_new (fx->rx, NULL, 0, 1, &error);
  g_assert_no_error (error);
  fx->port = fer_rtltcp_server_get_port (fx->server);
  g_assert_cmpuint (fx->port, >, 0);
  g_assert_true (fer_receiver_start (fx->rx, &error));
}

static void
teardown (Fixture *fx, gconstpointer data)
{
  fer_rtltcp_server_free (fx->server);
  g_assert_true (fer_receiver_stop (fx->rx, NULL));
  fer_receiver_free (fx->rx);
}

static int
connect_greeted (Fixture *fx, guint32 *tuner, guint32 *n_gains)
{
  int fd = net_connect (fx->port, 5000);
  g_assert_cmpint (fd, >=, 0);
  guint8 hello[FER_RTLTCP_GREETING_BYTES];
  g_assert_true (net_read_all (fd, hello, sizeof hello, 5000));
  g_autoptr (GError) error = NULL;
  guint32 t, g;
  g_assert_true (fer_rtltcp_greeting_decode (hello, &t, &g, &error));
  if (tuner)
    *tuner = t;
  if (n_gains)
    *n_gains = g;
  return fd;
}

static void
send_command (int fd, guint8 code, guint32 param)
{
  guint8 cmd[FER_RTLTCP_COMMAND_BYTES];
  fer_rtltcp_command_encode (cmd, code, param);
  g_assert_cmpint (send (fd, cmd, sizeof cmd, MSG_NOSIGNAL), ==, sizeof cmd);
}

/* Waits until @check holds, up to @ms. */
#define WAIT_FOR(check, ms)                                                        \
  G_STMT_START {                                                                   \
    gint64 end_ = g_get_monotonic_time () + (ms) * 1000;                           \
    while (!(check) && g_get_monotonic_time () < end_)                             \
      g_usleep (5000);                                                             \
    g_assert_true (check);                                                         \
  } G_STMT_END

static void
test_greeting_and_stream (Fixture *fx, gconstpointer data)
{
  guint32 tuner, n_gains;
  int fd = connect_greeted (fx, &tuner, &n_gains);
  g_assert_cmpuint (tuner, ==, FER_RTLTCP_TUNER_R820T);
  guint n = 0;
  fer_source_get_gains (fer_receiver_get_source (fx->rx), &n);
  g_assert_cmpuint (n_gains, ==, n);
  g_assert_cmpuint (n_gains, >=, 29);
  /* 0.25 s of cu8: real samples (they move), at about real time. */
  n = 1200000;
  g_autofree guint8 *buf = g_malloc (n);
  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (net_read_all (fd, buf, n, 5000));
  double s = (g_get_monotonic_time () - t0) / 1e6;
  double mean = 0, var = 0;
  for (gsize i = 0; i < n; i++)
    mean += buf[i];
  mean /= n;
  for (gsize i = 0; i < n; i++)
    var += (buf[i] - mean) * (buf[i] - mean);
  var /= n;
  g_test_message ("0.25 s of samples in %.2f s, mean %.1f, rms %.1f", s, mean, sqrt (var));
  g_assert_cmpfloat (fabs (mean - 127.5), <, 3);
  g_assert_cmpfloat (sqrt (var), >, 5);
  g_assert_cmpfloat (s, <, 1.0);
  close (fd);
}

static void
test_commands_reach_the_dongle (Fixture *fx, gconstpointer data)
{
  int fd = connect_greeted (fx, NULL, NULL);
  send_command (fd, FER_RTLTCP_SET_FREQ, 101300000);
  WAIT_FOR (fer_receiver_get_center (fx->rx) == 101.3e6, 2000);
  send_command (fd, FER_RTLTCP_SET_SAMPLE_RATE, 1024000);
  WAIT_FOR (fer_receiver_get_rate (fx->rx) == 1.024e6, 2000);
  /* Half a command now, the rest later: taken whole. */
  guint8 cmd[FER_RTLTCP_COMMAND_BYTES];
  fer_rtltcp_command_encode (cmd, FER_RTLTCP_SET_FREQ, 100500000);
  send (fd, cmd, 2, MSG_NOSIGNAL);
  g_usleep (50 * 1000);
  g_assert_cmpfloat (fer_receiver_get_center (fx->rx), ==, 101.3e6);
  send (fd, cmd + 2, 3, MSG_NOSIGNAL);
  WAIT_FOR (fer_receiver_get_center (fx->rx) == 100.5e6, 2000);
  /* Nonsense codes and values are ignored. */
  send_command (fd, 0xff, 0xffffffff);
  send_command (fd, FER_RTLTCP_SET_GAIN_BY_INDEX, 1000);
  send_command (fd, FER_RTLTCP_SET_FREQ, 3000000000u);   /* beyond the tuner */
  send_command (fd, FER_RTLTCP_SET_GAIN, 197);
  send_command (fd, FER_RTLTCP_SET_GAIN_MODE, 0);
  FerRtlTcpServerStats st;
  WAIT_FOR ((fer_rtltcp_server_get_stats (fx->server, &st), st.n_commands == 8), 2000);
  g_assert_cmpfloat (fer_receiver_get_center (fx->rx), ==, 100.5e6);
  close (fd);
}

static void
test_second_client_refused (Fixture *fx, gconstpointer data)
{
  int a = connect_greeted (fx, NULL, NULL);
  int b = net_connect (fx->port, 5000);
  g_assert_cmpint (b, >=, 0);
  guint8 byte;
  /* Hung up before any greeting. */
  g_assert_false (net_read_all (b, &byte, 1, 2000));
  close (b);
  FerRtlTcpServerStats st;
  fer_rtltcp_server_get_stats (fx->server, &st);
  g_assert_cmpuint (st.n_refused, ==, 1);
  g_assert_cmpuint (st.n_clients, ==, 1);
  close (a);
  WAIT_FOR ((fer_rtltcp_server_get_stats (fx->server, &st), st.n_clients == 0), 2000);
  int c = connect_greeted (fx, NULL, NULL);
  close (c);
}

static void
test_garbage_peers (Fixture *fx, gconstpointer data)
{
  FerRtlTcpServerStats st;
  GRand *rand = g_rand_new_with_seed (1234);
  /* Random bytes, in odd lengths. */
  for (int round = 0; round < 5; round++)
    {
      int fd = connect_greeted (fx, NULL, NULL);
      guint8 junk[10007];
      for (gsize i = 0; i < sizeof junk; i++)
        junk[i] = (guint8) g_rand_int (rand);
      send (fd, junk, sizeof junk - (gsize) round, MSG_NOSIGNAL);
      close (fd);
      WAIT_FOR ((fer_rtltcp_server_get_stats (fx->server, &st), st.n_clients == 0), 2000);
    }
  g_rand_free (rand);
  /* Half a command, then gone. */
  int half = connect_greeted (fx, NULL, NULL);
  send (half, "\x01\x05", 2, MSG_NOSIGNAL);
  close (half);
  WAIT_FOR ((fer_rtltcp_server_get_stats (fx->server, &st), st.n_clients == 0), 2000);

  /* A client that never reads: it loses blocks, the receiver loses none. */
  FerReceiverStats before, after;
  fer_receiver_get_stats (fx->rx, &before);
  int deaf = connect_greeted (fx, NULL, NULL);
  int small = 4096;
  setsockopt (deaf, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  WAIT_FOR ((fer_rtltcp_server_get_stats (fx->server, &st), st.n_dropped_blocks > 0), 6000);
  fer_receiver_get_stats (fx->rx, &after);
  g_test_message ("never-reading client: %" G_GUINT64_FORMAT " blocks dropped for it; the "
                  "receiver processed %" G_GUINT64_FORMAT " blocks meanwhile, dropped %"
                  G_GUINT64_FORMAT, st.n_dropped_blocks, after.n_blocks - before.n_blocks,
                  after.n_dropped - before.n_dropped);
  g_assert_cmpuint (after.n_dropped, ==, before.n_dropped);
  g_assert_cmpuint (after.n_blocks - before.n_blocks, >, 100);
  close (deaf);
  WAIT_FOR ((fer_rtltcp_server_get_stats (fx->server, &st), st.n_clients == 0), 2000);

  /* 100 connect/disconnect cycles, some before the greeting arrives. */
  fer_rtltcp_server_get_stats (fx->server, &st);
  guint64 seen = st.n_connections + st.n_refused;
  for (int i = 0; i < 100; i++)
    {
      int fd = net_connect (fx->port, 2000);
      g_assert_cmpint (fd, >=, 0);
      if (i % 2 == 0)
        {
          guint8 hello[FER_RTLTCP_GREETING_BYTES];
          gboolean greeted = net_read_all (fd, hello, sizeof hello, 2000);
          fer_rtltcp_server_get_stats (fx->server, &st);
          if (!greeted)
            g_test_message ("cycle %d: %u clients, %" G_GUINT64_FORMAT " refused", i,
                            st.n_clients, st.n_refused);
          g_assert_true (greeted);
        }
      close (fd);
      seen++;
      WAIT_FOR ((fer_rtltcp_server_get_stats (fx->server, &st),
                 st.n_connections + st.n_refused == seen && st.n_clients == 0), 2000);
    }
  fer_rtltcp_server_get_stats (fx->server, &st);
  g_assert_cmpuint (st.n_connections, ==, 107);

  /* Still serving. */
  int fd = connect_greeted (fx, NULL, NULL);
  guint8 buf[65536];
  g_assert_true (net_read_all (fd, buf, sizeof buf, 3000));
  close (fd);
}

static void
test_port_in_use (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FerRtlTcpServer *again = fer_rtltcp_server_new (fx->rx, "127.0.0.1", fx->port, 1, &error);
  g_assert_null (again);
  g_assert_nonnull (strstr (error->message, "in use"));
  g_clear_error (&error);
  g_assert_null (fer_rtltcp_server_new (fx->rx, "not-an-address", 0, 1, &error));
  g_assert_nonnull (strstr (error->message, "not an IP address"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/net/rtltcp-server/greeting-and-stream", test_greeting_and_stream);
  ADD ("/net/rtltcp-server/commands-reach-the-dongle", test_commands_reach_the_dongle);
  ADD ("/net/rtltcp-server/second-client-refused", test_second_client_refused);
  ADD ("/net/rtltcp-server/garbage-peers", test_garbage_peers);
  ADD ("/net/rtltcp-server/port-in-use", test_port_in_use);
  return g_test_run ();
}
