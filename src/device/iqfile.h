/* iqfile.h - IQ recordings on disk: raw, WAV and SigMF.
 *
 * Three containers hold the same interleaved I/Q samples:
 *  - raw: the samples alone (.cu8, .cs8, .cs16, .cf32); the format comes
 *    from the name, the rate and centre from the person;
 *  - WAV: a two-channel WAV file (8-bit unsigned = cu8, 16-bit = cs16,
 *    32-bit float = cf32) whose `auxi` chunk holds the centre frequency and
 *    start time, the way Windows SDR programs write it;
 *  - SigMF: NAME.sigmf-data (the samples) beside NAME.sigmf-meta (JSON:
 *    datatype, sample rate, hardware, and one capture per tuning with its
 *    frequency and time; an annotation marks each retune).
 *
 * Readers here only look at the metadata (FerIqFileInfo); the file source
 * (source-file.h) streams the samples. Writers write as they go and keep
 * the file openable at every moment: a WAV file's sizes are updated on each
 * sync, a SigMF meta file is written first and replaced atomically.
 */
#pragma once

#include <glib.h>

#include "block.h"

G_BEGIN_DECLS

typedef enum {
  FER_IQ_CONTAINER_RAW,
  FER_IQ_CONTAINER_WAV,
  FER_IQ_CONTAINER_SIGMF,
} FerIqContainer;

/* "raw", "wav", "sigmf". */
const char *fer_iq_container_name (FerIqContainer container);

typedef struct {
  guint64 sample_start;   /* first sample of the capture */
  double center_hz;
} FerIqCapture;

typedef struct {
  FerIqContainer container;
  FerSampleFormat format;
  gboolean has_format;    /* FALSE: a raw file whose name says nothing */
  double rate_hz;         /* 0: not in the file */
  double center_hz;       /* NAN: not in the file */
  char *data_path;        /* owned; the file holding the samples */
  guint64 data_offset;    /* byte where the samples start */
  guint64 n_samples;      /* whole samples there */
  GArray *captures;       /* owned; FerIqCapture, in order; SigMF only (else empty) */
  char *datetime;         /* owned; ISO 8601 start time, or NULL */
  char *hw;               /* owned; the hardware it came from, or NULL */
  char *note;             /* owned; something odd but survivable (a truncated file), or NULL */
} FerIqFileInfo;

/* Looks at @path: a SigMF meta or data file (by name), a WAV file (by its
 * RIFF/RF64 header, whatever the name), else raw (format from the name when
 * it says one). Fails with FER_SOURCE_ERROR_NOT_FOUND / _ACCESS for a file
 * that cannot be opened and _FORMAT with one message saying what is wrong
 * for a malformed, truncated or lying one. */
FerIqFileInfo *fer_iq_file_info_probe (const char *path, GError **error);
FerIqFileInfo *fer_iq_file_info_new (FerIqContainer container);
void fer_iq_file_info_free (FerIqFileInfo *info);

/* The parsers behind probe, on bytes in memory (tests, fuzzing).
 * @header: the start of a WAV file (the chunks before the samples);
 * @file_bytes: the whole file's size. Fills format, rate, centre, datetime,
 * data_offset and n_samples. */
gboolean fer_iq_wav_parse (const guint8 *header, gsize n_bytes, guint64 file_bytes,
                           FerIqFileInfo *info, GError **error);
/* @json: a SigMF meta document. Fills format, rate, centre, captures,
 * datetime, hw and data_offset (n_samples stays as it is: it comes from
 * the data file). */
gboolean fer_iq_sigmf_parse (const char *json, gsize n_bytes, FerIqFileInfo *info,
                             GError **error);
/* SigMF's name for @format: "cu8", "ci8", "ci16_le", "cf32_le". */
const char *fer_iq_sigmf_datatype (FerSampleFormat format);

/* Converts @n_samples from one format to another (full scale to full scale;
 * cu8 127.5 is zero). Same format: a copy. */
void fer_iq_convert (FerSampleFormat from, const guint8 *in, gsize n_samples,
                     FerSampleFormat to, guint8 *out);

/* --- writing ------------------------------------------------------------- */

typedef struct _FerIqWriter FerIqWriter;

/* Creates the recording at @path (for SigMF: PATH without its .sigmf-data,
 * .sigmf-meta or .sigmf ending, plus both files). WAV takes cu8, cs16 or
 * cf32; raw and SigMF any format. @hw: what recorded it (SigMF core:hw),
 * may be NULL. */
FerIqWriter *fer_iq_writer_new (const char *path, FerIqContainer container,
                                FerSampleFormat format, double rate_hz, double center_hz,
                                const char *hw, GError **error);
/* @data: whole samples in the writer's format. */
gboolean fer_iq_writer_write (FerIqWriter *writer, const guint8 *data, gsize n_bytes,
                              GError **error);
/* SigMF only: the samples from now on are centred at @center_hz (a new
 * capture and an annotation; the meta file is rewritten). */
gboolean fer_iq_writer_retune (FerIqWriter *writer, double center_hz, GError **error);
/* Makes what was written so far readable: WAV sizes and stop time updated. */
gboolean fer_iq_writer_sync (FerIqWriter *writer, GError **error);
FerSampleFormat fer_iq_writer_get_format (FerIqWriter *writer);
FerIqContainer fer_iq_writer_get_container (FerIqWriter *writer);
/* Bytes on disk so far (headers included). */
guint64 fer_iq_writer_get_n_bytes (FerIqWriter *writer);
guint64 fer_iq_writer_get_n_samples (FerIqWriter *writer);
/* The file the samples go to. */
const char *fer_iq_writer_get_data_path (FerIqWriter *writer);
/* Syncs and closes; frees @writer either way. */
gboolean fer_iq_writer_close (FerIqWriter *writer, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerIqFileInfo, fer_iq_file_info_free)

G_END_DECLS
