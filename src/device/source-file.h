/* source-file.h - raw IQ recordings as a source.
 *
 * A file of interleaved I/Q in one of the FerSampleFormats, recorded at
 * @rate_hz around @center_hz. Read as fast as the consumer takes it, or paced
 * to real time. The end of the file ends the stream cleanly.
 */
#pragma once

#include "source.h"

G_BEGIN_DECLS

/* Fails with FER_SOURCE_ERROR_NOT_FOUND / _ACCESS for a file that cannot be
 * opened, _FORMAT for one that holds no whole sample, _INVALID for a rate or
 * centre that makes no sense. */
FerSource *fer_source_file_new (const char *path, FerSampleFormat format, double rate_hz,
                                double center_hz, gboolean realtime, GError **error);

G_END_DECLS
