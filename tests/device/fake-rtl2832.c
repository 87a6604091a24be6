#include "fake-rtl2832.h"

#include <string.h>

typedef struct {
  FerUsb base;
  FakeChip *chip;   /* borrowed: the test owns it */
} FakeUsb;

guint8
fake_bitrev (guint8 b)
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
fake_i2c (FakeChip *chip, gboolean write, guint8 addr, guint8 *data, guint16 length,
          GError **error)
{
  if (chip->i2c_kind[addr] == FAKE_I2C_NONE || !repeater_open (chip))
    {
      if (!repeater_open (chip))
        chip->n_i2c_without_repeater++;
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL, "I2C NAK from 0x%02x", addr);
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
      if (chip->i2c_hook != NULL && chip->i2c_kind[addr] == FAKE_I2C_PLAIN && length > 1)
        chip->i2c_hook (chip, addr, chip->i2c_hook_data);
    }
  else
    for (guint i = 0; i < length; i++)
      {
        if (chip->i2c_kind[addr] == FAKE_I2C_R82XX)
          data[i] = i < 5 ? chip->r82xx_status[i] : fake_bitrev (chip->i2c_regs[addr][i]);
        else
          data[i] = chip->i2c_regs[addr][(chip->i2c_pointer[addr] + i) & 0xff];
      }
  return length;
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
    return fake_i2c (chip, write, (guint8) (value & 0xff), data, length, error);
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

static void
fake_get_strings (FerUsb *usb, const char **manufacturer, const char **product,
                  const char **serial)
{
  FakeChip *chip = ((FakeUsb *) usb)->chip;
  *manufacturer = chip->manufacturer;
  *product = chip->product;
  *serial = "00000001";
}

static const FerUsbOps fake_ops = {
  .control = fake_control,
  .claim_interface = fake_claim_interface,
  .start_bulk = fake_start_bulk,
  .stop_bulk = fake_stop_bulk,
  .close = fake_close,
  .get_strings = fake_get_strings,
};

FakeChip *
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

void
fake_chip_free (FakeChip *chip)
{
  g_array_unref (chip->log);
  g_mutex_clear (&chip->lock);
  g_free (chip->blocks);
  g_free (chip);
}

FerUsb *
fake_usb_new (FakeChip *chip)
{
  FakeUsb *usb = g_new0 (FakeUsb, 1);
  usb->base.ops = &fake_ops;
  usb->base.description = g_strdup ("Fake RTL2838UHIDIR SN 00000001");
  usb->chip = chip;
  return &usb->base;
}

guint8
fake_block_reg (FakeChip *chip, guint block, guint16 addr)
{
  return chip->blocks[block * 65536 + addr];
}

guint
fake_demod_reg16 (FakeChip *chip, guint page, guint addr)
{
  return chip->demod[page][addr] << 8 | chip->demod[page][addr + 1];
}

double
fake_demod_if_hz (FakeChip *chip, double xtal_hz)
{
  gint32 word = (chip->demod[1][0x19] & 0x3f) << 16 | chip->demod[1][0x1a] << 8
                | chip->demod[1][0x1b];
  if (word & 0x200000)
    word -= 0x400000;
  return word * xtal_hz / (1 << 22);
}

guint8
fake_gpio_high (FakeChip *chip)
{
  guint8 gpo = fake_block_reg (chip, 2, 0x3001);
  guint8 gpoe = fake_block_reg (chip, 2, 0x3003);
  guint8 gpd = fake_block_reg (chip, 2, 0x3004);
  return gpo & gpoe & (guint8) ~gpd;
}

guint
fake_log_len (FakeChip *chip)
{
  return chip->log->len;
}

int
fake_last_demod_write (FakeChip *chip, guint from, guint page, guint addr)
{
  int last = -1;
  for (guint i = from; i < chip->log->len; i++)
    {
      FakeTransfer *t = &g_array_index (chip->log, FakeTransfer, i);
      if (t->write && t->index == (0x10 | page) && t->value == (addr << 8 | 0x20))
        last = t->data[0];
    }
  return last;
}

double
fake_r82xx_lo_hz (const guint8 *regs, double xtal_hz, guint *mix_div_out)
{
  guint mix_div = 2u << (regs[0x10] >> 5);
  guint nint = 4 * (regs[0x14] & 0x3f) + (regs[0x14] >> 6) + 13;
  guint sdm = regs[0x16] << 8 | regs[0x15];
  gboolean integer_n = (regs[0x12] & 0x08) != 0;
  if (mix_div_out)
    *mix_div_out = mix_div;
  return 2.0 * xtal_hz * (nint + (integer_n ? 0.0 : sdm / 65536.0)) / mix_div;
}
