#define G_LOG_DOMAIN "fer-source-rtltcp"

#include "source-rtltcp.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rtltcp-proto.h"

#define CONNECT_TIMEOUT_MS 3000
#define GREETING_TIMEOUT_MS 3000
#define RETRY_MS 1000
/* Quiet this long: reported; this long: the connection is given up and made again. */
#define STALL_REPORT_MS 2000
#define STALL_RECONNECT_MS 10000
#define SLICE_MS 50
#define READ_BYTES (64 * 1024)
#define MAX_PENDING_COMMANDS 64
/* The tuners an rtl_tcp server drives reach this far (direct sampling below). */
#define MAX_CENTER_HZ 2.2e9

/* Gain steps of the tuners, in dB, as their drivers list them. */
static const double r820t_gains[] = {
  0.0, 0.9, 1.4, 2.7, 3.7, 7.7, 8.7, 12.5, 14.4, 15.7, 16.6, 19.7, 20.7, 22.9, 25.4,
  28.0, 29.7, 32.8, 33.8, 36.4, 37.2, 38.6, 40.2, 42.1, 43.4, 43.9, 44.5, 48.0, 49.6,
};
static const double e4000_gains[] = {
  -1.0, 1.5, 4.0, 6.5, 9.0, 11.5, 14.0, 16.5, 19.0, 21.5, 24.0, 29.0, 34.0, 42.0,
};

/* What the server is told again after every reconnect. */
typedef struct {
  double center_hz;
  double rate_hz;
  double gain_db;          /* NAN = tuner AGC */
  int ppm;
  int direct_sampling;     /* -1 = never set */
  int offset_tuning;       /* -1 = never set */
  int bias_tee;            /* -1 = never set */
} Settings;

typedef struct {
  FerSource parent;
  char *host;              /* owned */
  guint16 port;
  char *label;             /* owned; "HOST:PORT" */
  GThread *thread;
  int fd;                  /* thread: device */

  pthread_mutex_t lock;    /* guards what follows */
  Settings settings;
  guint8 pending[MAX_PENDING_COMMANDS * FER_RTLTCP_COMMAND_BYTES];
  gsize n_pending;
  FerDongleStateFunc state_func;
  gpointer state_data;

  atomic_bool connected;
  atomic_uint tuner_type;
  int last_state;          /* thread: device; -1 = none reported yet */
} FerRtlTcpSource;

static const FerSourceOps rtltcp_ops;

/* --- commands ------------------------------------------------------------------- */

/* Queues a command; call with the lock held. */
static void
queue_command (FerRtlTcpSource *self, guint8 code, guint32 param)
{
  if (self->n_pending == sizeof self->pending)
    {
      /* The server has not taken commands for a while: the oldest go. */
      memmove (self->pending, self->pending + FER_RTLTCP_COMMAND_BYTES,
               self->n_pending - FER_RTLTCP_COMMAND_BYTES);
      self->n_pending -= FER_RTLTCP_COMMAND_BYTES;
    }
  fer_rtltcp_command_encode (self->pending + self->n_pending, code, param);
  self->n_pending += FER_RTLTCP_COMMAND_BYTES;
}

static void
queue_gain (FerRtlTcpSource *self, double gain_db)
{
  if (isnan (gain_db))
    queue_command (self, FER_RTLTCP_SET_GAIN_MODE, 0);
  else
    {
      queue_command (self, FER_RTLTCP_SET_GAIN_MODE, 1);
      queue_command (self, FER_RTLTCP_SET_GAIN, (guint32) (gint32) lround (gain_db * 10));
    }
}

/* Everything, for a fresh connection; call with the lock held. */
static void
queue_settings (FerRtlTcpSource *self)
{
  const Settings *s = &self->settings;
  self->n_pending = 0;
  queue_command (self, FER_RTLTCP_SET_SAMPLE_RATE, (guint32) llround (s->rate_hz));
  if (s->direct_sampling >= 0)
    queue_command (self, FER_RTLTCP_SET_DIRECT_SAMPLING, (guint32) s->direct_sampling);
  if (s->offset_tuning >= 0)
    queue_command (self, FER_RTLTCP_SET_OFFSET_TUNING, (guint32) s->offset_tuning);
  queue_command (self, FER_RTLTCP_SET_FREQ_CORRECTION, (guint32) (gint32) s->ppm);
  queue_command (self, FER_RTLTCP_SET_FREQ, (guint32) llround (s->center_hz));
  queue_gain (self, s->gain_db);
  if (s->bias_tee >= 0)
    queue_command (self, FER_RTLTCP_SET_BIAS_TEE, (guint32) s->bias_tee);
}

/* Sends the queued commands; FALSE when the connection broke. */
static gboolean
send_pending (FerRtlTcpSource *self)
{
  pthread_mutex_lock (&self->lock);
  gsize done = 0;
  gboolean ok = TRUE;
  while (done < self->n_pending)
    {
      ssize_t w = send (self->fd, self->pending + done, self->n_pending - done,
                        MSG_DONTWAIT | MSG_NOSIGNAL);
      if (w < 0)
        {
          ok = errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
          break;
        }
      done += (gsize) w;
    }
  memmove (self->pending, self->pending + done, self->n_pending - done);
  self->n_pending -= done;
  pthread_mutex_unlock (&self->lock);
  return ok;
}

static gboolean
has_pending (FerRtlTcpSource *self)
{
  pthread_mutex_lock (&self->lock);
  gboolean any = self->n_pending > 0;
  pthread_mutex_unlock (&self->lock);
  return any;
}

/* --- states --------------------------------------------------------------------- */

static void
report (FerRtlTcpSource *self, FerDongleState state, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static void
report (FerRtlTcpSource *self, FerDongleState state, const char *format, ...)
{
  atomic_store (&self->connected, state == FER_DONGLE_STATE_CONNECTED);
  if ((int) state == self->last_state)
    return;
  self->last_state = (int) state;
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_debug ("%s", msg);
  pthread_mutex_lock (&self->lock);
  FerDongleStateFunc func = self->state_func;
  gpointer data = self->state_data;
  pthread_mutex_unlock (&self->lock);
  if (func != NULL)
    func (&self->parent, state, msg, data);
}

/* Sleeps @ms in slices; FALSE when the source is stopping. */
static gboolean
nap (FerRtlTcpSource *self, guint ms)
{
  for (guint t = 0; t < ms; t += SLICE_MS)
    {
      if (atomic_load (&self->parent.stopping))
        return FALSE;
      g_usleep (SLICE_MS * 1000);
    }
  return !atomic_load (&self->parent.stopping);
}

/* --- connecting ------------------------------------------------------------------- */

/* A connected socket, or -1 with @error (code NOT_FOUND: the name does
 * not resolve, which retrying will not fix). */
static int
open_connection (FerRtlTcpSource *self, GError **error)
{
  struct addrinfo hints = { 0 }, *res = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  char service[8];
  g_snprintf (service, sizeof service, "%u", self->port);
  int rc = getaddrinfo (self->host, service, &hints, &res);
  if (rc != 0)
    {
      g_set_error (error, FER_SOURCE_ERROR,
                   rc == EAI_NONAME ? FER_SOURCE_ERROR_NOT_FOUND : FER_SOURCE_ERROR_FAILED,
                   "Cannot find the rtl_tcp server %s: %s", self->label, gai_strerror (rc));
      return -1;
    }
  int fd = -1, err = ETIMEDOUT;
  for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next)
    {
      fd = socket (a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0)
        {
          err = errno;
          continue;
        }
      if (connect (fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS)
        err = errno;
      else
        {
          /* Wait for it in slices, so that a stop is never held up. */
          err = ETIMEDOUT;
          for (guint t = 0; t < CONNECT_TIMEOUT_MS && !atomic_load (&self->parent.stopping);
               t += SLICE_MS)
            {
              struct pollfd p = { fd, POLLOUT, 0 };
              if (poll (&p, 1, SLICE_MS) > 0)
                {
                  socklen_t len = sizeof err;
                  getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &len);
                  break;
                }
            }
          if (err == 0)
            break;
        }
      close (fd);
      fd = -1;
    }
  freeaddrinfo (res);
  if (fd < 0)
    g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FAILED,
                 "Cannot reach the rtl_tcp server %s: %s", self->label, g_strerror (err));
  return fd;
}

/* Reads the 12-byte greeting. 0 ok, -1 retry (message in @error), -2 give up. */
static int
read_greeting (FerRtlTcpSource *self, GError **error)
{
  guint8 hello[FER_RTLTCP_GREETING_BYTES];
  gsize got = 0;
  for (guint t = 0; got < sizeof hello; t += SLICE_MS)
    {
      if (atomic_load (&self->parent.stopping))
        return -1;
      if (t >= GREETING_TIMEOUT_MS)
        {
          g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FAILED,
                       "The rtl_tcp server %s does not greet (%zu of 12 bytes in %d s)",
                       self->label, got, GREETING_TIMEOUT_MS / 1000);
          return -1;
        }
      struct pollfd p = { self->fd, POLLIN, 0 };
      if (poll (&p, 1, SLICE_MS) <= 0)
        continue;
      ssize_t r = recv (self->fd, hello + got, sizeof hello - got, 0);
      if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
        {
          g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FAILED,
                       "The rtl_tcp server %s hung up before its greeting (is another "
                       "client using it?)", self->label);
          return -1;
        }
      if (r > 0)
        got += (gsize) r;
    }
  guint32 tuner, n_gains;
  g_autoptr (GError) bad = NULL;
  if (!fer_rtltcp_greeting_decode (hello, &tuner, &n_gains, &bad))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT, "%s: %s", self->label,
                   bad->message);
      return -2;
    }
  atomic_store (&self->tuner_type, tuner);
  return 0;
}

/* --- streaming -------------------------------------------------------------------- */

/* Streams until the connection breaks or goes quiet for good (FALSE when
 * the source is stopping). */
static gboolean
stream (FerRtlTcpSource *self, guint8 *buf)
{
  FerSource *source = &self->parent;
  gsize carry = 0;               /* a byte of a sample split between reads */
  gint64 last_data = g_get_monotonic_time ();

  for (;;)
    {
      if (atomic_load (&source->stopping))
        return FALSE;
      if (!send_pending (self))
        {
          report (self, FER_DONGLE_STATE_DISCONNECTED,
                  "Lost the rtl_tcp server %s: %s; reconnecting", self->label,
                  g_strerror (errno));
          return TRUE;
        }
      struct pollfd p = { self->fd, POLLIN | (has_pending (self) ? POLLOUT : 0), 0 };
      int n = poll (&p, 1, SLICE_MS);
      gint64 now = g_get_monotonic_time ();
      if (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)))
        {
          ssize_t r = recv (self->fd, buf + carry, READ_BYTES - carry, 0);
          if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
            {
              report (self, FER_DONGLE_STATE_DISCONNECTED,
                      "The rtl_tcp server %s closed the connection; reconnecting",
                      self->label);
              return TRUE;
            }
          if (r > 0)
            {
              gsize have = carry + (gsize) r;
              gsize whole = have & ~(gsize) 1;
              if (!fer_source_emit (source, buf, whole))
                return FALSE;
              carry = have - whole;
              if (carry)
                buf[0] = buf[whole];
              last_data = now;
              report (self, FER_DONGLE_STATE_CONNECTED, "Receiving from the rtl_tcp server %s",
                      self->label);
            }
        }
      if (now - last_data > STALL_RECONNECT_MS * 1000)
        {
          report (self, FER_DONGLE_STATE_REOPEN_FAILED,
                  "The rtl_tcp server %s sent nothing for %d s; reconnecting", self->label,
                  STALL_RECONNECT_MS / 1000);
          return TRUE;
        }
      if (now - last_data > STALL_REPORT_MS * 1000)
        report (self, FER_DONGLE_STATE_DISCONNECTED,
                "The rtl_tcp server %s stopped sending samples; waiting", self->label);
    }
}

static gpointer
rtltcp_thread (gpointer data)
{
  FerRtlTcpSource *self = data;
  FerSource *source = &self->parent;
  g_autofree guint8 *buf = g_malloc (READ_BYTES);
  gboolean first = TRUE;

  while (!atomic_load (&source->stopping))
    {
      g_autoptr (GError) error = NULL;
      self->fd = open_connection (self, &error);
      int greeted = self->fd < 0 ? -1 : read_greeting (self, &error);
      if (greeted != 0)
        {
          if (self->fd >= 0)
            close (self->fd);
          self->fd = -1;
          if (atomic_load (&source->stopping))
            break;
          gboolean hopeless = greeted == -2
                              || (first && g_error_matches (error, FER_SOURCE_ERROR,
                                                            FER_SOURCE_ERROR_NOT_FOUND));
          if (hopeless)
            {
              fer_source_emit_end (source, error);
              return NULL;
            }
          report (self, first ? FER_DONGLE_STATE_DISCONNECTED : FER_DONGLE_STATE_REOPEN_FAILED,
                  "%s; trying again", error->message);
          first = FALSE;
          nap (self, RETRY_MS);
          continue;
        }
      first = FALSE;
      pthread_mutex_lock (&self->lock);
      queue_settings (self);
      double center = self->settings.center_hz, rate = self->settings.rate_hz;
      pthread_mutex_unlock (&self->lock);
      /* Whatever came before belongs to another connection. */
      fer_source_flush (source);
      fer_source_set_stamp (source, center, rate);
      gboolean again = stream (self, buf);
      close (self->fd);
      self->fd = -1;
      if (!again)
        break;
      nap (self, RETRY_MS / 4);
    }
  atomic_store (&self->connected, false);
  return NULL;
}

/* --- the source ------------------------------------------------------------------- */

static gboolean
rtltcp_start (FerSource *source, GError **error)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  self->last_state = -1;
  self->thread = g_thread_new ("fer-rtltcp", rtltcp_thread, self);
  return TRUE;
}

static void
rtltcp_stop (FerSource *source)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));
}

static void
rtltcp_finalize (FerSource *source)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  pthread_mutex_destroy (&self->lock);
  g_free (self->host);
  g_free (self->label);
  g_free (self);
}

static gboolean
rtltcp_set_center (FerSource *source, double center_hz, GError **error)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  if (!(center_hz >= 0 && center_hz <= MAX_CENTER_HZ))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "%.6f MHz is out of an rtl_tcp dongle's range", center_hz / 1e6);
      return FALSE;
    }
  pthread_mutex_lock (&self->lock);
  self->settings.center_hz = center_hz;
  queue_command (self, FER_RTLTCP_SET_FREQ, (guint32) llround (center_hz));
  pthread_mutex_unlock (&self->lock);
  fer_source_set_stamp (source, center_hz, fer_source_get_rate (source));
  return TRUE;
}

static gboolean
rtltcp_set_rate (FerSource *source, double rate_hz, GError **error)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  /* What an RTL2832U can do: 225-300 kS/s or 0.9-3.2 MS/s. */
  if (!((rate_hz > 225000 && rate_hz <= 300000) || (rate_hz > 900000 && rate_hz <= 3.2e6)))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "%.0f S/s is not a rate an RTL2832U takes (225001-300000 or "
                   "900001-3200000)", rate_hz);
      return FALSE;
    }
  pthread_mutex_lock (&self->lock);
  self->settings.rate_hz = rate_hz;
  queue_command (self, FER_RTLTCP_SET_SAMPLE_RATE, (guint32) llround (rate_hz));
  pthread_mutex_unlock (&self->lock);
  fer_source_set_stamp (source, fer_source_get_center (source), rate_hz);
  return TRUE;
}

static gboolean
rtltcp_set_gain (FerSource *source, double gain_db, GError **error)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  pthread_mutex_lock (&self->lock);
  self->settings.gain_db = gain_db;
  queue_gain (self, gain_db);
  pthread_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
rtltcp_set_ppm (FerSource *source, int ppm, GError **error)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  pthread_mutex_lock (&self->lock);
  self->settings.ppm = ppm;
  queue_command (self, FER_RTLTCP_SET_FREQ_CORRECTION, (guint32) (gint32) ppm);
  pthread_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
rtltcp_set_bias_tee (FerSource *source, gboolean on, GError **error)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  pthread_mutex_lock (&self->lock);
  self->settings.bias_tee = on ? 1 : 0;
  queue_command (self, FER_RTLTCP_SET_BIAS_TEE, on ? 1 : 0);
  pthread_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
rtltcp_set_direct_sampling (FerSource *source, FerDirectSampling mode, GError **error)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  int v = mode == FER_DIRECT_SAMPLING_I ? 1 : mode == FER_DIRECT_SAMPLING_Q ? 2 : 0;
  pthread_mutex_lock (&self->lock);
  self->settings.direct_sampling = v;
  queue_command (self, FER_RTLTCP_SET_DIRECT_SAMPLING, (guint32) v);
  pthread_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
rtltcp_set_offset_tuning (FerSource *source, gboolean on, GError **error)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  pthread_mutex_lock (&self->lock);
  self->settings.offset_tuning = on ? 1 : 0;
  queue_command (self, FER_RTLTCP_SET_OFFSET_TUNING, on ? 1 : 0);
  pthread_mutex_unlock (&self->lock);
  return TRUE;
}

static const double *
rtltcp_get_gains (FerSource *source, guint *n_gains)
{
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  switch (atomic_load (&self->tuner_type))
    {
    case FER_RTLTCP_TUNER_E4000:
      *n_gains = G_N_ELEMENTS (e4000_gains);
      return e4000_gains;
    case FER_RTLTCP_TUNER_R820T:
    case FER_RTLTCP_TUNER_R828D:
      *n_gains = G_N_ELEMENTS (r820t_gains);
      return r820t_gains;
    default:
      *n_gains = 0;
      return NULL;
    }
}

static FerSourceCaps
rtltcp_get_caps (FerSource *source)
{
  return FER_SOURCE_CAP_BIAS_TEE | FER_SOURCE_CAP_DIRECT_SAMPLING
         | FER_SOURCE_CAP_OFFSET_TUNING;
}

static const FerSourceOps rtltcp_ops = {
  .start = rtltcp_start,
  .stop = rtltcp_stop,
  .set_center = rtltcp_set_center,
  .set_rate = rtltcp_set_rate,
  .set_gain = rtltcp_set_gain,
  .set_ppm = rtltcp_set_ppm,
  .get_gains = rtltcp_get_gains,
  .finalize = rtltcp_finalize,
  .set_bias_tee = rtltcp_set_bias_tee,
  .set_direct_sampling = rtltcp_set_direct_sampling,
  .set_offset_tuning = rtltcp_set_offset_tuning,
  .get_caps = rtltcp_get_caps,
};

FerSource *
fer_source_rtltcp_new (const char *spec, GError **error)
{
  g_autofree char *host = NULL;
  guint port = FER_RTLTCP_DEFAULT_PORT;
  const char *port_text = NULL;
  if (spec[0] == '[')
    {
      const char *close = strchr (spec, ']');
      if (close != NULL && (close[1] == '\0' || close[1] == ':'))
        {
          host = g_strndup (spec + 1, (gsize) (close - spec - 1));
          port_text = close[1] == ':' ? close + 2 : NULL;
        }
    }
  else
    {
      const char *colon = strrchr (spec, ':');
      if (colon != NULL && strchr (spec, ':') == colon)
        {
          host = g_strndup (spec, (gsize) (colon - spec));
          port_text = colon + 1;
        }
      else if (colon == NULL)
        host = g_strdup (spec);
    }
  if (port_text != NULL)
    {
      char *end = NULL;
      guint64 p = g_ascii_strtoull (port_text, &end, 10);
      port = end != port_text && *end == '\0' && p >= 1 && p <= 65535 ? (guint) p : 0;
    }
  if (host == NULL || *host == '\0' || port == 0)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "'%s' is not an rtl_tcp server (HOST or HOST:PORT, e.g. 192.168.1.5:1234)",
                   spec);
      return NULL;
    }

  FerRtlTcpSource *self = g_new0 (FerRtlTcpSource, 1);
  self->host = g_steal_pointer (&host);
  self->port = (guint16) port;
  self->label = strchr (self->host, ':') ? g_strdup_printf ("[%s]:%u", self->host, port)
                                          : g_strdup_printf ("%s:%u", self->host, port);
  self->fd = -1;
  pthread_mutex_init (&self->lock, NULL);
  self->settings = (Settings) { 100e6, 2.4e6, NAN, 0, -1, -1, -1 };
  atomic_init (&self->connected, false);
  atomic_init (&self->tuner_type, 0);
  g_autofree char *name = g_strdup_printf ("rtl_tcp %s", self->label);
  fer_source_init (&self->parent, &rtltcp_ops, FER_SOURCE_KIND_NETWORK, name, FER_SAMPLE_CU8,
                   TRUE);
  self->parent.min_center_hz = 0;
  self->parent.max_center_hz = MAX_CENTER_HZ;
  fer_source_set_stamp (&self->parent, self->settings.center_hz, self->settings.rate_hz);
  return &self->parent;
}

gboolean
fer_source_is_rtltcp (FerSource *source)
{
  return source != NULL && source->ops == &rtltcp_ops;
}

void
fer_source_rtltcp_set_state_func (FerSource *source, FerDongleStateFunc func,
                                  gpointer user_data)
{
  g_return_if_fail (fer_source_is_rtltcp (source));
  FerRtlTcpSource *self = (FerRtlTcpSource *) source;
  pthread_mutex_lock (&self->lock);
  self->state_func = func;
  self->state_data = user_data;
  pthread_mutex_unlock (&self->lock);
}

gboolean
fer_source_rtltcp_is_connected (FerSource *source)
{
  g_return_val_if_fail (fer_source_is_rtltcp (source), FALSE);
  return atomic_load (&((FerRtlTcpSource *) source)->connected);
}

guint32
fer_source_rtltcp_get_tuner_type (FerSource *source)
{
  g_return_val_if_fail (fer_source_is_rtltcp (source), 0);
  return atomic_load (&((FerRtlTcpSource *) source)->tuner_type);
}
