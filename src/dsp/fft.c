#define G_LOG_DOMAIN "fer-dsp"

/* complex.h first: fftwf_complex is then the C99 float complex. */
#include <complex.h>
#include <fftw3.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fft.h"
#include "simd.h"

/* FFTW's planner keeps global state (wisdom, twiddle caches): only
 * fftwf_execute* may run on several threads at once. Spectrum objects are
 * made and freed from the UI and the DSP thread alike, so every planner call
 * (and, as FFTW documents, every other non-execute call) holds this lock.
 * Transforms never take it. */
static GRecMutex planner_lock;  /* pthread-based: visible to ThreadSanitizer */
static gboolean default_wisdom_tried;   /* under planner_lock */

struct _FerFft {
  guint size;
  FerWindow window_kind;
  float *window;          /* owned; size values */
  float norm;             /* 1 / (sum of window)^2: a full-scale tone at a bin centre reads 1 */
  fftwf_complex *buf;     /* owned (fftwf_malloc); transformed in place */
  fftwf_plan plan;        /* owned */
  gboolean measured;
};

/* Cosine-sum windows, periodic form (the DFT sees one period). */
typedef struct {
  const char *name;
  double a[5];
} WindowTerms;

static const WindowTerms windows[FER_N_WINDOWS] = {
  [FER_WINDOW_BLACKMAN_HARRIS] = { "blackman-harris", { 0.35875, 0.48829, 0.14128, 0.01168, 0 } },
  [FER_WINDOW_HANN] = { "hann", { 0.5, 0.5, 0, 0, 0 } },
  [FER_WINDOW_HAMMING] = { "hamming", { 0.54, 0.46, 0, 0, 0 } },
  [FER_WINDOW_FLAT_TOP] = { "flat-top", { 0.21557895, 0.41663158, 0.277263158, 0.083578947,
                                           0.006947368 } },
  [FER_WINDOW_RECTANGULAR] = { "rectangular", { 1, 0, 0, 0, 0 } },
};

const char *
fer_window_name (FerWindow window)
{
  if ((guint) window >= FER_N_WINDOWS)
    return NULL;
  return windows[window].name;
}

gboolean
fer_window_parse (const char *name, FerWindow *out)
{
  g_return_val_if_fail (name != NULL, FALSE);
  for (guint i = 0; i < FER_N_WINDOWS; i++)
    if (g_ascii_strcasecmp (name, windows[i].name) == 0)
      {
        if (out)
          *out = (FerWindow) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- wisdom ----------------------------------------------------------------- */

char *
fer_fft_dup_wisdom_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "ferrite", "fftw-wisdom", NULL);
}

/* Under planner_lock. */
static gboolean
load_wisdom_locked (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("FFTW wisdom %s not read: %s", path, error->message);
      return FALSE;
    }
  if (!fftwf_import_wisdom_from_string (text))
    {
      g_debug ("FFTW wisdom %s is not wisdom (ignored; it is rewritten when learnt again)", path);
      return FALSE;
    }
  return TRUE;
}

gboolean
fer_fft_load_wisdom (const char *path)
{
  g_autofree char *def = path == NULL ? fer_fft_dup_wisdom_path () : NULL;
  g_rec_mutex_lock (&planner_lock);
  gboolean ok = load_wisdom_locked (path ? path : def);
  if (path == NULL)
    default_wisdom_tried = TRUE;
  g_rec_mutex_unlock (&planner_lock);
  return ok;
}

gboolean
fer_fft_learn (guint size, const char *path, GError **error)
{
  g_return_val_if_fail (size >= FER_FFT_MIN_SIZE && size <= FER_FFT_MAX_SIZE
                        && (size & (size - 1)) == 0, FALSE);
  g_autofree char *def = path == NULL ? fer_fft_dup_wisdom_path () : NULL;
  const char *where = path ? path : def;

  g_rec_mutex_lock (&planner_lock);
  load_wisdom_locked (where);
  /* The same kind of plan fer_fft_new makes: in place, aligned, forward. */
  fftwf_complex *buf = fftwf_alloc_complex (size);
  fftwf_plan plan = fftwf_plan_dft_1d ((int) size, buf, buf, FFTW_FORWARD, FFTW_MEASURE);
  fftwf_destroy_plan (plan);
  fftwf_free (buf);
  char *text = fftwf_export_wisdom_to_string ();
  g_rec_mutex_unlock (&planner_lock);

  g_autofree char *dir = g_path_get_dirname (where);
  gboolean ok = FALSE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "Cannot make %s: %s", dir,
                   g_strerror (e));
    }
  else
    /* A temporary file renamed into place: readers see the old or the new, whole. */
    ok = g_file_set_contents (where, text, -1, error);
  free (text);
  return ok;
}

/* ---- transforms ----------------------------------------------------------- */

FerFft *
fer_fft_new (guint size)
{
  return fer_fft_new_full (size, FER_WINDOW_BLACKMAN_HARRIS);
}

FerFft *
fer_fft_new_full (guint size, FerWindow window)
{
  g_return_val_if_fail (size >= FER_FFT_MIN_SIZE && size <= FER_FFT_MAX_SIZE
                        && (size & (size - 1)) == 0, NULL);
  g_return_val_if_fail ((guint) window < FER_N_WINDOWS, NULL);

  FerFft *fft = g_new0 (FerFft, 1);
  fft->size = size;
  fft->window_kind = window;
  fft->window = g_new (float, size);
  const double *a = windows[window].a;
  double sum = 0;
  for (guint n = 0; n < size; n++)
    {
      double x = 2 * G_PI * n / size;
      double w = a[0] - a[1] * cos (x) + a[2] * cos (2 * x) - a[3] * cos (3 * x) + a[4] * cos (4 * x);
      fft->window[n] = (float) w;
      sum += w;
    }
  fft->norm = (float) (1.0 / (sum * sum));

  g_rec_mutex_lock (&planner_lock);
  if (!default_wisdom_tried)
    {
      g_autofree char *def = fer_fft_dup_wisdom_path ();
      load_wisdom_locked (def);
      default_wisdom_tried = TRUE;
    }
  fft->buf = fftwf_alloc_complex (size);
  /* A measured plan when wisdom has one (no measuring now), else an
   * estimate: well under a millisecond even at 65536, where measuring would
   * stall the caller for seconds. */
  fft->plan = fftwf_plan_dft_1d ((int) size, fft->buf, fft->buf, FFTW_FORWARD,
                                 FFTW_MEASURE | FFTW_WISDOM_ONLY);
  fft->measured = fft->plan != NULL;
  if (fft->plan == NULL)
    fft->plan = fftwf_plan_dft_1d ((int) size, fft->buf, fft->buf, FFTW_FORWARD, FFTW_ESTIMATE);
  g_rec_mutex_unlock (&planner_lock);
  return fft;
}

void
fer_fft_free (FerFft *fft)
{
  if (fft == NULL)
    return;
  g_rec_mutex_lock (&planner_lock);
  fftwf_destroy_plan (fft->plan);
  fftwf_free (fft->buf);
  g_rec_mutex_unlock (&planner_lock);
  g_free (fft->window);
  g_free (fft);
}

guint
fer_fft_get_size (FerFft *fft)
{
  return fft->size;
}

FerWindow
fer_fft_get_window (FerFft *fft)
{
  return fft->window_kind;
}

gboolean
fer_fft_is_measured (FerFft *fft)
{
  return fft->measured;
}

/* log2 (1 + m) = m P (m) on [0, 1): a near-minimax fit, 1.5e-5 at most
 * (5e-5 dB). Written with selects and bit moves only, so it vectorises,
 * unlike log10f (), which at 65536 bins would cost more than the FFT. */
#define LOG2_C0 1.441965730e+00f
#define LOG2_C1 -7.096642843e-01f
#define LOG2_C2 4.176012438e-01f
#define LOG2_C3 -1.962773312e-01f
#define LOG2_C4 4.638899375e-02f
#define DB_PER_LOG2 3.0102999566398120f   /* 10 log10 (2) */
#define POWER_FLOOR 1e-20f                /* -200 dB: keeps log finite for silence */

static inline float
power_db (float p)
{
  union { float f; guint32 u; } v = { p > POWER_FLOOR ? p : POWER_FLOOR };
  float e = (float) ((gint32) (v.u >> 23) - 127);
  v.u = (v.u & 0x7fffffu) | 0x3f800000u;
  float m = v.f - 1.0f;
  float poly = (((LOG2_C4 * m + LOG2_C3) * m + LOG2_C2) * m + LOG2_C1) * m + LOG2_C0;
  return DB_PER_LOG2 * (e + m * poly);
}

FER_HOT static void
db_block (const float *restrict p, gsize n, float *restrict out)
{
  for (gsize k = 0; k < n; k++)
    out[k] = power_db (p[k]);
}

void
fer_power_to_db (const float *power, gsize n, float *out_db)
{
  if (power == out_db)
    {
      /* In place: pieces through a small buffer keep the loop free of aliasing. */
      float tmp[1024];
      for (gsize i = 0; i < n; i += 1024)
        {
          gsize m = MIN ((gsize) 1024, n - i);
          db_block (power + i, m, tmp);
          memcpy (out_db + i, tmp, m * sizeof (float));
        }
      return;
    }
  db_block (power, n, out_db);
}

FER_HOT static void
window_in (const float complex *restrict in, const float *restrict w, guint n,
           float complex *restrict buf)
{
  const float *restrict x = (const float *) in;
  float *restrict y = (float *) buf;
  for (guint i = 0; i < n; i++)
    {
      y[2 * i] = x[2 * i] * w[i];
      y[2 * i + 1] = x[2 * i + 1] * w[i];
    }
}

FER_HOT static void
bins_to_power (const float complex *restrict x, gsize n, float norm, float *restrict out)
{
  const float *restrict v = (const float *) x;
  for (gsize k = 0; k < n; k++)
    out[k] = (v[2 * k] * v[2 * k] + v[2 * k + 1] * v[2 * k + 1]) * norm;
}

void
fer_fft_power (FerFft *fft, const float complex *in, float *out_power)
{
  g_return_if_fail (fft != NULL);
  const guint n = fft->size, half = n / 2;
  window_in (in, fft->window, n, fft->buf);
  fftwf_execute (fft->plan);
  /* FFT order is 0 .. +rate/2, then -rate/2 .. 0: swap the halves. */
  bins_to_power (fft->buf, half, fft->norm, out_power + half);
  bins_to_power (fft->buf + half, half, fft->norm, out_power);
}

void
fer_fft_power_db (FerFft *fft, const float complex *in, float *out_db)
{
  g_return_if_fail (fft != NULL);
  fer_fft_power (fft, in, out_db);
  fer_power_to_db (out_db, fft->size, out_db);
}

/* ---- averaging and peak hold ------------------------------------------------ */

struct _FerSpectrum {
  guint size;
  float alpha;
  gboolean peak_on;
  float decay_db;
  gboolean primed;
  float *avg;            /* owned; linear power */
  float *peak;           /* owned; dB */
};

FerSpectrum *
fer_spectrum_new (guint size)
{
  g_return_val_if_fail (size > 0, NULL);
  FerSpectrum *sp = g_new0 (FerSpectrum, 1);
  sp->size = size;
  sp->alpha = 1.0f;
  sp->avg = g_new0 (float, size);
  sp->peak = g_new0 (float, size);
  fer_spectrum_reset (sp);
  return sp;
}

void
fer_spectrum_free (FerSpectrum *sp)
{
  if (sp == NULL)
    return;
  g_free (sp->avg);
  g_free (sp->peak);
  g_free (sp);
}

void
fer_spectrum_set_averaging (FerSpectrum *sp, double alpha)
{
  g_return_if_fail (sp != NULL);
  sp->alpha = (float) CLAMP (alpha, 1e-4, 1.0);
}

void
fer_spectrum_set_peak_hold (FerSpectrum *sp, gboolean on, double decay_db)
{
  g_return_if_fail (sp != NULL);
  if (on && !sp->peak_on)
    for (guint i = 0; i < sp->size; i++)
      sp->peak[i] = -400.0f;
  sp->peak_on = on;
  sp->decay_db = (float) MAX (decay_db, 0.0);
}

void
fer_spectrum_reset (FerSpectrum *sp)
{
  g_return_if_fail (sp != NULL);
  sp->primed = FALSE;
  for (guint i = 0; i < sp->size; i++)
    sp->peak[i] = -400.0f;
}

FER_HOT static void
average_in (float *restrict avg, const float *restrict p, gsize n, float a)
{
  for (gsize i = 0; i < n; i++)
    avg[i] += a * (p[i] - avg[i]);
}

FER_HOT static void
peak_update (float *restrict peak, const float *restrict db, gsize n, float decay)
{
  for (gsize i = 0; i < n; i++)
    {
      float down = peak[i] - decay;
      peak[i] = db[i] > down ? db[i] : down;
    }
}

void
fer_spectrum_add (FerSpectrum *sp, const float *power)
{
  g_return_if_fail (sp != NULL);
  if (!sp->primed)
    {
      memcpy (sp->avg, power, sp->size * sizeof (float));
      sp->primed = TRUE;
    }
  else
    average_in (sp->avg, power, sp->size, sp->alpha);
}

void
fer_spectrum_get_db (FerSpectrum *sp, float *out_db, float *peak_db)
{
  g_return_if_fail (sp != NULL);
  fer_power_to_db (sp->avg, sp->size, out_db);
  if (sp->peak_on)
    {
      /* One step of the hold per frame read. */
      peak_update (sp->peak, out_db, sp->size, sp->decay_db);
      if (peak_db)
        memcpy (peak_db, sp->peak, sp->size * sizeof (float));
    }
  else if (peak_db)
    memcpy (peak_db, out_db, sp->size * sizeof (float));
}
