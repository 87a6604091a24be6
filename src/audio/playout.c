#define G_LOG_DOMAIN "fer-audio"

#include "playout.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "drift.h"
#include "fine-resampler.h"

/* Beyond the target, how much may queue up before the excess is dropped:
 * 100 ms. Steady playback never comes near (the fill moves by a callback's
 * worth and the jitter); a device that stopped taking audio for longer has
 * already made a gap, and keeping what piled up would only add latency. */
#define HIGH_WATER_S 0.1
/* The drift controller leaves the fill alone within this of the target. */
#define DEAD_BAND_FRACTION 0.125
/* Priming with nothing coming in for this many pulls: the stream ended. */
#define ENDED_PULLS 3
/* After this long without a dropout a raised target comes down a step. */
#define QUIET_S 600.0

struct _FerPlayout {
  FerRing *ring;                /* borrowed */
  guint channels;
  double rate_hz;
  gsize base_target;
  gsize max_target;
  gsize max_pull;

  /* thread: consumer */
  FerDrift *drift;              /* owned */
  FerFineResampler *resampler;  /* owned */
  float *scratch;               /* owned; input frames for one piece */
  gboolean priming;
  gsize priming_fill;           /* the fill at the last pull while priming */
  guint priming_still;          /* pulls since it last changed */
  gsize target;                 /* the fill kept now */
  gsize high_water;
  guint64 quiet_frames;         /* played since the last dropout or step down */
  gsize fill_min, fill_max;     /* before each pull, since the priming ended */

  /* any thread */
  atomic_bool restart;
  atomic_uint volume_bits;      /* float */
  atomic_bool muted;
  atomic_uint_least64_t n_played;
  atomic_uint_least64_t n_underruns;
  atomic_uint_least64_t n_discarded;
  _Atomic double fill;
  _Atomic double ratio;
  atomic_size_t target_shown;
  atomic_size_t fill_min_shown;
  atomic_size_t fill_max_shown;
  atomic_bool priming_shown;
};

FerPlayout *
fer_playout_new (FerRing *ring, double rate_hz, gsize target_fill_frames,
                 gsize max_target_fill_frames, gsize max_pull_frames)
{
  g_return_val_if_fail (ring != NULL && rate_hz > 0, NULL);
  g_return_val_if_fail (target_fill_frames > 0 && max_pull_frames > 0, NULL);
  g_return_val_if_fail (max_target_fill_frames >= target_fill_frames, NULL);
  FerPlayout *p = g_new0 (FerPlayout, 1);
  p->ring = ring;
  p->channels = fer_ring_get_channels (ring);
  p->rate_hz = rate_hz;
  p->base_target = target_fill_frames;
  p->max_target = max_target_fill_frames;
  p->target = target_fill_frames;
  p->high_water = target_fill_frames + (gsize) (HIGH_WATER_S * rate_hz);
  p->max_pull = max_pull_frames;
  p->drift = fer_drift_new (rate_hz, (double) target_fill_frames,
                            DEAD_BAND_FRACTION * (double) target_fill_frames);
  /* A piece of max_pull outputs takes at most this many inputs. */
  gsize max_in = (gsize) ceil ((double) max_pull_frames
                               * (1.0 + FER_FINE_RESAMPLER_MAX_DEVIATION)) + 2;
  p->resampler = fer_fine_resampler_new (p->channels, max_in);
  p->scratch = g_new (float, max_in * p->channels);
  p->priming = TRUE;
  atomic_init (&p->restart, FALSE);
  atomic_init (&p->volume_bits, 0);
  atomic_init (&p->muted, FALSE);
  atomic_init (&p->n_played, 0);
  atomic_init (&p->n_underruns, 0);
  atomic_init (&p->n_discarded, 0);
  atomic_init (&p->fill, 0.0);
  atomic_init (&p->ratio, 1.0);
  atomic_init (&p->target_shown, target_fill_frames);
  atomic_init (&p->fill_min_shown, 0);
  atomic_init (&p->fill_max_shown, 0);
  atomic_init (&p->priming_shown, TRUE);
  fer_playout_set_volume (p, 1.0f);
  return p;
}

void
fer_playout_free (FerPlayout *p)
{
  if (p == NULL)
    return;
  fer_drift_free (p->drift);
  fer_fine_resampler_free (p->resampler);
  g_free (p->scratch);
  g_free (p);
}

static float
load_volume (FerPlayout *p)
{
  guint bits = atomic_load_explicit (&p->volume_bits, memory_order_relaxed);
  float volume;
  memcpy (&volume, &bits, sizeof volume);
  return volume;
}

/* The most outputs that @fill input frames can make at @ratio. */
static gsize
outputs_from (FerPlayout *p, gsize fill, double ratio, gsize n_max)
{
  gsize n = (gsize) MIN ((double) n_max, floor ((double) fill / ratio));
  while (n > 0 && fer_fine_resampler_input_for (p->resampler, n, ratio) > fill)
    n--;
  return n;
}

static void
set_target (FerPlayout *p, gsize target)
{
  p->target = target;
  p->high_water = target + (gsize) (HIGH_WATER_S * p->rate_hz);
  fer_drift_set_target (p->drift, (double) target, DEAD_BAND_FRACTION * (double) target);
  atomic_store_explicit (&p->target_shown, target, memory_order_relaxed);
}

static void
silence (FerPlayout *p, float *out, gsize n_frames)
{
  memset (out, 0, n_frames * p->channels * sizeof (float));
}

/* One piece of at most max_pull frames. */
static void
pull_piece (FerPlayout *p, float *out, gsize n_frames)
{
  gsize fill = fer_ring_get_fill (p->ring);
  gsize n_lead = 0;   /* silence before the audio */

  if (p->priming)
    {
      /* Start so that the next pull finds the target (about n_frames
       * arrive in between): the audio starts part way into this piece,
       * and the fill starts where the drift controller wants it. Unless
       * nothing came in for a few pulls: the stream has ended, and what
       * is left plays now rather than never. */
      p->priming_still = fill == p->priming_fill ? p->priming_still + 1 : 0;
      p->priming_fill = fill;
      gboolean ended = fill > 0 && p->priming_still >= ENDED_PULLS;
      if (fill + n_frames < p->target && !ended)
        {
          silence (p, out, n_frames);
          return;
        }
      p->priming = FALSE;
      p->priming_fill = 0;
      fer_drift_restart (p->drift);
      p->fill_min = G_MAXSIZE;
      p->fill_max = 0;
      if (fill > p->target)
        {
          fer_ring_discard (p->ring, fill - p->target);
          fill = p->target;
        }
      n_lead = ended ? 0 : MIN (n_frames, p->target - fill);
    }
  else if (fill > p->high_water)
    {
      /* The device stalled and the ring piled up: back to the target. */
      gsize excess = fill - p->target;
      fer_ring_discard (p->ring, excess);
      atomic_fetch_add_explicit (&p->n_discarded, excess, memory_order_relaxed);
      fill = p->target;
      fer_drift_restart (p->drift);
    }

  /* The fill a pull starts from steers the ratio; the one that ends the
   * priming is short on purpose and would mislead it. */
  double ratio = fer_drift_get_ratio (p->drift);
  if (n_lead == 0)
    {
      ratio = fer_drift_update (p->drift, (double) fill, n_frames);
      p->fill_min = MIN (p->fill_min, fill);
      p->fill_max = MAX (p->fill_max, fill);
      atomic_store_explicit (&p->fill, fer_drift_get_fill (p->drift), memory_order_relaxed);
      atomic_store_explicit (&p->fill_min_shown, p->fill_min, memory_order_relaxed);
      atomic_store_explicit (&p->fill_max_shown, p->fill_max, memory_order_relaxed);
      atomic_store_explicit (&p->ratio, ratio, memory_order_relaxed);
    }

  gsize n_out = n_frames - n_lead;
  if (fer_fine_resampler_input_for (p->resampler, n_out, ratio) > fill)
    {
      /* A dropout: play what there is, then prime again, with a bigger
       * cushion. */
      n_out = outputs_from (p, fill, ratio, n_out);
      atomic_fetch_add_explicit (&p->n_underruns, 1, memory_order_relaxed);
      p->priming = TRUE;
      p->quiet_frames = 0;
      set_target (p, MIN (p->target + p->max_pull, p->max_target));
    }
  else if ((p->quiet_frames += n_frames) > (guint64) (QUIET_S * p->rate_hz)
           && p->target > p->base_target)
    {
      /* Long quiet: one step back down, which the drift controller makes
       * by playing a little faster for a while. */
      p->quiet_frames = 0;
      set_target (p, MAX (p->target - p->max_pull, p->base_target));
    }
  gsize n_in = fer_fine_resampler_input_for (p->resampler, n_out, ratio);
  gsize got = fer_ring_read (p->ring, p->scratch, n_in);
  g_assert (got == n_in);   /* only this thread takes from the ring */
  silence (p, out, n_lead);
  fer_fine_resampler_process (p->resampler, p->scratch, out + n_lead * p->channels, n_out,
                              ratio);
  silence (p, out + (n_lead + n_out) * p->channels, n_frames - n_lead - n_out);
}

void
fer_playout_pull (FerPlayout *p, float *out, gsize n_frames)
{
  if (atomic_exchange (&p->restart, FALSE))
    {
      fer_ring_clear (p->ring);
      fer_fine_resampler_reset (p->resampler);
      p->priming = TRUE;
    }

  for (gsize done = 0; done < n_frames;)
    {
      gsize n = MIN (n_frames - done, p->max_pull);
      pull_piece (p, out + done * p->channels, n);
      done += n;
    }

  float volume = atomic_load_explicit (&p->muted, memory_order_relaxed) ? 0.0f : load_volume (p);
  if (volume != 1.0f)
    for (gsize i = 0; i < n_frames * p->channels; i++)
      out[i] = CLAMP (out[i] * volume, -1.0f, 1.0f);
  atomic_store_explicit (&p->priming_shown, p->priming, memory_order_relaxed);
  atomic_fetch_add_explicit (&p->n_played, n_frames, memory_order_relaxed);
}

void
fer_playout_restart (FerPlayout *p)
{
  atomic_store (&p->restart, TRUE);
}

void
fer_playout_set_volume (FerPlayout *p, float volume)
{
  if (!(volume >= 0.0f))   /* NaN too */
    volume = 0.0f;
  volume = MIN (volume, 2.0f);
  guint bits;
  memcpy (&bits, &volume, sizeof bits);
  atomic_store_explicit (&p->volume_bits, bits, memory_order_relaxed);
}

void
fer_playout_set_muted (FerPlayout *p, gboolean muted)
{
  atomic_store_explicit (&p->muted, muted != FALSE, memory_order_relaxed);
}

void
fer_playout_get_stats (FerPlayout *p, FerPlayoutStats *stats)
{
  stats->n_played = atomic_load_explicit (&p->n_played, memory_order_relaxed);
  stats->n_underruns = atomic_load_explicit (&p->n_underruns, memory_order_relaxed);
  stats->n_discarded = atomic_load_explicit (&p->n_discarded, memory_order_relaxed);
  stats->fill_frames = atomic_load_explicit (&p->fill, memory_order_relaxed);
  stats->ratio = atomic_load_explicit (&p->ratio, memory_order_relaxed);
  stats->target_frames = atomic_load_explicit (&p->target_shown, memory_order_relaxed);
  stats->fill_min_frames = atomic_load_explicit (&p->fill_min_shown, memory_order_relaxed);
  stats->fill_max_frames = atomic_load_explicit (&p->fill_max_shown, memory_order_relaxed);
  stats->priming = atomic_load_explicit (&p->priming_shown, memory_order_relaxed);
}

gsize
fer_playout_get_target_fill (FerPlayout *p)
{
  return atomic_load_explicit (&p->target_shown, memory_order_relaxed);
}

gsize
fer_playout_get_high_water (FerPlayout *p)
{
  return p->high_water;
}

double
fer_playout_get_filter_delay (FerPlayout *p)
{
  return fer_fine_resampler_get_delay (p->resampler);
}
