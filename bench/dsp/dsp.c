/* bench-dsp: what each demodulator chain costs on one core, beside GNU
 * Radio 3.10 and liquid-dsp doing the same work on the same samples.
 *
 *   taskset -c 0 bench-dsp [--quick] [--no-compare]
 *
 * Three seconds of a 2.4 MS/s dongle stream (cu8) are synthesised first: a
 * stereo FM station (left 1 kHz, right 1.7 kHz, pilot), an NFM carrier
 * (1 kHz at 2.5 kHz deviation), an AM one (1 kHz, 50 %) and an upper
 * sideband two-tone (700 + 1900 Hz), over noise. Each chain runs over the
 * whole stream in blocks of 16384 samples, as the DSP thread does (cu8 ->
 * float -> channel -> 48 kHz audio), and its thread CPU time gives input
 * MS/s; the audio it makes is checked (tone SINAD), so speed is never bought
 * with quality. The same file then goes through the GNU Radio flowgraphs of
 * gr-bench.py (when GNU Radio's Python modules are installed) and through
 * liquid-dsp chains (when the build found libliquid). Nothing is installed
 * here: what is missing is said, not fetched.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dsp/channel.h"
#include "dsp/convert.h"
#include "dsp/fft.h"
#include "tone.h"

#ifdef HAVE_LIQUID
#include <liquid/liquid.h>
#endif

#define RATE 2400000.0
#define AUDIO_RATE 48000.0
#define BLOCK_SAMPLES 16384
#define DEV_WFM 75000.0

/* Where the stations sit, relative to the centre. */
#define OFF_WFM 312500.0
#define OFF_NFM (-400000.0)
#define OFF_AM (-600000.0)
#define OFF_USB 700000.0
#define OFF_NFM2 (-450000.0)
#define OFF_NFM3 (-350000.0)
#define OFF_NFM4 (-500000.0)

static int repeats = 5;

static double
thread_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The test stream, quantised as a dongle does. */
static guint8 *
make_cu8 (gsize n)
{
  guint8 *bytes = g_new (guint8, 2 * n);
  GRand *rand = g_rand_new_with_seed (1);
  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / RATE, tw = 2 * G_PI * t;
      /* Stereo multiplex: (L+R)/2 + (L-R)/2 sin (2 pilot) + 0.1 sin (pilot),
       * L = 0.8 sin (1 kHz), R = 0.8 sin (1.7 kHz); phase = its integral. */
      double l = 0.8, r = 0.8, ph = tw * OFF_WFM;
      ph -= DEV_WFM * (l / 2 * cos (tw * 1000) / 1000 + r / 2 * cos (tw * 1700) / 1700);
      /* (l/2) sin (a) sin (2p) -> (l/4) [cos (2p - a) - cos (2p + a)] */
      ph += DEV_WFM * (l / 4 * (sin (tw * 37000) / 37000 - sin (tw * 39000) / 39000)
                       - r / 4 * (sin (tw * 36300) / 36300 - sin (tw * 39700) / 39700));
      ph -= DEV_WFM * 0.1 * cos (tw * 19000) / 19000;
      double complex x = 0.35 * cexp (I * ph);
      x += 0.08 * cexp (I * (tw * OFF_NFM - 2500.0 / 1000 * cos (tw * 1000)));
      x += 0.08 * (1 + 0.5 * sin (tw * 1000)) * cexp (I * tw * OFF_AM);
      x += 0.05 * (cexp (I * tw * (OFF_USB + 700)) + cexp (I * tw * (OFF_USB + 1900)));
      x += 0.05 * cexp (I * (tw * OFF_NFM2 - 2.0 * cos (tw * 1000)))
           + 0.05 * cexp (I * (tw * OFF_NFM3 - 2.0 * cos (tw * 1000)))
           + 0.05 * cexp (I * (tw * OFF_NFM4 - 2.0 * cos (tw * 1000)));
      double re = creal (x) + 0.01 * (g_rand_double (rand) - 0.5);
      double im = cimag (x) + 0.01 * (g_rand_double (rand) - 0.5);
      bytes[2 * i] = (guint8) CLAMP (lround (127.5 + 127.5 * re), 0, 255);
      bytes[2 * i + 1] = (guint8) CLAMP (lround (127.5 + 127.5 * im), 0, 255);
    }
  g_rand_free (rand);
  return bytes;
}

typedef struct {
  const char *name;
  FerMode mode;
  guint n_channels;          /* VFOs on the one stream */
  double offsets[4];
  double tones_hz[2];        /* what channel 0 of VFO 0 must hold (0 = none) */
} Chain;

static const Chain chains[] = {
  { "wfm-stereo", FER_MODE_WFM_STEREO, 1, { OFF_WFM }, { 1000, 0 } },   /* left */
  { "wfm-mono", FER_MODE_WFM, 1, { OFF_WFM }, { 1000, 1700 } },          /* (L+R)/2 */
  { "nfm", FER_MODE_NFM, 1, { OFF_NFM }, { 1000, 0 } },
  { "am", FER_MODE_AM, 1, { OFF_AM }, { 1000, 0 } },
  { "usb", FER_MODE_USB, 1, { OFF_USB }, { 700, 1900 } },
  { "4 x nfm", FER_MODE_NFM, 4, { OFF_NFM, OFF_NFM2, OFF_NFM3, OFF_NFM4 }, { 1000, 0 } },
};

/* SINAD of the wanted tones: their least-squares fit (with DC) against
 * what is left. */
static double
tones_sinad (const float *x, gsize n, const double *tones)
{
  double ata[5][5] = { { 0 } }, atb[5] = { 0 };
  guint m = tones[1] > 0 ? 5 : 3;
  for (gsize i = 0; i < n; i++)
    {
      double t = i / AUDIO_RATE, v[5] = { 1, sin (2 * G_PI * tones[0] * t),
                                          cos (2 * G_PI * tones[0] * t), 0, 0 };
      if (m == 5)
        {
          v[3] = sin (2 * G_PI * tones[1] * t);
          v[4] = cos (2 * G_PI * tones[1] * t);
        }
      for (guint a = 0; a < m; a++)
        {
          atb[a] += v[a] * x[i];
          for (guint b = 0; b < m; b++)
            ata[a][b] += v[a] * v[b];
        }
    }
  /* Gauss-Jordan on the normal equations (well conditioned over 2 s). */
  for (guint c = 0; c < m; c++)
    for (guint r = 0; r < m; r++)
      if (r != c)
        {
          double f = ata[r][c] / ata[c][c];
          for (guint k = 0; k < m; k++)
            ata[r][k] -= f * ata[c][k];
          atb[r] -= f * atb[c];
        }
  double coef[5];
  for (guint c = 0; c < m; c++)
    coef[c] = atb[c] / ata[c][c];
  double sig = 0, res = 0;
  for (gsize i = 0; i < n; i++)
    {
      double t = i / AUDIO_RATE;
      double s = coef[1] * sin (2 * G_PI * tones[0] * t) + coef[2] * cos (2 * G_PI * tones[0] * t);
      if (m == 5)
        s += coef[3] * sin (2 * G_PI * tones[1] * t) + coef[4] * cos (2 * G_PI * tones[1] * t);
      sig += s * s;
      double e = x[i] - coef[0] - s;
      res += e * e;
    }
  return 10 * log10 (sig / res);
}

typedef struct {
  double msps;
  double sinad_db;
  gchar *desc;
} Result;

/* The chain as the DSP thread runs it, in blocks; best of the repeats. */
static Result
run_ferrite (const Chain *c, const guint8 *bytes, gsize n)
{
  Result res = { 0 };
  FerConverter *conv = fer_converter_new ();
  FerChannel *ch[4];
  for (guint k = 0; k < c->n_channels; k++)
    {
      ch[k] = fer_channel_new (RATE, c->mode, c->offsets[k], AUDIO_RATE);
      fer_channel_set_agc (ch[k], FER_AGC_OFF);
    }
  res.desc = fer_channel_dup_description (ch[0]);
  guint nc = fer_channel_get_n_channels (ch[0]);
  float complex *iq = g_new (float complex, BLOCK_SAMPLES);
  gsize cap = fer_channel_max_out (ch[0], BLOCK_SAMPLES) * nc;
  gsize total_cap = fer_channel_max_out (ch[0], n) * nc + cap;
  float *audio = g_new (float, total_cap);
  double best = INFINITY;
  gsize n_audio = 0;
  for (int r = 0; r < repeats; r++)
    {
      for (guint k = 0; k < c->n_channels; k++)
        fer_channel_reset (ch[k]);
      gsize got = 0;
      double t0 = thread_seconds ();
      for (gsize pos = 0; pos + BLOCK_SAMPLES <= n; pos += BLOCK_SAMPLES)
        {
          fer_converter_process (conv, FER_SAMPLE_CU8, bytes + 2 * pos, BLOCK_SAMPLES, iq);
          /* VFO 0 keeps its audio for the check; the others overwrite a scratch tail. */
          got += fer_channel_process (ch[0], iq, BLOCK_SAMPLES, audio + got * nc);
          for (guint k = 1; k < c->n_channels; k++)
            fer_channel_process (ch[k], iq, BLOCK_SAMPLES, audio + total_cap - cap);
        }
      best = MIN (best, thread_seconds () - t0);
      n_audio = got;
    }
  res.msps = n / best / 1e6;
  g_autofree float *ch0 = fer_tone_deinterleave (audio, n_audio, nc, 0);
  gsize skip = (gsize) (0.5 * AUDIO_RATE);
  res.sinad_db = tones_sinad (ch0 + skip, n_audio - skip, c->tones_hz);
  for (guint k = 0; k < c->n_channels; k++)
    fer_channel_free (ch[k]);
  fer_converter_free (conv);
  g_free (iq);
  g_free (audio);
  return res;
}

/* ---- the WFM mono chain stage by stage ----------------------------------- */

static void
stages (const guint8 *bytes, gsize n)
{
  FerConverter *conv = fer_converter_new ();
  FerChannel *ch = fer_channel_new (RATE, FER_MODE_WFM, OFF_WFM, AUDIO_RATE);
  gsize ch_cap = fer_channel_max_channel_samples (ch, BLOCK_SAMPLES);
  float complex *iq = g_new (float complex, BLOCK_SAMPLES);
  float complex *chs = g_new (float complex, ch_cap);
  float *demod = g_new (float, 2 * ch_cap);
  float *audio = g_new (float, 2 * fer_channel_max_out (ch, BLOCK_SAMPLES));
  double best[4] = { INFINITY, INFINITY, INFINITY, INFINITY }, best_sum = INFINITY;
  for (int r = 0; r < repeats; r++)
    {
      double t[4] = { 0 };
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
          t[0] += t1 - t0;
          t[1] += t2 - t1;
          t[2] += t3 - t2;
          t[3] += t4 - t3;
        }
      double sum = t[0] + t[1] + t[2] + t[3];
      if (sum < best_sum)
        {
          best_sum = sum;
          memcpy (best, t, sizeof best);
        }
    }
  const char *names[] = { "convert (cu8)", "shift+decimate", "discriminator+deemph",
                          "resample+condition" };
  printf ("\nwfm-mono stage by stage (the clock read between stages costs a little):\n");
  for (int i = 0; i < 4; i++)
    printf ("  %-22s %6.2f ns per input sample (%7.1f MS/s)\n", names[i], best[i] / n * 1e9,
            n / best[i] / 1e6);
  g_free (iq);
  g_free (chs);
  g_free (demod);
  g_free (audio);
  fer_channel_free (ch);
  fer_converter_free (conv);
}

/* Where a spectrum frame's time goes: the transform (window + FFT + |x|^2),
 * then the dB conversion, vectorised or with libm's log10f per bin. */
static void
bench_fft (guint size)
{
  const gsize n_frames = size >= 16384 ? 200 : 2000;
  FerFft *fft = fer_fft_new (size);
  float complex *in = g_new (float complex, size);
  float *p = g_new (float, size), *db = g_new (float, size);
  for (guint i = 0; i < size; i++)
    in[i] = 0.5f * cexpf (I * 0.1f * i) + 0.001f * (float) (i % 7);
  double t_fft = INFINITY, t_db = INFINITY, t_log = INFINITY;
  volatile float sink = 0;
  for (int r = 0; r < repeats; r++)
    {
      double t0 = thread_seconds ();
      for (gsize f = 0; f < n_frames; f++)
        fer_fft_power (fft, in, p);
      double t1 = thread_seconds ();
      for (gsize f = 0; f < n_frames; f++)
        fer_power_to_db (p, size, db);
      double t2 = thread_seconds ();
      for (gsize f = 0; f < n_frames; f++)
        {
          for (guint i = 0; i < size; i++)
            db[i] = 10.0f * log10f (p[i] + 1e-20f);
          sink += db[f % size];
        }
      double t3 = thread_seconds ();
      t_fft = MIN (t_fft, t1 - t0);
      t_db = MIN (t_db, t2 - t1);
      t_log = MIN (t_log, t3 - t2);
    }
  printf ("fft %5u: transform %7.2f us, dB %6.2f us (log10f per bin: %6.2f us); "
          "%6.0f frames/s%s\n", size, t_fft / n_frames * 1e6, t_db / n_frames * 1e6,
          t_log / n_frames * 1e6, n_frames / (t_fft + t_db),
          fer_fft_is_measured (fft) ? " (measured plan)" : " (estimated plan)");
  g_free (in);
  g_free (p);
  g_free (db);
  fer_fft_free (fft);
}

/* ---- GNU Radio ------------------------------------------------------------ */

/* Runs gr-bench.py on @path; fills @msps per chain name, NAN where it has none. */
static gboolean
run_gnuradio (const char *path, gsize n, double *msps, char **why)
{
  const char *python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
                         ? "/usr/bin/python3" : "python3";
  g_autofree char *rate = g_strdup_printf ("%.0f", RATE);
  g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
  g_autofree char *reps = g_strdup_printf ("%d", MIN (repeats, 3));
  const char *argv[] = { python, FER_GR_BENCH_SCRIPT, path, rate, count, reps, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    {
      *why = g_strdup (error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      *why = g_strdup (err && *err ? g_strstrip (err) : "gr-bench.py failed");
      return FALSE;
    }
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", 2);
      if (f[0] == NULL || f[1] == NULL)
        continue;
      for (guint c = 0; c < G_N_ELEMENTS (chains); c++)
        if (strcmp (f[0], chains[c].name) == 0)
          msps[c] = g_ascii_strtod (f[1], NULL);
    }
  return TRUE;
}

/* ---- liquid-dsp ----------------------------------------------------------- */

#ifdef HAVE_LIQUID
/* The same chains from liquid-dsp's blocks: NCO down-mix, multi-stage
 * resampler to the channel rate, demodulator, resampler to 48 kHz. No
 * stereo decoder in liquid: wfm-stereo is left out. */
static double
run_liquid (const Chain *c, const guint8 *bytes, gsize n)
{
  if (c->mode == FER_MODE_WFM_STEREO)
    return NAN;
  double ch_rate = c->mode == FER_MODE_WFM ? 300000 : c->mode == FER_MODE_USB ? 12000 : 48000;
  guint nv = c->n_channels;
  nco_crcf nco[4];
  msresamp_crcf down[4];
  msresamp_rrrf audio_rs[4];
  freqdem fm[4];
  ampmodem am[4];
  iirfilt_rrrf deemph = NULL;
  for (guint k = 0; k < nv; k++)
    {
      nco[k] = nco_crcf_create (LIQUID_NCO);
      nco_crcf_set_frequency (nco[k], (float) (2 * G_PI * c->offsets[k] / RATE));
      down[k] = msresamp_crcf_create ((float) (ch_rate / RATE), 60.0f);
      audio_rs[k] = msresamp_rrrf_create ((float) (AUDIO_RATE / ch_rate), 60.0f);
      fm[k] = NULL;
      am[k] = NULL;
      if (c->mode == FER_MODE_WFM || c->mode == FER_MODE_NFM)
        fm[k] = freqdem_create (c->mode == FER_MODE_WFM ? 0.25f : 0.1f);
      else
        am[k] = ampmodem_create (0.5f, c->mode == FER_MODE_USB ? LIQUID_AMPMODEM_USB
                                                               : LIQUID_AMPMODEM_DSB,
                                 c->mode == FER_MODE_USB);
    }
  if (c->mode == FER_MODE_WFM)
    {
      /* 50 us de-emphasis, one pole by the bilinear transform. */
      double wa = 2 * ch_rate * tan (1.0 / (50e-6 * 2 * ch_rate));
      float b[2] = { (float) (wa / (2 * ch_rate + wa)), (float) (wa / (2 * ch_rate + wa)) };
      float a[2] = { 1.0f, (float) (-(2 * ch_rate - wa) / (2 * ch_rate + wa)) };
      deemph = iirfilt_rrrf_create (b, 2, a, 2);
    }
  float complex *iq = g_new (float complex, BLOCK_SAMPLES);
  float complex *mixed = g_new (float complex, BLOCK_SAMPLES);
  float complex *chs = g_new (float complex, BLOCK_SAMPLES);
  float *demod = g_new (float, BLOCK_SAMPLES);
  float *audio = g_new (float, BLOCK_SAMPLES);
  FerConverter *conv = fer_converter_new ();
  double best = INFINITY;
  for (int r = 0; r < MIN (repeats, 3); r++)
    {
      double t0 = thread_seconds ();
      for (gsize pos = 0; pos + BLOCK_SAMPLES <= n; pos += BLOCK_SAMPLES)
        {
          fer_converter_process (conv, FER_SAMPLE_CU8, bytes + 2 * pos, BLOCK_SAMPLES, iq);
          for (guint k = 0; k < nv; k++)
            {
              unsigned int m = 0, na = 0;
              nco_crcf_mix_block_down (nco[k], iq, mixed, BLOCK_SAMPLES);
              msresamp_crcf_execute (down[k], mixed, BLOCK_SAMPLES, chs, &m);
              if (fm[k])
                freqdem_demodulate_block (fm[k], chs, m, demod);
              else
                ampmodem_demodulate_block (am[k], chs, m, demod);
              if (deemph)
                iirfilt_rrrf_execute_block (deemph, demod, m, demod);
              msresamp_rrrf_execute (audio_rs[k], demod, m, audio, &na);
            }
        }
      best = MIN (best, thread_seconds () - t0);
    }
  for (guint k = 0; k < nv; k++)
    {
      nco_crcf_destroy (nco[k]);
      msresamp_crcf_destroy (down[k]);
      msresamp_rrrf_destroy (audio_rs[k]);
      if (fm[k])
        freqdem_destroy (fm[k]);
      if (am[k])
        ampmodem_destroy (am[k]);
    }
  if (deemph)
    iirfilt_rrrf_destroy (deemph);
  fer_converter_free (conv);
  g_free (iq);
  g_free (mixed);
  g_free (chs);
  g_free (demod);
  g_free (audio);
  return n / best / 1e6;
}
#endif

static void
print_cell (double v)
{
  if (isnan (v))
    printf (" %12s", "-");
  else
    printf (" %12.1f", v);
}

int
main (int argc, char **argv)
{
  gboolean quick = FALSE, compare = TRUE;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--quick") == 0)
        quick = TRUE;
      else if (strcmp (argv[i], "--no-compare") == 0)
        compare = FALSE;
      else
        {
          fprintf (stderr, "usage: bench-dsp [--quick] [--no-compare]\n");
          return 2;
        }
    }
  if (quick)
    repeats = 2;
  gsize n = (gsize) ((quick ? 1.0 : 3.0) * RATE) / BLOCK_SAMPLES * BLOCK_SAMPLES;
  g_autofree guint8 *bytes = make_cu8 (n);

  printf ("bench-dsp: %.1f s of 2.4 MS/s cu8, blocks of %d samples, best of %d runs, "
          "thread CPU time\n", n / RATE, BLOCK_SAMPLES, repeats);
  Result res[G_N_ELEMENTS (chains)];
  for (guint c = 0; c < G_N_ELEMENTS (chains); c++)
    res[c] = run_ferrite (&chains[c], bytes, n);

  double gr[G_N_ELEMENTS (chains)], lq[G_N_ELEMENTS (chains)];
  for (guint c = 0; c < G_N_ELEMENTS (chains); c++)
    gr[c] = lq[c] = NAN;
  g_autofree char *gr_note = NULL;
  if (compare)
    {
      g_autofree char *path = g_build_filename (g_get_tmp_dir (), "ferrite-bench-XXXXXX.cu8", NULL);
      int fd = g_mkstemp (path);
      if (fd < 0 || write (fd, bytes, 2 * n) != (ssize_t) (2 * n))
        gr_note = g_strdup_printf ("could not write %s: %s", path, g_strerror (errno));
      else
        {
          g_autofree char *why = NULL;
          if (!run_gnuradio (path, n, gr, &why))
            gr_note = g_strdup_printf ("GNU Radio not measured: %s", why);
        }
      if (fd >= 0)
        close (fd);
      g_unlink (path);
#ifdef HAVE_LIQUID
      for (guint c = 0; c < G_N_ELEMENTS (chains); c++)
        lq[c] = run_liquid (&chains[c], bytes, n);
#endif
    }

  printf ("\n%-12s %12s %12s %12s %12s %10s\n", "chain", "Ferrite", "GNU Radio", "liquid-dsp",
          "Ferrite/GR", "SINAD");
  printf ("%-12s %12s %12s %12s %12s %10s\n", "", "MS/s", "3.10 MS/s", "1.5 MS/s", "", "dB");
  for (guint c = 0; c < G_N_ELEMENTS (chains); c++)
    {
      printf ("%-12s", chains[c].name);
      print_cell (res[c].msps);
      print_cell (gr[c]);
      print_cell (lq[c]);
      if (isnan (gr[c]))
        printf (" %12s", "-");
      else
        printf (" %11.1fx", res[c].msps / gr[c]);
      printf (" %10.1f\n", res[c].sinad_db);
    }
  if (!compare)
    printf ("(comparison skipped: --no-compare)\n");
  else
    {
      if (gr_note)
        printf ("%s\n", gr_note);
#ifndef HAVE_LIQUID
      printf ("liquid-dsp not measured: the build did not find libliquid (Debian: libliquid-dev)\n");
#endif
    }
  printf ("\nHow Ferrite builds each chain:\n");
  for (guint c = 0; c < G_N_ELEMENTS (chains); c++)
    {
      printf ("  %-11s %s\n", chains[c].name, res[c].desc);
      g_free (res[c].desc);
    }

  stages (bytes, n);
  printf ("\nspectrum frames (one core):\n");
  for (guint size = 1024; size <= 65536; size *= 4)
    bench_fft (size);
  return 0;
}
