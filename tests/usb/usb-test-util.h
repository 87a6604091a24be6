/* usb-test-util.h - what the tests of the real USB path share: a testbed with
 * the emulated dongle plugged in, and waiting for things with a deadline.
 */
#pragma once

#include <glib.h>

#include "emu-usbdevfs.h"

G_BEGIN_DECLS

#define EXIT_SKIP 77

/* Call first in main (): re-executes under the umockdev preload, or exits
 * with 77 (skipped) when umockdev is not installed. */
void usb_test_init (int *argc, char ***argv);

/* A fresh testbed with one R820T dongle plugged in (serial 00000001). */
FerEmuUsbdevfs *usb_test_server_new (gboolean realtime);

/* Polls @done every millisecond until it returns TRUE or @timeout_s passes;
 * returns what it last returned. */
gboolean usb_test_wait (gboolean (*done) (gpointer data), gpointer data, double timeout_s);

G_END_DECLS
