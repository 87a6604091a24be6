/* usb-libusb.c - real dongles through libusb-1.0: the open dongle.
 *
 * Each open dongle has its own libusb context. While the bulk ring runs, the
 * device thread sits in libusb_handle_events and every completion (bulk and
 * control) is handled there (usb-libusb-bulk.c); control transfers are then
 * submitted asynchronously and waited for, so that a bulk callback can never
 * run on the control thread (libusb's synchronous calls handle other
 * transfers' events when they get the event lock). Outside streaming,
 * control transfers are plain synchronous calls.
 */
#define G_LOG_DOMAIN "fer-usb-libusb"

#include "usb-libusb-private.h"

#include <libusb.h>
#include <string.h>

static const FerUsbOps libusb_ops;

/* --- Opening --------------------------------------------------------------- */

FerUsb *
fer_usb_libusb_open_device (libusb_context *ctx, libusb_device *dev, GError **error)
{
  struct libusb_device_descriptor dd;
  libusb_device_handle *handle = NULL;
  g_autofree char *node = fer_usb_libusb_node (dev);

  int r = libusb_get_device_descriptor (dev, &dd);
  if (r == 0)
    r = libusb_open (dev, &handle);
  if (r < 0)
    {
      fer_usb_libusb_set_error (error, r, node, "opening the dongle");
      libusb_exit (ctx);
      return NULL;
    }

  FerUsbLibusb *self = g_new0 (FerUsbLibusb, 1);
  self->parent.ops = &libusb_ops;
  self->ctx = ctx;
  self->handle = handle;
  self->node = g_steal_pointer (&node);
  self->port_path = fer_usb_libusb_port_path (dev);
  self->serial = fer_usb_libusb_read_string (handle, dd.iSerialNumber);
  g_autofree char *manufacturer = fer_usb_libusb_read_string (handle, dd.iManufacturer);
  g_autofree char *product = fer_usb_libusb_read_string (handle, dd.iProduct);
  const FerRtlUsbId *id = fer_usb_libusb_lookup_id (dd.idVendor, dd.idProduct);
  self->parent.description = fer_usb_libusb_describe (manufacturer, product, self->serial,
                                                      id ? id->name : "RTL2832U");
  atomic_init (&self->stop, false);
  atomic_init (&self->n_bytes, 0);
  atomic_init (&self->n_transfers, 0);
  atomic_init (&self->n_in_flight_max, 0);
  atomic_init (&self->n_bulk_retries, 0);
  atomic_init (&self->n_control_retries, 0);
  atomic_init (&self->zero_copy, false);
  pthread_mutex_init (&self->control_lock, NULL);
  pthread_cond_init (&self->control_done, NULL);
  g_debug ("opened %s at %s", self->parent.description, self->port_path);
  return &self->parent;
}

const char *
fer_usb_libusb_get_serial (FerUsb *usb)
{
  g_return_val_if_fail (usb != NULL && usb->ops == &libusb_ops, NULL);
  return ((FerUsbLibusb *) usb)->serial;
}

const char *
fer_usb_libusb_get_port_path (FerUsb *usb)
{
  g_return_val_if_fail (usb != NULL && usb->ops == &libusb_ops, NULL);
  return ((FerUsbLibusb *) usb)->port_path;
}

void
fer_usb_libusb_get_stats (FerUsb *usb, FerUsbLibusbStats *stats)
{
  g_return_if_fail (usb != NULL && usb->ops == &libusb_ops);
  FerUsbLibusb *self = (FerUsbLibusb *) usb;
  stats->n_bytes = atomic_load (&self->n_bytes);
  stats->n_transfers = atomic_load (&self->n_transfers);
  stats->n_in_flight_max = atomic_load (&self->n_in_flight_max);
  stats->n_bulk_retries = atomic_load (&self->n_bulk_retries);
  stats->n_control_retries = atomic_load (&self->n_control_retries);
  stats->zero_copy = atomic_load (&self->zero_copy);
  stats->detached_kernel_driver = self->detached_kernel_driver;
}

/* --- Control transfers ------------------------------------------------------ */

typedef struct {
  FerUsbLibusb *self;
  bool done;                 /* under self->control_lock */
} ControlWait;

/* thread: device */
static void LIBUSB_CALL
on_control_done (struct libusb_transfer *transfer)
{
  ControlWait *wait = transfer->user_data;
  pthread_mutex_lock (&wait->self->control_lock);
  wait->done = true;
  pthread_cond_broadcast (&wait->self->control_done);
  pthread_mutex_unlock (&wait->self->control_lock);
}

/* The device thread handles the events: submit and wait for the callback. */
static int
control_async (FerUsbLibusb *self, guint8 request_type, guint8 request, guint16 value,
               guint16 index, guint8 *data, guint16 length, guint timeout_ms)
{
  struct libusb_transfer *transfer = libusb_alloc_transfer (0);
  guint8 *buffer = g_malloc0 (LIBUSB_CONTROL_SETUP_SIZE + length);
  ControlWait wait = { self, false };

  libusb_fill_control_setup (buffer, request_type, request, value, index, length);
  if (!(request_type & LIBUSB_ENDPOINT_IN) && length > 0)
    memcpy (buffer + LIBUSB_CONTROL_SETUP_SIZE, data, length);
  libusb_fill_control_transfer (transfer, self->handle, buffer, on_control_done, &wait,
                                timeout_ms);
  int r = libusb_submit_transfer (transfer);
  if (r == 0)
    {
      pthread_mutex_lock (&self->control_lock);
      while (!wait.done)
        pthread_cond_wait (&self->control_done, &self->control_lock);
      pthread_mutex_unlock (&self->control_lock);
      r = fer_usb_libusb_transfer_error (transfer->status);
      if (r == 0)
        {
          r = transfer->actual_length;
          if (request_type & LIBUSB_ENDPOINT_IN)
            memcpy (data, libusb_control_transfer_get_data (transfer), r);
        }
    }
  libusb_free_transfer (transfer);
  g_free (buffer);
  return r;
}

static int
libusb_control (FerUsb *usb, guint8 request_type, guint8 request, guint16 value,
                guint16 index, guint8 *data, guint16 length, guint timeout_ms, GError **error)
{
  FerUsbLibusb *self = (FerUsbLibusb *) usb;
  int r = 0;

  /* Stopped from its own callback: the thread is ending; finish it first. */
  if (self->thread != NULL && atomic_load (&self->stop) && self->thread != g_thread_self ())
    fer_usb_libusb_join_device_thread (self);

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      if (self->thread != NULL)
        r = control_async (self, request_type, request, value, index, data, length,
                           timeout_ms);
      else
        r = libusb_control_transfer (self->handle, request_type, request, value, index, data,
                                     length, timeout_ms);
      if (r >= 0)
        return r;
      /* A glitch (a lost packet, a busy I2C bus) passes; twice is a fault. */
      if (r != LIBUSB_ERROR_TIMEOUT && r != LIBUSB_ERROR_PIPE)
        break;
      if (attempt == 0)
        atomic_fetch_add (&self->n_control_retries, 1);
    }

  if (r == LIBUSB_ERROR_PIPE)
    g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL,
                 "The dongle refused control request 0x%02x (value 0x%04x, index 0x%04x)",
                 request_type, value, index);
  else if (r == LIBUSB_ERROR_TIMEOUT)
    g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_TIMEOUT,
                 "The dongle did not answer control request 0x%02x (value 0x%04x, "
                 "index 0x%04x) within %u ms, twice", request_type, value, index, timeout_ms);
  else
    fer_usb_libusb_set_error (error, r, self->node, "talking to the dongle");
  return -1;
}

/* --- Claiming --------------------------------------------------------------- */

static gboolean
libusb_claim (FerUsb *usb, int interface_number, GError **error)
{
  FerUsbLibusb *self = (FerUsbLibusb *) usb;
  g_return_val_if_fail (interface_number >= 0 && interface_number < 32, FALSE);

  int r = libusb_claim_interface (self->handle, interface_number);
#ifdef __linux__
  /* The DVB-T driver binds to these dongles on Linux: take it off. Only
   * here: elsewhere there is no such driver, and forcing a detach can make
   * every open fail. */
  if (r == LIBUSB_ERROR_BUSY && libusb_kernel_driver_active (self->handle, interface_number) == 1)
    {
      r = libusb_detach_kernel_driver (self->handle, interface_number);
      if (r < 0 && r != LIBUSB_ERROR_NOT_FOUND)
        {
          fer_usb_libusb_set_kernel_driver_error (error, r);
          return FALSE;
        }
      self->detached_kernel_driver = r == 0;
      g_debug ("detached the kernel driver from interface %d", interface_number);
      r = libusb_claim_interface (self->handle, interface_number);
    }
#endif
  if (r < 0)
    {
      fer_usb_libusb_set_error (error, r, self->node, "claiming the dongle");
      return FALSE;
    }
  self->claimed_mask |= 1u << interface_number;
  return TRUE;
}


/* --- Closing ---------------------------------------------------------------- */

static void
libusb_close_usb (FerUsb *usb)
{
  FerUsbLibusb *self = (FerUsbLibusb *) usb;

  atomic_store (&self->stop, true);
  if (self->thread != NULL)
    {
      /* Closed from the device thread itself? Nothing can join it then;
       * it is a programming error the usb.h contract rules out. */
      g_return_if_fail (self->thread != g_thread_self ());
      fer_usb_libusb_join_device_thread (self);
    }
  for (int i = 0; i < 32; i++)
    if (self->claimed_mask & (1u << i))
      libusb_release_interface (self->handle, i);
#ifdef __linux__
  /* Give the dongle back to the TV driver, as it was before. */
  if (self->detached_kernel_driver)
    libusb_attach_kernel_driver (self->handle, 0);
#endif
  libusb_close (self->handle);
  libusb_exit (self->ctx);
  g_clear_error (&self->dead_error);
  pthread_mutex_destroy (&self->control_lock);
  pthread_cond_destroy (&self->control_done);
  g_free (self->node);
  g_free (self->serial);
  g_free (self->port_path);
  g_free (self->parent.description);
  g_free (self);
}

static const FerUsbOps libusb_ops = {
  .control = libusb_control,
  .claim_interface = libusb_claim,
  .start_bulk = fer_usb_libusb_start_bulk,
  .stop_bulk = fer_usb_libusb_stop_bulk,
  .close = libusb_close_usb,
};
