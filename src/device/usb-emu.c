/* usb-emu.c - the emulated dongle behind the FerUsb port.
 *
 * One device thread per stream produces transfers of the requested size from
 * the model. Real-time pacing keeps a running due time (start + bytes sent /
 * actual byte rate) against the monotonic clock, so it never drifts; if it
 * falls more than half a second behind it restarts the schedule instead of
 * bursting. stop and unplug wake the thread through a condition variable.
 */
#define G_LOG_DOMAIN "fer-usb-emu"

#include "usb-emu.h"

#include <errno.h>
#include <math.h>

#define BULK_ENDPOINT   0x81
#define RESYNC_US       500000.0
#define IDLE_WAIT_US    2000

typedef struct {
  FerUsb parent;
  FerEmuDongle *emu;            /* owned */
  FerEmuPacing pacing;

  GMutex lock;                  /* for the wait: stop and unplug signal cond */
  GCond cond;
  gint stop;                    /* atomic */
  gint gone;                    /* atomic */

  GThread *thread;              /* the device thread, joined by stop/close */
  FerUsbBulkCallbacks callbacks;
  gsize transfer_bytes;
  guint8 *buffer;               /* thread: device */
} FerUsbEmu;

static gboolean
is_gone (FerUsbEmu *self)
{
  return g_atomic_int_get (&self->gone) != 0;
}

static gboolean
is_stopped (FerUsbEmu *self)
{
  return g_atomic_int_get (&self->stop) != 0;
}

/* Sets @flag and wakes the device thread out of any wait. */
static void
raise_flag (FerUsbEmu *self, gint *flag)
{
  g_mutex_lock (&self->lock);
  g_atomic_int_set (flag, 1);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
set_gone_error (GError **error)
{
  g_set_error_literal (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE,
                       "The emulated dongle was unplugged");
}

/* Sleeps until @deadline_us (monotonic) or until stopped or unplugged;
 * returns FALSE in the latter case. */
static gboolean
sleep_until (FerUsbEmu *self, gint64 deadline_us)
{
  g_mutex_lock (&self->lock);
  while (!is_stopped (self) && !is_gone (self) && g_get_monotonic_time () < deadline_us)
    g_cond_wait_until (&self->cond, &self->lock, deadline_us);
  g_mutex_unlock (&self->lock);
  return !is_stopped (self) && !is_gone (self);
}

static gpointer
device_thread (gpointer data)
{
  FerUsbEmu *self = data;
  const FerUsbBulkCallbacks *cb = &self->callbacks;
  gsize n_samples = self->transfer_bytes / 2;
  gboolean scheduled = FALSE;
  double last_due_us = 0.0;  /* when the previous transfer was complete */

  for (;;)
    {
      if (is_gone (self))
        {
          GError *error = NULL;
          set_gone_error (&error);
          if (cb->on_dead != NULL)
            cb->on_dead (error, cb->user_data);
          g_error_free (error);
          break;
        }
      if (is_stopped (self))
        break;

      double rate_hz = fer_emu_dongle_get_sample_rate (self->emu);
      if (!fer_emu_dongle_is_streaming (self->emu) || rate_hz <= 0.0)
        {
          /* No data while the FIFO is held in reset. */
          scheduled = FALSE;
          sleep_until (self, g_get_monotonic_time () + IDLE_WAIT_US);
          continue;
        }

      if (self->pacing == FER_EMU_PACE_UNTHROTTLED)
        {
          if (cb->wait_ready != NULL && !cb->wait_ready (cb->user_data))
            break;
          if (is_stopped (self) || is_gone (self))
            continue;  /* decided while the consumer made us wait */
        }
      else
        {
          double now_us = (double) g_get_monotonic_time ();
          if (!scheduled)
            {
              last_due_us = now_us;
              scheduled = TRUE;
            }
          double due_us = last_due_us + n_samples / rate_hz * 1e6;
          if (now_us - due_us > RESYNC_US)
            due_us = now_us;  /* fell behind: restart rather than burst */
          if (due_us > now_us && !sleep_until (self, (gint64) ceil (due_us)))
            continue;
          last_due_us = due_us;
        }

      fer_emu_dongle_read (self->emu, self->buffer, self->transfer_bytes);
      cb->on_data (self->buffer, self->transfer_bytes, cb->user_data);
    }
  return NULL;
}

static int
emu_control (FerUsb *usb, guint8 request_type, guint8 request, guint16 value,
             guint16 index, guint8 *data, guint16 length, guint timeout_ms, GError **error)
{
  FerUsbEmu *self = (FerUsbEmu *) usb;
  if (is_gone (self))
    {
      set_gone_error (error);
      return -1;
    }
  int r = fer_emu_dongle_control (self->emu, request_type, request, value, index, data,
                                  length);
  if (r >= 0)
    return r;
  if (r == -EPIPE)
    g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL,
                 "The dongle refused control request 0x%02x (value 0x%04x, index 0x%04x)",
                 request_type, value, index);
  else
    g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_FAILED,
                 "Control transfer to the emulated dongle failed: %s", g_strerror (-r));
  return -1;
}

static gboolean
emu_claim_interface (FerUsb *usb, int interface_number, GError **error)
{
  FerUsbEmu *self = (FerUsbEmu *) usb;
  if (is_gone (self))
    {
      set_gone_error (error);
      return FALSE;
    }
  return TRUE;
}

static void
join_thread (FerUsbEmu *self)
{
  if (self->thread != NULL && self->thread != g_thread_self ())
    {
      g_thread_join (self->thread);
      self->thread = NULL;
      g_clear_pointer (&self->buffer, g_free);
    }
}

static void
emu_stop_bulk (FerUsb *usb)
{
  FerUsbEmu *self = (FerUsbEmu *) usb;
  raise_flag (self, &self->stop);
  /* From a callback on the device thread itself the join has to wait: the
   * thread ends when the callback returns, and close (or the next start)
   * joins it. */
  join_thread (self);
}

static gboolean
emu_start_bulk (FerUsb *usb, guint8 endpoint, guint n_transfers, gsize transfer_bytes,
                const FerUsbBulkCallbacks *callbacks, GError **error)
{
  FerUsbEmu *self = (FerUsbEmu *) usb;
  if (is_gone (self))
    {
      set_gone_error (error);
      return FALSE;
    }
  if (endpoint != BULK_ENDPOINT || transfer_bytes == 0 || callbacks == NULL
      || callbacks->on_data == NULL)
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "The emulated dongle streams only on endpoint 0x81, in non-empty transfers");
      return FALSE;
    }
  if (self->thread != NULL)
    {
      if (self->thread == g_thread_self ())
        {
          g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_BUSY,
                       "Streaming cannot restart from its own callback");
          return FALSE;
        }
      emu_stop_bulk (usb);
    }

  self->callbacks = *callbacks;
  self->transfer_bytes = transfer_bytes;
  self->buffer = g_malloc (transfer_bytes);
  g_atomic_int_set (&self->stop, 0);
  self->thread = g_thread_new ("fer-usb-emu", device_thread, self);
  return TRUE;
}

static void
emu_close (FerUsb *usb)
{
  FerUsbEmu *self = (FerUsbEmu *) usb;
  emu_stop_bulk (usb);
  fer_emu_dongle_free (self->emu);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->parent.description);
  g_free (self);
}

static const FerUsbOps emu_ops = {
  .control = emu_control,
  .claim_interface = emu_claim_interface,
  .start_bulk = emu_start_bulk,
  .stop_bulk = emu_stop_bulk,
  .close = emu_close,
};

FerUsb *
fer_usb_emu_new (FerEmuDongle *emu, FerEmuPacing pacing)
{
  g_return_val_if_fail (emu != NULL, NULL);
  FerUsbEmu *self = g_new0 (FerUsbEmu, 1);
  self->parent.ops = &emu_ops;
  self->parent.description = g_strdup (
    fer_emu_dongle_get_tuner_type (emu) == FER_EMU_TUNER_R828D
    ? "Emulated RTL2832U + R828D (demo)" : "Emulated RTL2832U + R820T (demo)");
  self->emu = emu;
  self->pacing = pacing;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  return &self->parent;
}

FerEmuDongle *
fer_usb_emu_get_dongle (FerUsb *usb)
{
  g_return_val_if_fail (usb != NULL && usb->ops == &emu_ops, NULL);
  return ((FerUsbEmu *) usb)->emu;
}

void
fer_usb_emu_unplug (FerUsb *usb)
{
  g_return_if_fail (usb != NULL && usb->ops == &emu_ops);
  FerUsbEmu *self = (FerUsbEmu *) usb;
  raise_flag (self, &self->gone);
}
