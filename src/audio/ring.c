#define G_LOG_DOMAIN "fer-audio"

#include "ring.h"

#include <stdatomic.h>
#include <string.h>

/* The write and read positions count frames from the start and are never
 * wrapped: head - tail is the fill level even when the ring is full, and the
 * index into the buffer is position & mask. A gsize does not overflow in any
 * realistic lifetime (2^64 frames at 48 kHz is millions of years); on a 32-bit
 * gsize the subtraction is still right modulo 2^32.
 *
 * The producer owns head, the consumer owns tail. Each publishes its position
 * with a release store after touching the frames, and reads the other's with
 * an acquire load before touching them, so a frame is never read before it is
 * written nor overwritten before it is read. */

#define CACHE_LINE_BYTES 64

struct _FerRing {
  float *frames;            /* owned; capacity * channels floats */
  gsize capacity;           /* frames, a power of two */
  gsize mask;
  guint channels;
  /* Separate cache lines, so the two threads do not keep stealing one line
   * from each other. */
  char pad0[CACHE_LINE_BYTES];
  atomic_size_t head;       /* thread: producer writes, consumer reads */
  char pad1[CACHE_LINE_BYTES];
  atomic_size_t tail;       /* thread: consumer writes, producer reads */
  char pad2[CACHE_LINE_BYTES];
};

FerRing *
fer_ring_new (gsize capacity_frames, guint channels)
{
  g_return_val_if_fail (capacity_frames > 0, NULL);
  g_return_val_if_fail (channels > 0, NULL);
  g_return_val_if_fail (capacity_frames <= G_MAXSIZE / 2 / sizeof (float) / channels, NULL);

  gsize capacity = 1;
  while (capacity < capacity_frames)
    capacity <<= 1;

  FerRing *ring = g_new0 (FerRing, 1);
  ring->frames = g_new0 (float, capacity * channels);
  ring->capacity = capacity;
  ring->mask = capacity - 1;
  ring->channels = channels;
  atomic_init (&ring->head, 0);
  atomic_init (&ring->tail, 0);
  return ring;
}

void
fer_ring_free (FerRing *ring)
{
  if (ring == NULL)
    return;
  g_free (ring->frames);
  g_free (ring);
}

gsize
fer_ring_get_capacity (FerRing *ring)
{
  g_return_val_if_fail (ring != NULL, 0);
  return ring->capacity;
}

guint
fer_ring_get_channels (FerRing *ring)
{
  g_return_val_if_fail (ring != NULL, 0);
  return ring->channels;
}

gsize
fer_ring_write (FerRing *ring, const float *frames, gsize n_frames)
{
  gsize head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
  gsize space = ring->capacity - (head - tail);
  gsize n = MIN (n_frames, space);
  if (n == 0)
    return 0;

  /* At most two copies: up to the end of the buffer, then from its start. */
  gsize start = head & ring->mask;
  gsize first = MIN (n, ring->capacity - start);
  memcpy (ring->frames + start * ring->channels, frames,
          first * ring->channels * sizeof (float));
  if (n > first)
    memcpy (ring->frames, frames + first * ring->channels,
            (n - first) * ring->channels * sizeof (float));

  atomic_store_explicit (&ring->head, head + n, memory_order_release);
  return n;
}

gsize
fer_ring_read (FerRing *ring, float *frames, gsize n_frames)
{
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_relaxed);
  gsize head = atomic_load_explicit (&ring->head, memory_order_acquire);
  gsize n = MIN (n_frames, head - tail);
  if (n == 0)
    return 0;

  gsize start = tail & ring->mask;
  gsize first = MIN (n, ring->capacity - start);
  memcpy (frames, ring->frames + start * ring->channels,
          first * ring->channels * sizeof (float));
  if (n > first)
    memcpy (frames + first * ring->channels, ring->frames,
            (n - first) * ring->channels * sizeof (float));

  atomic_store_explicit (&ring->tail, tail + n, memory_order_release);
  return n;
}

gsize
fer_ring_get_fill (FerRing *ring)
{
  /* Tail first: head only grows, so head read afterwards is >= this tail.
   * Between the two loads the consumer may move on and the producer refill,
   * so the difference can briefly exceed what was ever there at once: clamp. */
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
  gsize head = atomic_load_explicit (&ring->head, memory_order_acquire);
  return MIN (head - tail, ring->capacity);
}

void
fer_ring_clear (FerRing *ring)
{
  gsize head = atomic_load_explicit (&ring->head, memory_order_acquire);
  atomic_store_explicit (&ring->tail, head, memory_order_release);
}

gsize
fer_ring_discard (FerRing *ring, gsize n_frames)
{
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_relaxed);
  gsize head = atomic_load_explicit (&ring->head, memory_order_acquire);
  gsize n = MIN (n_frames, head - tail);
  atomic_store_explicit (&ring->tail, tail + n, memory_order_release);
  return n;
}
