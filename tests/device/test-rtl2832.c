/* test-rtl2832.c - the RTL2832U driver and the R82xx tuner driver against a
 * recording fake of the chip.
 *
 * The fake is a FerUsb backend that logs every control transfer and keeps the
 * register files a real RTL2832U has (demod pages, USB and SYS blocks) plus
 * the tuners on its I2C bus. The R820T answers as the chip does: register
 * reads start at 0 and come back bit-reversed, status bytes say "PLL locked",
 * and nothing on the bus answers while the I2C repeater is closed. Tests
 * check what a user of the driver would: the register values a tune, a rate,
 * a gain or a correction produce, and the errors bad values get.
 */
#include <math.h>
#include <string.h>

#include "device/rtl2832.h"
#include "device/source-dongle.h"
#include "device/tuner-r82xx.h"

#define XTAL_HZ 28800000.0
#define IF_HZ 3570000.0

/* --- The fake chip ------------------------------------------------------ */

typedef enum {
  FAKE_I2C_NONE,
  FAKE_I2C_PLAIN,   /* registers with an auto-incrementing pointer */
  FAKE_I2C_R82XX,   /* reads from register 0, bit-reversed */
} FakeI2cKind;

typedef struct {
  gboolean write;
  guint16 value, index, length;
  guint8 data[64];
} FakeTransfer;

typedef struct {
  /* set up by the test */
  FakeI2cKind i2c_kind[256];
  guint8 r82xx_status[5];       /* raw bytes as on the bus */
  gboolean stall_armed;         /* stall transfers matching the three below */
  gboolean stall_write;
  guint16 stall_value, stall_index;
  guint die_after_n_transfers;  /* bulk: 0 = never */

  /* the chip */
  guint8 demod[16][256];
  guint8 *blocks;               /* 7 blocks of 64 KiB */
  guint8 i2c_regs[256][256];
  guint8 i2c_pointer[256];
  guint n_i2c_without_repeater;

  GMutex lock;
  GArray *log;                  /* FakeTransfer */
  gboolean claimed, closed;

  /* bulk */
  guint8 bulk_endpoint;
  guint bulk_n_transfers;
  gsize bulk_transfer_bytes;
  FerUsbBulkCallbacks bulk_callbacks;
  GThread *bulk_thread;
  gint bulk_stop;
} FakeChip;

typedef struct {
  FerUsb base;
  FakeChip *chip;   /* borrowed: the test owns it */
} FakeUsb;

static guint8
bitrev (guint8 b)
{
  guint8 r = 0;
  for (int i = 0; i < 8; i++)
    if (b & (1 << i))
      r |= (guint8) (0x80 >> i);
  return r;
}

static gboolean
repeater_open (FakeChip *chip)
{
  return (chip->demod[1][0x01] & 0x08) != 0;
}

static int
fake_control (FerUsb *usb, guint8 request_type, guint8 request, guint16 value, guint16 index,
              guint8 *data, guint16 length, guint timeout_ms, GError **error)
{
  FakeChip *chip = ((FakeUsb *) usb)->chip;
  gboolean write = request_type == FER_USB_VENDOR_OUT;
  FakeTransfer t = { write, value, index, length, { 0 } };

  g_assert_cmpint (request, ==, 0);
  g_assert_cmpuint (length, <=, sizeof t.data);
  if (write)
    memcpy (t.data, data, length);

  g_mutex_lock (&chip->lock);
  g_array_append_val (chip->log, t);
  g_mutex_unlock (&chip->lock);

  if (chip->stall_armed && write == chip->stall_write && value == chip->stall_value
      && index == chip->stall_index)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL,
                   "the device stalled the request");
      return -1;
    }

  guint block = index >> 8;
  if (block == 0)
    {
      guint page = index & 0x0f, addr = value >> 8;
      g_assert_cmpuint (value & 0xff, ==, 0x20);
      for (guint i = 0; i < length; i++)
        if (write)
          chip->demod[page][(addr + i) & 0xff] = data[i];
        else
          data[i] = chip->demod[page][(addr + i) & 0xff];
    }
  else if (block == 6)
    {
      guint addr = value & 0xff;
      if (chip->i2c_kind[addr] == FAKE_I2C_NONE || !repeater_open (chip))
        {
          if (!repeater_open (chip))
            chip->n_i2c_without_repeater++;
          g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL,
                       "I2C NAK from 0x%02x", addr);
          return -1;
        }
      if (write)
        {
          /* the chip's I2C master carries at most 8 bytes a message */
          g_assert_cmpuint (length, <=, 8);
          chip->i2c_pointer[addr] = data[0];
          for (guint i = 1; i < length; i++)
            {
              guint reg = (data[0] + i - 1) & 0xff;
              /* an R82xx's registers 0..4 are read-only status */
              if (chip->i2c_kind[addr] != FAKE_I2C_R82XX || reg >= 5)
                chip->i2c_regs[addr][reg] = data[i];
            }
        }
      else
        for (guint i = 0; i < length; i++)
          {
            if (chip->i2c_kind[addr] == FAKE_I2C_R82XX)
              data[i] = i < 5 ? chip->r82xx_status[i] : bitrev (chip->i2c_regs[addr][i]);
            else
              data[i] = chip->i2c_regs[addr][(chip->i2c_pointer[addr] + i) & 0xff];
          }
    }
  else
    {
      g_assert_cmpuint (block, <, 7);
      for (guint i = 0; i < length; i++)
        if (write)
          chip->blocks[block * 65536 + ((value + i) & 0xffff)] = data[i];
        else
          data[i] = chip->blocks[block * 65536 + ((value + i) & 0xffff)];
    }
  return length;
}

static gboolean
fake_claim_interface (FerUsb *usb, int interface_number, GError **error)
{
  g_assert_cmpint (interface_number, ==, 0);
  ((FakeUsb *) usb)->chip->claimed = TRUE;
  return TRUE;
}

static gpointer
fake_bulk_thread (gpointer data)
{
  FakeChip *chip = data;
  guint8 *buffer = g_malloc (chip->bulk_transfer_bytes);
  guint8 counter = 0;
  guint n = 0;

  while (!g_atomic_int_get (&chip->bulk_stop))
    {
      if (chip->bulk_callbacks.wait_ready != NULL
          && !chip->bulk_callbacks.wait_ready (chip->bulk_callbacks.user_data))
        {
          /* the consumer is stopping: wait for stop_bulk like hardware would */
          g_usleep (1000);
          continue;
        }
      if (chip->die_after_n_transfers != 0 && n == chip->die_after_n_transfers)
        {
          GError *error = g_error_new (FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE,
                                       "The dongle was unplugged");
          chip->bulk_callbacks.on_dead (error, chip->bulk_callbacks.user_data);
          g_error_free (error);
          break;
        }
      for (gsize i = 0; i < chip->bulk_transfer_bytes; i++)
        buffer[i] = counter++;
      chip->bulk_callbacks.on_data (buffer, chip->bulk_transfer_bytes,
                                    chip->bulk_callbacks.user_data);
      n++;
    }
  g_free (buffer);
  return NULL;
}

static gboolean
fake_start_bulk (FerUsb *usb, guint8 endpoint, guint n_transfers, gsize transfer_bytes,
                 const FerUsbBulkCallbacks *callbacks, GError **error)
{
  FakeChip *chip = ((FakeUsb *) usb)->chip;
  g_assert_null (chip->bulk_thread);
  chip->bulk_endpoint = endpoint;
  chip->bulk_n_transfers = n_transfers;
  chip->bulk_transfer_bytes = transfer_bytes;
  chip->bulk_callbacks = *callbacks;
  g_atomic_int_set (&chip->bulk_stop, 0);
  chip->bulk_thread = g_thread_new ("fake-bulk", fake_bulk_thread, chip);
  return TRUE;
}

static void
fake_stop_bulk (FerUsb *usb)
{
  FakeChip *chip = ((FakeUsb *) usb)->chip;
  if (chip->bulk_thread == NULL)
    return;
  g_atomic_int_set (&chip->bulk_stop, 1);
  g_thread_join (chip->bulk_thread);
  chip->bulk_thread = NULL;
}

static void
fake_close (FerUsb *usb)
{
  fake_stop_bulk (usb);
  ((FakeUsb *) usb)->chip->closed = TRUE;
  g_free (usb->description);
  g_free (usb);
}

static const FerUsbOps fake_ops = {
  .control = fake_control,
  .claim_interface = fake_claim_interface,
  .start_bulk = fake_start_bulk,
  .stop_bulk = fake_stop_bulk,
  .close = fake_close,
};

/* A chip with an R820T (or @tuner_kind at @tuner_addr) that says "locked". */
static FakeChip *
fake_chip_new (guint8 tuner_addr, FakeI2cKind tuner_kind)
{
  FakeChip *chip = g_new0 (FakeChip, 1);
  chip->blocks = g_malloc0 (7 * 65536);
  chip->log = g_array_new (FALSE, TRUE, sizeof (FakeTransfer));
  g_mutex_init (&chip->lock);
  if (tuner_addr != 0)
    chip->i2c_kind[tuner_addr] = tuner_kind;
  /* id 0x69; PLL locked; VCO fine tune 2 and filter calibration code 8 */
  const guint8 status[5] = { 0x69, 0x00, 0x5a, 0x00, 0x14 };
  memcpy (chip->r82xx_status, status, sizeof status);
  return chip;
}

static void
fake_chip_free (FakeChip *chip)
{
  g_array_unref (chip->log);
  g_mutex_clear (&chip->lock);
  g_free (chip->blocks);
  g_free (chip);
}

static FerUsb *
fake_usb_new (FakeChip *chip)
{
  FakeUsb *usb = g_new0 (FakeUsb, 1);
  usb->base.ops = &fake_ops;
  usb->base.description = g_strdup ("Fake RTL2838UHIDIR SN 00000001");
  usb->chip = chip;
  return &usb->base;
}

static guint
demod_reg16 (FakeChip *chip, guint page, guint addr)
{
  return chip->demod[page][addr] << 8 | chip->demod[page][addr + 1];
}

static const guint8 *
tuner_regs (FakeChip *chip)
{
  return chip->i2c_regs[R820T_I2C_ADDR];
}

/* The demodulator's IF shift in Hz from registers 1:0x19..0x1b. */
static double
demod_if_hz (FakeChip *chip, double xtal_hz)
{
  gint32 word = (chip->demod[1][0x19] & 0x3f) << 16 | chip->demod[1][0x1a] << 8
                | chip->demod[1][0x1b];
  if (word & 0x200000)
    word -= 0x400000;
  return word * xtal_hz / (1 << 22);
}

/* What the R82xx PLL makes from registers 0x10..0x16 with @xtal_hz:
 * LO = 2 xtal (nint + sdm / 65536) / mix_div, nint = 4 ni + si + 13,
 * mix_div = 2 << div_num (for a VCO at its reference fine-tune code). */
static double
r82xx_lo_hz (const guint8 *regs, double xtal_hz, guint *mix_div_out)
{
  guint mix_div = 2u << (regs[0x10] >> 5);
  guint nint = 4 * (regs[0x14] & 0x3f) + (regs[0x14] >> 6) + 13;
  guint sdm = regs[0x16] << 8 | regs[0x15];
  gboolean integer_n = (regs[0x12] & 0x08) != 0;
  if (mix_div_out)
    *mix_div_out = mix_div;
  return 2.0 * xtal_hz * (nint + (integer_n ? 0.0 : sdm / 65536.0)) / mix_div;
}

/* Transfers logged so far: a mark to look at what came after. */
static guint
log_len (FakeChip *chip)
{
  return chip->log->len;
}

/* --- Fixture ------------------------------------------------------------ */

typedef struct {
  FakeChip *chip;
  FerRtl2832 *rtl;
} Fixture;

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
  /* the filter calibration code the chip reported (8) is in use */
  g_assert_cmphex (tuner_regs (chip)[0x0a] & 0x1f, ==, 0x10 | 0x08);

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
  /* the demodulator shifts down by the R820T's 3.57 MHz IF */
  g_assert_cmpfloat_with_epsilon (demod_if_hz (fx->chip, XTAL_HZ), -IF_HZ, 7.0);
  g_assert_cmphex (fx->chip->demod[1][0x19], ==, 0x38);
  g_assert_cmphex (fx->chip->demod[1][0x1a], ==, 0x11);
  g_assert_cmphex (fx->chip->demod[1][0x1b], ==, 0x11);
}

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
  g_assert_cmpfloat_with_epsilon (r82xx_lo_hz (regs, XTAL_HZ, NULL), 103570000.0, 1000.0);
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
      double lo_hz = r82xx_lo_hz (regs, XTAL_HZ, &mix_div);
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
}

static void
test_vco_fine_tune_moves_divider (Fixture *fx, gconstpointer data)
{
  /* A VCO reporting fine-tune code 3 (above the R820T's reference 2) runs in
   * a band where the next smaller divider setting is the right one. */
  fx->chip->r82xx_status[4] = bitrev (0x38);
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 100000000, NULL));
  g_assert_cmphex (tuner_regs (fx->chip)[0x10] >> 5, ==, 3);
  fx->chip->r82xx_status[4] = bitrev (0x18);   /* code 1: the next bigger one */
  g_assert_true (fer_rtl2832_set_center_freq (fx->rtl, 100000000, NULL));
  g_assert_cmphex (tuner_regs (fx->chip)[0x10] >> 5, ==, 5);
}

static void
test_sample_rate_registers (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fx->chip;

  /* ratio = 28.8 MHz x 2^22 / rate */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 2400000, &error));
  g_assert_no_error (error);
  g_assert_cmphex (demod_reg16 (chip, 1, 0x9f), ==, 0x0300);
  g_assert_cmphex (demod_reg16 (chip, 1, 0xa1), ==, 0x0000);
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
  g_assert_cmphex (demod_reg16 (chip, 1, 0x9f), ==, 0x0708);
  g_assert_cmphex (demod_reg16 (chip, 1, 0xa1), ==, 0x0000);
  g_assert_cmpfloat (fer_rtl2832_get_sample_rate (fx->rtl), ==, 1024000.0);

  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 3200000, &error));
  g_assert_cmphex (demod_reg16 (chip, 1, 0x9f), ==, 0x0240);

  /* A rate the ratio cannot hit exactly: the driver says what it got, which
   * is crystal x 2^22 / (ratio with its two low bits cleared). */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 1800001, &error));
  guint32 ratio = demod_reg16 (chip, 1, 0x9f) << 16 | demod_reg16 (chip, 1, 0xa1);
  g_assert_cmphex (ratio & 3, ==, 0);
  g_assert_cmpfloat_with_epsilon (fer_rtl2832_get_sample_rate (fx->rtl),
                                  XTAL_HZ * 4194304.0 / ratio, 1e-6);
  g_assert_cmpfloat_with_epsilon (fer_rtl2832_get_sample_rate (fx->rtl), 1800001.0, 1.0);

  /* The low range: the 28-bit field's top bit also stands for bit 28. */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 250000, &error));
  ratio = demod_reg16 (chip, 1, 0x9f) << 16 | demod_reg16 (chip, 1, 0xa1);
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
  g_assert_cmphex (demod_reg16 (fx->chip, 1, 0x9f), ==, 0x0300);
  g_assert_cmpfloat (fer_rtl2832_get_sample_rate (fx->rtl), ==, 2400000.0);
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
  g_assert_cmpfloat (fabs (r82xx_lo_hz (regs, true_xtal_hz, NULL) - (433920000 + IF_HZ)), >, 20e3);

  g_assert_true (fer_rtl2832_set_freq_correction (fx->rtl, 60, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fer_rtl2832_get_freq_correction (fx->rtl), ==, 60);
  /* the tuner was retuned: with the real crystal the LO is right again */
  g_assert_cmpfloat_with_epsilon (r82xx_lo_hz (regs, true_xtal_hz, NULL),
                                  433920000 + IF_HZ, 1000.0);
  /* and the IF shift, made from the same crystal, too */
  g_assert_cmpfloat_with_epsilon (demod_if_hz (chip, true_xtal_hz), -IF_HZ, 7.0);
  /* sample rate correction: -60e-6 x 2^24 = -1006 over 14 bits */
  g_assert_cmphex (chip->demod[1][0x3f], ==, 0x12);
  g_assert_cmphex (chip->demod[1][0x3e], ==, 0x3c);
  /* a new rate keeps the correction */
  g_assert_true (fer_rtl2832_set_sample_rate (fx->rtl, 1024000, &error));
  g_assert_cmphex (chip->demod[1][0x3f], ==, 0x12);

  g_assert_true (fer_rtl2832_set_freq_correction (fx->rtl, -25, &error));
  g_assert_cmpfloat_with_epsilon (r82xx_lo_hz (regs, XTAL_HZ * (1 - 25e-6), NULL),
                                  433920000 + IF_HZ, 1000.0);
  /* +419 = 25e-6 x 2^24 */
  g_assert_cmphex ((chip->demod[1][0x3e] & 0x3f) << 8 | chip->demod[1][0x3f], ==, 419);

  g_assert_false (fer_rtl2832_set_freq_correction (fx->rtl, 1000, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1000 ppm"));
  g_assert_cmpint (fer_rtl2832_get_freq_correction (fx->rtl), ==, -25);
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
test_bandwidth_moves_if (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const guint8 *regs = tuner_regs (fx->chip);

  /* 1.5 MHz: low-pass 1.55 MHz, both high-pass corners off, IF 1.525 MHz */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 1500000, &error));
  g_assert_no_error (error);
  g_assert_cmphex (regs[0x0b] & 0xef, ==, 0xed);
  g_assert_cmphex (regs[0x0a] & 0x10, ==, 0);
  g_assert_cmpfloat_with_epsilon (demod_if_hz (fx->chip, XTAL_HZ), -1525000.0, 7.0);
  g_assert_cmpfloat_with_epsilon (r82xx_lo_hz (regs, XTAL_HZ, NULL), 100000000 + 1525000.0,
                                  1000.0);
  /* back to the default 6 MHz filter at 3.57 MHz */
  g_assert_true (fer_rtl2832_set_bandwidth (fx->rtl, 0, &error));
  g_assert_cmphex (regs[0x0b] & 0xef, ==, 0x6b);
  g_assert_cmphex (regs[0x0a] & 0x10, ==, 0x10);
  g_assert_cmpfloat_with_epsilon (demod_if_hz (fx->chip, XTAL_HZ), -IF_HZ, 7.0);
  g_assert_cmpfloat_with_epsilon (r82xx_lo_hz (regs, XTAL_HZ, NULL), 100000000 + IF_HZ, 1000.0);
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
  guint from = log_len (chip);
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
  const char *name;   /* in the message; NULL: no tuner */
} ProbeCase;

static void
test_unsupported_tuners (void)
{
  static const ProbeCase cases[] = {
    { 0xc8, 0x02, 0x40, FALSE, "Elonics E4000" },
    { 0xc6, 0x00, 0xa3, FALSE, "Fitipower FC0013" },
    { 0xac, 0x01, 0xd6, FALSE, "FCI FC2580" },   /* id 0x56 under mask 0x7f */
    { 0xc6, 0x00, 0xa1, FALSE, "Fitipower FC0012" },
    { 0, 0, 0, FALSE, NULL },
    { 0x34, 0x00, 0, TRUE, NULL },               /* answers, but not with 0x69 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      const ProbeCase *c = &cases[i];
      FakeChip *chip = fake_chip_new (c->addr, c->r82xx ? FAKE_I2C_R82XX : FAKE_I2C_PLAIN);
      if (c->r82xx)
        chip->r82xx_status[0] = 0x42;
      else
        chip->i2c_regs[c->addr][c->reg] = c->value;

      FerRtl2832 *rtl = fer_rtl2832_open (fake_usb_new (chip), &error);
      g_assert_null (rtl);
      g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED);
      if (c->name != NULL)
        {
          g_assert_nonnull (strstr (error->message, c->name));
          g_assert_nonnull (strstr (error->message, "does not drive"));
        }
      else
        g_assert_nonnull (strstr (error->message, "No tuner answered"));
      g_assert_true (chip->closed);
      g_assert_cmpuint (chip->n_i2c_without_repeater, ==, 0);
      fake_chip_free (chip);
    }
}

static void
test_r828d (void)
{
  g_autoptr (GError) error = NULL;
  FakeChip *chip = fake_chip_new (R828D_I2C_ADDR, FAKE_I2C_R82XX);
  /* the R828D's VCO reference fine-tune code is 1 */
  chip->r82xx_status[4] = bitrev (0x18);
  const guint8 *regs = chip->i2c_regs[R828D_I2C_ADDR];

  FerRtl2832 *rtl = fer_rtl2832_open (fake_usb_new (chip), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fer_rtl2832_get_tuner_name (rtl), ==, "Rafael Micro R828D");
  /* its PLL runs from a 16 MHz crystal */
  static const guint32 freqs[] = { 24000000, 100000000, 345000000, 346000000, 1766000000 };
  for (guint i = 0; i < G_N_ELEMENTS (freqs); i++)
    {
      g_assert_true (fer_rtl2832_set_center_freq (rtl, freqs[i], &error));
      g_assert_cmpfloat_with_epsilon (r82xx_lo_hz (regs, 16e6, NULL), freqs[i] + IF_HZ, 1000.0);
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

  /* filter calibration and the default 100 MHz tune each warn */
  g_test_expect_message ("fer-r82xx", G_LOG_LEVEL_WARNING, "*PLL did not lock at LO 56.000000*");
  g_test_expect_message ("fer-r82xx", G_LOG_LEVEL_WARNING, "*PLL did not lock at LO 103.570000*");
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
  g_assert_cmpfloat (source->min_center_hz, ==, 24e6);
  g_assert_cmpfloat (source->max_center_hz, ==, 1766e6);

  guint n = 0;
  const double *gains = fer_source_get_gains (source, &n);
  g_assert_cmpuint (n, ==, 30);
  g_assert_cmpfloat (gains[0], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (gains[n - 1], 49.6, 1e-9);

  g_assert_true (fer_source_set_center (source, 433.92e6, &error));
  g_assert_cmpfloat (fer_source_get_center (source), ==, 433.92e6);
  g_assert_cmpfloat_with_epsilon (r82xx_lo_hz (regs, XTAL_HZ, NULL), 433.92e6 + IF_HZ, 1000.0);
  g_assert_true (fer_source_set_rate (source, 1.024e6, &error));
  g_assert_cmpfloat (fer_source_get_rate (source), ==, 1.024e6);
  g_assert_true (fer_source_set_gain (source, 19.7, &error));
  g_assert_cmphex (regs[0x05] & 0x1f, ==, 0x10 | 6);
  g_assert_true (fer_source_set_gain (source, NAN, &error));
  g_assert_cmphex (regs[0x05] & 0x10, ==, 0);
  g_assert_true (fer_source_set_ppm (source, 60, &error));
  g_assert_cmpfloat_with_epsilon (r82xx_lo_hz (regs, XTAL_HZ * (1 + 60e-6), NULL),
                                  433.92e6 + IF_HZ, 1000.0);
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
  ADD ("if-registers-hold-3.57mhz", test_if_registers);
  ADD ("tune-100mhz-pll-registers", test_tune_100mhz_registers);
  ADD ("tune-lo-right-across-24-1766mhz", test_tune_lo_across_range);
  ADD ("tune-selects-rf-band", test_tune_band_mux);
  ADD ("tune-out-of-range-is-invalid", test_tune_out_of_range);
  ADD ("vco-fine-tune-moves-divider", test_vco_fine_tune_moves_divider);
  ADD ("sample-rate-ratio-registers", test_sample_rate_registers);
  ADD ("sample-rate-out-of-range-is-invalid", test_sample_rate_out_of_range);
  ADD ("manual-gain-registers", test_manual_gain_registers);
  ADD ("gain-list", test_gain_list);
  ADD ("ppm-correction-retunes", test_ppm_correction);
  ADD ("test-mode-and-digital-agc", test_test_mode_and_digital_agc);
  ADD ("bandwidth-moves-if", test_bandwidth_moves_if);
  ADD ("start-resets-fifo", test_start_resets_fifo);
  ADD ("stalled-i2c-propagates", test_stalled_i2c_propagates);
#undef ADD
  g_test_add_func ("/device/rtl2832/stalled-demod-write-fails-open",
                   test_stalled_demod_write_fails_open);
  g_test_add_func ("/device/rtl2832/unsupported-tuners", test_unsupported_tuners);
  g_test_add_func ("/device/rtl2832/r828d-16mhz-and-inputs", test_r828d);
  g_test_add_func ("/device/rtl2832/pll-unlocked-warns", test_pll_unlocked_warns);
  g_test_add_func ("/device/source-dongle/setters-map-to-driver", test_dongle_source_setters);
  g_test_add_func ("/device/source-dongle/unplug-ends-stream", test_dongle_source_unplug_ends_stream);

  return g_test_run ();
}
