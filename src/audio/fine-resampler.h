/* fine-resampler.h - resampling by a ratio that stays within a fraction of a
 * percent of 1 and may change on every call.
 *
 * The sound card's clock and the dongle's differ by tens to hundreds of ppm;
 * the sink takes the ring's audio a little faster or slower than it arrives
 * by steering this resampler. @ratio is input frames consumed per output
 * frame (1.0001 = take 100 ppm more than is played).
 *
 * A 32-tap windowed sinc at 2048 fractional positions (the nearest one is
 * used: a timing error of at most 1/4096 frame); each position's taps sum to
 * 1, so the gain does not move as the position sweeps. Flat to 0.05 dB up to
 * 16 kHz at 48 kHz. The position is kept in 32.32 fixed point, so how many
 * input frames a call consumes is exact and reproducible.
 *
 * Interleaved frames of any channel count. No allocation after _new.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_FINE_RESAMPLER_MAX_DEVIATION 0.01   /* |ratio - 1| accepted */

typedef struct _FerFineResampler FerFineResampler;

/* @max_in_frames: the most input frames one process () call may take. */
FerFineResampler *fer_fine_resampler_new (guint channels, gsize max_in_frames);
void fer_fine_resampler_free (FerFineResampler *rs);
/* Forgets the past input (silence) and the fractional position. */
void fer_fine_resampler_reset (FerFineResampler *rs);

/* How many input frames the next process () of @n_out frames at @ratio
 * consumes (about @n_out * @ratio). */
gsize fer_fine_resampler_input_for (FerFineResampler *rs, gsize n_out, double ratio);
/* Writes @n_out frames to @out from exactly
 * fer_fine_resampler_input_for (@rs, @n_out, @ratio) frames of @in. */
void fer_fine_resampler_process (FerFineResampler *rs, const float *in, float *out,
                                 gsize n_out, double ratio);

/* The delay the filter adds, in input frames. */
double fer_fine_resampler_get_delay (FerFineResampler *rs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerFineResampler, fer_fine_resampler_free)

G_END_DECLS
