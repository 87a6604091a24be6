/* test-window.c - Ferrite's window on the demo dongle, used as a person would. */
#include <math.h>

#include <glib/gstdio.h>

#include "app-test-util.h"
#include "device/source-demo.h"
#include "device/source-file.h"
#include "receiver/parse.h"
#include "receiver/receiver.h"
#include "ui/application.h"
#include "ui/window.h"

typedef FerTestApp Fixture;

#define run_app(receiver, message, body) fer_test_run_app (receiver, message, body, NULL)
#define demo_receiver fer_test_demo_receiver

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

/* Luma standard deviation across waterfall row @r (0 = newest). */
static double
waterfall_row_sd (FerSpectrumView *view, int r)
{
  g_autoptr(GdkTexture) texture = fer_test_render_widget (GTK_WIDGET (view));
  graphene_rect_t area;
  int width, height;
  g_autofree guint32 *px = fer_test_texture_pixels (texture, &width, &height);
  double sum = 0, sum2 = 0;
  int y;

  fer_spectrum_view_get_waterfall_area (view, &area);
  y = (int) ceilf (area.origin.y) + r;
  g_assert_cmpint (y, <, height);
  for (int x = 0; x < width; x++)
    {
      double l = fer_test_luma (px[(gsize) y * width + x]);
      sum += l;
      sum2 += l * l;
    }
  sum /= width;
  return sqrt (MAX (0.0, sum2 / width - sum * sum));
}

/* The window opens on the demo dongle: its name says it is emulated, the
 * status line gives the sample rate, the frequency display shows what the
 * receiver listens to, and within 2 s the waterfall paints rows that hold
 * a band (not one flat colour). */
static void
body_opens_on_demo (Fixture *f)
{
  FerSpectrumView *view = fer_window_get_spectrum_view (f->window);
  RowsWait wait = { view, 8 };
  g_autofree char *rate = fer_format_rate (fer_receiver_get_rate (f->receiver));
  double waited_s;

  g_assert_true (fer_test_spin_until (rows_reached, &wait, 2000));
  waited_s = (g_get_monotonic_time () - f->activated_us) / 1e6;
  g_test_message ("%u waterfall rows %.2f s after activate", fer_spectrum_view_get_n_rows (view),
                  waited_s);
  g_assert_cmpfloat (waited_s, <, 2.0);
  for (int r = 0; r < 4; r++)
    g_assert_cmpfloat (waterfall_row_sd (view, r), >, 5.0);

  g_assert_nonnull (fer_test_find_label (GTK_WIDGET (f->window), FER_SOURCE_DEMO_NAME));
  g_assert_true (strstr (FER_SOURCE_DEMO_NAME, "emulated") != NULL);
  fer_test_spin (300);  /* a status refresh */
  g_assert_nonnull (fer_test_find_label (GTK_WIDGET (f->window), rate));
  g_assert_cmpfloat (fer_freq_control_get_frequency (fer_window_get_freq_control (f->window)),
                     ==, fer_receiver_get_freq (f->receiver));
  g_assert_null (fer_window_get_message (f->window));
}

static void
test_opens_on_demo (void)
{
  FER_TEST_NEED_DISPLAY ();
  run_app (demo_receiver (FER_RECEIVER_NO_AUDIO), NULL, body_opens_on_demo);
}

static gboolean
has_message (gpointer window)
{
  return fer_window_get_message (window) != NULL;
}

/* With no sound server and no sound card the window says so and keeps
 * running: the waterfall goes on. */
static void
body_no_audio_device (Fixture *f)
{
  FerSpectrumView *view = fer_window_get_spectrum_view (f->window);
  FerReceiverStats stats;
  RowsWait wait = { view, 0 };

  fer_test_spin_until (has_message, f->window, 10000);
  fer_receiver_get_stats (f->receiver, &stats);
  if (stats.audio_state == FER_AUDIO_STATE_PLAYING)
    {
      g_test_skip ("this machine has a sound device");
      return;
    }
  g_assert_nonnull (fer_window_get_message (f->window));
  g_assert_cmpstr (fer_window_get_message (f->window), ==,
                   "No audio output device found; Ferrite runs silently");
  g_assert_cmpint (stats.audio_state, ==, FER_AUDIO_STATE_NO_DEVICE);
  wait.n_rows = fer_spectrum_view_get_n_rows (view) + 10;
  g_assert_true (fer_test_spin_until (rows_reached, &wait, 2000));
}

static void
test_no_audio_device (void)
{
  FER_TEST_NEED_DISPLAY ();
  /* no sound server to find (PortAudio's ALSA "default" goes through pulse) */
  g_setenv ("PULSE_SERVER", "unix:/nonexistent/ferrite-test", TRUE);
  g_setenv ("JACK_NO_START_SERVER", "1", TRUE);
  run_app (demo_receiver (NULL), NULL, body_no_audio_device);
}

static gboolean
receiver_freq_changed (gpointer data)
{
  Fixture *f = data;
  return fer_receiver_get_freq (f->receiver) != 100e6;
}

typedef struct {
  Fixture *f;
  double freq_hz;
} FreqWait;

static gboolean
receiver_at (gpointer data)
{
  FreqWait *w = data;
  return fer_receiver_get_freq (w->f->receiver) == w->freq_hz;
}

/* A real click in the spectrum retunes: the display shows the clicked
 * frequency and the receiver listens to it. */
static void
body_click_retunes (Fixture *f)
{
  FerSpectrumView *view = fer_window_get_spectrum_view (f->window);
  FerFreqControl *ctrl = fer_window_get_freq_control (f->window);
  RowsWait wait = { view, 3 };
  double width, x, y, expect, hz_per_px, shown;

  g_assert_cmpfloat (fer_receiver_get_freq (f->receiver), ==, 100e6);
  g_assert_true (fer_test_spin_until (rows_reached, &wait, 2000));
  width = gtk_widget_get_width (GTK_WIDGET (view));
  x = floor (width * 0.8);
  y = 40;  /* in the spectrum plot */
  hz_per_px = fer_receiver_get_rate (f->receiver) / width;
  expect = fer_receiver_get_center (f->receiver) - fer_receiver_get_rate (f->receiver) / 2
           + x / width * fer_receiver_get_rate (f->receiver);

  fer_test_click (GTK_WIDGET (view), x, y, 1);
  g_assert_true (fer_test_spin_until (receiver_freq_changed, f, 3000));
  fer_test_spin (100);
  shown = fer_freq_control_get_frequency (ctrl);
  g_test_message ("clicked %.0f Hz, display %.0f Hz, receiver %.0f Hz", expect, shown,
                  fer_receiver_get_freq (f->receiver));
  /* a pixel's worth, plus the snap to a round kHz */
  g_assert_cmpfloat (fabs (shown - expect), <=, hz_per_px + 500);
  g_assert_cmpfloat (fer_receiver_get_freq (f->receiver), ==, shown);
  g_assert_null (fer_window_get_message (f->window));
}

static void
test_click_retunes (void)
{
  FER_TEST_NEED_INPUT ();
  run_app (demo_receiver (FER_RECEIVER_NO_AUDIO), NULL, body_click_retunes);
}

/* Ctrl+L, typing a frequency and Enter retunes, all from the keyboard;
 * a frequency outside the band moves the band there. */
static void
body_keyboard_retunes (Fixture *f)
{
  GtkWidget *status;
  graphene_rect_t b;

  /* the pointer over the window gives it the keyboard (no window manager) */
  status = fer_test_find_label (GTK_WIDGET (f->window), "Audio: off");
  fer_test_spin (300);
  status = status ? status : GTK_WIDGET (fer_window_get_spectrum_view (f->window));
  g_assert_true (gtk_widget_compute_bounds (status, status, &b));
  fer_test_pointer_move (status, b.size.width / 2, b.size.height / 2);
  fer_test_key ("ctrl+l");
  fer_test_type ("101.5M");
  fer_test_key ("Return");
  g_assert_true (fer_test_spin_until (receiver_at, &(FreqWait) { f, 101.5e6 }, 3000));
  g_assert_cmpfloat (fer_freq_control_get_frequency (fer_window_get_freq_control (f->window)),
                     ==, 101.5e6);

  /* outside the 2.4 MHz band around 100 MHz: the receiver recentres */
  fer_test_type ("433.92M");
  fer_test_key ("Return");
  g_assert_true (fer_test_spin_until (receiver_at, &(FreqWait) { f, 433.92e6 }, 3000));
  fer_test_spin (1000);
  g_assert_cmpfloat (fabs (fer_receiver_get_center (f->receiver) - 433.92e6), <,
                     fer_receiver_get_rate (f->receiver) / 2);
}

static void
test_keyboard_retunes (void)
{
  FER_TEST_NEED_INPUT ();
  run_app (demo_receiver (FER_RECEIVER_NO_AUDIO), NULL, body_keyboard_retunes);
}

/* What cannot be tuned is said in the message area, and nothing changes;
 * the next good tune clears the message. A startup message shows first. */
static void
body_rejected_frequency (Fixture *f)
{
  GtkWidget *w = GTK_WIDGET (f->window);
  const char *message;

  g_assert_cmpstr (fer_window_get_message (f->window), ==, "Started on the demo dongle");

  gtk_widget_activate_action (w, "win.tune", "s", "5G");
  message = fer_window_get_message (f->window);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "Cannot tune to "));
  g_assert_cmpfloat (fer_receiver_get_freq (f->receiver), ==, 100e6);
  g_assert_cmpfloat (fer_freq_control_get_frequency (fer_window_get_freq_control (f->window)),
                     ==, 100e6);

  gtk_widget_activate_action (w, "win.tune", "s", "ninety");
  message = fer_window_get_message (f->window);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "is not a frequency"));

  gtk_widget_activate_action (w, "win.tune", "s", "99.5 MHz");
  g_assert_null (fer_window_get_message (f->window));
  g_assert_cmpfloat (fer_receiver_get_freq (f->receiver), ==, 99.5e6);
  g_assert_cmpfloat (fer_freq_control_get_frequency (fer_window_get_freq_control (f->window)),
                     ==, 99.5e6);
}

static void
test_rejected_frequency (void)
{
  FER_TEST_NEED_DISPLAY ();
  run_app (demo_receiver (FER_RECEIVER_NO_AUDIO), "Started on the demo dongle",
           body_rejected_frequency);
}

/* Accessibility: in GTK 4.8 a control's name is its LABEL property or the
 * LABEL of the widget it is labelled by (anything else falls back to the
 * type name, "GtkImage" and the like). */
static gboolean
has_label (GtkAccessible *a)
{
  g_autofree char *diff = NULL;

  if (!gtk_test_accessible_has_property (a, GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  diff = gtk_test_accessible_check_property (a, GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return diff != NULL;  /* NULL: equal to "" */
}

static void
collect (GtkWidget *w, GPtrArray *all)
{
  g_ptr_array_add (all, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect (c, all);
}

static gboolean
is_named (GtkWidget *w, GPtrArray *all)
{
  if (has_label (GTK_ACCESSIBLE (w)))
    return TRUE;
  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return FALSE;
  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *diff = NULL;

      /* the labelling widget: a label, or one with a LABEL of its own */
      if (!GTK_IS_LABEL (all->pdata[i]) && !has_label (all->pdata[i]))
        continue;
      diff = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (w),
                                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                 all->pdata[i], NULL);
      if (diff == NULL)
        {
          GtkWidget *t = all->pdata[i];
          return has_label (GTK_ACCESSIBLE (t))
                 || (GTK_IS_LABEL (t) && *gtk_label_get_text (GTK_LABEL (t)) != '\0');
        }
    }
  return FALSE;
}

static gboolean
is_control (GtkAccessibleRole role)
{
  switch ((int) role)
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON: case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX: case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM: case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX: case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON: case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX: case GTK_ACCESSIBLE_ROLE_IMG:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The unnamed controls drawn under @root; @checked counts those looked at. */
static guint
count_unnamed (GtkWidget *root, guint *checked)
{
  GPtrArray *all = g_ptr_array_new ();
  guint unnamed = 0;

  collect (root, all);
  for (guint i = 0; i < all->len; i++)
    {
      GtkWidget *w = all->pdata[i];
      GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w));
      gboolean named;

      if (!is_control (role) || !gtk_widget_is_drawable (w))
        continue;
      /* a button inside a dropdown, menu button, spin button or colour
       * button is named by its parent */
      if (role == GTK_ACCESSIBLE_ROLE_BUTTON
          && (GTK_IS_DROP_DOWN (gtk_widget_get_parent (w))
              || GTK_IS_MENU_BUTTON (gtk_widget_get_parent (w))
              || GTK_IS_SPIN_BUTTON (gtk_widget_get_parent (w))
              || GTK_IS_COLOR_BUTTON (gtk_widget_get_parent (w))))
        continue;
      /* a spin button's text is the spin button */
      if (role == GTK_ACCESSIBLE_ROLE_TEXT_BOX && GTK_IS_SPIN_BUTTON (gtk_widget_get_parent (w)))
        continue;
      /* decoration: the window buttons, icons inside buttons */
      if (role == GTK_ACCESSIBLE_ROLE_IMG && !FER_IS_SPECTRUM_VIEW (w))
        continue;
      named = is_named (w, all);
      (*checked)++;
      g_test_message ("%s %s", named ? "named  " : "NO NAME", G_OBJECT_TYPE_NAME (w));
      unnamed += !named;
    }
  g_ptr_array_unref (all);
  return unnamed;
}

static gboolean
editor_open (gpointer data)
{
  FerTestApp *f = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
      if (GTK_IS_DIALOG (w) && gtk_widget_get_mapped (w))
        {
          f->data = w;
          return TRUE;
        }
    }
  return FALSE;
}

/* Every control a person can reach has a name a screen reader can say:
 * the top, the message area's close button (shown by a message), each
 * panel with a bookmark in its list, and the bookmark editor. */
static void
body_controls_named (Fixture *f)
{
  static const char *const pages[] = { "receiver", "display", "bookmarks" };
  FerBookmark b = { 0, 100e6, (char *) "Local", (char *) "wfm", 0, (char *[]) { NULL },
                    (char *) "#ff0000" };
  guint unnamed = 0, checked = 0, checked_top;

  fer_bookmarks_add (fer_window_get_bookmarks (f->window), &b);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-bookmarks", NULL);
  fer_window_show_message (f->window, FER_MESSAGE_ERROR, "A message");
  fer_test_spin (400);
  unnamed += count_unnamed (GTK_WIDGET (f->window), &checked);
  checked_top = checked;
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", pages[i]);
      fer_test_spin (100);
      unnamed += count_unnamed (GTK_WIDGET (f->window), &checked);
    }
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.bookmark-add", NULL);
  g_assert_true (fer_test_spin_until (editor_open, f, 2000));
  fer_test_spin (100);
  unnamed += count_unnamed (GTK_WIDGET (f->data), &checked);
  gtk_window_destroy (GTK_WINDOW (f->data));

  /* frequency, mode, gain, volume, mute, history, menu, close, view... and
   * each panel's controls */
  g_assert_cmpuint (checked_top, >=, 8);
  g_assert_cmpuint (checked, >=, checked_top + 20);
  g_assert_cmpuint (unnamed, ==, 0);
}

static void
test_controls_named (void)
{
  FER_TEST_NEED_DISPLAY ();
  run_app (demo_receiver (FER_RECEIVER_NO_AUDIO), NULL, body_controls_named);
}

/* Accelerators are set, and the window without a receiver still opens. */
static void
body_no_receiver (Fixture *f)
{
  g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "app.quit");
  g_auto(GStrv) focus = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app),
                                                                "win.focus-frequency");

  g_assert_true (g_strv_contains ((const char *const *) quit, "<Control>q"));
  g_assert_true (g_strv_contains ((const char *const *) focus, "<Control>l"));
  g_assert_nonnull (fer_test_find_label (GTK_WIDGET (f->window), "No source"));
  fer_test_spin (200);
  g_assert_cmpuint (fer_spectrum_view_get_n_rows (fer_window_get_spectrum_view (f->window)), ==, 0);
}

static void
test_no_receiver (void)
{
  FER_TEST_NEED_DISPLAY ();
  run_app (NULL, NULL, body_no_receiver);
}

static gboolean
band_at (gpointer data)
{
  FerTestApp *f = data;
  double lo, hi;

  return fer_spectrum_view_get_visible_range (fer_window_get_spectrum_view (f->window), &lo, &hi)
         && fabs ((lo + hi) / 2 - 433.92e6) < 1.0;
}

/* Switching the radio to another source on the fly: the window follows
 * the new receiver (frames, frequency within the new source's reach, its
 * name); the old receiver is gone. A recording of 433.92 MHz cannot hear
 * 100 MHz: the window tunes to the recording's centre. */
static void
body_switch_source (FerTestApp *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ferrite-rec-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "rec.cu8", NULL);
  g_autofree guint8 *iq = g_new (guint8, 2 * 512000);
  FerReceiver *old = f->receiver;
  FerSource *source;

  g_assert_true (fer_test_wait_rows (fer_window_get_spectrum_view (f->window), 3, 3000));
  /* half a second at 1.024 MS/s: a carrier 100 kHz above the centre */
  for (guint i = 0; i < 512000; i++)
    {
      double phase = 2 * G_PI * 100e3 * i / 1.024e6;
      iq[2 * i] = (guint8) (127.5 + 60 * cos (phase));
      iq[2 * i + 1] = (guint8) (127.5 + 60 * sin (phase));
    }
  g_assert_true (g_file_set_contents (path, (char *) iq, 2 * 512000, NULL));
  source = fer_source_file_new (path, FER_SAMPLE_CU8, 1.024e6, 433.92e6, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (fer_application_set_source (f->app, source, NULL, &error));
  g_assert_no_error (error);
  f->receiver = fer_application_get_receiver (f->app);
  g_assert_true (f->receiver != old);
  g_assert_cmpfloat (fer_receiver_get_freq (f->receiver), ==, 433.92e6);
  g_assert_true (fer_test_spin_until (band_at, f, 3000));
  g_assert_cmpfloat (fer_freq_control_get_frequency (fer_window_get_freq_control (f->window)), ==,
                     433.92e6);
  g_assert_null (fer_application_get_source_spec (f->app));

  /* and back to the demo dongle, at the frequency it was: it reaches 433.92 MHz */
  source = fer_source_demo_new (TRUE, &error);
  g_assert_true (fer_application_set_source (f->app, source, "demo", &error));
  f->receiver = fer_application_get_receiver (f->app);
  g_assert_cmpfloat (fer_receiver_get_freq (f->receiver), ==, 433.92e6);
  g_assert_cmpstr (fer_application_get_source_spec (f->app), ==, "demo");
  g_assert_true (fer_test_wait_rows (fer_window_get_spectrum_view (f->window), 3, 3000));
  g_assert_nonnull (fer_test_find_label (GTK_WIDGET (f->window), FER_SOURCE_DEMO_NAME));
  g_remove (path);
  g_rmdir (dir);
}

static void
test_switch_source (void)
{
  FER_TEST_NEED_DISPLAY ();
  run_app (demo_receiver (FER_RECEIVER_NO_AUDIO), NULL, body_switch_source);
}

int
main (int argc, char **argv)
{
  fer_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/window/opens-on-demo-dongle", test_opens_on_demo);
  g_test_add_func ("/ui/window/no-audio-device", test_no_audio_device);
  g_test_add_func ("/ui/window/click-retunes", test_click_retunes);
  g_test_add_func ("/ui/window/keyboard-retunes", test_keyboard_retunes);
  g_test_add_func ("/ui/window/rejected-frequency", test_rejected_frequency);
  g_test_add_func ("/ui/window/controls-named", test_controls_named);
  g_test_add_func ("/ui/window/no-receiver", test_no_receiver);
  g_test_add_func ("/ui/window/switch-source", test_switch_source);
  return g_test_run ();
}
