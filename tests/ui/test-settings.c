/* test-settings.c - what the window remembers survives a restart.
 *
 * The test runs this program twice as a child, each a whole Ferrite on the
 * demo dongle: "--phase=save" changes the radio, the display, the panels
 * and the window, then quits; "--phase=restore" starts again and checks
 * that all of it came back. Between them the settings live only in a key
 * file (GSETTINGS_BACKEND=keyfile) in a fresh folder, which the test reads
 * too.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app-test-util.h"

#define FREQ_HZ 145.5e6

static GtkWidget *
control_of (FerTestApp *f, const char *text)
{
  return fer_test_find_control (GTK_WIDGET (f->window), text);
}

static gboolean
action_bool (FerTestApp *f, const char *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (f->window), name);
  return g_variant_get_boolean (state);
}

static void
set_action (FerTestApp *f, const char *name, gboolean value)
{
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), name,
                                      g_variant_new_boolean (value));
}

static const char *
selected_text (GtkDropDown *dropdown)
{
  GObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static guint
find_item (GtkDropDown *dropdown, const char *text)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return i;
  g_error ("no “%s” in the list", text);
  return 0;
}

static void
body_save (FerTestApp *f)
{
  GtkWidget *w = GTK_WIDGET (f->window);
  GtkDropDown *gain = GTK_DROP_DOWN (control_of (f, "Gain"));
  g_autofree char *size = NULL;
  int width, height;

  /* the radio */
  gtk_widget_activate_action (w, "win.tune", "s", "145.5M");
  gtk_widget_activate_action (w, "win.mode", "s", "nfm");
  gtk_widget_activate_action (w, "win.gain", "s", "20.7");
  g_assert_cmpstr (selected_text (gain), ==, "20.7 dB");
  gtk_range_set_value (GTK_RANGE (control_of (f, "Volume")), 60);
  set_action (f, "mute", TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control_of (f, "Frequency correction (ppm)")), 12);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control_of (f, "Squelch")), FER_SQUELCH_LEVEL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control_of (f, "Squelch threshold (dB)")), -72);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control_of (f, "AGC")), FER_AGC_SLOW);
  /* the display */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control_of (f, "Colours")), FER_COLORMAP_VIRIDIS);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control_of (f, "Resolution")), 3);  /* 8192 */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control_of (f, "Frames per second")), 25);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control_of (f, "Averaging (frames)")), 10);
  set_action (f, "peak-hold", TRUE);
  set_action (f, "auto-range", FALSE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control_of (f, "Top level (dB)")), -30);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control_of (f, "Bottom level (dB)")), -120);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control_of (f, "Tuning step")),
                              find_item (GTK_DROP_DOWN (control_of (f, "Tuning step")), "12.5 kHz"));
  set_action (f, "band-plan", TRUE);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control_of (f, "ITU region")), 1);
  /* the window and its panels */
  set_action (f, "show-sidebar", TRUE);
  gtk_widget_activate_action (w, "win.show-page", "s", "display");
  gtk_window_set_default_size (GTK_WINDOW (w), 1000, 700);
  fer_test_spin (300);
  g_assert_cmpfloat (fer_receiver_get_freq (f->receiver), ==, FREQ_HZ);
  /* the size it has (it may not go quite as narrow as asked), for the restore */
  gtk_window_get_default_size (GTK_WINDOW (w), &width, &height);
  g_assert_cmpint (ABS (width - 1000), <, 100);
  size = g_strdup_printf ("%d %d", width, height);
  g_assert_true (g_file_set_contents (g_getenv ("FERRITE_TEST_SIZE_FILE"), size, -1, NULL));
}

static void
body_restore (FerTestApp *f)
{
  GtkWidget *w = GTK_WIDGET (f->window);
  g_autofree char *saved = NULL, *size = NULL;
  FerSpectrumView *view = fer_window_get_spectrum_view (f->window);
  FerSquelchMode squelch;
  double lo, hi, threshold;
  int width, height;

  fer_test_spin (300);
  g_assert_cmpfloat (fer_receiver_get_freq (f->receiver), ==, FREQ_HZ);
  g_assert_cmpfloat (fer_freq_control_get_frequency (fer_window_get_freq_control (f->window)), ==,
                     FREQ_HZ);
  g_assert_cmpint (fer_receiver_get_mode (f->receiver), ==, FER_MODE_NFM);
  g_assert_cmpstr (selected_text (GTK_DROP_DOWN (control_of (f, "Gain"))), ==, "20.7 dB");
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (control_of (f, "Volume"))), ==, 60);
  g_assert_true (action_bool (f, "mute"));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (control_of (f, "Frequency correction (ppm)"))), ==, 12);
  squelch = fer_receiver_get_squelch (f->receiver, &threshold);
  g_assert_cmpint (squelch, ==, FER_SQUELCH_LEVEL);
  g_assert_cmpfloat (threshold, ==, -72);
  g_assert_cmpint (fer_receiver_get_agc (f->receiver), ==, FER_AGC_SLOW);

  g_assert_cmpint (fer_spectrum_view_get_colormap (view), ==, FER_COLORMAP_VIRIDIS);
  g_assert_cmpuint (fer_receiver_get_fft_size (f->receiver), ==, 8192);
  g_assert_cmpfloat (fer_receiver_get_frame_rate (f->receiver), ==, 25);
  g_assert_cmpuint (fer_spectrum_view_get_averaging (view), ==, 10);
  g_assert_true (fer_spectrum_view_get_peak_hold (view));
  g_assert_false (fer_spectrum_view_get_auto_range (view));
  fer_spectrum_view_get_db_range (view, &lo, &hi);
  g_assert_cmpfloat (lo, ==, -120);
  g_assert_cmpfloat (hi, ==, -30);
  g_assert_cmpstr (selected_text (GTK_DROP_DOWN (control_of (f, "Tuning step"))), ==, "12.5 kHz");
  g_assert_true (action_bool (f, "band-plan"));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (control_of (f, "ITU region"))), ==, 1);
  /* region 2: 146.5 MHz is 2 m there */
  g_assert_nonnull (strstr (fer_window_get_announcement (f->window), "2 m amateur"));

  g_assert_true (action_bool (f, "show-sidebar"));
  g_assert_true (gtk_widget_get_visible (control_of (f, "Colours")));
  g_assert_true (gtk_widget_is_drawable (control_of (f, "Colours")));  /* the Display page */
  gtk_window_get_default_size (GTK_WINDOW (w), &width, &height);
  g_assert_true (g_file_get_contents (g_getenv ("FERRITE_TEST_SIZE_FILE"), &saved, NULL, NULL));
  size = g_strdup_printf ("%d %d", width, height);
  g_assert_cmpstr (size, ==, saved);
}

static int
run_phase (const char *phase)
{
  if (!gtk_init_check ())
    return 77;
  fer_test_run_app_full (fer_test_demo_receiver (FER_RECEIVER_NO_AUDIO), NULL,
                         strcmp (phase, "save") == 0 ? body_save : body_restore, NULL, TRUE,
                         NULL);
  return 0;
}

static void
run_child (const char *self, const char *dir, const char *phase)
{
  g_autofree char *arg = g_strconcat ("--phase=", phase, NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *size_file = g_build_filename (dir, "size", NULL);
  const char *argv[] = { self, arg, NULL };
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "keyfile", TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data, TRUE);
  env = g_environ_setenv (env, "FERRITE_TEST_SIZE_FILE", size_file, TRUE);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("the %s phase failed:\n%s", phase, err);
}

static char *self_path;

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = NULL, *keyfile = NULL, *text = NULL;
  g_autoptr(GError) error = NULL;

  FER_TEST_NEED_DISPLAY ();
  dir = g_dir_make_tmp ("ferrite-settings-XXXXXX", &error);
  g_assert_no_error (error);

  run_child (self_path, dir, "save");
  keyfile = g_build_filename (dir, "config", "glib-2.0", "settings", "keyfile", NULL);
  g_assert_true (g_file_get_contents (keyfile, &text, NULL, NULL));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "[io/github/ferrite_sdr/Ferrite]"));
  g_assert_nonnull (strstr (text, "frequency-hz=145500000"));
  g_assert_nonnull (strstr (text, "mode='nfm'"));
  g_assert_nonnull (strstr (text, "colormap='viridis'"));

  run_child (self_path, dir, "restore");
  rm_rf (dir);
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--phase="))
      return run_phase (argv[i] + strlen ("--phase="));

  self_path = g_canonicalize_filename (argv[0], NULL);
  fer_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/settings/round-trip-across-restart", test_round_trip);
  return g_test_run ();
}
