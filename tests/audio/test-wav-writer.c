/* The WAV writer: the bytes written, the atomic save, the errors a user
 * gets, streaming to standard output. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio/wav.h"
#include "tone.h"
#include "wav-test-util.h"

/* ---- writing ---------------------------------------------------------------- */

static void
round_trip (guint channels, guint rate_hz)
{
  g_autofree char *dir = fer_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "tone.wav", NULL);
  const gsize n = rate_hz;   /* one second */
  g_autofree float *x = fer_test_make_tone (n, channels, rate_hz, 1000, 0.9);
  GError *error = NULL;

  FerWavWriter *w = fer_wav_writer_new (path, rate_hz, channels, &error);
  g_assert_no_error (error);
  /* Uneven chunks, as the audio thread delivers them. */
  for (gsize done = 0; done < n;)
    {
      gsize chunk = MIN (n - done, (gsize) 317 + done % 1000);
      g_assert_true (fer_wav_writer_write (w, x + done * channels, chunk, &error));
      g_assert_no_error (error);
      done += chunk;
    }
  g_assert_cmpuint (fer_wav_writer_get_n_frames (w), ==, n);
  g_assert_true (fer_wav_writer_close (w, &error));
  g_assert_no_error (error);

  struct stat st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 44 + (goffset) (n * channels * 2));

  g_autoptr (FerWav) wav = fer_wav_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->rate_hz, ==, rate_hz);
  g_assert_cmpuint (wav->channels, ==, channels);
  g_assert_cmpuint (wav->n_frames, ==, n);
  double worst = 0;
  for (gsize i = 0; i < n * channels; i++)
    worst = MAX (worst, fabs ((double) wav->frames[i] - (double) x[i]));
  g_assert_cmpfloat (worst, <=, FER_TEST_LSB);

  /* And it is still the tone, channel by channel. */
  for (guint c = 0; c < channels; c++)
    {
      g_autofree float *ch = fer_tone_deinterleave (wav->frames, n, channels, c);
      FerToneFit fit;
      g_assert_true (fer_tone_fit (ch, n, rate_hz, 1000.0 * (c + 1), &fit));
      g_assert_cmpfloat_with_epsilon (fit.freq_hz, 1000.0 * (c + 1), 0.01);
      g_assert_cmpfloat_with_epsilon (fit.amplitude, 0.9, 1e-4);
      g_assert_cmpfloat (fit.sinad_db, >, 85);   /* 16-bit quantisation of a -1 dBFS tone */
    }
  fer_test_remove_tree (dir);
}

static void
test_round_trip_mono (void)
{
  round_trip (1, 48000);
}

static void
test_round_trip_stereo (void)
{
  round_trip (2, 44100);
}

static void
test_header_bytes (void)
{
  g_autofree char *dir = fer_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "h.wav", NULL);
  GError *error = NULL;
  /* Clipping, rounding and NaN, in stereo frames. */
  const float frames[] = { 1.0f, -1.0f, 0.5f, 0.25f, 2.0f, -3.0f, NAN, 1.0f / 32767.0f * 0.49f };
  const gint16 expect[] = { 32767, -32767, 16384, 8192, 32767, -32767, 0, 0 };

  FerWavWriter *w = fer_wav_writer_new (path, 44100, 2, &error);
  g_assert_no_error (error);
  g_assert_true (fer_wav_writer_write (w, frames, 4, &error));
  g_assert_true (fer_wav_writer_close (w, &error));
  g_assert_no_error (error);

  g_autofree char *contents = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  const guint8 *h = (const guint8 *) contents;
  g_assert_cmpuint (len, ==, 44 + 16);
  g_assert_cmpmem (h, 4, "RIFF", 4);
  g_assert_cmpuint (fer_test_le32 (h + 4), ==, 36 + 16);        /* RIFF size: file - 8 */
  g_assert_cmpmem (h + 8, 4, "WAVE", 4);
  g_assert_cmpmem (h + 12, 4, "fmt ", 4);
  g_assert_cmpuint (fer_test_le32 (h + 16), ==, 16);            /* fmt chunk size */
  g_assert_cmpuint (fer_test_le16 (h + 20), ==, 1);             /* PCM */
  g_assert_cmpuint (fer_test_le16 (h + 22), ==, 2);             /* channels */
  g_assert_cmpuint (fer_test_le32 (h + 24), ==, 44100);         /* sample rate */
  g_assert_cmpuint (fer_test_le32 (h + 28), ==, 44100 * 4);     /* byte rate */
  g_assert_cmpuint (fer_test_le16 (h + 32), ==, 4);             /* block align */
  g_assert_cmpuint (fer_test_le16 (h + 34), ==, 16);            /* bits per sample */
  g_assert_cmpmem (h + 36, 4, "data", 4);
  g_assert_cmpuint (fer_test_le32 (h + 40), ==, 16);            /* data size */
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    g_assert_cmpint ((gint16) fer_test_le16 (h + 44 + 2 * i), ==, expect[i]);
  fer_test_remove_tree (dir);
}

static void
test_appears_only_when_closed (void)
{
  g_autofree char *dir = fer_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "out.wav", NULL);
  GError *error = NULL;
  float frames[480] = { 0.1f };
  mode_t old_umask = umask (022);

  /* An older file under the name stays whole until the new one replaces it. */
  g_assert_true (g_file_set_contents (path, "old", 3, NULL));

  FerWavWriter *w = fer_wav_writer_new (path, 48000, 1, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 200; i++)
    g_assert_true (fer_wav_writer_write (w, frames, G_N_ELEMENTS (frames), &error));

  /* While writing: the old file and one hidden temporary beside it. */
  g_autofree char *during = fer_test_list_dir (dir);
  g_auto (GStrv) names = g_strsplit (during, " ", -1);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_true (g_str_has_prefix (names[0], ".out.wav."));
  g_assert_cmpstr (names[1], ==, "out.wav");
  g_autofree char *old = NULL;
  g_assert_true (g_file_get_contents (path, &old, NULL, NULL));
  g_assert_cmpstr (old, ==, "old");

  g_assert_true (fer_wav_writer_close (w, &error));
  g_assert_no_error (error);
  g_autofree char *after = fer_test_list_dir (dir);
  g_assert_cmpstr (after, ==, "out.wav");
  struct stat st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 44 + 200 * 480 * 2);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);   /* a normal file, not mkstemp's 0600 */

  g_unlink (path);

  /* A new name: it does not exist at all until close. */
  w = fer_wav_writer_new (path, 48000, 1, &error);
  g_assert_no_error (error);
  g_assert_true (fer_wav_writer_write (w, frames, G_N_ELEMENTS (frames), &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (fer_wav_writer_close (w, &error));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  umask (old_umask);
  fer_test_remove_tree (dir);
}

static void
test_abort_leaves_nothing (void)
{
  g_autofree char *dir = fer_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "gone.wav", NULL);
  g_autofree char *kept = g_build_filename (dir, "kept.wav", NULL);
  GError *error = NULL;
  float frames[256] = { 0.5f };

  FerWavWriter *w = fer_wav_writer_new (path, 48000, 2, &error);
  g_assert_no_error (error);
  g_assert_true (fer_wav_writer_write (w, frames, 128, &error));
  fer_wav_writer_abort (w);
  g_autofree char *listing = fer_test_list_dir (dir);
  g_assert_cmpstr (listing, ==, "");

  /* Aborting a replacement leaves the old file as it was. */
  g_assert_true (g_file_set_contents (kept, "keep me", -1, NULL));
  w = fer_wav_writer_new (kept, 48000, 2, &error);
  g_assert_true (fer_wav_writer_write (w, frames, 128, &error));
  fer_wav_writer_abort (w);
  g_autofree char *listing2 = fer_test_list_dir (dir);
  g_assert_cmpstr (listing2, ==, "kept.wav");
  g_autofree char *contents = NULL;
  g_assert_true (g_file_get_contents (kept, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
  fer_test_remove_tree (dir);
}

static void
test_unwritable_path (void)
{
  g_autofree char *dir = fer_test_make_tmp_dir ();
  GError *error = NULL;

  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "x.wav", NULL);
  g_assert_null (fer_wav_writer_new (missing, 48000, 1, &error));
  fer_test_assert_io_error_names (error, missing, ENOENT);
  g_clear_error (&error);

  g_autofree char *file = g_build_filename (dir, "plain-file", NULL);
  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  g_autofree char *under_file = g_build_filename (file, "x.wav", NULL);
  g_assert_null (fer_wav_writer_new (under_file, 48000, 1, &error));
  fer_test_assert_io_error_names (error, under_file, ENOTDIR);
  g_clear_error (&error);

  g_assert_null (fer_wav_writer_new (dir, 48000, 1, &error));
  fer_test_assert_io_error_names (error, dir, EISDIR);
  g_clear_error (&error);

  /* Permissions do not stop root; the other cases still run there. */
  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (dir, "read-only", NULL);
      g_assert_cmpint (g_mkdir (ro, 0500), ==, 0);
      g_autofree char *denied = g_build_filename (ro, "x.wav", NULL);
      g_assert_null (fer_wav_writer_new (denied, 48000, 1, &error));
      fer_test_assert_io_error_names (error, denied, EACCES);
      g_clear_error (&error);
      g_rmdir (ro);
    }
  g_unlink (file);
  fer_test_remove_tree (dir);
}

/* The file system refusing more data mid-recording: the size limit makes
 * write() fail with EFBIG (SIGXFSZ ignored), like a full disk. */
static void
test_write_failure (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = fer_test_make_tmp_dir ();
      g_autofree char *path = g_build_filename (dir, "big.wav", NULL);
      GError *error = NULL;
      struct rlimit limit = { 100 * 1024, 100 * 1024 };
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_autofree float *x = fer_test_make_tone (48000, 2, 48000, 1000, 0.5);   /* 192 KB */
      FerWavWriter *w = fer_wav_writer_new (path, 48000, 2, &error);
      g_assert_no_error (error);
      gboolean ok = fer_wav_writer_write (w, x, 48000, &error);
      if (ok)
        ok = fer_wav_writer_close (w, &error);
      else
        {
          /* Once failed, it stays failed, and close says so. */
          GError *again = NULL;
          g_assert_false (fer_wav_writer_write (w, x, 1, &again));
          g_assert_error (again, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO);
          g_clear_error (&again);
          g_assert_false (fer_wav_writer_close (w, &again));
          g_assert_error (again, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO);
          g_clear_error (&again);
        }
      g_assert_false (ok);
      fer_test_assert_io_error_names (error, path, EFBIG);
      g_clear_error (&error);
      /* Neither the target nor the temporary is left. */
      g_autofree char *listing = fer_test_list_dir (dir);
      g_assert_cmpstr (listing, ==, "");
      fer_test_remove_tree (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Runs @func with fd 1 pointing at @fd, then restores it. */
static void
with_stdout (int fd, void (*func) (gpointer), gpointer data)
{
  fflush (stdout);
  int saved = dup (STDOUT_FILENO);
  g_assert_cmpint (saved, >=, 0);
  g_assert_cmpint (dup2 (fd, STDOUT_FILENO), ==, STDOUT_FILENO);
  func (data);
  g_assert_cmpint (dup2 (saved, STDOUT_FILENO), ==, STDOUT_FILENO);
  close (saved);
}

typedef struct {
  const float *frames;
  gsize n_frames;
  gboolean ok;
  GError *error;
} StreamJob;

static void
stream_job (gpointer data)
{
  StreamJob *job = data;
  FerWavWriter *w = fer_wav_writer_new ("-", 8000, 1, &job->error);
  if (w == NULL)
    return;
  job->ok = fer_wav_writer_write (w, job->frames, job->n_frames, &job->error);
  if (job->ok)
    job->ok = fer_wav_writer_close (w, &job->error);
  else
    fer_wav_writer_abort (w);
}

static void
test_stdout_stream (void)
{
  /* A pipe cannot seek: a writer that tried to patch the header would fail. */
  int fds[2];
  g_assert_cmpint (pipe (fds), ==, 0);
  const gsize n = 1000;   /* 2 KB: fits in the pipe without a reader thread */
  g_autofree float *x = fer_test_make_tone (n, 1, 8000, 440, 0.7);
  StreamJob job = { x, n, FALSE, NULL };
  with_stdout (fds[1], stream_job, &job);
  close (fds[1]);
  g_assert_no_error (job.error);
  g_assert_true (job.ok);

  guint8 bytes[4096];
  gsize len = 0;
  ssize_t r;
  while ((r = read (fds[0], bytes + len, sizeof bytes - len)) > 0)
    len += (gsize) r;
  close (fds[0]);
  g_assert_cmpuint (len, ==, 44 + n * 2);
  g_assert_cmpmem (bytes, 4, "RIFF", 4);
  g_assert_cmpuint (fer_test_le32 (bytes + 4), ==, 0xFFFFFFFFu);   /* unknown length */
  g_assert_cmpuint (fer_test_le32 (bytes + 24), ==, 8000);
  g_assert_cmpmem (bytes + 36, 4, "data", 4);
  g_assert_cmpuint (fer_test_le32 (bytes + 40), ==, 0xFFFFFFFFu);

  /* The reader takes such a stream to its end. */
  g_autofree char *dir = fer_test_make_tmp_dir ();
  g_autofree char *path = fer_test_write_bytes (dir, "stream.wav", bytes, len);
  GError *error = NULL;
  g_autoptr (FerWav) wav = fer_wav_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->n_frames, ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (wav->frames[i] - x[i]), <=, FER_TEST_LSB);
  fer_test_remove_tree (dir);
}

static void
test_stdout_full (void)
{
  int full = open ("/dev/full", O_WRONLY);
  if (full < 0)
    {
      g_test_skip ("no /dev/full");
      return;
    }
  g_autofree float *x = fer_test_make_tone (48000, 1, 8000, 440, 0.7);   /* > the write buffer */
  StreamJob job = { x, 48000, FALSE, NULL };
  with_stdout (full, stream_job, &job);
  close (full);
  g_assert_false (job.ok);
  fer_test_assert_io_error_names (job.error, "standard output", ENOSPC);
  g_clear_error (&job.error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audio/wav/round-trip-mono-within-1-lsb", test_round_trip_mono);
  g_test_add_func ("/audio/wav/round-trip-stereo-within-1-lsb", test_round_trip_stereo);
  g_test_add_func ("/audio/wav/header-bytes-field-by-field", test_header_bytes);
  g_test_add_func ("/audio/wav/file-appears-only-when-closed", test_appears_only_when_closed);
  g_test_add_func ("/audio/wav/abort-leaves-nothing", test_abort_leaves_nothing);
  g_test_add_func ("/audio/wav/unwritable-path-is-io-error", test_unwritable_path);
  g_test_add_func ("/audio/wav/write-failure-is-io-error-and-leaves-nothing", test_write_failure);
  g_test_add_func ("/audio/wav/stdout-streams-with-unknown-sizes", test_stdout_stream);
  g_test_add_func ("/audio/wav/stdout-full-is-io-error", test_stdout_full);
  return g_test_run ();
}
