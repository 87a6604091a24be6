/* tuner-r82xx-regs.h - the R820T/R828D register map and bit fields, by
 * name.
 *
 * Included only by tuner-r82xx.c.
 */
#pragma once

/* Registers 0..4 are read-only status; 5..31 are written. The chip cannot
 * read back what was written, so the driver keeps a shadow copy and
 * read-modify-writes bit fields from it. */
#define R82XX_N_REGS        32
#define R82XX_FIRST_WRITABLE 0x05
#define R82XX_N_STATUS      5   /* status bytes a full status read returns */

enum {
  /* status (read) */
  R82XX_REG_STATUS_PLL    = 0x02,  /* bit 6: PLL locked */
  R82XX_REG_STATUS_VCO    = 0x04,  /* bits 5:4 VCO fine tune, 3:0 filter calibration */
  /* control (write) */
  R82XX_REG_LNA           = 0x05,
  R82XX_REG_FILTER_INPUT  = 0x06,
  R82XX_REG_MIXER         = 0x07,
  R82XX_REG_IMR_PHASE     = 0x08,
  R82XX_REG_IMR_GAIN      = 0x09,
  R82XX_REG_FILTER_CAL    = 0x0a,
  R82XX_REG_FILTER_BW     = 0x0b,
  R82XX_REG_VGA           = 0x0c,
  R82XX_REG_LNA_VTH       = 0x0d,
  R82XX_REG_MIXER_VTH     = 0x0e,
  R82XX_REG_CAL_CLOCK     = 0x0f,
  R82XX_REG_PLL_DIV       = 0x10,  /* first of the 7 PLL registers 0x10..0x16 */
  R82XX_REG_CHARGE_PUMP   = 0x11,
  R82XX_REG_VCO_CURRENT   = 0x12,
  R82XX_REG_VERSION       = 0x13,
  R82XX_REG_PLL_NI_SI     = 0x14,
  R82XX_REG_SDM_LOW       = 0x15,
  R82XX_REG_SDM_HIGH      = 0x16,
  R82XX_REG_DIV_BUF       = 0x17,
  R82XX_REG_POLY_FILTER   = 0x19,
  R82XX_REG_RF_MUX        = 0x1a,
  R82XX_REG_TRACK_FILTER  = 0x1b,
  R82XX_REG_MIXER_TOP     = 0x1c,
  R82XX_REG_LNA_TOP       = 0x1d,
  R82XX_REG_FILTER_EXT    = 0x1e,
  R82XX_REG_LOOP_THROUGH_ATT = 0x1f,
};

/* Bit fields, named after the register they live in. */
#define STATUS_PLL_LOCKED        0x40
#define STATUS_VCO_FINE_MASK     0x30
#define STATUS_VCO_FINE_SHIFT    4
#define STATUS_FILTER_CAL_MASK   0x0f

#define LNA_LOOP_THROUGH_OFF     0x80
#define LNA_INPUT_MASK           0x60   /* 0x00 air-in, 0x60 cable-1 (R828D) */
#define LNA_INPUT_AIR            0x00
#define LNA_INPUT_CABLE1         0x60
#define LNA_GAIN_MANUAL          0x10
#define LNA_GAIN_MASK            0x0f

#define FILTER_PRE_DETECT        0x40
#define FILTER_3DB_MASK          0x30
#define FILTER_3DB_ON            0x10
#define FILTER_CABLE2_IN         0x08

#define MIXER_IMAGE_REJECT_MASK  0x80   /* 0: image on the negative side */
#define MIXER_GAIN_AUTO          0x10
#define MIXER_GAIN_MASK          0x0f

#define IMR_ADJUST_MASK          0x3f

#define FILTER_CURRENT_MASK      0x60
#define FILTER_CURRENT_LOW       0x40
#define FILTER_Q_LOW             0x10   /* also selects the >= 6 MHz filters */
#define FILTER_CAL_CODE_MASK     0x0f
#define FILTER_CAL_WIDE_MASK     0x1f

#define FILTER_BW_MASK           0xef   /* everything but the trigger */
#define FILTER_BW_HP_CORNER_MASK 0x60
#define FILTER_BW_TRIGGER        0x10
#define FILTER_BW_6MHZ           0x6b   /* HP corner 1.0 MHz, +2 cap, 1.7 MHz off */
#define FILTER_BW_7MHZ           0x2a
#define FILTER_BW_8MHZ           0x0b
#define FILTER_BW_NARROW         0x80   /* base for the LPF/HPF combinations */
#define FILTER_BW_HP1_OFF        0x40
#define FILTER_BW_HP2_OFF        0x20
#define FILTER_BW_LPF_MASK       0x0f

#define VGA_MASK                 0x9f
#define VGA_INIT_MASK            0x0f
#define VGA_MANUAL_16_3DB        0x08   /* fixed VGA code with manual gain */
#define VGA_AUTO_26_5DB          0x0b   /* VGA code with the tuner's AGC */

#define LNA_VTH_DVBT             0x53   /* LNA detector high 0.84 V, low 0.64 V */
#define MIXER_VTH_DVBT           0x75   /* mixer detector high 1.04 V, low 0.84 V */

#define CAL_CLOCK_ON             0x04
#define CAL_FILTER_EXT_WIDEST    0x80

#define PLL_DIV_NUM_MASK         0xe0
#define PLL_DIV_NUM_SHIFT        5
#define PLL_REFDIV2              0x10
#define PLL_XTAL_DRIVE_CAP_MASK  0x0b
#define PLL_XTAL_CAP_MASK        0x03
#define PLL_XTAL_HIGH_DRIVE_0PF  0x00   /* no load capacitor, high drive */

#define CHARGE_PUMP_MASK         0x38
#define CHARGE_PUMP_AUTO         0x38

#define VCO_CURRENT_MASK         0xe0
#define VCO_CURRENT_100          0x80   /* nominal */
#define VCO_CURRENT_RAISED       0x60   /* after a failed lock */
#define VCO_SDM_POWER_DOWN       0x08   /* integer-N: sigma-delta off */

#define VERSION_MASK             0x3f
#define VERSION_NUMBER           49

#define DIV_BUF_OPEN_DRAIN       0x08
#define DIV_BUF_CURRENT_MASK     0x30
#define DIV_BUF_CURRENT_150UA    0x30

#define POLY_FILTER_CURRENT_MASK 0x60
#define POLY_FILTER_CURRENT_MIN  0x60

#define RF_MUX_POLY_MASK         0xc3
#define RF_MUX_AUTOTUNE_MASK     0x0c
#define RF_MUX_AUTOTUNE_128KHZ   0x00   /* while the PLL settles */
#define RF_MUX_AUTOTUNE_8KHZ     0x08   /* once locked */
#define RF_MUX_AGC_CLOCK_MASK    0x30
#define RF_MUX_AGC_CLOCK_250HZ   0x30
#define RF_MUX_AGC_CLOCK_60HZ    0x20

#define MIXER_TOP_MASK           0xf8
#define MIXER_TOP_DVBT           0x24   /* mixer top 13, top-1, low discharge */
#define MIXER_TOP_DISCHARGE_MASK 0x04

#define LNA_TOP_DETECT_MASK      0xc7
#define LNA_TOP_DVBT             0xe5   /* detect bandwidth 3, LNA top 4, predetect top 2 */
#define LNA_TOP_MASK             0x38
#define LNA_TOP_LOWEST           0x00
#define LNA_TOP_3                0x18

#define FILTER_EXT_MASK          0x60
#define FILTER_EXT_ON            0x60   /* extension on, at LNA max - 1 */
#define LNA_DISCHARGE_MASK       0x1f
#define LNA_DISCHARGE_DVBT       14

#define LOOP_THROUGH_ATT_MASK    0x80
