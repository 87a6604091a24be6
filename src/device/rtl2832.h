/* rtl2832.h - the Realtek RTL2832U demodulator driven as an SDR front end.
 *
 * The RTL2832U digitises the tuner's IF at its 28.8 MHz crystal, shifts it to
 * zero, resamples it to the requested rate and streams 8-bit I/Q (cu8) on bulk
 * endpoint 0x81. Everything is programmed with vendor control transfers
 * through a FerUsb; the tuner sits behind the chip's I2C master.
 *
 * Threads: the setters and start/stop are called from one control thread at a
 * time (the caller serialises them); they may run while the stream does. Bulk
 * data and on_dead arrive on the USB backend's device thread.
 *
 * Included only inside src/device/ and by tests.
 */
#pragma once

#include <glib.h>

#include "usb.h"
#include "tuner.h"

G_BEGIN_DECLS

typedef struct _FerRtl2832 FerRtl2832;

/* Direct sampling: an ADC input digitises the antenna straight, without the
 * tuner (which goes to standby), for HF. Boards wire HF to the Q input
 * (RTL-SDR Blog V3) or, after a modification, to the I input. */
typedef enum {
  FER_RTL2832_DIRECT_AUTO,  /* Q input below the tuner's range and under 24 MHz;
                             * the tuner everywhere else (the default) */
  FER_RTL2832_DIRECT_OFF,   /* always the tuner */
  FER_RTL2832_DIRECT_I,     /* always the I input */
  FER_RTL2832_DIRECT_Q,     /* always the Q input */
} FerRtl2832DirectSampling;

#define FER_RTL2832_XTAL_HZ            28800000u
/* Direct sampling receives up to the crystal frequency (above 14.4 MHz the
 * second Nyquist zone); Ferrite switches to it on its own below this. */
#define FER_RTL2832_DIRECT_MAX_HZ      FER_RTL2832_XTAL_HZ
#define FER_RTL2832_DIRECT_AUTO_BELOW_HZ 24000000u
#define FER_RTL2832_BULK_ENDPOINT      0x81
/* Default transfer ring: 32 x 16 KiB is 109 ms of samples at 2.4 MS/s. */
#define FER_RTL2832_DEFAULT_N_TRANSFERS    32
#define FER_RTL2832_DEFAULT_TRANSFER_BYTES (16 * 1024)

/* Opens the chip behind @usb (taken, also on failure): claims interface 0,
 * initialises the baseband, finds the tuner and brings it up. A tuner
 * Ferrite does not drive, or none, gives FER_DEVICE_ERROR_UNSUPPORTED. After
 * open the stream is 2.4 MS/s at 100 MHz (or the nearest the tuner
 * reaches) with tuner AGC. */
FerRtl2832 *fer_rtl2832_open (FerUsb *usb, GError **error);
/* Stops streaming, puts the tuner in standby, powers the demodulator down
 * and closes the FerUsb. NULL is allowed. */
void fer_rtl2832_close (FerRtl2832 *self);

/* e.g. "Rafael Micro R820T", or "Rafael Micro R828D (RTL-SDR Blog V4)" */
const char *fer_rtl2832_get_tuner_name (FerRtl2832 *self);
/* e.g. "Realtek RTL2838UHIDIR SN 00000001" */
const char *fer_rtl2832_get_description (FerRtl2832 *self);
/* What set_center_freq accepts: the tuner's range, extended down to 0 Hz
 * while direct sampling is possible (not with DIRECT_OFF). The tuner alone
 * may have gaps (E4000). */
void fer_rtl2832_get_freq_range (FerRtl2832 *self, guint32 *min_hz, guint32 *max_hz);

/* Allowed: 225001..300000 and 900001..3200000 S/s; others give
 * FER_DEVICE_ERROR_INVALID. The chip makes crystal * 2^22 / ratio, so the
 * rate set may differ from @rate_hz by a fraction of a sample per second:
 * get_sample_rate says what it is. */
gboolean fer_rtl2832_set_sample_rate (FerRtl2832 *self, guint32 rate_hz, GError **error);
double fer_rtl2832_get_sample_rate (FerRtl2832 *self);

/* Tunes so that @freq_hz is at 0 Hz in the stream; out of the tuner's range:
 * FER_DEVICE_ERROR_INVALID, and the old tuning stays. Direct sampling turns
 * on and off here as the direct sampling setting says. */
gboolean fer_rtl2832_set_center_freq (FerRtl2832 *self, guint32 freq_hz, GError **error);
guint32 fer_rtl2832_get_center_freq (FerRtl2832 *self);

/* The crystal's error in ppm (positive: runs fast). Re-applies the sample
 * rate correction, the IF and the tuning. */
gboolean fer_rtl2832_set_freq_correction (FerRtl2832 *self, int ppm, GError **error);
int fer_rtl2832_get_freq_correction (FerRtl2832 *self);

/* Manual tuner gain in tenths of a dB, rounded to the nearest supported step;
 * turns tuner AGC off. */
gboolean fer_rtl2832_set_gain (FerRtl2832 *self, int gain_tenth_db, GError **error);
/* The step the tuner is at (after rounding). */
int fer_rtl2832_get_gain (FerRtl2832 *self);
/* TRUE: the tuner's AGC; FALSE: back to the last manual gain. */
gboolean fer_rtl2832_set_tuner_agc (FerRtl2832 *self, gboolean on, GError **error);
gboolean fer_rtl2832_get_tuner_agc (FerRtl2832 *self);
/* Gains set_gain reaches, ascending, tenths of a dB; owned by the driver. */
const int *fer_rtl2832_get_gains (FerRtl2832 *self, guint *n_gains);

/* Tuner IF filter bandwidth; 0 = automatic (the default): the filters
 * follow the sample rate (twice the offset with offset tuning), as the
 * sample rate changes too. On a low-IF tuner a narrow filter moves the IF
 * (an R820T at 2.4 MS/s: 1.815 MHz); the driver follows it. */
gboolean fer_rtl2832_set_bandwidth (FerRtl2832 *self, guint32 bandwidth_hz, GError **error);
/* One IF gain stage (1-based) of tuners that have them (E4000: 6), to the
 * nearest step; others: FER_DEVICE_ERROR_UNSUPPORTED. */
gboolean fer_rtl2832_set_if_gain (FerRtl2832 *self, guint stage, int gain_tenth_db,
                                  GError **error);

/* See FerRtl2832DirectSampling; retunes to the current frequency. Tuning
 * outside what the new setting receives: FER_DEVICE_ERROR_INVALID, and the
 * old setting stays. */
gboolean fer_rtl2832_set_direct_sampling (FerRtl2832 *self, FerRtl2832DirectSampling mode,
                                          GError **error);
FerRtl2832DirectSampling fer_rtl2832_get_direct_sampling (FerRtl2832 *self);
/* The input in use now: DIRECT_OFF (the tuner), DIRECT_I or DIRECT_Q. */
FerRtl2832DirectSampling fer_rtl2832_get_direct_input (FerRtl2832 *self);

/* Offset tuning, for zero-IF tuners (E4000, FC001x, FC2580): the LO sits
 * 0.85 x the sample rate away from the tuned frequency and the demodulator
 * shifts the signal back, so the tuner's DC offset falls outside the stream.
 * Low-IF tuners have no DC offset on the signal: FER_DEVICE_ERROR_UNSUPPORTED.
 * Takes effect whenever the tuner is in use (not while direct sampling). */
gboolean fer_rtl2832_set_offset_tuning (FerRtl2832 *self, gboolean on, GError **error);
gboolean fer_rtl2832_get_offset_tuning (FerRtl2832 *self);
/* TRUE for a zero-IF tuner, where offset tuning applies. */
gboolean fer_rtl2832_is_zero_if (FerRtl2832 *self);
/* How far the LO is from the tuned frequency now (LO = tuned - offset). */
int fer_rtl2832_get_offset_hz (FerRtl2832 *self);

/* The bias tee: GPIO 0 drives the antenna's DC supply (for an active
 * antenna or LNA) on boards that have one. Switched off again by close. */
gboolean fer_rtl2832_set_bias_tee (FerRtl2832 *self, gboolean on, GError **error);
gboolean fer_rtl2832_get_bias_tee (FerRtl2832 *self);

/* The chip's digital AGC (off by default: it distorts weak signals). */
gboolean fer_rtl2832_set_digital_agc (FerRtl2832 *self, gboolean on, GError **error);
gboolean fer_rtl2832_get_digital_agc (FerRtl2832 *self);
/* Test mode: the chip streams an 8-bit counter instead of samples. */
gboolean fer_rtl2832_set_test_mode (FerRtl2832 *self, gboolean on, GError **error);
gboolean fer_rtl2832_get_test_mode (FerRtl2832 *self);

/* Streaming through @callbacks (copied). Resets the chip's FIFO, then starts
 * the bulk ring. set_transfer_ring applies to the next start; transfer bytes
 * are rounded up to a multiple of 512 (the bulk packet size). */
void fer_rtl2832_set_transfer_ring (FerRtl2832 *self, guint n_transfers, gsize transfer_bytes);
gboolean fer_rtl2832_start (FerRtl2832 *self, const FerUsbBulkCallbacks *callbacks,
                            GError **error);
/* Returns once the last callback has returned. No-op when not streaming. */
void fer_rtl2832_stop (FerRtl2832 *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerRtl2832, fer_rtl2832_close)

G_END_DECLS
