/* application.h - FerApplication: Ferrite as a GtkApplication.
 *
 * Owns the receiver. On activate it opens one FerWindow for it and starts
 * it; a start error is shown in the window and the application keeps
 * running. On shutdown the windows go first, then the receiver is stopped
 * and freed. Dark theme by default; app.quit (Ctrl+Q) and the window's
 * actions get their accelerators here. It opens Ferrite's settings (when
 * the schema is installed) for its windows.
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

/* The settings windows restore and save (made at startup); NULL when the
 * schema is not installed. */
GSettings *fer_application_get_settings (FerApplication *self);
/* Settings keys ("frequency-hz", "mode", ...) the command line chose: the
 * window does not restore them at start (it still saves them). Call before
 * running. */
void fer_application_set_fixed_settings (FerApplication *self, const char *const *keys);
const char *const *fer_application_get_fixed_settings (FerApplication *self);

/* Switches the radio to @source (taken): a new receiver on it, with the
 * mode and, as far as it reaches, the frequency of the old one; the old one
 * is stopped and freed and the windows follow. @spec says what it is, for
 * the settings ("demo", "rtl:SERIAL"; NULL for something not to remember,
 * a recording). FALSE with @error if the new receiver cannot be made (the
 * old one stays) or cannot start (the windows show it, stopped). */
gboolean fer_application_set_source (FerApplication *self, FerSource *source, const char *spec,
                                     GError **error);
/* What the receiver's source is, as set_source () was told; the first
 * one's: "demo", "rtl" (a dongle from the command line) or NULL. */
const char *fer_application_get_source_spec (FerApplication *self);

G_END_DECLS
