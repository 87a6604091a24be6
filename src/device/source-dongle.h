/* source-dongle.h - an RTL2832U dongle as a source, over any FerUsb backend.
 *
 * Real hardware (usb-libusb) and the emulated dongle (usb-emu) go through the
 * same driver and the same source. Blocks are cu8 stamped with the centre and
 * rate the driver really set.
 */
#pragma once

#include "source.h"
#include "usb.h"
#include "rtl2832.h"

G_BEGIN_DECLS

/* Opens the dongle behind @usb (taken, also on failure). @name is what the
 * window shows (NULL: the USB description and the tuner). @paced: TRUE for
 * hardware and real-time emulation (a full pool drops blocks), FALSE for a
 * backend that can wait for the consumer. The stream starts at 2.4 MS/s,
 * 100 MHz, tuner AGC. Errors: those of fer_rtl2832_open (). */
FerSource *fer_source_dongle_new (FerUsb *usb, FerSourceKind kind, const char *name,
                                  gboolean paced, GError **error);

/* The driver behind a source made by fer_source_dongle_new () (borrowed), for
 * what FerSource does not cover: test mode, digital AGC, bandwidth. Use it
 * from the control thread, like the setters. After an unplug it is NULL until
 * the dongle is back, then a new one (see fer_source_dongle_set_reopen). */
FerRtl2832 *fer_source_dongle_get_rtl2832 (FerSource *source);

/* TRUE for a source made by fer_source_dongle_new (). */
gboolean fer_source_is_dongle (FerSource *source);

/* The bulk ring of the next start (and of every reconnect): see
 * fer_rtl2832_set_transfer_ring (). */
void fer_source_dongle_set_transfer_ring (FerSource *source, guint n_transfers,
                                          gsize transfer_bytes);

/* Surviving an unplug. Opens the same dongle again once it is back: a new
 * FerUsb, or NULL with @error unset while it is absent, or NULL with @error
 * set when it is back but will not open (the reason is reported; it is tried
 * again). It may block up to @wait_ms waiting for the dongle to arrive, so
 * that calling it in a loop does not spin. Runs on the source's reconnect
 * thread. */
typedef FerUsb *(*FerDongleReopenFunc) (gpointer user_data, guint wait_ms, GError **error);

typedef enum {
  FER_DONGLE_STATE_CONNECTED,     /* streaming again after a reconnect */
  FER_DONGLE_STATE_DISCONNECTED,  /* unplugged; waiting for it to come back */
  FER_DONGLE_STATE_REOPEN_FAILED, /* it is back but will not open; still trying */
} FerDongleState;

/* Reconnect thread; @message is for the person. */
typedef void (*FerDongleStateFunc) (FerSource *source, FerDongleState state,
                                    const char *message, gpointer user_data);

/* With a reopen function an unplugged dongle does not end the stream: the
 * source waits for it, opens it again, brings back the sample rate,
 * frequency, gain, correction and the driver's other settings (those
 * changed while it was away included), and streams on; the first block after
 * the gap is marked as a discontinuity. Without one (the default) an unplug
 * ends the stream with FER_DEVICE_ERROR_GONE. Call before starting; @destroy
 * frees @user_data with the source. */
void fer_source_dongle_set_reopen (FerSource *source, FerDongleReopenFunc reopen,
                                   gpointer user_data, GDestroyNotify destroy);
/* Who hears about unplugs and reconnects (one listener; NULL removes it). */
void fer_source_dongle_set_state_func (FerSource *source, FerDongleStateFunc func,
                                       gpointer user_data);
/* FALSE between an unplug and the reconnect. */
gboolean fer_source_dongle_is_connected (FerSource *source);

G_END_DECLS
