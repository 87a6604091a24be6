/* capture-check.h - what a listener would notice in a recorded test tone.
 *
 * A captured tone (from a sound server's monitor, a WAV file) is checked for
 * what would be heard: its frequency and SINAD, dropouts (runs of exact
 * zeros, which is what a sound server plays when a client is late) and
 * clicks (a jump no sine of that frequency and amplitude can make: a sample
 * step beyond its steepest slope 2 pi f A / rate, or a bend beyond its
 * sharpest curvature (2 pi f / rate)^2 A).
 *
 * SINAD is given twice: over the whole steady part, and the worst of short
 * windows. Two free-running clocks make the tone's frequency wander by parts
 * per million as playback is steered; that is inaudible, but over seconds it
 * adds up to a phase error a single fit counts as noise. The short windows
 * measure what a listener hears.
 */
#pragma once

#include <glib.h>

#include "tone.h"

G_BEGIN_DECLS

#define FER_CAPTURE_WINDOW_S 0.25

typedef struct {
  /* The tone: the first and last sample above the level threshold. */
  gsize first, last;
  double tone_s;
  /* Over [first + settle, last - tail]. */
  FerToneFit fit;
  double min_window_sinad_db;   /* the worst FER_CAPTURE_WINDOW_S window */
  /* Over [first + settle_clicks, last - tail]. */
  double longest_zeros_s;
  guint n_gaps;                 /* runs of 2 ms or more of exact zeros */
  double max_step;              /* largest |x[i] - x[i-1]| */
  double step_bound;            /* 2 pi f A / rate */
  double max_bend;              /* largest |x[i+1] - 2 x[i] + x[i-1]| */
  double bend_bound;            /* (2 pi f / rate)^2 A */
  guint n_clicks;               /* steps or bends beyond their bounds (with a margin) */
  gsize first_click;            /* index of the first one, if any */
} FerCaptureCheck;

/* Checks @n samples of @x (one channel) at @rate_hz for a tone near
 * @freq_hz above @level. The fit and SINAD skip @settle_s after the start
 * (filters settle), gaps and clicks skip only @settle_clicks_s (the onset
 * itself is a step); both skip @tail_s before the end. Returns FALSE if no
 * tone of at least 0.5 s (after the skips) is there. */
gboolean fer_capture_check (const float *x, gsize n, double rate_hz, double freq_hz,
                            float level, double settle_s, double settle_clicks_s,
                            double tail_s, FerCaptureCheck *check);

/* One line of figures, for test logs. */
char *fer_capture_check_describe (const FerCaptureCheck *check, double rate_hz);

/* Frequency within 0.5 Hz of @freq_hz, every window's SINAD >= @min_sinad_db,
 * no gap, no click. */
gboolean fer_capture_check_clean (const FerCaptureCheck *check, double freq_hz,
                                  double min_sinad_db);

G_END_DECLS
