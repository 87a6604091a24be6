/* usb-emu.h - a FerUsb backend that is the emulated RTL2832U + R820T.
 *
 * Control transfers go to the register model; bulk endpoint 0x81 streams what
 * the model synthesizes, on the backend's own device thread, while the
 * model's endpoint FIFO runs (the driver starts it through USB_EPA_CTL).
 */
#pragma once

#include "usb.h"
#include "emu/emu-dongle.h"

G_BEGIN_DECLS

typedef enum {
  /* Transfers arrive at the model's actual sample rate, against the
   * monotonic clock, like a real dongle. */
  FER_EMU_PACE_REALTIME,
  /* As fast as the consumer takes them: before each transfer the backend
   * calls the consumer's wait_ready (if set) and ends when it returns FALSE.
   * stop_bulk joins the device thread, so a wait_ready that blocks must
   * return once the consumer stops. */
  FER_EMU_PACE_UNTHROTTLED,
} FerEmuPacing;

/* @emu is taken (freed by fer_usb_close). */
FerUsb *fer_usb_emu_new (FerEmuDongle *emu, FerEmuPacing pacing);

/* The model inside (borrowed), e.g. for tests to set a crystal error. */
FerEmuDongle *fer_usb_emu_get_dongle (FerUsb *usb);

/* Simulates pulling the dongle out: from now on control transfers and
 * start_bulk fail with FER_DEVICE_ERROR_GONE, and a running stream ends
 * with one on_dead call carrying that error. */
void fer_usb_emu_unplug (FerUsb *usb);

G_END_DECLS
