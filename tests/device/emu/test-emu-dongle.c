/* Tests of the emulated RTL2832U + R820T, driven only through its control
 * transfers the way a driver programs it. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "device/emu/emu-dongle.h"
#include "test-emu-common.h"
#include "tone.h"

#define RATE_HZ 2400000.0
#define FFT_N   16384

static guint8
bitrev (guint8 b)
{
  guint8 r = 0;
  for (int i = 0; i < 8; i++)
    if (b & (1u << i))
      r |= (guint8) (0x80u >> i);
  return r;
}

static FerEmuDongle *
new_dongle_with_carrier_noise (double carrier_hz, double level_dbfs, double noise_dbfs_hz)
{
  FerScene *scene = fer_scene_new (noise_dbfs_hz);
  FerEmitter carrier = { .label = "test carrier", .kind = FER_EMITTER_CARRIER,
                         .freq_hz = carrier_hz, .level_dbfs = level_dbfs };
  fer_scene_add (scene, &carrier);
  return fer_emu_dongle_new (FER_EMU_TUNER_R820T, scene);
}

static FerEmuDongle *
new_dongle_with_carrier (double carrier_hz, double level_dbfs)
{
  return new_dongle_with_carrier_noise (carrier_hz, level_dbfs, -150.0);
}

static gint
expected_bin (double offset_hz, double rate_hz)
{
  return (gint) lround (offset_hz / rate_hz * FFT_N);
}

static gint
read_peak_bin (FerEmuDongle *emu)
{
  guint8 *buf = g_malloc (2 * FFT_N);
  fer_emu_dongle_read (emu, buf, 2 * FFT_N);
  gint bin = test_peak_bin (buf, FFT_N, NULL);
  g_free (buf);
  return bin;
}

/* ---- control protocol ---- */

static void
test_register_readback (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));

  /* A 2-byte demod write is big-endian over two consecutive registers. */
  test_demod_write (emu, 1, 0x9f, 0x0123, 2);
  g_assert_cmphex (test_demod_read (emu, 1, 0x9f, 1), ==, 0x01);
  g_assert_cmphex (test_demod_read (emu, 1, 0xa0, 1), ==, 0x23);
  g_assert_cmphex (test_demod_read (emu, 1, 0x9f, 2), ==, 0x0123);
  /* Pages are separate register files. */
  test_demod_write (emu, 0, 0x9f, 0x5a, 1);
  g_assert_cmphex (test_demod_read (emu, 1, 0x9f, 1), ==, 0x01);
  g_assert_cmphex (test_demod_read (emu, 0, 0x9f, 1), ==, 0x5a);
  /* USB and SYS blocks. */
  test_reg_write (emu, 2, 0x3001, 0xa5, 1);
  g_assert_cmphex (test_reg_read (emu, 2, 0x3001, 1), ==, 0xa5);
  test_reg_write (emu, 1, 0x2158, 0x0002, 2);
  g_assert_cmphex (test_reg_read (emu, 1, 0x2158, 2), ==, 0x0002);
}

static void
test_malformed_requests_stall (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));
  guint8 b = 0;

  /* Write without the write flag, read with it. */
  g_assert_cmpint (fer_emu_dongle_control (emu, 0x40, 0, 0x0120, 0x0001, &b, 1), ==, -EPIPE);
  g_assert_cmpint (fer_emu_dongle_control (emu, 0xc0, 0, 0x0120, 0x0011, &b, 1), ==, -EPIPE);
  /* Demod access must address the demod (0x20 in the low byte). */
  g_assert_cmpint (fer_emu_dongle_control (emu, 0x40, 0, 0x0121, 0x0011, &b, 1), ==, -EPIPE);
  /* Other requests, blocks, addresses. */
  g_assert_cmpint (fer_emu_dongle_control (emu, 0x40, 1, 0x0120, 0x0011, &b, 1), ==, -EPIPE);
  g_assert_cmpint (fer_emu_dongle_control (emu, 0x40, 0, 0x0000, 0x0510, &b, 1), ==, -EPIPE);
  g_assert_cmpint (fer_emu_dongle_control (emu, 0x40, 0, 0x1000, 0x0110, &b, 1), ==, -EPIPE);
  g_assert_cmpint (fer_emu_dongle_control (emu, 0x00, 6, 0x0000, 0x0000, NULL, 0), ==, -EPIPE);
  /* Well formed: accepted. */
  g_assert_cmpint (fer_emu_dongle_control (emu, 0x40, 0, 0x0120, 0x0011, &b, 1), ==, 1);
}

static void
test_i2c_needs_repeater_and_tuner (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));
  guint8 reg = 0, id = 0;

  /* Repeater off: the tuner cannot be reached. */
  g_assert_cmpint (test_i2c_write (emu, 0x34, &reg, 1), ==, -EPIPE);
  g_assert_cmpint (test_i2c_read (emu, 0x34, &id, 1), ==, -EPIPE);

  test_set_repeater (emu, TRUE);
  /* The addresses a driver probes before the R820T are absent. */
  g_assert_cmpint (test_i2c_write (emu, 0xc8, (guint8[]) { 0x02 }, 1), ==, -EPIPE);
  g_assert_cmpint (test_i2c_read (emu, 0xc6, &id, 1), ==, -EPIPE);
  g_assert_cmpint (test_i2c_read (emu, 0x74, &id, 1), ==, -EPIPE);
  /* The R820T answers with its id. */
  g_assert_cmpint (test_i2c_write (emu, 0x34, &reg, 1), ==, 1);
  g_assert_cmpint (test_i2c_read (emu, 0x34, &id, 1), ==, 1);
  g_assert_cmphex (id, ==, 0x69);

  test_set_repeater (emu, FALSE);
  g_assert_cmpint (test_i2c_read (emu, 0x34, &id, 1), ==, -EPIPE);
}

static void
test_r828d_answers_at_0x74 (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R828D, fer_scene_new (-150));
  guint8 id = 0;
  test_set_repeater (emu, TRUE);
  g_assert_cmpint (test_i2c_read (emu, 0x34, &id, 1), ==, -EPIPE);
  g_assert_cmpint (test_i2c_read (emu, 0x74, &id, 1), ==, 1);
  g_assert_cmphex (id, ==, 0x69);

  /* Its 16 MHz crystal: a driver using it lands the LO where asked. */
  TestDriver d;
  test_driver_init (&d, emu);
  g_assert_true (test_driver_set_lo (&d, 403.57e6));
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_lo_hz (emu), 403.57e6, 300.0);
}

static void
test_tuner_status_registers (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));
  TestDriver d;
  guint8 raw[5];

  test_driver_init (&d, emu);
  test_set_repeater (emu, TRUE);
  /* Status registers are read-only: a write there changes nothing. */
  g_assert_cmpint (test_i2c_write (emu, 0x34, (guint8[]) { 0x00, 0, 0, 0, 0, 0 }, 6), ==, 6);
  g_assert_cmpint (test_i2c_read (emu, 0x34, raw, 5), ==, 5);
  g_assert_cmphex (raw[0], ==, 0x69);
  /* Before any PLL programming the VCO is out of range: no lock. */
  g_assert_cmphex (bitrev (raw[2]) & 0x40, ==, 0);
  /* VCO fine tune 2, filter calibration code 8. */
  g_assert_cmphex ((bitrev (raw[4]) & 0x30) >> 4, ==, 2);
  g_assert_cmphex (bitrev (raw[4]) & 0x0f, ==, 8);
  test_set_repeater (emu, FALSE);

  /* After a tune the PLL reports lock. */
  g_assert_true (test_driver_tune (&d, 100e6));
  test_set_repeater (emu, TRUE);
  g_assert_cmpint (test_i2c_read (emu, 0x34, raw, 3), ==, 3);
  g_assert_cmphex (bitrev (raw[2]) & 0x40, ==, 0x40);
  test_set_repeater (emu, FALSE);
}

/* ---- derived state ---- */

static void
test_sample_rate_from_ratio (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));
  TestDriver d;
  const double rates[] = { 2400000, 2048000, 1024000, 3200000, 250000, 960000, 1800000 };

  g_assert_cmpfloat (fer_emu_dongle_get_sample_rate (emu), ==, 0.0);
  test_driver_init (&d, emu);
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      double exact = test_driver_set_rate (&d, rates[i]);
      double got = fer_emu_dongle_get_sample_rate (emu);
      g_assert_cmpfloat_with_epsilon (got, exact, 1e-6);
      g_assert_cmpfloat_with_epsilon (got, rates[i], rates[i] * 1e-6);
    }
}

static void
test_pll_lo_follows_registers (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));
  TestDriver d;
  const double los[] = { 27.7e6, 52.57e6, 103.57e6, 148.07e6, 437.49e6, 1003.57e6, 1769.57e6 };

  test_driver_init (&d, emu);
  for (guint i = 0; i < G_N_ELEMENTS (los); i++)
    {
      g_assert_true (test_driver_set_lo (&d, los[i]));
      guint mix_div = 2;
      while (los[i] * mix_div < 1.77e9)
        mix_div *= 2;
      /* The fraction has 16 bits: the LO is within half a step of the request. */
      double step = 2.0 * 28.8e6 / 65536.0 / mix_div;
      g_assert_cmpfloat (fabs (fer_emu_dongle_get_lo_hz (emu) - los[i]), <=, step / 2 + 1e-3);
    }
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_if_hz (emu), 3.57e6, 10.0);
  g_assert_true (fer_emu_dongle_get_inverted (emu));
}

/* ---- where emitters land ---- */

static void
test_carrier_lands_at_offset (void)
{
  const double fc = 145.0e6, f = fc + 300e3;
  g_autoptr (FerEmuDongle) emu = new_dongle_with_carrier (f, -30);
  TestDriver d;

  test_driver_setup (&d, emu, RATE_HZ, fc);
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_center_hz (emu), fc, 300.0);
  gint bin = read_peak_bin (emu);
  g_assert_cmpint (ABS (bin - expected_bin (f - fc, RATE_HZ)), <=, 1);

  /* Below the centre frequency too, at another rate. */
  test_driver_set_rate (&d, 1024000);
  g_assert_true (test_driver_tune (&d, f + 217e3));
  bin = read_peak_bin (emu);
  g_assert_cmpint (ABS (bin - expected_bin (-217e3, 1024000)), <=, 1);
}

static void
test_mirrored_without_inversion (void)
{
  const double fc = 145.0e6, f = fc + 300e3;
  g_autoptr (FerEmuDongle) emu = new_dongle_with_carrier (f, -30);
  TestDriver d;

  test_driver_setup (&d, emu, RATE_HZ, fc);
  test_driver_set_inversion (&d, FALSE);
  gint bin = read_peak_bin (emu);
  g_assert_cmpint (ABS (bin - expected_bin (fc - f, RATE_HZ)), <=, 1);

  /* An IF of the wrong sign with inversion on mirrors it as well. */
  test_driver_set_inversion (&d, TRUE);
  test_driver_set_if (&d, -3.57e6);
  g_assert_true (test_driver_set_lo (&d, fc + 3.57e6));
  bin = read_peak_bin (emu);
  g_assert_cmpint (ABS (bin - expected_bin (fc - f, RATE_HZ)), <=, 1);
}

static void
test_image_is_rejected (void)
{
  /* An emitter on the image frequency (LO + IF) shows up only weakly. Some
   * noise dithers the 8-bit quantisation of the weak image. */
  const double fc = 145.0e6;
  g_autoptr (FerEmuDongle) emu = new_dongle_with_carrier_noise (fc + 2 * 3.57e6 + 100e3, -20,
                                                                -110.0);
  TestDriver d;
  guint8 *buf = g_malloc (2 * FFT_N);
  double p_image, p_wanted;

  test_driver_setup (&d, emu, RATE_HZ, fc);
  test_driver_set_manual_gain (&d, 12, 12, 8);
  fer_emu_dongle_read (emu, buf, 2 * FFT_N);
  gint bin = test_peak_bin (buf, FFT_N, &p_image);
  /* Mirrored about the image centre. */
  g_assert_cmpint (ABS (bin - expected_bin (-100e3, RATE_HZ)), <=, 1);

  g_assert_true (test_driver_tune (&d, fc + 2 * 3.57e6));
  fer_emu_dongle_read (emu, buf, 2 * FFT_N);
  bin = test_peak_bin (buf, FFT_N, &p_wanted);
  g_assert_cmpint (ABS (bin - expected_bin (100e3, RATE_HZ)), <=, 1);
  double rejection_db = 10 * log10 (p_wanted / p_image);
  g_test_message ("image rejection %.1f dB", rejection_db);
  g_assert_cmpfloat_with_epsilon (rejection_db, 40.0, 1.5);
  g_free (buf);
}

static void
test_xtal_ppm (void)
{
  const double fc = 433.0e6, f = fc + 300e3, ppm = 50.0;
  g_autoptr (FerEmuDongle) emu = new_dongle_with_carrier (f, -30);
  TestDriver d;

  fer_emu_dongle_set_xtal_ppm (emu, ppm);
  test_driver_setup (&d, emu, RATE_HZ, fc);

  /* Uncorrected: every clock runs 50 ppm fast, the carrier appears
   * fc * 50e-6 = 21.65 kHz lower, measured at the faster sample rate. */
  double scale = 1.0 + ppm / 1e6;
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_sample_rate (emu), RATE_HZ * scale, 1.0);
  gint bin = read_peak_bin (emu);
  g_assert_cmpint (ABS (bin - expected_bin (f - fc * scale, RATE_HZ * scale)), <=, 1);
  g_assert_cmpint (ABS (bin - expected_bin (f - fc, RATE_HZ)), >, 100);

  /* A driver correcting for it gets the nominal rate and placement back. */
  test_driver_set_ppm (&d, ppm);
  g_assert_true (test_driver_tune (&d, fc));
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_sample_rate (emu), RATE_HZ, RATE_HZ * 1e-7);
  bin = read_peak_bin (emu);
  g_assert_cmpint (ABS (bin - expected_bin (f - fc, RATE_HZ)), <=, 1);
}

/* ---- gain ---- */

static double
read_power_dbfs (FerEmuDongle *emu, gsize n)
{
  guint8 *buf = g_malloc (2 * n);
  fer_emu_dongle_read (emu, buf, 2 * n);
  double p = test_cu8_power_dbfs (buf, n);
  g_free (buf);
  return p;
}

static void
test_gain_steps_change_level (void)
{
  const double fc = 145.0e6;
  g_autoptr (FerEmuDongle) emu = new_dongle_with_carrier (fc + 200e3, -10);
  TestDriver d;

  test_driver_setup (&d, emu, RATE_HZ, fc);
  test_driver_set_manual_gain (&d, 5, 5, 8);
  double base = read_power_dbfs (emu, 65536);
  g_assert_cmpfloat_with_epsilon (fer_emu_dongle_get_gain_db (emu), 11.3 + 5.3, 1e-9);
  /* Carrier at -10 dBFS re 30 dB of gain, here 16.6 dB. */
  g_assert_cmpfloat_with_epsilon (base, -10 - (30 - 16.6), 0.1);

  test_driver_set_manual_gain (&d, 6, 5, 8);
  g_assert_cmpfloat_with_epsilon (read_power_dbfs (emu, 65536) - base, 3.1, 0.1);
  test_driver_set_manual_gain (&d, 5, 7, 8);
  g_assert_cmpfloat_with_epsilon (read_power_dbfs (emu, 65536) - base, 1.0 + 2.5, 0.1);
  test_driver_set_manual_gain (&d, 5, 5, 9);
  g_assert_cmpfloat_with_epsilon (read_power_dbfs (emu, 65536) - base, 3.2, 0.1);
  test_driver_set_manual_gain (&d, 3, 5, 8);
  g_assert_cmpfloat_with_epsilon (read_power_dbfs (emu, 65536) - base, -(3.8 + 1.3), 0.1);
}

static void
test_agc_levels_output (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL);
  TestDriver d;

  test_driver_setup (&d, emu, RATE_HZ, 100.0e6);
  double p = read_power_dbfs (emu, 65536);
  g_test_message ("AGC at 100 MHz: %.1f dB gain, %.1f dBFS", fer_emu_dongle_get_gain_db (emu), p);
  g_assert_cmpfloat (p, <=, -19.5);
  g_assert_cmpfloat (p, >=, -25.0);

  /* Nothing but noise: the AGC goes to its maximum. */
  g_assert_true (test_driver_tune (&d, 600.0e6));
  FerEmuParams params;
  fer_emu_dongle_get_params (emu, &params);
  g_assert_true (params.agc);
  g_assert_cmpfloat_with_epsilon (params.gain_db, 49.6 + fer_emu_r82xx_vga_gain_db (0x0b), 1e-9);
  g_assert_cmpuint (params.lna_index, ==, 15);
  g_assert_cmpuint (params.mixer_index, ==, 14);  /* the last mixer step loses gain */
  /* The tuner reports the AGC's choice in status register 3. */
  guint8 raw[4];
  test_set_repeater (emu, TRUE);
  g_assert_cmpint (test_i2c_read (emu, 0x34, raw, 4), ==, 4);
  test_set_repeater (emu, FALSE);
  g_assert_cmphex (bitrev (raw[3]), ==, 0xef);
}

/* ---- stream control ---- */

static void
test_test_mode_counter_continues (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));
  TestDriver d;
  const gsize sizes[] = { 1000, 777, 16384, 3, 1, 65536, 255 };
  guint8 *buf = g_malloc (65536);
  gint prev = -1;

  test_driver_setup (&d, emu, RATE_HZ, 100e6);
  test_driver_set_test_mode (&d, TRUE);
  g_assert_true (fer_emu_dongle_get_test_mode (emu));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      fer_emu_dongle_read (emu, buf, sizes[i]);
      for (gsize k = 0; k < sizes[i]; k++)
        {
          if (prev >= 0)
            g_assert_cmpuint (buf[k], ==, (guint8) (prev + 1));
          prev = buf[k];
        }
    }
  g_free (buf);
}

static void
test_fifo_reset_stops_stream (void)
{
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, fer_scene_new (-150));
  TestDriver d;

  /* Power-on: held in reset. */
  g_assert_false (fer_emu_dongle_is_streaming (emu));
  test_driver_init (&d, emu);
  g_assert_false (fer_emu_dongle_is_streaming (emu));
  test_driver_start (&d);
  g_assert_true (fer_emu_dongle_is_streaming (emu));
  test_driver_stop (&d);
  g_assert_false (fer_emu_dongle_is_streaming (emu));
  /* Either bit alone holds it too. */
  test_reg_write (emu, 1, 0x2148, 0x0002, 2);
  g_assert_false (fer_emu_dongle_is_streaming (emu));
  test_reg_write (emu, 1, 0x2148, 0x1000, 2);
  g_assert_false (fer_emu_dongle_is_streaming (emu));
  test_reg_write (emu, 1, 0x2148, 0x0000, 2);
  g_assert_true (fer_emu_dongle_is_streaming (emu));
}

static void
test_demod_power_off_gives_no_signal (void)
{
  g_autoptr (FerEmuDongle) emu = new_dongle_with_carrier (100.1e6, -10);
  TestDriver d;
  guint8 buf[4096];

  test_driver_setup (&d, emu, RATE_HZ, 100e6);
  test_reg_write (emu, 2, 0x3000, 0x20, 1);
  fer_emu_dongle_read (emu, buf, sizeof buf);
  for (gsize k = 0; k < sizeof buf; k++)
    g_assert_cmpuint (buf[k], ==, 128);
  test_reg_write (emu, 2, 0x3000, 0xe8, 1);
  fer_emu_dongle_read (emu, buf, sizeof buf);
  g_assert_cmpfloat (test_cu8_power_dbfs (buf, sizeof buf / 2), >, -30.0);
}

static double
power_at_bin (FerEmuDongle *emu, gint bin)
{
  guint8 *buf = g_malloc (2 * FFT_N);
  double *re = g_new (double, FFT_N), *im = g_new (double, FFT_N);
  fer_emu_dongle_read (emu, buf, 2 * FFT_N);
  for (gsize k = 0; k < FFT_N; k++)
    {
      double w = 0.5 - 0.5 * cos (2 * G_PI * k / FFT_N);
      re[k] = w * (buf[2 * k] - 127.5);
      im[k] = w * (buf[2 * k + 1] - 127.5);
    }
  test_fft (re, im, FFT_N);
  double p = 0;
  for (gint b = bin - 1; b <= bin + 1; b++)
    {
      gsize k = (gsize) ((b + FFT_N) % FFT_N);
      p += re[k] * re[k] + im[k] * im[k];
    }
  g_free (buf);
  g_free (re);
  g_free (im);
  return p;
}

static void
test_unlocked_pll_gives_noise_only (void)
{
  g_autoptr (FerEmuDongle) emu = new_dongle_with_carrier_noise (100.1e6, -10, -120);
  TestDriver d;
  gint bin = expected_bin (100e3, RATE_HZ);

  test_driver_setup (&d, emu, RATE_HZ, 100e6);
  test_driver_set_manual_gain (&d, 5, 5, 8);
  double locked = power_at_bin (emu, bin);
  /* Integer part far too small for the VCO: no lock, no carrier. */
  test_set_repeater (emu, TRUE);
  g_assert_cmpint (test_i2c_write (emu, 0x34, (guint8[]) { 0x14, 0x00 }, 2), ==, 2);
  test_set_repeater (emu, FALSE);
  double unlocked = power_at_bin (emu, bin);
  g_test_message ("carrier bin locked / unlocked: %.1f dB", 10 * log10 (locked / unlocked));
  g_assert_cmpfloat (unlocked, <, locked * 1e-4);
}

/* ---- the default scene's reference station ---- */

static void
fir_decimate (const float *in, gsize n, const float *taps, guint n_taps, guint decim,
              float *out, gsize *n_out)
{
  gsize k = 0;
  for (gsize i = n_taps - 1; i < n; i += decim)
    {
      float acc = 0.0f;
      for (guint t = 0; t < n_taps; t++)
        acc += taps[t] * in[i - t];
      out[k++] = acc;
    }
  *n_out = k;
}

static void
test_default_scene_100mhz_station (void)
{
  const gsize n = 1 << 19;  /* 0.22 s */
  g_autoptr (FerEmuDongle) emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL);
  TestDriver d;
  guint8 *bytes = g_malloc (2 * n);

  test_driver_setup (&d, emu, RATE_HZ, 100.0e6);
  fer_emu_dongle_read (emu, bytes, 2 * n);

  /* No clipping. */
  gsize clipped = 0;
  for (gsize k = 0; k < 2 * n; k++)
    clipped += bytes[k] == 0 || bytes[k] == 255;
  g_assert_cmpuint (clipped, ==, 0);

  /* Carrier to noise in 200 kHz: channel power against the noise density
   * between the 100.5 and 100.9 MHz stations (after 8-bit quantisation). */
  {
    const gsize m = 65536;
    double *re = g_new0 (double, m), *im = g_new0 (double, m);
    for (gsize k = 0; k < m; k++)
      {
        double w = 0.5 - 0.5 * cos (2 * G_PI * k / m);
        re[k] = w * (bytes[2 * k] - 127.5);
        im[k] = w * (bytes[2 * k + 1] - 127.5);
      }
    test_fft (re, im, m);
    double bin_hz = RATE_HZ / m, chan = 0, noise = 0;
    guint n_noise = 0;
    for (gsize k = 0; k < m; k++)
      {
        double f = (k < m / 2 ? (double) k : (double) k - m) * bin_hz;
        double p = re[k] * re[k] + im[k] * im[k];
        if (fabs (f) < 100e3)
          chan += p;
        if (f > 640e3 && f < 760e3)
          {
            noise += p;
            n_noise++;
          }
      }
    double cn_db = 10 * log10 (chan / (noise / n_noise * (200e3 / bin_hz)));
    g_test_message ("100.0 MHz: C/N %.1f dB in 200 kHz", cn_db);
    g_assert_cmpfloat (cn_db, >=, 35.0);
    g_free (re);
    g_free (im);
  }

  /* Crude mono FM demodulation: channel filter, decimate to 300 kHz,
   * phase difference, audio filter, decimate to 50 kHz. */
  float *i_in = g_new (float, n), *q_in = g_new (float, n);
  test_cu8_to_iq (bytes, n, i_in, q_in);
  float *chan_taps = test_lowpass_taps (127, 110e3 / RATE_HZ);
  float *i_ch = g_new (float, n / 8 + 1), *q_ch = g_new (float, n / 8 + 1);
  gsize n_ch;
  fir_decimate (i_in, n, chan_taps, 127, 8, i_ch, &n_ch);
  fir_decimate (q_in, n, chan_taps, 127, 8, q_ch, &n_ch);
  float *fm = g_new (float, n_ch);
  fm[0] = 0;
  for (gsize k = 1; k < n_ch; k++)
    {
      float re = i_ch[k] * i_ch[k - 1] + q_ch[k] * q_ch[k - 1];
      float im = q_ch[k] * i_ch[k - 1] - i_ch[k] * q_ch[k - 1];
      fm[k] = atan2f (im, re) * (float) (RATE_HZ / 8 / (2 * G_PI));  /* Hz */
    }
  float *audio_taps = test_lowpass_taps (151, 15e3 / (RATE_HZ / 8));
  float *audio = g_new (float, n_ch / 6 + 1);
  gsize n_audio;
  fir_decimate (fm + 1, n_ch - 1, audio_taps, 151, 6, audio, &n_audio);

  FerToneFit fit;
  g_assert_true (fer_tone_fit (audio + 50, n_audio - 50, RATE_HZ / 48, 1000.0, &fit));
  g_test_message ("100.0 MHz mono: %.2f Hz, deviation %.0f Hz, SINAD %.1f dB", fit.freq_hz,
                  fit.amplitude, fit.sinad_db);
  g_assert_cmpfloat_with_epsilon (fit.freq_hz, 1000.0, 0.5);
  g_assert_cmpfloat_with_epsilon (fit.amplitude, 37500.0, 1000.0);
  g_assert_cmpfloat (fit.sinad_db, >=, 45.0);

  g_free (bytes);
  g_free (i_in);
  g_free (q_in);
  g_free (chan_taps);
  g_free (i_ch);
  g_free (q_ch);
  g_free (fm);
  g_free (audio_taps);
  g_free (audio);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/device/emu/dongle/register-readback", test_register_readback);
  g_test_add_func ("/device/emu/dongle/malformed-requests-stall", test_malformed_requests_stall);
  g_test_add_func ("/device/emu/dongle/i2c-needs-repeater-and-tuner",
                   test_i2c_needs_repeater_and_tuner);
  g_test_add_func ("/device/emu/dongle/r828d-answers-at-0x74", test_r828d_answers_at_0x74);
  g_test_add_func ("/device/emu/dongle/tuner-status-registers", test_tuner_status_registers);
  g_test_add_func ("/device/emu/dongle/sample-rate-from-ratio", test_sample_rate_from_ratio);
  g_test_add_func ("/device/emu/dongle/pll-lo-follows-registers", test_pll_lo_follows_registers);
  g_test_add_func ("/device/emu/dongle/carrier-lands-at-offset", test_carrier_lands_at_offset);
  g_test_add_func ("/device/emu/dongle/mirrored-without-inversion",
                   test_mirrored_without_inversion);
  g_test_add_func ("/device/emu/dongle/image-is-rejected", test_image_is_rejected);
  g_test_add_func ("/device/emu/dongle/xtal-ppm", test_xtal_ppm);
  g_test_add_func ("/device/emu/dongle/gain-steps-change-level", test_gain_steps_change_level);
  g_test_add_func ("/device/emu/dongle/agc-levels-output", test_agc_levels_output);
  g_test_add_func ("/device/emu/dongle/test-mode-counter-continues",
                   test_test_mode_counter_continues);
  g_test_add_func ("/device/emu/dongle/fifo-reset-stops-stream", test_fifo_reset_stops_stream);
  g_test_add_func ("/device/emu/dongle/demod-power-off-gives-no-signal",
                   test_demod_power_off_gives_no_signal);
  g_test_add_func ("/device/emu/dongle/unlocked-pll-gives-noise-only",
                   test_unlocked_pll_gives_noise_only);
  g_test_add_func ("/device/emu/dongle/default-scene-100mhz-station",
                   test_default_scene_100mhz_station);
  return g_test_run ();
}
