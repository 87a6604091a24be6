/* sink.h - plays a FerRing through PortAudio.
 *
 * Only sink.c includes PortAudio; callers see this API. Opening, starting, stopping and closing the stream happen on
 * the sink's own worker thread, never on the caller's: a frozen sound server
 * blocks those calls for 30 s or more, and the window must not freeze with
 * it. The PortAudio callback pulls the ring and fills silence on underrun,
 * counting it; it never blocks.
 */
#pragma once

#include <glib.h>

#include "ring.h"
#include "wav.h"

G_BEGIN_DECLS

typedef enum {
  FER_AUDIO_STATE_STARTING,
  FER_AUDIO_STATE_PLAYING,
  FER_AUDIO_STATE_NO_DEVICE,   /* no output device: Ferrite runs silently */
  FER_AUDIO_STATE_FAILED,      /* the device refused or went away */
  FER_AUDIO_STATE_STOPPED,
} FerAudioState;

/* Called on the sink's worker thread whenever the state changes; @message is
 * for people ("No audio output device found; running silently"). */
typedef void (*FerAudioStateFunc) (FerAudioState state, const char *message,
                                   gpointer user_data);

typedef struct _FerAudioSink FerAudioSink;

/* @ring: borrowed, must outlive the sink. Returns at once; the device opens on
 * the worker thread and @on_state reports how that went. */
FerAudioSink *fer_audio_sink_new (FerRing *ring, guint rate_hz, FerAudioStateFunc on_state,
                                  gpointer user_data);
/* Stops and closes the stream and joins the worker. Bounded: if PortAudio
 * is stuck in a frozen sound server, it gives up after 2 s, logs a warning
 * and leaves that worker behind to finish (and free its memory) by itself.
 * Either way, when it returns the ring is no longer read and on_state is
 * never called again. Do not call it from on_state. */
void fer_audio_sink_free (FerAudioSink *sink);

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerAudioSink, fer_audio_sink_free)

G_END_DECLS
