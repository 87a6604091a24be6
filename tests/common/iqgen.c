#include "iqgen.h"

#include <math.h>
#include <string.h>

float complex *
fer_iqgen_fm_tone (double rate_hz, gsize n, double offset_hz, double tone_hz,
                   double deviation_hz, double amplitude)
{
  float complex *iq = g_new (float complex, n);
  /* Phase of FM: 2π·offset·t + (Δf/fm)·sin(2π·fm·t), computed directly so no
   * error accumulates. */
  double beta = deviation_hz / tone_hz;
  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate_hz;
      double phase = 2 * G_PI * fmod (offset_hz * t, 1.0) + beta * sin (2 * G_PI * tone_hz * t);
      iq[i] = (float) (amplitude * cos (phase)) + (float) (amplitude * sin (phase)) * I;
    }
  return iq;
}

static double
clampd (double v, double lo, double hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

static gsize
bytes_per_sample (FerSampleFormat format)
{
  switch (format)
    {
    case FER_SAMPLE_CU8:
    case FER_SAMPLE_CS8:
      return 2;
    case FER_SAMPLE_CS16:
      return 4;
    case FER_SAMPLE_CF32:
      return 8;
    }
  g_assert_not_reached ();
}

guint8 *
fer_iqgen_encode (const float complex *iq, gsize n, FerSampleFormat format, gsize *n_bytes)
{
  gsize size = n * bytes_per_sample (format);
  guint8 *out = g_malloc (size);
  for (gsize i = 0; i < n; i++)
    {
      double re = crealf (iq[i]), im = cimagf (iq[i]);
      switch (format)
        {
        case FER_SAMPLE_CU8:
          out[2 * i] = (guint8) clampd (round (re * 127.5 + 127.5), 0, 255);
          out[2 * i + 1] = (guint8) clampd (round (im * 127.5 + 127.5), 0, 255);
          break;
        case FER_SAMPLE_CS8:
          ((gint8 *) out)[2 * i] = (gint8) clampd (round (re * 128), -128, 127);
          ((gint8 *) out)[2 * i + 1] = (gint8) clampd (round (im * 128), -128, 127);
          break;
        case FER_SAMPLE_CS16:
          {
            gint16 v[2] = { (gint16) clampd (round (re * 32768), -32768, 32767),
                            (gint16) clampd (round (im * 32768), -32768, 32767) };
            v[0] = GINT16_TO_LE (v[0]);
            v[1] = GINT16_TO_LE (v[1]);
            memcpy (out + 4 * i, v, 4);
            break;
          }
        case FER_SAMPLE_CF32:
          {
            float v[2] = { (float) re, (float) im };
            memcpy (out + 8 * i, v, 8);
            break;
          }
        }
    }
  *n_bytes = size;
  return out;
}

void
fer_iqgen_write_file (const char *path, const float complex *iq, gsize n,
                      FerSampleFormat format)
{
  gsize n_bytes;
  g_autofree guint8 *bytes = fer_iqgen_encode (iq, n, format, &n_bytes);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, (const char *) bytes, (gssize) n_bytes, &error);
  g_assert_no_error (error);
}
