/* test-emu-common.h - a minimal RTL2832U + R820T "driver" for tests and the
 * emulator benchmark, and a few signal measurements.
 *
 * The driver talks to the emulated dongle only through vendor control
 * transfers, with the register sequence a real driver uses (baseband init,
 * tuner probe through the I2C repeater, resampler ratio, IF, inversion, R820T
 * PLL, gain), so the tests check the model the way Ferrite's driver meets it.
 */
#pragma once

#include <glib.h>

#include "device/emu/emu-dongle.h"

G_BEGIN_DECLS

#define TEST_VENDOR_OUT 0x40
#define TEST_VENDOR_IN  0xc0

typedef struct {
  FerEmuDongle *emu;      /* borrowed */
  double ppm;             /* crystal correction the driver applies */
  double if_hz;           /* IF it programs (3.57 MHz after init) */
  gboolean high_side;     /* LO = frequency + IF (TRUE) or - IF */
  guint8 tuner_addr;
  double tuner_xtal_hz;   /* nominal */
  guint8 shadow[32];      /* tuner registers as written */
} TestDriver;

/* Low-level transfers; each asserts success unless it says otherwise. */
void test_demod_write (FerEmuDongle *emu, guint page, guint addr, guint value, guint len);
guint test_demod_read (FerEmuDongle *emu, guint page, guint addr, guint len);
void test_reg_write (FerEmuDongle *emu, guint block, guint addr, guint value, guint len);
guint test_reg_read (FerEmuDongle *emu, guint block, guint addr, guint len);
/* Return the control result (bytes or -errno). */
int test_i2c_write (FerEmuDongle *emu, guint8 addr, const guint8 *data, guint16 len);
int test_i2c_read (FerEmuDongle *emu, guint8 addr, guint8 *data, guint16 len);
void test_set_repeater (FerEmuDongle *emu, gboolean on);

/* Baseband init, tuner probe and init, IF 3.57 MHz, inversion on, FIFO
 * still in reset. Asserts the tuner answered. */
void test_driver_init (TestDriver *d, FerEmuDongle *emu);
/* Resampler ratio for @rate_hz plus the ppm correction register. Returns the
 * exact rate the ratio gives at the nominal crystal. */
double test_driver_set_rate (TestDriver *d, double rate_hz);
void test_driver_set_if (TestDriver *d, double if_hz);
void test_driver_set_inversion (TestDriver *d, gboolean on);
/* Programs the PLL for @lo_hz; returns FALSE if the tuner reports no lock. */
gboolean test_driver_set_lo (TestDriver *d, double lo_hz);
/* Tunes so @freq_hz lands at 0 Hz: LO = freq + IF (high side). */
gboolean test_driver_tune (TestDriver *d, double freq_hz);
/* Applies a crystal correction (sample clock register; takes effect on the
 * tuner at the next tune). */
void test_driver_set_ppm (TestDriver *d, double ppm);
void test_driver_set_manual_gain (TestDriver *d, guint lna, guint mixer, guint vga);
void test_driver_set_agc (TestDriver *d);
void test_driver_set_test_mode (TestDriver *d, gboolean on);
/* Resets the endpoint FIFO and lets it run. */
void test_driver_start (TestDriver *d);
void test_driver_stop (TestDriver *d);

/* The whole bring-up: init, @rate_hz, AGC, tuned to @freq_hz, streaming. */
void test_driver_setup (TestDriver *d, FerEmuDongle *emu, double rate_hz, double freq_hz);

/* ---- measurements ---- */

/* Converts cu8 to floats in full-scale units (127.5 codes = 1). */
void test_cu8_to_iq (const guint8 *bytes, gsize n_samples, float *i_out, float *q_out);
/* Mean |x|^2 of cu8 samples in dB re full scale. */
double test_cu8_power_dbfs (const guint8 *bytes, gsize n_samples);
/* In-place complex FFT, @n a power of two. */
void test_fft (double *re, double *im, gsize n);
/* Hann-windowed power spectrum of the first @n (power of two) samples;
 * returns the signed bin (-n/2 .. n/2-1) of the strongest peak. */
gint test_peak_bin (const guint8 *bytes, gsize n, double *power_out);
/* Low-pass FIR (windowed sinc, @n_taps odd) with cutoff @cutoff_norm
 * (cycles/sample). Caller frees. */
float *test_lowpass_taps (guint n_taps, double cutoff_norm);

G_END_DECLS
