/* resampler.h - polyphase resampler for real samples (audio).
 *
 * When out/in is a ratio L/M of small integers (L <= 1024) the resampler is
 * exact: output j is taken at input time j M / L with one of L fixed phase
 * filters, and the output count never drifts. Otherwise (an odd source rate)
 * it steps in 32.32 fixed point through 128 phases and interpolates linearly
 * between neighbouring phases.
 *
 * The anti-alias/anti-image filter is a Kaiser-windowed low-pass: flat to
 * @pass_hz, @atten_db down from @stop_hz on, at the output's DC gain of 1.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerResampler FerResampler;

FerResampler *fer_resampler_new (double in_rate_hz, double out_rate_hz, double pass_hz,
                                 double stop_hz, double atten_db);
void fer_resampler_free (FerResampler *rs);
void fer_resampler_reset (FerResampler *rs);
/* Upper bound on the outputs process () writes for @n_in inputs. */
gsize fer_resampler_max_out (FerResampler *rs, gsize n_in);
/* Returns how many outputs were written to @out. */
gsize fer_resampler_process (FerResampler *rs, const float *in, gsize n_in, float *out);

/* TRUE on the exact rational path; @l and @m (may be NULL) get the ratio. */
gboolean fer_resampler_is_rational (FerResampler *rs, guint *l, guint *m);
/* Taps per output (the cost of one output, in multiply-adds). */
guint fer_resampler_get_taps_per_phase (FerResampler *rs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerResampler, fer_resampler_free)

G_END_DECLS
