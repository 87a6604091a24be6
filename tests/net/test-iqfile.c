/* IQ files on disk: what the writers put there, what the readers make of
 * it, and one clear error for every broken, truncated or lying file. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "device/device-error.h"
#include "device/iqfile.h"
#include "device/json.h"
#include "net-test-util.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static guint8 *
ramp (gsize n_bytes)
{
  guint8 *data = g_malloc (n_bytes);
  for (gsize i = 0; i < n_bytes; i++)
    data[i] = (guint8) (i * 7);
  return data;
}

static void
put_u32 (guint8 *p, guint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (guint8) (v >> (8 * i));
}

static guint32
get_u32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* A WAV recording as written: RIFF/fmt/auxi/data, the auxi chunk holding the
 * centre where Windows SDR programs put it, and the exact samples. */
static void
test_wav_written_and_read (void)
{
  g_autofree char *path = tmp_path ("rec.wav");
  g_autoptr (GError) error = NULL;
  FerIqWriter *w = fer_iq_writer_new (path, FER_IQ_CONTAINER_WAV, FER_SAMPLE_CS16, 2.4e6,
                                      145.5e6, "test", &error);
  g_assert_no_error (error);
  g_autofree guint8 *data = ramp (4000);
  g_assert_true (fer_iq_writer_write (w, data, 4000, &error));
  g_assert_true (fer_iq_writer_close (w, &error));
  g_assert_no_error (error);

  g_autofree guint8 *bytes = NULL;
  gsize n = 0;
  g_assert_true (g_file_get_contents (path, (char **) &bytes, &n, NULL));
  g_assert_cmpmem (bytes, 4, "RIFF", 4);
  g_assert_cmpuint (get_u32 (bytes + 4), ==, n - 8);
  g_assert_cmpmem (bytes + 36, 4, "auxi", 4);
  g_assert_cmpuint (get_u32 (bytes + 44 + 32), ==, 145500000);   /* centre, Hz */
  const guint8 *d = bytes + n - 4000 - 8;
  g_assert_cmpmem (d, 4, "data", 4);
  g_assert_cmpuint (get_u32 (d + 4), ==, 4000);
  g_assert_cmpmem (d + 8, 4000, data, 4000);

  g_autoptr (FerIqFileInfo) info = fer_iq_file_info_probe (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->container, ==, FER_IQ_CONTAINER_WAV);
  g_assert_cmpint (info->format, ==, FER_SAMPLE_CS16);
  g_assert_cmpfloat (info->rate_hz, ==, 2.4e6);
  g_assert_cmpfloat (info->center_hz, ==, 145.5e6);
  g_assert_cmpuint (info->n_samples, ==, 1000);
  g_assert_cmpuint (info->data_offset, ==, n - 4000);
  g_assert_nonnull (info->datetime);
  g_assert_null (info->note);
}

/* Killed mid-write: what was synced is there, with sizes that say so. */
static void
test_wav_killed_mid_write_opens (void)
{
  g_autofree char *path = tmp_path ("killed.wav");
  g_autoptr (GError) error = NULL;
  FerIqWriter *w = fer_iq_writer_new (path, FER_IQ_CONTAINER_WAV, FER_SAMPLE_CU8, 1e6, 100e6,
                                      NULL, &error);
  g_autofree guint8 *data = ramp (20000);
  g_assert_true (fer_iq_writer_write (w, data, 20000, &error));
  g_assert_true (fer_iq_writer_sync (w, &error));
  g_assert_true (fer_iq_writer_write (w, data, 20000, &error));   /* not synced yet */

  /* The file as a crash would leave it: the writer never closed. */
  g_autoptr (FerIqFileInfo) info = fer_iq_file_info_probe (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->format, ==, FER_SAMPLE_CU8);
  g_assert_cmpfloat (info->center_hz, ==, 100e6);
  g_assert_cmpuint (info->n_samples, ==, 10000);   /* the synced part */
  g_assert_true (fer_iq_writer_close (w, &error));

  /* Killed before the first sync: the sizes say 0, the samples are read to the end. */
  g_autofree char *early = tmp_path ("early.wav");
  w = fer_iq_writer_new (early, FER_IQ_CONTAINER_WAV, FER_SAMPLE_CU8, 1e6, 100e6, NULL, &error);
  g_assert_true (fer_iq_writer_write (w, data, 20000, &error));
  g_autoptr (FerIqFileInfo) info2 = fer_iq_file_info_probe (early, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info2->n_samples, ==, 10000);
  g_assert_true (fer_iq_writer_close (w, &error));
}

/* SigMF: the meta file exists before the first sample; a retune becomes a
 * capture and an annotation; both files read back. */
static void
test_sigmf_written_and_read (void)
{
  g_autofree char *path = tmp_path ("rec.sigmf-data");
  g_autofree char *meta = tmp_path ("rec.sigmf-meta");
  g_autoptr (GError) error = NULL;
  FerIqWriter *w = fer_iq_writer_new (path, FER_IQ_CONTAINER_SIGMF, FER_SAMPLE_CF32, 2.048e6,
                                      100e6, "Demo \"dongle\"", &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (meta, G_FILE_TEST_IS_REGULAR));
  g_autofree guint8 *data = ramp (8 * 1000);
  g_assert_true (fer_iq_writer_write (w, data, 8 * 1000, &error));
  g_assert_true (fer_iq_writer_retune (w, 103.3e6, &error));
  g_assert_true (fer_iq_writer_write (w, data, 8 * 500, &error));

  /* Killed here: both files read. */
  g_autoptr (FerIqFileInfo) mid = fer_iq_file_info_probe (meta, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mid->n_samples, ==, 1500);
  g_assert_cmpuint (mid->captures->len, ==, 2);
  g_assert_true (fer_iq_writer_close (w, &error));

  g_autofree char *json = NULL;
  g_assert_true (g_file_get_contents (meta, &json, NULL, NULL));
  g_autoptr (FerJson) root = fer_json_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  const FerJson *global = fer_json_get (root, "global");
  g_assert_cmpstr (fer_json_get (global, "core:datatype")->string, ==, "cf32_le");
  g_assert_cmpfloat (fer_json_get (global, "core:sample_rate")->number, ==, 2.048e6);
  g_assert_cmpstr (fer_json_get (global, "core:version")->string, ==, "1.0.0");
  g_assert_cmpstr (fer_json_get (global, "core:hw")->string, ==, "Demo \"dongle\"");
  const FerJson *caps = fer_json_get (root, "captures");
  g_assert_cmpuint (fer_json_get_length (caps), ==, 2);
  const FerJson *c1 = fer_json_get_item (caps, 1);
  g_assert_cmpfloat (fer_json_get (c1, "core:sample_start")->number, ==, 1000);
  g_assert_cmpfloat (fer_json_get (c1, "core:frequency")->number, ==, 103.3e6);
  g_assert_true (g_str_has_suffix (fer_json_get (c1, "core:datetime")->string, "Z"));
  const FerJson *notes = fer_json_get (root, "annotations");
  g_assert_cmpuint (fer_json_get_length (notes), ==, 1);
  const FerJson *a = fer_json_get_item (notes, 0);
  g_assert_cmpfloat (fer_json_get (a, "core:sample_start")->number, ==, 1000);
  g_assert_nonnull (strstr (fer_json_get (a, "core:comment")->string, "103.300000 MHz"));

  g_autoptr (FerIqFileInfo) info = fer_iq_file_info_probe (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->format, ==, FER_SAMPLE_CF32);
  g_assert_cmpfloat (info->center_hz, ==, 100e6);
  g_assert_cmpstr (info->hw, ==, "Demo \"dongle\"");
  g_assert_cmpuint (info->n_samples, ==, 1500);
  g_assert_cmpfloat (g_array_index (info->captures, FerIqCapture, 1).center_hz, ==, 103.3e6);
}

static void
test_convert_keeps_cu8_exact (void)
{
  guint8 cu8[512], back[512];
  gint16 cs16[512];
  float cf32[512];
  for (int i = 0; i < 512; i++)
    cu8[i] = (guint8) i;
  fer_iq_convert (FER_SAMPLE_CU8, cu8, 256, FER_SAMPLE_CS16, (guint8 *) cs16);
  fer_iq_convert (FER_SAMPLE_CS16, (guint8 *) cs16, 256, FER_SAMPLE_CU8, back);
  g_assert_cmpmem (cu8, 512, back, 512);
  fer_iq_convert (FER_SAMPLE_CU8, cu8, 256, FER_SAMPLE_CF32, (guint8 *) cf32);
  g_assert_cmpfloat (cf32[0], ==, -1.0f);
  g_assert_cmpfloat (cf32[255], ==, 1.0f);
  fer_iq_convert (FER_SAMPLE_CF32, (guint8 *) cf32, 256, FER_SAMPLE_CU8, back);
  g_assert_cmpmem (cu8, 512, back, 512);
  /* Beyond full scale clips instead of wrapping. */
  float loud[2] = { 3.0f, -3.0f };
  gint16 clipped[2];
  fer_iq_convert (FER_SAMPLE_CF32, (guint8 *) loud, 1, FER_SAMPLE_CS16, (guint8 *) clipped);
  g_assert_cmpint (clipped[0], ==, 32767);
  g_assert_cmpint (clipped[1], ==, -32768);
}

/* --- broken files ---------------------------------------------------------- */

/* A valid 2-channel 16-bit WAV header (44 bytes) with @n_data sample bytes. */
static GByteArray *
wav_bytes (guint channels, guint32 rate, guint bits, guint32 data_size, gsize n_data)
{
  guint8 h[44] = { 0 };
  memcpy (h, "RIFF", 4);
  put_u32 (h + 4, (guint32) (36 + n_data));
  memcpy (h + 8, "WAVEfmt ", 8);
  put_u32 (h + 16, 16);
  h[20] = 1;
  h[22] = (guint8) channels;
  put_u32 (h + 24, rate);
  put_u32 (h + 28, rate * channels * bits / 8);
  h[32] = (guint8) (channels * bits / 8);
  h[34] = (guint8) bits;
  memcpy (h + 36, "data", 4);
  put_u32 (h + 40, data_size);
  GByteArray *b = g_byte_array_new ();
  g_byte_array_append (b, h, sizeof h);
  for (gsize i = 0; i < n_data; i++)
    g_byte_array_append (b, (const guint8 *) "\x80", 1);
  return b;
}

static void
expect_wav_error (GByteArray *b, const char *expect)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FerIqFileInfo) info = fer_iq_file_info_new (FER_IQ_CONTAINER_WAV);
  g_assert_false (fer_iq_wav_parse (b->data, b->len, b->len, info, &error));
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, expect));
  g_byte_array_unref (b);
}

static void
test_wav_bad_files (void)
{
  expect_wav_error (wav_bytes (1, 48000, 16, 400, 400), "1 channel");
  expect_wav_error (wav_bytes (2, 0, 16, 400, 400), "absurd");
  expect_wav_error (wav_bytes (2, 900000000, 16, 400, 400), "absurd");
  expect_wav_error (wav_bytes (2, 48000, 24, 400, 400), "24-bit");
  expect_wav_error (wav_bytes (2, 48000, 16, 0, 0), "no samples");

  GByteArray *cut = wav_bytes (2, 48000, 16, 400, 400);
  g_byte_array_set_size (cut, 30);   /* ends inside the fmt chunk */
  expect_wav_error (cut, "fmt");

  GByteArray *junk = g_byte_array_new ();
  g_byte_array_append (junk, (const guint8 *) "RIFF\0\0\0\0AVIfLIST", 16);
  expect_wav_error (junk, "not a WAV file");

  /* A chunk whose size runs past the end. */
  GByteArray *lying = wav_bytes (2, 48000, 16, 400, 400);
  put_u32 (lying->data + 16, 0x7fffffff);
  expect_wav_error (lying, "runs past");

  /* A data size larger than the file: played as far as it goes, with a note. */
  GByteArray *longer = wav_bytes (2, 48000, 16, 400000, 400);
  g_autoptr (GError) error = NULL;
  g_autoptr (FerIqFileInfo) info = fer_iq_file_info_new (FER_IQ_CONTAINER_WAV);
  g_assert_true (fer_iq_wav_parse (longer->data, longer->len, longer->len, info, &error));
  g_assert_cmpuint (info->n_samples, ==, 100);
  g_assert_nonnull (strstr (info->note, "cut short"));
  g_byte_array_unref (longer);
}

static void
expect_sigmf_error (const char *json, const char *expect)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FerIqFileInfo) info = fer_iq_file_info_new (FER_IQ_CONTAINER_SIGMF);
  g_assert_false (fer_iq_sigmf_parse (json, strlen (json), info, &error));
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, expect));
}

static void
test_sigmf_bad_meta (void)
{
  expect_sigmf_error ("{\"global\": {\"core:datatype\": \"cu8\"", "not valid JSON (line 1");
  expect_sigmf_error ("[1, 2]", "no \"global\"");
  expect_sigmf_error ("{\"global\": {\"core:sample_rate\": 1e6}}", "no core:datatype");
  expect_sigmf_error ("{\"global\": {\"core:datatype\": \"ci32_le\", \"core:sample_rate\": 1e6}}",
                      "\"ci32_le\" is not one Ferrite plays");
  expect_sigmf_error ("{\"global\": {\"core:datatype\": \"rf32_le\", \"core:sample_rate\": 1e6}}",
                      "real samples");
  expect_sigmf_error ("{\"global\": {\"core:datatype\": \"ci16_be\", \"core:sample_rate\": 1e6}}",
                      "big-endian");
  expect_sigmf_error ("{\"global\": {\"core:datatype\": \"cu8\"}}", "no core:sample_rate");
  expect_sigmf_error ("{\"global\": {\"core:datatype\": \"cu8\", \"core:sample_rate\": -5}}",
                      "absurd");
  expect_sigmf_error ("{\"global\": {\"core:datatype\": \"cu8\", \"core:sample_rate\": 1e6},"
                      " \"captures\": [{\"core:sample_start\": 100}, {\"core:sample_start\": 50}]}",
                      "not in sample order");
  expect_sigmf_error ("{\"global\": {\"core:datatype\": \"cu8\", \"core:sample_rate\": 1e6},"
                      " \"captures\": [{\"core:sample_start\": -1}]}", "whole number");
  expect_sigmf_error ("{\"global\": {\"core:datatype\": \"cu8\", \"core:sample_rate\": 1e6},"
                      " \"captures\": [{\"core:frequency\": \"100M\"}]}", "absurd core:frequency");
  /* Deep nesting is refused, not a stack overflow. */
  g_autoptr (GString) deep = g_string_new ("{\"global\": ");
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  expect_sigmf_error (deep->str, "nested too deeply");
}

static void
test_sigmf_missing_parts (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *meta = tmp_path ("lonely.sigmf-meta");
  g_assert_true (g_file_set_contents (meta, "{\"global\": {\"core:datatype\": \"cu8\", "
                                      "\"core:sample_rate\": 1e6}}", -1, NULL));
  g_assert_null (fer_iq_file_info_probe (meta, &error));
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "lonely.sigmf-data"));
  g_clear_error (&error);

  g_autofree char *archive = tmp_path ("rec.sigmf");
  g_assert_true (g_file_set_contents (archive, "x", 1, NULL));
  g_assert_null (fer_iq_file_info_probe (archive, &error));
  g_assert_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "archive"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("ferrite-iqfile-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/net/iqfile/wav-written-and-read", test_wav_written_and_read);
  g_test_add_func ("/net/iqfile/wav-killed-mid-write-opens", test_wav_killed_mid_write_opens);
  g_test_add_func ("/net/iqfile/sigmf-written-and-read", test_sigmf_written_and_read);
  g_test_add_func ("/net/iqfile/convert-keeps-cu8-exact", test_convert_keeps_cu8_exact);
  g_test_add_func ("/net/iqfile/wav-bad-files", test_wav_bad_files);
  g_test_add_func ("/net/iqfile/sigmf-bad-meta", test_sigmf_bad_meta);
  g_test_add_func ("/net/iqfile/sigmf-missing-parts", test_sigmf_missing_parts);
  int rc = g_test_run ();
  net_rm_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
