/* capture-check.c - what a listener would notice in a recorded test tone. */
#include "capture-check.h"

#include <math.h>

/* Room for 16-bit quantisation and the receiver's own noise on top of the
 * ideal sine's bounds: a few steps of 1/32768. */
#define NOISE_MARGIN (8.0 / 32768.0)
#define GAP_S 0.002

gboolean
fer_capture_check (const float *x, gsize n, double rate_hz, double freq_hz, float level,
                   double settle_s, double settle_clicks_s, double tail_s,
                   FerCaptureCheck *check)
{
  *check = (FerCaptureCheck) { 0 };
  gsize first = n, last = 0;
  for (gsize i = 0; i < n; i++)
    if (fabsf (x[i]) > level)
      {
        if (first == n)
          first = i;
        last = i;
      }
  if (first == n)
    return FALSE;
  check->first = first;
  check->last = last;
  check->tone_s = (double) (last - first + 1) / rate_hz;

  gsize settle = (gsize) (settle_s * rate_hz), settle_clicks = (gsize) (settle_clicks_s * rate_hz);
  gsize tail = (gsize) (tail_s * rate_hz);
  if (last < first + settle + tail + (gsize) (rate_hz / 2))
    return FALSE;
  gsize start = first + settle, end = last - tail;   /* [start, end) */
  if (!fer_tone_fit (x + start, end - start, rate_hz, freq_hz, &check->fit))
    return FALSE;

  /* The worst short window, each fitted on its own. */
  gsize window = (gsize) (FER_CAPTURE_WINDOW_S * rate_hz);
  /* Shorter than one window: the whole fit is the only window. */
  check->min_window_sinad_db = end - start < window ? check->fit.sinad_db : INFINITY;
  for (gsize at = start; at + window <= end; at += window)
    {
      FerToneFit fit;
      if (!fer_tone_fit (x + at, window, rate_hz, check->fit.freq_hz, &fit))
        {
          check->min_window_sinad_db = -INFINITY;
          break;
        }
      check->min_window_sinad_db = MIN (check->min_window_sinad_db, fit.sinad_db);
    }

  /* Gaps and clicks, from just after the onset. */
  double w = 2 * G_PI * check->fit.freq_hz / rate_hz;
  check->step_bound = w * check->fit.amplitude;
  check->bend_bound = w * w * check->fit.amplitude;
  double step_limit = 1.5 * check->step_bound + NOISE_MARGIN;
  double bend_limit = 2.0 * check->bend_bound + 2 * NOISE_MARGIN;
  gsize gap_len = (gsize) (GAP_S * rate_hz), run = 0, longest = 0;
  gsize quiet_until = 0;   /* one click, not one per sample of it */
  for (gsize i = first + settle_clicks + 1; i + 1 < end; i++)
    {
      run = x[i] == 0.0f ? run + 1 : 0;
      longest = MAX (longest, run);
      if (run == gap_len)
        check->n_gaps++;

      double step = fabs ((double) x[i] - x[i - 1]);
      double bend = fabs ((double) x[i + 1] - 2.0 * x[i] + x[i - 1]);
      check->max_step = MAX (check->max_step, step);
      check->max_bend = MAX (check->max_bend, bend);
      if ((step > step_limit || bend > bend_limit) && i >= quiet_until)
        {
          if (check->n_clicks == 0)
            check->first_click = i;
          check->n_clicks++;
          quiet_until = i + gap_len;
        }
    }
  check->longest_zeros_s = (double) longest / rate_hz;
  return TRUE;
}

char *
fer_capture_check_describe (const FerCaptureCheck *check, double rate_hz)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%.3f Hz, amplitude %.4f, SINAD %.1f dB (worst %.2f s window "
                          "%.1f dB), tone %.2f s, longest run of zeros %.2f ms, %u gaps, "
                          "max step %.4f (a sine can %.4f), max bend %.5f (a sine can %.5f), "
                          "%u clicks",
                          check->fit.freq_hz, check->fit.amplitude, check->fit.sinad_db,
                          FER_CAPTURE_WINDOW_S, check->min_window_sinad_db, check->tone_s,
                          check->longest_zeros_s * 1e3, check->n_gaps, check->max_step,
                          check->step_bound, check->max_bend, check->bend_bound,
                          check->n_clicks);
  if (check->n_clicks > 0)
    g_string_append_printf (s, " (first at %.4f s)", (double) check->first_click / rate_hz);
  return g_string_free (s, FALSE);
}

gboolean
fer_capture_check_clean (const FerCaptureCheck *check, double freq_hz, double min_sinad_db)
{
  return fabs (check->fit.freq_hz - freq_hz) <= 0.5
         && check->min_window_sinad_db >= min_sinad_db
         && check->n_gaps == 0 && check->n_clicks == 0;
}
