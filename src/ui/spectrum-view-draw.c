/* spectrum-view-draw.c - FerSpectrumView: painting the plot, the overlays and the waterfall. */
#define G_LOG_DOMAIN "fer-ui"

#include "spectrum-view-private.h"

#include <glib/gi18n.h>
#include <math.h>

static const GdkRGBA plot_bg = { 0.051f, 0.063f, 0.086f, 1.f };
static const GdkRGBA waterfall_bg = { 0.02f, 0.024f, 0.035f, 1.f };
static const GdkRGBA grid_color = { 1.f, 1.f, 1.f, 0.10f };
static const GdkRGBA label_color = { 0.72f, 0.76f, 0.82f, 1.f };
static const GdkRGBA tuned_color = { 1.f, 0.30f, 0.25f, 0.95f };
static const GdkRGBA passband_color = { 1.f, 0.30f, 0.25f, 0.16f };
static const GdkRGBA passband_edge_color = { 1.f, 0.45f, 0.40f, 0.45f };
static const GdkRGBA cursor_color = { 1.f, 1.f, 1.f, 0.35f };
static const GdkRGBA readout_bg = { 0.f, 0.f, 0.f, 0.6f };

/* The level of column @c of @w from @db (the frame's bins), over the part
 * shown: the strongest bin whose left edge falls in the column (so narrow
 * carriers never vanish when bins outnumber pixels), or the two nearest bins
 * blended when pixels outnumber bins. Bin i's left edge is at
 * center - rate/2 + i * rate / n. */
void
fer_spectrum_view_columns_from_bins (FerSpectrumView *self, const float *db, float *out, guint w)
{
  guint n = self->n_bins;
  double bin_hz = self->rate_hz / n;
  double bins_per_px = view_span (self) / w / bin_hz;
  double start = (view_lo (self) - (self->center_hz - self->rate_hz / 2)) / bin_hz;

  if (bins_per_px >= 1.0)
    for (guint c = 0; c < w; c++)
      {
        double p0 = start + c * bins_per_px;
        int b0 = (int) ceil (p0), b1 = (int) ceil (p0 + bins_per_px);
        float m;

        b0 = CLAMP (b0, 0, (int) n - 1);
        b1 = CLAMP (b1, b0 + 1, (int) n);
        m = db[b0];
        for (int i = b0 + 1; i < b1; i++)
          m = MAX (m, db[i]);
        out[c] = m;
      }
  else
    for (guint c = 0; c < w; c++)
      {
        double pos = CLAMP (start + (c + 0.5) * bins_per_px, 0.0, n - 1.0);
        guint i0 = (guint) pos;
        guint i1 = MIN (i0 + 1, n - 1);
        float t = (float) (pos - i0);

        out[c] = db[i0] + t * (db[i1] - db[i0]);
      }
}



static double
db_to_y (FerSpectrumView *self, double db)
{
  double span = MAX (self->plot_hi_db - self->plot_lo_db, 1.0);
  double y = self->plot.origin.y + (self->plot_hi_db - db) / span * self->plot.size.height;

  return CLAMP (y, self->plot.origin.y, self->plot.origin.y + self->plot.size.height);
}

PangoLayout *
fer_spectrum_view_get_label_layout (FerSpectrumView *self, const char *text)
{
  PangoLayout *layout = g_hash_table_lookup (self->labels, text);

  if (layout == NULL)
    {
      if (g_hash_table_size (self->labels) >= LABEL_CACHE_MAX)
        g_hash_table_remove_all (self->labels);
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      g_hash_table_insert (self->labels, g_strdup (text), layout);
    }
  return layout;
}

static void
draw_label (GtkSnapshot *snapshot, PangoLayout *layout, float x, float y, const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_db_grid (FerSpectrumView *self, GtkSnapshot *snapshot)
{
  double span = self->plot_hi_db - self->plot_lo_db;
  double step = 10.0;
  float w = self->plot.size.width;

  /* lines at least ~22 px apart */
  while (self->plot.size.height * step / span < 22.0 && step < 1000.0)
    step *= 2.0;
  for (double db = ceil (self->plot_lo_db / step) * step; db <= self->plot_hi_db; db += step)
    {
      float y = (float) db_to_y (self, db);
      char text[16];
      PangoRectangle ink;
      PangoLayout *layout;

      gtk_snapshot_append_color (snapshot, &grid_color,
                                 &GRAPHENE_RECT_INIT (self->plot.origin.x, roundf (y), w, 1));
      g_snprintf (text, sizeof text, "%.0f", db);
      layout = fer_spectrum_view_get_label_layout (self, text);
      pango_layout_get_pixel_extents (layout, NULL, &ink);
      /* below its line; the bottom line's label would run into the axis */
      if (y + ink.height + 4 <= self->plot.origin.y + self->plot.size.height)
        draw_label (snapshot, layout, self->plot.origin.x + 4, y + 1, &label_color);
    }
}

static double
nice_step (double min_step)
{
  static const double mantissas[] = { 1, 2, 2.5, 5 };
  double decade = pow (10.0, floor (log10 (min_step)));

  for (;;)
    {
      for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
        if (mantissas[i] * decade >= min_step)
          return mantissas[i] * decade;
      decade *= 10.0;
    }
}

static void
draw_freq_axis (FerSpectrumView *self, GtkSnapshot *snapshot)
{
  double width = self->plot.size.width;
  double lo_hz = view_lo (self);
  double hi_hz = lo_hz + view_span (self);
  /* a label every ~100 px */
  double step = nice_step (view_span (self) * 100.0 / MAX (width, 1.0));
  int decimals = (int) MAX (0.0, ceil (-log10 (step / 1e6) - 1e-9));

  for (double f = ceil (lo_hz / step) * step; f <= hi_hz; f += step)
    {
      float x = (float) fer_spectrum_view_freq_to_x (self, f);
      char text[32];
      PangoRectangle logical;
      PangoLayout *layout;

      gtk_snapshot_append_color (snapshot, &grid_color,
                                 &GRAPHENE_RECT_INIT (roundf (x), self->plot.origin.y, 1,
                                                      self->plot.size.height + 4));
      g_snprintf (text, sizeof text, "%.*f", decimals, f / 1e6);
      layout = fer_spectrum_view_get_label_layout (self, text);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      x -= logical.width / 2.f;
      x = CLAMP (x, 2.f, (float) width - logical.width - 2.f);
      draw_label (snapshot, layout, x,
                  self->axis.origin.y + (self->axis.size.height - logical.height) / 2.f,
                  &label_color);
    }
}

static void
draw_bands (FerSpectrumView *self, GtkSnapshot *snapshot)
{
  double lo = view_lo (self), hi = lo + view_span (self);

  for (guint i = 0; i < self->bands->len; i++)
    {
      const Band *b = &g_array_index (self->bands, Band, i);
      float x0, x1;
      GdkRGBA fill = b->color, edge = b->color;
      PangoLayout *layout;
      PangoRectangle logical;

      if (b->hi_hz <= lo || b->lo_hz >= hi)
        continue;
      x0 = (float) MAX (0.0, fer_spectrum_view_freq_to_x (self, b->lo_hz));
      x1 = (float) MIN (self->plot.size.width, fer_spectrum_view_freq_to_x (self, b->hi_hz));
      fill.alpha = 0.30f;
      edge.alpha = 0.9f;
      gtk_snapshot_append_color (snapshot, &fill,
                                 &GRAPHENE_RECT_INIT (x0, 0, MAX (x1 - x0, 1.f), BAND_BAR_HEIGHT));
      gtk_snapshot_append_color (snapshot, &edge,
                                 &GRAPHENE_RECT_INIT (x0, BAND_BAR_HEIGHT - 2, MAX (x1 - x0, 1.f), 2));
      layout = fer_spectrum_view_get_label_layout (self, b->name);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      /* the name where it fits, centred on what is shown of the band */
      if (logical.width + 6 <= x1 - x0)
        {
          float x = (x0 + x1 - logical.width) / 2.f;

          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (BAND_BAR_HEIGHT - 2 - logical.height) / 2.f));
          gtk_snapshot_append_layout (snapshot, layout, &(GdkRGBA) { 1.f, 1.f, 1.f, 0.9f });
          gtk_snapshot_restore (snapshot);
        }
    }
}

/* Bookmarks: a line through the plot and a label near the top, in up to
 * MARKER_ROWS rows so that neighbours do not cover each other. */
static void
draw_markers (FerSpectrumView *self, GtkSnapshot *snapshot)
{
  double lo = view_lo (self), hi = lo + view_span (self);
  float row_end[MARKER_ROWS];
  float top = self->bands->len > 0 ? BAND_BAR_HEIGHT + 2.f : 2.f;

  for (guint r = 0; r < MARKER_ROWS; r++)
    row_end[r] = -G_MAXFLOAT;
  /* markers come sorted by frequency from the window; labels go left to right */
  for (guint i = 0; i < self->markers->len; i++)
    {
      Marker *m = &g_array_index (self->markers, Marker, i);
      PangoLayout *layout;
      PangoRectangle logical;
      GdkRGBA line = m->color, bg = m->color;
      float x, lx, ly;
      guint r;

      m->label = GRAPHENE_RECT_INIT (0, 0, 0, 0);
      if (m->freq_hz < lo || m->freq_hz > hi)
        continue;
      x = roundf ((float) fer_spectrum_view_freq_to_x (self, m->freq_hz));
      line.alpha = 0.7f;
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (x, top, 1, self->plot.size.height - top));
      layout = fer_spectrum_view_get_label_layout (self, m->name);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      lx = MIN (x + 2.f, self->plot.size.width - logical.width - 6.f);
      for (r = 0; r < MARKER_ROWS - 1 && lx < row_end[r] + 4.f; r++)
        ;
      row_end[r] = lx + logical.width + 4.f;
      ly = top + (float) r * (logical.height + 3.f);
      bg.alpha = 0.75f;
      m->label = GRAPHENE_RECT_INIT (lx, ly, logical.width + 4.f, logical.height + 2.f);
      gtk_snapshot_append_color (snapshot, &bg, &m->label);
      draw_label (snapshot, layout, lx + 2.f, ly + 1.f, &(GdkRGBA) { 0.f, 0.f, 0.f, 0.9f });
    }
}

static void
draw_tuned (FerSpectrumView *self, GtkSnapshot *snapshot, float height)
{
  float x = (float) fer_spectrum_view_freq_to_x (self, self->tuned_hz);
  float x0 = (float) fer_spectrum_view_freq_to_x (self, self->tuned_hz + self->pb_lo_hz);
  float x1 = (float) fer_spectrum_view_freq_to_x (self, self->tuned_hz + self->pb_hi_hz);

  if (x1 - x0 >= 2.f)
    {
      gtk_snapshot_append_color (snapshot, &passband_color,
                                 &GRAPHENE_RECT_INIT (x0, self->plot.origin.y, x1 - x0,
                                                      self->plot.size.height));
      gtk_snapshot_append_color (snapshot, &passband_edge_color,
                                 &GRAPHENE_RECT_INIT (roundf (x0), self->plot.origin.y, 1, height));
      gtk_snapshot_append_color (snapshot, &passband_edge_color,
                                 &GRAPHENE_RECT_INIT (roundf (x1), self->plot.origin.y, 1, height));
    }
  gtk_snapshot_append_color (snapshot, &tuned_color,
                             &GRAPHENE_RECT_INIT (roundf (x), 0, 1, height));
}

static void
draw_cursor (FerSpectrumView *self, GtkSnapshot *snapshot, float height)
{
  double f = fer_spectrum_view_x_to_freq (self, self->hover_x);
  double level = fer_spectrum_view_get_level (self, f);
  PangoLayout *layout;
  PangoRectangle logical;
  g_autofree char *text = NULL;
  float x, y;

  gtk_snapshot_append_color (snapshot, &cursor_color,
                             &GRAPHENE_RECT_INIT (roundf ((float) self->hover_x), 0, 1, height));
  /* TRANSLATORS: the readout under the pointer: frequency and level */
  text = isfinite (level) ? g_strdup_printf (_("%.4f MHz  %.1f dB"), f / 1e6, level)
                          : g_strdup_printf (_("%.4f MHz"), f / 1e6);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  x = (float) self->hover_x + 6.f;
  if (x + logical.width + 4 > self->plot.size.width)
    x = (float) self->hover_x - 6.f - logical.width;
  /* under the band plan and the bookmarks, over the line */
  y = self->plot.origin.y + self->plot.size.height - logical.height - 4.f;
  gtk_snapshot_append_color (snapshot, &readout_bg,
                             &GRAPHENE_RECT_INIT (x - 3, y - 1, logical.width + 6,
                                                  logical.height + 2));
  draw_label (snapshot, layout, x, y, &label_color);
  g_object_unref (layout);
}

/* Texture nodes for renderers that keep textures on the GPU (only the
 * newest tile is uploaded per frame); a cairo node for the cairo renderer,
 * which would otherwise convert every texture's pixels on every frame. */
static FerWaterfallDraw
draw_mode (FerSpectrumView *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer) ? FER_WATERFALL_DRAW_CAIRO
                                                              : FER_WATERFALL_DRAW_TEXTURES;
}

void
fer_spectrum_view_draw (FerSpectrumView *self, GtkSnapshot *snapshot)
{
  GtkWidget *widget = GTK_WIDGET (self);
  float width = (float) gtk_widget_get_width (widget);
  float height = (float) gtk_widget_get_height (widget);

  if (self->rows_stale || (have_band (self) && self->painted_width != 0
                           && self->painted_width != fer_spectrum_view_waterfall_width_px (self)))
    fer_spectrum_view_repaint_rows (self);

  gtk_snapshot_append_color (snapshot, &plot_bg,
                             &GRAPHENE_RECT_INIT (0, 0, width, self->waterfall.origin.y));
  gtk_snapshot_append_color (snapshot, &waterfall_bg, &self->waterfall);
  fer_waterfall_tiles_snapshot (self->tiles, snapshot, &self->waterfall, ROW_HEIGHT,
                                draw_mode (self));
  if (!have_band (self))
    return;

  draw_bands (self, snapshot);
  draw_db_grid (self, snapshot);
  draw_freq_axis (self, snapshot);
  fer_spectrum_view_draw_plot (self, snapshot);
  if (isfinite (self->tuned_hz))
    draw_tuned (self, snapshot, height);
  draw_markers (self, snapshot);
  if (self->hover && self->drag != DRAG_PAN)
    draw_cursor (self, snapshot, height);
}
