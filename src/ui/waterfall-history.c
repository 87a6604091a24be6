/* waterfall-history.c - the levels behind the waterfall's rows. */
#define G_LOG_DOMAIN "fer-ui"

#include "waterfall-history.h"

#include <math.h>
#include <string.h>

#define LEVEL_STEP_DB ((FER_WATERFALL_LEVEL_MAX_DB - FER_WATERFALL_LEVEL_MIN_DB) / 255.0)

typedef struct {
  double center_hz;
  double rate_hz;
  double lo_hz;         /* left edge of bin 0 */
  double bin_hz;        /* width of a stored bin */
  guint n;              /* stored bins */
  guint8 *levels;       /* owned; capacity bytes */
  guint capacity;
} Row;

struct _FerWaterfallHistory {
  Row *ring;            /* owned; max_rows entries, newest at head */
  guint max_rows;
  guint head;
  guint n_rows;
};

FerWaterfallHistory *
fer_waterfall_history_new (guint max_rows)
{
  FerWaterfallHistory *history = g_new0 (FerWaterfallHistory, 1);

  history->max_rows = MAX (max_rows, 1);
  history->ring = g_new0 (Row, history->max_rows);
  return history;
}

void
fer_waterfall_history_free (FerWaterfallHistory *history)
{
  if (history == NULL)
    return;
  for (guint i = 0; i < history->max_rows; i++)
    g_free (history->ring[i].levels);
  g_free (history->ring);
  g_free (history);
}

static Row *
row_at (FerWaterfallHistory *history, guint index)
{
  return &history->ring[(history->head + history->max_rows - index) % history->max_rows];
}

void
fer_waterfall_history_set_max_rows (FerWaterfallHistory *history, guint max_rows)
{
  Row *ring;
  guint n_keep;

  max_rows = MAX (max_rows, 1);
  if (max_rows == history->max_rows)
    return;
  ring = g_new0 (Row, max_rows);
  n_keep = MIN (history->n_rows, max_rows);
  /* newest at the highest index of the new ring */
  for (guint i = 0; i < n_keep; i++)
    {
      Row *r = row_at (history, i);
      ring[n_keep - 1 - i] = *r;
      r->levels = NULL;
    }
  for (guint i = 0; i < history->max_rows; i++)
    g_free (history->ring[i].levels);
  g_free (history->ring);
  history->ring = ring;
  history->max_rows = max_rows;
  history->n_rows = n_keep;
  history->head = n_keep > 0 ? n_keep - 1 : max_rows - 1;
}

guint
fer_waterfall_history_get_max_rows (FerWaterfallHistory *history)
{
  return history->max_rows;
}

void
fer_waterfall_history_clear (FerWaterfallHistory *history)
{
  history->n_rows = 0;
  history->head = history->max_rows - 1;
}

guint
fer_waterfall_history_get_n_rows (FerWaterfallHistory *history)
{
  return history->n_rows;
}

guint8
fer_waterfall_level_from_db (float db)
{
  double q;

  if (!(db > FER_WATERFALL_LEVEL_MIN_DB))  /* NaN too */
    return 0;
  q = (db - FER_WATERFALL_LEVEL_MIN_DB) / LEVEL_STEP_DB + 0.5;
  return q >= 255.0 ? 255 : (guint8) q;
}

float
fer_waterfall_level_to_db (guint8 level)
{
  return (float) (FER_WATERFALL_LEVEL_MIN_DB + level * LEVEL_STEP_DB);
}

void
fer_waterfall_history_push (FerWaterfallHistory *history, const float *db, guint n_bins,
                            double center_hz, double rate_hz)
{
  guint group, n;
  Row *r;

  g_return_if_fail (db != NULL && n_bins > 0 && rate_hz > 0);

  /* groups of neighbours, so that at most MAX_BINS remain */
  group = (n_bins + FER_WATERFALL_HISTORY_MAX_BINS - 1) / FER_WATERFALL_HISTORY_MAX_BINS;
  n = (n_bins + group - 1) / group;

  history->head = (history->head + 1) % history->max_rows;
  history->n_rows = MIN (history->n_rows + 1, history->max_rows);
  r = &history->ring[history->head];
  if (r->capacity < n)
    {
      g_free (r->levels);
      r->levels = g_new (guint8, n);
      r->capacity = n;
    }
  r->center_hz = center_hz;
  r->rate_hz = rate_hz;
  r->lo_hz = center_hz - rate_hz / 2;
  r->bin_hz = rate_hz / n_bins * group;
  r->n = n;

  if (group == 1)
    for (guint i = 0; i < n; i++)
      r->levels[i] = fer_waterfall_level_from_db (db[i]);
  else
    for (guint j = 0; j < n; j++)
      {
        guint8 m = 0;
        guint end = MIN ((j + 1) * group, n_bins);

        for (guint i = j * group; i < end; i++)
          {
            guint8 l = fer_waterfall_level_from_db (db[i]);
            m = MAX (m, l);
          }
        r->levels[j] = m;
      }
}

void
fer_waterfall_history_get_row (FerWaterfallHistory *history, guint index, double *center_hz,
                               double *rate_hz, const guint8 **levels, guint *n_levels)
{
  Row *r;

  g_return_if_fail (index < history->n_rows);
  r = row_at (history, index);
  if (center_hz)
    *center_hz = r->center_hz;
  if (rate_hz)
    *rate_hz = r->rate_hz;
  if (levels)
    *levels = r->levels;
  if (n_levels)
    *n_levels = r->n;
}

void
fer_waterfall_history_paint_row (FerWaterfallHistory *history, guint index, double lo_hz,
                                 double hi_hz, guint32 *px, guint width,
                                 const guint32 level_colors[256], guint32 outside)
{
  const Row *r;
  double hz_per_px, bins_per_px, start;
  const guint8 *l;
  int n;

  g_return_if_fail (index < history->n_rows && width > 0 && hi_hz > lo_hz);
  r = row_at (history, index);
  l = r->levels;
  n = (int) r->n;
  hz_per_px = (hi_hz - lo_hz) / width;
  bins_per_px = hz_per_px / r->bin_hz;
  /* column c starts at bin position start + c * bins_per_px */
  start = (lo_hz - r->lo_hz) / r->bin_hz;

  if (bins_per_px >= 1.0)
    {
      /* the bins whose left edge falls in the column: the strongest wins */
      for (guint c = 0; c < width; c++)
        {
          double p0 = start + c * bins_per_px, p1 = p0 + bins_per_px;
          int b0 = (int) ceil (p0), b1 = (int) ceil (p1);
          guint8 m;

          if (b1 <= 0 || b0 >= n)
            {
              px[c] = outside;
              continue;
            }
          b0 = MAX (b0, 0);
          b1 = MIN (b1, n);
          if (b0 >= b1)
            b0 = b1 - 1;
          m = l[b0];
          for (int i = b0 + 1; i < b1; i++)
            m = MAX (m, l[i]);
          px[c] = level_colors[m];
        }
    }
  else
    {
      /* zoomed in past the bins: blend the two nearest */
      for (guint c = 0; c < width; c++)
        {
          double pos = start + (c + 0.5) * bins_per_px;
          int i0, i1;
          double t;

          if (pos < 0.0 || pos >= n)
            {
              px[c] = outside;
              continue;
            }
          i0 = (int) pos;
          i1 = MIN (i0 + 1, n - 1);
          t = pos - i0;
          px[c] = level_colors[(guint8) (l[i0] + t * (l[i1] - l[i0]) + 0.5)];
        }
    }
}
