/* spectrum-view.c - FerSpectrumView: the band as a spectrum plot over a waterfall. */
#define G_LOG_DOMAIN "fer-ui"

#include "spectrum-view.h"

#include <math.h>
#include <string.h>

#include "waterfall-tiles.h"

#define PLOT_FRACTION 0.30    /* of the height, for the spectrum plot */
#define PLOT_MIN_HEIGHT 48.0
#define ROW_HEIGHT 1.0f       /* one waterfall row per pixel */
#define TILE_ROWS 16
#define LINE_ALPHA 0.35f      /* averaging of the spectrum line per frame */
#define FLOOR_ALPHA 0.03      /* noise floor estimate: ~1 s at 30 frames/s */
#define PEAK_RISE_ALPHA 0.2
#define PEAK_FALL_ALPHA 0.01
#define MIN_DB -200.0f        /* stands in for -inf (a bin with no power) */
#define LABEL_CACHE_MAX 96

struct _FerSpectrumView {
  GtkWidget parent_instance;

  /* the latest frame's band; n_bins == 0 before the first frame */
  float *line_db;             /* owned; n_bins; averaged over frames */
  float *scratch;             /* owned; n_bins; for the noise floor percentile */
  guint n_bins;
  double center_hz;
  double rate_hz;
  guint n_rows;

  /* levels */
  gboolean auto_range;
  gboolean have_levels;
  double floor_db, peak_db;   /* smoothed estimates */
  double wf_lo_db, wf_hi_db;  /* colour scale of the waterfall */
  double plot_lo_db, plot_hi_db;

  double tuned_hz;            /* NAN = none */
  double bandwidth_hz;

  FerColormapKind colormap;
  guint32 lut[FER_COLORMAP_SIZE];
  FerWaterfallTiles *tiles;   /* owned */

  gboolean hover;
  double hover_x, hover_y;

  /* PangoLayouts of axis labels by text: the same few labels are drawn every
   * frame, and shaping them anew each time costs more than the rest. */
  GHashTable *labels;         /* owned; char * → PangoLayout * */

  /* layout in widget coordinates, set in size_allocate */
  graphene_rect_t plot, axis, waterfall;
};

G_DEFINE_FINAL_TYPE (FerSpectrumView, fer_spectrum_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_TUNE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const GdkRGBA plot_bg = { 0.051f, 0.063f, 0.086f, 1.f };
static const GdkRGBA waterfall_bg = { 0.02f, 0.024f, 0.035f, 1.f };
static const GdkRGBA grid_color = { 1.f, 1.f, 1.f, 0.10f };
static const GdkRGBA label_color = { 0.72f, 0.76f, 0.82f, 1.f };
static const GdkRGBA tuned_color = { 1.f, 0.30f, 0.25f, 0.95f };
static const GdkRGBA passband_color = { 1.f, 0.30f, 0.25f, 0.16f };
static const GdkRGBA passband_edge_color = { 1.f, 0.45f, 0.40f, 0.45f };
static const GdkRGBA cursor_color = { 1.f, 1.f, 1.f, 0.35f };

static inline float
finite_db (float v)
{
  return isfinite (v) ? MAX (v, MIN_DB) : MIN_DB;
}

/* The level drawn in column @c of @w columns: the strongest bin the column
 * covers (so narrow carriers never vanish when bins outnumber pixels), or
 * the two nearest bins interpolated when pixels outnumber bins. Bin i sits
 * at x = i * w / n. */
static float
column_db (const float *db, guint n, guint c, guint w)
{
  if (n >= w)
    {
      guint b0 = (guint) (((guint64) c * n + w - 1) / w);
      guint b1 = (guint) (((guint64) (c + 1) * n + w - 1) / w);
      float m;

      b1 = MIN (b1, n);
      if (b0 >= b1)
        b0 = b1 - 1;
      m = db[b0];
      for (guint i = b0 + 1; i < b1; i++)
        m = MAX (m, db[i]);
      return m;
    }
  else
    {
      double pos = (c + 0.5) * n / w;
      guint i0 = (guint) pos;
      guint i1 = MIN (i0 + 1, n - 1);
      float t = (float) (pos - i0);

      i0 = MIN (i0, n - 1);
      return db[i0] + t * (db[i1] - db[i0]);
    }
}

/* k-th smallest of @a (reordered), by Wirth's selection: O(n). */
static float
select_kth (float *a, guint n, guint k)
{
  int lo = 0, hi = (int) n - 1, kk = (int) k;

  while (lo < hi)
    {
      float pivot = a[kk];
      int i = lo, j = hi;

      do
        {
          while (a[i] < pivot)
            i++;
          while (pivot < a[j])
            j--;
          if (i <= j)
            {
              float t = a[i];
              a[i] = a[j];
              a[j] = t;
              i++;
              j--;
            }
        }
      while (i <= j);
      if (j < kk)
        lo = i;
      if (kk < i)
        hi = j;
    }
  return a[kk];
}

static void
update_levels (FerSpectrumView *self, const float *db, guint n)
{
  float floor_raw, peak_raw = MIN_DB;

  /* the noise floor is a low percentile: even on a busy band most bins hold noise */
  for (guint i = 0; i < n; i++)
    {
      self->scratch[i] = finite_db (db[i]);
      peak_raw = MAX (peak_raw, self->scratch[i]);
    }
  floor_raw = select_kth (self->scratch, n, n / 5);

  if (!self->have_levels)
    {
      self->floor_db = floor_raw;
      self->peak_db = peak_raw;
    }
  else
    {
      self->floor_db += FLOOR_ALPHA * (floor_raw - self->floor_db);
      self->peak_db += (peak_raw > self->peak_db ? PEAK_RISE_ALPHA : PEAK_FALL_ALPHA)
                       * (peak_raw - self->peak_db);
    }

  if (self->auto_range)
    {
      double want_lo = self->floor_db - 12.0, want_hi = self->peak_db + 6.0;

      /* colours follow smoothly: the noise sits at the dark end, the
       * strongest carrier near the top */
      self->wf_lo_db = self->floor_db - 3.0;
      self->wf_hi_db = MAX (self->peak_db + 3.0, self->floor_db + 30.0);

      /* the plot's grid moves in 10 dB steps and only when the levels leave
       * a band around it, so the labels do not crawl */
      if (!self->have_levels || want_lo < self->plot_lo_db || want_lo > self->plot_lo_db + 15.0)
        self->plot_lo_db = 10.0 * floor (want_lo / 10.0);
      if (!self->have_levels || want_hi > self->plot_hi_db || want_hi < self->plot_hi_db - 15.0)
        self->plot_hi_db = 10.0 * ceil (want_hi / 10.0);
      if (self->plot_hi_db < self->plot_lo_db + 30.0)
        self->plot_hi_db = self->plot_lo_db + 30.0;
    }
  self->have_levels = TRUE;
}

static guint
waterfall_width_px (FerSpectrumView *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (self->waterfall.size.width < 1.f)
    return MIN (self->n_bins, 1024);  /* not laid out yet: keep the row anyway */
  return (guint) ceilf (self->waterfall.size.width * (float) scale);
}

static void
paint_row (FerSpectrumView *self, const float *db, guint n)
{
  guint w = waterfall_width_px (self);
  guint32 *px = fer_waterfall_tiles_begin_row (self->tiles, w);
  float lo = (float) self->wf_lo_db;
  float scale = (float) ((FER_COLORMAP_SIZE - 1) / MAX (self->wf_hi_db - self->wf_lo_db, 1.0));

  for (guint c = 0; c < w; c++)
    {
      float v = (finite_db (column_db (db, n, c, w)) - lo) * scale;
      int idx = (int) CLAMP (v, 0.f, (float) (FER_COLORMAP_SIZE - 1));

      px[c] = self->lut[idx];
    }
  fer_waterfall_tiles_end_row (self->tiles);
}

void
fer_spectrum_view_push_frame (FerSpectrumView *self, const float *db, guint n_bins,
                              double center_hz, double rate_hz)
{
  gboolean band_changed;

  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (db != NULL && n_bins > 0 && rate_hz > 0);

  band_changed = n_bins != self->n_bins || center_hz != self->center_hz
                 || rate_hz != self->rate_hz;
  if (n_bins != self->n_bins)
    {
      self->line_db = g_renew (float, self->line_db, n_bins);
      self->scratch = g_renew (float, self->scratch, n_bins);
      self->n_bins = n_bins;
    }
  self->center_hz = center_hz;
  self->rate_hz = rate_hz;

  /* a retune moves the band: averaging across it would smear stations */
  if (band_changed)
    for (guint i = 0; i < n_bins; i++)
      self->line_db[i] = finite_db (db[i]);
  else
    for (guint i = 0; i < n_bins; i++)
      self->line_db[i] += LINE_ALPHA * (finite_db (db[i]) - self->line_db[i]);

  update_levels (self, db, n_bins);
  paint_row (self, db, n_bins);
  self->n_rows++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fer_spectrum_view_set_tuned (FerSpectrumView *self, double freq_hz, double bandwidth_hz)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  self->tuned_hz = freq_hz;
  self->bandwidth_hz = MAX (bandwidth_hz, 0.0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fer_spectrum_view_set_colormap (FerSpectrumView *self, FerColormapKind kind)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  self->colormap = kind;
  fer_colormap_fill (kind, self->lut);
}

void
fer_spectrum_view_set_db_range (FerSpectrumView *self, double lo_db, double hi_db)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (hi_db > lo_db);
  self->auto_range = FALSE;
  self->wf_lo_db = self->plot_lo_db = lo_db;
  self->wf_hi_db = self->plot_hi_db = hi_db;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fer_spectrum_view_set_auto_range (FerSpectrumView *self, gboolean auto_range)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  self->auto_range = auto_range;
  self->have_levels = FALSE;  /* start over from the next frame */
}

void
fer_spectrum_view_clear (FerSpectrumView *self)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  fer_waterfall_tiles_clear (self->tiles);
  g_clear_pointer (&self->line_db, g_free);
  g_clear_pointer (&self->scratch, g_free);
  self->n_bins = 0;
  self->n_rows = 0;
  self->have_levels = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
fer_spectrum_view_get_n_rows (FerSpectrumView *self)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), 0);
  return self->n_rows;
}

double
fer_spectrum_view_x_to_freq (FerSpectrumView *self, double x)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));

  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), NAN);
  if (self->n_bins == 0 || width <= 0)
    return NAN;
  return self->center_hz - self->rate_hz / 2 + x / width * self->rate_hz;
}

static double
freq_to_x (FerSpectrumView *self, double freq_hz)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));

  return (freq_hz - (self->center_hz - self->rate_hz / 2)) / self->rate_hz * width;
}

void
fer_spectrum_view_get_waterfall_area (FerSpectrumView *self, graphene_rect_t *area)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  *area = self->waterfall;
}

/* Drawing */

static double
db_to_y (FerSpectrumView *self, double db)
{
  double span = MAX (self->plot_hi_db - self->plot_lo_db, 1.0);
  double y = self->plot.origin.y + (self->plot_hi_db - db) / span * self->plot.size.height;

  return CLAMP (y, self->plot.origin.y, self->plot.origin.y + self->plot.size.height);
}

static PangoLayout *
get_label (FerSpectrumView *self, const char *text)
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
draw_label (GtkSnapshot *snapshot, PangoLayout *layout, float x, float y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, &label_color);
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
      layout = get_label (self, text);
      pango_layout_get_pixel_extents (layout, NULL, &ink);
      /* below its line; the bottom line's label would run into the axis */
      if (y + ink.height + 4 <= self->plot.origin.y + self->plot.size.height)
        draw_label (snapshot, layout, self->plot.origin.x + 4, y + 1);
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
  double lo_hz = self->center_hz - self->rate_hz / 2;
  double hi_hz = self->center_hz + self->rate_hz / 2;
  /* a label every ~100 px */
  double step = nice_step (self->rate_hz * 100.0 / MAX (width, 1.0));
  int decimals = (int) MAX (0.0, ceil (-log10 (step / 1e6) - 1e-9));

  for (double f = ceil (lo_hz / step) * step; f <= hi_hz; f += step)
    {
      float x = (float) freq_to_x (self, f);
      char text[32];
      PangoRectangle logical;
      PangoLayout *layout;

      gtk_snapshot_append_color (snapshot, &grid_color,
                                 &GRAPHENE_RECT_INIT (roundf (x), self->plot.origin.y, 1,
                                                      self->plot.size.height + 4));
      g_snprintf (text, sizeof text, "%.*f", decimals, f / 1e6);
      layout = get_label (self, text);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      x -= logical.width / 2.f;
      x = CLAMP (x, 2.f, (float) width - logical.width - 2.f);
      draw_label (snapshot, layout, x,
                  self->axis.origin.y + (self->axis.size.height - logical.height) / 2.f);
    }
}

static void
draw_line (FerSpectrumView *self, GtkSnapshot *snapshot)
{
  guint w = (guint) MAX (self->plot.size.width, 1.f);
  float bottom = self->plot.origin.y + self->plot.size.height;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &self->plot);
  cairo_pattern_t *fill;

  cairo_move_to (cr, self->plot.origin.x, bottom);
  for (guint c = 0; c < w; c++)
    cairo_line_to (cr, self->plot.origin.x + c + 0.5,
                   db_to_y (self, column_db (self->line_db, self->n_bins, c, w)));
  cairo_line_to (cr, self->plot.origin.x + w, bottom);
  cairo_close_path (cr);

  fill = cairo_pattern_create_linear (0, self->plot.origin.y, 0, bottom);
  cairo_pattern_add_color_stop_rgba (fill, 0.0, 0.30, 0.65, 1.0, 0.45);
  cairo_pattern_add_color_stop_rgba (fill, 1.0, 0.30, 0.65, 1.0, 0.08);
  cairo_set_source (cr, fill);
  cairo_fill (cr);
  cairo_pattern_destroy (fill);

  /* the line itself, over the fill */
  cairo_move_to (cr, self->plot.origin.x + 0.5,
                 db_to_y (self, column_db (self->line_db, self->n_bins, 0, w)));
  for (guint c = 1; c < w; c++)
    cairo_line_to (cr, self->plot.origin.x + c + 0.5,
                   db_to_y (self, column_db (self->line_db, self->n_bins, c, w)));
  cairo_set_source_rgba (cr, 0.75, 0.90, 1.0, 0.95);
  cairo_set_line_width (cr, 1.2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
draw_tuned (FerSpectrumView *self, GtkSnapshot *snapshot, float height)
{
  float x = (float) freq_to_x (self, self->tuned_hz);
  float half = (float) (self->bandwidth_hz / 2 / self->rate_hz * self->plot.size.width);

  if (half >= 1.f)
    {
      gtk_snapshot_append_color (snapshot, &passband_color,
                                 &GRAPHENE_RECT_INIT (x - half, self->plot.origin.y, 2 * half,
                                                      self->plot.size.height));
      gtk_snapshot_append_color (snapshot, &passband_edge_color,
                                 &GRAPHENE_RECT_INIT (roundf (x - half), self->waterfall.origin.y,
                                                      1, self->waterfall.size.height));
      gtk_snapshot_append_color (snapshot, &passband_edge_color,
                                 &GRAPHENE_RECT_INIT (roundf (x + half), self->waterfall.origin.y,
                                                      1, self->waterfall.size.height));
    }
  gtk_snapshot_append_color (snapshot, &tuned_color,
                             &GRAPHENE_RECT_INIT (roundf (x), 0, 1, height));
}

static void
draw_cursor (FerSpectrumView *self, GtkSnapshot *snapshot, float height)
{
  double f = fer_spectrum_view_x_to_freq (self, self->hover_x);
  PangoLayout *layout;
  PangoRectangle logical;
  char *text;
  float x;

  gtk_snapshot_append_color (snapshot, &cursor_color,
                             &GRAPHENE_RECT_INIT (roundf ((float) self->hover_x), 0, 1, height));
  if (self->hover_y <= self->plot.origin.y + self->plot.size.height)
    {
      guint w = (guint) MAX (self->plot.size.width, 1.f);
      guint c = (guint) CLAMP (self->hover_x, 0.0, w - 1.0);
      text = g_strdup_printf ("%.4f MHz  %.1f dB", f / 1e6,
                              column_db (self->line_db, self->n_bins, c, w));
    }
  else
    text = g_strdup_printf ("%.4f MHz", f / 1e6);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  x = (float) self->hover_x + 6.f;
  if (x + logical.width + 4 > self->plot.size.width)
    x = (float) self->hover_x - 6.f - logical.width;
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.6f },
                             &GRAPHENE_RECT_INIT (x - 3, self->plot.origin.y + 2,
                                                  logical.width + 6, logical.height + 2));
  draw_label (snapshot, layout, x, self->plot.origin.y + 3);
  g_object_unref (layout);
  g_free (text);
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

static void
fer_spectrum_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  FerSpectrumView *self = FER_SPECTRUM_VIEW (widget);
  float width = (float) gtk_widget_get_width (widget);
  float height = (float) gtk_widget_get_height (widget);

  gtk_snapshot_append_color (snapshot, &plot_bg,
                             &GRAPHENE_RECT_INIT (0, 0, width, self->waterfall.origin.y));
  gtk_snapshot_append_color (snapshot, &waterfall_bg, &self->waterfall);
  fer_waterfall_tiles_snapshot (self->tiles, snapshot, &self->waterfall, ROW_HEIGHT,
                                draw_mode (self));
  if (self->n_bins == 0)
    return;

  draw_db_grid (self, snapshot);
  draw_freq_axis (self, snapshot);
  draw_line (self, snapshot);
  if (isfinite (self->tuned_hz))
    draw_tuned (self, snapshot, height);
  if (self->hover)
    draw_cursor (self, snapshot, height);
}

/* Layout */

static void
fer_spectrum_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline,
                           int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 800;
    }
  else
    {
      *minimum = 160;
      *natural = 500;
    }
}

static void
fer_spectrum_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  FerSpectrumView *self = FER_SPECTRUM_VIEW (widget);
  PangoRectangle logical;
  float plot_h = MAX ((float) PLOT_MIN_HEIGHT, roundf ((float) height * (float) PLOT_FRACTION));
  float axis_h;

  pango_layout_get_pixel_extents (get_label (self, "0"), NULL, &logical);
  axis_h = (float) logical.height + 6.f;
  plot_h = MIN (plot_h, MAX (0.f, (float) height - axis_h));
  self->plot = GRAPHENE_RECT_INIT (0, 0, (float) width, plot_h);
  self->axis = GRAPHENE_RECT_INIT (0, plot_h, (float) width, axis_h);
  self->waterfall = GRAPHENE_RECT_INIT (0, plot_h + axis_h, (float) width,
                                        MAX (0.f, (float) height - plot_h - axis_h));
  fer_waterfall_tiles_set_max_rows (self->tiles,
                                    (guint) ceilf (self->waterfall.size.height / ROW_HEIGHT) + 1);
}

static void
fer_spectrum_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  FerSpectrumView *self = FER_SPECTRUM_VIEW (widget);

  /* the font may have changed: label layouts are remade on demand */
  g_hash_table_remove_all (self->labels);
  GTK_WIDGET_CLASS (fer_spectrum_view_parent_class)->css_changed (widget, change);
}

static void
fer_spectrum_view_system_setting_changed (GtkWidget *widget, GtkSystemSetting setting)
{
  FerSpectrumView *self = FER_SPECTRUM_VIEW (widget);

  g_hash_table_remove_all (self->labels);
  GTK_WIDGET_CLASS (fer_spectrum_view_parent_class)->system_setting_changed (widget, setting);
}

/* Input */

static void
on_click_pressed (GtkGestureClick *gesture, int n_press, double x, double y,
                  FerSpectrumView *self)
{
  double f = fer_spectrum_view_x_to_freq (self, x);

  if (isnan (f))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[SIGNAL_TUNE_REQUESTED], 0, f);
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, FerSpectrumView *self)
{
  self->hover = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *motion, FerSpectrumView *self)
{
  self->hover = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* GObject */

static void
fer_spectrum_view_finalize (GObject *object)
{
  FerSpectrumView *self = FER_SPECTRUM_VIEW (object);

  fer_waterfall_tiles_free (self->tiles);
  g_hash_table_unref (self->labels);
  g_free (self->line_db);
  g_free (self->scratch);
  G_OBJECT_CLASS (fer_spectrum_view_parent_class)->finalize (object);
}

static void
fer_spectrum_view_class_init (FerSpectrumViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fer_spectrum_view_finalize;
  widget_class->snapshot = fer_spectrum_view_snapshot;
  widget_class->measure = fer_spectrum_view_measure;
  widget_class->size_allocate = fer_spectrum_view_size_allocate;
  widget_class->css_changed = fer_spectrum_view_css_changed;
  widget_class->system_setting_changed = fer_spectrum_view_system_setting_changed;

  /**
   * FerSpectrumView::tune-requested:
   * @freq_hz: the frequency under the pointer
   *
   * The user clicked the spectrum or the waterfall.
   */
  signals[SIGNAL_TUNE_REQUESTED] =
    g_signal_new ("tune-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "spectrumview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fer_spectrum_view_init (FerSpectrumView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->tiles = fer_waterfall_tiles_new (TILE_ROWS);
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->auto_range = TRUE;
  self->wf_lo_db = self->plot_lo_db = -110.0;
  self->wf_hi_db = self->plot_hi_db = -20.0;
  self->tuned_hz = NAN;
  fer_spectrum_view_set_colormap (self, FER_COLORMAP_DEFAULT);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  /* markers and labels may reach past the edges: keep them inside */
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Spectrum and waterfall",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  "The band: levels on top, history below, newest at the top. "
                                  "Click a signal to tune to it.",
                                  -1);
}

GtkWidget *
fer_spectrum_view_new (void)
{
  return g_object_new (FER_TYPE_SPECTRUM_VIEW, NULL);
}
