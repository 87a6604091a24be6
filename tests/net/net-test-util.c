#include "net-test-util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audio/wav.h"
#include "tone.h"

void
net_rm_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        net_rm_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

guint16
net_free_port (gboolean udp)
{
  int fd = socket (AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
  g_assert_cmpint (fd, >=, 0);
  struct sockaddr_in a = { 0 };
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &a, sizeof a), ==, 0);
  socklen_t len = sizeof a;
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &a, &len), ==, 0);
  close (fd);
  return ntohs (a.sin_port);
}

int
net_connect (guint16 port, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  do
    {
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      struct sockaddr_in a = { 0 };
      a.sin_family = AF_INET;
      a.sin_port = htons (port);
      a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      if (connect (fd, (struct sockaddr *) &a, sizeof a) == 0)
        return fd;
      close (fd);
      g_usleep (20000);
    }
  while (g_get_monotonic_time () < end);
  return -1;
}

gboolean
net_read_all (int fd, void *buf, gsize n, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize got = 0;
  while (got < n)
    {
      gint64 left = (end - g_get_monotonic_time ()) / 1000;
      if (left <= 0)
        return FALSE;
      struct pollfd p = { fd, POLLIN, 0 };
      if (poll (&p, 1, (int) left) <= 0)
        continue;
      ssize_t r = recv (fd, (char *) buf + got, n - got, 0);
      if (r <= 0)
        return FALSE;
      got += (gsize) r;
    }
  return TRUE;
}

const char *
net_ferrite_bin (void)
{
  const char *bin = g_getenv ("FERRITE_BIN");
  g_assert_nonnull (bin);
  return bin;
}

GPid
net_spawn (const char *const *argv, const char *stderr_path)
{
  return net_spawn_in (argv, stderr_path, NULL);
}

GPid
net_spawn_in (const char *const *argv, const char *stderr_path, const char *cwd)
{
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "PULSE_SERVER", "unix:/nonexistent/ferrite-test", TRUE);
  env = g_environ_unsetenv (env, "DISPLAY");
  int err_fd = -1;
  if (stderr_path != NULL)
    {
      err_fd = g_open (stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      g_assert_cmpint (err_fd, >=, 0);
    }
  GPid pid;
  g_autoptr (GError) error = NULL;
  g_spawn_async_with_fds (cwd, (char **) argv, env,
                          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                          &pid, -1, -1, err_fd, &error);
  g_assert_no_error (error);
  if (err_fd >= 0)
    close (err_fd);
  return pid;
}

int
net_wait (GPid pid, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  int status;
  for (;;)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);
      if (r == pid)
        break;
      if (g_get_monotonic_time () > end)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          g_spawn_close_pid (pid);
          return -2;
        }
      g_usleep (10000);
    }
  g_spawn_close_pid (pid);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

double
net_assert_tone (const float *x, gsize n, double rate_hz, double freq_hz, double min_sinad_db)
{
  FerToneFit fit;
  g_assert_true (fer_tone_fit (x, n, rate_hz, 0, &fit));
  g_test_message ("tone %.3f Hz, amplitude %.3f, SINAD %.1f dB", fit.freq_hz, fit.amplitude,
                  fit.sinad_db);
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, freq_hz, 0.5);
  g_assert_cmpfloat (fit.sinad_db, >=, min_sinad_db);
  return fit.sinad_db;
}

double
net_assert_wav_tone (const char *path, double freq_hz, double min_sinad_db, double skip_s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FerWav) wav = fer_wav_read (path, &error);
  g_assert_no_error (error);
  gsize skip = (gsize) (skip_s * wav->rate_hz);
  g_assert_cmpuint (wav->n_frames, >, skip + wav->rate_hz / 4);
  g_autofree float *x = fer_tone_deinterleave (wav->frames + skip * wav->channels,
                                               wav->n_frames - skip, wav->channels, 0);
  return net_assert_tone (x, wav->n_frames - skip, wav->rate_hz, freq_hz, min_sinad_db);
}
