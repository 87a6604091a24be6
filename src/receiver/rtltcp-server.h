/* rtltcp-server.h - shares the receiver's source on the network with the
 * rtl_tcp protocol (device/rtltcp-proto.h), for any rtl_tcp client (GNU
 * Radio's osmosdr source, SDR#, SDR++, another Ferrite).
 *
 * Any source can be shared: a dongle, the demo, a file (sent as cu8 however
 * it was recorded). The client's commands (frequency, rate, gain, ...) go
 * to the receiver and are applied between blocks; those the source cannot
 * follow are ignored. A block tap copies what the receiver gets; the
 * server's own thread sends it, so a slow client loses blocks (counted)
 * and never holds up the receiver. One client at a time by default: more
 * are refused by closing the connection before the greeting.
 */
#pragma once

#include "receiver.h"

G_BEGIN_DECLS

typedef struct _FerRtlTcpServer FerRtlTcpServer;

/* Listens on @address (NULL = 127.0.0.1; "0.0.0.0" or "::" for every
 * interface) : @port (0 = any free one) for @receiver (borrowed; running or
 * not, must outlive the server). @max_clients: at once (0 = 1). Errors:
 * a bad address, a port in use. Main thread. */
FerRtlTcpServer *fer_rtltcp_server_new (FerReceiver *receiver, const char *address,
                                        guint16 port, guint max_clients, GError **error);
/* Disconnects the clients and stops listening. */
void fer_rtltcp_server_free (FerRtlTcpServer *server);
guint16 fer_rtltcp_server_get_port (FerRtlTcpServer *server);

typedef struct {
  guint n_clients;           /* connected now */
  guint64 n_connections;     /* accepted so far */
  guint64 n_refused;         /* turned away: too many at once */
  guint64 n_commands;        /* commands received */
  guint64 n_bytes_sent;
  guint64 n_dropped_blocks;  /* not sent because a client (or the server) fell behind */
} FerRtlTcpServerStats;

/* For the window's status: any thread. */
void fer_rtltcp_server_get_stats (FerRtlTcpServer *server, FerRtlTcpServerStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerRtlTcpServer, fer_rtltcp_server_free)

G_END_DECLS
