#define G_LOG_DOMAIN "fer-rigctl"

#include "rigctl.h"

#include <gio/gio.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

/* A client that lets this much of our replies pile up does not read them. */
#define MAX_PENDING_OUTPUT (64 * 1024)
#define MAX_CLIENTS 8
#define READ_BYTES 4096
/* After M, m reports the passband asked for until the DSP thread applied it. */
#define PENDING_MODE_US (500 * 1000)
#define MAX_FREQ_HZ 1e12
#define SQUELCH_OPEN_DB -150.0

/* --- the protocol ------------------------------------------------------------ */

struct _FerRigctlSession {
  const FerRigctlOps *ops;
  gpointer user_data;
  GString *line;
  gboolean overflow;          /* the line being read is too long: discard to its end */
  gboolean closed;
  FerMode pending_mode;
  double pending_passband;
  gint64 pending_until_us;
};

/* Names the Hamlib client and gqrx use, and the mode each means here. */
static const struct { const char *name; FerMode mode; } mode_names[] = {
  { "AM", FER_MODE_AM }, { "AMS", FER_MODE_AM_SYNC }, { "LSB", FER_MODE_LSB },
  { "USB", FER_MODE_USB }, { "CW", FER_MODE_CW }, { "CWU", FER_MODE_CW },
  { "CWR", FER_MODE_CW }, { "CWL", FER_MODE_CW }, { "FM", FER_MODE_NFM },
  { "WFM", FER_MODE_WFM }, { "WFM_ST", FER_MODE_WFM_STEREO },
  { "WFM_ST_OIRT", FER_MODE_WFM_STEREO }, { "DSB", FER_MODE_DSB }, { "RAW", FER_MODE_RAW },
};

static const char *
mode_to_name (FerMode mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (mode_names[i].mode == mode)
      return mode_names[i].name;
  return "ERR";
}

FerRigctlSession *
fer_rigctl_session_new (const FerRigctlOps *ops, gpointer user_data)
{
  FerRigctlSession *s = g_new0 (FerRigctlSession, 1);
  s->ops = ops;
  s->user_data = user_data;
  s->line = g_string_sized_new (64);
  return s;
}

void
fer_rigctl_session_free (FerRigctlSession *s)
{
  if (s == NULL)
    return;
  g_string_free (s->line, TRUE);
  g_free (s);
}

/* A number with nothing after it. */
static gboolean
parse_double (const char *text, double *out)
{
  if (text == NULL)
    return FALSE;
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static void
reply_code (GString *out, gboolean ok)
{
  g_string_append (out, ok ? "RPRT 0\n" : "RPRT 1\n");
}

/* What a Hamlib client reads at connect: protocol 0, model 2 (NET rigctl),
 * receive-only 0 Hz - 10 GHz, tuning steps, filter widths, and which
 * levels can be read (SQL, STRENGTH) and set (SQL). */
static const char dump_state[] =
  "0\n2\n1\n"
  "0.000000 10000000000.000000 0x2ef -1 -1 0x1 0x0\n"
  "0 0 0 0 0 0 0\n"
  "0 0 0 0 0 0 0\n"
  "0xef 1\n0xef 0\n0 0\n"
  "0x82 500\n0x82 200\n0x82 2000\n"
  "0x221 10000\n0x221 5000\n0x221 20000\n"
  "0x0c 2700\n0x0c 1400\n0x0c 3900\n"
  "0x40 160000\n0x40 120000\n0x40 200000\n"
  "0 0\n0\n0\n0\n0\n0\n0\n0\n0\n"
  "0x40000020\n0x20\n0\n0\n";

static void
handle_line (FerRigctlSession *s, char *line, GString *out)
{
  const FerRigctlOps *ops = s->ops;
  gpointer d = s->user_data;
  char *argv[4] = { NULL, NULL, NULL, NULL };
  guint argc = 0;
  char *save = NULL;
  for (char *tok = strtok_r (line, " \t", &save); tok != NULL && argc < G_N_ELEMENTS (argv);
       tok = strtok_r (NULL, " \t", &save))
    argv[argc++] = tok;
  if (argc == 0)
    return;
  const char *cmd = argv[0];
  double v;

  if (strcmp (cmd, "f") == 0)
    g_string_append_printf (out, "%.0f\n", ops->get_freq (d));
  else if (strcmp (cmd, "F") == 0)
    reply_code (out, parse_double (argv[1], &v) && v > 0 && v < MAX_FREQ_HZ
                     && ops->set_freq (d, v));
  else if (strcmp (cmd, "m") == 0)
    {
      double passband = 0;
      FerMode mode = ops->get_mode (d, &passband);
      if (mode == s->pending_mode && g_get_monotonic_time () < s->pending_until_us)
        passband = s->pending_passband;
      g_string_append_printf (out, "%s\n%.0f\n", mode_to_name (mode), passband);
    }
  else if (strcmp (cmd, "M") == 0)
    {
      if (g_strcmp0 (argv[1], "?") == 0)
        {
          g_string_append (out, "AM AMS LSB USB CW CWR FM WFM WFM_ST DSB RAW\n");
          return;
        }
      gboolean found = FALSE;
      FerMode mode = FER_MODE_WFM;
      for (guint i = 0; argv[1] != NULL && i < G_N_ELEMENTS (mode_names); i++)
        if (g_ascii_strcasecmp (argv[1], mode_names[i].name) == 0)
          {
            mode = mode_names[i].mode;
            found = TRUE;
          }
      double passband = 0;
      /* 0 and -1 (Hamlib's "no change") keep the mode's default. */
      if (argv[2] != NULL && (!parse_double (argv[2], &passband) || passband > 1e7))
        found = FALSE;
      if (found && passband > 0)
        {
          double lo, hi;
          fer_mode_bandwidth_range (mode, &lo, &hi);
          passband = CLAMP (passband, lo, hi);
        }
      else
        passband = 0;
      gboolean ok = found && ops->set_mode (d, mode, passband);
      if (ok)
        {
          s->pending_mode = mode;
          s->pending_passband = passband > 0 ? passband : fer_mode_default_bandwidth (mode);
          s->pending_until_us = g_get_monotonic_time () + PENDING_MODE_US;
        }
      reply_code (out, ok);
    }
  else if (strcmp (cmd, "l") == 0)
    {
      if (g_strcmp0 (argv[1], "?") == 0)
        g_string_append (out, "SQL STRENGTH\n");
      else if (argv[1] == NULL || g_ascii_strcasecmp (argv[1], "STRENGTH") == 0)
        g_string_append_printf (out, "%.1f\n", ops->get_strength (d));
      else if (g_ascii_strcasecmp (argv[1], "SQL") == 0)
        g_string_append_printf (out, "%.1f\n", ops->get_squelch (d));
      else
        reply_code (out, FALSE);
    }
  else if (strcmp (cmd, "L") == 0)
    {
      if (g_strcmp0 (argv[1], "?") == 0)
        g_string_append (out, "SQL\n");
      else if (argv[1] != NULL && g_ascii_strcasecmp (argv[1], "SQL") == 0
               && parse_double (argv[2], &v))
        {
          ops->set_squelch (d, CLAMP (v, SQUELCH_OPEN_DB, 0.0));
          reply_code (out, TRUE);
        }
      else
        reply_code (out, FALSE);
    }
  else if (strcmp (cmd, "u") == 0 || strcmp (cmd, "U") == 0)
    {
      gboolean set = cmd[0] == 'U';
      if (g_strcmp0 (argv[1], "?") == 0)
        g_string_append (out, "RECORD\n");
      else if (argv[1] == NULL || g_ascii_strcasecmp (argv[1], "RECORD") != 0
               || ops->get_recording == NULL)
        reply_code (out, FALSE);
      else if (!set)
        g_string_append (out, ops->get_recording (d) ? "1\n" : "0\n");
      else if (!parse_double (argv[2], &v))
        reply_code (out, FALSE);
      else
        reply_code (out, ops->set_recording (d, v != 0));
    }
  else if (strcmp (cmd, "AOS") == 0 || strcmp (cmd, "LOS") == 0)
    {
      /* A pass begins or ends: recording follows it, where there is one. */
      if (ops->set_recording != NULL)
        ops->set_recording (d, cmd[0] == 'A');
      reply_code (out, TRUE);
    }
  else if (strcmp (cmd, "p") == 0)
    {
      char *value = NULL;
      if (g_strcmp0 (argv[1], "?") == 0)
        g_string_append (out, "RDS_PI RDS_PS_NAME RDS_RADIOTEXT\n");
      else if (argv[1] != NULL && ops->get_rds != NULL
               && (value = ops->get_rds (d, argv[1])) != NULL)
        g_string_append_printf (out, "%s\n", value);
      else
        reply_code (out, FALSE);
      g_free (value);
    }
  else if (strcmp (cmd, "v") == 0)
    g_string_append (out, "VFOA\n");
  else if (strcmp (cmd, "V") == 0)
    {
      if (g_strcmp0 (argv[1], "?") == 0)
        g_string_append (out, "VFOA\n");
      else
        reply_code (out, g_strcmp0 (argv[1], "VFOA") == 0);
    }
  else if (strcmp (cmd, "s") == 0)
    g_string_append (out, "0\nVFOA\n");
  else if (strcmp (cmd, "S") == 0)
    reply_code (out, FALSE);
  else if (strcmp (cmd, "_") == 0)
    g_string_append (out, "Ferrite " FER_VERSION "\n");
  else if (strcmp (cmd, "\\chk_vfo") == 0)
    g_string_append (out, "0\n");
  else if (strcmp (cmd, "\\dump_state") == 0)
    g_string_append (out, dump_state);
  else if (strcmp (cmd, "\\get_powerstat") == 0)
    g_string_append (out, "1\n");
  else if (strcmp (cmd, "\\get_lock_mode") == 0)
    g_string_append (out, "0\n");   /* Hamlib 4.5 asks before each M; unanswered, M is dropped */
  else if (strcmp (cmd, "q") == 0 || strcmp (cmd, "Q") == 0)
    s->closed = TRUE;
  else
    reply_code (out, FALSE);
}

gboolean
fer_rigctl_session_feed (FerRigctlSession *s, const char *data, gsize n_bytes, GString *out)
{
  for (gsize i = 0; i < n_bytes && !s->closed; i++)
    {
      char c = data[i];
      if (c == '\n')
        {
          if (s->overflow)
            reply_code (out, FALSE);
          else
            {
              if (s->line->len > 0 && s->line->str[s->line->len - 1] == '\r')
                g_string_truncate (s->line, s->line->len - 1);
              /* An embedded NUL ends the command there. */
              handle_line (s, s->line->str, out);
            }
          g_string_truncate (s->line, 0);
          s->overflow = FALSE;
        }
      else if (s->overflow)
        continue;
      else if (s->line->len >= FER_RIGCTL_MAX_LINE)
        s->overflow = TRUE;
      else
        g_string_append_c (s->line, c);
    }
  return !s->closed;
}

/* --- the server ------------------------------------------------------------- */

struct _FerRigctl {
  FerReceiver *receiver;       /* borrowed */
  GSocketService *service;     /* owned */
  guint16 port;
  GCancellable *cancellable;   /* owned; cancels every client's I/O */
  GMainContext *context;       /* owned ref; where it answers */
  GPtrArray *clients;          /* Client *, not owned (each frees itself) */
  gboolean shutting_down;
  gboolean (*get_recording) (gpointer);
  gboolean (*set_recording) (gpointer, gboolean);
  gpointer record_data;
  FerRigctlOps ops;
};

typedef struct {
  FerRigctl *server;           /* NULL if the server gave up waiting for it */
  GSocketConnection *conn;     /* owned */
  FerRigctlSession *session;   /* owned */
  guint8 buf[READ_BYTES];
  GString *out;                /* replies not yet handed to the socket */
  GString *writing;            /* replies being written */
  gboolean reading, closing;
} Client;

static void client_read (Client *c);
static void client_flush (Client *c);

static void
client_free_if_idle (Client *c)
{
  if (c->reading || c->writing->len > 0)
    return;
  if (c->server != NULL)
    g_ptr_array_remove (c->server->clients, c);
  g_io_stream_close (G_IO_STREAM (c->conn), NULL, NULL);
  g_object_unref (c->conn);
  fer_rigctl_session_free (c->session);
  g_string_free (c->out, TRUE);
  g_string_free (c->writing, TRUE);
  g_free (c);
}

static void
on_written (GObject *stream, GAsyncResult *res, gpointer data)
{
  Client *c = data;
  g_autoptr (GError) error = NULL;
  gsize n = 0;
  gboolean ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (stream), res, &n, &error);
  g_string_truncate (c->writing, 0);
  if (!ok || c->server == NULL || c->server->shutting_down)
    c->closing = TRUE;
  if (c->closing)
    {
      client_free_if_idle (c);
      return;
    }
  client_flush (c);
}

static void
client_flush (Client *c)
{
  if (c->writing->len > 0 || c->out->len == 0)
    {
      if (c->closing)
        client_free_if_idle (c);
      return;
    }
  GString *t = c->writing;
  c->writing = c->out;
  c->out = t;
  GOutputStream *os = g_io_stream_get_output_stream (G_IO_STREAM (c->conn));
  g_output_stream_write_all_async (os, c->writing->str, c->writing->len, G_PRIORITY_DEFAULT,
                                   c->server->cancellable, on_written, c);
}

static void
on_read (GObject *stream, GAsyncResult *res, gpointer data)
{
  Client *c = data;
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (stream), res, &error);
  c->reading = FALSE;
  if (n <= 0 || c->server == NULL || c->server->shutting_down)
    {
      c->closing = TRUE;
      client_free_if_idle (c);
      return;
    }
  gboolean open = fer_rigctl_session_feed (c->session, (const char *) c->buf, (gsize) n, c->out);
  if (!open || c->out->len + c->writing->len > MAX_PENDING_OUTPUT)
    {
      /* Asked to close, or not reading what it asked for. */
      c->closing = TRUE;
      g_string_truncate (c->out, 0);
      client_free_if_idle (c);
      return;
    }
  client_flush (c);
  client_read (c);
}

static void
client_read (Client *c)
{
  GInputStream *is = g_io_stream_get_input_stream (G_IO_STREAM (c->conn));
  c->reading = TRUE;
  g_input_stream_read_async (is, c->buf, sizeof c->buf, G_PRIORITY_DEFAULT,
                             c->server->cancellable, on_read, c);
}

static gboolean
on_incoming (GSocketService *service, GSocketConnection *conn, GObject *source, gpointer data)
{
  FerRigctl *self = data;
  if (self->clients->len >= MAX_CLIENTS)
    {
      g_debug ("refusing a rigctl client: %d connected", MAX_CLIENTS);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      return TRUE;
    }
  Client *c = g_new0 (Client, 1);
  c->server = self;
  c->conn = g_object_ref (conn);
  c->session = fer_rigctl_session_new (&self->ops, self);
  c->out = g_string_new (NULL);
  c->writing = g_string_new (NULL);
  g_socket_set_option (g_socket_connection_get_socket (conn), IPPROTO_TCP, TCP_NODELAY, 1,
                       NULL);
  g_ptr_array_add (self->clients, c);
  client_read (c);
  return TRUE;
}

/* --- on the receiver ----------------------------------------------------------- */

static double
rx_get_freq (gpointer d)
{
  return fer_receiver_get_freq (((FerRigctl *) d)->receiver);
}

static gboolean
rx_set_freq (gpointer d, double hz)
{
  return fer_receiver_tune (((FerRigctl *) d)->receiver, hz, NULL);
}

static FerMode
rx_get_mode (gpointer d, double *passband)
{
  FerReceiver *rx = ((FerRigctl *) d)->receiver;
  *passband = fer_receiver_get_bandwidth (rx);
  return fer_receiver_get_mode (rx);
}

static gboolean
rx_set_mode (gpointer d, FerMode mode, double passband)
{
  FerReceiver *rx = ((FerRigctl *) d)->receiver;
  fer_receiver_set_mode (rx, mode);
  if (passband > 0)
    fer_receiver_set_bandwidth (rx, passband);
  return TRUE;
}

static double
rx_get_strength (gpointer d)
{
  FerReceiverSignal sig;
  fer_receiver_get_signal (((FerRigctl *) d)->receiver, &sig);
  return MAX (sig.level_dbfs, -200.0);
}

static double
rx_get_squelch (gpointer d)
{
  double db;
  FerSquelchMode mode = fer_receiver_get_squelch (((FerRigctl *) d)->receiver, &db);
  return mode == FER_SQUELCH_LEVEL ? db : SQUELCH_OPEN_DB;
}

static void
rx_set_squelch (gpointer d, double dbfs)
{
  FerReceiver *rx = ((FerRigctl *) d)->receiver;
  if (dbfs <= SQUELCH_OPEN_DB)
    fer_receiver_set_squelch (rx, FER_SQUELCH_OFF, dbfs);
  else
    fer_receiver_set_squelch (rx, FER_SQUELCH_LEVEL, dbfs);
}

static gboolean
rx_get_recording (gpointer d)
{
  FerRigctl *self = d;
  return self->get_recording != NULL && self->get_recording (self->record_data);
}

static gboolean
rx_set_recording (gpointer d, gboolean on)
{
  FerRigctl *self = d;
  return self->set_recording != NULL && self->set_recording (self->record_data, on);
}

static char *
rx_get_rds (gpointer d, const char *name)
{
  FerRdsState st;
  fer_receiver_get_rds (((FerRigctl *) d)->receiver, &st);
  if (g_ascii_strcasecmp (name, "RDS_PI") == 0)
    return g_strdup_printf ("%04X", st.has_pi ? st.pi : 0);
  if (g_ascii_strcasecmp (name, "RDS_PS_NAME") == 0)
    return g_strdup (st.ps);
  if (g_ascii_strcasecmp (name, "RDS_RADIOTEXT") == 0)
    return g_strdup (st.rt);
  return NULL;
}

FerRigctl *
fer_rigctl_new (FerReceiver *receiver, const char *address, guint16 port, GError **error)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address ? address
                                                                          : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "rigctl: '%s' is not an IP address", address);
      return NULL;
    }
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (inet, port);
  FerRigctl *self = g_new0 (FerRigctl, 1);
  self->receiver = receiver;
  self->service = g_socket_service_new ();
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
  self->clients = g_ptr_array_new ();
  self->ops = (FerRigctlOps) { rx_get_freq, rx_set_freq, rx_get_mode, rx_set_mode,
                               rx_get_strength, rx_get_squelch, rx_set_squelch,
                               NULL, NULL, rx_get_rds };
  g_autoptr (GSocketAddress) effective = NULL;
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), addr,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, error))
    {
      g_prefix_error (error, "rigctl on %s port %u: ", address ? address : "127.0.0.1", port);
      fer_rigctl_free (self);
      return NULL;
    }
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);
  return self;
}

void
fer_rigctl_set_record_funcs (FerRigctl *self, gboolean (*get) (gpointer),
                             gboolean (*set) (gpointer, gboolean), gpointer user_data)
{
  self->get_recording = get;
  self->set_recording = set;
  self->record_data = user_data;
  self->ops.get_recording = get != NULL ? rx_get_recording : NULL;
  self->ops.set_recording = set != NULL ? rx_set_recording : NULL;
}

guint16
fer_rigctl_get_port (FerRigctl *self)
{
  return self->port;
}

guint
fer_rigctl_get_n_clients (FerRigctl *self)
{
  return self->clients->len;
}

void
fer_rigctl_free (FerRigctl *self)
{
  if (self == NULL)
    return;
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_signal_handlers_disconnect_by_data (self->service, self);
  /* Each client frees itself when its cancelled read or write comes back:
   * wait for that, so nothing is left behind (a headless run ends here). */
  self->shutting_down = TRUE;
  g_cancellable_cancel (self->cancellable);
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (self->clients->len > 0 && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (self->context, FALSE))
      g_usleep (1000);
  for (guint i = 0; i < self->clients->len; i++)
    ((Client *) self->clients->pdata[i])->server = NULL;
  g_ptr_array_unref (self->clients);
  g_main_context_unref (self->context);
  g_object_unref (self->cancellable);
  g_object_unref (self->service);
  g_free (self);
}
