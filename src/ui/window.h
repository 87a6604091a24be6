/* window.h - FerWindow: the receiver's one window.
 *
 * Controls on top (history, frequency, mode, gain, volume, mute, signal
 * meter), a message area for what went wrong, panels on the left that can
 * be hidden (Receiver, Display, Bookmarks), the spectrum and waterfall
 * filling the rest, and a status line (sample rate, dropped blocks, audio
 * underruns, audio state, and what is tuned, for screen readers).
 *
 * Every command is a "win." action with an accelerator (application.c sets
 * them; the shortcuts window lists them). The window remembers its size,
 * panels, display settings and the radio's settings in GSettings when the
 * schema is installed, and restores them on start.
 *
 * The window drives a FerReceiver it borrows: the application keeps it alive
 * until every window is gone. Spectrum frames are polled on each frame-clock
 * tick; receiver events arrive on the main context.
 */
#pragma once

#include <gtk/gtk.h>

#include "receiver/bookmarks.h"
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

/* @application may be NULL; @receiver is borrowed (may be NULL: no source).
 * With a FerApplication, the window takes its settings from it. */
FerWindow *fer_window_new (GtkApplication *application, FerReceiver *receiver);

/* Shows @text in the message area, replacing what was there. */
void fer_window_show_message (FerWindow *self, FerMessageKind kind, const char *text);
void fer_window_hide_message (FerWindow *self);
/* The text in the message area; NULL when it is hidden. */
const char *fer_window_get_message (FerWindow *self);

/* Switches the window to @receiver (borrowed; NULL = none): the old one's
 * events, frames and controls are let go first. */
void fer_window_set_receiver (FerWindow *self, FerReceiver *receiver);

FerSpectrumView *fer_window_get_spectrum_view (FerWindow *self);
FerFreqControl *fer_window_get_freq_control (FerWindow *self);
FerBookmarks *fer_window_get_bookmarks (FerWindow *self);
/* What the status line says is tuned (frequency, mode, band), as screen
 * readers hear it. */
const char *fer_window_get_announcement (FerWindow *self);

G_END_DECLS
