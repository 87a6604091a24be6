/* Tests of the emulated dongle behind the FerUsb port: pacing, stop,
 * unplug, error mapping. */
#include <math.h>
#include <string.h>

#include "device/usb-emu.h"
#include "test-emu-common.h"

#define RATE_HZ 2400000.0
#define TRANSFER_BYTES 16384

typedef struct {
  GRecMutex lock;  /* visible to ThreadSanitizer, unlike GMutex */
  guint64 n_bytes;
  guint n_transfers;
  guint n_dead;
  gint dead_code;
  gint64 first_us;
  gint64 last_us;
  guint ready_budget;        /* wait_ready returns FALSE when it hits 0 */
  guint n_ready_calls;
  gboolean data_after_dead;
  gboolean stopped;          /* set by the test after stop_bulk returned */
  gboolean data_after_stop;
  gboolean check_counter;    /* test mode: verify the byte counter */
  gint counter_breaks;
  gint last_byte;
  guint8 latest[TRANSFER_BYTES];  /* the last transfer */
} Sink;

static void
sink_init (Sink *s)
{
  memset (s, 0, sizeof *s);
  g_rec_mutex_init (&s->lock);
  s->last_byte = -1;
}

static void
on_data (const guint8 *data, gsize n_bytes, gpointer user_data)
{
  Sink *s = user_data;
  g_rec_mutex_lock (&s->lock);
  gint64 now = g_get_monotonic_time ();
  if (s->n_transfers == 0)
    s->first_us = now;
  s->last_us = now;
  s->n_transfers++;
  s->n_bytes += n_bytes;
  if (s->n_dead > 0)
    s->data_after_dead = TRUE;
  if (s->stopped)
    s->data_after_stop = TRUE;
  memcpy (s->latest, data, MIN (n_bytes, sizeof s->latest));
  for (gsize k = 0; s->check_counter && k < n_bytes; k++)
    {
      if (s->last_byte >= 0 && data[k] != (guint8) (s->last_byte + 1))
        s->counter_breaks++;
      s->last_byte = data[k];
    }
  g_rec_mutex_unlock (&s->lock);
}

static void
on_dead (const GError *error, gpointer user_data)
{
  Sink *s = user_data;
  g_rec_mutex_lock (&s->lock);
  s->n_dead++;
  s->dead_code = error->code;
  g_assert_true (error->domain == FER_DEVICE_ERROR);
  g_rec_mutex_unlock (&s->lock);
}

static gboolean
wait_ready (gpointer user_data)
{
  Sink *s = user_data;
  g_rec_mutex_lock (&s->lock);
  s->n_ready_calls++;
  gboolean ok = s->ready_budget > 0;
  if (ok)
    s->ready_budget--;
  g_rec_mutex_unlock (&s->lock);
  return ok;
}

static FerUsb *
new_streaming_usb (FerEmuPacing pacing, gboolean test_mode)
{
  FerEmuDongle *emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL);
  TestDriver d;
  test_driver_setup (&d, emu, RATE_HZ, 100e6);
  if (test_mode)
    test_driver_set_test_mode (&d, TRUE);
  return fer_usb_emu_new (emu, pacing);
}

static guint64
sink_bytes (Sink *s)
{
  g_rec_mutex_lock (&s->lock);
  guint64 n = s->n_bytes;
  g_rec_mutex_unlock (&s->lock);
  return n;
}

static void
test_description_and_control (void)
{
  g_autoptr (FerUsb) usb = new_streaming_usb (FER_EMU_PACE_REALTIME, FALSE);
  g_autoptr (GError) error = NULL;
  guint8 b = 0x5a;

  g_assert_cmpstr (fer_usb_get_description (usb), ==, "Emulated RTL2832U + R820T (demo)");
  g_assert_true (fer_usb_claim_interface (usb, 0, &error));
  g_assert_cmpint (fer_usb_control (usb, FER_USB_VENDOR_OUT, 0, 0x3001, 0x0210, &b, 1, 300,
                                    &error), ==, 1);
  b = 0;
  g_assert_cmpint (fer_usb_control (usb, FER_USB_VENDOR_IN, 0, 0x3001, 0x0200, &b, 1, 300,
                                    &error), ==, 1);
  g_assert_cmphex (b, ==, 0x5a);
  g_assert_no_error (error);

  /* An absent I2C device is a stall. */
  g_assert_cmpint (fer_usb_control (usb, FER_USB_VENDOR_IN, 0, 0xc8, 0x0600, &b, 1, 300,
                                    &error), ==, -1);
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_STALL);
  g_clear_error (&error);

  /* Only the bulk IN endpoint streams. */
  Sink s;
  sink_init (&s);
  FerUsbBulkCallbacks cb = { on_data, on_dead, NULL, &s };
  g_assert_false (fer_usb_start_bulk (usb, 0x82, 4, TRANSFER_BYTES, &cb, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_rec_mutex_clear (&s.lock);
}

static void
test_realtime_pacing (void)
{
  /* The counter is cheap to make, so this measures pacing alone even under
   * sanitizers; bench-emu measures the cost of real synthesis. */
  g_autoptr (FerUsb) usb = new_streaming_usb (FER_EMU_PACE_REALTIME, TRUE);
  Sink s;
  sink_init (&s);
  FerUsbBulkCallbacks cb = { on_data, on_dead, NULL, &s };
  g_autoptr (GError) error = NULL;

  g_assert_true (fer_usb_start_bulk (usb, 0x81, 8, TRANSFER_BYTES, &cb, &error));
  g_usleep (1100000);
  fer_usb_stop_bulk (usb);

  /* Rate from the first to the last transfer (the first one is already due
   * TRANSFER_BYTES / 2 samples after the start). */
  g_assert_cmpuint (s.n_transfers, >, 100);
  double seconds = (s.last_us - s.first_us) / 1e6;
  double rate = (double) (s.n_bytes - TRANSFER_BYTES) / 2 / seconds;
  g_test_message ("paced: %.0f samples/s over %.3f s", rate, seconds);
  g_assert_cmpfloat (fabs (rate / RATE_HZ - 1.0), <, 0.02);
  g_assert_cmpuint (s.n_dead, ==, 0);
  g_rec_mutex_clear (&s.lock);
}

static void
test_stop_is_prompt_and_final (void)
{
  g_autoptr (FerUsb) usb = new_streaming_usb (FER_EMU_PACE_REALTIME, TRUE);
  Sink s;
  sink_init (&s);
  s.check_counter = TRUE;
  FerUsbBulkCallbacks cb = { on_data, on_dead, NULL, &s };
  g_autoptr (GError) error = NULL;

  /* Large transfers: 0.2 s each, so a stop lands mid-wait. */
  g_assert_true (fer_usb_start_bulk (usb, 0x81, 2, 960000, &cb, &error));
  g_usleep (300000);
  gint64 t0 = g_get_monotonic_time ();
  fer_usb_stop_bulk (usb);
  gint64 took = g_get_monotonic_time () - t0;
  g_rec_mutex_lock (&s.lock);
  s.stopped = TRUE;
  g_rec_mutex_unlock (&s.lock);
  g_test_message ("stop took %" G_GINT64_FORMAT " us", took);
  g_assert_cmpint (took, <, 50000);
  g_usleep (300000);
  g_assert_false (s.data_after_stop);
  g_assert_cmpuint (s.n_transfers, ==, 1);
  /* Test mode counter unbroken; a restart continues it. */
  g_assert_true (fer_usb_start_bulk (usb, 0x81, 2, 4096, &cb, &error));
  g_usleep (50000);
  fer_usb_stop_bulk (usb);
  g_assert_cmpuint (s.n_transfers, >, 1);
  g_assert_cmpint (s.counter_breaks, ==, 0);
  g_rec_mutex_clear (&s.lock);
}

static void
test_unthrottled_follows_wait_ready (void)
{
  g_autoptr (FerUsb) usb = new_streaming_usb (FER_EMU_PACE_UNTHROTTLED, TRUE);
  Sink s;
  sink_init (&s);
  s.ready_budget = 40;
  s.check_counter = TRUE;
  FerUsbBulkCallbacks cb = { on_data, on_dead, wait_ready, &s };
  g_autoptr (GError) error = NULL;

  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (fer_usb_start_bulk (usb, 0x81, 4, TRANSFER_BYTES, &cb, &error));
  while (sink_bytes (&s) < 40 * TRANSFER_BYTES && g_get_monotonic_time () - t0 < 5000000)
    g_usleep (1000);
  /* 40 transfers = 0.14 s of signal, delivered faster than real time. */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 100000);
  g_usleep (20000);
  fer_usb_stop_bulk (usb);
  g_assert_cmpuint (s.n_transfers, ==, 40);
  g_assert_cmpuint (s.n_ready_calls, ==, 41);
  g_assert_cmpint (s.counter_breaks, ==, 0);
  g_rec_mutex_clear (&s.lock);
}

static void
test_no_data_while_fifo_in_reset (void)
{
  FerEmuDongle *emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL);
  TestDriver d;
  test_driver_init (&d, emu);
  test_driver_set_rate (&d, RATE_HZ);
  g_autoptr (FerUsb) usb = fer_usb_emu_new (emu, FER_EMU_PACE_UNTHROTTLED);
  Sink s;
  sink_init (&s);
  FerUsbBulkCallbacks cb = { on_data, on_dead, NULL, &s };
  g_autoptr (GError) error = NULL;

  g_assert_true (fer_usb_start_bulk (usb, 0x81, 4, TRANSFER_BYTES, &cb, &error));
  g_usleep (50000);
  g_assert_cmpuint (sink_bytes (&s), ==, 0);
  test_driver_start (&d);
  g_usleep (50000);
  g_assert_cmpuint (sink_bytes (&s), >, 0);
  test_driver_stop (&d);
  g_usleep (20000);
  guint64 held = sink_bytes (&s);
  g_usleep (50000);
  g_assert_cmpuint (sink_bytes (&s), ==, held);
  fer_usb_stop_bulk (usb);
  g_rec_mutex_clear (&s.lock);
}

static void
test_unplug_fires_on_dead_once (void)
{
  g_autoptr (FerUsb) usb = new_streaming_usb (FER_EMU_PACE_REALTIME, FALSE);
  Sink s;
  sink_init (&s);
  FerUsbBulkCallbacks cb = { on_data, on_dead, NULL, &s };
  g_autoptr (GError) error = NULL;
  guint8 b = 0;

  g_assert_true (fer_usb_start_bulk (usb, 0x81, 8, TRANSFER_BYTES, &cb, &error));
  g_usleep (100000);
  fer_usb_emu_unplug (usb);
  g_usleep (100000);
  g_rec_mutex_lock (&s.lock);
  g_assert_cmpuint (s.n_dead, ==, 1);
  g_assert_cmpint (s.dead_code, ==, FER_DEVICE_ERROR_GONE);
  g_assert_false (s.data_after_dead);
  g_rec_mutex_unlock (&s.lock);

  g_assert_cmpint (fer_usb_control (usb, FER_USB_VENDOR_IN, 0, 0x3001, 0x0200, &b, 1, 300,
                                    &error), ==, -1);
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE);
  g_clear_error (&error);
  g_assert_false (fer_usb_claim_interface (usb, 0, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE);
  g_clear_error (&error);
  g_assert_false (fer_usb_start_bulk (usb, 0x81, 8, TRANSFER_BYTES, &cb, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE);

  fer_usb_stop_bulk (usb);
  g_assert_cmpuint (s.n_dead, ==, 1);
  g_rec_mutex_clear (&s.lock);
}

static void
test_retune_while_streaming (void)
{
  const double fc = 433.0e6, f = fc + 150e3;
  FerScene *scene = fer_scene_new (-130.0);
  FerEmitter carrier = { .label = "c", .kind = FER_EMITTER_CARRIER, .freq_hz = f,
                         .level_dbfs = -30 };
  fer_scene_add (scene, &carrier);
  FerEmuDongle *emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, scene);
  TestDriver d;
  test_driver_setup (&d, emu, RATE_HZ, fc);
  g_autoptr (FerUsb) usb = fer_usb_emu_new (emu, FER_EMU_PACE_REALTIME);
  Sink *s = g_new0 (Sink, 1);
  sink_init (s);
  FerUsbBulkCallbacks cb = { on_data, on_dead, NULL, s };
  g_autoptr (GError) error = NULL;

  g_assert_true (fer_usb_start_bulk (usb, 0x81, 8, TRANSFER_BYTES, &cb, &error));
  /* Control transfers race the device thread's reads. */
  for (guint i = 0; i < 30; i++)
    {
      g_assert_true (test_driver_tune (&d, fc + (i % 3) * 50e3));
      test_driver_set_manual_gain (&d, i % 16, (i * 7) % 16, 8);
      g_usleep (5000);
    }
  test_driver_set_agc (&d);
  g_assert_true (test_driver_tune (&d, fc - 100e3));
  guint64 before = sink_bytes (s);
  g_usleep (60000);
  g_assert_cmpuint (sink_bytes (s), >, before + 2 * TRANSFER_BYTES);
  g_rec_mutex_lock (&s->lock);
  gint bin = test_peak_bin (s->latest, TRANSFER_BYTES / 2, NULL);
  g_rec_mutex_unlock (&s->lock);
  fer_usb_stop_bulk (usb);
  /* The last tune is what the stream shows: 250 kHz above the centre. */
  g_assert_cmpint (ABS (bin - (gint) lround (250e3 / RATE_HZ * (TRANSFER_BYTES / 2))), <=, 1);
  g_rec_mutex_clear (&s->lock);
  g_free (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/device/emu/usb/description-and-control", test_description_and_control);
  g_test_add_func ("/device/emu/usb/realtime-pacing", test_realtime_pacing);
  g_test_add_func ("/device/emu/usb/stop-is-prompt-and-final", test_stop_is_prompt_and_final);
  g_test_add_func ("/device/emu/usb/unthrottled-follows-wait-ready",
                   test_unthrottled_follows_wait_ready);
  g_test_add_func ("/device/emu/usb/no-data-while-fifo-in-reset",
                   test_no_data_while_fifo_in_reset);
  g_test_add_func ("/device/emu/usb/unplug-fires-on-dead-once", test_unplug_fires_on_dead_once);
  g_test_add_func ("/device/emu/usb/retune-while-streaming", test_retune_while_streaming);
  return g_test_run ();
}
