/* bench-dsp: what the DSP layer costs on one core.
 *
 * A few seconds of a 2.4 MS/s dongle stream (cu8, an FM broadcast with its
 * stereo multiplex) are synthesised in memory first; then the WFM mono chain
 * (convert -> channel -> 48 kHz audio) runs over it in blocks of 16384
 * samples, as the DSP thread would, and its thread CPU time is measured.
 * Each stage is also timed on its own, and the FFT spectrum.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dsp/channel.h"
#include "dsp/convert.h"
#include "dsp/fft.h"

#define AUDIO_RATE 48000.0
#define BLOCK_SAMPLES 16384
#define SIGNAL_S 3.0
#define REPEATS 5             /* best of: the machine is shared */

static double
thread_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* An FM station at @offset_hz (1 kHz at half deviation, 19 kHz pilot, a 38
 * kHz subcarrier) plus a weaker neighbour, quantised like a dongle does. */
static guint8 *
make_cu8 (double rate_hz, double offset_hz, gsize n)
{
  guint8 *bytes = g_new (guint8, 2 * n);
  GRand *rand = g_rand_new_with_seed (1);
  const double dev = 75000;
  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate_hz;
      double ph = 2 * G_PI * offset_hz * t
                  - 0.5 * dev / 1000 * cos (2 * G_PI * 1000 * t)
                  - 0.1 * dev / 19000 * cos (2 * G_PI * 19000 * t)
                  - 0.1 * dev / 41000 * cos (2 * G_PI * 41000 * t)
                  + 0.1 * dev / 35000 * cos (2 * G_PI * 35000 * t);
      double ph2 = 2 * G_PI * (offset_hz - 400000) * t - 0.4 * dev / 700 * cos (2 * G_PI * 700 * t);
      double re = 0.5 * cos (ph) + 0.15 * cos (ph2) + 0.02 * (g_rand_double (rand) - 0.5);
      double im = 0.5 * sin (ph) + 0.15 * sin (ph2) + 0.02 * (g_rand_double (rand) - 0.5);
      bytes[2 * i] = (guint8) CLAMP (lround (127.5 + 127.5 * re), 0, 255);
      bytes[2 * i + 1] = (guint8) CLAMP (lround (127.5 + 127.5 * im), 0, 255);
    }
  g_rand_free (rand);
  return bytes;
}

typedef struct {
  double convert, shift, demod, resample, chain;
} Times;

/* The chain as the DSP thread runs it, in blocks. */
static double
time_chain (double rate_hz, const guint8 *bytes, gsize n, gsize *n_audio)
{
  FerConverter *conv = fer_converter_new ();
  FerChannel *ch = fer_channel_new (rate_hz, FER_MODE_WFM, 312500, AUDIO_RATE);
  float complex *iq = g_new (float complex, BLOCK_SAMPLES);
  float *audio = g_new (float, fer_channel_max_out (ch, BLOCK_SAMPLES));
  double best = INFINITY;
  for (int r = 0; r < REPEATS; r++)
    {
      fer_channel_reset (ch);
      gsize total = 0;
      double t0 = thread_seconds ();
      for (gsize pos = 0; pos + BLOCK_SAMPLES <= n; pos += BLOCK_SAMPLES)
        {
          fer_converter_process (conv, FER_SAMPLE_CU8, bytes + 2 * pos, BLOCK_SAMPLES, iq);
          total += fer_channel_process (ch, iq, BLOCK_SAMPLES, audio);
        }
      best = MIN (best, thread_seconds () - t0);
      *n_audio = total;
    }
  g_free (iq);
  g_free (audio);
  fer_channel_free (ch);
  fer_converter_free (conv);
  return best;
}

/* The same blocks, with the thread clock read between the steps (the reads
 * cost about 1 us per block, a few per cent). */
static Times
time_stages (double rate_hz, const guint8 *bytes, gsize n)
{
  Times best = { INFINITY, INFINITY, INFINITY, INFINITY, 0 };
  FerConverter *conv = fer_converter_new ();
  FerChannel *ch = fer_channel_new (rate_hz, FER_MODE_WFM, 312500, AUDIO_RATE);
  gsize ch_cap = fer_channel_max_channel_samples (ch, BLOCK_SAMPLES);
  float complex *iq = g_new (float complex, BLOCK_SAMPLES);
  float complex *chs = g_new (float complex, ch_cap);
  float *demod = g_new (float, ch_cap);
  float *audio = g_new (float, fer_channel_max_out (ch, BLOCK_SAMPLES));

  for (int r = 0; r < REPEATS; r++)
    {
      Times t = { 0 };
      fer_channel_reset (ch);
      for (gsize pos = 0; pos + BLOCK_SAMPLES <= n; pos += BLOCK_SAMPLES)
        {
          double t0 = thread_seconds ();
          fer_converter_process (conv, FER_SAMPLE_CU8, bytes + 2 * pos, BLOCK_SAMPLES, iq);
          double t1 = thread_seconds ();
          gsize m = fer_channel_shift_decimate (ch, iq, BLOCK_SAMPLES, chs);
          double t2 = thread_seconds ();
          fer_channel_demodulate (ch, chs, m, demod);
          double t3 = thread_seconds ();
          fer_channel_resample (ch, demod, m, audio);
          double t4 = thread_seconds ();
          t.convert += t1 - t0;
          t.shift += t2 - t1;
          t.demod += t3 - t2;
          t.resample += t4 - t3;
        }
      if (t.convert + t.shift + t.demod + t.resample
          < best.convert + best.shift + best.demod + best.resample)
        best = t;
    }
  g_free (iq);
  g_free (chs);
  g_free (demod);
  g_free (audio);
  fer_channel_free (ch);
  fer_converter_free (conv);
  return best;
}

static void
print_stage (const char *name, double seconds, gsize n)
{
  printf ("  %-22s %6.2f ns per input sample (%7.1f MS/s)\n", name, seconds / n * 1e9,
          n / seconds / 1e6);
}

static void
bench_rate (double rate_hz, gboolean stages)
{
  gsize n = (gsize) (SIGNAL_S * rate_hz) / BLOCK_SAMPLES * BLOCK_SAMPLES;
  g_autofree guint8 *bytes = make_cu8 (rate_hz, 312500 * (rate_hz > 1.2e6 ? 1 : 0.5), n);
  FerChannel *ch = fer_channel_new (rate_hz, FER_MODE_WFM, 0, AUDIO_RATE);
  g_autofree gchar *desc = fer_channel_dup_description (ch);
  fer_channel_free (ch);

  gsize n_audio = 0;
  double chain = time_chain (rate_hz, bytes, n, &n_audio);
  double msps = n / chain / 1e6;
  printf ("wfm-mono chain: %.4g MS/s in, %.0f kHz out: %.1f MS/s on one core (%.0fx real time)\n",
          rate_hz / 1e6, AUDIO_RATE / 1e3, msps, msps * 1e6 / rate_hz);
  printf ("  %s\n", desc);
  if (!stages)
    return;
  Times t = time_stages (rate_hz, bytes, n);
  print_stage ("convert (cu8)", t.convert, n);
  print_stage ("shift+decimate", t.shift, n);
  print_stage ("discriminator+deemph", t.demod, n);
  print_stage ("resample to audio", t.resample, n);
  print_stage ("sum of stages", t.convert + t.shift + t.demod + t.resample, n);
}

static void
bench_fft (guint size)
{
  const gsize n_frames = size >= 16384 ? 200 : 2000;
  FerFft *fft = fer_fft_new (size);
  float complex *in = g_new (float complex, size);
  float *out = g_new (float, size);
  for (guint i = 0; i < size; i++)
    in[i] = 0.5f * cexpf (I * 0.1f * i) + 0.001f * (float) (i % 7);
  double best = INFINITY;
  for (int r = 0; r < REPEATS; r++)
    {
      double t0 = thread_seconds ();
      for (gsize f = 0; f < n_frames; f++)
        fer_fft_power_db (fft, in, out);
      best = MIN (best, thread_seconds () - t0);
    }
  printf ("fft spectrum: %u-point frames: %.0f per second on one core (%.2f us each)\n", size,
          n_frames / best, best / n_frames * 1e6);
  g_free (in);
  g_free (out);
  fer_fft_free (fft);
}

int
main (int argc, char **argv)
{
  bench_rate (2400000, TRUE);
  for (int i = 1; i < argc; i++)
    bench_rate (g_ascii_strtod (argv[i], NULL), TRUE);
  if (argc == 1)
    {
      bench_rate (2048000, FALSE);
      bench_rate (1024000, FALSE);
      bench_rate (3200000, FALSE);
    }
  bench_fft (2048);
  bench_fft (65536);
  return 0;
}
