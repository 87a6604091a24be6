/* test-source-demo.c - the driver end to end on the emulated dongle.
 *
 * The demo source runs the real RTL2832U and R820T driver against the
 * emulator, which takes LO, IF, inversion, rate and gain only from the
 * registers the driver wrote. So a carrier showing up in the right FFT bin
 * proves the register programming, not a shortcut. Carriers are placed
 * 300 kHz above each centre; the image on the other side must stay weak.
 */
#include <math.h>
#include <string.h>

#include "device/emu/emu-dongle.h"
#include "device/emu/scene.h"
#include "device/rtl2832.h"
#include "device/source-demo.h"
#include "device/source-dongle.h"
#include "device/usb-emu.h"
#include "demo-rig.h"

#define OFFSET_HZ 300e3
#define CARRIER_DBFS (-20.0)

static const double centers_mhz[] = {
  24.5, 52.0, 100.0, 433.92, 868.0, 1090.0, 1500.0, 1765.0,
};

static FerScene *
carrier_scene (void)
{
  double freqs_hz[G_N_ELEMENTS (centers_mhz)];
  for (guint i = 0; i < G_N_ELEMENTS (centers_mhz); i++)
    freqs_hz[i] = centers_mhz[i] * 1e6 + OFFSET_HZ;
  return demo_carrier_scene (freqs_hz, G_N_ELEMENTS (centers_mhz), CARRIER_DBFS);
}

/* --- Fixture: the demo source on a scene of carriers --------------------- */

static void
fixture_start (DemoRig *fx, double xtal_ppm, gboolean realtime, gsize block_bytes,
               guint n_blocks)
{
  g_autoptr (GError) error = NULL;
  FerEmuDongle *emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, carrier_scene ());

  fer_emu_dongle_set_xtal_ppm (emu, xtal_ppm);
  FerSource *source = fer_source_demo_new_with_emu (emu, realtime, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fer_source_get_kind (source), ==, FER_SOURCE_KIND_DEMO);
  g_assert_cmpstr (fer_source_get_name (source), ==, FER_SOURCE_DEMO_NAME);
  /* a fixed gain keeps levels predictable: 29.7 dB is a step of the R820T */
  demo_rig_start_source (fx, emu, source, 29.7, block_bytes, n_blocks);
}

static void
setup (DemoRig *fx, gconstpointer data)
{
  fixture_start (fx, 0.0, FALSE, DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
}

static void
setup_fast_crystal (DemoRig *fx, gconstpointer data)
{
  fixture_start (fx, 60.0, FALSE, DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
}

static void
teardown (DemoRig *fx, gconstpointer data)
{
  demo_rig_stop (fx);
}

/* --- Tests --------------------------------------------------------------- */

static void
test_carrier_lands_in_its_bin (DemoRig *fx, gconstpointer data)
{
  double bin_hz = 2.4e6 / DEMO_FFT_N;
  int expected = (int) lround (OFFSET_HZ / bin_hz);
  static DemoSpectrum s;

  for (guint i = 0; i < G_N_ELEMENTS (centers_mhz); i++)
    {
      double center_hz = centers_mhz[i] * 1e6;
      demo_rig_tune_and_measure (fx, center_hz, &s);
      if (ABS (s.peak_bin - expected) > 1)
        g_error ("tuned to %.3f MHz: carrier in bin %d, expected %d (%.0f Hz off)",
                 centers_mhz[i], s.peak_bin, expected, (s.peak_bin - expected) * bin_hz);
      /* at the expected strength, and the mirror image (a wrong inversion or
       * IF sign) 30 dB or more below it */
      g_assert_cmpfloat (s.peak_db, >, CARRIER_DBFS - 3.0 - 6.0);
      g_assert_cmpfloat (s.peak_db - demo_bin_db (&s, -expected), >, 30.0);
      /* finer: within the PLL's step (at most 440 Hz, rounded to half) */
      g_assert_cmpfloat_with_epsilon (s.tone_norm * 2.4e6, OFFSET_HZ, 250.0);
    }
}

static void
test_crystal_error_and_ppm (DemoRig *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double center_hz = 433.92e6, bin_hz = 2.4e6 / DEMO_FFT_N;
  int expected = (int) lround (OFFSET_HZ / bin_hz);
  static DemoSpectrum s;

  /* A crystal 60 ppm fast puts the whole tuning 26 kHz high, so the carrier
   * shows 26 kHz low (the sample clock is fast by the same 60 ppm). */
  demo_rig_tune_and_measure (fx, center_hz, &s);
  double shift_hz = center_hz * 60e-6;
  double actual_bin_hz = bin_hz * (1 + 60e-6);
  int shifted = (int) lround ((OFFSET_HZ - shift_hz) / actual_bin_hz);
  g_assert_cmpint (ABS (s.peak_bin - shifted), <=, 1);
  g_assert_cmpint (expected - s.peak_bin, >, 40);
  /* the dongle really samples 60 ppm fast */
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_sample_rate (fx->emu) / 2.4e6,
                                  1 + 60e-6, 1e-6);

  /* Correcting the same 60 ppm puts it back. */
  g_assert_true (fer_source_set_ppm (fx->source, 60, &error));
  g_assert_no_error (error);
  demo_rig_measure (fx, &s);
  g_assert_cmpint (ABS (s.peak_bin - expected), <=, 1);
  g_assert_cmpfloat_with_epsilon (s.tone_norm * 2.4e6, OFFSET_HZ, 100.0);
  /* and samples at the rate asked for, to a ppm */
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_sample_rate (fx->emu) / 2.4e6, 1.0, 1e-6);
}

static void
test_manual_gain_sets_level (DemoRig *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  static DemoSpectrum s;

  demo_rig_tune_and_measure (fx, 100e6, &s);
  double at_29_7 = s.peak_db;
  g_assert_true (fer_source_set_gain (fx->source, 19.7, &error));
  g_assert_no_error (error);
  demo_rig_measure (fx, &s);
  /* 29.7 and 19.7 dB are both R820T steps: the carrier drops 10 dB */
  g_assert_cmpfloat_with_epsilon (at_29_7 - s.peak_db, 10.0, 0.5);
}

static void
test_test_mode_counter_has_no_gaps (DemoRig *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FerRtl2832 *rtl = fer_source_dongle_get_rtl2832 (fx->source);
  const guint64 n_bytes_wanted = 2ull * 24000000;   /* 10 s at 2.4 MS/s */
  guint64 n_bytes = 0, expected_seq = 0;
  guint8 expected = 0;
  gboolean synced = FALSE;

  g_assert_true (fer_rtl2832_set_test_mode (rtl, TRUE, &error));
  g_assert_no_error (error);
  /* samples from before the switch are fenced off by the first block that
   * starts a counter run; from there every byte is the last plus one */
  while (n_bytes < n_bytes_wanted)
    {
      FerBlock *block = demo_rig_pop (fx);
      if (!synced)
        {
          /* the first block made entirely after the switch */
          gboolean counting = TRUE;
          for (gsize i = 1; i < block->n_bytes && counting; i++)
            counting = block->data[i] == (guint8) (block->data[i - 1] + 1);
          if (!counting)
            {
              expected_seq = block->seq + 1;
              fer_block_release (block);
              continue;
            }
          synced = TRUE;
          expected = block->data[0];
          expected_seq = block->seq;
        }
      g_assert_cmpuint (block->seq, ==, expected_seq);
      expected_seq++;
      g_assert_cmpuint (block->flags & FER_BLOCK_FLAG_DISCONTINUITY, ==, 0);
      for (gsize i = 0; i < block->n_bytes; i++, expected++)
        if (block->data[i] != expected)
          g_error ("counter broke at byte %" G_GUINT64_FORMAT ": %u, expected %u",
                   n_bytes + i, block->data[i], expected);
      n_bytes += block->n_bytes;
      fer_block_release (block);
    }
  g_assert_cmpuint (fer_source_get_n_dropped (fx->source), ==, 0);
}

static void
test_realtime_rate_matches (void)
{
  static const double rates_hz[] = { 2.4e6, 1.024e6 };

  for (guint r = 0; r < G_N_ELEMENTS (rates_hz); r++)
    {
      g_autoptr (GError) error = NULL;
      DemoRig fx = { 0 };
      FerEmuDongle *emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, carrier_scene ());

      fx.source = fer_source_demo_new_with_emu (emu, TRUE, &error);
      g_assert_no_error (error);
      g_assert_true (fer_source_set_rate (fx.source, rates_hz[r], &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (fer_source_get_rate (fx.source), ==, rates_hz[r]);
      /* 64 blocks: 220 ms of slack for a busy machine */
      fx.pool = fer_block_pool_new (64, DEMO_BLOCK_BYTES);
      fx.queue = g_async_queue_new ();
      g_assert_true (fer_source_start (fx.source, fx.pool, fx.queue, &error));

      /* Count samples between the arrival of the first block and of the
       * last one ~1.5 s of wall clock later. */
      FerBlock *first = demo_rig_pop (&fx);
      gint64 t0 = first->time_us, t1 = t0;
      fer_block_release (first);
      guint64 n_samples = 0;
      while (t1 - t0 < 1500000)
        {
          FerBlock *block = demo_rig_pop (&fx);
          g_assert_cmpfloat (block->rate_hz, ==, rates_hz[r]);
          n_samples += block->n_bytes / 2;
          t1 = block->time_us;
          fer_block_release (block);
        }
      double measured = n_samples / ((t1 - t0) / 1e6);
      g_assert_cmpfloat_with_epsilon (measured / rates_hz[r], 1.0, 0.01);
      g_assert_cmpuint (fer_source_get_n_dropped (fx.source), ==, 0);
      teardown (&fx, NULL);
    }
}

static void
test_r828d_carrier_lands (void)
{
  g_autoptr (GError) error = NULL;
  DemoRig fx = { 0 };
  double bin_hz = 2.4e6 / DEMO_FFT_N;
  int expected = (int) lround (OFFSET_HZ / bin_hz);
  static DemoSpectrum s;

  /* the R828D: another I2C address, its own 16 MHz crystal, another VCO
   * reference code, and input switching at 345 MHz */
  fx.emu = fer_emu_dongle_new (FER_EMU_TUNER_R828D, carrier_scene ());
  fx.source = fer_source_dongle_new (fer_usb_emu_new (fx.emu, FER_EMU_PACE_UNTHROTTLED),
                                     FER_SOURCE_KIND_DEMO, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fer_source_get_name (fx.source), ==,
                   "Emulated RTL2832U + R828D (demo) (Rafael Micro R828D)");
  g_assert_true (fer_source_set_gain (fx.source, 29.7, &error));
  fx.pool = fer_block_pool_new (DEMO_POOL_BLOCKS, DEMO_BLOCK_BYTES);
  fx.queue = g_async_queue_new ();
  g_assert_true (fer_source_start (fx.source, fx.pool, fx.queue, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (centers_mhz); i += 3)
    {
      demo_rig_tune_and_measure (&fx, centers_mhz[i] * 1e6, &s);
      g_assert_cmpint (ABS (s.peak_bin - expected), <=, 1);
      g_assert_cmpfloat_with_epsilon (s.tone_norm * 2.4e6, OFFSET_HZ, 250.0);
    }
  teardown (&fx, NULL);
}

static void
test_default_demo_source (void)
{
  g_autoptr (GError) error = NULL;
  FerSource *source = fer_source_demo_new (TRUE, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (fer_source_get_name (source), ==, "Demo dongle (emulated RTL2832U + R820T)");
  g_assert_cmpfloat (fer_source_get_center (source), ==, 100e6);
  g_assert_cmpfloat (fer_source_get_rate (source), ==, 2.4e6);
  g_assert_cmpfloat (source->min_center_hz, ==, 0.0);   /* direct sampling below 24 MHz */
  g_assert_cmpfloat (source->max_center_hz, ==, 1766e6);
  guint n = 0;
  fer_source_get_gains (source, &n);
  g_assert_cmpuint (n, ==, 30);
  fer_source_free (source);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/device/source-demo/carrier-lands-in-its-bin-24-1765mhz", DemoRig, NULL,
              setup, test_carrier_lands_in_its_bin, teardown);
  g_test_add ("/device/source-demo/crystal-60ppm-off-and-corrected", DemoRig, NULL,
              setup_fast_crystal, test_crystal_error_and_ppm, teardown);
  g_test_add ("/device/source-demo/manual-gain-sets-level", DemoRig, NULL,
              setup, test_manual_gain_sets_level, teardown);
  g_test_add ("/device/source-demo/test-mode-counter-10s-no-gaps", DemoRig, NULL,
              setup, test_test_mode_counter_has_no_gaps, teardown);
  g_test_add_func ("/device/source-demo/realtime-rate-matches", test_realtime_rate_matches);
  g_test_add_func ("/device/source-demo/r828d-carrier-lands", test_r828d_carrier_lands);
  g_test_add_func ("/device/source-demo/default-demo-source", test_default_demo_source);

  return g_test_run ();
}
