/* application.c - FerApplication: Ferrite as a GtkApplication. */
#define G_LOG_DOMAIN "fer-ui"

#include "application.h"

#include <glib-unix.h>
#include <math.h>
#include <glib/gi18n.h>
#include <signal.h>

#include "device/device-list.h"
#include "device/source-demo.h"
#include "ui-resources.h"
#include "window.h"

struct _FerApplication {
  GtkApplication parent_instance;

  FerReceiver *receiver;      /* owned; outlives the windows */
  char *startup_message;      /* owned */
  GSettings *settings;        /* owned; NULL without the installed schema */
  char *source_spec;          /* owned; what the receiver's source is ("demo", "rtl:..."), or NULL */
  GStrv fixed_settings;       /* owned; keys the command line set */
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
                         "comments", _("A receiver for RTL-SDR dongles"),
                         /* TRANSLATORS: your name(s), one per line */
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "logo-icon-name", "audio-card-symbolic",
                         NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = action_quit },
  { .name = "about", .activate = action_about },
};

/* Every accelerator in one place (the shortcuts window, help-overlay.ui,
 * lists the same). Plain keys stay with the focused control; these all have
 * a modifier or are function keys. */
static const struct {
  const char *action;
  const char *accels[4];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.show-help-overlay", { "<Control>question", "<Control>F1", NULL } },
  { "win.focus-frequency", { "<Control>l", "F6", NULL } },
  { "win.step-up", { "<Control>Up", NULL } },
  { "win.step-down", { "<Control>Down", NULL } },
  { "win.back", { "<Alt>Left", NULL } },
  { "win.forward", { "<Alt>Right", NULL } },
  { "win.mode::wfm", { "<Control>1", NULL } },
  { "win.mode::wfm-stereo", { "<Control>2", NULL } },
  { "win.mode::nfm", { "<Control>3", NULL } },
  { "win.mode::am", { "<Control>4", NULL } },
  { "win.mode::am-sync", { "<Control>5", NULL } },
  { "win.mode::usb", { "<Control>6", NULL } },
  { "win.mode::lsb", { "<Control>7", NULL } },
  { "win.mode::cw", { "<Control>8", NULL } },
  { "win.mode::dsb", { "<Control>9", NULL } },
  { "win.bandwidth-up", { "<Control>bracketright", NULL } },
  { "win.bandwidth-down", { "<Control>bracketleft", NULL } },
  { "win.gain-up", { "<Control>g", NULL } },
  { "win.gain-down", { "<Control><Shift>g", NULL } },
  { "win.gain::auto", { "<Control><Alt>g", NULL } },
  { "win.volume-up", { "<Alt>Up", NULL } },
  { "win.volume-down", { "<Alt>Down", NULL } },
  { "win.mute", { "<Control>m", NULL } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
  { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
  { "win.zoom-reset", { "<Control>0", "<Control>KP_0", NULL } },
  { "win.pan-left", { "<Control><Shift>Left", NULL } },
  { "win.pan-right", { "<Control><Shift>Right", NULL } },
  { "win.peak-hold", { "<Control><Shift>h", NULL } },
  { "win.band-plan", { "<Control><Shift>b", NULL } },
  { "win.show-sidebar", { "F9", NULL } },
  { "win.show-page::receiver", { "<Control><Shift>r", NULL } },
  { "win.show-page::display", { "<Control><Shift>d", NULL } },
  { "win.show-bookmarks", { "<Control>b", NULL } },
  { "win.bookmark-add", { "<Control>d", NULL } },
  { "win.bookmark-next", { "<Control>Page_Down", NULL } },
  { "win.bookmark-previous", { "<Control>Page_Up", NULL } },
  { "win.dismiss-message", { "<Control><Shift>x", NULL } },
};

static gboolean
on_quit_signal (gpointer user_data)
{
  /* SIGINT/SIGTERM: leave through shutdown, so the receiver stops cleanly */
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* Ferrite's settings, or NULL when the schema is not installed (an
 * uninstalled build run without GSETTINGS_SCHEMA_DIR): then nothing is
 * remembered, and the window says nothing about it. */
static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema =
    source ? g_settings_schema_source_lookup (source, FER_APP_ID, TRUE) : NULL;

  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed: settings are not kept", FER_APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
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
  self->settings = settings_new ();
  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);
}

static gboolean
is_fixed (FerApplication *self, const char *key)
{
  return self->fixed_settings != NULL
         && g_strv_contains ((const char *const *) self->fixed_settings, key);
}

/* The source used last time, unless the command line named one: the demo,
 * or a dongle if it is plugged in (if not, the window says so and keeps the
 * one it has). */
static void
restore_source (FerApplication *self, FerWindow *window)
{
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *current = self->source_spec;
  FerSource *source = NULL;

  if (self->settings == NULL || self->receiver == NULL || is_fixed (self, "source"))
    return;
  saved = g_settings_get_string (self->settings, "source");
  if (g_strcmp0 (saved, current) == 0 || *saved == '\0'
      || (fer_device_spec_is_rtl (saved) && g_strcmp0 (current, "rtl") == 0))
    return;
  if (g_strcmp0 (saved, FER_DEVICE_DEMO_SPEC) == 0)
    source = fer_source_demo_new (TRUE, &error);
  else if (fer_device_spec_is_rtl (saved))
    source = fer_device_open_rtl (saved, &error);
  if (source == NULL || !fer_application_set_source (self, source, saved, &error))
    {
      if (error != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("The receiver used last time (%s) is not "
                                                     "there: %s"), saved, error->message);
          fer_window_show_message (window, FER_MESSAGE_INFO, text);
        }
    }
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
  restore_source (self, FER_WINDOW (window));

  if (self->receiver != NULL && !self->receiver_started)
    {
      if (fer_receiver_start (self->receiver, &error))
        self->receiver_started = TRUE;
      else
        {
          g_autofree char *text =
            g_strdup_printf (_("Cannot start %s: %s"),
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
  /* what the windows wrote reaches the disk before the process ends */
  if (self->settings != NULL)
    g_settings_sync ();

  G_APPLICATION_CLASS (fer_application_parent_class)->shutdown (application);
}

static void
fer_application_finalize (GObject *object)
{
  FerApplication *self = FER_APPLICATION (object);

  /* never started (g_application_run not called): still ours to free */
  g_clear_pointer (&self->receiver, fer_receiver_free);
  g_free (self->startup_message);
  g_clear_object (&self->settings);
  g_strfreev (self->fixed_settings);
  g_free (self->source_spec);
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
  if (receiver != NULL)
    {
      /* a dongle opened from the command line counts as "rtl" (the first one) */
      FerSourceKind kind = fer_source_get_kind (fer_receiver_get_source (receiver));
      self->source_spec = g_strdup (kind == FER_SOURCE_KIND_DEMO ? FER_DEVICE_DEMO_SPEC
                                    : kind == FER_SOURCE_KIND_DONGLE ? "rtl" : NULL);
    }
  return self;
}

FerReceiver *
fer_application_get_receiver (FerApplication *self)
{
  g_return_val_if_fail (FER_IS_APPLICATION (self), NULL);
  return self->receiver;
}

GSettings *
fer_application_get_settings (FerApplication *self)
{
  g_return_val_if_fail (FER_IS_APPLICATION (self), NULL);
  return self->settings;
}

void
fer_application_set_fixed_settings (FerApplication *self, const char *const *keys)
{
  g_return_if_fail (FER_IS_APPLICATION (self));
  g_strfreev (self->fixed_settings);
  self->fixed_settings = g_strdupv ((char **) keys);
}

const char *const *
fer_application_get_fixed_settings (FerApplication *self)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (FER_IS_APPLICATION (self), NULL);
  return self->fixed_settings ? (const char *const *) self->fixed_settings : none;
}

const char *
fer_application_get_source_spec (FerApplication *self)
{
  g_return_val_if_fail (FER_IS_APPLICATION (self), NULL);
  return self->source_spec;
}

/* A frequency @source can listen to: @freq_hz if it reaches it, else the
 * nearest it does. */
static double
reachable_freq (FerSource *source, double freq_hz)
{
  double rate = fer_source_get_rate (source);

  if (source->max_center_hz > 0)
    return CLAMP (freq_hz, source->min_center_hz - rate / 2 + 1, source->max_center_hz + rate / 2 - 1);
  if (fabs (freq_hz - fer_source_get_center (source)) < rate / 2)
    return freq_hz;
  return fer_source_get_center (source);
}

gboolean
fer_application_set_source (FerApplication *self, FerSource *source, const char *spec,
                            GError **error)
{
  FerReceiverOptions options;
  FerReceiver *old = self->receiver, *receiver;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  gboolean started;

  g_return_val_if_fail (FER_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  /* the same radio on the new source, as far as it reaches */
  fer_receiver_options_init (&options);
  if (old != NULL)
    {
      FerReceiverStats stats;

      fer_receiver_get_stats (old, &stats);
      options.freq_hz = fer_receiver_get_freq (old);
      options.mode = fer_receiver_get_mode (old);
      options.fft_size = fer_receiver_get_fft_size (old);
      options.frames_per_second = fer_receiver_get_frame_rate (old);
      /* never the same WAV file twice: a run to a file goes on silently */
      options.audio_path = stats.to_file ? FER_RECEIVER_NO_AUDIO : NULL;
    }
  options.freq_hz = reachable_freq (source, options.freq_hz);
  if (source->max_center_hz > 0 && fabs (options.freq_hz - fer_source_get_center (source))
                                   >= fer_source_get_rate (source) / 2)
    fer_source_set_center (source, CLAMP (options.freq_hz, source->min_center_hz,
                                          source->max_center_hz), NULL);
  receiver = fer_receiver_new (source, &options, error);   /* takes the source */
  if (receiver == NULL)
    return FALSE;

  /* the windows let go of the old one before it goes */
  for (GList *l = windows; l != NULL; l = l->next)
    if (FER_IS_WINDOW (l->data))
      fer_window_set_receiver (l->data, NULL);
  if (old != NULL)
    {
      g_autoptr(GError) stop_error = NULL;

      if (!fer_receiver_stop (old, &stop_error))
        g_warning ("Stopping the receiver: %s", stop_error->message);
      fer_receiver_free (old);
    }
  self->receiver = receiver;
  self->receiver_started = FALSE;
  g_free (self->source_spec);
  self->source_spec = g_strdup (spec);

  for (GList *l = windows; l != NULL; l = l->next)
    if (FER_IS_WINDOW (l->data))
      fer_window_set_receiver (l->data, receiver);
  started = fer_receiver_start (receiver, error);
  self->receiver_started = started;
  if (started && spec != NULL && self->settings != NULL)
    g_settings_set_string (self->settings, "source", spec);
  return started;
}
