#define G_LOG_DOMAIN "fer-fc001x"

#include "tuner-fc001x.h"

#include <string.h>

enum {
  FC_REG_RF_A         = 0x01,   /* count-to-9 cycles of the divider */
  FC_REG_RF_M         = 0x02,   /* total cycles: N = 8 M + A */
  FC_REG_RF_K_HIGH    = 0x03,   /* K: signed fraction over 32768 */
  FC_REG_RF_K_LOW     = 0x04,
  FC_REG_OUTDIV       = 0x05,   /* bits 7:3 output divider */
  FC_REG_CONTROL      = 0x06,   /* bits 7:6 bandwidth, 5 clock out, 3 VCO range,
                                 * 1 divide by 2 (else by 3) */
  FC_REG_XTAL         = 0x07,   /* bit 5 28.8 MHz crystal; FC0013 bit 4 VHF filter */
  FC_REG_GAIN_MODE    = 0x0d,   /* FC0013 bit 3: manual gain */
  FC_REG_VCO_CAL      = 0x0e,   /* write: bit 7 starts calibration; read: bits 5:0 VCO voltage */
  FC_REG_DIV64        = 0x11,   /* FC0013 bit 2: the divide-by-64 setting */
  FC_REG_IF_GAIN      = 0x13,   /* FC0012: LNA gain bits 4:0; FC0013: IF gain */
  FC_REG_LNA_GAIN     = 0x14,   /* FC0013: LNA gain bits 4:0, bits 7:5 UHF/GPS inputs */
  FC_REG_VHF_TRACK    = 0x1d,   /* FC0013 bits 4:2: VHF tracking filter */
};

#define FC_N_INIT_REGS        0x15    /* registers 0x01..0x15 */
#define CONTROL_BW_MASK       0xc0
#define CONTROL_BW_6MHZ       0x80
#define CONTROL_BW_7MHZ       0x40
#define CONTROL_BW_8MHZ       0x00
#define CONTROL_CLOCK_OUT     0x20
#define CONTROL_VCO_HIGH      0x08
#define OUTDIV_REALTEK        0x07    /* low bits the Realtek demodulator needs */
#define XTAL_28_8MHZ          0x20
#define XTAL_VHF_FILTER       0x10
#define DUAL_MASTER           0x02    /* reg 0x0c */
#define VCO_CAL_START         0x80
#define VCO_VOLTAGE_MASK      0x3f
#define VCO_VOLTAGE_TOO_LOW   0x02    /* below: the VCO wants the high range */
#define VCO_VOLTAGE_TOO_HIGH  0x3c    /* above: the low range */
#define VCO_HIGH_FROM_HZ      3060000000ull
#define GAIN_MODE_MANUAL      0x08
#define FC0013_IF_GAIN_FIXED  0x0a
#define DIV64_ON              0x04
#define LNA_GAIN_MASK         0x1f
#define LNA_INPUT_MASK        0xe0
#define LNA_INPUT_UHF         0x40
#define VHF_TRACK_MASK        0x1c
#define FC0013_VHF_BELOW_HZ   300000000u
#define FC0012_GPIO_UHF_ABOVE_HZ 300000000u

#define PLL_K_ONE             32768
#define PLL_MIN_M             0x0b
#define PLL_MAX_A             15

/* Power-on setting of registers 0x01..0x15, as the vendor sets them (the
 * crystal and dual-master bits are added by init). */
static const guint8 fc0012_init_regs[FC_N_INIT_REGS] = {
  0x05, 0x10, 0x00, 0x00, 0x0f, 0x00, 0x00, 0xff, 0x6e, 0xb8, 0x82,   /* 01..0b */
  0xfc, 0x02, 0x00, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x04,         /* 0c..15 */
};
static const guint8 fc0013_init_regs[FC_N_INIT_REGS] = {
  0x09, 0x16, 0x00, 0x00, 0x17, 0x02, 0x0a, 0xff, 0x6e, 0xb8, 0x82,   /* 01..0b */
  0xfc, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50, 0x01,         /* 0c..15 */
};

/* The LO divider by frequency: register 5's divider bits and whether
 * register 6 divides by 2 (else by 3) give @divider. The two chips encode
 * the same dividers differently. */
typedef struct {
  guint32 below_hz;
  guint8 divider;
  guint8 outdiv;          /* register 5 */
  guint8 div_by_2;        /* register 6 bit 1 */
} FcDivider;

static const FcDivider fc0012_dividers[] = {
  {   37084000, 96, 0x82, 0x00 },
  {   55625000, 64, 0x82, 0x02 },
  {   74167000, 48, 0x42, 0x00 },
  {  111250000, 32, 0x42, 0x02 },
  {  148334000, 24, 0x22, 0x00 },
  {  222500000, 16, 0x22, 0x02 },
  {  296667000, 12, 0x12, 0x00 },
  {  445000000,  8, 0x12, 0x02 },
  {  593334000,  6, 0x0a, 0x00 },
  { G_MAXUINT32, 4, 0x0a, 0x02 },
};

static const FcDivider fc0013_dividers[] = {
  {   37084000, 96, 0x82, 0x00 },
  {   55625000, 64, 0x02, 0x02 },   /* with register 0x11 bit 2 */
  {   74167000, 48, 0x42, 0x00 },
  {  111250000, 32, 0x82, 0x02 },
  {  148334000, 24, 0x22, 0x00 },
  {  222500000, 16, 0x42, 0x02 },
  {  296667000, 12, 0x12, 0x00 },
  {  445000000,  8, 0x22, 0x02 },
  {  593334000,  6, 0x0a, 0x00 },
  {  950000000,  4, 0x12, 0x02 },
  { G_MAXUINT32, 2, 0x0a, 0x02 },
};

/* FC0013 VHF tracking filter (register 0x1d bits 4:2) by frequency; UHF uses
 * the first setting. */
typedef struct {
  guint32 up_to_hz;
  guint8 track;
} FcVhfTrack;

static const FcVhfTrack fc0013_vhf_tracks[] = {
  { 177500000, 0x1c }, { 184500000, 0x18 }, { 191500000, 0x14 }, { 198500000, 0x10 },
  { 205500000, 0x0c }, { 219500000, 0x08 }, { 299999999, 0x04 },
};

/* LNA gain by register code (tenths of a dB), ascending. */
typedef struct {
  int tenth_db;
  guint8 code;
} FcGain;

static const FcGain fc0012_lna_gains[] = {
  { -99, 0x02 }, { -40, 0x00 }, { 71, 0x08 }, { 179, 0x17 }, { 192, 0x10 },
};

static const FcGain fc0013_lna_gains[] = {
  { -99, 0x02 }, { -73, 0x03 }, { -65, 0x05 }, { -63, 0x04 }, { -60, 0x07 }, { -58, 0x01 },
  { -54, 0x06 }, { 58, 0x0f }, { 61, 0x0e }, { 63, 0x0d }, { 65, 0x0c }, { 67, 0x0b },
  { 68, 0x0a }, { 70, 0x09 }, { 71, 0x08 }, { 179, 0x17 }, { 181, 0x16 }, { 182, 0x15 },
  { 184, 0x14 }, { 186, 0x13 }, { 188, 0x12 }, { 191, 0x11 }, { 197, 0x10 },
};

#define FC_MAX_GAINS G_N_ELEMENTS (fc0013_lna_gains)

/* Channel bandwidths register 6 selects, by the narrowest that passes. */
typedef struct {
  guint32 bw_hz;
  guint8 bits;
} FcBandwidth;

static const FcBandwidth fc_bandwidths[] = {
  { 6000000, CONTROL_BW_6MHZ }, { 7000000, CONTROL_BW_7MHZ }, { 8000000, CONTROL_BW_8MHZ },
};

typedef struct {
  FerTuner base;
  FerFc001xChip chip;
  const FcDivider *dividers;
  const FcGain *lna_gains;
  guint n_lna_gains;
  guint8 bandwidth_bits;    /* register 6 bits 7:6 */
  int gains[FC_MAX_GAINS];
} FerFc001x;

/* --- Register access ---------------------------------------------------- */

static gboolean
fc_write (FerFc001x *self, guint8 reg, guint8 value, GError **error)
{
  return self->base.i2c.write_regs (self->base.i2c.user_data, self->base.i2c_addr, reg,
                                    &value, 1, error);
}

static gboolean
fc_read (FerFc001x *self, guint8 reg, guint8 *value, GError **error)
{
  return self->base.i2c.read_regs (self->base.i2c.user_data, self->base.i2c_addr, reg,
                                   value, 1, error);
}

static gboolean
fc_write_mask (FerFc001x *self, guint8 reg, guint8 mask, guint8 value, GError **error)
{
  guint8 old;
  return fc_read (self, reg, &old, error)
    && fc_write (self, reg, (guint8) ((old & ~mask) | (value & mask)), error);
}

/* --- Frequency ---------------------------------------------------------- */

static const FcDivider *
fc_divider_for (FerFc001x *self, guint32 freq_hz)
{
  const FcDivider *d = self->dividers;
  while (freq_hz >= d->below_hz)
    d++;
  return d;
}

/* The divider and fraction registers for @freq_hz through divider @d. */
typedef struct {
  guint8 a, m;
  guint16 k;
  gboolean vco_high;
} FcPll;

/* The PLL compares at half the crystal: N = 8 M + A whole steps, rounded to
 * the nearest, and a signed fraction K / 32768 for the rest. FALSE when M and
 * A cannot hold N. */
static gboolean
fc_compute_pll (guint32 xtal_hz, guint32 freq_hz, const FcDivider *d, FcPll *pll)
{
  guint64 vco_hz = (guint64) freq_hz * d->divider;
  guint32 ref_hz = xtal_hz / 2;
  guint n = (guint) (vco_hz / ref_hz);
  guint64 rest_hz = vco_hz - (guint64) n * ref_hz;

  if (rest_hz >= ref_hz / 2)
    n++;
  guint m = n / 8, a = n % 8;
  if (a < 2)
    {
      a += 8;
      m--;
    }
  if (m > 31)
    {
      a += 8 * (m - 31);
      m = 31;
    }
  if (a > PLL_MAX_A || m < PLL_MIN_M)
    return FALSE;
  /* The fraction of the floor division, in kHz steps over 15 bits; taken
   * from the rounded-up N it is negative (two's complement). */
  guint32 k = (guint32) ((rest_hz / 1000) << 15) / (ref_hz / 1000);
  if (k >= PLL_K_ONE / 2)
    k += PLL_K_ONE;
  pll->a = (guint8) a;
  pll->m = (guint8) m;
  pll->k = (guint16) k;
  pll->vco_high = vco_hz >= VCO_HIGH_FROM_HZ;
  return TRUE;
}

/* Starts a VCO calibration (the chip needs the start bit pulsed). */
static gboolean
fc_calibrate_vco (FerFc001x *self, GError **error)
{
  return fc_write (self, FC_REG_VCO_CAL, VCO_CAL_START, error)
    && fc_write (self, FC_REG_VCO_CAL, 0, error);
}

static gboolean
fc0013_set_front_end (FerFc001x *self, guint32 freq_hz, GError **error)
{
  guint8 track = fc0013_vhf_tracks[0].track;
  gboolean vhf = freq_hz < FC0013_VHF_BELOW_HZ;

  for (guint i = 0; vhf && i < G_N_ELEMENTS (fc0013_vhf_tracks); i++)
    if (freq_hz <= fc0013_vhf_tracks[i].up_to_hz)
      {
        track = fc0013_vhf_tracks[i].track;
        break;
      }
  return fc_write_mask (self, FC_REG_VHF_TRACK, VHF_TRACK_MASK, track, error)
    && fc_write_mask (self, FC_REG_XTAL, XTAL_VHF_FILTER, vhf ? XTAL_VHF_FILTER : 0, error)
    && fc_write_mask (self, FC_REG_LNA_GAIN, LNA_INPUT_MASK, vhf ? 0 : LNA_INPUT_UHF, error);
}

static gboolean
fc_set_freq (FerTuner *tuner, guint32 freq_hz, GError **error)
{
  FerFc001x *self = (FerFc001x *) tuner;
  guint8 regs[7];
  guint8 voltage;

  if (freq_hz < tuner->min_freq_hz || freq_hz > tuner->max_freq_hz)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "%.3f MHz is outside the %s tuner's range (%g to %g MHz)",
                   freq_hz / 1e6, tuner->name, tuner->min_freq_hz / 1e6,
                   tuner->max_freq_hz / 1e6);
      return FALSE;
    }
  if (self->chip == FER_FC0012
      && !fer_tuner_set_gpio (tuner, FC0012_GPIO_BAND, freq_hz > FC0012_GPIO_UHF_ABOVE_HZ,
                              error))
    return FALSE;
  if (self->chip == FER_FC0013 && !fc0013_set_front_end (self, freq_hz, error))
    return FALSE;

  /* Where the divider for the frequency leaves the PLL out of reach (the
   * top of the FC0013's divide-by-4 range), the next smaller one takes it. */
  const FcDivider *d = fc_divider_for (self, freq_hz);
  FcPll pll;
  while (!fc_compute_pll (tuner->ref_hz, freq_hz, d, &pll))
    {
      if (d->below_hz == G_MAXUINT32)
        {
          g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                       "The %s PLL cannot make %.3f MHz", tuner->name, freq_hz / 1e6);
          return FALSE;
        }
      d++;
    }

  regs[FC_REG_RF_A] = pll.a;
  regs[FC_REG_RF_M] = pll.m;
  regs[FC_REG_RF_K_HIGH] = (guint8) (pll.k >> 8);
  regs[FC_REG_RF_K_LOW] = (guint8) pll.k;
  regs[FC_REG_OUTDIV] = d->outdiv | OUTDIV_REALTEK;
  regs[FC_REG_CONTROL] = (guint8) (d->div_by_2 | (pll.vco_high ? CONTROL_VCO_HIGH : 0)
                                   | CONTROL_CLOCK_OUT | self->bandwidth_bits);
  for (guint8 reg = FC_REG_RF_A; reg <= FC_REG_CONTROL; reg++)
    if (!fc_write (self, reg, regs[reg], error))
      return FALSE;
  if (self->chip == FER_FC0013
      && !fc_write_mask (self, FC_REG_DIV64, DIV64_ON, d->divider == 64 ? DIV64_ON : 0, error))
    return FALSE;

  /* Calibrate, then move to the other VCO range if the control voltage
   * sits at the end of this one. */
  if (!fc_calibrate_vco (self, error)
      || !fc_write (self, FC_REG_VCO_CAL, 0, error)
      || !fc_read (self, FC_REG_VCO_CAL, &voltage, error))
    return FALSE;
  voltage &= VCO_VOLTAGE_MASK;
  if ((pll.vco_high && voltage > VCO_VOLTAGE_TOO_HIGH)
      || (!pll.vco_high && voltage < VCO_VOLTAGE_TOO_LOW))
    {
      regs[FC_REG_CONTROL] ^= CONTROL_VCO_HIGH;
      if (!fc_write (self, FC_REG_CONTROL, regs[FC_REG_CONTROL], error)
          || !fc_calibrate_vco (self, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
fc_set_bandwidth (FerTuner *tuner, guint32 bandwidth_hz, GError **error)
{
  FerFc001x *self = (FerFc001x *) tuner;
  guint i = 0;

  /* 0: the 6 MHz channel, the narrowest */
  while (i + 1 < G_N_ELEMENTS (fc_bandwidths) && bandwidth_hz > fc_bandwidths[i].bw_hz)
    i++;
  self->bandwidth_bits = fc_bandwidths[i].bits;
  return fc_write_mask (self, FC_REG_CONTROL, CONTROL_BW_MASK, self->bandwidth_bits, error);
}

/* --- Gain --------------------------------------------------------------- */

static gboolean
fc_set_gain (FerTuner *tuner, int gain_tenth_db, GError **error)
{
  FerFc001x *self = (FerFc001x *) tuner;
  int wanted = fer_tuner_nearest_gain (tuner, gain_tenth_db);
  guint i = 0;

  while (i + 1 < self->n_lna_gains && self->lna_gains[i].tenth_db != wanted)
    i++;
  if (self->chip == FER_FC0012)
    {
      if (!fc_write_mask (self, FC_REG_IF_GAIN, LNA_GAIN_MASK, self->lna_gains[i].code, error))
        return FALSE;
    }
  else if (!fc_write_mask (self, FC_REG_GAIN_MODE, GAIN_MODE_MANUAL, GAIN_MODE_MANUAL, error)
           || !fc_write (self, FC_REG_IF_GAIN, FC0013_IF_GAIN_FIXED, error)
           || !fc_write_mask (self, FC_REG_LNA_GAIN, LNA_GAIN_MASK, self->lna_gains[i].code,
                              error))
    return FALSE;
  tuner->agc = FALSE;
  tuner->gain_tenth_db = wanted;
  return TRUE;
}

static gboolean
fc_set_agc (FerTuner *tuner, gboolean on, GError **error)
{
  FerFc001x *self = (FerFc001x *) tuner;

  if (!on)
    return fc_set_gain (tuner, tuner->gain_tenth_db, error);
  /* The FC0012 has no AGC switch: its LNA stays where it is. */
  if (self->chip == FER_FC0012)
    return TRUE;
  if (!fc_write_mask (self, FC_REG_GAIN_MODE, GAIN_MODE_MANUAL, 0, error)
      || !fc_write (self, FC_REG_IF_GAIN, FC0013_IF_GAIN_FIXED, error))
    return FALSE;
  tuner->agc = TRUE;
  return TRUE;
}

static const int *
fc_get_gains (FerTuner *tuner, guint *n_gains)
{
  FerFc001x *self = (FerFc001x *) tuner;
  *n_gains = self->n_lna_gains;
  return self->gains;
}

/* --- Power -------------------------------------------------------------- */

static gboolean
fc_init (FerTuner *tuner, GError **error)
{
  FerFc001x *self = (FerFc001x *) tuner;
  guint8 regs[FC_N_INIT_REGS];

  memcpy (regs, self->chip == FER_FC0012 ? fc0012_init_regs : fc0013_init_regs, sizeof regs);
  regs[FC_REG_XTAL - 1] |= XTAL_28_8MHZ;
  regs[0x0c - 1] |= DUAL_MASTER;
  for (guint i = 0; i < FC_N_INIT_REGS; i++)
    if (!fc_write (self, (guint8) (i + 1), regs[i], error))
      return FALSE;
  self->bandwidth_bits = CONTROL_BW_6MHZ;
  /* What init leaves: the FC0012's LNA at -4 dB without an AGC, the
   * FC0013 under its AGC. */
  tuner->agc = self->chip == FER_FC0013;
  return TRUE;
}

/* The vendor driver leaves these tuners running; so does Ferrite. */
static gboolean
fc_standby (FerTuner *tuner, GError **error)
{
  return TRUE;
}

static void
fc_free (FerTuner *tuner)
{
  g_free (tuner);
}

static const FerTunerOps fc001x_ops = {
  .init = fc_init,
  .set_freq = fc_set_freq,
  .set_bandwidth = fc_set_bandwidth,
  .set_gain = fc_set_gain,
  .set_agc = fc_set_agc,
  .get_gains = fc_get_gains,
  .standby = fc_standby,
  .free = fc_free,
};

FerTuner *
fer_fc001x_new (FerFc001xChip chip, const FerTunerI2c *i2c, guint32 xtal_hz)
{
  FerFc001x *self = g_new0 (FerFc001x, 1);
  FerTuner *tuner = &self->base;

  self->chip = chip;
  self->dividers = chip == FER_FC0012 ? fc0012_dividers : fc0013_dividers;
  self->lna_gains = chip == FER_FC0012 ? fc0012_lna_gains : fc0013_lna_gains;
  self->n_lna_gains = chip == FER_FC0012 ? G_N_ELEMENTS (fc0012_lna_gains)
                                         : G_N_ELEMENTS (fc0013_lna_gains);
  for (guint i = 0; i < self->n_lna_gains; i++)
    self->gains[i] = self->lna_gains[i].tenth_db;
  self->bandwidth_bits = CONTROL_BW_6MHZ;

  tuner->ops = &fc001x_ops;
  tuner->name = chip == FER_FC0012 ? "Fitipower FC0012" : "Fitipower FC0013";
  tuner->i2c = *i2c;
  tuner->i2c_addr = FC001X_I2C_ADDR;
  tuner->xtal_hz = xtal_hz;
  tuner->ref_hz = xtal_hz;
  tuner->if_hz = 0;
  tuner->spectrum_inverted = FALSE;
  tuner->min_freq_hz = FC001X_MIN_FREQ_HZ;
  tuner->max_freq_hz = chip == FER_FC0012 ? FC0012_MAX_FREQ_HZ : FC0013_MAX_FREQ_HZ;
  tuner->agc = chip == FER_FC0013;
  /* init leaves the FC0012 LNA at -4 dB; the FC0013 returns from AGC to
   * its highest LNA step */
  tuner->gain_tenth_db = chip == FER_FC0012 ? -40 : 197;
  return tuner;
}
