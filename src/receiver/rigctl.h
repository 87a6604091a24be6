/* rigctl.h - remote control over TCP in the rigctl dialect gqrx speaks.
 *
 * Logging, satellite-tracking and scanning programs (and Hamlib's own
 * `rigctl -m 2 -r HOST:PORT`) drive a receiver with one command per line:
 *   f / F HZ            frequency
 *   m / M MODE [PB]     mode and passband (AM AMS LSB USB CW CWR FM WFM WFM_ST RAW ...)
 *   l STRENGTH | SQL    signal level (dBFS), squelch level
 *   L SQL DBFS          set the squelch level
 *   u / U RECORD [0|1]  audio recording
 *   AOS / LOS           a satellite pass begins / ends: recording on / off
 *   p RDS_PI | RDS_PS_NAME | RDS_RADIOTEXT
 *   v V s S _ \chk_vfo \dump_state \get_powerstat \get_lock_mode q
 * Replies are the values, one a line, or "RPRT 0" (done) / "RPRT 1" (not).
 * Anything else, and any line longer than 1 KiB, gets "RPRT 1".
 *
 * The server answers on the GMainContext it was made in and never blocks
 * it: reads and writes are asynchronous, a client that does not read its
 * replies is disconnected.
 */
#pragma once

#include "receiver.h"

G_BEGIN_DECLS

#define FER_RIGCTL_DEFAULT_PORT 7356
#define FER_RIGCTL_MAX_LINE 1024

/* What the commands act on. */
typedef struct {
  double (*get_freq) (gpointer user_data);
  gboolean (*set_freq) (gpointer user_data, double freq_hz);
  FerMode (*get_mode) (gpointer user_data, double *passband_hz);
  /* @passband_hz: 0 = the mode's default. */
  gboolean (*set_mode) (gpointer user_data, FerMode mode, double passband_hz);
  double (*get_strength) (gpointer user_data);   /* dBFS */
  double (*get_squelch) (gpointer user_data);    /* dBFS; -150 when open */
  void (*set_squelch) (gpointer user_data, double dbfs);
  /* NULL: recording is not offered (RECORD gets RPRT 1). */
  gboolean (*get_recording) (gpointer user_data);
  gboolean (*set_recording) (gpointer user_data, gboolean on);
  /* An RDS field ("RDS_PI", "RDS_PS_NAME", "RDS_RADIOTEXT"), newly
   * allocated, or NULL. */
  char *(*get_rds) (gpointer user_data, const char *name);
} FerRigctlOps;

/* The protocol alone, for tests and fuzzing: one session's state. */
typedef struct _FerRigctlSession FerRigctlSession;

FerRigctlSession *fer_rigctl_session_new (const FerRigctlOps *ops, gpointer user_data);
void fer_rigctl_session_free (FerRigctlSession *session);
/* Feeds bytes as they arrive; replies are appended to @out. Returns FALSE
 * once the client said q (the rest is ignored). */
gboolean fer_rigctl_session_feed (FerRigctlSession *session, const char *data, gsize n_bytes,
                                  GString *out);

typedef struct _FerRigctl FerRigctl;

/* Listens on @address (NULL = 127.0.0.1) : @port for @receiver (borrowed,
 * must outlive the server). Errors: address in use, bad address. */
FerRigctl *fer_rigctl_new (FerReceiver *receiver, const char *address, guint16 port,
                           GError **error);
/* RECORD, AOS and LOS start and stop a recording through these (main
 * context); without them RECORD is refused. */
void fer_rigctl_set_record_funcs (FerRigctl *rigctl, gboolean (*get) (gpointer),
                                  gboolean (*set) (gpointer, gboolean), gpointer user_data);
/* The port it listens on (useful after asking for port 0). */
guint16 fer_rigctl_get_port (FerRigctl *rigctl);
guint fer_rigctl_get_n_clients (FerRigctl *rigctl);
/* Disconnects everyone and stops listening. */
void fer_rigctl_free (FerRigctl *rigctl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerRigctl, fer_rigctl_free)

G_END_DECLS
