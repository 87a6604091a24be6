/* WAV files: the bytes written, the atomic save, the errors a user gets, and
 * a reader that survives anything thrown at it. */
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

#define LSB (1.0 / 32767.0)

/* ---- helpers ---------------------------------------------------------------- */

static char *
make_tmp_dir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("fer-wav-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_unlink (path);
        }
      g_dir_close (d);
    }
  g_rmdir (dir);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Names in @dir, sorted, joined by spaces ("" when empty). */
static char *
list_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  char *joined = g_strjoinv (" ", (char **) names->pdata);
  g_ptr_array_unref (names);
  return joined;
}

static float *
make_tone (gsize n_frames, guint channels, double rate_hz, double freq_hz, double amplitude)
{
  float *x = g_new (float, n_frames * channels);
  for (gsize i = 0; i < n_frames; i++)
    for (guint c = 0; c < channels; c++)
      x[i * channels + c] = (float) (amplitude * sin (2 * G_PI * freq_hz * (double) (c + 1)
                                                      * (double) i / rate_hz));
  return x;
}

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

/* Building WAV files byte by byte, valid or not. */
static void
put16 (GByteArray *b, guint16 v)
{
  guint8 x[2] = { v & 0xff, v >> 8 };
  g_byte_array_append (b, x, 2);
}

static void
put32 (GByteArray *b, guint32 v)
{
  guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, x, 4);
}

static void
put_id (GByteArray *b, const char *id)
{
  g_byte_array_append (b, (const guint8 *) id, 4);
}

static void
put_fmt (GByteArray *b, guint16 tag, guint16 channels, guint32 rate_hz, guint16 bits)
{
  put_id (b, "fmt ");
  put32 (b, 16);
  put16 (b, tag);
  put16 (b, channels);
  put32 (b, rate_hz);
  put32 (b, rate_hz * channels * bits / 8);
  put16 (b, (guint16) (channels * bits / 8));
  put16 (b, bits);
}

static GByteArray *
riff_start (void)
{
  GByteArray *b = g_byte_array_new ();
  put_id (b, "RIFF");
  put32 (b, 0);   /* patched by riff_finish */
  put_id (b, "WAVE");
  return b;
}

static void
riff_finish (GByteArray *b)
{
  guint32 size = b->len - 8;
  memcpy (b->data + 4, (guint8[]) { size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff,
                                    size >> 24 }, 4);
}

/* A valid 16-bit mono file of @n samples 0, 100, 200, ... */
static GByteArray *
small_valid_wav (guint n)
{
  GByteArray *b = riff_start ();
  put_fmt (b, 1, 1, 8000, 16);
  put_id (b, "data");
  put32 (b, n * 2);
  for (guint i = 0; i < n; i++)
    put16 (b, (guint16) (gint16) (i * 100));
  riff_finish (b);
  return b;
}

static char *
write_bytes (const char *dir, const char *name, const guint8 *bytes, gsize n)
{
  GError *error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, (const char *) bytes, (gssize) n, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_format_error (const char *path, const char *why)
{
  GError *error = NULL;
  FerWav *wav = fer_wav_read (path, &error);
  if (wav != NULL)
    g_error ("%s: read %" G_GSIZE_FORMAT " frames from a malformed file", why, wav->n_frames);
  g_assert_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_FORMAT);
  /* The message names the file. */
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s → %s", why, error->message);
  g_error_free (error);
}

/* ---- writing ---------------------------------------------------------------- */

static void
round_trip (guint channels, guint rate_hz)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "tone.wav", NULL);
  const gsize n = rate_hz;   /* one second */
  g_autofree float *x = make_tone (n, channels, rate_hz, 1000, 0.9);
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
  g_assert_cmpfloat (worst, <=, LSB);

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
  remove_tree (dir);
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
  g_autofree char *dir = make_tmp_dir ();
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
  g_assert_cmpuint (le32 (h + 4), ==, 36 + 16);        /* RIFF size: file - 8 */
  g_assert_cmpmem (h + 8, 4, "WAVE", 4);
  g_assert_cmpmem (h + 12, 4, "fmt ", 4);
  g_assert_cmpuint (le32 (h + 16), ==, 16);            /* fmt chunk size */
  g_assert_cmpuint (le16 (h + 20), ==, 1);             /* PCM */
  g_assert_cmpuint (le16 (h + 22), ==, 2);             /* channels */
  g_assert_cmpuint (le32 (h + 24), ==, 44100);         /* sample rate */
  g_assert_cmpuint (le32 (h + 28), ==, 44100 * 4);     /* byte rate */
  g_assert_cmpuint (le16 (h + 32), ==, 4);             /* block align */
  g_assert_cmpuint (le16 (h + 34), ==, 16);            /* bits per sample */
  g_assert_cmpmem (h + 36, 4, "data", 4);
  g_assert_cmpuint (le32 (h + 40), ==, 16);            /* data size */
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    g_assert_cmpint ((gint16) le16 (h + 44 + 2 * i), ==, expect[i]);
  remove_tree (dir);
}

static void
test_appears_only_when_closed (void)
{
  g_autofree char *dir = make_tmp_dir ();
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
  g_autofree char *during = list_dir (dir);
  g_auto (GStrv) names = g_strsplit (during, " ", -1);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_true (g_str_has_prefix (names[0], ".out.wav."));
  g_assert_cmpstr (names[1], ==, "out.wav");
  g_autofree char *old = NULL;
  g_assert_true (g_file_get_contents (path, &old, NULL, NULL));
  g_assert_cmpstr (old, ==, "old");

  g_assert_true (fer_wav_writer_close (w, &error));
  g_assert_no_error (error);
  g_autofree char *after = list_dir (dir);
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
  remove_tree (dir);
}

static void
test_abort_leaves_nothing (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "gone.wav", NULL);
  g_autofree char *kept = g_build_filename (dir, "kept.wav", NULL);
  GError *error = NULL;
  float frames[256] = { 0.5f };

  FerWavWriter *w = fer_wav_writer_new (path, 48000, 2, &error);
  g_assert_no_error (error);
  g_assert_true (fer_wav_writer_write (w, frames, 128, &error));
  fer_wav_writer_abort (w);
  g_autofree char *listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "");

  /* Aborting a replacement leaves the old file as it was. */
  g_assert_true (g_file_set_contents (kept, "keep me", -1, NULL));
  w = fer_wav_writer_new (kept, 48000, 2, &error);
  g_assert_true (fer_wav_writer_write (w, frames, 128, &error));
  fer_wav_writer_abort (w);
  g_autofree char *listing2 = list_dir (dir);
  g_assert_cmpstr (listing2, ==, "kept.wav");
  g_autofree char *contents = NULL;
  g_assert_true (g_file_get_contents (kept, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
  remove_tree (dir);
}

static void
assert_io_error_names (GError *error, const char *path, int errsv)
{
  g_assert_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, g_strerror (errsv)));
  g_test_message ("%s", error->message);
}

static void
test_unwritable_path (void)
{
  g_autofree char *dir = make_tmp_dir ();
  GError *error = NULL;

  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "x.wav", NULL);
  g_assert_null (fer_wav_writer_new (missing, 48000, 1, &error));
  assert_io_error_names (error, missing, ENOENT);
  g_clear_error (&error);

  g_autofree char *file = g_build_filename (dir, "plain-file", NULL);
  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  g_autofree char *under_file = g_build_filename (file, "x.wav", NULL);
  g_assert_null (fer_wav_writer_new (under_file, 48000, 1, &error));
  assert_io_error_names (error, under_file, ENOTDIR);
  g_clear_error (&error);

  g_assert_null (fer_wav_writer_new (dir, 48000, 1, &error));
  assert_io_error_names (error, dir, EISDIR);
  g_clear_error (&error);

  /* Permissions do not stop root; the other cases still run there. */
  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (dir, "read-only", NULL);
      g_assert_cmpint (g_mkdir (ro, 0500), ==, 0);
      g_autofree char *denied = g_build_filename (ro, "x.wav", NULL);
      g_assert_null (fer_wav_writer_new (denied, 48000, 1, &error));
      assert_io_error_names (error, denied, EACCES);
      g_clear_error (&error);
      g_rmdir (ro);
    }
  g_unlink (file);
  remove_tree (dir);
}

/* The file system refusing more data mid-recording: the size limit makes
 * write() fail with EFBIG (SIGXFSZ ignored), like a full disk. */
static void
test_write_failure (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = make_tmp_dir ();
      g_autofree char *path = g_build_filename (dir, "big.wav", NULL);
      GError *error = NULL;
      struct rlimit limit = { 100 * 1024, 100 * 1024 };
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_autofree float *x = make_tone (48000, 2, 48000, 1000, 0.5);   /* 192 KB */
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
      assert_io_error_names (error, path, EFBIG);
      g_clear_error (&error);
      /* Neither the target nor the temporary is left. */
      g_autofree char *listing = list_dir (dir);
      g_assert_cmpstr (listing, ==, "");
      remove_tree (dir);
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
  g_autofree float *x = make_tone (n, 1, 8000, 440, 0.7);
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
  g_assert_cmpuint (le32 (bytes + 4), ==, 0xFFFFFFFFu);   /* unknown length */
  g_assert_cmpuint (le32 (bytes + 24), ==, 8000);
  g_assert_cmpmem (bytes + 36, 4, "data", 4);
  g_assert_cmpuint (le32 (bytes + 40), ==, 0xFFFFFFFFu);

  /* The reader takes such a stream to its end. */
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = write_bytes (dir, "stream.wav", bytes, len);
  GError *error = NULL;
  g_autoptr (FerWav) wav = fer_wav_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->n_frames, ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (wav->frames[i] - x[i]), <=, LSB);
  remove_tree (dir);
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
  g_autofree float *x = make_tone (48000, 1, 8000, 440, 0.7);   /* > the write buffer */
  StreamJob job = { x, 48000, FALSE, NULL };
  with_stdout (full, stream_job, &job);
  close (full);
  g_assert_false (job.ok);
  assert_io_error_names (job.error, "standard output", ENOSPC);
  g_clear_error (&job.error);
}

/* ---- reading ---------------------------------------------------------------- */

static void
test_reads_float_and_skips_chunks (void)
{
  g_autofree char *dir = make_tmp_dir ();
  GError *error = NULL;

  /* 32-bit float mono at 22050 Hz, with a LIST chunk before fmt and an
   * odd-sized chunk (plus its pad byte) between fmt and data. */
  const float values[] = { 0.0f, 0.5f, -0.75f, 1.5f };
  GByteArray *b = riff_start ();
  put_id (b, "LIST");
  put32 (b, 10);
  g_byte_array_append (b, (const guint8 *) "INFOISFT\0\0", 10);
  put_fmt (b, 3, 1, 22050, 32);
  put_id (b, "junk");
  put32 (b, 3);
  g_byte_array_append (b, (const guint8 *) "abc\0", 4);
  put_id (b, "data");
  put32 (b, sizeof values);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      guint32 bits;
      memcpy (&bits, &values[i], 4);
      put32 (b, bits);
    }
  riff_finish (b);
  g_autofree char *path = write_bytes (dir, "float.wav", b->data, b->len);
  g_byte_array_unref (b);

  g_autoptr (FerWav) wav = fer_wav_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->rate_hz, ==, 22050);
  g_assert_cmpuint (wav->channels, ==, 1);
  g_assert_cmpuint (wav->n_frames, ==, 4);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (wav->frames[i], ==, values[i]);

  /* WAVE_FORMAT_EXTENSIBLE, 16-bit stereo. */
  b = riff_start ();
  put_id (b, "fmt ");
  put32 (b, 40);
  put16 (b, 0xFFFE);
  put16 (b, 2);
  put32 (b, 96000);
  put32 (b, 96000 * 4);
  put16 (b, 4);
  put16 (b, 16);
  put16 (b, 22);      /* extension size */
  put16 (b, 16);      /* valid bits */
  put32 (b, 3);       /* channel mask */
  put16 (b, 1);       /* sub-format: PCM, then the rest of the GUID */
  g_byte_array_append (b, (const guint8 *) "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71", 14);
  put_id (b, "data");
  put32 (b, 8);
  put16 (b, 32767);
  put16 (b, (guint16) -32768);
  put16 (b, 0);
  put16 (b, (guint16) -16384);
  riff_finish (b);
  g_autofree char *path2 = write_bytes (dir, "ext.wav", b->data, b->len);
  g_byte_array_unref (b);

  g_autoptr (FerWav) ext = fer_wav_read (path2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ext->rate_hz, ==, 96000);
  g_assert_cmpuint (ext->channels, ==, 2);
  g_assert_cmpuint (ext->n_frames, ==, 2);
  g_assert_cmpfloat (ext->frames[0], ==, 1.0f);
  g_assert_cmpfloat (ext->frames[1], ==, -1.0f);
  g_assert_cmpfloat (ext->frames[2], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (ext->frames[3], -0.5, LSB);
  remove_tree (dir);
}

static void
test_missing_file (void)
{
  GError *error = NULL;
  g_assert_null (fer_wav_read ("/nonexistent/ferrite.wav", &error));
  assert_io_error_names (error, "/nonexistent/ferrite.wav", ENOENT);
  g_clear_error (&error);
}

static void
test_rejects_malformed (void)
{
  g_autofree char *dir = make_tmp_dir ();
  GByteArray *b;
  char *path;

#define CASE(name, build)                                   \
  do {                                                      \
    b = g_byte_array_new ();                                \
    build;                                                  \
    path = write_bytes (dir, name, b->data, b->len);        \
    assert_format_error (path, name);                       \
    g_free (path);                                          \
    g_byte_array_unref (b);                                 \
  } while (0)

  CASE ("empty", (void) 0);
  CASE ("truncated-header", g_byte_array_append (b, (const guint8 *) "RIFF\x10\0\0\0WA", 10));
  CASE ("wrong-riff-id", {
    g_byte_array_unref (b);
    b = small_valid_wav (4);
    memcpy (b->data, "RIFX", 4);
  });
  CASE ("not-wave", {
    g_byte_array_unref (b);
    b = small_valid_wav (4);
    memcpy (b->data + 8, "AVI ", 4);
  });
  CASE ("truncated-data", {
    g_byte_array_unref (b);
    b = small_valid_wav (100);
    g_byte_array_set_size (b, b->len - 50);
  });
  CASE ("fmt-too-short", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_id (b, "fmt ");
    put32 (b, 14);
    put16 (b, 1); put16 (b, 1); put32 (b, 8000); put32 (b, 16000); put16 (b, 2);
    put_id (b, "data"); put32 (b, 0);
  });
  CASE ("adpcm", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_fmt (b, 2, 1, 8000, 4);
    put_id (b, "data"); put32 (b, 2); put16 (b, 0);
  });
  CASE ("pcm-24-bit", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_fmt (b, 1, 1, 8000, 24);
    put_id (b, "data"); put32 (b, 3); put16 (b, 0); g_byte_array_append (b, (const guint8 *) "\0", 1);
  });
  CASE ("pcm-8-bit", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_fmt (b, 1, 1, 8000, 8);
    put_id (b, "data"); put32 (b, 2); put16 (b, 0);
  });
  CASE ("zero-channels", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_fmt (b, 1, 0, 8000, 16);
    put_id (b, "data"); put32 (b, 0);
  });
  CASE ("zero-rate", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_fmt (b, 1, 1, 0, 16);
    put_id (b, "data"); put32 (b, 0);
  });
  CASE ("block-align-mismatch", {
    g_byte_array_unref (b);
    b = small_valid_wav (4);
    b->data[32] = 6;
  });
  CASE ("huge-chunk-before-data", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_fmt (b, 1, 1, 8000, 16);
    put_id (b, "LIST"); put32 (b, 0xFFFFFFF0u);
    put_id (b, "data"); put32 (b, 2); put16 (b, 0);
  });
  CASE ("huge-fmt-chunk", {
    g_byte_array_unref (b);
    b = small_valid_wav (4);
    b->data[16] = 0xF0; b->data[17] = 0xFF; b->data[18] = 0xFF; b->data[19] = 0x7F;
  });
  CASE ("huge-data-chunk", {
    g_byte_array_unref (b);
    b = small_valid_wav (4);
    b->data[40] = 0xF0; b->data[41] = 0xFF; b->data[42] = 0xFF; b->data[43] = 0x7F;
  });
  CASE ("no-data-chunk", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_fmt (b, 1, 1, 8000, 16);
  });
  CASE ("no-fmt-chunk", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_id (b, "LIST"); put32 (b, 4); put_id (b, "INFO");
  });
  CASE ("data-before-fmt", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_id (b, "data"); put32 (b, 2); put16 (b, 0);
    put_fmt (b, 1, 1, 8000, 16);
  });
  CASE ("truncated-chunk-header", {
    g_byte_array_unref (b);
    b = riff_start ();
    put_fmt (b, 1, 1, 8000, 16);
    g_byte_array_append (b, (const guint8 *) "da", 2);
  });
#undef CASE
  remove_tree (dir);
}

static void
test_every_truncation_rejected (void)
{
  g_autofree char *dir = make_tmp_dir ();
  GByteArray *b = small_valid_wav (16);
  for (guint len = 0; len < b->len; len++)
    {
      g_autofree char *name = g_strdup_printf ("cut-%u.wav", len);
      g_autofree char *path = write_bytes (dir, name, b->data, len);
      GError *error = NULL;
      FerWav *wav = fer_wav_read (path, &error);
      if (wav != NULL)
        g_error ("a file cut to %u of %u bytes was accepted", len, b->len);
      g_assert_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_FORMAT);
      g_error_free (error);
      g_unlink (path);
    }
  /* The whole file is fine. */
  g_autofree char *path = write_bytes (dir, "whole.wav", b->data, b->len);
  GError *error = NULL;
  g_autoptr (FerWav) wav = fer_wav_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->n_frames, ==, 16);
  g_assert_cmpfloat_with_epsilon (wav->frames[15], 1500.0 / 32767.0, 1e-6);
  g_byte_array_unref (b);
  remove_tree (dir);
}

/* Random bytes changed in a valid file: each read either gives a file whose
 * sizes agree with each other or a format error; under ASan no read strays
 * out of bounds. */
static void
test_corruption_never_crashes (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "fuzz.wav", NULL);
  GByteArray *valid = small_valid_wav (32);
  GRand *rand = g_rand_new_with_seed (99);
  guint n_read = 0, n_rejected = 0;

  for (int round = 0; round < 3000; round++)
    {
      g_autofree guint8 *bytes = g_memdup2 (valid->data, valid->len);
      int n_flips = g_rand_int_range (rand, 1, 5);
      for (int k = 0; k < n_flips; k++)
        {
          /* Mostly the header, where the sizes live. */
          guint at = g_rand_int_range (rand, 0, g_rand_boolean (rand) ? 48 : (gint32) valid->len);
          bytes[at] = (guint8) g_rand_int_range (rand, 0, 256);
        }
      gsize len = g_rand_int_range (rand, 0, 8) == 0
                    ? (gsize) g_rand_int_range (rand, 0, (gint32) valid->len) : valid->len;
      g_assert_true (g_file_set_contents (path, (const char *) bytes, (gssize) len, NULL));
      GError *error = NULL;
      FerWav *wav = fer_wav_read (path, &error);
      if (wav != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (wav->channels, >=, 1);
          g_assert_cmpuint (wav->rate_hz, >, 0);
          g_assert_cmpuint (wav->n_frames * wav->channels * 2, <=, len);
          /* Touch every sample: ASan checks the allocation covers them. */
          float sum = 0;
          for (gsize i = 0; i < wav->n_frames * wav->channels; i++)
            sum += wav->frames[i];
          (void) sum;
          fer_wav_free (wav);
          n_read++;
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == FER_AUDIO_ERROR);
          g_assert_cmpint (error->code, ==, FER_AUDIO_ERROR_FORMAT);
          g_error_free (error);
          n_rejected++;
        }
    }
  g_test_message ("%u read, %u rejected", n_read, n_rejected);
  g_assert_cmpuint (n_rejected, >, 0);
  g_rand_free (rand);
  g_byte_array_unref (valid);
  remove_tree (dir);
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
  g_test_add_func ("/audio/wav/reads-float-extensible-and-skips-chunks",
                   test_reads_float_and_skips_chunks);
  g_test_add_func ("/audio/wav/missing-file-is-io-error", test_missing_file);
  g_test_add_func ("/audio/wav/rejects-malformed-files", test_rejects_malformed);
  g_test_add_func ("/audio/wav/rejects-every-truncation", test_every_truncation_rejected);
  g_test_add_func ("/audio/wav/random-corruption-never-crashes", test_corruption_never_crashes);
  return g_test_run ();
}
