/* test-freq-control.c - FerFreqControl driven by a real mouse and keyboard (X server input). */
#include <math.h>

#include "ui-test-util.h"
#include "ui/freq-control.h"

typedef struct {
  GtkWidget *window;
  FerFreqControl *ctrl;
  GtkWidget *other;      /* something else to focus */
  guint n_changes;
  double last_hz;
} Fixture;

static void
on_frequency_changed (FerFreqControl *ctrl, double hz, Fixture *f)
{
  f->n_changes++;
  f->last_hz = hz;
  /* the signal reports what the control now shows */
  g_assert_cmpfloat (hz, ==, fer_freq_control_get_frequency (ctrl));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  GtkWidget *box;

  if (!fer_test_have_display ())
    return;
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  f->ctrl = FER_FREQ_CONTROL (fer_freq_control_new ());
  f->other = gtk_button_new_with_label ("Other");
  gtk_widget_set_valign (GTK_WIDGET (f->ctrl), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (f->other, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->ctrl));
  gtk_box_append (GTK_BOX (box), f->other);
  fer_freq_control_set_range (f->ctrl, 0, 1999999999);
  fer_freq_control_set_frequency (f->ctrl, 100e6);
  g_signal_connect (f->ctrl, "frequency-changed", G_CALLBACK (on_frequency_changed), f);
  f->window = fer_test_window_new (box, 600, 120);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->window)
    gtk_window_destroy (GTK_WINDOW (f->window));
}

typedef struct {
  Fixture *f;
  guint n;
} Wait;

static gboolean
changes_reached (gpointer data)
{
  Wait *w = data;
  return w->f->n_changes >= w->n;
}

/* Waits until @n changes in all were signalled. */
static void
wait_changes (Fixture *f, guint n)
{
  Wait w = { f, n };

  g_assert_true (fer_test_spin_until (changes_reached, &w, 3000));
  g_assert_cmpuint (f->n_changes, ==, n);
}

static void
digit_center (Fixture *f, guint exponent, double *x, double *y, gboolean upper)
{
  graphene_rect_t r;

  g_assert_true (fer_freq_control_get_digit_area (f->ctrl, exponent, &r));
  *x = r.origin.x + r.size.width / 2;
  *y = r.origin.y + r.size.height * (upper ? 0.25 : 0.75);
}

/* Click where no digit is (the "Hz" after them): focuses without a change. */
static void
focus_by_click (Fixture *f)
{
  int w = gtk_widget_get_width (GTK_WIDGET (f->ctrl));
  int h = gtk_widget_get_height (GTK_WIDGET (f->ctrl));

  fer_test_click (GTK_WIDGET (f->ctrl), w - 4, h / 2, 1);
  g_assert_true (fer_test_spin_until ((gboolean (*) (gpointer)) gtk_widget_has_focus, f->ctrl, 3000));
  g_assert_cmpuint (f->n_changes, ==, 0);
}

/* Setting the frequency from code shows it without "frequency-changed",
 * and the accessible value says it as people read it. */
static void
test_set_is_silent_and_announced (Fixture *f, gconstpointer data)
{
  GtkAccessible *a;
  char *diff;

  FER_TEST_NEED_DISPLAY ();
  a = GTK_ACCESSIBLE (f->ctrl);
  fer_freq_control_set_frequency (f->ctrl, 433.92e6);
  fer_test_spin (50);
  g_assert_cmpfloat (fer_freq_control_get_frequency (f->ctrl), ==, 433920000);
  g_assert_cmpuint (f->n_changes, ==, 0);

  g_assert_cmpint (gtk_accessible_get_accessible_role (a), ==, GTK_ACCESSIBLE_ROLE_SPIN_BUTTON);
  diff = gtk_test_accessible_check_property (a, GTK_ACCESSIBLE_PROPERTY_LABEL, "Frequency");
  g_assert_null (diff);
  diff = gtk_test_accessible_check_property (a, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "433.920 MHz");
  g_assert_null (diff);
  diff = gtk_test_accessible_check_property (a, GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 433920000.0);
  g_assert_null (diff);

  fer_freq_control_set_frequency (f->ctrl, 100e6);
  diff = gtk_test_accessible_check_property (a, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "100.000 MHz");
  g_assert_null (diff);
}

/* The wheel over a digit adds or takes 10^k, carrying into the digits above. */
static void
test_wheel_steps_digit (Fixture *f, gconstpointer data)
{
  double x, y;

  FER_TEST_NEED_INPUT ();
  digit_center (f, 6, &x, &y, TRUE);
  fer_test_pointer_move (GTK_WIDGET (f->ctrl), x, y);
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 4);  /* wheel up */
  wait_changes (f, 1);
  g_assert_cmpfloat (f->last_hz, ==, 101e6);
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 5);  /* wheel down, twice */
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 5);
  wait_changes (f, 3);
  g_assert_cmpfloat (f->last_hz, ==, 99e6);
  g_assert_cmpuint (fer_freq_control_get_selected_digit (f->ctrl), ==, 6);

  /* carry: 99.950.000 + 100 kHz = 100.050.000 */
  fer_freq_control_set_frequency (f->ctrl, 99.95e6);
  digit_center (f, 5, &x, &y, TRUE);
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 4);
  wait_changes (f, 4);
  g_assert_cmpfloat (f->last_hz, ==, 100.05e6);
  /* and back through zero: 100.050.000 - 2 x 100 kHz = 99.850.000 */
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 5);
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 5);
  wait_changes (f, 6);
  g_assert_cmpfloat (f->last_hz, ==, 99.85e6);
}

/* A click on the upper half of a digit steps it up, on the lower half down. */
static void
test_click_halves (Fixture *f, gconstpointer data)
{
  double x, y;

  FER_TEST_NEED_INPUT ();
  digit_center (f, 3, &x, &y, TRUE);
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 1);
  wait_changes (f, 1);
  g_assert_cmpfloat (f->last_hz, ==, 100001000);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (f->ctrl)));
  g_assert_cmpuint (fer_freq_control_get_selected_digit (f->ctrl), ==, 3);

  digit_center (f, 0, &x, &y, FALSE);
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 1);
  wait_changes (f, 2);
  g_assert_cmpfloat (f->last_hz, ==, 100000999);
}

/* Up/Down step the selected digit, Left/Right choose another. */
static void
test_arrow_keys (Fixture *f, gconstpointer data)
{
  FER_TEST_NEED_INPUT ();
  focus_by_click (f);
  fer_freq_control_set_selected_digit (f->ctrl, 3);

  fer_test_key ("Up");
  wait_changes (f, 1);
  g_assert_cmpfloat (f->last_hz, ==, 100001000);
  fer_test_key ("Left Up");
  wait_changes (f, 2);
  g_assert_cmpfloat (f->last_hz, ==, 100011000);
  g_assert_cmpuint (fer_freq_control_get_selected_digit (f->ctrl), ==, 4);
  fer_test_key ("Right Right Down");
  wait_changes (f, 3);
  g_assert_cmpfloat (f->last_hz, ==, 100010900);
  g_assert_cmpuint (fer_freq_control_get_selected_digit (f->ctrl), ==, 2);
}

typedef struct {
  const char *typed;
  double hz;
} Typed;

/* Typing a frequency and Enter sets it: with or without a multiplier. */
static void
test_typing (Fixture *f, gconstpointer data)
{
  const Typed cases[] = {
    { "96.3M", 96.3e6 },
    { "100000000", 100e6 },
    { "433.92M", 433.92e6 },
    { "500k", 500e3 },
    { "1.2G", 1.2e9 },
    { "145.5m", 145.5e6 },
  };

  FER_TEST_NEED_INPUT ();
  focus_by_click (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      fer_test_type (cases[i].typed);
      fer_test_spin (50);
      g_assert_true (fer_freq_control_is_editing (f->ctrl));
      fer_test_key ("Return");
      wait_changes (f, i + 1);
      g_assert_cmpfloat (f->last_hz, ==, cases[i].hz);
      g_assert_false (fer_freq_control_is_editing (f->ctrl));
    }
}

static gboolean
not_editing (gpointer ctrl)
{
  return !fer_freq_control_is_editing (ctrl);
}

/* Escape drops what was typed; moving the focus away does too. */
static void
test_escape_cancels (Fixture *f, gconstpointer data)
{
  FER_TEST_NEED_INPUT ();
  focus_by_click (f);
  fer_test_type ("123.4");
  fer_test_spin (50);
  g_assert_true (fer_freq_control_is_editing (f->ctrl));
  fer_test_key ("Escape");
  g_assert_true (fer_test_spin_until (not_editing, f->ctrl, 3000));
  fer_test_spin (100);
  g_assert_cmpuint (f->n_changes, ==, 0);
  g_assert_cmpfloat (fer_freq_control_get_frequency (f->ctrl), ==, 100e6);

  fer_test_type ("7");
  fer_test_spin (50);
  g_assert_true (fer_freq_control_is_editing (f->ctrl));
  fer_test_key ("Tab");
  g_assert_true (fer_test_spin_until (not_editing, f->ctrl, 3000));
  g_assert_cmpuint (f->n_changes, ==, 0);
}

/* A frequency outside the range, or text that is no frequency, is refused:
 * nothing changes and the edit stays open to be corrected. */
static void
test_typing_refused (Fixture *f, gconstpointer data)
{
  FER_TEST_NEED_INPUT ();
  fer_freq_control_set_range (f->ctrl, 24e6, 1766e6);
  focus_by_click (f);
  fer_test_type ("5G");
  fer_test_key ("Return");
  fer_test_spin (200);
  g_assert_true (fer_freq_control_is_editing (f->ctrl));
  g_assert_cmpuint (f->n_changes, ==, 0);
  fer_test_key ("BackSpace BackSpace Escape");
  g_assert_true (fer_test_spin_until (not_editing, f->ctrl, 3000));

  fer_test_type ("1.2.3M");
  fer_test_key ("Return");
  fer_test_spin (200);
  g_assert_true (fer_freq_control_is_editing (f->ctrl));
  g_assert_cmpuint (f->n_changes, ==, 0);
  /* corrected: erase all six characters, type a good one */
  fer_test_key ("BackSpace BackSpace BackSpace BackSpace BackSpace BackSpace");
  fer_test_type ("101.5M");
  fer_test_key ("Return");
  wait_changes (f, 1);
  g_assert_cmpfloat (f->last_hz, ==, 101.5e6);
}

/* Stepping past the range stops at its edge. */
static void
test_range_clamps (Fixture *f, gconstpointer data)
{
  double x, y;

  FER_TEST_NEED_INPUT ();
  fer_freq_control_set_range (f->ctrl, 24e6, 1766e6);
  fer_freq_control_set_frequency (f->ctrl, 1765e6);
  digit_center (f, 7, &x, &y, TRUE);
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 4);
  wait_changes (f, 1);
  g_assert_cmpfloat (f->last_hz, ==, 1766e6);
  /* at the edge: no change, no signal */
  fer_test_click (GTK_WIDGET (f->ctrl), x, y, 4);
  fer_test_spin (200);
  g_assert_cmpuint (f->n_changes, ==, 1);
}

int
main (int argc, char **argv)
{
  fer_test_ui_init (&argc, &argv);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/ui/freq-control/set-is-silent-and-announced", test_set_is_silent_and_announced);
  ADD ("/ui/freq-control/wheel-steps-digit", test_wheel_steps_digit);
  ADD ("/ui/freq-control/click-halves", test_click_halves);
  ADD ("/ui/freq-control/arrow-keys", test_arrow_keys);
  ADD ("/ui/freq-control/typing", test_typing);
  ADD ("/ui/freq-control/escape-cancels", test_escape_cancels);
  ADD ("/ui/freq-control/typing-refused", test_typing_refused);
  ADD ("/ui/freq-control/range-clamps", test_range_clamps);
  return g_test_run ();
}
