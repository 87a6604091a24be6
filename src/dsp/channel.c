#define G_LOG_DOMAIN "fer-dsp"

#include "channel.h"

#include <math.h>
#include <string.h>

#include "fir.h"
#include "fm.h"
#include "nco.h"
#include "resampler.h"

/* Broadcast FM. */
#define WFM_DEVIATION_HZ 75000.0
#define WFM_PASS_HZ 100000.0          /* channel passband, each side: Carson, 2 (75 + 15..25) kHz */
#define WFM_CHANNEL_MAX_HZ 300500.0   /* 300 kHz, and a ppm-corrected rate a little above */
#define WFM_CHANNEL_MIN_HZ 230000.0   /* leaves >= 15 kHz of transition above the passband */
#define WFM_NO_DECIM_BELOW_HZ 400000.0
#define WFM_MIN_IN_HZ 200000.0
#define WFM_MAX_IN_HZ 20000000.0
#define WFM_DEEMPH_S 50e-6

#define DECIM_ATTEN_DB 72.0
#define AUDIO_PASS_HZ 15000.0
#define AUDIO_STOP_HZ 19000.0         /* the stereo pilot must be gone */
#define AUDIO_ATTEN_DB 66.0

#define MAX_STAGES 8
/* Source samples per pass through the chain: every intermediate buffer
 * stays in the first-level cache. */
#define BLOCK 2048

struct _FerChannel {
  FerMode mode;
  double in_rate_hz;
  double audio_rate_hz;
  double channel_rate_hz;
  double offset_hz;
  double pass_hz;               /* channel filter passband, each side */

  /* Shift and decimate. The source-rate oscillator is held to frequencies
   * whose table repeats (one complex product per sample); the remainder,
   * under rate / 2048, is shifted at the channel rate. */
  FerNco *coarse;               /* owned; source rate */
  FerNco *fine;                 /* owned; channel rate; NULL without decimation */
  guint decim;                  /* total */
  guint n_stages;
  FerFir *stages[MAX_STAGES];   /* owned */
  float complex *scratch[MAX_STAGES];  /* owned; input of stage i */
  double delay_in;              /* group delay of the stages, in source samples */
  guint64 n_in_total;           /* source samples shifted since reset */
  guint64 n_ch_total;           /* channel samples out since reset */
  gboolean fine_pending;        /* a residual to switch to once the chain has caught up */
  guint64 fine_switch_at;       /* channel sample index for it */
  double fine_next_freq;

  /* Demodulate. */
  FerFmDemod *demod;            /* owned */
  FerDeemph *deemph;            /* owned */

  /* Resample: an integer decimator (optional), then the exact ratio to the audio rate. */
  FerResampler *audio_decim;    /* owned, may be NULL */
  FerResampler *audio_rs;       /* owned */
  guint audio_decim_factor;
  float *audio_scratch;         /* owned */

  /* process () buffers, for BLOCK source samples. */
  float complex *ch_buf;        /* owned */
  float *demod_buf;             /* owned */
};

const char *
fer_mode_name (FerMode mode)
{
  switch (mode)
    {
    case FER_MODE_WFM:
      return "wfm";
    default:
      return NULL;
    }
}

gboolean
fer_mode_parse (const char *name, FerMode *out)
{
  g_return_val_if_fail (name != NULL, FALSE);
  if (g_ascii_strcasecmp (name, "wfm") == 0)
    {
      if (out)
        *out = FER_MODE_WFM;
      return TRUE;
    }
  return FALSE;
}

/* ---- Planning the decimation ------------------------------------------- */

typedef struct {
  guint n;
  guint factor[MAX_STAGES];
} Factors;

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
order_cost (const Factors *f, double in_rate, double pass, double ch_rate)
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
best_order (Factors *cur, guint *left, guint n_left, double in_rate, double pass,
            double ch_rate, Factors *best, double *best_cost)
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

static double
channel_pass (double ch_rate)
{
  return MIN (WFM_PASS_HZ, ch_rate / 2 - 15000.0);
}

static gboolean
plan_decimation (double in_rate, Factors *plan, guint *decim)
{
  plan->n = 0;
  *decim = 1;
  if (in_rate < WFM_NO_DECIM_BELOW_HZ)
    return TRUE;

  guint d_lo = (guint) ceil (in_rate / WFM_CHANNEL_MAX_HZ);
  guint d_hi = (guint) floor (in_rate / WFM_CHANNEL_MIN_HZ);
  if (d_hi < d_lo)
    d_hi = d_lo = (guint) floor (in_rate / WFM_MIN_IN_HZ);

  double best_cost = INFINITY;
  for (guint d = d_lo; d <= d_hi; d++)
    {
      guint left[MAX_STAGES], n_left = 0, rest = d;
      for (guint p = 2; p <= rest && n_left < MAX_STAGES; p++)
        while (rest % p == 0 && n_left < MAX_STAGES)
          {
            left[n_left++] = p;
            rest /= p;
          }
      if (rest != 1)
        continue;
      double ch_rate = in_rate / d;
      /* Discriminator, de-emphasis and audio filters, per channel sample. */
      double cost = 4.0 * ch_rate;
      Factors cur = { 0 }, best = { 0 };
      double c = INFINITY;
      best_order (&cur, left, n_left, in_rate, channel_pass (ch_rate), ch_rate, &best, &c);
      if (cost + c < best_cost)
        {
          best_cost = cost + c;
          *plan = best;
          *decim = d;
        }
    }
  return isfinite (best_cost);
}

/* Picks the integer audio decimation r that makes decimator + final resampler cheapest. */
static guint
plan_audio_decim (double ch_rate, double audio_rate, double pass, double stop)
{
  guint best_r = 1;
  double best_cost = INFINITY;
  for (guint r = 1; r <= 16; r++)
    {
      double f1 = ch_rate / r;
      if (r > 1 && (f1 - stop <= pass * 1.05 || f1 < 2 * stop))
        break;
      double cost = 0;
      if (r > 1)
        cost += fer_kaiser_n_taps ((f1 - stop - pass) / ch_rate, AUDIO_ATTEN_DB) * f1;
      /* The final filter's taps per output grow with its input rate. */
      cost += fer_kaiser_n_taps ((stop - pass) / f1, AUDIO_ATTEN_DB) * audio_rate;
      if (cost < best_cost)
        {
          best_cost = cost;
          best_r = r;
        }
    }
  return best_r;
}

/* ---- Lifecycle ---------------------------------------------------------- */

static void
set_offset_now (FerChannel *ch)
{
  double f = -ch->offset_hz / ch->in_rate_hz;
  f -= floor (f + 0.5);     /* the spectrum repeats: wrap into [-0.5, 0.5) */
  if (ch->fine == NULL)
    {
      fer_nco_set_freq (ch->coarse, f);
      return;
    }
  double fc = fer_nco_quantize_freq (f);
  fer_nco_set_freq (ch->coarse, fc);
  fer_nco_set_freq (ch->fine, (f - fc) * ch->decim);
}

FerChannel *
fer_channel_new (double in_rate_hz, FerMode mode, double offset_hz, double audio_rate_hz)
{
  if (mode != FER_MODE_WFM)
    return NULL;
  if (!(in_rate_hz >= WFM_MIN_IN_HZ && in_rate_hz <= WFM_MAX_IN_HZ))
    return NULL;
  if (!(audio_rate_hz >= 8000 && audio_rate_hz <= 192000))
    return NULL;

  Factors plan;
  guint decim;
  if (!plan_decimation (in_rate_hz, &plan, &decim))
    return NULL;
  double ch_rate = in_rate_hz / decim;
  if (audio_rate_hz > ch_rate)
    return NULL;

  FerChannel *ch = g_new0 (FerChannel, 1);
  ch->mode = mode;
  ch->in_rate_hz = in_rate_hz;
  ch->audio_rate_hz = audio_rate_hz;
  ch->channel_rate_hz = ch_rate;
  ch->offset_hz = offset_hz;
  ch->decim = decim;
  ch->pass_hz = decim > 1 ? channel_pass (ch_rate) : MIN (WFM_PASS_HZ, in_rate_hz / 2);

  /* Decimation stages, each followed by its output buffer. */
  double rate = in_rate_hz, prod = 1;
  gsize cap = BLOCK;
  if (plan.n > 0)
    ch->scratch[0] = g_new (float complex, cap);
  for (guint i = 0; i < plan.n; i++)
    {
      guint n_taps;
      g_autofree float *taps = design_stage (rate, plan.factor[i], i + 1 == plan.n, ch->pass_hz,
                                             ch_rate, &n_taps);
      ch->stages[i] = fer_fir_new (taps, n_taps, plan.factor[i]);
      ch->delay_in += (n_taps - 1) / 2.0 * prod;
      prod *= plan.factor[i];
      rate /= plan.factor[i];
      cap = fer_fir_max_out (ch->stages[i], cap);
      if (i + 1 < plan.n)
        ch->scratch[i + 1] = g_new (float complex, cap);
    }
  ch->n_stages = plan.n;
  ch->coarse = fer_nco_new (0);
  if (decim > 1)
    ch->fine = fer_nco_new (0);
  set_offset_now (ch);

  ch->demod = fer_fm_demod_new (ch_rate, WFM_DEVIATION_HZ);
  ch->deemph = fer_deemph_new (ch_rate, WFM_DEEMPH_S);

  double stop = MIN (AUDIO_STOP_HZ, audio_rate_hz / 2);
  double pass = MIN (AUDIO_PASS_HZ, stop * 0.8);
  guint r = plan_audio_decim (ch_rate, audio_rate_hz, pass, stop);
  double f1 = ch_rate / r;
  ch->audio_decim_factor = r;
  gsize ch_cap = fer_channel_max_channel_samples (ch, BLOCK);
  if (r > 1)
    {
      ch->audio_decim = fer_resampler_new (ch_rate, f1, pass, f1 - stop, AUDIO_ATTEN_DB);
      ch->audio_scratch = g_new (float, fer_resampler_max_out (ch->audio_decim, ch_cap));
    }
  ch->audio_rs = fer_resampler_new (f1, audio_rate_hz, pass, stop, AUDIO_ATTEN_DB);

  ch->ch_buf = g_new (float complex, ch_cap);
  ch->demod_buf = g_new (float, ch_cap);

  g_autofree gchar *desc = fer_channel_dup_description (ch);
  g_debug ("channel: %s", desc);
  return ch;
}

void
fer_channel_free (FerChannel *ch)
{
  if (ch == NULL)
    return;
  for (guint i = 0; i < ch->n_stages; i++)
    fer_fir_free (ch->stages[i]);
  for (guint i = 0; i < MAX_STAGES; i++)
    g_free (ch->scratch[i]);
  fer_nco_free (ch->coarse);
  fer_nco_free (ch->fine);
  fer_fm_demod_free (ch->demod);
  fer_deemph_free (ch->deemph);
  fer_resampler_free (ch->audio_decim);
  fer_resampler_free (ch->audio_rs);
  g_free (ch->audio_scratch);
  g_free (ch->ch_buf);
  g_free (ch->demod_buf);
  g_free (ch);
}

void
fer_channel_reset (FerChannel *ch)
{
  g_return_if_fail (ch != NULL);
  ch->fine_pending = FALSE;
  set_offset_now (ch);
  fer_nco_reset (ch->coarse);
  if (ch->fine)
    fer_nco_reset (ch->fine);
  for (guint i = 0; i < ch->n_stages; i++)
    fer_fir_reset (ch->stages[i]);
  ch->n_in_total = ch->n_ch_total = 0;
  fer_fm_demod_reset (ch->demod);
  fer_deemph_reset (ch->deemph);
  if (ch->audio_decim)
    fer_resampler_reset (ch->audio_decim);
  fer_resampler_reset (ch->audio_rs);
}

void
fer_channel_set_offset (FerChannel *ch, double offset_hz)
{
  g_return_if_fail (ch != NULL);
  ch->offset_hz = offset_hz;
  double f = -offset_hz / ch->in_rate_hz;
  f -= floor (f + 0.5);
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
  /* Both oscillators keep their phase. The source-rate one changes now; the
   * samples it shifts reach the channel rate one group delay later, and
   * that is when the residual must change too, or the audio would see the
   * coarse step alone for that long (a small thump). */
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

double
fer_channel_get_offset (FerChannel *ch)
{
  return ch->offset_hz;
}

FerMode
fer_channel_get_mode (FerChannel *ch)
{
  return ch->mode;
}

double
fer_channel_get_bandwidth (FerChannel *ch)
{
  return 2 * ch->pass_hz;
}

void
fer_channel_set_deemphasis (FerChannel *ch, double tau_s)
{
  g_return_if_fail (ch != NULL && tau_s >= 0);
  fer_deemph_set_tau (ch->deemph, tau_s);
}

double
fer_channel_get_deemphasis (FerChannel *ch)
{
  return fer_deemph_get_tau (ch->deemph);
}

double
fer_channel_get_channel_rate (FerChannel *ch)
{
  return ch->channel_rate_hz;
}

double
fer_channel_get_in_rate (FerChannel *ch)
{
  return ch->in_rate_hz;
}

double
fer_channel_get_audio_rate (FerChannel *ch)
{
  return ch->audio_rate_hz;
}

gchar *
fer_channel_dup_description (FerChannel *ch)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s %.0f Hz", fer_mode_name (ch->mode), ch->in_rate_hz);
  double rate = ch->in_rate_hz;
  for (guint i = 0; i < ch->n_stages; i++)
    {
      guint d = fer_fir_get_decim (ch->stages[i]);
      rate /= d;
      g_string_append_printf (s, " -> %s/%u (%u taps) %.0f Hz",
                              fer_fir_is_halfband (ch->stages[i]) ? "half-band " : "FIR ",
                              d, fer_fir_get_n_taps (ch->stages[i]), rate);
    }
  g_string_append_printf (s, "; passband +-%.0f Hz; FM, de-emphasis %.0f us",
                          ch->pass_hz, fer_deemph_get_tau (ch->deemph) * 1e6);
  if (ch->audio_decim)
    g_string_append_printf (s, " -> /%u (%u taps) %.0f Hz", ch->audio_decim_factor,
                            fer_resampler_get_taps_per_phase (ch->audio_decim),
                            ch->channel_rate_hz / ch->audio_decim_factor);
  guint l, m;
  if (fer_resampler_is_rational (ch->audio_rs, &l, &m))
    g_string_append_printf (s, " -> *%u/%u", l, m);
  else
    g_string_append (s, " -> fractional");
  g_string_append_printf (s, " (%u taps per output) %.0f Hz",
                          fer_resampler_get_taps_per_phase (ch->audio_rs), ch->audio_rate_hz);
  return g_string_free (s, FALSE);
}

/* ---- Processing --------------------------------------------------------- */

gsize
fer_channel_max_channel_samples (FerChannel *ch, gsize n_in)
{
  gsize n = n_in;
  for (guint i = 0; i < ch->n_stages; i++)
    n = fer_fir_max_out (ch->stages[i], n);
  return n;
}

gsize
fer_channel_max_out (FerChannel *ch, gsize n_in)
{
  gsize n = fer_channel_max_channel_samples (ch, n_in);
  if (ch->audio_decim)
    n = fer_resampler_max_out (ch->audio_decim, n);
  return fer_resampler_max_out (ch->audio_rs, n);
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

gsize
fer_channel_shift_decimate (FerChannel *ch, const float complex *in, gsize n_in,
                            float complex *out)
{
  g_return_val_if_fail (ch != NULL, 0);
  gsize n_out = 0;
  while (n_in > 0)
    {
      gsize take = MIN (n_in, (gsize) BLOCK), m = take;
      if (ch->n_stages == 0)
        fer_nco_mix (ch->coarse, in, take, out + n_out);
      else
        {
          fer_nco_mix (ch->coarse, in, take, ch->scratch[0]);
          for (guint i = 0; i < ch->n_stages; i++)
            {
              float complex *dst = i + 1 == ch->n_stages ? out + n_out : ch->scratch[i + 1];
              m = fer_fir_process (ch->stages[i], ch->scratch[i], m, dst);
            }
          fine_mix (ch, out + n_out, m);
        }
      ch->n_in_total += take;
      n_out += m;
      in += take;
      n_in -= take;
    }
  return n_out;
}

gsize
fer_channel_demodulate (FerChannel *ch, const float complex *in, gsize n, float *out)
{
  g_return_val_if_fail (ch != NULL, 0);
  fer_fm_demod_process (ch->demod, in, n, out);
  fer_deemph_process (ch->deemph, out, n, out);
  return n;
}

gsize
fer_channel_resample (FerChannel *ch, const float *in, gsize n, float *out)
{
  g_return_val_if_fail (ch != NULL, 0);
  if (ch->audio_decim == NULL)
    return fer_resampler_process (ch->audio_rs, in, n, out);
  gsize n_out = 0, cap = fer_channel_max_channel_samples (ch, BLOCK);
  while (n > 0)
    {
      gsize take = MIN (n, cap);
      gsize m = fer_resampler_process (ch->audio_decim, in, take, ch->audio_scratch);
      n_out += fer_resampler_process (ch->audio_rs, ch->audio_scratch, m, out + n_out);
      in += take;
      n -= take;
    }
  return n_out;
}

gsize
fer_channel_process (FerChannel *ch, const float complex *in, gsize n_in, float *out)
{
  g_return_val_if_fail (ch != NULL, 0);
  gsize n_out = 0;
  while (n_in > 0)
    {
      gsize take = MIN (n_in, (gsize) BLOCK);
      gsize m = fer_channel_shift_decimate (ch, in, take, ch->ch_buf);
      fer_channel_demodulate (ch, ch->ch_buf, m, ch->demod_buf);
      n_out += fer_channel_resample (ch, ch->demod_buf, m, out + n_out);
      in += take;
      n_in -= take;
    }
  return n_out;
}
