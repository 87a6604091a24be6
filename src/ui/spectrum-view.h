/* spectrum-view.h - FerSpectrumView: the band as a spectrum plot over a waterfall.
 *
 * The top part (about 30 %) plots the latest spectrum line (averaged over
 * frames, optionally with a peak-hold line) against a dB grid, with a
 * frequency axis in MHz under it; the rest is the waterfall, newest row at
 * the top, one row per pushed frame.
 *
 * The view shows part of the band: zoom (wheel, pinch, or the API) narrows
 * it around a point, dragging pans it. A click asks to tune there
 * ("tune-requested"); dragging inside the tuned passband moves the tuning,
 * dragging one of its edges asks for a new bandwidth ("bandwidth-requested").
 * Bookmarks ("markers") are drawn as labelled lines, a click on a label
 * activates it ("marker-activated"); an optional band plan is drawn as
 * labelled bars along the top.
 *
 * The waterfall keeps its history as a ring of small texture tiles
 * (waterfall-tiles.h): a frame adds one row and rebuilds only the newest
 * tile, so a renderer that keeps textures uploads one tile per frame. The
 * levels behind the rows are kept too (waterfall-history.h), so that a zoom,
 * a pan or a new colour map repaints the rows already there.
 *
 * Frequencies: bin i of an n-bin frame stands for center + (i - n/2) * rate / n
 * (FFT order shifted, low to high); unzoomed, the view spans center ± rate/2
 * across its width, so x = 0 is center - rate/2.
 */
#pragma once

#include <gtk/gtk.h>

#include "colormap.h"

G_BEGIN_DECLS

#define FER_TYPE_SPECTRUM_VIEW (fer_spectrum_view_get_type ())
G_DECLARE_FINAL_TYPE (FerSpectrumView, fer_spectrum_view, FER, SPECTRUM_VIEW, GtkWidget)

#define FER_SPECTRUM_VIEW_MAX_ZOOM 1024.0

GtkWidget *fer_spectrum_view_new (void);

/* Adds one waterfall row and updates the spectrum line from @db (@n_bins
 * levels in dBFS, low to high frequency; copied). */
void fer_spectrum_view_push_frame (FerSpectrumView *self, const float *db, guint n_bins,
                                   double center_hz, double rate_hz);
/* Marks the tuned frequency and the channel's passband (@bandwidth_hz wide in
 * all, centred on @freq_hz; 0 = just the line). NAN @freq_hz = no marker.
 * A new frequency outside the part shown pans the view onto it. */
void fer_spectrum_view_set_tuned (FerSpectrumView *self, double freq_hz, double bandwidth_hz);
/* The passband relative to the tuned frequency, when it is not centred on
 * it (e.g. 100..2900 Hz for upper sideband); after set_tuned (). */
void fer_spectrum_view_set_passband (FerSpectrumView *self, double lo_offset_hz,
                                     double hi_offset_hz);
/* Whether the passband's edges may be dragged, and between which widths. */
void fer_spectrum_view_set_bandwidth_limits (FerSpectrumView *self, gboolean adjustable,
                                             double min_hz, double max_hz);

/* Colours and levels */
void fer_spectrum_view_set_colormap (FerSpectrumView *self, FerColormapKind kind);
FerColormapKind fer_spectrum_view_get_colormap (FerSpectrumView *self);
/* A fixed level range for the waterfall colours and the plot (stops the
 * automatic range). */
void fer_spectrum_view_set_db_range (FerSpectrumView *self, double lo_db, double hi_db);
/* The plot's range now (automatic or not). */
void fer_spectrum_view_get_db_range (FerSpectrumView *self, double *lo_db, double *hi_db);
/* TRUE (the default): the range follows the noise floor and the peaks slowly. */
void fer_spectrum_view_set_auto_range (FerSpectrumView *self, gboolean auto_range);
gboolean fer_spectrum_view_get_auto_range (FerSpectrumView *self);
/* The spectrum line is averaged over about @n_frames frames (1 = none). */
void fer_spectrum_view_set_averaging (FerSpectrumView *self, guint n_frames);
guint fer_spectrum_view_get_averaging (FerSpectrumView *self);
/* A second line holding each bin's highest level since it was turned on. */
void fer_spectrum_view_set_peak_hold (FerSpectrumView *self, gboolean peak_hold);
gboolean fer_spectrum_view_get_peak_hold (FerSpectrumView *self);
/* Forgets the rows and the line (e.g. when the source changes). */
void fer_spectrum_view_clear (FerSpectrumView *self);

/* Zoom and pan */

/* 1 = the whole band; up to FER_SPECTRUM_VIEW_MAX_ZOOM. */
void fer_spectrum_view_set_zoom (FerSpectrumView *self, double zoom);
double fer_spectrum_view_get_zoom (FerSpectrumView *self);
/* Multiplies the zoom by @factor keeping @anchor_hz where it is on screen
 * (NAN: the tuned frequency if it is shown, else the middle). */
void fer_spectrum_view_zoom_by (FerSpectrumView *self, double factor, double anchor_hz);
/* Moves the part shown by @fraction of its width (negative = lower). */
void fer_spectrum_view_pan_by (FerSpectrumView *self, double fraction);
/* Centres the part shown on @freq_hz (as far as the band allows). */
void fer_spectrum_view_center_on (FerSpectrumView *self, double freq_hz);
/* The frequencies at the left and right edges; FALSE before the first frame. */
gboolean fer_spectrum_view_get_visible_range (FerSpectrumView *self, double *lo_hz,
                                              double *hi_hz);

/* Overlays */

typedef struct {
  double freq_hz;
  const char *name;
  GdkRGBA color;
} FerSpectrumMarker;

/* Replaces the markers (copied). */
void fer_spectrum_view_set_markers (FerSpectrumView *self, const FerSpectrumMarker *markers,
                                    guint n_markers);

typedef struct {
  double lo_hz, hi_hz;
  const char *name;
  GdkRGBA color;
} FerSpectrumBand;

/* Replaces the band plan drawn along the top (copied; 0 bands = none). */
void fer_spectrum_view_set_bands (FerSpectrumView *self, const FerSpectrumBand *bands,
                                  guint n_bands);

/* Queries, for tests and the window */

/* Rows pushed so far. */
guint fer_spectrum_view_get_n_rows (FerSpectrumView *self);
/* The frequency under widget x; NAN before the first frame. */
double fer_spectrum_view_x_to_freq (FerSpectrumView *self, double x);
/* Where @freq_hz is drawn; NAN before the first frame. */
double fer_spectrum_view_freq_to_x (FerSpectrumView *self, double freq_hz);
/* Where the waterfall is drawn, in widget coordinates; one row is one pixel
 * tall, the newest at the top. */
void fer_spectrum_view_get_waterfall_area (FerSpectrumView *self, graphene_rect_t *area);
/* Where the spectrum plot is drawn. */
void fer_spectrum_view_get_plot_area (FerSpectrumView *self, graphene_rect_t *area);
/* Where marker @index's label is drawn; FALSE if it is not shown. */
gboolean fer_spectrum_view_get_marker_area (FerSpectrumView *self, guint index,
                                            graphene_rect_t *area);
/* The level of the spectrum line at @freq_hz (as drawn); NAN if none. */
double fer_spectrum_view_get_level (FerSpectrumView *self, double freq_hz);

G_END_DECLS
