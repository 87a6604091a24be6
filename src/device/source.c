#define G_LOG_DOMAIN "fer-source"

#include "source.h"

#include <math.h>
#include <string.h>

/* How long an unpaced source waits for a free block before it checks again
 * whether it should stop. */
#define WAIT_SLICE_US (50 * 1000)

void
fer_source_init (FerSource *source, const FerSourceOps *ops, FerSourceKind kind,
                 const char *name, FerSampleFormat format, gboolean paced)
{
  source->ops = ops;
  source->kind = kind;
  source->name = g_strdup (name);
  source->format = format;
  source->paced = paced;
  atomic_init (&source->center_hz, 0.0);
  atomic_init (&source->rate_hz, 0.0);
  atomic_init (&source->n_dropped, 0);
  atomic_init (&source->n_blocks, 0);
  atomic_init (&source->stopping, false);
  atomic_init (&source->stamp_generation, 0);
  source->end_marker.pool = NULL;
  source->end_marker.flags = FER_BLOCK_FLAG_END;
  g_mutex_init (&source->error_lock);
}

gboolean
fer_source_start (FerSource *source, FerBlockPool *pool, GAsyncQueue *queue, GError **error)
{
  g_return_val_if_fail (source->pool == NULL, FALSE);

  source->pool = pool;
  source->queue = queue;
  source->next_seq = 0;
  source->discontinuity = FALSE;
  source->fill = NULL;
  source->fill_generation = atomic_load (&source->stamp_generation);
  atomic_store (&source->stopping, false);
  g_mutex_lock (&source->error_lock);
  g_clear_error (&source->error);
  g_mutex_unlock (&source->error_lock);

  if (!source->ops->start (source, error))
    {
      source->pool = NULL;
      source->queue = NULL;
      return FALSE;
    }
  return TRUE;
}

void
fer_source_stop (FerSource *source)
{
  if (source->pool == NULL)
    return;
  atomic_store (&source->stopping, true);
  source->ops->stop (source);
  /* The device thread is gone: a half-filled block is ours to give back. */
  if (source->fill != NULL)
    {
      fer_block_release (source->fill);
      source->fill = NULL;
    }
  source->pool = NULL;
  source->queue = NULL;
}

void
fer_source_free (FerSource *source)
{
  if (source == NULL)
    return;
  fer_source_stop (source);
  g_free (source->name);
  g_clear_error (&source->error);
  g_mutex_clear (&source->error_lock);
  source->ops->finalize (source);
}

#define OPTIONAL_SETTER(call, what)                                              \
  G_STMT_START {                                                                 \
    if (source->ops->call == NULL)                                               \
      {                                                                          \
        g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,          \
                     "%s cannot change its %s", source->name, what);             \
        return FALSE;                                                            \
      }                                                                          \
  } G_STMT_END

gboolean
fer_source_set_center (FerSource *source, double center_hz, GError **error)
{
  OPTIONAL_SETTER (set_center, "frequency");
  if (!isfinite (center_hz))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "Frequency is not a number");
      return FALSE;
    }
  return source->ops->set_center (source, center_hz, error);
}

gboolean
fer_source_set_rate (FerSource *source, double rate_hz, GError **error)
{
  OPTIONAL_SETTER (set_rate, "sample rate");
  return source->ops->set_rate (source, rate_hz, error);
}

gboolean
fer_source_set_gain (FerSource *source, double gain_db, GError **error)
{
  OPTIONAL_SETTER (set_gain, "gain");
  return source->ops->set_gain (source, gain_db, error);
}

gboolean
fer_source_set_ppm (FerSource *source, int ppm, GError **error)
{
  OPTIONAL_SETTER (set_ppm, "frequency correction");
  return source->ops->set_ppm (source, ppm, error);
}

gboolean
fer_source_set_bias_tee (FerSource *source, gboolean on, GError **error)
{
  OPTIONAL_SETTER (set_bias_tee, "antenna supply (bias tee)");
  return source->ops->set_bias_tee (source, on, error);
}

gboolean
fer_source_set_direct_sampling (FerSource *source, FerDirectSampling mode, GError **error)
{
  OPTIONAL_SETTER (set_direct_sampling, "direct sampling");
  return source->ops->set_direct_sampling (source, mode, error);
}

gboolean
fer_source_set_offset_tuning (FerSource *source, gboolean on, GError **error)
{
  OPTIONAL_SETTER (set_offset_tuning, "offset tuning");
  return source->ops->set_offset_tuning (source, on, error);
}

FerSourceCaps
fer_source_get_caps (FerSource *source)
{
  return source->ops->get_caps != NULL ? source->ops->get_caps (source) : 0;
}

const double *
fer_source_get_gains (FerSource *source, guint *n_gains)
{
  *n_gains = 0;
  if (source->ops->get_gains == NULL)
    return NULL;
  return source->ops->get_gains (source, n_gains);
}

const char *
fer_source_get_name (FerSource *source)
{
  return source->name;
}

FerSourceKind
fer_source_get_kind (FerSource *source)
{
  return source->kind;
}

double
fer_source_get_center (FerSource *source)
{
  return atomic_load (&source->center_hz);
}

double
fer_source_get_rate (FerSource *source)
{
  return atomic_load (&source->rate_hz);
}

guint64
fer_source_get_n_dropped (FerSource *source)
{
  return atomic_load (&source->n_dropped);
}

GError *
fer_source_dup_error (FerSource *source)
{
  g_mutex_lock (&source->error_lock);
  GError *copy = source->error ? g_error_copy (source->error) : NULL;
  g_mutex_unlock (&source->error_lock);
  return copy;
}

void
fer_source_set_stamp (FerSource *source, double center_hz, double rate_hz)
{
  atomic_store (&source->center_hz, center_hz);
  atomic_store (&source->rate_hz, rate_hz);
  atomic_fetch_add (&source->stamp_generation, 1);
}

gboolean
fer_source_wait_ready (FerSource *source)
{
  while (!atomic_load (&source->stopping))
    {
      if (source->fill != NULL)
        return TRUE;
      FerBlock *block = fer_block_pool_get_wait (source->pool, WAIT_SLICE_US);
      if (block != NULL)
        {
          /* Keep it: the next emit stamps and fills it (and compares the
           * stamp generation with the last stamped block's). */
          source->fill = block;
          return TRUE;
        }
    }
  return FALSE;
}

static void
push_fill (FerSource *source)
{
  FerBlock *block = source->fill;
  source->fill = NULL;
  if (block == NULL)
    return;
  if (block->n_bytes == 0)
    {
      fer_block_release (block);
      return;
    }
  fer_block_queue_push (source->queue, block);
  atomic_fetch_add (&source->n_blocks, 1);
}

/* Takes a fresh block and stamps it; NULL when a paced source has none free
 * or the source is stopping. */
static FerBlock *
take_block (FerSource *source)
{
  FerBlock *block = NULL;
  guint generation = atomic_load (&source->stamp_generation);

  if (source->fill != NULL && source->fill->n_bytes == 0)
    block = source->fill;  /* reserved by fer_source_wait_ready () */
  else if (source->paced)
    block = fer_block_pool_try_get (source->pool);
  else
    while (block == NULL && !atomic_load (&source->stopping))
      block = fer_block_pool_get_wait (source->pool, WAIT_SLICE_US);

  source->fill = block;
  if (block == NULL)
    return NULL;
  if (generation != source->fill_generation)
    source->discontinuity = TRUE;
  source->fill_generation = generation;
  block->seq = source->next_seq++;
  block->time_us = g_get_monotonic_time ();
  block->center_hz = atomic_load (&source->center_hz);
  block->rate_hz = atomic_load (&source->rate_hz);
  block->format = source->format;
  block->flags = source->discontinuity ? FER_BLOCK_FLAG_DISCONTINUITY : 0;
  source->discontinuity = FALSE;
  return block;
}

gboolean
fer_source_emit (FerSource *source, const guint8 *data, gsize n_bytes)
{
  guint sample_bytes = fer_sample_format_bytes (source->format);

  while (n_bytes > 0)
    {
      if (atomic_load (&source->stopping))
        return FALSE;

      FerBlock *block = source->fill;
      /* A retune since this block began: its samples belong to the old tuning. */
      if (block != NULL && block->n_bytes > 0
          && source->fill_generation != atomic_load (&source->stamp_generation))
        {
          push_fill (source);
          block = NULL;
        }
      if (block == NULL || block->n_bytes == 0)
        {
          block = take_block (source);
          if (block == NULL)
            {
              if (atomic_load (&source->stopping))
                return FALSE;
              /* Paced and no free block: these samples are lost. Drop whole
               * samples only, so I/Q stay aligned. */
              atomic_fetch_add (&source->n_dropped, 1);
              source->discontinuity = TRUE;
              source->next_seq++;
              return TRUE;
            }
        }

      gsize room = block->capacity - block->n_bytes;
      room -= room % sample_bytes;
      gsize n = MIN (room, n_bytes);
      memcpy (block->data + block->n_bytes, data, n);
      block->n_bytes += n;
      data += n;
      n_bytes -= n;
      if (block->capacity - block->n_bytes < sample_bytes)
        push_fill (source);
    }
  return TRUE;
}

void
fer_source_flush (FerSource *source)
{
  push_fill (source);
}

void
fer_source_emit_end (FerSource *source, const GError *error)
{
  push_fill (source);
  g_mutex_lock (&source->error_lock);
  g_clear_error (&source->error);
  if (error != NULL)
    source->error = g_error_copy (error);
  g_mutex_unlock (&source->error_lock);
  fer_block_queue_push (source->queue, &source->end_marker);
}
