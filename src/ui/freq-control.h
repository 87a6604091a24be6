/* freq-control.h - FerFreqControl: the large frequency display you can turn.
 *
 * Shows the frequency in Hz with grouped digits ("100.000.000"). The user
 * changes it digit by digit: the scroll wheel over a digit or a click on its
 * upper/lower half adds or takes 10^k (carrying into the others), Up/Down
 * step the selected digit and Left/Right select another. Typing a digit, '.'
 * or a suffix (k, M, G) starts an inline edit: "96.3M", "433.92M", "500k",
 * "100000000"; Enter tunes, Escape cancels. Values outside the range are
 * refused with the error bell.
 *
 * "frequency-changed" is emitted only for the user's changes;
 * fer_freq_control_set_frequency () is silent.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FER_TYPE_FREQ_CONTROL (fer_freq_control_get_type ())
G_DECLARE_FINAL_TYPE (FerFreqControl, fer_freq_control, FER, FREQ_CONTROL, GtkWidget)

GtkWidget *fer_freq_control_new (void);

/* Shows @freq_hz (rounded to 1 Hz) without emitting "frequency-changed". */
void fer_freq_control_set_frequency (FerFreqControl *self, double freq_hz);
double fer_freq_control_get_frequency (FerFreqControl *self);

/* What the user may choose; the number of digits follows @max_hz. */
void fer_freq_control_set_range (FerFreqControl *self, double min_hz, double max_hz);
void fer_freq_control_get_range (FerFreqControl *self, double *min_hz, double *max_hz);

/* The digit the keys step, as its power of ten (0 = Hz). */
void fer_freq_control_set_selected_digit (FerFreqControl *self, guint exponent);
guint fer_freq_control_get_selected_digit (FerFreqControl *self);
/* TRUE while the user is typing a frequency. */
gboolean fer_freq_control_is_editing (FerFreqControl *self);

/* Where the digit for 10^@exponent is drawn, in widget coordinates; FALSE
 * if there is no such digit. */
gboolean fer_freq_control_get_digit_area (FerFreqControl *self, guint exponent,
                                          graphene_rect_t *area);

G_END_DECLS
