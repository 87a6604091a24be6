/* tuner-fc001x.h - Fitipower FC0012 and FC0013 tuner driver.
 *
 * Zero-IF tuners at I2C address 0xc6, told apart by register 0 (0xa1 for the
 * FC0012, 0xa3 for the FC0013). The LO comes from a VCO of about 2.4 to 3.6 GHz
 * (two ranges, picked by a VCO control voltage read after calibration)
 * divided by 2 to 96; the PLL runs from half the demodulator's 28.8 MHz
 * crystal: VCO = xtal / 2 (8 M + A + K / 32768), K signed. Gain is the LNA
 * alone (the IF gain stays fixed). The FC0012 switches a V/U band filter on
 * the board through the demodulator's GPIO 6 and has no AGC switch Ferrite
 * drives; the FC0013 has a VHF tracking filter, UHF and VHF inputs and an
 * AGC.
 *
 * Included only inside src/device/ and by tests.
 */
#pragma once

#include "tuner.h"

G_BEGIN_DECLS

typedef enum {
  FER_FC0012,
  FER_FC0013,
} FerFc001xChip;

#define FC001X_I2C_ADDR      0xc6
#define FC001X_CHIP_ID_REG   0x00
#define FC0012_CHIP_ID       0xa1
#define FC0013_CHIP_ID       0xa3
#define FC001X_MIN_FREQ_HZ   22000000u
#define FC0012_MAX_FREQ_HZ   948500000u   /* the PLL runs out just under 948.6 */
#define FC0013_MAX_FREQ_HZ   1100000000u
/* The FC0012's band filter switch: high above 300 MHz. */
#define FC0012_GPIO_BAND     6

/* Creates the driver; nothing is sent until init. @xtal_hz is the
 * demodulator's crystal, which it shares. Never fails. */
FerTuner *fer_fc001x_new (FerFc001xChip chip, const FerTunerI2c *i2c, guint32 xtal_hz);

G_END_DECLS
