/* tuner-e4k.h - Elonics E4000 tuner driver.
 *
 * A zero-IF tuner: the LO sits on the tuned frequency and the I and Q outputs
 * feed both ADCs of the RTL2832U, so the spectrum is not inverted and the
 * tuner's DC offset lands on the tuned frequency. The LO comes from a
 * fractional-N synthesizer on the demodulator's 28.8 MHz crystal:
 * VCO = xtal (Z + X / 65536), LO = VCO / R, with R from 48 down to 2 across
 * the range (three-phase mixing below 350 MHz). The VCO locks from about 2.5
 * to 4.4 GHz, which leaves most chips a gap from about 1100 to 1250 MHz.
 * Gain: an LNA (-5 to +30 dB) and a mixer (4 or 12 dB), then six IF stages;
 * filters: an RF band filter, and a mixer, an RC and a channel filter at IF.
 * Registers read back as written; SYNTH1 bit 0 reports PLL lock.
 *
 * Included only inside src/device/ and by tests.
 */
#pragma once

#include "tuner.h"

G_BEGIN_DECLS

#define E4K_I2C_ADDR        0xc8
#define E4K_CHIP_ID_REG     0x02
#define E4K_CHIP_ID         0x40
#define E4K_MIN_FREQ_HZ     52000000u
#define E4K_MAX_FREQ_HZ     2200000000u
#define E4K_N_IF_STAGES     6

/* Creates the driver; nothing is sent until init. @xtal_hz is its reference
 * (the demodulator's crystal). Never fails. */
FerTuner *fer_e4k_new (const FerTunerI2c *i2c, guint32 xtal_hz);

G_END_DECLS
