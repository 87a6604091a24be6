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

#define FER_RTL2832_XTAL_HZ            28800000u
#define FER_RTL2832_BULK_ENDPOINT      0x81
/* Default transfer ring: 16 x 16 KiB is 55 ms of samples at 2.4 MS/s. */
#define FER_RTL2832_DEFAULT_N_TRANSFERS    16
#define FER_RTL2832_DEFAULT_TRANSFER_BYTES (16 * 1024)

/* Opens the chip behind @usb (taken, also on failure): claims interface 0,
 * initialises the baseband, finds the tuner and brings it up. A tuner
 * Ferrite does not drive, or none, gives FER_DEVICE_ERROR_UNSUPPORTED. After
 * open the stream is 2.4 MS/s at 100 MHz with tuner AGC. */
FerRtl2832 *fer_rtl2832_open (FerUsb *usb, GError **error);
/* Stops streaming, puts the tuner in standby, powers the demodulator down
 * and closes the FerUsb. NULL is allowed. */
void fer_rtl2832_close (FerRtl2832 *self);

/* e.g. "Rafael Micro R820T" */
const char *fer_rtl2832_get_tuner_name (FerRtl2832 *self);
/* e.g. "Realtek RTL2838UHIDIR SN 00000001" */
const char *fer_rtl2832_get_description (FerRtl2832 *self);
void fer_rtl2832_get_freq_range (FerRtl2832 *self, guint32 *min_hz, guint32 *max_hz);

/* Allowed: 225001..300000 and 900001..3200000 S/s; others give
 * FER_DEVICE_ERROR_INVALID. The chip makes crystal * 2^22 / ratio, so the
 * rate set may differ from @rate_hz by a fraction of a sample per second:
 * get_sample_rate says what it is. */
gboolean fer_rtl2832_set_sample_rate (FerRtl2832 *self, guint32 rate_hz, GError **error);
double fer_rtl2832_get_sample_rate (FerRtl2832 *self);

/* Tunes so that @freq_hz is at 0 Hz in the stream; out of the tuner's range:
 * FER_DEVICE_ERROR_INVALID. */
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

/* Tuner IF filter bandwidth; 0 = the tuner's default (the widest that keeps
 * the default IF). May move the IF; the driver follows it. */
gboolean fer_rtl2832_set_bandwidth (FerRtl2832 *self, guint32 bandwidth_hz, GError **error);

/* The chip's digital AGC (off by default: it distorts weak signals). */
gboolean fer_rtl2832_set_digital_agc (FerRtl2832 *self, gboolean on, GError **error);
/* Test mode: the chip streams an 8-bit counter instead of samples. */
gboolean fer_rtl2832_set_test_mode (FerRtl2832 *self, gboolean on, GError **error);

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
