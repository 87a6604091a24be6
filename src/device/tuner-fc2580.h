/* tuner-fc2580.h - FCI FC2580 tuner driver.
 *
 * A zero-IF tuner at I2C address 0xac (id 0x56 in the low 7 bits of register
 * 1), on its own 16.384 MHz crystal. The LO comes from a VCO of about 1.7 to
 * 3.7 GHz divided by 12 (VHF) or 4 (UHF); the PLL compares at the crystal
 * divided by R = 1, 2 or 4: VCO = 2 (xtal / R) (N + K / 2^20). Dongles with
 * it receive about 146 to 308 and 438 to 924 MHz; between the two bands
 * its sensitivity falls off. Its channel filter has 1.53, 6, 6.8 and
 * 7.8 MHz settings, calibrated on each change. Its gain is under the
 * demodulator's control voltage: Ferrite offers no gain steps for it.
 *
 * Included only inside src/device/ and by tests.
 */
#pragma once

#include "tuner.h"

G_BEGIN_DECLS

#define FC2580_I2C_ADDR      0xac
#define FC2580_CHIP_ID_REG   0x01
#define FC2580_CHIP_ID_MASK  0x7f
#define FC2580_CHIP_ID       0x56
#define FC2580_XTAL_HZ       16384000u
#define FC2580_MIN_FREQ_HZ   146000000u
#define FC2580_MAX_FREQ_HZ   924000000u

/* Creates the driver; nothing is sent until init. @xtal_hz is its own
 * crystal (FC2580_XTAL_HZ on the dongles known). Never fails. */
FerTuner *fer_fc2580_new (const FerTunerI2c *i2c, guint32 xtal_hz);

G_END_DECLS
