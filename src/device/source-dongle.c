#define G_LOG_DOMAIN "fer-source-dongle"

#include "source-dongle.h"

#include <math.h>

#define DB_PER_TENTH 0.1

typedef struct {
  FerSource parent;
  FerRtl2832 *rtl;        /* owned */
  double *gains_db;       /* owned; n_gains */
  guint n_gains;
} FerDongleSource;

static const FerSourceOps dongle_ops;

static FerDongleSource *
dongle_from (FerSource *source)
{
  g_return_val_if_fail (source->ops == &dongle_ops, NULL);
  return (FerDongleSource *) source;
}

/* The stamp follows what the driver set. */
static void
dongle_update_stamp (FerDongleSource *self)
{
  fer_source_set_stamp (&self->parent, fer_rtl2832_get_center_freq (self->rtl),
                        fer_rtl2832_get_sample_rate (self->rtl));
}

/* thread: device */
static void
dongle_on_data (const guint8 *data, gsize n_bytes, gpointer user_data)
{
  fer_source_emit (user_data, data, n_bytes);
}

/* thread: device */
static void
dongle_on_dead (const GError *error, gpointer user_data)
{
  fer_source_emit_end (user_data, error);
}

/* thread: device; only for unpaced backends */
static gboolean
dongle_wait_ready (gpointer user_data)
{
  return fer_source_wait_ready (user_data);
}

static gboolean
dongle_start (FerSource *source, GError **error)
{
  FerDongleSource *self = dongle_from (source);
  FerUsbBulkCallbacks callbacks = {
    .on_data = dongle_on_data,
    .on_dead = dongle_on_dead,
    .wait_ready = source->paced ? NULL : dongle_wait_ready,
    .user_data = source,
  };
  return fer_rtl2832_start (self->rtl, &callbacks, error);
}

static void
dongle_stop (FerSource *source)
{
  fer_rtl2832_stop (dongle_from (source)->rtl);
}

static gboolean
dongle_set_center (FerSource *source, double center_hz, GError **error)
{
  FerDongleSource *self = dongle_from (source);

  if (!(center_hz >= 0 && center_hz <= G_MAXUINT32))
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "%.3f MHz is outside the tuner's range (%.0f to %.0f MHz)",
                   center_hz / 1e6, source->min_center_hz / 1e6, source->max_center_hz / 1e6);
      return FALSE;
    }
  if (!fer_rtl2832_set_center_freq (self->rtl, (guint32) lround (center_hz), error))
    return FALSE;
  dongle_update_stamp (self);
  return TRUE;
}

static gboolean
dongle_set_rate (FerSource *source, double rate_hz, GError **error)
{
  FerDongleSource *self = dongle_from (source);

  if (!(rate_hz >= 0 && rate_hz <= G_MAXUINT32))
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "The RTL2832U cannot sample at %g S/s", rate_hz);
      return FALSE;
    }
  if (!fer_rtl2832_set_sample_rate (self->rtl, (guint32) lround (rate_hz), error))
    return FALSE;
  dongle_update_stamp (self);
  return TRUE;
}

static gboolean
dongle_set_gain (FerSource *source, double gain_db, GError **error)
{
  FerDongleSource *self = dongle_from (source);
  gboolean ok;

  if (isnan (gain_db))
    ok = fer_rtl2832_set_tuner_agc (self->rtl, TRUE, error);
  else
    ok = fer_rtl2832_set_gain (self->rtl,
                               (int) lround (CLAMP (gain_db, -1000.0, 1000.0) / DB_PER_TENTH),
                               error);
  if (!ok)
    return FALSE;
  dongle_update_stamp (self);
  return TRUE;
}

static gboolean
dongle_set_ppm (FerSource *source, int ppm, GError **error)
{
  FerDongleSource *self = dongle_from (source);

  if (!fer_rtl2832_set_freq_correction (self->rtl, ppm, error))
    return FALSE;
  dongle_update_stamp (self);
  return TRUE;
}

static const double *
dongle_get_gains (FerSource *source, guint *n_gains)
{
  FerDongleSource *self = dongle_from (source);
  *n_gains = self->n_gains;
  return self->gains_db;
}

static void
dongle_finalize (FerSource *source)
{
  FerDongleSource *self = dongle_from (source);
  fer_rtl2832_close (self->rtl);
  g_free (self->gains_db);
  g_free (self);
}

static const FerSourceOps dongle_ops = {
  .start = dongle_start,
  .stop = dongle_stop,
  .set_center = dongle_set_center,
  .set_rate = dongle_set_rate,
  .set_gain = dongle_set_gain,
  .set_ppm = dongle_set_ppm,
  .get_gains = dongle_get_gains,
  .finalize = dongle_finalize,
};

FerSource *
fer_source_dongle_new (FerUsb *usb, FerSourceKind kind, const char *name, gboolean paced,
                       GError **error)
{
  FerRtl2832 *rtl = fer_rtl2832_open (usb, error);
  if (rtl == NULL)
    return NULL;

  FerDongleSource *self = g_new0 (FerDongleSource, 1);
  FerSource *source = &self->parent;
  g_autofree char *default_name = NULL;
  if (name == NULL)
    name = default_name = g_strdup_printf ("%s (%s)", fer_rtl2832_get_description (rtl),
                                           fer_rtl2832_get_tuner_name (rtl));
  fer_source_init (source, &dongle_ops, kind, name, FER_SAMPLE_CU8, paced);
  self->rtl = rtl;

  guint32 min_hz, max_hz;
  fer_rtl2832_get_freq_range (rtl, &min_hz, &max_hz);
  source->min_center_hz = min_hz;
  source->max_center_hz = max_hz;

  guint n_gains = 0;
  const int *gains = fer_rtl2832_get_gains (rtl, &n_gains);
  self->gains_db = g_new (double, MAX (n_gains, 1));
  for (guint i = 0; i < n_gains; i++)
    self->gains_db[i] = gains[i] * DB_PER_TENTH;
  self->n_gains = n_gains;

  dongle_update_stamp (self);
  return source;
}

FerRtl2832 *
fer_source_dongle_get_rtl2832 (FerSource *source)
{
  return dongle_from (source)->rtl;
}
