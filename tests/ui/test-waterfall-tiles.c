/* test-waterfall-tiles.c - the waterfall history: only the newest tile changes per row. */
#include <gtk/gtk.h>

#include "ui/waterfall-tiles.h"

#define TILE_ROWS 16

/* Row @n is filled with the colour 0xff000000 | n. */
static void
push_row (FerWaterfallTiles *tiles, guint width, guint32 value)
{
  guint32 *px = fer_waterfall_tiles_begin_row (tiles, width);

  for (guint x = 0; x < width; x++)
    px[x] = 0xff000000u | value;
  fer_waterfall_tiles_end_row (tiles);
}

static guint32
texture_pixel (GdkTexture *texture, int x, int y)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint32 *px = g_new (guint32, (gsize) w * h);

  gdk_texture_download (texture, (guchar *) px, (gsize) w * 4);
  return px[(gsize) y * w + x];
}

/* Adding a row makes a new texture for the newest tile only: every older
 * tile is the very same texture object as before, so nothing but the
 * newest tile's rows has to be uploaded again. */
static void
test_only_newest_tile_changes (void)
{
  FerWaterfallTiles *tiles = fer_waterfall_tiles_new (TILE_ROWS);
  GPtrArray *before = g_ptr_array_new_with_free_func (g_object_unref);

  fer_waterfall_tiles_set_max_rows (tiles, 1000);
  for (guint row = 0; row < 100; row++)
    {
      guint n_tiles;

      g_ptr_array_set_size (before, 0);
      for (guint i = 0; i < fer_waterfall_tiles_get_n_tiles (tiles); i++)
        g_ptr_array_add (before, g_object_ref (fer_waterfall_tiles_get_tile (tiles, i, NULL)));

      push_row (tiles, 64, row);

      n_tiles = fer_waterfall_tiles_get_n_tiles (tiles);
      g_assert_cmpuint (n_tiles, ==, row / TILE_ROWS + 1);
      g_assert_cmpuint (fer_waterfall_tiles_get_n_rows (tiles), ==, row + 1);
      if (row % TILE_ROWS != 0)
        {
          /* same tile count: tile 0 is new, the rest identical */
          g_assert_true (fer_waterfall_tiles_get_tile (tiles, 0, NULL) != before->pdata[0]);
          for (guint i = 1; i < n_tiles; i++)
            g_assert_true (fer_waterfall_tiles_get_tile (tiles, i, NULL) == before->pdata[i]);
        }
      else
        {
          /* a new tile started: all earlier ones moved down by one, unchanged */
          for (guint i = 1; i < n_tiles; i++)
            g_assert_true (fer_waterfall_tiles_get_tile (tiles, i, NULL) == before->pdata[i - 1]);
        }
      /* a tile is a small texture, never the whole history */
      g_assert_cmpint (gdk_texture_get_height (fer_waterfall_tiles_get_tile (tiles, 0, NULL)), ==,
                       TILE_ROWS);
    }
  g_ptr_array_unref (before);
  fer_waterfall_tiles_free (tiles);
}

/* Inside a tile rows fill from the bottom up, so the newest row is the
 * topmost filled one; rows not written yet are transparent. */
static void
test_rows_fill_bottom_up (void)
{
  FerWaterfallTiles *tiles = fer_waterfall_tiles_new (TILE_ROWS);
  GdkTexture *t;
  guint n_filled;

  for (guint row = 0; row < TILE_ROWS + 3; row++)
    push_row (tiles, 8, row);
  t = fer_waterfall_tiles_get_tile (tiles, 0, &n_filled);
  g_assert_cmpuint (n_filled, ==, 3);
  g_assert_cmphex (texture_pixel (t, 5, TILE_ROWS - 1), ==, 0xff000000u | TILE_ROWS);
  g_assert_cmphex (texture_pixel (t, 5, TILE_ROWS - 3), ==, 0xff000000u | (TILE_ROWS + 2));
  g_assert_cmphex (texture_pixel (t, 5, TILE_ROWS - 4), ==, 0);
  t = fer_waterfall_tiles_get_tile (tiles, 1, &n_filled);
  g_assert_cmpuint (n_filled, ==, TILE_ROWS);
  g_assert_cmphex (texture_pixel (t, 0, 0), ==, 0xff000000u | (TILE_ROWS - 1));
  g_assert_cmphex (texture_pixel (t, 0, TILE_ROWS - 1), ==, 0xff000000u);
  fer_waterfall_tiles_free (tiles);
}

/* The history is bounded by max_rows (plus the partly filled newest tile). */
static void
test_history_is_bounded (void)
{
  FerWaterfallTiles *tiles = fer_waterfall_tiles_new (TILE_ROWS);
  GdkTexture *t;

  fer_waterfall_tiles_set_max_rows (tiles, 40);
  for (guint row = 0; row < 500; row++)
    push_row (tiles, 32, row);
  g_assert_cmpuint (fer_waterfall_tiles_get_n_rows (tiles), >=, 40);
  g_assert_cmpuint (fer_waterfall_tiles_get_n_rows (tiles), <=, 40 + 2 * TILE_ROWS);
  /* the kept rows are the newest ones */
  t = fer_waterfall_tiles_get_tile (tiles, 0, NULL);
  g_assert_cmphex (texture_pixel (t, 0, TILE_ROWS - 500 % TILE_ROWS), ==, 0xff000000u | 499);

  /* shrinking keeps the newest, growing keeps all */
  fer_waterfall_tiles_set_max_rows (tiles, 10);
  g_assert_cmpuint (fer_waterfall_tiles_get_n_rows (tiles), <=, 10 + 2 * TILE_ROWS);
  g_assert_true (fer_waterfall_tiles_get_tile (tiles, 0, NULL) == t);
  fer_waterfall_tiles_set_max_rows (tiles, 400);
  g_assert_true (fer_waterfall_tiles_get_tile (tiles, 0, NULL) == t);
  push_row (tiles, 32, 500);
  g_assert_cmphex (texture_pixel (fer_waterfall_tiles_get_tile (tiles, 0, NULL), 0,
                                  TILE_ROWS - 501 % TILE_ROWS), ==, 0xff000000u | 500);

  fer_waterfall_tiles_clear (tiles);
  g_assert_cmpuint (fer_waterfall_tiles_get_n_rows (tiles), ==, 0);
  fer_waterfall_tiles_free (tiles);
}

/* A new width (the window was resized) starts a new tile; older rows keep
 * their width. */
static void
test_width_change_starts_tile (void)
{
  FerWaterfallTiles *tiles = fer_waterfall_tiles_new (TILE_ROWS);
  guint n_filled;

  push_row (tiles, 100, 1);
  push_row (tiles, 100, 2);
  push_row (tiles, 150, 3);
  g_assert_cmpuint (fer_waterfall_tiles_get_n_tiles (tiles), ==, 2);
  g_assert_cmpint (gdk_texture_get_width (fer_waterfall_tiles_get_tile (tiles, 0, &n_filled)), ==, 150);
  g_assert_cmpuint (n_filled, ==, 1);
  g_assert_cmpint (gdk_texture_get_width (fer_waterfall_tiles_get_tile (tiles, 1, &n_filled)), ==, 100);
  g_assert_cmpuint (n_filled, ==, 2);
  g_assert_cmpuint (fer_waterfall_tiles_get_n_rows (tiles), ==, 3);
  fer_waterfall_tiles_free (tiles);
}

static void
collect_textures (GskRenderNode *node, GPtrArray *out)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_TEXTURE_NODE:
      g_ptr_array_add (out, node);
      break;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        collect_textures (gsk_container_node_get_child (node, i), out);
      break;
    case GSK_CLIP_NODE:
      collect_textures (gsk_clip_node_get_child (node), out);
      break;
    default:
      break;
    }
}

/* Drawing: tiles newest first from the top of the area, each as tall as its
 * rows, the partly filled newest one shifted up so its filled rows start at
 * the top; tiles below the area are not drawn. */
static void
test_snapshot_places_tiles (void)
{
  FerWaterfallTiles *tiles = fer_waterfall_tiles_new (TILE_ROWS);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GPtrArray *textures = g_ptr_array_new ();
  graphene_rect_t b;

  for (guint row = 0; row < 5 * TILE_ROWS + 4; row++)  /* 6 tiles, the newest holds 4 rows */
    push_row (tiles, 50, row);
  /* 2 px per row; the area holds 40 rows: tiles 0 (4 rows), 1, 2 and part of 3 */
  fer_waterfall_tiles_snapshot (tiles, snapshot, &GRAPHENE_RECT_INIT (10, 100, 300, 80), 2.f,
                                FER_WATERFALL_DRAW_TEXTURES);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_cmpint (gsk_render_node_get_node_type (node), ==, GSK_CLIP_NODE);
  gsk_render_node_get_bounds (node, &b);
  g_assert_true (graphene_rect_equal (&b, &GRAPHENE_RECT_INIT (10, 100, 300, 80)));
  collect_textures (node, textures);
  g_assert_cmpuint (textures->len, ==, 4);
  for (guint i = 0; i < textures->len; i++)
    {
      GskRenderNode *t = textures->pdata[i];
      float expect_top = i == 0 ? 100.f - (TILE_ROWS - 4) * 2.f : 100.f + (4 + (i - 1) * TILE_ROWS) * 2.f;

      g_assert_true (gsk_texture_node_get_texture (t) == fer_waterfall_tiles_get_tile (tiles, i, NULL));
      gsk_render_node_get_bounds (t, &b);
      g_assert_cmpfloat_with_epsilon (b.origin.x, 10.f, 1e-4);
      g_assert_cmpfloat_with_epsilon (b.size.width, 300.f, 1e-4);
      g_assert_cmpfloat_with_epsilon (b.size.height, TILE_ROWS * 2.f, 1e-4);
      g_assert_cmpfloat_with_epsilon (b.origin.y, expect_top, 1e-4);
    }
  gsk_render_node_unref (node);
  g_ptr_array_unref (textures);
  fer_waterfall_tiles_free (tiles);
}

/* Both ways of drawing put the same pixels in the same places: row r of
 * the area (0 = top) shows the r-th newest row, 1:1 and scaled; below the
 * history nothing is drawn. */
static void
test_draw_modes_paint_rows (void)
{
  const guint n_rows = 3 * TILE_ROWS + 5;
  /* scaled by 3: the middle pixel of a row samples its texel centre */
  const struct { float scale_x, row_h; } sizes[] = { { 1, 1 }, { 3, 3 } };
  FerWaterfallTiles *tiles = fer_waterfall_tiles_new (TILE_ROWS);

  for (guint row = 0; row < n_rows; row++)
    push_row (tiles, 40, 0x10101 * (row + 1));  /* grey levels 1..n_rows */

  for (guint m = 0; m < 2; m++)
    for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
      {
        int w = (int) (40 * sizes[k].scale_x), h = 300;
        float row_h = sizes[k].row_h;
        GtkSnapshot *snapshot = gtk_snapshot_new ();
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
        cairo_t *cr = cairo_create (surface);
        GskRenderNode *node;
        guint32 *px;
        int stride;

        fer_waterfall_tiles_snapshot (tiles, snapshot, &GRAPHENE_RECT_INIT (0, 10, w, h - 10),
                                      row_h, m == 0 ? FER_WATERFALL_DRAW_TEXTURES
                                                    : FER_WATERFALL_DRAW_CAIRO);
        node = gtk_snapshot_free_to_node (snapshot);
        gsk_render_node_draw (node, cr);
        cairo_destroy (cr);
        cairo_surface_flush (surface);
        px = (guint32 *) cairo_image_surface_get_data (surface);
        stride = cairo_image_surface_get_stride (surface) / 4;

        for (int y = 0; y < h; y++)
          {
            /* the middle of each row, away from smoothed edges */
            guint32 p = px[y * stride + w / 2];
            int r = (int) ((y - 10) / row_h);
            guint32 expect;

            if (y < 10 || (float) (y - 10) - (float) r * row_h != floorf (row_h / 2))
              {
                if (y < 10)
                  g_assert_cmphex (p, ==, 0);  /* clipped: nothing above the area */
                continue;
              }
            expect = r < (int) n_rows ? 0xff000000u | (0x10101 * (n_rows - r)) : 0;
            g_assert_cmphex (p, ==, expect);
          }
        cairo_surface_destroy (surface);
        gsk_render_node_unref (node);
      }
  fer_waterfall_tiles_free (tiles);
}

/* A cairo-drawn tile may outlive the history that made it (a render node
 * still holds it): its pixels stay valid. */
static void
test_cairo_node_outlives_tiles (void)
{
  FerWaterfallTiles *tiles = fer_waterfall_tiles_new (TILE_ROWS);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 20, 20);
  cairo_t *cr;
  GskRenderNode *node;

  push_row (tiles, 20, 0x123456);
  fer_waterfall_tiles_snapshot (tiles, snapshot, &GRAPHENE_RECT_INIT (0, 0, 20, 20), 1.f,
                                FER_WATERFALL_DRAW_CAIRO);
  node = gtk_snapshot_free_to_node (snapshot);
  fer_waterfall_tiles_free (tiles);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmphex (((guint32 *) cairo_image_surface_get_data (surface))[5], ==, 0xff123456);
  cairo_surface_destroy (surface);
  gsk_render_node_unref (node);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* no display needed; the render node types are registered on first use */
  g_type_ensure (GSK_TYPE_TEXTURE_NODE);
  g_type_ensure (GSK_TYPE_CAIRO_NODE);
  g_test_add_func ("/ui/waterfall-tiles/only-newest-tile-changes", test_only_newest_tile_changes);
  g_test_add_func ("/ui/waterfall-tiles/rows-fill-bottom-up", test_rows_fill_bottom_up);
  g_test_add_func ("/ui/waterfall-tiles/history-is-bounded", test_history_is_bounded);
  g_test_add_func ("/ui/waterfall-tiles/width-change-starts-tile", test_width_change_starts_tile);
  g_test_add_func ("/ui/waterfall-tiles/snapshot-places-tiles", test_snapshot_places_tiles);
  g_test_add_func ("/ui/waterfall-tiles/draw-modes-paint-rows", test_draw_modes_paint_rows);
  g_test_add_func ("/ui/waterfall-tiles/cairo-node-outlives-tiles", test_cairo_node_outlives_tiles);
  return g_test_run ();
}
