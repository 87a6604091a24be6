/* Recording the demo dongle while it retunes, and playing recordings back
 * with the controls a window offers (position, seek, pause, loop, speed). */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "device/source-demo.h"
#include "device/source-file.h"
#include "iqgen.h"
#include "net-test-util.h"
#include "receiver/iq-recorder.h"
#include "receiver/receiver.h"

static char *tmp_dir;

typedef struct {
  GMainLoop *loop;
  int finished;
  char *error;
} Events;

static void
on_event (FerReceiver *rx, FerReceiverEvent event, const char *message, gpointer data)
{
  Events *ev = data;
  if (event == FER_RECEIVER_EVENT_FINISHED)
    ev->finished++;
  else if (event == FER_RECEIVER_EVENT_SOURCE_ERROR)
    ev->error = g_strdup (message);
  else
    return;
  if (ev->loop != NULL)
    g_main_loop_quit (ev->loop);
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("the receiver did not finish in time");
  return G_SOURCE_REMOVE;
}

static void
run_to_end (FerReceiver *rx)
{
  Events ev = { g_main_loop_new (NULL, FALSE), 0, NULL };
  fer_receiver_set_event_func (rx, on_event, &ev);
  g_autoptr (GError) error = NULL;
  g_assert_true (fer_receiver_start (rx, &error));
  guint timeout = g_timeout_add_seconds (30, on_timeout, NULL);
  g_main_loop_run (ev.loop);
  g_source_remove (timeout);
  g_assert_null (ev.error);
  g_assert_true (fer_receiver_stop (rx, &error));
  g_assert_no_error (error);
  fer_receiver_set_event_func (rx, NULL, NULL);
  g_main_loop_unref (ev.loop);
}

/* Retunes the demo once, from the DSP thread, after @at samples. */
typedef struct {
  FerReceiver *rx;
  guint64 n_samples;
  guint64 at;
  double center_hz;
  gboolean done;
} Retuner;

static void
retune_tap (const FerBlock *block, gpointer data)
{
  Retuner *r = data;
  r->n_samples += block->n_bytes / 2;
  if (!r->done && r->n_samples >= r->at)
    {
      r->done = TRUE;
      g_assert_true (fer_receiver_set_center (r->rx, r->center_hz, NULL));
    }
}

/* Records 2 s of the demo centred at 100.0 MHz, retuned to 101.0 MHz half
 * way, listening at 100.0 MHz throughout. */
static void
record_with_retune (const char *path, FerIqContainer container, FerSampleFormat format)
{
  g_autoptr (GError) error = NULL;
  FerSource *demo = fer_source_demo_new (FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (fer_source_set_rate (demo, 2.4e6, &error));
  g_assert_true (fer_source_set_center (demo, 100e6, &error));
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.freq_hz = 100e6;
  opts.audio_path = FER_RECEIVER_NO_AUDIO;
  opts.max_seconds = 2.0;
  FerReceiver *rx = fer_receiver_new (demo, &opts, &error);
  g_assert_no_error (error);
  Retuner r = { rx, 0, 1200000, 101e6, FALSE };
  guint tap = fer_receiver_add_block_tap (rx, retune_tap, &r);
  FerIqRecorder *rec = fer_iq_recorder_new (rx, path, container, format, &error);
  g_assert_no_error (error);
  run_to_end (rx);
  /* The status once stopped: the writer thread may still be catching up on a
   * busy disk when the receiver finishes. */
  FerIqRecorderStatus st;
  g_assert_true (fer_iq_recorder_stop_with_status (rec, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (st.seconds, 2.0, 0.01);
  g_assert_cmpuint (st.n_dropped, ==, 0);
  g_assert_cmpuint (st.n_files, ==, container == FER_IQ_CONTAINER_SIGMF ? 1 : 2);
  g_assert_cmpuint (st.free_bytes, >, 0);
  g_assert_null (st.error);
  fer_iq_recorder_status_clear (&st);
  fer_receiver_remove_tap (rx, tap);
  g_assert_true (r.done);
  fer_receiver_free (rx);
}

/* Plays @path (whatever it says of itself) at 100.0 MHz into a WAV file. */
static void
play (const char *path, const char *wav_path, double seconds)
{
  g_autoptr (GError) error = NULL;
  FerSource *src = fer_source_file_open (path, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (fer_source_file_get_duration (src), seconds, 0.01);
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.freq_hz = 100e6;
  opts.audio_path = wav_path;
  FerReceiver *rx = fer_receiver_new (src, &opts, &error);
  g_assert_no_error (error);
  run_to_end (rx);
  fer_receiver_free (rx);
}

/* SigMF keeps one file: the retune is a second capture, played back at its
 * own centre, so the station stays where it is. */
static void
test_sigmf_retune_plays_back (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "retune.sigmf-meta", NULL);
  g_autofree char *wav = g_build_filename (tmp_dir, "retune.wav", NULL);
  record_with_retune (path, FER_IQ_CONTAINER_SIGMF, FER_SAMPLE_CU8);
  g_autoptr (GError) error = NULL;
  g_autoptr (FerIqFileInfo) info = fer_iq_file_info_probe (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->captures->len, ==, 2);
  const FerIqCapture *second = &g_array_index (info->captures, FerIqCapture, 1);
  g_assert_cmpfloat (second->center_hz, ==, 101e6);
  /* After the tap asked, once the blocks already queued at the old tuning
   * (at most the receiver's queue, 0.44 s) are through. */
  g_assert_cmpuint (second->sample_start, >=, 1200000);
  g_assert_cmpuint (second->sample_start, <=, 1200000 + 0.44 * 2.4e6);

  play (path, wav, 2.0);
  /* The second half alone: heard at the right offset only if its centre was
   * taken from the second capture (100.0 MHz would otherwise be 1 MHz off). */
  net_assert_wav_tone (wav, 1000, 40, 1.5);
}

/* WAV holds one centre: the retune goes on in NAME-2.wav with its own auxi. */
static void
test_wav_retune_splits (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "split.wav", NULL);
  g_autofree char *second = g_build_filename (tmp_dir, "split-2.wav", NULL);
  g_autofree char *wav = g_build_filename (tmp_dir, "split-out.wav", NULL);
  record_with_retune (path, FER_IQ_CONTAINER_WAV, FER_SAMPLE_CS16);
  g_autoptr (GError) error = NULL;
  g_autoptr (FerIqFileInfo) a = fer_iq_file_info_probe (path, &error);
  g_assert_no_error (error);
  g_autoptr (FerIqFileInfo) b = fer_iq_file_info_probe (second, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (a->center_hz, ==, 100e6);
  g_assert_cmpfloat (b->center_hz, ==, 101e6);
  g_assert_cmpuint (a->n_samples + b->n_samples, ==, 4800000);
  play (second, wav, (double) b->n_samples / 2.4e6);
  net_assert_wav_tone (wav, 1000, 40, 0.3);
}

/* --- playback controls ------------------------------------------------------- */

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
}

static void
test_playback_controls (void)
{
  const double rate = 240e3;
  const gsize n = (gsize) (rate * 2);
  g_autofree float complex *iq = fer_iqgen_fm_tone (rate, n, 50e3, 1000, 5000, 0.5);
  g_autofree char *path = g_build_filename (tmp_dir, "controls.cs16", NULL);
  fer_iqgen_write_file (path, iq, n, FER_SAMPLE_CS16);

  g_autoptr (GError) error = NULL;
  FerSourceFileHints hints;
  fer_source_file_hints_init (&hints);
  hints.rate_hz = rate;
  hints.center_hz = 100e6;
  FerSource *src = fer_source_file_open (path, &hints, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (fer_source_is_file (src));
  g_assert_cmpint (fer_source_file_get_container (src), ==, FER_IQ_CONTAINER_RAW);
  g_assert_cmpfloat_with_epsilon (fer_source_file_get_duration (src), 2.0, 1e-9);
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.freq_hz = 100.05e6;
  opts.mode = FER_MODE_NFM;
  opts.audio_path = FER_RECEIVER_NO_AUDIO;
  FerReceiver *rx = fer_receiver_new (src, &opts, &error);
  g_assert_no_error (error);
  Events ev = { NULL, 0, NULL };
  fer_receiver_set_event_func (rx, on_event, &ev);
  g_assert_true (fer_receiver_start (rx, &error));

  /* Real time. */
  wait_ms (400);
  double p = fer_source_file_get_position (src);
  g_test_message ("after 0.4 s: %.3f s", p);
  g_assert_cmpfloat (p, >, 0.25);
  g_assert_cmpfloat (p, <, 0.55);

  /* Paused: the position stands; a seek still moves it. */
  fer_source_file_set_paused (src, TRUE);
  g_assert_true (fer_source_file_get_paused (src));
  wait_ms (50);
  p = fer_source_file_get_position (src);
  wait_ms (200);
  g_assert_cmpfloat (fer_source_file_get_position (src), ==, p);
  fer_source_file_seek (src, 1.0);
  wait_ms (50);
  g_assert_cmpfloat_with_epsilon (fer_source_file_get_position (src), 1.0, 1e-6);

  /* Four times real time. */
  fer_source_file_set_speed (src, 4.0);
  g_assert_cmpfloat (fer_source_file_get_speed (src), ==, 4.0);
  fer_source_file_set_paused (src, FALSE);
  wait_ms (150);
  p = fer_source_file_get_position (src);
  g_test_message ("after 0.15 s at 4x from 1.0 s: %.3f s", p);
  g_assert_cmpfloat (p, >, 1.4);
  g_assert_cmpfloat (p, <, 1.8);

  /* Looping: past the end it starts again and never finishes. */
  fer_source_file_set_loop (src, TRUE);
  wait_ms (500);
  g_assert_cmpint (ev.finished, ==, 0);
  p = fer_source_file_get_position (src);
  g_test_message ("looping: %.3f s", p);
  g_assert_cmpfloat (p, <, 1.8);

  /* Not looping: it ends. */
  fer_source_file_set_loop (src, FALSE);
  fer_source_file_set_speed (src, 16.0);
  gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (ev.finished == 0 && g_get_monotonic_time () < end)
    wait_ms (20);
  g_assert_cmpint (ev.finished, ==, 1);
  g_assert_null (ev.error);
  g_assert_true (fer_receiver_stop (rx, &error));
  fer_receiver_free (rx);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("ferrite-iqrec-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/net/iq-recorder/sigmf-retune-plays-back", test_sigmf_retune_plays_back);
  g_test_add_func ("/net/iq-recorder/wav-retune-splits", test_wav_retune_splits);
  g_test_add_func ("/net/iq-recorder/playback-controls", test_playback_controls);
  int rc = g_test_run ();
  net_rm_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
