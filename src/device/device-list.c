#define G_LOG_DOMAIN "fer-device-list"

#include "device-list.h"

#include <string.h>

#include "source-dongle.h"
#include "usb-libusb.h"

/* Without hotplug, look for the dongle again this often. */
#define POLL_INTERVAL_US (1000 * 1000)
#define RTL_PREFIX "rtl"

void
fer_device_info_free (FerDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->spec);
  g_free (info->label);
  g_free (info->detail);
  g_clear_error (&info->problem);
  g_free (info);
}

GPtrArray *
fer_device_list_new (void)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) fer_device_info_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) dongles = fer_usb_libusb_list (&error);
  if (dongles == NULL)
    g_debug ("no USB: %s", error->message);

  for (guint i = 0; dongles != NULL && i < dongles->len; i++)
    {
      FerUsbDongleInfo *d = dongles->pdata[i];
      FerDeviceInfo *info = g_new0 (FerDeviceInfo, 1);
      info->kind = FER_DEVICE_KIND_RTL;
      /* A serial names the dongle wherever it is plugged; one that another
       * dongle shares (or none) does not. */
      gboolean unique = d->serial != NULL && *d->serial != '\0';
      for (guint j = 0; unique && j < dongles->len; j++)
        if (j != i && g_strcmp0 (((FerUsbDongleInfo *) dongles->pdata[j])->serial, d->serial) == 0)
          unique = FALSE;
      info->spec = unique ? g_strdup_printf (RTL_PREFIX ":%s", d->serial)
                          : g_strdup_printf (RTL_PREFIX ":%u", d->index);
      info->label = fer_usb_dongle_info_describe (d);
      info->detail = d->node ? g_strdup_printf ("USB %s (%s)", d->port_path, d->node)
                             : g_strdup_printf ("USB %s", d->port_path);
      if (d->error != NULL)
        info->problem = g_error_copy (d->error);
      g_ptr_array_add (devices, info);
    }

  FerDeviceInfo *demo = g_new0 (FerDeviceInfo, 1);
  demo->kind = FER_DEVICE_KIND_DEMO;
  demo->spec = g_strdup (FER_DEVICE_DEMO_SPEC);
  demo->label = g_strdup (FER_DEVICE_DEMO_LABEL);
  g_ptr_array_add (devices, demo);
  return devices;
}

gboolean
fer_device_spec_is_rtl (const char *spec)
{
  return spec != NULL && g_str_has_prefix (spec, RTL_PREFIX)
         && (spec[strlen (RTL_PREFIX)] == '\0' || spec[strlen (RTL_PREFIX)] == ':');
}

const char *
fer_device_default_spec (void)
{
  g_autoptr (GPtrArray) dongles = fer_usb_libusb_list (NULL);
  return dongles != NULL && dongles->len > 0 ? RTL_PREFIX : FER_DEVICE_DEMO_SPEC;
}

/* --- Reopening after an unplug --------------------------------------------- */

typedef struct {
  char *serial;           /* NULL: the dongle has none; match the port */
  char *port_path;
  FerUsbWatch *watch;     /* thread: reconnect; made on first use */
  gint64 next_poll_us;
} Reopen;

static void
reopen_free (gpointer data)
{
  Reopen *r = data;
  fer_usb_watch_free (r->watch);
  g_free (r->serial);
  g_free (r->port_path);
  g_free (r);
}

/* thread: the source's reconnect thread */
static FerUsb *
reopen_rtl (gpointer data, guint wait_ms, GError **error)
{
  Reopen *r = data;
  if (r->watch == NULL)
    r->watch = fer_usb_watch_new ();
  /* With hotplug, look as soon as something arrives; always look once a
   * second too (an arrival seen before the watch existed, no hotplug). */
  gboolean arrived = fer_usb_watch_wait (r->watch, wait_ms);
  gint64 now = g_get_monotonic_time ();
  if (!arrived && now < r->next_poll_us)
    return NULL;
  r->next_poll_us = now + POLL_INTERVAL_US;

  GError *local = NULL;
  FerUsb *usb = fer_usb_libusb_open_serial (r->serial, r->port_path, &local);
  if (usb == NULL && g_error_matches (local, FER_DEVICE_ERROR, FER_DEVICE_ERROR_NOT_FOUND))
    g_clear_error (&local);
  if (local != NULL)
    g_propagate_error (error, local);
  return usb;
}

/* --- Opening ---------------------------------------------------------------- */

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static FerUsb *
open_usb (const char *spec, GError **error)
{
  if (strcmp (spec, RTL_PREFIX) == 0)
    return fer_usb_libusb_open_index (0, error);

  const char *what = spec + strlen (RTL_PREFIX ":");
  if (*what == '\0')
    {
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID,
                   "--source rtl: needs a number or a serial after the colon (rtl:0, "
                   "rtl:00000001), or nothing (rtl)");
      return NULL;
    }
  GError *by_serial = NULL;
  FerUsb *usb = fer_usb_libusb_open_serial (what, NULL, &by_serial);
  if (usb != NULL || !g_error_matches (by_serial, FER_DEVICE_ERROR, FER_DEVICE_ERROR_NOT_FOUND)
      || !all_digits (what) || strlen (what) > 3)
    {
      if (by_serial != NULL)
        g_propagate_error (error, by_serial);
      return usb;
    }
  g_clear_error (&by_serial);
  return fer_usb_libusb_open_index ((guint) g_ascii_strtoull (what, NULL, 10), error);
}

FerSource *
fer_device_open_rtl (const char *spec, GError **error)
{
  g_return_val_if_fail (fer_device_spec_is_rtl (spec), NULL);
  FerUsb *usb = open_usb (spec, error);
  if (usb == NULL)
    return NULL;

  Reopen *r = g_new0 (Reopen, 1);
  const char *serial = fer_usb_libusb_get_serial (usb);
  r->serial = serial != NULL && *serial != '\0' ? g_strdup (serial) : NULL;
  r->port_path = g_strdup (fer_usb_libusb_get_port_path (usb));

  FerSource *source = fer_source_dongle_new (usb, FER_SOURCE_KIND_DONGLE, NULL, TRUE, error);
  if (source == NULL)
    {
      reopen_free (r);
      return NULL;
    }
  fer_source_dongle_set_transfer_ring (source, FER_USB_LIBUSB_DEFAULT_N_TRANSFERS,
                                       FER_USB_LIBUSB_DEFAULT_TRANSFER_BYTES);
  fer_source_dongle_set_reopen (source, reopen_rtl, r, reopen_free);
  return source;
}
