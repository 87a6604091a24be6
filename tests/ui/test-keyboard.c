/* test-keyboard.c - the whole receiver from the keyboard alone, keys through the X server. */
#include <math.h>
#include <string.h>

#include "app-test-util.h"

static gboolean
mode_is (gpointer data)
{
  FerTestApp *f = data;
  return (int) fer_receiver_get_mode (f->receiver) == GPOINTER_TO_INT (f->data);
}

static gboolean
has_n_bookmarks (gpointer data)
{
  FerTestApp *f = data;
  return fer_bookmarks_get_n (fer_window_get_bookmarks (f->window)) == GPOINTER_TO_UINT (f->data);
}

static gboolean
help_shown (gpointer data)
{
  GtkWidget *help =
    GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (data)));
  return help != NULL && gtk_widget_get_mapped (help);
}

static gboolean
action_bool (FerTestApp *f, const char *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (f->window), name);
  return g_variant_get_boolean (state);
}

static GtkWidget *
control_of (FerTestApp *f, const char *text)
{
  return fer_test_find_control (GTK_WIDGET (f->window), text);
}

/* Tune, mode, gain, volume, mute, zoom, bookmark add and jump, history,
 * panels, the shortcuts window: each by its keys, each checked on the
 * receiver or the window, nothing clicked. */
static void
body_keyboard_only (FerTestApp *f)
{
  FerSpectrumView *view = fer_window_get_spectrum_view (f->window);
  FerBookmarks *bookmarks = fer_window_get_bookmarks (f->window);
  GtkDropDown *gain;
  GtkRange *volume;
  const FerBookmark *b;
  guint gain_index;

  g_assert_true (fer_test_wait_rows (view, 3, 3000));
  fer_test_focus_window (f->window);

  /* tune: Ctrl+L, digits, Enter; outside the band, the band follows */
  fer_test_key ("ctrl+l");
  fer_test_type ("145.5M");
  fer_test_key ("Return");
  g_assert_true (fer_test_wait_freq (f->receiver, 145.5e6, 3000));

  /* mode: Ctrl+3 is narrow FM; the status line says so */
  f->data = GINT_TO_POINTER (FER_MODE_NFM);
  fer_test_key ("ctrl+3");
  g_assert_true (fer_test_spin_until (mode_is, f, 2000));
  fer_test_spin (100);
  g_test_message ("announced: %s", fer_window_get_announcement (f->window));
  g_assert_nonnull (strstr (fer_window_get_announcement (f->window), "145.5 MHz"));
  g_assert_nonnull (strstr (fer_window_get_announcement (f->window), "Narrow FM"));

  /* gain: from Auto into the manual range, then one step up and down */
  gain = GTK_DROP_DOWN (control_of (f, "Gain"));
  g_assert_cmpuint (gtk_drop_down_get_selected (gain), ==, 0);
  fer_test_key ("ctrl+g");
  fer_test_spin (100);
  gain_index = gtk_drop_down_get_selected (gain);
  g_assert_cmpuint (gain_index, >, 0);
  fer_test_key ("ctrl+g");
  fer_test_spin (100);
  g_assert_cmpuint (gtk_drop_down_get_selected (gain), ==, gain_index + 1);
  fer_test_key ("ctrl+shift+g");
  fer_test_spin (100);
  g_assert_cmpuint (gtk_drop_down_get_selected (gain), ==, gain_index);

  /* volume: two steps down; mute */
  volume = GTK_RANGE (control_of (f, "Volume"));
  fer_test_key ("alt+Down alt+Down");
  fer_test_spin (100);
  g_assert_cmpfloat (gtk_range_get_value (volume), ==, 90);
  fer_test_key ("ctrl+m");
  fer_test_spin (100);
  g_assert_true (action_bool (f, "mute"));
  fer_test_key ("ctrl+m");
  fer_test_spin (100);
  g_assert_false (action_bool (f, "mute"));

  /* zoom in twice around the tuned station, back to the whole band */
  fer_test_key ("ctrl+plus ctrl+plus");
  fer_test_spin (100);
  g_assert_cmpfloat (fer_spectrum_view_get_zoom (view), ==, 4.0);
  g_assert_cmpfloat (fabs (fer_spectrum_view_freq_to_x (view, 145.5e6)
                           - gtk_widget_get_width (GTK_WIDGET (view)) / 2.0),
                     <, gtk_widget_get_width (GTK_WIDGET (view)) / 2.0);
  fer_test_key ("ctrl+0");
  fer_test_spin (100);
  g_assert_cmpfloat (fer_spectrum_view_get_zoom (view), ==, 1.0);

  /* bookmark: Ctrl+D, a name, Enter */
  fer_test_key ("ctrl+d");
  fer_test_spin (300);
  fer_test_type ("Relay");
  fer_test_key ("Return");
  f->data = GUINT_TO_POINTER (1);
  g_assert_true (fer_test_spin_until (has_n_bookmarks, f, 2000));
  b = fer_bookmarks_get (bookmarks, 0);
  g_assert_cmpstr (b->name, ==, "Relay");
  g_assert_cmpfloat (b->freq_hz, ==, 145.5e6);
  g_assert_cmpstr (b->mode, ==, "nfm");

  /* elsewhere, in another mode */
  fer_test_spin (200);
  fer_test_key ("ctrl+1");
  fer_test_key ("ctrl+l");
  fer_test_type ("100M");
  fer_test_key ("Return");
  g_assert_true (fer_test_wait_freq (f->receiver, 100e6, 3000));
  g_assert_cmpint (fer_receiver_get_mode (f->receiver), ==, FER_MODE_WFM);

  /* the next bookmark up: back on the relay, in its mode */
  fer_test_key ("ctrl+Page_Down");
  g_assert_true (fer_test_wait_freq (f->receiver, 145.5e6, 3000));
  g_assert_cmpint (fer_receiver_get_mode (f->receiver), ==, FER_MODE_NFM);

  /* history: back to 100 MHz, forward to the relay again */
  fer_test_key ("alt+Left");
  g_assert_true (fer_test_wait_freq (f->receiver, 100e6, 3000));
  fer_test_key ("alt+Right");
  g_assert_true (fer_test_wait_freq (f->receiver, 145.5e6, 3000));

  /* the bookmark list from the keyboard: elsewhere, Ctrl+B, Enter on the row */
  fer_test_key ("ctrl+l");
  fer_test_type ("99.5M");
  fer_test_key ("Return");
  g_assert_true (fer_test_wait_freq (f->receiver, 99.5e6, 3000));
  fer_test_key ("ctrl+b");
  fer_test_spin (200);
  fer_test_key ("Return");
  g_assert_true (fer_test_wait_freq (f->receiver, 145.5e6, 3000));

  /* the step keys move by the tuning step (1 kHz) */
  fer_test_key ("ctrl+l");
  fer_test_key ("Escape");
  fer_test_key ("ctrl+Up ctrl+Up");
  g_assert_true (fer_test_wait_freq (f->receiver, 145.502e6, 3000));
  fer_test_key ("ctrl+Down");
  g_assert_true (fer_test_wait_freq (f->receiver, 145.501e6, 3000));

  /* the shortcuts window */
  fer_test_key ("ctrl+question");
  g_assert_true (fer_test_spin_until (help_shown, f->window, 3000));
  fer_test_key ("Escape");
  fer_test_spin (200);
}

static void
test_keyboard_only (void)
{
  FER_TEST_NEED_INPUT ();
  fer_test_run_app (fer_test_demo_receiver (FER_RECEIVER_NO_AUDIO), NULL, body_keyboard_only,
                    NULL);
}

int
main (int argc, char **argv)
{
  fer_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/keyboard/whole-receiver-without-pointer", test_keyboard_only);
  return g_test_run ();
}
