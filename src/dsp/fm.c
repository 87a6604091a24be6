#define G_LOG_DOMAIN "fer-dsp"

#include "fm.h"
#include "simd.h"

#include <float.h>
#include <math.h>
#include <string.h>

struct _FerFmDemod {
  float scale;            /* radians per sample -> deviation units */
  float complex last;     /* previous input sample */
};

/* atan (t) = t P (t^2) on [0, 1]: a near-minimax fit, error below 1.8e-6 rad. */
#define ATAN_C0 9.999772188e-01f
#define ATAN_C1 -3.326228221e-01f
#define ATAN_C2 1.935403388e-01f
#define ATAN_C3 -1.164263855e-01f
#define ATAN_C4 5.264724349e-02f
#define ATAN_C5 -1.171909223e-02f

/* Branch-free (selects only) so the discriminator loop vectorises. */
static inline float
atan2_poly (float y, float x)
{
  float ax = fabsf (x), ay = fabsf (y);
  float mx = ax > ay ? ax : ay;
  float mn = ax > ay ? ay : ax;
  float t = mn / (mx > FLT_MIN ? mx : FLT_MIN);
  float u = t * t;
  float p = ((((ATAN_C5 * u + ATAN_C4) * u + ATAN_C3) * u + ATAN_C2) * u + ATAN_C1) * u + ATAN_C0;
  float a = t * p;
  a = ay > ax ? (float) G_PI_2 - a : a;
  a = x < 0 ? (float) G_PI - a : a;
  return copysignf (a, y);
}

float
fer_fast_atan2f (float y, float x)
{
  return atan2_poly (y, x);
}

FerFmDemod *
fer_fm_demod_new (double rate_hz, double deviation_hz)
{
  g_return_val_if_fail (rate_hz > 0 && deviation_hz > 0, NULL);
  FerFmDemod *demod = g_new0 (FerFmDemod, 1);
  demod->scale = (float) (rate_hz / (2 * G_PI * deviation_hz));
  fer_fm_demod_reset (demod);
  return demod;
}

void
fer_fm_demod_free (FerFmDemod *demod)
{
  g_free (demod);
}

void
fer_fm_demod_reset (FerFmDemod *demod)
{
  demod->last = 0;
}

static inline float
discriminate (float complex cur, float complex prev, float scale)
{
  float re = crealf (cur) * crealf (prev) + cimagf (cur) * cimagf (prev);
  float im = cimagf (cur) * crealf (prev) - crealf (cur) * cimagf (prev);
  return scale * atan2_poly (im, re);
}

FER_HOT static void
discriminate_block (const float complex *restrict x, gsize n, float scale, float *restrict y)
{
  for (gsize i = 1; i < n; i++)
    y[i] = discriminate (x[i], x[i - 1], scale);
}

gsize
fer_fm_demod_process (FerFmDemod *demod, const float complex *in, gsize n, float *out)
{
  g_return_val_if_fail (demod != NULL, 0);
  if (n == 0)
    return 0;
  out[0] = discriminate (in[0], demod->last, demod->scale);
  discriminate_block (in, n, demod->scale, out);
  demod->last = in[n - 1];
  return n;
}

/* The one-pole recursion y[n] = b0 (x[n] + x[n-1]) + p y[n-1] is one long
 * dependency chain (a multiply and an add per sample). Unrolled four steps,
 *   y[n] = w[n] + p^4 y[n-4],
 *   w[n] = b0 (x[n] + (1 + p) x[n-1] + (p + p^2) x[n-2] + (p^2 + p^3) x[n-3] + p^3 x[n-4]),
 * the FIR part vectorises and the recursion runs as four independent chains. */
#define DEEMPH_CHUNK 1024

struct _FerDeemph {
  double rate_hz;
  double tau_s;
  float w[5];              /* the FIR part, taps on x[n], x[n-1], ... x[n-4] */
  float p4;                /* p^4 */
  float x_hist[4];         /* x[n-4] .. x[n-1] */
  float y_hist[4];         /* y[n-4] .. y[n-1] */
  float buf[4 + DEEMPH_CHUNK];  /* x history followed by the chunk */
};

/* The bilinear transform of 1 / (1 + s tau), with the corner frequency
 * pre-warped so it lands exactly; at 200 kHz and above the response then
 * stays within 0.2 dB of the analogue one up to 15 kHz. */
static void
deemph_design (FerDeemph *d)
{
  double b0 = 1, p = 0;
  if (d->tau_s > 0)
    {
      double fs2 = 2 * d->rate_hz;
      double wa = fs2 * tan (1.0 / (d->tau_s * fs2));
      b0 = wa / (fs2 + wa);
      p = (fs2 - wa) / (fs2 + wa);
    }
  d->w[0] = (float) b0;
  d->w[1] = (float) (b0 * (1 + p));
  d->w[2] = (float) (b0 * (p + p * p));
  d->w[3] = (float) (b0 * (p * p + p * p * p));
  d->w[4] = (float) (b0 * p * p * p);
  d->p4 = (float) (p * p * p * p);
}

FerDeemph *
fer_deemph_new (double rate_hz, double tau_s)
{
  g_return_val_if_fail (rate_hz > 0 && tau_s >= 0, NULL);
  FerDeemph *d = g_new0 (FerDeemph, 1);
  d->rate_hz = rate_hz;
  d->tau_s = tau_s;
  deemph_design (d);
  return d;
}

void
fer_deemph_free (FerDeemph *deemph)
{
  g_free (deemph);
}

void
fer_deemph_set_tau (FerDeemph *deemph, double tau_s)
{
  g_return_if_fail (deemph != NULL && tau_s >= 0);
  deemph->tau_s = tau_s;
  deemph_design (deemph);
}

double
fer_deemph_get_tau (FerDeemph *deemph)
{
  return deemph->tau_s;
}

void
fer_deemph_reset (FerDeemph *deemph)
{
  memset (deemph->x_hist, 0, sizeof deemph->x_hist);
  memset (deemph->y_hist, 0, sizeof deemph->y_hist);
}

FER_HOT static void
deemph_chunk (FerDeemph *d, const float *in, gsize n, float *out)
{
  float *restrict xb = d->buf;
  memcpy (xb, d->x_hist, sizeof d->x_hist);
  memcpy (xb + 4, in, n * sizeof (float));
  memcpy (d->x_hist, xb + n, sizeof d->x_hist);   /* the last four inputs */

  const float w0 = d->w[0], w1 = d->w[1], w2 = d->w[2], w3 = d->w[3], w4 = d->w[4];
  float *restrict y = out;
  for (gsize i = 0; i < n; i++)
    y[i] = ((w0 * xb[i + 4] + w1 * xb[i + 3]) + (w2 * xb[i + 2] + w3 * xb[i + 1])) + w4 * xb[i];

  const float p4 = d->p4;
  gsize head = MIN (n, (gsize) 4);
  for (gsize i = 0; i < head; i++)
    y[i] += p4 * d->y_hist[i];
  /* Dependence distance 4: vectorises four lanes wide. */
  for (gsize i = 4; i < n; i++)
    y[i] += p4 * y[i - 4];

  /* The last four outputs (fewer than four new ones shift the old along). */
  float last[8];
  memcpy (last, d->y_hist, sizeof d->y_hist);
  memcpy (last + 4, y + n - head, head * sizeof (float));
  memcpy (d->y_hist, last + head, sizeof d->y_hist);
}

void
fer_deemph_process (FerDeemph *deemph, const float *in, gsize n, float *out)
{
  g_return_if_fail (deemph != NULL);
  if (deemph->tau_s <= 0)
    {
      if (in != out)
        memmove (out, in, n * sizeof (float));
      return;
    }
  while (n > 0)
    {
      gsize take = MIN (n, (gsize) DEEMPH_CHUNK);
      deemph_chunk (deemph, in, take, out);
      in += take;
      out += take;
      n -= take;
    }
}
