/* spectrum-view.c - FerSpectrumView: the band as a spectrum plot over a waterfall. */
#define G_LOG_DOMAIN "fer-ui"

#include "spectrum-view-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (FerSpectrumView, fer_spectrum_view, GTK_TYPE_WIDGET)

guint fer_spectrum_view_signals[N_SIGNALS];

/* Geometry of the band and of the part shown */

double
fer_spectrum_view_x_to_freq (FerSpectrumView *self, double x)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), NAN);
  if (!have_band (self) || gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return NAN;
  return view_lo (self) + x / view_width (self) * view_span (self);
}

double
fer_spectrum_view_freq_to_x (FerSpectrumView *self, double freq_hz)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), NAN);
  if (!have_band (self))
    return NAN;
  return (freq_hz - view_lo (self)) / view_span (self) * view_width (self);
}

gboolean
fer_spectrum_view_get_visible_range (FerSpectrumView *self, double *lo_hz, double *hi_hz)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), FALSE);
  if (!have_band (self))
    return FALSE;
  if (lo_hz)
    *lo_hz = view_lo (self);
  if (hi_hz)
    *hi_hz = view_lo (self) + view_span (self);
  return TRUE;
}

static void
update_accessible_view (FerSpectrumView *self)
{
  g_autofree char *text = NULL;

  if (!have_band (self))
    return;
  /* TRANSLATORS: the part of the band the spectrum shows, in MHz */
  text = g_strdup_printf (_("Spectrum and waterfall from %.3f to %.3f MHz"),
                          view_lo (self) / 1e6, (view_lo (self) + view_span (self)) / 1e6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

/* The rows must be repainted for a new zoom, pan, width or colours. */
static void
view_changed (FerSpectrumView *self)
{
  self->rows_stale = TRUE;
  update_accessible_view (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, fer_spectrum_view_signals[SIGNAL_VIEW_CHANGED], 0);
}
/* Levels */

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
      self->peak_db_est = peak_raw;
    }
  else
    {
      self->floor_db += FLOOR_ALPHA * (floor_raw - self->floor_db);
      self->peak_db_est += (peak_raw > self->peak_db_est ? PEAK_RISE_ALPHA : PEAK_FALL_ALPHA)
                           * (peak_raw - self->peak_db_est);
    }

  if (self->auto_range)
    {
      double want_lo = self->floor_db - 12.0, want_hi = self->peak_db_est + 6.0;

      /* colours follow smoothly: the noise sits at the dark end, the
       * strongest carrier near the top */
      self->wf_lo_db = self->floor_db - 3.0;
      self->wf_hi_db = MAX (self->peak_db_est + 3.0, self->floor_db + 30.0);

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

/* The colour of each quantised level for the waterfall's dB scale now. */
static void
update_level_colors (FerSpectrumView *self)
{
  double scale = (FER_COLORMAP_SIZE - 1) / MAX (self->wf_hi_db - self->wf_lo_db, 1.0);

  if (self->level_colors_lo == self->wf_lo_db && self->level_colors_hi == self->wf_hi_db)
    return;
  for (guint q = 0; q < 256; q++)
    {
      double v = (fer_waterfall_level_to_db ((guint8) q) - self->wf_lo_db) * scale;

      self->level_colors[q] = self->lut[(int) CLAMP (v, 0.0, FER_COLORMAP_SIZE - 1.0)];
    }
  self->level_colors_lo = self->wf_lo_db;
  self->level_colors_hi = self->wf_hi_db;
}

guint
fer_spectrum_view_waterfall_width_px (FerSpectrumView *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (self->waterfall.size.width < 1.f)
    return MIN (self->n_bins, 1024);  /* not laid out yet: keep the row anyway */
  return (guint) ceilf (self->waterfall.size.width * (float) scale);
}

static void
paint_row (FerSpectrumView *self, guint index)
{
  guint w = fer_spectrum_view_waterfall_width_px (self);
  guint32 *px = fer_waterfall_tiles_begin_row (self->tiles, w);
  double lo = view_lo (self);

  /* outside the band (older rows after a retune): transparent, the
   * background shows */
  fer_waterfall_history_paint_row (self->history, index, lo, lo + view_span (self), px, w,
                                   self->level_colors, 0);
  fer_waterfall_tiles_end_row (self->tiles);
  self->painted_width = w;
}

/* Repaints every row from the levels: after a zoom, pan, resize or new
 * colours. The textures are rebuilt once each, not once per row. */
void
fer_spectrum_view_repaint_rows (FerSpectrumView *self)
{
  guint n = fer_waterfall_history_get_n_rows (self->history);

  self->rows_stale = FALSE;
  fer_waterfall_tiles_clear (self->tiles);
  if (!have_band (self) || n == 0)
    return;
  update_level_colors (self);
  fer_waterfall_tiles_begin_batch (self->tiles);
  for (guint i = n; i-- > 0;)
    paint_row (self, i);
  fer_waterfall_tiles_end_batch (self->tiles);
}

void
fer_spectrum_view_push_frame (FerSpectrumView *self, const float *db, guint n_bins,
                              double center_hz, double rate_hz)
{
  gboolean band_changed;
  float alpha;

  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (db != NULL && n_bins > 0 && rate_hz > 0);

  band_changed = n_bins != self->n_bins || center_hz != self->center_hz
                 || rate_hz != self->rate_hz;
  if (n_bins != self->n_bins)
    {
      self->line_db = g_renew (float, self->line_db, n_bins);
      self->peak_db = g_renew (float, self->peak_db, n_bins);
      self->scratch = g_renew (float, self->scratch, n_bins);
      self->n_bins = n_bins;
      self->peak_valid = FALSE;
    }
  if (center_hz != self->center_hz || rate_hz != self->rate_hz)
    self->peak_valid = FALSE;
  self->center_hz = center_hz;
  self->rate_hz = rate_hz;

  /* a retune moves the band: averaging across it would smear stations */
  alpha = 2.f / (float) (self->averaging + 1);
  if (band_changed)
    for (guint i = 0; i < n_bins; i++)
      self->line_db[i] = finite_db (db[i]);
  else
    for (guint i = 0; i < n_bins; i++)
      self->line_db[i] += alpha * (finite_db (db[i]) - self->line_db[i]);

  if (self->peak_hold)
    {
      if (!self->peak_valid)
        memcpy (self->peak_db, self->line_db, n_bins * sizeof (float));
      else
        for (guint i = 0; i < n_bins; i++)
          self->peak_db[i] = MAX (self->peak_db[i], self->line_db[i]);
      self->peak_valid = TRUE;
    }

  update_levels (self, db, n_bins);
  fer_waterfall_history_push (self->history, db, n_bins, center_hz, rate_hz);
  self->n_rows++;
  if (band_changed)
    {
      /* older rows belong elsewhere in the new band: repaint them there */
      self->rows_stale = TRUE;
      /* a retune far away moved the band under a zoomed view: bring what
       * is tuned back into sight */
      if (self->zoom > 1.0 && isfinite (self->tuned_hz)
          && fabs (self->tuned_hz - center_hz) < rate_hz / 2
          && (self->tuned_hz < view_lo (self) || self->tuned_hz > view_lo (self) + view_span (self)))
        self->view_center_hz = self->tuned_hz;
      update_accessible_view (self);
    }
  if (!self->rows_stale)
    {
      update_level_colors (self);
      paint_row (self, 0);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fer_spectrum_view_set_tuned (FerSpectrumView *self, double freq_hz, double bandwidth_hz)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));

  if (isfinite (freq_hz) && freq_hz != self->tuned_hz && self->zoom > 1.0 && have_band (self))
    {
      double lo = view_lo (self), span = view_span (self);

      /* keep what is tuned in sight */
      if (freq_hz < lo + 0.05 * span || freq_hz > lo + 0.95 * span)
        {
          self->view_center_hz = freq_hz;
          view_changed (self);
        }
    }
  self->tuned_hz = freq_hz;
  self->pb_hi_hz = MAX (bandwidth_hz, 0.0) / 2;
  self->pb_lo_hz = -self->pb_hi_hz;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fer_spectrum_view_set_passband (FerSpectrumView *self, double lo_offset_hz, double hi_offset_hz)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (hi_offset_hz >= lo_offset_hz);
  self->pb_lo_hz = lo_offset_hz;
  self->pb_hi_hz = hi_offset_hz;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fer_spectrum_view_set_bandwidth_limits (FerSpectrumView *self, gboolean adjustable,
                                        double min_hz, double max_hz)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (!adjustable || (min_hz > 0 && max_hz >= min_hz));
  self->bw_adjustable = adjustable;
  self->bw_min_hz = min_hz;
  self->bw_max_hz = max_hz;
}

void
fer_spectrum_view_set_colormap (FerSpectrumView *self, FerColormapKind kind)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_return_if_fail ((guint) kind < FER_COLORMAP_N_KINDS);
  self->colormap = kind;
  fer_colormap_fill (kind, self->lut);
  self->level_colors_lo = self->level_colors_hi = NAN;  /* recompute */
  self->rows_stale = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

FerColormapKind
fer_spectrum_view_get_colormap (FerSpectrumView *self)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), FER_COLORMAP_DEFAULT);
  return self->colormap;
}

void
fer_spectrum_view_set_db_range (FerSpectrumView *self, double lo_db, double hi_db)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (hi_db > lo_db);
  self->auto_range = FALSE;
  self->wf_lo_db = self->plot_lo_db = lo_db;
  self->wf_hi_db = self->plot_hi_db = hi_db;
  self->rows_stale = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fer_spectrum_view_get_db_range (FerSpectrumView *self, double *lo_db, double *hi_db)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  if (lo_db)
    *lo_db = self->plot_lo_db;
  if (hi_db)
    *hi_db = self->plot_hi_db;
}

void
fer_spectrum_view_set_auto_range (FerSpectrumView *self, gboolean auto_range)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  self->auto_range = auto_range;
  self->have_levels = FALSE;  /* start over from the next frame */
}

gboolean
fer_spectrum_view_get_auto_range (FerSpectrumView *self)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), FALSE);
  return self->auto_range;
}

void
fer_spectrum_view_set_averaging (FerSpectrumView *self, guint n_frames)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  self->averaging = CLAMP (n_frames, 1, 100);
}

guint
fer_spectrum_view_get_averaging (FerSpectrumView *self)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), 1);
  return self->averaging;
}

void
fer_spectrum_view_set_peak_hold (FerSpectrumView *self, gboolean peak_hold)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  self->peak_hold = peak_hold;
  self->peak_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
fer_spectrum_view_get_peak_hold (FerSpectrumView *self)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), FALSE);
  return self->peak_hold;
}

void
fer_spectrum_view_clear (FerSpectrumView *self)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  fer_waterfall_tiles_clear (self->tiles);
  fer_waterfall_history_clear (self->history);
  g_clear_pointer (&self->line_db, g_free);
  g_clear_pointer (&self->peak_db, g_free);
  g_clear_pointer (&self->scratch, g_free);
  self->n_bins = 0;
  self->n_rows = 0;
  self->have_levels = FALSE;
  self->peak_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zoom and pan */

void
fer_spectrum_view_set_view (FerSpectrumView *self, double zoom, double center_hz)
{
  zoom = CLAMP (zoom, 1.0, FER_SPECTRUM_VIEW_MAX_ZOOM);
  if (have_band (self))
    {
      double span = self->rate_hz / zoom;
      double band_lo = self->center_hz - self->rate_hz / 2;

      /* stored clamped, so that panning back from an edge starts at once */
      center_hz = CLAMP (center_hz, band_lo + span / 2, band_lo + self->rate_hz - span / 2);
    }
  if (zoom == self->zoom && center_hz == self->view_center_hz)
    return;
  self->zoom = zoom;
  self->view_center_hz = center_hz;
  view_changed (self);
}

void
fer_spectrum_view_set_zoom (FerSpectrumView *self, double zoom)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  fer_spectrum_view_zoom_by (self, zoom / self->zoom, NAN);
}

double
fer_spectrum_view_get_zoom (FerSpectrumView *self)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), 1.0);
  return self->zoom;
}

void
fer_spectrum_view_zoom_by (FerSpectrumView *self, double factor, double anchor_hz)
{
  double zoom, lo, span, frac, new_span;

  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (factor > 0);
  zoom = CLAMP (self->zoom * factor, 1.0, FER_SPECTRUM_VIEW_MAX_ZOOM);
  if (!have_band (self))
    {
      self->zoom = zoom;
      return;
    }
  lo = view_lo (self);
  span = view_span (self);
  if (!isfinite (anchor_hz))
    anchor_hz = isfinite (self->tuned_hz) && self->tuned_hz >= lo && self->tuned_hz <= lo + span
                  ? self->tuned_hz : lo + span / 2;
  /* the anchor stays at the same fraction of the width */
  frac = (anchor_hz - lo) / span;
  new_span = self->rate_hz / zoom;
  fer_spectrum_view_set_view (self, zoom, anchor_hz - frac * new_span + new_span / 2);
}

void
fer_spectrum_view_pan_by (FerSpectrumView *self, double fraction)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  if (!have_band (self))
    return;
  fer_spectrum_view_set_view (self, self->zoom, view_lo (self) + view_span (self) * (0.5 + fraction));
}

void
fer_spectrum_view_center_on (FerSpectrumView *self, double freq_hz)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (isfinite (freq_hz));
  fer_spectrum_view_set_view (self, self->zoom, freq_hz);
}

/* Overlays */

static void
marker_clear (gpointer data)
{
  Marker *m = data;
  g_free (m->name);
}

static void
band_clear (gpointer data)
{
  Band *b = data;
  g_free (b->name);
}

void
fer_spectrum_view_set_markers (FerSpectrumView *self, const FerSpectrumMarker *markers,
                               guint n_markers)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_array_set_size (self->markers, 0);
  for (guint i = 0; i < n_markers; i++)
    {
      Marker m = { markers[i].freq_hz, g_strdup (markers[i].name ? markers[i].name : ""),
                   markers[i].color, GRAPHENE_RECT_INIT (0, 0, 0, 0) };
      g_array_append_val (self->markers, m);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fer_spectrum_view_set_bands (FerSpectrumView *self, const FerSpectrumBand *bands,
                             guint n_bands)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  g_array_set_size (self->bands, 0);
  for (guint i = 0; i < n_bands; i++)
    {
      Band b = { bands[i].lo_hz, bands[i].hi_hz, g_strdup (bands[i].name ? bands[i].name : ""),
                 bands[i].color };
      g_array_append_val (self->bands, b);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Queries */

guint
fer_spectrum_view_get_n_rows (FerSpectrumView *self)
{
  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), 0);
  return self->n_rows;
}

void
fer_spectrum_view_get_waterfall_area (FerSpectrumView *self, graphene_rect_t *area)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  *area = self->waterfall;
}

void
fer_spectrum_view_get_plot_area (FerSpectrumView *self, graphene_rect_t *area)
{
  g_return_if_fail (FER_IS_SPECTRUM_VIEW (self));
  *area = self->plot;
}

gboolean
fer_spectrum_view_get_marker_area (FerSpectrumView *self, guint index, graphene_rect_t *area)
{
  const Marker *m;

  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), FALSE);
  if (index >= self->markers->len)
    return FALSE;
  m = &g_array_index (self->markers, Marker, index);
  if (m->label.size.width <= 0)
    return FALSE;
  *area = m->label;
  return TRUE;
}

double
fer_spectrum_view_get_level (FerSpectrumView *self, double freq_hz)
{
  double pos;
  guint i;

  g_return_val_if_fail (FER_IS_SPECTRUM_VIEW (self), NAN);
  if (!have_band (self))
    return NAN;
  pos = (freq_hz - (self->center_hz - self->rate_hz / 2)) / (self->rate_hz / self->n_bins);
  if (pos < 0 || pos >= self->n_bins)
    return NAN;
  i = (guint) pos;
  return self->line_db[i];
}

static void
fer_spectrum_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  fer_spectrum_view_draw (FER_SPECTRUM_VIEW (widget), snapshot);
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
  guint rows;

  pango_layout_get_pixel_extents (fer_spectrum_view_get_label_layout (self, "0"), NULL, &logical);
  axis_h = (float) logical.height + 6.f;
  plot_h = MIN (plot_h, MAX (0.f, (float) height - axis_h));
  self->plot = GRAPHENE_RECT_INIT (0, 0, (float) width, plot_h);
  self->axis = GRAPHENE_RECT_INIT (0, plot_h, (float) width, axis_h);
  self->waterfall = GRAPHENE_RECT_INIT (0, plot_h + axis_h, (float) width,
                                        MAX (0.f, (float) height - plot_h - axis_h));
  rows = (guint) ceilf (self->waterfall.size.height / ROW_HEIGHT) + 1;
  fer_waterfall_tiles_set_max_rows (self->tiles, rows);
  if (rows > fer_waterfall_history_get_max_rows (self->history))
    fer_waterfall_history_set_max_rows (self->history, rows);
  update_accessible_view (self);
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
/* GObject */

static void
fer_spectrum_view_finalize (GObject *object)
{
  FerSpectrumView *self = FER_SPECTRUM_VIEW (object);

  fer_waterfall_tiles_free (self->tiles);
  fer_waterfall_history_free (self->history);
  g_hash_table_unref (self->labels);
  g_array_unref (self->markers);
  g_array_unref (self->bands);
  g_free (self->line_db);
  g_free (self->peak_db);
  g_free (self->scratch);
  g_free (self->columns);
  fer_spectrum_view_free_plot (self);
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
   * The user clicked the spectrum or the waterfall, or dragged the passband.
   */
  fer_spectrum_view_signals[SIGNAL_TUNE_REQUESTED] =
    g_signal_new ("tune-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  /**
   * FerSpectrumView::bandwidth-requested:
   * @bandwidth_hz: the passband's new width
   *
   * The user dragged an edge of the passband.
   */
  fer_spectrum_view_signals[SIGNAL_BANDWIDTH_REQUESTED] =
    g_signal_new ("bandwidth-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  /**
   * FerSpectrumView::marker-activated:
   * @index: the marker's index in what set_markers () was given
   *
   * The user clicked a bookmark's label.
   */
  fer_spectrum_view_signals[SIGNAL_MARKER_ACTIVATED] =
    g_signal_new ("marker-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * FerSpectrumView::view-changed:
   *
   * The zoom or the part of the band shown changed.
   */
  fer_spectrum_view_signals[SIGNAL_VIEW_CHANGED] =
    g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "spectrumview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fer_spectrum_view_init (FerSpectrumView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->tiles = fer_waterfall_tiles_new (TILE_ROWS);
  self->history = fer_waterfall_history_new (512);
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->markers = g_array_new (FALSE, FALSE, sizeof (Marker));
  g_array_set_clear_func (self->markers, marker_clear);
  self->bands = g_array_new (FALSE, FALSE, sizeof (Band));
  g_array_set_clear_func (self->bands, band_clear);
  self->auto_range = TRUE;
  self->averaging = DEFAULT_AVERAGING;
  self->wf_lo_db = self->plot_lo_db = -110.0;
  self->wf_hi_db = self->plot_hi_db = -20.0;
  self->level_colors_lo = self->level_colors_hi = NAN;
  self->tuned_hz = NAN;
  self->zoom = 1.0;
  self->view_center_hz = NAN;
  self->bw_min_hz = 1000;
  self->bw_max_hz = 300000;
  fer_spectrum_view_set_colormap (self, FER_COLORMAP_DEFAULT);

  fer_spectrum_view_init_input (self);

  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_vexpand (widget, TRUE);
  /* markers and labels may reach past the edges: keep them inside */
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Spectrum and waterfall"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("The band: levels on top, history below, newest at the top. "
                                    "Click a signal to tune to it."),
                                  -1);
}

GtkWidget *
fer_spectrum_view_new (void)
{
  return g_object_new (FER_TYPE_SPECTRUM_VIEW, NULL);
}
