/* rtl2832-init.h - bringing the RTL2832U up: its power-on register
 * sequence with the decimation FIR, and finding the tuner behind it.
 *
 * Included only by the rtl2832*.c files.
 */
#pragma once

#include "tuner.h"
#include "usb.h"

G_BEGIN_DECLS

/* Powers the demodulator and sets it up for SDR: 512-byte bulk packets, the
 * FIR, SDR mode, no AGC loops, zero IF with DC and IQ correction. */
gboolean rtl2832_init_baseband (FerUsb *usb, GError **error);

/* With the I2C repeater open: probes the known tuners in order (some answer
 * only after a reset pulse on GPIO 4) and creates the driver for the first
 * that answers; nothing is sent to the tuner yet. @xtal_hz is the
 * demodulator's crystal, which most tuners share. None, or one Ferrite does
 * not drive: FER_DEVICE_ERROR_UNSUPPORTED. */
FerTuner *rtl2832_probe_tuner (FerUsb *usb, guint32 xtal_hz, GError **error);

G_END_DECLS
