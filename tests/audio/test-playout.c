/* FerPlayout, the sink's callback, pull by pull: where playback starts, how
 * a dropout and a stall are handled, the end of a stream, volume and mute.
 * (Clock drift over hours: test-drift.c.) */
#include <math.h>
#include <string.h>

#include "audio/playout.h"

#define RATE_HZ 48000.0
#define PULL 1024
#define TARGET 3072
#define MAX_TARGET 6144

typedef struct {
  FerRing *ring;
  FerPlayout *playout;
  guint64 n_written;
  float out[PULL];
} Rig;

static void
rig_init (Rig *rig)
{
  rig->ring = fer_ring_new (16384, 1);
  rig->playout = fer_playout_new (rig->ring, RATE_HZ, TARGET, MAX_TARGET, PULL);
  rig->n_written = 0;
}

static void
rig_clear (Rig *rig)
{
  fer_playout_free (rig->playout);
  fer_ring_free (rig->ring);
}

/* A 750 Hz tone (64 frames a period), continuing across calls. */
static void
feed (Rig *rig, gsize n)
{
  float x[16384];
  g_assert_cmpuint (n, <=, G_N_ELEMENTS (x));
  for (gsize i = 0; i < n; i++)
    x[i] = (float) (0.5 * sin (2 * G_PI * (double) (rig->n_written + i) / 64.0));
  g_assert_cmpuint (fer_ring_write (rig->ring, x, n), ==, n);
  rig->n_written += n;
}

static gsize
leading_zeros (const float *x, gsize n)
{
  gsize i = 0;
  while (i < n && x[i] == 0.0f)
    i++;
  return i;
}

static FerPlayoutStats
stats_of (Rig *rig)
{
  FerPlayoutStats stats;
  fer_playout_get_stats (rig->playout, &stats);
  return stats;
}

/* Nothing plays until the ring holds nearly the target; then the audio
 * starts part way into a pull, so that the next pull finds the target. */
static void
test_primes_to_the_target (void)
{
  Rig rig;
  rig_init (&rig);
  feed (&rig, 1000);
  fer_playout_pull (rig.playout, rig.out, PULL);
  g_assert_cmpuint (leading_zeros (rig.out, PULL), ==, PULL);
  g_assert_true (stats_of (&rig).priming);

  feed (&rig, 1500);   /* 2500: with the next pull's worth, past the target */
  fer_playout_pull (rig.playout, rig.out, PULL);
  gsize lead = leading_zeros (rig.out, PULL);
  g_assert_cmpuint (lead, >=, TARGET - 2500 - 1);
  g_assert_cmpuint (lead, <=, TARGET - 2500 + 32);   /* the filter's onset */
  g_assert_cmpuint (fer_ring_get_fill (rig.ring), ==, 2500 - (PULL - (TARGET - 2500)));
  feed (&rig, PULL);
  g_assert_cmpuint (fer_ring_get_fill (rig.ring), ==, TARGET);

  /* Steady from here: no dropout, the ratio untouched (the fill sits at
   * the target). */
  for (int i = 0; i < 200; i++)
    {
      fer_playout_pull (rig.playout, rig.out, PULL);
      g_assert_cmpuint (leading_zeros (rig.out, PULL), ==, 0);
      feed (&rig, PULL);
    }
  FerPlayoutStats stats = stats_of (&rig);
  g_assert_false (stats.priming);
  g_assert_cmpuint (stats.n_underruns, ==, 0);
  g_assert_cmpfloat (stats.ratio, ==, 1.0);
  g_assert_cmpuint (stats.n_played, ==, 202 * PULL);
  rig_clear (&rig);
}

/* The ring runs short: what is there plays, the rest is silence, one
 * dropout is counted, the cushion grows by a pull, and it primes again. */
static void
test_dropout_plays_what_there_is (void)
{
  Rig rig;
  rig_init (&rig);
  feed (&rig, TARGET);
  for (int i = 0; i < 3; i++)   /* 3072 in, 1024 out each */
    fer_playout_pull (rig.playout, rig.out, PULL);
  feed (&rig, 500);
  gsize left = fer_ring_get_fill (rig.ring);
  g_assert_cmpuint (left, ==, 500);
  g_assert_cmpuint (stats_of (&rig).n_underruns, ==, 0);
  fer_playout_pull (rig.playout, rig.out, PULL);
  /* The audio comes first, then zeros to the end. */
  gsize last = PULL;
  while (last > 0 && rig.out[last - 1] == 0.0f)
    last--;
  g_assert_cmpuint (last, >=, left - 1);
  g_assert_cmpuint (last, <=, left + 1);
  FerPlayoutStats stats = stats_of (&rig);
  g_assert_cmpuint (stats.n_underruns, ==, 1);
  g_assert_true (stats.priming);
  g_assert_cmpuint (stats.target_frames, ==, TARGET + PULL);
  g_assert_cmpuint (fer_ring_get_fill (rig.ring), <=, 1);

  /* Priming again, to the larger target. */
  feed (&rig, TARGET);
  fer_playout_pull (rig.playout, rig.out, PULL);
  g_assert_cmpuint (leading_zeros (rig.out, PULL), ==, PULL);
  rig_clear (&rig);
}

/* The device stalled while audio kept coming: the pile beyond the high
 * water is dropped at once, the rest plays on. */
static void
test_stall_drops_the_pile (void)
{
  Rig rig;
  rig_init (&rig);
  feed (&rig, TARGET);
  for (int i = 0; i < 10; i++)
    {
      fer_playout_pull (rig.playout, rig.out, PULL);
      feed (&rig, PULL);
    }
  feed (&rig, 9000);   /* 190 ms that piled up */
  g_assert_cmpuint (fer_ring_get_fill (rig.ring), >, fer_playout_get_high_water (rig.playout));
  fer_playout_pull (rig.playout, rig.out, PULL);
  FerPlayoutStats stats = stats_of (&rig);
  g_assert_cmpuint (stats.n_discarded, ==, 9000);
  g_assert_cmpuint (stats.n_underruns, ==, 0);
  g_assert_cmpuint (fer_ring_get_fill (rig.ring), ==, TARGET - PULL);
  g_assert_cmpuint (leading_zeros (rig.out, PULL), ==, 0);
  rig_clear (&rig);
}

/* The producer stops for good with less than the target left: it plays
 * out after a few pulls instead of staying in the ring. */
static void
test_tail_plays_out (void)
{
  Rig rig;
  rig_init (&rig);
  feed (&rig, 1500);
  gsize n_audio = 0;
  for (int i = 0; i < 8; i++)
    {
      fer_playout_pull (rig.playout, rig.out, PULL);
      for (gsize k = 0; k < PULL; k++)
        n_audio += rig.out[k] != 0.0f;
    }
  g_assert_cmpuint (fer_ring_get_fill (rig.ring), <=, 1);
  g_assert_cmpuint (n_audio, >=, 1490);
  rig_clear (&rig);
}

static void
test_volume_mute_restart (void)
{
  Rig rig;
  rig_init (&rig);
  feed (&rig, TARGET);
  for (int i = 0; i < 4; i++)
    {
      fer_playout_pull (rig.playout, rig.out, PULL);
      feed (&rig, PULL);
    }
  float peak = 0;
  for (gsize k = 0; k < PULL; k++)
    peak = MAX (peak, fabsf (rig.out[k]));
  g_assert_cmpfloat_with_epsilon (peak, 0.5, 0.01);

  fer_playout_set_volume (rig.playout, 0.5f);
  fer_playout_pull (rig.playout, rig.out, PULL);
  feed (&rig, PULL);
  peak = 0;
  for (gsize k = 0; k < PULL; k++)
    peak = MAX (peak, fabsf (rig.out[k]));
  g_assert_cmpfloat_with_epsilon (peak, 0.25, 0.01);

  /* Muted: silence, but the ring is drained at the device's pace. */
  fer_playout_set_muted (rig.playout, TRUE);
  gsize before = fer_ring_get_fill (rig.ring);
  fer_playout_pull (rig.playout, rig.out, PULL);
  g_assert_cmpuint (leading_zeros (rig.out, PULL), ==, PULL);
  g_assert_cmpuint (fer_ring_get_fill (rig.ring), ==, before - PULL);
  fer_playout_set_muted (rig.playout, FALSE);

  /* A new stream: what waited is stale, dropped; priming again. */
  fer_playout_restart (rig.playout);
  fer_playout_pull (rig.playout, rig.out, PULL);
  g_assert_cmpuint (fer_ring_get_fill (rig.ring), ==, 0);
  g_assert_cmpuint (leading_zeros (rig.out, PULL), ==, PULL);
  g_assert_true (stats_of (&rig).priming);
  rig_clear (&rig);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audio/playout/primes-to-the-target", test_primes_to_the_target);
  g_test_add_func ("/audio/playout/dropout-plays-what-there-is", test_dropout_plays_what_there_is);
  g_test_add_func ("/audio/playout/stall-drops-the-pile", test_stall_drops_the_pile);
  g_test_add_func ("/audio/playout/tail-plays-out", test_tail_plays_out);
  g_test_add_func ("/audio/playout/volume-mute-restart", test_volume_mute_restart);
  return g_test_run ();
}
