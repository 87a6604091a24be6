/* UDP audio as a decoder listening with `nc -lu` gets it: datagrams of 1024
 * bytes of 16-bit little-endian samples at 48 kHz, carrying the demo
 * station's 1 kHz tone. */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net-test-util.h"
#include "tone.h"

typedef struct {
  GArray *samples;     /* gint16 */
  guint n_datagrams;
  guint n_odd_size;    /* datagrams that were not 1024 bytes */
} Capture;

/* Runs ferrite with @extra arguments, sending to a socket of ours, and
 * collects what arrives until it exits. */
static void
capture (const char *const *extra, Capture *cap)
{
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int big = 8 << 20;
  setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  struct sockaddr_in a = { 0 };
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &a, sizeof a), ==, 0);
  socklen_t len = sizeof a;
  getsockname (fd, (struct sockaddr *) &a, &len);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", ntohs (a.sin_port));

  g_autofree char *dir = g_dir_make_tmp ("ferrite-udp-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "local.wav", NULL);
  g_autofree char *errors = g_build_filename (dir, "stderr.txt", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *base[] = { net_ferrite_bin (), "--headless", "--source", "demo", "--realtime",
                         "--seconds", "1.2", "-o", wav, "--udp-audio", target };
  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (argv, (gpointer) base[i]);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);
  GPid pid = net_spawn ((const char *const *) argv->pdata, errors);

  cap->samples = g_array_new (FALSE, FALSE, sizeof (gint16));
  gboolean exited = FALSE;
  int status = 0;
  gint64 quiet_until = 0, end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint8 buf[65536];
  while (g_get_monotonic_time () < end)
    {
      struct pollfd p = { fd, POLLIN, 0 };
      if (poll (&p, 1, 20) > 0)
        {
          ssize_t r = recv (fd, buf, sizeof buf, 0);
          g_assert_cmpint (r, >, 0);
          cap->n_datagrams++;
          if (r != 1024)
            cap->n_odd_size++;
          for (ssize_t i = 0; i + 1 < r; i += 2)
            {
              gint16 s = (gint16) (buf[i] | buf[i + 1] << 8);   /* little-endian */
              g_array_append_val (cap->samples, s);
            }
          continue;
        }
      if (!exited && waitpid (pid, &status, WNOHANG) == pid)
        {
          exited = TRUE;
          g_spawn_close_pid (pid);
          quiet_until = g_get_monotonic_time () + 200 * 1000;
        }
      if (exited && g_get_monotonic_time () > quiet_until)
        break;
    }
  if (!exited)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
    }
  g_autofree char *err = NULL;
  g_file_get_contents (errors, &err, NULL, NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  close (fd);
  net_rm_tree (dir);
}

static float *
to_float (const gint16 *s, gsize n, guint stride, guint offset)
{
  float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    x[i] = s[i * stride + offset] / 32768.0f;
  return x;
}

static void
test_mono (void)
{
  const char *extra[] = { "--freq", "100M", NULL };
  Capture cap = { 0 };
  capture (extra, &cap);
  gsize n = cap.samples->len;
  g_test_message ("%u datagrams, %zu samples", cap.n_datagrams, n);
  /* 1.2 s at 48 kHz, all of it, in 1024-byte datagrams (the last may be short). */
  g_assert_cmpuint (n, ==, 57600);
  g_assert_cmpuint (cap.n_odd_size, <=, 1);
  gsize skip = 48000 / 5;
  g_autofree float *x = to_float ((gint16 *) cap.samples->data + skip, n - skip, 1, 0);
  double sinad = net_assert_tone (x, n - skip, 48000, 1000, 40);
  g_test_message ("UDP mono: 1 kHz at %.1f dB SINAD", sinad);
  g_array_unref (cap.samples);
}

/* 100.5 MHz: 1 kHz on the left, the right silent. Interleaved left first. */
static void
test_stereo (void)
{
  const char *extra[] = { "--freq", "100.5M", "--mode", "wfm-stereo", "--udp-stereo", NULL };
  Capture cap = { 0 };
  capture (extra, &cap);
  gsize frames = cap.samples->len / 2;
  g_assert_cmpuint (frames, ==, 57600);
  gsize skip = 48000 / 2;
  const gint16 *s = (gint16 *) cap.samples->data + 2 * skip;
  g_autofree float *left = to_float (s, frames - skip, 2, 0);
  g_autofree float *right = to_float (s, frames - skip, 2, 1);
  FerToneFit l;
  g_assert_true (fer_tone_fit (left, frames - skip, 48000, 0, &l));
  g_assert_cmpfloat_with_epsilon (l.freq_hz, 1000, 0.5);
  double rms_right = 0;
  for (gsize i = 0; i < frames - skip; i++)
    rms_right += right[i] * right[i];
  rms_right = sqrt (rms_right / (frames - skip));
  double separation = 20 * log10 (l.amplitude / sqrt (2) / rms_right);
  g_test_message ("UDP stereo: left 1 kHz at %.1f dB SINAD, right %.1f dB below", l.sinad_db,
                  separation);
  g_assert_cmpfloat (separation, >, 20);
  g_array_unref (cap.samples);
}

static void
test_bad_target (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ferrite-udp-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "x.wav", NULL);
  g_autofree char *errors = g_build_filename (dir, "stderr.txt", NULL);
  const char *argv[] = { net_ferrite_bin (), "--headless", "--source", "demo", "--seconds",
                         "0.1", "-o", wav, "--udp-audio", "7355", NULL };
  int status = net_wait (net_spawn (argv, errors), 10000);
  g_autofree char *err = NULL;
  g_file_get_contents (errors, &err, NULL, NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "HOST:PORT"));
  net_rm_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/udp-audio/mono-carries-the-tone", test_mono);
  g_test_add_func ("/net/udp-audio/stereo-left-first", test_stereo);
  g_test_add_func ("/net/udp-audio/bad-target", test_bad_target);
  return g_test_run ();
}
