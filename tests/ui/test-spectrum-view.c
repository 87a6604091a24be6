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
} Fixture;

static void
on_tune_requested (FerSpectrumView *view, double freq_hz, Fixture *f)
{
  f->n_requests++;
  f->requested_hz = freq_hz;
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
  return g_test_run ();
}
