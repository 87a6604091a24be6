#define G_LOG_DOMAIN "fer-dsp"

#include "nco.h"
#include "simd.h"

#include <math.h>

/* The current block's oscillator is stored as float pairs ready for the
 * mixing loop: cos twice, then (-sin, +sin), so that
 *   out = x * cos + swap (x) * (-sin, +sin)
 * is a multiply-add on whole vectors with one swap, where the compiler's own
 * complex product shuffles much more on SSE2. */
struct _FerNco {
  double freq;            /* cycles per sample */
  double phase0;          /* cycles in [0, 1): phase of table entry 0 of the current block */
  gboolean periodic;      /* freq * FER_NCO_TABLE_LEN is whole: the block phase never moves */
  guint pos;              /* next table entry to use */
  float *step_cos;        /* owned; cos (2 pi f k), k < FER_NCO_TABLE_LEN */
  float *step_sin;        /* owned; sin (2 pi f k) */
  float *osc_cos;         /* owned; 2 per entry: the current block, e^{j 2 pi (phase0 + f k)} */
  float *osc_sin;         /* owned; 2 per entry, signed as above */
};

static double
frac (double x)
{
  return x - floor (x);
}

/* osc = e^{j 2 pi phase0} step: one float product per entry, once per block,
 * with the block's phase itself computed in double (so nothing accumulates). */
FER_HOT static void
refresh_block (FerNco *nco)
{
  double s, c;
  sincos (2 * G_PI * nco->phase0, &s, &c);
  const float pr = (float) c, pi = (float) s;
  const float *restrict sc = nco->step_cos, *restrict ss = nco->step_sin;
  float *restrict oc = nco->osc_cos, *restrict os = nco->osc_sin;
  for (gsize k = 0; k < FER_NCO_TABLE_LEN; k++)
    {
      float re = pr * sc[k] - pi * ss[k];
      float im = pr * ss[k] + pi * sc[k];
      oc[2 * k] = re;
      oc[2 * k + 1] = re;
      os[2 * k] = -im;
      os[2 * k + 1] = im;
    }
}

static void
build_steps (FerNco *nco)
{
  double cycles = nco->freq * FER_NCO_TABLE_LEN;
  nco->periodic = fabs (cycles - round (cycles)) < 1e-9;
  if (nco->periodic)
    nco->freq = round (cycles) / FER_NCO_TABLE_LEN;
  for (guint k = 0; k < FER_NCO_TABLE_LEN; k++)
    {
      double s, c;
      /* Whole cycles off first: sincos is most exact near 0. */
      sincos (2 * G_PI * frac (nco->freq * k), &s, &c);
      nco->step_cos[k] = (float) c;
      nco->step_sin[k] = (float) s;
    }
}

FerNco *
fer_nco_new (double freq_norm)
{
  FerNco *nco = g_new0 (FerNco, 1);
  nco->step_cos = g_new (float, FER_NCO_TABLE_LEN);
  nco->step_sin = g_new (float, FER_NCO_TABLE_LEN);
  nco->osc_cos = g_new (float, 2 * FER_NCO_TABLE_LEN);
  nco->osc_sin = g_new (float, 2 * FER_NCO_TABLE_LEN);
  nco->freq = freq_norm;
  build_steps (nco);
  fer_nco_reset (nco);
  return nco;
}

void
fer_nco_free (FerNco *nco)
{
  if (nco == NULL)
    return;
  g_free (nco->step_cos);
  g_free (nco->step_sin);
  g_free (nco->osc_cos);
  g_free (nco->osc_sin);
  g_free (nco);
}

double
fer_nco_get_phase (FerNco *nco)
{
  return frac (nco->phase0 + nco->freq * nco->pos);
}

void
fer_nco_set_freq (FerNco *nco, double freq_norm)
{
  g_return_if_fail (nco != NULL);
  /* Start a new block at the next sample, with the phase that sample would have had. */
  nco->phase0 = fer_nco_get_phase (nco);
  nco->pos = 0;
  nco->freq = freq_norm;
  build_steps (nco);
  refresh_block (nco);
}

double
fer_nco_get_freq (FerNco *nco)
{
  return nco->freq;
}

void
fer_nco_reset (FerNco *nco)
{
  g_return_if_fail (nco != NULL);
  nco->phase0 = 0;
  nco->pos = 0;
  refresh_block (nco);
}

FER_HOT static void
mix_block (const float *restrict x, const float *restrict c, const float *restrict s, gsize n,
           float *restrict out)
{
  for (gsize k = 0; k < n; k++)
    {
      float re = x[2 * k], im = x[2 * k + 1];
      out[2 * k] = re * c[2 * k] + im * s[2 * k];
      out[2 * k + 1] = im * c[2 * k + 1] + re * s[2 * k + 1];
    }
}

FER_HOT static void
mix_block_inplace (float *restrict io, const float *restrict c, const float *restrict s, gsize n)
{
  for (gsize k = 0; k < n; k++)
    {
      float re = io[2 * k], im = io[2 * k + 1];
      io[2 * k] = re * c[2 * k] + im * s[2 * k];
      io[2 * k + 1] = im * c[2 * k + 1] + re * s[2 * k + 1];
    }
}

void
fer_nco_mix (FerNco *nco, const float complex *in, gsize n, float complex *out)
{
  g_return_if_fail (nco != NULL);
  while (n > 0)
    {
      if (nco->pos == FER_NCO_TABLE_LEN)
        {
          nco->pos = 0;
          /* A periodic table comes back to the same phase: nothing to do. */
          if (!nco->periodic)
            {
              nco->phase0 = frac (nco->phase0 + nco->freq * FER_NCO_TABLE_LEN);
              refresh_block (nco);
            }
        }
      gsize take = MIN (n, (gsize) (FER_NCO_TABLE_LEN - nco->pos));
      const float *c = nco->osc_cos + 2 * nco->pos, *s = nco->osc_sin + 2 * nco->pos;
      if (in == out)
        mix_block_inplace ((float *) out, c, s, take);
      else
        mix_block ((const float *) in, c, s, take, (float *) out);
      nco->pos += take;
      in += take;
      out += take;
      n -= take;
    }
}

double
fer_nco_quantize_freq (double freq_norm)
{
  return round (freq_norm * FER_NCO_TABLE_LEN) / FER_NCO_TABLE_LEN;
}
