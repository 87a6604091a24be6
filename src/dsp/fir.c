#define G_LOG_DOMAIN "fer-dsp"

#include "fir.h"

#include "simd.h"

#include <math.h>
#include <string.h>

/* clang with older C libraries lacks the C11 macro. */
#ifndef CMPLXF
#define CMPLXF(re, im) ((float complex) ((float) (re) + _Complex_I * (float) (im)))
#endif

/* Input samples filtered per internal pass. Keeps the working buffers small
 * enough to stay in the first-level cache whatever the caller's block size. */
#define FIR_CHUNK 2048
/* The general path pads the taps to a multiple of this many (zeros in front)
 * so the inner loop has no remainder. */
#define FIR_TAP_ALIGN 4

struct _FerFir {
  guint n_taps;
  guint decim;
  gboolean halfband;

  /* General path: y[m] = sum_k taps2[k] * buf[m decim + k] over float pairs. */
  guint n_padded;            /* n_taps rounded up to FIR_TAP_ALIGN */
  float *taps2;              /* owned; reversed taps, each written twice (re and im lanes) */
  float complex *buf;        /* owned; history, then the chunk being filtered */

  /* Half-band path: samples split by parity so every access is contiguous. */
  guint n_sides;             /* nonzero taps on each side of the centre */
  guint n_sides_padded;      /* rounded up to 4 with zero taps */
  float centre;
  float *sides;              /* owned; taps at distance 1, 3, 5, ... from the centre */
  guint *side_a, *side_b;    /* owned; float offsets into even of each tap pair's two samples */
  float complex *even;       /* owned; samples 0, 2, 4, ... of the window */
  float complex *odd;        /* owned; samples 1, 3, 5, ... */

  gsize n_have;              /* samples held (history + not yet consumed) */
};

/* Modified Bessel function of the first kind, order 0 (power series). */
static double
bessel_i0 (double x)
{
  double sum = 1.0, term = 1.0, q = x * x / 4.0;
  for (int k = 1; k < 200; k++)
    {
      term *= q / ((double) k * (double) k);
      sum += term;
      if (term < sum * 1e-17)
        break;
    }
  return sum;
}

double
fer_kaiser_beta (double atten_db)
{
  if (atten_db > 50)
    return 0.1102 * (atten_db - 8.7);
  if (atten_db >= 21)
    return 0.5842 * pow (atten_db - 21, 0.4) + 0.07886 * (atten_db - 21);
  return 0.0;
}

guint
fer_kaiser_n_taps (double transition_norm, double atten_db)
{
  g_return_val_if_fail (transition_norm > 0, 1);
  double n = (atten_db - 7.95) / (14.36 * transition_norm) + 1.0;
  return (guint) MAX (ceil (n), 1.0);
}

static double
kaiser (double pos, double half_width, double beta)
{
  if (half_width <= 0)
    return 1.0;
  double r = pos / half_width;
  if (fabs (r) >= 1.0)
    return bessel_i0 (0) / bessel_i0 (beta);
  return bessel_i0 (beta * sqrt (1.0 - r * r)) / bessel_i0 (beta);
}

static double
sinc (double x)
{
  if (fabs (x) < 1e-12)
    return 1.0;
  return sin (G_PI * x) / (G_PI * x);
}

float *
fer_fir_design_lowpass (guint n_taps, double cutoff_norm, double atten_db, double gain)
{
  g_return_val_if_fail (n_taps >= 1, NULL);
  g_return_val_if_fail (cutoff_norm > 0 && cutoff_norm <= 0.5, NULL);

  double *h = g_new (double, n_taps);
  double centre = (n_taps - 1) / 2.0, beta = fer_kaiser_beta (atten_db), sum = 0;
  for (guint i = 0; i < n_taps; i++)
    {
      double t = i - centre;
      h[i] = 2 * cutoff_norm * sinc (2 * cutoff_norm * t) * kaiser (t, centre, beta);
      sum += h[i];
    }
  float *taps = g_new (float, n_taps);
  for (guint i = 0; i < n_taps; i++)
    taps[i] = (float) (h[i] * gain / sum);
  g_free (h);
  return taps;
}

float *
fer_fir_design_halfband (double transition_norm, double atten_db, guint *n_taps)
{
  g_return_val_if_fail (transition_norm > 0 && transition_norm < 0.5, NULL);
  g_return_val_if_fail (n_taps != NULL, NULL);

  guint n0 = fer_kaiser_n_taps (transition_norm, atten_db);
  guint n_sides = MAX ((n0 + 1 + 3) / 4, 1u);  /* length 4 n_sides - 1 >= n0 */
  guint n = 4 * n_sides - 1, c = n / 2;
  double beta = fer_kaiser_beta (atten_db), sum = 0;
  double *side = g_new (double, n_sides);
  for (guint i = 0; i < n_sides; i++)
    {
      double t = 2.0 * i + 1.0;
      side[i] = 0.5 * sinc (t / 2.0) * kaiser (t, c, beta);
      sum += 2 * side[i];
    }
  float *taps = g_new0 (float, n);
  taps[c] = 0.5f;
  /* The odd taps sum to 1/2 so DC passes at exactly unit gain. */
  for (guint i = 0; i < n_sides; i++)
    {
      float v = (float) (side[i] * 0.5 / sum);
      taps[c - (2 * i + 1)] = v;
      taps[c + (2 * i + 1)] = v;
    }
  g_free (side);
  *n_taps = n;
  return taps;
}

double
fer_fir_response (const float *taps, guint n_taps, double freq_norm)
{
  double re = 0, im = 0;
  for (guint i = 0; i < n_taps; i++)
    {
      re += taps[i] * cos (2 * G_PI * freq_norm * i);
      im -= taps[i] * sin (2 * G_PI * freq_norm * i);
    }
  return hypot (re, im);
}

static gboolean
taps_are_halfband (const float *taps, guint n_taps, guint decim)
{
  if (decim != 2 || n_taps < 3 || n_taps % 4 != 3)
    return FALSE;
  guint c = n_taps / 2;
  if (taps[c] == 0.0f)
    return FALSE;
  for (guint d = 1; d <= c; d++)
    {
      if (taps[c - d] != taps[c + d])
        return FALSE;
      if (d % 2 == 0 && taps[c + d] != 0.0f)
        return FALSE;
    }
  return TRUE;
}

FerFir *
fer_fir_new (const float *taps, guint n_taps, guint decim)
{
  g_return_val_if_fail (taps != NULL && n_taps >= 1, NULL);
  g_return_val_if_fail (decim >= 1, NULL);

  FerFir *fir = g_new0 (FerFir, 1);
  fir->n_taps = n_taps;
  fir->decim = decim;
  fir->halfband = taps_are_halfband (taps, n_taps, decim);

  if (fir->halfband)
    {
      guint c = n_taps / 2;
      fir->n_sides = (n_taps + 1) / 4;
      fir->centre = taps[c];
      fir->n_sides_padded = (fir->n_sides + 3) / 4 * 4;
      fir->sides = g_new0 (float, fir->n_sides_padded);
      fir->side_a = g_new0 (guint, fir->n_sides_padded);
      fir->side_b = g_new0 (guint, fir->n_sides_padded);
      for (guint i = 0; i < fir->n_sides; i++)
        {
          fir->sides[i] = taps[c + 2 * i + 1];
          fir->side_a[i] = 2 * (fir->n_sides - 1 - i);
          fir->side_b[i] = 2 * (fir->n_sides + i);
        }
      gsize cap = (n_taps + FIR_CHUNK) / 2 + 2;
      fir->even = g_new0 (float complex, cap);
      fir->odd = g_new0 (float complex, cap);
    }
  else
    {
      fir->n_padded = (n_taps + FIR_TAP_ALIGN - 1) / FIR_TAP_ALIGN * FIR_TAP_ALIGN;
      fir->taps2 = g_new0 (float, 2 * fir->n_padded);
      fer_fir_set_taps (fir, taps);
      fir->buf = g_new0 (float complex, fir->n_padded + decim + FIR_CHUNK);
    }
  fer_fir_reset (fir);
  return fir;
}

void
fer_fir_set_taps (FerFir *fir, const float *taps)
{
  g_return_if_fail (fir != NULL && taps != NULL && !fir->halfband);
  guint n_taps = fir->n_taps, pad = fir->n_padded - n_taps;
  /* Reversed, so output m is a plain dot product with buf[m decim ...]. */
  for (guint k = 0; k < n_taps; k++)
    {
      fir->taps2[2 * (pad + k)] = taps[n_taps - 1 - k];
      fir->taps2[2 * (pad + k) + 1] = taps[n_taps - 1 - k];
    }
}

void
fer_fir_free (FerFir *fir)
{
  if (fir == NULL)
    return;
  g_free (fir->taps2);
  g_free (fir->buf);
  g_free (fir->sides);
  g_free (fir->side_a);
  g_free (fir->side_b);
  g_free (fir->even);
  g_free (fir->odd);
  g_free (fir);
}

void
fer_fir_reset (FerFir *fir)
{
  g_return_if_fail (fir != NULL);
  /* The history is zeros: the first output sees only x[0]. */
  if (fir->halfband)
    {
      fir->n_have = fir->n_taps - 1;
      memset (fir->even, 0, sizeof (float complex) * (fir->n_have + 1) / 2);
      memset (fir->odd, 0, sizeof (float complex) * fir->n_have / 2);
    }
  else
    {
      fir->n_have = fir->n_padded - 1;
      memset (fir->buf, 0, sizeof (float complex) * fir->n_have);
    }
}

guint
fer_fir_get_decim (FerFir *fir)
{
  return fir->decim;
}

guint
fer_fir_get_n_taps (FerFir *fir)
{
  return fir->n_taps;
}

gboolean
fer_fir_is_halfband (FerFir *fir)
{
  return fir->halfband;
}

gsize
fer_fir_max_out (FerFir *fir, gsize n_in)
{
  return n_in / fir->decim + 1;
}

/* The general path: every kept output is a dot product of 2 n_padded floats.
 * Eight independent partial sums let the compiler use vector registers
 * without reassociating a single sum. */
FER_HOT static void
dot_decimate (const float *restrict taps2, gsize n_floats, const float complex *restrict buf,
              guint decim, gsize n_out, float complex *restrict out)
{
  for (gsize m = 0; m < n_out; m++)
    {
      const float *restrict x = (const float *) (buf + m * decim);
      float acc[8] = { 0 };
      for (gsize k = 0; k < n_floats; k += 8)
        for (gsize l = 0; l < 8; l++)
          acc[l] += taps2[k + l] * x[k + l];
      out[m] = CMPLXF ((acc[0] + acc[4]) + (acc[2] + acc[6]),
                       (acc[1] + acc[5]) + (acc[3] + acc[7]));
    }
}

static gsize
process_general (FerFir *fir, const float complex *in, gsize n_in, float complex *out)
{
  gsize n_out_total = 0;
  guint np = fir->n_padded, d = fir->decim;
  while (n_in > 0)
    {
      gsize take = MIN (n_in, (gsize) FIR_CHUNK);
      memcpy (fir->buf + fir->n_have, in, take * sizeof (float complex));
      fir->n_have += take;
      in += take;
      n_in -= take;

      if (fir->n_have < np)
        continue;
      gsize n_out = (fir->n_have - np) / d + 1;
      dot_decimate (fir->taps2, 2 * np, fir->buf, d, n_out, out + n_out_total);
      n_out_total += n_out;
      gsize used = n_out * d;
      fir->n_have -= used;
      memmove (fir->buf, fir->buf + used, fir->n_have * sizeof (float complex));
    }
  return n_out_total;
}

/* Appends @n samples to the parity-split window. */
FER_HOT static void
split_append (FerFir *fir, const float complex *restrict in, gsize n)
{
  gsize pos = fir->n_have, i = 0;
  if (n > 0 && (pos & 1))
    {
      fir->odd[pos / 2] = in[0];
      i = 1;
      pos++;
    }
  /* As floats: copying float complex elements one by one does not vectorise. */
  float *restrict e = (float *) (fir->even + pos / 2);
  float *restrict o = (float *) (fir->odd + pos / 2);
  gsize n_pairs = (n - i) / 2;
  const float *restrict src = (const float *) (in + i);
  for (gsize j = 0; j < n_pairs; j++)
    {
      e[2 * j] = src[4 * j];
      e[2 * j + 1] = src[4 * j + 1];
      o[2 * j] = src[4 * j + 2];
      o[2 * j + 1] = src[4 * j + 3];
    }
  i += 2 * n_pairs;
  pos += 2 * n_pairs;
  if (i < n)
    {
      fir->even[pos / 2] = in[i];
      pos++;
    }
  fir->n_have = pos;
}

/* Half-band decimation by 2 on the split window (K = n_sides):
 *   y[m] = centre odd[m + K - 1] + sum_i g_i (even[m + K - 1 - i] + even[m + K + i])
 * computed as passes over float pairs, each adding four tap pairs (padded
 * with zero taps) to the outputs: plain array loops that vectorise. */
FER_HOT static void
halfband_outputs (const FerFir *fir, gsize n_out, float complex *out)
{
  const gsize n_f = 2 * n_out;
  const float *ev = (const float *) fir->even;
  float *restrict y = (float *) out;
  for (gsize i = 0; i < fir->n_sides_padded; i += 4)
    {
      const float g0 = fir->sides[i], g1 = fir->sides[i + 1];
      const float g2 = fir->sides[i + 2], g3 = fir->sides[i + 3];
      const float *restrict a0 = ev + fir->side_a[i], *restrict b0 = ev + fir->side_b[i];
      const float *restrict a1 = ev + fir->side_a[i + 1], *restrict b1 = ev + fir->side_b[i + 1];
      const float *restrict a2 = ev + fir->side_a[i + 2], *restrict b2 = ev + fir->side_b[i + 2];
      const float *restrict a3 = ev + fir->side_a[i + 3], *restrict b3 = ev + fir->side_b[i + 3];
      if (i == 0)
        {
          const float c = fir->centre;
          const float *restrict c0 = (const float *) (fir->odd + fir->n_sides - 1);
          for (gsize t = 0; t < n_f; t++)
            y[t] = c * c0[t] + ((g0 * (a0[t] + b0[t]) + g1 * (a1[t] + b1[t]))
                                + (g2 * (a2[t] + b2[t]) + g3 * (a3[t] + b3[t])));
        }
      else
        for (gsize t = 0; t < n_f; t++)
          y[t] += (g0 * (a0[t] + b0[t]) + g1 * (a1[t] + b1[t]))
                  + (g2 * (a2[t] + b2[t]) + g3 * (a3[t] + b3[t]));
    }
}

static gsize
process_halfband (FerFir *fir, const float complex *in, gsize n_in, float complex *out)
{
  gsize n_out_total = 0;
  while (n_in > 0)
    {
      gsize take = MIN (n_in, (gsize) FIR_CHUNK);
      split_append (fir, in, take);
      in += take;
      n_in -= take;

      if (fir->n_have < fir->n_taps)
        continue;
      gsize n_out = (fir->n_have - fir->n_taps) / 2 + 1;
      halfband_outputs (fir, n_out, out + n_out_total);
      n_out_total += n_out;
      fir->n_have -= 2 * n_out;
      memmove (fir->even, fir->even + n_out, (fir->n_have + 1) / 2 * sizeof (float complex));
      memmove (fir->odd, fir->odd + n_out, fir->n_have / 2 * sizeof (float complex));
    }
  return n_out_total;
}

gsize
fer_fir_process (FerFir *fir, const float complex *in, gsize n_in, float complex *out)
{
  g_return_val_if_fail (fir != NULL, 0);
  if (fir->halfband)
    return process_halfband (fir, in, n_in, out);
  return process_general (fir, in, n_in, out);
}
