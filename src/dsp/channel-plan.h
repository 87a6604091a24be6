/* channel-plan.h - how a channel decimates (private to channel*.c).
 *
 * Given the source rate, the range of channel rates a mode can work at and
 * the passband it needs, picks the integer decimation and the order of its
 * stages (half-bands where they fit) that cost least, and designs each
 * stage. The last stage's passband is the channel's: up to @pass_hz it is
 * flat, and from channel_rate - pass_hz on it stops, so nothing aliases
 * into the passband.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_PLAN_MAX_STAGES 8

typedef struct {
  guint n;
  guint factor[FER_PLAN_MAX_STAGES];
  guint decim;          /* product of the factors */
} FerDecimPlan;

/* Chooses a decimation d with @rate_min_hz <= in_rate / d <= @rate_max_hz
 * (or the nearest workable one). @per_channel_cost: work per channel sample
 * after decimation, in the cost model's units (ns). FALSE if none works. */
gboolean fer_plan_decimation (double in_rate_hz, double rate_min_hz, double rate_max_hz,
                              double pass_hz, double per_channel_cost, FerDecimPlan *plan);

/* Taps of stage @i of @plan (g_free), its length in @n_taps. */
float *fer_plan_design_stage (const FerDecimPlan *plan, guint i, double in_rate_hz,
                              double pass_hz, guint *n_taps);

/* Picks the integer audio decimation r (1..16) that makes decimator + final
 * resampler cheapest, for audio flat to @pass_hz and stopped from @stop_hz. */
guint fer_plan_audio_decim (double ch_rate_hz, double audio_rate_hz, double pass_hz,
                            double stop_hz, double atten_db);

G_END_DECLS
