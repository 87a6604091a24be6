/* test-screenshot.c - what a person sees: the window's pixels as the X server has them.
 *
 * The window runs on the demo dongle, tuned to the keyed narrow FM
 * transmitter at 145.5 MHz (on 4 s, off 3 s) with its steady neighbour at
 * 145.525 MHz, zoomed in. A screenshot of the X window (ImageMagick's
 * import) shows, in the waterfall, the keyed station's column come and go
 * while the neighbour's stays; and, in the spectrum, the passband tinted
 * exactly between the filter's edges around the tuned line.
 */
#include <math.h>
#include <string.h>

#include "app-test-util.h"
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#define KEYED_HZ 145.5e6
#define STEADY_HZ 145.525e6
#define WATCH_S 7.5          /* a whole keying period (4 s on, 3 s off) and more */

typedef struct {
  int width, height;
  guint8 *rgb;               /* owned; 3 bytes a pixel */
} Shot;

static void
shot_clear (Shot *s)
{
  g_free (s->rgb);
}

/* The X window of @window as a person would see it, through import. */
static gboolean
take_shot (GtkWidget *window, Shot *shot)
{
#ifdef GDK_WINDOWING_X11
  g_autofree char *xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (
                                            gtk_native_get_surface (GTK_NATIVE (window))));
  const char *argv[] = { "import", "-window", xid, "-depth", "8", "ppm:-", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  int status, maxval, n = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* "P6 <w> <h> 255\n" then the pixels */
  len = strlen (out);  /* the header has no NUL; the pixels may */
  g_assert_cmpuint (len, >, 2);
  g_assert_cmpint (sscanf (out, "P6 %d %d %d%n", &shot->width, &shot->height, &maxval, &n), ==, 3);
  g_assert_cmpint (maxval, ==, 255);
  shot->rgb = g_memdup2 (out + n + 1, (gsize) shot->width * shot->height * 3);
  return TRUE;
#else
  return FALSE;
#endif
}

static const guint8 *
px (const Shot *s, int x, int y)
{
  return s->rgb + ((gsize) y * s->width + x) * 3;
}

/* Where @widget's (@x, @y) is in the X window's pixels. */
static void
to_window (GtkWidget *widget, double x, double y, int *wx, int *wy)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t p;
  double dx, dy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT ((float) x, (float) y), &p));
  gtk_native_get_surface_transform (native, &dx, &dy);
  *wx = (int) floor (p.x + dx);
  *wy = (int) floor (p.y + dy);
}

static int
color_distance (const guint8 *a, const guint8 *b)
{
  return abs (a[0] - b[0]) + abs (a[1] - b[1]) + abs (a[2] - b[2]);
}

static int
compare_bytes (gconstpointer a, gconstpointer b)
{
  return *(const guint8 *) a - *(const guint8 *) b;
}

/* How far the pixels at @x (the most of x-1..x+1) stand out from row @y's
 * usual colour (its per-channel median). */
static int
stands_out (const Shot *s, int x0, int x1, int y, int x)
{
  guint8 median[3], *ch = g_new (guint8, x1 - x0);
  int best = 0;

  for (int c = 0; c < 3; c++)
    {
      for (int i = x0; i < x1; i++)
        ch[i - x0] = px (s, i, y)[c];
      qsort (ch, x1 - x0, 1, compare_bytes);
      median[c] = ch[(x1 - x0) / 2];
    }
  g_free (ch);
  for (int dx = -1; dx <= 1; dx++)
    best = MAX (best, color_distance (px (s, x + dx, y), median));
  return best;
}

static gboolean
tinted_red (const guint8 *p)
{
  return p[0] > p[1] + 15 && p[0] > p[2] + 15;
}

static gboolean
station_in_view (gpointer data)
{
  double lo, hi;

  return fer_spectrum_view_get_visible_range (data, &lo, &hi) && lo < KEYED_HZ - 20e3
         && hi > STEADY_HZ + 20e3;
}

static void
body_screenshot (FerTestApp *f)
{
  FerSpectrumView *view = fer_window_get_spectrum_view (f->window);
  GtkWidget *v = GTK_WIDGET (view);
  graphene_rect_t wf, plot;
  Shot shot = { 0 };
  double lo, hi;
  int wx0, wy0, wx1, wy1, x_keyed, x_steady, y, n_rows, on = 0, off = 0, steady_on = 0;
  int x_tuned, x_lo, x_hi, first = -1, last = -1;
  guint rows_before;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.tune", "s", "145.5M");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.mode", "s", "nfm");
  g_assert_true (fer_test_wait_freq (f->receiver, KEYED_HZ, 3000));
  /* zoomed in at once, before the band has moved there: the view follows */
  fer_spectrum_view_zoom_by (view, 16.0, KEYED_HZ);
  /* a band around the station, rows of it only */
  g_assert_true (fer_test_wait_rows (view, 5, 3000));
  g_assert_true (fer_test_spin_until (station_in_view, view, 3000));
  fer_spectrum_view_clear (view);
  rows_before = fer_spectrum_view_get_n_rows (view);
  fer_test_pointer_park ();
  fer_test_spin ((guint) (WATCH_S * 1000));
  g_test_message ("%u rows in %.1f s", fer_spectrum_view_get_n_rows (view) - rows_before, WATCH_S);

  g_assert_true (take_shot (GTK_WIDGET (f->window), &shot));
  if (g_getenv ("FERRITE_TEST_SHOT") != NULL)
    {
      /* for a person to look at what the test saw */
      g_autofree char *header = g_strdup_printf ("P6 %d %d 255\n", shot.width, shot.height);
      g_autoptr(GString) ppm = g_string_new (header);

      g_string_append_len (ppm, (const char *) shot.rgb, (gssize) shot.width * shot.height * 3);
      g_file_set_contents (g_getenv ("FERRITE_TEST_SHOT"), ppm->str, (gssize) ppm->len, NULL);
    }
  fer_spectrum_view_get_waterfall_area (view, &wf);
  fer_spectrum_view_get_plot_area (view, &plot);
  to_window (v, wf.origin.x, wf.origin.y, &wx0, &wy0);
  to_window (v, wf.origin.x + wf.size.width, wf.origin.y + wf.size.height, &wx1, &wy1);
  to_window (v, fer_spectrum_view_freq_to_x (view, KEYED_HZ), 0, &x_keyed, &y);
  to_window (v, fer_spectrum_view_freq_to_x (view, STEADY_HZ), 0, &x_steady, &y);
  g_assert_cmpint (x_steady - x_keyed, >, 20);

  /* the waterfall: the keyed station's column on in some rows and off in
   * others; its steady neighbour's on throughout */
  n_rows = MIN ((int) (fer_spectrum_view_get_n_rows (view) - rows_before) - 2, wy1 - wy0 - 2);
  g_assert_cmpint (n_rows, >, 100);
  for (int r = 1; r <= n_rows; r++)
    {
      int keyed = stands_out (&shot, wx0, wx1, wy0 + r, x_keyed + 2);
      int steady = stands_out (&shot, wx0, wx1, wy0 + r, x_steady + 2);

      on += keyed > 120;
      off += keyed < 60;
      steady_on += steady > 120;
    }
  g_test_message ("keyed: on %d, off %d; steady on %d of %d rows", on, off, steady_on, n_rows);
  g_assert_cmpint (on, >, n_rows / 4);
  g_assert_cmpint (off, >, n_rows / 8);
  g_assert_cmpint (steady_on, >, n_rows * 9 / 10);

  /* the spectrum: the passband tinted from its lower to its upper edge, the
   * tuned line in it; measured along a row near the plot's top, above the
   * spectrum line */
  fer_receiver_get_passband (f->receiver, &lo, &hi);
  to_window (v, fer_spectrum_view_freq_to_x (view, KEYED_HZ), plot.origin.y + 6, &x_tuned, &y);
  to_window (v, fer_spectrum_view_freq_to_x (view, KEYED_HZ + lo), 0, &x_lo, &wy1);
  to_window (v, fer_spectrum_view_freq_to_x (view, KEYED_HZ + hi), 0, &x_hi, &wy1);
  for (int x = wx0; x < wx1; x++)
    if (tinted_red (px (&shot, x, y)))
      {
        if (first < 0)
          first = x;
        last = x;
      }
  g_test_message ("passband %.0f..%.0f Hz: expected x %d..%d, tinted %d..%d, tuned line %d",
                  lo, hi, x_lo, x_hi, first, last, x_tuned);
  g_assert_cmpint (hi - lo, >, 5000);
  g_assert_cmpint (abs (first - x_lo), <=, 2);
  g_assert_cmpint (abs (last - x_hi), <=, 2);
  g_assert_cmpint (px (&shot, x_tuned, y)[0], >, 200);   /* the tuned line itself */
  g_assert_cmpint (px (&shot, x_tuned, y)[1], <, 130);
  shot_clear (&shot);
}

static void
test_screenshot (void)
{
  g_autofree char *import = g_find_program_in_path ("import");

  FER_TEST_NEED_INPUT ();
  if (import == NULL)
    {
      g_test_skip ("no import (ImageMagick)");
      return;
    }
  fer_test_run_app (fer_test_demo_receiver (FER_RECEIVER_NO_AUDIO), NULL, body_screenshot, NULL);
}

int
main (int argc, char **argv)
{
  fer_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/screenshot/keyed-station-and-passband", test_screenshot);
  return g_test_run ();
}
