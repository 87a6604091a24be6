/* freq-history.h - back and forward through the frequencies listened to.
 *
 * Like a browser's history: visiting a frequency drops what was ahead;
 * back and forward move along the list without changing it. Visiting the
 * frequency already current changes nothing. Only GLib.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerFreqHistory FerFreqHistory;

/* Keeps at most @max_entries (the oldest go first). */
FerFreqHistory *fer_freq_history_new (guint max_entries);
void fer_freq_history_free (FerFreqHistory *history);

void fer_freq_history_visit (FerFreqHistory *history, double freq_hz);
/* The frequency back (forward) from the current one: TRUE and @freq_hz set,
 * and that one becomes current; FALSE at the end. */
gboolean fer_freq_history_back (FerFreqHistory *history, double *freq_hz);
gboolean fer_freq_history_forward (FerFreqHistory *history, double *freq_hz);
gboolean fer_freq_history_can_go_back (FerFreqHistory *history);
gboolean fer_freq_history_can_go_forward (FerFreqHistory *history);
/* The current frequency; NAN before the first visit. */
double fer_freq_history_get_current (FerFreqHistory *history);
guint fer_freq_history_get_length (FerFreqHistory *history);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerFreqHistory, fer_freq_history_free)

G_END_DECLS
