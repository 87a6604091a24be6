/* tuner.h - the interface every tuner driver implements.
 *
 * A tuner sits behind the RTL2832U's I2C master. The RTL2832U driver creates
 * the tuner with a FerTunerI2c (how to reach its registers), calls its ops
 * with the I2C repeater opened, and reads back what the tuner needs from the
 * demodulator: the IF it puts the signal on and whether that IF spectrum is
 * inverted.
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
  gpointer user_data;
} FerTunerI2c;

typedef struct _FerTuner FerTuner;

typedef struct {
  /* Powers the tuner up and programs its default state (wide IF filter,
   * tuner AGC). Called again after standby. */
  gboolean (*init) (FerTuner *tuner, GError **error);
  /* Tunes so that @freq_hz lands on the tuner's IF. Out of range:
   * FER_DEVICE_ERROR_INVALID. A PLL that does not lock is a warning only. */
  gboolean (*set_freq) (FerTuner *tuner, guint32 freq_hz, GError **error);
  /* Picks the IF filter for @bandwidth_hz (0 = the tuner's default). May move
   * the IF: the caller reads if_hz again and retunes. */
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
  guint32 if_hz;                /* IF the signal leaves the tuner on */
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
