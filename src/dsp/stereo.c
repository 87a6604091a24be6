#define G_LOG_DOMAIN "fer-dsp"

#include "stereo.h"

#include <math.h>
#include <string.h>

#define PILOT_HZ 19000.0
#define BLOCK 128              /* samples per loop update */
#define N_WIN_BLOCKS 4         /* the detector's window spans this many blocks */
#define WIN_LEN (BLOCK * N_WIN_BLOCKS)
#define LOOP_HZ 10.0           /* natural frequency of the loop */
#define LOOP_DAMPING 0.707
#define METER_S 0.05           /* smoothing of the pilot measurements */
/* Blend: mono below SNR_MONO_DB, full stereo above SNR_STEREO_DB, linear in
 * dB between; the blend moves at most full scale in BLEND_SLEW_S. */
#define SNR_MONO_DB 22.0
#define SNR_STEREO_DB 38.0
#define LOCK_SNR_DB 12.0
#define BLEND_SLEW_S 0.3

struct _FerStereo {
  double rate_hz;
  double w0;                 /* nominal pilot frequency, rad/sample */
  double kp, ki;             /* loop gains per block */
  double meter_alpha;
  float blend_step;          /* largest blend change per block */
  float sub_gain;            /* makes up the discriminator's droop at 38 kHz */

  float step_c[BLOCK], step_s[BLOCK];  /* cos, sin (w0 k) */
  float window[WIN_LEN];     /* Blackman-Harris, sums to 1 */

  /* Loop state. */
  double theta;              /* phase at the start of the current block, rad */
  double dw;                 /* frequency correction, rad/sample */
  guint pos;                 /* samples of the current block done */
  guint slot;                /* ring slot of the current block */
  float osc_c[BLOCK], osc_s[BLOCK], sub[BLOCK];  /* this block: cos, sin, 2 sin (2 theta) */
  float prod_i[N_WIN_BLOCKS][BLOCK];   /* mpx cos, per block (ring) */
  float prod_q[N_WIN_BLOCKS][BLOCK];   /* mpx sin */

  /* Measurements and blend. */
  double q_avg;              /* in-phase pilot amplitude / 2, smoothed */
  double i_pow;              /* quadrature power (noise), smoothed */
  float blend;               /* at the start of the current block */
  float blend_next;          /* at its end */
};

FerStereo *
fer_stereo_new (double rate_hz)
{
  g_return_val_if_fail (rate_hz >= 100000, NULL);
  FerStereo *st = g_new0 (FerStereo, 1);
  st->rate_hz = rate_hz;
  st->w0 = 2 * G_PI * PILOT_HZ / rate_hz;
  double t = BLOCK / rate_hz, wn = 2 * G_PI * LOOP_HZ;
  st->kp = 2 * LOOP_DAMPING * wn * t;
  st->ki = (wn * t) * (wn * t) / BLOCK;
  st->meter_alpha = t / METER_S;
  st->blend_step = (float) (t / BLEND_SLEW_S);
  /* A phase difference per sample reads a tone at f as sinc (f / rate) of
   * its true deviation: 2.6 % low at 38 kHz and 300 kHz, which alone would
   * hold the separation to 37 dB. */
  double arg = G_PI * 2 * PILOT_HZ / rate_hz;
  st->sub_gain = (float) (arg / sin (arg));
  for (guint k = 0; k < BLOCK; k++)
    {
      st->step_c[k] = (float) cos (st->w0 * k);
      st->step_s[k] = (float) sin (st->w0 * k);
    }
  double sum = 0;
  double win[WIN_LEN];
  for (guint k = 0; k < WIN_LEN; k++)
    {
      double x = 2 * G_PI * (k + 0.5) / WIN_LEN;
      win[k] = 0.35875 - 0.48829 * cos (x) + 0.14128 * cos (2 * x) - 0.01168 * cos (3 * x);
      sum += win[k];
    }
  for (guint k = 0; k < WIN_LEN; k++)
    st->window[k] = (float) (win[k] / sum);
  fer_stereo_reset (st);
  return st;
}

void
fer_stereo_free (FerStereo *st)
{
  g_free (st);
}

/* The oscillator for the block starting at st->theta. */
static void
refresh_block (FerStereo *st)
{
  const float cb = (float) cos (st->theta), sb = (float) sin (st->theta);
  for (guint k = 0; k < BLOCK; k++)
    {
      float c = cb * st->step_c[k] - sb * st->step_s[k];
      float s = sb * st->step_c[k] + cb * st->step_s[k];
      st->osc_c[k] = c;
      st->osc_s[k] = s;
      st->sub[k] = 4.0f * st->sub_gain * s * c;
    }
}

void
fer_stereo_reset (FerStereo *st)
{
  g_return_if_fail (st != NULL);
  st->theta = 0;
  st->dw = 0;
  st->pos = 0;
  st->slot = 0;
  memset (st->prod_i, 0, sizeof st->prod_i);
  memset (st->prod_q, 0, sizeof st->prod_q);
  st->q_avg = 0;
  st->i_pow = 1e-12;
  st->blend = st->blend_next = 0;
  refresh_block (st);
}

static double
pilot_snr_db (const FerStereo *st)
{
  return 10 * log10 ((st->q_avg * st->q_avg + 1e-30) / (st->i_pow + 1e-30));
}

/* The window over the last four blocks; oldest block first. */
static void
detect (const FerStereo *st, double *i_out, double *q_out)
{
  float acc_i[8] = { 0 }, acc_q[8] = { 0 };
  for (guint a = 0; a < N_WIN_BLOCKS; a++)
    {
      guint slot = (st->slot + 1 + a) % N_WIN_BLOCKS;
      const float *restrict w = st->window + a * BLOCK;
      const float *restrict pi = st->prod_i[slot], *restrict pq = st->prod_q[slot];
      for (guint k = 0; k < BLOCK; k += 8)
        for (guint l = 0; l < 8; l++)
          {
            acc_i[l] += w[k + l] * pi[k + l];
            acc_q[l] += w[k + l] * pq[k + l];
          }
    }
  double si = 0, sq = 0;
  for (guint l = 0; l < 8; l++)
    {
      si += acc_i[l];
      sq += acc_q[l];
    }
  *i_out = si;
  *q_out = sq;
}

/* End of a block: measure, steer the loop, set the blend, start the next block. */
static void
end_block (FerStereo *st)
{
  double i, q;
  detect (st, &i, &q);
  /* Locked: mpx cos (theta) averages to 0 and mpx sin (theta) to A / 2. */
  double e = atan2 (i, q);
  st->dw += st->ki * e;
  st->theta += (st->w0 + st->dw) * BLOCK + st->kp * e;
  st->theta = fmod (st->theta, 2 * G_PI);

  st->q_avg += st->meter_alpha * (q - st->q_avg);
  st->i_pow += st->meter_alpha * (i * i - st->i_pow);
  double snr = pilot_snr_db (st);
  float target = (float) CLAMP ((snr - SNR_MONO_DB) / (SNR_STEREO_DB - SNR_MONO_DB), 0.0, 1.0);
  if (snr < LOCK_SNR_DB)
    target = 0;
  st->blend = st->blend_next;
  st->blend_next = st->blend + CLAMP (target - st->blend, -st->blend_step, st->blend_step);

  st->slot = (st->slot + 1) % N_WIN_BLOCKS;
  st->pos = 0;
  refresh_block (st);
}

void
fer_stereo_process (FerStereo *st, const float *mpx, gsize n, float *diff)
{
  g_return_if_fail (st != NULL);
  while (n > 0)
    {
      guint p = st->pos;
      gsize take = MIN (n, (gsize) (BLOCK - p));
      const float *restrict x = mpx;
      float *restrict d = diff;
      const float *restrict c = st->osc_c + p, *restrict s = st->osc_s + p;
      const float *restrict sub = st->sub + p;
      float *restrict pi = st->prod_i[st->slot] + p, *restrict pq = st->prod_q[st->slot] + p;
      /* The blend ramps linearly across the block: no steps. */
      const float b0 = st->blend, db = (st->blend_next - st->blend) / BLOCK;
      for (gsize k = 0; k < take; k++)
        {
          pi[k] = x[k] * c[k];
          pq[k] = x[k] * s[k];
          d[k] = x[k] * sub[k] * (b0 + db * (float) (p + k));
        }
      st->pos += take;
      mpx += take;
      diff += take;
      n -= take;
      if (st->pos == BLOCK)
        end_block (st);
    }
}

gboolean
fer_stereo_is_locked (FerStereo *st)
{
  return pilot_snr_db (st) >= LOCK_SNR_DB;
}

double
fer_stereo_get_pilot_snr_db (FerStereo *st)
{
  return pilot_snr_db (st);
}

double
fer_stereo_get_pilot_level (FerStereo *st)
{
  return 2 * MAX (st->q_avg, 0.0);
}

double
fer_stereo_get_blend (FerStereo *st)
{
  return st->blend_next;
}

double
fer_stereo_get_pilot_freq (FerStereo *st)
{
  return (st->w0 + st->dw) * st->rate_hz / (2 * G_PI);
}
