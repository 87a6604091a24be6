/* ui-resources.h - the compiled-in templates and style sheet. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FER_UI_RESOURCE_PATH "/io/github/ferrite_sdr/Ferrite/ui"

/* Registers the resource bundle; any number of calls, any thread. */
void fer_ui_ensure_resources (void);
/* Adds Ferrite's style sheet to @display. */
void fer_ui_load_style (GdkDisplay *display);

G_END_DECLS
