/* The receiver end to end on IQ files the test writes: samples in, WAV out,
 * spectrum frames on the side. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "audio/wav.h"
#include "device/source-file.h"
#include "iqgen.h"
#include "receiver/receiver.h"
#include "tone.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  fx->dir = g_dir_make_tmp ("ferrite-rx-XXXXXX", NULL);
  g_assert_nonnull (fx->dir);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDir) d = g_dir_open (fx->dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (fx->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (fx->dir);
  g_free (fx->dir);
}

typedef struct {
  GMainLoop *loop;
  int finished;
  int errors;
  char *last_error;
} Events;

static void
on_event (FerReceiver *rx, FerReceiverEvent event, const char *message, gpointer data)
{
  Events *ev = data;
  if (event == FER_RECEIVER_EVENT_FINISHED)
    {
      ev->finished++;
      g_main_loop_quit (ev->loop);
    }
  else if (event == FER_RECEIVER_EVENT_SOURCE_ERROR)
    {
      ev->errors++;
      g_free (ev->last_error);
      ev->last_error = g_strdup (message);
      g_main_loop_quit (ev->loop);
    }
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("receiver did not finish in time");
  return G_SOURCE_REMOVE;
}

/* Runs @rx until it finishes; returns the events seen. */
static void
run_to_end (FerReceiver *rx, Events *ev)
{
  ev->loop = g_main_loop_new (NULL, FALSE);
  fer_receiver_set_event_func (rx, on_event, ev);
  g_autoptr (GError) error = NULL;
  g_assert_true (fer_receiver_start (rx, &error));
  g_assert_no_error (error);
  guint timeout = g_timeout_add_seconds (60, on_timeout, NULL);
  g_main_loop_run (ev->loop);
  g_source_remove (timeout);
  g_assert_true (fer_receiver_stop (rx, &error));
  g_assert_no_error (error);
  g_main_loop_unref (ev->loop);
}

static void
assert_tone (const char *wav_path, double min_sinad_db, double expect_seconds)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FerWav) wav = fer_wav_read (wav_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->rate_hz, ==, 48000);
  g_assert_cmpuint (wav->channels, ==, 1);
  if (expect_seconds > 0)
    g_assert_cmpfloat_with_epsilon ((double) wav->n_frames / 48000.0, expect_seconds, 0.02);

  /* Skip the first 0.2 s: filters settle. */
  gsize skip = 48000 / 5;
  g_assert_cmpuint (wav->n_frames, >, skip + 4800);
  FerToneFit fit;
  g_assert_true (fer_tone_fit (wav->frames + skip, wav->n_frames - skip, 48000, 0, &fit));
  g_test_message ("tone %.3f Hz, amplitude %.3f, SINAD %.1f dB", fit.freq_hz, fit.amplitude,
                  fit.sinad_db);
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, 1000.0, 0.5);
  g_assert_cmpfloat (fit.amplitude, >, 0.05);
  g_assert_cmpfloat (fit.sinad_db, >=, min_sinad_db);
}

static void
test_file_to_wav (Fixture *fx, gconstpointer data)
{
  FerSampleFormat format = GPOINTER_TO_INT (data);
  const double rate = 2.4e6, center = 100e6, offset = 300e3;
  const gsize n = (gsize) (rate * 1.5);
  g_autofree float complex *iq = fer_iqgen_fm_tone (rate, n, offset, 1000, 37500, 0.7);
  g_autofree char *iq_path = g_build_filename (fx->dir, "rec.iq", NULL);
  g_autofree char *wav_path = g_build_filename (fx->dir, "out.wav", NULL);
  fer_iqgen_write_file (iq_path, iq, n, format);

  g_autoptr (GError) error = NULL;
  FerSource *src = fer_source_file_new (iq_path, format, rate, center, FALSE, &error);
  g_assert_no_error (error);
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.freq_hz = center + offset;
  opts.audio_path = wav_path;
  FerReceiver *rx = fer_receiver_new (src, &opts, &error);
  g_assert_no_error (error);

  Events ev = { 0 };
  run_to_end (rx, &ev);
  g_assert_cmpint (ev.finished, ==, 1);
  g_assert_cmpint (ev.errors, ==, 0);

  FerReceiverStats stats;
  fer_receiver_get_stats (rx, &stats);
  g_assert_cmpuint (stats.n_samples, ==, n);
  g_assert_cmpuint (stats.n_dropped, ==, 0);
  fer_receiver_free (rx);

  assert_tone (wav_path, format == FER_SAMPLE_CU8 ? 40 : 50, 1.5);
}

static void
test_seconds_limit_counts_signal (Fixture *fx, gconstpointer data)
{
  const double rate = 1.024e6, center = 433.92e6;
  const gsize n = (gsize) (rate * 2);
  g_autofree float complex *iq = fer_iqgen_fm_tone (rate, n, -200e3, 1000, 37500, 0.5);
  g_autofree char *iq_path = g_build_filename (fx->dir, "rec.cs16", NULL);
  g_autofree char *wav_path = g_build_filename (fx->dir, "out.wav", NULL);
  fer_iqgen_write_file (iq_path, iq, n, FER_SAMPLE_CS16);

  g_autoptr (GError) error = NULL;
  FerSource *src = fer_source_file_new (iq_path, FER_SAMPLE_CS16, rate, center, FALSE, &error);
  g_assert_no_error (error);
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.freq_hz = center - 200e3;
  opts.audio_path = wav_path;
  opts.max_seconds = 0.75;
  FerReceiver *rx = fer_receiver_new (src, &opts, &error);
  g_assert_no_error (error);
  Events ev = { 0 };
  run_to_end (rx, &ev);
  FerReceiverStats stats;
  fer_receiver_get_stats (rx, &stats);
  g_assert_cmpuint (stats.n_samples, ==, (guint64) llround (0.75 * rate));
  fer_receiver_free (rx);
  assert_tone (wav_path, 50, 0.75);
}

static void
test_spectrum_shows_the_carrier (Fixture *fx, gconstpointer data)
{
  const double rate = 2.4e6, center = 100e6, offset = -600e3;
  const gsize n = (gsize) (rate * 0.5);
  /* Unmodulated: a clean line in the spectrum. */
  g_autofree float complex *iq = fer_iqgen_fm_tone (rate, n, offset, 1000, 0, 0.5);
  g_autofree char *iq_path = g_build_filename (fx->dir, "rec.cf32", NULL);
  fer_iqgen_write_file (iq_path, iq, n, FER_SAMPLE_CF32);

  g_autoptr (GError) error = NULL;
  FerSource *src = fer_source_file_new (iq_path, FER_SAMPLE_CF32, rate, center, FALSE, &error);
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.freq_hz = center;
  opts.audio_path = FER_RECEIVER_NO_AUDIO;
  opts.fft_size = 4096;
  FerReceiver *rx = fer_receiver_new (src, &opts, &error);
  g_assert_no_error (error);
  Events ev = { 0 };
  run_to_end (rx, &ev);

  g_autofree float *db = g_new (float, 4096);
  FerSpectrumFrame frame = { .db = db };
  g_assert_true (fer_receiver_get_spectrum (rx, &frame));
  g_assert_false (fer_receiver_get_spectrum (rx, &frame));  /* nothing newer */
  g_assert_cmpuint (frame.size, ==, 4096);
  g_assert_cmpfloat (frame.center_hz, ==, center);
  g_assert_cmpfloat (frame.rate_hz, ==, rate);
  gsize peak = fer_peak_index (db, 4096);
  double bin_hz = rate / 4096;
  double expected = 2048 + offset / bin_hz;
  g_assert_cmpfloat (fabs ((double) peak - expected), <=, 1.0);
  /* -6 dBFS tone (amplitude 0.5) */
  g_assert_cmpfloat_with_epsilon (db[peak], -6.0, 1.5);
  fer_receiver_free (rx);
}

static void
test_rejects_unreachable_frequency (Fixture *fx, gconstpointer data)
{
  const double rate = 2.4e6;
  g_autofree float complex *iq = fer_iqgen_fm_tone (rate, 1000, 0, 1000, 0, 0.5);
  g_autofree char *iq_path = g_build_filename (fx->dir, "rec.cu8", NULL);
  fer_iqgen_write_file (iq_path, iq, 1000, FER_SAMPLE_CU8);

  g_autoptr (GError) error = NULL;
  FerSource *src = fer_source_file_new (iq_path, FER_SAMPLE_CU8, rate, 100e6, FALSE, &error);
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.freq_hz = 105e6;
  opts.audio_path = FER_RECEIVER_NO_AUDIO;
  FerReceiver *rx = fer_receiver_new (src, &opts, &error);
  g_assert_null (rx);
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "outside the recording"));
}

static void
test_file_errors (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *missing = g_build_filename (fx->dir, "missing.cu8", NULL);
  g_assert_null (fer_source_file_new (missing, FER_SAMPLE_CU8, 2.4e6, 100e6, FALSE, &error));
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.cu8"));
  g_clear_error (&error);

  g_assert_null (fer_source_file_new (fx->dir, FER_SAMPLE_CU8, 2.4e6, 100e6, FALSE, &error));
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_ACCESS);
  g_clear_error (&error);

  g_autofree char *empty = g_build_filename (fx->dir, "empty.cf32", NULL);
  g_file_set_contents (empty, "1234567", 7, NULL);  /* less than one cf32 sample */
  g_assert_null (fer_source_file_new (empty, FER_SAMPLE_CF32, 2.4e6, 100e6, FALSE, &error));
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_null (fer_source_file_new (empty, FER_SAMPLE_CU8, 0, 100e6, FALSE, &error));
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (fer_source_file_new (empty, FER_SAMPLE_CU8, NAN, 100e6, FALSE, &error));
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID);
}

static void
test_nan_in_float_file_is_harmless (Fixture *fx, gconstpointer data)
{
  /* A float recording with a burst of NaN must not silence the rest. */
  const double rate = 2.4e6;
  const gsize n = (gsize) (rate * 1.2);
  g_autofree float complex *iq = fer_iqgen_fm_tone (rate, n, 0, 1000, 37500, 0.5);
  for (gsize i = 1000; i < 1100; i++)
    iq[i] = NAN + NAN * I;
  g_autofree char *iq_path = g_build_filename (fx->dir, "nan.cf32", NULL);
  g_autofree char *wav_path = g_build_filename (fx->dir, "out.wav", NULL);
  fer_iqgen_write_file (iq_path, iq, n, FER_SAMPLE_CF32);

  g_autoptr (GError) error = NULL;
  FerSource *src = fer_source_file_new (iq_path, FER_SAMPLE_CF32, rate, 100e6, FALSE, &error);
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.audio_path = wav_path;
  FerReceiver *rx = fer_receiver_new (src, &opts, &error);
  g_assert_no_error (error);
  Events ev = { 0 };
  run_to_end (rx, &ev);
  fer_receiver_free (rx);
  assert_tone (wav_path, 45, 1.2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/receiver/file-to-wav/cu8", test_file_to_wav, GINT_TO_POINTER (FER_SAMPLE_CU8));
  ADD ("/receiver/file-to-wav/cs8", test_file_to_wav, GINT_TO_POINTER (FER_SAMPLE_CS8));
  ADD ("/receiver/file-to-wav/cs16", test_file_to_wav, GINT_TO_POINTER (FER_SAMPLE_CS16));
  ADD ("/receiver/file-to-wav/cf32", test_file_to_wav, GINT_TO_POINTER (FER_SAMPLE_CF32));
  ADD ("/receiver/seconds-limit-counts-signal", test_seconds_limit_counts_signal, NULL);
  ADD ("/receiver/spectrum-shows-the-carrier", test_spectrum_shows_the_carrier, NULL);
  ADD ("/receiver/rejects-unreachable-frequency", test_rejects_unreachable_frequency, NULL);
  ADD ("/receiver/file-errors", test_file_errors, NULL);
  ADD ("/receiver/nan-in-float-file-is-harmless", test_nan_in_float_file_is_harmless, NULL);
  return g_test_run ();
}
