/* FerAudioSink with no sound server and no sound card: Ferrite must say so
 * and run on silently, and nothing may block the caller. */
#include <glib/gstdio.h>
#include <stdatomic.h>
#include <string.h>

#include "audio/sink.h"
#include "sink-test-util.h"

static void
test_reports_no_device (void)
{
  FerTestStateLog log;
  fer_test_state_log_init (&log);
  g_autoptr (FerRing) ring = fer_ring_new (4096, 2);

  gint64 t0 = g_get_monotonic_time ();
  FerAudioSink *sink = fer_audio_sink_new (ring, 48000, NULL, fer_test_on_state, &log);
  double new_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  g_assert_cmpfloat (new_s, <, 0.1);

  int no_device = fer_test_state_log_wait (&log, 0, FER_AUDIO_STATE_NO_DEVICE, 5.0);
  g_assert_cmpint (no_device, >=, 0);
  double report_s = (double) (log.times_us[no_device] - t0) / G_USEC_PER_SEC;
  g_assert_cmpint (log.states[0], ==, FER_AUDIO_STATE_STARTING);
  g_assert_cmpstr (log.messages[no_device], ==,
                   "No audio output device found; Ferrite runs silently");
  g_assert_cmpint (fer_audio_sink_get_state (sink), ==, FER_AUDIO_STATE_NO_DEVICE);
  g_assert_cmpfloat (fer_audio_sink_get_latency_s (sink), ==, 0.0);

  /* The producer side carries on: writes never block, nothing is consumed. */
  float frames[2 * 1000] = { 0 };
  g_assert_cmpuint (fer_ring_write (ring, frames, 1000), ==, 1000);
  fer_audio_sink_set_volume (sink, 0.3f);
  fer_audio_sink_set_muted (sink, TRUE);
  g_assert_cmpuint (fer_audio_sink_get_n_played (sink), ==, 0);
  g_assert_cmpuint (fer_audio_sink_get_n_underruns (sink), ==, 0);
  g_assert_cmpuint (fer_ring_get_fill (ring), ==, 1000);

  t0 = g_get_monotonic_time ();
  fer_audio_sink_free (sink);
  double free_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  g_test_message ("new %.4f s, NO_DEVICE after %.3f s, free %.4f s", new_s, report_s, free_s);
  g_assert_cmpfloat (free_s, <, 0.5);
  g_assert_cmpuint (fer_test_state_log_count (&log), ==, 2);
  fer_test_state_log_clear (&log);
}

/* Freed while its worker is still starting PortAudio: prompt, and no state
 * is reported after free returns. Several sinks at once share PortAudio. */
static void
test_free_while_starting (void)
{
  enum { N_SINKS = 3 };
  FerTestStateLog logs[N_SINKS];
  FerRing *rings[N_SINKS];
  FerAudioSink *sinks[N_SINKS];
  for (int i = 0; i < N_SINKS; i++)
    {
      fer_test_state_log_init (&logs[i]);
      rings[i] = fer_ring_new (1024, 1);
      sinks[i] = fer_audio_sink_new (rings[i], 48000, NULL, fer_test_on_state, &logs[i]);
    }
  /* The last one lives until it has reported. */
  g_assert_cmpint (fer_test_state_log_wait (&logs[N_SINKS - 1], 0, FER_AUDIO_STATE_NO_DEVICE, 5.0), >=, 0);

  gint64 t0 = g_get_monotonic_time ();
  fer_audio_sink_free (sinks[0]);
  double free_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  guint n_reported = fer_test_state_log_count (&logs[0]);
  g_assert_cmpfloat (free_s, <, 0.5);
  for (int i = 1; i < N_SINKS; i++)
    fer_audio_sink_free (sinks[i]);
  g_usleep (100 * 1000);
  g_assert_cmpuint (fer_test_state_log_count (&logs[0]), ==, n_reported);
  for (int i = 0; i < N_SINKS; i++)
    {
      fer_ring_free (rings[i]);
      fer_test_state_log_clear (&logs[i]);
    }

  /* And one freed right away. */
  FerTestStateLog log;
  fer_test_state_log_init (&log);
  FerRing *ring = fer_ring_new (1024, 1);
  t0 = g_get_monotonic_time ();
  fer_audio_sink_free (fer_audio_sink_new (ring, 48000, NULL, fer_test_on_state, &log));
  g_assert_cmpfloat ((double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC, <, 0.5);
  guint n = fer_test_state_log_count (&log);
  g_usleep (100 * 1000);
  g_assert_cmpuint (fer_test_state_log_count (&log), ==, n);
  fer_ring_free (ring);
  fer_test_state_log_clear (&log);
}

/* No sound server: PULSE_SERVER names a socket nobody listens on, and
 * libpulse may not spawn one. No sound card: ALSA gets a configuration whose
 * only device is the pulse plugin as default, so no card of the machine nor
 * a desktop's own sound server is seen (the same path as with a server, see
 * audio-server.sh). An ALSA configuration without any device at all would not
 * do: PortAudio 19.6 asserts on it. */
static char *
isolate_from_sound (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("fer-nodev-XXXXXX", &error);
  g_assert_no_error (error);

  g_autofree char *socket = g_build_filename (dir, "no-such-socket", NULL);
  g_autofree char *server = g_strconcat ("unix:", socket, NULL);
  g_autofree char *client_conf = g_build_filename (dir, "client.conf", NULL);
  g_autofree char *alsa_conf = g_build_filename (dir, "asound.conf", NULL);
  g_assert_true (g_file_set_contents (client_conf, "autospawn = no\n", -1, NULL));
  g_assert_true (g_file_set_contents (alsa_conf,
                                      "pcm.!default { type pulse }\n"
                                      "ctl.!default { type pulse }\n", -1, NULL));
  g_setenv ("PULSE_SERVER", server, TRUE);
  g_setenv ("PULSE_CLIENTCONFIG", client_conf, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", dir, TRUE);
  g_setenv ("ALSA_CONFIG_PATH", alsa_conf, TRUE);
  return dir;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Before any thread exists: setenv is not thread-safe. */
  g_autofree char *dir = isolate_from_sound ();
  g_test_add_func ("/audio/sink/no-device-reported-and-silent", test_reports_no_device);
  g_test_add_func ("/audio/sink/free-while-starting-is-prompt", test_free_while_starting);
  int rc = g_test_run ();
  g_autofree char *client_conf = g_build_filename (dir, "client.conf", NULL);
  g_autofree char *alsa_conf = g_build_filename (dir, "asound.conf", NULL);
  g_unlink (client_conf);
  g_unlink (alsa_conf);
  g_rmdir (dir);
  return rc;
}
