/* demo-rig.h - the dongle source on an emulated dongle, and the spectrum of
 * what it streams, for the end-to-end driver tests.
 *
 * The rig runs the real RTL2832U and tuner drivers against the emulator,
 * which takes LO, IF, inversion, rate and gain only from the registers the
 * drivers wrote, so a carrier in the right FFT bin proves the register
 * programming. Samples are measured after every setter with the blocks that
 * could hold older samples skipped.
 */
#pragma once

#include <glib.h>

#include "device/emu/emu-dongle.h"
#include "device/source.h"

#define DEMO_FFT_N 4096
#define DEMO_POOL_BLOCKS 8
#define DEMO_BLOCK_BYTES 16384

typedef struct {
  int peak_bin;                  /* signed: negative frequencies below 0 */
  double peak_db;                /* power of the peak bin, dB re full scale */
  double power_db[DEMO_FFT_N];
  double tone_norm;              /* frequency of the dominant tone, cycles/sample */
} DemoSpectrum;

/* Hann-windowed power spectrum of DEMO_FFT_N cu8 samples. */
void demo_spectrum_of (const guint8 *cu8, DemoSpectrum *s);
/* The power of signed bin @bin. */
double demo_bin_db (const DemoSpectrum *s, int bin);
/* The signed bin of @offset_hz at @rate_hz. */
int demo_bin_of (double offset_hz, double rate_hz);

typedef struct {
  FerEmuDongle *emu;     /* borrowed: the source owns it */
  FerSource *source;
  FerBlockPool *pool;
  GAsyncQueue *queue;
} DemoRig;

/* A scene of carriers at @freqs_hz (@n of them), @level_dbfs each, over the
 * default noise floor. */
FerScene *demo_carrier_scene (const double *freqs_hz, guint n, double level_dbfs);

/* Opens a dongle source on @emu (taken), unthrottled, with the given pool,
 * sets @gain_db (NAN: leave the tuner's AGC) and starts streaming. The
 * FerUsb also reports the model's USB strings. */
void demo_rig_start (DemoRig *rig, FerEmuDongle *emu, double gain_db, gsize block_bytes,
                     guint n_blocks);
/* The same on a FerSource made by the caller around @emu (taken). */
void demo_rig_start_source (DemoRig *rig, FerEmuDongle *emu, FerSource *source, double gain_db,
                            gsize block_bytes, guint n_blocks);
void demo_rig_stop (DemoRig *rig);

/* The next block; fails the test on a timeout or the end of the stream. */
FerBlock *demo_rig_pop (DemoRig *rig);
/* DEMO_FFT_N samples made after the last setter returned; each block must be
 * stamped with the source's centre. */
void demo_rig_measure (DemoRig *rig, DemoSpectrum *s);
void demo_rig_tune_and_measure (DemoRig *rig, double center_hz, DemoSpectrum *s);
