/* tuner.h - the interface every tuner driver implements.
 *
 * A tuner sits behind the RTL2832U's I2C master. The RTL2832U driver creates
 * the tuner with a FerTunerI2c (its host: how to reach the tuner's registers
 * and the demodulator's GPIO pins), calls its ops with the I2C repeater
 * opened, and reads back what the tuner needs from the demodulator: the IF it
 * puts the signal on and whether that IF spectrum is inverted.
 *
 * Two kinds of tuner exist. Low IF (R820T, R828D): one real output on a few
 * MHz of IF, into the demodulator's I ADC. Zero IF (E4000, FC0012, FC0013,
 * FC2580): the LO sits on the tuned frequency and I and Q outputs feed both
 * ADCs; if_hz is 0. A zero-IF tuner's own DC offset lands on the tuned
 * frequency, which offset tuning (in the RTL2832U driver) moves away.
 *
 * Units: frequencies in Hz, gains in tenths of a dB (a gain list is what the
 * tuner can really set, ascending).
 *
 * Thread: a tuner is driven from one control thread at a time; it has no locks.
 */
#pragma once

#include <glib.h>

#include "device-error.h"

G_BEGIN_DECLS

/* How a tuner reaches its registers. Registers auto-increment: a write of
 * @n_values bytes at @reg sets reg, reg + 1, ... The bus splits writes that
 * are longer than its controller can carry into several messages. A read sets
 * the register pointer to @reg and reads @n_values bytes (some chips ignore the
 * pointer and always answer from register 0). Both return FALSE with @error
 * set when the transfer fails; a chip that does not answer gives
 * FER_DEVICE_ERROR_STALL. */
typedef struct {
  gboolean (*write_regs) (gpointer user_data, guint8 i2c_addr, guint8 reg,
                          const guint8 *values, guint n_values, GError **error);
  gboolean (*read_regs) (gpointer user_data, guint8 i2c_addr, guint8 reg,
                         guint8 *values, guint n_values, GError **error);
  /* Makes demodulator GPIO pin @gpio an output and drives it: boards wire
   * pins to a tuner's front end (band filters, an upconverter switch). May be
   * NULL when the host has no pins. */
  gboolean (*set_gpio) (gpointer user_data, guint gpio, gboolean on, GError **error);
  gpointer user_data;
} FerTunerI2c;

typedef struct _FerTuner FerTuner;

typedef struct {
  /* Powers the tuner up and programs its default state (wide IF filter,
   * tuner AGC). Called again after standby. */
  gboolean (*init) (FerTuner *tuner, GError **error);
  /* Tunes so that @freq_hz lands on the tuner's IF. Out of range:
   * FER_DEVICE_ERROR_INVALID. A PLL that does not lock is a warning only,
   * except where the tuner has a known gap (E4000): there it is
   * FER_DEVICE_ERROR_INVALID and the previous tuning stays. */
  gboolean (*set_freq) (FerTuner *tuner, guint32 freq_hz, GError **error);
  /* Picks the IF filters for @bandwidth_hz (0 = the tuner's default, its
   * widest usual setting). May move the IF: the caller reads if_hz again and
   * retunes. The RTL2832U driver passes the sample rate when the user leaves
   * the bandwidth to it. */
  gboolean (*set_bandwidth) (FerTuner *tuner, guint32 bandwidth_hz, GError **error);
  /* Manual gain: the nearest entry of get_gains; turns tuner AGC off. */
  gboolean (*set_gain) (FerTuner *tuner, int gain_tenth_db, GError **error);
  /* TRUE: the tuner's own AGC; FALSE: back to the last manual gain. */
  gboolean (*set_agc) (FerTuner *tuner, gboolean on, GError **error);
  /* Gains set_gain can reach, ascending; owned by the tuner. */
  const int *(*get_gains) (FerTuner *tuner, guint *n_gains);
  /* Lowest power; init brings it back. */
  gboolean (*standby) (FerTuner *tuner, GError **error);
  void (*free) (FerTuner *tuner);
  /* Optional (NULL: the tuner has none): the gain of IF stage @stage
   * (1-based) to the nearest step it has. */
  gboolean (*set_if_gain) (FerTuner *tuner, guint stage, int gain_tenth_db, GError **error);
} FerTunerOps;

/* Drivers embed this as their first member. Fields are read-only for callers. */
struct _FerTuner {
  const FerTunerOps *ops;
  const char *name;             /* static; e.g. "Rafael Micro R820T" */
  FerTunerI2c i2c;              /* copy of what the creator gave */
  guint8 i2c_addr;
  guint32 xtal_hz;              /* nominal reference crystal */
  guint32 ref_hz;               /* reference the PLL math uses: xtal_hz corrected
                                 * by the ppm the user set (fer_tuner_set_ppm) */
  guint32 if_hz;                /* IF the signal leaves the tuner on; 0: zero IF */
  gboolean spectrum_inverted;   /* TRUE: the demodulator must invert (high-side LO) */
  guint32 min_freq_hz, max_freq_hz;  /* tunable range */
  gboolean agc;                 /* tuner AGC on */
  int gain_tenth_db;            /* manual gain last set */
};

static inline gboolean
fer_tuner_init (FerTuner *tuner, GError **error)
{
  return tuner->ops->init (tuner, error);
}

static inline gboolean
fer_tuner_set_freq (FerTuner *tuner, guint32 freq_hz, GError **error)
{
  return tuner->ops->set_freq (tuner, freq_hz, error);
}

static inline gboolean
fer_tuner_set_bandwidth (FerTuner *tuner, guint32 bandwidth_hz, GError **error)
{
  return tuner->ops->set_bandwidth (tuner, bandwidth_hz, error);
}

static inline gboolean
fer_tuner_set_gain (FerTuner *tuner, int gain_tenth_db, GError **error)
{
  return tuner->ops->set_gain (tuner, gain_tenth_db, error);
}

static inline gboolean
fer_tuner_set_agc (FerTuner *tuner, gboolean on, GError **error)
{
  return tuner->ops->set_agc (tuner, on, error);
}

static inline gboolean
fer_tuner_set_if_gain (FerTuner *tuner, guint stage, int gain_tenth_db, GError **error)
{
  if (tuner->ops->set_if_gain == NULL)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED,
                   "The %s has no IF gain stages to set", tuner->name);
      return FALSE;
    }
  return tuner->ops->set_if_gain (tuner, stage, gain_tenth_db, error);
}

/* A GPIO pin through the host; FER_DEVICE_ERROR_UNSUPPORTED without pins. */
static inline gboolean
fer_tuner_set_gpio (FerTuner *tuner, guint gpio, gboolean on, GError **error)
{
  if (tuner->i2c.set_gpio == NULL)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_UNSUPPORTED,
                   "The %s needs GPIO pins its host does not have", tuner->name);
      return FALSE;
    }
  return tuner->i2c.set_gpio (tuner->i2c.user_data, gpio, on, error);
}

/* Whether the tuner's outputs are I and Q at zero IF. */
static inline gboolean
fer_tuner_is_zero_if (FerTuner *tuner)
{
  return tuner->if_hz == 0;
}

static inline const int *
fer_tuner_get_gains (FerTuner *tuner, guint *n_gains)
{
  return tuner->ops->get_gains (tuner, n_gains);
}

static inline gboolean
fer_tuner_standby (FerTuner *tuner, GError **error)
{
  return tuner->ops->standby (tuner, error);
}

/* The reference correction the next set_freq uses: the crystal is off by
 * @ppm (positive: fast). Takes effect at the next set_freq. */
static inline void
fer_tuner_set_ppm (FerTuner *tuner, int ppm)
{
  tuner->ref_hz = (guint32) (tuner->xtal_hz * (1.0 + ppm / 1e6) + 0.5);
}

/* The nearest entry of the tuner's gain list to @gain_tenth_db. */
static inline int
fer_tuner_nearest_gain (FerTuner *tuner, int gain_tenth_db)
{
  guint n_gains = 0;
  const int *gains = fer_tuner_get_gains (tuner, &n_gains);
  int best = gain_tenth_db;

  for (guint i = 0; i < n_gains; i++)
    if (i == 0 || ABS (gains[i] - gain_tenth_db) < ABS (best - gain_tenth_db))
      best = gains[i];
  return best;
}

static inline void
fer_tuner_free (FerTuner *tuner)
{
  if (tuner != NULL)
    tuner->ops->free (tuner);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerTuner, fer_tuner_free)

G_END_DECLS
