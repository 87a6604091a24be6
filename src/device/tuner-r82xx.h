/* tuner-r82xx.h - Rafael Micro R820T/R820T2 and R828D tuner driver.
 *
 * The chip mixes RF with a high-side LO (LO = RF + IF) down to a low IF of
 * 3.57 MHz by default, so the IF spectrum is inverted. The LO comes from a
 * fractional-N PLL (VCO 1.77-3.54 GHz divided by 2..64) fed by the crystal,
 * usually the RTL2832U's own 28.8 MHz one (16 MHz on most R828D boards).
 * Register reads always start at register 0 and come back bit-reversed.
 *
 * The RTL-SDR Blog V4 puts an R828D on the 28.8 MHz crystal behind three
 * inputs: HF (below 28.8 MHz, through a 28.8 MHz upconverter, on cable 2;
 * GPIO 5 switches the upconverter in), VHF (to 250 MHz, cable 1) and UHF
 * (air-in), with notch filters for the AM and FM broadcast bands and DAB
 * that are switched off when tuned inside them.
 *
 * Included only inside src/device/ and by tests.
 */
#pragma once

#include "tuner.h"

G_BEGIN_DECLS

typedef enum {
  FER_R82XX_R820T,   /* R820T and R820T2 */
  FER_R82XX_R828D,
  FER_R82XX_BLOG_V4, /* the R828D of an RTL-SDR Blog V4 */
} FerR82xxChip;

#define R820T_I2C_ADDR     0x34
#define R828D_I2C_ADDR     0x74
/* Register 0 identifies the family; this is the byte as it appears on the bus. */
#define R82XX_CHIP_ID_REG  0x00
#define R82XX_CHIP_ID      0x69

#define R82XX_IF_HZ        3570000u   /* default IF (6 MHz filter) */
#define R82XX_MIN_FREQ_HZ  24000000u
#define R82XX_MAX_FREQ_HZ  1766000000u
#define R828D_XTAL_HZ      16000000u  /* crystal on most R828D boards */
/* How the RTL-SDR Blog V4 says what it is (USB manufacturer and product). */
#define BLOG_V4_MANUFACTURER "RTLSDRBlog"
#define BLOG_V4_PRODUCT      "Blog V4"
#define BLOG_V4_MIN_FREQ_HZ  500000u
#define BLOG_V4_UPCONVERT_HZ 28800000u  /* HF below this is moved up by it */
#define BLOG_V4_GPIO_UPCONVERTER 5      /* low: the HF path */

/* Creates the driver; nothing is sent until init. @xtal_hz is the tuner's
 * reference crystal. Never fails. */
FerTuner *fer_r82xx_new (FerR82xxChip chip, const FerTunerI2c *i2c, guint32 xtal_hz);

/* Whether the PLL reported lock after the last set_freq. */
gboolean fer_r82xx_has_lock (FerTuner *tuner);

G_END_DECLS
