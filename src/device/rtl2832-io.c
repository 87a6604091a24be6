#define G_LOG_DOMAIN "fer-rtl2832"

#include "rtl2832-io.h"

#include <string.h>

static int
rtl2832_control (FerUsb *usb, gboolean write, guint16 value, guint16 index,
                 guint8 *data, guint16 length, GError **error)
{
  int n = fer_usb_control (usb, write ? FER_USB_VENDOR_OUT : FER_USB_VENDOR_IN,
                           RTL2832_REQUEST, value, index, data, length,
                           RTL2832_CTRL_TIMEOUT_MS, error);
  if (n >= 0 && n != length)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_FAILED,
                   "short transfer (%d of %u bytes)", n, length);
      return -1;
    }
  return n;
}

gboolean
rtl2832_write_array (FerUsb *usb, Rtl2832Block block, guint16 addr,
                     const guint8 *data, guint16 length, GError **error)
{
  return rtl2832_control (usb, TRUE, addr, (guint16) (block << 8 | RTL2832_INDEX_WRITE),
                          (guint8 *) data, length, error) >= 0;
}

gboolean
rtl2832_read_array (FerUsb *usb, Rtl2832Block block, guint16 addr,
                    guint8 *data, guint16 length, GError **error)
{
  return rtl2832_control (usb, FALSE, addr, (guint16) (block << 8), data, length, error) >= 0;
}

static const char *
block_name (Rtl2832Block block)
{
  return block == RTL2832_BLOCK_USB ? "USB" : block == RTL2832_BLOCK_SYS ? "SYS" : "other";
}

gboolean
rtl2832_write_reg (FerUsb *usb, Rtl2832Block block, guint16 addr, guint16 value,
                   guint16 length, GError **error)
{
  guint8 data[2] = { length == 1 ? value & 0xff : value >> 8, value & 0xff };

  if (!rtl2832_write_array (usb, block, addr, data, length, error))
    {
      g_prefix_error (error, "RTL2832U: writing %s register 0x%04x failed: ",
                      block_name (block), addr);
      return FALSE;
    }
  return TRUE;
}

gboolean
rtl2832_read_reg8 (FerUsb *usb, Rtl2832Block block, guint16 addr, guint8 *value,
                   GError **error)
{
  if (!rtl2832_read_array (usb, block, addr, value, 1, error))
    {
      g_prefix_error (error, "RTL2832U: reading %s register 0x%04x failed: ",
                      block_name (block), addr);
      return FALSE;
    }
  return TRUE;
}

gboolean
rtl2832_demod_read (FerUsb *usb, Rtl2832Reg reg, guint8 *value, GError **error)
{
  if (rtl2832_control (usb, FALSE, (guint16) (reg.addr << 8 | RTL2832_DEMOD_ADDR_FLAG),
                       reg.page, value, 1, error) < 0)
    {
      g_prefix_error (error, "RTL2832U: reading demod register %u:0x%02x failed: ",
                      reg.page, reg.addr);
      return FALSE;
    }
  return TRUE;
}

gboolean
rtl2832_demod_write (FerUsb *usb, Rtl2832Reg reg, guint16 value, guint16 length,
                     GError **error)
{
  guint8 data[2] = { length == 1 ? value & 0xff : value >> 8, value & 0xff };
  guint8 sync;

  if (rtl2832_control (usb, TRUE, (guint16) (reg.addr << 8 | RTL2832_DEMOD_ADDR_FLAG),
                       (guint16) (RTL2832_INDEX_WRITE | reg.page), data, length, error) < 0)
    {
      g_prefix_error (error, "RTL2832U: writing demod register %u:0x%02x failed: ",
                      reg.page, reg.addr);
      return FALSE;
    }
  return rtl2832_demod_read (usb, PA_WRITE_SYNC, &sync, error);
}

Rtl2832Reg
rtl2832_reg_plus (Rtl2832Reg reg, guint offset)
{
  return (Rtl2832Reg) { reg.page, (guint8) (reg.addr + offset) };
}

gboolean
rtl2832_set_i2c_repeater (FerUsb *usb, gboolean on, GError **error)
{
  return rtl2832_demod_write (usb, P1_CONTROL,
                              on ? CONTROL_NORMAL | CONTROL_I2C_REPEATER : CONTROL_NORMAL,
                              1, error);
}

gboolean
rtl2832_end_tuner_access (FerUsb *usb, gboolean ok, GError **error)
{
  if (!ok)
    {
      rtl2832_set_i2c_repeater (usb, FALSE, NULL);
      return FALSE;
    }
  return rtl2832_set_i2c_repeater (usb, FALSE, error);
}

gboolean
rtl2832_gpio_set_output (FerUsb *usb, guint gpio, GError **error)
{
  guint8 bit = (guint8) (1u << gpio), value;

  return rtl2832_read_reg8 (usb, RTL2832_BLOCK_SYS, SYS_GPD, &value, error)
    && rtl2832_write_reg (usb, RTL2832_BLOCK_SYS, SYS_GPD, value & ~bit, 1, error)
    && rtl2832_read_reg8 (usb, RTL2832_BLOCK_SYS, SYS_GPOE, &value, error)
    && rtl2832_write_reg (usb, RTL2832_BLOCK_SYS, SYS_GPOE, value | bit, 1, error);
}

gboolean
rtl2832_gpio_set_bit (FerUsb *usb, guint gpio, gboolean on, GError **error)
{
  guint8 bit = (guint8) (1u << gpio), value;

  return rtl2832_read_reg8 (usb, RTL2832_BLOCK_SYS, SYS_GPO, &value, error)
    && rtl2832_write_reg (usb, RTL2832_BLOCK_SYS, SYS_GPO,
                          on ? (value | bit) : (value & ~bit), 1, error);
}

/* --- The tuner's host --------------------------------------------------- */

static gboolean
host_write_regs (gpointer user_data, guint8 i2c_addr, guint8 reg,
                 const guint8 *values, guint n_values, GError **error)
{
  FerUsb *usb = user_data;
  guint8 message[I2C_MAX_MESSAGE_BYTES];
  guint pos = 0;

  /* The chip's I2C master carries a few bytes per message: split, moving the
   * register address along (the tuner auto-increments). */
  do
    {
      guint n = MIN (n_values - pos, (guint) I2C_MAX_MESSAGE_BYTES - 1);
      message[0] = (guint8) (reg + pos);
      memcpy (message + 1, values + pos, n);
      if (!rtl2832_write_array (usb, RTL2832_BLOCK_I2C, i2c_addr, message,
                                (guint16) (n + 1), error))
        {
          g_prefix_error (error, "I2C write to tuner 0x%02x register 0x%02x failed: ",
                          i2c_addr, message[0]);
          return FALSE;
        }
      pos += n;
    }
  while (pos < n_values);
  return TRUE;
}

static gboolean
host_read_regs (gpointer user_data, guint8 i2c_addr, guint8 reg,
                guint8 *values, guint n_values, GError **error)
{
  FerUsb *usb = user_data;

  if (!rtl2832_write_array (usb, RTL2832_BLOCK_I2C, i2c_addr, &reg, 1, error)
      || !rtl2832_read_array (usb, RTL2832_BLOCK_I2C, i2c_addr, values,
                              (guint16) n_values, error))
    {
      g_prefix_error (error, "I2C read from tuner 0x%02x register 0x%02x failed: ",
                      i2c_addr, reg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
host_set_gpio (gpointer user_data, guint gpio, gboolean on, GError **error)
{
  FerUsb *usb = user_data;

  return rtl2832_gpio_set_output (usb, gpio, error) && rtl2832_gpio_set_bit (usb, gpio, on, error);
}

void
rtl2832_tuner_host_init (FerUsb *usb, FerTunerI2c *host)
{
  memset (host, 0, sizeof *host);
  host->write_regs = host_write_regs;
  host->read_regs = host_read_regs;
  host->set_gpio = host_set_gpio;
  host->user_data = usb;
}
