/* waterfall-history.h - the levels behind the waterfall's rows.
 *
 * The waterfall's pixels are only a picture of the levels at one zoom, one
 * colour map and one dB range. To zoom, pan or recolour the rows already on
 * screen, the view keeps the levels themselves: one row per spectrum frame,
 * each with the band it covers (centre, rate), the bins reduced to at most
 * FER_WATERFALL_HISTORY_MAX_BINS by taking the strongest of neighbours (a
 * narrow carrier never vanishes) and quantised to a byte per bin.
 *
 * Levels are quantised over FER_WATERFALL_LEVEL_MIN_DB..MAX_DB in 255 steps
 * (about 0.7 dB, finer than any colour map shows). Main thread only; no
 * allocation per row once the ring has filled, unless the row size changes.
 *
 * Bin i of an n-bin row stands for center - rate/2 + i * rate/n and covers
 * one bin width from there, as in the spectrum frames.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_WATERFALL_HISTORY_MAX_BINS 16384
#define FER_WATERFALL_LEVEL_MIN_DB -170.0
#define FER_WATERFALL_LEVEL_MAX_DB 10.0

typedef struct _FerWaterfallHistory FerWaterfallHistory;

FerWaterfallHistory *fer_waterfall_history_new (guint max_rows);
void fer_waterfall_history_free (FerWaterfallHistory *history);

/* Keeps the newest @max_rows rows (older ones are dropped). */
void fer_waterfall_history_set_max_rows (FerWaterfallHistory *history, guint max_rows);
guint fer_waterfall_history_get_max_rows (FerWaterfallHistory *history);
void fer_waterfall_history_clear (FerWaterfallHistory *history);
guint fer_waterfall_history_get_n_rows (FerWaterfallHistory *history);

/* Adds a row from @n_bins levels in dBFS (low to high frequency; NaN and
 * -inf count as the lowest level). */
void fer_waterfall_history_push (FerWaterfallHistory *history, const float *db, guint n_bins,
                                 double center_hz, double rate_hz);

/* The band row @index (0 = newest) covers, and its bins as stored. */
void fer_waterfall_history_get_row (FerWaterfallHistory *history, guint index,
                                    double *center_hz, double *rate_hz,
                                    const guint8 **levels, guint *n_levels);

guint8 fer_waterfall_level_from_db (float db);
float fer_waterfall_level_to_db (guint8 level);

/* Paints row @index into @px: @width columns spanning @lo_hz..@hi_hz, each
 * the colour @level_colors gives the strongest level the column covers (or
 * the two nearest bins blended, where a bin is wider than a column).
 * Columns outside the row's band get @outside. */
void fer_waterfall_history_paint_row (FerWaterfallHistory *history, guint index,
                                      double lo_hz, double hi_hz, guint32 *px, guint width,
                                      const guint32 level_colors[256], guint32 outside);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerWaterfallHistory, fer_waterfall_history_free)

G_END_DECLS
