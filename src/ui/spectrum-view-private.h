/* spectrum-view-private.h - what the spectrum view's files share.
 *
 * spectrum-view.c holds the data (frames, levels, zoom, overlays) and the
 * API, spectrum-view-draw.c paints it, spectrum-view-input.c turns the
 * pointer into zooms, pans, tunes and bandwidths. Main thread only.
 */
#pragma once

#include "spectrum-view.h"
#include "waterfall-history.h"
#include "waterfall-tiles.h"

#include <math.h>

G_BEGIN_DECLS

#define PLOT_FRACTION 0.30    /* of the height, for the spectrum plot */
#define PLOT_MIN_HEIGHT 48.0
#define ROW_HEIGHT 1.0f       /* one waterfall row per pixel */
#define TILE_ROWS 16
#define DEFAULT_AVERAGING 5   /* frames */
#define FLOOR_ALPHA 0.03      /* noise floor estimate: ~1 s at 30 frames/s */
#define PEAK_RISE_ALPHA 0.2
#define PEAK_FALL_ALPHA 0.01
#define MIN_DB -200.0f        /* stands in for -inf (a bin with no power) */
#define LABEL_CACHE_MAX 256
#define DRAG_THRESHOLD_PX 4.0
#define EDGE_GRAB_PX 5.0
#define WHEEL_ZOOM_STEP 1.25
#define BAND_BAR_HEIGHT 16.f
#define MARKER_ROWS 3

typedef enum {
  DRAG_NONE,
  DRAG_PENDING,     /* pressed: a click, or a pan once it moves */
  DRAG_PAN,
  DRAG_EDGE,        /* a passband edge: the bandwidth */
  DRAG_PASSBAND,    /* inside the passband: the tuning */
  DRAG_MARKER,      /* a bookmark's label: activates it on release */
} DragKind;

typedef struct {
  double freq_hz;
  char *name;         /* owned */
  GdkRGBA color;
  graphene_rect_t label;  /* where its label went in the last snapshot; 0 wide if not shown */
} Marker;

typedef struct {
  double lo_hz, hi_hz;
  char *name;         /* owned */
  GdkRGBA color;
} Band;

struct _FerSpectrumView {
  GtkWidget parent_instance;

  /* the latest frame's band; n_bins == 0 before the first frame */
  float *line_db;             /* owned; n_bins; averaged over frames */
  float *peak_db;             /* owned; n_bins; valid while peak_hold */
  float *scratch;             /* owned; n_bins; for the noise floor percentile */
  guint n_bins;
  double center_hz;
  double rate_hz;
  guint n_rows;
  guint averaging;            /* frames */
  gboolean peak_hold;
  gboolean peak_valid;

  /* levels */
  gboolean auto_range;
  gboolean have_levels;
  double floor_db, peak_db_est;   /* smoothed estimates */
  double wf_lo_db, wf_hi_db;  /* colour scale of the waterfall */
  double plot_lo_db, plot_hi_db;

  double tuned_hz;            /* NAN = none */
  double pb_lo_hz, pb_hi_hz;  /* the passband, relative to tuned_hz */
  gboolean bw_adjustable;
  double bw_min_hz, bw_max_hz;

  /* what is shown: rate / zoom wide around view_center_hz (clamped into
   * the band when drawn; NAN = the band's centre) */
  double zoom;
  double view_center_hz;

  FerColormapKind colormap;
  guint32 lut[FER_COLORMAP_SIZE];
  guint32 level_colors[256];  /* quantised level → colour, for wf_lo/hi_db */
  double level_colors_lo, level_colors_hi;
  FerWaterfallTiles *tiles;   /* owned */
  FerWaterfallHistory *history; /* owned */
  gboolean rows_stale;        /* the tiles no longer match zoom/colours: repaint */
  guint painted_width;        /* of the rows in the tiles */

  GArray *markers;            /* owned; Marker */
  GArray *bands;              /* owned; Band */

  gboolean hover;
  double hover_x, hover_y;

  /* input */
  DragKind drag;
  double drag_x, drag_y;      /* where it started */
  double drag_view_center_hz; /* at the start */
  double drag_tuned_hz;
  double drag_edge;           /* -1 lower, +1 upper */
  guint drag_marker;
  double pinch_zoom;          /* at the start of a pinch */

  /* PangoLayouts of labels by text: the same few labels are drawn every
   * frame, and shaping them anew each time costs more than the rest. */
  GHashTable *labels;         /* owned; char * → PangoLayout * */

  float *columns;             /* owned; per-column levels of the line, for drawing */
  guint n_columns;
  /* The plot's line and fill, drawn by hand into pixels (a cairo path of
   * thousands of points costs more than the rest of the frame); two
   * buffers in turn, as the renderer may still hold the last one. */
  guint32 *plot_px[2];        /* owned; plot_w * plot_h, premultiplied ARGB */
  cairo_surface_t *plot_surface[2]; /* owned; over plot_px */
  guint plot_w, plot_h;       /* in device pixels */
  guint plot_turn;

  /* layout in widget coordinates, set in size_allocate */
  graphene_rect_t plot, axis, waterfall;
};

enum {
  SIGNAL_TUNE_REQUESTED,
  SIGNAL_BANDWIDTH_REQUESTED,
  SIGNAL_MARKER_ACTIVATED,
  SIGNAL_VIEW_CHANGED,
  N_SIGNALS
};

extern guint fer_spectrum_view_signals[N_SIGNALS];

static inline float
finite_db (float v)
{
  return isfinite (v) ? MAX (v, MIN_DB) : MIN_DB;
}

static inline gboolean
have_band (FerSpectrumView *self)
{
  return self->n_bins > 0 && self->rate_hz > 0;
}

/* The width of the part shown, in Hz. */
static inline double
view_span (FerSpectrumView *self)
{
  return self->rate_hz / self->zoom;
}

/* The left edge of the part shown, kept inside the band. */
static inline double
view_lo (FerSpectrumView *self)
{
  double span = view_span (self);
  double band_lo = self->center_hz - self->rate_hz / 2;
  double c = isfinite (self->view_center_hz) ? self->view_center_hz : self->center_hz;

  return CLAMP (c - span / 2, band_lo, band_lo + self->rate_hz - span);
}

static inline double
view_width (FerSpectrumView *self)
{
  return MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)));
}

/* spectrum-view.c */
void fer_spectrum_view_set_view (FerSpectrumView *self, double zoom, double center_hz);
void fer_spectrum_view_repaint_rows (FerSpectrumView *self);
guint fer_spectrum_view_waterfall_width_px (FerSpectrumView *self);

/* spectrum-view-draw.c */
void fer_spectrum_view_draw (FerSpectrumView *self, GtkSnapshot *snapshot);
PangoLayout *fer_spectrum_view_get_label_layout (FerSpectrumView *self, const char *text);

/* spectrum-view-plot.c */
void fer_spectrum_view_draw_plot (FerSpectrumView *self, GtkSnapshot *snapshot);
void fer_spectrum_view_free_plot (FerSpectrumView *self);
void fer_spectrum_view_columns_from_bins (FerSpectrumView *self, const float *db, float *out,
                                          guint w);

/* spectrum-view-input.c */
void fer_spectrum_view_init_input (FerSpectrumView *self);

G_END_DECLS
