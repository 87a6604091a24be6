/* application.h - FerApplication: Ferrite as a GtkApplication.
 *
 * Owns the receiver. On activate it opens one FerWindow for it and starts
 * it; a start error is shown in the window and the application keeps
 * running. On shutdown the windows go first, then the receiver is stopped
 * and freed. Dark theme by default; app.quit (Ctrl+Q) and the window's
 * actions get their accelerators here.
 */
#pragma once

#include <gtk/gtk.h>

#include "receiver/receiver.h"

G_BEGIN_DECLS

#define FER_TYPE_APPLICATION (fer_application_get_type ())
G_DECLARE_FINAL_TYPE (FerApplication, fer_application, FER, APPLICATION, GtkApplication)

/* @receiver: taken (freed at shutdown), may be NULL (a window without a
 * source). @startup_message: shown in the window, e.g. why the demo dongle
 * runs instead of hardware; may be NULL. @extra_flags: added to the
 * defaults (tests pass G_APPLICATION_NON_UNIQUE). */
FerApplication *fer_application_new (FerReceiver *receiver, const char *startup_message,
                                     GApplicationFlags extra_flags);

FerReceiver *fer_application_get_receiver (FerApplication *self);

G_END_DECLS
