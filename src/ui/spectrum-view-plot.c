/* spectrum-view-plot.c - FerSpectrumView: the spectrum line and its fill, drawn into pixels.
 *
 * One column per device pixel: the fill from the line down (a vertical
 * gradient, its top pixel weighted by how much of it lies under the line),
 * then the line, a vertical run from the previous column's level to this
 * one's, blended over two pixels where it is flat. Done by hand because a
 * cairo path through thousands of points took most of a frame's time;
 * this is a few memory writes per pixel of the plot.
 */
#define G_LOG_DOMAIN "fer-ui"

#include "spectrum-view-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  float r, g, b, a;
} Rgba;

static const Rgba fill_top = { 0.30f, 0.65f, 1.00f, 0.45f };
static const Rgba fill_bottom = { 0.30f, 0.65f, 1.00f, 0.08f };
static const Rgba line_color = { 0.75f, 0.90f, 1.00f, 0.95f };
static const Rgba peak_color = { 1.00f, 0.70f, 0.25f, 0.85f };

static inline guint32
premultiply (Rgba c, float coverage)
{
  float a = c.a * coverage;

  return ((guint32) (a * 255.f + 0.5f) << 24) | ((guint32) (c.r * a * 255.f + 0.5f) << 16)
         | ((guint32) (c.g * a * 255.f + 0.5f) << 8) | (guint32) (c.b * a * 255.f + 0.5f);
}

/* @src (premultiplied) over @dst. */
static inline guint32
over (guint32 dst, guint32 src)
{
  guint32 inv = 255 - (src >> 24), out = 0;

  for (int shift = 0; shift < 32; shift += 8)
    {
      guint32 d = (dst >> shift) & 0xff, s = (src >> shift) & 0xff;
      out |= MIN (255u, s + (d * inv + 127) / 255) << shift;
    }
  return out;
}

/* Levels to rows: 0 at the plot's top, h - 1 at its bottom. */
static inline float
level_to_row (FerSpectrumView *self, float db, guint h)
{
  double span = MAX (self->plot_hi_db - self->plot_lo_db, 1.0);
  float y = (float) ((self->plot_hi_db - db) / span * h);

  return CLAMP (y, 0.f, (float) h - 1.f);
}

static void
ensure_buffers (FerSpectrumView *self, guint w, guint h)
{
  if (w == self->plot_w && h == self->plot_h && self->plot_px[0] != NULL)
    return;
  fer_spectrum_view_free_plot (self);
  for (int i = 0; i < 2; i++)
    {
      self->plot_px[i] = g_new (guint32, (gsize) w * h);
      self->plot_surface[i] =
        cairo_image_surface_create_for_data ((guchar *) self->plot_px[i], CAIRO_FORMAT_ARGB32,
                                             (int) w, (int) h, (int) (w * sizeof (guint32)));
    }
  self->plot_w = w;
  self->plot_h = h;
}

void
fer_spectrum_view_free_plot (FerSpectrumView *self)
{
  for (int i = 0; i < 2; i++)
    {
      g_clear_pointer (&self->plot_surface[i], cairo_surface_destroy);
      g_clear_pointer (&self->plot_px[i], g_free);
    }
  self->plot_w = self->plot_h = 0;
}

/* The line through @rows (one per column) over what is in @px. */
static void
draw_trace (guint32 *px, guint w, guint h, const float *rows, Rgba color, guint thickness)
{
  guint32 solid = premultiply (color, 1.f);

  for (guint c = 0; c < w; c++)
    {
      float y = rows[c], prev = c > 0 ? rows[c - 1] : y;
      float lo = MIN (y, prev), hi = MAX (y, prev);

      if (hi - lo < 1.f)
        {
          /* flat: shared between the two rows it straddles */
          guint r = (guint) y;
          float f = y - r;

          for (guint t = 0; t < thickness; t++)
            {
              if (r + t < h)
                px[(gsize) (r + t) * w + c] = over (px[(gsize) (r + t) * w + c],
                                                    premultiply (color, 1.f - f));
              if (r + t + 1 < h)
                px[(gsize) (r + t + 1) * w + c] = over (px[(gsize) (r + t + 1) * w + c],
                                                        premultiply (color, f));
            }
        }
      else
        for (guint r = (guint) lo; r <= (guint) hi + thickness - 1 && r < h; r++)
          px[(gsize) r * w + c] = over (px[(gsize) r * w + c], solid);
    }
}

void
fer_spectrum_view_draw_plot (FerSpectrumView *self, GtkSnapshot *snapshot)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  guint w = (guint) ceilf (self->plot.size.width * (float) scale);
  guint h = (guint) ceilf (self->plot.size.height * (float) scale);
  guint32 *px, fill_rows[4096];
  float *rows;
  guint turn;

  if (w == 0 || h == 0 || h > G_N_ELEMENTS (fill_rows))
    return;
  ensure_buffers (self, w, h);
  if (w * 2 > self->n_columns)
    {
      self->columns = g_renew (float, self->columns, (gsize) w * 2);
      self->n_columns = w * 2;
    }
  rows = self->columns;
  turn = self->plot_turn ^= 1;
  px = self->plot_px[turn];
  cairo_surface_flush (self->plot_surface[turn]);

  /* the gradient, row by row */
  for (guint r = 0; r < h; r++)
    {
      float t = (float) r / MAX (h - 1, 1u);
      Rgba c = { fill_top.r, fill_top.g, fill_top.b,
                 fill_top.a + t * (fill_bottom.a - fill_top.a) };

      fill_rows[r] = premultiply (c, 1.f);
    }

  fer_spectrum_view_columns_from_bins (self, self->line_db, rows, w);
  for (guint c = 0; c < w; c++)
    rows[c] = level_to_row (self, rows[c], h);

  /* the fill: transparent above the line, the gradient below it */
  memset (px, 0, (gsize) w * h * sizeof (guint32));
  for (guint c = 0; c < w; c++)
    {
      guint top = (guint) ceilf (rows[c]);

      if (top > 0)
        px[(gsize) (top - 1) * w + c] = premultiply ((Rgba) { fill_top.r, fill_top.g, fill_top.b,
                                                              fill_top.a }, top - rows[c]);
      for (guint r = top; r < h; r++)
        px[(gsize) r * w + c] = fill_rows[r];
    }
  draw_trace (px, w, h, rows, line_color, (guint) scale);

  if (self->peak_hold && self->peak_valid)
    {
      float *peaks = rows + w;

      fer_spectrum_view_columns_from_bins (self, self->peak_db, peaks, w);
      for (guint c = 0; c < w; c++)
        peaks[c] = level_to_row (self, peaks[c], h);
      draw_trace (px, w, h, peaks, peak_color, (guint) scale);
    }
  cairo_surface_mark_dirty (self->plot_surface[turn]);

  {
    /* a cairo node: the cairo renderer copies the pixels as they are; a GPU
     * renderer uploads them as one texture */
    cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &self->plot);

    cairo_translate (cr, self->plot.origin.x, self->plot.origin.y);
    cairo_scale (cr, 1.0 / scale, 1.0 / scale);
    cairo_set_source_surface (cr, self->plot_surface[turn], 0, 0);
    cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
    cairo_paint (cr);
    cairo_destroy (cr);
  }
}
