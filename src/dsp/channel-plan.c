#define G_LOG_DOMAIN "fer-dsp"

#include "channel-plan.h"

#include <math.h>

#include "fir.h"

#define DECIM_ATTEN_DB 72.0

/* Designs one decimation stage. The last stage is the channel filter:
 * passband @pass, stopband from channel_rate - @pass, so nothing aliases into
 * the passband. An earlier stage only has to stop what would alias below
 * that edge (its own output rate minus it); a half-band keeps its transition
 * symmetric about a quarter of its input rate. */
static float *
design_stage (double f_in, guint d, gboolean last, double pass, double ch_rate,
              guint *n_taps)
{
  double f_out = f_in / d;
  double edge = ch_rate - pass;          /* where the channel filter's stopband starts */
  if (d == 2)
    {
      double lo = last ? pass : edge, hi = f_out - lo;
      return fer_fir_design_halfband ((hi - lo) / f_in, DECIM_ATTEN_DB, n_taps);
    }
  double stop = last ? edge : f_out - edge;
  *n_taps = fer_kaiser_n_taps ((stop - pass) / f_in, DECIM_ATTEN_DB);
  return fer_fir_design_lowpass (*n_taps, (pass + stop) / 2 / f_in, DECIM_ATTEN_DB, 1.0);
}

/* Cost in ns per second of signal, from bench-dsp on a baseline x86-64
 * build: a half-band output costs a fixed part (the parity split, the
 * centre tap) plus one pass per four tap pairs; a general output one
 * multiply-add per tap (two per vector). */
static double
stage_cost (double f_in, guint d, gboolean last, double pass, double ch_rate)
{
  guint n_taps;
  g_autofree float *taps = design_stage (f_in, d, last, pass, ch_rate, &n_taps);
  double f_out = f_in / d;
  if (d == 2)
    {
      guint n_passes = ((n_taps + 1) / 4 + 3) / 4;
      return (0.35 + 0.6 * n_passes) * f_out;
    }
  return (0.1 + 0.145 * ((n_taps + 3) / 4 * 4)) * f_out + 0.05 * f_in;
}

static double
order_cost (const FerDecimPlan *f, double in_rate, double pass, double ch_rate)
{
  double cost = 0, rate = in_rate;
  for (guint i = 0; i < f->n; i++)
    {
      cost += stage_cost (rate, f->factor[i], i + 1 == f->n, pass, ch_rate);
      rate /= f->factor[i];
    }
  return cost;
}

/* Tries every distinct order of the remaining factors; keeps the cheapest. */
static void
best_order (FerDecimPlan *cur, guint *left, guint n_left, double in_rate, double pass,
            double ch_rate, FerDecimPlan *best, double *best_cost)
{
  if (n_left == 0)
    {
      double c = order_cost (cur, in_rate, pass, ch_rate);
      if (c < *best_cost)
        {
          *best_cost = c;
          *best = *cur;
        }
      return;
    }
  for (guint i = 0; i < n_left; i++)
    {
      gboolean seen = FALSE;
      for (guint j = 0; j < i; j++)
        seen |= left[j] == left[i];
      if (seen)
        continue;
      guint v = left[i];
      left[i] = left[n_left - 1];
      cur->factor[cur->n++] = v;
      best_order (cur, left, n_left - 1, in_rate, pass, ch_rate, best, best_cost);
      cur->n--;
      left[n_left - 1] = left[i];
      left[i] = v;
    }
}

gboolean
fer_plan_decimation (double in_rate, double rate_min, double rate_max, double pass,
                     double per_channel_cost, FerDecimPlan *plan)
{
  plan->n = 0;
  plan->decim = 1;
  if (in_rate <= rate_max)
    return in_rate > 2 * pass;

  guint d_lo = (guint) ceil (in_rate / rate_max);
  guint d_hi = (guint) floor (in_rate / rate_min);
  if (d_hi < d_lo)
    d_hi = d_lo;

  double best_cost = INFINITY;
  for (guint d = d_lo; d <= d_hi; d++)
    {
      double ch_rate = in_rate / d;
      if (ch_rate - pass <= pass)
        continue;
      guint left[FER_PLAN_MAX_STAGES], n_left = 0, rest = d;
      for (guint p = 2; p <= rest && n_left < FER_PLAN_MAX_STAGES; p++)
        while (rest % p == 0 && n_left < FER_PLAN_MAX_STAGES)
          {
            left[n_left++] = p;
            rest /= p;
          }
      /* Big prime factors make long single stages: never the cheapest. */
      if (rest != 1 || left[n_left - 1] > 13)
        continue;
      FerDecimPlan cur = { 0 }, best = { 0 };
      double c = INFINITY;
      best_order (&cur, left, n_left, in_rate, pass, ch_rate, &best, &c);
      c += per_channel_cost * ch_rate;
      if (c < best_cost)
        {
          best_cost = c;
          *plan = best;
          plan->decim = d;
        }
    }
  return isfinite (best_cost);
}

float *
fer_plan_design_stage (const FerDecimPlan *plan, guint i, double in_rate, double pass,
                       guint *n_taps)
{
  double rate = in_rate;
  for (guint k = 0; k < i; k++)
    rate /= plan->factor[k];
  return design_stage (rate, plan->factor[i], i + 1 == plan->n, pass, in_rate / plan->decim,
                       n_taps);
}

guint
fer_plan_audio_decim (double ch_rate, double audio_rate, double pass, double stop,
                      double atten_db)
{
  guint best_r = 1;
  double best_cost = INFINITY;
  for (guint r = 1; r <= 16; r++)
    {
      double f1 = ch_rate / r;
      if (r > 1 && (f1 - stop <= pass * 1.05 || f1 < 2 * stop || f1 < audio_rate))
        break;
      double cost = 0;
      if (r > 1)
        cost += fer_kaiser_n_taps ((f1 - stop - pass) / ch_rate, atten_db) * f1;
      /* The final filter's taps per output grow with its input rate. */
      cost += fer_kaiser_n_taps ((stop - pass) / f1, atten_db) * audio_rate;
      if (cost < best_cost)
        {
          best_cost = cost;
          best_r = r;
        }
    }
  return best_r;
}
