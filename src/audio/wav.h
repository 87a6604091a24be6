/* wav.h - 16-bit PCM WAV files: writing audio out, reading it back.
 *
 * A file is written to a temporary name beside the target and renamed into
 * place when closed, so a crash never leaves a half-written file under the
 * requested name. "-" writes to stdout (a stream: the size fields then say
 * "unknown", 0xFFFFFFFF, as streaming tools expect).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_AUDIO_ERROR (fer_audio_error_quark ())
GQuark fer_audio_error_quark (void);

typedef enum {
  FER_AUDIO_ERROR_FAILED,
  FER_AUDIO_ERROR_NO_DEVICE,   /* no output device at all */
  FER_AUDIO_ERROR_DEVICE,      /* the device refused or vanished */
  FER_AUDIO_ERROR_IO,          /* a file could not be written or read */
  FER_AUDIO_ERROR_FORMAT,      /* not a WAV file we can read */
} FerAudioError;

typedef struct _FerWavWriter FerWavWriter;

FerWavWriter *fer_wav_writer_new (const char *path, guint rate_hz, guint channels,
                                  GError **error);
/* @frames: interleaved floats, clipped to [-1, 1]. */
gboolean fer_wav_writer_write (FerWavWriter *writer, const float *frames, gsize n_frames,
                               GError **error);
guint64 fer_wav_writer_get_n_frames (FerWavWriter *writer);
/* Finishes the header, closes and renames into place; frees @writer either way. */
gboolean fer_wav_writer_close (FerWavWriter *writer, GError **error);
/* Discards the file (nothing is left under the target name); frees @writer. */
void fer_wav_writer_abort (FerWavWriter *writer);

typedef struct {
  guint rate_hz;
  guint channels;
  gsize n_frames;
  float *frames;   /* owned; interleaved, -1..1 */
} FerWav;

/* Reads a whole 16-bit PCM (or 32-bit float) WAV file. */
FerWav *fer_wav_read (const char *path, GError **error);
void fer_wav_free (FerWav *wav);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerWav, fer_wav_free)

G_END_DECLS
