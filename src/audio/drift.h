/* drift.h - keeps the audio ring at its target fill, whatever the two clocks.
 *
 * The dongle's crystal sets how fast audio arrives, the sound card's how fast
 * it leaves; they differ by tens to hundreds of ppm, so a ring played at the
 * nominal rate slowly runs dry or overflows. Once per callback the sink tells
 * this controller how full the ring is; it answers with the ratio (input
 * frames consumed per frame played) for FerFineResampler.
 *
 * A PI controller on the fill, smoothed over seconds (audio arrives in
 * bursts and leaves in bursts, so the raw fill is a sawtooth). Inside a dead
 * band around the target only the learned clock ratio is applied: a
 * well-matched pair of clocks is left alone, and the ratio never wobbles
 * with the sawtooth. The integral term learns the clocks' ratio; the
 * proportional term pulls the fill back. Its loop settles in about a minute
 * without overshoot, and the ratio glides (50 ppm per second at most), which
 * keeps the pitch change far below what anyone hears (1000 ppm at most, 1.7
 * cents).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_DRIFT_MAX_PPM 1000.0

typedef struct _FerDrift FerDrift;

/* @target_fill_frames: the fill to keep (as measured right before each
 * read); @dead_band_frames: no correction while the smoothed fill is within
 * this of the target. */
FerDrift *fer_drift_new (double rate_hz, double target_fill_frames, double dead_band_frames);
void fer_drift_free (FerDrift *drift);

/* Forgets the smoothed fill (after a dropout, a new stream); keeps the
 * learned clock ratio, which belongs to the two clocks, not the stream. */
void fer_drift_restart (FerDrift *drift);

/* One callback: the ring held @fill_frames before @n_frames are played.
 * Returns the ratio to play them at. */
double fer_drift_update (FerDrift *drift, double fill_frames, gsize n_frames);

/* Moves the target (and its dead band); the fill is steered there gently,
 * at the ratio's limit at most. */
void fer_drift_set_target (FerDrift *drift, double target_fill_frames, double dead_band_frames);

double fer_drift_get_ratio (FerDrift *drift);
/* The smoothed fill; 0 before the first update. */
double fer_drift_get_fill (FerDrift *drift);
double fer_drift_get_target (FerDrift *drift);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerDrift, fer_drift_free)

G_END_DECLS
