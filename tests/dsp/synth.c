#include "synth.h"

#include <math.h>

void
synth_add_term (SynthSignal *s, double amplitude, double freq_hz, double phase)
{
  g_assert_cmpuint (s->n, <, SYNTH_MAX_TERMS);
  s->t[s->n++] = (SynthTerm) { amplitude, freq_hz, phase };
}

void
synth_stereo_mpx (SynthSignal *mpx, const SynthSignal *left, const SynthSignal *right,
                  double pilot)
{
  const double fp = 19000, sub = 2 * fp;
  mpx->n = 0;
  for (int side = 0; side < 2; side++)
    {
      const SynthSignal *a = side == 0 ? left : right;
      double sign = side == 0 ? 1 : -1;
      for (guint i = 0; i < a->n; i++)
        {
          const SynthTerm *t = &a->t[i];
          synth_add_term (mpx, t->amplitude / 2, t->freq_hz, t->phase);
          if (pilot == 0)
            continue;
          /* (s/2) a sin (wt + p) sin (w_sub t)
           *   = (s a / 4) [sin ((w_sub - w) t - p + pi/2) - sin ((w_sub + w) t + p + pi/2)] */
          double c = sign * t->amplitude / 4;
          synth_add_term (mpx, c, sub - t->freq_hz, -t->phase + G_PI_2);
          synth_add_term (mpx, -c, sub + t->freq_hz, t->phase + G_PI_2);
        }
    }
  if (pilot != 0)
    synth_add_term (mpx, pilot, fp, 0);
}

void
synth_preemphasise (SynthSignal *s, double tau_s)
{
  for (guint i = 0; i < s->n; i++)
    {
      double wt = 2 * G_PI * s->t[i].freq_hz * tau_s;
      s->t[i].amplitude *= hypot (1, wt);
      s->t[i].phase += atan (wt);
    }
}

double
synth_value (const SynthSignal *s, double t)
{
  double v = 0;
  for (guint i = 0; i < s->n; i++)
    v += s->t[i].amplitude * sin (2 * G_PI * s->t[i].freq_hz * t + s->t[i].phase);
  return v;
}

void
synth_add_fm (double complex *x, gsize n, double rate_hz, double offset_hz, double amplitude,
              double deviation_hz, const SynthSignal *mod)
{
  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate_hz;
      double ph = 2 * G_PI * offset_hz * t;
      /* The integral of 2 pi dev a sin (w t + p) is -dev a / f cos (w t + p). */
      if (mod)
        for (guint k = 0; k < mod->n; k++)
          {
            const SynthTerm *m = &mod->t[k];
            ph -= m->amplitude * deviation_hz / m->freq_hz
                  * cos (2 * G_PI * m->freq_hz * t + m->phase);
          }
      x[i] += amplitude * cexp (I * ph);
    }
}

void
synth_add_am (double complex *x, gsize n, double rate_hz, double offset_hz, double carrier,
              const SynthSignal *mod, double (*carrier_gain) (double t))
{
  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate_hz;
      double env = carrier * (carrier_gain ? carrier_gain (t) : 1.0);
      if (mod)
        env += synth_value (mod, t);
      x[i] += env * cexp (I * 2 * G_PI * offset_hz * t);
    }
}

void
synth_add_ssb (double complex *x, gsize n, double rate_hz, double offset_hz,
               const SynthSignal *audio, gboolean upper)
{
  double sign = upper ? 1 : -1;
  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate_hz;
      double complex v = 0;
      for (guint k = 0; k < audio->n; k++)
        {
          const SynthTerm *m = &audio->t[k];
          v += m->amplitude * cexp (I * sign * (2 * G_PI * m->freq_hz * t + m->phase));
        }
      x[i] += v * cexp (I * 2 * G_PI * offset_hz * t);
    }
}

void
synth_add_noise (double complex *x, gsize n, double power, guint32 seed)
{
  GRand *r = g_rand_new_with_seed (seed);
  double sigma = sqrt (power / 2);
  for (gsize i = 0; i < n; i += 2)
    {
      /* Box-Muller: four Gaussians from two pairs of uniforms. */
      for (int k = 0; k < 2 && i + k < n; k++)
        {
          double u1 = g_rand_double (r), u2 = g_rand_double (r);
          double m = sqrt (-2 * log (MAX (u1, 1e-300)));
          x[i + k] += sigma * m * (cos (2 * G_PI * u2) + I * sin (2 * G_PI * u2));
        }
    }
  g_rand_free (r);
}

float complex *
synth_to_float (const double complex *x, gsize n)
{
  float complex *y = g_new (float complex, n);
  for (gsize i = 0; i < n; i++)
    y[i] = (float complex) x[i];
  return y;
}

double
synth_component (const float *x, gsize n, gsize stride, double rate_hz, double freq_hz)
{
  double cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
  for (gsize i = 0; i < n; i++)
    {
      double w = 2 * G_PI * freq_hz * (double) i / rate_hz;
      double c = cos (w), s = sin (w);
      cc += c * c;
      ss += s * s;
      cs += c * s;
      xc += x[i * stride] * c;
      xs += x[i * stride] * s;
    }
  double det = cc * ss - cs * cs;
  double a = (xc * ss - xs * cs) / det, b = (xs * cc - xc * cs) / det;
  return hypot (a, b);
}

float *
synth_channel (const float *frames, gsize n, guint nc, guint c)
{
  float *y = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    y[i] = frames[i * nc + c];
  return y;
}
