/* test-usb-reconnect.c - pulling the dongle out and plugging it back in, on
 * the real USB path (usb-libusb.c through umockdev).
 *
 * A person pulls the dongle out mid-stream and plugs it back in: Ferrite says
 * it is gone, waits, finds the same dongle (by serial) at its new address,
 * and goes on receiving at the same frequency, rate, gain and correction -
 * also what they changed while it was out. Checked on the emulated dongle's
 * own registers after the replug (a fresh one, powered up from scratch).
 */
#include <math.h>
#include <string.h>

#include "device/device-list.h"
#include "device/source-dongle.h"
#include "device/usb-libusb.h"
#include "receiver/receiver.h"
#include "usb-test-util.h"

#define XTAL_PPM   12
#define RATE_HZ    1024000.0
#define CENTER_HZ  95500000.0
#define MOVED_HZ   96100000.0
#define GAIN_DB    20.0

typedef struct {
  FerEmuUsbdevfs *server;
  GRecMutex lock;  /* pthread-based: ThreadSanitizer sees it */
  GArray *states;           /* FerDongleState, in order */
  GPtrArray *messages;
} Fixture;

static FerEmuDongle *
dongle_new (void)
{
  FerEmuDongle *emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL);
  /* The crystal runs fast; the person set --ppm to match. */
  fer_emu_dongle_set_xtal_ppm (emu, XTAL_PPM);
  return emu;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->server = fer_emu_usbdevfs_new ();
  fer_emu_usbdevfs_set_realtime (f->server, TRUE);
  g_assert_true (fer_emu_usbdevfs_plug (f->server, dongle_new (), NULL));
  g_rec_mutex_init (&f->lock);
  f->states = g_array_new (FALSE, FALSE, sizeof (FerDongleState));
  f->messages = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  fer_emu_usbdevfs_free (f->server);
  g_array_unref (f->states);
  g_ptr_array_unref (f->messages);
  g_rec_mutex_clear (&f->lock);
}

/* thread: the source's reconnect thread */
static void
on_state (FerSource *source, FerDongleState state, const char *message, gpointer data)
{
  Fixture *f = data;
  g_rec_mutex_lock (&f->lock);
  g_array_append_val (f->states, state);
  g_ptr_array_add (f->messages, g_strdup (message));
  g_rec_mutex_unlock (&f->lock);
}

static guint
n_states (Fixture *f)
{
  g_rec_mutex_lock (&f->lock);
  guint n = f->states->len;
  g_rec_mutex_unlock (&f->lock);
  return n;
}

static FerDongleState
state_at (Fixture *f, guint i)
{
  g_rec_mutex_lock (&f->lock);
  FerDongleState s = g_array_index (f->states, FerDongleState, i);
  g_rec_mutex_unlock (&f->lock);
  return s;
}

typedef struct {
  FerBlockPool *pool;
  GAsyncQueue *queue;
  guint n_blocks;
  guint n_discontinuities;
  double last_center_hz;
  gboolean ended;
} Sink;

/* Takes the blocks that arrive within @seconds. */
static void
drain (Sink *sink, double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * 1e6);
  while (g_get_monotonic_time () < end)
    {
      FerBlock *block = fer_block_queue_pop (sink->queue, 10 * 1000);
      if (block == NULL)
        continue;
      if (block->flags & FER_BLOCK_FLAG_END)
        {
          sink->ended = TRUE;
          continue;
        }
      sink->n_blocks++;
      if (block->flags & FER_BLOCK_FLAG_DISCONTINUITY)
        sink->n_discontinuities++;
      sink->last_center_hz = block->center_hz;
      fer_block_release (block);
    }
}

typedef struct {
  Fixture *f;
  guint n;
} WantStates;

static gboolean
have_states (gpointer data)
{
  WantStates *w = data;
  return n_states (w->f) >= w->n;
}

static void
test_replug_resumes_same_settings (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FerSource *source = fer_device_open_rtl ("rtl:00000001", &error);
  g_assert_no_error (error);
  g_assert_true (fer_source_is_dongle (source));
  fer_source_dongle_set_state_func (source, on_state, f);
  g_assert_true (fer_source_set_rate (source, RATE_HZ, &error));
  g_assert_true (fer_source_set_ppm (source, XTAL_PPM, &error));
  g_assert_true (fer_source_set_gain (source, GAIN_DB, &error));
  g_assert_true (fer_source_set_center (source, CENTER_HZ, &error));
  g_assert_no_error (error);

  FerEmuParams before;
  fer_emu_dongle_get_params (fer_emu_usbdevfs_get_dongle (f->server), &before);
  g_assert_cmpfloat_with_epsilon (before.center_hz, CENTER_HZ, 100);
  g_assert_cmpfloat_with_epsilon (before.rate_hz, RATE_HZ, 1);

  Sink sink = { fer_block_pool_new (16, 32 * 1024), g_async_queue_new () };
  g_assert_true (fer_source_start (source, sink.pool, sink.queue, &error));
  g_assert_no_error (error);
  drain (&sink, 0.5);
  g_assert_cmpuint (sink.n_blocks, >, 10);

  /* Out: said once, the stream pauses (it does not end). */
  fer_emu_usbdevfs_unplug (f->server);
  WantStates one = { f, 1 };
  g_assert_true (usb_test_wait (have_states, &one, 3.0));
  g_assert_cmpint (state_at (f, 0), ==, FER_DONGLE_STATE_DISCONNECTED);
  g_assert_false (fer_source_dongle_is_connected (source));
  drain (&sink, 0.2);
  guint n_before = sink.n_blocks;
  drain (&sink, 0.5);
  g_assert_cmpuint (sink.n_blocks, ==, n_before);
  g_assert_false (sink.ended);

  /* The person tunes elsewhere meanwhile. */
  g_assert_true (fer_source_set_center (source, MOVED_HZ, &error));
  g_assert_no_error (error);

  /* Back in, at a new address: found again, streaming again. */
  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (fer_emu_usbdevfs_plug (f->server, dongle_new (), NULL));
  g_assert_cmpstr (fer_emu_usbdevfs_get_node (f->server), ==, "/dev/bus/usb/001/003");
  WantStates two = { f, 2 };
  g_assert_true (usb_test_wait (have_states, &two, 5.0));
  g_test_message ("reconnected %.0f ms after the replug", (g_get_monotonic_time () - t0) / 1e3);
  g_assert_cmpint (state_at (f, 1), ==, FER_DONGLE_STATE_CONNECTED);
  g_assert_true (fer_source_dongle_is_connected (source));
  drain (&sink, 0.5);
  g_assert_cmpuint (sink.n_blocks, >, n_before + 10);
  g_assert_cmpuint (sink.n_discontinuities, >=, 1);
  g_assert_cmpfloat (sink.last_center_hz, ==, MOVED_HZ);
  g_assert_cmpuint (n_states (f), ==, 2);

  /* What the new dongle's registers say. */
  FerEmuParams after;
  fer_emu_dongle_get_params (fer_emu_usbdevfs_get_dongle (f->server), &after);
  g_assert_cmpfloat_with_epsilon (after.center_hz, MOVED_HZ, 100);
  g_assert_cmpfloat_with_epsilon (after.rate_hz, before.rate_hz, 0.01);
  g_assert_cmpfloat_with_epsilon (after.gain_db, before.gain_db, 0.01);
  g_assert_cmpuint (after.lna_index, ==, before.lna_index);
  g_assert_cmpuint (after.mixer_index, ==, before.mixer_index);
  g_assert_false (after.agc);
  g_assert_true (after.pll_locked);

  fer_source_free (source);
  drain (&sink, 0.0);
  fer_block_pool_free (sink.pool);
  g_async_queue_unref (sink.queue);
}

/* No way to bring it back (a source made directly from a FerUsb): pulling
 * it out ends the stream with "gone". */
static void
test_without_reopen_unplug_ends_stream (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  g_assert_no_error (error);
  FerSource *source = fer_source_dongle_new (usb, FER_SOURCE_KIND_DONGLE, NULL, TRUE, &error);
  g_assert_no_error (error);
  Sink sink = { fer_block_pool_new (16, 32 * 1024), g_async_queue_new () };
  g_assert_true (fer_source_start (source, sink.pool, sink.queue, &error));
  drain (&sink, 0.3);
  g_assert_cmpuint (sink.n_blocks, >, 0);
  fer_emu_usbdevfs_unplug (f->server);
  drain (&sink, 1.0);
  g_assert_true (sink.ended);
  g_autoptr (GError) why = fer_source_dup_error (source);
  g_assert_error (why, FER_DEVICE_ERROR, FER_DEVICE_ERROR_GONE);
  fer_source_free (source);
  fer_block_pool_free (sink.pool);
  g_async_queue_unref (sink.queue);
}

/* --- the receiver's side ------------------------------------------------ */

typedef struct {
  GArray *events;           /* FerReceiverEvent; thread: main */
  GPtrArray *messages;
  gboolean disconnected_seen;
} Events;

static void
on_event (FerReceiver *receiver, FerReceiverEvent event, const char *message, gpointer data)
{
  Events *e = data;
  if (event != FER_RECEIVER_EVENT_DEVICE)
    return;
  FerReceiverStats stats;
  fer_receiver_get_stats (receiver, &stats);
  g_array_append_val (e->events, event);
  g_ptr_array_add (e->messages, g_strdup_printf ("%s %s", stats.device_disconnected
                                                 ? "disconnected:" : "connected:", message));
}

static gboolean
iterate_until (guint n, Events *e, double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * 1e6);
  while (e->events->len < n && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return e->events->len >= n;
}

static void
test_receiver_reports_disconnected_then_back (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FerSource *source = fer_device_open_rtl ("rtl", &error);
  g_assert_no_error (error);
  FerReceiverOptions opts;
  fer_receiver_options_init (&opts);
  opts.audio_path = FER_RECEIVER_NO_AUDIO;
  FerReceiver *receiver = fer_receiver_new (source, &opts, &error);
  g_assert_no_error (error);
  Events e = { g_array_new (FALSE, FALSE, sizeof (FerReceiverEvent)),
               g_ptr_array_new_with_free_func (g_free) };
  fer_receiver_set_event_func (receiver, on_event, &e);
  g_assert_true (fer_receiver_start (receiver, &error));
  g_assert_no_error (error);

  fer_emu_usbdevfs_unplug (f->server);
  g_assert_true (iterate_until (1, &e, 3.0));
  g_assert_nonnull (strstr (e.messages->pdata[0], "disconnected: The dongle was unplugged"));

  g_assert_true (fer_emu_usbdevfs_plug (f->server, dongle_new (), NULL));
  g_assert_true (iterate_until (2, &e, 5.0));
  g_assert_nonnull (strstr (e.messages->pdata[1], "connected: The dongle is back"));
  FerReceiverStats stats;
  fer_receiver_get_stats (receiver, &stats);
  guint64 n_blocks = stats.n_blocks;
  gint64 end = g_get_monotonic_time () + 2000000;
  while (stats.n_blocks < n_blocks + 10 && g_get_monotonic_time () < end)
    {
      g_usleep (10000);
      fer_receiver_get_stats (receiver, &stats);
    }
  g_assert_cmpuint (stats.n_blocks, >=, n_blocks + 10);
  g_assert_false (stats.device_disconnected);

  fer_receiver_free (receiver);
  g_array_unref (e.events);
  g_ptr_array_unref (e.messages);
}

int
main (int argc, char **argv)
{
  usb_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add ("/usb/reconnect/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("replug-resumes-same-settings", test_replug_resumes_same_settings);
  ADD ("without-reopen-unplug-ends-stream", test_without_reopen_unplug_ends_stream);
  ADD ("receiver-reports-disconnected-then-back",
       test_receiver_reports_disconnected_then_back);
#undef ADD
  return g_test_run ();
}
