/* test-waterfall-history.c - the levels kept behind the waterfall's rows. */
#include <math.h>

#include "ui/waterfall-history.h"

/* A level goes through a byte and comes back within half a step (0.35 dB);
 * what is below the range, NaN and -inf read as the lowest level. */
static void
test_quantise (void)
{
  double step = (FER_WATERFALL_LEVEL_MAX_DB - FER_WATERFALL_LEVEL_MIN_DB) / 255.0;

  for (double db = FER_WATERFALL_LEVEL_MIN_DB; db <= FER_WATERFALL_LEVEL_MAX_DB; db += 0.37)
    g_assert_cmpfloat (fabs (fer_waterfall_level_to_db (fer_waterfall_level_from_db ((float) db))
                             - db), <=, step / 2 + 1e-4);
  g_assert_cmpuint (fer_waterfall_level_from_db (NAN), ==, 0);
  g_assert_cmpuint (fer_waterfall_level_from_db (-INFINITY), ==, 0);
  g_assert_cmpuint (fer_waterfall_level_from_db (-500), ==, 0);
  g_assert_cmpuint (fer_waterfall_level_from_db (100), ==, 255);
}

/* A 65536-point frame is kept as 16384 levels, each the strongest of four
 * bins: a carrier one bin wide survives at its place. */
static void
test_reduce_keeps_carrier (void)
{
  g_autoptr(FerWaterfallHistory) h = fer_waterfall_history_new (4);
  g_autofree float *db = g_new (float, 65536);
  const guint8 *levels;
  guint n;
  double center, rate;

  for (guint i = 0; i < 65536; i++)
    db[i] = -100.f;
  db[40001] = -20.f;
  fer_waterfall_history_push (h, db, 65536, 100e6, 2.4e6);
  fer_waterfall_history_get_row (h, 0, &center, &rate, &levels, &n);
  g_assert_cmpuint (n, ==, FER_WATERFALL_HISTORY_MAX_BINS);
  g_assert_cmpfloat (center, ==, 100e6);
  g_assert_cmpfloat (rate, ==, 2.4e6);
  g_assert_cmpuint (levels[10000], ==, fer_waterfall_level_from_db (-20.f));
  g_assert_cmpuint (levels[9999], ==, fer_waterfall_level_from_db (-100.f));
  g_assert_cmpuint (levels[10001], ==, fer_waterfall_level_from_db (-100.f));
}

/* Painting a part of the band: the carrier lands in the column its
 * frequency maps to, zoomed in or out; columns beyond the row's band get
 * the "outside" colour. The colour table here is the level itself. */
static void
test_paint_zoomed (void)
{
  g_autoptr(FerWaterfallHistory) h = fer_waterfall_history_new (4);
  float db[1024];
  guint32 colors[256], px[400];
  double rate = 1.024e6, center = 10e6, lo_band = center - rate / 2;  /* 1 kHz bins */
  guint8 carrier = fer_waterfall_level_from_db (-20.f), noise = fer_waterfall_level_from_db (-100.f);

  for (guint i = 0; i < 256; i++)
    colors[i] = i;
  for (guint i = 0; i < 1024; i++)
    db[i] = -100.f;
  db[700] = -20.f;
  fer_waterfall_history_push (h, db, 1024, center, rate);

  /* bins 600..800 over 400 px: 2 px a bin, the carrier at 200 and 201,
   * blended into a column on either side */
  fer_waterfall_history_paint_row (h, 0, lo_band + 600e3, lo_band + 800e3, px, 400, colors, 0xdead);
  for (guint c = 0; c < 400; c++)
    if (c >= 198 && c <= 201)
      continue;  /* blended edges */
    else
      g_assert_cmpuint (px[c], ==, noise);
  g_assert_cmpuint (px[200], >, noise + (carrier - noise) / 2);

  /* the whole band in 256 px: 4 bins a column, the carrier in column 175 */
  fer_waterfall_history_paint_row (h, 0, lo_band, lo_band + rate, px, 256, colors, 0xdead);
  for (guint c = 0; c < 256; c++)
    g_assert_cmpuint (px[c], ==, c == 175 ? carrier : noise);

  /* half of it beyond the band's upper edge */
  fer_waterfall_history_paint_row (h, 0, lo_band + rate / 2, lo_band + rate * 1.5, px, 256,
                                   colors, 0xdead);
  g_assert_cmpuint (px[127], ==, noise);
  for (guint c = 129; c < 256; c++)
    g_assert_cmpuint (px[c], ==, 0xdead);
}

/* The ring keeps the newest rows; shrinking keeps the newest, growing
 * keeps them all. */
static void
test_ring (void)
{
  g_autoptr(FerWaterfallHistory) h = fer_waterfall_history_new (4);
  float db[16] = { 0 };
  double center;

  for (guint i = 0; i < 6; i++)
    fer_waterfall_history_push (h, db, 16, 1000 + i, 100);
  g_assert_cmpuint (fer_waterfall_history_get_n_rows (h), ==, 4);
  fer_waterfall_history_get_row (h, 0, &center, NULL, NULL, NULL);
  g_assert_cmpfloat (center, ==, 1005);
  fer_waterfall_history_get_row (h, 3, &center, NULL, NULL, NULL);
  g_assert_cmpfloat (center, ==, 1002);

  fer_waterfall_history_set_max_rows (h, 2);
  g_assert_cmpuint (fer_waterfall_history_get_n_rows (h), ==, 2);
  fer_waterfall_history_get_row (h, 1, &center, NULL, NULL, NULL);
  g_assert_cmpfloat (center, ==, 1004);

  fer_waterfall_history_set_max_rows (h, 8);
  fer_waterfall_history_push (h, db, 16, 2000, 100);
  g_assert_cmpuint (fer_waterfall_history_get_n_rows (h), ==, 3);
  fer_waterfall_history_get_row (h, 0, &center, NULL, NULL, NULL);
  g_assert_cmpfloat (center, ==, 2000);
  fer_waterfall_history_get_row (h, 2, &center, NULL, NULL, NULL);
  g_assert_cmpfloat (center, ==, 1004);

  fer_waterfall_history_clear (h);
  g_assert_cmpuint (fer_waterfall_history_get_n_rows (h), ==, 0);
  fer_waterfall_history_push (h, db, 16, 3000, 100);
  fer_waterfall_history_get_row (h, 0, &center, NULL, NULL, NULL);
  g_assert_cmpfloat (center, ==, 3000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/waterfall-history/quantise", test_quantise);
  g_test_add_func ("/ui/waterfall-history/reduce-keeps-carrier", test_reduce_keeps_carrier);
  g_test_add_func ("/ui/waterfall-history/paint-zoomed", test_paint_zoomed);
  g_test_add_func ("/ui/waterfall-history/ring", test_ring);
  return g_test_run ();
}
