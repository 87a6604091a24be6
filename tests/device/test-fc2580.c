/* test-fc2580.c - the FCI FC2580 driver through the RTL2832U driver, against
 * the recording fake of the chip (fake-rtl2832.h).
 *
 * Tests recompute the LO from the PLL registers with the tuner's own
 * 16.384 MHz crystal, and check the band registers, the channel filter and
 * its calibration handshake, and the errors.
 */
#include <math.h>
#include <string.h>

#include "device/rtl2832.h"
#include "device/tuner-fc2580.h"
#include "fake-rtl2832.h"

#define TUNER_XTAL_HZ 16384000.0

typedef struct {
  FakeChip *chip;
  FerRtl2832 *rtl;
  guint8 *regs;
} Fixture;

static void
setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fx->chip = fake_chip_new (FC2580_I2C_ADDR, FAKE_I2C_PLAIN);
  fx->regs = fx->chip->i2c_regs[FC2580_I2C_ADDR];
  /* the id under the mask; the filter calibration reports done */
  fx->regs[FC2580_CHIP_ID_REG] = 0x80 | FC2580_CHIP_ID;
  fx->regs[0x2f] = 0xc0;
  fx->rtl = fer_rtl2832_open (fake_usb_new (fx->chip), &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->rtl);
}

static void
teardown (Fixture *fx, gconstpointer data)
{
  fer_rtl2832_close (fx->rtl);
  g_assert_cmpuint (fx->chip->n_i2c_without_repeater, ==, 0);
  fake_chip_free (fx->chip);
}

/* VCO = 2 (xtal / R) (N + K / 2^20); LO = VCO / 4 (UHF) or 12 (VHF). */
static double
fc2580_lo_hz (const guint8 *regs, double xtal_hz, double *vco_out)
{
  static const guint r_of_code[4] = { 1, 2, 4, 0 };
  guint r = r_of_code[(regs[0x18] >> 4) & 3];
  guint32 k = (guint32) (regs[0x18] & 0x0f) << 16 | regs[0x1a] << 8 | regs[0x1b];
  double vco_hz = 2.0 * xtal_hz / r * (regs[0x1c] + k / 1048576.0);
  guint multiplier = (regs[0x02] & 0xc0) == 0x80 ? 12 : (regs[0x02] & 0xc0) == 0x00 ? 4 : 0;
  if (vco_out != NULL)
    *vco_out = vco_hz;
  g_assert_cmpuint (multiplier, !=, 0);
  return vco_hz / multiplier;
}

static void
tune (Fixture *fx, guint32 freq_hz)
{
  g_autoptr (GError) error = NULL;
  fer_rtl2832_set_center_freq (fx->rtl, freq_hz, &error);
  g_assert_no_error (error);
}

static void
test_open (Fixture *fx, gconstpointer data)
{
  FakeChip *chip = fx->chip;

  g_assert_cmpstr (fer_rtl2832_get_tuner_name (fx->rtl), ==, "FCI FC2580");
  g_assert_cmphex (chip->demod[1][0xb1], ==, 0x1b);
  g_assert_cmphex (chip->demod[0][0x08], ==, 0xcd);
  /* found after the GPIO 4 reset pulse */
  g_assert_cmphex (fake_block_reg (chip, 2, 0x3003) & 0x10, ==, 0x10);
  /* init: AGC by control voltage */
  g_assert_cmphex (fx->regs[0x45], ==, 0x20);
  g_assert_cmphex (fx->regs[0x4c], ==, 0x02);
  g_assert_cmphex (fx->regs[0x58], ==, 0x14);
  /* 2.4 MS/s: the 6 MHz channel filter, calibrated and held */
  g_assert_cmphex (fx->regs[0x36], ==, 0x18);
  g_assert_cmphex (fx->regs[0x37], ==, 4400 * 16384 / 1000000);
  g_assert_cmphex (fx->regs[0x39], ==, 0x00);
  g_assert_cmphex (fx->regs[0x2e], ==, 0x01);
  /* no gain steps */
  guint n = 0;
  const int *gains = fer_rtl2832_get_gains (fx->rtl, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (gains[0], ==, 0);
  g_assert_true (fer_rtl2832_set_gain (fx->rtl, 300, NULL));
  g_assert_cmpint (fer_rtl2832_get_gain (fx->rtl), ==, 0);
}

static void
test_tune_lo_across_range (Fixture *fx, gconstpointer data)
{
  static const double list_mhz[] = {
    146.0, 150.0, 162.55, 200.0, 250.0, 308.0, 399.9, 400.1, 433.92, 446.0, 537.9, 538.0,
    600.0, 793.9, 794.0, 800.0, 868.0, 924.0,
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (2580);

  for (guint i = 0; i < G_N_ELEMENTS (list_mhz) + 200; i++)
    {
      guint32 freq_hz = i < G_N_ELEMENTS (list_mhz) ? (guint32) lround (list_mhz[i] * 1e6)
                        : (guint32) g_rand_int_range (rand, 146000000, 924000001);
      gboolean uhf = freq_hz > 400000000;
      double vco_hz;

      tune (fx, freq_hz);
      double lo_hz = fc2580_lo_hz (fx->regs, TUNER_XTAL_HZ, &vco_hz);
      if (fabs (lo_hz - freq_hz) > 20.0)
        g_error ("tuning %u Hz: LO %.1f Hz", freq_hz, lo_hz);
      g_assert_cmphex (fx->regs[0x02] & 0xc0, ==, uhf ? 0x00 : 0x80);
      g_assert_cmphex (fx->regs[0x02] & 0x08, ==, vco_hz >= 2.6e9 ? 0x08 : 0x00);
      g_assert_cmphex (fx->regs[0x02] & 0x37, ==, 0x06);
      /* the reference divider: 1 from 2 x 76 x xtal, 2 from 76 x xtal */
      guint r_code = (fx->regs[0x18] >> 4) & 3;
      g_assert_cmpuint (r_code, ==, vco_hz >= 152 * TUNER_XTAL_HZ ? 0
                                    : vco_hz >= 76 * TUNER_XTAL_HZ ? 1 : 2);
      if (uhf)
        {
          g_assert_cmphex (fx->regs[0x5f], ==, freq_hz < 538000000 ? 0x13 : 0x15);
          g_assert_cmphex (fx->regs[0x62], ==, freq_hz < 538000000 ? 0x06
                                               : freq_hz < 794000000 ? 0x03 : 0x06);
          g_assert_cmphex (fx->regs[0x2d], ==, freq_hz <= 794000000 ? 0x9f : 0x8f);
          g_assert_cmphex (fx->regs[0x6f], ==, 0x14);
        }
      else
        {
          g_assert_cmphex (fx->regs[0x5f], ==, 0x0f);
          g_assert_cmphex (fx->regs[0x6f], ==, 0x54);
        }
      /* the filter the stream needs survives the band change */
      g_assert_cmphex (fx->regs[0x37], ==, 4400 * 16384 / 1000000);
    }

  static const guint32 out_hz[] = { 145999999, 924000001 };
  for (guint i = 0; i < G_N_ELEMENTS (out_hz); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (fer_rtl2832_set_center_freq (fx->rtl, out_hz[i], &error));
      g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "146 to 924 MHz"));
    }
}

static guint
count_monitor_reads (FakeChip *chip, guint from)
{
  guint n = 0;
  for (guint i = from; i < chip->log->len; i++)
    {
      FakeTransfer *t = &g_array_index (chip->log, FakeTransfer, i);
      /* a read is preceded by a one-byte write of the register address */
      if (t->write && t->index == (6 << 8 | 0x10) && t->value == FC2580_I2C_ADDR
          && t->length == 1 && t->data[0] == 0x2f)
        n++;
    }
  return n;
}

static void
test_filters_and_calibration (Fixture *fx, gconstpointer data)
{
  static const struct { guint32 bw_hz; guint8 r36, r37, r39; } cases[] = {
    { 1000000, 0x1c, 4151 * 16384 / 1000000, 0x00 },
    { 1530000, 0x1c, 4151 * 16384 / 1000000, 0x00 },
    { 3000000, 0x18, 4400 * 16384 / 1000000, 0x00 },
    { 6500000, 0x18, 3910 * 16384 / 1000000, 0x80 },
    { 8000000, 0x18, 3300 * 16384 / 1000000, 0x80 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint from = fake_log_len (fx->chip);
      g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, cases[i].bw_hz, &error));
      g_assert_no_error (error);
      g_assert_cmphex (fx->regs[0x36], ==, cases[i].r36);
      g_assert_cmphex (fx->regs[0x37], ==, cases[i].r37);
      g_assert_cmphex (fx->regs[0x39], ==, cases[i].r39);
      g_assert_cmphex (fx->regs[0x2e], ==, 0x01);
      g_assert_cmpuint (count_monitor_reads (fx->chip, from), ==, 1);
    }
  /* a calibration that never reports done: five polls, then held anyway */
  fx->regs[0x2f] = 0x40;
  guint from = fake_log_len (fx->chip);
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 6000000, NULL));
  g_assert_cmpuint (count_monitor_reads (fx->chip, from), ==, 5);
  g_assert_cmphex (fx->regs[0x2e], ==, 0x01);
  /* automatic: the filter follows the 2.4 MS/s stream (6 MHz) */
  fx->regs[0x2f] = 0xc0;
  tune (fx, 433920000);
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 0, NULL));
  g_assert_cmphex (fx->regs[0x37], ==, 4400 * 16384 / 1000000);
}

static void
test_ppm_uses_own_crystal (Fixture *fx, gconstpointer data)
{
  double true_xtal_hz = TUNER_XTAL_HZ * (1 + 30e-6);

  tune (fx, 433920000);
  g_assert_cmpfloat (fabs (fc2580_lo_hz (fx->regs, true_xtal_hz, NULL) - 433.92e6), >, 10e3);
  g_assert_true (fer_rtl2832_set_freq_correction (fx->rtl, 30, NULL));
  g_assert_cmpfloat_with_epsilon (fc2580_lo_hz (fx->regs, true_xtal_hz, NULL), 433.92e6, 20.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/device/fc2580/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("open-inits-after-gpio-reset", test_open);
  ADD ("tune-lo-right-across-146-924mhz", test_tune_lo_across_range);
  ADD ("filters-and-calibration-handshake", test_filters_and_calibration);
  ADD ("ppm-correction-uses-own-crystal", test_ppm_uses_own_crystal);
#undef ADD

  return g_test_run ();
}
