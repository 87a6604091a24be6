/* Clock drift, without a sound card and without waiting: the fine
 * resampler, the drift controller, and FerPlayout (the sink's callback) fed
 * by a simulated dongle whose clock is off by a few hundred ppm and drained
 * by a simulated sound card, for an hour of simulated audio in a second or
 * two. Asserted: no underrun, no overflow, the fill within its band, the
 * learned ratio equal to the clocks' ratio, and the tone clean all along. */
#include <math.h>
#include <string.h>

#include "audio/drift.h"
#include "audio/fine-resampler.h"
#include "audio/playout.h"
#include "capture-check.h"
#include "tone.h"

#define RATE_HZ 48000.0
/* As the sink runs it (sink.c). */
#define PULL_FRAMES 1024
#define TARGET_FILL 3072
#define MAX_TARGET_FILL 6144
#define RING_FRAMES 16384
/* A receiver's audio arrives a block at a time: 8192 IQ samples at
 * 2.4 MS/s make 164 frames. */
#define BLOCK_FRAMES 164
#define TONE_HZ 1000.0
#define AMPLITUDE 0.5

/* An hour of audio takes 3 s of CPU, under a sanitizer ten times that: there
 * the same paths run for ten minutes (the sanitizers look for memory and
 * thread errors, which the first minutes show as well as the last). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LONG_S 600.0
#elif defined(__has_feature)
#if __has_feature (address_sanitizer) || __has_feature (thread_sanitizer)
#define LONG_S 600.0
#endif
#endif
#ifndef LONG_S
#define LONG_S 3600.0
#endif

/* ---- the fine resampler ----------------------------------------------------- */

static float *
tone_frames (gsize n, double freq_hz, double amplitude)
{
  float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float) (amplitude * sin (2 * G_PI * freq_hz * (double) i / RATE_HZ));
  return x;
}

/* Resamples @x at @ratio in pieces of @piece outputs; returns the outputs. */
static float *
resample (const float *x, gsize n_in, double ratio, gsize piece, gsize *n_out)
{
  g_autoptr (FerFineResampler) rs = fer_fine_resampler_new (1, piece * 2);
  float *y = g_new (float, (gsize) ((double) n_in / ratio) + piece);
  gsize used = 0, made = 0;
  for (;;)
    {
      gsize need = fer_fine_resampler_input_for (rs, piece, ratio);
      if (used + need > n_in)
        break;
      fer_fine_resampler_process (rs, x + used, y + made, piece, ratio);
      used += need;
      made += piece;
    }
  *n_out = made;
  return y;
}

/* A tone through the resampler comes out at freq * ratio (it is played
 * faster or slower), at the same amplitude, clean. */
static void
test_resampler_tone (void)
{
  const double ratios[] = { 1.0, 1.0 + 300e-6, 1.0 - 300e-6, 1.0 + 1000e-6, 1.0 - 1000e-6 };
  const double freqs[] = { 1000, 15000 };
  const double min_sinad[] = { 85, 60 };
  for (gsize f = 0; f < G_N_ELEMENTS (freqs); f++)
    for (gsize r = 0; r < G_N_ELEMENTS (ratios); r++)
      {
        gsize n_in = 48000, n_out;
        g_autofree float *x = tone_frames (n_in, freqs[f], 0.9);
        g_autofree float *y = resample (x, n_in, ratios[r], 1024, &n_out);
        g_assert_cmpuint (n_out, >=, 46 * 1024);
        FerToneFit fit;
        /* Past the filter's start-up. */
        /* Played faster by the ratio: the tone comes out higher by it. */
        double expect_hz = freqs[f] * ratios[r];
        g_assert_true (fer_tone_fit (y + 64, n_out - 64, RATE_HZ, expect_hz, &fit));
        g_test_message ("%5.0f Hz at %+5.0f ppm: %.4f Hz, amplitude %.5f, SINAD %.1f dB",
                        freqs[f], (ratios[r] - 1) * 1e6, fit.freq_hz, fit.amplitude,
                        fit.sinad_db);
        g_assert_cmpfloat_with_epsilon (fit.freq_hz, expect_hz, 1e-3);
        g_assert_cmpfloat_with_epsilon (fit.amplitude, 0.9, 0.9 * 0.001);   /* 0.01 dB */
        g_assert_cmpfloat (fit.sinad_db, >=, min_sinad[f]);
      }
}

/* How many frames a call consumes is exact: over many calls the inputs
 * taken are outputs * ratio to within a frame, and the output does not
 * depend on how the calls cut the stream. */
static void
test_resampler_accounting (void)
{
  gsize n_in = 200000, n_a, n_b;
  g_autofree float *x = tone_frames (n_in, 3000, 0.5);
  double ratio = 1.0 + 437e-6;
  g_autofree float *a = resample (x, n_in, ratio, 1024, &n_a);
  g_autofree float *b = resample (x, n_in, ratio, 64, &n_b);
  gsize n = MIN (n_a, n_b);
  for (gsize i = 0; i < n; i++)
    if (a[i] != b[i])
      g_error ("output %zu differs with another cut: %g vs %g", i, a[i], b[i]);

  g_autoptr (FerFineResampler) rs = fer_fine_resampler_new (2, 4096);
  g_autofree float *in = g_new0 (float, 4096 * 2);
  g_autofree float *out = g_new0 (float, 4096 * 2);
  GRand *rand = g_rand_new_with_seed (7);
  guint64 total_in = 0, total_out = 0;
  for (int call = 0; call < 5000; call++)
    {
      gsize n_out = (gsize) g_rand_int_range (rand, 0, 3000);
      gsize need = fer_fine_resampler_input_for (rs, n_out, ratio);
      g_assert_cmpuint (need, <=, 4096);
      fer_fine_resampler_process (rs, in, out, n_out, ratio);
      total_in += need;
      total_out += n_out;
    }
  g_rand_free (rand);
  g_assert_cmpfloat (fabs ((double) total_in - (double) total_out * ratio), <=, 1.0);
}

/* ---- the drift controller ------------------------------------------------- */

static void
test_controller_dead_band (void)
{
  g_autoptr (FerDrift) drift = fer_drift_new (RATE_HZ, TARGET_FILL, 256);
  /* A sawtooth within the band: the ratio stays exactly 1, the pitch untouched. */
  for (int i = 0; i < 100000; i++)
    g_assert_cmpfloat (fer_drift_update (drift, TARGET_FILL + 200 * sin (i * 0.37), PULL_FRAMES),
                       ==, 1.0);
  /* Too full, and staying so (nothing drains it here): it plays faster and
   * faster, up to the limit and never beyond. */
  double ratio = 1.0;
  for (int i = 0; i < 100000; i++)
    {
      double next = fer_drift_update (drift, TARGET_FILL + 1000, PULL_FRAMES);
      g_assert_cmpfloat (next, >=, ratio);
      g_assert_cmpfloat (next, <=, 1.0 + FER_DRIFT_MAX_PPM * 1e-6 + 1e-12);
      ratio = next;
    }
  g_assert_cmpfloat_with_epsilon (ratio, 1.0 + FER_DRIFT_MAX_PPM * 1e-6, 1e-9);
  /* Back inside the band: the learned part stays (the clocks did not
   * change), the proportional part goes. */
  for (int i = 0; i < 2000; i++)
    ratio = fer_drift_update (drift, TARGET_FILL, PULL_FRAMES);
  g_assert_cmpfloat (ratio, >, 1.0);
}

/* ---- FerPlayout between two simulated clocks -------------------------------- */

typedef struct {
  double drift_ppm;             /* the dongle's clock against the sound card's */
  double seconds;
  guint64 seed;
  double stall_at_s;            /* > 0: the dongle side stops then, ... */
  double stall_s;               /* ... for this long, then catches up at once */
} Simulation;

typedef struct {
  guint64 n_pulls;
  guint n_clicks;
  double first_click_s;
  gsize target_after_stall;     /* the target fill a second after the stall */
  double max_step, max_bend;    /* over every output sample past the start */
  double min_window_sinad_db;
  guint n_windows;
  double last_freq_hz;
  double fill_min_after_settle, fill_max_after_settle;   /* smoothed */
  FerPlayoutStats stats;
} Outcome;

/* The dongle side: blocks of BLOCK_FRAMES at RATE_HZ * (1 + drift) as the
 * sound card's clock counts, each late by a random 0-4 ms (the DSP thread
 * is not always on a core), never out of order. The sound card side: a pull
 * of PULL_FRAMES every PULL_FRAMES / RATE_HZ, each early or late by up to
 * 3 ms. Both write and read the same kind of ring the receiver uses. */
static void
simulate (const Simulation *sim, Outcome *outcome)
{
  memset (outcome, 0, sizeof *outcome);
  g_autoptr (FerRing) ring = fer_ring_new (RING_FRAMES, 1);
  g_autoptr (FerPlayout) playout = fer_playout_new (ring, RATE_HZ, TARGET_FILL, MAX_TARGET_FILL,
                                                   PULL_FRAMES);
  GRand *rand = g_rand_new_with_seed ((guint32) sim->seed);

  /* The tone's period is 48 frames: a table is enough. */
  float period[48];
  for (int i = 0; i < 48; i++)
    period[i] = (float) (AMPLITUDE * sin (2 * G_PI * TONE_HZ * i / RATE_HZ));
  float block[BLOCK_FRAMES];
  float out[PULL_FRAMES];
  guint64 n_produced = 0, n_blocks = 0;
  double producer_rate = RATE_HZ * (1.0 + sim->drift_ppm * 1e-6);
  double next_block_s = 0, last_block_s = 0;
  double next_pull_s = 0.05;   /* the card starts a little later */
  guint64 pull = 0;

  /* Windows of output kept for a fit (0.1 s, 100 periods of the tone):
   * every 4 s for the first two minutes, while the controller converges,
   * then every two minutes. Every sample is checked for clicks. */
  const double window_s = 0.1;
  const gsize window = (gsize) (window_s * RATE_HZ);
  g_autofree float *win = g_new (float, window + PULL_FRAMES);
  gsize win_fill = 0;
  float prev1 = 0, prev2 = 0;
  guint64 n_out = 0;
  outcome->min_window_sinad_db = INFINITY;
  outcome->fill_min_after_settle = INFINITY;
  outcome->fill_max_after_settle = -INFINITY;
  double w = 2 * G_PI * TONE_HZ * (1.0 + sim->drift_ppm * 1e-6) / RATE_HZ;
  double step_limit = 1.5 * w * AMPLITUDE + 1e-4, bend_limit = 2 * w * w * AMPLITUDE + 1e-4;

  while (next_pull_s < sim->seconds)
    {
      if (next_block_s <= next_pull_s)
        {
          for (int i = 0; i < BLOCK_FRAMES; i++)
            block[i] = period[(n_produced + i) % 48];
          g_assert_cmpuint (fer_ring_write (ring, block, BLOCK_FRAMES), ==, BLOCK_FRAMES);
          n_produced += BLOCK_FRAMES;
          n_blocks++;
          double nominal = (double) n_blocks * BLOCK_FRAMES / producer_rate;
          if (sim->stall_s > 0 && nominal >= sim->stall_at_s && nominal < sim->stall_at_s + sim->stall_s)
            nominal = sim->stall_at_s + sim->stall_s;   /* late, all at once */
          last_block_s = MAX (last_block_s, nominal + g_rand_double_range (rand, 0, 0.004));
          next_block_s = last_block_s;
          continue;
        }

      fer_playout_pull (playout, out, PULL_FRAMES);
      pull++;
      double t = (double) pull * PULL_FRAMES / RATE_HZ;
      next_pull_s = 0.05 + t + g_rand_double_range (rand, -0.003, 0.003);

      /* Clicks, everywhere past the first priming. */
      for (gsize i = 0; i < PULL_FRAMES; i++, n_out++)
        {
          if (n_out > 2 * TARGET_FILL + 2 * PULL_FRAMES)
            {
              double step = fabs ((double) out[i] - prev1);
              double bend = fabs ((double) out[i] - 2.0 * prev1 + prev2);
              outcome->max_step = MAX (outcome->max_step, step);
              outcome->max_bend = MAX (outcome->max_bend, bend);
              if ((step > step_limit || bend > bend_limit)
                  && (outcome->n_clicks == 0
                      || (double) n_out / RATE_HZ > outcome->first_click_s + 0.1))
                {
                  if (outcome->n_clicks == 0)
                    outcome->first_click_s = (double) n_out / RATE_HZ;
                  outcome->n_clicks++;
                }
            }
          prev2 = prev1;
          prev1 = out[i];
        }

      FerPlayoutStats stats;
      fer_playout_get_stats (playout, &stats);
      if (sim->stall_s > 0 && outcome->target_after_stall == 0
          && t > sim->stall_at_s + sim->stall_s + 1)
        outcome->target_after_stall = stats.target_frames;
      if (t > 300 && sim->stall_s == 0)
        {
          outcome->fill_min_after_settle = MIN (outcome->fill_min_after_settle,
                                                stats.fill_frames);
          outcome->fill_max_after_settle = MAX (outcome->fill_max_after_settle,
                                                stats.fill_frames);
        }

      /* A window to fit? */
      gboolean keep = t > 1.0 && fmod (t, t < 120 ? 4.0 : 120.0) < window_s;
      if (keep || win_fill > 0)
        {
          memcpy (win + win_fill, out, sizeof out);
          win_fill += PULL_FRAMES;
          if (win_fill >= window)
            {
              FerToneFit fit;
              g_assert_true (fer_tone_fit (win, window, RATE_HZ, TONE_HZ, &fit));
              outcome->min_window_sinad_db = MIN (outcome->min_window_sinad_db, fit.sinad_db);
              outcome->last_freq_hz = fit.freq_hz;
              outcome->n_windows++;
              win_fill = 0;
            }
        }
    }
  fer_playout_get_stats (playout, &outcome->stats);
  outcome->n_pulls = pull;
  g_rand_free (rand);
}

static void
test_playout_drift (gconstpointer data)
{
  const Simulation *sim = data;
  Outcome o;
  gint64 t0 = g_get_monotonic_time ();
  simulate (sim, &o);
  double wall_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  double band = TARGET_FILL / 8.0;   /* the playout's dead band */
  g_test_message ("%+.0f ppm for %.0f s (computed in %.1f s): %" G_GUINT64_FORMAT " underruns, %"
                  G_GUINT64_FORMAT " frames discarded; fill before a pull %zu..%zu (target %d), "
                  "smoothed %.0f..%.0f after 5 min; ratio %+.1f ppm; tone %.4f Hz, worst "
                  "SINAD %.1f dB in %u windows; max step %.4f, bend %.5f",
                  sim->drift_ppm, sim->seconds, wall_s, o.stats.n_underruns, o.stats.n_discarded,
                  o.stats.fill_min_frames, o.stats.fill_max_frames, TARGET_FILL,
                  o.fill_min_after_settle, o.fill_max_after_settle,
                  (o.stats.ratio - 1) * 1e6, o.last_freq_hz, o.min_window_sinad_db, o.n_windows,
                  o.max_step, o.max_bend);

  /* Never dry, never overflowing, never dropping to catch up, no click. */
  g_assert_cmpuint (o.n_clicks, ==, 0);
  g_assert_cmpuint (o.stats.n_underruns, ==, 0);
  g_assert_cmpuint (o.stats.target_frames, ==, TARGET_FILL);
  g_assert_cmpuint (o.stats.n_discarded, ==, 0);
  g_assert_false (o.stats.priming);
  /* Each pull found at least its own worth, and never more than the target
   * plus the jitter. Smoothed, the fill sits at the dead band's edge. */
  g_assert_cmpuint (o.stats.fill_min_frames, >=, PULL_FRAMES + 64);
  g_assert_cmpuint (o.stats.fill_max_frames, <=, TARGET_FILL + 1024);
  g_assert_cmpfloat (o.fill_min_after_settle, >=, TARGET_FILL - band - 64);
  g_assert_cmpfloat (o.fill_max_after_settle, <=, TARGET_FILL + band + 64);
  /* It learned the clocks' ratio: the tone plays at the dongle's pace. */
  g_assert_cmpfloat_with_epsilon ((o.stats.ratio - 1) * 1e6, sim->drift_ppm, 10);
  g_assert_cmpfloat_with_epsilon (o.last_freq_hz, TONE_HZ * (1 + sim->drift_ppm * 1e-6), 0.005);
  g_assert_cmpfloat (o.min_window_sinad_db, >=, 60);
  g_assert_cmpuint (o.n_windows, >=, 30);
}

/* The dongle side stalls for 100 ms (a busy machine): one dropout, and the
 * cushion grows by a callback's worth so the next stall of that size passes
 * unheard; after ten quiet minutes it is back where it started. */
static void
test_playout_cushion_grows (void)
{
  static const Simulation sim = { +50, 720, 5, 30.0, 0.100 };
  Outcome o;
  simulate (&sim, &o);
  g_test_message ("stall of %.0f ms at %.0f s: %" G_GUINT64_FORMAT " underruns, %u clicks "
                  "(first at %.3f s); target %zu after it, %zu at the end",
                  sim.stall_s * 1e3, sim.stall_at_s, o.stats.n_underruns, o.n_clicks,
                  o.first_click_s, o.target_after_stall, o.stats.target_frames);
  g_assert_cmpuint (o.stats.n_underruns, ==, 1);
  g_assert_cmpuint (o.n_clicks, ==, 1);
  g_assert_cmpfloat_with_epsilon (o.first_click_s, sim.stall_at_s, 0.2);
  g_assert_cmpuint (o.target_after_stall, ==, TARGET_FILL + PULL_FRAMES);
  g_assert_cmpuint (o.stats.target_frames, ==, TARGET_FILL);
  g_assert_cmpuint (o.stats.n_discarded, ==, 0);
  g_assert_cmpfloat (o.min_window_sinad_db, >=, 60);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audio/drift/resampler-tone-at-ratio", test_resampler_tone);
  g_test_add_func ("/audio/drift/resampler-consumes-exactly", test_resampler_accounting);
  g_test_add_func ("/audio/drift/controller-dead-band-and-limit", test_controller_dead_band);
  static const Simulation fast = { +300, LONG_S, 1 }, slow = { -300, LONG_S, 2 },
                          mild = { +200, 600, 3 }, mild_slow = { -200, 600, 4 };
  g_test_add_data_func ("/audio/drift/hour-dongle-300ppm-fast", &fast, test_playout_drift);
  g_test_add_data_func ("/audio/drift/hour-dongle-300ppm-slow", &slow, test_playout_drift);
  g_test_add_func ("/audio/drift/cushion-grows-after-a-dropout", test_playout_cushion_grows);
  g_test_add_data_func ("/audio/drift/10-min-dongle-200ppm-fast", &mild, test_playout_drift);
  g_test_add_data_func ("/audio/drift/10-min-dongle-200ppm-slow", &mild_slow,
                        test_playout_drift);
  return g_test_run ();
}
