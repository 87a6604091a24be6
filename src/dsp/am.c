#define G_LOG_DOMAIN "fer-dsp"

#include "am.h"

#include <math.h>

#include "fm.h"

#define DC_S 0.1               /* carrier average taken off the audio */
#define CARRIER_LPF_S 0.002    /* the phase detector's view of the carrier */
#define POWER_S 0.01
#define PLL_HZ 12.0            /* loop natural frequency */
#define PLL_DAMPING 1.0
#define FLL_GAIN 0.002         /* frequency pull per sample, fraction of the error */
#define LOCK_S 0.05
#define MAX_OFFSET_HZ 3000.0

struct _FerAmDemod {
  double rate_hz;
  FerAmDetector detector;
  float k_dc, k_carrier, k_power, k_lock;
  float kp, ki, kf;
  float max_dw;

  float dc;                 /* carrier average */
  gboolean primed;          /* dc holds a value (else the first sample sets it) */
  /* Synchronous only. */
  float complex osc;        /* e^{-j phase} */
  float dw;                 /* loop frequency, rad/sample */
  float complex zl;         /* low-passed, de-rotated signal (the carrier) */
  float complex prev;       /* previous de-rotated sample */
  float power;              /* smoothed |z|^2 */
  float lock;               /* smoothed cos of the phase error */
};

static float
coef (double tau_s, double rate_hz)
{
  return (float) (1.0 - exp (-1.0 / (tau_s * rate_hz)));
}

FerAmDemod *
fer_am_demod_new (double rate_hz, FerAmDetector detector)
{
  g_return_val_if_fail (rate_hz > 0, NULL);
  FerAmDemod *am = g_new0 (FerAmDemod, 1);
  am->rate_hz = rate_hz;
  am->detector = detector;
  am->k_dc = coef (DC_S, rate_hz);
  am->k_carrier = coef (CARRIER_LPF_S, rate_hz);
  am->k_power = coef (POWER_S, rate_hz);
  am->k_lock = coef (LOCK_S, rate_hz);
  double wn = 2 * G_PI * PLL_HZ / rate_hz;
  am->kp = (float) (2 * PLL_DAMPING * wn);
  am->ki = (float) (wn * wn);
  am->kf = (float) FLL_GAIN;
  am->max_dw = (float) (2 * G_PI * MAX_OFFSET_HZ / rate_hz);
  fer_am_demod_reset (am);
  return am;
}

void
fer_am_demod_free (FerAmDemod *am)
{
  g_free (am);
}

void
fer_am_demod_reset (FerAmDemod *am)
{
  g_return_if_fail (am != NULL);
  am->dc = 0;
  am->primed = FALSE;
  am->osc = 1;
  am->dw = 0;
  am->zl = 0;
  am->prev = 0;
  am->power = 0;
  am->lock = 0;
}

static void
envelope (FerAmDemod *am, const float complex *in, gsize n, float *out)
{
  const float k = am->k_dc;
  float dc = am->dc;
  /* Start from the first sample's level, not 0, so no DC step greets the AGC. */
  if (!am->primed && n > 0)
    {
      dc = cabsf (in[0]);
      am->primed = TRUE;
    }
  for (gsize i = 0; i < n; i++)
    {
      float re = crealf (in[i]), im = cimagf (in[i]);
      float a = sqrtf (re * re + im * im);
      dc += (a - dc) * k;
      out[i] = a - dc;
    }
  am->dc = dc;
}

/* The carrier loop. Synchronous AM looks at the signal itself; Costas at
 * its square, where a suppressed carrier's sidebands add up to a line at
 * twice the offset whatever the audio's sign: the phase error is half that
 * line's angle. */
static void
synchronous (FerAmDemod *am, const float complex *in, gsize n, float *out)
{
  const gboolean costas = am->detector == FER_AM_COSTAS;
  float complex osc = am->osc, zl = am->zl, prev = am->prev;
  float dw = am->dw, power = am->power, dc = am->dc, lock = am->lock;
  const float kc = am->k_carrier, kpw = am->k_power, kdc = am->k_dc, klk = am->k_lock;
  const float kp = am->kp, ki = am->ki, kf = am->kf, max_dw = am->max_dw;
  if (!am->primed && n > 0)
    {
      dc = costas ? 0 : cabsf (in[0]);
      am->primed = TRUE;
    }
  for (gsize i = 0; i < n; i++)
    {
      float complex z = in[i] * osc;
      float complex zd = costas ? z * z : z;
      zl += (zd - zl) * kc;
      power += (crealf (zd) * crealf (zd) + cimagf (zd) * cimagf (zd) - power) * kpw;

      /* Frequency: the turn from one sample to the next, weighted by power,
       * which the audio (a real envelope) does not bias. */
      float cross = cimagf (zd) * crealf (prev) - crealf (zd) * cimagf (prev);
      float fe = cross / (power + 1e-20f);
      prev = zd;
      /* Phase: the angle of the carrier, which lies on +real when locked. */
      float mag = sqrtf (crealf (zl) * crealf (zl) + cimagf (zl) * cimagf (zl)) + 1e-20f;
      float pe = fer_fast_atan2f (cimagf (zl), crealf (zl));
      lock += (crealf (zl) / mag - lock) * klk;
      if (costas)
        {
          pe *= 0.5f;
          fe *= 0.5f;
        }

      dw = CLAMP (dw + ki * pe + kf * fe, -max_dw, max_dw);
      float step = dw + kp * pe;
      /* Turn the oscillator back by step (small angle: series to 1e-9). */
      float s2 = step * step;
      float complex rot = (1.0f - s2 * (0.5f - s2 * (1.0f / 24.0f)))
                          - I * (step * (1.0f - s2 * (1.0f / 6.0f)));
      osc *= rot;
      /* Hold |osc| at 1 (one Newton step is plenty: the drift per sample is tiny). */
      float m2 = crealf (osc) * crealf (osc) + cimagf (osc) * cimagf (osc);
      osc *= 1.5f - 0.5f * m2;

      float a = crealf (z);
      dc += (a - dc) * kdc;
      out[i] = a - dc;
    }
  am->osc = osc;
  am->zl = zl;
  am->prev = prev;
  am->dw = dw;
  am->power = power;
  am->dc = dc;
  am->lock = lock;
}

void
fer_am_demod_process (FerAmDemod *am, const float complex *in, gsize n, float *out)
{
  g_return_if_fail (am != NULL);
  if (am->detector != FER_AM_ENVELOPE)
    synchronous (am, in, n, out);
  else
    envelope (am, in, n, out);
}

gboolean
fer_am_demod_is_locked (FerAmDemod *am)
{
  return am->detector != FER_AM_ENVELOPE && am->lock > 0.9f;
}

double
fer_am_demod_get_carrier_offset (FerAmDemod *am)
{
  return am->dw * am->rate_hz / (2 * G_PI);
}
