/* Tests of the emulated dongle's E4000 model, its input selection (tuner,
 * HF antenna, nothing) and its GPIO pins, driven only through control
 * transfers. */
#include <math.h>
#include <string.h>

#include "device/emu/emu-dongle.h"
#include "test-emu-common.h"

#define E4K_ADDR 0xc8

static guint8
e4k_read (FerEmuDongle *emu, guint8 reg)
{
  guint8 value = 0;
  g_assert_cmpint (test_i2c_write (emu, E4K_ADDR, &reg, 1), ==, 1);
  g_assert_cmpint (test_i2c_read (emu, E4K_ADDR, &value, 1), ==, 1);
  return value;
}

static void
e4k_write (FerEmuDongle *emu, guint8 reg, guint8 value)
{
  guint8 data[2] = { reg, value };
  g_assert_cmpint (test_i2c_write (emu, E4K_ADDR, data, 2), ==, 2);
}

/* LO = 28.8 MHz (Z + X / 65536) / divider: @synth7 picks the divider. */
static void
e4k_program (FerEmuDongle *emu, guint8 synth7, guint8 z, guint16 x)
{
  e4k_write (emu, 0x0d, synth7);
  e4k_write (emu, 0x09, z);
  e4k_write (emu, 0x0a, x & 0xff);
  e4k_write (emu, 0x0b, x >> 8);
}

static void
test_e4k_registers (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_E4000, fer_scene_new (-150));
  FerEmuParams p;
  guint8 id = 0;

  g_assert_cmpstr (fer_emu_dongle_get_tuner_name (emu), ==, "E4000");
  /* nothing answers without the repeater; with it, the E4000 at 0xc8 */
  g_assert_cmpint (test_i2c_read (emu, E4K_ADDR, &id, 1), <, 0);
  test_set_repeater (emu, TRUE);
  g_assert_cmphex (e4k_read (emu, 0x02), ==, 0x40);
  g_assert_cmpint (test_i2c_read (emu, 0x34, &id, 1), <, 0);

  /* 100 MHz: divider 32 (three-phase code 5), 3.2 GHz = 28.8 MHz x
   * (111 + 7281 / 65536): locked */
  e4k_program (emu, 0x08 | 5, 111, 7281);
  g_assert_cmphex (e4k_read (emu, 0x07) & 0x01, ==, 0x01);
  fer_emu_dongle_get_params (emu, &p);
  g_assert_true (p.pll_locked);
  g_assert_cmpfloat_with_epsilon (p.lo_hz, 100e6, 250.0);
  /* the lock bit is the chip's: a write does not change it */
  e4k_write (emu, 0x07, 0x04);
  g_assert_cmphex (e4k_read (emu, 0x07), ==, 0x05);
  /* 1180 MHz with the divider 4 needs a 4.72 GHz VCO: no lock */
  e4k_program (emu, 1, 163, 58254);
  g_assert_cmphex (e4k_read (emu, 0x07) & 0x01, ==, 0x00);
  fer_emu_dongle_get_params (emu, &p);
  g_assert_false (p.pll_locked);
  g_assert_cmpfloat_with_epsilon (p.lo_hz, 1180e6, 1000.0);

  /* gain: LNA code 13 (25 dB) + mixer 4 dB, the IF stages at their usual
   * 24 dB, manual */
  e4k_write (emu, 0x14, 13);
  e4k_write (emu, 0x15, 0);
  e4k_write (emu, 0x16, 0x01);
  e4k_write (emu, 0x17, 2 | 2 << 3);
  fer_emu_dongle_get_params (emu, &p);
  g_assert_false (p.agc);
  g_assert_cmpfloat_with_epsilon (p.gain_db, 29.0, 1e-9);
  /* mixer 12 dB and IF stage 6 at 15 dB: 8 + 6 dB more */
  e4k_write (emu, 0x15, 1);
  e4k_write (emu, 0x17, 2 | 4 << 3);
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_gain_db (emu), 43.0, 1e-9);

  /* standby, then a reset brings the power-on registers back */
  e4k_write (emu, 0x00, 0x00);
  fer_emu_dongle_get_params (emu, &p);
  g_assert_false (p.tuner_powered);
  e4k_write (emu, 0x00, 0x07);
  fer_emu_dongle_get_params (emu, &p);
  g_assert_true (p.tuner_powered);
  g_assert_cmphex (e4k_read (emu, 0x14), ==, 0x00);
  g_assert_cmphex (e4k_read (emu, 0x02), ==, 0x40);
}

static void
test_input_selection (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));
  FerEmuParams p;

  test_set_repeater (emu, TRUE);
  /* one real input, the I ADC: the R820T drives it */
  test_demod_write (emu, 1, 0xb1, 0x1a, 1);
  test_demod_write (emu, 0, 0x06, 0x80, 1);
  fer_emu_dongle_get_params (emu, &p);
  g_assert_cmpint (p.input, ==, FER_EMU_INPUT_TUNER);
  /* the Q input through the I path: the board's HF antenna (Blog V3) */
  test_demod_write (emu, 0, 0x06, 0x90, 1);
  fer_emu_dongle_get_params (emu, &p);
  g_assert_cmpint (p.input, ==, FER_EMU_INPUT_HF);
  /* a 7.1 MHz shift puts 7.1 MHz at 0 Hz */
  guint32 word = (guint32) -lround (7.1e6 * 4194304.0 / 28.8e6) & 0x3fffff;
  test_demod_write (emu, 1, 0x19, word >> 16, 1);
  test_demod_write (emu, 1, 0x1a, (word >> 8) & 0xff, 1);
  test_demod_write (emu, 1, 0x1b, word & 0xff, 1);
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_center_hz (emu), 7.1e6, 10.0);
  /* the I input with the tuner in standby: nothing, unless HF is wired there */
  const guint8 standby[2] = { 0x06, 0xb1 };
  g_assert_cmpint (test_i2c_write (emu, 0x34, standby, 2), ==, 2);
  test_demod_write (emu, 0, 0x06, 0x80, 1);
  fer_emu_dongle_get_params (emu, &p);
  g_assert_false (p.tuner_powered);
  g_assert_cmpint (p.input, ==, FER_EMU_INPUT_NONE);
  fer_emu_dongle_set_hf_wiring (emu, FER_EMU_HF_ON_I);
  fer_emu_dongle_get_params (emu, &p);
  g_assert_cmpint (p.input, ==, FER_EMU_INPUT_HF);
}

static void
test_gpio_pins (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));

  /* a pin drives only as an output (GPD clear, GPOE set) */
  test_reg_write (emu, 2, 0x3001, 0x21, 1);
  g_assert_false (fer_emu_dongle_get_bias_tee (emu));
  test_reg_write (emu, 2, 0x3003, 0x01, 1);
  g_assert_true (fer_emu_dongle_get_bias_tee (emu));
  test_reg_write (emu, 2, 0x3004, 0x01, 1);
  g_assert_false (fer_emu_dongle_get_bias_tee (emu));
  test_reg_write (emu, 2, 0x3004, 0x00, 1);
  test_reg_write (emu, 2, 0x3003, 0x21, 1);
  FerEmuParams p;
  fer_emu_dongle_get_params (emu, &p);
  g_assert_cmphex (p.gpio_high, ==, 0x21);
  test_reg_write (emu, 2, 0x3001, 0x20, 1);
  g_assert_false (fer_emu_dongle_get_bias_tee (emu));
}

static void
test_usb_strings (void)
{
  g_autoptr (FerEmuDongle) v4 = fer_emu_dongle_new (FER_EMU_TUNER_BLOG_V4, fer_scene_new (-150));
  g_autoptr (FerEmuDongle) plain = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));
  const char *manufacturer, *product, *serial;

  fer_emu_dongle_get_usb_strings (v4, &manufacturer, &product, &serial);
  g_assert_cmpstr (manufacturer, ==, "RTLSDRBlog");
  g_assert_cmpstr (product, ==, "Blog V4");
  fer_emu_dongle_get_usb_strings (plain, &manufacturer, &product, &serial);
  g_assert_cmpstr (manufacturer, ==, "Realtek");
  g_assert_cmpstr (product, ==, "RTL2838UHIDIR");
  g_assert_cmpstr (serial, ==, "00000001");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/device/emu/e4k/registers-lock-gain-standby", test_e4k_registers);
  g_test_add_func ("/device/emu/dongle/input-tuner-hf-or-nothing", test_input_selection);
  g_test_add_func ("/device/emu/dongle/gpio-pins-and-bias-tee", test_gpio_pins);
  g_test_add_func ("/device/emu/dongle/usb-strings-tell-blog-v4", test_usb_strings);

  return g_test_run ();
}
