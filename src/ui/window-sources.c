/* window-sources.c - FerWindow: the Receiver page's source list: the dongles
 * plugged in (looked for again every few seconds), the demo, and a recording
 * (whose format, rate and centre are asked).
 */
#define G_LOG_DOMAIN "fer-ui"

#include "window-private.h"

#include <glib/gi18n.h>

#include "application.h"
#include "device/device-list.h"
#include "device/source-demo.h"
#include "device/source-file.h"
#include "receiver/parse.h"

#define SOURCES_INTERVAL_MS 3000  /* looking for dongles plugged in or out */

static FerApplication *
application (FerWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL && FER_IS_APPLICATION (app) ? FER_APPLICATION (app) : NULL;
}

static void
switch_source (FerWindow *self, FerSource *source, const char *spec)
{
  g_autoptr(GError) error = NULL;
  FerApplication *app = application (self);

  if (app == NULL)
    {
      fer_source_free (source);
      return;
    }
  if (!fer_application_set_source (app, source, spec, &error))
    fer_window_show_error_printf (self, _("Cannot receive with that: %s"), error->message);
}

typedef struct {
  FerWindow *window;
  char *path;
  GtkWidget *dialog;
  GtkDropDown *format;
  GtkEntry *rate;
  GtkEntry *center;
  GtkLabel *error;
} RecordingForm;

static void
recording_form_free (gpointer data)
{
  RecordingForm *form = data;

  g_free (form->path);
  g_free (form);
}

static void
on_recording_response (GtkDialog *dialog, int response, RecordingForm *form)
{
  static const char *const formats[] = { "cu8", "cs8", "cs16", "cf32" };
  FerSampleFormat format;
  double rate, center;
  g_autoptr(GError) error = NULL;
  FerSource *source;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      guint i = gtk_drop_down_get_selected (form->format);

      if (!fer_parse_frequency (gtk_editable_get_text (GTK_EDITABLE (form->rate)), &rate)
          || !fer_parse_frequency (gtk_editable_get_text (GTK_EDITABLE (form->center)), &center)
          || i >= G_N_ELEMENTS (formats) || !fer_sample_format_parse (formats[i], &format))
        {
          gtk_label_set_text (form->error, _("The rate and the centre are frequencies, "
                                             "such as 2.4M and 100M."));
          gtk_widget_set_visible (GTK_WIDGET (form->error), TRUE);
          return;
        }
      source = fer_source_file_new (form->path, format, rate, center, TRUE, &error);
      if (source == NULL)
        {
          gtk_label_set_text (form->error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (form->error), TRUE);
          return;
        }
      switch_source (form->window, source, NULL);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A raw recording says nothing of itself: its format, rate and centre are asked. */
static void
ask_recording_details (FerWindow *self, const char *path)
{
  RecordingForm *form = g_new0 (RecordingForm, 1);
  GtkWidget *grid = gtk_grid_new ();
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *title = g_strdup_printf (_("Open %s"), name);
  g_autofree char *center = g_strdup_printf ("%.6fM", self->receiver
                                             ? fer_receiver_get_freq (self->receiver) / 1e6 : 100.0);

  form->window = self;
  form->path = g_strdup (path);
  form->dialog = gtk_dialog_new_with_buttons (title, GTK_WINDOW (self),
                                              GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT
                                              | GTK_DIALOG_USE_HEADER_BAR,
                                              _("_Cancel"), GTK_RESPONSE_CANCEL,
                                              _("_Open"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (form->dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data_full (G_OBJECT (form->dialog), "form", form, recording_form_free);
  form->format = GTK_DROP_DOWN (gtk_drop_down_new_from_strings ((const char *const[]) {
    _("8-bit unsigned (cu8, RTL-SDR)"), _("8-bit signed (cs8)"), _("16-bit signed (cs16)"),
    _("32-bit float (cf32)"), NULL }));
  form->rate = GTK_ENTRY (gtk_entry_new ());
  form->center = GTK_ENTRY (gtk_entry_new ());
  form->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_editable_set_text (GTK_EDITABLE (form->rate), "2.4M");
  gtk_editable_set_text (GTK_EDITABLE (form->center), center);
  gtk_entry_set_activates_default (form->rate, TRUE);
  gtk_entry_set_activates_default (form->center, TRUE);
  gtk_label_set_wrap (form->error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (form->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (form->error), FALSE);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  g_object_set (grid, "margin-start", 18, "margin-end", 18, "margin-top", 18, "margin-bottom", 18,
                NULL);
  fer_window_add_row (GTK_GRID (grid), _("_Samples"), GTK_WIDGET (form->format));
  fer_window_add_row (GTK_GRID (grid), _("Sample _rate"), GTK_WIDGET (form->rate));
  fer_window_add_row (GTK_GRID (grid), _("_Centre frequency"), GTK_WIDGET (form->center));
  fer_window_add_row (GTK_GRID (grid), NULL, GTK_WIDGET (form->error));
  gtk_box_append (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (form->dialog))), grid);
  g_signal_connect (form->dialog, "response", G_CALLBACK (on_recording_response), form);
  gtk_window_present (GTK_WINDOW (form->dialog));
}

static void
on_recording_chosen (GtkNativeDialog *chooser, int response, FerWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL
      && (path = g_file_get_path (file)) != NULL)
    ask_recording_details (self, path);
  g_object_unref (chooser);
}

static void select_current_source (FerWindow *self);

/* Deferred from the list's own signal: the switch rebuilds the list. */
static gboolean
open_selected_source (gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  guint i = gtk_drop_down_get_selected (self->source_dropdown);
  FerApplication *app = application (self);
  g_autoptr(GError) error = NULL;
  FerDeviceInfo *info;
  FerSource *source = NULL;

  g_object_unref (self);
  if (self->sources == NULL || app == NULL)
    return G_SOURCE_REMOVE;
  if (i == self->sources->len)
    {
      GtkFileChooserNative *chooser =
        gtk_file_chooser_native_new (_("Open a Recording"), GTK_WINDOW (self),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

      g_signal_connect (chooser, "response", G_CALLBACK (on_recording_chosen), self);
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
      select_current_source (self);
      return G_SOURCE_REMOVE;
    }
  if (i > self->sources->len)
    return G_SOURCE_REMOVE;
  info = self->sources->pdata[i];
  if (g_strcmp0 (info->spec, fer_application_get_source_spec (app)) == 0)
    return G_SOURCE_REMOVE;
  if (info->problem != NULL)
    {
      fer_window_show_error_printf (self, "%s", info->problem->message);
      select_current_source (self);
      return G_SOURCE_REMOVE;
    }
  if (info->kind == FER_DEVICE_KIND_DEMO)
    source = fer_source_demo_new (TRUE, &error);
  else
    source = fer_device_open_rtl (info->spec, &error);
  if (source == NULL)
    {
      fer_window_show_error_printf (self, _("Cannot open %s: %s"), info->label, error->message);
      select_current_source (self);
      return G_SOURCE_REMOVE;
    }
  switch_source (self, source, info->spec);
  return G_SOURCE_REMOVE;
}

static void
on_source_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  if (self->updating)
    return;
  g_timeout_add (0, open_selected_source, g_object_ref (self));
}

/* The list's entry for what is received now. */
static void
select_current_source (FerWindow *self)
{
  FerApplication *app = application (self);
  const char *spec = app ? fer_application_get_source_spec (app) : NULL;
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; self->sources != NULL && i < self->sources->len; i++)
    {
      FerDeviceInfo *info = self->sources->pdata[i];

      if (g_strcmp0 (info->spec, spec) == 0
          || (g_strcmp0 (spec, "rtl") == 0 && info->kind == FER_DEVICE_KIND_RTL
              && selected == GTK_INVALID_LIST_POSITION))
        selected = i;
    }
  if (selected == GTK_INVALID_LIST_POSITION && self->sources != NULL)
    selected = self->sources->len;  /* a recording */
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->source_dropdown, selected);
  self->updating = FALSE;
}

/* The dongles plugged in and the demo, then "a recording"; rebuilt only
 * when that changed. */
static void
refresh_sources (FerWindow *self)
{
  g_autoptr(GPtrArray) found = fer_device_list_new ();
  gboolean same = self->sources != NULL && self->sources->len == found->len;
  GtkStringList *names;

  for (guint i = 0; same && i < found->len; i++)
    same = g_strcmp0 (((FerDeviceInfo *) found->pdata[i])->spec,
                      ((FerDeviceInfo *) self->sources->pdata[i])->spec) == 0;
  if (same)
    return;
  names = gtk_string_list_new (NULL);
  for (guint i = 0; i < found->len; i++)
    {
      FerDeviceInfo *info = found->pdata[i];

      gtk_string_list_append (names, info->kind == FER_DEVICE_KIND_DEMO ? _("Demo dongle (emulated)")
                                                                        : info->label);
    }
  gtk_string_list_append (names, _("A recording…"));
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  self->sources = g_steal_pointer (&found);
  self->updating = TRUE;
  gtk_drop_down_set_model (self->source_dropdown, G_LIST_MODEL (names));
  self->updating = FALSE;
  g_object_unref (names);
  select_current_source (self);
}

static gboolean
on_sources_timeout (gpointer user_data)
{
  refresh_sources (FER_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

void
fer_window_init_sources (FerWindow *self)
{
  g_signal_connect (self->source_dropdown, "notify::selected", G_CALLBACK (on_source_selected),
                    self);
}

void
fer_window_setup_sources (FerWindow *self)
{
  FerSource *source = fer_receiver_get_source (self->receiver);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_dropdown), fer_source_get_name (source));
  g_clear_pointer (&self->sources, g_ptr_array_unref);  /* the list anew, the new one chosen */
  refresh_sources (self);
  if (self->sources_id == 0)
    self->sources_id = g_timeout_add (SOURCES_INTERVAL_MS, on_sources_timeout, self);
}

void
fer_window_teardown_sources (FerWindow *self)
{
  g_clear_handle_id (&self->sources_id, g_source_remove);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
}
