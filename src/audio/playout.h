/* playout.h - what the sound card's callback does with the audio ring.
 *
 * Everything between the ring and the device, without PortAudio, so that it
 * can be driven by a simulated sound card in tests:
 *  - priming: nothing plays until the ring holds its target fill, at start
 *    and after a dropout, so one late burst is one gap, not a stutter;
 *  - a cushion that grows where it must: each dropout raises the target
 *    fill by a pull's worth (up to a limit), and after ten quiet minutes it
 *    comes down a step again, so a loaded machine trades a little latency
 *    for silence-free audio and an idle one keeps the lowest;
 *  - clock drift: FerDrift steers FerFineResampler from the fill, so the
 *    ring neither runs dry nor overflows whatever the two clocks do;
 *  - catching up: after the device stalled (a frozen sound server), the
 *    ring is full of old audio; what is past the high-water mark is dropped
 *    at once, so latency does not stay high;
 *  - volume and mute.
 *
 * fer_playout_pull () runs on the consumer thread (the device callback): no
 * locks, no allocation, no I/O. The other calls may come from any thread.
 */
#pragma once

#include <glib.h>

#include "ring.h"

G_BEGIN_DECLS

typedef struct _FerPlayout FerPlayout;

typedef struct {
  guint64 n_played;       /* frames handed to the device, silence included */
  guint64 n_underruns;    /* pulls that found the ring short (a dropout) */
  guint64 n_discarded;    /* frames dropped to catch up after a stall */
  double fill_frames;     /* the ring's fill before each pull, smoothed */
  gsize target_frames;    /* the fill kept now */
  gsize fill_min_frames;  /* the lowest and highest fill before a pull since */
  gsize fill_max_frames;  /* playback last (re)started */
  double ratio;           /* frames taken from the ring per frame played */
  gboolean priming;       /* waiting for the ring to fill */
} FerPlayoutStats;

/* @ring: borrowed; read only from fer_playout_pull (). @target_fill_frames:
 * the fill kept before each pull: at least one pull's worth plus the
 * jitter of both sides; dropouts raise it up to @max_target_fill_frames.
 * @max_pull_frames: a pull may ask for more; it is then served in pieces. */
FerPlayout *fer_playout_new (FerRing *ring, double rate_hz, gsize target_fill_frames,
                             gsize max_target_fill_frames, gsize max_pull_frames);
void fer_playout_free (FerPlayout *playout);

/* Consumer thread: writes @n_frames interleaved frames (the ring's
 * channels) to @out. */
void fer_playout_pull (FerPlayout *playout, float *out, gsize n_frames);

/* Any thread: the next pull drops what the ring holds and primes again (a
 * new stream starts; what waited for the old one is stale). */
void fer_playout_restart (FerPlayout *playout);

/* Any thread. 0..2; mute keeps the volume. */
void fer_playout_set_volume (FerPlayout *playout, float volume);
void fer_playout_set_muted (FerPlayout *playout, gboolean muted);
void fer_playout_get_stats (FerPlayout *playout, FerPlayoutStats *stats);

/* The fill kept now (any thread). */
gsize fer_playout_get_target_fill (FerPlayout *playout);
/* Above this fill, before a pull, the excess is dropped (consumer thread). */
gsize fer_playout_get_high_water (FerPlayout *playout);
/* The delay the resampler's filter adds, in frames. */
double fer_playout_get_filter_delay (FerPlayout *playout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerPlayout, fer_playout_free)

G_END_DECLS
