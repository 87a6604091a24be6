/* freq-history.c - back and forward through the frequencies listened to. */
#define G_LOG_DOMAIN "fer-ui"

#include "freq-history.h"

#include <math.h>

struct _FerFreqHistory {
  GArray *entries;      /* owned; double, oldest first */
  guint current;        /* index into entries; meaningless while empty */
  guint max_entries;
};

FerFreqHistory *
fer_freq_history_new (guint max_entries)
{
  FerFreqHistory *history = g_new0 (FerFreqHistory, 1);

  history->entries = g_array_new (FALSE, FALSE, sizeof (double));
  history->max_entries = MAX (max_entries, 2);
  return history;
}

void
fer_freq_history_free (FerFreqHistory *history)
{
  if (history == NULL)
    return;
  g_array_unref (history->entries);
  g_free (history);
}

void
fer_freq_history_visit (FerFreqHistory *history, double freq_hz)
{
  g_return_if_fail (isfinite (freq_hz));
  if (history->entries->len > 0)
    {
      if (g_array_index (history->entries, double, history->current) == freq_hz)
        return;
      /* what was ahead is a path not taken any more */
      g_array_set_size (history->entries, history->current + 1);
    }
  g_array_append_val (history->entries, freq_hz);
  if (history->entries->len > history->max_entries)
    g_array_remove_index (history->entries, 0);
  history->current = history->entries->len - 1;
}

gboolean
fer_freq_history_can_go_back (FerFreqHistory *history)
{
  return history->entries->len > 0 && history->current > 0;
}

gboolean
fer_freq_history_can_go_forward (FerFreqHistory *history)
{
  return history->entries->len > 0 && history->current + 1 < history->entries->len;
}

gboolean
fer_freq_history_back (FerFreqHistory *history, double *freq_hz)
{
  if (!fer_freq_history_can_go_back (history))
    return FALSE;
  history->current--;
  *freq_hz = g_array_index (history->entries, double, history->current);
  return TRUE;
}

gboolean
fer_freq_history_forward (FerFreqHistory *history, double *freq_hz)
{
  if (!fer_freq_history_can_go_forward (history))
    return FALSE;
  history->current++;
  *freq_hz = g_array_index (history->entries, double, history->current);
  return TRUE;
}

double
fer_freq_history_get_current (FerFreqHistory *history)
{
  if (history->entries->len == 0)
    return NAN;
  return g_array_index (history->entries, double, history->current);
}

guint
fer_freq_history_get_length (FerFreqHistory *history)
{
  return history->entries->len;
}
