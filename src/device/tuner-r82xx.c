#define G_LOG_DOMAIN "fer-r82xx"

#include "tuner-r82xx.h"

#include <string.h>

#include "tuner-r82xx-regs.h"

/* PLL */
#define VCO_MIN_HZ               1770000000ull
#define MIX_DIV_MIN              2
#define MIX_DIV_MAX              64
#define SDM_ONE                  65536u   /* sigma-delta fraction denominator */
#define NINT_OFFSET              13       /* nint = 4 ni + si + 13 */
#define FILTER_CAL_LO_HZ         56000000u
#define FILTER_CAL_TRIES         2
#define LOCK_TRIES               2

/* R828D boards switch inputs where both give the same noise floor. */
#define R828D_AIR_IN_ABOVE_HZ    345000000u

/* The RTL-SDR Blog V4's inputs and notch filters. */
#define LNA_CABLE1_ON            0x40   /* reg 0x05 */
#define LNA_AIR_IN_OFF           0x20
#define FILTER_CABLE2_ON         0x08   /* reg 0x06 */
#define BLOG_V4_VHF_BELOW_HZ     250000000u

typedef enum {
  BLOG_V4_INPUT_NONE,      /* not chosen yet */
  BLOG_V4_INPUT_HF,        /* cable 2, through the upconverter */
  BLOG_V4_INPUT_VHF,       /* cable 1 */
  BLOG_V4_INPUT_UHF,       /* air-in */
} BlogV4Input;

/* Tuned inside one of these, the notch filters are off (reg 0x17 bit 3
 * clear): AM broadcast, FM broadcast, DAB band III. */
typedef struct {
  guint32 from_hz, to_hz;
} BlogV4NotchBand;

static const BlogV4NotchBand blog_v4_notch_off_bands[] = {
  { 0, 2200000 },
  { 85000000, 112000000 },
  { 172000000, 242000000 },
};

/* Power-on values of registers 0x05..0x1f. */
static const guint8 r82xx_init_regs[] = {
  0x83, 0x32, 0x75,                   /* 05..07 */
  0xc0, 0x40, 0xd6, 0x6c,             /* 08..0b */
  0xf5, 0x63, 0x75, 0x68,             /* 0c..0f */
  0x6c, 0x83, 0x80, 0x00,             /* 10..13 */
  0x0f, 0x00, 0xc0, 0x30,             /* 14..17 */
  0x48, 0xcc, 0x60, 0x00,             /* 18..1b */
  0x54, 0xae, 0x4a, 0xc0,             /* 1c..1f */
};
G_STATIC_ASSERT (G_N_ELEMENTS (r82xx_init_regs) == R82XX_N_REGS - R82XX_FIRST_WRITABLE);

/* The RF front end setting per LO band: open-drain divider output, RF mux and
 * polyphase filter, tracking filter band. */
typedef struct {
  guint16 lo_from_mhz;
  guint8 open_drain;      /* reg 0x17 bit 3 */
  guint8 rf_mux_poly;     /* reg 0x1a bits 7:6 and 1:0 */
  guint8 track_filter;    /* reg 0x1b */
} R82xxBand;

#define MUX_LPF_LOW     0x02   /* RF mux low-pass, poly mux low */
#define MUX_BYPASS_MID  0x41   /* RF mux bypass, poly mux middle */
#define MUX_BYPASS_HIGH 0x40   /* RF mux bypass, poly mux highest */

static const R82xxBand r82xx_bands[] = {
  {   0, DIV_BUF_OPEN_DRAIN, MUX_LPF_LOW, 0xdf },
  {  50, DIV_BUF_OPEN_DRAIN, MUX_LPF_LOW, 0xbe },
  {  55, DIV_BUF_OPEN_DRAIN, MUX_LPF_LOW, 0x8b },
  {  60, DIV_BUF_OPEN_DRAIN, MUX_LPF_LOW, 0x7b },
  {  65, DIV_BUF_OPEN_DRAIN, MUX_LPF_LOW, 0x69 },
  {  70, DIV_BUF_OPEN_DRAIN, MUX_LPF_LOW, 0x58 },
  {  75, 0, MUX_LPF_LOW, 0x44 },
  {  90, 0, MUX_LPF_LOW, 0x34 },
  { 110, 0, MUX_LPF_LOW, 0x24 },
  { 140, 0, MUX_LPF_LOW, 0x14 },
  { 180, 0, MUX_LPF_LOW, 0x13 },
  { 250, 0, MUX_LPF_LOW, 0x11 },
  { 280, 0, MUX_LPF_LOW, 0x00 },
  { 310, 0, MUX_BYPASS_MID, 0x00 },
  { 588, 0, MUX_BYPASS_HIGH, 0x00 },
};

/* Gain added by each LNA and mixer code step, tenths of a dB (measured at
 * 928 MHz). Manual gain alternates LNA and mixer steps. */
static const int r82xx_lna_steps[] = {
  0, 9, 13, 40, 38, 13, 31, 22, 26, 31, 26, 14, 19, 5, 35, 13
};
static const int r82xx_mixer_steps[] = {
  0, 5, 10, 10, 19, 9, 10, 25, 17, 10, 8, 16, 13, 6, 3, -8
};
#define R82XX_N_GAINS (2 * (G_N_ELEMENTS (r82xx_lna_steps) - 1))

/* IF low-pass corners of the narrow filter settings, widest first, and the
 * two high-pass corners that can widen the passband. */
static const guint32 r82xx_lpf_hz[] = {
  1700000, 1600000, 1550000, 1450000, 1200000, 900000, 700000, 550000, 450000, 350000
};
#define FILTER_HP1_HZ        350000u
#define FILTER_HP2_HZ        380000u
#define FILTER_NARROW_IF_HZ  2300000u
#define IF_7_8MHZ_HZ         4570000u
#define BW_7MHZ_ABOVE_HZ     6000000u
#define BW_8MHZ_ABOVE_HZ     7000000u

typedef struct {
  FerTuner base;
  FerR82xxChip chip;
  guint8 regs[R82XX_N_REGS];   /* shadow of what the chip holds */
  guint8 filter_cal_code;
  gboolean has_lock;
  gboolean initialised;
  int gains[R82XX_N_GAINS + 1];
  guint n_gains;
  BlogV4Input v4_input;        /* the Blog V4's input in use */
} FerR82xx;

static guint8
bit_reverse (guint8 byte)
{
  static const guint8 nibble[16] = {
    0x0, 0x8, 0x4, 0xc, 0x2, 0xa, 0x6, 0xe, 0x1, 0x9, 0x5, 0xd, 0x3, 0xb, 0x7, 0xf
  };
  return (guint8) (nibble[byte & 0x0f] << 4 | nibble[byte >> 4]);
}

/* Writes @n registers from @reg unless the shadow says they already hold it. */
static gboolean
r82xx_write (FerR82xx *self, guint8 reg, const guint8 *values, guint n, gboolean force,
             GError **error)
{
  g_assert (reg >= R82XX_FIRST_WRITABLE && reg + n <= R82XX_N_REGS);

  if (!force && memcmp (&self->regs[reg], values, n) == 0)
    return TRUE;
  if (!self->base.i2c.write_regs (self->base.i2c.user_data, self->base.i2c_addr, reg,
                                  values, n, error))
    return FALSE;
  memcpy (&self->regs[reg], values, n);
  return TRUE;
}

static gboolean
r82xx_write_reg (FerR82xx *self, guint8 reg, guint8 value, GError **error)
{
  return r82xx_write (self, reg, &value, 1, FALSE, error);
}

static gboolean
r82xx_write_mask (FerR82xx *self, guint8 reg, guint8 value, guint8 mask, GError **error)
{
  guint8 merged = (guint8) ((self->regs[reg] & ~mask) | (value & mask));
  return r82xx_write (self, reg, &merged, 1, FALSE, error);
}

/* Reads the first @n registers (the chip always answers from 0). */
static gboolean
r82xx_read_status (FerR82xx *self, guint8 *values, guint n, GError **error)
{
  if (!self->base.i2c.read_regs (self->base.i2c.user_data, self->base.i2c_addr, 0,
                                 values, n, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    values[i] = bit_reverse (values[i]);
  return TRUE;
}

static const R82xxBand *
r82xx_band_for (guint32 lo_hz)
{
  guint lo_mhz = lo_hz / 1000000u;
  guint i = 0;
  while (i + 1 < G_N_ELEMENTS (r82xx_bands) && lo_mhz >= r82xx_bands[i + 1].lo_from_mhz)
    i++;
  return &r82xx_bands[i];
}

/* Front end (RF mux, tracking filter) for the band @lo_hz is in. */
static gboolean
r82xx_set_mux (FerR82xx *self, guint32 lo_hz, GError **error)
{
  const R82xxBand *band = r82xx_band_for (lo_hz);

  return r82xx_write_mask (self, R82XX_REG_DIV_BUF, band->open_drain, DIV_BUF_OPEN_DRAIN, error)
    && r82xx_write_mask (self, R82XX_REG_RF_MUX, band->rf_mux_poly, RF_MUX_POLY_MASK, error)
    && r82xx_write_reg (self, R82XX_REG_TRACK_FILTER, band->track_filter, error)
    /* The crystal check that would pick a load capacitor is not run: boards
     * work with none and high drive. */
    && r82xx_write_mask (self, R82XX_REG_PLL_DIV, PLL_XTAL_HIGH_DRIVE_0PF,
                         PLL_XTAL_DRIVE_CAP_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_IMR_PHASE, 0, IMR_ADJUST_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_IMR_GAIN, 0, IMR_ADJUST_MASK, error);
}

static gboolean
r82xx_set_pll (FerR82xx *self, guint32 lo_hz, GError **error)
{
  guint32 ref_hz = self->base.ref_hz;
  /* The VCO's band, read back as its fine-tune code, shifts which divider
   * setting gives the wanted division: the reference code differs per chip. */
  guint vco_fine_ref = self->chip == FER_R82XX_R820T ? 2 : 1;
  guint8 pll[7];
  guint8 status[R82XX_N_STATUS];

  if (!r82xx_write_mask (self, R82XX_REG_RF_MUX, RF_MUX_AUTOTUNE_128KHZ,
                         RF_MUX_AUTOTUNE_MASK, error))
    return FALSE;

  memcpy (pll, &self->regs[R82XX_REG_PLL_DIV], sizeof pll);
  pll[0] &= (guint8) ~PLL_REFDIV2;
  pll[R82XX_REG_VCO_CURRENT - R82XX_REG_PLL_DIV] =
    (guint8) ((pll[R82XX_REG_VCO_CURRENT - R82XX_REG_PLL_DIV] & ~VCO_CURRENT_MASK)
              | VCO_CURRENT_100);

  /* Smallest divider that lifts the VCO to its minimum. The lowest LO of the
   * range (24 MHz + IF) needs 64 and runs the VCO a hair under 1.77 GHz, which
   * the chip tolerates. */
  guint mix_div = MIX_DIV_MIN;
  int div_num = 0;
  while (mix_div < MIX_DIV_MAX && (guint64) lo_hz * mix_div < VCO_MIN_HZ)
    {
      mix_div *= 2;
      div_num++;
    }

  if (!r82xx_read_status (self, status, R82XX_N_STATUS, error))
    return FALSE;
  guint vco_fine = (status[R82XX_REG_STATUS_VCO] & STATUS_VCO_FINE_MASK) >> STATUS_VCO_FINE_SHIFT;
  if (vco_fine > vco_fine_ref && div_num > 0)
    div_num--;
  else if (vco_fine < vco_fine_ref && div_num < 7)
    div_num++;
  pll[0] = (guint8) ((pll[0] & ~PLL_DIV_NUM_MASK) | (div_num << PLL_DIV_NUM_SHIFT));

  /* LO = 2 ref (nint + sdm / 65536) / mix_div, rounded to the nearest step. */
  guint64 vco_hz = (guint64) lo_hz * mix_div;
  guint64 vco_div = (ref_hz + (guint64) SDM_ONE * vco_hz) / (2ull * ref_hz);
  guint nint = (guint) (vco_div / SDM_ONE);
  guint sdm = (guint) (vco_div % SDM_ONE);
  guint nint_max = 128 / vco_fine_ref - 1;
  if (nint < NINT_OFFSET || nint > nint_max)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "The %s cannot make a %.3f MHz LO from a %.3f MHz crystal",
                   self->base.name, lo_hz / 1e6, ref_hz / 1e6);
      return FALSE;
    }
  guint ni = (nint - NINT_OFFSET) / 4;
  guint si = nint - 4 * ni - NINT_OFFSET;
  pll[R82XX_REG_PLL_NI_SI - R82XX_REG_PLL_DIV] = (guint8) (ni | si << 6);
  guint8 *vco = &pll[R82XX_REG_VCO_CURRENT - R82XX_REG_PLL_DIV];
  *vco = (guint8) ((*vco & ~VCO_SDM_POWER_DOWN) | (sdm == 0 ? VCO_SDM_POWER_DOWN : 0));
  pll[R82XX_REG_SDM_LOW - R82XX_REG_PLL_DIV] = (guint8) (sdm & 0xff);
  pll[R82XX_REG_SDM_HIGH - R82XX_REG_PLL_DIV] = (guint8) (sdm >> 8);

  if (!r82xx_write (self, R82XX_REG_PLL_DIV, pll, sizeof pll, FALSE, error))
    return FALSE;

  gboolean locked = FALSE;
  for (int i = 0; i < LOCK_TRIES && !locked; i++)
    {
      if (!r82xx_read_status (self, status, 3, error))
        return FALSE;
      locked = (status[R82XX_REG_STATUS_PLL] & STATUS_PLL_LOCKED) != 0;
      if (!locked && i == 0
          && !r82xx_write_mask (self, R82XX_REG_VCO_CURRENT, VCO_CURRENT_RAISED,
                                VCO_CURRENT_MASK, error))
        return FALSE;
    }

  self->has_lock = locked;
  if (!locked)
    {
      /* Streaming still works; the signal may be off frequency or missing. */
      g_warning ("%s PLL did not lock at LO %.6f MHz", self->base.name, lo_hz / 1e6);
      return TRUE;
    }
  return r82xx_write_mask (self, R82XX_REG_RF_MUX, RF_MUX_AUTOTUNE_8KHZ,
                           RF_MUX_AUTOTUNE_8KHZ, error);
}

/* Calibrates the IF filter with the PLL at a fixed frequency and sets up the
 * default 6 MHz filter at the 3.57 MHz IF. */
static gboolean
r82xx_setup_if (FerR82xx *self, GError **error)
{
  guint8 status[R82XX_N_STATUS];

  if (!r82xx_write_mask (self, R82XX_REG_VGA, 0, VGA_INIT_MASK, error)
      || !r82xx_write_mask (self, R82XX_REG_VERSION, VERSION_NUMBER, VERSION_MASK, error)
      || !r82xx_write_mask (self, R82XX_REG_LNA_TOP, LNA_TOP_LOWEST, LNA_TOP_MASK, error))
    return FALSE;

  self->base.if_hz = R82XX_IF_HZ;
  self->filter_cal_code = 0;
  for (int i = 0; i < FILTER_CAL_TRIES; i++)
    {
      if (!r82xx_write_mask (self, R82XX_REG_FILTER_BW, FILTER_BW_6MHZ,
                             FILTER_BW_HP_CORNER_MASK, error)
          || !r82xx_write_mask (self, R82XX_REG_CAL_CLOCK, CAL_CLOCK_ON, CAL_CLOCK_ON, error)
          || !r82xx_write_mask (self, R82XX_REG_PLL_DIV, 0, PLL_XTAL_CAP_MASK, error)
          || !r82xx_set_pll (self, FILTER_CAL_LO_HZ, error))
        return FALSE;
      if (!self->has_lock)
        break;  /* calibrating without a clock is pointless; keep the default */
      if (!r82xx_write_mask (self, R82XX_REG_FILTER_BW, FILTER_BW_TRIGGER,
                             FILTER_BW_TRIGGER, error)
          || !r82xx_write_mask (self, R82XX_REG_FILTER_BW, 0, FILTER_BW_TRIGGER, error)
          || !r82xx_write_mask (self, R82XX_REG_CAL_CLOCK, 0, CAL_CLOCK_ON, error)
          || !r82xx_read_status (self, status, R82XX_N_STATUS, error))
        return FALSE;
      self->filter_cal_code = status[R82XX_REG_STATUS_VCO] & STATUS_FILTER_CAL_MASK;
      if (self->filter_cal_code != 0 && self->filter_cal_code != STATUS_FILTER_CAL_MASK)
        break;
    }
  /* All ones means the calibration ran off the end: use the narrowest code. */
  if (self->filter_cal_code == STATUS_FILTER_CAL_MASK)
    self->filter_cal_code = 0;

  return r82xx_write_mask (self, R82XX_REG_FILTER_CAL,
                           FILTER_Q_LOW | self->filter_cal_code, FILTER_CAL_WIDE_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_FILTER_BW, FILTER_BW_6MHZ, FILTER_BW_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_MIXER, 0, MIXER_IMAGE_REJECT_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_FILTER_INPUT, FILTER_3DB_ON, FILTER_3DB_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_FILTER_EXT, FILTER_EXT_ON, FILTER_EXT_MASK, error)
    /* loop-through output on, without attenuation */
    && r82xx_write_mask (self, R82XX_REG_LNA, 0, LNA_LOOP_THROUGH_OFF, error)
    && r82xx_write_mask (self, R82XX_REG_LOOP_THROUGH_ATT, 0, LOOP_THROUGH_ATT_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_CAL_CLOCK, 0, CAL_FILTER_EXT_WIDEST, error)
    && r82xx_write_mask (self, R82XX_REG_POLY_FILTER, POLY_FILTER_CURRENT_MIN,
                         POLY_FILTER_CURRENT_MASK, error);
}

/* Detector thresholds, currents and the AGC loop for digital reception. */
static gboolean
r82xx_setup_agc (FerR82xx *self, GError **error)
{
  return r82xx_write_mask (self, R82XX_REG_LNA_TOP, LNA_TOP_DVBT, LNA_TOP_DETECT_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_MIXER_TOP, MIXER_TOP_DVBT, MIXER_TOP_MASK, error)
    && r82xx_write_reg (self, R82XX_REG_LNA_VTH, LNA_VTH_DVBT, error)
    && r82xx_write_reg (self, R82XX_REG_MIXER_VTH, MIXER_VTH_DVBT, error)
    && r82xx_write_mask (self, R82XX_REG_LNA, LNA_INPUT_AIR, LNA_INPUT_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_FILTER_INPUT, 0, FILTER_CABLE2_IN, error)
    && r82xx_write_mask (self, R82XX_REG_CHARGE_PUMP, CHARGE_PUMP_AUTO, CHARGE_PUMP_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_DIV_BUF, DIV_BUF_CURRENT_150UA,
                         DIV_BUF_CURRENT_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_FILTER_CAL, FILTER_CURRENT_LOW,
                         FILTER_CURRENT_MASK, error)
    /* The LNA top goes lowest with a fast AGC clock, then to its working
     * value with the slow clock: this discharges the detector. */
    && r82xx_write_mask (self, R82XX_REG_LNA_TOP, LNA_TOP_LOWEST, LNA_TOP_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_MIXER_TOP, 0, MIXER_TOP_DISCHARGE_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_FILTER_INPUT, 0, FILTER_PRE_DETECT, error)
    && r82xx_write_mask (self, R82XX_REG_RF_MUX, RF_MUX_AGC_CLOCK_250HZ,
                         RF_MUX_AGC_CLOCK_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_LNA_TOP, LNA_TOP_3, LNA_TOP_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_MIXER_TOP, MIXER_TOP_DVBT,
                         MIXER_TOP_DISCHARGE_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_FILTER_EXT, LNA_DISCHARGE_DVBT,
                         LNA_DISCHARGE_MASK, error)
    && r82xx_write_mask (self, R82XX_REG_RF_MUX, RF_MUX_AGC_CLOCK_60HZ,
                         RF_MUX_AGC_CLOCK_MASK, error);
}

static gboolean
r82xx_init (FerTuner *tuner, GError **error)
{
  FerR82xx *self = (FerR82xx *) tuner;

  memset (self->regs, 0, sizeof self->regs);
  if (!r82xx_write (self, R82XX_FIRST_WRITABLE, r82xx_init_regs,
                    G_N_ELEMENTS (r82xx_init_regs), TRUE, error)
      || !r82xx_setup_if (self, error)
      || !r82xx_setup_agc (self, error))
    return FALSE;
  /* The power-on values leave LNA and mixer under AGC. */
  tuner->agc = TRUE;
  self->v4_input = BLOG_V4_INPUT_NONE;
  self->initialised = TRUE;
  return TRUE;
}

/* The Blog V4 after a tune to @freq_hz: the notch filters, and the input
 * for the band (switched only when the band changes). */
static gboolean
blog_v4_set_front_end (FerR82xx *self, guint32 freq_hz, GError **error)
{
  gboolean notch = TRUE;
  BlogV4Input input;

  for (guint i = 0; i < G_N_ELEMENTS (blog_v4_notch_off_bands); i++)
    {
      const BlogV4NotchBand *band = &blog_v4_notch_off_bands[i];
      if (freq_hz >= band->from_hz && freq_hz <= band->to_hz)
        notch = FALSE;
    }
  if (!r82xx_write_mask (self, R82XX_REG_DIV_BUF, notch ? DIV_BUF_OPEN_DRAIN : 0,
                         DIV_BUF_OPEN_DRAIN, error))
    return FALSE;

  input = freq_hz <= BLOG_V4_UPCONVERT_HZ ? BLOG_V4_INPUT_HF
          : freq_hz < BLOG_V4_VHF_BELOW_HZ ? BLOG_V4_INPUT_VHF : BLOG_V4_INPUT_UHF;
  if (input == self->v4_input)
    return TRUE;
  if (!r82xx_write_mask (self, R82XX_REG_FILTER_INPUT,
                         input == BLOG_V4_INPUT_HF ? FILTER_CABLE2_ON : 0, FILTER_CABLE2_ON, error)
      || !fer_tuner_set_gpio (&self->base, BLOG_V4_GPIO_UPCONVERTER, input != BLOG_V4_INPUT_HF,
                              error)
      || !r82xx_write_mask (self, R82XX_REG_LNA, input == BLOG_V4_INPUT_VHF ? LNA_CABLE1_ON : 0,
                            LNA_CABLE1_ON, error)
      || !r82xx_write_mask (self, R82XX_REG_LNA, input == BLOG_V4_INPUT_UHF ? 0 : LNA_AIR_IN_OFF,
                            LNA_AIR_IN_OFF, error))
    return FALSE;
  self->v4_input = input;
  return TRUE;
}

static gboolean
r82xx_set_freq (FerTuner *tuner, guint32 freq_hz, GError **error)
{
  FerR82xx *self = (FerR82xx *) tuner;

  if (freq_hz < tuner->min_freq_hz || freq_hz > tuner->max_freq_hz)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "%.3f MHz is outside the %s tuner's range (%g to %g MHz)",
                   freq_hz / 1e6, tuner->name, tuner->min_freq_hz / 1e6,
                   tuner->max_freq_hz / 1e6);
      return FALSE;
    }
  /* The Blog V4 hears HF 28.8 MHz up, through its upconverter. */
  guint32 rf_hz = freq_hz;
  if (self->chip == FER_R82XX_BLOG_V4 && freq_hz < BLOG_V4_UPCONVERT_HZ)
    rf_hz += BLOG_V4_UPCONVERT_HZ;
  guint32 lo_hz = rf_hz + tuner->if_hz;  /* high-side LO */
  if (!r82xx_set_mux (self, lo_hz, error) || !r82xx_set_pll (self, lo_hz, error))
    return FALSE;
  if (self->chip == FER_R82XX_BLOG_V4)
    return blog_v4_set_front_end (self, freq_hz, error);
  if (self->chip == FER_R82XX_R828D)
    return r82xx_write_mask (self, R82XX_REG_LNA,
                             freq_hz > R828D_AIR_IN_ABOVE_HZ ? LNA_INPUT_AIR : LNA_INPUT_CABLE1,
                             LNA_INPUT_MASK, error);
  return TRUE;
}

static gboolean
r82xx_set_bandwidth (FerTuner *tuner, guint32 bandwidth_hz, GError **error)
{
  FerR82xx *self = (FerR82xx *) tuner;
  guint8 filter_q, filter_bw;
  guint32 if_hz;

  if (bandwidth_hz == 0)
    {
      filter_q = FILTER_Q_LOW;
      filter_bw = FILTER_BW_6MHZ;
      if_hz = R82XX_IF_HZ;
    }
  else if (bandwidth_hz > BW_8MHZ_ABOVE_HZ)
    {
      filter_q = FILTER_Q_LOW;
      filter_bw = FILTER_BW_8MHZ;
      if_hz = IF_7_8MHZ_HZ;
    }
  else if (bandwidth_hz > BW_7MHZ_ABOVE_HZ)
    {
      filter_q = FILTER_Q_LOW;
      filter_bw = FILTER_BW_7MHZ;
      if_hz = IF_7_8MHZ_HZ;
    }
  else if (bandwidth_hz > r82xx_lpf_hz[0] + FILTER_HP1_HZ + FILTER_HP2_HZ)
    {
      filter_q = FILTER_Q_LOW;
      filter_bw = FILTER_BW_6MHZ;
      if_hz = R82XX_IF_HZ;
    }
  else
    {
      /* A band-pass from a low-pass corner and up to two high-pass corners;
       * the IF sits in its middle. */
      guint32 left_hz = bandwidth_hz;
      guint32 real_bw_hz = 0;
      filter_q = 0;
      filter_bw = FILTER_BW_NARROW;
      if_hz = FILTER_NARROW_IF_HZ;
      if (left_hz > r82xx_lpf_hz[0] + FILTER_HP1_HZ)
        {
          left_hz -= FILTER_HP2_HZ;
          if_hz += FILTER_HP2_HZ;
          real_bw_hz += FILTER_HP2_HZ;
        }
      else
        filter_bw |= FILTER_BW_HP2_OFF;
      if (left_hz > r82xx_lpf_hz[0])
        {
          left_hz -= FILTER_HP1_HZ;
          if_hz += FILTER_HP1_HZ;
          real_bw_hz += FILTER_HP1_HZ;
        }
      else
        filter_bw |= FILTER_BW_HP1_OFF;
      /* the narrowest low-pass corner that still covers what is left */
      guint i = 0;
      while (i + 1 < G_N_ELEMENTS (r82xx_lpf_hz) && left_hz <= r82xx_lpf_hz[i + 1])
        i++;
      filter_bw |= (guint8) (FILTER_BW_LPF_MASK - i);
      real_bw_hz += r82xx_lpf_hz[i];
      if_hz -= real_bw_hz / 2;
    }

  if (!r82xx_write_mask (self, R82XX_REG_FILTER_CAL, filter_q, FILTER_Q_LOW, error)
      || !r82xx_write_mask (self, R82XX_REG_FILTER_BW, filter_bw, FILTER_BW_MASK, error))
    return FALSE;
  tuner->if_hz = if_hz;
  return TRUE;
}

static gboolean
r82xx_set_gain (FerTuner *tuner, int gain_tenth_db, GError **error)
{
  FerR82xx *self = (FerR82xx *) tuner;
  int wanted = fer_tuner_nearest_gain (tuner, gain_tenth_db);
  int total = 0;
  guint lna = 0, mixer = 0;

  /* Alternate LNA and mixer steps until the total reaches the wanted gain. */
  while (total < wanted && lna + 1 < G_N_ELEMENTS (r82xx_lna_steps))
    {
      total += r82xx_lna_steps[++lna];
      if (total >= wanted)
        break;
      total += r82xx_mixer_steps[++mixer];
    }

  if (!r82xx_write_mask (self, R82XX_REG_LNA, LNA_GAIN_MANUAL, LNA_GAIN_MANUAL, error)
      || !r82xx_write_mask (self, R82XX_REG_MIXER, 0, MIXER_GAIN_AUTO, error)
      || !r82xx_write_mask (self, R82XX_REG_VGA, VGA_MANUAL_16_3DB, VGA_MASK, error)
      || !r82xx_write_mask (self, R82XX_REG_LNA, (guint8) lna, LNA_GAIN_MASK, error)
      || !r82xx_write_mask (self, R82XX_REG_MIXER, (guint8) mixer, MIXER_GAIN_MASK, error))
    return FALSE;
  tuner->agc = FALSE;
  tuner->gain_tenth_db = total;
  return TRUE;
}

static gboolean
r82xx_set_agc (FerTuner *tuner, gboolean on, GError **error)
{
  FerR82xx *self = (FerR82xx *) tuner;

  if (!on)
    return r82xx_set_gain (tuner, tuner->gain_tenth_db, error);
  if (!r82xx_write_mask (self, R82XX_REG_LNA, 0, LNA_GAIN_MANUAL, error)
      || !r82xx_write_mask (self, R82XX_REG_MIXER, MIXER_GAIN_AUTO, MIXER_GAIN_AUTO, error)
      || !r82xx_write_mask (self, R82XX_REG_VGA, VGA_AUTO_26_5DB, VGA_MASK, error))
    return FALSE;
  tuner->agc = TRUE;
  return TRUE;
}

static const int *
r82xx_get_gains (FerTuner *tuner, guint *n_gains)
{
  FerR82xx *self = (FerR82xx *) tuner;
  *n_gains = self->n_gains;
  return self->gains;
}

static gboolean
r82xx_standby (FerTuner *tuner, GError **error)
{
  FerR82xx *self = (FerR82xx *) tuner;
  static const struct { guint8 reg, value; } standby_regs[] = {
    { R82XX_REG_FILTER_INPUT, 0xb1 },
    { R82XX_REG_LNA, 0xa0 },
    { R82XX_REG_MIXER, 0x3a },
    { R82XX_REG_IMR_PHASE, 0x40 },
    { R82XX_REG_IMR_GAIN, 0xc0 },
    { R82XX_REG_FILTER_CAL, 0x36 },
    { R82XX_REG_VGA, 0x35 },
    { R82XX_REG_CAL_CLOCK, 0x68 },
    { R82XX_REG_CHARGE_PUMP, 0x03 },
    { R82XX_REG_DIV_BUF, 0xf4 },
    { R82XX_REG_POLY_FILTER, 0x0c },
  };

  if (!self->initialised)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (standby_regs); i++)
    if (!r82xx_write_reg (self, standby_regs[i].reg, standby_regs[i].value, error))
      return FALSE;
  self->initialised = FALSE;
  return TRUE;
}

static void
r82xx_free (FerTuner *tuner)
{
  g_free (tuner);
}

static const FerTunerOps r82xx_ops = {
  .init = r82xx_init,
  .set_freq = r82xx_set_freq,
  .set_bandwidth = r82xx_set_bandwidth,
  .set_gain = r82xx_set_gain,
  .set_agc = r82xx_set_agc,
  .get_gains = r82xx_get_gains,
  .standby = r82xx_standby,
  .free = r82xx_free,
};

FerTuner *
fer_r82xx_new (FerR82xxChip chip, const FerTunerI2c *i2c, guint32 xtal_hz)
{
  FerR82xx *self = g_new0 (FerR82xx, 1);
  FerTuner *tuner = &self->base;

  tuner->ops = &r82xx_ops;
  tuner->name = chip == FER_R82XX_R820T ? "Rafael Micro R820T"
                : chip == FER_R82XX_R828D ? "Rafael Micro R828D"
                : "Rafael Micro R828D (RTL-SDR Blog V4)";
  tuner->i2c = *i2c;
  tuner->i2c_addr = chip == FER_R82XX_R820T ? R820T_I2C_ADDR : R828D_I2C_ADDR;
  tuner->xtal_hz = xtal_hz;
  tuner->ref_hz = xtal_hz;
  tuner->if_hz = R82XX_IF_HZ;
  tuner->spectrum_inverted = TRUE;
  tuner->min_freq_hz = chip == FER_R82XX_BLOG_V4 ? BLOG_V4_MIN_FREQ_HZ : R82XX_MIN_FREQ_HZ;
  tuner->max_freq_hz = R82XX_MAX_FREQ_HZ;
  tuner->agc = TRUE;
  self->chip = chip;

  /* Every total the alternating LNA/mixer steps reach. */
  int total = 0;
  self->gains[self->n_gains++] = 0;
  for (guint i = 1; i < G_N_ELEMENTS (r82xx_lna_steps); i++)
    {
      total += r82xx_lna_steps[i];
      self->gains[self->n_gains++] = total;
      if (i + 1 < G_N_ELEMENTS (r82xx_lna_steps))
        {
          total += r82xx_mixer_steps[i];
          self->gains[self->n_gains++] = total;
        }
    }
  return tuner;
}

gboolean
fer_r82xx_has_lock (FerTuner *tuner)
{
  return ((FerR82xx *) tuner)->has_lock;
}
