/* test-modes.c - the RTL2832U's extra modes: direct sampling (I and Q
 * inputs, automatic below 24 MHz), the bias tee on GPIO 0 and the digital
 * AGC. First the registers they produce on the recording fake
 * (fake-rtl2832.h), then end to end on the emulated dongle (demo-rig.h),
 * which renders the scene at HF when an ADC samples the antenna directly
 * and reports the GPIO pins it drives.
 */
#include <math.h>
#include <string.h>

#include "device/rtl2832.h"
#include "device/source-dongle.h"
#include "device/tuner-e4k.h"
#include "device/tuner-r82xx.h"
#include "demo-rig.h"
#include "fake-rtl2832.h"

#define XTAL_HZ 28800000.0
#define IF_HZ 1815000.0   /* the R820T's IF in the filter for 2.4 MS/s */
#define RATE_HZ 2400000.0
#define CARRIER_DBFS (-20.0)

/* --- On the fake --------------------------------------------------------- */

typedef struct {
  FakeChip *chip;
  FerRtl2832 *rtl;
  const guint8 *regs;   /* the R820T's */
} Fixture;

static void
setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fx->chip = fake_chip_new (R820T_I2C_ADDR, FAKE_I2C_R82XX);
  fx->regs = fx->chip->i2c_regs[R820T_I2C_ADDR];
  fx->rtl = fer_rtl2832_open (fake_usb_new (fx->chip), &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture *fx, gconstpointer data)
{
  fer_rtl2832_close (fx->rtl);
  g_assert_cmpuint (fx->chip->n_i2c_without_repeater, ==, 0);
  fake_chip_free (fx->chip);
}

/* The demodulator's shift modulo the crystal, in 0..xtal. */
static double
shift_hz (FakeChip *chip)
{
  double f = fmod (-fake_demod_if_hz (chip, XTAL_HZ), XTAL_HZ);
  return f < 0 ? f + XTAL_HZ : f;
}

static void
test_direct_sampling_registers (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fx->chip;

  g_assert_cmpint (fer_rtl2832_get_direct_sampling (fx->rtl), ==, FER_RTL2832_DIRECT_AUTO);
  g_assert_true (fer_rtl2832_set_gain (fx->rtl, 197, &error));

  /* below the R820T's 24 MHz: the Q input, the tuner in standby, one real
   * input without inversion, shifted down by the tuned frequency */
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 7100000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fer_rtl2832_get_direct_input (fx->rtl), ==, FER_RTL2832_DIRECT_Q);
  g_assert_cmphex (chip->demod[1][0xb1], ==, 0x1a);
  g_assert_cmphex (chip->demod[0][0x08], ==, 0x4d);
  g_assert_cmphex (chip->demod[0][0x06], ==, 0x90);
  g_assert_cmphex (chip->demod[1][0x15], ==, 0x00);
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (chip, XTAL_HZ), -7.1e6, 7.0);
  g_assert_cmphex (fx->regs[0x06], ==, 0xb1);     /* R820T standby */
  /* the second Nyquist zone: the shift wraps modulo the crystal */
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 20000000, &error));
  g_assert_cmpfloat_with_epsilon (shift_hz (chip), 20e6, 7.0);

  /* forced I: the I input through the straight datapath */
  g_assert_true (fer_rtl2832_set_direct_sampling (fx->rtl, FER_RTL2832_DIRECT_I, &error));
  g_assert_cmpint (fer_rtl2832_get_direct_input (fx->rtl), ==, FER_RTL2832_DIRECT_I);
  g_assert_cmphex (chip->demod[0][0x06], ==, 0x80);
  guint32 min_hz, max_hz;
  fer_rtl2832_get_freq_range (fx->rtl, &min_hz, &max_hz);
  g_assert_cmpuint (min_hz, ==, 0);
  g_assert_cmpuint (max_hz, ==, 28800000);
  /* beyond what direct sampling receives: refused, nothing changes */
  g_assert_false (fer_rtl2832_set_center_freq (fx->rtl, 30000000, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "0 to 28.8 MHz"));
  g_clear_error (&error);
  g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, 20000000);

  /* automatic again, tuned to 100 MHz: the tuner is back with the gain set
   * before, low IF, inversion, the LO 3.57 MHz up */
  g_assert_true (fer_rtl2832_set_direct_sampling (fx->rtl, FER_RTL2832_DIRECT_AUTO, &error));
  g_assert_cmpint (fer_rtl2832_get_direct_input (fx->rtl), ==, FER_RTL2832_DIRECT_Q);
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 100000000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fer_rtl2832_get_direct_input (fx->rtl), ==, FER_RTL2832_DIRECT_OFF);
  g_assert_cmphex (chip->demod[0][0x06], ==, 0x80);
  g_assert_cmphex (chip->demod[1][0x15], ==, 0x01);
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (chip, XTAL_HZ), -IF_HZ, 7.0);
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (fx->regs, XTAL_HZ, NULL), 100e6 + IF_HZ,
                                  1000.0);
  g_assert_cmphex (fx->regs[0x06] & 0x80, ==, 0);
  g_assert_cmphex (fx->regs[0x05] & 0x1f, ==, 0x10 | 6);
  g_assert_cmphex (fx->regs[0x07] & 0x1f, ==, 5);
  g_assert_false (fer_rtl2832_get_tuner_agc (fx->rtl));

  /* forcing Q at 100 MHz is beyond direct sampling: the setting stays */
  g_assert_false (fer_rtl2832_set_direct_sampling (fx->rtl, FER_RTL2832_DIRECT_Q, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_cmpint (fer_rtl2832_get_direct_sampling (fx->rtl), ==, FER_RTL2832_DIRECT_AUTO);
  g_assert_cmpint (fer_rtl2832_get_direct_input (fx->rtl), ==, FER_RTL2832_DIRECT_OFF);
}

static void
test_bias_tee_drives_gpio0 (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fx->chip;

  g_assert_false (fer_rtl2832_get_bias_tee (fx->rtl));
  g_assert_cmphex (fake_gpio_high (chip) & 0x01, ==, 0);
  g_assert_true (fer_rtl2832_set_bias_tee (fx->rtl, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (fer_rtl2832_get_bias_tee (fx->rtl));
  /* GPIO 0 an output (direction bit clear, output enable set), driven high */
  g_assert_cmphex (fake_block_reg (chip, 2, 0x3004) & 0x01, ==, 0);
  g_assert_cmphex (fake_block_reg (chip, 2, 0x3003) & 0x01, ==, 0x01);
  g_assert_cmphex (fake_gpio_high (chip), ==, 0x01);
  g_assert_true (fer_rtl2832_set_bias_tee (fx->rtl, FALSE, &error));
  g_assert_cmphex (fake_gpio_high (chip) & 0x01, ==, 0);

  /* close switches the supply off */
  g_assert_true (fer_rtl2832_set_bias_tee (fx->rtl, TRUE, &error));
  fer_rtl2832_close (fx->rtl);
  fx->rtl = NULL;
  g_assert_cmphex (fake_gpio_high (chip) & 0x01, ==, 0);
}

static void
test_offset_tuning_needs_zero_if (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (fer_rtl2832_set_offset_tuning (fx->rtl, TRUE, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "Rafael Micro R820T works on a low IF"));
  g_assert_false (fer_rtl2832_get_offset_tuning (fx->rtl));
  g_clear_error (&error);
  g_assert_false (fer_rtl2832_set_if_gain (fx->rtl, 1, 60, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED);
}

/* --- End to end on the emulator ------------------------------------------ */

static FerRtl2832 *
rig_rtl (DemoRig *rig)
{
  return fer_source_dongle_get_rtl2832 (rig->source);
}

/* Carriers 300 kHz above and 200 kHz below 7.1 MHz, and one at 20.3 MHz. */
static FerEmuDongle *
hf_dongle (FerEmuTunerType tuner, FerEmuHfWiring wiring)
{
  static const double freqs_hz[] = { 7.4e6, 20.3e6 };
  FerScene *scene = demo_carrier_scene (freqs_hz, G_N_ELEMENTS (freqs_hz), CARRIER_DBFS);
  FerEmitter weak = { .label = "weak", .kind = FER_EMITTER_CARRIER, .freq_hz = 6.9e6,
                      .level_dbfs = CARRIER_DBFS - 10.0 };
  fer_scene_add (scene, &weak);
  FerEmitter vhf = { .label = "vhf", .kind = FER_EMITTER_CARRIER, .freq_hz = 100.3e6,
                     .level_dbfs = CARRIER_DBFS };
  fer_scene_add (scene, &vhf);
  FerEmuDongle *emu = fer_emu_dongle_new (tuner, scene);
  fer_emu_dongle_set_hf_wiring (emu, wiring);
  return emu;
}

static void
assert_carrier (const DemoSpectrum *s, double offset_hz, double level_dbfs)
{
  int expected = demo_bin_of (offset_hz, RATE_HZ);
  if (ABS (s->peak_bin - expected) > 1)
    g_error ("carrier in bin %d, expected %d", s->peak_bin, expected);
  g_assert_cmpfloat_with_epsilon (s->peak_db, level_dbfs - 1.0, 3.0);
}

static void
test_direct_sampling_hears_hf (void)
{
  static DemoSpectrum s;
  DemoRig rig = { 0 };
  FerEmuParams p;

  demo_rig_start (&rig, hf_dongle (FER_EMU_TUNER_R820T, FER_EMU_HF_ON_Q), 29.7,
                  DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
  /* automatic: 7.1 MHz is below the R820T, so the Q input hears the antenna;
   * 7.4 MHz lands at +300 kHz at its level, 6.9 MHz at -200 kHz (not
   * mirrored), 10 dB weaker */
  demo_rig_tune_and_measure (&rig, 7.1e6, &s);
  fer_emu_dongle_get_params (rig.emu, &p);
  g_assert_cmpint (p.input, ==, FER_EMU_INPUT_HF);
  g_assert_false (p.tuner_powered);
  assert_carrier (&s, 300e3, CARRIER_DBFS);
  g_assert_cmpfloat_with_epsilon (demo_bin_db (&s, demo_bin_of (-200e3, RATE_HZ)),
                                  CARRIER_DBFS - 11.0, 3.0);
  g_assert_cmpfloat (demo_bin_db (&s, demo_bin_of (200e3, RATE_HZ)), <, CARRIER_DBFS - 30.0);
  /* the second Nyquist zone (the antenna aliased by the 28.8 MHz clock) */
  demo_rig_tune_and_measure (&rig, 20e6, &s);
  assert_carrier (&s, 300e3, CARRIER_DBFS);
  /* back to the tuner at 100 MHz: its gain came back, the carrier lands */
  demo_rig_tune_and_measure (&rig, 100e6, &s);
  fer_emu_dongle_get_params (rig.emu, &p);
  g_assert_cmpint (p.input, ==, FER_EMU_INPUT_TUNER);
  g_assert_cmpfloat_with_epsilon (p.gain_db, 29.7, 1e-9);
  assert_carrier (&s, 300e3, CARRIER_DBFS);

  /* forced I on a board that wires HF to Q: the I input hears nothing */
  g_assert_true (fer_source_set_center (rig.source, 7.1e6, NULL));
  g_assert_true (fer_rtl2832_set_direct_sampling (rig_rtl (&rig), FER_RTL2832_DIRECT_I, NULL));
  demo_rig_measure (&rig, &s);
  fer_emu_dongle_get_params (rig.emu, &p);
  g_assert_cmpint (p.input, ==, FER_EMU_INPUT_NONE);
  g_assert_cmpfloat (s.peak_db, <, CARRIER_DBFS - 30.0);
  demo_rig_stop (&rig);

  /* a board with HF on I: forced I hears it, on an E4000 dongle too */
  demo_rig_start (&rig, hf_dongle (FER_EMU_TUNER_E4000, FER_EMU_HF_ON_I), 29.0,
                  DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
  g_assert_true (fer_rtl2832_set_direct_sampling (rig_rtl (&rig), FER_RTL2832_DIRECT_OFF, NULL));
  g_assert_false (fer_source_set_center (rig.source, 7.1e6, NULL));
  g_assert_true (fer_rtl2832_set_direct_sampling (rig_rtl (&rig), FER_RTL2832_DIRECT_AUTO, NULL));
  g_assert_true (fer_source_set_center (rig.source, 7.1e6, NULL));
  g_assert_true (fer_rtl2832_set_direct_sampling (rig_rtl (&rig), FER_RTL2832_DIRECT_I, NULL));
  demo_rig_measure (&rig, &s);
  fer_emu_dongle_get_params (rig.emu, &p);
  g_assert_cmpint (p.input, ==, FER_EMU_INPUT_HF);
  g_assert_false (p.tuner_powered);
  assert_carrier (&s, 300e3, CARRIER_DBFS);
  demo_rig_stop (&rig);
}

static void
test_source_setters (void)
{
  g_autoptr (GError) error = NULL;
  DemoRig rig = { 0 };
  FerRtl2832 *rtl;

  demo_rig_start (&rig, hf_dongle (FER_EMU_TUNER_R820T, FER_EMU_HF_ON_Q), 29.7,
                  DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
  rtl = rig_rtl (&rig);
  /* an R820T: a bias tee and direct sampling, no offset tuning */
  g_assert_cmphex (fer_source_get_caps (rig.source), ==,
                   FER_SOURCE_CAP_BIAS_TEE | FER_SOURCE_CAP_DIRECT_SAMPLING);
  g_assert_true (fer_source_set_bias_tee (rig.source, TRUE, &error));
  g_assert_true (fer_rtl2832_get_bias_tee (rtl));
  g_assert_true (fer_emu_dongle_get_bias_tee (rig.emu));
  g_assert_false (fer_source_set_offset_tuning (rig.source, TRUE, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* the tunable range follows the direct sampling setting */
  g_assert_cmpfloat (rig.source->min_center_hz, ==, 0.0);
  g_assert_true (fer_source_set_direct_sampling (rig.source, FER_DIRECT_SAMPLING_OFF, &error));
  g_assert_cmpint (fer_rtl2832_get_direct_sampling (rtl), ==, FER_RTL2832_DIRECT_OFF);
  g_assert_cmpfloat (rig.source->min_center_hz, ==, 24e6);
  g_assert_false (fer_source_set_center (rig.source, 14.2e6, &error));
  g_clear_error (&error);
  g_assert_true (fer_source_set_direct_sampling (rig.source, FER_DIRECT_SAMPLING_AUTO, &error));
  g_assert_true (fer_source_set_center (rig.source, 14.2e6, &error));
  g_assert_true (fer_source_set_direct_sampling (rig.source, FER_DIRECT_SAMPLING_Q, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (rig.source->max_center_hz, ==, 28.8e6);
  g_assert_cmpint (fer_rtl2832_get_direct_input (rtl), ==, FER_RTL2832_DIRECT_Q);
  g_assert_cmpfloat (fer_source_get_center (rig.source), ==, 14.2e6);
  demo_rig_stop (&rig);
}

static void
test_bias_tee_in_emulator (void)
{
  DemoRig rig = { 0 };
  g_autoptr (GError) error = NULL;

  demo_rig_start (&rig, hf_dongle (FER_EMU_TUNER_R820T, FER_EMU_HF_ON_Q), 29.7,
                  DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
  g_assert_false (fer_emu_dongle_get_bias_tee (rig.emu));
  g_assert_true (fer_rtl2832_set_bias_tee (rig_rtl (&rig), TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (fer_emu_dongle_get_bias_tee (rig.emu));
  g_assert_true (fer_rtl2832_set_bias_tee (rig_rtl (&rig), FALSE, &error));
  g_assert_false (fer_emu_dongle_get_bias_tee (rig.emu));
  demo_rig_stop (&rig);
}

static void
test_digital_agc_lifts_weak_signal (void)
{
  static DemoSpectrum s;
  static const double freq_hz = 100.3e6;
  DemoRig rig = { 0 };
  FerEmuParams p;

  demo_rig_start (&rig, fer_emu_dongle_new (FER_EMU_TUNER_R820T,
                                            demo_carrier_scene (&freq_hz, 1, -35.0)),
                  29.7, DEMO_BLOCK_BYTES, DEMO_POOL_BLOCKS);
  demo_rig_tune_and_measure (&rig, 100e6, &s);
  double without = s.peak_db;
  g_assert_cmpfloat_with_epsilon (without, -35.3, 2.0);

  g_assert_true (fer_rtl2832_set_digital_agc (rig_rtl (&rig), TRUE, NULL));
  g_assert_true (fer_rtl2832_get_digital_agc (rig_rtl (&rig)));
  demo_rig_measure (&rig, &s);
  fer_emu_dongle_get_params (rig.emu, &p);
  g_assert_true (p.digital_agc);
  /* the carrier dominates the stream, so the AGC brings it near -20 dBFS */
  g_assert_cmpfloat_with_epsilon (s.peak_db, FER_EMU_AGC_TARGET_DBFS, 3.0);
  g_assert_cmpint (s.peak_bin, ==, demo_bin_of (300e3, RATE_HZ));

  g_assert_true (fer_rtl2832_set_digital_agc (rig_rtl (&rig), FALSE, NULL));
  demo_rig_measure (&rig, &s);
  g_assert_cmpfloat_with_epsilon (s.peak_db, without, 1.0);
  demo_rig_stop (&rig);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/device/modes/direct-sampling-registers", Fixture, NULL, setup,
              test_direct_sampling_registers, teardown);
  g_test_add ("/device/modes/bias-tee-drives-gpio0", Fixture, NULL, setup,
              test_bias_tee_drives_gpio0, teardown);
  g_test_add ("/device/modes/offset-tuning-needs-zero-if", Fixture, NULL, setup,
              test_offset_tuning_needs_zero_if, teardown);
  g_test_add_func ("/device/modes/emulator/direct-sampling-hears-hf",
                   test_direct_sampling_hears_hf);
  g_test_add_func ("/device/modes/emulator/bias-tee-gpio", test_bias_tee_in_emulator);
  g_test_add_func ("/device/modes/emulator/source-setters", test_source_setters);
  g_test_add_func ("/device/modes/emulator/digital-agc-lifts-weak-signal",
                   test_digital_agc_lifts_weak_signal);

  return g_test_run ();
}
