/* The WAV reader: the formats it takes, and any malformed, truncated or
 * corrupted file is a format error, never a crash or a stray read. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "audio/wav.h"
#include "wav-test-util.h"

/* ---- reading ---------------------------------------------------------------- */

static void
test_reads_float_and_skips_chunks (void)
{
  g_autofree char *dir = fer_test_make_tmp_dir ();
  GError *error = NULL;

  /* 32-bit float mono at 22050 Hz, with a LIST chunk before fmt and an
   * odd-sized chunk (plus its pad byte) between fmt and data. */
  const float values[] = { 0.0f, 0.5f, -0.75f, 1.5f };
  GByteArray *b = fer_test_riff_start ();
  fer_test_put_id (b, "LIST");
  fer_test_put32 (b, 10);
  g_byte_array_append (b, (const guint8 *) "INFOISFT\0\0", 10);
  fer_test_put_fmt (b, 3, 1, 22050, 32);
  fer_test_put_id (b, "junk");
  fer_test_put32 (b, 3);
  g_byte_array_append (b, (const guint8 *) "abc\0", 4);
  fer_test_put_id (b, "data");
  fer_test_put32 (b, sizeof values);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      guint32 bits;
      memcpy (&bits, &values[i], 4);
      fer_test_put32 (b, bits);
    }
  fer_test_riff_finish (b);
  g_autofree char *path = fer_test_write_bytes (dir, "float.wav", b->data, b->len);
  g_byte_array_unref (b);

  g_autoptr (FerWav) wav = fer_wav_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->rate_hz, ==, 22050);
  g_assert_cmpuint (wav->channels, ==, 1);
  g_assert_cmpuint (wav->n_frames, ==, 4);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (wav->frames[i], ==, values[i]);

  /* WAVE_FORMAT_EXTENSIBLE, 16-bit stereo. */
  b = fer_test_riff_start ();
  fer_test_put_id (b, "fmt ");
  fer_test_put32 (b, 40);
  fer_test_put16 (b, 0xFFFE);
  fer_test_put16 (b, 2);
  fer_test_put32 (b, 96000);
  fer_test_put32 (b, 96000 * 4);
  fer_test_put16 (b, 4);
  fer_test_put16 (b, 16);
  fer_test_put16 (b, 22);      /* extension size */
  fer_test_put16 (b, 16);      /* valid bits */
  fer_test_put32 (b, 3);       /* channel mask */
  fer_test_put16 (b, 1);       /* sub-format: PCM, then the rest of the GUID */
  g_byte_array_append (b, (const guint8 *) "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71", 14);
  fer_test_put_id (b, "data");
  fer_test_put32 (b, 8);
  fer_test_put16 (b, 32767);
  fer_test_put16 (b, (guint16) -32768);
  fer_test_put16 (b, 0);
  fer_test_put16 (b, (guint16) -16384);
  fer_test_riff_finish (b);
  g_autofree char *path2 = fer_test_write_bytes (dir, "ext.wav", b->data, b->len);
  g_byte_array_unref (b);

  g_autoptr (FerWav) ext = fer_wav_read (path2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ext->rate_hz, ==, 96000);
  g_assert_cmpuint (ext->channels, ==, 2);
  g_assert_cmpuint (ext->n_frames, ==, 2);
  g_assert_cmpfloat (ext->frames[0], ==, 1.0f);
  g_assert_cmpfloat (ext->frames[1], ==, -1.0f);
  g_assert_cmpfloat (ext->frames[2], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (ext->frames[3], -0.5, FER_TEST_LSB);
  fer_test_remove_tree (dir);
}

static void
test_missing_file (void)
{
  GError *error = NULL;
  g_assert_null (fer_wav_read ("/nonexistent/ferrite.wav", &error));
  fer_test_assert_io_error_names (error, "/nonexistent/ferrite.wav", ENOENT);
  g_clear_error (&error);
}

static void
test_rejects_malformed (void)
{
  g_autofree char *dir = fer_test_make_tmp_dir ();
  GByteArray *b;
  char *path;

#define CASE(name, build)                                   \
  do {                                                      \
    b = g_byte_array_new ();                                \
    build;                                                  \
    path = fer_test_write_bytes (dir, name, b->data, b->len);        \
    fer_test_assert_format_error (path, name);                       \
    g_free (path);                                          \
    g_byte_array_unref (b);                                 \
  } while (0)

  CASE ("empty", (void) 0);
  CASE ("truncated-header", g_byte_array_append (b, (const guint8 *) "RIFF\x10\0\0\0WA", 10));
  CASE ("wrong-riff-id", {
    g_byte_array_unref (b);
    b = fer_test_small_valid_wav (4);
    memcpy (b->data, "RIFX", 4);
  });
  CASE ("not-wave", {
    g_byte_array_unref (b);
    b = fer_test_small_valid_wav (4);
    memcpy (b->data + 8, "AVI ", 4);
  });
  CASE ("truncated-data", {
    g_byte_array_unref (b);
    b = fer_test_small_valid_wav (100);
    g_byte_array_set_size (b, b->len - 50);
  });
  CASE ("fmt-too-short", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_id (b, "fmt ");
    fer_test_put32 (b, 14);
    fer_test_put16 (b, 1); fer_test_put16 (b, 1); fer_test_put32 (b, 8000); fer_test_put32 (b, 16000); fer_test_put16 (b, 2);
    fer_test_put_id (b, "data"); fer_test_put32 (b, 0);
  });
  CASE ("adpcm", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_fmt (b, 2, 1, 8000, 4);
    fer_test_put_id (b, "data"); fer_test_put32 (b, 2); fer_test_put16 (b, 0);
  });
  CASE ("pcm-24-bit", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_fmt (b, 1, 1, 8000, 24);
    fer_test_put_id (b, "data"); fer_test_put32 (b, 3); fer_test_put16 (b, 0); g_byte_array_append (b, (const guint8 *) "\0", 1);
  });
  CASE ("pcm-8-bit", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_fmt (b, 1, 1, 8000, 8);
    fer_test_put_id (b, "data"); fer_test_put32 (b, 2); fer_test_put16 (b, 0);
  });
  CASE ("zero-channels", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_fmt (b, 1, 0, 8000, 16);
    fer_test_put_id (b, "data"); fer_test_put32 (b, 0);
  });
  CASE ("zero-rate", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_fmt (b, 1, 1, 0, 16);
    fer_test_put_id (b, "data"); fer_test_put32 (b, 0);
  });
  CASE ("block-align-mismatch", {
    g_byte_array_unref (b);
    b = fer_test_small_valid_wav (4);
    b->data[32] = 6;
  });
  CASE ("huge-chunk-before-data", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_fmt (b, 1, 1, 8000, 16);
    fer_test_put_id (b, "LIST"); fer_test_put32 (b, 0xFFFFFFF0u);
    fer_test_put_id (b, "data"); fer_test_put32 (b, 2); fer_test_put16 (b, 0);
  });
  CASE ("huge-fmt-chunk", {
    g_byte_array_unref (b);
    b = fer_test_small_valid_wav (4);
    b->data[16] = 0xF0; b->data[17] = 0xFF; b->data[18] = 0xFF; b->data[19] = 0x7F;
  });
  CASE ("huge-data-chunk", {
    g_byte_array_unref (b);
    b = fer_test_small_valid_wav (4);
    b->data[40] = 0xF0; b->data[41] = 0xFF; b->data[42] = 0xFF; b->data[43] = 0x7F;
  });
  CASE ("no-data-chunk", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_fmt (b, 1, 1, 8000, 16);
  });
  CASE ("no-fmt-chunk", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_id (b, "LIST"); fer_test_put32 (b, 4); fer_test_put_id (b, "INFO");
  });
  CASE ("data-before-fmt", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_id (b, "data"); fer_test_put32 (b, 2); fer_test_put16 (b, 0);
    fer_test_put_fmt (b, 1, 1, 8000, 16);
  });
  CASE ("truncated-chunk-header", {
    g_byte_array_unref (b);
    b = fer_test_riff_start ();
    fer_test_put_fmt (b, 1, 1, 8000, 16);
    g_byte_array_append (b, (const guint8 *) "da", 2);
  });
#undef CASE
  fer_test_remove_tree (dir);
}

static void
test_every_truncation_rejected (void)
{
  g_autofree char *dir = fer_test_make_tmp_dir ();
  GByteArray *b = fer_test_small_valid_wav (16);
  for (guint len = 0; len < b->len; len++)
    {
      g_autofree char *name = g_strdup_printf ("cut-%u.wav", len);
      g_autofree char *path = fer_test_write_bytes (dir, name, b->data, len);
      GError *error = NULL;
      FerWav *wav = fer_wav_read (path, &error);
      if (wav != NULL)
        g_error ("a file cut to %u of %u bytes was accepted", len, b->len);
      g_assert_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_FORMAT);
      g_error_free (error);
      g_unlink (path);
    }
  /* The whole file is fine. */
  g_autofree char *path = fer_test_write_bytes (dir, "whole.wav", b->data, b->len);
  GError *error = NULL;
  g_autoptr (FerWav) wav = fer_wav_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wav->n_frames, ==, 16);
  g_assert_cmpfloat_with_epsilon (wav->frames[15], 1500.0 / 32767.0, 1e-6);
  g_byte_array_unref (b);
  fer_test_remove_tree (dir);
}

/* Random bytes changed in a valid file: each read either gives a file whose
 * sizes agree with each other or a format error; under ASan no read strays
 * out of bounds. */
static void
test_corruption_never_crashes (void)
{
  g_autofree char *dir = fer_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "fuzz.wav", NULL);
  GByteArray *valid = fer_test_small_valid_wav (32);
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
  fer_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audio/wav/reads-float-extensible-and-skips-chunks",
                   test_reads_float_and_skips_chunks);
  g_test_add_func ("/audio/wav/missing-file-is-io-error", test_missing_file);
  g_test_add_func ("/audio/wav/rejects-malformed-files", test_rejects_malformed);
  g_test_add_func ("/audio/wav/rejects-every-truncation", test_every_truncation_rejected);
  g_test_add_func ("/audio/wav/random-corruption-never-crashes", test_corruption_never_crashes);
  return g_test_run ();
}
