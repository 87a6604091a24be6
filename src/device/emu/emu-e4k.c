/* emu-e4k.c - Elonics E4000 I2C register model.
 *
 * Register facts used here (from the public E4000 driver behaviour):
 *   0x00 MASTER1: bit 0 reset, bit 1 normal (clear = standby), bit 2 POR flag
 *   0x02 chip id 0x40
 *   0x07 SYNTH1: bit 0 PLL lock (read-only), bits 2:1 band
 *   0x09 Z, 0x0a/0x0b X low/high: VCO = xtal (Z + X / 65536)
 *   0x0d SYNTH7: bit 3 three-phase mixing, bits 2:0 divider code;
 *        three-phase codes 1-7 divide by 8, 12, 16, 24, 32, 40, 48,
 *        two-phase codes 0-3 by 2, 4, 6, 8; LO = VCO / divider
 *   0x14 GAIN1 bits 3:0 LNA code; 0x15 GAIN2 bit 0 mixer 12 dB (else 4 dB)
 *   0x16 GAIN3: IF stage 1 bit 0 (-3/+6 dB), stages 2, 3 bits 2:1, 4:3
 *        (0/3/6/9 dB), stage 4 bits 6:5 (0/1/2/2 dB)
 *   0x17 GAIN4: IF stages 5, 6 bits 2:0, 5:3 (3..15 dB in 3 dB steps)
 *   0x1a AGC1 bits 3:0 mode; 0x20 AGC7 bit 0 mixer under AGC
 * The VCO locks from about 2.49 to 4.4 GHz (beyond the data sheet's 2.6 to
 * 3.9, as real chips do), so LOs from about 1100 to 1245 MHz do not lock.
 */
#define G_LOG_DOMAIN "fer-emu"

#include "emu-e4k.h"

#include <string.h>

#define REG_MASTER1   0x00
#define REG_CHIP_ID   0x02
#define REG_SYNTH1    0x07
#define REG_SYNTH3    0x09
#define REG_SYNTH4    0x0a
#define REG_SYNTH5    0x0b
#define REG_SYNTH7    0x0d
#define REG_GAIN1     0x14
#define REG_GAIN2     0x15
#define REG_GAIN3     0x16
#define REG_GAIN4     0x17
#define REG_AGC1      0x1a
#define REG_AGC7      0x20

#define CHIP_ID           0x40
#define MASTER1_RESET     0x01
#define MASTER1_NORMAL    0x02
#define SYNTH1_LOCK       0x01
#define THREE_PHASE       0x08

#define VCO_MIN_HZ 2.49e9
#define VCO_MAX_HZ 4.4e9

static const guint8 divider_three_phase[8] = { 0, 8, 12, 16, 24, 32, 40, 48 };
static const guint8 divider_two_phase[8] = { 2, 4, 6, 8, 0, 0, 0, 0 };

/* LNA gain by GAIN1 code, dB (codes 2 and 3 are unused; taken as code 1). */
static const double lna_gain_db[16] = {
  -5.0, -2.5, -2.5, -2.5, 0.0, 2.5, 5.0, 7.5, 10.0, 12.5, 15.0, 17.5, 20.0, 25.0, 30.0, 30.0
};
#define MIXER_LOW_DB  4.0
#define MIXER_HIGH_DB 12.0

static const double if_stage1_db[2] = { -3.0, 6.0 };
static const double if_stage23_db[4] = { 0.0, 3.0, 6.0, 9.0 };
static const double if_stage4_db[4] = { 0.0, 1.0, 2.0, 2.0 };
static const double if_stage56_db[8] = { 3.0, 6.0, 9.0, 12.0, 15.0, 15.0, 15.0, 15.0 };

/* AGC1 modes where the LNA is under the chip's own AGC (autonomous or
 * supervised), not set over I2C or by a PWM input. */
static const gboolean agc_mode_lna_auto[16] = {
  [0x2] = TRUE, [0x3] = TRUE, [0x7] = TRUE, [0x8] = TRUE, [0x9] = TRUE, [0xa] = TRUE,
};

/* What the LNA's AGC reaches: the gains of codes 0, 1 and 4..14. */
static const double lna_steps_db[] = {
  -5.0, -2.5, 0.0, 2.5, 5.0, 7.5, 10.0, 12.5, 15.0, 17.5, 20.0, 25.0, 30.0,
};

struct _FerEmuE4k {
  guint8 regs[FER_EMU_E4K_N_REGS];
  guint8 pointer;
};

static void
power_on (FerEmuE4k *tuner)
{
  memset (tuner->regs, 0, sizeof tuner->regs);
  tuner->regs[REG_CHIP_ID] = CHIP_ID;
  tuner->regs[REG_MASTER1] = MASTER1_NORMAL;
}

FerEmuE4k *
fer_emu_e4k_new (void)
{
  FerEmuE4k *tuner = g_new0 (FerEmuE4k, 1);
  power_on (tuner);
  return tuner;
}

void
fer_emu_e4k_free (FerEmuE4k *tuner)
{
  g_free (tuner);
}

static void
update_lock (FerEmuE4k *tuner)
{
  FerEmuE4kState state;
  /* Like the R82xx model: the crystal's ppm error cannot move the VCO across
   * a lock edge in a way that matters, so the nominal crystal decides. */
  fer_emu_e4k_get_state (tuner, 28.8e6, &state);
  if (state.locked)
    tuner->regs[REG_SYNTH1] |= SYNTH1_LOCK;
  else
    tuner->regs[REG_SYNTH1] &= (guint8) ~SYNTH1_LOCK;
}

int
fer_emu_e4k_i2c_write (FerEmuE4k *tuner, const guint8 *data, gsize n_bytes)
{
  if (n_bytes == 0)
    return 0;
  tuner->pointer = data[0];
  for (gsize i = 1; i < n_bytes; i++)
    {
      guint8 reg = (guint8) (data[0] + i - 1);
      guint8 value = data[i];
      if (reg == REG_MASTER1 && (value & MASTER1_RESET))
        {
          power_on (tuner);
          value &= (guint8) ~MASTER1_RESET;
        }
      if (reg == REG_CHIP_ID)
        continue;
      if (reg == REG_SYNTH1)
        value = (guint8) ((value & ~SYNTH1_LOCK) | (tuner->regs[reg] & SYNTH1_LOCK));
      tuner->regs[reg] = value;
    }
  update_lock (tuner);
  return (int) n_bytes;
}

int
fer_emu_e4k_i2c_read (FerEmuE4k *tuner, guint8 *data, gsize n_bytes)
{
  for (gsize i = 0; i < n_bytes; i++)
    data[i] = tuner->regs[(guint8) (tuner->pointer + i)];
  return (int) n_bytes;
}

guint8
fer_emu_e4k_get_reg (FerEmuE4k *tuner, guint reg)
{
  return reg < FER_EMU_E4K_N_REGS ? tuner->regs[reg] : 0;
}

void
fer_emu_e4k_get_state (FerEmuE4k *tuner, double xtal_hz, FerEmuE4kState *state)
{
  const guint8 *r = tuner->regs;
  guint8 synth7 = r[REG_SYNTH7];
  guint divider = (synth7 & THREE_PHASE) ? divider_three_phase[synth7 & 7]
                                         : divider_two_phase[synth7 & 7];

  state->vco_hz = xtal_hz * (r[REG_SYNTH3] + (r[REG_SYNTH5] << 8 | r[REG_SYNTH4]) / 65536.0);
  state->lo_hz = divider != 0 ? state->vco_hz / divider : 0.0;
  state->locked = divider != 0 && state->vco_hz >= VCO_MIN_HZ && state->vco_hz <= VCO_MAX_HZ;
  state->powered = (r[REG_MASTER1] & MASTER1_NORMAL) != 0;
  state->lna_auto = agc_mode_lna_auto[r[REG_AGC1] & 0x0f];
  state->mixer_auto = (r[REG_AGC7] & 0x01) != 0;
  state->lna_gain_db = lna_gain_db[r[REG_GAIN1] & 0x0f];
  state->mixer_gain_db = (r[REG_GAIN2] & 0x01) ? MIXER_HIGH_DB : MIXER_LOW_DB;
  guint8 g3 = r[REG_GAIN3], g4 = r[REG_GAIN4];
  state->if_gain_db = if_stage1_db[g3 & 1] + if_stage23_db[(g3 >> 1) & 3]
                      + if_stage23_db[(g3 >> 3) & 3] + if_stage4_db[(g3 >> 5) & 3]
                      + if_stage56_db[g4 & 7] + if_stage56_db[(g4 >> 3) & 7];
}

const double *
fer_emu_e4k_lna_steps_db (guint *n_steps)
{
  *n_steps = G_N_ELEMENTS (lna_steps_db);
  return lna_steps_db;
}
