/* bench-net: Ferrite's rtl_tcp server sharing the demo dongle with a client
 * on the loopback interface.
 *
 *   bench-net [SECONDS]
 *
 * 1. Throughput: the demo unthrottled (as fast as the receiver takes it),
 *    the client reading as fast as it can: MB/s delivered.
 * 2. Real time: the demo paced at 2.4 MS/s (4.8 MB/s of cu8): CPU % of the
 *    server thread, the client and the whole process, against the same run
 *    with no server.
 * CPU comes from /proc/self/task/<tid>/stat, per thread name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "device/rtltcp-proto.h"
#include "device/source-demo.h"
#include "receiver/receiver.h"
#include "receiver/rtltcp-server.h"
#include "../../tests/net/net-test-util.h"

typedef struct {
  guint16 port;
  volatile gint stop;
  guint64 n_bytes;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  int fd = net_connect (c->port, 5000);
  if (fd < 0)
    return NULL;
  static guint8 buf[256 * 1024];
  while (!g_atomic_int_get (&c->stop))
    {
      ssize_t r = recv (fd, buf, sizeof buf, 0);
      if (r <= 0)
        break;
      c->n_bytes += (guint64) r;
    }
  close (fd);
  return NULL;
}

/* CPU seconds used so far by threads whose name starts with @prefix (NULL: all). */
static double
cpu_seconds (const char *prefix)
{
  double total = 0;
  long ticks = sysconf (_SC_CLK_TCK);
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/stat", tid);
      g_autofree char *stat = NULL;
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      char *open = strchr (stat, '('), *close = strrchr (stat, ')');
      if (open == NULL || close == NULL)
        continue;
      g_autofree char *comm = g_strndup (open + 1, (gsize) (close - open - 1));
      if (prefix != NULL && !g_str_has_prefix (comm, prefix))
        continue;
      /* Fields after the name: state is 3rd; utime 14th, stime 15th. */
      g_auto (GStrv) f = g_strsplit (close + 2, " ", 0);
      if (g_strv_length (f) > 13)
        total += (double) (g_ascii_strtoull (f[11], NULL, 10) + g_ascii_strtoull (f[12], NULL, 10))
                 / (double) ticks;
    }
  return total;
}

static FerReceiver *
demo_receiver (gboolean realtime)
{
  g_autoptr (GError) error = NULL;
  FerSource *demo = fer_source_demo_new (realtime, &error);
  if (demo == NULL || !fer_source_set_rate (demo, 2.4e6, &error)
      || !fer_source_set_center (demo, 100e6, &error))
    g_error ("demo: %s", error->message);
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.audio_path = FER_RECEIVER_NO_AUDIO;
  FerReceiver *rx = fer_receiver_new (demo, &opts, &error);
  if (rx == NULL)
    g_error ("%s", error->message);
  return rx;
}

typedef struct {
  double wall_s, mb_per_s, server_cpu, client_cpu, dsp_cpu, process_cpu;
  guint64 dropped;
} Result;

static Result
run (gboolean realtime, gboolean serve, double seconds)
{
  Result res = { 0 };
  FerReceiver *rx = demo_receiver (realtime);
  g_autoptr (GError) error = NULL;
  FerRtlTcpServer *server = serve ? fer_rtltcp_server_new (rx, NULL, 0, 1, &error) : NULL;
  if (serve && server == NULL)
    g_error ("%s", error->message);
  Client c = { serve ? fer_rtltcp_server_get_port (server) : 0, 0, 0 };
  GThread *client = serve ? g_thread_new ("bench-client", client_thread, &c) : NULL;
  if (!fer_receiver_start (rx, &error))
    g_error ("%s", error->message);
  g_usleep (500 * 1000);   /* settle: connected, streaming */
  guint64 bytes0 = c.n_bytes;
  double s0 = cpu_seconds ("fer-rtltcp-srv"), c0 = cpu_seconds ("bench-client");
  double d0 = cpu_seconds ("fer-dsp"), p0 = cpu_seconds (NULL);
  gint64 t0 = g_get_monotonic_time ();
  g_usleep ((gulong) (seconds * 1e6));
  res.wall_s = (g_get_monotonic_time () - t0) / 1e6;
  res.mb_per_s = (c.n_bytes - bytes0) / res.wall_s / 1e6;
  res.server_cpu = (cpu_seconds ("fer-rtltcp-srv") - s0) / res.wall_s * 100;
  res.client_cpu = (cpu_seconds ("bench-client") - c0) / res.wall_s * 100;
  res.dsp_cpu = (cpu_seconds ("fer-dsp") - d0) / res.wall_s * 100;
  res.process_cpu = (cpu_seconds (NULL) - p0) / res.wall_s * 100;
  if (server != NULL)
    {
      FerRtlTcpServerStats st;
      fer_rtltcp_server_get_stats (server, &st);
      res.dropped = st.n_dropped_blocks;
    }
  g_atomic_int_set (&c.stop, 1);
  fer_rtltcp_server_free (server);   /* closes the client's socket */
  if (client != NULL)
    g_thread_join (client);
  fer_receiver_stop (rx, NULL);
  fer_receiver_free (rx);
  return res;
}

int
main (int argc, char **argv)
{
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 5.0;
  g_log_set_handler ("fer-emu", G_LOG_LEVEL_DEBUG, (GLogFunc) g_log_default_handler, NULL);

  Result fast = run (FALSE, TRUE, seconds);
  printf ("throughput, demo unthrottled: %.1f MB/s to the loopback client "
          "(%.1f MS/s); server thread %.0f %% CPU, client %.0f %%, DSP %.0f %%, whole "
          "process %.0f %%; %" G_GUINT64_FORMAT " blocks dropped for the client\n",
          fast.mb_per_s, fast.mb_per_s / 2, fast.server_cpu, fast.client_cpu, fast.dsp_cpu,
          fast.process_cpu, fast.dropped);

  Result rt = run (TRUE, TRUE, seconds);
  Result base = run (TRUE, FALSE, seconds);
  printf ("real time, 2.4 MS/s: %.2f MB/s delivered; server thread %.1f %% CPU, client "
          "%.1f %%; whole process %.1f %% (%.1f %% without the server), %" G_GUINT64_FORMAT
          " blocks dropped\n",
          rt.mb_per_s, rt.server_cpu, rt.client_cpu, rt.process_cpu, base.process_cpu,
          rt.dropped);
  return 0;
}
