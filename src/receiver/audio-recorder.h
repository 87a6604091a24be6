/* audio-recorder.h - records the demodulated audio to a WAV file while the
 * receiver plays (what rigctl's RECORD, AOS and LOS switch).
 *
 * An audio tap (receiver.h) copies into a ring; a thread of its own writes
 * the file, so a slow disk drops audio (counted), never the receiver's.
 */
#pragma once

#include "receiver.h"

G_BEGIN_DECLS

typedef struct _FerAudioRecorder FerAudioRecorder;

/* Records to @path (48 kHz 16-bit, stereo in wfm-stereo, else mono; the
 * channel count stays if the mode changes). Main thread. */
FerAudioRecorder *fer_audio_recorder_new (FerReceiver *receiver, const char *path,
                                          GError **error);
/* Finishes the file; frees @recorder. */
gboolean fer_audio_recorder_stop (FerAudioRecorder *recorder, GError **error);
const char *fer_audio_recorder_get_path (FerAudioRecorder *recorder);
/* A name for a new recording in @dir: ferrite-YYYYMMDD-HHMMSS-FREQ.wav. */
char *fer_audio_recorder_make_path (const char *dir, double freq_hz);

G_END_DECLS
