/* rtl2832-regs.h - the RTL2832U's register map, by name.
 *
 * Every access is vendor request 0. wIndex = block << 8 | write flag | page;
 * wValue = the register address (demod registers: addr << 8 | 0x20; the I2C
 * block: the 8-bit I2C address). Multi-byte values go most significant first.
 *
 * Included only by the rtl2832*.c files.
 */
#pragma once

#include <glib.h>

#define RTL2832_REQUEST          0
#define RTL2832_CTRL_TIMEOUT_MS  300
#define RTL2832_INDEX_WRITE      0x10
#define RTL2832_DEMOD_ADDR_FLAG  0x20

typedef enum {
  RTL2832_BLOCK_DEMOD = 0,
  RTL2832_BLOCK_USB   = 1,
  RTL2832_BLOCK_SYS   = 2,
  RTL2832_BLOCK_TUNER = 3,
  RTL2832_BLOCK_ROM   = 4,
  RTL2832_BLOCK_IR    = 5,
  RTL2832_BLOCK_I2C   = 6,
} Rtl2832Block;

/* USB block */
enum {
  USB_SYSCTL        = 0x2000,
  USB_EPA_CTL       = 0x2148,
  USB_EPA_MAXPKT    = 0x2158,
};
#define USB_SYSCTL_INIT          0x09
#define USB_EPA_MAXPKT_512       0x0002   /* 512 bytes, as the chip stores it */
#define USB_EPA_CTL_FIFO_RESET   0x1002   /* stall the endpoint and flush its FIFO */
#define USB_EPA_CTL_RUN          0x0000

/* SYS block: power and the eight GPIO pins (one bit each). A pin drives its
 * GPO bit when its GPD bit is clear and its GPOE bit set. */
enum {
  SYS_DEMOD_CTL     = 0x3000,
  SYS_GPO           = 0x3001,   /* output values */
  SYS_GPI           = 0x3002,   /* input values */
  SYS_GPOE          = 0x3003,   /* output enables */
  SYS_GPD           = 0x3004,   /* direction: set = input */
  SYS_DEMOD_CTL_1   = 0x300b,
};
#define DEMOD_CTL_POWER_ON       0xe8     /* ADC I/Q and PLL on, demod out of reset */
#define DEMOD_CTL_POWER_OFF      0x20
#define DEMOD_CTL_1_POWER_ON     0x22
#define GPIO_BIAS_TEE            0        /* the antenna's DC supply on most boards */
#define GPIO_TUNER_RESET         4        /* pulsed before probing some tuners */

/* Demodulator registers: page and address. */
typedef struct {
  guint8 page, addr;
} Rtl2832Reg;

static const Rtl2832Reg P0_ADC_DATAPATH  = { 0, 0x06 };
static const Rtl2832Reg P0_ADC_ENABLE    = { 0, 0x08 };
static const Rtl2832Reg P0_CLOCK_OUT     = { 0, 0x0d };
static const Rtl2832Reg P0_MODE          = { 0, 0x19 };
static const Rtl2832Reg P0_PID_FILTER    = { 0, 0x61 };
static const Rtl2832Reg P1_CONTROL       = { 1, 0x01 };
static const Rtl2832Reg P1_AGC_LOOP      = { 1, 0x04 };
static const Rtl2832Reg P1_DAGC_ENABLE   = { 1, 0x11 };
static const Rtl2832Reg P1_SPECTRUM_INV  = { 1, 0x15 };
static const Rtl2832Reg P1_DDC_SHIFT     = { 1, 0x16 };  /* 3 bytes, then the IF */
static const Rtl2832Reg P1_IF_FREQ       = { 1, 0x19 };  /* 22 bits over 0x19..0x1b */
static const Rtl2832Reg P1_FIR           = { 1, 0x1c };  /* 20 bytes */
static const Rtl2832Reg P1_SAMPLE_CORR   = { 1, 0x3e };  /* 14 bits over 0x3e..0x3f */
static const Rtl2832Reg P1_FSM_STATE_0   = { 1, 0x93 };
static const Rtl2832Reg P1_FSM_STATE_1   = { 1, 0x94 };
static const Rtl2832Reg P1_RSAMP_RATIO   = { 1, 0x9f };  /* 28 bits: 0x9f..0xa0 high, 0xa1..0xa2 low */
static const Rtl2832Reg P1_ZERO_IF       = { 1, 0xb1 };
/* Reading this after each write makes the chip finish the write first. */
static const Rtl2832Reg PA_WRITE_SYNC    = { 0x0a, 0x01 };

#define CONTROL_NORMAL           0x10
#define CONTROL_SOFT_RESET       0x04
#define CONTROL_I2C_REPEATER     0x08
#define MODE_SDR                 0x05     /* SDR output, no test pattern */
#define MODE_TEST                0x03     /* 8-bit counter instead of samples */
#define MODE_DAGC                0x20     /* digital AGC */
#define AGC_LOOP_OFF             0x00
#define DAGC_OFF                 0x00
#define FSM_STATE_0_INIT         0xf0
#define FSM_STATE_1_INIT         0x0f
#define PID_FILTER_OFF           0x60
#define ADC_DATAPATH_DEFAULT     0x80     /* ADC I to I, ADC Q to Q */
#define ADC_DATAPATH_SWAP_IQ     0x90     /* ADC Q feeds the I path (direct sampling, Q branch) */
#define ADC_ENABLE_I_AND_Q       0xcd     /* zero IF: the tuner's I and Q outputs */
#define ADC_ENABLE_I_ONLY        0x4d     /* low IF or direct sampling: one real input */
#define ZERO_IF_ON               0x1b     /* baseband input, DC and IQ correction */
#define ZERO_IF_OFF              0x1a     /* DC and IQ correction only */
#define CLOCK_OUT_OFF            0x83     /* no 4.096 MHz on TP_CK0 */
#define SPECTRUM_NORMAL          0x00
#define SPECTRUM_INVERTED        0x01

#define IF_FREQ_BITS             22
#define IF_FREQ_MASK             0x3fffff
#define RSAMP_RATIO_MASK         0x0ffffffc
#define RSAMP_RATIO_BIT27        0x08000000u  /* the chip reads it as bit 28 too */
#define SAMPLE_CORR_SCALE        (1 << 24)    /* correction units per 1.0 */
#define SAMPLE_CORR_HIGH_MASK    0x3f

#define I2C_MAX_MESSAGE_BYTES    8            /* register byte + 7 values */
