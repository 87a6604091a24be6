/* test-usb-errors.c - the errors a person gets when the dongle cannot be
 * opened, each distinct and each saying what to do: no permission (the udev
 * rule), another program has it (which one), the kernel's TV driver will not
 * let go (the blacklist line).
 *
 * The dongle is the emulated one served through umockdev; the "other
 * program" is this test binary started again with --hold.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "device/usb-libusb.h"
#include "usb-test-util.h"

#define NOBODY_UID 65534

typedef struct {
  FerEmuUsbdevfs *server;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->server = usb_test_server_new (FALSE);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  fer_emu_usbdevfs_free (f->server);
}

/* --hold: claim the dongle, say "ready", keep it until stdin closes. */
static int
hold_main (void)
{
  g_autoptr (GError) error = NULL;
  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  if (usb == NULL || !fer_usb_claim_interface (usb, 0, &error))
    {
      g_printerr ("hold: %s\n", error->message);
      return 1;
    }
  printf ("ready\n");
  fflush (stdout);
  char buf[16];
  while (fread (buf, 1, sizeof buf, stdin) > 0)
    ;
  fer_usb_close (usb);
  return 0;
}

static char *self_path;

static void
test_busy_names_the_other_program (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { self_path, "--hold", NULL };
  GPid pid;
  int in_fd, out_fd;
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                           &in_fd, &out_fd, NULL, &error));
  g_assert_no_error (error);
  char line[16] = "";
  FILE *out = fdopen (out_fd, "r");
  g_assert_nonnull (fgets (line, sizeof line, out));
  g_assert_cmpstr (line, ==, "ready\n");

  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  g_assert_no_error (error);
  g_assert_false (fer_usb_claim_interface (usb, 0, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_BUSY);
  g_autofree char *who = g_strdup_printf ("test-usb-errors (pid %d)", (int) pid);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, who));
  g_assert_nonnull (strstr (error->message, "close that program"));
  fer_usb_close (usb);

  close (in_fd);
  fclose (out);
  int status;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_spawn_close_pid (pid);

  /* Let go: it opens. */
  g_clear_error (&error);
  usb = fer_usb_libusb_open_index (0, &error);
  g_assert_true (fer_usb_claim_interface (usb, 0, &error));
  g_assert_no_error (error);

  /* A second open in this same process cannot name a program. */
  FerUsb *again = fer_usb_libusb_open_index (0, &error);
  g_assert_false (fer_usb_claim_interface (again, 0, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "another program (or another Ferrite receiver)"));
  fer_usb_close (again);
  fer_usb_close (usb);
}

static void
test_kernel_driver_refusing_detach_gives_blacklist (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fer_emu_usbdevfs_set_kernel_driver (f->server, TRUE, TRUE);
  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  g_assert_no_error (error);
  g_assert_false (fer_usb_claim_interface (usb, 0, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_KERNEL_DRIVER);
  g_assert_nonnull (strstr (error->message, "blacklist dvb_usb_rtl28xxu"));
  g_assert_nonnull (strstr (error->message, FER_USB_BLACKLIST_FILE));
  /* Not the message for another program. */
  g_assert_null (strstr (error->message, "close"));
  fer_usb_close (usb);
  g_assert_true (fer_emu_usbdevfs_get_kernel_driver_bound (f->server));
}

/* chmod a+rwX, recursively. */
static void
open_up (const char *path)
{
  struct stat st;
  if (lstat (path, &st) != 0 || S_ISLNK (st.st_mode))
    return;
  chmod (path, st.st_mode | (S_ISDIR (st.st_mode) ? 0777 : 0666));
  if (!S_ISDIR (st.st_mode))
    return;
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      open_up (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
}

static void
test_no_permission_names_udev_rule (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *node = g_strconcat (g_getenv ("UMOCKDEV_DIR"),
                                       fer_emu_usbdevfs_get_node (f->server), NULL);
  /* Root opens anything: look like an ordinary user instead. */
  gboolean root = geteuid () == 0;
  if (root)
    {
      /* Others may read the testbed, bind their uevent socket in it and
       * reach the ioctl sockets (the preload connects even when the open
       * itself was refused); only the device node stays closed. */
      open_up (g_getenv ("UMOCKDEV_DIR"));
      g_assert_cmpint (chmod (node, 0600), ==, 0);
      if (seteuid (NOBODY_UID) != 0)
        {
          g_test_skip ("cannot take another user's identity");
          return;
        }
    }
  else
    g_assert_cmpint (chmod (node, 0), ==, 0);

  g_autoptr (GError) list_error = NULL;
  g_autoptr (GPtrArray) list = fer_usb_libusb_list (&list_error);
  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  if (root)
    g_assert_cmpint (seteuid (0), ==, 0);

  g_assert_no_error (list_error);
  g_assert_cmpuint (list->len, ==, 1);
  FerUsbDongleInfo *info = list->pdata[0];
  g_assert_error (info->error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_PERMISSION);
  g_assert_null (info->serial);

  g_assert_null (usb);
  g_test_message ("%s", error->message);
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, FER_USB_UDEV_RULES_FILE));
  g_assert_nonnull (strstr (error->message, "/etc/udev/rules.d"));
  g_assert_nonnull (strstr (error->message, "udevadm trigger"));
  g_assert_nonnull (strstr (error->message, "/dev/bus/usb/001/002"));
  g_assert_cmpint (chmod (node, 0666), ==, 0);
}

int
main (int argc, char **argv)
{
  if (argc > 1 && strcmp (argv[1], "--hold") == 0)
    return fer_emu_usbdevfs_reexec_under_preload (argv) ? hold_main () : EXIT_SKIP;
  usb_test_init (&argc, &argv);
  self_path = g_file_read_link ("/proc/self/exe", NULL);

#define ADD(path, fn) g_test_add ("/usb/errors/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("busy-names-the-other-program", test_busy_names_the_other_program);
  ADD ("kernel-driver-refusing-detach-gives-blacklist",
       test_kernel_driver_refusing_detach_gives_blacklist);
  ADD ("no-permission-names-udev-rule", test_no_permission_names_udev_rule);
#undef ADD
  return g_test_run ();
}
