/* block-fifo.h - copies of the receiver's blocks, handed to another thread.
 *
 * For block taps (receiver.h) whose work cannot be done on the DSP thread
 * (writing a file, sending to a socket): the tap copies each block into a
 * pool of its own, never waiting and never allocating; when the pool is
 * empty the block is dropped and counted, and the next one copied is marked
 * as a discontinuity. A block larger than the pool's blocks is split.
 */
#pragma once

#include "device/block.h"

G_BEGIN_DECLS

typedef struct _FerBlockFifo FerBlockFifo;

FerBlockFifo *fer_block_fifo_new (guint n_blocks, gsize block_bytes);
/* After the consumer has stopped; frees blocks still queued. */
void fer_block_fifo_free (FerBlockFifo *fifo);

/* Producer: FALSE when (part of) @block was dropped. */
gboolean fer_block_fifo_push_copy (FerBlockFifo *fifo, const FerBlock *block);
/* Consumer: the next copy (give it back with fer_block_release), or NULL
 * after @timeout_us (< 0: forever) or a wake-up. */
FerBlock *fer_block_fifo_pop (FerBlockFifo *fifo, gint64 timeout_us);
/* Any thread: makes a waiting pop return NULL now. */
void fer_block_fifo_wake (FerBlockFifo *fifo);
/* Blocks dropped so far; any thread. */
guint64 fer_block_fifo_get_n_dropped (FerBlockFifo *fifo);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerBlockFifo, fer_block_fifo_free)

G_END_DECLS
