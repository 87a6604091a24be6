/* application.c - FerApplication: Ferrite as a GtkApplication. */
#define G_LOG_DOMAIN "fer-ui"

#include "application.h"

#include <glib-unix.h>
#include <signal.h>

#include "ui-resources.h"
#include "window.h"

struct _FerApplication {
  GtkApplication parent_instance;

  FerReceiver *receiver;      /* owned; outlives the windows */
  char *startup_message;      /* owned */
  gboolean receiver_started;
  guint sigint_id;
  guint sigterm_id;
};

G_DEFINE_FINAL_TYPE (FerApplication, fer_application, GTK_TYPE_APPLICATION)

static void
action_quit (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
action_about (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_show_about_dialog (parent,
                         "program-name", "Ferrite",
                         "version", FER_VERSION,
                         "comments", "A receiver for RTL-SDR dongles",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "logo-icon-name", "audio-card-symbolic",
                         NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = action_quit },
  { .name = "about", .activate = action_about },
};

/* Every accelerator in one place. */
static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.focus-frequency", { "<Control>l", "F6", NULL } },
  { "win.mute", { "<Control>m", NULL } },
};

static gboolean
on_quit_signal (gpointer user_data)
{
  /* SIGINT/SIGTERM: leave through shutdown, so the receiver stops cleanly */
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
fer_application_startup (GApplication *application)
{
  FerApplication *self = FER_APPLICATION (application);

  G_APPLICATION_CLASS (fer_application_parent_class)->startup (application);

  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);
  fer_ui_load_style (gdk_display_get_default ());
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);
}

static void
fer_application_activate (GApplication *application)
{
  FerApplication *self = FER_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (fer_window_new (GTK_APPLICATION (self), self->receiver));
  gtk_window_present (window);
  if (self->startup_message != NULL)
    fer_window_show_message (FER_WINDOW (window), FER_MESSAGE_INFO, self->startup_message);

  if (self->receiver != NULL && !self->receiver_started)
    {
      if (fer_receiver_start (self->receiver, &error))
        self->receiver_started = TRUE;
      else
        {
          g_autofree char *text =
            g_strdup_printf ("Cannot start %s: %s",
                             fer_source_get_name (fer_receiver_get_source (self->receiver)),
                             error->message);
          fer_window_show_message (FER_WINDOW (window), FER_MESSAGE_ERROR, text);
        }
    }
}

static void
fer_application_shutdown (GApplication *application)
{
  FerApplication *self = FER_APPLICATION (application);
  GList *windows;

  /* the windows borrow the receiver: they go first */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);

  if (self->receiver != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!fer_receiver_stop (self->receiver, &error))
        g_warning ("Stopping the receiver: %s", error->message);
      g_clear_pointer (&self->receiver, fer_receiver_free);
    }
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);

  G_APPLICATION_CLASS (fer_application_parent_class)->shutdown (application);
}

static void
fer_application_finalize (GObject *object)
{
  FerApplication *self = FER_APPLICATION (object);

  /* never started (g_application_run not called): still ours to free */
  g_clear_pointer (&self->receiver, fer_receiver_free);
  g_free (self->startup_message);
  G_OBJECT_CLASS (fer_application_parent_class)->finalize (object);
}

static void
fer_application_class_init (FerApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = fer_application_finalize;
  app_class->startup = fer_application_startup;
  app_class->activate = fer_application_activate;
  app_class->shutdown = fer_application_shutdown;
}

static void
fer_application_init (FerApplication *self)
{
}

FerApplication *
fer_application_new (FerReceiver *receiver, const char *startup_message,
                     GApplicationFlags extra_flags)
{
  FerApplication *self = g_object_new (FER_TYPE_APPLICATION,
                                       "application-id", FER_APP_ID,
                                       "flags", G_APPLICATION_DEFAULT_FLAGS | extra_flags,
                                       NULL);

  self->receiver = receiver;
  self->startup_message = g_strdup (startup_message);
  return self;
}

FerReceiver *
fer_application_get_receiver (FerApplication *self)
{
  g_return_val_if_fail (FER_IS_APPLICATION (self), NULL);
  return self->receiver;
}
