/* rtl2832-io.h - reaching the RTL2832U's registers, its GPIO pins and the
 * tuner behind its I2C master, through a FerUsb.
 *
 * Every failure comes back as FALSE with @error prefixed by what was being
 * accessed ("RTL2832U: writing demod register 1:0x9f failed: ..."). An I2C
 * device that does not answer stalls the transfer: FER_DEVICE_ERROR_STALL.
 *
 * Included only by the rtl2832*.c files and tuner tests.
 */
#pragma once

#include "rtl2832-regs.h"
#include "tuner.h"
#include "usb.h"

G_BEGIN_DECLS

gboolean rtl2832_write_array (FerUsb *usb, Rtl2832Block block, guint16 addr,
                              const guint8 *data, guint16 length, GError **error);
gboolean rtl2832_read_array (FerUsb *usb, Rtl2832Block block, guint16 addr,
                             guint8 *data, guint16 length, GError **error);

/* A 1- or 2-byte register of the USB or SYS block. */
gboolean rtl2832_write_reg (FerUsb *usb, Rtl2832Block block, guint16 addr, guint16 value,
                            guint16 length, GError **error);
gboolean rtl2832_read_reg8 (FerUsb *usb, Rtl2832Block block, guint16 addr, guint8 *value,
                            GError **error);

/* A 1- or 2-byte demodulator register; a write is followed by the sync read. */
gboolean rtl2832_demod_write (FerUsb *usb, Rtl2832Reg reg, guint16 value, guint16 length,
                              GError **error);
gboolean rtl2832_demod_read (FerUsb *usb, Rtl2832Reg reg, guint8 *value, GError **error);
Rtl2832Reg rtl2832_reg_plus (Rtl2832Reg reg, guint offset);

/* The I2C repeater connects the tuner's bus while it is open. */
gboolean rtl2832_set_i2c_repeater (FerUsb *usb, gboolean on, GError **error);
/* Closes the repeater after a tuner operation that returned @ok; returns
 * FALSE when @ok is FALSE (keeping its error) or the close fails. */
gboolean rtl2832_end_tuner_access (FerUsb *usb, gboolean ok, GError **error);

/* Makes @gpio an output, then drives it. */
gboolean rtl2832_gpio_set_output (FerUsb *usb, guint gpio, GError **error);
gboolean rtl2832_gpio_set_bit (FerUsb *usb, guint gpio, gboolean on, GError **error);

/* What a tuner driver needs from its host: I2C through the chip's master
 * (split into messages it can carry) and the GPIO pins. */
void rtl2832_tuner_host_init (FerUsb *usb, FerTunerI2c *host);

G_END_DECLS
