#define G_LOG_DOMAIN "fer-rtl2832"

#include "rtl2832.h"

#include <math.h>
#include <string.h>

#include "tuner-r82xx.h"

/* --- How registers are reached ------------------------------------------
 * Every access is vendor request 0. wIndex = block << 8 | write flag | page;
 * wValue = the register address (demod registers: addr << 8 | 0x20; the I2C
 * block: the 8-bit I2C address). Multi-byte values go most significant first. */

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

/* SYS block */
enum {
  SYS_DEMOD_CTL     = 0x3000,
  SYS_GPO           = 0x3001,
  SYS_GPOE          = 0x3003,
  SYS_GPD           = 0x3004,
  SYS_DEMOD_CTL_1   = 0x300b,
};
#define DEMOD_CTL_POWER_ON       0xe8     /* ADC I/Q and PLL on, demod out of reset */
#define DEMOD_CTL_POWER_OFF      0x20
#define DEMOD_CTL_1_POWER_ON     0x22
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
#define ADC_ENABLE_I_AND_Q       0xcd
#define ADC_ENABLE_I_ONLY        0x4d     /* low IF: the tuner's one real output */
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
#define MAX_PPM                  488          /* what the 14-bit correction holds */

#define MIN_RATE_LOW_HZ          225001u
#define MAX_RATE_LOW_HZ          300000u
#define MIN_RATE_HIGH_HZ         900001u
#define MAX_RATE_HIGH_HZ         3200000u

#define DEFAULT_RATE_HZ          2400000u
#define DEFAULT_CENTER_HZ        100000000u
#define BULK_PACKET_BYTES        512
#define I2C_MAX_MESSAGE_BYTES    8            /* register byte + 7 values */

/* Symmetric 32-tap FIR running at the crystal rate: the outer 16 taps, the
 * first 8 as signed 8-bit, the last 8 as signed 12-bit. The values suit
 * FM and DAB; they are the chip's usual SDR setting. */
#define FIR_N_COEFFS             16
#define FIR_N_BYTES              20
static const int rtl2832_fir[FIR_N_COEFFS] = {
  -54, -36, -41, -40, -32, -14, 14, 53,
  101, 156, 215, 273, 327, 372, 404, 421
};

/* Tuners that can sit behind the chip, in the order they are probed. */
typedef enum {
  TUNER_E4000,
  TUNER_FC0013,
  TUNER_R820T,
  TUNER_R828D,
  TUNER_FC2580,
  TUNER_FC0012,
} Rtl2832TunerKind;

typedef struct {
  Rtl2832TunerKind kind;
  const char *name;
  guint8 i2c_addr, id_reg, id_mask, id_value;
  gboolean after_gpio_reset;   /* answers only once reset through GPIO 4 */
} Rtl2832TunerProbe;

static const Rtl2832TunerProbe rtl2832_tuner_probes[] = {
  { TUNER_E4000, "Elonics E4000", 0xc8, 0x02, 0xff, 0x40, FALSE },
  { TUNER_FC0013, "Fitipower FC0013", 0xc6, 0x00, 0xff, 0xa3, FALSE },
  { TUNER_R820T, "Rafael Micro R820T", R820T_I2C_ADDR, R82XX_CHIP_ID_REG, 0xff,
    R82XX_CHIP_ID, FALSE },
  { TUNER_R828D, "Rafael Micro R828D", R828D_I2C_ADDR, R82XX_CHIP_ID_REG, 0xff,
    R82XX_CHIP_ID, FALSE },
  { TUNER_FC2580, "FCI FC2580", 0xac, 0x01, 0x7f, 0x56, TRUE },
  { TUNER_FC0012, "Fitipower FC0012", 0xc6, 0x00, 0xff, 0xa1, TRUE },
};

struct _FerRtl2832 {
  FerUsb *usb;               /* owned */
  FerTuner *tuner;           /* owned */
  guint32 xtal_hz;           /* nominal demodulator crystal */
  int ppm;
  guint32 rate_hz;           /* as requested; 0 before the first set */
  double real_rate_hz;
  guint32 center_hz;         /* 0 before the first tune */
  gboolean test_mode;
  gboolean digital_agc;
  guint n_transfers;
  gsize transfer_bytes;
  gboolean streaming;
};

/* --- Register access ---------------------------------------------------- */

static int
rtl2832_control (FerRtl2832 *self, gboolean write, guint16 value, guint16 index,
                 guint8 *data, guint16 length, GError **error)
{
  int n = fer_usb_control (self->usb, write ? FER_USB_VENDOR_OUT : FER_USB_VENDOR_IN,
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

static gboolean
rtl2832_write_array (FerRtl2832 *self, Rtl2832Block block, guint16 addr,
                     const guint8 *data, guint16 length, GError **error)
{
  return rtl2832_control (self, TRUE, addr, (guint16) (block << 8 | RTL2832_INDEX_WRITE),
                          (guint8 *) data, length, error) >= 0;
}

static gboolean
rtl2832_read_array (FerRtl2832 *self, Rtl2832Block block, guint16 addr,
                    guint8 *data, guint16 length, GError **error)
{
  return rtl2832_control (self, FALSE, addr, (guint16) (block << 8), data, length, error) >= 0;
}

static const char *
block_name (Rtl2832Block block)
{
  return block == RTL2832_BLOCK_USB ? "USB" : block == RTL2832_BLOCK_SYS ? "SYS" : "other";
}

/* A 1- or 2-byte register of the USB or SYS block. */
static gboolean
rtl2832_write_reg (FerRtl2832 *self, Rtl2832Block block, guint16 addr, guint16 value,
                   guint16 length, GError **error)
{
  guint8 data[2] = { length == 1 ? value & 0xff : value >> 8, value & 0xff };

  if (!rtl2832_write_array (self, block, addr, data, length, error))
    {
      g_prefix_error (error, "RTL2832U: writing %s register 0x%04x failed: ",
                      block_name (block), addr);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rtl2832_read_reg8 (FerRtl2832 *self, Rtl2832Block block, guint16 addr, guint8 *value,
                   GError **error)
{
  if (!rtl2832_read_array (self, block, addr, value, 1, error))
    {
      g_prefix_error (error, "RTL2832U: reading %s register 0x%04x failed: ",
                      block_name (block), addr);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rtl2832_demod_read (FerRtl2832 *self, Rtl2832Reg reg, guint8 *value, GError **error)
{
  if (rtl2832_control (self, FALSE, (guint16) (reg.addr << 8 | RTL2832_DEMOD_ADDR_FLAG),
                       reg.page, value, 1, error) < 0)
    {
      g_prefix_error (error, "RTL2832U: reading demod register %u:0x%02x failed: ",
                      reg.page, reg.addr);
      return FALSE;
    }
  return TRUE;
}

/* A 1- or 2-byte demodulator register, then the sync read. */
static gboolean
rtl2832_demod_write (FerRtl2832 *self, Rtl2832Reg reg, guint16 value, guint16 length,
                     GError **error)
{
  guint8 data[2] = { length == 1 ? value & 0xff : value >> 8, value & 0xff };
  guint8 sync;

  if (rtl2832_control (self, TRUE, (guint16) (reg.addr << 8 | RTL2832_DEMOD_ADDR_FLAG),
                       (guint16) (RTL2832_INDEX_WRITE | reg.page), data, length, error) < 0)
    {
      g_prefix_error (error, "RTL2832U: writing demod register %u:0x%02x failed: ",
                      reg.page, reg.addr);
      return FALSE;
    }
  return rtl2832_demod_read (self, PA_WRITE_SYNC, &sync, error);
}

static Rtl2832Reg
reg_plus (Rtl2832Reg reg, guint offset)
{
  return (Rtl2832Reg) { reg.page, (guint8) (reg.addr + offset) };
}

/* --- I2C to the tuner --------------------------------------------------- */

static gboolean
rtl2832_i2c_write_regs (gpointer user_data, guint8 i2c_addr, guint8 reg,
                        const guint8 *values, guint n_values, GError **error)
{
  FerRtl2832 *self = user_data;
  guint8 message[I2C_MAX_MESSAGE_BYTES];

  guint pos = 0;

  /* The chip's I2C master carries a few bytes per message: split, moving the
   * register address along (the tuner auto-increments). */
  do
    {
      guint n = MIN (n_values - pos, (guint) I2C_MAX_MESSAGE_BYTES - 1);
      message[0] = (guint8) (reg + pos);
      memcpy (message + 1, values + pos, n);
      if (!rtl2832_write_array (self, RTL2832_BLOCK_I2C, i2c_addr, message,
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
rtl2832_i2c_read_regs (gpointer user_data, guint8 i2c_addr, guint8 reg,
                       guint8 *values, guint n_values, GError **error)
{
  FerRtl2832 *self = user_data;

  if (!rtl2832_write_array (self, RTL2832_BLOCK_I2C, i2c_addr, &reg, 1, error)
      || !rtl2832_read_array (self, RTL2832_BLOCK_I2C, i2c_addr, values,
                              (guint16) n_values, error))
    {
      g_prefix_error (error, "I2C read from tuner 0x%02x register 0x%02x failed: ",
                      i2c_addr, reg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rtl2832_set_i2c_repeater (FerRtl2832 *self, gboolean on, GError **error)
{
  return rtl2832_demod_write (self, P1_CONTROL,
                              on ? CONTROL_NORMAL | CONTROL_I2C_REPEATER : CONTROL_NORMAL,
                              1, error);
}

/* Closes the repeater after a tuner operation that returned @ok. */
static gboolean
rtl2832_end_tuner_access (FerRtl2832 *self, gboolean ok, GError **error)
{
  if (!ok)
    {
      rtl2832_set_i2c_repeater (self, FALSE, NULL);
      return FALSE;
    }
  return rtl2832_set_i2c_repeater (self, FALSE, error);
}

/* --- Baseband ----------------------------------------------------------- */

static gboolean
rtl2832_write_fir (FerRtl2832 *self, GError **error)
{
  guint8 fir[FIR_N_BYTES];

  for (int i = 0; i < 8; i++)
    fir[i] = (guint8) rtl2832_fir[i];
  for (int i = 0; i < 8; i += 2)
    {
      int a = rtl2832_fir[8 + i], b = rtl2832_fir[8 + i + 1];
      fir[8 + i * 3 / 2] = (guint8) (a >> 4);
      fir[8 + i * 3 / 2 + 1] = (guint8) ((a << 4) | ((b >> 8) & 0x0f));
      fir[8 + i * 3 / 2 + 2] = (guint8) b;
    }
  for (guint i = 0; i < FIR_N_BYTES; i++)
    if (!rtl2832_demod_write (self, reg_plus (P1_FIR, i), fir[i], 1, error))
      return FALSE;
  return TRUE;
}

static gboolean
rtl2832_soft_reset (FerRtl2832 *self, GError **error)
{
  return rtl2832_demod_write (self, P1_CONTROL, CONTROL_NORMAL | CONTROL_SOFT_RESET, 1, error)
    && rtl2832_demod_write (self, P1_CONTROL, CONTROL_NORMAL, 1, error);
}

static gboolean
rtl2832_init_baseband (FerRtl2832 *self, GError **error)
{
  if (!rtl2832_write_reg (self, RTL2832_BLOCK_USB, USB_SYSCTL, USB_SYSCTL_INIT, 1, error)
      || !rtl2832_write_reg (self, RTL2832_BLOCK_USB, USB_EPA_MAXPKT, USB_EPA_MAXPKT_512, 2, error)
      || !rtl2832_write_reg (self, RTL2832_BLOCK_USB, USB_EPA_CTL, USB_EPA_CTL_FIFO_RESET, 2, error)
      || !rtl2832_write_reg (self, RTL2832_BLOCK_SYS, SYS_DEMOD_CTL_1, DEMOD_CTL_1_POWER_ON, 1, error)
      || !rtl2832_write_reg (self, RTL2832_BLOCK_SYS, SYS_DEMOD_CTL, DEMOD_CTL_POWER_ON, 1, error)
      || !rtl2832_soft_reset (self, error)
      || !rtl2832_demod_write (self, P1_SPECTRUM_INV, SPECTRUM_NORMAL, 1, error)
      /* adjacent channel rejection off, then DDC shift and IF cleared */
      || !rtl2832_demod_write (self, P1_DDC_SHIFT, 0x0000, 2, error))
    return FALSE;
  for (guint i = 0; i < 6; i++)
    if (!rtl2832_demod_write (self, reg_plus (P1_DDC_SHIFT, i), 0, 1, error))
      return FALSE;
  return rtl2832_write_fir (self, error)
    && rtl2832_demod_write (self, P0_MODE, MODE_SDR, 1, error)
    && rtl2832_demod_write (self, P1_FSM_STATE_0, FSM_STATE_0_INIT, 1, error)
    && rtl2832_demod_write (self, P1_FSM_STATE_1, FSM_STATE_1_INIT, 1, error)
    && rtl2832_demod_write (self, P1_DAGC_ENABLE, DAGC_OFF, 1, error)
    && rtl2832_demod_write (self, P1_AGC_LOOP, AGC_LOOP_OFF, 1, error)
    && rtl2832_demod_write (self, P0_PID_FILTER, PID_FILTER_OFF, 1, error)
    && rtl2832_demod_write (self, P0_ADC_DATAPATH, ADC_DATAPATH_DEFAULT, 1, error)
    && rtl2832_demod_write (self, P1_ZERO_IF, ZERO_IF_ON, 1, error)
    && rtl2832_demod_write (self, P0_CLOCK_OUT, CLOCK_OUT_OFF, 1, error);
}

static double
corrected_xtal_hz (FerRtl2832 *self)
{
  return self->xtal_hz * (1.0 + self->ppm / 1e6);
}

/* The demodulator shifts the IF to zero: a negative frequency in units of
 * crystal / 2^22. */
static gboolean
rtl2832_set_if_freq (FerRtl2832 *self, guint32 if_hz, GError **error)
{
  gint32 if_word = (gint32) -lround (if_hz * (double) (1 << IF_FREQ_BITS)
                                     / corrected_xtal_hz (self));
  guint32 bits = (guint32) if_word & IF_FREQ_MASK;

  return rtl2832_demod_write (self, P1_IF_FREQ, (bits >> 16) & 0x3f, 1, error)
    && rtl2832_demod_write (self, reg_plus (P1_IF_FREQ, 1), (bits >> 8) & 0xff, 1, error)
    && rtl2832_demod_write (self, reg_plus (P1_IF_FREQ, 2), bits & 0xff, 1, error);
}

static gboolean
rtl2832_set_sample_correction (FerRtl2832 *self, GError **error)
{
  gint16 corr = (gint16) (-self->ppm * (double) SAMPLE_CORR_SCALE / 1e6);

  return rtl2832_demod_write (self, reg_plus (P1_SAMPLE_CORR, 1), (guint16) corr & 0xff, 1, error)
    && rtl2832_demod_write (self, P1_SAMPLE_CORR,
                            ((guint16) corr >> 8) & SAMPLE_CORR_HIGH_MASK, 1, error);
}

/* Low IF from a tuner with one real output: no baseband input, I ADC only. */
static gboolean
rtl2832_setup_low_if (FerRtl2832 *self, GError **error)
{
  return rtl2832_demod_write (self, P1_ZERO_IF, ZERO_IF_OFF, 1, error)
    && rtl2832_demod_write (self, P0_ADC_ENABLE, ADC_ENABLE_I_ONLY, 1, error)
    && rtl2832_set_if_freq (self, self->tuner->if_hz, error)
    && rtl2832_demod_write (self, P1_SPECTRUM_INV,
                            self->tuner->spectrum_inverted ? SPECTRUM_INVERTED : SPECTRUM_NORMAL,
                            1, error);
}

static gboolean
rtl2832_write_mode (FerRtl2832 *self, GError **error)
{
  guint8 mode = (self->test_mode ? MODE_TEST : MODE_SDR) | (self->digital_agc ? MODE_DAGC : 0);
  return rtl2832_demod_write (self, P0_MODE, mode, 1, error);
}

/* --- Tuner probe -------------------------------------------------------- */

static gboolean
rtl2832_set_gpio_output (FerRtl2832 *self, guint gpio, GError **error)
{
  guint8 bit = (guint8) (1u << gpio), value;

  return rtl2832_read_reg8 (self, RTL2832_BLOCK_SYS, SYS_GPD, &value, error)
    && rtl2832_write_reg (self, RTL2832_BLOCK_SYS, SYS_GPD, value & ~bit, 1, error)
    && rtl2832_read_reg8 (self, RTL2832_BLOCK_SYS, SYS_GPOE, &value, error)
    && rtl2832_write_reg (self, RTL2832_BLOCK_SYS, SYS_GPOE, value | bit, 1, error);
}

static gboolean
rtl2832_set_gpio_bit (FerRtl2832 *self, guint gpio, gboolean on, GError **error)
{
  guint8 bit = (guint8) (1u << gpio), value;

  return rtl2832_read_reg8 (self, RTL2832_BLOCK_SYS, SYS_GPO, &value, error)
    && rtl2832_write_reg (self, RTL2832_BLOCK_SYS, SYS_GPO,
                          on ? (value | bit) : (value & ~bit), 1, error);
}

/* Reads the probe's id register. *found is FALSE when nothing answers (an
 * I2C NAK stalls the control transfer) or the id differs. */
static gboolean
rtl2832_probe_one (FerRtl2832 *self, const Rtl2832TunerProbe *probe, gboolean *found,
                   GError **error)
{
  GError *local = NULL;
  guint8 id = 0;

  *found = FALSE;
  if (!rtl2832_i2c_read_regs (self, probe->i2c_addr, probe->id_reg, &id, 1, &local))
    {
      if (g_error_matches (local, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL))
        {
          g_clear_error (&local);
          return TRUE;
        }
      g_propagate_error (error, local);
      return FALSE;
    }
  *found = (id & probe->id_mask) == probe->id_value;
  return TRUE;
}

/* With the repeater open: the first probe that answers, or NULL. */
static gboolean
rtl2832_find_tuner (FerRtl2832 *self, const Rtl2832TunerProbe **out, GError **error)
{
  gboolean gpio_reset_done = FALSE;

  *out = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (rtl2832_tuner_probes); i++)
    {
      const Rtl2832TunerProbe *probe = &rtl2832_tuner_probes[i];
      gboolean found;

      if (probe->after_gpio_reset && !gpio_reset_done)
        {
          if (!rtl2832_set_gpio_output (self, GPIO_TUNER_RESET, error)
              || !rtl2832_set_gpio_bit (self, GPIO_TUNER_RESET, TRUE, error)
              || !rtl2832_set_gpio_bit (self, GPIO_TUNER_RESET, FALSE, error))
            return FALSE;
          gpio_reset_done = TRUE;
        }
      if (!rtl2832_probe_one (self, probe, &found, error))
        return FALSE;
      if (found)
        {
          *out = probe;
          return TRUE;
        }
    }
  return TRUE;
}

static gboolean
rtl2832_attach_tuner (FerRtl2832 *self, GError **error)
{
  const Rtl2832TunerProbe *probe;
  FerTunerI2c i2c = {
    .write_regs = rtl2832_i2c_write_regs,
    .read_regs = rtl2832_i2c_read_regs,
    .user_data = self,
  };

  if (!rtl2832_set_i2c_repeater (self, TRUE, error))
    return FALSE;
  if (!rtl2832_find_tuner (self, &probe, error))
    return rtl2832_end_tuner_access (self, FALSE, error);

  if (probe == NULL)
    {
      rtl2832_end_tuner_access (self, FALSE, NULL);
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED,
                   "No tuner answered behind the RTL2832U of %s: the dongle may be "
                   "faulty, or it is a kind Ferrite does not know",
                   fer_usb_get_description (self->usb));
      return FALSE;
    }
  switch (probe->kind)
    {
    case TUNER_R820T:
      self->tuner = fer_r82xx_new (FER_R82XX_R820T, &i2c, self->xtal_hz);
      break;
    case TUNER_R828D:
      self->tuner = fer_r82xx_new (FER_R82XX_R828D, &i2c, R828D_XTAL_HZ);
      break;
    case TUNER_E4000:
    case TUNER_FC0013:
    case TUNER_FC2580:
    case TUNER_FC0012:
    default:
      rtl2832_end_tuner_access (self, FALSE, NULL);
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED,
                   "This dongle has a %s tuner, which Ferrite does not drive yet "
                   "(supported: Rafael Micro R820T/R820T2 and R828D)", probe->name);
      return FALSE;
    }
  g_debug ("found %s tuner", probe->name);

  return rtl2832_end_tuner_access (self, rtl2832_setup_low_if (self, error)
                                   && fer_tuner_init (self->tuner, error), error);
}

/* --- Public API --------------------------------------------------------- */

FerRtl2832 *
fer_rtl2832_open (FerUsb *usb, GError **error)
{
  FerRtl2832 *self = g_new0 (FerRtl2832, 1);

  self->usb = usb;
  self->xtal_hz = FER_RTL2832_XTAL_HZ;
  self->n_transfers = FER_RTL2832_DEFAULT_N_TRANSFERS;
  self->transfer_bytes = FER_RTL2832_DEFAULT_TRANSFER_BYTES;

  if (!fer_usb_claim_interface (usb, 0, error)
      || !rtl2832_init_baseband (self, error)
      || !rtl2832_attach_tuner (self, error)
      || !fer_rtl2832_set_sample_rate (self, DEFAULT_RATE_HZ, error)
      || !fer_rtl2832_set_center_freq (self, DEFAULT_CENTER_HZ, error)
      || !fer_rtl2832_set_tuner_agc (self, TRUE, error))
    {
      fer_tuner_free (self->tuner);
      fer_usb_close (self->usb);
      g_free (self);
      return NULL;
    }
  return self;
}

void
fer_rtl2832_close (FerRtl2832 *self)
{
  g_autoptr (GError) error = NULL;

  if (self == NULL)
    return;
  fer_rtl2832_stop (self);
  /* Best effort: the device may already be gone. */
  if (!rtl2832_set_i2c_repeater (self, TRUE, &error)
      || !rtl2832_end_tuner_access (self, fer_tuner_standby (self->tuner, &error), &error)
      || !rtl2832_write_reg (self, RTL2832_BLOCK_SYS, SYS_DEMOD_CTL, DEMOD_CTL_POWER_OFF, 1,
                             &error))
    g_debug ("power down: %s", error->message);
  fer_tuner_free (self->tuner);
  fer_usb_close (self->usb);
  g_free (self);
}

const char *
fer_rtl2832_get_tuner_name (FerRtl2832 *self)
{
  return self->tuner->name;
}

const char *
fer_rtl2832_get_description (FerRtl2832 *self)
{
  return fer_usb_get_description (self->usb);
}

void
fer_rtl2832_get_freq_range (FerRtl2832 *self, guint32 *min_hz, guint32 *max_hz)
{
  *min_hz = self->tuner->min_freq_hz;
  *max_hz = self->tuner->max_freq_hz;
}

static gboolean
rate_is_supported (guint32 rate_hz)
{
  return (rate_hz >= MIN_RATE_LOW_HZ && rate_hz <= MAX_RATE_LOW_HZ)
    || (rate_hz >= MIN_RATE_HIGH_HZ && rate_hz <= MAX_RATE_HIGH_HZ);
}

gboolean
fer_rtl2832_set_sample_rate (FerRtl2832 *self, guint32 rate_hz, GError **error)
{
  if (!rate_is_supported (rate_hz))
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "The RTL2832U cannot sample at %u S/s: choose %u to %u or %u to %u S/s",
                   rate_hz, MIN_RATE_LOW_HZ, MAX_RATE_LOW_HZ, MIN_RATE_HIGH_HZ,
                   MAX_RATE_HIGH_HZ);
      return FALSE;
    }

  /* The resampler makes crystal * 2^22 / ratio. */
  double scale = self->xtal_hz * (double) (1 << 22);
  guint32 ratio = (guint32) (scale / rate_hz) & RSAMP_RATIO_MASK;
  guint32 real_ratio = ratio | ((ratio & RSAMP_RATIO_BIT27) << 1);

  if (!rtl2832_demod_write (self, P1_RSAMP_RATIO, ratio >> 16, 2, error)
      || !rtl2832_demod_write (self, reg_plus (P1_RSAMP_RATIO, 2), ratio & 0xffff, 2, error)
      || !rtl2832_set_sample_correction (self, error)
      || !rtl2832_soft_reset (self, error))
    return FALSE;
  self->rate_hz = rate_hz;
  self->real_rate_hz = scale / real_ratio;
  if (self->real_rate_hz != rate_hz)
    g_debug ("sample rate %u S/s is really %.3f S/s", rate_hz, self->real_rate_hz);
  return TRUE;
}

double
fer_rtl2832_get_sample_rate (FerRtl2832 *self)
{
  return self->real_rate_hz;
}

gboolean
fer_rtl2832_set_center_freq (FerRtl2832 *self, guint32 freq_hz, GError **error)
{
  if (!rtl2832_set_i2c_repeater (self, TRUE, error))
    return FALSE;
  if (!rtl2832_end_tuner_access (self, fer_tuner_set_freq (self->tuner, freq_hz, error), error))
    return FALSE;
  self->center_hz = freq_hz;
  return TRUE;
}

guint32
fer_rtl2832_get_center_freq (FerRtl2832 *self)
{
  return self->center_hz;
}

gboolean
fer_rtl2832_set_freq_correction (FerRtl2832 *self, int ppm, GError **error)
{
  if (ppm < -MAX_PPM || ppm > MAX_PPM)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "A frequency correction of %d ppm is beyond what the RTL2832U "
                   "can apply (%d to %d ppm)", ppm, -MAX_PPM, MAX_PPM);
      return FALSE;
    }
  int old_ppm = self->ppm;
  self->ppm = ppm;
  fer_tuner_set_ppm (self->tuner, ppm);
  if (!rtl2832_set_sample_correction (self, error)
      || !rtl2832_set_if_freq (self, self->tuner->if_hz, error)
      || (self->center_hz != 0 && !fer_rtl2832_set_center_freq (self, self->center_hz, error)))
    {
      self->ppm = old_ppm;
      fer_tuner_set_ppm (self->tuner, old_ppm);
      return FALSE;
    }
  return TRUE;
}

int
fer_rtl2832_get_freq_correction (FerRtl2832 *self)
{
  return self->ppm;
}

gboolean
fer_rtl2832_set_gain (FerRtl2832 *self, int gain_tenth_db, GError **error)
{
  return rtl2832_set_i2c_repeater (self, TRUE, error)
    && rtl2832_end_tuner_access (self, fer_tuner_set_gain (self->tuner, gain_tenth_db, error),
                                 error);
}

int
fer_rtl2832_get_gain (FerRtl2832 *self)
{
  return self->tuner->gain_tenth_db;
}

gboolean
fer_rtl2832_set_tuner_agc (FerRtl2832 *self, gboolean on, GError **error)
{
  return rtl2832_set_i2c_repeater (self, TRUE, error)
    && rtl2832_end_tuner_access (self, fer_tuner_set_agc (self->tuner, on, error), error);
}

gboolean
fer_rtl2832_get_tuner_agc (FerRtl2832 *self)
{
  return self->tuner->agc;
}

const int *
fer_rtl2832_get_gains (FerRtl2832 *self, guint *n_gains)
{
  return fer_tuner_get_gains (self->tuner, n_gains);
}

gboolean
fer_rtl2832_set_bandwidth (FerRtl2832 *self, guint32 bandwidth_hz, GError **error)
{
  guint32 old_if_hz = self->tuner->if_hz;

  if (!rtl2832_set_i2c_repeater (self, TRUE, error)
      || !rtl2832_end_tuner_access (self, fer_tuner_set_bandwidth (self->tuner, bandwidth_hz,
                                                                   error), error))
    return FALSE;
  if (self->tuner->if_hz == old_if_hz)
    return TRUE;
  return rtl2832_set_if_freq (self, self->tuner->if_hz, error)
    && (self->center_hz == 0 || fer_rtl2832_set_center_freq (self, self->center_hz, error));
}

gboolean
fer_rtl2832_set_digital_agc (FerRtl2832 *self, gboolean on, GError **error)
{
  gboolean old = self->digital_agc;

  self->digital_agc = on;
  if (!rtl2832_write_mode (self, error))
    {
      self->digital_agc = old;
      return FALSE;
    }
  return TRUE;
}

gboolean
fer_rtl2832_set_test_mode (FerRtl2832 *self, gboolean on, GError **error)
{
  gboolean old = self->test_mode;

  self->test_mode = on;
  if (!rtl2832_write_mode (self, error))
    {
      self->test_mode = old;
      return FALSE;
    }
  return TRUE;
}

void
fer_rtl2832_set_transfer_ring (FerRtl2832 *self, guint n_transfers, gsize transfer_bytes)
{
  g_return_if_fail (n_transfers > 0 && transfer_bytes > 0);
  self->n_transfers = n_transfers;
  self->transfer_bytes = (transfer_bytes + BULK_PACKET_BYTES - 1)
                         / BULK_PACKET_BYTES * BULK_PACKET_BYTES;
}

gboolean
fer_rtl2832_start (FerRtl2832 *self, const FerUsbBulkCallbacks *callbacks, GError **error)
{
  g_return_val_if_fail (!self->streaming, FALSE);

  /* Stale samples from before the last retune sit in the FIFO: flush it. */
  if (!rtl2832_write_reg (self, RTL2832_BLOCK_USB, USB_EPA_CTL, USB_EPA_CTL_FIFO_RESET, 2, error)
      || !rtl2832_write_reg (self, RTL2832_BLOCK_USB, USB_EPA_CTL, USB_EPA_CTL_RUN, 2, error))
    return FALSE;
  if (!fer_usb_start_bulk (self->usb, FER_RTL2832_BULK_ENDPOINT, self->n_transfers,
                           self->transfer_bytes, callbacks, error))
    return FALSE;
  self->streaming = TRUE;
  return TRUE;
}

void
fer_rtl2832_stop (FerRtl2832 *self)
{
  if (!self->streaming)
    return;
  fer_usb_stop_bulk (self->usb);
  self->streaming = FALSE;
}
