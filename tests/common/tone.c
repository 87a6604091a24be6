#include "tone.h"

#include <math.h>

/* Solves the 4x4 (or smaller) system a x = b in place by Gaussian elimination
 * with partial pivoting. Returns FALSE if singular. */
static gboolean
solve (double a[4][4], double b[4], int n)
{
  for (int col = 0; col < n; col++)
    {
      int pivot = col;
      for (int r = col + 1; r < n; r++)
        if (fabs (a[r][col]) > fabs (a[pivot][col]))
          pivot = r;
      if (fabs (a[pivot][col]) < 1e-300)
        return FALSE;
      for (int c = 0; c < n; c++)
        {
          double t = a[col][c];
          a[col][c] = a[pivot][c];
          a[pivot][c] = t;
        }
      double t = b[col];
      b[col] = b[pivot];
      b[pivot] = t;
      for (int r = col + 1; r < n; r++)
        {
          double f = a[r][col] / a[col][col];
          for (int c = col; c < n; c++)
            a[r][c] -= f * a[col][c];
          b[r] -= f * b[col];
        }
    }
  for (int r = n - 1; r >= 0; r--)
    {
      double s = b[r];
      for (int c = r + 1; c < n; c++)
        s -= a[r][c] * b[c];
      b[r] = s / a[r][r];
    }
  return TRUE;
}

/* Least-squares A cos + B sin + C at angular frequency w (rad/sample), and
 * optionally the frequency correction (four-parameter step). */
static gboolean
fit_step (const float *x, gsize n, double w, gboolean four, double p[4])
{
  double ata[4][4] = { { 0 } };
  double atb[4] = { 0 };
  int k = four ? 4 : 3;
  double half = (double) n / 2.0;

  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i - half;  /* centred time keeps the system well conditioned */
      double c = cos (w * t), s = sin (w * t);
      double col[4] = { c, s, 1.0, t * (-p[0] * s + p[1] * c) };
      for (int r = 0; r < k; r++)
        {
          for (int q = 0; q < k; q++)
            ata[r][q] += col[r] * col[q];
          atb[r] += col[r] * x[i];
        }
    }
  if (!solve (ata, atb, k))
    return FALSE;
  p[0] = atb[0];
  p[1] = atb[1];
  p[2] = atb[2];
  p[3] = four ? atb[3] : 0.0;
  return TRUE;
}

static double
residual_power (const float *x, gsize n, double w, const double p[3])
{
  double sum = 0;
  double half = (double) n / 2.0;
  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i - half;
      double e = x[i] - (p[0] * cos (w * t) + p[1] * sin (w * t) + p[2]);
      sum += e * e;
    }
  return sum / (double) n;
}

/* Strongest frequency by a coarse DFT scan over a decimated copy. */
static double
guess_frequency (const float *x, gsize n, double rate_hz)
{
  gsize m = MIN (n, (gsize) 8192);
  double best_w = 0, best_p = -1;
  double mean = 0;
  for (gsize i = 0; i < m; i++)
    mean += x[i];
  mean /= (double) m;
  /* Bins of rate/m; scan 1..m/2 with a half-bin step. */
  for (gsize k2 = 2; k2 < m; k2++)
    {
      double w = G_PI * (double) k2 / (double) m;
      double re = 0, im = 0;
      for (gsize i = 0; i < m; i++)
        {
          re += (x[i] - mean) * cos (w * (double) i);
          im += (x[i] - mean) * sin (w * (double) i);
        }
      double pw = re * re + im * im;
      if (pw > best_p)
        {
          best_p = pw;
          best_w = w;
        }
    }
  return best_w * rate_hz / (2 * G_PI);
}

gboolean
fer_tone_fit (const float *x, gsize n, double rate_hz, double freq_guess_hz, FerToneFit *fit)
{
  g_return_val_if_fail (x != NULL && fit != NULL, FALSE);
  if (n < 16)
    return FALSE;
  if (freq_guess_hz <= 0)
    freq_guess_hz = guess_frequency (x, n, rate_hz);

  /* Refine the guess with three-parameter fits on a shrinking grid, then
   * polish with four-parameter iterations. */
  double w = 2 * G_PI * freq_guess_hz / rate_hz;
  double p[4] = { 0 };
  double span = w * 0.02 + 2 * G_PI / (double) n;
  for (int round = 0; round < 4; round++)
    {
      double best_w = w, best_r = INFINITY;
      for (int k = -8; k <= 8; k++)
        {
          double wk = w + span * k / 8.0;
          if (wk <= 0 || wk >= G_PI)
            continue;
          if (!fit_step (x, n, wk, FALSE, p))
            continue;
          double r = residual_power (x, n, wk, p);
          if (r < best_r)
            {
              best_r = r;
              best_w = wk;
            }
        }
      w = best_w;
      span /= 8.0;
    }
  if (!fit_step (x, n, w, FALSE, p))
    return FALSE;
  for (int iter = 0; iter < 8; iter++)
    {
      double q[4] = { p[0], p[1], p[2], 0 };
      if (!fit_step (x, n, w, TRUE, q))
        break;
      /* The fourth column already carries the amplitudes: q[3] is dw itself. */
      double dw = q[3];
      w += dw;
      p[0] = q[0];
      p[1] = q[1];
      p[2] = q[2];
      if (fabs (dw) < 1e-12)
        break;
    }
  if (!fit_step (x, n, w, FALSE, p))
    return FALSE;

  double amplitude = hypot (p[0], p[1]);
  double noise = residual_power (x, n, w, p);
  if (amplitude <= 0)
    return FALSE;
  fit->freq_hz = w * rate_hz / (2 * G_PI);
  fit->amplitude = amplitude;
  fit->offset = p[2];
  fit->rms_residual = sqrt (noise);
  fit->sinad_db = 10 * log10 ((amplitude * amplitude / 2) / MAX (noise, 1e-30));
  return TRUE;
}

float *
fer_tone_deinterleave (const float *frames, gsize n_frames, guint n_channels, guint channel)
{
  float *out = g_new (float, MAX (n_frames, 1));
  for (gsize i = 0; i < n_frames; i++)
    out[i] = frames[i * n_channels + channel];
  return out;
}

gsize
fer_peak_index (const float *values, gsize n)
{
  gsize best = 0;
  for (gsize i = 1; i < n; i++)
    if (values[i] > values[best])
      best = i;
  return best;
}
