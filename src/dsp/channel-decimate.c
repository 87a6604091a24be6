#define G_LOG_DOMAIN "fer-dsp"

/* channel-decimate.c - the channel's first step: shift the signal to 0 Hz
 * and decimate to the channel rate; narrow modes then run their channel
 * filter and the noise probe. Also where the channel is tuned. */
#include "channel-private.h"

#include <math.h>
#include <string.h>

#define RAW_RATE_OVER_BW_MIN 1.25
#define RAW_RATE_OVER_BW_MAX 1.6
#define CHANNEL_ATTEN_DB 70.0
#define PROBE_ATTEN_DB 60.0

static double
sum_squares (const float *taps, guint n)
{
  double s = 0;
  for (guint i = 0; i < n; i++)
    s += (double) taps[i] * taps[i];
  return s;
}

/* The source-rate shift for offset + shift, in cycles per sample. */
static double
source_shift_norm (const FerChannel *ch)
{
  double f = -(ch->offset_hz + ch->shift_hz) / ch->in_rate_hz;
  return f - floor (f + 0.5);     /* the spectrum repeats: wrap into [-0.5, 0.5) */
}

static void
set_offset_now (FerChannel *ch)
{
  double f = source_shift_norm (ch);
  if (ch->fine == NULL)
    {
      fer_nco_set_freq (ch->coarse, f);
      return;
    }
  double fc = fer_nco_quantize_freq (f);
  fer_nco_set_freq (ch->coarse, fc);
  fer_nco_set_freq (ch->fine, (f - fc) * ch->decim);
}

static void
free_decimation (FerChannel *ch)
{
  for (guint i = 0; i < ch->n_stages; i++)
    g_clear_pointer (&ch->stages[i], fer_fir_free);
  for (guint i = 0; i < FER_PLAN_MAX_STAGES; i++)
    g_clear_pointer (&ch->scratch[i], g_free);
  ch->n_stages = 0;
  ch->delay_in = 0;
}

/* Builds the decimation stages for @plan with passband ch->pass_hz. */
static void
build_decimation (FerChannel *ch, const FerDecimPlan *plan)
{
  double prod = 1;
  gsize cap = BLOCK;
  if (plan->n > 0)
    ch->scratch[0] = g_new (float complex, cap);
  for (guint i = 0; i < plan->n; i++)
    {
      guint n_taps;
      g_autofree float *taps = fer_plan_design_stage (plan, i, ch->in_rate_hz, ch->pass_hz,
                                                      &n_taps);
      ch->stages[i] = fer_fir_new (taps, n_taps, plan->factor[i]);
      ch->delay_in += (n_taps - 1) / 2.0 * prod;
      prod *= plan->factor[i];
      cap = fer_fir_max_out (ch->stages[i], cap);
      if (i + 1 < plan->n)
        ch->scratch[i + 1] = g_new (float complex, cap);
    }
  ch->n_stages = plan->n;
}

/* Raw's channel rate is at least 1.25 times its bandwidth, so the source
 * rate bounds the bandwidth. */
static double
clamp_wide_bandwidth (const FerChannel *ch, double bandwidth_hz)
{
  if (ch->mode == FER_MODE_RAW)
    return MIN (bandwidth_hz, ch->in_rate_hz / RAW_RATE_OVER_BW_MIN);
  return bandwidth_hz;
}

/* Wide modes: the widest passband (each side) a channel rate holds. */
static double
wide_room (const FerChannel *ch, double rate)
{
  return ch->mode == FER_MODE_RAW ? rate / RAW_RATE_OVER_BW_MIN / 2 : rate / 2 - 15000.0;
}

/* Wide modes: the channel rate and passband for a bandwidth. */
static gboolean
plan_wide (const FerChannel *ch, double bandwidth_hz, FerDecimPlan *plan, double *pass_hz)
{
  double rate_min = ch->info->rate_min, rate_max = ch->info->rate_max;
  if (ch->mode == FER_MODE_RAW)
    {
      rate_min = bandwidth_hz * RAW_RATE_OVER_BW_MIN;
      rate_max = bandwidth_hz * RAW_RATE_OVER_BW_MAX;
    }
  double want = bandwidth_hz / 2;
  /* Plan for what the narrowest workable rate allows, then widen to what the chosen rate does. */
  double pass0 = ch->mode == FER_MODE_RAW ? want : MIN (want, 100000.0);
  if (!fer_plan_decimation (ch->in_rate_hz, rate_min, rate_max, pass0, 4.0, plan))
    return FALSE;
  double rate = ch->in_rate_hz / plan->decim;
  *pass_hz = MIN (want, wide_room (ch, rate));
  if (plan->decim == 1)
    *pass_hz = MIN (*pass_hz, ch->in_rate_hz / 2);
  return *pass_hz > 0;
}

/* Channel filter taps for the current bandwidth: -6 dB at +-bandwidth / 2. */
void
fer_channel_design_channel_filter (FerChannel *ch)
{
  double cutoff = ch->bandwidth_hz / 2 / ch->channel_rate_hz;
  g_autofree float *taps = fer_fir_design_lowpass (ch->chan_n_taps, cutoff, CHANNEL_ATTEN_DB, 1.0);
  if (ch->chan_fir == NULL)
    ch->chan_fir = fer_fir_new (taps, ch->chan_n_taps, 1);
  else
    fer_fir_set_taps (ch->chan_fir, taps);
  ch->chan_noise_bw = ch->channel_rate_hz * sum_squares (taps, ch->chan_n_taps);
}

/* The noise probe: a real band-pass sees both sides, +-(edge .. edge + probe). */
static void
build_probe (FerChannel *ch)
{
  const FerModeInfo *info = ch->info;
  double ch_rate = ch->channel_rate_hz;
  double lo = info->bw_max / 2 + info->transition_hz, w = info->probe_hz;
  guint n = fer_kaiser_n_taps (w / 2 / ch_rate, PROBE_ATTEN_DB);
  g_autofree float *lp = fer_fir_design_lowpass (n, w / 2 / ch_rate, PROBE_ATTEN_DB, 1.0);
  double centre = (lo + w / 2 + w / 4) / ch_rate, c = (n - 1) / 2.0;
  for (guint k = 0; k < n; k++)
    lp[k] = (float) (2.0 * lp[k] * cos (2 * G_PI * centre * (k - c)));
  ch->probe_fir = fer_fir_new (lp, n, PROBE_DECIM);
  ch->probe_noise_bw = ch_rate * sum_squares (lp, n);
  ch->probe_out = g_new (float complex, ch->ch_cap);
}

gboolean
fer_channel_decimate_init (FerChannel *ch)
{
  const FerModeInfo *info = ch->info;
  FerDecimPlan plan;
  if (info->wide)
    {
      if (!plan_wide (ch, clamp_wide_bandwidth (ch, ch->bandwidth_hz), &plan, &ch->pass_hz))
        return FALSE;
      ch->bandwidth_hz = 2 * ch->pass_hz;
    }
  else
    {
      /* Flat to the widest channel filter's stopband, plus the noise probe. */
      ch->pass_hz = info->bw_max / 2 + info->transition_hz + 2 * info->probe_hz;
      if (!fer_plan_decimation (ch->in_rate_hz, info->rate_min, info->rate_max, ch->pass_hz, 30.0,
                                &plan))
        return FALSE;
    }
  ch->decim = plan.decim;
  ch->channel_rate_hz = ch->in_rate_hz / plan.decim;
  if (ch->mode != FER_MODE_RAW && ch->audio_rate_hz > ch->channel_rate_hz && info->wide)
    return FALSE;
  ch->shift_hz = fer_channel_passband_centre (ch);
  build_decimation (ch, &plan);
  ch->coarse = fer_nco_new (0);
  if (plan.decim > 1)
    ch->fine = fer_nco_new (0);
  set_offset_now (ch);
  ch->ch_cap = fer_channel_max_channel_samples (ch, BLOCK);

  if (!info->wide)
    {
      ch->chan_n_taps = fer_kaiser_n_taps (info->transition_hz / ch->channel_rate_hz,
                                           CHANNEL_ATTEN_DB);
      fer_channel_design_channel_filter (ch);
      ch->chan_in = g_new (float complex, ch->ch_cap);
      if (info->probe_hz > 0)
        build_probe (ch);
    }
  return TRUE;
}

void
fer_channel_decimate_free (FerChannel *ch)
{
  free_decimation (ch);
  fer_nco_free (ch->coarse);
  fer_nco_free (ch->fine);
  fer_fir_free (ch->chan_fir);
  fer_fir_free (ch->probe_fir);
  g_free (ch->chan_in);
  g_free (ch->probe_out);
}

void
fer_channel_decimate_reset (FerChannel *ch)
{
  ch->fine_pending = FALSE;
  set_offset_now (ch);
  fer_nco_reset (ch->coarse);
  if (ch->fine)
    fer_nco_reset (ch->fine);
  for (guint i = 0; i < ch->n_stages; i++)
    fer_fir_reset (ch->stages[i]);
  ch->n_in_total = ch->n_ch_total = 0;
  if (ch->chan_fir)
    fer_fir_reset (ch->chan_fir);
  if (ch->probe_fir)
    fer_fir_reset (ch->probe_fir);
  ch->probe_n = ch->probe_pos = 0;
  ch->probe_base = ch->block_start = ch->filt_total = 0;
}

void
fer_channel_retune (FerChannel *ch)
{
  double f = source_shift_norm (ch);
  if (ch->fine == NULL)
    {
      fer_nco_set_freq (ch->coarse, f);
      return;
    }
  /* A switch still waiting is due before this one. */
  if (ch->fine_pending)
    {
      fer_nco_set_freq (ch->fine, ch->fine_next_freq);
      ch->fine_pending = FALSE;
    }
  double fc = fer_nco_quantize_freq (f), fine = (f - fc) * ch->decim;
  if (fc == fer_nco_get_freq (ch->coarse))
    {
      fer_nco_set_freq (ch->fine, fine);
      return;
    }
  /* The source-rate oscillator changes now; the samples it shifts reach the
   * channel rate one group delay later, and that is when the residual must
   * change too, or the audio would see the coarse step alone for that long
   * (a small thump). */
  fer_nco_set_freq (ch->coarse, fc);
  double at = round ((ch->n_in_total + ch->delay_in) / ch->decim);
  if (at <= (double) ch->n_ch_total)
    fer_nco_set_freq (ch->fine, fine);
  else
    {
      ch->fine_pending = TRUE;
      ch->fine_switch_at = (guint64) at;
      ch->fine_next_freq = fine;
    }
}

void
fer_channel_set_offset (FerChannel *ch, double offset_hz)
{
  g_return_if_fail (ch != NULL);
  ch->offset_hz = offset_hz;
  fer_channel_retune (ch);
}

void
fer_channel_set_wide_bandwidth (FerChannel *ch, double bandwidth_hz)
{
  FerDecimPlan plan;
  double pass, bw = clamp_wide_bandwidth (ch, bandwidth_hz);
  if (!plan_wide (ch, bw, &plan, &pass))
    return;
  /* The channel rate stays; only the filters change. */
  if (plan.decim != ch->decim)
    {
      double rate = ch->channel_rate_hz;
      pass = MIN (bw / 2, wide_room (ch, rate));
      if (!fer_plan_decimation (ch->in_rate_hz, rate * 0.999, rate * 1.001, pass, 4.0, &plan))
        return;
    }
  if (2 * pass == ch->bandwidth_hz)
    return;
  free_decimation (ch);
  ch->pass_hz = pass;
  ch->bandwidth_hz = 2 * pass;
  build_decimation (ch, &plan);
  ch->fine_pending = FALSE;
  set_offset_now (ch);
}

gsize
fer_channel_max_channel_samples (FerChannel *ch, gsize n_in)
{
  gsize n = n_in;
  for (guint i = 0; i < ch->n_stages; i++)
    n = fer_fir_max_out (ch->stages[i], n);
  return n;
}

/* The residual shift at the channel rate, switching frequency where a
 * pending coarse change has come through the filters. */
static void
fine_mix (FerChannel *ch, float complex *buf, gsize n)
{
  if (ch->fine_pending && ch->n_ch_total + n > ch->fine_switch_at)
    {
      gsize first = ch->fine_switch_at > ch->n_ch_total ? ch->fine_switch_at - ch->n_ch_total : 0;
      fer_nco_mix (ch->fine, buf, first, buf);
      fer_nco_set_freq (ch->fine, ch->fine_next_freq);
      ch->fine_pending = FALSE;
      fer_nco_mix (ch->fine, buf + first, n - first, buf + first);
    }
  else
    fer_nco_mix (ch->fine, buf, n, buf);
  ch->n_ch_total += n;
}

/* Source rate to channel rate, at most BLOCK samples. */
static gsize
decimate (FerChannel *ch, const float complex *in, gsize take, float complex *out)
{
  gsize m = take;
  if (ch->n_stages == 0)
    fer_nco_mix (ch->coarse, in, take, out);
  else
    {
      fer_nco_mix (ch->coarse, in, take, ch->scratch[0]);
      for (guint i = 0; i < ch->n_stages; i++)
        {
          float complex *dst = i + 1 == ch->n_stages ? out : ch->scratch[i + 1];
          m = fer_fir_process (ch->stages[i], ch->scratch[i], m, dst);
        }
      fine_mix (ch, out, m);
    }
  ch->n_in_total += take;
  return m;
}

/* Narrow modes: the channel filter and the noise probe, after decimation. */
static void
channel_filter (FerChannel *ch, float complex *buf, gsize n)
{
  if (ch->chan_fir == NULL || n == 0)
    return;
  memcpy (ch->chan_in, buf, n * sizeof (float complex));
  fer_fir_process (ch->chan_fir, ch->chan_in, n, buf);
  if (ch->probe_fir)
    {
      /* Outputs the meters did not take (the step-by-step API) are dropped. */
      ch->probe_base += ch->probe_n;
      ch->probe_n = fer_fir_process (ch->probe_fir, ch->chan_in, n, ch->probe_out);
      ch->probe_pos = 0;
    }
  ch->block_start = ch->filt_total;
  ch->filt_total += n;
}

gsize
fer_channel_decimate_block (FerChannel *ch, const float complex *in, gsize n_in,
                            float complex *out)
{
  gsize m = decimate (ch, in, n_in, out);
  channel_filter (ch, out, m);
  return m;
}

gsize
fer_channel_shift_decimate (FerChannel *ch, const float complex *in, gsize n_in,
                            float complex *out)
{
  g_return_val_if_fail (ch != NULL, 0);
  gsize n_out = 0;
  while (n_in > 0)
    {
      gsize take = MIN (n_in, (gsize) BLOCK);
      n_out += fer_channel_decimate_block (ch, in, take, out + n_out);
      in += take;
      n_in -= take;
    }
  return n_out;
}
