/* ui-resources.c - the compiled-in templates and style sheet. */
#define G_LOG_DOMAIN "fer-ui"

#include "ui-resources.h"

#include "fer-ui-resources.h"

void
fer_ui_ensure_resources (void)
{
  static gsize registered = 0;

  /* registering a bundle twice would link it into GIO's list twice */
  if (g_once_init_enter (&registered))
    {
      fer_ui_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

void
fer_ui_load_style (GdkDisplay *display)
{
  GtkCssProvider *provider = gtk_css_provider_new ();

  fer_ui_ensure_resources ();
  gtk_css_provider_load_from_resource (provider, FER_UI_RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
}
