/* usb-libusb-bulk.c - the bulk ring: asynchronous transfers kept in flight,
 * and the device thread that runs libusb's event loop for them.
 *
 * Stop: the device thread cancels every transfer in flight itself (only it
 * changes which are in flight, so none is missed) and returns once the last
 * one has come back; stop_bulk joins it.
 */
#define G_LOG_DOMAIN "fer-usb-libusb"

#include "usb-libusb-private.h"

#include <libusb.h>

#define EVENT_SLICE_US             (100 * 1000)

struct _FerUsbLibusbSlot {
  FerUsbLibusb *self;
  struct libusb_transfer *transfer;   /* owned */
  guint8 *buffer;                     /* owned */
  gboolean dev_mem;                   /* buffer from libusb_dev_mem_alloc */
  gboolean in_flight;                 /* thread: device */
  guint n_failures;                   /* consecutive; thread: device */
};

/* thread: device */
static void
set_dead (FerUsbLibusb *self, int r, const char *why)
{
  if (self->dead_error != NULL)
    return;
  if (r == LIBUSB_ERROR_NO_DEVICE)
    g_set_error_literal (&self->dead_error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE,
                         "The dongle was unplugged");
  else
    g_set_error (&self->dead_error, FER_DEVICE_ERROR, fer_usb_libusb_error_code (r),
                 "The dongle stopped streaming: %s (%s)", why, libusb_strerror (r));
}

/* thread: device */
static void
cancel_in_flight (FerUsbLibusb *self)
{
  for (guint i = 0; i < self->n_slots; i++)
    if (self->slots[i].in_flight)
      libusb_cancel_transfer (self->slots[i].transfer);
}

/* thread: device */
static gboolean
submit_slot (FerUsbLibusbSlot *slot)
{
  FerUsbLibusb *self = slot->self;
  int r = libusb_submit_transfer (slot->transfer);
  if (r < 0)
    {
      set_dead (self, r, "a transfer could not be queued");
      return FALSE;
    }
  slot->in_flight = TRUE;
  self->n_in_flight++;
  return TRUE;
}

/* thread: device */
static void LIBUSB_CALL
on_bulk_done (struct libusb_transfer *transfer)
{
  FerUsbLibusbSlot *slot = transfer->user_data;
  FerUsbLibusb *self = slot->self;
  const FerUsbBulkCallbacks *cb = &self->callbacks;

  slot->in_flight = FALSE;
  self->n_in_flight--;

  switch (transfer->status)
    {
    case LIBUSB_TRANSFER_COMPLETED:
      slot->n_failures = 0;
      if (transfer->actual_length > 0 && !atomic_load (&self->stop) && self->dead_error == NULL)
        {
          atomic_fetch_add (&self->n_bytes, (guint64) transfer->actual_length);
          atomic_fetch_add (&self->n_transfers, 1);
          cb->on_data (transfer->buffer, (gsize) transfer->actual_length, cb->user_data);
        }
      break;
    case LIBUSB_TRANSFER_CANCELLED:
      return;
    case LIBUSB_TRANSFER_NO_DEVICE:
      set_dead (self, LIBUSB_ERROR_NO_DEVICE, "unplugged");
      cancel_in_flight (self);
      return;
    case LIBUSB_TRANSFER_STALL:
    case LIBUSB_TRANSFER_TIMED_OUT:
    case LIBUSB_TRANSFER_ERROR:
    case LIBUSB_TRANSFER_OVERFLOW:
    default:
      {
        int r = fer_usb_libusb_transfer_error (transfer->status);
        if (slot->n_failures++ > 0)
          {
            set_dead (self, r, "a bulk transfer failed twice in a row");
            cancel_in_flight (self);
            return;
          }
        atomic_fetch_add (&self->n_bulk_retries, 1);
        /* A stalled endpoint stays halted until it is cleared. */
        if (transfer->status == LIBUSB_TRANSFER_STALL)
          {
            int c = libusb_clear_halt (self->handle, self->endpoint);
            if (c < 0)
              {
                set_dead (self, c, "the stalled endpoint could not be cleared");
                cancel_in_flight (self);
                return;
              }
          }
        break;
      }
    }

  if (atomic_load (&self->stop) || self->dead_error != NULL)
    return;
  if (!submit_slot (slot))
    cancel_in_flight (self);
}

static gpointer
device_thread (gpointer data)
{
  FerUsbLibusb *self = data;
  struct timeval slice = { 0, EVENT_SLICE_US };

  while (!atomic_load (&self->stop))
    {
      int r = libusb_handle_events_timeout_completed (self->ctx, &slice, NULL);
      if (r < 0 && r != LIBUSB_ERROR_INTERRUPTED && r != LIBUSB_ERROR_TIMEOUT)
        {
          set_dead (self, r, "USB event handling failed");
          cancel_in_flight (self);
        }
      /* Report once the last transfer is back, so on_dead is the end. */
      if (self->dead_error != NULL && self->n_in_flight == 0 && !self->dead_reported)
        {
          self->dead_reported = TRUE;
          if (!atomic_load (&self->stop) && self->callbacks.on_dead != NULL)
            self->callbacks.on_dead (self->dead_error, self->callbacks.user_data);
        }
    }

  /* Stopping: every transfer comes back, cancelled or completed. */
  cancel_in_flight (self);
  while (self->n_in_flight > 0)
    libusb_handle_events_timeout_completed (self->ctx, &slice, NULL);
  return NULL;
}

static void
free_slots (FerUsbLibusb *self)
{
  for (guint i = 0; i < self->n_slots; i++)
    {
      FerUsbLibusbSlot *slot = &self->slots[i];
      if (slot->dev_mem)
        libusb_dev_mem_free (self->handle, slot->buffer, slot->transfer->length);
      else
        g_free (slot->buffer);
      libusb_free_transfer (slot->transfer);
    }
  g_clear_pointer (&self->slots, g_free);
  self->n_slots = 0;
}

/* With stop set: wakes the device thread and waits for it to end. */
void
fer_usb_libusb_join_device_thread (FerUsbLibusb *self)
{
#if defined(LIBUSB_API_VERSION) && LIBUSB_API_VERSION >= 0x01000105
  libusb_interrupt_event_handler (self->ctx);
#endif
  g_thread_join (self->thread);
  self->thread = NULL;
  free_slots (self);
  g_clear_error (&self->dead_error);
}

void
fer_usb_libusb_stop_bulk (FerUsb *usb)
{
  FerUsbLibusb *self = (FerUsbLibusb *) usb;
  if (self->thread == NULL)
    return;
  /* From a callback the thread cannot join itself: it ends when the
   * callback returns, and close (or the next start) joins it. */
  atomic_store (&self->stop, true);
  if (self->thread != g_thread_self ())
    fer_usb_libusb_join_device_thread (self);
}

gboolean
fer_usb_libusb_start_bulk (FerUsb *usb, guint8 endpoint, guint n_transfers, gsize transfer_bytes,
                           const FerUsbBulkCallbacks *callbacks, GError **error)
{
  FerUsbLibusb *self = (FerUsbLibusb *) usb;

  if (!(endpoint & LIBUSB_ENDPOINT_IN) || n_transfers == 0 || transfer_bytes == 0
      || transfer_bytes % FER_USB_BULK_PACKET_BYTES != 0 || transfer_bytes > G_MAXINT
      || callbacks == NULL || callbacks->on_data == NULL)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "Bulk streaming needs an IN endpoint and transfers that are a "
                   "multiple of %u bytes", FER_USB_BULK_PACKET_BYTES);
      return FALSE;
    }
  if (self->thread != NULL)
    {
      if (self->thread == g_thread_self ())
        {
          g_set_error_literal (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_BUSY,
                               "Streaming cannot restart from its own callback");
          return FALSE;
        }
      fer_usb_libusb_stop_bulk (usb);
    }

  /* Whatever halted the endpoint last time must not stop this stream. */
  int r = libusb_clear_halt (self->handle, endpoint);
  if (r == LIBUSB_ERROR_NO_DEVICE)
    {
      fer_usb_libusb_set_error (error, r, self->node, "resetting the bulk endpoint");
      return FALSE;
    }

  self->callbacks = *callbacks;
  self->endpoint = endpoint;
  self->n_slots = n_transfers;
  self->slots = g_new0 (FerUsbLibusbSlot, n_transfers);
  self->n_in_flight = 0;
  self->dead_reported = FALSE;
  g_clear_error (&self->dead_error);
  atomic_store (&self->stop, false);
  atomic_store (&self->n_bytes, 0);
  atomic_store (&self->n_transfers, 0);
  atomic_store (&self->n_bulk_retries, 0);

  gboolean zero_copy = TRUE;
  for (guint i = 0; i < n_transfers; i++)
    {
      FerUsbLibusbSlot *slot = &self->slots[i];
      slot->self = self;
      slot->transfer = libusb_alloc_transfer (0);
      /* Zero-copy buffers map the kernel's own; where that fails (older
       * kernels, other systems, emulated devices) plain memory does. */
      slot->buffer = libusb_dev_mem_alloc (self->handle, transfer_bytes);
      slot->dev_mem = slot->buffer != NULL;
      if (!slot->dev_mem)
        {
          slot->buffer = g_malloc (transfer_bytes);
          zero_copy = FALSE;
        }
      libusb_fill_bulk_transfer (slot->transfer, self->handle, endpoint, slot->buffer,
                                 (int) transfer_bytes, on_bulk_done, slot, 0);
    }
  atomic_store (&self->zero_copy, zero_copy);

  /* The device thread is not running yet: nothing completes until it does. */
  for (guint i = 0; i < n_transfers; i++)
    {
      FerUsbLibusbSlot *slot = &self->slots[i];
      r = libusb_submit_transfer (slot->transfer);
      if (r < 0)
        break;
      slot->in_flight = TRUE;
      self->n_in_flight++;
    }
  atomic_store (&self->n_in_flight_max, self->n_in_flight);
  if (r < 0)
    {
      fer_usb_libusb_set_error (error, r, self->node, "starting the bulk stream");
      /* Take back what was queued, with the event loop run right here. */
      atomic_store (&self->stop, true);
      device_thread (self);
      free_slots (self);
      return FALSE;
    }
  self->thread = g_thread_new ("fer-usb", device_thread, self);
  return TRUE;
}
