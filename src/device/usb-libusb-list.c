/* usb-libusb-list.c - which dongles are plugged in: the USB IDs that carry
 * an RTL2832U, the list with each one's strings, and choosing the one to
 * open (by its place in the list, its serial or its port).
 */
#define G_LOG_DOMAIN "fer-usb-libusb"

#include "usb-libusb-private.h"

#include <libusb.h>

#define MAX_STRING_BYTES           256

/* RTL2832U receivers by USB ID. The udev rules file in data/ must list
 * exactly these (tests/usb checks it). */
static const FerRtlUsbId known_ids[] = {
  { 0x0bda, 0x2832, "Generic RTL2832U" },
  { 0x0bda, 0x2838, "Generic RTL2832U OEM" },
  { 0x0413, 0x6680, "DigitalNow Quad DVB-T PCI-E card" },
  { 0x0413, 0x6f0f, "Leadtek WinFast DTV Dongle mini D" },
  { 0x0458, 0x707f, "Genius TVGo DVB-T03 USB dongle (Ver. B)" },
  { 0x0ccd, 0x00a9, "Terratec Cinergy T Stick Black (rev 1)" },
  { 0x0ccd, 0x00b3, "Terratec NOXON DAB/DAB+ USB dongle (rev 1)" },
  { 0x0ccd, 0x00b4, "Terratec Deutschlandradio DAB Stick" },
  { 0x0ccd, 0x00b5, "Terratec NOXON DAB Stick - Radio Energy" },
  { 0x0ccd, 0x00b7, "Terratec Media Broadcast DAB Stick" },
  { 0x0ccd, 0x00b8, "Terratec BR DAB Stick" },
  { 0x0ccd, 0x00b9, "Terratec WDR DAB Stick" },
  { 0x0ccd, 0x00c0, "Terratec MuellerVerlag DAB Stick" },
  { 0x0ccd, 0x00c6, "Terratec Fraunhofer DAB Stick" },
  { 0x0ccd, 0x00d3, "Terratec Cinergy T Stick RC (Rev.3)" },
  { 0x0ccd, 0x00d7, "Terratec T Stick PLUS" },
  { 0x0ccd, 0x00e0, "Terratec NOXON DAB/DAB+ USB dongle (rev 2)" },
  { 0x1554, 0x5020, "PixelView PV-DT235U(RN)" },
  { 0x15f4, 0x0131, "Astrometa DVB-T/DVB-T2" },
  { 0x15f4, 0x0133, "HanfTek DAB+FM+DVB-T" },
  { 0x185b, 0x0620, "Compro Videomate U620F" },
  { 0x185b, 0x0650, "Compro Videomate U650F" },
  { 0x185b, 0x0680, "Compro Videomate U680F" },
  { 0x1b80, 0xd393, "GIGABYTE GT-U7300" },
  { 0x1b80, 0xd394, "DIKOM USB-DVBT HD" },
  { 0x1b80, 0xd395, "Peak 102569AGPK" },
  { 0x1b80, 0xd397, "KWorld KW-UB450-T USB DVB-T Pico TV" },
  { 0x1b80, 0xd398, "Zaapa ZT-MINDVBZP" },
  { 0x1b80, 0xd39d, "SVEON STV20 DVB-T USB & FM" },
  { 0x1b80, 0xd3a4, "Twintech UT-40" },
  { 0x1b80, 0xd3a8, "ASUS U3100MINI_PLUS_V2" },
  { 0x1b80, 0xd3af, "SVEON STV27 DVB-T USB & FM" },
  { 0x1b80, 0xd3b0, "SVEON STV21 DVB-T USB & FM" },
  { 0x1d19, 0x1101, "Dexatek DK DVB-T Dongle (Logilink VG0002A)" },
  { 0x1d19, 0x1102, "Dexatek DK DVB-T Dongle (MSI DigiVox mini II V3.0)" },
  { 0x1d19, 0x1103, "Dexatek Technology Ltd. DK 5217 DVB-T Dongle" },
  { 0x1d19, 0x1104, "MSI DigiVox Micro HD" },
  { 0x1f4d, 0xa803, "Sweex DVB-T USB" },
  { 0x1f4d, 0xb803, "GTek T803" },
  { 0x1f4d, 0xc803, "Lifeview LV5TDeluxe" },
  { 0x1f4d, 0xd286, "MyGica TD312" },
  { 0x1f4d, 0xd803, "PROlectrix DV107669" },
};

const FerRtlUsbId *
fer_usb_libusb_get_known_ids (guint *n_ids)
{
  *n_ids = G_N_ELEMENTS (known_ids);
  return known_ids;
}

const FerRtlUsbId *
fer_usb_libusb_lookup_id (guint16 vendor_id, guint16 product_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_ids); i++)
    if (known_ids[i].vendor_id == vendor_id && known_ids[i].product_id == product_id)
      return &known_ids[i];
  return NULL;
}

/* --- Listing --------------------------------------------------------------- */

static gboolean
context_new (libusb_context **ctx, GError **error)
{
  int r = libusb_init (ctx);
  if (r < 0)
    {
      *ctx = NULL;
      g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_FAILED,
                   "USB is not available: %s", libusb_strerror (r));
      return FALSE;
    }
  return TRUE;
}

char *
fer_usb_libusb_port_path (libusb_device *dev)
{
  guint8 ports[8];
  int n = libusb_get_port_numbers (dev, ports, G_N_ELEMENTS (ports));
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%u", libusb_get_bus_number (dev));
  for (int i = 0; i < n; i++)
    g_string_append_printf (s, "%c%u", i == 0 ? '-' : '.', ports[i]);
  return g_string_free (s, FALSE);
}

char *
fer_usb_libusb_node (libusb_device *dev)
{
#ifdef __linux__
  return g_strdup_printf ("/dev/bus/usb/%03u/%03u", libusb_get_bus_number (dev),
                          libusb_get_device_address (dev));
#else
  return NULL;
#endif
}

char *
fer_usb_libusb_read_string (libusb_device_handle *handle, guint8 index)
{
  unsigned char buf[MAX_STRING_BYTES];
  if (index == 0)
    return NULL;
  int n = libusb_get_string_descriptor_ascii (handle, index, buf, sizeof buf - 1);
  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  return g_strstrip (g_strdup ((const char *) buf));
}

char *
fer_usb_libusb_describe (const char *manufacturer, const char *product, const char *serial,
                         const char *model)
{
  GString *s = g_string_new (NULL);
  if (manufacturer != NULL)
    g_string_append (s, manufacturer);
  if (product != NULL)
    g_string_append_printf (s, "%s%s", s->len ? " " : "", product);
  if (s->len == 0)
    g_string_append (s, model);
  if (serial != NULL && *serial != '\0')
    g_string_append_printf (s, " SN %s", serial);
  return g_string_free (s, FALSE);
}

void
fer_usb_dongle_info_free (FerUsbDongleInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->port_path);
  g_free (info->node);
  g_free (info->manufacturer);
  g_free (info->product);
  g_free (info->serial);
  g_clear_error (&info->error);
  g_free (info);
}

char *
fer_usb_dongle_info_describe (const FerUsbDongleInfo *info)
{
  return fer_usb_libusb_describe (info->manufacturer, info->product, info->serial, info->model);
}

typedef struct {
  libusb_device *dev;
  const FerRtlUsbId *id;
  guint8 bus;
  guint8 ports[8];
  int n_ports;
} Candidate;

static gint
candidate_compare (gconstpointer a, gconstpointer b)
{
  const Candidate *x = a, *y = b;
  if (x->bus != y->bus)
    return x->bus < y->bus ? -1 : 1;
  int n = MIN (x->n_ports, y->n_ports);
  for (int i = 0; i < n; i++)
    if (x->ports[i] != y->ports[i])
      return x->ports[i] < y->ports[i] ? -1 : 1;
  return x->n_ports - y->n_ports;
}

/* The RTL2832U devices in @list, in bus/port order. */
static GArray *
find_candidates (libusb_device **list, ssize_t n)
{
  GArray *found = g_array_new (FALSE, TRUE, sizeof (Candidate));
  for (ssize_t i = 0; i < n; i++)
    {
      struct libusb_device_descriptor dd;
      if (libusb_get_device_descriptor (list[i], &dd) < 0)
        continue;
      const FerRtlUsbId *id = fer_usb_libusb_lookup_id (dd.idVendor, dd.idProduct);
      if (id == NULL)
        continue;
      Candidate c = { .dev = list[i], .id = id, .bus = libusb_get_bus_number (list[i]) };
      c.n_ports = MAX (0, libusb_get_port_numbers (list[i], c.ports, G_N_ELEMENTS (c.ports)));
      g_array_append_val (found, c);
    }
  g_array_sort (found, candidate_compare);
  return found;
}

/* A context of its own and the RTL2832U devices plugged in, in bus/port
 * order (none when the list cannot be had). NULL with @error when USB is
 * unusable; otherwise the caller frees *list (when not NULL) and exits *ctx. */
static GArray *
list_candidates (libusb_context **ctx, libusb_device ***list, GError **error)
{
  *list = NULL;
  if (!context_new (ctx, error))
    return NULL;
  ssize_t n = libusb_get_device_list (*ctx, list);
  return find_candidates (*list, MAX (n, 0));
}

static FerUsbDongleInfo *
info_new (const Candidate *c, guint index)
{
  FerUsbDongleInfo *info = g_new0 (FerUsbDongleInfo, 1);
  struct libusb_device_descriptor dd;
  libusb_get_device_descriptor (c->dev, &dd);

  info->index = index;
  info->vendor_id = dd.idVendor;
  info->product_id = dd.idProduct;
  info->model = c->id->name;
  info->bus = libusb_get_bus_number (c->dev);
  info->address = libusb_get_device_address (c->dev);
  info->port_path = fer_usb_libusb_port_path (c->dev);
  info->node = fer_usb_libusb_node (c->dev);

  libusb_device_handle *handle = NULL;
  int r = libusb_open (c->dev, &handle);
  if (r < 0)
    {
      fer_usb_libusb_set_error (&info->error, r, info->node, "opening the dongle");
      return info;
    }
  info->manufacturer = fer_usb_libusb_read_string (handle, dd.iManufacturer);
  info->product = fer_usb_libusb_read_string (handle, dd.iProduct);
  info->serial = fer_usb_libusb_read_string (handle, dd.iSerialNumber);
  libusb_close (handle);
  return info;
}

GPtrArray *
fer_usb_libusb_list (GError **error)
{
  libusb_context *ctx;
  libusb_device **list;
  g_autoptr (GArray) found = list_candidates (&ctx, &list, error);
  if (found == NULL)
    return NULL;

  GPtrArray *infos = g_ptr_array_new_with_free_func ((GDestroyNotify) fer_usb_dongle_info_free);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (infos, info_new (&g_array_index (found, Candidate, i), i));
  if (list != NULL)
    libusb_free_device_list (list, 1);
  libusb_exit (ctx);
  return infos;
}

/* --- Choosing one to open ---------------------------------------------------- */

static void
set_not_found (GError **error, const char *what)
{
  g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_NOT_FOUND,
               "No RTL-SDR dongle %s is plugged in", what);
}

FerUsb *
fer_usb_libusb_open_index (guint index, GError **error)
{
  libusb_context *ctx;
  libusb_device **list;
  g_autoptr (GArray) found = list_candidates (&ctx, &list, error);
  if (found == NULL)
    return NULL;

  FerUsb *usb = NULL;
  if (index < found->len)
    usb = fer_usb_libusb_open_device (ctx, g_array_index (found, Candidate, index).dev, error);
  else
    {
      g_autofree char *what = g_strdup_printf ("number %u (%u found)", index, found->len);
      set_not_found (error, what);
    }
  if (list != NULL)
    libusb_free_device_list (list, 1);
  if (usb == NULL && index >= found->len)
    libusb_exit (ctx);
  return usb;
}

FerUsb *
fer_usb_libusb_open_serial (const char *serial, const char *port_path, GError **error)
{
  g_return_val_if_fail (serial != NULL || port_path != NULL, NULL);
  libusb_context *ctx;
  libusb_device **list;
  g_autoptr (GArray) found = list_candidates (&ctx, &list, error);
  if (found == NULL)
    return NULL;

  libusb_device *chosen = NULL;
  GError *first_error = NULL;
  for (guint i = 0; i < found->len; i++)
    {
      libusb_device *dev = g_array_index (found, Candidate, i).dev;
      libusb_device_handle *handle = NULL;
      struct libusb_device_descriptor dd;
      int r = libusb_get_device_descriptor (dev, &dd);
      if (r == 0)
        r = libusb_open (dev, &handle);
      if (r < 0)
        {
          /* Its serial is unknown: remember why, in case nothing matches. */
          if (first_error == NULL)
            {
              g_autofree char *node = fer_usb_libusb_node (dev);
              fer_usb_libusb_set_error (&first_error, r, node, "opening the dongle");
            }
          continue;
        }
      g_autofree char *s = fer_usb_libusb_read_string (handle, dd.iSerialNumber);
      libusb_close (handle);
      g_autofree char *path = fer_usb_libusb_port_path (dev);
      if (serial == NULL ? g_strcmp0 (path, port_path) != 0 : g_strcmp0 (s, serial) != 0)
        continue;
      if (chosen == NULL || g_strcmp0 (path, port_path) == 0)
        chosen = dev;
    }

  FerUsb *usb = NULL;
  if (chosen != NULL)
    usb = fer_usb_libusb_open_device (ctx, chosen, error);
  else if (first_error != NULL)
    g_propagate_error (error, g_steal_pointer (&first_error));
  else
    {
      g_autofree char *what = serial ? g_strdup_printf ("with serial %s", serial)
                                     : g_strdup_printf ("at USB port %s", port_path);
      set_not_found (error, what);
    }
  g_clear_error (&first_error);
  if (list != NULL)
    libusb_free_device_list (list, 1);
  if (chosen == NULL)
    libusb_exit (ctx);
  return usb;
}

