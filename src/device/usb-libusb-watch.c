/* usb-libusb-watch.c - waiting for dongles to arrive: libusb hotplug where
 * the platform has it, otherwise the caller simply polls.
 */
#define G_LOG_DOMAIN "fer-usb-libusb"

#include "usb-libusb.h"

#include <libusb.h>

struct _FerUsbWatch {
  libusb_context *ctx;                /* owned; NULL when USB is unusable */
  libusb_hotplug_callback_handle callback;
  gboolean hotplug;
  gboolean arrived;                   /* thread: the waiter's */
};

static int LIBUSB_CALL
on_hotplug (libusb_context *ctx, libusb_device *dev, libusb_hotplug_event event,
            void *user_data)
{
  FerUsbWatch *watch = user_data;
  struct libusb_device_descriptor dd;
  if (libusb_get_device_descriptor (dev, &dd) == 0
      && fer_usb_libusb_lookup_id (dd.idVendor, dd.idProduct) != NULL)
    watch->arrived = TRUE;
  return 0;
}

FerUsbWatch *
fer_usb_watch_new (void)
{
  FerUsbWatch *watch = g_new0 (FerUsbWatch, 1);
  if (libusb_init (&watch->ctx) < 0)
    {
      watch->ctx = NULL;
      return watch;
    }
  if (libusb_has_capability (LIBUSB_CAP_HAS_HOTPLUG))
    watch->hotplug = libusb_hotplug_register_callback (
      watch->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, 0, LIBUSB_HOTPLUG_MATCH_ANY,
      LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, watch,
      &watch->callback) == LIBUSB_SUCCESS;
  return watch;
}

void
fer_usb_watch_free (FerUsbWatch *watch)
{
  if (watch == NULL)
    return;
  if (watch->hotplug)
    libusb_hotplug_deregister_callback (watch->ctx, watch->callback);
  if (watch->ctx != NULL)
    libusb_exit (watch->ctx);
  g_free (watch);
}

gboolean
fer_usb_watch_has_hotplug (FerUsbWatch *watch)
{
  return watch->hotplug;
}

gboolean
fer_usb_watch_wait (FerUsbWatch *watch, guint timeout_ms)
{
  if (!watch->hotplug)
    {
      g_usleep ((gulong) timeout_ms * 1000);
      return FALSE;
    }
  gint64 end_us = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (!watch->arrived)
    {
      gint64 left_us = end_us - g_get_monotonic_time ();
      if (left_us <= 0)
        break;
      struct timeval tv = { (time_t) (left_us / 1000000), (suseconds_t) (left_us % 1000000) };
      libusb_handle_events_timeout_completed (watch->ctx, &tv, NULL);
    }
  gboolean arrived = watch->arrived;
  watch->arrived = FALSE;
  return arrived;
}
