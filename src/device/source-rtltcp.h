/* source-rtltcp.h - a dongle shared on the network by an rtl_tcp server.
 *
 * Connects on the source's own thread (nothing here waits on the network),
 * reads the greeting, sends the settings as rtl_tcp commands and streams
 * the cu8 samples as FerBlocks. A server that cannot be reached, hangs up
 * or stops sending is reported through the state function and tried again
 * every second, for as long as the source runs; the first block after a
 * reconnect is marked as a discontinuity. Only a host name that does not
 * resolve, or a peer that is not an rtl_tcp server, ends the stream.
 */
#pragma once

#include "source.h"
#include "source-dongle.h"

G_BEGIN_DECLS

/* @spec: "HOST[:PORT]" ([v6 address]:PORT for IPv6; port 1234 by default).
 * Fails with FER_SOURCE_ERROR_INVALID on a malformed spec; no I/O. */
FerSource *fer_source_rtltcp_new (const char *spec, GError **error);
gboolean fer_source_is_rtltcp (FerSource *source);
/* Who hears about connects, losses and retries (one listener; NULL
 * removes it). Called on the source's thread; CONNECTED when streaming,
 * DISCONNECTED when it lost the server or the server went quiet,
 * REOPEN_FAILED when a new attempt failed. */
void fer_source_rtltcp_set_state_func (FerSource *source, FerDongleStateFunc func,
                                       gpointer user_data);
gboolean fer_source_rtltcp_is_connected (FerSource *source);
/* The tuner the server reported (rtltcp-proto.h), 0 before the greeting. */
guint32 fer_source_rtltcp_get_tuner_type (FerSource *source);

G_END_DECLS
