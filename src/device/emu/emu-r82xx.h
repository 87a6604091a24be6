/* emu-r82xx.h - register model of a Rafael Micro R820T / R828D tuner as an
 * I2C slave, for the emulated dongle.
 *
 * The model keeps the chip's 32 registers. Writes start at a register
 * address and auto-increment; reads always start at register 0 and come back
 * bit-reversed (the chip shifts bytes out LSB first). Registers 0-4 are
 * read-only status: 0 = chip id (0x69 on the wire), 2 = PLL lock, 3 = current
 * LNA/mixer gain, 4 = VCO fine tune and filter calibration code. The model
 * is an R820T, an R828D, or the R828D of an RTL-SDR Blog V4 (which runs on
 * the demodulator's 28.8 MHz crystal).
 *
 * Everything the dongle needs (LO frequency, PLL lock, gain stages) is
 * derived from the registers by fer_emu_r82xx_get_state (). Not thread-safe:
 * the dongle serialises access.
 */
#pragma once

#include <glib.h>

#include "emu-tuner.h"

G_BEGIN_DECLS

#define FER_EMU_R820T_I2C_ADDR 0x34
#define FER_EMU_R828D_I2C_ADDR 0x74
#define FER_EMU_R82XX_N_REGS   32
#define FER_EMU_R82XX_N_STEPS  16

typedef struct _FerEmuR82xx FerEmuR82xx;

/* What the registers say, for a given actual crystal frequency. */
typedef struct {
  double lo_hz;        /* VCO / mixer divider */
  double vco_hz;
  gboolean locked;     /* VCO inside the range the PLL can lock */
  guint lna_index;     /* reg 0x05 [3:0] */
  gboolean lna_auto;   /* reg 0x05 bit 4 clear */
  guint mixer_index;   /* reg 0x07 [3:0] */
  gboolean mixer_auto; /* reg 0x07 bit 4 set */
  guint vga_index;     /* reg 0x0c [3:0] */
  gboolean image_below;/* reg 0x07 bit 7: the image-reject mixer rejects below the LO */
  gboolean powered;    /* reg 0x06 bit 7 clear (standby sets it) */
  FerEmuTunerInput input;  /* reg 0x06 bit 3 cable 2, else reg 0x05 bit 6
                            * cable 1, else air-in */
} FerEmuR82xxState;

/* @type: an R82xx type (R820T, R828D, BLOG_V4). */
FerEmuR82xx *fer_emu_r82xx_new (FerEmuTunerType type);
void fer_emu_r82xx_free (FerEmuR82xx *tuner);

FerEmuTunerType fer_emu_r82xx_get_type (FerEmuR82xx *tuner);
guint8 fer_emu_r82xx_get_i2c_addr (FerEmuR82xx *tuner);
/* Nominal crystal of the tuner (28.8 MHz for the R820T and the Blog V4,
 * 16 MHz for the R828D). */
double fer_emu_r82xx_get_xtal_hz (FerEmuR82xx *tuner);

/* An I2C write: @data[0] is the start register, the rest are values.
 * Returns the number of bytes acknowledged (always @n_bytes). */
int fer_emu_r82xx_i2c_write (FerEmuR82xx *tuner, const guint8 *data, gsize n_bytes);
/* An I2C read of @n_bytes starting at register 0, bit-reversed as on the wire. */
int fer_emu_r82xx_i2c_read (FerEmuR82xx *tuner, guint8 *data, gsize n_bytes);

/* Register value as the chip holds it (not bit-reversed). */
guint8 fer_emu_r82xx_get_reg (FerEmuR82xx *tuner, guint reg);

/* Decodes the PLL and gain registers. @xtal_hz is the actual crystal frequency. */
void fer_emu_r82xx_get_state (FerEmuR82xx *tuner, double xtal_hz, FerEmuR82xxState *state);

/* The gain stages the AGC settled on, reported in status register 3. */
void fer_emu_r82xx_set_gain_status (FerEmuR82xx *tuner, guint lna_index, guint mixer_index);

/* Gain of each stage at an index 0..15, in dB. LNA and mixer are cumulative
 * sums of the measured steps (0 dB at index 0); the VGA is relative to index
 * 8 (the fixed value used with manual gain), so it adds 0 dB there. */
double fer_emu_r82xx_lna_gain_db (guint index);
double fer_emu_r82xx_mixer_gain_db (guint index);
double fer_emu_r82xx_vga_gain_db (guint index);

G_END_DECLS
