#define G_LOG_DOMAIN "fer-dsp"

#include "iir.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#define MAX_SECTIONS (FER_IIR_MAX_ORDER / 2)
#define MAX_CHANNELS 2

/* y = b0 x + s1; s1 = b1 x - a1 y + s2; s2 = b2 x - a2 y (transposed direct form II). */
typedef struct {
  double b0, b1, b2, a1, a2;
} Section;

struct _FerIir {
  double rate_hz;
  guint n_channels;
  guint n_sections;
  Section sec[MAX_SECTIONS];
  double gain;
  double state[MAX_CHANNELS][MAX_SECTIONS][2];
};

FerIir *
fer_iir_new (double rate_hz, guint n_channels)
{
  g_return_val_if_fail (rate_hz > 0, NULL);
  g_return_val_if_fail (n_channels >= 1 && n_channels <= MAX_CHANNELS, NULL);
  FerIir *iir = g_new0 (FerIir, 1);
  iir->rate_hz = rate_hz;
  iir->n_channels = n_channels;
  iir->gain = 1.0;
  return iir;
}

void
fer_iir_free (FerIir *iir)
{
  g_free (iir);
}

void
fer_iir_reset (FerIir *iir)
{
  g_return_if_fail (iir != NULL);
  memset (iir->state, 0, sizeof iir->state);
}

gboolean
fer_iir_is_active (FerIir *iir)
{
  return iir->n_sections > 0;
}

/* One analogue second-order section n(s) / d(s) through s = K (1 - 1/z) / (1 + 1/z). */
static Section
bilinear (const double n[3], const double d[3], double k)
{
  double k2 = k * k;
  double a0 = d[2] * k2 + d[1] * k + d[0];
  Section s;
  s.b0 = (n[2] * k2 + n[1] * k + n[0]) / a0;
  s.b1 = (-2 * n[2] * k2 + 2 * n[0]) / a0;
  s.b2 = (n[2] * k2 - n[1] * k + n[0]) / a0;
  s.a1 = (-2 * d[2] * k2 + 2 * d[0]) / a0;
  s.a2 = (d[2] * k2 - d[1] * k + d[0]) / a0;
  return s;
}

void
fer_iir_design (FerIir *iir, FerIirKind kind, double corner_hz, guint order, double ripple_db)
{
  g_return_if_fail (iir != NULL);
  g_return_if_fail (order >= 2 && order <= FER_IIR_MAX_ORDER && order % 2 == 0);
  g_return_if_fail (ripple_db >= 0);

  guint old_sections = iir->n_sections;
  iir->gain = 1.0;
  if (!(corner_hz > 0 && corner_hz < iir->rate_hz * 0.49))
    {
      iir->n_sections = 0;
      return;
    }
  double k = 2 * iir->rate_hz;
  double wc = k * tan (G_PI * corner_hz / iir->rate_hz);   /* pre-warped */
  double eps = sqrt (pow (10.0, ripple_db / 10.0) - 1.0);
  double v = ripple_db > 0 ? asinh (1.0 / eps) / order : 0;

  iir->n_sections = order / 2;
  for (guint i = 0; i < order / 2; i++)
    {
      /* Prototype pole in the upper left quarter, corner 1 rad/s. */
      double theta = G_PI * (2 * i + 1) / (2.0 * order);
      double complex p = ripple_db > 0
                           ? -sinh (v) * sin (theta) + I * cosh (v) * cos (theta)
                           : -sin (theta) + I * cos (theta);
      double n[3], d[3];
      if (kind == FER_IIR_LOWPASS)
        {
          double complex q = wc * p;
          double m2 = creal (q * conj (q));
          n[0] = m2; n[1] = 0; n[2] = 0;
          d[0] = m2; d[1] = -2 * creal (q); d[2] = 1;
        }
      else
        {
          double complex q = wc / p;
          double m2 = creal (q * conj (q));
          n[0] = 0; n[1] = 0; n[2] = 1;
          d[0] = m2; d[1] = -2 * creal (q); d[2] = 1;
        }
      iir->sec[i] = bilinear (n, d, k);
    }
  /* Sections of unit gain put the ripple's bottom at 0 dB: centre it instead. */
  if (ripple_db > 0)
    iir->gain = pow (1.0 + eps * eps, -0.25);
  if (old_sections != iir->n_sections)
    fer_iir_reset (iir);
}

void
fer_iir_process (FerIir *iir, float *io, gsize n_frames)
{
  g_return_if_fail (iir != NULL);
  if (iir->n_sections == 0)
    return;
  const guint nc = iir->n_channels, ns = iir->n_sections;
  for (guint c = 0; c < nc; c++)
    {
      double s[MAX_SECTIONS][2];
      memcpy (s, iir->state[c], sizeof s);
      for (gsize i = 0; i < n_frames; i++)
        {
          double x = io[i * nc + c] * iir->gain;
          for (guint j = 0; j < ns; j++)
            {
              const Section *q = &iir->sec[j];
              double y = q->b0 * x + s[j][0];
              s[j][0] = q->b1 * x - q->a1 * y + s[j][1];
              s[j][1] = q->b2 * x - q->a2 * y;
              x = y;
            }
          io[i * nc + c] = (float) x;
        }
      memcpy (iir->state[c], s, sizeof s);
    }
}

double
fer_iir_response (FerIir *iir, double freq_hz)
{
  double complex z1 = cexp (-I * 2 * G_PI * freq_hz / iir->rate_hz);
  double complex h = iir->gain;
  for (guint j = 0; j < iir->n_sections; j++)
    {
      const Section *q = &iir->sec[j];
      h *= (q->b0 + q->b1 * z1 + q->b2 * z1 * z1) / (1 + q->a1 * z1 + q->a2 * z1 * z1);
    }
  return cabs (h);
}
