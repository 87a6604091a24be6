/* Raw IQ bytes to complex float: each format's known byte values land on the
 * right floats, I before Q, and unaligned input is fine. */
#include <math.h>
#include <string.h>

#include "dsp/convert.h"

static void
check_pairs (FerSampleFormat format, const guint8 *bytes, gsize n_samples,
             const float *expected, float eps)
{
  g_autoptr (FerConverter) conv = fer_converter_new ();
  g_autofree float complex *out = g_new0 (float complex, n_samples);
  fer_converter_process (conv, format, bytes, n_samples, out);
  for (gsize i = 0; i < n_samples; i++)
    {
      g_assert_cmpfloat_with_epsilon (crealf (out[i]), expected[2 * i], eps);
      g_assert_cmpfloat_with_epsilon (cimagf (out[i]), expected[2 * i + 1], eps);
    }
}

static void
test_cu8 (void)
{
  /* 127.5 is zero: 0 and 255 are full scale, 127 and 128 the smallest steps. */
  const guint8 bytes[] = { 0, 255, 127, 128, 64, 191 };
  const float expected[] = {
    -1.0f, 1.0f,
    -0.5f / 127.5f, 0.5f / 127.5f,
    (float) ((64 - 127.5) / 127.5), (float) ((191 - 127.5) / 127.5),
  };
  check_pairs (FER_SAMPLE_CU8, bytes, 3, expected, 1e-7f);
}

static void
test_cu8_symmetric (void)
{
  /* Every byte value: b and 255 - b are mirror images, and the steps are even. */
  guint8 bytes[512];
  for (guint b = 0; b < 256; b++)
    {
      bytes[2 * b] = (guint8) b;
      bytes[2 * b + 1] = (guint8) (255 - b);
    }
  g_autoptr (FerConverter) conv = fer_converter_new ();
  float complex out[256];
  fer_converter_process (conv, FER_SAMPLE_CU8, bytes, 256, out);
  for (guint b = 0; b < 256; b++)
    {
      g_assert_cmpfloat (crealf (out[b]), ==, -cimagf (out[b]));
      if (b > 0)
        g_assert_cmpfloat_with_epsilon (crealf (out[b]) - crealf (out[b - 1]), 1 / 127.5, 1e-6);
    }
}

static void
test_cs8 (void)
{
  const guint8 bytes[] = { 0x80, 0x7f, 0x00, 0xff, 0x40, 0xc0 };
  const float expected[] = { -1.0f, 127.0f / 128, 0.0f, -1.0f / 128, 0.5f, -0.5f };
  check_pairs (FER_SAMPLE_CS8, bytes, 3, expected, 1e-9f);
}

static void
test_cs16_little_endian (void)
{
  const guint8 bytes[] = {
    0x00, 0x80,  0xff, 0x7f,     /* -32768, 32767 */
    0x01, 0x00,  0xff, 0xff,     /* 1, -1 */
    0x00, 0x40,  0x00, 0xc0,     /* 16384, -16384 */
  };
  const float expected[] = {
    -1.0f, 32767.0f / 32768, 1.0f / 32768, -1.0f / 32768, 0.5f, -0.5f,
  };
  check_pairs (FER_SAMPLE_CS16, bytes, 3, expected, 1e-9f);
}

static void
test_cf32_unaligned (void)
{
  const float values[] = { 0.25f, -0.75f, 1e-3f, 3.5f, -1.0f, 0.0f };
  /* One byte in, so the floats are not 4-byte aligned. */
  guint8 raw[sizeof values + 1];
  memcpy (raw + 1, values, sizeof values);
  check_pairs (FER_SAMPLE_CF32, raw + 1, 3, values, 1e-9f);
}

static void
test_long_block (void)
{
  /* Long enough for the vectorised loops and their tails. */
  const gsize n = 1027;
  g_autofree guint8 *bytes = g_new (guint8, 4 * n);
  g_autofree float *expected = g_new (float, 2 * n);
  for (gsize i = 0; i < 2 * n; i++)
    {
      gint16 v = (gint16) ((i * 7919) & 0xffff);
      bytes[2 * i] = (guint8) (v & 0xff);
      bytes[2 * i + 1] = (guint8) ((guint16) v >> 8);
      expected[i] = v / 32768.0f;
    }
  check_pairs (FER_SAMPLE_CS16, bytes, n, expected, 1e-9f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/convert/cu8-values", test_cu8);
  g_test_add_func ("/dsp/convert/cu8-symmetric-even-steps", test_cu8_symmetric);
  g_test_add_func ("/dsp/convert/cs8-values", test_cs8);
  g_test_add_func ("/dsp/convert/cs16-little-endian", test_cs16_little_endian);
  g_test_add_func ("/dsp/convert/cf32-unaligned", test_cf32_unaligned);
  g_test_add_func ("/dsp/convert/long-block", test_long_block);
  return g_test_run ();
}
