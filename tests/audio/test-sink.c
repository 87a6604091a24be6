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
#include "sink-test-util.h"
#include "capture-check.h"

#define RATE_HZ 48000

#define RING_FRAMES 16384
#define FEED_CHUNK_FRAMES 240     /* 5 ms, about what a receiver's block makes */

/* ---- the producer: a tone per channel, paced by the clock ------------------- */

/* Like a receiver: audio arrives at its own clock (the monotonic one), in
 * chunks, whatever the ring holds; the sink keeps the fill steady. */
typedef struct {
  guint channels;
  double freq_hz[2];
  double amplitude;
  guint64 n_written;
  gint64 t0_us;             /* when the first chunk was due */
} Tone;

/* Returns FALSE if the ring was full at some point (the sink stalled, as
 * on a machine too busy to run it in real time). */
static gboolean
feed_tone (FerRing *ring, Tone *tone, guint64 n_frames)
{
  gboolean fitted = TRUE;
  float chunk[FEED_CHUNK_FRAMES * 2];
  guint64 end = tone->n_written + n_frames;
  if (tone->t0_us == 0)
    tone->t0_us = g_get_monotonic_time ();
  while (tone->n_written < end)
    {
      gint64 elapsed_us = g_get_monotonic_time () - tone->t0_us;
      guint64 due = (guint64) ((double) elapsed_us * RATE_HZ / G_USEC_PER_SEC);
      gsize n = (gsize) MIN ((guint64) FEED_CHUNK_FRAMES, end - tone->n_written);
      if (due < tone->n_written + n)
        {
          g_usleep (1000);
          continue;
        }
      for (gsize i = 0; i < n; i++)
        for (guint c = 0; c < tone->channels; c++)
          chunk[i * tone->channels + c] =
            (float) (tone->amplitude * sin (2 * G_PI * tone->freq_hz[c]
                                             * (double) (tone->n_written + i) / RATE_HZ));
      fitted &= fer_ring_write (ring, chunk, n) == n;
      tone->n_written += n;
    }
  return fitted;
}

/* The producer has stopped: the sink plays the ring out (a frame may stay:
 * the resampler keeps what it cannot use yet). */
static void
wait_drained (FerRing *ring, FerAudioSink *sink)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (fer_ring_get_fill (ring) > 1 && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  g_assert_cmpuint (fer_ring_get_fill (ring), <=, 1);
  /* What the callback took is still on its way through the server. */
  g_usleep ((gulong) (fer_audio_sink_get_latency_s (sink) * G_USEC_PER_SEC) + 300 * 1000);
}

/* One channel of a capture: the tone is there for @seconds, unbroken (no
 * dropout, no click), at @freq_hz and @amplitude, with SINAD >= 40 dB. */
static gboolean
tone_is_clean (FerWav *wav, guint channel, double freq_hz, double amplitude, double seconds)
{
  g_autofree float *x = fer_tone_deinterleave (wav->frames, wav->n_frames, wav->channels,
                                               channel);
  FerCaptureCheck check;
  if (!fer_capture_check (x, wav->n_frames, RATE_HZ, freq_hz, 1e-3f, 0.05, 0.005, 0.05,
                          &check))
    {
      g_test_message ("channel %u: no tone", channel);
      return FALSE;
    }
  g_autofree char *figures = fer_capture_check_describe (&check, RATE_HZ);
  g_test_message ("channel %u: %s; capture %.2f s", channel, figures,
                  (double) wav->n_frames / RATE_HZ);
  return fer_capture_check_clean (&check, freq_hz, 40)
         && fabs (check.tone_s - seconds) <= 0.005   /* nothing lost or repeated */
         && fabs (check.fit.amplitude - amplitude) <= amplitude * 0.02;
}

static guint64
dropouts (FerAudioSink *sink)
{
  FerAudioSinkStats stats;
  fer_audio_sink_get_stats (sink, &stats);
  return stats.n_underruns + stats.n_xruns + stats.n_discarded;
}

/* Plays @tone for @seconds (from its start) while recording, then lets the
 * sink play the ring out. *@busy: the sink counted a dropout while the tone
 * played (the ring ran short or the device ran dry), which a loaded machine
 * causes; the caller then tries again. Dropouts nobody counted are what
 * the tests look for. */
static FerWav *
play_and_record (FerTestServer *server, FerRing *ring, FerAudioSink *sink, Tone *tone,
                 double seconds, int attempt, gboolean *busy)
{
  FerTestCapture capture;
  g_autofree char *name = g_strdup_printf ("capture-%d.wav", attempt);
  fer_test_capture_start (&capture, server, tone->channels, name);
  tone->n_written = 0;
  tone->t0_us = 0;
  guint64 before = dropouts (sink);
  gboolean fitted = feed_tone (ring, tone, (guint64) (seconds * RATE_HZ));
  /* The end of the tone runs the ring dry: that one is not counted. */
  *busy = dropouts (sink) > before || !fitted;
  wait_drained (ring, sink);
  return fer_test_capture_stop (&capture);
}

#define MAX_ATTEMPTS 3

/* ---- the tests --------------------------------------------------------------- */

static void
test_plays_mono_tone (void)
{
  FerTestServer server;
  FerTestStateLog log;
  fer_test_server_start (&server);
  fer_test_state_log_init (&log);

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  gint64 t_new = g_get_monotonic_time ();
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, NULL, fer_test_on_state, &log);
  g_assert_cmpint (g_get_monotonic_time () - t_new, <, 100 * 1000);   /* returns at once */
  int playing = fer_test_state_log_wait (&log, 0, FER_AUDIO_STATE_PLAYING, 5.0);
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

  /* The device clock: frames handed over in one second of wall time, and
   * the latency in steady state. */
  Tone tone = { .channels = 1, .freq_hz = { 1000 }, .amplitude = 0.5 };
  feed_tone (ring, &tone, RATE_HZ / 2);
  guint64 played0 = fer_audio_sink_get_n_played (sink);
  gint64 wall0 = g_get_monotonic_time ();
  feed_tone (ring, &tone, RATE_HZ);
  double played_rate = (double) (fer_audio_sink_get_n_played (sink) - played0)
                       / ((double) (g_get_monotonic_time () - wall0) / G_USEC_PER_SEC);
  FerAudioSinkStats stats;
  fer_audio_sink_get_stats (sink, &stats);
  wait_drained (ring, sink);

  /* Two seconds of tone, recorded. */
  gboolean clean = FALSE;
  for (int attempt = 1; attempt <= MAX_ATTEMPTS && !clean; attempt++)
    {
      gboolean busy;
      g_autoptr (FerWav) wav = play_and_record (&server, ring, sink, &tone, 2.0, attempt, &busy);
      clean = !busy && tone_is_clean (wav, 0, 1000, 0.5, 2.0);
      if (!clean)
        {
          g_assert_true (busy);   /* a dropout the sink did not see */
          g_test_message ("attempt %d: the sink counted a dropout (a busy machine)", attempt);
        }
    }
  g_assert_true (clean);

  gint64 t0 = g_get_monotonic_time ();
  fer_audio_sink_free (sink);
  double free_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  fer_ring_free (ring);

  g_test_message ("PLAYING %.3f s after new; output latency %.3f s; %.0f frames/s played; "
                  "free took %.3f s", (double) (log.times_us[playing] - t_new) / G_USEC_PER_SEC,
                  latency_s, played_rate, free_s);
  /* In steady state: what the ring holds plus the device's buffer. */
  g_test_message ("latency %.1f ms (ring %.1f + device %.1f), drift %+.1f ppm",
                  stats.latency_s * 1e3, stats.ring_s * 1e3, stats.device_s * 1e3,
                  stats.drift_ppm);
  g_assert_cmpint (stats.state, ==, FER_AUDIO_STATE_PLAYING);
  g_assert_cmpfloat (stats.ring_s, >, 0.02);
  g_assert_cmpfloat (stats.device_s, >, 0.0);
  g_assert_cmpfloat (stats.latency_s, <, 0.150);
  g_assert_cmpfloat (fabs (stats.drift_ppm), <, 50);
  g_assert_cmpfloat_with_epsilon (played_rate, RATE_HZ, RATE_HZ * 0.1);
  g_assert_cmpfloat (free_s, <, 1.0);

  fer_test_state_log_clear (&log);
  fer_test_server_stop (&server);
}

static void
test_plays_stereo_with_volume (void)
{
  FerTestServer server;
  FerTestStateLog log;
  fer_test_server_start (&server);
  fer_test_state_log_init (&log);

  FerRing *ring = fer_ring_new (RING_FRAMES, 2);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, NULL, fer_test_on_state, &log);
  fer_audio_sink_set_volume (sink, 0.5f);
  g_assert_cmpint (fer_test_state_log_wait (&log, 0, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);

  /* Different tones left and right: the channels arrive where they belong. */
  Tone tone = { .channels = 2, .freq_hz = { 1000, 1500 }, .amplitude = 0.5 };
  gboolean clean = FALSE;
  for (int attempt = 1; attempt <= MAX_ATTEMPTS && !clean; attempt++)
    {
      gboolean busy;
      g_autoptr (FerWav) wav = play_and_record (&server, ring, sink, &tone, 1.5, attempt, &busy);
      g_assert_cmpuint (wav->channels, ==, 2);
      gboolean left = tone_is_clean (wav, 0, 1000, 0.25, 1.5);
      gboolean right = tone_is_clean (wav, 1, 1500, 0.25, 1.5);
      clean = !busy && left && right;
      if (!clean)
        {
          g_assert_true (busy);   /* a dropout the sink did not see */
          g_test_message ("attempt %d: the sink counted a dropout (a busy machine)", attempt);
        }
    }
  g_assert_true (clean);
  fer_audio_sink_free (sink);
  fer_ring_free (ring);

  fer_test_state_log_clear (&log);
  fer_test_server_stop (&server);
}

static void
test_mute_silences (void)
{
  FerTestServer server;
  FerTestCapture capture;
  FerTestStateLog log;
  fer_test_server_start (&server);
  fer_test_state_log_init (&log);
  fer_test_capture_start (&capture, &server, 1, "capture.wav");

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, NULL, fer_test_on_state, &log);
  fer_audio_sink_set_muted (sink, TRUE);
  g_assert_cmpint (fer_test_state_log_wait (&log, 0, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);

  Tone tone = { .channels = 1, .freq_hz = { 1000 }, .amplitude = 0.5 };
  feed_tone (ring, &tone, RATE_HZ);
  wait_drained (ring, sink);
  /* The ring was drained at the device's pace all the same. */
  g_assert_cmpuint (fer_audio_sink_get_n_played (sink), >=, RATE_HZ);
  fer_audio_sink_free (sink);
  fer_ring_free (ring);

  g_autoptr (FerWav) wav = fer_test_capture_stop (&capture);
  g_assert_cmpuint (wav->n_frames, >, RATE_HZ);
  float peak = 0;
  for (gsize i = 0; i < wav->n_frames; i++)
    peak = MAX (peak, fabsf (wav->frames[i]));
  g_assert_cmpfloat (peak, ==, 0.0f);

  fer_test_state_log_clear (&log);
  fer_test_server_stop (&server);
}

static void
test_counts_underruns (void)
{
  FerTestServer server;
  FerTestStateLog log;
  fer_test_server_start (&server);
  fer_test_state_log_init (&log);

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, NULL, fer_test_on_state, &log);
  g_assert_cmpint (fer_test_state_log_wait (&log, 0, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);
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

  fer_test_state_log_clear (&log);
  fer_test_server_stop (&server);
}

static void
test_server_killed (void)
{
  FerTestServer server;
  FerTestStateLog log;
  fer_test_server_start (&server);
  fer_test_state_log_init (&log);

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, NULL, fer_test_on_state, &log);
  g_assert_cmpint (fer_test_state_log_wait (&log, 0, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);
  Tone tone = { .channels = 1, .freq_hz = { 1000 }, .amplitude = 0.5 };
  feed_tone (ring, &tone, RATE_HZ / 2);

  gint64 t_kill = g_get_monotonic_time ();
  g_assert_cmpint (kill (server.pid, SIGKILL), ==, 0);
  int failed = fer_test_state_log_wait (&log, 0, FER_AUDIO_STATE_FAILED, 5.0);
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

  fer_test_state_log_clear (&log);
  fer_test_server_stop (&server);
}

static void
test_server_frozen (void)
{
  FerTestServer server;
  FerTestStateLog log, log2;
  fer_test_server_start (&server);
  fer_test_state_log_init (&log);
  fer_test_state_log_init (&log2);

  FerRing *ring = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink = fer_audio_sink_new (ring, RATE_HZ, NULL, fer_test_on_state, &log);
  g_assert_cmpint (fer_test_state_log_wait (&log, 0, FER_AUDIO_STATE_PLAYING, 5.0), >=, 0);
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
  guint n_states = fer_test_state_log_count (&log);
  fer_ring_free (ring);   /* under ASan: a callback still reading it would be caught */
  g_test_message ("free with a frozen server returned after %.3f s", free_s);
  g_assert_cmpfloat (free_s, <, 3.5);

  /* The process stays usable: once the server thaws, a new sink plays. */
  g_assert_cmpint (kill (server.pid, SIGCONT), ==, 0);
  t0 = g_get_monotonic_time ();
  FerRing *ring2 = fer_ring_new (RING_FRAMES, 1);
  FerAudioSink *sink2 = fer_audio_sink_new (ring2, RATE_HZ, NULL, fer_test_on_state, &log2);
  int playing = fer_test_state_log_wait (&log2, 0, FER_AUDIO_STATE_PLAYING, 8.0);
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
  g_assert_cmpuint (fer_test_state_log_count (&log), ==, n_states);
  fer_test_state_log_clear (&log2);
  /* log stays: the abandoned worker is done calling back, but keep its
   * memory valid anyway; it is on the stack until the test ends. */
  fer_test_server_stop (&server);
  fer_test_state_log_clear (&log);
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
