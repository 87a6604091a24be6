/* sink-test-util.h - shared by the tests that play through FerAudioSink: the
 * state changes a window would see, a private PulseAudio server
 * (audio-server.sh) and recordings of its null sink's monitor.
 *
 * Linking sink-test-util.c also sets the sanitizers' defaults for the sound
 * libraries (see there). */
#pragma once

#include <glib.h>
#include <stdatomic.h>

#include "audio/sink.h"
#include "audio/wav.h"

G_BEGIN_DECLS

/* ---- state changes ---------------------------------------------------------- */

/* Written by the sink's one worker thread (fer_test_on_state), read by the
 * test: entries are filled in, then published by the release store of n.
 * Atomics, not a GMutex, so that ThreadSanitizer sees the synchronisation. */
#define FER_TEST_STATE_LOG_SIZE 64
typedef struct {
  atomic_uint n;
  FerAudioState states[FER_TEST_STATE_LOG_SIZE];
  char *messages[FER_TEST_STATE_LOG_SIZE];
  gint64 times_us[FER_TEST_STATE_LOG_SIZE];
} FerTestStateLog;

void fer_test_state_log_init (FerTestStateLog *log);
void fer_test_state_log_clear (FerTestStateLog *log);
guint fer_test_state_log_count (FerTestStateLog *log);
/* A FerAudioStateFunc; @data is the FerTestStateLog. */
void fer_test_on_state (FerAudioState state, const char *message, gpointer data);
/* Waits until @state is reported at index @from or later; returns its index,
 * or -1 after @timeout_s. */
int fer_test_state_log_wait (FerTestStateLog *log, guint from, FerAudioState state,
                             double timeout_s);

/* ---- the private server ------------------------------------------------------ */

typedef struct {
  char *dir;
  GPid pid;
} FerTestServer;

/* Starts a server through audio-server.sh and exports its variables into
 * this process (PULSE_SERVER, ALSA_CONFIG_PATH, AUDIO_MONITOR, ...). Call it
 * while no other thread runs: it changes the environment. */
void fer_test_server_start (FerTestServer *server);
/* Starts the server again in the same directory, on the same socket, after
 * it was killed: clients that look for it find it where it was. Any thread. */
void fer_test_server_restart (FerTestServer *server);
void fer_test_server_stop (FerTestServer *server);

/* ---- recording the sink's monitor --------------------------------------------- */

typedef struct {
  GPid pid;
  char *path;
} FerTestCapture;

/* parec on $AUDIO_MONITOR at 48 kHz into a WAV file in the server's directory. */
void fer_test_capture_start (FerTestCapture *capture, FerTestServer *server, guint channels,
                             const char *name);
/* Stops parec (SIGINT: it finishes the WAV header) and reads what it wrote. */
FerWav *fer_test_capture_stop (FerTestCapture *capture);

G_END_DECLS
