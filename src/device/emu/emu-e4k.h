/* emu-e4k.h - register model of an Elonics E4000 tuner as an I2C slave, for
 * the emulated dongle.
 *
 * The model keeps the chip's 256 registers. A write sets the register
 * pointer to data[0] and stores the values from there, auto-incrementing; a
 * read answers from the pointer on. Register 2 holds the chip id 0x40;
 * SYNTH1 (0x07) bit 0 reports PLL lock and follows every write. Writing
 * MASTER1 (0x00) with bit 0 set resets the registers to their power-on
 * values.
 *
 * Everything the dongle needs - LO, lock, standby, gain - is derived from the
 * registers by fer_emu_e4k_get_state (). Not thread-safe: the dongle
 * serialises access.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_EMU_E4K_I2C_ADDR 0xc8
#define FER_EMU_E4K_N_REGS   256

typedef struct _FerEmuE4k FerEmuE4k;

/* What the registers say, for a given actual crystal frequency. */
typedef struct {
  double lo_hz;          /* VCO / divider */
  double vco_hz;         /* xtal (Z + X / 65536) */
  gboolean locked;       /* VCO inside the range the PLL locks */
  gboolean powered;      /* MASTER1 bit 1: normal operation, not standby */
  gboolean lna_auto;     /* AGC1 mode with the LNA under the tuner's AGC */
  gboolean mixer_auto;   /* AGC7 bit 0 */
  double lna_gain_db;    /* GAIN1 code (when manual) */
  double mixer_gain_db;  /* GAIN2 bit 0: 4 or 12 dB (when manual) */
  double if_gain_db;     /* the six IF stages, summed */
} FerEmuE4kState;

/* The IF stages' sum after the usual init (+6, 0, 0, 0, +9, +9 dB): the
 * model counts IF gain relative to it. */
#define FER_EMU_E4K_IF_GAIN_REF_DB 24.0

FerEmuE4k *fer_emu_e4k_new (void);
void fer_emu_e4k_free (FerEmuE4k *tuner);

int fer_emu_e4k_i2c_write (FerEmuE4k *tuner, const guint8 *data, gsize n_bytes);
int fer_emu_e4k_i2c_read (FerEmuE4k *tuner, guint8 *data, gsize n_bytes);
guint8 fer_emu_e4k_get_reg (FerEmuE4k *tuner, guint reg);

void fer_emu_e4k_get_state (FerEmuE4k *tuner, double xtal_hz, FerEmuE4kState *state);

/* The LNA gains the chip's AGC can pick (dB, ascending), for the model's AGC. */
const double *fer_emu_e4k_lna_steps_db (guint *n_steps);

G_END_DECLS
