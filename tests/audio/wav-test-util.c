/* wav-test-util.c - helpers shared by the WAV tests (see wav-test-util.h). */
#include "wav-test-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "audio/wav.h"

char *
fer_test_make_tmp_dir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("fer-wav-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

void
fer_test_remove_tree (const char *dir)
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

char *
fer_test_list_dir (const char *dir)
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

float *
fer_test_make_tone (gsize n_frames, guint channels, double rate_hz, double freq_hz, double amplitude)
{
  float *x = g_new (float, n_frames * channels);
  for (gsize i = 0; i < n_frames; i++)
    for (guint c = 0; c < channels; c++)
      x[i * channels + c] = (float) (amplitude * sin (2 * G_PI * freq_hz * (double) (c + 1)
                                                      * (double) i / rate_hz));
  return x;
}

guint16
fer_test_le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

guint32
fer_test_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

void
fer_test_put16 (GByteArray *b, guint16 v)
{
  guint8 x[2] = { v & 0xff, v >> 8 };
  g_byte_array_append (b, x, 2);
}

void
fer_test_put32 (GByteArray *b, guint32 v)
{
  guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, x, 4);
}

void
fer_test_put_id (GByteArray *b, const char *id)
{
  g_byte_array_append (b, (const guint8 *) id, 4);
}

void
fer_test_put_fmt (GByteArray *b, guint16 tag, guint16 channels, guint32 rate_hz, guint16 bits)
{
  fer_test_put_id (b, "fmt ");
  fer_test_put32 (b, 16);
  fer_test_put16 (b, tag);
  fer_test_put16 (b, channels);
  fer_test_put32 (b, rate_hz);
  fer_test_put32 (b, rate_hz * channels * bits / 8);
  fer_test_put16 (b, (guint16) (channels * bits / 8));
  fer_test_put16 (b, bits);
}

GByteArray *
fer_test_riff_start (void)
{
  GByteArray *b = g_byte_array_new ();
  fer_test_put_id (b, "RIFF");
  fer_test_put32 (b, 0);   /* patched by fer_test_riff_finish */
  fer_test_put_id (b, "WAVE");
  return b;
}

void
fer_test_riff_finish (GByteArray *b)
{
  guint32 size = b->len - 8;
  memcpy (b->data + 4, (guint8[]) { size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff,
                                    size >> 24 }, 4);
}

GByteArray *
fer_test_small_valid_wav (guint n)
{
  GByteArray *b = fer_test_riff_start ();
  fer_test_put_fmt (b, 1, 1, 8000, 16);
  fer_test_put_id (b, "data");
  fer_test_put32 (b, n * 2);
  for (guint i = 0; i < n; i++)
    fer_test_put16 (b, (guint16) (gint16) (i * 100));
  fer_test_riff_finish (b);
  return b;
}

char *
fer_test_write_bytes (const char *dir, const char *name, const guint8 *bytes, gsize n)
{
  GError *error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, (const char *) bytes, (gssize) n, &error);
  g_assert_no_error (error);
  return path;
}

void
fer_test_assert_format_error (const char *path, const char *why)
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

void
fer_test_assert_io_error_names (GError *error, const char *path, int errsv)
{
  g_assert_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, g_strerror (errsv)));
  g_test_message ("%s", error->message);
}
