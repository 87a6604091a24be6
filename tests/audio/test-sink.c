/* FerAudioSink through a real sound server: each test starts a private
 * PulseAudio with a null sink (audio-server.sh), plays through PortAudio's
 * default output, records the sink's monitor with parec and measures what
 * arrived. The server is also killed and frozen under a playing sink.
 *
 * Exit 77 (skipped) when pulseaudio is not installed. */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audio/sink.h"
#include "tone.h"

#define RATE_HZ 48000

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
#define RING_FRAMES 16384
#define FEED_TARGET_FRAMES 9600   /* the producer keeps 200 ms queued */
#define FEED_CHUNK_FRAMES 480

/* ---- state changes, as a UI would see them ---------------------------------- */

/* Written by the sink's one worker thread, read by the test: entries are
 * filled in, then published by the release store of n. Atomics, not a GMutex,
 * so that ThreadSanitizer sees the synchronisation. */
typedef struct {
  atomic_uint n;
  FerAudioState states[16];
  char *messages[16];
  gint64 times_us[16];
} StateLog;

static void
state_log_init (StateLog *log)
{
  memset (log, 0, sizeof *log);
  atomic_init (&log->n, 0);
}

static void
state_log_clear (StateLog *log)
{
  guint n = atomic_load (&log->n);
  for (guint i = 0; i < n; i++)
    g_free (log->messages[i]);
}

static guint
state_log_count (StateLog *log)
{
  return atomic_load_explicit (&log->n, memory_order_acquire);
}

static void
on_state (FerAudioState state, const char *message, gpointer data)
{
  StateLog *log = data;
  guint i = atomic_load_explicit (&log->n, memory_order_relaxed);
  g_assert_cmpuint (i, <, G_N_ELEMENTS (log->states));
  log->states[i] = state;
  log->messages[i] = g_strdup (message);
  log->times_us[i] = g_get_monotonic_time ();
  atomic_store_explicit (&log->n, i + 1, memory_order_release);
}

/* Waits until @state was reported; returns its index or -1 after @timeout_s. */
static int
state_log_wait (StateLog *log, FerAudioState state, double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  for (;;)
    {
      guint n = state_log_count (log);
      for (guint i = 0; i < n; i++)
        if (log->states[i] == state)
          return (int) i;
      if (g_get_monotonic_time () > deadline)
        return -1;
      g_usleep (1000);
    }
}

/* ---- the private server ----------------------------------------------------- */

typedef struct {
  char *dir;
  GPid pid;
} Server;

static void
server_start (Server *server)
{
  const char *argv[] = { "/bin/sh", AUDIO_SERVER_SH, "start", NULL };
  g_autofree char *out = NULL;
  GError *error = NULL;
  int status;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

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
       * here none does (each sink's worker has been joined), and PortAudio
       * reads these when the next sink starts. */
      setenv (kv[0], value, 1);
    }
  server->dir = g_strdup (g_getenv ("AUDIO_SERVER_DIR"));
  g_assert_nonnull (server->dir);
  server->pid = (GPid) atoi (g_getenv ("AUDIO_SERVER_PID"));
  g_assert_cmpint (server->pid, >, 1);
}

static void
server_stop (Server *server)
{
  const char *argv[] = { "/bin/sh", AUDIO_SERVER_SH, "stop", server->dir, NULL };
  GError *error = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, NULL,
                &error);
  g_assert_no_error (error);
  g_free (server->dir);
}

/* ---- recording the sink's monitor ------------------------------------------- */

typedef struct {
  GPid pid;
  char *path;
} Capture;

static void
capture_start (Capture *capture, Server *server, guint channels)
{
  g_autofree char *channels_arg = g_strdup_printf ("--channels=%u", channels);
  capture->path = g_build_filename (server->dir, "capture.wav", NULL);
  const char *argv[] = { "parec", "-d", g_getenv ("AUDIO_MONITOR"), "--rate=48000",
                         channels_arg, "--format=s16le", "--file-format=wav", capture->path,
                         NULL };
  GError *error = NULL;
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 NULL, NULL, &capture->pid, &error);
  g_assert_no_error (error);
  g_usleep (200 * 1000);   /* the recorder runs before anything plays */
}

static FerWav *
capture_stop (Capture *capture)
{
  int status;
  GError *error = NULL;
  kill (capture->pid, SIGINT);   /* parec finishes the WAV header on SIGINT */
  g_assert_cmpint (waitpid (capture->pid, &status, 0), ==, capture->pid);
  g_spawn_close_pid (capture->pid);
  FerWav *wav = fer_wav_read (capture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->rate_hz, ==, RATE_HZ);
  g_free (capture->path);
  return wav;
}

/* ---- the producer: a tone per channel, paced by the ring's fill --------------- */

typedef struct {
  guint channels;
  double freq_hz[2];
  double amplitude;
  guint64 n_written;
} Tone;

static void
feed_tone (FerRing *ring, Tone *tone, guint64 n_frames)
{
  float chunk[FEED_CHUNK_FRAMES * 2];
  guint64 end = tone->n_written + n_frames;
  while (tone->n_written < end)
    {
      gsize fill = fer_ring_get_fill (ring);
      if (fill >= FEED_TARGET_FRAMES)
        {
          g_usleep (2000);
          continue;
        }
      gsize n = MIN (MIN ((gsize) FEED_CHUNK_FRAMES, FEED_TARGET_FRAMES - fill),
                     (gsize) (end - tone->n_written));
      for (gsize i = 0; i < n; i++)
        for (guint c = 0; c < tone->channels; c++)
          chunk[i * tone->channels + c] =
            (float) (tone->amplitude * sin (2 * G_PI * tone->freq_hz[c]
                                             * (double) (tone->n_written + i) / RATE_HZ));
      g_assert_cmpuint (fer_ring_write (ring, chunk, n), ==, n);
      tone->n_written += n;
    }
}

static void
wait_drained (FerRing *ring, FerAudioSink *sink)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (fer_ring_get_fill (ring) > 0 && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  g_assert_cmpuint (fer_ring_get_fill (ring), ==, 0);
  /* What the callback took is still on its way through the server. */
  g_usleep ((gulong) (fer_audio_sink_get_latency_s (sink) * G_USEC_PER_SEC) + 300 * 1000);
}

/* Checks one channel of a capture: the tone is there for @seconds, unbroken,
 * at @freq_hz and @amplitude, with SINAD >= 40 dB. */
static void
assert_tone (FerWav *wav, guint channel, double freq_hz, double amplitude, double seconds)
{
  g_autofree float *x = fer_tone_deinterleave (wav->frames, wav->n_frames, wav->channels,
                                               channel);
  gsize n = wav->n_frames, first = n, last = 0;
  for (gsize i = 0; i < n; i++)
    if (fabsf (x[i]) > 1e-3f)
      {
        first = MIN (first, i);
        last = i;
      }
  g_assert_cmpuint (first, <, last);
  double duration_s = (double) (last - first + 1) / RATE_HZ;

  /* Underruns reach the capture as runs of exact zeros. */
  guint n_gaps = 0;
  gsize run = 0;
  for (gsize i = first; i <= last; i++)
    {
      run = x[i] == 0.0f ? run + 1 : 0;
      if (run == RATE_HZ / 500)   /* 2 ms */
        n_gaps++;
    }

  /* The sine fit, 5 % in from either edge. */
  gsize len = last - first + 1, edge = len / 20;
  FerToneFit fit;
  g_assert_true (fer_tone_fit (x + first + edge, len - 2 * edge, RATE_HZ, freq_hz, &fit));
  g_test_message ("channel %u: %.3f s of tone, %.4f Hz, amplitude %.4f, SINAD %.1f dB, "
                  "%u gaps, capture %.2f s", channel, duration_s, fit.freq_hz, fit.amplitude,
                  fit.sinad_db, n_gaps, (double) n / RATE_HZ);
  g_assert_cmpuint (n_gaps, ==, 0);
  g_assert_cmpfloat_with_epsilon (duration_s, seconds, 0.005);   /* nothing lost or repeated */
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, freq_hz, 0.5);
  g_assert_cmpfloat_with_epsilon (fit.amplitude, amplitude, amplitude * 0.02);
  g_assert_cmpfloat (fit.sinad_db, >=, 40.0);
}

/* ---- the tests --------------------------------------------------------------- */

static void
test_plays_mono_tone (void)
{
  Server server;
  Capture capture;
  StateLog log;
  server_start (&server);
  state_log_init (&log);
  capture_start (&capture, &server, 1);

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  gint64 t_new = g_get_monotonic_time ();
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, on_state, &log);
  g_assert_cmpint (g_get_monotonic_time () - t_new, <, 100 * 1000);   /* returns at once */
  int playing = state_log_wait (&log, FER_AUDIO_STATE_PLAYING, 5.0);
  g_assert_cmpint (playing, >=, 1);
  g_assert_cmpint (log.states[0], ==, FER_AUDIO_STATE_STARTING);
  g_assert_cmpint (fer_audio_sink_get_state (sink), ==, FER_AUDIO_STATE_PLAYING);
  double latency_s = fer_audio_sink_get_latency_s (sink);
  g_assert_cmpfloat (latency_s, >, 0.0);
  g_assert_cmpfloat (latency_s, <, 0.5);

  /* Silence while nothing is queued yet is start-up, not underruns. */
  g_usleep (300 * 1000);
  g_assert_cmpuint (fer_audio_sink_get_n_played (sink), >, 0);
  g_assert_cmpuint (fer_audio_sink_get_n_underruns (sink), ==, 0);

  Tone tone = { .channels = 1, .freq_hz = { 1000 }, .amplitude = 0.5 };
  feed_tone (ring, &tone, RATE_HZ / 2);
  /* The device clock: frames handed over in one second of wall time. */
  guint64 played0 = fer_audio_sink_get_n_played (sink);
  gint64 wall0 = g_get_monotonic_time ();
  feed_tone (ring, &tone, RATE_HZ);
  double played_rate = (double) (fer_audio_sink_get_n_played (sink) - played0)
                       / ((double) (g_get_monotonic_time () - wall0) / G_USEC_PER_SEC);
  feed_tone (ring, &tone, RATE_HZ / 2);
  guint64 n_underruns = fer_audio_sink_get_n_underruns (sink);
  wait_drained (ring, sink);

  gint64 t0 = g_get_monotonic_time ();
  fer_audio_sink_free (sink);
  double free_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  fer_ring_free (ring);
  g_autoptr (FerWav) wav = capture_stop (&capture);

  g_test_message ("PLAYING %.3f s after new; output latency %.3f s (+ %d ms queued in the "
                  "ring); %.0f frames/s played; free took %.3f s",
                  (double) (log.times_us[playing] - t_new) / G_USEC_PER_SEC, latency_s,
                  FEED_TARGET_FRAMES * 1000 / RATE_HZ, played_rate, free_s);
  g_assert_cmpuint (n_underruns, ==, 0);
  g_assert_cmpfloat_with_epsilon (played_rate, RATE_HZ, RATE_HZ * 0.1);
  g_assert_cmpfloat (free_s, <, 1.0);
  assert_tone (wav, 0, 1000, 0.5, 2.0);

  state_log_clear (&log);
  server_stop (&server);
}

static void
test_plays_stereo_with_volume (void)
{
  Server server;
  Capture capture;
  StateLog log;
  server_start (&server);
  state_log_init (&log);
  capture_start (&capture, &server, 2);

  FerRing *ring = fer_ring_new (RING_FRAMES, 2);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, on_state, &log);
  fer_audio_sink_set_volume (sink, 0.5f);
  g_assert_cmpint (state_log_wait (&log, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);

  /* Different tones left and right: the channels arrive where they belong. */
  Tone tone = { .channels = 2, .freq_hz = { 1000, 1500 }, .amplitude = 0.5 };
  feed_tone (ring, &tone, RATE_HZ * 3 / 2);
  g_assert_cmpuint (fer_audio_sink_get_n_underruns (sink), ==, 0);
  wait_drained (ring, sink);
  fer_audio_sink_free (sink);
  fer_ring_free (ring);

  g_autoptr (FerWav) wav = capture_stop (&capture);
  g_assert_cmpuint (wav->channels, ==, 2);
  assert_tone (wav, 0, 1000, 0.25, 1.5);
  assert_tone (wav, 1, 1500, 0.25, 1.5);

  state_log_clear (&log);
  server_stop (&server);
}

static void
test_mute_silences (void)
{
  Server server;
  Capture capture;
  StateLog log;
  server_start (&server);
  state_log_init (&log);
  capture_start (&capture, &server, 1);

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, on_state, &log);
  fer_audio_sink_set_muted (sink, TRUE);
  g_assert_cmpint (state_log_wait (&log, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);

  Tone tone = { .channels = 1, .freq_hz = { 1000 }, .amplitude = 0.5 };
  feed_tone (ring, &tone, RATE_HZ);
  wait_drained (ring, sink);
  /* The ring was drained at the device's pace all the same. */
  g_assert_cmpuint (fer_audio_sink_get_n_played (sink), >=, RATE_HZ);
  fer_audio_sink_free (sink);
  fer_ring_free (ring);

  g_autoptr (FerWav) wav = capture_stop (&capture);
  g_assert_cmpuint (wav->n_frames, >, RATE_HZ);
  float peak = 0;
  for (gsize i = 0; i < wav->n_frames; i++)
    peak = MAX (peak, fabsf (wav->frames[i]));
  g_assert_cmpfloat (peak, ==, 0.0f);

  state_log_clear (&log);
  server_stop (&server);
}

static void
test_counts_underruns (void)
{
  Server server;
  StateLog log;
  server_start (&server);
  state_log_init (&log);

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, on_state, &log);
  g_assert_cmpint (state_log_wait (&log, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);
  g_usleep (200 * 1000);
  g_assert_cmpuint (fer_audio_sink_get_n_underruns (sink), ==, 0);

  Tone tone = { .channels = 1, .freq_hz = { 1000 }, .amplitude = 0.5 };
  feed_tone (ring, &tone, RATE_HZ / 4);
  g_assert_cmpuint (fer_audio_sink_get_n_underruns (sink), ==, 0);
  /* The producer stops: the ring runs dry and every short callback counts. */
  wait_drained (ring, sink);
  guint64 n_underruns = fer_audio_sink_get_n_underruns (sink);
  g_test_message ("%" G_GUINT64_FORMAT " underruns after the producer stopped", n_underruns);
  g_assert_cmpuint (n_underruns, >=, 1);
  fer_audio_sink_free (sink);
  fer_ring_free (ring);

  state_log_clear (&log);
  server_stop (&server);
}

static void
test_server_killed (void)
{
  Server server;
  StateLog log;
  server_start (&server);
  state_log_init (&log);

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, on_state, &log);
  g_assert_cmpint (state_log_wait (&log, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);
  Tone tone = { .channels = 1, .freq_hz = { 1000 }, .amplitude = 0.5 };
  feed_tone (ring, &tone, RATE_HZ / 2);

  gint64 t_kill = g_get_monotonic_time ();
  g_assert_cmpint (kill (server.pid, SIGKILL), ==, 0);
  int failed = state_log_wait (&log, FER_AUDIO_STATE_FAILED, 5.0);
  g_assert_cmpint (failed, >=, 0);
  double detect_s = (double) (log.times_us[failed] - t_kill) / G_USEC_PER_SEC;
  g_assert_cmpint (fer_audio_sink_get_state (sink), ==, FER_AUDIO_STATE_FAILED);
  g_assert_nonnull (strstr (log.messages[failed], "went away"));

  /* The producer goes on without blocking: the ring just fills up. */
  float chunk[RING_FRAMES] = { 0 };
  g_assert_cmpuint (fer_ring_write (ring, chunk, RING_FRAMES), <=, RING_FRAMES);
  g_assert_cmpuint (fer_ring_write (ring, chunk, RING_FRAMES), ==, 0);

  gint64 t0 = g_get_monotonic_time ();
  fer_audio_sink_free (sink);
  double free_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  fer_ring_free (ring);
  g_test_message ("FAILED %.3f s after the kill (\"%s\"); free took %.3f s", detect_s,
                  log.messages[failed], free_s);
  g_assert_cmpfloat (detect_s, <, 3.0);
  g_assert_cmpfloat (free_s, <, 1.0);

  state_log_clear (&log);
  server_stop (&server);
}

static void
test_server_frozen (void)
{
  Server server;
  StateLog log, log2;
  server_start (&server);
  state_log_init (&log);
  state_log_init (&log2);

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, on_state, &log);
  g_assert_cmpint (state_log_wait (&log, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);
  Tone tone = { .channels = 1, .freq_hz = { 1000 }, .amplitude = 0.5 };
  feed_tone (ring, &tone, RATE_HZ / 2);

  /* A frozen server blocks PortAudio's stop and close for 30 s each: free
   * must give up on the worker, and leave nothing that still uses the ring. */
  g_assert_cmpint (kill (server.pid, SIGSTOP), ==, 0);
  g_usleep (300 * 1000);
  g_test_expect_message ("fer-audio", G_LOG_LEVEL_WARNING, "*still blocked in PortAudio*");
  gint64 t0 = g_get_monotonic_time ();
  fer_audio_sink_free (sink);
  double free_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  g_test_assert_expected_messages ();
  guint n_states = state_log_count (&log);
  fer_ring_free (ring);   /* under ASan: a callback still reading it would be caught */
  g_test_message ("free with a frozen server returned after %.3f s", free_s);
  g_assert_cmpfloat (free_s, <, 3.5);

  /* The process stays usable: once the server thaws, a new sink plays. */
  g_assert_cmpint (kill (server.pid, SIGCONT), ==, 0);
  t0 = g_get_monotonic_time ();
  FerRing *ring2 = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink2 = fer_audio_sink_new (ring2, RATE_HZ, on_state, &log2);
  int playing = state_log_wait (&log2, FER_AUDIO_STATE_PLAYING, 8.0);
  g_assert_cmpint (playing, >=, 0);
  g_test_message ("a new sink played %.3f s after the server thawed",
                  (double) (log2.times_us[playing] - t0) / G_USEC_PER_SEC);
  Tone tone2 = { .channels = 1, .freq_hz = { 1000 }, .amplitude = 0.5 };
  feed_tone (ring2, &tone2, RATE_HZ / 4);
  wait_drained (ring2, sink2);
  g_assert_cmpuint (fer_audio_sink_get_n_underruns (sink2), >=, 1);
  fer_audio_sink_free (sink2);
  fer_ring_free (ring2);

  /* The abandoned sink never called back after free returned. */
  g_assert_cmpuint (state_log_count (&log), ==, n_states);
  state_log_clear (&log2);
  /* log stays: the abandoned worker is done calling back, but keep its
   * memory valid anyway; it is on the stack until the test ends. */
  server_stop (&server);
  state_log_clear (&log);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autofree char *pulseaudio = g_find_program_in_path ("pulseaudio");
  if (pulseaudio == NULL)
    {
      g_printerr ("pulseaudio is not installed: skipping the sound server tests\n");
      return 77;
    }
  g_test_add_func ("/audio/sink/plays-mono-tone", test_plays_mono_tone);
  g_test_add_func ("/audio/sink/plays-stereo-channels-with-volume", test_plays_stereo_with_volume);
  g_test_add_func ("/audio/sink/mute-silences", test_mute_silences);
  g_test_add_func ("/audio/sink/counts-underruns-after-start", test_counts_underruns);
  g_test_add_func ("/audio/sink/server-killed-reports-failed", test_server_killed);
  g_test_add_func ("/audio/sink/server-frozen-free-returns", test_server_frozen);
  return g_test_run ();
}
