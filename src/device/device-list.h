/* device-list.h - the receivers Ferrite can open: the RTL-SDR dongles plugged
 * in and the demo dongle, for --list-devices, --source and the window.
 *
 * A dongle is named by a spec, what --source takes:
 *   rtl          the first dongle
 *   rtl:N        the N-th (0-based, in --list-devices order)
 *   rtl:SERIAL   the dongle with that USB serial (an exact serial wins over a
 *                number: "rtl:1" is the dongle whose serial is "1" if there
 *                is one)
 * A dongle opened this way survives being unplugged: the source waits for the
 * same dongle (same serial; with several alike, the same USB port) and goes
 * on where it was.
 */
#pragma once

#include <glib.h>

#include "source.h"

G_BEGIN_DECLS

typedef enum {
  FER_DEVICE_KIND_RTL,
  FER_DEVICE_KIND_DEMO,
} FerDeviceKind;

typedef struct {
  FerDeviceKind kind;
  char *spec;       /* owned; what --source takes: "rtl:00000001", "rtl:0", "demo" */
  char *label;      /* owned; "Realtek RTL2838UHIDIR SN 00000001" */
  char *detail;     /* owned; "USB 1-1 (/dev/bus/usb/001/002)", NULL for the demo */
  GError *problem;  /* owned; why it cannot be opened now (permission), or NULL */
} FerDeviceInfo;

#define FER_DEVICE_DEMO_SPEC "demo"
#define FER_DEVICE_DEMO_LABEL "Demo dongle (emulated RTL2832U + R820T)"

void fer_device_info_free (FerDeviceInfo *info);

/* The dongles plugged in (in fer_usb_libusb_list () order), then the demo
 * dongle. An array of FerDeviceInfo; it frees them. */
GPtrArray *fer_device_list_new (void);

/* TRUE for "rtl" and "rtl:..." */
gboolean fer_device_spec_is_rtl (const char *spec);

/* What to open when the person names nothing: "rtl" when a dongle is
 * plugged in, else "demo". */
const char *fer_device_default_spec (void);

/* Opens the dongle @spec names as a source (paced, kind DONGLE, a ring of 32
 * transfers of 16 KiB) that reopens it after an unplug. Errors: those of
 * usb-libusb (NOT_FOUND, PERMISSION, BUSY, ...) and of the driver. */
FerSource *fer_device_open_rtl (const char *spec, GError **error);

G_END_DECLS
