/* source-file.h - IQ recordings as a source: raw, WAV and SigMF (iqfile.h).
 *
 * Read as fast as the consumer takes it, or paced to real time. The end of
 * the file ends the stream cleanly, unless it loops. A SigMF recording with
 * several captures (a retune while recording) is played with each part
 * stamped at its own centre.
 *
 * Playback controls (position, seek, pause, loop, speed) may be used from
 * any thread while the stream runs; they take effect between chunks.
 */
#pragma once

#include "iqfile.h"
#include "source.h"

G_BEGIN_DECLS

/* A raw recording of interleaved I/Q in @format, recorded at @rate_hz around
 * @center_hz. Fails with FER_SOURCE_ERROR_NOT_FOUND / _ACCESS for a file that
 * cannot be opened, _FORMAT for one that holds no whole sample, _INVALID for
 * a rate or centre that makes no sense. */
FerSource *fer_source_file_new (const char *path, FerSampleFormat format, double rate_hz,
                                double center_hz, gboolean realtime, GError **error);

/* What to assume where a recording does not say: a raw file says nothing
 * (its format may come from its name), a WAV file without an auxi chunk has
 * no centre. What a WAV header or a SigMF meta file says always wins. */
typedef struct {
  FerSampleFormat format;
  gboolean format_given;   /* TRUE: @format even if a raw file's name says another */
  double rate_hz;          /* 0 = none */
  double center_hz;        /* NAN = none */
} FerSourceFileHints;

void fer_source_file_hints_init (FerSourceFileHints *hints);

/* Opens any recording (fer_iq_file_info_probe); errors as above, with one
 * message that says what is wrong with a malformed, truncated or lying file. */
FerSource *fer_source_file_open (const char *path, const FerSourceFileHints *hints,
                                 gboolean realtime, GError **error);

/* TRUE for a source made here. The calls below take such a source. */
gboolean fer_source_is_file (FerSource *source);
FerIqContainer fer_source_file_get_container (FerSource *source);
/* Something odd about the file worth showing (a truncated recording), or NULL. */
const char *fer_source_file_get_note (FerSource *source);
/* Length and position in seconds of signal (samples / rate). */
double fer_source_file_get_duration (FerSource *source);
double fer_source_file_get_position (FerSource *source);
/* Jumps to @seconds (clamped to the recording); the next block is marked as
 * a discontinuity. Works while paused. */
void fer_source_file_seek (FerSource *source, double seconds);
void fer_source_file_set_paused (FerSource *source, gboolean paused);
gboolean fer_source_file_get_paused (FerSource *source);
/* At the end, start again from the beginning instead of ending. */
void fer_source_file_set_loop (FerSource *source, gboolean loop);
gboolean fer_source_file_get_loop (FerSource *source);
/* Real-time playback at @speed times real time (0.1 to 16); an unpaced
 * source runs as fast as it is read anyway. */
#define FER_SOURCE_FILE_MIN_SPEED 0.1
#define FER_SOURCE_FILE_MAX_SPEED 16.0
void fer_source_file_set_speed (FerSource *source, double speed);
double fer_source_file_get_speed (FerSource *source);

G_END_DECLS
