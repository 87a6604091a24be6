#define G_LOG_DOMAIN "fer-dsp"

#include "convert.h"
#include "simd.h"

#include <string.h>

struct _FerConverter {
  float cu8_scale;         /* cu8: (b - 127.5) * this, so 0 and 255 are full scale */
};

FerConverter *
fer_converter_new (void)
{
  FerConverter *conv = g_new (FerConverter, 1);
  conv->cu8_scale = 1.0f / 127.5f;
  return conv;
}

void
fer_converter_free (FerConverter *conv)
{
  g_free (conv);
}

/* Arithmetic rather than a table: b - 127.5 is exact in float, and the
 * byte -> int -> float conversion vectorises where a table lookup (a
 * gather) does not. */
FER_HOT static void
convert_cu8 (float k, const guint8 *restrict in, gsize n_values, float *restrict out)
{
  for (gsize i = 0; i < n_values; i++)
    out[i] = ((float) in[i] - 127.5f) * k;
}

FER_HOT static void
convert_cs8 (const guint8 *restrict in, gsize n_values, float *restrict out)
{
  for (gsize i = 0; i < n_values; i++)
    out[i] = (float) (gint8) in[i] * (1.0f / 128.0f);
}

FER_HOT static void
convert_cs16 (const guint8 *restrict in, gsize n_values, float *restrict out)
{
  for (gsize i = 0; i < n_values; i++)
    {
      /* Little-endian on the wire whatever the host; no alignment assumed. */
      gint16 v = (gint16) (guint16) (in[2 * i] | (in[2 * i + 1] << 8));
      out[i] = (float) v * (1.0f / 32768.0f);
    }
}

void
fer_converter_process (FerConverter *conv, FerSampleFormat format, const guint8 *in,
                       gsize n_samples, float complex *out)
{
  g_return_if_fail (conv != NULL);
  float *outf = (float *) out;
  switch (format)
    {
    case FER_SAMPLE_CU8:
      convert_cu8 (conv->cu8_scale, in, 2 * n_samples, outf);
      break;
    case FER_SAMPLE_CS8:
      convert_cs8 (in, 2 * n_samples, outf);
      break;
    case FER_SAMPLE_CS16:
      convert_cs16 (in, 2 * n_samples, outf);
      break;
    case FER_SAMPLE_CF32:
      /* memcpy: @in need not be aligned for float. */
      memcpy (out, in, n_samples * sizeof (float complex));
      break;
    default:
      g_return_if_reached ();
    }
}
