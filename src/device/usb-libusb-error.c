/* usb-libusb-error.c - libusb failures as errors a person can act on.
 *
 * No permission names the udev rule and how to install it; busy names the
 * programs that hold the dongle (found by scanning /proc); a kernel driver
 * that will not let go gives the blacklist line.
 */
#define G_LOG_DOMAIN "fer-usb-libusb"

#include "usb-libusb-private.h"

#include <libusb.h>
#include <sys/stat.h>
#include <unistd.h>

#define DVB_KERNEL_DRIVER          "dvb_usb_rtl28xxu"
/* Where the build installs the rule (meson sets it). */
#ifdef FER_UDEV_RULES_DIR
#define UDEV_RULES_DIR FER_UDEV_RULES_DIR
#else
#define UDEV_RULES_DIR "/usr/lib/udev/rules.d"
#endif

FerDeviceError
fer_usb_libusb_error_code (int r)
{
  switch (r)
    {
    case LIBUSB_ERROR_NO_DEVICE: return FER_DEVICE_ERROR_GONE;
    case LIBUSB_ERROR_TIMEOUT: return FER_DEVICE_ERROR_TIMEOUT;
    case LIBUSB_ERROR_BUSY: return FER_DEVICE_ERROR_BUSY;
    case LIBUSB_ERROR_ACCESS: return FER_DEVICE_ERROR_PERMISSION;
    case LIBUSB_ERROR_PIPE: return FER_DEVICE_ERROR_STALL;
    case LIBUSB_ERROR_NOT_FOUND: return FER_DEVICE_ERROR_NOT_FOUND;
    case LIBUSB_ERROR_NOT_SUPPORTED: return FER_DEVICE_ERROR_UNSUPPORTED;
    case LIBUSB_ERROR_INVALID_PARAM: return FER_DEVICE_ERROR_INVALID;
    default: return FER_DEVICE_ERROR_FAILED;
    }
}

int
fer_usb_libusb_transfer_error (int status)
{
  switch (status)
    {
    case LIBUSB_TRANSFER_COMPLETED: return 0;
    case LIBUSB_TRANSFER_TIMED_OUT: return LIBUSB_ERROR_TIMEOUT;
    case LIBUSB_TRANSFER_STALL: return LIBUSB_ERROR_PIPE;
    case LIBUSB_TRANSFER_NO_DEVICE: return LIBUSB_ERROR_NO_DEVICE;
    case LIBUSB_TRANSFER_OVERFLOW: return LIBUSB_ERROR_OVERFLOW;
    case LIBUSB_TRANSFER_CANCELLED: return LIBUSB_ERROR_INTERRUPTED;
    case LIBUSB_TRANSFER_ERROR:
    default: return LIBUSB_ERROR_IO;
    }
}

static void
set_permission_error (GError **error, const char *node)
{
#ifdef __linux__
  g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_PERMISSION,
               "No permission to open the dongle (%s). Ferrite's udev rule %s gives "
               "the person at the seat access; install it with: sudo cp %s/%s "
               "/etc/udev/rules.d/ && sudo udevadm control --reload && "
               "sudo udevadm trigger (the rule is also in data/ of Ferrite's source), "
               "then unplug the dongle and plug it back in",
               node ? node : "its device node", FER_USB_UDEV_RULES_FILE, UDEV_RULES_DIR,
               FER_USB_UDEV_RULES_FILE);
#else
  g_set_error_literal (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_PERMISSION,
                       "No permission to open the dongle: the system refused access to it");
#endif
}

/* "name (pid N), name (pid M)" of the other processes that have @node open,
 * or NULL when none can be seen (other users' processes are hidden). */
static char *
find_node_holders (const char *node)
{
#ifdef __linux__
  struct stat want;
  if (node == NULL || stat (node, &want) != 0)
    return NULL;
  GDir *proc = g_dir_open ("/proc", 0, NULL);
  if (proc == NULL)
    return NULL;

  GString *found = g_string_new (NULL);
  pid_t me = getpid ();
  const char *name;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      char *end = NULL;
      gint64 pid = g_ascii_strtoll (name, &end, 10);
      if (end == name || *end != '\0' || pid == me)
        continue;
      g_autofree char *fd_dir_path = g_strdup_printf ("/proc/%s/fd", name);
      GDir *fd_dir = g_dir_open (fd_dir_path, 0, NULL);
      if (fd_dir == NULL)
        continue;
      const char *fd_name;
      gboolean holds = FALSE;
      while (!holds && (fd_name = g_dir_read_name (fd_dir)) != NULL)
        {
          g_autofree char *fd_path = g_build_filename (fd_dir_path, fd_name, NULL);
          struct stat st;
          holds = stat (fd_path, &st) == 0 && st.st_dev == want.st_dev
                  && st.st_ino == want.st_ino;
        }
      g_dir_close (fd_dir);
      if (!holds)
        continue;
      g_autofree char *comm_path = g_strdup_printf ("/proc/%s/comm", name);
      g_autofree char *comm = NULL;
      if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
        comm = g_strdup ("?");
      g_strstrip (comm);
      g_string_append_printf (found, "%s%s (pid %s)", found->len ? ", " : "", comm, name);
    }
  g_dir_close (proc);
  return g_string_free (found, found->len == 0);
#else
  return NULL;
#endif
}

static void
set_busy_error (GError **error, const char *node)
{
  g_autofree char *holders = find_node_holders (node);
  if (holders != NULL)
    g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_BUSY,
                 "The dongle is in use by %s: close that program and try again", holders);
  else
    g_set_error_literal (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_BUSY,
                         "The dongle is in use by another program (or another Ferrite "
                         "receiver): close it and try again");
}

void
fer_usb_libusb_set_kernel_driver_error (GError **error, int r)
{
  g_debug ("detaching the kernel driver failed: %s", libusb_strerror (r));
  g_set_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_KERNEL_DRIVER,
               "The kernel's DVB-T driver (%s) has the dongle and would not let it go. "
               "Keep it off RTL2832U dongles with the line 'blacklist %s': "
               "sudo cp %s /etc/modprobe.d/ (in Ferrite's data folder), then "
               "sudo modprobe -r %s, or unplug the dongle and plug it back in",
               DVB_KERNEL_DRIVER, DVB_KERNEL_DRIVER, FER_USB_BLACKLIST_FILE,
               DVB_KERNEL_DRIVER);
}

/* Any other libusb failure, with what was being done. */
void
fer_usb_libusb_set_error (GError **error, int r, const char *node, const char *doing)
{
  switch (r)
    {
    case LIBUSB_ERROR_ACCESS:
      set_permission_error (error, node);
      break;
    case LIBUSB_ERROR_BUSY:
      set_busy_error (error, node);
      break;
    case LIBUSB_ERROR_NO_DEVICE:
      g_set_error_literal (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE,
                           "The dongle was unplugged");
      break;
    default:
      g_set_error (error, FER_DEVICE_ERROR, fer_usb_libusb_error_code (r),
                   "USB error while %s: %s", doing, libusb_strerror (r));
      break;
    }
}
