/* test-rtl2832.c - the RTL2832U driver against a recording fake of the chip
 * (fake-rtl2832.h) with an R820T on its bus: what open programs, the sample
 * rate, the modes, streaming, the tuner probe and the errors bad values get,
 * and the dongle source on top.
 */
#include <math.h>
#include <string.h>

#include "device/rtl2832.h"
#include "device/source-dongle.h"
#include "device/tuner-r82xx.h"
#include "fake-rtl2832.h"

#define XTAL_HZ 28800000.0
/* The R820T's IF: with its filter following a 2.4 MS/s stream (1.7 MHz
 * low-pass and both high-pass corners), at 1.024 MS/s (1.2 MHz low-pass
 * only), and with the 6 MHz filter (3.2 MS/s and up). */
#define IF_2400K_HZ 1815000.0
#define IF_1024K_HZ 1700000.0
#define IF_6MHZ_HZ 3570000.0

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
test_open_inits_chip (Fixture *fx, gconstpointer data)
{
  FakeChip *chip = fx->chip;

  g_assert_true (chip->claimed);
  g_assert_cmpstr (fer_rtl2832_get_tuner_name (fx->rtl), ==, "Rafael Micro R820T");
  g_assert_cmpstr (fer_rtl2832_get_description (fx->rtl), ==, "Fake RTL2838UHIDIR SN 00000001");

  /* USB and SYS blocks: 512-byte bulk packets, demodulator powered */
  g_assert_cmphex (chip->blocks[1 * 65536 + 0x2158] << 8 | chip->blocks[1 * 65536 + 0x2159],
                   ==, 0x0002);
  g_assert_cmphex (chip->blocks[2 * 65536 + 0x3000], ==, 0xe8);
  g_assert_cmphex (chip->blocks[2 * 65536 + 0x300b], ==, 0x22);

  /* low IF: no zero-IF input, I ADC only, spectrum inverted, SDR mode */
  g_assert_cmphex (chip->demod[1][0xb1], ==, 0x1a);
  g_assert_cmphex (chip->demod[0][0x08], ==, 0x4d);
  g_assert_cmphex (chip->demod[1][0x15], ==, 0x01);
  g_assert_cmphex (chip->demod[0][0x19], ==, 0x05);
  /* FIR: the first 8-bit taps and the packed 12-bit pair 101, 156 */
  g_assert_cmphex (chip->demod[1][0x1c], ==, (guint8) -54);
  g_assert_cmphex (chip->demod[1][0x23], ==, 53);
  g_assert_cmphex (chip->demod[1][0x24], ==, 101 >> 4);
  g_assert_cmphex (chip->demod[1][0x25], ==, ((101 << 4) & 0xf0) | (156 >> 8));
  g_assert_cmphex (chip->demod[1][0x26], ==, 156);
  /* the repeater is closed again */
  g_assert_cmphex (chip->demod[1][0x01], ==, 0x10);

  /* the R820T got its init table (0x1f is not touched afterwards but bit 7) */
  g_assert_cmphex (tuner_regs (chip)[0x1f] & 0x7f, ==, 0xc0 & 0x7f);
  /* the filter calibration code the chip reported (8) is in use; the
   * filter follows the 2.4 MS/s stream: narrow, low-pass 1.7 MHz, both
   * high-pass corners */
  g_assert_cmphex (tuner_regs (chip)[0x0a] & 0x1f, ==, 0x08);
  g_assert_cmphex (tuner_regs (chip)[0x0b] & 0xef, ==, 0x8f);

  /* the tuners were probed in order, E4000 first */
  guint8 first_i2c = 0;
  for (guint i = 0; i < chip->log->len && first_i2c == 0; i++)
    {
      FakeTransfer *t = &g_array_index (chip->log, FakeTransfer, i);
      if (t->index >> 8 == 6)
        first_i2c = (guint8) t->value;
    }
  g_assert_cmphex (first_i2c, ==, 0xc8);

  /* defaults: 2.4 MS/s, 100 MHz, tuner AGC */
  g_assert_cmpfloat (fer_rtl2832_get_sample_rate (fx->rtl), ==, 2400000.0);
  g_assert_cmpuint (fer_rtl2832_get_center_freq (fx->rtl), ==, 100000000);
  g_assert_true (fer_rtl2832_get_tuner_agc (fx->rtl));
}

static void
test_if_registers (Fixture *fx, gconstpointer data)
{
  /* the demodulator shifts down by the R820T's IF: 1.815 MHz in the filter
   * for 2.4 MS/s */
  g_assert_cmpfloat_with_epsilon (fake_demod_if_hz (fx->chip, XTAL_HZ), -IF_2400K_HZ, 7.0);
  g_assert_cmphex (fx->chip->demod[1][0x19], ==, 0x3b);
  g_assert_cmphex (fx->chip->demod[1][0x1a], ==, 0xf7);
  g_assert_cmphex (fx->chip->demod[1][0x1b], ==, 0x77);
  /* 3.2 MS/s takes the 6 MHz filter at 3.57 MHz */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 3200000, NULL));
  g_assert_cmphex (fx->chip->demod[1][0x19], ==, 0x38);
  g_assert_cmphex (fx->chip->demod[1][0x1a], ==, 0x11);
  g_assert_cmphex (fx->chip->demod[1][0x1b], ==, 0x11);
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (tuner_regs (fx->chip), XTAL_HZ, NULL),
                                  100e6 + IF_6MHZ_HZ, 1000.0);
}

static void
test_sample_rate_registers (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fx->chip;

  /* ratio = 28.8 MHz x 2^22 / rate */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 2400000, &error));
  g_assert_no_error (error);
  g_assert_cmphex (fake_demod_reg16 (chip, 1, 0x9f), ==, 0x0300);
  g_assert_cmphex (fake_demod_reg16 (chip, 1, 0xa1), ==, 0x0000);
  g_assert_cmpfloat (fer_rtl2832_get_sample_rate (fx->rtl), ==, 2400000.0);
  /* the demodulator was reset after the change */
  FakeTransfer *last = NULL;
  for (guint i = 0; i < chip->log->len; i++)
    {
      FakeTransfer *t = &g_array_index (chip->log, FakeTransfer, i);
      if (t->write && t->index == 0x11 && t->value == (0x01 << 8 | 0x20))
        last = t;
    }
  g_assert_nonnull (last);
  g_assert_cmphex (last->data[0], ==, 0x10);

  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 1024000, &error));
  g_assert_cmphex (fake_demod_reg16 (chip, 1, 0x9f), ==, 0x0708);
  g_assert_cmphex (fake_demod_reg16 (chip, 1, 0xa1), ==, 0x0000);
  g_assert_cmpfloat (fer_rtl2832_get_sample_rate (fx->rtl), ==, 1024000.0);

  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 3200000, &error));
  g_assert_cmphex (fake_demod_reg16 (chip, 1, 0x9f), ==, 0x0240);

  /* A rate the ratio cannot hit exactly: the driver says what it got, which
   * is crystal x 2^22 / (ratio with its two low bits cleared). */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 1800001, &error));
  guint32 ratio = fake_demod_reg16 (chip, 1, 0x9f) << 16 | fake_demod_reg16 (chip, 1, 0xa1);
  g_assert_cmphex (ratio & 3, ==, 0);
  g_assert_cmpfloat_with_epsilon (fer_rtl2832_get_sample_rate (fx->rtl),
                                  XTAL_HZ * 4194304.0 / ratio, 1e-6);
  g_assert_cmpfloat_with_epsilon (fer_rtl2832_get_sample_rate (fx->rtl), 1800001.0, 1.0);

  /* The low range: the 28-bit field's top bit also stands for bit 28. */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 250000, &error));
  ratio = fake_demod_reg16 (chip, 1, 0x9f) << 16 | fake_demod_reg16 (chip, 1, 0xa1);
  g_assert_cmphex (ratio & 0x08000000, !=, 0);
  g_assert_cmpfloat_with_epsilon (fer_rtl2832_get_sample_rate (fx->rtl),
                                  XTAL_HZ * 4194304.0 / (ratio | 0x10000000), 1e-6);
  g_assert_cmpfloat_with_epsilon (fer_rtl2832_get_sample_rate (fx->rtl), 250000.0, 1.0);
}

static void
test_sample_rate_out_of_range (Fixture *fx, gconstpointer data)
{
  static const guint32 bad[] = { 0, 225000, 300001, 600000, 900000, 3200001, 10000000 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (fer_rtl2832_set_sample_rate (fx->rtl, bad[i], &error));
      g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "cannot sample at"));
      g_assert_nonnull (strstr (error->message, "225001 to 300000 or 900001 to 3200000 S/s"));
    }
  /* the last good rate stays */
  g_assert_cmphex (fake_demod_reg16 (fx->chip, 1, 0x9f), ==, 0x0300);
  g_assert_cmpfloat (fer_rtl2832_get_sample_rate (fx->rtl), ==, 2400000.0);
}

static void
test_test_mode_and_digital_agc (Fixture *fx, gconstpointer data)
{
  g_assert_true (fer_rtl2832_set_test_mode (fx->rtl, TRUE, NULL));
  g_assert_cmphex (fx->chip->demod[0][0x19], ==, 0x03);
  g_assert_true (fer_rtl2832_set_test_mode (fx->rtl, FALSE, NULL));
  g_assert_cmphex (fx->chip->demod[0][0x19], ==, 0x05);
  g_assert_true (fer_rtl2832_set_digital_agc (fx->rtl, TRUE, NULL));
  g_assert_cmphex (fx->chip->demod[0][0x19], ==, 0x25);
  g_assert_true (fer_rtl2832_set_digital_agc (fx->rtl, FALSE, NULL));
  g_assert_cmphex (fx->chip->demod[0][0x19], ==, 0x05);
}

static void
count_transfers (const guint8 *data, gsize n_bytes, gpointer user_data)
{
  g_atomic_int_inc ((gint *) user_data);
}

static void
test_start_resets_fifo (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fx->chip;
  guint from = fake_log_len (chip);
  gint n_transfers = 0;
  FerUsbBulkCallbacks callbacks = { .on_data = count_transfers, .user_data = &n_transfers };

  fer_rtl2832_set_transfer_ring (fx->rtl, 4, 1000);
  g_assert_true (fer_rtl2832_start (fx->rtl, &callbacks, &error));
  g_assert_no_error (error);
  while (g_atomic_int_get (&n_transfers) == 0)
    g_usleep (1000);
  fer_rtl2832_stop (fx->rtl);
  gint n_stopped = g_atomic_int_get (&n_transfers);
  g_usleep (10000);
  g_assert_cmpint (g_atomic_int_get (&n_transfers), ==, n_stopped);  /* none after stop */

  /* USB_EPA_CTL: FIFO reset, then run, before the bulk ring started */
  guint16 values[2];
  guint n = 0;
  for (guint i = from; i < chip->log->len && n < 2; i++)
    {
      FakeTransfer *t = &g_array_index (chip->log, FakeTransfer, i);
      if (t->write && t->index == (1 << 8 | 0x10) && t->value == 0x2148)
        values[n++] = (guint16) (t->data[0] << 8 | t->data[1]);
    }
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmphex (values[0], ==, 0x1002);
  g_assert_cmphex (values[1], ==, 0x0000);
  g_assert_cmphex (chip->bulk_endpoint, ==, 0x81);
  g_assert_cmpuint (chip->bulk_n_transfers, ==, 4);
  g_assert_cmpuint (chip->bulk_transfer_bytes, ==, 1024);
}

static void
test_stalled_demod_write_fails_open (void)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fake_chip_new (R820T_I2C_ADDR, FAKE_I2C_R82XX);

  /* the resampler ratio register refuses the write */
  chip->stall_armed = TRUE;
  chip->stall_write = TRUE;
  chip->stall_value = 0x9f << 8 | 0x20;
  chip->stall_index = 0x11;
  FerRtl2832 *rtl = fer_rtl2832_open (fake_usb_new (chip), &error);
  g_assert_null (rtl);
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL);
  g_assert_cmpstr (error->message, ==,
                   "RTL2832U: writing demod register 1:0x9f failed: "
                   "the device stalled the request");
  /* the FerUsb was taken and closed */
  g_assert_true (chip->closed);
  fake_chip_free (chip);
}

typedef struct {
  guint8 addr, reg, value;
  gboolean r82xx;
  const char *name;   /* the tuner found; NULL: none */
  gboolean after_reset;
} ProbeCase;

static void
test_probe_finds_each_tuner (void)
{
  static const ProbeCase cases[] = {
    { 0xc8, 0x02, 0x40, FALSE, "Elonics E4000", FALSE },
    { 0xc6, 0x00, 0xa3, FALSE, "Fitipower FC0013", FALSE },
    { 0x34, 0x00, 0x69, TRUE, "Rafael Micro R820T", FALSE },
    { 0x74, 0x00, 0x69, TRUE, "Rafael Micro R828D", FALSE },
    { 0xac, 0x01, 0xd6, FALSE, "FCI FC2580", TRUE },   /* id 0x56 under mask 0x7f */
    { 0xc6, 0x00, 0xa1, FALSE, "Fitipower FC0012", TRUE },
    { 0, 0, 0, FALSE, NULL, TRUE },
    { 0x34, 0x00, 0x42, TRUE, NULL, TRUE },            /* answers, but not with 0x69 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      const ProbeCase *c = &cases[i];
      FakeChip *chip = fake_chip_new (c->addr, c->r82xx ? FAKE_I2C_R82XX : FAKE_I2C_PLAIN);
      if (c->r82xx)
        chip->r82xx_status[0] = c->value;
      else
        chip->i2c_regs[c->addr][c->reg] = c->value;
      if (c->addr == 0xac)
        chip->i2c_regs[c->addr][0x2f] = 0xc0;   /* FC2580 filter calibrated */
      if (c->addr == 0xc8)
        chip->i2c_regs[c->addr][0x07] = 0x01;   /* E4000 PLL locked */

      FerRtl2832 *rtl = fer_rtl2832_open (fake_usb_new (chip), &error);
      if (c->name != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (fer_rtl2832_get_tuner_name (rtl), ==, c->name);
          fer_rtl2832_close (rtl);
        }
      else
        {
          g_assert_null (rtl);
          g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED);
          g_assert_nonnull (strstr (error->message, "No tuner answered"));
        }
      /* GPIO 4 (the tuner reset) is pulsed only for the last two probes */
      g_assert_cmphex (fake_block_reg (chip, 2, 0x3003) & 0x10, ==, c->after_reset ? 0x10 : 0);
      g_assert_true (chip->closed);
      g_assert_cmpuint (chip->n_i2c_without_repeater, ==, 0);
      fake_chip_free (chip);
    }
}

static void
test_dongle_source_setters (void)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fake_chip_new (R820T_I2C_ADDR, FAKE_I2C_R82XX);
  FerSource *source = fer_source_dongle_new (fake_usb_new (chip), FER_SOURCE_KIND_DONGLE,
                                             NULL, TRUE, &error);
  const guint8 *regs = tuner_regs (chip);

  g_assert_no_error (error);
  g_assert_cmpstr (fer_source_get_name (source), ==,
                   "Fake RTL2838UHIDIR SN 00000001 (Rafael Micro R820T)");
  g_assert_cmpfloat (fer_source_get_center (source), ==, 100e6);
  g_assert_cmpfloat (fer_source_get_rate (source), ==, 2.4e6);
  g_assert_cmpfloat (source->min_center_hz, ==, 0.0);   /* direct sampling below 24 MHz */
  g_assert_cmpfloat (source->max_center_hz, ==, 1766e6);

  guint n = 0;
  const double *gains = fer_source_get_gains (source, &n);
  g_assert_cmpuint (n, ==, 30);
  g_assert_cmpfloat (gains[0], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (gains[n - 1], 49.6, 1e-9);

  g_assert_true (fer_source_set_center (source, 433.92e6, &error));
  g_assert_cmpfloat (fer_source_get_center (source), ==, 433.92e6);
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ, NULL), 433.92e6 + IF_2400K_HZ,
                                  1000.0);
  g_assert_true (fer_source_set_rate (source, 1.024e6, &error));
  g_assert_cmpfloat (fer_source_get_rate (source), ==, 1.024e6);
  g_assert_true (fer_source_set_gain (source, 19.7, &error));
  g_assert_cmphex (regs[0x05] & 0x1f, ==, 0x10 | 6);
  g_assert_true (fer_source_set_gain (source, NAN, &error));
  g_assert_cmphex (regs[0x05] & 0x10, ==, 0);
  g_assert_true (fer_source_set_ppm (source, 60, &error));
  g_assert_cmpfloat_with_epsilon (fake_r82xx_lo_hz (regs, XTAL_HZ * (1 + 60e-6), NULL),
                                  433.92e6 + IF_1024K_HZ, 1000.0);
  g_assert_no_error (error);

  g_assert_false (fer_source_set_center (source, 2e9, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fer_source_set_rate (source, 500e3, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpfloat (fer_source_get_center (source), ==, 433.92e6);
  g_assert_cmpfloat (fer_source_get_rate (source), ==, 1.024e6);

  fer_source_free (source);
  g_assert_true (chip->closed);
  fake_chip_free (chip);
}

static void
test_dongle_source_unplug_ends_stream (void)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fake_chip_new (R820T_I2C_ADDR, FAKE_I2C_R82XX);
  FerSource *source = fer_source_dongle_new (fake_usb_new (chip), FER_SOURCE_KIND_DONGLE,
                                             "fake", FALSE, &error);
  g_autoptr (FerBlockPool) pool = fer_block_pool_new (8, 16384);
  GAsyncQueue *queue = g_async_queue_new ();
  guint64 expected_seq = 0;
  guint8 expected_byte = 0;
  gsize n_bytes = 0;

  g_assert_no_error (error);
  chip->die_after_n_transfers = 50;
  g_assert_true (fer_source_start (source, pool, queue, &error));
  g_assert_no_error (error);
  for (;;)
    {
      FerBlock *block = fer_block_queue_pop (queue, 5 * G_USEC_PER_SEC);
      g_assert_nonnull (block);
      if (block->flags & FER_BLOCK_FLAG_END)
        break;
      /* unpaced: nothing lost, the chip's counter runs on */
      g_assert_cmpuint (block->seq, ==, expected_seq++);
      g_assert_cmpfloat (block->center_hz, ==, 100e6);
      g_assert_cmpfloat (block->rate_hz, ==, 2.4e6);
      g_assert_cmpint (block->format, ==, FER_SAMPLE_CU8);
      for (gsize i = 0; i < block->n_bytes; i++)
        g_assert_cmpuint (block->data[i], ==, expected_byte++);
      n_bytes += block->n_bytes;
      fer_block_release (block);
    }
  g_assert_cmpuint (n_bytes, ==, 50 * FER_RTL2832_DEFAULT_TRANSFER_BYTES);
  GError *why = fer_source_dup_error (source);
  g_assert_error (why, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE);
  g_error_free (why);
  g_assert_cmpuint (fer_source_get_n_dropped (source), ==, 0);

  fer_source_free (source);
  g_async_queue_unref (queue);
  fake_chip_free (chip);
}


int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/device/rtl2832/" path, Fixture, NULL, setup_r820t, fn, teardown)
  ADD ("open-inits-baseband-and-tuner", test_open_inits_chip);
  ADD ("if-registers-follow-the-rate", test_if_registers);
  ADD ("sample-rate-ratio-registers", test_sample_rate_registers);
  ADD ("sample-rate-out-of-range-is-invalid", test_sample_rate_out_of_range);
  ADD ("test-mode-and-digital-agc", test_test_mode_and_digital_agc);
  ADD ("start-resets-fifo", test_start_resets_fifo);
#undef ADD
  g_test_add_func ("/device/rtl2832/stalled-demod-write-fails-open",
                   test_stalled_demod_write_fails_open);
  g_test_add_func ("/device/rtl2832/probe-finds-each-tuner", test_probe_finds_each_tuner);
  g_test_add_func ("/device/source-dongle/setters-map-to-driver", test_dongle_source_setters);
  g_test_add_func ("/device/source-dongle/unplug-ends-stream", test_dongle_source_unplug_ends_stream);

  return g_test_run ();
}
