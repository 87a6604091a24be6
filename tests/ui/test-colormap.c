/* test-colormap.c - the waterfall's colour maps. */
#include <glib.h>
#include <stdlib.h>

#include "ui/colormap.h"

static double
luma (guint32 c)
{
  return 0.2126 * ((c >> 16) & 0xff) + 0.7152 * ((c >> 8) & 0xff) + 0.0722 * (c & 0xff);
}

/* Every entry is opaque; maps meant to read as "brighter = stronger" never
 * get darker as the level rises. */
static void
test_opaque_and_monotonic (void)
{
  guint32 lut[FER_COLORMAP_SIZE];

  for (int kind = 0; kind < FER_COLORMAP_N_KINDS; kind++)
    {
      fer_colormap_fill (kind, lut);
      for (guint i = 0; i < FER_COLORMAP_SIZE; i++)
        g_assert_cmphex (lut[i] >> 24, ==, 0xff);
      if (kind == FER_COLORMAP_TURBO)
        continue;
      for (guint i = 1; i < FER_COLORMAP_SIZE; i++)
        g_assert_cmpfloat (luma (lut[i]), >=, luma (lut[i - 1]) - 1.0);
      g_assert_cmpfloat (luma (lut[FER_COLORMAP_SIZE - 1]) - luma (lut[0]), >, 100.0);
    }
  fer_colormap_fill (FER_COLORMAP_GRAY, lut);
  g_assert_cmphex (lut[0], ==, 0xff000000);
  g_assert_cmphex (lut[255], ==, 0xffffffff);
}

/* Turbo: dark at the bottom, blue at the noise floor (10 %), green-yellow in the middle, red at
 * the top, and every step a different colour (no banding). */
static void
test_turbo_shape (void)
{
  guint32 lut[FER_COLORMAP_SIZE];
  GHashTable *distinct = g_hash_table_new (NULL, NULL);
  guint32 low, mid, high;

  fer_colormap_fill (FER_COLORMAP_TURBO, lut);
  low = lut[25], mid = lut[128], high = lut[255];
  g_assert_cmpfloat (luma (lut[0]), <, 40);
  g_assert_cmpuint (low & 0xff, >, 2 * ((low >> 16) & 0xff));    /* blue over red */
  g_assert_cmpuint (low & 0xff, >, 2 * ((low >> 8) & 0xff));     /* and over green */
  g_assert_cmpuint ((mid >> 8) & 0xff, >, 200);                   /* bright green */
  g_assert_cmpuint ((high >> 16) & 0xff, >, 3 * ((high >> 8) & 0xff)); /* red */
  for (guint i = 0; i < FER_COLORMAP_SIZE; i++)
    g_hash_table_add (distinct, GUINT_TO_POINTER (lut[i]));
  g_assert_cmpuint (g_hash_table_size (distinct), >, 200);
  g_hash_table_unref (distinct);
}

static void
assert_rgb_near (guint32 c, int r, int g, int b)
{
  g_assert_cmpint (abs ((int) ((c >> 16) & 0xff) - r), <=, 4);
  g_assert_cmpint (abs ((int) ((c >> 8) & 0xff) - g), <=, 4);
  g_assert_cmpint (abs ((int) (c & 0xff) - b), <=, 4);
}

/* The colour-blind-safe maps match their published tables at the ends and
 * in the middle (within 4 of 255), and their lightness rises all the way,
 * so a level reads the same without telling red from green. */
static void
test_colour_blind_safe (void)
{
  guint32 lut[FER_COLORMAP_SIZE];

  fer_colormap_fill (FER_COLORMAP_VIRIDIS, lut);
  assert_rgb_near (lut[0], 68, 1, 84);
  assert_rgb_near (lut[128], 33, 145, 140);
  assert_rgb_near (lut[255], 253, 231, 37);
  fer_colormap_fill (FER_COLORMAP_CIVIDIS, lut);
  assert_rgb_near (lut[0], 0, 34, 78);
  assert_rgb_near (lut[128], 125, 124, 120);
  assert_rgb_near (lut[255], 254, 232, 56);
  for (guint i = 8; i < FER_COLORMAP_SIZE; i += 8)
    g_assert_cmpfloat (luma (lut[i]), >, luma (lut[i - 8]) + 2.0);
}

static void
test_names (void)
{
  FerColormapKind kind;

  for (int k = 0; k < FER_COLORMAP_N_KINDS; k++)
    {
      g_assert_true (fer_colormap_parse (fer_colormap_name (k), &kind));
      g_assert_cmpint (kind, ==, k);
      g_assert_nonnull (fer_colormap_label (k));
    }
  g_assert_false (fer_colormap_parse ("jet", &kind));
  g_assert_false (fer_colormap_parse (NULL, &kind));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/colormap/opaque-and-monotonic", test_opaque_and_monotonic);
  g_test_add_func ("/ui/colormap/turbo-shape", test_turbo_shape);
  g_test_add_func ("/ui/colormap/colour-blind-safe", test_colour_blind_safe);
  g_test_add_func ("/ui/colormap/names", test_names);
  return g_test_run ();
}
