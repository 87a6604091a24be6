/* block.h - sample blocks and the fixed pool they come from.
 *
 * Every source (dongle, file, network) hands the DSP thread the same thing: a
 * FerBlock taken from a FerBlockPool, filled, and pushed on a GAsyncQueue.
 * The pool is allocated once; producers never allocate. A producer that finds
 * no free block drops its data and counts the drop (a paced source must never
 * wait); a source that can pace itself to the consumer (a file read as fast as
 * possible, the unthrottled emulator) waits for a free block instead.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FER_SAMPLE_CU8,   /* interleaved unsigned 8-bit I/Q, 127.5 = zero (RTL2832U) */
  FER_SAMPLE_CS8,   /* interleaved signed 8-bit I/Q */
  FER_SAMPLE_CS16,  /* interleaved signed 16-bit little-endian I/Q */
  FER_SAMPLE_CF32,  /* interleaved 32-bit float I/Q, native endian */
} FerSampleFormat;

/* Bytes one complex sample takes in @format. */
guint fer_sample_format_bytes (FerSampleFormat format);
/* "cu8", "cs8", "cs16", "cf32"; parse returns FALSE on anything else. */
const char *fer_sample_format_name (FerSampleFormat format);
gboolean fer_sample_format_parse (const char *name, FerSampleFormat *out);

typedef enum {
  FER_BLOCK_FLAG_NONE = 0,
  FER_BLOCK_FLAG_END = 1 << 0,       /* last block of the stream (EOF or device gone) */
  FER_BLOCK_FLAG_DISCONTINUITY = 1 << 1, /* samples were lost or the source retuned before this block */
} FerBlockFlags;

typedef struct _FerBlockPool FerBlockPool;

typedef struct {
  FerBlockPool *pool;       /* the pool it returns to; NULL for a source's end marker */
  guint64 seq;              /* per-stream counter, consecutive unless data was dropped */
  gint64 time_us;           /* g_get_monotonic_time () when the data arrived */
  double rate_hz;           /* sample rate of the data */
  double center_hz;         /* RF frequency that sample value 0 Hz stands for */
  FerSampleFormat format;
  guint flags;              /* FerBlockFlags */
  gsize n_bytes;            /* valid bytes in data */
  gsize capacity;           /* bytes allocated for data */
  guint8 *data;             /* owned by the pool */
} FerBlock;

FerBlockPool *fer_block_pool_new (guint n_blocks, gsize block_bytes);
void fer_block_pool_free (FerBlockPool *pool);
gsize fer_block_pool_get_block_bytes (FerBlockPool *pool);
guint fer_block_pool_get_n_blocks (FerBlockPool *pool);
/* Number of blocks not handed out at the moment. */
guint fer_block_pool_get_n_free (FerBlockPool *pool);

/* A free block with its header cleared, or NULL when all are in use. Never waits. */
FerBlock *fer_block_pool_try_get (FerBlockPool *pool);
/* Waits up to @timeout_us (< 0: forever) for a free block; NULL on timeout. */
FerBlock *fer_block_pool_get_wait (FerBlockPool *pool, gint64 timeout_us);
/* Hands @block to another thread through @queue (a GAsyncQueue of FerBlock *). */
void fer_block_queue_push (GAsyncQueue *queue, FerBlock *block);
/* Takes the next block from @queue, waiting up to @timeout_us (< 0: forever). */
FerBlock *fer_block_queue_pop (GAsyncQueue *queue, gint64 timeout_us);
/* Gives @block back to its pool; any thread. Markers without a pool are left alone. */
void fer_block_release (FerBlock *block);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerBlockPool, fer_block_pool_free)

G_END_DECLS
