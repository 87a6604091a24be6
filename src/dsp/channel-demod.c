#define G_LOG_DOMAIN "fer-dsp"

/* channel-demod.c - the channel's second step: demodulate channel-rate IQ
 * into planar streams, measuring level and SNR and running the squelch on
 * the way. */
#include "channel-private.h"

#include <math.h>
#include <string.h>

#include "simd.h"

#define WFM_DEVIATION_HZ 75000.0
#define METER_WINDOW_S 0.01
#define METER_SMOOTH_S 0.05
#define NOISE_SMOOTH_S 0.2            /* the noise floor moves slowly: average it longer */
#define SQUELCH_HYSTERESIS_DB 1.0
#define SQUELCH_RAMP_S 0.005

void
fer_channel_demod_init (FerChannel *ch)
{
  const FerModeInfo *info = ch->info;
  FerMode mode = ch->mode;
  double ch_rate = ch->channel_rate_hz;
  switch (info->demod)
    {
    case FER_DEMOD_FM:
      {
        double dev = info->wide ? WFM_DEVIATION_HZ : 5000.0;
        ch->fm = fer_fm_demod_new (ch_rate, dev);
        ch->deemph_s = info->deemph_s;
        for (guint s = 0; s < ch->n_streams; s++)
          ch->deemph[s] = fer_deemph_new (ch_rate, ch->deemph_s);
        if (mode == FER_MODE_WFM_STEREO)
          ch->stereo = fer_stereo_new (ch_rate);
        break;
      }
    case FER_DEMOD_AM:
      ch->am = fer_am_demod_new (ch_rate, mode == FER_MODE_AM_SYNC ? FER_AM_SYNCHRONOUS
                                                                   : FER_AM_ENVELOPE);
      break;
    case FER_DEMOD_LINEAR:
      if (mode == FER_MODE_DSB)
        ch->am = fer_am_demod_new (ch_rate, FER_AM_COSTAS);
      else
        {
          ch->bfo = fer_nco_new (fer_channel_bfo_hz (ch) / ch_rate);
          ch->lin_buf = g_new (float complex, ch->ch_cap);
        }
      break;
    case FER_DEMOD_NONE:
      break;
    }

  ch->meter_window = MAX (1u, (guint) lround (METER_WINDOW_S * ch_rate));
  ch->meter_alpha = METER_WINDOW_S / METER_SMOOTH_S;
  ch->squelch_step = (float) (1.0 / (SQUELCH_RAMP_S * ch_rate));
}

void
fer_channel_demod_free (FerChannel *ch)
{
  fer_fm_demod_free (ch->fm);
  for (guint s = 0; s < MAX_STREAMS; s++)
    fer_deemph_free (ch->deemph[s]);
  fer_stereo_free (ch->stereo);
  fer_am_demod_free (ch->am);
  fer_nco_free (ch->bfo);
  g_free (ch->lin_buf);
}

static void
reset_meters (FerChannel *ch)
{
  ch->meter_fill = 0;
  ch->acc_p2 = ch->acc_p4 = ch->acc_probe = 0;
  ch->n_probe = 0;
  ch->avg_p2 = ch->avg_p4 = ch->avg_probe = 0;
  ch->meter_primed = FALSE;
  ch->level_dbfs = -200;
  ch->snr_db = 0;
  ch->squelch_open = ch->squelch_mode == FER_SQUELCH_OFF;
  ch->squelch_gain = ch->squelch_open ? 1.0f : 0.0f;
}

void
fer_channel_demod_reset (FerChannel *ch)
{
  if (ch->fm)
    fer_fm_demod_reset (ch->fm);
  for (guint s = 0; s < MAX_STREAMS; s++)
    if (ch->deemph[s])
      fer_deemph_reset (ch->deemph[s]);
  if (ch->stereo)
    fer_stereo_reset (ch->stereo);
  if (ch->am)
    fer_am_demod_reset (ch->am);
  if (ch->bfo)
    fer_nco_reset (ch->bfo);
  reset_meters (ch);
}

void
fer_channel_update_bfo (FerChannel *ch)
{
  if (ch->bfo)
    fer_nco_set_freq (ch->bfo, fer_channel_bfo_hz (ch) / ch->channel_rate_hz);
}

void
fer_channel_set_deemphasis (FerChannel *ch, double tau_s)
{
  g_return_if_fail (ch != NULL && tau_s >= 0);
  if (ch->fm == NULL)
    return;
  ch->deemph_s = tau_s;
  for (guint s = 0; s < MAX_STREAMS; s++)
    if (ch->deemph[s])
      fer_deemph_set_tau (ch->deemph[s], tau_s);
}

double
fer_channel_get_deemphasis (FerChannel *ch)
{
  return ch->deemph_s;
}

void
fer_channel_set_squelch (FerChannel *ch, FerSquelchMode mode, double threshold_db)
{
  g_return_if_fail (ch != NULL);
  ch->squelch_mode = ch->mode == FER_MODE_RAW ? FER_SQUELCH_OFF : mode;
  ch->squelch_db = threshold_db;
  if (ch->squelch_mode == FER_SQUELCH_OFF)
    ch->squelch_open = TRUE;
  else if (!ch->meter_primed)
    {
      /* Nothing heard yet: closed until the first reading, so the filters'
       * start-up never comes through as a burst. */
      ch->squelch_open = FALSE;
      ch->squelch_gain = 0;
    }
  else
    ch->squelch_open = (mode == FER_SQUELCH_LEVEL ? ch->level_dbfs : ch->snr_db) >= threshold_db;
}

void
fer_channel_set_cw_pitch (FerChannel *ch, double pitch_hz)
{
  g_return_if_fail (ch != NULL);
  ch->cw_pitch_hz = CLAMP (pitch_hz, 100.0, 2000.0);
  if (ch->mode == FER_MODE_CW)
    fer_channel_update_bfo (ch);
}

void
fer_channel_get_meter (FerChannel *ch, FerChannelMeter *meter)
{
  memset (meter, 0, sizeof *meter);
  meter->level_dbfs = ch->level_dbfs;
  meter->snr_db = ch->snr_db;
  meter->squelch_open = ch->squelch_open;
  if (ch->stereo)
    {
      meter->pilot_locked = fer_stereo_is_locked (ch->stereo);
      meter->pilot_snr_db = fer_stereo_get_pilot_snr_db (ch->stereo);
      meter->stereo_blend = fer_stereo_get_blend (ch->stereo);
    }
}

void
fer_channel_set_mpx_func (FerChannel *ch, FerMpxFunc func, gpointer user_data)
{
  g_return_if_fail (ch != NULL);
  ch->mpx_func = func;
  ch->mpx_data = user_data;
}

/* Power sums for the meters, over @n channel samples. */
FER_HOT static void
meter_accumulate (FerChannel *ch, const float complex *y, gsize n)
{
  float p2[8] = { 0 }, p4[8] = { 0 };
  const float *restrict v = (const float *) y;
  gsize i = 0;
  for (; i + 8 <= n; i += 8)
    for (gsize l = 0; l < 8; l++)
      {
        float e = v[2 * (i + l)] * v[2 * (i + l)] + v[2 * (i + l) + 1] * v[2 * (i + l) + 1];
        p2[l] += e;
        p4[l] += e * e;
      }
  double s2 = 0, s4 = 0;
  for (; i < n; i++)
    {
      double e = crealf (y[i]) * crealf (y[i]) + cimagf (y[i]) * cimagf (y[i]);
      s2 += e;
      s4 += e * e;
    }
  for (guint l = 0; l < 8; l++)
    {
      s2 += p2[l];
      s4 += p4[l];
    }
  ch->acc_p2 += s2;
  ch->acc_p4 += s4;
}

/* The probe's outputs that belong to channel samples before @end (an
 * index into the current block). */
static void
probe_accumulate (FerChannel *ch, gsize end)
{
  guint64 abs_end = ch->block_start + end;
  double sp = 0;
  while (ch->probe_pos < ch->probe_n && PROBE_DECIM * (ch->probe_base + ch->probe_pos) < abs_end)
    {
      float complex q = ch->probe_out[ch->probe_pos++];
      sp += crealf (q) * crealf (q) + cimagf (q) * cimagf (q);
      ch->n_probe++;
    }
  ch->acc_probe += sp;
}

/* A meter window is complete: smooth, read the meters, decide the squelch. */
static void
meter_update (FerChannel *ch)
{
  double n = ch->meter_window;
  double m2 = ch->acc_p2 / n, m4 = ch->acc_p4 / n;
  double mp = ch->n_probe > 0 ? ch->acc_probe / ch->n_probe : 0;
  ch->acc_p2 = ch->acc_p4 = ch->acc_probe = 0;
  ch->n_probe = 0;
  ch->meter_fill = 0;
  if (!ch->meter_primed)
    {
      ch->avg_p2 = m2;
      ch->avg_p4 = m4;
      ch->avg_probe = mp;
      ch->n_windows = 1;
      ch->meter_primed = TRUE;
    }
  else
    {
      double a = ch->meter_alpha;
      ch->avg_p2 += a * (m2 - ch->avg_p2);
      ch->avg_p4 += a * (m4 - ch->avg_p4);
      /* A plain mean until the long average has that many windows behind it. */
      ch->n_windows++;
      double b = MAX (METER_WINDOW_S / NOISE_SMOOTH_S, 1.0 / ch->n_windows);
      ch->avg_probe += b * (mp - ch->avg_probe);
    }
  double p2 = ch->avg_p2;
  ch->level_dbfs = 10 * log10 (MAX (p2, 1e-20));

  double signal, noise;
  if (ch->info->demod == FER_DEMOD_FM || ch->probe_fir == NULL)
    {
      /* A constant envelope: the second and fourth moments split it from
       * Gaussian noise (S^2 = 2 M2^2 - M4, N = M2 - S). */
      signal = sqrt (MAX (2 * p2 * p2 - ch->avg_p4, 0.0));
      noise = p2 - signal;
    }
  else
    {
      /* Noise density from the probe, times the channel filter's noise bandwidth. */
      noise = ch->avg_probe / ch->probe_noise_bw * ch->chan_noise_bw;
      signal = p2 - noise;
    }
  ch->snr_db = 10 * log10 (MAX (signal, p2 * 1e-10 + 1e-30) / MAX (noise, p2 * 1e-10 + 1e-30));
  ch->snr_db = CLAMP (ch->snr_db, -30.0, 100.0);

  if (ch->squelch_mode != FER_SQUELCH_OFF)
    {
      double v = ch->squelch_mode == FER_SQUELCH_LEVEL ? ch->level_dbfs : ch->snr_db;
      double h = SQUELCH_HYSTERESIS_DB / 2;
      if (!ch->squelch_open && v > ch->squelch_db + h)
        ch->squelch_open = TRUE;
      else if (ch->squelch_open && v < ch->squelch_db - h)
        ch->squelch_open = FALSE;
    }
}

/* Multiplies @n samples of each stream by the squelch gain, ramping it. */
static void
squelch_apply (FerChannel *ch, float *streams, gsize stride, gsize offset, gsize n)
{
  float target = ch->squelch_open ? 1.0f : 0.0f, g = ch->squelch_gain;
  if (g == target)
    {
      if (g == 0.0f)
        for (guint s = 0; s < ch->n_streams; s++)
          memset (streams + s * stride + offset, 0, n * sizeof (float));
      return;
    }
  float step = target > g ? ch->squelch_step : -ch->squelch_step;
  for (gsize i = 0; i < n; i++)
    {
      g = step > 0 ? MIN (g + step, target) : MAX (g + step, target);
      for (guint s = 0; s < ch->n_streams; s++)
        streams[s * stride + offset + i] *= g;
    }
  ch->squelch_gain = g;
}

static void
demod (FerChannel *ch, const float complex *in, gsize n, float *out, gsize stride)
{
  switch (ch->info->demod)
    {
    case FER_DEMOD_FM:
      fer_fm_demod_process (ch->fm, in, n, out);
      if (ch->mpx_func)
        ch->mpx_func (out, n, ch->mpx_data);
      if (ch->stereo)
        {
          fer_stereo_process (ch->stereo, out, n, out + stride);
          fer_deemph_process (ch->deemph[1], out + stride, n, out + stride);
        }
      fer_deemph_process (ch->deemph[0], out, n, out);
      break;
    case FER_DEMOD_AM:
      fer_am_demod_process (ch->am, in, n, out);
      break;
    case FER_DEMOD_LINEAR:
      if (ch->am)
        fer_am_demod_process (ch->am, in, n, out);
      else
        /* lin_buf holds one block: longer input goes through in pieces. */
        for (gsize done = 0; done < n;)
          {
            gsize take = MIN (n - done, ch->ch_cap);
            fer_nco_mix (ch->bfo, in + done, take, ch->lin_buf);
            const float *restrict v = (const float *) ch->lin_buf;
            for (gsize i = 0; i < take; i++)
              out[done + i] = v[2 * i];
            done += take;
          }
      break;
    case FER_DEMOD_NONE:
      for (gsize i = 0; i < n; i++)
        {
          out[i] = crealf (in[i]);
          out[stride + i] = cimagf (in[i]);
        }
      break;
    }
}

gsize
fer_channel_demod_block (FerChannel *ch, const float complex *in, gsize n, float *out,
                         gboolean have_probe)
{
  demod (ch, in, n, out, n);
  /* Meters and squelch in windows fixed to the sample count. */
  gsize done = 0;
  while (done < n)
    {
      gsize take = MIN (n - done, (gsize) (ch->meter_window - ch->meter_fill));
      meter_accumulate (ch, in + done, take);
      if (have_probe && ch->probe_fir)
        probe_accumulate (ch, done + take);
      if (ch->mode != FER_MODE_RAW)
        squelch_apply (ch, out, n, done, take);
      ch->meter_fill += take;
      done += take;
      if (ch->meter_fill == ch->meter_window)
        meter_update (ch);
    }
  return n;
}

gsize
fer_channel_demodulate (FerChannel *ch, const float complex *in, gsize n, float *out)
{
  g_return_val_if_fail (ch != NULL, 0);
  /* Called on its own the probe's last output may not match @in; meters
   * then fall back to the moments. */
  return fer_channel_demod_block (ch, in, n, out, FALSE);
}
