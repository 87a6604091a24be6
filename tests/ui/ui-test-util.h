/* ui-test-util.h - helpers for the window tests: display, main loop, pixels, real input.
 *
 * Input goes through the X server (xdotool's XTEST events), the way a
 * person's mouse and keyboard reach the app; tests that need it skip when
 * xdotool or an X11 display is missing.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* g_test_init () + gtk_init_check (); FALSE when there is no display. */
gboolean fer_test_ui_init (int *argc, char ***argv);
gboolean fer_test_have_display (void);

#define FER_TEST_NEED_DISPLAY()                                   \
  G_STMT_START {                                                  \
    if (!fer_test_have_display ())                                \
      {                                                           \
        g_test_skip ("no display (run under xvfb-run)");          \
        return;                                                   \
      }                                                           \
  } G_STMT_END

/* Puts every key of Ferrite's settings back to its default (the memory
 * backend keeps them from one application run to the next in a process).
 * Nothing when the schema is not installed. */
void fer_test_reset_settings (void);

/* Real input needs xdotool and an X11 display. */
gboolean fer_test_have_input (void);

#define FER_TEST_NEED_INPUT()                                     \
  G_STMT_START {                                                  \
    FER_TEST_NEED_DISPLAY ();                                     \
    if (!fer_test_have_input ())                                  \
      {                                                           \
        g_test_skip ("no xdotool or not an X11 display");         \
        return;                                                   \
      }                                                           \
  } G_STMT_END

/* Runs the main loop until @cond (@data) holds or @timeout_ms pass; returns
 * the last value of @cond (TRUE if @cond is NULL). */
gboolean fer_test_spin_until (gboolean (*cond) (gpointer data), gpointer data, guint timeout_ms);
void fer_test_spin (guint ms);

/* A toplevel holding @child at @width x @height, presented and drawn. */
GtkWidget *fer_test_window_new (GtkWidget *child, int width, int height);

/* @widget rendered by its window's renderer, at its own size. */
GdkTexture *fer_test_render_widget (GtkWidget *widget);

/* Pixels of @texture as 0xAARRGGBB words (premultiplied); g_free them. */
guint32 *fer_test_texture_pixels (GdkTexture *texture, int *width, int *height);
/* Rec. 709 luma of a pixel, 0..255. */
double fer_test_luma (guint32 pixel);

/* Real input at @x, @y in @widget's coordinates. */
void fer_test_pointer_move (GtkWidget *widget, double x, double y);
void fer_test_click (GtkWidget *widget, double x, double y, guint button);
/* Presses @button at (@x0, @y0), moves to (@x1, @y1) in a few steps and
 * releases it there. */
void fer_test_drag (GtkWidget *widget, double x0, double y0, double x1, double y1, guint button);
/* @n_up turns of the wheel up (negative: down) with the pointer at @x, @y. */
void fer_test_wheel (GtkWidget *widget, double x, double y, int n_up);
/* Puts the pointer outside every test window (bottom right of the screen). */
void fer_test_pointer_park (void);
/* xdotool type TEXT / xdotool key KEY... (to the window with the X focus). */
void fer_test_type (const char *text);
void fer_test_key (const char *keys);

G_END_DECLS
