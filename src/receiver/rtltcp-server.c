#define G_LOG_DOMAIN "fer-rtltcp-server"

#include "rtltcp-server.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "block-fifo.h"
#include "device/iqfile.h"
#include "device/rtl2832.h"
#include "device/rtltcp-proto.h"
#include "device/source-dongle.h"

/* 2 MiB between the DSP thread and the server thread. */
#define FIFO_BLOCKS 64
#define FIFO_BLOCK_BYTES (32 * 1024)
/* 0.9 s of cu8 at 2.4 MS/s per client for the network to catch up. */
#define CLIENT_BUFFER_BYTES (4 * 1024 * 1024)
#define MAX_CLIENTS 16
/* How long the server sleeps when nothing happens: also the most a block
 * waits before it is sent. */
#define POLL_MS 5
#define READ_BYTES 512

typedef struct {
  int fd;
  guint8 *buf;                   /* owned; CLIENT_BUFFER_BYTES ring */
  gsize head, fill;
  FerRtlTcpCommandReader reader;
} Client;

struct _FerRtlTcpServer {
  FerReceiver *receiver;         /* borrowed */
  guint tap_id;
  FerBlockFifo *fifo;            /* owned */
  int listen_fd;
  guint16 port;
  guint max_clients;
  guint32 tuner_type, n_gains;
  GThread *thread;
  atomic_bool stopping;
  atomic_bool has_clients;       /* the tap copies only while someone listens */

  /* thread: server */
  Client *clients[MAX_CLIENTS];
  guint n_clients;
  guint8 *scratch;               /* a block as cu8 */
  double manual_gain_db;         /* last gain a client set; NAN = none yet */

  _Atomic guint n_clients_now;
  _Atomic guint64 n_connections, n_refused, n_commands, n_bytes_sent, n_client_drops;
};

/* thread: dsp */
static void
on_block (const FerBlock *block, gpointer user_data)
{
  FerRtlTcpServer *self = user_data;
  if (atomic_load (&self->has_clients))
    fer_block_fifo_push_copy (self->fifo, block);
}

/* --- clients -------------------------------------------------------------------- */

/* Queues @n bytes for @c whole, or not at all (FALSE). */
static gboolean
client_queue (Client *c, const guint8 *data, gsize n)
{
  if (CLIENT_BUFFER_BYTES - c->fill < n)
    return FALSE;
  gsize tail = (c->head + c->fill) % CLIENT_BUFFER_BYTES;
  gsize first = MIN (n, CLIENT_BUFFER_BYTES - tail);
  memcpy (c->buf + tail, data, first);
  memcpy (c->buf, data + first, n - first);
  c->fill += n;
  return TRUE;
}

/* Sends what the socket takes now; FALSE when the client is gone. */
static gboolean
client_send (FerRtlTcpServer *self, Client *c)
{
  while (c->fill > 0)
    {
      gsize n = MIN (c->fill, CLIENT_BUFFER_BYTES - c->head);
      ssize_t w = send (c->fd, c->buf + c->head, n, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (w < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
      c->head = (c->head + (gsize) w) % CLIENT_BUFFER_BYTES;
      c->fill -= (gsize) w;
      atomic_fetch_add (&self->n_bytes_sent, (guint64) w);
    }
  return TRUE;
}

static void
client_free (Client *c)
{
  close (c->fd);
  g_free (c->buf);
  g_free (c);
}

static void
drop_client (FerRtlTcpServer *self, guint i)
{
  client_free (self->clients[i]);
  self->clients[i] = self->clients[--self->n_clients];
  atomic_store (&self->n_clients_now, self->n_clients);
  atomic_store (&self->has_clients, self->n_clients > 0);
}

/* --- commands ------------------------------------------------------------------- */

static void
apply_command (guint8 code, guint32 param, gpointer user_data)
{
  FerRtlTcpServer *self = user_data;
  FerReceiver *rx = self->receiver;
  FerSource *source = fer_receiver_get_source (rx);
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;

  atomic_fetch_add (&self->n_commands, 1);
  switch (code)
    {
    case FER_RTLTCP_SET_FREQ:
      /* The client drives the shared dongle: the receiver listens where it
       * tunes, so that a later change of rate keeps this centre. */
      ok = fer_receiver_set_center (rx, param, &error) && fer_receiver_tune (rx, param, &error);
      break;
    case FER_RTLTCP_SET_SAMPLE_RATE:
      ok = fer_receiver_set_rate (rx, param, &error);
      break;
    case FER_RTLTCP_SET_GAIN_MODE:
      /* Manual mode takes effect with the gain that follows (or came before). */
      if (param == 0)
        ok = fer_receiver_set_gain (rx, NAN, &error);
      else if (!isnan (self->manual_gain_db))
        ok = fer_receiver_set_gain (rx, self->manual_gain_db, &error);
      break;
    case FER_RTLTCP_SET_GAIN:
      self->manual_gain_db = (gint32) param / 10.0;
      ok = fer_receiver_set_gain (rx, self->manual_gain_db, &error);
      break;
    case FER_RTLTCP_SET_FREQ_CORRECTION:
      {
        gint32 ppm = (gint32) param;
        ok = ppm >= -1000 && ppm <= 1000 && fer_receiver_set_ppm (rx, ppm, &error);
        break;
      }
    case FER_RTLTCP_SET_DIRECT_SAMPLING:
      ok = param <= 2 && fer_receiver_set_direct_sampling (
             rx, param == 0 ? FER_DIRECT_SAMPLING_OFF
                 : param == 1 ? FER_DIRECT_SAMPLING_I : FER_DIRECT_SAMPLING_Q, &error);
      break;
    case FER_RTLTCP_SET_OFFSET_TUNING:
      ok = fer_receiver_set_offset_tuning (rx, param != 0, &error);
      break;
    case FER_RTLTCP_SET_GAIN_BY_INDEX:
      {
        guint n = 0;
        const double *gains = fer_source_get_gains (source, &n);
        ok = param < n;
        if (ok)
          {
            self->manual_gain_db = gains[param];
            ok = fer_receiver_set_gain (rx, gains[param], &error);
          }
        break;
      }
    case FER_RTLTCP_SET_BIAS_TEE:
      ok = fer_receiver_set_bias_tee (rx, param != 0, &error);
      break;
    default:
      /* IF gain, test mode, the RTL AGC, crystals: a shared source keeps its own. */
      g_debug ("rtl_tcp command 0x%02x (%u) ignored", code, param);
      return;
    }
  if (!ok)
    g_debug ("rtl_tcp command 0x%02x (%u) not taken: %s", code, param,
             error ? error->message : "out of range");
}

/* --- the server thread ------------------------------------------------------------ */

static void
accept_clients (FerRtlTcpServer *self)
{
  for (;;)
    {
      int fd = accept4 (self->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0)
        return;
      /* Clients that hung up but were not noticed yet make room first. */
      for (guint i = self->n_clients; self->n_clients >= self->max_clients && i-- > 0;)
        {
          guint8 b;
          if (recv (self->clients[i]->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
            drop_client (self, i);
        }
      if (self->n_clients >= self->max_clients)
        {
          /* Closed before the greeting: the client sees the server hang up. */
          atomic_fetch_add (&self->n_refused, 1);
          close (fd);
          continue;
        }
      Client *c = g_new0 (Client, 1);
      c->fd = fd;
      c->buf = g_malloc (CLIENT_BUFFER_BYTES);
      guint8 greeting[FER_RTLTCP_GREETING_BYTES];
      fer_rtltcp_greeting_encode (greeting, self->tuner_type, self->n_gains);
      client_queue (c, greeting, sizeof greeting);
      self->clients[self->n_clients++] = c;
      atomic_fetch_add (&self->n_connections, 1);
      atomic_store (&self->n_clients_now, self->n_clients);
      atomic_store (&self->has_clients, true);
    }
}

/* Hands the queued blocks to every client, as cu8. */
static void
distribute (FerRtlTcpServer *self)
{
  FerBlock *block;
  while ((block = fer_block_fifo_pop (self->fifo, 0)) != NULL)
    {
      gsize n_samples = block->n_bytes / fer_sample_format_bytes (block->format);
      const guint8 *data = block->data;
      if (block->format != FER_SAMPLE_CU8)
        {
          fer_iq_convert (block->format, block->data, n_samples, FER_SAMPLE_CU8, self->scratch);
          data = self->scratch;
        }
      for (guint i = 0; i < self->n_clients; i++)
        if (!client_queue (self->clients[i], data, 2 * n_samples))
          atomic_fetch_add (&self->n_client_drops, 1);
      fer_block_release (block);
    }
}

static gpointer
server_thread (gpointer data)
{
  FerRtlTcpServer *self = data;
  struct pollfd fds[MAX_CLIENTS + 1];
  guint8 buf[READ_BYTES];

  while (!atomic_load (&self->stopping))
    {
      fds[0] = (struct pollfd) { self->listen_fd, POLLIN, 0 };
      for (guint i = 0; i < self->n_clients; i++)
        fds[i + 1] = (struct pollfd) { self->clients[i]->fd,
                                       POLLIN | (self->clients[i]->fill > 0 ? POLLOUT : 0), 0 };
      guint n_fds = self->n_clients + 1;
      if (poll (fds, n_fds, POLL_MS) < 0 && errno != EINTR)
        g_usleep (POLL_MS * 1000);

      /* Clients first, by the poll's numbering, before accept changes it. */
      for (guint i = n_fds - 1; i >= 1; i--)
        {
          Client *c = self->clients[i - 1];
          gboolean gone = (fds[i].revents & (POLLERR | POLLNVAL)) != 0;
          if (!gone && (fds[i].revents & (POLLIN | POLLHUP)))
            {
              ssize_t r = recv (c->fd, buf, sizeof buf, MSG_DONTWAIT);
              if (r > 0)
                fer_rtltcp_command_reader_feed (&c->reader, buf, (gsize) r, apply_command, self);
              else if (r == 0 || (errno != EAGAIN && errno != EINTR))
                gone = TRUE;
            }
          if (gone)
            drop_client (self, i - 1);
        }
      if (fds[0].revents & POLLIN)
        accept_clients (self);

      distribute (self);
      for (guint i = self->n_clients; i-- > 0;)
        if (!client_send (self, self->clients[i]))
          drop_client (self, i);
    }
  while (self->n_clients > 0)
    drop_client (self, self->n_clients - 1);
  return NULL;
}

/* --- setting up ------------------------------------------------------------------ */

static int
listen_on (const char *address, guint16 port, guint16 *bound, GError **error)
{
  struct addrinfo hints = { 0 }, *res = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  char service[8];
  g_snprintf (service, sizeof service, "%u", port);
  int rc = getaddrinfo (address, service, &hints, &res);
  if (rc != 0)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "rtl_tcp server: '%s' is not an IP address", address);
      return -1;
    }
  int fd = socket (res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd >= 0)
    setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind (fd, res->ai_addr, res->ai_addrlen) != 0 || listen (fd, 4) != 0)
    {
      int err = errno;
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FAILED,
                   "rtl_tcp server on %s port %u: %s", address, port, g_strerror (err));
      if (fd >= 0)
        close (fd);
      freeaddrinfo (res);
      return -1;
    }
  freeaddrinfo (res);
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  getsockname (fd, (struct sockaddr *) &ss, &len);
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  getnameinfo ((struct sockaddr *) &ss, len, host, sizeof host, serv, sizeof serv,
               NI_NUMERICHOST | NI_NUMERICSERV);
  *bound = (guint16) atoi (serv);
  return fd;
}

FerRtlTcpServer *
fer_rtltcp_server_new (FerReceiver *receiver, const char *address, guint16 port,
                       guint max_clients, GError **error)
{
  guint16 bound = 0;
  int fd = listen_on (address ? address : "127.0.0.1", port, &bound, error);
  if (fd < 0)
    return NULL;

  FerRtlTcpServer *self = g_new0 (FerRtlTcpServer, 1);
  self->receiver = receiver;
  self->listen_fd = fd;
  self->port = bound;
  self->max_clients = CLAMP (max_clients, 1, MAX_CLIENTS);
  self->manual_gain_db = NAN;
  FerSource *source = fer_receiver_get_source (receiver);
  guint n_gains = 0;
  fer_source_get_gains (source, &n_gains);
  self->n_gains = n_gains;
  FerRtl2832 *rtl = fer_source_is_dongle (source) ? fer_source_dongle_get_rtl2832 (source)
                                                   : NULL;
  self->tuner_type = rtl ? fer_rtltcp_tuner_from_name (fer_rtl2832_get_tuner_name (rtl))
                         : FER_RTLTCP_TUNER_UNKNOWN;
  /* cu8 takes a quarter of cf32, the widest input. */
  self->scratch = g_malloc (FIFO_BLOCK_BYTES);
  self->fifo = fer_block_fifo_new (FIFO_BLOCKS, FIFO_BLOCK_BYTES);
  atomic_init (&self->stopping, false);
  atomic_init (&self->has_clients, false);
  atomic_init (&self->n_clients_now, 0);
  atomic_init (&self->n_connections, 0);
  atomic_init (&self->n_refused, 0);
  atomic_init (&self->n_commands, 0);
  atomic_init (&self->n_bytes_sent, 0);
  atomic_init (&self->n_client_drops, 0);
  self->thread = g_thread_new ("fer-rtltcp-srv", server_thread, self);
  self->tap_id = fer_receiver_add_block_tap (receiver, on_block, self);
  if (self->tap_id == 0)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FAILED,
                   "Too many recordings and servers at once");
      fer_rtltcp_server_free (self);
      return NULL;
    }
  return self;
}

void
fer_rtltcp_server_free (FerRtlTcpServer *self)
{
  if (self == NULL)
    return;
  fer_receiver_remove_tap (self->receiver, self->tap_id);
  atomic_store (&self->stopping, true);
  g_thread_join (self->thread);
  close (self->listen_fd);
  fer_block_fifo_free (self->fifo);
  g_free (self->scratch);
  g_free (self);
}

guint16
fer_rtltcp_server_get_port (FerRtlTcpServer *self)
{
  return self->port;
}

void
fer_rtltcp_server_get_stats (FerRtlTcpServer *self, FerRtlTcpServerStats *stats)
{
  stats->n_clients = atomic_load (&self->n_clients_now);
  stats->n_connections = atomic_load (&self->n_connections);
  stats->n_refused = atomic_load (&self->n_refused);
  stats->n_commands = atomic_load (&self->n_commands);
  stats->n_bytes_sent = atomic_load (&self->n_bytes_sent);
  stats->n_dropped_blocks = atomic_load (&self->n_client_drops)
                            + fer_block_fifo_get_n_dropped (self->fifo);
}
