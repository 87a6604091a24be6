/* app-test-util.c - running the whole application on the demo dongle in a test. */
#include "app-test-util.h"

#include "device/source-demo.h"

FerReceiver *
fer_test_demo_receiver (const char *audio_path)
{
  g_autoptr(GError) error = NULL;
  FerReceiverOptions options;
  FerSource *source = fer_source_demo_new (TRUE, &error);
  FerReceiver *receiver;

  g_assert_no_error (error);
  fer_receiver_options_init (&options);
  options.audio_path = audio_path;
  receiver = fer_receiver_new (source, &options, &error);
  g_assert_no_error (error);
  return receiver;
}

static gboolean
run_body (gpointer data)
{
  FerTestApp *f = data;

  f->window = FER_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (f->window);
  f->body (f);
  f->ran = TRUE;
  /* through the action the menu and Ctrl+Q use */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app, FerTestApp *f)
{
  f->activated_us = g_get_monotonic_time ();
  g_idle_add (run_body, f);
}

void
fer_test_run_app_full (FerReceiver *receiver, const char *startup_message,
                       void (*body) (FerTestApp *f), gpointer data, gboolean keep_settings,
                       const char *const *fixed_settings)
{
  FerTestApp f = { 0 };
  int status;

  if (!keep_settings)
    fer_test_reset_settings ();
  /* NON_UNIQUE: a unique app would hand over to a running Ferrite and exit 0 */
  f.app = fer_application_new (receiver, startup_message, G_APPLICATION_NON_UNIQUE);
  if (fixed_settings != NULL)
    fer_application_set_fixed_settings (f.app, fixed_settings);
  f.receiver = receiver;
  f.body = body;
  f.data = data;
  g_signal_connect_after (f.app, "activate", G_CALLBACK (on_activate), &f);
  status = g_application_run (G_APPLICATION (f.app), 0, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (f.ran);
  /* shutdown stopped and freed the receiver */
  g_assert_null (fer_application_get_receiver (f.app));
  g_object_unref (f.app);
}

void
fer_test_run_app (FerReceiver *receiver, const char *startup_message,
                  void (*body) (FerTestApp *f), gpointer data)
{
  fer_test_run_app_full (receiver, startup_message, body, data, FALSE, NULL);
}

GtkWidget *
fer_test_find_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_is_drawable (root)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = fer_test_find_label (c, text);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_any_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0
      && gtk_label_get_mnemonic_widget (GTK_LABEL (root)) != NULL)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_any_label (c, text);
      if (found)
        return found;
    }
  return NULL;
}

GtkWidget *
fer_test_find_control (GtkWidget *root, const char *text)
{
  GtkWidget *label = find_any_label (root, text);

  if (label == NULL)
    g_error ("no control labelled “%s”", text);
  return gtk_label_get_mnemonic_widget (GTK_LABEL (label));
}

GtkWidget *
fer_test_find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = fer_test_find_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

typedef struct {
  FerSpectrumView *view;
  guint n_rows;
} RowsWait;

static gboolean
rows_reached (gpointer data)
{
  RowsWait *w = data;
  return fer_spectrum_view_get_n_rows (w->view) >= w->n_rows;
}

gboolean
fer_test_wait_rows (FerSpectrumView *view, guint n_rows, guint timeout_ms)
{
  RowsWait w = { view, n_rows };

  return fer_test_spin_until (rows_reached, &w, timeout_ms);
}

typedef struct {
  FerReceiver *receiver;
  double freq_hz;
} FreqWait;

static gboolean
freq_reached (gpointer data)
{
  FreqWait *w = data;
  return fer_receiver_get_freq (w->receiver) == w->freq_hz;
}

gboolean
fer_test_wait_freq (FerReceiver *receiver, double freq_hz, guint timeout_ms)
{
  FreqWait w = { receiver, freq_hz };

  return fer_test_spin_until (freq_reached, &w, timeout_ms);
}

void
fer_test_focus_window (FerWindow *window)
{
  GtkWidget *view = GTK_WIDGET (fer_window_get_spectrum_view (window));
  graphene_rect_t area;

  /* over the waterfall, low down: no hover readout in the plot, nothing to click */
  fer_spectrum_view_get_waterfall_area (FER_SPECTRUM_VIEW (view), &area);
  fer_test_pointer_move (view, area.origin.x + area.size.width / 2,
                         area.origin.y + area.size.height - 5);
  fer_test_spin (150);
}
