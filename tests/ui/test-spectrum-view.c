/* test-spectrum-view.c - FerSpectrumView in a real window: what it paints, where clicks tune. */
#include <math.h>

#include "ui-test-util.h"
#include "ui/spectrum-view.h"

#define N_BINS 2048
#define CENTER_HZ 100e6
#define RATE_HZ 2.4e6
#define STRONG_BIN 1500

typedef struct {
  GtkWidget *window;
  FerSpectrumView *view;
  GRand *rand;
  float db[N_BINS];
  /* tune-requested */
  guint n_requests;
  double requested_hz;
  /* bandwidth-requested */
  guint n_bw_requests;
  double requested_bw_hz;
  /* marker-activated */
  guint n_activations;
  guint activated;
} Fixture;

static void
on_tune_requested (FerSpectrumView *view, double freq_hz, Fixture *f)
{
  f->n_requests++;
  f->requested_hz = freq_hz;
}

static void
on_bandwidth_requested (FerSpectrumView *view, double bw_hz, Fixture *f)
{
  f->n_bw_requests++;
  f->requested_bw_hz = bw_hz;
}

static void
on_marker_activated (FerSpectrumView *view, guint index, Fixture *f)
{
  f->n_activations++;
  f->activated = index;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  if (!fer_test_have_display ())
    return;
  if (fer_test_have_input ())
    fer_test_pointer_park ();  /* no hover readout over the plot */
  f->rand = g_rand_new_with_seed (1234);
  f->view = FER_SPECTRUM_VIEW (fer_spectrum_view_new ());
  g_signal_connect (f->view, "tune-requested", G_CALLBACK (on_tune_requested), f);
  g_signal_connect (f->view, "bandwidth-requested", G_CALLBACK (on_bandwidth_requested), f);
  g_signal_connect (f->view, "marker-activated", G_CALLBACK (on_marker_activated), f);
  f->window = fer_test_window_new (GTK_WIDGET (f->view), 800, 600);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->window)
    gtk_window_destroy (GTK_WINDOW (f->window));
  if (f->rand)
    g_rand_free (f->rand);
}

/* Noise around @noise_db (±4 dB) and one carrier, 5 bins wide, @carrier_db at its centre. */
static void
make_frame (Fixture *f, float noise_db, guint carrier_bin, float carrier_db)
{
  for (guint i = 0; i < N_BINS; i++)
    f->db[i] = noise_db + (float) g_rand_double_range (f->rand, -4.0, 4.0);
  for (int d = -2; d <= 2; d++)
    f->db[carrier_bin + d] = carrier_db - 6.f * (float) abs (d);
}

static void
push_frames (Fixture *f, guint n, float noise_db, guint carrier_bin, float carrier_db)
{
  for (guint i = 0; i < n; i++)
    {
      make_frame (f, noise_db, carrier_bin, carrier_db);
      fer_spectrum_view_push_frame (f->view, f->db, N_BINS, CENTER_HZ, RATE_HZ);
    }
}

typedef struct {
  guint32 *px;
  int width, height;
} Image;

static void
render (Fixture *f, Image *img)
{
  g_autoptr(GdkTexture) texture = fer_test_render_widget (GTK_WIDGET (f->view));

  img->px = fer_test_texture_pixels (texture, &img->width, &img->height);
  g_assert_cmpint (img->width, ==, gtk_widget_get_width (GTK_WIDGET (f->view)));
}

static double
row_luma_stats (const Image *img, int y, int *argmax, double *max, double *median)
{
  double sum = 0, sum2 = 0, *l = g_new (double, img->width), *sorted;

  *max = -1;
  for (int x = 0; x < img->width; x++)
    {
      l[x] = fer_test_luma (img->px[(gsize) y * img->width + x]);
      sum += l[x];
      sum2 += l[x] * l[x];
      if (l[x] > *max)
        {
          *max = l[x];
          *argmax = x;
        }
    }
  sorted = g_memdup2 (l, sizeof (double) * img->width);
  for (int i = 1; i < img->width; i++)  /* insertion sort: 800 values */
    for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--)
      {
        double t = sorted[j];
        sorted[j] = sorted[j - 1];
        sorted[j - 1] = t;
      }
  *median = sorted[img->width / 2];
  g_free (sorted);
  g_free (l);
  sum /= img->width;
  return sqrt (MAX (0.0, sum2 / img->width - sum * sum));
}

/* x where bin @bin is drawn: bin i stands for center + (i - n/2) * rate / n,
 * and the view spans center ± rate/2 across its width. */
static double
bin_x (Fixture *f, guint bin)
{
  return (double) bin / N_BINS * gtk_widget_get_width (GTK_WIDGET (f->view));
}

/* Each pushed frame becomes one waterfall row, newest at the top: the rows
 * show noise (not a flat colour) and the carrier as the brightest spot at
 * its frequency's x; below the pushed rows nothing is painted yet. */
static void
test_waterfall_rows (Fixture *f, gconstpointer data)
{
  graphene_rect_t area;
  Image img;
  int top;

  FER_TEST_NEED_DISPLAY ();
  fer_spectrum_view_set_colormap (f->view, FER_COLORMAP_GRAY);
  fer_spectrum_view_set_db_range (f->view, -110, -20);
  push_frames (f, 40, -100, STRONG_BIN, -30);
  g_assert_cmpuint (fer_spectrum_view_get_n_rows (f->view), ==, 40);
  fer_test_spin (50);
  render (f, &img);
  fer_spectrum_view_get_waterfall_area (f->view, &area);
  g_assert_cmpfloat (area.size.height, >, 300);  /* most of the 600 px */
  g_assert_cmpfloat (area.origin.y, <, 0.4 * img.height);
  top = (int) ceilf (area.origin.y);

  for (int r = 0; r < 40; r++)
    {
      int argmax;
      double max, median;
      double sd = row_luma_stats (&img, top + r, &argmax, &max, &median);

      g_assert_cmpfloat (sd, >, 3.0);                  /* noise, not one flat colour */
      g_assert_cmpfloat (fabs (argmax - bin_x (f, STRONG_BIN)), <=, 1.5);
      g_assert_cmpfloat (max, >, median + 120);        /* -30 dB against -100 dB on 0..255 */
    }
  /* rows not pushed yet: the plain background */
  for (int r = 45; r < 60; r++)
    {
      int argmax;
      double max, median;

      g_assert_cmpfloat (row_luma_stats (&img, top + r, &argmax, &max, &median), <, 0.5);
      g_assert_cmpfloat (max, <, 30);
    }
  g_free (img.px);
}

/* Rows scroll down: a frame with the carrier elsewhere, followed by 37
 * more, shows 37 rows below the top (across tile boundaries). */
static void
test_rows_scroll_down (Fixture *f, gconstpointer data)
{
  graphene_rect_t area;
  Image img;
  int top, argmax;
  double max, median;

  FER_TEST_NEED_DISPLAY ();
  fer_spectrum_view_set_colormap (f->view, FER_COLORMAP_GRAY);
  fer_spectrum_view_set_db_range (f->view, -110, -20);
  push_frames (f, 10, -100, STRONG_BIN, -30);
  push_frames (f, 1, -100, 300, -30);   /* the marker row */
  push_frames (f, 37, -100, STRONG_BIN, -30);
  fer_test_spin (50);
  render (f, &img);
  fer_spectrum_view_get_waterfall_area (f->view, &area);
  top = (int) ceilf (area.origin.y);

  row_luma_stats (&img, top + 37, &argmax, &max, &median);
  g_assert_cmpfloat (fabs (argmax - bin_x (f, 300)), <=, 1.5);
  row_luma_stats (&img, top + 36, &argmax, &max, &median);
  g_assert_cmpfloat (fabs (argmax - bin_x (f, STRONG_BIN)), <=, 1.5);
  row_luma_stats (&img, top + 38, &argmax, &max, &median);
  g_assert_cmpfloat (fabs (argmax - bin_x (f, STRONG_BIN)), <=, 1.5);
  g_free (img.px);
}

/* The spectrum plot: the line peaks at the carrier's x. The line is the
 * brightest thing in the plot; its highest point per column is found by
 * scanning down from the top. */
static void
test_spectrum_line (Fixture *f, gconstpointer data)
{
  graphene_rect_t area;
  Image img;
  int best_x = -1, best_y = G_MAXINT;

  FER_TEST_NEED_DISPLAY ();
  fer_spectrum_view_set_db_range (f->view, -110, -20);
  push_frames (f, 10, -100, STRONG_BIN, -30);
  fer_test_spin (50);
  render (f, &img);
  fer_spectrum_view_get_waterfall_area (f->view, &area);

  /* skip the dB labels on the left */
  for (int x = 60; x < img.width - 5; x++)
    for (int y = 0; y < (int) area.origin.y - 30; y++)  /* the plot, not the axis labels */
      if (fer_test_luma (img.px[(gsize) y * img.width + x]) > 170)
        {
          if (y < best_y)
            best_y = y, best_x = x;
          break;
        }
  g_assert_cmpint (best_x, >=, 0);
  g_assert_cmpfloat (fabs (best_x - bin_x (f, STRONG_BIN)), <=, 2.0);
  /* -30 dB on a -110..-20 scale: 1/9 of the way down the plot */
  g_assert_cmpfloat (best_y, <, 0.25 * area.origin.y);
  g_free (img.px);
}

/* With the automatic range the noise stays dark and the carrier bright even
 * when the whole band gets 40 dB stronger (a higher gain): the colours
 * follow the noise floor. */
static void
test_auto_range_follows_levels (Fixture *f, gconstpointer data)
{
  graphene_rect_t area;
  Image img;
  int top, argmax;
  double max, median;

  FER_TEST_NEED_DISPLAY ();
  fer_spectrum_view_set_colormap (f->view, FER_COLORMAP_GRAY);
  push_frames (f, 60, -100, STRONG_BIN, -40);
  fer_test_spin (20);
  render (f, &img);
  fer_spectrum_view_get_waterfall_area (f->view, &area);
  top = (int) ceilf (area.origin.y);
  row_luma_stats (&img, top, &argmax, &max, &median);
  g_assert_cmpfloat (median, <, 60);
  g_assert_cmpfloat (max, >, 180);
  g_assert_cmpfloat (fabs (argmax - bin_x (f, STRONG_BIN)), <=, 1.5);
  g_free (img.px);

  push_frames (f, 200, -60, STRONG_BIN, 0);
  fer_test_spin (20);
  render (f, &img);
  row_luma_stats (&img, top, &argmax, &max, &median);
  g_assert_cmpfloat (median, <, 60);     /* -60 dB noise would be mid-grey on the old scale */
  g_assert_cmpfloat (max, >, 180);
  g_free (img.px);
}

static gboolean
got_request (gpointer data)
{
  Fixture *f = data;
  return f->n_requests > 0;
}

/* A real click (X server input) at x in the waterfall or the spectrum asks
 * for the frequency at that x, within one pixel's worth of Hz; other
 * buttons do nothing. */
static void
test_click_requests_tune (Fixture *f, gconstpointer data)
{
  const double xs[] = { 37, 400, 611.5, 790 };
  graphene_rect_t area;
  double width, hz_per_px;

  FER_TEST_NEED_INPUT ();
  push_frames (f, 5, -100, STRONG_BIN, -30);
  fer_test_spin (50);
  fer_spectrum_view_get_waterfall_area (f->view, &area);
  width = gtk_widget_get_width (GTK_WIDGET (f->view));
  hz_per_px = RATE_HZ / width;

  for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
    {
      /* alternately in the waterfall and in the spectrum plot */
      double y = i % 2 == 0 ? area.origin.y + 50 : area.origin.y / 2;
      double x_px = floor (xs[i]);  /* the X server moves in whole pixels */
      double expect = CENTER_HZ - RATE_HZ / 2 + (x_px + 0.0) / width * RATE_HZ;

      f->n_requests = 0;
      fer_test_click (GTK_WIDGET (f->view), xs[i], y, 1);
      g_assert_true (fer_test_spin_until (got_request, f, 3000));
      g_assert_cmpuint (f->n_requests, ==, 1);
      g_assert_cmpfloat (fabs (f->requested_hz - expect), <=, hz_per_px);
    }

  f->n_requests = 0;
  fer_test_click (GTK_WIDGET (f->view), 200, area.origin.y + 20, 3);
  fer_test_spin (300);
  g_assert_cmpuint (f->n_requests, ==, 0);
}

/* Before any frame there is no band to tune in: clicks ask for nothing. */
static void
test_click_before_frames (Fixture *f, gconstpointer data)
{
  FER_TEST_NEED_INPUT ();
  fer_test_click (GTK_WIDGET (f->view), 300, 300, 1);
  fer_test_spin (300);
  g_assert_cmpuint (f->n_requests, ==, 0);
  g_assert_true (isnan (fer_spectrum_view_x_to_freq (f->view, 300)));
}


/* The frequency of bin @bin (its left edge, as drawn). */
static double
bin_hz (guint bin)
{
  return CENTER_HZ - RATE_HZ / 2 + (double) bin / N_BINS * RATE_HZ;
}

/* Zoomed 4x around the carrier: the part shown is a quarter of the band,
 * the carrier stays where it was on screen, and the rows pushed before the
 * zoom are repainted at the new scale (their brightest column is at the
 * carrier's new x, not its old one relative to the band). */
static void
test_zoom_repaints_rows (Fixture *f, gconstpointer data)
{
  graphene_rect_t area;
  Image img;
  double lo, hi, x_before, x_after, carrier_hz = bin_hz (STRONG_BIN);
  int top;

  FER_TEST_NEED_DISPLAY ();
  fer_spectrum_view_set_colormap (f->view, FER_COLORMAP_GRAY);
  fer_spectrum_view_set_db_range (f->view, -110, -20);
  push_frames (f, 30, -100, STRONG_BIN, -30);
  x_before = fer_spectrum_view_freq_to_x (f->view, carrier_hz);
  fer_spectrum_view_zoom_by (f->view, 4.0, carrier_hz);
  g_assert_cmpfloat_with_epsilon (fer_spectrum_view_get_zoom (f->view), 4.0, 1e-9);
  g_assert_true (fer_spectrum_view_get_visible_range (f->view, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (hi - lo, RATE_HZ / 4, 1.0);
  x_after = fer_spectrum_view_freq_to_x (f->view, carrier_hz);
  g_assert_cmpfloat (fabs (x_after - x_before), <, 0.5);
  g_assert_cmpfloat (lo, <=, carrier_hz);
  g_assert_cmpfloat (hi, >=, carrier_hz);

  /* another carrier, a quarter band below: out of sight now */
  push_frames (f, 2, -100, STRONG_BIN - N_BINS / 4 - 40, -30);
  fer_test_spin (50);
  render (f, &img);
  fer_spectrum_view_get_waterfall_area (f->view, &area);
  top = (int) ceilf (area.origin.y);
  for (int r = 2; r < 30; r++)
    {
      int argmax;
      double max, median;

      row_luma_stats (&img, top + r, &argmax, &max, &median);
      /* a bin is 4 px wide now: the carrier's bin starts at its x */
      g_assert_cmpfloat (argmax, >=, x_after - 2.5);
      g_assert_cmpfloat (argmax, <=, x_after + 4 + 2.5);
      g_assert_cmpfloat (max, >, median + 120);
    }
  for (int r = 0; r < 2; r++)
    {
      int argmax;
      double max, median;

      row_luma_stats (&img, top + r, &argmax, &max, &median);
      g_assert_cmpfloat (max, <, median + 80);  /* no carrier in sight */
    }
  g_free (img.px);

  /* back out: the whole band, the far carrier in its place again */
  fer_spectrum_view_set_zoom (f->view, 1.0);
  g_assert_true (fer_spectrum_view_get_visible_range (f->view, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, CENTER_HZ - RATE_HZ / 2, 1.0);
  g_assert_cmpfloat_with_epsilon (hi, CENTER_HZ + RATE_HZ / 2, 1.0);
}

/* The wheel zooms around the frequency under the pointer (it stays under
 * the pointer); Shift+wheel and dragging pan; none of it tunes. */
static void
test_wheel_zoom_and_drag_pan (Fixture *f, gconstpointer data)
{
  graphene_rect_t area;
  double x = 500, y, f_under, lo, hi, lo2, hi2, hz_per_px;

  FER_TEST_NEED_INPUT ();
  push_frames (f, 5, -100, STRONG_BIN, -30);
  fer_test_spin (50);
  fer_spectrum_view_get_waterfall_area (f->view, &area);
  y = area.origin.y + 40;
  f_under = fer_spectrum_view_x_to_freq (f->view, x);

  fer_test_wheel (GTK_WIDGET (f->view), x, y, 3);
  fer_test_spin (200);
  g_test_message ("zoom after 3 turns: %.3f", fer_spectrum_view_get_zoom (f->view));
  g_assert_cmpfloat (fer_spectrum_view_get_zoom (f->view), >, 1.9);
  g_assert_cmpfloat (fabs (fer_spectrum_view_freq_to_x (f->view, f_under) - x), <, 1.0);

  /* drag the band 120 px to the right: what was at x is now at x + 120 */
  g_assert_true (fer_spectrum_view_get_visible_range (f->view, &lo, &hi));
  hz_per_px = (hi - lo) / gtk_widget_get_width (GTK_WIDGET (f->view));
  fer_test_drag (GTK_WIDGET (f->view), x, y, x + 120, y, 1);
  fer_test_spin (100);
  g_assert_true (fer_spectrum_view_get_visible_range (f->view, &lo2, &hi2));
  g_assert_cmpfloat (fabs ((lo - lo2) - 120 * hz_per_px), <=, 2 * hz_per_px);
  g_assert_cmpfloat (fabs ((hi2 - lo2) - (hi - lo)), <, 1.0);
  g_assert_cmpuint (f->n_requests, ==, 0);

  /* the wheel down goes back out; never past the whole band */
  fer_test_wheel (GTK_WIDGET (f->view), x, y, -8);
  fer_test_spin (200);
  g_assert_cmpfloat (fer_spectrum_view_get_zoom (f->view), ==, 1.0);
  g_assert_cmpuint (f->n_requests, ==, 0);
}

/* Dragging an edge of the passband asks for a bandwidth twice the edge's
 * distance from the tuned frequency; dragging inside it retunes by as many
 * Hz as the pointer moved. */
static void
test_drag_passband (Fixture *f, gconstpointer data)
{
  graphene_rect_t area;
  double tuned = bin_hz (1000), tx, half, y, hz_per_px;

  FER_TEST_NEED_INPUT ();
  push_frames (f, 5, -100, STRONG_BIN, -30);
  fer_spectrum_view_set_bandwidth_limits (f->view, TRUE, 1000, 400000);
  fer_spectrum_view_set_tuned (f->view, tuned, 200000);
  fer_test_spin (50);
  fer_spectrum_view_get_waterfall_area (f->view, &area);
  y = area.origin.y + 60;
  tx = fer_spectrum_view_freq_to_x (f->view, tuned);
  hz_per_px = RATE_HZ / gtk_widget_get_width (GTK_WIDGET (f->view));
  half = 100000 / hz_per_px;

  fer_test_drag (GTK_WIDGET (f->view), floor (tx + half), y, floor (tx + half) + 30, y, 1);
  g_assert_cmpuint (f->n_bw_requests, >, 0);
  g_test_message ("bandwidth asked: %.0f Hz", f->requested_bw_hz);
  g_assert_cmpfloat (fabs (f->requested_bw_hz - 2 * (100000 + 30 * hz_per_px)), <=,
                     4 * hz_per_px);
  g_assert_cmpuint (f->n_requests, ==, 0);

  /* the view drew its own guess; the receiver's word comes back like this */
  fer_spectrum_view_set_tuned (f->view, tuned, f->requested_bw_hz);
  f->n_bw_requests = 0;
  fer_test_drag (GTK_WIDGET (f->view), floor (tx) + 10, y, floor (tx) + 70, y, 1);
  g_assert_cmpuint (f->n_requests, >, 0);
  g_assert_cmpuint (f->n_bw_requests, ==, 0);
  g_assert_cmpfloat (fabs (f->requested_hz - (tuned + 60 * hz_per_px)), <=, 2 * hz_per_px);
}

/* Bookmarks are drawn as labels; a click on one activates it (and does not
 * tune); a label outside the part shown is not drawn. */
static void
test_marker_click (Fixture *f, gconstpointer data)
{
  FerSpectrumMarker markers[] = {
    { bin_hz (300), "Tower", { 0.2f, 0.8f, 0.3f, 1.f } },
    { bin_hz (1200), "Relay", { 0.9f, 0.8f, 0.2f, 1.f } },
  };
  graphene_rect_t label;

  FER_TEST_NEED_INPUT ();
  push_frames (f, 5, -100, STRONG_BIN, -30);
  fer_spectrum_view_set_markers (f->view, markers, G_N_ELEMENTS (markers));
  fer_test_spin (100);
  g_assert_true (fer_spectrum_view_get_marker_area (f->view, 1, &label));
  g_assert_cmpfloat (fabs (label.origin.x - fer_spectrum_view_freq_to_x (f->view, bin_hz (1200))),
                     <, 4);
  fer_test_click (GTK_WIDGET (f->view), label.origin.x + label.size.width / 2,
                  label.origin.y + label.size.height / 2, 1);
  fer_test_spin (200);
  g_assert_cmpuint (f->n_activations, ==, 1);
  g_assert_cmpuint (f->activated, ==, 1);
  g_assert_cmpuint (f->n_requests, ==, 0);

  fer_spectrum_view_zoom_by (f->view, 8.0, bin_hz (1200));
  fer_test_spin (100);
  g_assert_false (fer_spectrum_view_get_marker_area (f->view, 0, &label));
  g_assert_true (fer_spectrum_view_get_marker_area (f->view, 1, &label));
}

static gboolean
is_orange (guint32 px)
{
  int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
  return r > 180 && g > 100 && g < 200 && b < 130;
}

/* Peak hold keeps the strongest level a bin had: after the carrier moves,
 * an orange line still stands at its old place in the plot; without peak
 * hold there is none. */
static void
test_peak_hold (Fixture *f, gconstpointer data)
{
  graphene_rect_t plot;
  Image img;
  int x_old = (int) round (bin_x (f, STRONG_BIN)), found_high = G_MAXINT;

  FER_TEST_NEED_DISPLAY ();
  fer_spectrum_view_set_db_range (f->view, -110, -20);
  fer_spectrum_view_set_peak_hold (f->view, TRUE);
  g_assert_true (fer_spectrum_view_get_peak_hold (f->view));
  push_frames (f, 20, -100, STRONG_BIN, -30);
  push_frames (f, 40, -100, 400, -30);
  fer_test_spin (50);
  render (f, &img);
  fer_spectrum_view_get_plot_area (f->view, &plot);
  for (int y = 0; y < (int) (plot.origin.y + plot.size.height); y++)
    for (int x = x_old - 2; x <= x_old + 3; x++)
      if (is_orange (img.px[(gsize) y * img.width + x]))
        found_high = MIN (found_high, y);
  g_free (img.px);
  /* the held -30 dB peak: high in the plot */
  g_assert_cmpint (found_high, <, (int) (plot.size.height * 0.3));

  fer_spectrum_view_set_peak_hold (f->view, FALSE);
  push_frames (f, 2, -100, 400, -30);
  fer_test_spin (50);
  render (f, &img);
  found_high = G_MAXINT;
  for (int y = 0; y < (int) (plot.origin.y + plot.size.height); y++)
    for (int x = x_old - 2; x <= x_old + 3; x++)
      if (is_orange (img.px[(gsize) y * img.width + x]))
        found_high = MIN (found_high, y);
  g_free (img.px);
  g_assert_cmpint (found_high, ==, G_MAXINT);
}

/* A new colour map recolours the rows already there: grey noise turns into
 * viridis' dark violet-blue (blue above red and green). */
static void
test_colormap_recolours_rows (Fixture *f, gconstpointer data)
{
  graphene_rect_t area;
  Image img;
  int top;
  guint32 px;

  FER_TEST_NEED_DISPLAY ();
  fer_spectrum_view_set_colormap (f->view, FER_COLORMAP_GRAY);
  fer_spectrum_view_set_db_range (f->view, -110, -20);
  push_frames (f, 20, -100, STRONG_BIN, -30);
  fer_spectrum_view_set_colormap (f->view, FER_COLORMAP_VIRIDIS);
  g_assert_cmpint (fer_spectrum_view_get_colormap (f->view), ==, FER_COLORMAP_VIRIDIS);
  fer_test_spin (50);
  render (f, &img);
  fer_spectrum_view_get_waterfall_area (f->view, &area);
  top = (int) ceilf (area.origin.y);
  for (int r = 0; r < 20; r += 5)
    {
      px = img.px[(gsize) (top + r) * img.width + 100];
      g_assert_cmpuint (px & 0xff, >, ((px >> 16) & 0xff) + 20);
      g_assert_cmpuint (px & 0xff, >, ((px >> 8) & 0xff) + 20);
    }
  g_free (img.px);
}

/* The band plan: a bar along the top of the plot in the band's colour
 * across the band's frequencies, nothing outside them. */
static void
test_band_plan_overlay (Fixture *f, gconstpointer data)
{
  FerSpectrumBand band = { bin_hz (512), bin_hz (1024), "Test band", { 0.f, 0.f, 1.f, 1.f } };
  Image img;
  int x_in = (int) bin_x (f, 530), x_out = (int) bin_x (f, 1500);
  guint32 in, out;

  FER_TEST_NEED_DISPLAY ();
  fer_spectrum_view_set_db_range (f->view, -110, -20);
  push_frames (f, 3, -130, STRONG_BIN, -30);
  fer_spectrum_view_set_bands (f->view, &band, 1);
  fer_test_spin (50);
  render (f, &img);
  in = img.px[(gsize) 4 * img.width + x_in];
  out = img.px[(gsize) 4 * img.width + x_out];
  g_free (img.px);
  /* left of the name, which is drawn in the middle */
  g_assert_cmpuint (in & 0xff, >, (out & 0xff) + 40);        /* bluer */
  g_assert_cmpuint ((in >> 16) & 0xff, <=, ((out >> 16) & 0xff) + 5);
}

int
main (int argc, char **argv)
{
  fer_test_ui_init (&argc, &argv);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/ui/spectrum-view/waterfall-rows", test_waterfall_rows);
  ADD ("/ui/spectrum-view/rows-scroll-down", test_rows_scroll_down);
  ADD ("/ui/spectrum-view/spectrum-line", test_spectrum_line);
  ADD ("/ui/spectrum-view/auto-range-follows-levels", test_auto_range_follows_levels);
  ADD ("/ui/spectrum-view/click-requests-tune", test_click_requests_tune);
  ADD ("/ui/spectrum-view/click-before-frames", test_click_before_frames);
  ADD ("/ui/spectrum-view/zoom-repaints-rows", test_zoom_repaints_rows);
  ADD ("/ui/spectrum-view/wheel-zoom-and-drag-pan", test_wheel_zoom_and_drag_pan);
  ADD ("/ui/spectrum-view/drag-passband", test_drag_passband);
  ADD ("/ui/spectrum-view/marker-click", test_marker_click);
  ADD ("/ui/spectrum-view/peak-hold", test_peak_hold);
  ADD ("/ui/spectrum-view/colormap-recolours-rows", test_colormap_recolours_rows);
  ADD ("/ui/spectrum-view/band-plan-overlay", test_band_plan_overlay);
  return g_test_run ();
}
