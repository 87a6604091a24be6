/* sink-test-util.c - shared by the sink tests (see sink-test-util.h). */
#include "sink-test-util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* ALSA loads its plugins (pulse, jack, ...) with dlopen during Pa_Initialize
 * and unloads them again; what their static constructors allocated is then
 * reported as leaked, from a module LeakSanitizer can no longer name. Full
 * unwinding on malloc reaches snd_dlopen in those stacks, which tells them
 * apart from Ferrite's own allocations. */
#if defined(__SANITIZE_ADDRESS__)
#define FER_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature (address_sanitizer)
#define FER_TEST_ASAN 1
#endif
#endif
#ifdef FER_TEST_ASAN
const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:snd_dlopen\n";
}
#endif

/* ThreadSanitizer sees the sound libraries' threads (the pulse client's
 * mainloop, PortAudio's callback thread) but not their uninstrumented
 * locking, nor glibc's time zone lock under GLib's log writer when two
 * threads log at once: reports from inside those are not about Ferrite. */
#if defined(__SANITIZE_THREAD__)
#define FER_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature (thread_sanitizer)
#define FER_TEST_TSAN 1
#endif
#endif
#ifdef FER_TEST_TSAN
const char *__tsan_default_suppressions (void);

const char *
__tsan_default_suppressions (void)
{
  return "race:libpulse.so\n"
         "race:libpulsecommon\n"
         "race:libasound.so\n"
         "race:libportaudio.so\n"
         "race:tzset_internal\n"
         "race:g_log_writer_format_fields\n";
}
#endif

/* ---- state changes ---------------------------------------------------------- */

void
fer_test_state_log_init (FerTestStateLog *log)
{
  memset (log, 0, sizeof *log);
  atomic_init (&log->n, 0);
}

void
fer_test_state_log_clear (FerTestStateLog *log)
{
  guint n = atomic_load (&log->n);
  for (guint i = 0; i < n; i++)
    g_free (log->messages[i]);
}

guint
fer_test_state_log_count (FerTestStateLog *log)
{
  return atomic_load_explicit (&log->n, memory_order_acquire);
}

void
fer_test_on_state (FerAudioState state, const char *message, gpointer data)
{
  FerTestStateLog *log = data;
  guint i = atomic_load_explicit (&log->n, memory_order_relaxed);
  g_assert_cmpuint (i, <, FER_TEST_STATE_LOG_SIZE);
  log->states[i] = state;
  log->messages[i] = g_strdup (message);
  log->times_us[i] = g_get_monotonic_time ();
  atomic_store_explicit (&log->n, i + 1, memory_order_release);
}

int
fer_test_state_log_wait (FerTestStateLog *log, guint from, FerAudioState state,
                         double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  for (;;)
    {
      guint n = fer_test_state_log_count (log);
      for (guint i = from; i < n; i++)
        if (log->states[i] == state)
          return (int) i;
      if (g_get_monotonic_time () > deadline)
        return -1;
      g_usleep (1000);
    }
}

/* ---- the private server ------------------------------------------------------ */

/* Runs audio-server.sh with @command (and the server's directory); with
 * @export, sets the variables it prints in this process. */
static void
run_server_script (const char *command, const char *dir, gboolean export)
{
  const char *argv[] = { "/bin/sh", AUDIO_SERVER_SH, command, dir, NULL };
  g_autofree char *out = NULL;
  GError *error = NULL;
  int status;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  if (!export)
    return;

  /* Lines of: export NAME='value' */
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    {
      if (!g_str_has_prefix (*line, "export "))
        continue;
      g_auto (GStrv) kv = g_strsplit (*line + 7, "=", 2);
      g_assert_nonnull (kv[1]);
      g_autofree char *value = g_shell_unquote (kv[1], &error);
      g_assert_no_error (error);
      /* libc's setenv, not g_setenv, which warns once any thread ever ran:
       * the callers make sure no other thread runs now, and PortAudio reads
       * these when the next sink starts. */
      setenv (kv[0], value, 1);
    }
}

void
fer_test_server_start (FerTestServer *server)
{
  run_server_script ("start", NULL, TRUE);
  server->dir = g_strdup (g_getenv ("AUDIO_SERVER_DIR"));
  g_assert_nonnull (server->dir);
  server->pid = (GPid) atoi (g_getenv ("AUDIO_SERVER_PID"));
  g_assert_cmpint (server->pid, >, 1);
}

void
fer_test_server_restart (FerTestServer *server)
{
  run_server_script ("restart", server->dir, FALSE);
  g_autofree char *pid_path = g_build_filename (server->dir, "run", "pid", NULL);
  g_autofree char *pid = NULL;
  g_assert_true (g_file_get_contents (pid_path, &pid, NULL, NULL));
  server->pid = (GPid) atoi (pid);
  g_assert_cmpint (server->pid, >, 1);
}

void
fer_test_server_stop (FerTestServer *server)
{
  run_server_script ("stop", server->dir, FALSE);
  g_clear_pointer (&server->dir, g_free);
}

/* ---- recording the sink's monitor --------------------------------------------- */

void
fer_test_capture_start (FerTestCapture *capture, FerTestServer *server, guint channels,
                        const char *name)
{
  g_autofree char *channels_arg = g_strdup_printf ("--channels=%u", channels);
  g_autofree char *server_arg = g_strdup_printf ("--server=unix:%s/native", server->dir);
  capture->path = g_build_filename (server->dir, name, NULL);
  const char *argv[] = { "parec", server_arg, "-d", g_getenv ("AUDIO_MONITOR"),
                         "--rate=48000", channels_arg, "--format=s16le", "--file-format=wav",
                         capture->path, NULL };
  GError *error = NULL;
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 NULL, NULL, &capture->pid, &error);
  g_assert_no_error (error);
  g_usleep (200 * 1000);   /* the recorder runs before anything plays */
}

FerWav *
fer_test_capture_stop (FerTestCapture *capture)
{
  int status;
  GError *error = NULL;
  kill (capture->pid, SIGINT);   /* parec finishes the WAV header on SIGINT */
  g_assert_cmpint (waitpid (capture->pid, &status, 0), ==, capture->pid);
  g_spawn_close_pid (capture->pid);
  FerWav *wav = fer_wav_read (capture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->rate_hz, ==, 48000);
  g_clear_pointer (&capture->path, g_free);
  return wav;
}
