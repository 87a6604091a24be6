/* usb.h - the USB transport port the RTL2832U driver talks through.
 *
 * The driver sees only this interface. Backends implement FerUsbOps:
 * usb-emu.c (the in-process emulated dongle) and usb-libusb.c (real hardware).
 * Control transfers may be issued from any one thread at a time while bulk
 * streaming runs. Bulk data is delivered on the backend's own thread (the
 * device thread); on_dead fires at most once, on that thread, when the device
 * vanishes or streaming fails for good. stop_bulk () returns only after the
 * last callback has returned.
 */
#pragma once

#include <glib.h>

#include "device-error.h"

G_BEGIN_DECLS

/* bmRequestType values the RTL2832U uses: vendor requests to the device. */
#define FER_USB_VENDOR_IN  0xc0
#define FER_USB_VENDOR_OUT 0x40

typedef struct _FerUsb FerUsb;

/* Bulk data: @data is valid only during the call. Device thread. */
typedef void (*FerUsbDataFunc) (const guint8 *data, gsize n_bytes, gpointer user_data);
/* The stream is over for good (device gone, fatal error). Device thread, once. */
typedef void (*FerUsbDeadFunc) (const GError *error, gpointer user_data);
/* Optional: backends that can pace themselves to the consumer (the unthrottled
 * emulator) call it before producing each transfer; it returns FALSE when the
 * consumer wants the stream to stop. Real hardware never calls it. */
typedef gboolean (*FerUsbWaitFunc) (gpointer user_data);

typedef struct {
  FerUsbDataFunc on_data;
  FerUsbDeadFunc on_dead;
  FerUsbWaitFunc wait_ready;  /* may be NULL */
  gpointer user_data;
} FerUsbBulkCallbacks;

typedef struct {
  /* Returns the number of bytes transferred, or -1 with @error set. */
  int (*control) (FerUsb *usb, guint8 request_type, guint8 request, guint16 value,
                  guint16 index, guint8 *data, guint16 length, guint timeout_ms,
                  GError **error);
  gboolean (*claim_interface) (FerUsb *usb, int interface_number, GError **error);
  gboolean (*start_bulk) (FerUsb *usb, guint8 endpoint, guint n_transfers,
                          gsize transfer_bytes, const FerUsbBulkCallbacks *callbacks,
                          GError **error);
  void (*stop_bulk) (FerUsb *usb);
  void (*close) (FerUsb *usb);  /* stops bulk if running and frees the object */
  /* Optional (NULL: not known): the device's USB string descriptors, each
   * borrowed (valid until close) and NULL when absent. Some boards are told
   * apart only by them (the RTL-SDR Blog V4: "RTLSDRBlog", "Blog V4"). */
  void (*get_strings) (FerUsb *usb, const char **manufacturer, const char **product,
                       const char **serial);
} FerUsbOps;

/* Backends embed this as their first member. */
struct _FerUsb {
  const FerUsbOps *ops;
  char *description;  /* owned; e.g. "Realtek RTL2838UHIDIR SN 00000001" */
};

int fer_usb_control (FerUsb *usb, guint8 request_type, guint8 request, guint16 value,
                     guint16 index, guint8 *data, guint16 length, guint timeout_ms,
                     GError **error);
gboolean fer_usb_claim_interface (FerUsb *usb, int interface_number, GError **error);
gboolean fer_usb_start_bulk (FerUsb *usb, guint8 endpoint, guint n_transfers,
                             gsize transfer_bytes, const FerUsbBulkCallbacks *callbacks,
                             GError **error);
void fer_usb_stop_bulk (FerUsb *usb);
const char *fer_usb_get_description (FerUsb *usb);
/* The string descriptors (see get_strings); each NULL when unknown. Any
 * pointer may be NULL. */
void fer_usb_get_strings (FerUsb *usb, const char **manufacturer, const char **product,
                          const char **serial);
/* Closes the device; NULL is allowed. */
void fer_usb_close (FerUsb *usb);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerUsb, fer_usb_close)

G_END_DECLS
