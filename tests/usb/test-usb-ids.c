/* test-usb-ids.c - the USB IDs Ferrite opens and the udev rule it ships
 * agree: every dongle Ferrite would open is one the rule gives the person
 * access to, and the rule opens nothing else. (No umockdev needed.)
 */
#include <string.h>

#include "device/usb-libusb.h"

static GHashTable *
rule_ids (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data",
                                                 FER_USB_UDEV_RULES_FILE, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);

  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      if (*line == '#' || *line == '\0')
        continue;
      /* SUBSYSTEM=="usb", ATTRS{idVendor}=="0bda", ATTRS{idProduct}=="2838", TAG+="uaccess" */
      const char *v = strstr (line, "ATTRS{idVendor}==\"");
      const char *p = strstr (line, "ATTRS{idProduct}==\"");
      g_assert_nonnull (v);
      g_assert_nonnull (p);
      g_assert_nonnull (strstr (line, "SUBSYSTEM==\"usb\""));
      g_assert_nonnull (strstr (line, "TAG+=\"uaccess\""));
      g_autofree char *id = g_strdup_printf ("%.4s:%.4s", v + strlen ("ATTRS{idVendor}==\""),
                                             p + strlen ("ATTRS{idProduct}==\""));
      if (!g_hash_table_add (ids, g_steal_pointer (&id)))
        g_error ("the rule lists %s twice", line);
    }
  return ids;
}

static void
test_rule_lists_exactly_the_known_ids (void)
{
  g_autoptr (GHashTable) in_rule = rule_ids ();
  guint n_ids = 0;
  const FerRtlUsbId *ids = fer_usb_libusb_get_known_ids (&n_ids);

  g_assert_cmpuint (n_ids, >=, 40);
  for (guint i = 0; i < n_ids; i++)
    {
      g_autofree char *id = g_strdup_printf ("%04x:%04x", ids[i].vendor_id, ids[i].product_id);
      if (!g_hash_table_remove (in_rule, id))
        g_error ("%s (%s) is missing from %s", id, ids[i].name, FER_USB_UDEV_RULES_FILE);
      g_assert_true (fer_usb_libusb_lookup_id (ids[i].vendor_id, ids[i].product_id) == &ids[i]);
    }
  GHashTableIter it;
  gpointer extra;
  g_hash_table_iter_init (&it, in_rule);
  if (g_hash_table_iter_next (&it, &extra, NULL))
    g_error ("%s lists %s, which Ferrite does not open", FER_USB_UDEV_RULES_FILE,
             (char *) extra);

  /* The common ones, by name. */
  g_assert_nonnull (fer_usb_libusb_lookup_id (0x0bda, 0x2838));
  g_assert_nonnull (fer_usb_libusb_lookup_id (0x0bda, 0x2832));
  g_assert_null (fer_usb_libusb_lookup_id (0x0bda, 0x2831));
}

static void
test_blacklist_names_the_driver (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", FER_USB_BLACKLIST_FILE,
                                                 NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\nblacklist dvb_usb_rtl28xxu\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/usb/ids/rule-lists-exactly-the-known-ids",
                   test_rule_lists_exactly_the_known_ids);
  g_test_add_func ("/usb/ids/blacklist-names-the-driver", test_blacklist_names_the_driver);
  return g_test_run ();
}
