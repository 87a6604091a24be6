/* waterfall-tiles.h - the waterfall's history as a ring of texture tiles.
 *
 * Rows are grouped in tiles of a few rows, each tile one immutable
 * GdkTexture. Adding a row rebuilds only the newest tile's texture; older
 * tiles stay the same objects, so a renderer that caches textures (GL)
 * uploads just the newest tile per frame, never the whole history.
 *
 * With GTK's cairo renderer texture nodes cost a per-pixel format
 * conversion on every frame (GTK 4.8 converts through floats even when the
 * formats match), so there the same pixels are also wrapped as cairo image
 * surfaces, without a copy, and drawn through one cairo node.
 *
 * Inside a tile rows fill from the bottom up, so that drawing the tiles
 * newest first, top to bottom, puts the newest row at the top. Pixels are
 * native-endian 0xAARRGGBB words (GDK_MEMORY_DEFAULT, cairo's ARGB32).
 * Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _FerWaterfallTiles FerWaterfallTiles;

/* @tile_rows: rows per tile (8..64 makes sense). */
FerWaterfallTiles *fer_waterfall_tiles_new (guint tile_rows);
void fer_waterfall_tiles_free (FerWaterfallTiles *tiles);

/* Keeps at least @max_rows of history; older tiles are dropped. */
void fer_waterfall_tiles_set_max_rows (FerWaterfallTiles *tiles, guint max_rows);
/* Forgets every row. */
void fer_waterfall_tiles_clear (FerWaterfallTiles *tiles);

/* The pixels of the next row, @width_px wide, to fill before end_row ().
 * A width other than the newest tile's starts a new tile (older rows keep
 * theirs and are drawn scaled). */
guint32 *fer_waterfall_tiles_begin_row (FerWaterfallTiles *tiles, guint width_px);
/* Publishes the row: rebuilds the newest tile's texture. */
void fer_waterfall_tiles_end_row (FerWaterfallTiles *tiles);
/* Between these, end_row () builds a texture only when a tile is full (and
 * end_batch () the last one): for refilling the whole history at once, after
 * a zoom or a new colour map, without a texture per row. */
void fer_waterfall_tiles_begin_batch (FerWaterfallTiles *tiles);
void fer_waterfall_tiles_end_batch (FerWaterfallTiles *tiles);

typedef enum {
  FER_WATERFALL_DRAW_TEXTURES,  /* texture nodes: a GPU renderer keeps them uploaded */
  FER_WATERFALL_DRAW_CAIRO,     /* one cairo node: cheapest for the cairo renderer */
} FerWaterfallDraw;

/* Draws the rows into @area, newest at the top, each @row_height tall,
 * clipped to @area. */
void fer_waterfall_tiles_snapshot (FerWaterfallTiles *tiles, GtkSnapshot *snapshot,
                                   const graphene_rect_t *area, float row_height,
                                   FerWaterfallDraw how);

guint fer_waterfall_tiles_get_tile_rows (FerWaterfallTiles *tiles);
/* Rows held now (at most about max_rows plus one tile). */
guint fer_waterfall_tiles_get_n_rows (FerWaterfallTiles *tiles);
guint fer_waterfall_tiles_get_n_tiles (FerWaterfallTiles *tiles);
/* Tile @index, 0 = newest (borrowed), and how many of its rows are filled. */
GdkTexture *fer_waterfall_tiles_get_tile (FerWaterfallTiles *tiles, guint index,
                                          guint *n_filled);

G_END_DECLS
