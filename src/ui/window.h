/* window.h - FerWindow: the receiver's one window.
 *
 * Controls on top (frequency, mode, gain, volume), a message area for what
 * went wrong, the spectrum and waterfall filling the rest, and a status line
 * (sample rate, dropped blocks, audio underruns, audio state).
 *
 * The window drives a FerReceiver it borrows: the application keeps it alive
 * until every window is gone. Spectrum frames are polled on each frame-clock
 * tick; receiver events arrive on the main context.
 */
#pragma once

#include <gtk/gtk.h>

#include "receiver/receiver.h"
#include "freq-control.h"
#include "spectrum-view.h"

G_BEGIN_DECLS

#define FER_TYPE_WINDOW (fer_window_get_type ())
G_DECLARE_FINAL_TYPE (FerWindow, fer_window, FER, WINDOW, GtkApplicationWindow)

typedef enum {
  FER_MESSAGE_INFO,
  FER_MESSAGE_WARNING,
  FER_MESSAGE_ERROR,
} FerMessageKind;

/* @application may be NULL; @receiver is borrowed (may be NULL: no source). */
FerWindow *fer_window_new (GtkApplication *application, FerReceiver *receiver);

/* Shows @text in the message area, replacing what was there. */
void fer_window_show_message (FerWindow *self, FerMessageKind kind, const char *text);
void fer_window_hide_message (FerWindow *self);
/* The text in the message area; NULL when it is hidden. */
const char *fer_window_get_message (FerWindow *self);

FerSpectrumView *fer_window_get_spectrum_view (FerWindow *self);
FerFreqControl *fer_window_get_freq_control (FerWindow *self);

G_END_DECLS
