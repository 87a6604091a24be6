/* bench/usb - the libusb ring through umockdev: how fast it can go, and what
 * the device thread costs at the sample rates people use.
 *
 *   bench-usb [SECONDS]
 *
 * 1. Throughput: the emulated dongle (test mode, unthrottled) streams into
 *    the real driver and usb-libusb.c as fast as the ring takes it, for a few
 *    ring shapes. MB/s of bulk data delivered to on_data.
 * 2. Cost: the dongle paced in real time at 2.4 and 3.2 MS/s with the
 *    default ring (32 x 16 KiB); CPU % of the device thread (the one in
 *    libusb_handle_events), of the emulator's side (umockdev's worker thread
 *    serving the ioctls, in this process) and of the whole process.
 * Numbers through umockdev include its socket round trips per ioctl; real
 * hardware costs the device thread less.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "device/rtl2832.h"
#include "device/usb-libusb.h"
#include "emu-usbdevfs.h"

typedef struct {
  gint64 n_bytes;   /* atomic */
} Count;

static void
on_data (const guint8 *data, gsize n_bytes, gpointer user_data)
{
  Count *c = user_data;
  g_atomic_pointer_add (&c->n_bytes, (gssize) n_bytes);
}

/* CPU seconds (user + system) of one thread of this process, by name; or of
 * the whole process for NULL. */
static double
cpu_seconds (const char *thread_name)
{
  double ticks = (double) sysconf (_SC_CLK_TCK), total = 0;
  if (thread_name == NULL)
    {
      g_autofree char *stat = NULL;
      if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
        return 0;
      const char *p = strrchr (stat, ')');
      unsigned long ut = 0, st = 0;
      if (p && sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
        return (ut + st) / ticks;
      return 0;
    }
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
      g_autofree char *comm = NULL;
      if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
        continue;
      g_strstrip (comm);
      if (strcmp (comm, thread_name) != 0)
        continue;
      g_autofree char *stat_path = g_strdup_printf ("/proc/self/task/%s/stat", tid);
      g_autofree char *stat = NULL;
      if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;
      const char *p = strrchr (stat, ')');
      unsigned long ut = 0, st = 0;
      if (p && sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
        total += (ut + st) / ticks;
    }
  if (dir != NULL)
    g_dir_close (dir);
  return total;
}

static FerRtl2832 *
open_dongle (guint32 rate_hz, guint n_transfers, gsize transfer_bytes)
{
  g_autoptr (GError) error = NULL;
  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  FerRtl2832 *rtl = usb ? fer_rtl2832_open (usb, &error) : NULL;
  if (rtl == NULL || !fer_rtl2832_set_sample_rate (rtl, rate_hz, &error)
      || !fer_rtl2832_set_test_mode (rtl, TRUE, &error))
    g_error ("cannot open the emulated dongle: %s", error->message);
  fer_rtl2832_set_transfer_ring (rtl, n_transfers, transfer_bytes);
  return rtl;
}

static void
throughput (double seconds, guint n_transfers, gsize transfer_bytes)
{
  g_autoptr (FerEmuUsbdevfs) server = fer_emu_usbdevfs_new ();
  fer_emu_usbdevfs_plug (server, fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL), NULL);
  FerRtl2832 *rtl = open_dongle (2400000, n_transfers, transfer_bytes);
  Count count = { 0 };
  FerUsbBulkCallbacks cb = { .on_data = on_data, .user_data = &count };
  g_autoptr (GError) error = NULL;

  double cpu0 = cpu_seconds (NULL);
  gint64 t0 = g_get_monotonic_time ();
  if (!fer_rtl2832_start (rtl, &cb, &error))
    g_error ("%s", error->message);
  g_usleep ((gulong) (seconds * 1e6));
  fer_rtl2832_stop (rtl);
  double wall = (g_get_monotonic_time () - t0) / 1e6;
  double cpu = cpu_seconds (NULL) - cpu0;
  double mb = g_atomic_pointer_get (&count.n_bytes) / 1e6;
  printf ("  %2u x %4zu KiB: %6.1f MB/s  (%5.1f MS/s equivalent, process CPU %3.0f %%)\n",
          n_transfers, transfer_bytes / 1024, mb / wall, mb / wall / 2, 100 * cpu / wall);
  fer_rtl2832_close (rtl);
}

static void
cost (double seconds, guint32 rate_hz)
{
  g_autoptr (FerEmuUsbdevfs) server = fer_emu_usbdevfs_new ();
  fer_emu_usbdevfs_set_realtime (server, TRUE);
  fer_emu_usbdevfs_plug (server, fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL), NULL);
  FerRtl2832 *rtl = open_dongle (rate_hz, FER_USB_LIBUSB_DEFAULT_N_TRANSFERS,
                                 FER_USB_LIBUSB_DEFAULT_TRANSFER_BYTES);
  Count count = { 0 };
  FerUsbBulkCallbacks cb = { .on_data = on_data, .user_data = &count };
  g_autoptr (GError) error = NULL;

  if (!fer_rtl2832_start (rtl, &cb, &error))
    g_error ("%s", error->message);
  /* Measure the steady state, not the start. */
  g_usleep (300 * 1000);
  gint64 n0 = (gint64) g_atomic_pointer_get (&count.n_bytes);
  double dev0 = cpu_seconds ("fer-usb"), proc0 = cpu_seconds (NULL);
  gint64 t0 = g_get_monotonic_time ();
  g_usleep ((gulong) (seconds * 1e6));
  double wall = (g_get_monotonic_time () - t0) / 1e6;
  double dev = cpu_seconds ("fer-usb") - dev0, proc = cpu_seconds (NULL) - proc0;
  gint64 n = (gint64) g_atomic_pointer_get (&count.n_bytes) - n0;
  fer_rtl2832_stop (rtl);
  printf ("  %.1f MS/s: delivered %.3f MS/s; CPU device thread %4.1f %%, "
          "emulator + rest %4.1f %%, process %4.1f %%\n",
          rate_hz / 1e6, n / 2.0 / wall / 1e6, 100 * dev / wall, 100 * (proc - dev) / wall,
          100 * proc / wall);
  fer_rtl2832_close (rtl);
}

int
main (int argc, char **argv)
{
  if (!fer_emu_usbdevfs_reexec_under_preload (argv))
    {
      fprintf (stderr, "bench-usb: umockdev's preload library (package umockdev) is missing\n");
      return 77;
    }
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 3.0;
  if (!(seconds > 0))
    seconds = 3.0;

  printf ("usb-libusb ring through umockdev, %.0f s each (%u cores)\n", seconds,
          g_get_num_processors ());
  printf ("throughput, unthrottled:\n");
  throughput (seconds, 32, 16 * 1024);
  throughput (seconds, 16, 16 * 1024);
  throughput (seconds, 32, 64 * 1024);
  throughput (seconds, 15, 256 * 1024);
  printf ("cost in real time, default ring %u x %u KiB:\n", FER_USB_LIBUSB_DEFAULT_N_TRANSFERS,
          FER_USB_LIBUSB_DEFAULT_TRANSFER_BYTES / 1024);
  cost (seconds, 2400000);
  cost (seconds, 3200000);
  return 0;
}
