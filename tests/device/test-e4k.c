/* test-e4k.c - the Elonics E4000 driver through the RTL2832U driver, against
 * the recording fake of the chip (fake-rtl2832.h) with an E4000 on its bus.
 *
 * The fake E4000 is a plain register file whose PLL lock bit follows the
 * synthesizer registers the way the chip's does (VCO from about 2.49 to
 * 4.4 GHz). Tests recompute the LO from the written registers and check the
 * band, filter, gain and demodulator registers a tune, a gain, a bandwidth,
 * offset tuning or a correction produce. Then the same driver end to end on
 * the emulated dongle with its E4000 model (demo-rig.h): carriers land in
 * their bins across the range, gains change the level, and offset tuning
 * moves the tuner's DC spike off the signal.
 */
#include <math.h>
#include <string.h>

#include "device/rtl2832.h"
#include "device/source-dongle.h"
#include "device/tuner-e4k.h"
#include "demo-rig.h"
#include "fake-rtl2832.h"

#define XTAL_HZ 28800000.0
#define VCO_MIN_HZ 2.49e9
#define VCO_MAX_HZ 4.4e9

/* Divider by SYNTH7 code: bit 3 set (three-phase) and clear. */
static const guint8 divider_3phase[8] = { 0, 8, 12, 16, 24, 32, 40, 48 };
static const guint8 divider_2phase[8] = { 2, 4, 6, 8, 0, 0, 0, 0 };

/* LO = xtal (Z + X / 65536) / divider, from registers 0x09..0x0b, 0x0d. */
static double
e4k_lo_hz (const guint8 *regs, double xtal_hz, double *vco_out)
{
  guint8 synth7 = regs[0x0d];
  guint divider = (synth7 & 0x08) ? divider_3phase[synth7 & 7] : divider_2phase[synth7 & 7];
  double vco_hz = xtal_hz * (regs[0x09] + (regs[0x0b] << 8 | regs[0x0a]) / 65536.0);
  if (vco_out != NULL)
    *vco_out = vco_hz;
  return divider != 0 ? vco_hz / divider : 0.0;
}

/* The chip's lock bit (SYNTH1 bit 0) follows the VCO. */
static void
e4k_lock_hook (FakeChip *chip, guint8 i2c_addr, gpointer user_data)
{
  guint8 *regs = chip->i2c_regs[i2c_addr];
  double vco_hz;

  e4k_lo_hz (regs, XTAL_HZ, &vco_hz);
  if (vco_hz >= VCO_MIN_HZ && vco_hz <= VCO_MAX_HZ)
    regs[0x07] |= 0x01;
  else
    regs[0x07] &= (guint8) ~0x01;
}

typedef struct {
  FakeChip *chip;
  FerRtl2832 *rtl;
  const guint8 *regs;
} Fixture;

static FakeChip *
e4k_chip_new (void)
{
  FakeChip *chip = fake_chip_new (E4K_I2C_ADDR, FAKE_I2C_PLAIN);
  chip->i2c_regs[E4K_I2C_ADDR][E4K_CHIP_ID_REG] = E4K_CHIP_ID;
  chip->i2c_hook = e4k_lock_hook;
  return chip;
}

static void
setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fx->chip = e4k_chip_new ();
  fx->regs = fx->chip->i2c_regs[E4K_I2C_ADDR];
  fx->rtl = fer_rtl2832_open (fake_usb_new (fx->chip), &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->rtl);
}

static void
teardown (Fixture *fx, gconstpointer data)
{
  fer_rtl2832_close (fx->rtl);
  g_assert_true (fx->chip->closed);
  /* close put the E4000 in standby */
  g_assert_cmphex (fx->regs[0x00] & 0x02, ==, 0);
  g_assert_cmpuint (fx->chip->n_i2c_without_repeater, ==, 0);
  fake_chip_free (fx->chip);
}

static void
tune (Fixture *fx, guint32 freq_hz)
{
  g_autoptr (GError) error = NULL;
  fer_rtl2832_set_center_freq (fx->rtl, freq_hz, &error);
  g_assert_no_error (error);
}

/* --- Tests -------------------------------------------------------------- */

static void
test_open_zero_if (Fixture *fx, gconstpointer data)
{
  FakeChip *chip = fx->chip;

  g_assert_cmpstr (fer_rtl2832_get_tuner_name (fx->rtl), ==, "Elonics E4000");
  /* zero IF: baseband input, I and Q ADCs, no inversion, no IF shift */
  g_assert_cmphex (chip->demod[1][0xb1], ==, 0x1b);
  g_assert_cmphex (chip->demod[0][0x08], ==, 0xcd);
  g_assert_cmphex (chip->demod[0][0x06], ==, 0x80);
  g_assert_cmphex (chip->demod[1][0x15], ==, 0x00);
  g_assert_cmpfloat (fake_demod_if_hz (chip, XTAL_HZ), ==, 0.0);

  /* E4000 init: running, clock output off, vendor registers */
  g_assert_cmphex (fx->regs[0x00] & 0x02, ==, 0x02);
  g_assert_cmphex (fx->regs[0x7a], ==, 0x96);
  g_assert_cmphex (fx->regs[0x7e], ==, 0x01);
  g_assert_cmphex (fx->regs[0xa0], ==, 0x07);
  g_assert_cmphex (fx->regs[0x1d], ==, 0x10);
  g_assert_cmphex (fx->regs[0x1f], ==, 0x1a);
  /* tuner AGC: LNA autonomous, mixer under AGC */
  g_assert_true (fer_rtl2832_get_tuner_agc (fx->rtl));
  g_assert_cmphex (fx->regs[0x1a] & 0x0f, ==, 0x09);
  g_assert_cmphex (fx->regs[0x20] & 0x01, ==, 0x01);
  /* IF stages: +6, 0, 0, 0, +9, +9 dB */
  g_assert_cmphex (fx->regs[0x16], ==, 0x01);
  g_assert_cmphex (fx->regs[0x17], ==, 2 | 2 << 3);
  /* filters follow the 2.4 MS/s stream: mixer 2.3 MHz, RC 2.6 MHz, channel
   * 2.4 MHz and on */
  g_assert_cmphex (fx->regs[0x11], ==, 14 << 4 | 12);
  g_assert_cmphex (fx->regs[0x12] & 0x3f, ==, 26);

  /* default tuning 100 MHz */
  g_assert_cmpfloat_with_epsilon (e4k_lo_hz (fx->regs, XTAL_HZ, NULL), 100e6, 250.0);
  guint32 min_hz, max_hz;
  fer_rtl2832_get_freq_range (fx->rtl, &min_hz, &max_hz);
  g_assert_cmpuint (min_hz, ==, 0);
  g_assert_cmpuint (max_hz, ==, 2200000000u);
}

static void
test_tune_100mhz_registers (Fixture *fx, gconstpointer data)
{
  tune (fx, 433920000);
  tune (fx, 100000000);
  /* divider 32 three-phase; VCO 3.2 GHz = 28.8 MHz x (111 + 7281 / 65536) */
  g_assert_cmphex (fx->regs[0x0d], ==, 0x08 | 5);
  g_assert_cmphex (fx->regs[0x09], ==, 111);
  g_assert_cmphex (fx->regs[0x0a], ==, 7281 & 0xff);
  g_assert_cmphex (fx->regs[0x0b], ==, 7281 >> 8);
  /* VHF2 band, VHF/UHF bias, RF filter 0, locked */
  g_assert_cmphex (fx->regs[0x07] & 0x06, ==, 0 << 1);
  g_assert_cmphex (fx->regs[0x78], ==, 0x03);
  g_assert_cmphex (fx->regs[0x10] & 0x0f, ==, 0);
  g_assert_cmphex (fx->regs[0x07] & 0x01, ==, 0x01);
}

typedef struct {
  double freq_mhz;
  guint band, rf_filter;
  guint8 bias;
} BandCase;

static void
test_tune_bands_and_filters (Fixture *fx, gconstpointer data)
{
  static const BandCase cases[] = {
    { 52.0, 0, 0, 3 },
    { 139.9, 0, 0, 3 },
    { 200.0, 1, 0, 3 },
    { 349.0, 1, 0, 3 },
    { 433.92, 2, 3, 3 },    /* nearest filter centre 425 MHz */
    { 800.0, 2, 12, 3 },    /* 760 MHz */
    { 1090.0, 2, 15, 3 },   /* 970 MHz, the last */
    { 1500.0, 3, 6, 0 },    /* L band: 1490 MHz */
    { 2200.0, 3, 15, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      tune (fx, (guint32) lround (cases[i].freq_mhz * 1e6));
      g_assert_cmpuint ((fx->regs[0x07] >> 1) & 3, ==, cases[i].band);
      g_assert_cmpuint (fx->regs[0x10] & 0x0f, ==, cases[i].rf_filter);
      g_assert_cmphex (fx->regs[0x78], ==, cases[i].bias);
    }
}

static void
test_tune_lo_across_range (Fixture *fx, gconstpointer data)
{
  static const double list_mhz[] = {
    52.0, 60.0, 72.399, 72.4, 81.2, 88.0, 100.0, 108.3, 137.0, 144.0, 162.5, 216.6, 300.0,
    325.0, 349.999, 350.0, 432.0, 433.92, 446.0, 667.0, 868.0, 915.0, 1000.0, 1090.0,
    1100.0, 1250.0, 1296.0, 1420.405, 1575.42, 1700.0, 2000.0, 2200.0,
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (4000);
  guint n_list = G_N_ELEMENTS (list_mhz);

  for (guint i = 0; i < n_list + 200; i++)
    {
      guint32 freq_hz = i < n_list ? (guint32) lround (list_mhz[i] * 1e6)
                                   : (guint32) g_rand_int_range (rand, 52000000, 1100000001);
      if (i >= n_list + 100)
        freq_hz = 1250000000u + (guint32) g_rand_int_range (rand, 0, 950000001);
      double vco_hz;
      tune (fx, freq_hz);
      double lo_hz = e4k_lo_hz (fx->regs, XTAL_HZ, &vco_hz);
      /* the truncated fraction keeps the LO at most 220 Hz low */
      if (lo_hz > freq_hz + 1.0 || lo_hz < freq_hz - 221.0)
        g_error ("tuning %u Hz: LO %.1f Hz", freq_hz, lo_hz);
      g_assert_cmpfloat (vco_hz, >=, VCO_MIN_HZ);
      g_assert_cmpfloat (vco_hz, <=, VCO_MAX_HZ);
      /* three-phase mixing below 350 MHz */
      g_assert_cmpuint ((fx->regs[0x0d] & 0x08) != 0, ==, freq_hz < 350000000);
    }
}

static void
test_gap_and_range (Fixture *fx, gconstpointer data)
{
  static const guint32 gap_hz[] = { 1110000000, 1180000000, 1240000000 };
  static const guint32 out_hz[] = { 51999999, 2200000001u, 3000000000u };

  tune (fx, 1090000000);
  guint8 before[5];
  memcpy (before, &fx->regs[0x09], sizeof before);
  for (guint i = 0; i < G_N_ELEMENTS (gap_hz); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (fer_rtl2832_set_center_freq (fx->rtl, gap_hz[i], &error));
      g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "does not lock"));
      g_assert_nonnull (strstr (error->message, "1100 to 1250 MHz"));
      /* the last good tuning was put back */
      g_assert_cmpmem (before, sizeof before, &fx->regs[0x09], sizeof before);
      g_assert_cmphex (fx->regs[0x07] & 0x01, ==, 0x01);
      g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, 1090000000);
      g_assert_cmphex (fx->chip->demod[1][0x01], ==, 0x10);
    }
  for (guint i = 0; i < G_N_ELEMENTS (out_hz); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (fer_rtl2832_set_center_freq (fx->rtl, out_hz[i], &error));
      g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "52 to 2200 MHz"));
    }
  g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, 1090000000);

  /* from direct sampling into the gap: refused, and direct sampling stays */
  tune (fx, 7100000);
  g_assert_cmpint (fer_rtl2832_get_direct_input (fx->rtl), ==, FER_RTL2832_DIRECT_Q);
  g_autoptr (GError) error = NULL;
  g_assert_false (fer_rtl2832_set_center_freq (fx->rtl, 1180000000, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_cmpint (fer_rtl2832_get_direct_input (fx->rtl), ==, FER_RTL2832_DIRECT_Q);
  g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, 7100000);
  g_assert_cmphex (fx->regs[0x00] & 0x02, ==, 0);     /* the E4000 in standby again */
}

typedef struct {
  int request, step;
  guint8 lna_code, mixer_12db;
} GainCase;

static void
test_manual_gain_registers (Fixture *fx, gconstpointer data)
{
  static const GainCase cases[] = {
    { -10, -10, 0, 0 },     /* LNA -5 dB + mixer 4 dB */
    { 15, 15, 1, 0 },
    { 40, 40, 4, 0 },       /* LNA 0 dB */
    { 100, 90, 6, 0 },      /* nearest step: 9 dB = LNA 5 + mixer 4 */
    { 240, 240, 12, 0 },
    { 290, 290, 13, 0 },
    { 340, 340, 14, 0 },    /* LNA 30 dB: the most with the 4 dB mixer */
    { 420, 420, 14, 1 },    /* LNA 30 dB + mixer 12 dB */
    { 999, 420, 14, 1 },
    { -99, -10, 0, 0 },
  };
  guint n = 0;
  const int *gains = fer_rtl2832_get_gains (fx->rtl, &n);

  g_assert_cmpuint (n, ==, 14);
  g_assert_cmpint (gains[0], ==, -10);
  g_assert_cmpint (gains[n - 1], ==, 420);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (gains[i], >, gains[i - 1]);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (fer_rtl2832_set_gain (fx->rtl, cases[i].request, &error));
      g_assert_no_error (error);
      g_assert_cmpint (fer_rtl2832_get_gain (fx->rtl), ==, cases[i].step);
      g_assert_false (fer_rtl2832_get_tuner_agc (fx->rtl));
      g_assert_cmphex (fx->regs[0x1a] & 0x0f, ==, 0x00);    /* LNA manual */
      g_assert_cmphex (fx->regs[0x20] & 0x01, ==, 0x00);    /* mixer manual */
      g_assert_cmphex (fx->regs[0x14] & 0x0f, ==, cases[i].lna_code);
      g_assert_cmphex (fx->regs[0x15] & 0x01, ==, cases[i].mixer_12db);
    }

  g_assert_true (fer_rtl2832_set_gain (fx->rtl, 165, NULL));
  g_assert_true (fer_rtl2832_set_tuner_agc (fx->rtl, TRUE, NULL));
  g_assert_cmphex (fx->regs[0x1a] & 0x0f, ==, 0x09);
  g_assert_cmphex (fx->regs[0x20] & 0x01, ==, 0x01);
  g_assert_true (fer_rtl2832_set_tuner_agc (fx->rtl, FALSE, NULL));
  g_assert_cmpint (fer_rtl2832_get_gain (fx->rtl), ==, 165);
  g_assert_cmphex (fx->regs[0x14] & 0x0f, ==, 9);   /* LNA 12.5 dB */
  g_assert_cmphex (fx->regs[0x1a] & 0x0f, ==, 0x00);
}

static void
test_if_gain_stages (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (fer_rtl2832_set_if_gain (fx->rtl, 1, -30, &error));
  g_assert_cmphex (fx->regs[0x16] & 0x01, ==, 0);
  g_assert_true (fer_rtl2832_set_if_gain (fx->rtl, 2, 90, &error));
  g_assert_cmphex ((fx->regs[0x16] >> 1) & 3, ==, 3);
  g_assert_true (fer_rtl2832_set_if_gain (fx->rtl, 3, 40, &error));   /* nearest: 3 dB */
  g_assert_cmphex ((fx->regs[0x16] >> 3) & 3, ==, 1);
  g_assert_true (fer_rtl2832_set_if_gain (fx->rtl, 4, 20, &error));
  g_assert_cmphex ((fx->regs[0x16] >> 5) & 3, ==, 2);
  g_assert_true (fer_rtl2832_set_if_gain (fx->rtl, 5, 30, &error));
  g_assert_cmphex (fx->regs[0x17] & 7, ==, 0);
  g_assert_true (fer_rtl2832_set_if_gain (fx->rtl, 6, 150, &error));
  g_assert_cmphex ((fx->regs[0x17] >> 3) & 7, ==, 4);
  g_assert_no_error (error);
  /* the other stages kept their values */
  g_assert_cmphex (fx->regs[0x17] & 7, ==, 0);

  g_assert_false (fer_rtl2832_set_if_gain (fx->rtl, 7, 30, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "stages 1 to 6"));
}

static void
test_bandwidth_follows_rate (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* an explicit 1.5 MHz: mixer 1.9, RC 1.8 (the first of two as near),
   * channel 2.15 MHz */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 1500000, &error));
  g_assert_cmphex (fx->regs[0x11], ==, 15 << 4 | 13);
  g_assert_cmphex (fx->regs[0x12] & 0x1f, ==, 31);
  /* a new rate leaves an explicit bandwidth alone */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 3200000, &error));
  g_assert_cmphex (fx->regs[0x11], ==, 15 << 4 | 13);
  /* automatic: the filters follow the rate, 3.2 MHz (mixer 3.3, RC 3.4,
   * channel 3.2) */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 0, &error));
  g_assert_cmphex (fx->regs[0x11], ==, 12 << 4 | 11);
  g_assert_cmphex (fx->regs[0x12] & 0x1f, ==, 14);
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 1024000, &error));
  g_assert_no_error (error);
  /* 1.024 MHz: mixer 1.9, RC 1.0, channel 2.15 MHz */
  g_assert_cmphex (fx->regs[0x11], ==, 15 << 4 | 15);
  g_assert_cmphex (fx->regs[0x12] & 0x1f, ==, 31);
}

static void
test_offset_tuning (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fx->chip;

  g_assert_false (fer_rtl2832_get_offset_tuning (fx->rtl));
  g_assert_true (fer_rtl2832_set_offset_tuning (fx->rtl, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (fer_rtl2832_get_offset_tuning (fx->rtl));
  /* 2.4 MS/s: the LO 2.04 MHz below 100 MHz, the demodulator shifts the
   * signal down from +2.04 MHz, the filters open to 4.08 MHz */
  g_assert_cmpint (fer_rtl2832_get_offset_hz (fx->rtl), ==, 2040000);
  g_assert_cmpfloat_with_epsilon (e4k_lo_hz (fx->regs, XTAL_HZ, NULL), 97.96e6, 250.0);
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (chip, XTAL_HZ), -2.04e6, 7.0);
  g_assert_cmphex (fx->regs[0x11], ==, 9 << 4 | 10);
  g_assert_cmphex (fx->regs[0x12] & 0x1f, ==, 7);
  g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, 100000000);

  /* tuning keeps the offset */
  tune (fx, 433920000);
  g_assert_cmpfloat_with_epsilon (e4k_lo_hz (fx->regs, XTAL_HZ, NULL), 431.88e6, 250.0);
  /* a new rate moves it: 0.85 x 1.024 MHz */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 1024000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fer_rtl2832_get_offset_hz (fx->rtl), ==, 870400);
  g_assert_cmpfloat_with_epsilon (e4k_lo_hz (fx->regs, XTAL_HZ, NULL), 433.92e6 - 870400,
                                  250.0);
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (chip, XTAL_HZ), -870400.0, 7.0);
  /* at the bottom of the range the LO goes above the signal */
  tune (fx, 52000000);
  g_assert_cmpint (fer_rtl2832_get_offset_hz (fx->rtl), ==, -870400);
  g_assert_cmpfloat_with_epsilon (e4k_lo_hz (fx->regs, XTAL_HZ, NULL), 52.8704e6, 250.0);
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (chip, XTAL_HZ), 870400.0, 7.0);

  /* off: LO on the signal, no shift, filters back to the rate */
  g_assert_true (fer_rtl2832_set_offset_tuning (fx->rtl, FALSE, &error));
  g_assert_cmpint (fer_rtl2832_get_offset_hz (fx->rtl), ==, 0);
  g_assert_cmpfloat_with_epsilon (e4k_lo_hz (fx->regs, XTAL_HZ, NULL), 52e6, 250.0);
  g_assert_cmpfloat (fake_demod_if_hz (chip, XTAL_HZ), ==, 0.0);
  g_assert_cmphex (fx->regs[0x11], ==, 15 << 4 | 15);
}

static void
test_ppm_correction (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double true_xtal_hz = XTAL_HZ * (1 + 60e-6);

  tune (fx, 433920000);
  g_assert_cmpfloat (fabs (e4k_lo_hz (fx->regs, true_xtal_hz, NULL) - 433.92e6), >, 20e3);
  g_assert_true (fer_rtl2832_set_freq_correction (fx->rtl, 60, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (e4k_lo_hz (fx->regs, true_xtal_hz, NULL), 433.92e6, 300.0);
}


/* --- End to end on the emulator ------------------------------------------ */

#define RATE_HZ 2400000.0
#define OFFSET_HZ 300e3
#define CARRIER_DBFS (-20.0)

static const double e2e_centers_mhz[] = {
  52.0, 100.0, 433.92, 868.0, 1090.0, 1300.0, 1700.0, 2150.0,
};

static FerEmuDongle *
e4k_dongle (void)
{
  double freqs_hz[G_N_ELEMENTS (e2e_centers_mhz)];
  for (guint i = 0; i < G_N_ELEMENTS (e2e_centers_mhz); i++)
    freqs_hz[i] = e2e_centers_mhz[i] * 1e6 + OFFSET_HZ;
  return fer_emu_dongle_new (FER_EMU_TUNER_E4000,
                             demo_carrier_scene (freqs_hz, G_N_ELEMENTS (freqs_hz),
                                                 CARRIER_DBFS));
}

static void
rig_setup (DemoRig *rig, gconstpointer data)
{
  /* 29 dB is an E4000 step (LNA 25 + mixer 4 dB) */
  demo_rig_start (rig, e4k_dongle (), 29.0, DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
  g_assert_cmpstr (fer_rtl2832_get_tuner_name (fer_source_dongle_get_rtl2832 (rig->source)), ==,
                   "Elonics E4000");
}

static void
rig_teardown (DemoRig *rig, gconstpointer data)
{
  demo_rig_stop (rig);
}

static void
test_emu_carrier_lands (DemoRig *rig, gconstpointer data)
{
  static DemoSpectrum s;
  int expected = demo_bin_of (OFFSET_HZ, RATE_HZ);

  for (guint i = 0; i < G_N_ELEMENTS (e2e_centers_mhz); i++)
    {
      demo_rig_tune_and_measure (rig, e2e_centers_mhz[i] * 1e6, &s);
      if (ABS (s.peak_bin - expected) > 1)
        g_error ("tuned to %.3f MHz: carrier in bin %d, expected %d", e2e_centers_mhz[i],
                 s.peak_bin, expected);
      /* at its level (29 dB of gain, 1 dB under the reference), and nothing
       * mirrored: the E4000's I/Q is not inverted */
      g_assert_cmpfloat_with_epsilon (s.peak_db, CARRIER_DBFS - 1.0, 3.0);
      g_assert_cmpfloat (s.peak_db - demo_bin_db (&s, -expected), >, 30.0);
    }
  /* the gap: refused, and the stream stays where it was */
  g_autoptr (GError) error = NULL;
  g_assert_false (fer_source_set_center (rig->source, 1180e6, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_cmpfloat (fer_source_get_center (rig->source), ==, 2150e6);
  demo_rig_measure (rig, &s);
  g_assert_cmpint (ABS (s.peak_bin - expected), <=, 1);
}

static void
test_emu_gain_steps (DemoRig *rig, gconstpointer data)
{
  static DemoSpectrum s;
  FerRtl2832 *rtl = fer_source_dongle_get_rtl2832 (rig->source);
  int bin = demo_bin_of (OFFSET_HZ, RATE_HZ);

  demo_rig_tune_and_measure (rig, 433.92e6, &s);
  double at_29 = demo_bin_db (&s, bin);
  /* LNA 15 + mixer 4 dB: 10 dB less (under the DC spike now: read its bin) */
  g_assert_true (fer_source_set_gain (rig->source, 19.0, NULL));
  demo_rig_measure (rig, &s);
  g_assert_cmpfloat_with_epsilon (at_29 - demo_bin_db (&s, bin), 10.0, 0.5);
  /* the last IF stage from 9 to 15 dB: 6 dB more */
  g_assert_true (fer_rtl2832_set_if_gain (rtl, 6, 150, NULL));
  demo_rig_measure (rig, &s);
  g_assert_cmpfloat_with_epsilon (at_29 - demo_bin_db (&s, bin), 4.0, 0.5);
  /* 42 dB: the mixer's 12 dB step */
  g_assert_true (fer_rtl2832_set_if_gain (rtl, 6, 90, NULL));
  g_assert_true (fer_source_set_gain (rig->source, 42.0, NULL));
  demo_rig_measure (rig, &s);
  g_assert_cmpfloat_with_epsilon (demo_bin_db (&s, bin) - at_29, 13.0, 0.5);

  /* the tuner's AGC settles the output near its target */
  g_assert_true (fer_source_set_gain (rig->source, NAN, NULL));
  demo_rig_measure (rig, &s);
  g_assert_cmpfloat (s.peak_db, <=, FER_EMU_AGC_TARGET_DBFS + 0.5);
  g_assert_cmpfloat (s.peak_db, >, FER_EMU_AGC_TARGET_DBFS - 6.0);
}

static void
test_emu_offset_tuning_moves_dc_spike (void)
{
  static DemoSpectrum s;
  static const double freq_hz = 100.1e6;
  DemoRig rig = { 0 };
  int signal_bin = demo_bin_of (100e3, RATE_HZ);
  g_autoptr (GError) error = NULL;

  /* a weak carrier 100 kHz above the tuned frequency */
  demo_rig_start (&rig, fer_emu_dongle_new (FER_EMU_TUNER_E4000,
                                            demo_carrier_scene (&freq_hz, 1, -45.0)),
                  29.0, DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
  g_assert_cmpuint (fer_source_get_caps (rig.source) & FER_SOURCE_CAP_OFFSET_TUNING, !=, 0);
  demo_rig_tune_and_measure (&rig, 100e6, &s);
  /* the tuner's DC offset dominates the middle of the stream */
  g_assert_cmpint (s.peak_bin, ==, 0);
  g_assert_cmpfloat (s.peak_db, >, demo_bin_db (&s, signal_bin) + 6.0);

  g_assert_true (fer_source_set_offset_tuning (rig.source, TRUE, &error));
  g_assert_no_error (error);
  demo_rig_measure (&rig, &s);
  /* now the carrier is the strongest thing, at its level, and the middle
   * holds only noise */
  g_assert_cmpint (ABS (s.peak_bin - signal_bin), <=, 1);
  g_assert_cmpfloat_with_epsilon (s.peak_db, -46.0, 3.0);
  g_assert_cmpfloat (demo_bin_db (&s, 0), <, s.peak_db - 20.0);
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_lo_hz (rig.emu), 100e6 - 2.04e6, 300.0);

  g_assert_true (fer_source_set_offset_tuning (rig.source, FALSE, &error));
  demo_rig_measure (&rig, &s);
  g_assert_cmpint (s.peak_bin, ==, 0);
  demo_rig_stop (&rig);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/device/e4k/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("open-sets-zero-if-and-inits", test_open_zero_if);
  ADD ("tune-100mhz-pll-registers", test_tune_100mhz_registers);
  ADD ("tune-selects-band-bias-and-rf-filter", test_tune_bands_and_filters);
  ADD ("tune-lo-right-across-52-2200mhz", test_tune_lo_across_range);
  ADD ("gap-and-out-of-range-keep-old-tuning", test_gap_and_range);
  ADD ("manual-gain-registers", test_manual_gain_registers);
  ADD ("if-gain-stages", test_if_gain_stages);
  ADD ("bandwidth-follows-rate-unless-set", test_bandwidth_follows_rate);
  ADD ("offset-tuning-moves-lo-and-if", test_offset_tuning);
  ADD ("ppm-correction-retunes", test_ppm_correction);
#undef ADD
  g_test_add ("/device/e4k/emulator/carrier-lands-52-2150mhz-not-in-gap", DemoRig, NULL,
              rig_setup, test_emu_carrier_lands, rig_teardown);
  g_test_add ("/device/e4k/emulator/gain-steps-change-level", DemoRig, NULL, rig_setup,
              test_emu_gain_steps, rig_teardown);
  g_test_add_func ("/device/e4k/emulator/offset-tuning-moves-dc-spike",
                   test_emu_offset_tuning_moves_dc_spike);

  return g_test_run ();
}
