#define G_LOG_DOMAIN "fer-audio"

#include "drift.h"

#include <math.h>

/* The fill is averaged over a few seconds: the sawtooth of bursts in and
 * out (a callback takes 21 ms at once) would otherwise reach the ratio. */
#define SMOOTHING_S 2.0
/* The loop's natural frequency and damping: with the fill error e in
 * seconds of audio and the ratio 1 + Kp e + Ki \int e, the error obeys
 * e'' + Kp e' + Ki e = 0 (plus the clocks' offset as a step), so
 * Ki = w^2 and Kp = 2 zeta w. 0.05 rad/s settles in about a minute, a
 * 300 ppm step pushes the fill at most ~2 ms past the dead band, and the
 * fill's residual noise (a fraction of a ms after smoothing) moves the
 * ratio by a few ppm at most. Critically damped: no ringing. */
#define LOOP_RAD_S 0.05
#define DAMPING 1.0
/* However hard the fill pulls, the ratio moves at most this fast: a tone
 * then glides by at most 0.05 Hz per second per kHz, which no one hears
 * and which keeps a 0.25 s window of it clean beyond 40 dB. A 300 ppm
 * offset is reached in six seconds. */
#define MAX_SLEW_PPM_PER_S 50.0

struct _FerDrift {
  double rate_hz;
  double target;            /* frames */
  double dead_band;         /* frames */
  double kp, ki;
  gboolean have_fill;
  double fill;              /* smoothed, frames */
  double integral;          /* the learned clock ratio - 1 */
  double ratio;
};

FerDrift *
fer_drift_new (double rate_hz, double target_fill_frames, double dead_band_frames)
{
  g_return_val_if_fail (rate_hz > 0 && target_fill_frames > 0 && dead_band_frames >= 0, NULL);
  FerDrift *drift = g_new0 (FerDrift, 1);
  drift->rate_hz = rate_hz;
  drift->target = target_fill_frames;
  drift->dead_band = dead_band_frames;
  drift->kp = 2.0 * DAMPING * LOOP_RAD_S;
  drift->ki = LOOP_RAD_S * LOOP_RAD_S;
  drift->ratio = 1.0;
  return drift;
}

void
fer_drift_free (FerDrift *drift)
{
  g_free (drift);
}

void
fer_drift_restart (FerDrift *drift)
{
  drift->have_fill = FALSE;
  drift->fill = 0;
}

double
fer_drift_update (FerDrift *drift, double fill_frames, gsize n_frames)
{
  double dt = (double) n_frames / drift->rate_hz;
  if (!drift->have_fill)
    {
      drift->fill = fill_frames;
      drift->have_fill = TRUE;
    }
  else
    drift->fill += (1.0 - exp (-dt / SMOOTHING_S)) * (fill_frames - drift->fill);

  /* Error past the dead band, in seconds of audio. */
  double error = drift->fill - drift->target;
  if (error > drift->dead_band)
    error -= drift->dead_band;
  else if (error < -drift->dead_band)
    error += drift->dead_band;
  else
    error = 0;
  error /= drift->rate_hz;

  const double max_dev = FER_DRIFT_MAX_PPM * 1e-6;
  drift->integral = CLAMP (drift->integral + drift->ki * error * dt, -max_dev, max_dev);
  double wanted = 1.0 + CLAMP (drift->kp * error + drift->integral, -max_dev, max_dev);
  double max_step = MAX_SLEW_PPM_PER_S * 1e-6 * dt;
  drift->ratio += CLAMP (wanted - drift->ratio, -max_step, max_step);
  return drift->ratio;
}

void
fer_drift_set_target (FerDrift *drift, double target_fill_frames, double dead_band_frames)
{
  g_return_if_fail (target_fill_frames > 0 && dead_band_frames >= 0);
  drift->target = target_fill_frames;
  drift->dead_band = dead_band_frames;
}

double
fer_drift_get_ratio (FerDrift *drift)
{
  return drift->ratio;
}

double
fer_drift_get_fill (FerDrift *drift)
{
  return drift->fill;
}

double
fer_drift_get_target (FerDrift *drift)
{
  return drift->target;
}
