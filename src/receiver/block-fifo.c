#define G_LOG_DOMAIN "fer-block-fifo"

#include "block-fifo.h"

#include <stdatomic.h>
#include <string.h>

struct _FerBlockFifo {
  FerBlockPool *pool;         /* owned */
  GAsyncQueue *queue;         /* owned; FerBlock * */
  FerBlock wake;              /* marker: pop returns NULL */
  gsize block_bytes;
  _Atomic guint64 n_dropped;
  gboolean gap;               /* thread: producer; mark the next copy */
};

FerBlockFifo *
fer_block_fifo_new (guint n_blocks, gsize block_bytes)
{
  FerBlockFifo *fifo = g_new0 (FerBlockFifo, 1);
  fifo->pool = fer_block_pool_new (n_blocks, block_bytes);
  fifo->queue = g_async_queue_new ();
  fifo->block_bytes = block_bytes;
  atomic_init (&fifo->n_dropped, 0);
  return fifo;
}

void
fer_block_fifo_free (FerBlockFifo *fifo)
{
  if (fifo == NULL)
    return;
  FerBlock *block;
  while ((block = fer_block_queue_pop (fifo->queue, 0)) != NULL)
    fer_block_release (block);
  g_async_queue_unref (fifo->queue);
  fer_block_pool_free (fifo->pool);
  g_free (fifo);
}

gboolean
fer_block_fifo_push_copy (FerBlockFifo *fifo, const FerBlock *block)
{
  gsize sample_bytes = fer_sample_format_bytes (block->format);
  gsize step = fifo->block_bytes - fifo->block_bytes % sample_bytes;
  gboolean all = TRUE;

  for (gsize off = 0; off < block->n_bytes; off += step)
    {
      FerBlock *copy = fer_block_pool_try_get (fifo->pool);
      if (copy == NULL)
        {
          atomic_fetch_add (&fifo->n_dropped, 1);
          fifo->gap = TRUE;
          all = FALSE;
          continue;
        }
      gsize n = MIN (step, block->n_bytes - off);
      copy->seq = block->seq;
      copy->time_us = block->time_us;
      copy->rate_hz = block->rate_hz;
      copy->center_hz = block->center_hz;
      copy->format = block->format;
      copy->flags = block->flags & FER_BLOCK_FLAG_DISCONTINUITY;
      if (fifo->gap)
        copy->flags |= FER_BLOCK_FLAG_DISCONTINUITY;
      fifo->gap = FALSE;
      copy->n_bytes = n;
      memcpy (copy->data, block->data + off, n);
      fer_block_queue_push (fifo->queue, copy);
    }
  return all;
}

FerBlock *
fer_block_fifo_pop (FerBlockFifo *fifo, gint64 timeout_us)
{
  FerBlock *block = fer_block_queue_pop (fifo->queue, timeout_us);
  return block == &fifo->wake ? NULL : block;
}

void
fer_block_fifo_wake (FerBlockFifo *fifo)
{
  fer_block_queue_push (fifo->queue, &fifo->wake);
}

guint64
fer_block_fifo_get_n_dropped (FerBlockFifo *fifo)
{
  return atomic_load (&fifo->n_dropped);
}
