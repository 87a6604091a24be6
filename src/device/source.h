/* source.h - where IQ samples come from: dongle, demo, file, network.
 *
 * A source runs its own thread (the device thread) once started and turns
 * whatever it reads into FerBlocks: it takes a block from the pool, fills and
 * stamps it, and pushes it on the queue the receiver gave it. When the pool is
 * empty a paced source (hardware, anything in real time) drops the data and
 * counts it; an unpaced one (a file read flat out, the unthrottled emulator)
 * waits. When the stream ends (EOF, device gone) it pushes its end marker: a
 * block with FER_BLOCK_FLAG_END and no pool; fer_source_dup_error () then says
 * why, or returns NULL for a clean end.
 *
 * Setters may be called from one control thread at a time while the stream
 * runs; blocks produced after a setter returns carry the new center and rate.
 */
#pragma once

#include <glib.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "block.h"
#include "device-error.h"

G_BEGIN_DECLS

typedef struct _FerSource FerSource;

typedef enum {
  FER_SOURCE_KIND_DEMO,    /* the emulated dongle */
  FER_SOURCE_KIND_DONGLE,  /* a real RTL-SDR */
  FER_SOURCE_KIND_FILE,
  FER_SOURCE_KIND_NETWORK,
} FerSourceKind;

/* Direct sampling of a dongle (see rtl2832.h): the tuner, or an ADC input
 * digitising the antenna straight for HF. */
typedef enum {
  FER_DIRECT_SAMPLING_AUTO,  /* the Q input below the tuner's range (under 24 MHz) */
  FER_DIRECT_SAMPLING_OFF,   /* always the tuner */
  FER_DIRECT_SAMPLING_I,     /* always the I input */
  FER_DIRECT_SAMPLING_Q,     /* always the Q input (RTL-SDR Blog V3) */
} FerDirectSampling;

/* What a source can do beyond tuning, rate and gain (fer_source_get_caps). */
typedef enum {
  FER_SOURCE_CAP_BIAS_TEE        = 1 << 0,  /* can power the antenna */
  FER_SOURCE_CAP_DIRECT_SAMPLING = 1 << 1,
  FER_SOURCE_CAP_OFFSET_TUNING   = 1 << 2,  /* a zero-IF tuner */
} FerSourceCaps;

typedef struct {
  gboolean (*start) (FerSource *source, GError **error);
  void (*stop) (FerSource *source);  /* joins the device thread */
  /* Optional ones may be NULL: the source then cannot do it. */
  gboolean (*set_center) (FerSource *source, double center_hz, GError **error);
  gboolean (*set_rate) (FerSource *source, double rate_hz, GError **error);
  /* @gain_db: a value from get_gains (others are rounded to the nearest); NAN = tuner AGC. */
  gboolean (*set_gain) (FerSource *source, double gain_db, GError **error);
  gboolean (*set_ppm) (FerSource *source, int ppm, GError **error);
  /* Gains the hardware can set, ascending, in dB; NULL with 0 for none. */
  const double *(*get_gains) (FerSource *source, guint *n_gains);
  void (*finalize) (FerSource *source);  /* frees what the backend owns */
  /* Optional (NULL: the source cannot). */
  gboolean (*set_bias_tee) (FerSource *source, gboolean on, GError **error);
  gboolean (*set_direct_sampling) (FerSource *source, FerDirectSampling mode, GError **error);
  gboolean (*set_offset_tuning) (FerSource *source, gboolean on, GError **error);
  FerSourceCaps (*get_caps) (FerSource *source);  /* NULL: none */
} FerSourceOps;

/* Backends embed this as their first member and fill it with fer_source_init (). */
struct _FerSource {
  const FerSourceOps *ops;
  FerSourceKind kind;
  char *name;                     /* owned; what the window shows */
  FerSampleFormat format;
  gboolean paced;                 /* TRUE: drop when the pool is empty; FALSE: wait */
  double min_center_hz, max_center_hz;  /* tunable range; both 0 when fixed */

  _Atomic double center_hz;       /* stamped on each block */
  _Atomic double rate_hz;
  _Atomic guint64 n_dropped;      /* blocks lost because no free block was there */
  _Atomic guint64 n_blocks;       /* blocks delivered */
  atomic_bool stopping;
  atomic_uint stamp_generation;   /* bumped by fer_source_set_stamp () */

  /* thread: device; set by fer_source_start () */
  FerBlockPool *pool;             /* borrowed */
  GAsyncQueue *queue;             /* borrowed; receives FerBlock * */
  guint64 next_seq;
  gboolean discontinuity;         /* mark the next block */
  FerBlock *fill;                 /* block being filled, if any */
  guint fill_generation;          /* stamp_generation when fill was started */
  FerBlock end_marker;

  GMutex error_lock;
  GError *error;                  /* owned; why the stream ended */
};

void fer_source_init (FerSource *source, const FerSourceOps *ops, FerSourceKind kind,
                      const char *name, FerSampleFormat format, gboolean paced);

/* Starts streaming into @queue with blocks from @pool (both borrowed, must
 * outlive the stream). */
gboolean fer_source_start (FerSource *source, FerBlockPool *pool, GAsyncQueue *queue,
                           GError **error);
void fer_source_stop (FerSource *source);
void fer_source_free (FerSource *source);

gboolean fer_source_set_center (FerSource *source, double center_hz, GError **error);
gboolean fer_source_set_rate (FerSource *source, double rate_hz, GError **error);
gboolean fer_source_set_gain (FerSource *source, double gain_db, GError **error);
gboolean fer_source_set_ppm (FerSource *source, int ppm, GError **error);
const double *fer_source_get_gains (FerSource *source, guint *n_gains);
/* The antenna's DC supply on or off. */
gboolean fer_source_set_bias_tee (FerSource *source, gboolean on, GError **error);
gboolean fer_source_set_direct_sampling (FerSource *source, FerDirectSampling mode,
                                         GError **error);
/* Zero-IF tuners only: keeps the tuner's DC offset out of the stream. */
gboolean fer_source_set_offset_tuning (FerSource *source, gboolean on, GError **error);
/* Which of the above this source (and its tuner) can do; a control for
 * anything missing should not be offered. */
FerSourceCaps fer_source_get_caps (FerSource *source);

const char *fer_source_get_name (FerSource *source);
FerSourceKind fer_source_get_kind (FerSource *source);
double fer_source_get_center (FerSource *source);
double fer_source_get_rate (FerSource *source);
guint64 fer_source_get_n_dropped (FerSource *source);
/* Why the stream ended; NULL while it runs or when it ended cleanly (EOF). */
GError *fer_source_dup_error (FerSource *source);

/* For backends, on the device thread. */

/* Copies @n_bytes into blocks of the pool and queues each full block; drops
 * (paced) or waits (unpaced). Returns FALSE once the source is stopping. */
gboolean fer_source_emit (FerSource *source, const guint8 *data, gsize n_bytes);
/* Queues the block being filled, even if not full. */
void fer_source_flush (FerSource *source);
/* Flushes, records @error (NULL for a clean end) and queues the end marker. Once. */
void fer_source_emit_end (FerSource *source, const GError *error);
/* Waits for a free block; FALSE when stopping. Unpaced backends call it before
 * producing data, so that nothing is produced that would have to be dropped. */
gboolean fer_source_wait_ready (FerSource *source);
/* Called by backends that retune or change rate: updates the stamp and marks a
 * discontinuity. */
void fer_source_set_stamp (FerSource *source, double center_hz, double rate_hz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerSource, fer_source_free)

G_END_DECLS
