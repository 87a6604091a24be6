/* emu-dongle.h - register-level model of an RTL2832U USB demodulator with an
 * R820T, R828D (also as on an RTL-SDR Blog V4) or E4000 tuner, receiving a
 * FerScene - through the tuner, or straight into an ADC input at HF (direct
 * sampling).
 *
 * The model answers the vendor control transfers a real RTL2832U answers
 * (request 0; wIndex = block << 8 | 0x10 for writes | demod page; wValue =
 * demod register << 8 | 0x20, a USB/SYS register address, or an I2C address)
 * and keeps real register files. Everything it synthesizes - LO, IF, sample
 * rate, spectrum orientation, gain, test mode - is derived from those
 * registers only, so a driver that programs them wrongly hears stations in
 * the wrong place, mirrored, or not at all. See emu-dongle.c for the register
 * semantics and the physics of where an emitter lands.
 *
 * Threads: fer_emu_dongle_control () and the getters may run on one thread
 * while fer_emu_dongle_read () runs on another (the device thread); the
 * register state is under a mutex and each read works on a snapshot.
 */
#pragma once

#include <glib.h>

#include "emu-r82xx.h"
#include "emu-tuner.h"
#include "scene.h"

G_BEGIN_DECLS

typedef struct _FerEmuDongle FerEmuDongle;

/* Which ADC input the board wires the HF antenna to, for direct sampling. */
typedef enum {
  FER_EMU_HF_ON_Q,     /* the RTL-SDR Blog V3 layout (the default) */
  FER_EMU_HF_ON_I,     /* the classic modification: HF into the I input */
  FER_EMU_HF_NONE,     /* no HF input */
} FerEmuHfWiring;

/* What feeds the demodulator. */
typedef enum {
  FER_EMU_INPUT_NONE,   /* an ADC input nothing drives: noise only */
  FER_EMU_INPUT_TUNER,  /* the tuner's output (real IF, or I/Q at zero IF) */
  FER_EMU_INPUT_HF,     /* the HF antenna straight into the ADC */
} FerEmuInput;

/* The state the registers describe, as the model uses it. */
typedef struct {
  double xtal_hz;        /* actual crystal (nominal 28.8 MHz scaled by the ppm error) */
  double rate_hz;        /* actual output sample rate; 0 = resampler not programmed */
  double lo_hz;          /* actual tuner LO */
  double if_hz;          /* IF the demod's DDC shifts to 0 Hz */
  double center_hz;      /* RF frequency that lands at 0 Hz: lo_hz - if_hz for a
                          * low-IF tuner, lo_hz + if_hz at zero IF, if_hz
                          * (modulo the crystal) when sampling HF directly */
  gboolean inverted;     /* spectrum inversion (page 1 0x15 bit 0) */
  gboolean zero_if;      /* page 1 0xb1 bit 0 */
  gboolean pll_locked;   /* tuner PLL */
  gboolean demod_on;     /* SYS DEMOD_CTL: PLL on, out of reset, ADC_I on */
  gboolean test_mode;    /* page 0 0x19 bit 1: byte counter instead of samples */
  gboolean i2c_repeater; /* page 1 0x01 bit 3 */
  gboolean agc;          /* LNA or mixer gain under the tuner's AGC */
  guint lna_index;       /* in effect (after the AGC) */
  guint mixer_index;
  guint vga_index;
  double gain_db;        /* tuner gain in effect: R82xx LNA + mixer + VGA (0 dB at
                          * VGA index 8); E4000 LNA + mixer + IF - 24 dB */
  gboolean tuner_powered;/* the tuner is not in standby */
  FerEmuInput input;     /* what the demodulator digitises */
  gboolean digital_agc;  /* page 0 0x19 bit 5 */
  double dagc_gain_db;   /* what the digital AGC adds */
  guint8 gpio_high;      /* GPIO pins driven high (outputs whose GPO bit is set) */
  gboolean bias_tee;     /* GPIO 0 driven high */
} FerEmuParams;

/* @scene is taken (NULL = the default scene); add emitters before use. */
FerEmuDongle *fer_emu_dongle_new (FerEmuTunerType tuner, FerScene *scene);
void fer_emu_dongle_free (FerEmuDongle *emu);

/* One vendor control transfer. @request_type 0x40 (OUT) or 0xc0 (IN).
 * Returns the bytes transferred, or a negative errno: -EPIPE is a stall (a
 * malformed request, an unknown block or address, an I2C NAK). */
int fer_emu_dongle_control (FerEmuDongle *emu, guint8 request_type, guint8 request,
                            guint16 value, guint16 index, guint8 *data, guint16 length);

/* The next @n_bytes of the bulk stream: interleaved I/Q bytes (127.5 = 0),
 * or the test-mode counter. Call from one thread. */
void fer_emu_dongle_read (FerEmuDongle *emu, guint8 *out, gsize n_bytes);

/* The crystal (shared by both chips) runs @ppm fast; default 0. */
void fer_emu_dongle_set_xtal_ppm (FerEmuDongle *emu, double ppm);

/* Where the HF antenna enters; default FER_EMU_HF_ON_Q. */
void fer_emu_dongle_set_hf_wiring (FerEmuDongle *emu, FerEmuHfWiring wiring);

/* The USB string descriptors this dongle reports (static strings): an
 * RTL-SDR Blog V4 says "RTLSDRBlog" / "Blog V4", others "Realtek" /
 * "RTL2838UHIDIR"; the serial is "00000001". */
void fer_emu_dongle_get_usb_strings (FerEmuDongle *emu, const char **manufacturer,
                                     const char **product, const char **serial);

/* Endpoint FIFO running (USB_EPA_CTL neither stalled nor in reset). */
gboolean fer_emu_dongle_is_streaming (FerEmuDongle *emu);

/* Getters (any thread). */
void fer_emu_dongle_get_params (FerEmuDongle *emu, FerEmuParams *params);
double fer_emu_dongle_get_sample_rate (FerEmuDongle *emu);
double fer_emu_dongle_get_lo_hz (FerEmuDongle *emu);
double fer_emu_dongle_get_if_hz (FerEmuDongle *emu);
double fer_emu_dongle_get_center_hz (FerEmuDongle *emu);
gboolean fer_emu_dongle_get_inverted (FerEmuDongle *emu);
double fer_emu_dongle_get_gain_db (FerEmuDongle *emu);
gboolean fer_emu_dongle_get_test_mode (FerEmuDongle *emu);
FerEmuTunerType fer_emu_dongle_get_tuner_type (FerEmuDongle *emu);
/* e.g. "R820T", "E4000", "R828D (RTL-SDR Blog V4)" (static). */
const char *fer_emu_dongle_get_tuner_name (FerEmuDongle *emu);
gboolean fer_emu_dongle_get_bias_tee (FerEmuDongle *emu);
/* A tuner register as the chip holds it (for tests). */
guint8 fer_emu_dongle_get_tuner_reg (FerEmuDongle *emu, guint reg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerEmuDongle, fer_emu_dongle_free)

G_END_DECLS
