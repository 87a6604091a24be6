#include "usb.h"

int
fer_usb_control (FerUsb *usb, guint8 request_type, guint8 request, guint16 value,
                 guint16 index, guint8 *data, guint16 length, guint timeout_ms,
                 GError **error)
{
  return usb->ops->control (usb, request_type, request, value, index, data, length,
                            timeout_ms, error);
}

gboolean
fer_usb_claim_interface (FerUsb *usb, int interface_number, GError **error)
{
  return usb->ops->claim_interface (usb, interface_number, error);
}

gboolean
fer_usb_start_bulk (FerUsb *usb, guint8 endpoint, guint n_transfers, gsize transfer_bytes,
                    const FerUsbBulkCallbacks *callbacks, GError **error)
{
  return usb->ops->start_bulk (usb, endpoint, n_transfers, transfer_bytes, callbacks, error);
}

void
fer_usb_stop_bulk (FerUsb *usb)
{
  usb->ops->stop_bulk (usb);
}

const char *
fer_usb_get_description (FerUsb *usb)
{
  return usb->description ? usb->description : "";
}

void
fer_usb_close (FerUsb *usb)
{
  if (usb != NULL)
    usb->ops->close (usb);
}

void
fer_usb_get_strings (FerUsb *usb, const char **manufacturer, const char **product,
                     const char **serial)
{
  const char *m = NULL, *p = NULL, *s = NULL;

  if (usb->ops->get_strings != NULL)
    usb->ops->get_strings (usb, &m, &p, &s);
  if (manufacturer != NULL)
    *manufacturer = m;
  if (product != NULL)
    *product = p;
  if (serial != NULL)
    *serial = s;
}
