#define G_LOG_DOMAIN "fer-dsp"

#include "frontend.h"

#include <math.h>
#include <string.h>

#define EST_BLOCK 4096         /* samples per estimate */
#define DC_ALPHA 0.05          /* per block: about 80 blocks (0.14 s at 2.4 MS/s) */
#define IQ_ALPHA 0.02
#define LANES 8
#define BLANK_AFTER 4          /* samples zeroed after an impulse's last strong sample */
#define SCAN 64                /* impulses are looked for this many samples at a time */

struct _FerFrontEnd {
  gboolean dc_on, iq_on, nb_on;
  float nb_ratio;              /* power ratio of an impulse to the average */

  /* Applied now. */
  float dc_i, dc_q;            /* subtracted */
  float iq_a, iq_b;            /* Q' = b (Q + a I) */
  float nb_level;              /* power above which a sample is an impulse */

  /* Smoothed estimates (double: they integrate many blocks). */
  double est_dc_i, est_dc_q;
  double est_ii, est_qq, est_iq;
  double est_power;
  gboolean primed;

  /* Sums over the current block, one per lane (lane = sample index mod
   * LANES, so the order of additions never depends on the chunking). */
  guint pos;                   /* samples of the current block done */
  float s_i[LANES], s_q[LANES], s_ii[LANES], s_qq[LANES], s_iq[LANES];
  guint blank_left;
  guint64 n_blanked;
};

FerFrontEnd *
fer_front_end_new (void)
{
  FerFrontEnd *fe = g_new0 (FerFrontEnd, 1);
  fe->dc_on = TRUE;
  fe->iq_on = TRUE;
  fe->nb_ratio = 100.0f;
  fer_front_end_reset (fe);
  return fe;
}

void
fer_front_end_free (FerFrontEnd *fe)
{
  g_free (fe);
}

void
fer_front_end_reset (FerFrontEnd *fe)
{
  g_return_if_fail (fe != NULL);
  fe->dc_i = fe->dc_q = 0;
  fe->iq_a = 0;
  fe->iq_b = 1;
  fe->nb_level = INFINITY;
  fe->est_dc_i = fe->est_dc_q = 0;
  fe->est_ii = fe->est_qq = fe->est_iq = 0;
  fe->est_power = 0;
  fe->primed = FALSE;
  fe->pos = 0;
  memset (fe->s_i, 0, sizeof fe->s_i);
  memset (fe->s_q, 0, sizeof fe->s_q);
  memset (fe->s_ii, 0, sizeof fe->s_ii);
  memset (fe->s_qq, 0, sizeof fe->s_qq);
  memset (fe->s_iq, 0, sizeof fe->s_iq);
  fe->blank_left = 0;
  fe->n_blanked = 0;
}

void
fer_front_end_set_dc_removal (FerFrontEnd *fe, gboolean on)
{
  fe->dc_on = on;
  if (!on)
    fe->dc_i = fe->dc_q = 0;
}

void
fer_front_end_set_iq_correction (FerFrontEnd *fe, gboolean on)
{
  fe->iq_on = on;
  if (!on)
    {
      fe->iq_a = 0;
      fe->iq_b = 1;
    }
}

void
fer_front_end_set_noise_blanker (FerFrontEnd *fe, gboolean on, double threshold_db)
{
  fe->nb_on = on;
  fe->nb_ratio = (float) pow (10.0, threshold_db / 10.0);
  fe->blank_left = 0;
}

static double
lane_sum (const float *s)
{
  double t = 0;
  for (guint l = 0; l < LANES; l++)
    t += s[l];
  return t;
}

/* End of a block: fold its sums into the estimates and update the corrections. */
static void
end_block (FerFrontEnd *fe)
{
  const double n = EST_BLOCK;
  /* The sums are of the output after DC removal: add back what was taken off. */
  double mi = lane_sum (fe->s_i) / n + fe->dc_i, mq = lane_sum (fe->s_q) / n + fe->dc_q;
  double ii = lane_sum (fe->s_ii) / n, qq = lane_sum (fe->s_qq) / n, iq = lane_sum (fe->s_iq) / n;
  if (!fe->primed)
    {
      fe->est_dc_i = mi;
      fe->est_dc_q = mq;
      fe->est_ii = ii;
      fe->est_qq = qq;
      fe->est_iq = iq;
      fe->est_power = ii + qq;
      fe->primed = TRUE;
    }
  else
    {
      fe->est_dc_i += DC_ALPHA * (mi - fe->est_dc_i);
      fe->est_dc_q += DC_ALPHA * (mq - fe->est_dc_q);
      fe->est_ii += IQ_ALPHA * (ii - fe->est_ii);
      fe->est_qq += IQ_ALPHA * (qq - fe->est_qq);
      fe->est_iq += IQ_ALPHA * (iq - fe->est_iq);
      fe->est_power += DC_ALPHA * (ii + qq - fe->est_power);
    }
  if (fe->dc_on)
    {
      fe->dc_i = (float) fe->est_dc_i;
      fe->dc_q = (float) fe->est_dc_q;
    }
  /* The statistics are of I and the uncorrected Q (after DC removal). */
  if (fe->iq_on && fe->est_ii > 1e-20)
    {
      double a = -fe->est_iq / fe->est_ii;
      double q_rest = fe->est_qq - fe->est_iq * fe->est_iq / fe->est_ii;
      if (q_rest > 1e-20)
        {
          fe->iq_a = (float) a;
          fe->iq_b = (float) sqrt (fe->est_ii / q_rest);
        }
    }
  fe->nb_level = (float) (fe->est_power * fe->nb_ratio);
  memset (fe->s_i, 0, sizeof fe->s_i);
  memset (fe->s_q, 0, sizeof fe->s_q);
  memset (fe->s_ii, 0, sizeof fe->s_ii);
  memset (fe->s_qq, 0, sizeof fe->s_qq);
  memset (fe->s_iq, 0, sizeof fe->s_iq);
  fe->pos = 0;
}

/* Corrects @n samples starting at block position fe->pos (a multiple of
 * LANES when n >= LANES: see process ()), gathering the block's sums. */
static void
correct (FerFrontEnd *fe, float *restrict v, gsize n, guint lane0)
{
  const float di = fe->dc_i, dq = fe->dc_q, a = fe->iq_a, b = fe->iq_b;
  float si[LANES], sq[LANES], sii[LANES], sqq[LANES], siq[LANES];
  memcpy (si, fe->s_i, sizeof si);
  memcpy (sq, fe->s_q, sizeof sq);
  memcpy (sii, fe->s_ii, sizeof sii);
  memcpy (sqq, fe->s_qq, sizeof sqq);
  memcpy (siq, fe->s_iq, sizeof siq);
  gsize k = 0;
  if (lane0 == 0)
    for (; k + LANES <= n; k += LANES)
      for (guint l = 0; l < LANES; l++)
        {
          float i = v[2 * (k + l)] - di, q = v[2 * (k + l) + 1] - dq;
          si[l] += i;
          sq[l] += q;
          sii[l] += i * i;
          sqq[l] += q * q;
          siq[l] += i * q;
          v[2 * (k + l)] = i;
          v[2 * (k + l) + 1] = b * (q + a * i);
        }
  for (; k < n; k++)
    {
      guint l = (lane0 + k) % LANES;
      float i = v[2 * k] - di, q = v[2 * k + 1] - dq;
      si[l] += i;
      sq[l] += q;
      sii[l] += i * i;
      sqq[l] += q * q;
      siq[l] += i * q;
      v[2 * k] = i;
      v[2 * k + 1] = b * (q + a * i);
    }
  memcpy (fe->s_i, si, sizeof si);
  memcpy (fe->s_q, sq, sizeof sq);
  memcpy (fe->s_ii, sii, sizeof sii);
  memcpy (fe->s_qq, sqq, sizeof sqq);
  memcpy (fe->s_iq, siq, sizeof siq);
}

/* Zeroes impulses in @n corrected samples. */
static void
blank (FerFrontEnd *fe, float complex *x, gsize n)
{
  const float level = fe->nb_level;
  for (gsize k = 0; k < n; k += SCAN)
    {
      gsize m = MIN ((gsize) SCAN, n - k);
      const float *restrict v = (const float *) (x + k);
      /* Most of the time nothing is there: a branch-free look first. */
      int any = 0;
      for (gsize j = 0; j < m; j++)
        any |= v[2 * j] * v[2 * j] + v[2 * j + 1] * v[2 * j + 1] > level;
      if (!any && fe->blank_left == 0)
        continue;
      for (gsize j = 0; j < m; j++)
        {
          float p = crealf (x[k + j]) * crealf (x[k + j]) + cimagf (x[k + j]) * cimagf (x[k + j]);
          if (p > level)
            fe->blank_left = BLANK_AFTER + 1;
          if (fe->blank_left > 0)
            {
              x[k + j] = 0;
              fe->blank_left--;
              fe->n_blanked++;
            }
        }
    }
}

void
fer_front_end_process (FerFrontEnd *fe, float complex *io, gsize n)
{
  g_return_if_fail (fe != NULL);
  while (n > 0)
    {
      /* Up to the next lane boundary first, then whole lanes to the block's end. */
      guint lane0 = fe->pos % LANES;
      gsize take = MIN (n, (gsize) (EST_BLOCK - fe->pos));
      if (lane0 != 0)
        take = MIN (take, (gsize) (LANES - lane0));
      correct (fe, (float *) io, take, lane0);
      if (fe->nb_on && fe->primed)
        blank (fe, io, take);
      fe->pos += take;
      if (fe->pos == EST_BLOCK)
        end_block (fe);
      io += take;
      n -= take;
    }
}

void
fer_front_end_get_estimate (FerFrontEnd *fe, float complex *dc, double *gain_db,
                            double *phase_deg)
{
  if (dc)
    *dc = fe->est_dc_i + I * fe->est_dc_q;
  /* With I = cos, Q = g sin (w t + phi): E[Q^2] / E[I^2] = g^2 and
   * E[IQ] / sqrt (E[I^2] E[Q^2]) = sin (phi)... up to the sign convention. */
  double ii = fe->est_ii, qq = fe->est_qq, iq = fe->est_iq;
  if (gain_db)
    *gain_db = ii > 0 && qq > 0 ? 10 * log10 (qq / ii) : 0;
  if (phase_deg)
    *phase_deg = ii > 0 && qq > 0 ? asin (CLAMP (iq / sqrt (ii * qq), -1.0, 1.0)) * 180 / G_PI : 0;
}

guint64
fer_front_end_get_n_blanked (FerFrontEnd *fe)
{
  return fe->n_blanked;
}
