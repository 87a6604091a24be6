/* test-fc001x.c - the Fitipower FC0012 and FC0013 drivers through the
 * RTL2832U driver, against the recording fake of the chip (fake-rtl2832.h).
 *
 * The fake tuner is a plain register file; after each VCO calibration it
 * reports the control voltage the test chose. Tests recompute the LO from
 * the divider and PLL registers and check the front-end switching, the
 * board's band GPIO, the gains and the errors.
 */
#include <math.h>
#include <string.h>

#include "device/rtl2832.h"
#include "device/tuner-fc001x.h"
#include "fake-rtl2832.h"

#define XTAL_HZ 28800000.0

typedef struct {
  FakeChip *chip;
  FerRtl2832 *rtl;
  guint8 *regs;
  guint8 vco_voltage;   /* what register 0x0e reads after a calibration */
} Fixture;

/* The calibration ends with a write of 0 to 0x0e; then the chip reports. */
static void
vco_hook (FakeChip *chip, guint8 i2c_addr, gpointer user_data)
{
  Fixture *fx = user_data;
  if (chip->i2c_pointer[i2c_addr] == 0x0e && chip->i2c_regs[i2c_addr][0x0e] == 0x00)
    chip->i2c_regs[i2c_addr][0x0e] = fx->vco_voltage;
}

static void
open_chip (Fixture *fx, guint8 chip_id)
{
  g_autoptr (GError) error = NULL;
  fx->chip = fake_chip_new (FC001X_I2C_ADDR, FAKE_I2C_PLAIN);
  fx->regs = fx->chip->i2c_regs[FC001X_I2C_ADDR];
  fx->regs[FC001X_CHIP_ID_REG] = chip_id;
  fx->vco_voltage = 0x20;   /* mid-range: the VCO range stays */
  fx->chip->i2c_hook = vco_hook;
  fx->chip->i2c_hook_data = fx;
  fx->rtl = fer_rtl2832_open (fake_usb_new (fx->chip), &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->rtl);
}

static void
setup_fc0012 (Fixture *fx, gconstpointer data)
{
  open_chip (fx, FC0012_CHIP_ID);
}

static void
setup_fc0013 (Fixture *fx, gconstpointer data)
{
  open_chip (fx, FC0013_CHIP_ID);
}

static void
teardown (Fixture *fx, gconstpointer data)
{
  fer_rtl2832_close (fx->rtl);
  g_assert_cmpuint (fx->chip->n_i2c_without_repeater, ==, 0);
  fake_chip_free (fx->chip);
}

/* The output divider from registers 5, 6 (bit 1: divide by 2, else 3) and,
 * on the FC0013, 0x11 bit 2 (divide by 64). */
static guint
divider_of (const guint8 *regs, gboolean fc0013)
{
  guint8 code = regs[0x05] & 0xf8;
  gboolean by2 = (regs[0x06] & 0x02) != 0;
  guint base;

  if (fc0013 && by2 && code == 0x00 && (regs[0x11] & 0x04))
    return 64;
  switch (code)
    {
    case 0x80: base = 32; break;
    case 0x40: base = 16; break;
    case 0x20: base = 8; break;
    case 0x10: base = 4; break;
    case 0x08: base = 2; break;
    default: return 0;
    }
  if (!by2)
    return base * 3;
  /* the FC0012 counts its divide-by-2 settings twice as high */
  return fc0013 ? base : base * 2;
}

/* LO = xtal / 2 (8 M + A + K / 32768) / divider, K signed. */
static double
fc_lo_hz (const guint8 *regs, gboolean fc0013, double xtal_hz, double *vco_out)
{
  gint16 k = (gint16) (regs[0x03] << 8 | regs[0x04]);
  double vco_hz = xtal_hz / 2 * (8 * regs[0x02] + regs[0x01] + k / 32768.0);
  guint divider = divider_of (regs, fc0013);
  if (vco_out != NULL)
    *vco_out = vco_hz;
  g_assert_cmpuint (divider, !=, 0);
  return vco_hz / divider;
}

static void
tune (Fixture *fx, guint32 freq_hz)
{
  g_autoptr (GError) error = NULL;
  fer_rtl2832_set_center_freq (fx->rtl, freq_hz, &error);
  g_assert_no_error (error);
}

/* --- FC0012 -------------------------------------------------------------- */

static void
test_fc0012_open (Fixture *fx, gconstpointer data)
{
  FakeChip *chip = fx->chip;

  g_assert_cmpstr (fer_rtl2832_get_tuner_name (fx->rtl), ==, "Fitipower FC0012");
  g_assert_cmphex (chip->demod[1][0xb1], ==, 0x1b);
  g_assert_cmphex (chip->demod[0][0x08], ==, 0xcd);
  g_assert_cmphex (chip->demod[1][0x15], ==, 0x00);
  /* init: 28.8 MHz crystal, dual master, LNA compensation, maximum IF gain */
  g_assert_cmphex (fx->regs[0x07], ==, 0x20);
  g_assert_cmphex (fx->regs[0x0c], ==, 0xfe);
  g_assert_cmphex (fx->regs[0x12], ==, 0x1f);
  g_assert_cmphex (fx->regs[0x15], ==, 0x04);
  /* GPIO 4 pulsed before the probe (an output, left low); GPIO 6 selects
   * the VHF filter at 100 MHz */
  g_assert_cmphex (fake_block_reg (chip, 2, 0x3003) & 0x50, ==, 0x50);
  g_assert_cmphex (fake_gpio_high (chip) & 0x50, ==, 0x00);
  /* no AGC: the LNA stays at its -4 dB */
  g_assert_false (fer_rtl2832_get_tuner_agc (fx->rtl));
  g_assert_cmpint (fer_rtl2832_get_gain (fx->rtl), ==, -40);
  g_assert_cmpfloat_with_epsilon (fc_lo_hz (fx->regs, FALSE, XTAL_HZ, NULL), 100e6, 1000.0);
}

typedef struct {
  double freq_mhz;
  guint divider;
} DividerCase;

static void
check_tunes (Fixture *fx, gboolean fc0013, double max_mhz, const DividerCase *cases,
             guint n_cases)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (fc0013 ? 13 : 12);

  for (guint i = 0; i < n_cases + 200; i++)
    {
      guint32 freq_hz = i < n_cases ? (guint32) lround (cases[i].freq_mhz * 1e6)
                                    : (guint32) g_rand_int_range (rand, 22000000,
                                                                  (gint32) (max_mhz * 1e6) + 1);
      double vco_hz;
      tune (fx, freq_hz);
      double lo_hz = fc_lo_hz (fx->regs, fc0013, XTAL_HZ, &vco_hz);
      if (fabs (lo_hz - freq_hz) > 1000.0)
        g_error ("tuning %u Hz: LO %.1f Hz (divider %u)", freq_hz, lo_hz,
                 divider_of (fx->regs, fc0013));
      if (i < n_cases)
        g_assert_cmpuint (divider_of (fx->regs, fc0013), ==, cases[i].divider);
      /* the VCO range follows the VCO, the 6 MHz channel, the clock out */
      g_assert_cmpuint ((fx->regs[0x06] & 0x08) != 0, ==, vco_hz >= 3.06e9);
      g_assert_cmphex (fx->regs[0x06] & 0xe0, ==, 0x80 | 0x20);
      g_assert_cmphex (fx->regs[0x05] & 0x07, ==, 0x07);
      if (!fc0013)
        g_assert_cmpuint (fake_gpio_high (fx->chip) >> 6 & 1, ==, freq_hz > 300000000);
    }
}

static void
test_fc0012_tune (Fixture *fx, gconstpointer data)
{
  static const DividerCase cases[] = {
    { 22.0, 96 }, { 37.083, 96 }, { 37.084, 64 }, { 50.0, 64 }, { 70.0, 48 }, { 100.0, 32 },
    { 144.0, 24 }, { 200.0, 16 }, { 250.0, 12 }, { 300.1, 8 }, { 433.92, 8 }, { 500.0, 6 },
    { 600.0, 4 }, { 868.0, 4 }, { 948.5, 4 },
  };
  check_tunes (fx, FALSE, 948.5, cases, G_N_ELEMENTS (cases));

  /* the PLL runs out just under 948.6 MHz */
  g_autoptr (GError) error = NULL;
  g_assert_false (fer_rtl2832_set_center_freq (fx->rtl, 948600000, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "22 to 948.5 MHz"));
}

static void
test_vco_range_follows_voltage (Fixture *fx, gconstpointer data)
{
  /* 100 MHz x 32 = 3.2 GHz: the high range, unless the voltage says the
   * VCO sits at its top */
  tune (fx, 100000000);
  g_assert_cmphex (fx->regs[0x06] & 0x08, ==, 0x08);
  fx->vco_voltage = 0x3d;
  tune (fx, 100000000);
  g_assert_cmphex (fx->regs[0x06] & 0x08, ==, 0x00);
  /* 80 MHz x 32 = 2.56 GHz: the low range, unless at its bottom */
  fx->vco_voltage = 0x20;
  tune (fx, 80000000);
  g_assert_cmphex (fx->regs[0x06] & 0x08, ==, 0x00);
  fx->vco_voltage = 0x01;
  tune (fx, 80000000);
  g_assert_cmphex (fx->regs[0x06] & 0x08, ==, 0x08);
}

static void
test_fc0012_gains (Fixture *fx, gconstpointer data)
{
  static const struct { int request, step; guint8 code; } cases[] = {
    { -99, -99, 0x02 }, { -50, -40, 0x00 }, { 70, 71, 0x08 }, { 180, 179, 0x17 },
    { 300, 192, 0x10 },
  };
  guint n = 0;
  const int *gains = fer_rtl2832_get_gains (fx->rtl, &n);

  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (gains[0], ==, -99);
  g_assert_cmpint (gains[4], ==, 192);
  fx->regs[0x13] = 0xe0;   /* bits above the gain stay */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (fer_rtl2832_set_gain (fx->rtl, cases[i].request, &error));
      g_assert_no_error (error);
      g_assert_cmpint (fer_rtl2832_get_gain (fx->rtl), ==, cases[i].step);
      g_assert_cmphex (fx->regs[0x13], ==, 0xe0 | cases[i].code);
    }
  /* AGC: nothing to switch on; the gain stays */
  g_assert_true (fer_rtl2832_set_tuner_agc (fx->rtl, TRUE, NULL));
  g_assert_false (fer_rtl2832_get_tuner_agc (fx->rtl));
  g_assert_cmphex (fx->regs[0x13], ==, 0xe0 | 0x10);
}

/* --- FC0013 -------------------------------------------------------------- */

static void
test_fc0013_open (Fixture *fx, gconstpointer data)
{
  g_assert_cmpstr (fer_rtl2832_get_tuner_name (fx->rtl), ==, "Fitipower FC0013");
  g_assert_cmphex (fx->regs[0x0c], ==, 0xfe);
  g_assert_cmphex (fx->regs[0x15], ==, 0x01);
  /* under its AGC, IF gain fixed */
  g_assert_true (fer_rtl2832_get_tuner_agc (fx->rtl));
  g_assert_cmphex (fx->regs[0x0d] & 0x08, ==, 0);
  g_assert_cmphex (fx->regs[0x13], ==, 0x0a);
  /* 100 MHz: VHF filter on, UHF input off, VHF track 7 */
  g_assert_cmphex (fx->regs[0x07] & 0x10, ==, 0x10);
  g_assert_cmphex (fx->regs[0x14] & 0xe0, ==, 0x00);
  g_assert_cmphex (fx->regs[0x1d] & 0x1c, ==, 0x1c);
  /* the FC0013 does not use GPIO 6 */
  g_assert_cmphex (fake_block_reg (fx->chip, 2, 0x3003) & 0x40, ==, 0);
}

static void
test_fc0013_tune (Fixture *fx, gconstpointer data)
{
  static const DividerCase cases[] = {
    { 22.0, 96 }, { 40.0, 64 }, { 55.624, 64 }, { 70.0, 48 }, { 100.0, 32 }, { 144.0, 24 },
    { 200.0, 16 }, { 250.0, 12 }, { 433.92, 8 }, { 500.0, 6 }, { 868.0, 4 }, { 948.5, 4 },
    /* beyond the divide-by-4 PLL's reach, below its range's end: by 2 */
    { 948.6, 2 }, { 949.9, 2 }, { 950.0, 2 }, { 1090.0, 2 }, { 1100.0, 2 },
  };
  check_tunes (fx, TRUE, 1100.0, cases, G_N_ELEMENTS (cases));

  static const struct { double mhz; guint8 track, vhf_filter, uhf; } fronts[] = {
    { 100.0, 0x1c, 0x10, 0x00 }, { 180.0, 0x18, 0x10, 0x00 }, { 195.0, 0x10, 0x10, 0x00 },
    { 200.0, 0x0c, 0x10, 0x00 },
    { 210.0, 0x08, 0x10, 0x00 }, { 250.0, 0x04, 0x10, 0x00 }, { 433.92, 0x1c, 0x00, 0x40 },
    { 1000.0, 0x1c, 0x00, 0x40 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (fronts); i++)
    {
      tune (fx, (guint32) lround (fronts[i].mhz * 1e6));
      g_assert_cmphex (fx->regs[0x1d] & 0x1c, ==, fronts[i].track);
      g_assert_cmphex (fx->regs[0x07] & 0x10, ==, fronts[i].vhf_filter);
      g_assert_cmphex (fx->regs[0x14] & 0xe0, ==, fronts[i].uhf);
    }
}

static void
test_fc0013_gains_and_bandwidth (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;
  const int *gains = fer_rtl2832_get_gains (fx->rtl, &n);

  g_assert_cmpuint (n, ==, 23);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (gains[i], >, gains[i - 1]);
  tune (fx, 433920000);
  /* 5.9 dB: the nearest step 5.8 dB is LNA code 0x0f; manual, the UHF
   * input bits stay */
  g_assert_true (fer_rtl2832_set_gain (fx->rtl, 59, &error));
  g_assert_cmpint (fer_rtl2832_get_gain (fx->rtl), ==, 58);
  g_assert_cmphex (fx->regs[0x14], ==, 0x40 | 0x0f);
  g_assert_cmphex (fx->regs[0x0d] & 0x08, ==, 0x08);
  g_assert_true (fer_rtl2832_set_gain (fx->rtl, 197, &error));
  g_assert_cmphex (fx->regs[0x14], ==, 0x40 | 0x10);
  g_assert_true (fer_rtl2832_set_tuner_agc (fx->rtl, TRUE, &error));
  g_assert_cmphex (fx->regs[0x0d] & 0x08, ==, 0);
  g_assert_no_error (error);

  /* channel filter: the narrowest of 6, 7, 8 MHz that passes */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 6500000, &error));
  g_assert_cmphex (fx->regs[0x06] & 0xc0, ==, 0x40);
  tune (fx, 100000000);
  g_assert_cmphex (fx->regs[0x06] & 0xc0, ==, 0x40);
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 9000000, &error));
  g_assert_cmphex (fx->regs[0x06] & 0xc0, ==, 0x00);
  /* automatic: 2.4 MS/s fits the 6 MHz channel */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 0, &error));
  g_assert_cmphex (fx->regs[0x06] & 0xc0, ==, 0x80);
}

static void
test_fc0013_ppm (Fixture *fx, gconstpointer data)
{
  double true_xtal_hz = XTAL_HZ * (1 - 40e-6);

  tune (fx, 433920000);
  g_assert_cmpfloat (fabs (fc_lo_hz (fx->regs, TRUE, true_xtal_hz, NULL) - 433.92e6), >, 10e3);
  g_assert_true (fer_rtl2832_set_freq_correction (fx->rtl, -40, NULL));
  g_assert_cmpfloat_with_epsilon (fc_lo_hz (fx->regs, TRUE, true_xtal_hz, NULL), 433.92e6,
                                  1000.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/device/fc0012/open-inits-and-band-gpio", Fixture, NULL, setup_fc0012,
              test_fc0012_open, teardown);
  g_test_add ("/device/fc0012/tune-lo-right-across-22-948mhz", Fixture, NULL, setup_fc0012,
              test_fc0012_tune, teardown);
  g_test_add ("/device/fc0012/vco-range-follows-voltage", Fixture, NULL, setup_fc0012,
              test_vco_range_follows_voltage, teardown);
  g_test_add ("/device/fc0012/gain-registers", Fixture, NULL, setup_fc0012,
              test_fc0012_gains, teardown);
  g_test_add ("/device/fc0013/open-inits-agc-and-vhf", Fixture, NULL, setup_fc0013,
              test_fc0013_open, teardown);
  g_test_add ("/device/fc0013/tune-lo-and-front-end-across-22-1100mhz", Fixture, NULL,
              setup_fc0013, test_fc0013_tune, teardown);
  g_test_add ("/device/fc0013/vco-range-follows-voltage", Fixture, NULL, setup_fc0013,
              test_vco_range_follows_voltage, teardown);
  g_test_add ("/device/fc0013/gain-and-bandwidth-registers", Fixture, NULL, setup_fc0013,
              test_fc0013_gains_and_bandwidth, teardown);
  g_test_add ("/device/fc0013/ppm-correction-retunes", Fixture, NULL, setup_fc0013,
              test_fc0013_ppm, teardown);

  return g_test_run ();
}
