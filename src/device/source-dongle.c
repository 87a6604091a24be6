#define G_LOG_DOMAIN "fer-source-dongle"

#include "source-dongle.h"

#include <math.h>
#include <pthread.h>

#define DB_PER_TENTH 0.1
/* How long one reopen attempt may wait for the dongle to arrive, and how
 * long to wait after one that failed: bounds how long stop takes. */
#define REOPEN_WAIT_MS   250
#define REOPEN_RETRY_US  (1000 * 1000)

/* What the person set, kept across an unplug. */
typedef struct {
  double center_hz;
  guint32 rate_hz;
  double gain_db;               /* NAN = tuner AGC */
  int ppm;
  /* Driver settings set through fer_source_dongle_get_rtl2832 (), read back
   * from the driver when it goes. */
  gboolean test_mode;
  gboolean digital_agc;
  gboolean bias_tee;
  gboolean offset_tuning;
  FerRtl2832DirectSampling direct_sampling;
} DongleSettings;

typedef struct {
  FerSource parent;
  /* Guards rtl and want against the reconnect thread. A GRecMutex is
   * pthread-based, so ThreadSanitizer sees it. */
  GRecMutex lock;
  FerRtl2832 *rtl;        /* owned; NULL while unplugged */
  DongleSettings want;
  guint n_transfers;      /* 0 = the driver's default */
  gsize transfer_bytes;
  double *gains_db;       /* owned; n_gains */
  guint n_gains;
  gboolean zero_if;       /* the tuner can offset-tune */

  /* Reconnecting (all NULL/0 when not asked for). */
  FerDongleReopenFunc reopen;
  gpointer reopen_data;
  GDestroyNotify reopen_destroy;
  FerDongleStateFunc state_func;
  gpointer state_data;
  GThread *watch;         /* the reconnect thread, while started */
  pthread_mutex_t watch_lock;
  pthread_cond_t watch_wake;
  gboolean dead;          /* under watch_lock: the device thread saw it go */
  gboolean quit;          /* under watch_lock */
  gint connected;         /* atomic */
} FerDongleSource;

static const FerSourceOps dongle_ops;

static FerDongleSource *
dongle_from (FerSource *source)
{
  g_return_val_if_fail (source->ops == &dongle_ops, NULL);
  return (FerDongleSource *) source;
}

/* The stamp follows what the driver set (or, unplugged, what it will set). */
static void
dongle_update_stamp (FerDongleSource *self)
{
  if (self->rtl != NULL)
    fer_source_set_stamp (&self->parent, fer_rtl2832_get_center_freq (self->rtl),
                          fer_rtl2832_get_sample_rate (self->rtl));
  else
    fer_source_set_stamp (&self->parent, self->want.center_hz,
                          fer_source_get_rate (&self->parent));
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
  FerDongleSource *self = user_data;

  /* Unplugged, and someone can bring it back: the reconnect thread takes
   * over; the stream to the receiver just pauses. */
  if (self->reopen != NULL && g_error_matches (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE))
    {
      pthread_mutex_lock (&self->watch_lock);
      self->dead = TRUE;
      pthread_cond_signal (&self->watch_wake);
      pthread_mutex_unlock (&self->watch_lock);
      return;
    }
  fer_source_emit_end (user_data, error);
}

/* thread: device; only for unpaced backends */
static gboolean
dongle_wait_ready (gpointer user_data)
{
  return fer_source_wait_ready (user_data);
}

static gboolean
start_stream (FerDongleSource *self, GError **error)
{
  FerSource *source = &self->parent;
  FerUsbBulkCallbacks callbacks = {
    .on_data = dongle_on_data,
    .on_dead = dongle_on_dead,
    .wait_ready = source->paced ? NULL : dongle_wait_ready,
    .user_data = source,
  };
  if (self->n_transfers > 0)
    fer_rtl2832_set_transfer_ring (self->rtl, self->n_transfers, self->transfer_bytes);
  return fer_rtl2832_start (self->rtl, &callbacks, error);
}

/* --- Reconnecting -------------------------------------------------------- */

static void
notify_state (FerDongleSource *self, FerDongleState state, const char *message)
{
  g_atomic_int_set (&self->connected, state == FER_DONGLE_STATE_CONNECTED);
  if (self->state_func != NULL)
    self->state_func (&self->parent, state, message, self->state_data);
}

static gboolean
watch_should_quit (FerDongleSource *self)
{
  pthread_mutex_lock (&self->watch_lock);
  gboolean quit = self->quit;
  pthread_mutex_unlock (&self->watch_lock);
  return quit;
}

/* Sleeps @us or until told to quit; FALSE when told to quit. */
static gboolean
watch_sleep (FerDongleSource *self, gint64 us)
{
  gint64 end = g_get_monotonic_time () + us;
  while (g_get_monotonic_time () < end)
    {
      if (watch_should_quit (self))
        return FALSE;
      g_usleep (MIN (end - g_get_monotonic_time (), 50 * 1000));
    }
  return !watch_should_quit (self);
}

/* Called with the lock held: the driver's own settings, before it goes. */
static void
remember_driver_settings (FerDongleSource *self)
{
  FerRtl2832 *rtl = self->rtl;
  self->want.test_mode = fer_rtl2832_get_test_mode (rtl);
  self->want.digital_agc = fer_rtl2832_get_digital_agc (rtl);
  self->want.bias_tee = fer_rtl2832_get_bias_tee (rtl);
  self->want.offset_tuning = fer_rtl2832_get_offset_tuning (rtl);
  self->want.direct_sampling = fer_rtl2832_get_direct_sampling (rtl);
}

/* Called with the lock held: programs a freshly opened driver as the person
 * had it. Settings a dongle cannot take (offset tuning on a tuner without
 * it) are dropped with a note rather than refusing the dongle. */
static gboolean
apply_settings (FerDongleSource *self, FerRtl2832 *rtl, GError **error)
{
  const DongleSettings *w = &self->want;
  g_autoptr (GError) minor = NULL;

  if (!fer_rtl2832_set_sample_rate (rtl, w->rate_hz, error)
      || !fer_rtl2832_set_freq_correction (rtl, w->ppm, error))
    return FALSE;
  if (w->direct_sampling != fer_rtl2832_get_direct_sampling (rtl)
      && !fer_rtl2832_set_direct_sampling (rtl, w->direct_sampling, &minor))
    g_debug ("direct sampling not restored: %s", minor->message);
  g_clear_error (&minor);
  if (w->offset_tuning && !fer_rtl2832_set_offset_tuning (rtl, TRUE, &minor))
    g_debug ("offset tuning not restored: %s", minor->message);
  if (!fer_rtl2832_set_center_freq (rtl, (guint32) lround (w->center_hz), error))
    return FALSE;
  if (isnan (w->gain_db) ? !fer_rtl2832_set_tuner_agc (rtl, TRUE, error)
                         : !fer_rtl2832_set_gain (rtl, (int) lround (w->gain_db / DB_PER_TENTH),
                                                  error))
    return FALSE;
  return (!w->digital_agc || fer_rtl2832_set_digital_agc (rtl, TRUE, error))
    && (!w->bias_tee || fer_rtl2832_set_bias_tee (rtl, TRUE, error))
    && (!w->test_mode || fer_rtl2832_set_test_mode (rtl, TRUE, error));
}

/* Opens the driver on @usb (taken), restores the settings and streams. */
static gboolean
bring_back (FerDongleSource *self, FerUsb *usb, GError **error)
{
  FerRtl2832 *rtl = fer_rtl2832_open (usb, error);
  if (rtl == NULL)
    return FALSE;
  g_rec_mutex_lock (&self->lock);
  gboolean ok = apply_settings (self, rtl, error);
  if (ok)
    {
      self->rtl = rtl;
      ok = start_stream (self, error);
      if (!ok)
        self->rtl = NULL;
    }
  if (ok)
    dongle_update_stamp (self);   /* also marks the gap in the stream */
  g_rec_mutex_unlock (&self->lock);
  if (!ok)
    fer_rtl2832_close (rtl);
  return ok;
}

static gpointer
watch_thread (gpointer data)
{
  FerDongleSource *self = data;

  for (;;)
    {
      pthread_mutex_lock (&self->watch_lock);
      while (!self->dead && !self->quit)
        pthread_cond_wait (&self->watch_wake, &self->watch_lock);
      gboolean quit = self->quit;
      self->dead = FALSE;
      pthread_mutex_unlock (&self->watch_lock);
      if (quit)
        break;

      /* The old driver goes (its device thread has ended the stream). */
      g_rec_mutex_lock (&self->lock);
      remember_driver_settings (self);
      fer_rtl2832_close (g_steal_pointer (&self->rtl));
      g_rec_mutex_unlock (&self->lock);
      notify_state (self, FER_DONGLE_STATE_DISCONNECTED,
                    "The dongle was unplugged: waiting for it to be plugged back in");

      g_autofree char *last_problem = NULL;
      while (!watch_should_quit (self))
        {
          g_autoptr (GError) error = NULL;
          FerUsb *usb = self->reopen (self->reopen_data, REOPEN_WAIT_MS, &error);
          if (usb != NULL && bring_back (self, usb, &error))
            {
              g_autofree char *msg = g_strdup_printf (
                "The dongle is back: receiving at %.6f MHz again",
                self->want.center_hz / 1e6);
              notify_state (self, FER_DONGLE_STATE_CONNECTED, msg);
              break;
            }
          if (error == NULL)
            continue;
          /* Back but not usable (yet): say why once, try again shortly. */
          if (g_strcmp0 (last_problem, error->message) != 0)
            {
              g_free (last_problem);
              last_problem = g_strdup (error->message);
              notify_state (self, FER_DONGLE_STATE_REOPEN_FAILED, error->message);
            }
          if (!watch_sleep (self, REOPEN_RETRY_US))
            break;
        }
    }
  return NULL;
}

/* --- FerSource ------------------------------------------------------------ */

static gboolean
dongle_start (FerSource *source, GError **error)
{
  FerDongleSource *self = dongle_from (source);
  g_rec_mutex_lock (&self->lock);
  gboolean ok = self->rtl != NULL && start_stream (self, error);
  if (self->rtl == NULL)
    g_set_error_literal (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE,
                         "The dongle is unplugged");
  g_rec_mutex_unlock (&self->lock);
  if (ok && self->reopen != NULL)
    {
      self->quit = FALSE;
      self->dead = FALSE;
      self->watch = g_thread_new ("fer-dongle-watch", watch_thread, self);
    }
  return ok;
}

static void
dongle_stop (FerSource *source)
{
  FerDongleSource *self = dongle_from (source);
  if (self->watch != NULL)
    {
      pthread_mutex_lock (&self->watch_lock);
      self->quit = TRUE;
      pthread_cond_signal (&self->watch_wake);
      pthread_mutex_unlock (&self->watch_lock);
      g_thread_join (g_steal_pointer (&self->watch));
    }
  g_rec_mutex_lock (&self->lock);
  if (self->rtl != NULL)
    fer_rtl2832_stop (self->rtl);
  g_rec_mutex_unlock (&self->lock);
}

/* Unplugged (or going): a reconnect applies the setting instead. */
static gboolean
keep_for_reconnect (FerDongleSource *self, GError **error)
{
  if (self->reopen == NULL)
    return FALSE;
  if (self->rtl == NULL)
    return TRUE;
  if (error != NULL && g_error_matches (*error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE))
    {
      g_clear_error (error);
      return TRUE;
    }
  return FALSE;
}

static gboolean
dongle_set_center (FerSource *source, double center_hz, GError **error)
{
  FerDongleSource *self = dongle_from (source);

  g_rec_mutex_lock (&self->lock);
  /* The driver knows its range; unplugged, only what the tuner reached is
   * kept for later. */
  gboolean unplugged = self->rtl == NULL && self->reopen != NULL;
  if (!(center_hz >= 0 && center_hz <= G_MAXUINT32)
      || (unplugged && !(center_hz >= source->min_center_hz
                         && center_hz <= source->max_center_hz)))
    {
      g_rec_mutex_unlock (&self->lock);
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "%.3f MHz is outside the tuner's range (%.0f to %.0f MHz)",
                   center_hz / 1e6, source->min_center_hz / 1e6, source->max_center_hz / 1e6);
      return FALSE;
    }
  GError *local = NULL;
  gboolean ok = self->rtl != NULL
                && fer_rtl2832_set_center_freq (self->rtl, (guint32) lround (center_hz), &local);
  if (ok || keep_for_reconnect (self, &local))
    {
      self->want.center_hz = center_hz;
      dongle_update_stamp (self);
      ok = TRUE;
    }
  g_rec_mutex_unlock (&self->lock);
  if (local != NULL)
    g_propagate_error (error, local);
  return ok;
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
  g_rec_mutex_lock (&self->lock);
  GError *local = NULL;
  guint32 rate = (guint32) lround (rate_hz);
  gboolean ok = self->rtl != NULL && fer_rtl2832_set_sample_rate (self->rtl, rate, &local);
  if (ok)
    {
      self->want.rate_hz = rate;
      dongle_update_stamp (self);
    }
  else if (keep_for_reconnect (self, &local))
    {
      /* Not checked until the dongle is back: the stamp keeps the old rate. */
      self->want.rate_hz = rate;
      ok = TRUE;
    }
  g_rec_mutex_unlock (&self->lock);
  if (local != NULL)
    g_propagate_error (error, local);
  return ok;
}

static gboolean
dongle_set_gain (FerSource *source, double gain_db, GError **error)
{
  FerDongleSource *self = dongle_from (source);
  g_rec_mutex_lock (&self->lock);
  GError *local = NULL;
  gboolean ok = FALSE;
  if (self->rtl != NULL)
    {
      if (isnan (gain_db))
        ok = fer_rtl2832_set_tuner_agc (self->rtl, TRUE, &local);
      else
        ok = fer_rtl2832_set_gain (self->rtl,
                                   (int) lround (CLAMP (gain_db, -1000.0, 1000.0) / DB_PER_TENTH),
                                   &local);
    }
  if (ok || keep_for_reconnect (self, &local))
    {
      self->want.gain_db = isnan (gain_db) ? NAN : CLAMP (gain_db, -1000.0, 1000.0);
      dongle_update_stamp (self);
      ok = TRUE;
    }
  g_rec_mutex_unlock (&self->lock);
  if (local != NULL)
    g_propagate_error (error, local);
  return ok;
}

static gboolean
dongle_set_ppm (FerSource *source, int ppm, GError **error)
{
  FerDongleSource *self = dongle_from (source);
  g_rec_mutex_lock (&self->lock);
  GError *local = NULL;
  gboolean ok = self->rtl != NULL && fer_rtl2832_set_freq_correction (self->rtl, ppm, &local);
  if (ok || keep_for_reconnect (self, &local))
    {
      self->want.ppm = ppm;
      dongle_update_stamp (self);
      ok = TRUE;
    }
  g_rec_mutex_unlock (&self->lock);
  if (local != NULL)
    g_propagate_error (error, local);
  return ok;
}

/* The driver's extra modes: applied now, or kept for a reconnect. */
static gboolean
dongle_set_bias_tee (FerSource *source, gboolean on, GError **error)
{
  FerDongleSource *self = dongle_from (source);
  g_rec_mutex_lock (&self->lock);
  GError *local = NULL;
  gboolean ok = self->rtl != NULL && fer_rtl2832_set_bias_tee (self->rtl, on, &local);
  if (ok || keep_for_reconnect (self, &local))
    {
      self->want.bias_tee = on;
      ok = TRUE;
    }
  g_rec_mutex_unlock (&self->lock);
  if (local != NULL)
    g_propagate_error (error, local);
  return ok;
}

G_STATIC_ASSERT ((int) FER_DIRECT_SAMPLING_AUTO == (int) FER_RTL2832_DIRECT_AUTO
                 && (int) FER_DIRECT_SAMPLING_OFF == (int) FER_RTL2832_DIRECT_OFF
                 && (int) FER_DIRECT_SAMPLING_I == (int) FER_RTL2832_DIRECT_I
                 && (int) FER_DIRECT_SAMPLING_Q == (int) FER_RTL2832_DIRECT_Q);

static gboolean
dongle_set_direct_sampling (FerSource *source, FerDirectSampling mode, GError **error)
{
  FerDongleSource *self = dongle_from (source);
  g_rec_mutex_lock (&self->lock);
  GError *local = NULL;
  gboolean ok = self->rtl != NULL
                && fer_rtl2832_set_direct_sampling (self->rtl, (FerRtl2832DirectSampling) mode,
                                                    &local);
  if (ok || keep_for_reconnect (self, &local))
    {
      self->want.direct_sampling = (FerRtl2832DirectSampling) mode;
      if (self->rtl != NULL)
        {
          /* what can be tuned changes with it */
          guint32 min_hz, max_hz;
          fer_rtl2832_get_freq_range (self->rtl, &min_hz, &max_hz);
          source->min_center_hz = min_hz;
          source->max_center_hz = max_hz;
          dongle_update_stamp (self);
        }
      ok = TRUE;
    }
  g_rec_mutex_unlock (&self->lock);
  if (local != NULL)
    g_propagate_error (error, local);
  return ok;
}

static gboolean
dongle_set_offset_tuning (FerSource *source, gboolean on, GError **error)
{
  FerDongleSource *self = dongle_from (source);
  g_rec_mutex_lock (&self->lock);
  GError *local = NULL;
  gboolean ok = self->rtl != NULL && fer_rtl2832_set_offset_tuning (self->rtl, on, &local);
  if (ok || keep_for_reconnect (self, &local))
    {
      self->want.offset_tuning = on;
      if (self->rtl != NULL)
        dongle_update_stamp (self);
      ok = TRUE;
    }
  g_rec_mutex_unlock (&self->lock);
  if (local != NULL)
    g_propagate_error (error, local);
  return ok;
}

static FerSourceCaps
dongle_get_caps (FerSource *source)
{
  FerDongleSource *self = dongle_from (source);
  FerSourceCaps caps = FER_SOURCE_CAP_BIAS_TEE | FER_SOURCE_CAP_DIRECT_SAMPLING;
  g_rec_mutex_lock (&self->lock);
  if (self->zero_if)
    caps |= FER_SOURCE_CAP_OFFSET_TUNING;
  g_rec_mutex_unlock (&self->lock);
  return caps;
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
  if (self->reopen_destroy != NULL)
    self->reopen_destroy (self->reopen_data);
  g_rec_mutex_clear (&self->lock);
  pthread_mutex_destroy (&self->watch_lock);
  pthread_cond_destroy (&self->watch_wake);
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
  .set_bias_tee = dongle_set_bias_tee,
  .set_direct_sampling = dongle_set_direct_sampling,
  .set_offset_tuning = dongle_set_offset_tuning,
  .get_caps = dongle_get_caps,
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
  g_rec_mutex_init (&self->lock);
  pthread_mutex_init (&self->watch_lock, NULL);
  pthread_cond_init (&self->watch_wake, NULL);
  g_atomic_int_set (&self->connected, TRUE);

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

  /* What open set up. */
  self->want.center_hz = fer_rtl2832_get_center_freq (rtl);
  self->want.rate_hz = (guint32) lround (fer_rtl2832_get_sample_rate (rtl));
  self->want.gain_db = fer_rtl2832_get_tuner_agc (rtl) ? NAN
                                                       : fer_rtl2832_get_gain (rtl) * DB_PER_TENTH;
  self->want.ppm = fer_rtl2832_get_freq_correction (rtl);
  self->want.direct_sampling = fer_rtl2832_get_direct_sampling (rtl);
  self->zero_if = fer_rtl2832_is_zero_if (rtl);

  dongle_update_stamp (self);
  return source;
}

FerRtl2832 *
fer_source_dongle_get_rtl2832 (FerSource *source)
{
  return dongle_from (source)->rtl;
}

gboolean
fer_source_is_dongle (FerSource *source)
{
  return source != NULL && source->ops == &dongle_ops;
}

void
fer_source_dongle_set_transfer_ring (FerSource *source, guint n_transfers, gsize transfer_bytes)
{
  FerDongleSource *self = dongle_from (source);
  g_return_if_fail (n_transfers > 0 && transfer_bytes > 0);
  g_rec_mutex_lock (&self->lock);
  self->n_transfers = n_transfers;
  self->transfer_bytes = transfer_bytes;
  g_rec_mutex_unlock (&self->lock);
}

void
fer_source_dongle_set_reopen (FerSource *source, FerDongleReopenFunc reopen,
                              gpointer user_data, GDestroyNotify destroy)
{
  FerDongleSource *self = dongle_from (source);
  g_return_if_fail (self->watch == NULL);
  if (self->reopen_destroy != NULL)
    self->reopen_destroy (self->reopen_data);
  self->reopen = reopen;
  self->reopen_data = user_data;
  self->reopen_destroy = destroy;
}

void
fer_source_dongle_set_state_func (FerSource *source, FerDongleStateFunc func,
                                  gpointer user_data)
{
  FerDongleSource *self = dongle_from (source);
  g_return_if_fail (self->watch == NULL);
  self->state_func = func;
  self->state_data = user_data;
}

gboolean
fer_source_dongle_is_connected (FerSource *source)
{
  return g_atomic_int_get (&dongle_from (source)->connected) != 0;
}
