/* emu-tuner.h - the tuner on the emulated dongle's I2C bus, whichever model
 * it is (R820T, R828D, the R828D of an RTL-SDR Blog V4, E4000), seen the
 * same way by the dongle: an I2C slave, and what its registers make of the
 * antenna signal (LO, lock, standby, output kind, input port, gain).
 *
 * Not thread-safe: the dongle serialises access.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FER_EMU_TUNER_R820T,    /* I2C 0x34, shares the 28.8 MHz crystal of the demod */
  FER_EMU_TUNER_R828D,    /* I2C 0x74, own 16 MHz crystal */
  FER_EMU_TUNER_E4000,    /* I2C 0xc8, zero IF, shares the 28.8 MHz crystal */
  FER_EMU_TUNER_BLOG_V4,  /* an R828D on an RTL-SDR Blog V4 board: the 28.8 MHz
                           * crystal; HF (below 28.8 MHz) reaches its cable-2
                           * input through a 28.8 MHz upconverter */
} FerEmuTunerType;

/* The front-end port an R82xx listens on (registers 0x05, 0x06). */
typedef enum {
  FER_EMU_TUNER_INPUT_AIR,
  FER_EMU_TUNER_INPUT_CABLE1,
  FER_EMU_TUNER_INPUT_CABLE2,
} FerEmuTunerInput;

/* Where the crystal of the upconverter of the Blog V4 puts HF. */
#define FER_EMU_BLOG_V4_UPCONVERT_HZ 28.8e6

typedef struct {
  double lo_hz;
  gboolean locked;        /* the PLL locks (else the output is noise) */
  gboolean powered;       /* not in standby */
  gboolean quadrature;    /* zero IF: I and Q outputs; else one real IF on I */
  gboolean image_below;   /* real IF: the image-reject mixer rejects below the LO */
  FerEmuTunerInput input;
  gboolean agc;           /* some gain stage under the tuner's own AGC */
  double gain_db;         /* in effect; the scene's levels hold at FER_SCENE_REF_GAIN_DB */
  guint lna_index, mixer_index, vga_index;   /* R82xx stages in effect */
} FerEmuTunerState;

typedef struct _FerEmuTuner FerEmuTuner;

FerEmuTuner *fer_emu_tuner_new (FerEmuTunerType type);
void fer_emu_tuner_free (FerEmuTuner *tuner);

FerEmuTunerType fer_emu_tuner_get_type (FerEmuTuner *tuner);
const char *fer_emu_tuner_get_name (FerEmuTuner *tuner);   /* e.g. "R820T" */
guint8 fer_emu_tuner_get_i2c_addr (FerEmuTuner *tuner);
/* Nominal reference crystal. */
double fer_emu_tuner_get_xtal_hz (FerEmuTuner *tuner);

/* An I2C write (@data[0] the start register) or read. Returns @n_bytes. */
int fer_emu_tuner_i2c_write (FerEmuTuner *tuner, const guint8 *data, gsize n_bytes);
int fer_emu_tuner_i2c_read (FerEmuTuner *tuner, guint8 *data, gsize n_bytes);
/* A register as the chip holds it. */
guint8 fer_emu_tuner_get_reg (FerEmuTuner *tuner, guint reg);

/* Decodes the registers with the actual crystal @xtal_hz. gain_db is the
 * manual setting; with agc set, call settle_agc for what the AGC picks. */
void fer_emu_tuner_get_state (FerEmuTuner *tuner, double xtal_hz, FerEmuTunerState *state);
/* The tuner's AGC: for an input that gives output power @power_ref (mean
 * |iq|^2, full scale 1) at the reference gain, picks the highest gain it can
 * reach that keeps the output at or below the AGC target, updates @state and
 * reports the choice in the chip's status registers. */
void fer_emu_tuner_settle_agc (FerEmuTuner *tuner, FerEmuTunerState *state, double power_ref);

/* Output level the tuner AGCs (and the demodulator's digital AGC) aim at. */
#define FER_EMU_AGC_TARGET_DBFS (-20.0)

G_END_DECLS
