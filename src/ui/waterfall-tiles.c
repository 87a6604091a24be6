/* waterfall-tiles.c - the waterfall's history as a ring of texture tiles. */
#define G_LOG_DOMAIN "fer-ui"

#include "waterfall-tiles.h"

#include <string.h>

typedef struct {
  GdkTexture *texture;  /* owned; NULL until the tile's first row */
  cairo_surface_t *surface; /* owned; made on demand over the texture's bytes */
  GBytes *bytes;        /* owned; the pixels of both */
  guint width;
  guint n_filled;       /* rows written, 1..tile_rows */
} Tile;

struct _FerWaterfallTiles {
  guint tile_rows;
  guint max_rows;

  Tile *ring;           /* owned; capacity entries, newest at head */
  guint capacity;
  guint head;
  guint n_tiles;

  /* The newest tile's pixels, written row by row and copied into a new
   * texture by end_row (textures are immutable). */
  guint32 *pixels;      /* owned; tile_rows * width */
  guint width;          /* of the newest tile; 0 before the first row */
  gboolean open;        /* the newest tile has room for more rows */
  gboolean batch;       /* rows are being added in bulk: publish full tiles only */
  gboolean pending;     /* the newest tile has rows its texture lacks */
};

FerWaterfallTiles *
fer_waterfall_tiles_new (guint tile_rows)
{
  FerWaterfallTiles *tiles = g_new0 (FerWaterfallTiles, 1);

  g_return_val_if_fail (tile_rows > 0, NULL);
  tiles->tile_rows = tile_rows;
  tiles->max_rows = 512;
  tiles->capacity = tiles->max_rows / tile_rows + 2;
  tiles->ring = g_new0 (Tile, tiles->capacity);
  return tiles;
}

static Tile *
tile_at (FerWaterfallTiles *tiles, guint index)
{
  return &tiles->ring[(tiles->head + tiles->capacity - index) % tiles->capacity];
}

static void
tile_clear (Tile *t)
{
  g_clear_object (&t->texture);
  g_clear_pointer (&t->surface, cairo_surface_destroy);
  g_clear_pointer (&t->bytes, g_bytes_unref);
  t->n_filled = 0;
}

void
fer_waterfall_tiles_clear (FerWaterfallTiles *tiles)
{
  for (guint i = 0; i < tiles->capacity; i++)
    tile_clear (&tiles->ring[i]);
  tiles->n_tiles = 0;
  tiles->head = 0;
  tiles->open = FALSE;
  tiles->pending = FALSE;
}

void
fer_waterfall_tiles_free (FerWaterfallTiles *tiles)
{
  if (tiles == NULL)
    return;
  fer_waterfall_tiles_clear (tiles);
  g_free (tiles->ring);
  g_free (tiles->pixels);
  g_free (tiles);
}

void
fer_waterfall_tiles_set_max_rows (FerWaterfallTiles *tiles, guint max_rows)
{
  /* one tile more than max_rows needs, for the partly filled newest tile */
  guint capacity = (max_rows + tiles->tile_rows - 1) / tiles->tile_rows + 2;
  Tile *ring;
  guint n_keep;

  tiles->max_rows = max_rows;
  if (capacity == tiles->capacity)
    return;

  ring = g_new0 (Tile, capacity);
  n_keep = MIN (tiles->n_tiles, capacity);
  /* newest at the highest index of the new ring, head = n_keep - 1 */
  for (guint i = 0; i < n_keep; i++)
    {
      Tile *t = tile_at (tiles, i);
      ring[n_keep - 1 - i] = *t;
      *t = (Tile) { 0 };
    }
  for (guint i = 0; i < tiles->capacity; i++)
    tile_clear (&tiles->ring[i]);
  g_free (tiles->ring);
  tiles->ring = ring;
  tiles->capacity = capacity;
  tiles->n_tiles = n_keep;
  tiles->head = n_keep > 0 ? n_keep - 1 : 0;
  if (n_keep == 0)
    tiles->open = FALSE;
}

static void
start_tile (FerWaterfallTiles *tiles, guint width_px)
{
  Tile *t;

  if (width_px != tiles->width)
    {
      g_free (tiles->pixels);
      tiles->pixels = g_new (guint32, (gsize) tiles->tile_rows * width_px);
      tiles->width = width_px;
    }
  /* transparent: rows not written yet let what is behind show */
  memset (tiles->pixels, 0, (gsize) tiles->tile_rows * width_px * sizeof (guint32));

  if (tiles->n_tiles > 0)
    tiles->head = (tiles->head + 1) % tiles->capacity;
  t = &tiles->ring[tiles->head];
  tile_clear (t);  /* the oldest tile, when the ring is full */
  t->width = width_px;
  tiles->n_tiles = MIN (tiles->n_tiles + 1, tiles->capacity);
  tiles->open = TRUE;
}

/* Makes the newest tile's texture from its pixels. */
static void
publish_tile (FerWaterfallTiles *tiles)
{
  Tile *t = &tiles->ring[tiles->head];
  gsize stride = (gsize) tiles->width * sizeof (guint32);
  GBytes *bytes;

  tiles->pending = FALSE;
  bytes = g_bytes_new (tiles->pixels, stride * tiles->tile_rows);
  g_clear_object (&t->texture);
  g_clear_pointer (&t->surface, cairo_surface_destroy);
  g_clear_pointer (&t->bytes, g_bytes_unref);
  t->texture = gdk_memory_texture_new ((int) tiles->width, (int) tiles->tile_rows,
                                       GDK_MEMORY_DEFAULT, bytes, stride);
  t->bytes = bytes;
}

guint32 *
fer_waterfall_tiles_begin_row (FerWaterfallTiles *tiles, guint width_px)
{
  Tile *t;

  g_return_val_if_fail (width_px > 0, NULL);
  if (!tiles->open || width_px != tiles->width)
    {
      if (tiles->pending && tiles->open)
        publish_tile (tiles);
      start_tile (tiles, width_px);
    }
  t = &tiles->ring[tiles->head];
  return tiles->pixels + (gsize) (tiles->tile_rows - 1 - t->n_filled) * tiles->width;
}

void
fer_waterfall_tiles_end_row (FerWaterfallTiles *tiles)
{
  Tile *t = &tiles->ring[tiles->head];

  g_return_if_fail (tiles->open);
  t->n_filled++;
  tiles->pending = TRUE;
  /* a full tile is published before start_tile reuses the pixels */
  if (!tiles->batch || t->n_filled == tiles->tile_rows)
    publish_tile (tiles);
  if (t->n_filled == tiles->tile_rows)
    tiles->open = FALSE;
}

void
fer_waterfall_tiles_begin_batch (FerWaterfallTiles *tiles)
{
  tiles->batch = TRUE;
}

void
fer_waterfall_tiles_end_batch (FerWaterfallTiles *tiles)
{
  tiles->batch = FALSE;
  if (tiles->pending && tiles->open)
    publish_tile (tiles);
  tiles->pending = FALSE;
}

/* Only its address matters: it tags the bytes a surface keeps alive. */
static const cairo_user_data_key_t bytes_key;

/* The tile's pixels as a cairo surface, sharing the texture's bytes. */
static cairo_surface_t *
tile_surface (FerWaterfallTiles *tiles, Tile *t)
{
  if (t->surface == NULL)
    {
      gsize size;
      const guchar *data = g_bytes_get_data (t->bytes, &size);

      /* cairo only reads it: the bytes stay immutable */
      t->surface = cairo_image_surface_create_for_data ((guchar *) data, CAIRO_FORMAT_ARGB32,
                                                        (int) t->width, (int) tiles->tile_rows,
                                                        (int) (t->width * sizeof (guint32)));
      /* a render node may hold the surface after the tile is gone: the
       * bytes go with the surface's last reference */
      cairo_surface_set_user_data (t->surface, &bytes_key, g_bytes_ref (t->bytes),
                                   (cairo_destroy_func_t) g_bytes_unref);
    }
  return t->surface;
}

void
fer_waterfall_tiles_snapshot (FerWaterfallTiles *tiles, GtkSnapshot *snapshot,
                              const graphene_rect_t *area, float row_height,
                              FerWaterfallDraw how)
{
  float y = area->origin.y;
  float bottom = area->origin.y + area->size.height;
  float tile_h = (float) tiles->tile_rows * row_height;
  cairo_t *cr = NULL;

  if (how == FER_WATERFALL_DRAW_CAIRO)
    cr = gtk_snapshot_append_cairo (snapshot, area);  /* clips to area */
  else
    gtk_snapshot_push_clip (snapshot, area);

  for (guint i = 0; i < tiles->n_tiles && y < bottom; i++)
    {
      Tile *t = tile_at (tiles, i);
      /* a partly filled tile has its rows at the bottom: move it up by the
       * empty ones, they fall under the newer tile or outside the clip */
      float top = y - (float) (tiles->tile_rows - t->n_filled) * row_height;

      if (t->texture == NULL)
        break;
      if (cr != NULL)
        {
          double sx = area->size.width / t->width;

          cairo_save (cr);
          cairo_rectangle (cr, area->origin.x, top, area->size.width, tile_h);
          cairo_clip (cr);
          cairo_translate (cr, area->origin.x, top);
          cairo_scale (cr, sx, row_height);
          cairo_set_source_surface (cr, tile_surface (tiles, t), 0, 0);
          /* 1:1 (the usual case) is a plain copy; scaled rows (after a
           * resize) are smoothed */
          cairo_pattern_set_filter (cairo_get_source (cr),
                                    sx == 1.0 && row_height == 1.f ? CAIRO_FILTER_NEAREST
                                                                   : CAIRO_FILTER_GOOD);
          cairo_paint (cr);
          cairo_restore (cr);
        }
      else
        gtk_snapshot_append_texture (snapshot, t->texture,
                                     &GRAPHENE_RECT_INIT (area->origin.x, top, area->size.width,
                                                          tile_h));
      y += (float) t->n_filled * row_height;
    }

  if (cr != NULL)
    cairo_destroy (cr);
  else
    gtk_snapshot_pop (snapshot);
}

guint
fer_waterfall_tiles_get_tile_rows (FerWaterfallTiles *tiles)
{
  return tiles->tile_rows;
}

guint
fer_waterfall_tiles_get_n_rows (FerWaterfallTiles *tiles)
{
  guint n = 0;

  for (guint i = 0; i < tiles->n_tiles; i++)
    n += tile_at (tiles, i)->n_filled;
  return n;
}

guint
fer_waterfall_tiles_get_n_tiles (FerWaterfallTiles *tiles)
{
  return tiles->n_tiles;
}

GdkTexture *
fer_waterfall_tiles_get_tile (FerWaterfallTiles *tiles, guint index, guint *n_filled)
{
  Tile *t;

  g_return_val_if_fail (index < tiles->n_tiles, NULL);
  t = tile_at (tiles, index);
  if (n_filled)
    *n_filled = t->n_filled;
  return t->texture;
}
