/* emu-tuner.c - one face for the tuner models, and their AGCs.
 *
 * Gain in effect. R82xx: LNA + mixer (cumulative measured steps) + VGA
 * (0 dB at index 8). E4000: LNA + mixer + the IF stages relative to their
 * usual 24 dB. With stages under AGC the model picks, among the settings
 * those stages can reach (an R82xx's LNA and mixer stepped in turn when both
 * are automatic), the highest gain that keeps the output at or below
 * FER_EMU_AGC_TARGET_DBFS, or the lowest when none does.
 */
#define G_LOG_DOMAIN "fer-emu"

#include "emu-tuner.h"

#include <math.h>

#include "emu-e4k.h"
#include "emu-r82xx.h"
#include "scene.h"

struct _FerEmuTuner {
  FerEmuTunerType type;
  FerEmuR82xx *r82xx;   /* owned; one of the two */
  FerEmuE4k *e4k;
};

FerEmuTuner *
fer_emu_tuner_new (FerEmuTunerType type)
{
  FerEmuTuner *tuner = g_new0 (FerEmuTuner, 1);
  tuner->type = type;
  if (type == FER_EMU_TUNER_E4000)
    tuner->e4k = fer_emu_e4k_new ();
  else
    tuner->r82xx = fer_emu_r82xx_new (type);
  return tuner;
}

void
fer_emu_tuner_free (FerEmuTuner *tuner)
{
  if (tuner == NULL)
    return;
  if (tuner->e4k != NULL)
    fer_emu_e4k_free (tuner->e4k);
  if (tuner->r82xx != NULL)
    fer_emu_r82xx_free (tuner->r82xx);
  g_free (tuner);
}

FerEmuTunerType
fer_emu_tuner_get_type (FerEmuTuner *tuner)
{
  return tuner->type;
}

const char *
fer_emu_tuner_get_name (FerEmuTuner *tuner)
{
  switch (tuner->type)
    {
    case FER_EMU_TUNER_R828D:
      return "R828D";
    case FER_EMU_TUNER_E4000:
      return "E4000";
    case FER_EMU_TUNER_BLOG_V4:
      return "R828D (RTL-SDR Blog V4)";
    case FER_EMU_TUNER_R820T:
    default:
      return "R820T";
    }
}

guint8
fer_emu_tuner_get_i2c_addr (FerEmuTuner *tuner)
{
  return tuner->e4k != NULL ? FER_EMU_E4K_I2C_ADDR : fer_emu_r82xx_get_i2c_addr (tuner->r82xx);
}

double
fer_emu_tuner_get_xtal_hz (FerEmuTuner *tuner)
{
  return tuner->e4k != NULL ? 28.8e6 : fer_emu_r82xx_get_xtal_hz (tuner->r82xx);
}

int
fer_emu_tuner_i2c_write (FerEmuTuner *tuner, const guint8 *data, gsize n_bytes)
{
  return tuner->e4k != NULL ? fer_emu_e4k_i2c_write (tuner->e4k, data, n_bytes)
                            : fer_emu_r82xx_i2c_write (tuner->r82xx, data, n_bytes);
}

int
fer_emu_tuner_i2c_read (FerEmuTuner *tuner, guint8 *data, gsize n_bytes)
{
  return tuner->e4k != NULL ? fer_emu_e4k_i2c_read (tuner->e4k, data, n_bytes)
                            : fer_emu_r82xx_i2c_read (tuner->r82xx, data, n_bytes);
}

guint8
fer_emu_tuner_get_reg (FerEmuTuner *tuner, guint reg)
{
  return tuner->e4k != NULL ? fer_emu_e4k_get_reg (tuner->e4k, reg)
                            : fer_emu_r82xx_get_reg (tuner->r82xx, reg);
}

/* ---- R82xx --------------------------------------------------------------- */

static double
r82xx_gain_db (guint lna, guint mixer, guint vga)
{
  return fer_emu_r82xx_lna_gain_db (lna) + fer_emu_r82xx_mixer_gain_db (mixer)
         + fer_emu_r82xx_vga_gain_db (vga);
}

static void
r82xx_get_state (FerEmuTuner *tuner, double xtal_hz, FerEmuTunerState *state)
{
  FerEmuR82xxState ts;

  fer_emu_r82xx_get_state (tuner->r82xx, xtal_hz, &ts);
  state->lo_hz = ts.lo_hz;
  state->locked = ts.locked;
  state->powered = ts.powered;
  state->quadrature = FALSE;
  state->image_below = ts.image_below;
  state->input = ts.input;
  state->agc = ts.lna_auto || ts.mixer_auto;
  state->lna_index = ts.lna_index;
  state->mixer_index = ts.mixer_index;
  state->vga_index = ts.vga_index;
  state->gain_db = r82xx_gain_db (ts.lna_index, ts.mixer_index, ts.vga_index);
}

static void
r82xx_settle_agc (FerEmuTuner *tuner, FerEmuTunerState *state, double target_db)
{
  FerEmuR82xxState ts;
  guint best_lna = 0, best_mix = 0, min_lna = 0, min_mix = 0;
  double best_db = -1e9, min_db = 1e9;

  fer_emu_r82xx_get_state (tuner->r82xx, 28.8e6, &ts);
  if (!ts.lna_auto && !ts.mixer_auto)
    {
      fer_emu_r82xx_set_gain_status (tuner->r82xx, ts.lna_index, ts.mixer_index);
      return;
    }
  for (guint k = 0; k < 2 * FER_EMU_R82XX_N_STEPS - 1; k++)
    {
      guint lna, mix;
      if (ts.lna_auto && ts.mixer_auto)
        {
          /* LNA and mixer step up in turn. */
          lna = (k + 1) / 2;
          mix = k / 2;
        }
      else if (ts.lna_auto)
        {
          if (k >= FER_EMU_R82XX_N_STEPS)
            break;
          lna = k;
          mix = ts.mixer_index;
        }
      else
        {
          if (k >= FER_EMU_R82XX_N_STEPS)
            break;
          lna = ts.lna_index;
          mix = k;
        }
      double db = r82xx_gain_db (lna, mix, ts.vga_index);
      if (db <= target_db && db > best_db)
        {
          best_db = db;
          best_lna = lna;
          best_mix = mix;
        }
      if (db < min_db)
        {
          min_db = db;
          min_lna = lna;
          min_mix = mix;
        }
    }
  if (best_db < -1e8)
    {
      best_lna = min_lna;
      best_mix = min_mix;
    }
  state->lna_index = best_lna;
  state->mixer_index = best_mix;
  state->gain_db = r82xx_gain_db (best_lna, best_mix, state->vga_index);
  fer_emu_r82xx_set_gain_status (tuner->r82xx, best_lna, best_mix);
}

/* ---- E4000 --------------------------------------------------------------- */

static void
e4k_get_state (FerEmuTuner *tuner, double xtal_hz, FerEmuTunerState *state)
{
  FerEmuE4kState es;

  fer_emu_e4k_get_state (tuner->e4k, xtal_hz, &es);
  state->lo_hz = es.lo_hz;
  state->locked = es.locked;
  state->powered = es.powered;
  state->quadrature = TRUE;
  state->image_below = FALSE;
  state->input = FER_EMU_TUNER_INPUT_AIR;
  state->agc = es.lna_auto || es.mixer_auto;
  state->gain_db = es.lna_gain_db + es.mixer_gain_db + es.if_gain_db
                   - FER_EMU_E4K_IF_GAIN_REF_DB;
}

/* The AGC moves the LNA and, when it is automatic too, the mixer over the
 * settings they have; the IF stages stay as set. */
static void
e4k_settle_agc (FerEmuTuner *tuner, FerEmuTunerState *state, double target_db)
{
  static const double mixer_db[] = { 4.0, 12.0 };
  FerEmuE4kState es;
  guint n_lna;
  const double *lna_db = fer_emu_e4k_lna_steps_db (&n_lna);
  double best = -1e9, lowest = 1e9;

  fer_emu_e4k_get_state (tuner->e4k, 28.8e6, &es);
  for (guint l = 0; l < (es.lna_auto ? n_lna : 1); l++)
    for (guint m = 0; m < (es.mixer_auto ? G_N_ELEMENTS (mixer_db) : 1); m++)
      {
        double db = (es.lna_auto ? lna_db[l] : es.lna_gain_db)
                    + (es.mixer_auto ? mixer_db[m] : es.mixer_gain_db)
                    + es.if_gain_db - FER_EMU_E4K_IF_GAIN_REF_DB;
        if (db <= target_db && db > best)
          best = db;
        lowest = MIN (lowest, db);
      }
  state->gain_db = best > -1e8 ? best : lowest;
}

/* ---- both ---------------------------------------------------------------- */

void
fer_emu_tuner_get_state (FerEmuTuner *tuner, double xtal_hz, FerEmuTunerState *state)
{
  if (tuner->e4k != NULL)
    e4k_get_state (tuner, xtal_hz, state);
  else
    r82xx_get_state (tuner, xtal_hz, state);
}

void
fer_emu_tuner_settle_agc (FerEmuTuner *tuner, FerEmuTunerState *state, double power_ref)
{
  double target_db = FER_SCENE_REF_GAIN_DB + FER_EMU_AGC_TARGET_DBFS
                     - 10.0 * log10 (MAX (power_ref, 1e-30));

  if (tuner->e4k != NULL)
    e4k_settle_agc (tuner, state, target_db);
  else
    r82xx_settle_agc (tuner, state, target_db);
}
