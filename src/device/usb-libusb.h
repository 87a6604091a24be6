/* usb-libusb.h - the FerUsb backend for real dongles, through libusb-1.0.
 *
 * The only module that includes libusb. It knows which USB IDs carry an
 * RTL2832U (one table: the udev rules in data/ list exactly these), lists the
 * dongles plugged in with their strings, opens one by index or serial, claims
 * interface 0 (on Linux detaching the kernel's DVB-T driver first) and streams
 * the bulk endpoint through a ring of asynchronous transfers whose
 * libusb_handle_events loop is the device thread.
 *
 * Errors say what a person can do: no permission names the udev rule and how
 * to install it; busy names the program that has the dongle; a kernel driver
 * that will not let go gives the blacklist line. Control transfers that time
 * out or stall, and bulk transfers that stall or fail, are retried once; a
 * second failure is reported (for the bulk stream through on_dead). Unplugging
 * ends the stream with one on_dead carrying FER_DEVICE_ERROR_GONE.
 */
#pragma once

#include <glib.h>

#include "usb.h"

G_BEGIN_DECLS

/* Ring used when the caller has no preference: 32 x 16 KiB is 110 ms of
 * samples at 2.4 MS/s. Transfer lengths must be a multiple of the 512-byte
 * bulk packet. */
#define FER_USB_LIBUSB_DEFAULT_N_TRANSFERS    32
#define FER_USB_LIBUSB_DEFAULT_TRANSFER_BYTES (16 * 1024)
#define FER_USB_BULK_PACKET_BYTES             512

/* Shipped files the error messages point to (in Ferrite's data/ folder). */
#define FER_USB_UDEV_RULES_FILE  "60-ferrite-rtlsdr.rules"
#define FER_USB_BLACKLIST_FILE   "ferrite-blacklist-dvb.conf"

typedef struct {
  guint16 vendor_id;
  guint16 product_id;
  const char *name;
} FerRtlUsbId;

/* Every USB ID of an RTL2832U receiver Ferrite opens (static table). */
const FerRtlUsbId *fer_usb_libusb_get_known_ids (guint *n_ids);
/* The entry for @vendor_id:@product_id, or NULL. */
const FerRtlUsbId *fer_usb_libusb_lookup_id (guint16 vendor_id, guint16 product_id);

typedef struct {
  guint index;                /* position in the list: what open_index takes */
  guint16 vendor_id;
  guint16 product_id;
  const char *model;          /* static; from the ID table */
  guint8 bus;
  guint8 address;
  char *port_path;            /* owned; "1-1.4": the bus and the hub ports */
  char *node;                 /* owned; "/dev/bus/usb/001/004" (Linux), else NULL */
  char *manufacturer;         /* owned; NULL when they could not be read */
  char *product;
  char *serial;
  GError *error;              /* owned; why the strings could not be read
                               * (e.g. FER_DEVICE_ERROR_PERMISSION), or NULL */
} FerUsbDongleInfo;

void fer_usb_dongle_info_free (FerUsbDongleInfo *info);
/* "Realtek RTL2838UHIDIR SN 00000001" or the model name when unreadable. */
char *fer_usb_dongle_info_describe (const FerUsbDongleInfo *info);

/* The RTL2832U dongles plugged in, ordered by bus and port: an array of
 * FerUsbDongleInfo (it frees them). NULL with @error only when USB itself is
 * unusable; no dongle is an empty array. */
GPtrArray *fer_usb_libusb_list (GError **error);

/* Opens the @index-th dongle of fer_usb_libusb_list (). */
FerUsb *fer_usb_libusb_open_index (guint index, GError **error);
/* Opens the dongle with serial @serial. Cheap dongles often share a serial:
 * among several, the one at @port_path (may be NULL) wins, else the first.
 * A NULL @serial matches by @port_path alone (a dongle without a serial).
 * None: FER_DEVICE_ERROR_NOT_FOUND. */
FerUsb *fer_usb_libusb_open_serial (const char *serial, const char *port_path,
                                    GError **error);

/* What the open dongle is (borrowed; NULL when unknown). */
const char *fer_usb_libusb_get_serial (FerUsb *usb);
const char *fer_usb_libusb_get_port_path (FerUsb *usb);

typedef struct {
  guint64 n_bytes;            /* bulk bytes handed to on_data */
  guint64 n_transfers;        /* bulk transfers completed */
  guint n_in_flight_max;      /* most bulk transfers submitted at once */
  guint n_bulk_retries;       /* bulk transfers resubmitted after a failure */
  guint n_control_retries;    /* control transfers repeated after a timeout or stall */
  gboolean zero_copy;         /* buffers from libusb_dev_mem_alloc (else malloc) */
  gboolean detached_kernel_driver;
} FerUsbLibusbStats;

/* Counters of the current (or last) stream; any thread. */
void fer_usb_libusb_get_stats (FerUsb *usb, FerUsbLibusbStats *stats);

/* Waits for dongles to arrive: libusb hotplug where the platform has it,
 * otherwise the caller simply polls. */
typedef struct _FerUsbWatch FerUsbWatch;

FerUsbWatch *fer_usb_watch_new (void);
void fer_usb_watch_free (FerUsbWatch *watch);
gboolean fer_usb_watch_has_hotplug (FerUsbWatch *watch);
/* Blocks up to @timeout_ms; TRUE as soon as an RTL2832U arrived since the
 * last call. Without hotplug it sleeps the whole time and returns FALSE. */
gboolean fer_usb_watch_wait (FerUsbWatch *watch, guint timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerUsbWatch, fer_usb_watch_free)

G_END_DECLS
