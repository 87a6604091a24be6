/* test-usb-libusb.c - the libusb backend (usb-libusb.c) against the emulated
 * dongle served as a real USB device through umockdev.
 *
 * What a person relies on: the dongle is found with its strings, opened by
 * index or serial, taken from the kernel's TV driver (and given back), and it
 * streams with many transfers in flight without losing a byte; a glitch is
 * retried once and a fault reported; pulling it out ends the stream with one
 * "gone" and nothing hangs.
 */
#include <string.h>

#include "device/rtl2832.h"
#include "device/usb-libusb.h"
#include "usb-test-util.h"

#define RATE_HZ         2400000u
#define N_TRANSFERS     32
#define TRANSFER_BYTES  (16 * 1024)
#define USB_EPA_CTL     0x2148
#define BLOCK_USB_WRITE (1 << 8 | 0x10)

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

/* --- listing and opening ------------------------------------------------ */

static void
test_list_finds_dongle_with_strings (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = fer_usb_libusb_list (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  FerUsbDongleInfo *info = list->pdata[0];
  g_assert_no_error (info->error);
  g_assert_cmphex (info->vendor_id, ==, 0x0bda);
  g_assert_cmphex (info->product_id, ==, 0x2838);
  g_assert_cmpstr (info->model, ==, "Generic RTL2832U OEM");
  g_assert_cmpuint (info->bus, ==, 1);
  g_assert_cmpuint (info->address, ==, 2);
  g_assert_cmpstr (info->node, ==, "/dev/bus/usb/001/002");
  g_assert_cmpstr (info->manufacturer, ==, "Realtek");
  g_assert_cmpstr (info->product, ==, "RTL2838UHIDIR");
  g_assert_cmpstr (info->serial, ==, "00000001");
  g_autofree char *text = fer_usb_dongle_info_describe (info);
  g_assert_cmpstr (text, ==, "Realtek RTL2838UHIDIR SN 00000001");

  /* Pulled out: gone from the list. */
  fer_emu_usbdevfs_unplug (f->server);
  g_autoptr (GPtrArray) after = fer_usb_libusb_list (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 0);
}

static void
test_open_by_index_and_serial (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FerUsb) by_index = fer_usb_libusb_open_index (0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fer_usb_get_description (by_index), ==, "Realtek RTL2838UHIDIR SN 00000001");
  g_assert_cmpstr (fer_usb_libusb_get_serial (by_index), ==, "00000001");
  g_clear_pointer (&by_index, fer_usb_close);

  g_autoptr (FerUsb) by_serial = fer_usb_libusb_open_serial ("00000001", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fer_usb_libusb_get_serial (by_serial), ==, "00000001");
  g_assert_nonnull (fer_usb_libusb_get_port_path (by_serial));
  g_clear_pointer (&by_serial, fer_usb_close);

  g_assert_null (fer_usb_libusb_open_index (1, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "1 found"));
  g_clear_error (&error);
  g_assert_null (fer_usb_libusb_open_serial ("12345678", NULL, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "12345678"));
}

/* The kernel's TV driver holds interface 0: claiming takes it off, closing
 * gives the dongle back to it. */
static void
test_claim_detaches_kernel_driver (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fer_emu_usbdevfs_set_kernel_driver (f->server, TRUE, FALSE);
  g_assert_true (fer_emu_usbdevfs_get_kernel_driver_bound (f->server));

  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  g_assert_no_error (error);
  g_assert_true (fer_usb_claim_interface (usb, 0, &error));
  g_assert_no_error (error);
  FerUsbLibusbStats stats;
  fer_usb_libusb_get_stats (usb, &stats);
  g_assert_true (stats.detached_kernel_driver);
  g_assert_false (fer_emu_usbdevfs_get_kernel_driver_bound (f->server));

  /* The driver works through the claimed interface. */
  guint8 id = 0;
  g_assert_cmpint (fer_usb_control (usb, FER_USB_VENDOR_IN, 0, 0x2000, 1 << 8, &id, 1, 300,
                                    &error), ==, 1);
  g_assert_no_error (error);

  fer_usb_close (usb);
  g_assert_true (fer_emu_usbdevfs_get_kernel_driver_bound (f->server));
}

/* --- streaming -------------------------------------------------------------- */

typedef struct {
  gint64 n_bytes;           /* atomic */
  gint n_bad;               /* atomic: bytes that broke the counter */
  gint n_dead;              /* atomic */
  GError *dead_error;       /* set once, before n_dead */
  gboolean have_last;       /* thread: device */
  guint8 last;
  gint64 target_bytes;
} Stream;

static void
on_data (const guint8 *data, gsize n_bytes, gpointer user_data)
{
  Stream *s = user_data;
  guint bad = 0;
  for (gsize i = 0; i < n_bytes; i++)
    {
      if (s->have_last && data[i] != (guint8) (s->last + 1))
        bad++;
      s->last = data[i];
      s->have_last = TRUE;
    }
  g_atomic_int_add (&s->n_bad, (gint) bad);
  g_atomic_pointer_add (&s->n_bytes, (gssize) n_bytes);
}

static void
on_dead (const GError *error, gpointer user_data)
{
  Stream *s = user_data;
  if (s->dead_error == NULL)
    s->dead_error = g_error_copy (error);
  g_atomic_int_inc (&s->n_dead);
}

static gboolean
reached_target (gpointer data)
{
  Stream *s = data;
  return (gint64) g_atomic_pointer_get (&s->n_bytes) >= s->target_bytes;
}

static gboolean
got_dead (gpointer data)
{
  return g_atomic_int_get (&((Stream *) data)->n_dead) > 0;
}

/* The real driver on the libusb backend, in test mode (the chip sends a byte
 * counter instead of samples). */
static FerRtl2832 *
open_test_mode (FerUsb **usb_out)
{
  g_autoptr (GError) error = NULL;
  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  g_assert_no_error (error);
  FerRtl2832 *rtl = fer_rtl2832_open (usb, &error);
  g_assert_no_error (error);
  g_assert_true (fer_rtl2832_set_sample_rate (rtl, RATE_HZ, &error));
  g_assert_true (fer_rtl2832_set_test_mode (rtl, TRUE, &error));
  g_assert_no_error (error);
  fer_rtl2832_set_transfer_ring (rtl, N_TRANSFERS, TRANSFER_BYTES);
  *usb_out = usb;
  return rtl;
}

typedef struct {
  FerEmuUsbdevfs *server;
  Stream *stream;
} Drain;

static gboolean
all_served_delivered (gpointer data)
{
  Drain *d = data;
  FerEmuUsbdevfsStats stats;
  fer_emu_usbdevfs_get_stats (d->server, &stats);
  return stats.n_bulk_bytes == (guint64) g_atomic_pointer_get (&d->stream->n_bytes);
}

/* Ten seconds of signal flat out, 32 transfers in flight: every byte the
 * dongle sent arrives, in order. */
static void
test_stream_ten_seconds_no_loss (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Stream s = { .target_bytes = (gint64) RATE_HZ * 2 * 10 };
  FerUsbBulkCallbacks cb = { on_data, on_dead, NULL, &s };
  FerUsb *usb;
  FerRtl2832 *rtl = open_test_mode (&usb);

  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (fer_rtl2832_start (rtl, &cb, &error));
  g_assert_no_error (error);
  g_assert_true (usb_test_wait (reached_target, &s, 20.0));
  double seconds = (g_get_monotonic_time () - t0) / 1e6;

  /* Stop the chip's FIFO (a control transfer while the ring runs), let what
   * it sent arrive, then compare with what it served. */
  guint8 fifo_stop[2] = { 0x10, 0x02 };
  g_assert_cmpint (fer_usb_control (usb, FER_USB_VENDOR_OUT, 0, USB_EPA_CTL, BLOCK_USB_WRITE,
                                    fifo_stop, 2, 300, &error), ==, 2);
  g_assert_no_error (error);
  Drain drain = { f->server, &s };
  g_assert_true (usb_test_wait (all_served_delivered, &drain, 2.0));
  fer_rtl2832_stop (rtl);

  FerUsbLibusbStats stats;
  fer_usb_libusb_get_stats (usb, &stats);
  FerEmuUsbdevfsStats served;
  fer_emu_usbdevfs_get_stats (f->server, &served);
  g_test_message ("%.1f MB in %.2f s = %.1f MB/s, %u transfers in flight, zero-copy %d",
                  s.n_bytes / 1e6, seconds, s.n_bytes / 1e6 / seconds, stats.n_in_flight_max,
                  stats.zero_copy);
  g_assert_cmpint (g_atomic_int_get (&s.n_bad), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&s.n_dead), ==, 0);
  g_assert_cmpuint (served.n_bulk_bytes, ==, (guint64) s.n_bytes);
  g_assert_cmpint (s.n_bytes, >=, s.target_bytes);
  g_assert_cmpuint (stats.n_in_flight_max, ==, N_TRANSFERS);
  g_assert_cmpuint (served.n_bulk_queued_max, >=, 16);
  /* A FIFO node cannot be mapped: the ring fell back to plain memory. */
  g_assert_false (stats.zero_copy);
  fer_rtl2832_close (rtl);
}

/* Unplugged mid-stream: one on_dead saying "gone", then stop and close
 * return at once. */
static void
test_unplug_mid_stream (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Stream s = { .target_bytes = 4 * 1024 * 1024 };
  FerUsbBulkCallbacks cb = { on_data, on_dead, NULL, &s };
  FerUsb *usb;
  FerRtl2832 *rtl = open_test_mode (&usb);

  g_assert_true (fer_rtl2832_start (rtl, &cb, &error));
  g_assert_true (usb_test_wait (reached_target, &s, 10.0));
  fer_emu_usbdevfs_unplug (f->server);
  g_assert_true (usb_test_wait (got_dead, &s, 3.0));
  g_assert_error (s.dead_error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE);
  g_usleep (300 * 1000);
  g_assert_cmpint (g_atomic_int_get (&s.n_dead), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&s.n_bad), ==, 0);

  /* Talking to it now says so. */
  g_assert_false (fer_rtl2832_set_center_freq (rtl, 100000000, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE);

  gint64 t0 = g_get_monotonic_time ();
  fer_rtl2832_close (rtl);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 1000000);
  g_clear_error (&s.dead_error);
}

/* --- glitches and faults ------------------------------------------------------ */

static int
read_demod_reg (FerUsb *usb, guint8 *value, guint timeout_ms, GError **error)
{
  /* page 1, register 0x01 */
  return fer_usb_control (usb, FER_USB_VENDOR_IN, 0, 0x01 << 8 | 0x20, 1, value, 1, timeout_ms,
                          error);
}

static void
test_control_glitch_retried_once (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FerUsb) usb = fer_usb_libusb_open_index (0, &error);
  g_assert_no_error (error);
  g_assert_true (fer_usb_claim_interface (usb, 0, &error));
  FerUsbLibusbStats stats;
  guint8 value;

  /* One timeout: the request is sent again and succeeds. */
  fer_emu_usbdevfs_inject (f->server, FER_EMU_FAULT_CONTROL_TIMEOUT, 1);
  gint64 t0 = g_get_monotonic_time ();
  g_assert_cmpint (read_demod_reg (usb, &value, 100, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 100000);
  fer_usb_libusb_get_stats (usb, &stats);
  g_assert_cmpuint (stats.n_control_retries, ==, 1);

  /* One stall: likewise. */
  fer_emu_usbdevfs_inject (f->server, FER_EMU_FAULT_CONTROL_STALL, 1);
  g_assert_cmpint (read_demod_reg (usb, &value, 100, &error), ==, 1);
  g_assert_no_error (error);
  fer_usb_libusb_get_stats (usb, &stats);
  g_assert_cmpuint (stats.n_control_retries, ==, 2);

  /* Twice in a row is a fault, reported as what it is. */
  fer_emu_usbdevfs_inject (f->server, FER_EMU_FAULT_CONTROL_TIMEOUT, 2);
  g_assert_cmpint (read_demod_reg (usb, &value, 100, &error), ==, -1);
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_TIMEOUT);
  g_clear_error (&error);
  fer_emu_usbdevfs_inject (f->server, FER_EMU_FAULT_CONTROL_STALL, 2);
  g_assert_cmpint (read_demod_reg (usb, &value, 100, &error), ==, -1);
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL);
  g_clear_error (&error);

  /* And the next request works again. */
  g_assert_cmpint (read_demod_reg (usb, &value, 100, &error), ==, 1);
  g_assert_no_error (error);
}

/* A stalled bulk transfer is cleared and resubmitted; the stream goes on
 * without a gap. A stall that comes back is the end, reported once. */
static void
test_bulk_stall_retried_then_fatal (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Stream s = { .target_bytes = 2 * 1024 * 1024 };
  FerUsbBulkCallbacks cb = { on_data, on_dead, NULL, &s };
  FerUsb *usb;
  FerRtl2832 *rtl = open_test_mode (&usb);

  g_assert_true (fer_rtl2832_start (rtl, &cb, &error));
  g_assert_true (usb_test_wait (reached_target, &s, 10.0));
  fer_emu_usbdevfs_inject (f->server, FER_EMU_FAULT_BULK_STALL, 1);
  s.target_bytes += 4 * 1024 * 1024;
  g_assert_true (usb_test_wait (reached_target, &s, 10.0));
  FerUsbLibusbStats stats;
  fer_usb_libusb_get_stats (usb, &stats);
  g_assert_cmpuint (stats.n_bulk_retries, ==, 1);
  g_assert_cmpint (g_atomic_int_get (&s.n_dead), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&s.n_bad), ==, 0);

  /* Every transfer stalls from now on. */
  fer_emu_usbdevfs_inject (f->server, FER_EMU_FAULT_BULK_STALL, 1000000);
  g_assert_true (usb_test_wait (got_dead, &s, 5.0));
  g_assert_error (s.dead_error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL);
  g_usleep (200 * 1000);
  g_assert_cmpint (g_atomic_int_get (&s.n_dead), ==, 1);
  fer_rtl2832_close (rtl);
  g_clear_error (&s.dead_error);
}

int
main (int argc, char **argv)
{
  usb_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add ("/usb/libusb/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("list-finds-dongle-with-strings", test_list_finds_dongle_with_strings);
  ADD ("open-by-index-and-serial", test_open_by_index_and_serial);
  ADD ("claim-detaches-kernel-driver", test_claim_detaches_kernel_driver);
  ADD ("stream-ten-seconds-no-loss", test_stream_ten_seconds_no_loss);
  ADD ("unplug-mid-stream", test_unplug_mid_stream);
  ADD ("control-glitch-retried-once", test_control_glitch_retried_once);
  ADD ("bulk-stall-retried-then-fatal", test_bulk_stall_retried_then_fatal);
#undef ADD
  return g_test_run ();
}
