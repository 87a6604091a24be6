#define G_LOG_DOMAIN "fer-block"

#include "block.h"

#include "handoff.h"

#include <string.h>

struct _FerBlockPool {
  guint n_blocks;
  gsize block_bytes;
  FerBlock *blocks;       /* owned; array of n_blocks */
  guint8 *storage;        /* owned; n_blocks * block_bytes */
  GAsyncQueue *free_blocks;
};

guint
fer_sample_format_bytes (FerSampleFormat format)
{
  switch (format)
    {
    case FER_SAMPLE_CU8:
    case FER_SAMPLE_CS8:
      return 2;
    case FER_SAMPLE_CS16:
      return 4;
    case FER_SAMPLE_CF32:
      return 8;
    }
  g_return_val_if_reached (2);
}

static const char *const format_names[] = { "cu8", "cs8", "cs16", "cf32" };

const char *
fer_sample_format_name (FerSampleFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), "?");
  return format_names[format];
}

gboolean
fer_sample_format_parse (const char *name, FerSampleFormat *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *out = (FerSampleFormat) i;
        return TRUE;
      }
  return FALSE;
}

FerBlockPool *
fer_block_pool_new (guint n_blocks, gsize block_bytes)
{
  g_return_val_if_fail (n_blocks > 0 && block_bytes > 0, NULL);

  FerBlockPool *pool = g_new0 (FerBlockPool, 1);
  pool->n_blocks = n_blocks;
  pool->block_bytes = block_bytes;
  pool->blocks = g_new0 (FerBlock, n_blocks);
  pool->storage = g_malloc (n_blocks * block_bytes);
  pool->free_blocks = g_async_queue_new ();
  for (guint i = 0; i < n_blocks; i++)
    {
      pool->blocks[i].pool = pool;
      pool->blocks[i].capacity = block_bytes;
      pool->blocks[i].data = pool->storage + i * block_bytes;
      g_async_queue_push (pool->free_blocks, &pool->blocks[i]);
    }
  return pool;
}

void
fer_block_pool_free (FerBlockPool *pool)
{
  if (pool == NULL)
    return;
  /* Every block must be back: a block still out would point into freed storage. */
  if ((guint) g_async_queue_length (pool->free_blocks) != pool->n_blocks)
    g_critical ("block pool freed with %u of %u blocks still in use",
                pool->n_blocks - (guint) g_async_queue_length (pool->free_blocks),
                pool->n_blocks);
  g_async_queue_unref (pool->free_blocks);
  g_free (pool->storage);
  g_free (pool->blocks);
  g_free (pool);
}

gsize
fer_block_pool_get_block_bytes (FerBlockPool *pool)
{
  return pool->block_bytes;
}

guint
fer_block_pool_get_n_blocks (FerBlockPool *pool)
{
  return pool->n_blocks;
}

guint
fer_block_pool_get_n_free (FerBlockPool *pool)
{
  return (guint) MAX (0, g_async_queue_length (pool->free_blocks));
}

static FerBlock *
clear_header (FerBlock *block)
{
  if (block != NULL)
    {
      FER_HANDOFF_ACQUIRE (block);
      block->seq = 0;
      block->time_us = 0;
      block->rate_hz = 0;
      block->center_hz = 0;
      block->format = FER_SAMPLE_CU8;
      block->flags = FER_BLOCK_FLAG_NONE;
      block->n_bytes = 0;
    }
  return block;
}

FerBlock *
fer_block_pool_try_get (FerBlockPool *pool)
{
  return clear_header (g_async_queue_try_pop (pool->free_blocks));
}

FerBlock *
fer_block_pool_get_wait (FerBlockPool *pool, gint64 timeout_us)
{
  if (timeout_us < 0)
    return clear_header (g_async_queue_pop (pool->free_blocks));
  return clear_header (g_async_queue_timeout_pop (pool->free_blocks, (guint64) timeout_us));
}

void
fer_block_queue_push (GAsyncQueue *queue, FerBlock *block)
{
  FER_HANDOFF_RELEASE (block);
  g_async_queue_push (queue, block);
}

FerBlock *
fer_block_queue_pop (GAsyncQueue *queue, gint64 timeout_us)
{
  FerBlock *block = timeout_us < 0 ? g_async_queue_pop (queue)
                                   : g_async_queue_timeout_pop (queue, (guint64) timeout_us);
  if (block != NULL)
    FER_HANDOFF_ACQUIRE (block);
  return block;
}

void
fer_block_release (FerBlock *block)
{
  if (block != NULL && block->pool != NULL)
    {
      FER_HANDOFF_RELEASE (block);
      g_async_queue_push (block->pool->free_blocks, block);
    }
}
