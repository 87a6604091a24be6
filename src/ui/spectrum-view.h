/* spectrum-view.h - FerSpectrumView: the band as a spectrum plot over a waterfall.
 *
 * The top part (about 30 %) plots the latest spectrum line (averaged over
 * frames) against a dB grid, with a frequency axis in MHz under it; the rest
 * is the waterfall, newest row at the top, one row per pushed frame. Clicking
 * anywhere with the primary button asks to tune there ("tune-requested").
 *
 * The waterfall keeps its history as a ring of small texture tiles
 * (waterfall-tiles.h): a frame adds one row and rebuilds only the newest
 * tile, so a renderer that keeps textures uploads one tile per frame.
 *
 * Frequencies: bin i of an n-bin frame stands for center + (i - n/2) * rate / n
 * (FFT order shifted, low to high); the view spans center ± rate/2 across its
 * width, so x = 0 is center - rate/2.
 */
#pragma once

#include <gtk/gtk.h>

#include "colormap.h"

G_BEGIN_DECLS

#define FER_TYPE_SPECTRUM_VIEW (fer_spectrum_view_get_type ())
G_DECLARE_FINAL_TYPE (FerSpectrumView, fer_spectrum_view, FER, SPECTRUM_VIEW, GtkWidget)

GtkWidget *fer_spectrum_view_new (void);

/* Adds one waterfall row and updates the spectrum line from @db (@n_bins
 * levels in dBFS, low to high frequency; copied). */
void fer_spectrum_view_push_frame (FerSpectrumView *self, const float *db, guint n_bins,
                                   double center_hz, double rate_hz);
/* Marks the tuned frequency and the channel's passband (@bandwidth_hz wide in
 * all, centred on @freq_hz; 0 = just the line). NAN @freq_hz = no marker. */
void fer_spectrum_view_set_tuned (FerSpectrumView *self, double freq_hz, double bandwidth_hz);

void fer_spectrum_view_set_colormap (FerSpectrumView *self, FerColormapKind kind);
/* A fixed level range for the waterfall colours and the plot (stops the
 * automatic range). */
void fer_spectrum_view_set_db_range (FerSpectrumView *self, double lo_db, double hi_db);
/* TRUE (the default): the range follows the noise floor and the peaks slowly. */
void fer_spectrum_view_set_auto_range (FerSpectrumView *self, gboolean auto_range);
/* Forgets the rows and the line (e.g. when the source changes). */
void fer_spectrum_view_clear (FerSpectrumView *self);

/* Rows pushed so far. */
guint fer_spectrum_view_get_n_rows (FerSpectrumView *self);
/* The frequency under widget x; NAN before the first frame. */
double fer_spectrum_view_x_to_freq (FerSpectrumView *self, double x);
/* Where the waterfall is drawn, in widget coordinates; one row is one pixel
 * tall, the newest at the top. */
void fer_spectrum_view_get_waterfall_area (FerSpectrumView *self, graphene_rect_t *area);

G_END_DECLS
