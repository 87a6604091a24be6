/* usb-libusb-private.h - what the libusb backend's files share.
 *
 * usb-libusb.c: the open dongle (opening, control transfers, claiming,
 * closing). usb-libusb-list.c: the USB ID table, the dongles plugged in and
 * their strings, choosing one to open. usb-libusb-error.c: libusb failures
 * as errors a person can act on. usb-libusb-bulk.c: the bulk ring and the
 * device thread. usb-libusb-watch.c: waiting for dongles to arrive.
 *
 * Only these files include libusb.h; this header names libusb's types by
 * their struct tags, so it needs none of libusb itself.
 */
#pragma once

#include <glib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "device-error.h"
#include "usb-libusb.h"

G_BEGIN_DECLS

struct libusb_context;
struct libusb_device;
struct libusb_device_handle;

typedef struct _FerUsbLibusb FerUsbLibusb;
/* One transfer of the ring (usb-libusb-bulk.c). */
typedef struct _FerUsbLibusbSlot FerUsbLibusbSlot;

struct _FerUsbLibusb {
  FerUsb parent;
  struct libusb_context *ctx;          /* owned */
  struct libusb_device_handle *handle; /* owned */
  char *node;                          /* owned; device node, Linux only */
  char *serial;                        /* owned; may be NULL */
  char *port_path;                     /* owned */
  guint claimed_mask;                  /* interfaces claimed */
  gboolean detached_kernel_driver;

  /* Bulk ring; set up and torn down by the control thread. */
  GThread *thread;                     /* the device thread */
  atomic_bool stop;
  FerUsbBulkCallbacks callbacks;
  guint8 endpoint;
  FerUsbLibusbSlot *slots;
  guint n_slots;
  guint n_in_flight;                   /* thread: device */
  GError *dead_error;                  /* thread: device */
  gboolean dead_reported;              /* thread: device */

  /* Control transfers while the device thread runs. */
  pthread_mutex_t control_lock;
  pthread_cond_t control_done;

  _Atomic guint64 n_bytes;
  _Atomic guint64 n_transfers;
  atomic_uint n_in_flight_max;
  atomic_uint n_bulk_retries;
  atomic_uint n_control_retries;
  atomic_bool zero_copy;
};

/* usb-libusb.c */
/* Takes @ctx; opens @dev (a device of @ctx's list). */
FerUsb *fer_usb_libusb_open_device (struct libusb_context *ctx, struct libusb_device *dev,
                                    GError **error);

/* usb-libusb-list.c */
char *fer_usb_libusb_port_path (struct libusb_device *dev);
/* The device node (Linux), else NULL. */
char *fer_usb_libusb_node (struct libusb_device *dev);
/* String descriptor @index in ASCII, or NULL (none, or unreadable). */
char *fer_usb_libusb_read_string (struct libusb_device_handle *handle, guint8 index);
/* "Manufacturer Product SN serial", @model when neither string is known. */
char *fer_usb_libusb_describe (const char *manufacturer, const char *product,
                               const char *serial, const char *model);

/* usb-libusb-error.c */
FerDeviceError fer_usb_libusb_error_code (int r);
/* The libusb error code (LIBUSB_ERROR_*) of a transfer's status, 0 if it completed. */
int fer_usb_libusb_transfer_error (int status);
/* Libusb failure @r while @doing, on the dongle at @node (may be NULL). */
void fer_usb_libusb_set_error (GError **error, int r, const char *node, const char *doing);
void fer_usb_libusb_set_kernel_driver_error (GError **error, int r);

/* usb-libusb-bulk.c */
gboolean fer_usb_libusb_start_bulk (FerUsb *usb, guint8 endpoint, guint n_transfers,
                                    gsize transfer_bytes, const FerUsbBulkCallbacks *callbacks,
                                    GError **error);
void fer_usb_libusb_stop_bulk (FerUsb *usb);
/* With stop set: wakes the device thread and waits for it to end. */
void fer_usb_libusb_join_device_thread (FerUsbLibusb *self);

G_END_DECLS
