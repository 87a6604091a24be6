#include "demo-rig.h"

#include <math.h>
#include <string.h>

#include "device/source-dongle.h"
#include "device/usb-emu.h"

/* --- A plain radix-2 FFT ------------------------------------------------- */

static void
fft (double *re, double *im, guint n)
{
  for (guint i = 1, j = 0; i < n; i++)
    {
      guint bit = n >> 1;
      for (; j & bit; bit >>= 1)
        j ^= bit;
      j ^= bit;
      if (i < j)
        {
          double t = re[i]; re[i] = re[j]; re[j] = t;
          t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
  for (guint len = 2; len <= n; len <<= 1)
    {
      double angle = -2.0 * G_PI / len;
      for (guint i = 0; i < n; i += len)
        for (guint k = 0; k < len / 2; k++)
          {
            double wr = cos (angle * k), wi = sin (angle * k);
            guint a = i + k, b = i + k + len / 2;
            double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
            re[b] = re[a] - xr;
            im[b] = im[a] - xi;
            re[a] += xr;
            im[a] += xi;
          }
    }
}

/* The frequency of a dominant complex tone from its mean phase step: far
 * finer than a bin. */
static double
tone_norm_of (const guint8 *cu8, guint n)
{
  double sum_re = 0, sum_im = 0;
  for (guint i = 1; i < n; i++)
    {
      double ar = cu8[2 * i] - 127.5, ai = cu8[2 * i + 1] - 127.5;
      double br = cu8[2 * i - 2] - 127.5, bi = cu8[2 * i - 1] - 127.5;
      sum_re += ar * br + ai * bi;   /* a * conj (b) */
      sum_im += ai * br - ar * bi;
    }
  return atan2 (sum_im, sum_re) / (2 * G_PI);
}

void
demo_spectrum_of (const guint8 *cu8, DemoSpectrum *s)
{
  double *re = g_new (double, DEMO_FFT_N), *im = g_new (double, DEMO_FFT_N);
  double window_sum = 0;

  for (guint i = 0; i < DEMO_FFT_N; i++)
    {
      double w = 0.5 - 0.5 * cos (2 * G_PI * i / DEMO_FFT_N);
      re[i] = (cu8[2 * i] - 127.5) / 127.5 * w;
      im[i] = (cu8[2 * i + 1] - 127.5) / 127.5 * w;
      window_sum += w;
    }
  fft (re, im, DEMO_FFT_N);
  guint best = 0;
  for (guint k = 0; k < DEMO_FFT_N; k++)
    {
      double p = (re[k] * re[k] + im[k] * im[k]) / (window_sum * window_sum);
      s->power_db[k] = 10 * log10 (p + 1e-30);
      if (s->power_db[k] > s->power_db[best])
        best = k;
    }
  s->peak_bin = best < DEMO_FFT_N / 2 ? (int) best : (int) best - DEMO_FFT_N;
  s->peak_db = s->power_db[best];
  s->tone_norm = tone_norm_of (cu8, DEMO_FFT_N);
  g_free (re);
  g_free (im);
}

double
demo_bin_db (const DemoSpectrum *s, int bin)
{
  return s->power_db[(bin + DEMO_FFT_N) % DEMO_FFT_N];
}

int
demo_bin_of (double offset_hz, double rate_hz)
{
  return (int) lround (offset_hz / (rate_hz / DEMO_FFT_N));
}

FerScene *
demo_carrier_scene (const double *freqs_hz, guint n, double level_dbfs)
{
  FerScene *scene = fer_scene_new (FER_SCENE_DEFAULT_NOISE_FLOOR_DBFS_HZ);
  for (guint i = 0; i < n; i++)
    {
      FerEmitter carrier = {
        .label = "test carrier",
        .kind = FER_EMITTER_CARRIER,
        .freq_hz = freqs_hz[i],
        .level_dbfs = level_dbfs,
      };
      fer_scene_add (scene, &carrier);
    }
  return scene;
}

/* --- The emulated dongle's USB strings ----------------------------------- */

/* A FerUsb that passes everything to the emulator's backend and answers the
 * string descriptors from the model (a Blog V4 is known by them). */
typedef struct {
  FerUsb base;
  FerUsb *inner;          /* owned */
  FerEmuDongle *emu;      /* borrowed: inner owns it */
} StringsUsb;

static int
strings_control (FerUsb *usb, guint8 request_type, guint8 request, guint16 value,
                 guint16 index, guint8 *data, guint16 length, guint timeout_ms, GError **error)
{
  return fer_usb_control (((StringsUsb *) usb)->inner, request_type, request, value, index,
                          data, length, timeout_ms, error);
}

static gboolean
strings_claim (FerUsb *usb, int interface_number, GError **error)
{
  return fer_usb_claim_interface (((StringsUsb *) usb)->inner, interface_number, error);
}

static gboolean
strings_start_bulk (FerUsb *usb, guint8 endpoint, guint n_transfers, gsize transfer_bytes,
                    const FerUsbBulkCallbacks *callbacks, GError **error)
{
  return fer_usb_start_bulk (((StringsUsb *) usb)->inner, endpoint, n_transfers,
                             transfer_bytes, callbacks, error);
}

static void
strings_stop_bulk (FerUsb *usb)
{
  fer_usb_stop_bulk (((StringsUsb *) usb)->inner);
}

static void
strings_close (FerUsb *usb)
{
  fer_usb_close (((StringsUsb *) usb)->inner);
  g_free (usb->description);
  g_free (usb);
}

static void
strings_get_strings (FerUsb *usb, const char **manufacturer, const char **product,
                     const char **serial)
{
  fer_emu_dongle_get_usb_strings (((StringsUsb *) usb)->emu, manufacturer, product, serial);
}

static const FerUsbOps strings_ops = {
  .control = strings_control,
  .claim_interface = strings_claim,
  .start_bulk = strings_start_bulk,
  .stop_bulk = strings_stop_bulk,
  .close = strings_close,
  .get_strings = strings_get_strings,
};

static FerUsb *
usb_with_strings (FerEmuDongle *emu)
{
  StringsUsb *usb = g_new0 (StringsUsb, 1);
  usb->base.ops = &strings_ops;
  usb->inner = fer_usb_emu_new (emu, FER_EMU_PACE_UNTHROTTLED);
  usb->base.description = g_strdup (fer_usb_get_description (usb->inner));
  usb->emu = emu;
  return &usb->base;
}

/* --- The rig ------------------------------------------------------------- */

void
demo_rig_start_source (DemoRig *rig, FerEmuDongle *emu, FerSource *source, double gain_db,
                       gsize block_bytes, guint n_blocks)
{
  g_autoptr (GError) error = NULL;

  rig->emu = emu;
  rig->source = source;
  if (!isnan (gain_db))
    {
      g_assert_true (fer_source_set_gain (source, gain_db, &error));
      g_assert_no_error (error);
    }
  rig->pool = fer_block_pool_new (n_blocks, block_bytes);
  rig->queue = g_async_queue_new ();
  g_assert_true (fer_source_start (source, rig->pool, rig->queue, &error));
  g_assert_no_error (error);
}

void
demo_rig_start (DemoRig *rig, FerEmuDongle *emu, double gain_db, gsize block_bytes,
                guint n_blocks)
{
  g_autoptr (GError) error = NULL;
  FerSource *source = fer_source_dongle_new (usb_with_strings (emu), FER_SOURCE_KIND_DEMO, NULL,
                                             FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (source);
  demo_rig_start_source (rig, emu, source, gain_db, block_bytes, n_blocks);
}

void
demo_rig_stop (DemoRig *rig)
{
  FerBlock *block;

  fer_source_stop (rig->source);
  while ((block = fer_block_queue_pop (rig->queue, 0)) != NULL)
    fer_block_release (block);
  fer_source_free (rig->source);
  g_async_queue_unref (rig->queue);
  fer_block_pool_free (rig->pool);
}

FerBlock *
demo_rig_pop (DemoRig *rig)
{
  FerBlock *block = fer_block_queue_pop (rig->queue, 5 * G_USEC_PER_SEC);
  g_assert_nonnull (block);
  g_assert_false (block->flags & FER_BLOCK_FLAG_END);
  return block;
}

/* When a setter returns, at most the pool's blocks, the block being filled
 * and one transfer in the making hold older samples: skip that many. */
void
demo_rig_measure (DemoRig *rig, DemoSpectrum *s)
{
  guint8 *cu8 = g_malloc (2 * DEMO_FFT_N);
  double center_hz = fer_source_get_center (rig->source);
  gsize have = 0;

  for (guint i = 0; i < fer_block_pool_get_n_blocks (rig->pool) + 2; i++)
    fer_block_release (demo_rig_pop (rig));
  while (have < 2 * DEMO_FFT_N)
    {
      FerBlock *block = demo_rig_pop (rig);
      g_assert_cmpfloat (block->center_hz, ==, center_hz);
      gsize n = MIN (block->n_bytes, 2 * DEMO_FFT_N - have);
      memcpy (cu8 + have, block->data, n);
      have += n;
      fer_block_release (block);
    }
  demo_spectrum_of (cu8, s);
  g_free (cu8);
}

void
demo_rig_tune_and_measure (DemoRig *rig, double center_hz, DemoSpectrum *s)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (fer_source_set_center (rig->source, center_hz, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (fer_source_get_center (rig->source), ==, center_hz);
  demo_rig_measure (rig, s);
}
