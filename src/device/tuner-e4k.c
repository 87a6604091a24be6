#define G_LOG_DOMAIN "fer-e4k"

#include "tuner-e4k.h"

#include <stdlib.h>

enum {
  E4K_REG_MASTER1     = 0x00,
  E4K_REG_CLK_INP     = 0x05,
  E4K_REG_REF_CLK     = 0x06,
  E4K_REG_SYNTH1      = 0x07,   /* bit 0 PLL lock (read-only), bits 2:1 band */
  E4K_REG_SYNTH3      = 0x09,   /* Z, the integer part */
  E4K_REG_SYNTH4      = 0x0a,   /* X, the fraction over 65536: low byte */
  E4K_REG_SYNTH5      = 0x0b,   /* X high byte */
  E4K_REG_SYNTH7      = 0x0d,   /* bit 3 three-phase mixing, bits 2:0 divider code */
  E4K_REG_FILT1       = 0x10,   /* bits 3:0 RF filter */
  E4K_REG_FILT2       = 0x11,   /* bits 7:4 mixer filter, 3:0 IF RC filter */
  E4K_REG_FILT3       = 0x12,   /* bits 4:0 channel filter, bit 5 channel filter off */
  E4K_REG_GAIN1       = 0x14,   /* bits 3:0 LNA gain code */
  E4K_REG_GAIN2       = 0x15,   /* bit 0 mixer gain: 0 = 4 dB, 1 = 12 dB */
  E4K_REG_GAIN3       = 0x16,   /* IF stages 1-4 */
  E4K_REG_GAIN4       = 0x17,   /* IF stages 5-6 */
  E4K_REG_AGC1        = 0x1a,   /* bits 3:0 gain control mode */
  E4K_REG_AGC4        = 0x1d,
  E4K_REG_AGC5        = 0x1e,
  E4K_REG_AGC6        = 0x1f,
  E4K_REG_AGC7        = 0x20,   /* bit 0 mixer gain under AGC */
  E4K_REG_AGC11       = 0x24,   /* bits 2:0 LNA gain enhancement */
  E4K_REG_DC5         = 0x2d,
  E4K_REG_DCTIME1     = 0x70,
  E4K_REG_DCTIME2     = 0x71,
  E4K_REG_BIAS        = 0x78,
  E4K_REG_CLKOUT_PWDN = 0x7a,
};

#define MASTER1_RESET        0x01
#define MASTER1_NORMAL       0x02   /* clear: standby */
#define MASTER1_POR_DETECT   0x04
#define SYNTH1_PLL_LOCK      0x01
#define SYNTH1_BAND_MASK     0x06
#define SYNTH1_BAND_SHIFT    1
#define FILT1_RF_MASK        0x0f
#define FILT3_CHANNEL_OFF    0x20
#define GAIN1_LNA_MASK       0x0f
#define GAIN2_MIXER_12DB     0x01
#define AGC1_MODE_MASK       0x0f
#define AGC1_MODE_SERIAL     0x00   /* LNA and IF set over I2C */
#define AGC1_MODE_LNA_AUTO   0x09   /* IF over I2C, LNA by the tuner's AGC */
#define AGC7_MIXER_AUTO      0x01
#define AGC11_LNA_ENHANCE_MASK 0x07
#define DC_LUT_AND_TIMEVAR_MASK 0x03
#define CLOCK_INPUT_XTAL     0x00
#define REF_CLOCK_OUT_OFF    0x00
#define CLKOUT_DISABLE       0x96
#define AGC4_HIGH_THRESHOLD  0x10
#define AGC5_LOW_THRESHOLD   0x04
#define AGC6_LNA_CAL_LOOP    0x1a
#define BIAS_VHF_UHF         0x03
#define BIAS_L_BAND          0x00

#define PLL_FRACTION         65536u
#define MIN_REF_HZ           16000000u
#define MAX_REF_HZ           30000000u
#define THREE_PHASE          0x08

/* Undocumented registers the chip needs set as its vendor does. */
static const struct { guint8 reg, value; } e4k_magic_regs[] = {
  { 0x7e, 0x01 }, { 0x7f, 0xfe }, { 0x82, 0x00 }, { 0x86, 0x50 },
  { 0x87, 0x20 }, { 0x88, 0x01 }, { 0x9f, 0x7f }, { 0xa0, 0x07 },
};

/* LO divider per range: below lo_below_hz the VCO runs at LO x divider. From
 * 1200 MHz up the divider is 2 (code 0, two-phase). */
typedef struct {
  guint32 lo_below_hz;
  guint8 synth7;       /* three-phase bit | divider code */
  guint8 divider;
} E4kPllBand;

static const E4kPllBand e4k_pll_bands[] = {
  {   72400000, THREE_PHASE | 7, 48 },
  {   81200000, THREE_PHASE | 6, 40 },
  {  108300000, THREE_PHASE | 5, 32 },
  {  162500000, THREE_PHASE | 4, 24 },
  {  216600000, THREE_PHASE | 3, 16 },
  {  325000000, THREE_PHASE | 2, 12 },
  {  350000000, THREE_PHASE | 1, 8 },
  {  432000000, 3, 8 },
  {  667000000, 2, 6 },
  { 1200000000, 1, 4 },
};
static const E4kPllBand e4k_pll_top_band = { G_MAXUINT32, 0, 2 };

/* The front end's band (SYNTH1 bits 2:1), by LO. */
typedef enum {
  E4K_BAND_VHF2 = 0,
  E4K_BAND_VHF3 = 1,
  E4K_BAND_UHF  = 2,
  E4K_BAND_L    = 3,
} E4kBand;

#define VHF2_BELOW_HZ  140000000u
#define VHF3_BELOW_HZ  350000000u
#define UHF_BELOW_HZ   1135000000u

/* Centres of the RF band filters (FILT1 code = index); VHF uses code 0. */
static const guint32 e4k_rf_filter_uhf_hz[16] = {
  360000000, 380000000, 405000000, 425000000, 450000000, 475000000, 505000000, 540000000,
  575000000, 615000000, 670000000, 720000000, 760000000, 840000000, 890000000, 970000000,
};
static const guint32 e4k_rf_filter_l_hz[16] = {
  1300000000, 1320000000, 1360000000, 1410000000, 1445000000, 1460000000, 1490000000,
  1530000000, 1560000000, 1590000000, 1640000000, 1660000000, 1680000000, 1700000000,
  1720000000, 1750000000,
};

/* IF filter bandwidths by register code, and where each code lives. */
static const guint32 e4k_mixer_filter_hz[16] = {
  27000000, 27000000, 27000000, 27000000, 27000000, 27000000, 27000000, 27000000,
  4600000, 4200000, 3800000, 3400000, 3300000, 2700000, 2300000, 1900000,
};
static const guint32 e4k_rc_filter_hz[16] = {
  21400000, 21000000, 17600000, 14700000, 12400000, 10600000, 9000000, 7700000,
  6400000, 5300000, 4400000, 3400000, 2600000, 1800000, 1200000, 1000000,
};
static const guint32 e4k_channel_filter_hz[32] = {
  5500000, 5300000, 5000000, 4800000, 4600000, 4400000, 4300000, 4100000,
  3900000, 3800000, 3700000, 3600000, 3400000, 3300000, 3200000, 3100000,
  3000000, 2950000, 2900000, 2800000, 2750000, 2700000, 2600000, 2550000,
  2500000, 2450000, 2400000, 2300000, 2280000, 2240000, 2200000, 2150000,
};

typedef struct {
  guint8 reg, shift, width;
} E4kField;

typedef struct {
  const guint32 *bw_hz;
  guint n;
  E4kField field;
} E4kFilter;

static const E4kFilter e4k_filters[] = {
  { e4k_mixer_filter_hz, G_N_ELEMENTS (e4k_mixer_filter_hz), { E4K_REG_FILT2, 4, 4 } },
  { e4k_rc_filter_hz, G_N_ELEMENTS (e4k_rc_filter_hz), { E4K_REG_FILT2, 0, 4 } },
  { e4k_channel_filter_hz, G_N_ELEMENTS (e4k_channel_filter_hz), { E4K_REG_FILT3, 0, 5 } },
};

/* After init: the narrowest filters (mixer, RC, channel), as the vendor sets. */
static const guint32 e4k_init_filter_hz[G_N_ELEMENTS (e4k_filters)] = {
  1900000, 1000000, 2150000,
};

/* LNA gain by register code, tenths of a dB. */
typedef struct {
  int tenth_db;
  guint8 code;
} E4kLnaGain;

static const E4kLnaGain e4k_lna_gains[] = {
  { -50, 0 }, { -25, 1 }, { 0, 4 }, { 25, 5 }, { 50, 6 }, { 75, 7 }, { 100, 8 },
  { 125, 9 }, { 150, 10 }, { 175, 11 }, { 200, 12 }, { 250, 13 }, { 300, 14 },
};
#define MIXER_LOW_TENTH_DB   40
#define MIXER_HIGH_TENTH_DB  120
#define LNA_MAX_TENTH_DB     300

/* LNA + mixer totals set_gain reaches: the mixer's 12 dB only above 34 dB. */
static const int e4k_gains[] = {
  -10, 15, 40, 65, 90, 115, 140, 165, 190, 215, 240, 290, 340, 420
};

/* IF stages 1-6: the gains each reaches (tenths of a dB, by code) and where
 * its code lives. */
static const int e4k_if_stage1[] = { -30, 60 };
static const int e4k_if_stage23[] = { 0, 30, 60, 90 };
static const int e4k_if_stage4[] = { 0, 10, 20, 20 };
static const int e4k_if_stage56[] = { 30, 60, 90, 120, 150, 150, 150, 150 };

typedef struct {
  const int *tenth_db;
  guint n;
  E4kField field;
} E4kIfStage;

static const E4kIfStage e4k_if_stages[E4K_N_IF_STAGES] = {
  { e4k_if_stage1, G_N_ELEMENTS (e4k_if_stage1), { E4K_REG_GAIN3, 0, 1 } },
  { e4k_if_stage23, G_N_ELEMENTS (e4k_if_stage23), { E4K_REG_GAIN3, 1, 2 } },
  { e4k_if_stage23, G_N_ELEMENTS (e4k_if_stage23), { E4K_REG_GAIN3, 3, 2 } },
  { e4k_if_stage4, G_N_ELEMENTS (e4k_if_stage4), { E4K_REG_GAIN3, 5, 2 } },
  { e4k_if_stage56, G_N_ELEMENTS (e4k_if_stage56), { E4K_REG_GAIN4, 0, 3 } },
  { e4k_if_stage56, G_N_ELEMENTS (e4k_if_stage56), { E4K_REG_GAIN4, 3, 3 } },
};

/* After init: 24 dB over the IF stages, moderate. */
static const int e4k_init_if_gains[E4K_N_IF_STAGES] = { 60, 0, 0, 0, 90, 90 };

/* The synthesizer settings for one LO. */
typedef struct {
  guint8 synth7, z;
  guint16 x;
  guint8 divider;
  guint32 lo_hz;     /* what they make */
} E4kPll;

typedef struct {
  FerTuner base;
  gboolean tuned;      /* pll holds the last good tuning */
  E4kPll pll;
  gboolean initialised;
} FerE4k;

/* --- Register access ---------------------------------------------------- */

static gboolean
e4k_write (FerE4k *self, guint8 reg, guint8 value, GError **error)
{
  return self->base.i2c.write_regs (self->base.i2c.user_data, self->base.i2c_addr, reg,
                                    &value, 1, error);
}

static gboolean
e4k_read (FerE4k *self, guint8 reg, guint8 *value, GError **error)
{
  return self->base.i2c.read_regs (self->base.i2c.user_data, self->base.i2c_addr, reg,
                                   value, 1, error);
}

/* Read-modify-write of the bits in @mask; no write when they already hold it. */
static gboolean
e4k_write_mask (FerE4k *self, guint8 reg, guint8 mask, guint8 value, GError **error)
{
  guint8 old;

  if (!e4k_read (self, reg, &old, error))
    return FALSE;
  if ((old & mask) == (value & mask))
    return TRUE;
  return e4k_write (self, reg, (guint8) ((old & ~mask) | (value & mask)), error);
}

static gboolean
e4k_write_field (FerE4k *self, const E4kField *field, guint code, GError **error)
{
  guint8 mask = (guint8) (((1u << field->width) - 1) << field->shift);
  return e4k_write_mask (self, field->reg, mask, (guint8) (code << field->shift), error);
}

/* The first index whose entry is nearest to @value. */
static guint
nearest_index_u32 (const guint32 *values, guint n, guint32 value)
{
  guint best = 0;
  for (guint i = 1; i < n; i++)
    if (labs ((long) values[i] - (long) value) < labs ((long) values[best] - (long) value))
      best = i;
  return best;
}

static guint
nearest_index_int (const int *values, guint n, int value)
{
  guint best = 0;
  for (guint i = 1; i < n; i++)
    if (ABS (values[i] - value) < ABS (values[best] - value))
      best = i;
  return best;
}

/* --- Frequency ---------------------------------------------------------- */

/* Synthesizer settings for @lo_hz from reference @ref_hz. The fraction is
 * truncated, which keeps the LO at most 220 Hz low (divider >= 2). */
static E4kPll
e4k_compute_pll (guint32 ref_hz, guint32 lo_hz)
{
  const E4kPllBand *band = &e4k_pll_top_band;
  E4kPll pll;

  for (guint i = 0; i < G_N_ELEMENTS (e4k_pll_bands); i++)
    if (lo_hz < e4k_pll_bands[i].lo_below_hz)
      {
        band = &e4k_pll_bands[i];
        break;
      }
  guint64 vco_hz = (guint64) lo_hz * band->divider;
  guint64 z = vco_hz / ref_hz;
  guint64 x = (vco_hz - z * ref_hz) * PLL_FRACTION / ref_hz;
  guint64 real_vco_hz = z * ref_hz + (guint64) ref_hz * x / PLL_FRACTION;

  pll.synth7 = band->synth7;
  pll.divider = band->divider;
  pll.z = (guint8) z;
  pll.x = (guint16) x;
  pll.lo_hz = (guint32) (real_vco_hz / band->divider);
  return pll;
}

static E4kBand
e4k_band_for (guint32 lo_hz)
{
  if (lo_hz < VHF2_BELOW_HZ)
    return E4K_BAND_VHF2;
  if (lo_hz < VHF3_BELOW_HZ)
    return E4K_BAND_VHF3;
  if (lo_hz < UHF_BELOW_HZ)
    return E4K_BAND_UHF;
  return E4K_BAND_L;
}

static guint
e4k_rf_filter_for (E4kBand band, guint32 lo_hz)
{
  if (band == E4K_BAND_UHF)
    return nearest_index_u32 (e4k_rf_filter_uhf_hz, G_N_ELEMENTS (e4k_rf_filter_uhf_hz), lo_hz);
  if (band == E4K_BAND_L)
    return nearest_index_u32 (e4k_rf_filter_l_hz, G_N_ELEMENTS (e4k_rf_filter_l_hz), lo_hz);
  return 0;
}

/* Programs the synthesizer, then the band (bias and SYNTH1) and RF filter. */
static gboolean
e4k_program (FerE4k *self, const E4kPll *pll, GError **error)
{
  E4kBand band = e4k_band_for (pll->lo_hz);

  return e4k_write (self, E4K_REG_SYNTH7, pll->synth7, error)
    && e4k_write (self, E4K_REG_SYNTH3, pll->z, error)
    && e4k_write (self, E4K_REG_SYNTH4, pll->x & 0xff, error)
    && e4k_write (self, E4K_REG_SYNTH5, pll->x >> 8, error)
    && e4k_write (self, E4K_REG_BIAS, band == E4K_BAND_L ? BIAS_L_BAND : BIAS_VHF_UHF, error)
    /* Clearing the band first avoids a gap from 325 to 350 MHz. */
    && e4k_write_mask (self, E4K_REG_SYNTH1, SYNTH1_BAND_MASK, 0, error)
    && e4k_write_mask (self, E4K_REG_SYNTH1, SYNTH1_BAND_MASK,
                       (guint8) (band << SYNTH1_BAND_SHIFT), error)
    && e4k_write_mask (self, E4K_REG_FILT1, FILT1_RF_MASK,
                       (guint8) e4k_rf_filter_for (band, pll->lo_hz), error);
}

static gboolean
e4k_set_freq (FerTuner *tuner, guint32 freq_hz, GError **error)
{
  FerE4k *self = (FerE4k *) tuner;
  guint8 synth1;

  if (freq_hz < tuner->min_freq_hz || freq_hz > tuner->max_freq_hz)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "%.3f MHz is outside the %s tuner's range (%u to %u MHz)",
                   freq_hz / 1e6, tuner->name, tuner->min_freq_hz / 1000000u,
                   tuner->max_freq_hz / 1000000u);
      return FALSE;
    }
  if (tuner->ref_hz < MIN_REF_HZ || tuner->ref_hz > MAX_REF_HZ)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "The %s cannot run from a %.3f MHz reference", tuner->name,
                   tuner->ref_hz / 1e6);
      return FALSE;
    }

  E4kPll pll = e4k_compute_pll (tuner->ref_hz, freq_hz);
  if (!e4k_program (self, &pll, error) || !e4k_read (self, E4K_REG_SYNTH1, &synth1, error))
    return FALSE;
  if (!(synth1 & SYNTH1_PLL_LOCK))
    {
      /* Put the last good tuning back, so the stream stays where it was. */
      if (self->tuned)
        e4k_program (self, &self->pll, NULL);
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "The %s cannot tune to %.3f MHz: its PLL does not lock there "
                   "(most E4000s cannot tune from about 1100 to 1250 MHz)",
                   tuner->name, freq_hz / 1e6);
      return FALSE;
    }
  self->pll = pll;
  self->tuned = TRUE;
  return TRUE;
}

/* --- Filters ------------------------------------------------------------ */

static gboolean
e4k_set_filters (FerE4k *self, const guint32 *bw_hz, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (e4k_filters); i++)
    {
      const E4kFilter *f = &e4k_filters[i];
      if (!e4k_write_field (self, &f->field, nearest_index_u32 (f->bw_hz, f->n, bw_hz[i]), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
e4k_set_bandwidth (FerTuner *tuner, guint32 bandwidth_hz, GError **error)
{
  FerE4k *self = (FerE4k *) tuner;
  guint32 bw_hz[G_N_ELEMENTS (e4k_filters)];

  /* 0: every filter at its widest (code 0). */
  for (guint i = 0; i < G_N_ELEMENTS (e4k_filters); i++)
    bw_hz[i] = bandwidth_hz == 0 ? e4k_filters[i].bw_hz[0] : bandwidth_hz;
  return e4k_set_filters (self, bw_hz, error);
}

/* --- Gain --------------------------------------------------------------- */

static gboolean
e4k_set_manual (FerE4k *self, GError **error)
{
  return e4k_write_mask (self, E4K_REG_AGC1, AGC1_MODE_MASK, AGC1_MODE_SERIAL, error)
    && e4k_write_mask (self, E4K_REG_AGC7, AGC7_MIXER_AUTO, 0, error);
}

static gboolean
e4k_set_gain (FerTuner *tuner, int gain_tenth_db, GError **error)
{
  FerE4k *self = (FerE4k *) tuner;
  int wanted = fer_tuner_nearest_gain (tuner, gain_tenth_db);
  int mixer = wanted > 340 ? MIXER_HIGH_TENTH_DB : MIXER_LOW_TENTH_DB;
  int lna = MIN (LNA_MAX_TENTH_DB, wanted - mixer);
  guint i = 0;

  while (i + 1 < G_N_ELEMENTS (e4k_lna_gains) && e4k_lna_gains[i].tenth_db != lna)
    i++;
  g_assert (e4k_lna_gains[i].tenth_db == lna);  /* every listed gain splits exactly */

  if (!e4k_set_manual (self, error)
      || !e4k_write_mask (self, E4K_REG_GAIN1, GAIN1_LNA_MASK, e4k_lna_gains[i].code, error)
      || !e4k_write_mask (self, E4K_REG_GAIN2, GAIN2_MIXER_12DB,
                          mixer == MIXER_HIGH_TENTH_DB ? GAIN2_MIXER_12DB : 0, error))
    return FALSE;
  tuner->agc = FALSE;
  tuner->gain_tenth_db = lna + mixer;
  return TRUE;
}

static gboolean
e4k_set_agc (FerTuner *tuner, gboolean on, GError **error)
{
  FerE4k *self = (FerE4k *) tuner;

  if (!on)
    return e4k_set_gain (tuner, tuner->gain_tenth_db, error);
  if (!e4k_write_mask (self, E4K_REG_AGC1, AGC1_MODE_MASK, AGC1_MODE_LNA_AUTO, error)
      || !e4k_write_mask (self, E4K_REG_AGC7, AGC7_MIXER_AUTO, AGC7_MIXER_AUTO, error)
      || !e4k_write_mask (self, E4K_REG_AGC11, AGC11_LNA_ENHANCE_MASK, 0, error))
    return FALSE;
  tuner->agc = TRUE;
  return TRUE;
}

static gboolean
e4k_set_if_gain (FerTuner *tuner, guint stage, int gain_tenth_db, GError **error)
{
  FerE4k *self = (FerE4k *) tuner;

  if (stage < 1 || stage > E4K_N_IF_STAGES)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "The %s has IF gain stages 1 to %d, not %u", tuner->name,
                   E4K_N_IF_STAGES, stage);
      return FALSE;
    }
  const E4kIfStage *s = &e4k_if_stages[stage - 1];
  return e4k_write_field (self, &s->field, nearest_index_int (s->tenth_db, s->n, gain_tenth_db),
                          error);
}

static const int *
e4k_get_gains (FerTuner *tuner, guint *n_gains)
{
  *n_gains = G_N_ELEMENTS (e4k_gains);
  return e4k_gains;
}

/* --- Power -------------------------------------------------------------- */

static gboolean
e4k_init (FerTuner *tuner, GError **error)
{
  FerE4k *self = (FerE4k *) tuner;
  guint8 ignored;

  /* The first transfer after power-up is not acknowledged: a dummy read. */
  e4k_read (self, E4K_REG_MASTER1, &ignored, NULL);

  if (!e4k_write (self, E4K_REG_MASTER1, MASTER1_RESET | MASTER1_NORMAL | MASTER1_POR_DETECT,
                  error)
      || !e4k_write (self, E4K_REG_CLK_INP, CLOCK_INPUT_XTAL, error)
      || !e4k_write (self, E4K_REG_REF_CLK, REF_CLOCK_OUT_OFF, error)
      || !e4k_write (self, E4K_REG_CLKOUT_PWDN, CLKOUT_DISABLE, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (e4k_magic_regs); i++)
    if (!e4k_write (self, e4k_magic_regs[i].reg, e4k_magic_regs[i].value, error))
      return FALSE;
  if (!e4k_write (self, E4K_REG_AGC4, AGC4_HIGH_THRESHOLD, error)
      || !e4k_write (self, E4K_REG_AGC5, AGC5_LOW_THRESHOLD, error)
      || !e4k_write (self, E4K_REG_AGC6, AGC6_LNA_CAL_LOOP, error)
      || !e4k_set_manual (self, error)
      || !e4k_set_agc (tuner, TRUE, error))
    return FALSE;
  for (guint i = 0; i < E4K_N_IF_STAGES; i++)
    if (!e4k_set_if_gain (tuner, i + 1, e4k_init_if_gains[i], error))
      return FALSE;
  if (!e4k_set_filters (self, e4k_init_filter_hz, error)
      || !e4k_write_mask (self, E4K_REG_FILT3, FILT3_CHANNEL_OFF, 0, error)
      /* no DC offset look-up table, no time-variant DC correction */
      || !e4k_write_mask (self, E4K_REG_DC5, DC_LUT_AND_TIMEVAR_MASK, 0, error)
      || !e4k_write_mask (self, E4K_REG_DCTIME1, DC_LUT_AND_TIMEVAR_MASK, 0, error)
      || !e4k_write_mask (self, E4K_REG_DCTIME2, DC_LUT_AND_TIMEVAR_MASK, 0, error))
    return FALSE;
  self->tuned = FALSE;
  self->initialised = TRUE;
  return TRUE;
}

static gboolean
e4k_standby (FerTuner *tuner, GError **error)
{
  FerE4k *self = (FerE4k *) tuner;

  if (!self->initialised)
    return TRUE;
  if (!e4k_write_mask (self, E4K_REG_MASTER1, MASTER1_NORMAL, 0, error))
    return FALSE;
  self->initialised = FALSE;
  return TRUE;
}

static void
e4k_free (FerTuner *tuner)
{
  g_free (tuner);
}

static const FerTunerOps e4k_ops = {
  .init = e4k_init,
  .set_freq = e4k_set_freq,
  .set_bandwidth = e4k_set_bandwidth,
  .set_gain = e4k_set_gain,
  .set_agc = e4k_set_agc,
  .get_gains = e4k_get_gains,
  .standby = e4k_standby,
  .free = e4k_free,
  .set_if_gain = e4k_set_if_gain,
};

FerTuner *
fer_e4k_new (const FerTunerI2c *i2c, guint32 xtal_hz)
{
  FerE4k *self = g_new0 (FerE4k, 1);
  FerTuner *tuner = &self->base;

  tuner->ops = &e4k_ops;
  tuner->name = "Elonics E4000";
  tuner->i2c = *i2c;
  tuner->i2c_addr = E4K_I2C_ADDR;
  tuner->xtal_hz = xtal_hz;
  tuner->ref_hz = xtal_hz;
  tuner->if_hz = 0;
  tuner->spectrum_inverted = FALSE;
  tuner->min_freq_hz = E4K_MIN_FREQ_HZ;
  tuner->max_freq_hz = E4K_MAX_FREQ_HZ;
  tuner->agc = TRUE;
  /* the gain AGC off returns to until one is set: 0 dB LNA, 4 dB mixer */
  tuner->gain_tenth_db = MIXER_LOW_TENTH_DB;
  return tuner;
}
