/* sink.h - plays a FerRing through PortAudio, and keeps playing.
 *
 * PortAudio stays inside src/audio/ (sink.c, devices.c, pa-host.c); callers
 * see this API and devices.h. Every PortAudio call but the stream callback
 * runs on the sink's own worker thread, never on the caller's: a frozen
 * sound server blocks open/stop/close/initialise for 30 s or more, and the
 * window must not freeze with it.
 *
 * The worker keeps the output alive by itself:
 *  - no device at start: NO_DEVICE, and a quiet re-scan every few seconds
 *    (PortAudio sees new devices and servers only when re-initialised);
 *    playback starts when one appears;
 *  - the chosen device missing: the default device, with a notice;
 *  - the server or device gone mid-stream: FAILED ("audio lost"), then the
 *    same re-scan; PLAYING again when it is back;
 *  - the server frozen: a watchdog notices that no frames are played while
 *    PLAYING and reports FAILED; when the device takes audio again, the
 *    stream is opened afresh (the server grew its buffer meanwhile) and it
 *    is PLAYING again. After a very long stall it is reopened regardless.
 * The callback (FerPlayout) pulls the ring, steers the clock drift and
 * fills silence on underrun; it never blocks.
 */
#pragma once

#include <glib.h>

#include "devices.h"
#include "ring.h"
#include "wav.h"

G_BEGIN_DECLS

typedef enum {
  FER_AUDIO_STATE_STARTING,
  FER_AUDIO_STATE_PLAYING,
  FER_AUDIO_STATE_NO_DEVICE,   /* no output device: Ferrite runs silently, and looks again */
  FER_AUDIO_STATE_FAILED,      /* audio lost (device gone, server dead or frozen): retrying */
  FER_AUDIO_STATE_STOPPED,
} FerAudioState;

/* Called on the sink's worker thread whenever the state changes (and when
 * the device changes while playing); @message is for people ("Audio lost:
 * ..."). */
typedef void (*FerAudioStateFunc) (FerAudioState state, const char *message,
                                   gpointer user_data);

typedef struct _FerAudioSink FerAudioSink;

/* @ring: borrowed, must outlive the sink. @device: a device as
 * fer_audio_devices_find () takes it; NULL = the default output. Returns at
 * once; the device opens on the worker thread and @on_state reports how
 * that went. */
FerAudioSink *fer_audio_sink_new (FerRing *ring, guint rate_hz, const char *device,
                                  FerAudioStateFunc on_state, gpointer user_data);
/* Stops and closes the stream and joins the worker. Bounded: if PortAudio
 * is stuck in a frozen sound server, it gives up after 2 s, logs a warning
 * and leaves that worker behind to finish (and free its memory) by itself.
 * Either way, when it returns the ring is no longer read and on_state is
 * never called again. Do not call it from on_state. */
void fer_audio_sink_free (FerAudioSink *sink);

/* Any thread; returns at once. Plays on @device from now on (NULL = the
 * default output); the worker closes the stream and opens the new one. */
void fer_audio_sink_set_device (FerAudioSink *sink, const char *device);
/* The device playing now (NULL when none). @is_requested (may be NULL): it
 * is the one asked for (FALSE when that was missing and the default plays
 * instead). Any thread. */
char *fer_audio_sink_dup_device_name (FerAudioSink *sink, gboolean *is_requested);
/* The output devices the worker saw at its last scan (a new GPtrArray of
 * FerAudioDevice; empty before the first). Any thread; never blocks on
 * PortAudio. */
GPtrArray *fer_audio_sink_dup_devices (FerAudioSink *sink);

FerAudioState fer_audio_sink_get_state (FerAudioSink *sink);
/* 0..1 (and above, to 2); applied in the callback. Any thread. */
void fer_audio_sink_set_volume (FerAudioSink *sink, float volume);
void fer_audio_sink_set_muted (FerAudioSink *sink, gboolean muted);
guint64 fer_audio_sink_get_n_underruns (FerAudioSink *sink);
/* Frames the callback has handed to the device. */
guint64 fer_audio_sink_get_n_played (FerAudioSink *sink);
/* Output latency the device reports for the open stream (time from the
 * callback to the speaker); 0 while no stream is open. Any thread. */
double fer_audio_sink_get_latency_s (FerAudioSink *sink);

typedef struct {
  FerAudioState state;
  guint64 n_played;         /* frames handed to the device */
  guint64 n_underruns;      /* dropouts: the ring ran short */
  guint64 n_xruns;          /* dropouts: the device ran dry (a callback came late) */
  guint64 n_discarded;      /* frames dropped to catch up after a stall */
  guint n_recoveries;       /* times playback came back by itself after a loss */
  double ring_s;            /* audio queued in the ring before each callback (smoothed) */
  double device_s;          /* from the callback to the speaker, as the device says */
  double latency_s;         /* from the ring to the speaker: ring + resampler + device */
  double drift_ppm;         /* how much faster the ring is read than played */
} FerAudioSinkStats;

/* Any thread; never blocks. Latencies are 0 while nothing plays. */
void fer_audio_sink_get_stats (FerAudioSink *sink, FerAudioSinkStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerAudioSink, fer_audio_sink_free)

G_END_DECLS
