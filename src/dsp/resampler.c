#define G_LOG_DOMAIN "fer-dsp"

#include "resampler.h"
#include "simd.h"

#include <math.h>
#include <string.h>

#include "fir.h"

#define RS_MAX_L 1024          /* largest rational interpolation factor */
#define RS_FRAC_PHASES 128     /* phases of the fractional path (a power of two) */
#define RS_FRAC_SHIFT 25       /* 32 - log2 (RS_FRAC_PHASES) */
#define RS_CHUNK 2048          /* input samples per internal pass */
#define RS_TAP_ALIGN 8         /* taps per phase padded to this (zeros in front) */

struct _FerResampler {
  gboolean rational;
  guint l, m;                  /* rational: out / in = l / m */
  guint n_phases;              /* l, or RS_FRAC_PHASES */
  guint n_per_phase;           /* taps per phase, padded to RS_TAP_ALIGN */
  float *phases;               /* owned; n_phases x n_per_phase, each reversed */

  /* Time of the next output: input index `pos` (into buf) plus `frac`, in
   * units of 1/l (rational) or 2^-32 (fractional) of an input sample. */
  guint64 step_int, step_frac;
  guint64 pos, frac;

  float *buf;                  /* owned; history then the chunk */
  gsize n_have;
};

/* Best ratio p/q for @x with p <= max_p, by continued fractions; TRUE if it
 * matches to 1e-10. */
static gboolean
rational_approx (double x, guint max_p, guint *p_out, guint *q_out)
{
  double h0 = 0, h1 = 1, k0 = 1, k1 = 0, r = x;
  for (int i = 0; i < 40; i++)
    {
      double a = floor (r);
      double h2 = a * h1 + h0, k2 = a * k1 + k0;
      if (h2 > max_p || k2 > 1e9)
        break;
      h0 = h1;
      h1 = h2;
      k0 = k1;
      k1 = k2;
      if (fabs (h1 / k1 - x) <= 1e-10 * x)
        {
          *p_out = (guint) h1;
          *q_out = (guint) k1;
          return TRUE;
        }
      if (r - a < 1e-12)
        break;
      r = 1.0 / (r - a);
    }
  return FALSE;
}

FerResampler *
fer_resampler_new (double in_rate_hz, double out_rate_hz, double pass_hz, double stop_hz,
                   double atten_db)
{
  g_return_val_if_fail (in_rate_hz > 0 && out_rate_hz > 0, NULL);
  g_return_val_if_fail (pass_hz > 0 && stop_hz > pass_hz, NULL);
  g_return_val_if_fail (stop_hz <= MAX (in_rate_hz, out_rate_hz), NULL);

  FerResampler *rs = g_new0 (FerResampler, 1);
  guint l, m;
  rs->rational = rational_approx (out_rate_hz / in_rate_hz, RS_MAX_L, &l, &m);
  if (rs->rational)
    {
      rs->l = l;
      rs->m = m;
      rs->n_phases = l;
      rs->step_int = m / l;
      rs->step_frac = m % l;
    }
  else
    {
      rs->n_phases = RS_FRAC_PHASES;
      double step = in_rate_hz / out_rate_hz;
      rs->step_int = (guint64) floor (step);
      rs->step_frac = (guint64) llround ((step - floor (step)) * 4294967296.0);
      if (rs->step_frac >= G_GUINT64_CONSTANT (1) << 32)
        {
          rs->step_int++;
          rs->step_frac = 0;
        }
    }

  /* Prototype low-pass at in_rate * n_phases. */
  guint p = rs->n_phases;
  double proto_rate = in_rate_hz * p;
  guint n_taps = fer_kaiser_n_taps ((stop_hz - pass_hz) / proto_rate, atten_db);
  guint per_phase = (n_taps + p - 1) / p;
  n_taps = per_phase * p;
  float *h = fer_fir_design_lowpass (n_taps, (pass_hz + stop_hz) / 2 / proto_rate, atten_db, p);

  /* Phase q at input time n: sum_j h[q + j p] x[n - j]; stored reversed with
   * zeros in front so it is a dot product with the window ending at x[n]. */
  rs->n_per_phase = (per_phase + RS_TAP_ALIGN - 1) / RS_TAP_ALIGN * RS_TAP_ALIGN;
  guint np = rs->n_per_phase;
  rs->phases = g_new0 (float, (gsize) p * np);
  for (guint q = 0; q < p; q++)
    for (guint j = 0; j < per_phase; j++)
      rs->phases[(gsize) q * np + (np - 1 - j)] = h[q + j * p];
  g_free (h);

  rs->buf = g_new0 (float, np + RS_CHUNK + rs->step_int + 4);
  fer_resampler_reset (rs);
  return rs;
}

void
fer_resampler_free (FerResampler *rs)
{
  if (rs == NULL)
    return;
  g_free (rs->phases);
  g_free (rs->buf);
  g_free (rs);
}

void
fer_resampler_reset (FerResampler *rs)
{
  g_return_if_fail (rs != NULL);
  /* Zero history; the first output is taken at the first input sample. */
  rs->n_have = rs->n_per_phase - 1;
  memset (rs->buf, 0, rs->n_have * sizeof (float));
  rs->pos = rs->n_have;
  rs->frac = 0;
}

gsize
fer_resampler_max_out (FerResampler *rs, gsize n_in)
{
  double ratio = rs->rational ? (double) rs->l / rs->m
                              : 1.0 / (rs->step_int + rs->step_frac / 4294967296.0);
  return (gsize) ceil (n_in * ratio) + 2;
}

gboolean
fer_resampler_is_rational (FerResampler *rs, guint *l, guint *m)
{
  if (l)
    *l = rs->l;
  if (m)
    *m = rs->m;
  return rs->rational;
}

guint
fer_resampler_get_taps_per_phase (FerResampler *rs)
{
  return rs->n_per_phase;
}

/* Eight partial sums: vectorises without reassociating one long sum. */
static inline float
dot (const float *restrict h, const float *restrict x, gsize n)
{
  float acc[8] = { 0 };
  for (gsize k = 0; k < n; k += 8)
    for (gsize l = 0; l < 8; l++)
      acc[l] += h[k + l] * x[k + l];
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

FER_HOT static gsize
run_rational (FerResampler *rs, float *out)
{
  const guint np = rs->n_per_phase, l = rs->l;
  gsize n_out = 0;
  guint64 pos = rs->pos, frac = rs->frac;
  while (pos < rs->n_have)
    {
      out[n_out++] = dot (rs->phases + frac * np, rs->buf + pos + 1 - np, np);
      pos += rs->step_int;
      frac += rs->step_frac;
      if (frac >= l)
        {
          frac -= l;
          pos++;
        }
    }
  rs->pos = pos;
  rs->frac = frac;
  return n_out;
}

FER_HOT static gsize
run_fractional (FerResampler *rs, float *out)
{
  const guint np = rs->n_per_phase;
  const guint32 low_mask = (1u << RS_FRAC_SHIFT) - 1;
  gsize n_out = 0;
  guint64 pos = rs->pos, frac = rs->frac;
  /* The next phase past the last one is phase 0 one sample later. */
  while (pos + 1 < rs->n_have)
    {
      guint q = (guint) (frac >> RS_FRAC_SHIFT);
      float a = (float) (frac & low_mask) * (1.0f / (float) (1u << RS_FRAC_SHIFT));
      const float *x = rs->buf + pos + 1 - np;
      float y0 = dot (rs->phases + (gsize) q * np, x, np);
      float y1 = q + 1 < RS_FRAC_PHASES ? dot (rs->phases + (gsize) (q + 1) * np, x, np)
                                        : dot (rs->phases, x + 1, np);
      out[n_out++] = y0 + a * (y1 - y0);
      pos += rs->step_int;
      frac += rs->step_frac;
      if (frac >> 32)
        {
          frac &= 0xffffffffu;
          pos++;
        }
    }
  rs->pos = pos;
  rs->frac = frac;
  return n_out;
}

gsize
fer_resampler_process (FerResampler *rs, const float *in, gsize n_in, float *out)
{
  g_return_val_if_fail (rs != NULL, 0);
  gsize n_out = 0;
  const gsize keep = rs->n_per_phase - 1;
  while (n_in > 0)
    {
      gsize take = MIN (n_in, (gsize) RS_CHUNK);
      memcpy (rs->buf + rs->n_have, in, take * sizeof (float));
      rs->n_have += take;
      in += take;
      n_in -= take;

      n_out += rs->rational ? run_rational (rs, out + n_out) : run_fractional (rs, out + n_out);

      /* Keep the window of the next output; if that lies past the data held
       * (a large step), drop everything and carry the rest of the skip in pos. */
      gsize drop = MIN (rs->pos - keep, rs->n_have);
      memmove (rs->buf, rs->buf + drop, (rs->n_have - drop) * sizeof (float));
      rs->n_have -= drop;
      rs->pos -= drop;
    }
  return n_out;
}
