/* test-r82xx.c - the R820T/R828D tuner driver through the RTL2832U driver,
 * against the recording fake of the chip (fake-rtl2832.h): the register
 * values a tune, a gain, a bandwidth or a correction produce (the LO is
 * recomputed from the PLL registers), and the errors bad values get; then
 * the RTL-SDR Blog V4 (known by its USB strings) on the fake and end to end
 * on the emulator.
 */
#include <math.h>
#include <string.h>

#include "device/rtl2832.h"
#include "device/source-dongle.h"
#include "device/tuner-r82xx.h"
#include "demo-rig.h"
#include "fake-rtl2832.h"

#define XTAL_HZ 28800000.0
#define IF_HZ 3570000.0

/* --- Fixture ------------------------------------------------------------ */

typedef struct {
  FakeChip *chip;
  FerRtl2832 *rtl;
} Fixture;

static const guint8 *
tuner_regs (FakeChip *chip)
{
  return chip->i2c_regs[R820T_I2C_ADDR];
}

static void
setup_r820t (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fx->chip = fake_chip_new (R820T_I2C_ADDR, FAKE_I2C_R82XX);
  fx->rtl = fer_rtl2832_open (fake_usb_new (fx->chip), &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->rtl);
  /* The tests below tune with the 6 MHz filter at the 3.57 MHz IF; the
   * filter that follows the rate is tested in bandwidth-moves-if. */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 6000000, &error));
  g_assert_no_error (error);
}

static void
teardown (Fixture *fx, gconstpointer data)
{
  fer_rtl2832_close (fx->rtl);
  if (fx->rtl != NULL)
    g_assert_true (fx->chip->closed);
  g_assert_cmpuint (fx->chip->n_i2c_without_repeater, ==, 0);
  fake_chip_free (fx->chip);
}

/* --- Tests -------------------------------------------------------------- */
static void
test_tune_100mhz_registers (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const guint8 *regs = tuner_regs (fx->chip);

  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 100000000, &error));
  g_assert_no_error (error);
  /* LO 103.57 MHz: divider 32 (div_num 4), VCO 3314.24 MHz = 57.6 MHz x
   * (57 + 35317 / 65536) */
  g_assert_cmphex (regs[0x10] >> 5, ==, 4);
  g_assert_cmphex (regs[0x14], ==, 0x0b);   /* ni 11, si 0: nint 57 */
  g_assert_cmphex (regs[0x15], ==, 0xf5);
  g_assert_cmphex (regs[0x16], ==, 0x89);
  g_assert_cmphex (regs[0x12] & 0x08, ==, 0);   /* fractional mode on */
  g_assert_cmphex (regs[0x12] & 0xe0, ==, 0x80);   /* VCO current nominal */
  g_assert_cmphex (regs[0x1a] & 0x0c, ==, 0x08);   /* locked: 8 kHz autotune */
  /* front end for LO 103 MHz: LPF mux, tracking filter band 0x34, no open drain */
  g_assert_cmphex (regs[0x1a] & 0xc3, ==, 0x02);
  g_assert_cmphex (regs[0x1b], ==, 0x34);
  g_assert_cmphex (regs[0x17] & 0x08, ==, 0);
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ, NULL), 103570000.0, 1000.0);
}

static void
test_tune_lo_across_range (Fixture *fx, gconstpointer data)
{
  static const double list_mhz[] = {
    24.0, 24.5, 25.0, 27.2, 30.0, 40.0, 52.0, 60.0, 75.0, 88.0, 100.0, 108.0, 137.0, 144.0,
    174.0, 200.0, 250.0, 300.0, 310.0, 433.92, 450.0, 500.0, 588.0, 650.0, 868.0, 900.0,
    1000.0, 1090.0, 1200.0, 1296.0, 1420.405, 1500.0, 1600.0, 1700.0, 1765.0, 1766.0,
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (2832);
  const guint8 *regs = tuner_regs (fx->chip);
  guint n_list = G_N_ELEMENTS (list_mhz);

  for (guint i = 0; i < n_list + 300; i++)
    {
      g_autoptr (GError) error = NULL;
      guint32 freq_hz = i < n_list ? (guint32) lround (list_mhz[i] * 1e6)
                                   : (guint32) g_rand_int_range (rand, 24000000, 1766000001);
      guint mix_div;

      g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, freq_hz, &error));
      g_assert_no_error (error);
      double lo_hz = fake_r82xx_lo_hz (regs, XTAL_HZ, &mix_div);
      if (fabs (lo_hz - (freq_hz + IF_HZ)) > 1000.0)
        g_error ("tuning %u Hz: LO %.1f Hz, wanted %.1f Hz", freq_hz, lo_hz, freq_hz + IF_HZ);
      /* the VCO runs in its range (the lowest octave may sit a hair under) */
      double vco_hz = lo_hz * mix_div;
      g_assert_cmpfloat (vco_hz, >=, 1760e6);
      g_assert_cmpfloat (vco_hz, <, 3540e6);
      g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, freq_hz);
    }
}

static void
test_tune_band_mux (Fixture *fx, gconstpointer data)
{
  const guint8 *regs = tuner_regs (fx->chip);

  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 24000000, NULL));
  g_assert_cmphex (regs[0x1b], ==, 0xdf);
  g_assert_cmphex (regs[0x17] & 0x08, ==, 0x08);
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 433920000, NULL));
  g_assert_cmphex (regs[0x1a] & 0xc3, ==, 0x41);
  g_assert_cmphex (regs[0x1b], ==, 0x00);
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 1090000000, NULL));
  g_assert_cmphex (regs[0x1a] & 0xc3, ==, 0x40);
}

static void
test_tune_out_of_range (Fixture *fx, gconstpointer data)
{
  static const guint32 bad_hz[] = { 0, 23999999, 1766000001, 2400000000u };
  guint8 pll_before[7];

  /* with direct sampling off, below 24 MHz is out of range too */
  g_assert_true (fer_rtl2832_set_direct_sampling (fx->rtl, FER_RTL2832_DIRECT_OFF, NULL));
  memcpy (pll_before, &tuner_regs (fx->chip)[0x10], sizeof pll_before);
  for (guint i = 0; i < G_N_ELEMENTS (bad_hz); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (fer_rtl2832_set_center_freq (fx->rtl, bad_hz[i], &error));
      g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "outside the Rafael Micro R820T tuner's range"));
      g_assert_nonnull (strstr (error->message, "24 to 1766 MHz"));
    }
  /* nothing was retuned, the repeater is closed */
  g_assert_cmpmem (pll_before, sizeof pll_before, &tuner_regs (fx->chip)[0x10], 7);
  g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, 100000000);
  g_assert_cmphex (fx->chip->demod[1][0x01], ==, 0x10);
  guint32 min_hz, max_hz;
  fer_rtl2832_get_freq_range (fx->rtl, &min_hz, &max_hz);
  g_assert_cmpuint (min_hz, ==, 24000000);
  g_assert_cmpuint (max_hz, ==, 1766000000);

  /* automatic direct sampling takes what is below the tuner (up to 24 MHz) */
  g_assert_true (fer_rtl2832_set_direct_sampling (fx->rtl, FER_RTL2832_DIRECT_AUTO, NULL));
  fer_rtl2832_get_freq_range (fx->rtl, &min_hz, &max_hz);
  g_assert_cmpuint (min_hz, ==, 0);
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 23999999, NULL));
  g_assert_cmpint (fer_rtl2832_get_direct_input (fx->rtl), ==, FER_RTL2832_DIRECT_Q);
  g_assert_cmphex (tuner_regs (fx->chip)[0x05], ==, 0xa0);   /* tuner in standby */
  for (guint i = 2; i < G_N_ELEMENTS (bad_hz); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (fer_rtl2832_set_center_freq (fx->rtl, bad_hz[i], &error));
      g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
    }
  g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, 23999999);
}

static void
test_vco_fine_tune_moves_divider (Fixture *fx, gconstpointer data)
{
  /* A VCO reporting fine-tune code 3 (above the R820T's reference 2) runs in
   * a band where the next smaller divider setting is the right one. */
  fx->chip->r82xx_status[4] = fake_bitrev (0x38);
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 100000000, NULL));
  g_assert_cmphex (tuner_regs (fx->chip)[0x10] >> 5, ==, 3);
  fx->chip->r82xx_status[4] = fake_bitrev (0x18);   /* code 1: the next bigger one */
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 100000000, NULL));
  g_assert_cmphex (tuner_regs (fx->chip)[0x10] >> 5, ==, 5);
}

typedef struct {
  int request_tenth_db, step_tenth_db;
  guint lna, mixer;
} GainCase;

static void
test_manual_gain_registers (Fixture *fx, gconstpointer data)
{
  /* steps: LNA and mixer codes alternate; 19.7 dB is LNA 6 + mixer 5 */
  static const GainCase cases[] = {
    { 0, 0, 0, 0 },
    { 9, 9, 1, 0 },
    { 197, 197, 6, 5 },
    { 200, 197, 6, 5 },      /* rounded to the nearest step */
    { 290, 297, 8, 8 },
    { 496, 496, 15, 14 },
    { 600, 496, 15, 14 },
    { -50, 0, 0, 0 },
  };
  const guint8 *regs = tuner_regs (fx->chip);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (fer_rtl2832_set_gain (fx->rtl, cases[i].request_tenth_db, &error));
      g_assert_no_error (error);
      g_assert_cmpint (fer_rtl2832_get_gain (fx->rtl), ==, cases[i].step_tenth_db);
      g_assert_false (fer_rtl2832_get_tuner_agc (fx->rtl));
      g_assert_cmphex (regs[0x05] & 0x10, ==, 0x10);        /* LNA manual */
      g_assert_cmphex (regs[0x05] & 0x0f, ==, cases[i].lna);
      g_assert_cmphex (regs[0x07] & 0x10, ==, 0);           /* mixer manual */
      g_assert_cmphex (regs[0x07] & 0x0f, ==, cases[i].mixer);
      g_assert_cmphex (regs[0x0c] & 0x9f, ==, 0x08);        /* VGA fixed */
    }

  g_assert_true (fer_rtl2832_set_gain (fx->rtl, 197, NULL));
  g_assert_true (fer_rtl2832_set_tuner_agc (fx->rtl, TRUE, NULL));
  g_assert_true (fer_rtl2832_get_tuner_agc (fx->rtl));
  g_assert_cmphex (regs[0x05] & 0x10, ==, 0);
  g_assert_cmphex (regs[0x07] & 0x10, ==, 0x10);
  g_assert_cmphex (regs[0x0c] & 0x9f, ==, 0x0b);
  /* AGC off goes back to the last manual gain */
  g_assert_true (fer_rtl2832_set_tuner_agc (fx->rtl, FALSE, NULL));
  g_assert_false (fer_rtl2832_get_tuner_agc (fx->rtl));
  g_assert_cmpint (fer_rtl2832_get_gain (fx->rtl), ==, 197);
  g_assert_cmphex (regs[0x05] & 0x1f, ==, 0x10 | 6);
  g_assert_cmphex (regs[0x07] & 0x1f, ==, 5);
}

static void
test_gain_list (Fixture *fx, gconstpointer data)
{
  guint n = 0;
  const int *gains = fer_rtl2832_get_gains (fx->rtl, &n);
  static const int known[] = { 0, 9, 14, 27, 37, 77, 87, 125, 144, 157, 166, 197, 207, 229,
                               254, 280, 297, 328, 338, 364, 372, 386, 402, 421, 434, 439,
                               445, 480, 496 };

  g_assert_cmpuint (n, ==, 30);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (gains[i], >, gains[i - 1]);
  /* every commonly listed R820T gain is reachable exactly */
  for (guint k = 0; k < G_N_ELEMENTS (known); k++)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < n; i++)
        found |= gains[i] == known[k];
      g_assert_true (found);
    }
}

static void
test_ppm_correction (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fx->chip;
  const guint8 *regs = tuner_regs (chip);
  double true_xtal_hz = XTAL_HZ * (1 + 60e-6);

  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 433920000, &error));
  /* uncorrected, a crystal 60 ppm fast puts the LO 26 kHz high */
  g_assert_cmpfloat (fabs (fake_r82xx_lo_hz (regs, true_xtal_hz, NULL) - (433920000 + IF_HZ)), >, 20e3);

  g_assert_true (fer_rtl2832_set_freq_correction (fx->rtl, 60, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fer_rtl2832_get_freq_correction (fx->rtl), ==, 60);
  /* the tuner was retuned: with the real crystal the LO is right again */
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, true_xtal_hz, NULL),
                                  433920000 + IF_HZ, 1000.0);
  /* and the IF shift, made from the same crystal, too */
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (chip, true_xtal_hz), -IF_HZ, 7.0);
  /* sample rate correction: -60e-6 x 2^24 = -1006 over 14 bits */
  g_assert_cmphex (chip->demod[1][0x3f], ==, 0x12);
  g_assert_cmphex (chip->demod[1][0x3e], ==, 0x3c);
  /* a new rate keeps the correction */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 1024000, &error));
  g_assert_cmphex (chip->demod[1][0x3f], ==, 0x12);

  g_assert_true (fer_rtl2832_set_freq_correction (fx->rtl, -25, &error));
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ * (1 - 25e-6), NULL),
                                  433920000 + IF_HZ, 1000.0);
  /* +419 = 25e-6 x 2^24 */
  g_assert_cmphex ((chip->demod[1][0x3e] & 0x3f) << 8 | chip->demod[1][0x3f], ==, 419);

  g_assert_false (fer_rtl2832_set_freq_correction (fx->rtl, 1000, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1000 ppm"));
  g_assert_cmpint (fer_rtl2832_get_freq_correction (fx->rtl), ==, -25);
}

static void
test_bandwidth_moves_if (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const guint8 *regs = tuner_regs (fx->chip);

  /* 1.5 MHz: low-pass 1.55 MHz, both high-pass corners off, IF 1.525 MHz */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 1500000, &error));
  g_assert_no_error (error);
  g_assert_cmphex (regs[0x0b] & 0xef, ==, 0xed);
  g_assert_cmphex (regs[0x0a] & 0x10, ==, 0);
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (fx->chip, XTAL_HZ), -1525000.0, 7.0);
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ, NULL), 100000000 + 1525000.0,
                                  1000.0);
  /* 6 MHz: the wide filter at 3.57 MHz */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 6000000, &error));
  g_assert_cmphex (regs[0x0b] & 0xef, ==, 0x6b);
  g_assert_cmphex (regs[0x0a] & 0x10, ==, 0x10);
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (fx->chip, XTAL_HZ), -IF_HZ, 7.0);
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ, NULL), 100000000 + IF_HZ, 1000.0);

  /* automatic: the filter follows the 2.4 MS/s stream (low-pass 1.7 MHz,
   * both high-pass corners), the IF 1.815 MHz */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 0, &error));
  g_assert_cmphex (regs[0x0b] & 0xef, ==, 0x8f);
  g_assert_cmphex (regs[0x0a] & 0x10, ==, 0);
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (fx->chip, XTAL_HZ), -1815000.0, 7.0);
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ, NULL), 100e6 + 1815000.0,
                                  1000.0);
  /* and the rate: 1.024 MS/s, low-pass 1.2 MHz alone, IF 1.7 MHz */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 1024000, &error));
  g_assert_cmphex (regs[0x0b] & 0xef, ==, 0x80 | 0x40 | 0x20 | 0x0b);
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (fx->chip, XTAL_HZ), -1700000.0, 7.0);
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ, NULL), 100e6 + 1700000.0,
                                  1000.0);
  /* 3.2 MS/s needs more than the narrow filters: the 6 MHz one */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 3200000, &error));
  g_assert_no_error (error);
  g_assert_cmphex (regs[0x0b] & 0xef, ==, 0x6b);
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ, NULL), 100000000 + IF_HZ, 1000.0);
}

static void
test_stalled_i2c_propagates (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* the tuner stops answering writes */
  fx->chip->stall_armed = TRUE;
  fx->chip->stall_write = TRUE;
  fx->chip->stall_value = R820T_I2C_ADDR;
  fx->chip->stall_index = 6 << 8 | 0x10;
  g_assert_false (fer_rtl2832_set_center_freq (fx->rtl, 144000000, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL);
  g_assert_nonnull (strstr (error->message, "I2C write to tuner 0x34"));
  g_assert_nonnull (strstr (error->message, "stalled"));
  /* the old tuning stands, the repeater was closed after the failure */
  g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, 100000000);
  g_assert_cmphex (fx->chip->demod[1][0x01], ==, 0x10);
}

static void
test_r828d (void)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fake_chip_new (R828D_I2C_ADDR, FAKE_I2C_R82XX);
  /* the R828D's VCO reference fine-tune code is 1 */
  chip->r82xx_status[4] = fake_bitrev (0x18);
  const guint8 *regs = chip->i2c_regs[R828D_I2C_ADDR];

  FerRtl2832 *rtl = fer_rtl2832_open (fake_usb_new (chip), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fer_rtl2832_get_tuner_name (rtl), ==, "Rafael Micro R828D");
  /* its PLL runs from a 16 MHz crystal */
  static const guint32 freqs[] = { 24000000, 100000000, 345000000, 346000000, 1766000000 };
  for (guint i = 0; i < G_N_ELEMENTS (freqs); i++)
    {
      g_assert_true (fer_rtl2832_set_center_freq (rtl, freqs[i], &error));
      g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, 16e6, NULL),
                                      freqs[i] - fake_demod_if_hz (chip, XTAL_HZ), 1000.0);
      /* cable-1 input up to 345 MHz, air-in above */
      g_assert_cmphex (regs[0x05] & 0x60, ==, freqs[i] > 345000000 ? 0x00 : 0x60);
    }
  fer_rtl2832_close (rtl);
  g_assert_cmpuint (chip->n_i2c_without_repeater, ==, 0);
  fake_chip_free (chip);
}

static void
test_pll_unlocked_warns (void)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fake_chip_new (R820T_I2C_ADDR, FAKE_I2C_R82XX);
  chip->r82xx_status[2] = 0x00;   /* never locks */

  /* filter calibration and the default 100 MHz tune (the IF 1.815 MHz at
   * 2.4 MS/s) each warn */
  g_test_expect_message ("fer-r82xx", G_LOG_LEVEL_WARNING, "*PLL did not lock at LO 56.000000*");
  g_test_expect_message ("fer-r82xx", G_LOG_LEVEL_WARNING, "*PLL did not lock at LO 101.815000*");
  FerRtl2832 *rtl = fer_rtl2832_open (fake_usb_new (chip), &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_nonnull (rtl);
  /* the VCO current was raised for the second try */
  g_assert_cmphex (chip->i2c_regs[R820T_I2C_ADDR][0x12] & 0xe0, ==, 0x60);

  g_test_expect_message ("fer-r82xx", G_LOG_LEVEL_WARNING, "*PLL did not lock*");
  g_assert_true (fer_rtl2832_set_center_freq (rtl, 433920000, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (fer_rtl2832_get_center_freq (rtl), ==, 433920000);
  fer_rtl2832_close (rtl);
  fake_chip_free (chip);
}

/* --- The dongle source on the fake ------------------------------------- */


typedef struct {
  double freq_mhz;
  double rf_mhz;          /* what the tuner hears */
  gboolean notch;         /* reg 0x17 bit 3 */
  guint8 lna_input;       /* reg 0x05 bits 6:5 */
  gboolean cable2;        /* reg 0x06 bit 3 */
} BlogV4Case;

static void
test_blog_v4 (void)
{
  static const BlogV4Case cases[] = {
    { 1.0, 29.8, FALSE, 0x20, TRUE },       /* HF through the upconverter, AM notch off */
    { 7.1, 35.9, TRUE, 0x20, TRUE },
    { 28.0, 56.8, TRUE, 0x20, TRUE },
    { 28.8, 28.8, TRUE, 0x20, TRUE },       /* the HF input's top, not moved */
    { 50.0, 50.0, TRUE, 0x60, FALSE },      /* VHF: cable 1 */
    { 100.0, 100.0, FALSE, 0x60, FALSE },   /* inside the FM band: notch off */
    { 144.0, 144.0, TRUE, 0x60, FALSE },
    { 200.0, 200.0, FALSE, 0x60, FALSE },   /* DAB */
    { 249.9, 249.9, TRUE, 0x60, FALSE },
    { 250.0, 250.0, TRUE, 0x00, FALSE },    /* UHF: air-in */
    { 433.92, 433.92, TRUE, 0x00, FALSE },
    { 1500.0, 1500.0, TRUE, 0x00, FALSE },
  };
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fake_chip_new (R828D_I2C_ADDR, FAKE_I2C_R82XX);
  const guint8 *regs = chip->i2c_regs[R828D_I2C_ADDR];

  chip->manufacturer = "RTLSDRBlog";
  chip->product = "Blog V4";
  chip->r82xx_status[4] = fake_bitrev (0x18);   /* the R828D's VCO reference code 1 */
  FerRtl2832 *rtl = fer_rtl2832_open (fake_usb_new (chip), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fer_rtl2832_get_tuner_name (rtl), ==, "Rafael Micro R828D (RTL-SDR Blog V4)");
  guint32 min_hz, max_hz;
  g_assert_true (fer_rtl2832_set_direct_sampling (rtl, FER_RTL2832_DIRECT_OFF, NULL));
  fer_rtl2832_get_freq_range (rtl, &min_hz, &max_hz);
  g_assert_cmpuint (min_hz, ==, 500000);
  g_assert_cmpuint (max_hz, ==, 1766000000);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const BlogV4Case *c = &cases[i];
      g_assert_true (fer_rtl2832_set_center_freq (rtl, (guint32) lround (c->freq_mhz * 1e6),
                                                  &error));
      g_assert_no_error (error);
      g_assert_cmpint (fer_rtl2832_get_direct_input (rtl), ==, FER_RTL2832_DIRECT_OFF);
      /* its PLL runs on the 28.8 MHz crystal */
      g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ, NULL),
                                      c->rf_mhz * 1e6 - fake_demod_if_hz (chip, XTAL_HZ),
                                      1000.0);
      g_assert_cmphex (regs[0x17] & 0x08, ==, c->notch ? 0x08 : 0x00);
      g_assert_cmphex (regs[0x05] & 0x60, ==, c->lna_input);
      g_assert_cmphex (regs[0x06] & 0x08, ==, c->cable2 ? 0x08 : 0x00);
      /* GPIO 5 (an output) switches the upconverter in when low */
      g_assert_cmphex (fake_block_reg (chip, 2, 0x3003) & 0x20, ==, 0x20);
      g_assert_cmphex (fake_gpio_high (chip) & 0x20, ==, c->cable2 ? 0x00 : 0x20);
    }
  g_assert_false (fer_rtl2832_set_center_freq (rtl, 400000, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "0.5 to 1766 MHz"));
  g_clear_error (&error);
  fer_rtl2832_close (rtl);
  g_assert_cmpuint (chip->n_i2c_without_repeater, ==, 0);
  fake_chip_free (chip);

  /* the same chip without the strings is a plain R828D on 16 MHz */
  chip = fake_chip_new (R828D_I2C_ADDR, FAKE_I2C_R82XX);
  chip->manufacturer = "RTLSDRBlog";
  chip->product = "Blog V3";
  rtl = fer_rtl2832_open (fake_usb_new (chip), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fer_rtl2832_get_tuner_name (rtl), ==, "Rafael Micro R828D");
  fer_rtl2832_close (rtl);
  fake_chip_free (chip);
}

static void
test_blog_v4_emulator (void)
{
  static const double freqs_hz[] = { 7.4e6, 100.3e6, 433.92e6 + 300e3 };
  static DemoSpectrum s;
  DemoRig rig = { 0 };
  FerEmuParams p;
  int expected = demo_bin_of (300e3, 2.4e6);

  demo_rig_start (&rig, fer_emu_dongle_new (FER_EMU_TUNER_BLOG_V4,
                                            demo_carrier_scene (freqs_hz, 3, -20.0)),
                  29.7, DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
  g_assert_cmpstr (fer_rtl2832_get_tuner_name (fer_source_dongle_get_rtl2832 (rig.source)), ==,
                   "Rafael Micro R828D (RTL-SDR Blog V4)");
  /* HF arrives through the upconverter on cable 2, not by direct sampling */
  demo_rig_tune_and_measure (&rig, 7.1e6, &s);
  fer_emu_dongle_get_params (rig.emu, &p);
  g_assert_cmpint (p.input, ==, FER_EMU_INPUT_TUNER);
  g_assert_cmpfloat_with_epsilon (p.center_hz, 7.1e6, 500.0);
  g_assert_cmpint (ABS (s.peak_bin - expected), <=, 1);
  g_assert_cmpfloat_with_epsilon (s.peak_db, -20.3, 3.0);
  /* VHF and UHF on their inputs */
  demo_rig_tune_and_measure (&rig, 100e6, &s);
  g_assert_cmpint (ABS (s.peak_bin - expected), <=, 1);
  demo_rig_tune_and_measure (&rig, 433.92e6, &s);
  g_assert_cmpint (ABS (s.peak_bin - expected), <=, 1);
  demo_rig_stop (&rig);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/device/r82xx/" path, Fixture, NULL, setup_r820t, fn, teardown)
  ADD ("tune-100mhz-pll-registers", test_tune_100mhz_registers);
  ADD ("tune-lo-right-across-24-1766mhz", test_tune_lo_across_range);
  ADD ("tune-selects-rf-band", test_tune_band_mux);
  ADD ("tune-out-of-range-is-invalid-or-direct", test_tune_out_of_range);
  ADD ("vco-fine-tune-moves-divider", test_vco_fine_tune_moves_divider);
  ADD ("manual-gain-registers", test_manual_gain_registers);
  ADD ("gain-list", test_gain_list);
  ADD ("ppm-correction-retunes", test_ppm_correction);
  ADD ("bandwidth-moves-if", test_bandwidth_moves_if);
  ADD ("stalled-i2c-propagates", test_stalled_i2c_propagates);
#undef ADD
  g_test_add_func ("/device/r82xx/r828d-16mhz-and-inputs", test_r828d);
  g_test_add_func ("/device/r82xx/blog-v4-upconverter-inputs-and-notches", test_blog_v4);
  g_test_add_func ("/device/r82xx/emulator/blog-v4-hears-hf-vhf-uhf", test_blog_v4_emulator);
  g_test_add_func ("/device/r82xx/pll-unlocked-warns", test_pll_unlocked_warns);

  return g_test_run ();
}
