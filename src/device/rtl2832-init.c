#define G_LOG_DOMAIN "fer-rtl2832"

#include "rtl2832-init.h"


#include "rtl2832-io.h"
#include "tuner-e4k.h"
#include "tuner-fc001x.h"
#include "tuner-fc2580.h"
#include "tuner-r82xx.h"

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
  { TUNER_E4000, "Elonics E4000", E4K_I2C_ADDR, E4K_CHIP_ID_REG, 0xff, E4K_CHIP_ID, FALSE },
  { TUNER_FC0013, "Fitipower FC0013", FC001X_I2C_ADDR, FC001X_CHIP_ID_REG, 0xff,
    FC0013_CHIP_ID, FALSE },
  { TUNER_R820T, "Rafael Micro R820T", R820T_I2C_ADDR, R82XX_CHIP_ID_REG, 0xff,
    R82XX_CHIP_ID, FALSE },
  { TUNER_R828D, "Rafael Micro R828D", R828D_I2C_ADDR, R82XX_CHIP_ID_REG, 0xff,
    R82XX_CHIP_ID, FALSE },
  { TUNER_FC2580, "FCI FC2580", FC2580_I2C_ADDR, FC2580_CHIP_ID_REG, FC2580_CHIP_ID_MASK,
    FC2580_CHIP_ID, TRUE },
  { TUNER_FC0012, "Fitipower FC0012", FC001X_I2C_ADDR, FC001X_CHIP_ID_REG, 0xff,
    FC0012_CHIP_ID, TRUE },
};

/* --- Baseband ----------------------------------------------------------- */

static gboolean
rtl2832_write_fir (FerUsb *usb, GError **error)
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
    if (!rtl2832_demod_write (usb, rtl2832_reg_plus (P1_FIR, i), fir[i], 1, error))
      return FALSE;
  return TRUE;
}

gboolean
rtl2832_init_baseband (FerUsb *usb, GError **error)
{
  if (!rtl2832_write_reg (usb, RTL2832_BLOCK_USB, USB_SYSCTL, USB_SYSCTL_INIT, 1, error)
      || !rtl2832_write_reg (usb, RTL2832_BLOCK_USB, USB_EPA_MAXPKT, USB_EPA_MAXPKT_512, 2, error)
      || !rtl2832_write_reg (usb, RTL2832_BLOCK_USB, USB_EPA_CTL, USB_EPA_CTL_FIFO_RESET, 2, error)
      || !rtl2832_write_reg (usb, RTL2832_BLOCK_SYS, SYS_DEMOD_CTL_1, DEMOD_CTL_1_POWER_ON, 1, error)
      || !rtl2832_write_reg (usb, RTL2832_BLOCK_SYS, SYS_DEMOD_CTL, DEMOD_CTL_POWER_ON, 1, error)
      || !rtl2832_demod_write (usb, P1_CONTROL, CONTROL_NORMAL | CONTROL_SOFT_RESET, 1, error)
      || !rtl2832_demod_write (usb, P1_CONTROL, CONTROL_NORMAL, 1, error)
      || !rtl2832_demod_write (usb, P1_SPECTRUM_INV, SPECTRUM_NORMAL, 1, error)
      /* adjacent channel rejection off, then DDC shift and IF cleared */
      || !rtl2832_demod_write (usb, P1_DDC_SHIFT, 0x0000, 2, error))
    return FALSE;
  for (guint i = 0; i < 6; i++)
    if (!rtl2832_demod_write (usb, rtl2832_reg_plus (P1_DDC_SHIFT, i), 0, 1, error))
      return FALSE;
  return rtl2832_write_fir (usb, error)
    && rtl2832_demod_write (usb, P0_MODE, MODE_SDR, 1, error)
    && rtl2832_demod_write (usb, P1_FSM_STATE_0, FSM_STATE_0_INIT, 1, error)
    && rtl2832_demod_write (usb, P1_FSM_STATE_1, FSM_STATE_1_INIT, 1, error)
    && rtl2832_demod_write (usb, P1_DAGC_ENABLE, DAGC_OFF, 1, error)
    && rtl2832_demod_write (usb, P1_AGC_LOOP, AGC_LOOP_OFF, 1, error)
    && rtl2832_demod_write (usb, P0_PID_FILTER, PID_FILTER_OFF, 1, error)
    && rtl2832_demod_write (usb, P0_ADC_DATAPATH, ADC_DATAPATH_DEFAULT, 1, error)
    && rtl2832_demod_write (usb, P1_ZERO_IF, ZERO_IF_ON, 1, error)
    && rtl2832_demod_write (usb, P0_CLOCK_OUT, CLOCK_OUT_OFF, 1, error);
}

/* --- Tuner probe -------------------------------------------------------- */

/* Reads the probe's id register. *found is FALSE when nothing answers (an
 * I2C NAK stalls the control transfer) or the id differs. */
static gboolean
rtl2832_probe_one (FerTunerI2c *host, const Rtl2832TunerProbe *probe, gboolean *found,
                   GError **error)
{
  GError *local = NULL;
  guint8 id = 0;

  *found = FALSE;
  if (!host->read_regs (host->user_data, probe->i2c_addr, probe->id_reg, &id, 1, &local))
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

/* The first probe that answers, or NULL. */
static gboolean
rtl2832_find_tuner (FerUsb *usb, FerTunerI2c *host, const Rtl2832TunerProbe **out,
                    GError **error)
{
  gboolean gpio_reset_done = FALSE;

  *out = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (rtl2832_tuner_probes); i++)
    {
      const Rtl2832TunerProbe *probe = &rtl2832_tuner_probes[i];
      gboolean found;

      if (probe->after_gpio_reset && !gpio_reset_done)
        {
          if (!rtl2832_gpio_set_output (usb, GPIO_TUNER_RESET, error)
              || !rtl2832_gpio_set_bit (usb, GPIO_TUNER_RESET, TRUE, error)
              || !rtl2832_gpio_set_bit (usb, GPIO_TUNER_RESET, FALSE, error))
            return FALSE;
          gpio_reset_done = TRUE;
        }
      if (!rtl2832_probe_one (host, probe, &found, error))
        return FALSE;
      if (found)
        {
          *out = probe;
          return TRUE;
        }
    }
  return TRUE;
}

/* The RTL-SDR Blog V4 says so in its USB strings, and only there. */
static gboolean
is_blog_v4 (FerUsb *usb)
{
  const char *manufacturer, *product;

  fer_usb_get_strings (usb, &manufacturer, &product, NULL);
  return g_strcmp0 (manufacturer, BLOG_V4_MANUFACTURER) == 0
    && g_strcmp0 (product, BLOG_V4_PRODUCT) == 0;
}

FerTuner *
rtl2832_probe_tuner (FerUsb *usb, guint32 xtal_hz, GError **error)
{
  const Rtl2832TunerProbe *probe;
  FerTunerI2c host;

  rtl2832_tuner_host_init (usb, &host);
  if (!rtl2832_find_tuner (usb, &host, &probe, error))
    return NULL;
  if (probe == NULL)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED,
                   "No tuner answered behind the RTL2832U of %s: the dongle may be "
                   "faulty, or it is a kind Ferrite does not know",
                   fer_usb_get_description (usb));
      return NULL;
    }
  g_debug ("found %s tuner", probe->name);
  switch (probe->kind)
    {
    case TUNER_R820T:
      return fer_r82xx_new (FER_R82XX_R820T, &host, xtal_hz);
    case TUNER_R828D:
      if (is_blog_v4 (usb))
        {
          g_debug ("an RTL-SDR Blog V4");
          return fer_r82xx_new (FER_R82XX_BLOG_V4, &host, xtal_hz);
        }
      return fer_r82xx_new (FER_R82XX_R828D, &host, R828D_XTAL_HZ);
    case TUNER_E4000:
      return fer_e4k_new (&host, xtal_hz);
    case TUNER_FC0013:
      return fer_fc001x_new (FER_FC0013, &host, xtal_hz);
    case TUNER_FC2580:
      return fer_fc2580_new (&host, FC2580_XTAL_HZ);
    case TUNER_FC0012:
      return fer_fc001x_new (FER_FC0012, &host, xtal_hz);
    default:
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED,
                   "This dongle has a %s tuner, which Ferrite does not drive", probe->name);
      return NULL;
    }
}
