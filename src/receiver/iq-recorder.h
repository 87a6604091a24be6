/* iq-recorder.h - records what the receiver's source sends, to raw, WAV or SigMF.
 *
 * A block tap (receiver.h) copies each block into the recorder's own pool;
 * a writer thread converts it to the file's sample format and writes it, so
 * a slow disk costs dropped blocks (counted), never a stalled receiver. A
 * cu8 recording of a dongle holds exactly the bytes the dongle sent.
 *
 * A retune while recording: SigMF starts a new capture with an annotation;
 * WAV and raw files hold one centre each, so the recording goes on in a new
 * file beside the first (NAME-2.wav, NAME-3.wav, ...). A new sample rate
 * starts a new file in every container.
 */
#pragma once

#include "device/iqfile.h"
#include "receiver.h"

G_BEGIN_DECLS

typedef struct _FerIqRecorder FerIqRecorder;

/* What @path and @format_name (NULL: from the name, else the source's
 * @source_format) ask for: .wav is WAV, .sigmf-data, .sigmf-meta and .sigmf
 * are SigMF, anything else raw (.cu8, .cs8, .cs16, .cf32 say the format).
 * FALSE with FER_SOURCE_ERROR_INVALID for a combination that cannot be
 * written (cs8 in WAV, a format name that is none). */
gboolean fer_iq_recorder_parse_target (const char *path, const char *format_name,
                                       FerSampleFormat source_format,
                                       FerIqContainer *container, FerSampleFormat *format,
                                       GError **error);

/* Starts recording what @receiver hears now (it may be running or not yet
 * started; borrowed, must outlive the recorder). The file is created here:
 * an error creating it comes back at once. Main thread. */
FerIqRecorder *fer_iq_recorder_new (FerReceiver *receiver, const char *path,
                                    FerIqContainer container, FerSampleFormat format,
                                    GError **error);
/* Stops, writes what is queued and finishes the files; frees @recorder.
 * FALSE with the first write error if anything failed. */
gboolean fer_iq_recorder_stop (FerIqRecorder *recorder, GError **error);
/* The same, for cleanup paths that have no use for the error. */
void fer_iq_recorder_free (FerIqRecorder *recorder);

typedef struct {
  char *path;            /* owned; the file being written now */
  FerIqContainer container;
  FerSampleFormat format;
  guint n_files;         /* 1, or more after retunes of a WAV or raw recording */
  guint64 n_bytes;       /* on disk so far, all files */
  double seconds;        /* of signal recorded */
  guint64 n_dropped;     /* blocks lost because the disk did not keep up */
  guint64 free_bytes;    /* free on the recording's file system; G_MAXUINT64 if unknown */
  char *error;           /* owned; why recording stopped, or NULL while it goes well */
} FerIqRecorderStatus;

/* For a record button's label: any thread, never blocks for long. */
void fer_iq_recorder_get_status (FerIqRecorder *recorder, FerIqRecorderStatus *status);
/* fer_iq_recorder_stop (), filling @final_status (clear it with
 * fer_iq_recorder_status_clear ()) once everything queued reached the file. */
gboolean fer_iq_recorder_stop_with_status (FerIqRecorder *recorder,
                                           FerIqRecorderStatus *final_status, GError **error);
void fer_iq_recorder_status_clear (FerIqRecorderStatus *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerIqRecorder, fer_iq_recorder_free)

G_END_DECLS
