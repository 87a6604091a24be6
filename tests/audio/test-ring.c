/* The SPSC ring: what goes in comes out once, in order, across threads. */
#include "audio/ring.h"

static void
test_capacity_rounds_up (void)
{
  g_autoptr (FerRing) ring = fer_ring_new (1000, 2);
  g_assert_cmpuint (fer_ring_get_capacity (ring), ==, 1024);
  g_assert_cmpuint (fer_ring_get_channels (ring), ==, 2);
  g_autoptr (FerRing) exact = fer_ring_new (64, 1);
  g_assert_cmpuint (fer_ring_get_capacity (exact), ==, 64);
  g_autoptr (FerRing) one = fer_ring_new (1, 1);
  g_assert_cmpuint (fer_ring_get_capacity (one), ==, 1);
}

static void
test_full_and_empty (void)
{
  g_autoptr (FerRing) ring = fer_ring_new (8, 2);
  float in[2 * 12], out[2 * 12];
  for (int i = 0; i < 24; i++)
    in[i] = (float) i;

  g_assert_cmpuint (fer_ring_read (ring, out, 4), ==, 0);
  g_assert_cmpuint (fer_ring_get_fill (ring), ==, 0);

  /* Only what fits is taken. */
  g_assert_cmpuint (fer_ring_write (ring, in, 12), ==, 8);
  g_assert_cmpuint (fer_ring_get_fill (ring), ==, 8);
  g_assert_cmpuint (fer_ring_write (ring, in, 1), ==, 0);

  /* Only what is there comes out, frames whole and in order. */
  g_assert_cmpuint (fer_ring_read (ring, out, 12), ==, 8);
  for (int i = 0; i < 16; i++)
    g_assert_cmpfloat (out[i], ==, in[i]);
  g_assert_cmpuint (fer_ring_get_fill (ring), ==, 0);
}

static void
test_wraps_around (void)
{
  /* Offsets 0..7 into a ring of 8: every split of a copy at the end. */
  g_autoptr (FerRing) ring = fer_ring_new (8, 1);
  float counter = 0, expect = 0;
  for (int round = 0; round < 50; round++)
    {
      gsize n = (gsize) (round % 8) + 1;
      float in[8], out[8];
      for (gsize i = 0; i < n; i++)
        in[i] = counter++;
      g_assert_cmpuint (fer_ring_write (ring, in, n), ==, n);
      g_assert_cmpuint (fer_ring_get_fill (ring), ==, n);
      g_assert_cmpuint (fer_ring_read (ring, out, 8), ==, n);
      for (gsize i = 0; i < n; i++)
        g_assert_cmpfloat (out[i], ==, expect++);
    }
}

static void
test_discard_drops_oldest (void)
{
  /* The consumer skipping ahead after a stall: the oldest frames go, the
   * rest come out in order, and the producer gets the room back. */
  g_autoptr (FerRing) ring = fer_ring_new (8, 2);
  float in[2 * 8], out[2 * 8];
  for (int i = 0; i < 16; i++)
    in[i] = (float) i;
  g_assert_cmpuint (fer_ring_write (ring, in, 8), ==, 8);
  g_assert_cmpuint (fer_ring_discard (ring, 5), ==, 5);
  g_assert_cmpuint (fer_ring_get_fill (ring), ==, 3);
  g_assert_cmpuint (fer_ring_write (ring, in, 5), ==, 5);
  g_assert_cmpuint (fer_ring_read (ring, out, 8), ==, 8);
  for (int i = 0; i < 6; i++)
    g_assert_cmpfloat (out[i], ==, in[10 + i]);   /* frames 5, 6, 7 */
  for (int i = 0; i < 10; i++)
    g_assert_cmpfloat (out[6 + i], ==, in[i]);    /* then 0..4 again */
  /* More than is there: what is there. */
  g_assert_cmpuint (fer_ring_write (ring, in, 2), ==, 2);
  g_assert_cmpuint (fer_ring_discard (ring, 100), ==, 2);
  g_assert_cmpuint (fer_ring_get_fill (ring), ==, 0);
}

static void
test_clear_drops_waiting (void)
{
  g_autoptr (FerRing) ring = fer_ring_new (16, 1);
  float in[10] = { 0 }, out[10];
  g_assert_cmpuint (fer_ring_write (ring, in, 10), ==, 10);
  fer_ring_clear (ring);
  g_assert_cmpuint (fer_ring_get_fill (ring), ==, 0);
  g_assert_cmpuint (fer_ring_read (ring, out, 10), ==, 0);
  /* And the full capacity is free again. */
  float more[16] = { 0 };
  g_assert_cmpuint (fer_ring_write (ring, more, 16), ==, 16);
}

/* Two threads through a small ring: a counter in channel 0, its negation in
 * channel 1, chunks of random sizes on both sides. */
#define N_FRAMES_TOTAL 10000000u
#define RING_FRAMES 256
#define MAX_CHUNK 300   /* larger than the ring: partial writes and reads happen */

typedef struct {
  FerRing *ring;
  guint32 seed;
  guint64 n_full_polls;   /* times the producer found no room */
} Producer;

static gpointer
producer_main (gpointer data)
{
  Producer *p = data;
  GRand *rand = g_rand_new_with_seed (p->seed);
  float chunk[2 * MAX_CHUNK];
  guint32 next = 0;
  while (next < N_FRAMES_TOTAL)
    {
      gsize want = (gsize) g_rand_int_range (rand, 1, MAX_CHUNK + 1);
      want = MIN (want, (gsize) (N_FRAMES_TOTAL - next));
      for (gsize i = 0; i < want; i++)
        {
          chunk[2 * i] = (float) (next + i);
          chunk[2 * i + 1] = -(float) (next + i);
        }
      /* What the fill level says is free must all be accepted: only the
       * consumer runs besides, and it only makes room. */
      gsize space = fer_ring_get_capacity (p->ring) - fer_ring_get_fill (p->ring);
      gsize n = fer_ring_write (p->ring, chunk, want);
      g_assert_cmpuint (n, >=, MIN (want, space));
      g_assert_cmpuint (n, <=, want);
      next += (guint32) n;
      if (n == 0)
        {
          p->n_full_polls++;
          g_thread_yield ();
        }
    }
  g_rand_free (rand);
  return NULL;
}

static void
test_threads_move_counter (void)
{
  g_autoptr (FerRing) ring = fer_ring_new (RING_FRAMES, 2);
  Producer producer = { .ring = ring, .seed = 1234 };
  GRand *rand = g_rand_new_with_seed (5678);
  GThread *thread = g_thread_new ("producer", producer_main, &producer);

  float chunk[2 * MAX_CHUNK];
  guint32 expect = 0;
  guint64 n_empty_polls = 0;
  while (expect < N_FRAMES_TOTAL)
    {
      gsize want = (gsize) g_rand_int_range (rand, 1, MAX_CHUNK + 1);
      gsize fill = fer_ring_get_fill (ring);
      g_assert_cmpuint (fill, <=, RING_FRAMES);
      gsize n = fer_ring_read (ring, chunk, want);
      /* The producer only adds: at least what the fill level showed is there. */
      g_assert_cmpuint (n, >=, MIN (want, fill));
      g_assert_cmpuint (n, <=, want);
      for (gsize i = 0; i < n; i++)
        {
          /* Exact: floats hold integers up to 2^24 > 10 M. */
          if (chunk[2 * i] != (float) expect || chunk[2 * i + 1] != -(float) expect)
            g_error ("frame %u arrived as (%.1f, %.1f)", expect, chunk[2 * i], chunk[2 * i + 1]);
          expect++;
        }
      if (n == 0)
        {
          n_empty_polls++;
          g_thread_yield ();
        }
    }
  g_thread_join (thread);
  g_rand_free (rand);

  g_assert_cmpuint (expect, ==, N_FRAMES_TOTAL);
  g_assert_cmpuint (fer_ring_get_fill (ring), ==, 0);
  float extra[2];
  g_assert_cmpuint (fer_ring_read (ring, extra, 1), ==, 0);
  g_test_message ("producer found the ring full %" G_GUINT64_FORMAT " times, consumer found "
                  "it empty %" G_GUINT64_FORMAT " times", producer.n_full_polls, n_empty_polls);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audio/ring/capacity-rounds-up-to-power-of-two", test_capacity_rounds_up);
  g_test_add_func ("/audio/ring/takes-what-fits-returns-what-is-there", test_full_and_empty);
  g_test_add_func ("/audio/ring/wraps-around-in-order", test_wraps_around);
  g_test_add_func ("/audio/ring/clear-drops-waiting-frames", test_clear_drops_waiting);
  g_test_add_func ("/audio/ring/discard-drops-the-oldest", test_discard_drops_oldest);
  g_test_add_func ("/audio/ring/two-threads-move-10M-frames-in-order", test_threads_move_counter);
  return g_test_run ();
}
