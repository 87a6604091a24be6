#define G_LOG_DOMAIN "fer-fc2580"

#include "tuner-fc2580.h"

enum {
  FC2580_REG_BAND_VCO   = 0x02,   /* bits 7:6 band, bit 3 high VCO band */
  FC2580_REG_PLL_R_K    = 0x18,   /* bits 5:4 R code, 3:0 K bits 19:16 */
  FC2580_REG_PLL_K_MID  = 0x1a,
  FC2580_REG_PLL_K_LOW  = 0x1b,
  FC2580_REG_PLL_N      = 0x1c,
  FC2580_REG_LNA_CAP    = 0x2d,   /* UHF LNA output load */
  FC2580_REG_FILTER_CAL = 0x2e,   /* 0x09 runs the calibration, 0x01 holds it */
  FC2580_REG_FILTER_MON = 0x2f,   /* bits 7:6 both set: calibration done */
  FC2580_REG_FILTER_1   = 0x36,
  FC2580_REG_FILTER_2   = 0x37,   /* scaled by the crystal */
  FC2580_REG_FILTER_3   = 0x39,
  FC2580_REG_SUB_BAND   = 0x5f,
};

#define BAND_VCO_BASE        0x06    /* internal crystal oscillator */
#define BAND_UHF             0x00
#define BAND_VHF             0x80
#define VCO_HIGH             0x08
#define VCO_HIGH_FROM_HZ     2600000000ull
#define R_CODE_1             0x00
#define R_CODE_2             0x10
#define R_CODE_4             0x20
#define R2_FROM_COMP_RATIO   76      /* VCO >= 76 x crystal: compare at xtal / 2 */
#define PLL_K_BITS           20
#define FILTER_CAL_RUN       0x09
#define FILTER_CAL_HOLD      0x01
#define FILTER_CAL_DONE      0xc0
#define FILTER_CAL_TRIES     5
#define LNA_CAP_LOW_UHF      0x9f
#define LNA_CAP_HIGH_UHF     0x8f

#define UHF_ABOVE_HZ         400000000u
#define UHF_LOW_BELOW_HZ     538000000u
#define UHF_MID_BELOW_HZ     794000000u
#define LNA_CAP_LOW_UP_TO_HZ 794000000u
#define VHF_MULTIPLIER       12
#define UHF_MULTIPLIER       4

typedef struct {
  guint8 reg, value;
} Fc2580Reg;

/* Power-on setting; the AGC in voltage-control mode (0x45, 0x4c). */
static const Fc2580Reg fc2580_init_regs[] = {
  { 0x00, 0x00 }, { 0x12, 0x86 }, { 0x14, 0x5c }, { 0x16, 0x3c }, { 0x1f, 0xd2 },
  { 0x09, 0xd7 }, { 0x0b, 0xd5 }, { 0x0c, 0x32 }, { 0x0e, 0x43 }, { 0x21, 0x0a },
  { 0x22, 0x82 }, { 0x45, 0x20 }, { 0x4c, 0x02 }, { 0x3f, 0x88 }, { 0x02, 0x0e },
  { 0x58, 0x14 },
};

/* Front end per band, then per UHF sub-band (registers 0x61, 0x62, 0x67,
 * 0x68, 0x69, 0x6a). */
static const Fc2580Reg fc2580_uhf_regs[] = {
  { 0x25, 0xf0 }, { 0x27, 0x77 }, { 0x28, 0x53 }, { 0x29, 0x60 }, { 0x30, 0x09 },
  { 0x50, 0x8c }, { 0x53, 0x50 },
};
static const Fc2580Reg fc2580_uhf_tail_regs[] = {
  { 0x63, 0x15 }, { 0x6b, 0x0b }, { 0x6c, 0x0c }, { 0x6d, 0x78 }, { 0x6e, 0x32 },
  { 0x6f, 0x14 },
};
static const Fc2580Reg fc2580_vhf_regs[] = {
  { 0x27, 0x77 }, { 0x28, 0x33 }, { 0x29, 0x40 }, { 0x30, 0x09 }, { 0x50, 0x8c },
  { 0x53, 0x50 }, { 0x5f, 0x0f }, { 0x61, 0x07 }, { 0x62, 0x00 }, { 0x63, 0x15 },
  { 0x67, 0x03 }, { 0x68, 0x05 }, { 0x69, 0x10 }, { 0x6a, 0x12 }, { 0x6b, 0x08 },
  { 0x6c, 0x0a }, { 0x6d, 0x78 }, { 0x6e, 0x32 }, { 0x6f, 0x54 },
};

typedef struct {
  guint32 below_hz;
  guint8 sub_band;            /* register 0x5f */
  guint8 values[6];           /* registers 0x61, 0x62, 0x67, 0x68, 0x69, 0x6a */
} Fc2580UhfBand;

static const guint8 fc2580_uhf_band_regs[6] = { 0x61, 0x62, 0x67, 0x68, 0x69, 0x6a };
static const Fc2580UhfBand fc2580_uhf_bands[] = {
  { UHF_LOW_BELOW_HZ, 0x13, { 0x07, 0x06, 0x06, 0x08, 0x10, 0x12 } },
  { UHF_MID_BELOW_HZ, 0x15, { 0x03, 0x03, 0x03, 0x05, 0x0c, 0x0e } },
  { G_MAXUINT32, 0x15, { 0x07, 0x06, 0x07, 0x09, 0x10, 0x12 } },
};

/* Channel filters: registers 0x36, 0x39 and 0x37 = coefficient x crystal
 * (kHz) / 10^6. */
typedef struct {
  guint32 bw_hz;
  guint8 reg36, reg39;
  guint16 coefficient;
} Fc2580Filter;

static const Fc2580Filter fc2580_filters[] = {
  { 1530000, 0x1c, 0x00, 4151 },
  { 6000000, 0x18, 0x00, 4400 },
  { 6800000, 0x18, 0x80, 3910 },
  { 7800000, 0x18, 0x80, 3300 },
};
#define FILTER_VHF_DEFAULT 2   /* 6.8 MHz */
#define FILTER_UHF_DEFAULT 3   /* 7.8 MHz */

/* No gain control: one step. */
static const int fc2580_gains[] = { 0 };

typedef struct {
  FerTuner base;
  guint32 bandwidth_hz;       /* 0: the band's default filter */
  gboolean uhf;               /* the band last tuned */
} FerFc2580;

static gboolean
fc2580_write (FerFc2580 *self, guint8 reg, guint8 value, GError **error)
{
  return self->base.i2c.write_regs (self->base.i2c.user_data, self->base.i2c_addr, reg,
                                    &value, 1, error);
}

static gboolean
fc2580_write_table (FerFc2580 *self, const Fc2580Reg *regs, guint n, GError **error)
{
  for (guint i = 0; i < n; i++)
    if (!fc2580_write (self, regs[i].reg, regs[i].value, error))
      return FALSE;
  return TRUE;
}

/* The narrowest filter that passes @bw_hz (0: the band's default). */
static guint
fc2580_filter_for (FerFc2580 *self, guint32 bw_hz)
{
  if (bw_hz == 0)
    return self->uhf ? FILTER_UHF_DEFAULT : FILTER_VHF_DEFAULT;
  guint i = 0;
  while (i + 1 < G_N_ELEMENTS (fc2580_filters) && bw_hz > fc2580_filters[i].bw_hz)
    i++;
  return i;
}

/* Sets the filter and waits (a few polls) for its calibration. */
static gboolean
fc2580_set_filter (FerFc2580 *self, guint index, GError **error)
{
  const Fc2580Filter *f = &fc2580_filters[index];
  guint32 xtal_khz = (self->base.xtal_hz + 500) / 1000;
  guint8 monitor = 0;

  if (!fc2580_write (self, FC2580_REG_FILTER_1, f->reg36, error)
      || !fc2580_write (self, FC2580_REG_FILTER_2, (guint8) (f->coefficient * xtal_khz / 1000000),
                        error)
      || !fc2580_write (self, FC2580_REG_FILTER_3, f->reg39, error)
      || !fc2580_write (self, FC2580_REG_FILTER_CAL, FILTER_CAL_RUN, error))
    return FALSE;
  for (int i = 0; i < FILTER_CAL_TRIES; i++)
    {
      if (!self->base.i2c.read_regs (self->base.i2c.user_data, self->base.i2c_addr,
                                     FC2580_REG_FILTER_MON, &monitor, 1, error))
        return FALSE;
      if ((monitor & FILTER_CAL_DONE) == FILTER_CAL_DONE)
        break;
      if (!fc2580_write (self, FC2580_REG_FILTER_CAL, FILTER_CAL_HOLD, error)
          || !fc2580_write (self, FC2580_REG_FILTER_CAL, FILTER_CAL_RUN, error))
        return FALSE;
    }
  if ((monitor & FILTER_CAL_DONE) != FILTER_CAL_DONE)
    g_debug ("filter calibration did not report done");
  return fc2580_write (self, FC2580_REG_FILTER_CAL, FILTER_CAL_HOLD, error);
}

static gboolean
fc2580_set_band (FerFc2580 *self, guint32 lo_hz, GError **error)
{
  if (!self->uhf)
    return fc2580_write_table (self, fc2580_vhf_regs, G_N_ELEMENTS (fc2580_vhf_regs), error);

  const Fc2580UhfBand *b = fc2580_uhf_bands;
  while (lo_hz >= b->below_hz)
    b++;
  if (!fc2580_write_table (self, fc2580_uhf_regs, G_N_ELEMENTS (fc2580_uhf_regs), error)
      || !fc2580_write (self, FC2580_REG_SUB_BAND, b->sub_band, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fc2580_uhf_band_regs); i++)
    if (!fc2580_write (self, fc2580_uhf_band_regs[i], b->values[i], error))
      return FALSE;
  return fc2580_write_table (self, fc2580_uhf_tail_regs, G_N_ELEMENTS (fc2580_uhf_tail_regs),
                             error);
}

static gboolean
fc2580_set_freq (FerTuner *tuner, guint32 freq_hz, GError **error)
{
  FerFc2580 *self = (FerFc2580 *) tuner;

  if (freq_hz < tuner->min_freq_hz || freq_hz > tuner->max_freq_hz)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "%.3f MHz is outside the %s tuner's range (%u to %u MHz)",
                   freq_hz / 1e6, tuner->name, tuner->min_freq_hz / 1000000u,
                   tuner->max_freq_hz / 1000000u);
      return FALSE;
    }
  self->uhf = freq_hz > UHF_ABOVE_HZ;

  /* VCO = 2 (ref / R) (N + K / 2^20), K rounded to the nearest. */
  guint64 vco_hz = (guint64) freq_hz * (self->uhf ? UHF_MULTIPLIER : VHF_MULTIPLIER);
  guint64 ref_hz = tuner->ref_hz;
  guint r = vco_hz >= 2 * R2_FROM_COMP_RATIO * ref_hz ? 1
            : vco_hz >= R2_FROM_COMP_RATIO * ref_hz ? 2 : 4;
  guint64 step_hz = 2 * ref_hz / r;   /* VCO per unit of N */
  guint64 n = vco_hz / step_hz;
  guint64 k = ((vco_hz - n * step_hz) * (1u << PLL_K_BITS) + step_hz / 2) / step_hz;
  if (k == 1u << PLL_K_BITS)
    {
      k = 0;
      n++;
    }
  if (n > 0xff)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "The %s PLL cannot make %.3f MHz", tuner->name, freq_hz / 1e6);
      return FALSE;
    }
  guint8 band_vco = (guint8) (BAND_VCO_BASE | (vco_hz >= VCO_HIGH_FROM_HZ ? VCO_HIGH : 0)
                              | (self->uhf ? BAND_UHF : BAND_VHF));
  guint8 r_code = r == 1 ? R_CODE_1 : r == 2 ? R_CODE_2 : R_CODE_4;

  return fc2580_set_band (self, freq_hz, error)
    && fc2580_set_filter (self, fc2580_filter_for (self, self->bandwidth_hz), error)
    && fc2580_write (self, FC2580_REG_BAND_VCO, band_vco, error)
    && fc2580_write (self, FC2580_REG_PLL_R_K, (guint8) (r_code | (k >> 16)), error)
    && fc2580_write (self, FC2580_REG_PLL_K_MID, (guint8) (k >> 8), error)
    && fc2580_write (self, FC2580_REG_PLL_K_LOW, (guint8) k, error)
    && fc2580_write (self, FC2580_REG_PLL_N, (guint8) n, error)
    && (!self->uhf
        || fc2580_write (self, FC2580_REG_LNA_CAP, freq_hz <= LNA_CAP_LOW_UP_TO_HZ
                         ? LNA_CAP_LOW_UHF : LNA_CAP_HIGH_UHF, error));
}

static gboolean
fc2580_set_bandwidth (FerTuner *tuner, guint32 bandwidth_hz, GError **error)
{
  FerFc2580 *self = (FerFc2580 *) tuner;

  self->bandwidth_hz = bandwidth_hz;
  return fc2580_set_filter (self, fc2580_filter_for (self, bandwidth_hz), error);
}

static gboolean
fc2580_set_gain (FerTuner *tuner, int gain_tenth_db, GError **error)
{
  tuner->agc = FALSE;
  tuner->gain_tenth_db = fc2580_gains[0];
  return TRUE;
}

static gboolean
fc2580_set_agc (FerTuner *tuner, gboolean on, GError **error)
{
  return TRUE;
}

static const int *
fc2580_get_gains (FerTuner *tuner, guint *n_gains)
{
  *n_gains = G_N_ELEMENTS (fc2580_gains);
  return fc2580_gains;
}

static gboolean
fc2580_init (FerTuner *tuner, GError **error)
{
  FerFc2580 *self = (FerFc2580 *) tuner;

  self->uhf = TRUE;
  return fc2580_write_table (self, fc2580_init_regs, G_N_ELEMENTS (fc2580_init_regs), error)
    && fc2580_set_filter (self, FILTER_UHF_DEFAULT, error);
}

/* The vendor driver leaves the tuner running; so does Ferrite. */
static gboolean
fc2580_standby (FerTuner *tuner, GError **error)
{
  return TRUE;
}

static void
fc2580_free (FerTuner *tuner)
{
  g_free (tuner);
}

static const FerTunerOps fc2580_ops = {
  .init = fc2580_init,
  .set_freq = fc2580_set_freq,
  .set_bandwidth = fc2580_set_bandwidth,
  .set_gain = fc2580_set_gain,
  .set_agc = fc2580_set_agc,
  .get_gains = fc2580_get_gains,
  .standby = fc2580_standby,
  .free = fc2580_free,
};

FerTuner *
fer_fc2580_new (const FerTunerI2c *i2c, guint32 xtal_hz)
{
  FerFc2580 *self = g_new0 (FerFc2580, 1);
  FerTuner *tuner = &self->base;

  tuner->ops = &fc2580_ops;
  tuner->name = "FCI FC2580";
  tuner->i2c = *i2c;
  tuner->i2c_addr = FC2580_I2C_ADDR;
  tuner->xtal_hz = xtal_hz;
  tuner->ref_hz = xtal_hz;
  tuner->if_hz = 0;
  tuner->spectrum_inverted = FALSE;
  tuner->min_freq_hz = FC2580_MIN_FREQ_HZ;
  tuner->max_freq_hz = FC2580_MAX_FREQ_HZ;
  tuner->agc = FALSE;
  tuner->gain_tenth_db = fc2580_gains[0];
  return tuner;
}
