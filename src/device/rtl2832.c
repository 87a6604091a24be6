#define G_LOG_DOMAIN "fer-rtl2832"

#include "rtl2832.h"

#include <math.h>

#include "rtl2832-init.h"
#include "rtl2832-io.h"

#define MAX_PPM                  488          /* what the 14-bit correction holds */

#define MIN_RATE_LOW_HZ          225001u
#define MAX_RATE_LOW_HZ          300000u
#define MIN_RATE_HIGH_HZ         900001u
#define MAX_RATE_HIGH_HZ         3200000u

#define DEFAULT_RATE_HZ          2400000u
#define DEFAULT_CENTER_HZ        100000000u
#define BULK_PACKET_BYTES        512

/* Offset tuning puts the LO 1.7 x half the sample rate away: far enough that
 * the tuner's DC offset and its 1/f noise fall outside the stream. */
#define OFFSET_PERCENT_OF_HALF_RATE 170

struct _FerRtl2832 {
  FerUsb *usb;               /* owned */
  FerTuner *tuner;           /* owned */
  guint32 xtal_hz;           /* nominal demodulator crystal */
  int ppm;
  guint32 rate_hz;           /* as requested; 0 before the first set */
  double real_rate_hz;
  guint32 center_hz;         /* 0 before the first tune */
  guint32 bandwidth_hz;      /* as the user set it; 0 = automatic */
  FerRtl2832DirectSampling direct_mode;   /* the setting */
  FerRtl2832DirectSampling direct_input;  /* in use; DIRECT_OFF = the tuner */
  gboolean offset_tuning;    /* the setting */
  int offset_hz;             /* in use: LO = center - offset */
  gboolean if_word_valid;
  guint32 if_word;           /* IF register as last written */
  gboolean bias_tee;
  gboolean test_mode;
  gboolean digital_agc;
  guint n_transfers;
  gsize transfer_bytes;
  gboolean streaming;
};

/* --- Tuner access ------------------------------------------------------- */

/* Each tuner op runs with the I2C repeater open:
 *   tuner_open (self, error) && tuner_close (self, op (...), error) */
static gboolean
tuner_open (FerRtl2832 *self, GError **error)
{
  return rtl2832_set_i2c_repeater (self->usb, TRUE, error);
}

static gboolean
tuner_close (FerRtl2832 *self, gboolean ok, GError **error)
{
  return rtl2832_end_tuner_access (self->usb, ok, error);
}

/* --- Baseband ----------------------------------------------------------- */

static gboolean
rtl2832_soft_reset (FerRtl2832 *self, GError **error)
{
  return rtl2832_demod_write (self->usb, P1_CONTROL, CONTROL_NORMAL | CONTROL_SOFT_RESET, 1,
                              error)
    && rtl2832_demod_write (self->usb, P1_CONTROL, CONTROL_NORMAL, 1, error);
}

static double
corrected_xtal_hz (FerRtl2832 *self)
{
  return self->xtal_hz * (1.0 + self->ppm / 1e6);
}

/* The demodulator shifts @if_hz to zero: the register holds the negative
 * frequency in units of crystal / 2^22, modulo the crystal (so direct
 * sampling can shift by up to the crystal frequency). Unchanged: no write. */
static gboolean
rtl2832_set_if_freq (FerRtl2832 *self, double if_hz, GError **error)
{
  gint64 if_word = -llround (if_hz * (double) (1 << IF_FREQ_BITS) / corrected_xtal_hz (self));
  guint32 bits = (guint32) if_word & IF_FREQ_MASK;

  if (self->if_word_valid && bits == self->if_word)
    return TRUE;
  self->if_word_valid = FALSE;
  if (!rtl2832_demod_write (self->usb, P1_IF_FREQ, (bits >> 16) & 0x3f, 1, error)
      || !rtl2832_demod_write (self->usb, rtl2832_reg_plus (P1_IF_FREQ, 1), (bits >> 8) & 0xff,
                               1, error)
      || !rtl2832_demod_write (self->usb, rtl2832_reg_plus (P1_IF_FREQ, 2), bits & 0xff, 1,
                               error))
    return FALSE;
  self->if_word = bits;
  self->if_word_valid = TRUE;
  return TRUE;
}

static gboolean
rtl2832_set_sample_correction (FerRtl2832 *self, GError **error)
{
  gint16 corr = (gint16) (-self->ppm * (double) SAMPLE_CORR_SCALE / 1e6);

  return rtl2832_demod_write (self->usb, rtl2832_reg_plus (P1_SAMPLE_CORR, 1),
                              (guint16) corr & 0xff, 1, error)
    && rtl2832_demod_write (self->usb, P1_SAMPLE_CORR,
                            ((guint16) corr >> 8) & SAMPLE_CORR_HIGH_MASK, 1, error);
}

/* The demodulator's input for the input in use. A low-IF tuner feeds one
 * real IF into the I ADC; a zero-IF tuner feeds I and Q (baseband input);
 * direct sampling takes one ADC's input as a real signal, the Q input
 * through the I path when the datapath swaps them. */
static gboolean
rtl2832_setup_path (FerRtl2832 *self, GError **error)
{
  gboolean direct = self->direct_input != FER_RTL2832_DIRECT_OFF;
  gboolean zero_if = !direct && fer_tuner_is_zero_if (self->tuner);
  gboolean inverted = !direct && self->tuner->spectrum_inverted;

  return rtl2832_demod_write (self->usb, P1_ZERO_IF, zero_if ? ZERO_IF_ON : ZERO_IF_OFF, 1,
                              error)
    && rtl2832_demod_write (self->usb, P0_ADC_ENABLE,
                            zero_if ? ADC_ENABLE_I_AND_Q : ADC_ENABLE_I_ONLY, 1, error)
    && rtl2832_demod_write (self->usb, P0_ADC_DATAPATH,
                            self->direct_input == FER_RTL2832_DIRECT_Q
                            ? ADC_DATAPATH_SWAP_IQ : ADC_DATAPATH_DEFAULT, 1, error)
    && rtl2832_demod_write (self->usb, P1_SPECTRUM_INV,
                            inverted ? SPECTRUM_INVERTED : SPECTRUM_NORMAL, 1, error);
}

static gboolean
rtl2832_write_mode (FerRtl2832 *self, GError **error)
{
  guint8 mode = (self->test_mode ? MODE_TEST : MODE_SDR) | (self->digital_agc ? MODE_DAGC : 0);
  return rtl2832_demod_write (self->usb, P0_MODE, mode, 1, error);
}

/* --- Tuner state -------------------------------------------------------- */

/* The IF filter setting the tuner should have: what the user set, else
 * the stream's width (the rate, or both sides of the offset), which for a
 * low-IF tuner also moves its IF into the narrower filter. */
static guint32
tuner_bandwidth_hz (FerRtl2832 *self)
{
  if (self->bandwidth_hz != 0)
    return self->bandwidth_hz;
  if (self->offset_hz != 0)
    return 2 * (guint32) ABS (self->offset_hz);
  return (guint32) self->real_rate_hz;
}

/* With the repeater open. */
static gboolean
apply_tuner_bandwidth (FerRtl2832 *self, GError **error)
{
  return fer_tuner_set_bandwidth (self->tuner, tuner_bandwidth_hz (self), error);
}

/* With the repeater open: init, then the gain and filters the user set. */
static gboolean
restart_tuner (FerRtl2832 *self, GError **error)
{
  gboolean agc = self->tuner->agc;

  return fer_tuner_init (self->tuner, error)
    && (agc ? fer_tuner_set_agc (self->tuner, TRUE, error)
            : fer_tuner_set_gain (self->tuner, self->tuner->gain_tenth_db, error))
    && apply_tuner_bandwidth (self, error);
}

/* The LO offset for @freq_hz: 0 unless offset tuning a zero-IF tuner. The LO
 * goes below the signal, or above it where below leaves the tuner's range. */
static int
offset_for (FerRtl2832 *self, guint32 freq_hz)
{
  if (!self->offset_tuning || !fer_tuner_is_zero_if (self->tuner))
    return 0;
  guint32 half_rate = (guint32) self->real_rate_hz / 2;
  int offset = (int) (half_rate * OFFSET_PERCENT_OF_HALF_RATE / 100);
  if ((gint64) freq_hz - offset < self->tuner->min_freq_hz)
    offset = -offset;
  return offset;
}

static FerRtl2832DirectSampling
direct_input_for (FerRtl2832 *self, guint32 freq_hz)
{
  switch (self->direct_mode)
    {
    case FER_RTL2832_DIRECT_I:
    case FER_RTL2832_DIRECT_Q:
      return self->direct_mode;
    case FER_RTL2832_DIRECT_AUTO:
      if (freq_hz < self->tuner->min_freq_hz && freq_hz < FER_RTL2832_DIRECT_AUTO_BELOW_HZ)
        return FER_RTL2832_DIRECT_Q;
      return FER_RTL2832_DIRECT_OFF;
    case FER_RTL2832_DIRECT_OFF:
    default:
      return FER_RTL2832_DIRECT_OFF;
    }
}

/* Switches the demodulator's input: the tuner goes to standby for direct
 * sampling and is brought back (with its settings) after. */
static gboolean
switch_input (FerRtl2832 *self, FerRtl2832DirectSampling input, GError **error)
{
  FerRtl2832DirectSampling old = self->direct_input;

  if (input == old)
    return TRUE;
  if (old == FER_RTL2832_DIRECT_OFF)
    {
      if (!tuner_open (self, error)
          || !tuner_close (self, fer_tuner_standby (self->tuner, error), error))
        return FALSE;
    }
  else if (input == FER_RTL2832_DIRECT_OFF)
    {
      self->offset_hz = 0;
      if (!tuner_open (self, error) || !tuner_close (self, restart_tuner (self, error), error))
        return FALSE;
    }
  self->direct_input = input;
  g_debug ("input: %s", input == FER_RTL2832_DIRECT_OFF ? "tuner"
                        : input == FER_RTL2832_DIRECT_I ? "direct I" : "direct Q");
  return rtl2832_setup_path (self, error);
}

static gboolean
rtl2832_attach_tuner (FerRtl2832 *self, GError **error)
{
  if (!tuner_open (self, error))
    return FALSE;
  self->tuner = rtl2832_probe_tuner (self->usb, self->xtal_hz, error);
  if (self->tuner == NULL)
    return tuner_close (self, FALSE, error);
  return tuner_close (self, rtl2832_setup_path (self, error)
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
  self->direct_mode = FER_RTL2832_DIRECT_AUTO;
  self->direct_input = FER_RTL2832_DIRECT_OFF;

  if (!fer_usb_claim_interface (usb, 0, error)
      || !rtl2832_init_baseband (self->usb, error)
      || !rtl2832_attach_tuner (self, error)
      || !fer_rtl2832_set_sample_rate (self, DEFAULT_RATE_HZ, error)
      || !fer_rtl2832_set_center_freq (self, CLAMP (DEFAULT_CENTER_HZ, self->tuner->min_freq_hz,
                                                    self->tuner->max_freq_hz), error)
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
  /* Best effort: the device may already be gone. The antenna supply goes
   * off with Ferrite. */
  if ((self->bias_tee && !fer_rtl2832_set_bias_tee (self, FALSE, &error))
      || (self->direct_input == FER_RTL2832_DIRECT_OFF
          && (!tuner_open (self, &error)
              || !tuner_close (self, fer_tuner_standby (self->tuner, &error), &error)))
      || !rtl2832_write_reg (self->usb, RTL2832_BLOCK_SYS, SYS_DEMOD_CTL, DEMOD_CTL_POWER_OFF, 1,
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
  switch (self->direct_mode)
    {
    case FER_RTL2832_DIRECT_I:
    case FER_RTL2832_DIRECT_Q:
      *min_hz = 0;
      *max_hz = FER_RTL2832_DIRECT_MAX_HZ;
      break;
    case FER_RTL2832_DIRECT_AUTO:
      *min_hz = 0;
      *max_hz = self->tuner->max_freq_hz;
      break;
    case FER_RTL2832_DIRECT_OFF:
    default:
      *min_hz = self->tuner->min_freq_hz;
      *max_hz = self->tuner->max_freq_hz;
      break;
    }
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

  if (!rtl2832_demod_write (self->usb, P1_RSAMP_RATIO, ratio >> 16, 2, error)
      || !rtl2832_demod_write (self->usb, rtl2832_reg_plus (P1_RSAMP_RATIO, 2), ratio & 0xffff,
                               2, error)
      || !rtl2832_set_sample_correction (self, error)
      || !rtl2832_soft_reset (self, error))
    return FALSE;
  self->rate_hz = rate_hz;
  self->real_rate_hz = scale / real_ratio;
  if (self->real_rate_hz != rate_hz)
    g_debug ("sample rate %u S/s is really %.3f S/s", rate_hz, self->real_rate_hz);

  if (self->direct_input != FER_RTL2832_DIRECT_OFF)
    return TRUE;
  /* The tuner's filters and the offset follow the rate; a moved IF or
   * offset needs a retune. */
  guint32 old_if_hz = self->tuner->if_hz;
  if (!tuner_open (self, error)
      || !tuner_close (self, apply_tuner_bandwidth (self, error), error))
    return FALSE;
  if (self->center_hz != 0 && (self->tuner->if_hz != old_if_hz
                               || offset_for (self, self->center_hz) != self->offset_hz))
    return fer_rtl2832_set_center_freq (self, self->center_hz, error);
  return TRUE;
}

double
fer_rtl2832_get_sample_rate (FerRtl2832 *self)
{
  return self->real_rate_hz;
}

static gboolean
check_tuner_range (FerRtl2832 *self, guint32 freq_hz, GError **error)
{
  FerTuner *tuner = self->tuner;

  if (freq_hz >= tuner->min_freq_hz && freq_hz <= tuner->max_freq_hz)
    return TRUE;
  g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
               "%.3f MHz is outside the %s tuner's range (%g to %g MHz)%s",
               freq_hz / 1e6, tuner->name, tuner->min_freq_hz / 1e6, tuner->max_freq_hz / 1e6,
               self->direct_mode == FER_RTL2832_DIRECT_AUTO && freq_hz < tuner->min_freq_hz
               ? " (direct sampling covers 0 to 24 MHz)" : "");
  return FALSE;
}

gboolean
fer_rtl2832_set_center_freq (FerRtl2832 *self, guint32 freq_hz, GError **error)
{
  FerRtl2832DirectSampling input = direct_input_for (self, freq_hz);

  if (input != FER_RTL2832_DIRECT_OFF)
    {
      if (freq_hz > FER_RTL2832_DIRECT_MAX_HZ)
        {
          g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                       "%.3f MHz is beyond direct sampling, which receives 0 to %g MHz",
                       freq_hz / 1e6, FER_RTL2832_DIRECT_MAX_HZ / 1e6);
          return FALSE;
        }
      /* The ADC samples the antenna at the crystal rate; the demodulator
       * shifts the wanted frequency to 0 Hz. */
      if (!switch_input (self, input, error) || !rtl2832_set_if_freq (self, freq_hz, error))
        return FALSE;
      self->center_hz = freq_hz;
      return TRUE;
    }

  FerRtl2832DirectSampling old_input = self->direct_input;
  if (!check_tuner_range (self, freq_hz, error)
      || !switch_input (self, FER_RTL2832_DIRECT_OFF, error))
    return FALSE;
  int offset = offset_for (self, freq_hz);
  guint32 lo_hz = (guint32) ((gint64) freq_hz - offset);
  gboolean new_offset = offset != self->offset_hz;

  /* The tuner first: if it refuses, nothing else changed (coming from
   * direct sampling, that goes back on). */
  if (!tuner_open (self, error)
      || !tuner_close (self, fer_tuner_set_freq (self->tuner, lo_hz, error), error))
    {
      if (old_input != FER_RTL2832_DIRECT_OFF && self->center_hz != 0)
        fer_rtl2832_set_center_freq (self, self->center_hz, NULL);
      return FALSE;
    }
  self->offset_hz = offset;
  if (new_offset
      && (!tuner_open (self, error)
          || !tuner_close (self, apply_tuner_bandwidth (self, error), error)))
    return FALSE;
  if (!rtl2832_set_if_freq (self, (double) self->tuner->if_hz + offset, error))
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
  /* The retune rewrites the IF from the corrected crystal. */
  if (!rtl2832_set_sample_correction (self, error)
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
  return tuner_open (self, error)
    && tuner_close (self, fer_tuner_set_gain (self->tuner, gain_tenth_db, error), error);
}

int
fer_rtl2832_get_gain (FerRtl2832 *self)
{
  return self->tuner->gain_tenth_db;
}

gboolean
fer_rtl2832_set_tuner_agc (FerRtl2832 *self, gboolean on, GError **error)
{
  return tuner_open (self, error)
    && tuner_close (self, fer_tuner_set_agc (self->tuner, on, error), error);
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
fer_rtl2832_set_if_gain (FerRtl2832 *self, guint stage, int gain_tenth_db, GError **error)
{
  return tuner_open (self, error)
    && tuner_close (self, fer_tuner_set_if_gain (self->tuner, stage, gain_tenth_db, error),
                    error);
}

gboolean
fer_rtl2832_set_bandwidth (FerRtl2832 *self, guint32 bandwidth_hz, GError **error)
{
  guint32 old_if_hz = self->tuner->if_hz;

  self->bandwidth_hz = bandwidth_hz;
  if (self->direct_input != FER_RTL2832_DIRECT_OFF)
    return TRUE;  /* applied when the tuner comes back */
  if (!tuner_open (self, error)
      || !tuner_close (self, apply_tuner_bandwidth (self, error), error))
    return FALSE;
  /* A moved IF needs the LO and the demodulator's shift to follow. */
  if (self->tuner->if_hz == old_if_hz || self->center_hz == 0)
    return TRUE;
  return fer_rtl2832_set_center_freq (self, self->center_hz, error);
}

gboolean
fer_rtl2832_set_direct_sampling (FerRtl2832 *self, FerRtl2832DirectSampling mode,
                                 GError **error)
{
  FerRtl2832DirectSampling old = self->direct_mode;

  self->direct_mode = mode;
  if (self->center_hz == 0 || fer_rtl2832_set_center_freq (self, self->center_hz, error))
    return TRUE;
  self->direct_mode = old;
  fer_rtl2832_set_center_freq (self, self->center_hz, NULL);
  return FALSE;
}

FerRtl2832DirectSampling
fer_rtl2832_get_direct_sampling (FerRtl2832 *self)
{
  return self->direct_mode;
}

FerRtl2832DirectSampling
fer_rtl2832_get_direct_input (FerRtl2832 *self)
{
  return self->direct_input;
}

gboolean
fer_rtl2832_set_offset_tuning (FerRtl2832 *self, gboolean on, GError **error)
{
  if (on && !fer_tuner_is_zero_if (self->tuner))
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED,
                   "Offset tuning is for zero-IF tuners; the %s works on a low IF, so its "
                   "DC offset is already away from the signal", self->tuner->name);
      return FALSE;
    }
  gboolean old = self->offset_tuning;
  self->offset_tuning = on;
  if (self->center_hz == 0 || self->direct_input != FER_RTL2832_DIRECT_OFF
      || fer_rtl2832_set_center_freq (self, self->center_hz, error))
    return TRUE;
  self->offset_tuning = old;
  return FALSE;
}

gboolean
fer_rtl2832_get_offset_tuning (FerRtl2832 *self)
{
  return self->offset_tuning;
}

gboolean
fer_rtl2832_is_zero_if (FerRtl2832 *self)
{
  return fer_tuner_is_zero_if (self->tuner);
}

int
fer_rtl2832_get_offset_hz (FerRtl2832 *self)
{
  return self->offset_hz;
}

gboolean
fer_rtl2832_set_bias_tee (FerRtl2832 *self, gboolean on, GError **error)
{
  if (!rtl2832_gpio_set_output (self->usb, GPIO_BIAS_TEE, error)
      || !rtl2832_gpio_set_bit (self->usb, GPIO_BIAS_TEE, on, error))
    return FALSE;
  self->bias_tee = on;
  return TRUE;
}

gboolean
fer_rtl2832_get_bias_tee (FerRtl2832 *self)
{
  return self->bias_tee;
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
fer_rtl2832_get_digital_agc (FerRtl2832 *self)
{
  return self->digital_agc;
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

gboolean
fer_rtl2832_get_test_mode (FerRtl2832 *self)
{
  return self->test_mode;
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
  if (!rtl2832_write_reg (self->usb, RTL2832_BLOCK_USB, USB_EPA_CTL, USB_EPA_CTL_FIFO_RESET, 2,
                          error)
      || !rtl2832_write_reg (self->usb, RTL2832_BLOCK_USB, USB_EPA_CTL, USB_EPA_CTL_RUN, 2,
                             error))
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
