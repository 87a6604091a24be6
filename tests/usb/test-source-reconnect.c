/* test-source-reconnect.c - the dongle source surviving an unplug, with the
 * in-process emulated dongle (no umockdev: this runs everywhere).
 *
 * The reopen function hands out a fresh emulated dongle once the test has
 * "plugged it back in"; the new dongle's registers must show every setting
 * the person had - those the source keeps (frequency, rate, gain,
 * correction) and those set on the driver directly (test mode, bias-T).
 */
#include <math.h>

#include "device/rtl2832.h"
#include "device/source-dongle.h"
#include "device/usb-emu.h"

typedef struct {
  GRecMutex lock;
  FerUsb *usb;              /* the emulated dongle in use (borrowed) */
  FerEmuDongle *emu;
  gboolean plugged;
  guint n_reopen_calls;
  GArray *states;
} Bench;

static FerUsb *
plug_new (Bench *b)
{
  FerEmuDongle *emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL);
  FerUsb *usb = fer_usb_emu_new (emu, FER_EMU_PACE_REALTIME);
  b->usb = usb;
  b->emu = emu;
  return usb;
}

/* thread: reconnect */
static FerUsb *
reopen (gpointer data, guint wait_ms, GError **error)
{
  Bench *b = data;
  g_rec_mutex_lock (&b->lock);
  b->n_reopen_calls++;
  FerUsb *usb = b->plugged ? plug_new (b) : NULL;
  g_rec_mutex_unlock (&b->lock);
  if (usb == NULL)
    g_usleep (MIN (wait_ms, 20u) * 1000);
  return usb;
}

static void
on_state (FerSource *source, FerDongleState state, const char *message, gpointer data)
{
  Bench *b = data;
  g_rec_mutex_lock (&b->lock);
  g_array_append_val (b->states, state);
  g_rec_mutex_unlock (&b->lock);
}

static guint
n_states (Bench *b)
{
  g_rec_mutex_lock (&b->lock);
  guint n = b->states->len;
  g_rec_mutex_unlock (&b->lock);
  return n;
}

static gboolean
wait_states (Bench *b, guint n)
{
  gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (n_states (b) < n && g_get_monotonic_time () < end)
    g_usleep (1000);
  return n_states (b) >= n;
}

static guint
count_blocks (GAsyncQueue *queue, double seconds, gboolean *discontinuity, double *center)
{
  guint n = 0;
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * 1e6);
  while (g_get_monotonic_time () < end)
    {
      FerBlock *block = fer_block_queue_pop (queue, 10 * 1000);
      if (block == NULL)
        continue;
      g_assert_false (block->flags & FER_BLOCK_FLAG_END);
      n++;
      if (discontinuity != NULL && (block->flags & FER_BLOCK_FLAG_DISCONTINUITY))
        *discontinuity = TRUE;
      if (center != NULL)
        *center = block->center_hz;
      fer_block_release (block);
    }
  return n;
}

static void
test_unplug_replug_restores_every_setting (void)
{
  g_autoptr (GError) error = NULL;
  Bench b = { .states = g_array_new (FALSE, FALSE, sizeof (FerDongleState)) };
  g_rec_mutex_init (&b.lock);
  FerSource *source = fer_source_dongle_new (plug_new (&b), FER_SOURCE_KIND_DONGLE, NULL, TRUE,
                                             &error);
  g_assert_no_error (error);
  fer_source_dongle_set_reopen (source, reopen, &b, NULL);
  fer_source_dongle_set_state_func (source, on_state, &b);

  g_assert_true (fer_source_set_rate (source, 1800000, &error));
  g_assert_true (fer_source_set_gain (source, 28.0, &error));
  g_assert_true (fer_source_set_ppm (source, -7, &error));
  g_assert_true (fer_source_set_center (source, 433920000, &error));
  FerRtl2832 *rtl = fer_source_dongle_get_rtl2832 (source);
  g_assert_true (fer_rtl2832_set_test_mode (rtl, TRUE, &error));
  g_assert_true (fer_rtl2832_set_bias_tee (rtl, TRUE, &error));
  g_assert_no_error (error);
  FerEmuParams before;
  fer_emu_dongle_get_params (b.emu, &before);

  FerBlockPool *pool = fer_block_pool_new (16, 16 * 1024);
  GAsyncQueue *queue = g_async_queue_new ();
  g_assert_true (fer_source_start (source, pool, queue, &error));
  g_assert_cmpuint (count_blocks (queue, 0.2, NULL, NULL), >, 5);

  g_rec_mutex_lock (&b.lock);
  fer_usb_emu_unplug (b.usb);
  g_rec_mutex_unlock (&b.lock);
  g_assert_true (wait_states (&b, 1));
  g_assert_cmpint (g_array_index (b.states, FerDongleState, 0), ==,
                   FER_DONGLE_STATE_DISCONNECTED);
  g_assert_null (fer_source_dongle_get_rtl2832 (source));
  count_blocks (queue, 0.1, NULL, NULL);
  g_assert_cmpuint (count_blocks (queue, 0.2, NULL, NULL), ==, 0);

  /* Changed while it is out: kept for later. */
  g_assert_true (fer_source_set_center (source, 144800000, &error));
  g_assert_no_error (error);

  g_rec_mutex_lock (&b.lock);
  b.plugged = TRUE;
  g_rec_mutex_unlock (&b.lock);
  g_assert_true (wait_states (&b, 2));
  g_assert_cmpint (g_array_index (b.states, FerDongleState, 1), ==,
                   FER_DONGLE_STATE_CONNECTED);
  gboolean gap = FALSE;
  double center = 0;
  g_assert_cmpuint (count_blocks (queue, 0.3, &gap, &center), >, 5);
  g_assert_true (gap);
  g_assert_cmpfloat (center, ==, 144800000);

  FerEmuParams after;
  g_rec_mutex_lock (&b.lock);
  fer_emu_dongle_get_params (b.emu, &after);
  g_rec_mutex_unlock (&b.lock);
  g_assert_cmpfloat_with_epsilon (after.rate_hz, before.rate_hz, 0.01);
  g_assert_cmpfloat_with_epsilon (after.gain_db, before.gain_db, 0.01);
  g_assert_cmpfloat_with_epsilon (after.xtal_hz, before.xtal_hz, 0.01);
  /* -7 ppm corrected on a crystal that is exact: 144.8 MHz lands 7 ppm high. */
  g_assert_cmpfloat_with_epsilon (after.center_hz, 144800000 * (1 + 7e-6), 60);
  g_assert_true (after.test_mode);
  g_assert_true (after.bias_tee);
  g_assert_false (after.agc);

  fer_source_free (source);
  count_blocks (queue, 0, NULL, NULL);
  fer_block_pool_free (pool);
  g_async_queue_unref (queue);
  g_array_unref (b.states);
  g_rec_mutex_clear (&b.lock);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/usb/source/unplug-replug-restores-every-setting",
                   test_unplug_replug_restores_every_setting);
  return g_test_run ();
}
