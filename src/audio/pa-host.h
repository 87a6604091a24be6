/* pa-host.h - PortAudio plumbing shared by the sink and the device list.
 *
 * Private to src/audio/ (the only place that includes PortAudio): callers
 * outside see sink.h and devices.h.
 */
#pragma once

#include <glib.h>
#include <portaudio.h>

G_BEGIN_DECLS

/* PortAudio's state is process-wide (an initialisation count, the device
 * list, host API globals) and its calls are not thread-safe, while each sink
 * and a device listing call it from threads of their own. Every PortAudio
 * call but the stream callback runs under this lock. A thread stuck in a
 * frozen server holds it, so the next one waits on its own thread, never on
 * a caller's. */
void fer_pa_lock (void);
void fer_pa_unlock (void);

/* Before Pa_Initialize: JACK's and ALSA's messages about servers that are
 * not there go to the debug log, not to stderr. */
void fer_pa_quiet (void);

/* Logs @what failed and why, with the host API's own error when there is one. */
void fer_pa_log_error (const char *what, PaError err);

/* The output devices PortAudio lists now (a GPtrArray of FerAudioDevice).
 * Between Pa_Initialize and Pa_Terminate, under the lock. */
GPtrArray *fer_pa_scan_devices (void);

G_END_DECLS
