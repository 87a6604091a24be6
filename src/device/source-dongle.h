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
 * from the control thread, like the setters. */
FerRtl2832 *fer_source_dongle_get_rtl2832 (FerSource *source);

G_END_DECLS
