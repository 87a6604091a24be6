/* emu-r82xx.c - R820T / R828D I2C register model.
 *
 * Register facts used here (all from the public R82xx driver behaviour):
 *   0x05 [3:0] LNA gain index, bit 4 set = LNA AGC off (manual)
 *   0x05 bit 5 set = air-in off, bit 6 set = cable-1 input on
 *   0x06 bit 3 set = cable-2 input on, bit 7 set = powered down (standby)
 *   0x07 [3:0] mixer gain index, bit 4 set = mixer AGC on, bit 7 image side
 *   0x0c [3:0] VGA gain index
 *   0x10 [7:5] div_num (mixer divider = 2 << div_num), bit 4 = reference / 2
 *   0x12 bit 3 pw_sdm: set powers the sigma-delta modulator off (integer-N)
 *   0x14 [5:0] ni, [7:6] si: nint = 4 * ni + si + 13
 *   0x15, 0x16 sdm low and high byte: fraction sdm / 65536
 *   VCO = 2 * ref * (nint + sdm / 65536), LO = VCO / mixer divider
 * Status (read-only): reg 0 chip id, reg 2 bit 6 PLL lock, reg 4 [5:4] VCO
 * fine tune, [3:0] filter calibration code.
 */
#define G_LOG_DOMAIN "fer-emu"

#include "emu-r82xx.h"

#define REG_STATUS_LAST 4

/* On the wire reg 0 reads 0x69; the chip holds it bit-reversed. */
#define CHIP_ID_WIRE       0x69
#define STATUS2_LOCK       0x40
#define STATUS2_XTAL_CHECK 0x1a  /* anything but 0x3f: "crystal oscillates" */
#define FILTER_CAL_CODE    0x08

/* A VCO outside this range does not lock (the chip's VCO spans about
 * 1.77-3.54 GHz; a little margin either side). */
#define VCO_MIN_HZ 1.6e9
#define VCO_MAX_HZ 3.9e9

/* Measured gain steps of each stage, in tenths of a dB. */
static const int lna_steps[FER_EMU_R82XX_N_STEPS] = {
  0, 9, 13, 40, 38, 13, 31, 22, 26, 31, 26, 14, 19, 5, 35, 13
};
static const int mixer_steps[FER_EMU_R82XX_N_STEPS] = {
  0, 5, 10, 10, 19, 9, 10, 25, 17, 10, 8, 16, 13, 6, 3, -8
};
static const int vga_steps[FER_EMU_R82XX_N_STEPS] = {
  0, 26, 26, 30, 42, 35, 24, 13, 14, 32, 36, 34, 35, 37, 35, 36
};
#define VGA_ZERO_INDEX 8

struct _FerEmuR82xx {
  FerEmuTunerType type;
  guint8 regs[FER_EMU_R82XX_N_REGS];  /* as the chip holds them */
};

static guint8
bit_reverse (guint8 b)
{
  b = (guint8) ((b & 0xf0) >> 4 | (b & 0x0f) << 4);
  b = (guint8) ((b & 0xcc) >> 2 | (b & 0x33) << 2);
  b = (guint8) ((b & 0xaa) >> 1 | (b & 0x55) << 1);
  return b;
}

static double
cumulative_db (const int *steps, guint index)
{
  int tenths = 0;
  for (guint i = 1; i <= index && i < FER_EMU_R82XX_N_STEPS; i++)
    tenths += steps[i];
  return tenths / 10.0;
}

double
fer_emu_r82xx_lna_gain_db (guint index)
{
  return cumulative_db (lna_steps, index);
}

double
fer_emu_r82xx_mixer_gain_db (guint index)
{
  return cumulative_db (mixer_steps, index);
}

double
fer_emu_r82xx_vga_gain_db (guint index)
{
  return cumulative_db (vga_steps, index) - cumulative_db (vga_steps, VGA_ZERO_INDEX);
}

FerEmuR82xx *
fer_emu_r82xx_new (FerEmuTunerType type)
{
  FerEmuR82xx *tuner = g_new0 (FerEmuR82xx, 1);
  tuner->type = type;
  tuner->regs[0] = bit_reverse (CHIP_ID_WIRE);
  tuner->regs[2] = STATUS2_XTAL_CHECK;
  /* The fine tune a driver treats as "VCO in the middle", so it keeps the
   * divider it computed: 2 for the R820T, 1 for the R828D. */
  tuner->regs[4] = (guint8) ((type == FER_EMU_TUNER_R820T ? 2 : 1) << 4 | FILTER_CAL_CODE);
  return tuner;
}

void
fer_emu_r82xx_free (FerEmuR82xx *tuner)
{
  g_free (tuner);
}

FerEmuTunerType
fer_emu_r82xx_get_type (FerEmuR82xx *tuner)
{
  return tuner->type;
}

guint8
fer_emu_r82xx_get_i2c_addr (FerEmuR82xx *tuner)
{
  return tuner->type == FER_EMU_TUNER_R820T ? FER_EMU_R820T_I2C_ADDR : FER_EMU_R828D_I2C_ADDR;
}

double
fer_emu_r82xx_get_xtal_hz (FerEmuR82xx *tuner)
{
  return tuner->type == FER_EMU_TUNER_R828D ? 16e6 : 28.8e6;
}

/* The lock flag is what a driver polls right after programming the PLL, so
 * it follows every write. The ppm error of the crystal cannot move a VCO
 * across the lock range edge in any way that matters, so the nominal
 * crystal is used. */
static void
update_lock_status (FerEmuR82xx *tuner)
{
  FerEmuR82xxState state;
  fer_emu_r82xx_get_state (tuner, fer_emu_r82xx_get_xtal_hz (tuner), &state);
  if (state.locked)
    tuner->regs[2] |= STATUS2_LOCK;
  else
    tuner->regs[2] &= (guint8) ~STATUS2_LOCK;
}

int
fer_emu_r82xx_i2c_write (FerEmuR82xx *tuner, const guint8 *data, gsize n_bytes)
{
  if (n_bytes == 0)
    return 0;
  guint reg = data[0];
  for (gsize i = 1; i < n_bytes; i++, reg++)
    {
      /* Status registers are read-only; past the last register the chip
       * still acknowledges but stores nothing. */
      if (reg > REG_STATUS_LAST && reg < FER_EMU_R82XX_N_REGS)
        tuner->regs[reg] = data[i];
    }
  update_lock_status (tuner);
  return (int) n_bytes;
}

int
fer_emu_r82xx_i2c_read (FerEmuR82xx *tuner, guint8 *data, gsize n_bytes)
{
  for (gsize i = 0; i < n_bytes; i++)
    data[i] = bit_reverse (tuner->regs[i % FER_EMU_R82XX_N_REGS]);
  return (int) n_bytes;
}

guint8
fer_emu_r82xx_get_reg (FerEmuR82xx *tuner, guint reg)
{
  return reg < FER_EMU_R82XX_N_REGS ? tuner->regs[reg] : 0;
}

void
fer_emu_r82xx_set_gain_status (FerEmuR82xx *tuner, guint lna_index, guint mixer_index)
{
  tuner->regs[3] = (guint8) ((lna_index & 0x0f) | (mixer_index & 0x0f) << 4);
}

void
fer_emu_r82xx_get_state (FerEmuR82xx *tuner, double xtal_hz, FerEmuR82xxState *state)
{
  const guint8 *r = tuner->regs;

  double ref_hz = xtal_hz;
  if (r[0x10] & 0x10)
    ref_hz /= 2.0;
  guint div_num = r[0x10] >> 5;
  double mix_div = (double) (2u << div_num);
  guint ni = r[0x14] & 0x3f;
  guint si = r[0x14] >> 6;
  double nint = 4.0 * ni + si + 13.0;
  double frac = 0.0;
  if (!(r[0x12] & 0x08))
    frac = (double) ((guint) r[0x16] << 8 | r[0x15]) / 65536.0;

  state->vco_hz = 2.0 * ref_hz * (nint + frac);
  state->lo_hz = state->vco_hz / mix_div;
  state->locked = state->vco_hz >= VCO_MIN_HZ && state->vco_hz <= VCO_MAX_HZ;

  state->lna_index = r[0x05] & 0x0f;
  state->lna_auto = !(r[0x05] & 0x10);
  state->mixer_index = r[0x07] & 0x0f;
  state->mixer_auto = (r[0x07] & 0x10) != 0;
  state->vga_index = r[0x0c] & 0x0f;
  state->image_below = (r[0x07] & 0x80) != 0;
  state->powered = !(r[0x06] & 0x80);
  if (r[0x06] & 0x08)
    state->input = FER_EMU_TUNER_INPUT_CABLE2;
  else if (r[0x05] & 0x40)
    state->input = FER_EMU_TUNER_INPUT_CABLE1;
  else
    state->input = FER_EMU_TUNER_INPUT_AIR;
}
