/* services.h - what runs beside a receiver when the command line asks:
 * an IQ recording (--iq-out), the rtl_tcp server (--serve-rtl-tcp), rigctl
 * remote control (--rigctl) and UDP audio (--udp-audio).
 *
 * Each is also usable on its own (iq-recorder.h, rtltcp-server.h, rigctl.h,
 * audio/udp-out.h); this starts the ones asked for and stops them in the
 * right order.
 */
#pragma once

#include "receiver.h"

G_BEGIN_DECLS

typedef struct {
  const char *iq_out;         /* a file: raw, .wav or .sigmf-data/.sigmf-meta */
  const char *iq_format;      /* cu8, cs8, cs16, cf32; NULL = from the name or the source */
  const char *serve_rtl_tcp;  /* [ADDR:]PORT */
  const char *rigctl;         /* [ADDR:]PORT */
  const char *udp_audio;      /* HOST:PORT */
  gboolean udp_stereo;
} FerServicesOptions;

typedef struct _FerServices FerServices;

/* Starts what @options ask for, on @receiver (borrowed; started or not).
 * FALSE with one message on a bad address, a port in use, a file that
 * cannot be created. Main thread (rigctl answers on its main context). */
FerServices *fer_services_new (FerReceiver *receiver, const FerServicesOptions *options,
                               GError **error);
/* Stops them; call after fer_receiver_stop so that a recording holds all
 * the receiver heard. FALSE with the error if the recording failed. Frees. */
gboolean fer_services_stop (FerServices *services, GError **error);

/* "[ADDR:]PORT" (@default_host when there is no address; [v6]:PORT for
 * IPv6) or, with @need_host, "HOST:PORT". */
gboolean fer_parse_host_port (const char *text, const char *default_host, gboolean need_host,
                              char **host, guint16 *port, GError **error);

G_END_DECLS
