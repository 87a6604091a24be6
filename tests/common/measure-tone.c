/* measure-tone - checks a captured WAV the way a person with a bench meter would.
 *
 *   measure-tone FILE.wav FREQ_HZ MIN_SINAD_DB
 *
 * Finds where the tone starts and ends (level above 0.02), drops 0.3 s after
 * the start and 0.1 s before the end (the receiver's filters settle, the
 * stream stops), fits a sine and checks its frequency (within 0.5 Hz) and
 * SINAD. Any run of 2 ms or more of exact zeros inside is a dropout and
 * fails. Prints what it measured; exit 0 = pass, 1 = fail, 2 = unreadable.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "audio/wav.h"
#include "tone.h"

#define LEVEL 0.02f

int
main (int argc, char **argv)
{
  if (argc != 4)
    {
      fprintf (stderr, "usage: measure-tone FILE.wav FREQ_HZ MIN_SINAD_DB\n");
      return 2;
    }
  double freq = g_ascii_strtod (argv[2], NULL), min_sinad = g_ascii_strtod (argv[3], NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FerWav) wav = fer_wav_read (argv[1], &error);
  if (wav == NULL)
    {
      fprintf (stderr, "measure-tone: %s\n", error->message);
      return 2;
    }
  g_autofree float *x = fer_tone_deinterleave (wav->frames, wav->n_frames, wav->channels, 0);
  gsize n = wav->n_frames, first = n, last = 0;
  for (gsize i = 0; i < n; i++)
    if (fabsf (x[i]) > LEVEL)
      {
        if (first == n)
          first = i;
        last = i;
      }
  gsize start = first + (gsize) (0.3 * wav->rate_hz), end = last - (gsize) (0.1 * wav->rate_hz);
  if (first == n || end <= start + wav->rate_hz / 2)
    {
      printf ("measure-tone: no tone of 0.5 s or more in %s (%zu frames)\n", argv[1], n);
      return 1;
    }

  gsize longest_zeros = 0, run = 0;
  for (gsize i = start; i < end; i++)
    {
      run = x[i] == 0.0f ? run + 1 : 0;
      longest_zeros = MAX (longest_zeros, run);
    }
  FerToneFit fit;
  if (!fer_tone_fit (x + start, end - start, wav->rate_hz, freq, &fit))
    {
      printf ("measure-tone: no tone found\n");
      return 1;
    }
  double tone_s = (double) (last - first) / wav->rate_hz;
  double gap_ms = (double) longest_zeros * 1000.0 / wav->rate_hz;
  printf ("measure-tone: %.3f Hz, amplitude %.4f, SINAD %.1f dB, tone %.2f s, longest run of "
          "zeros %.2f ms\n", fit.freq_hz, fit.amplitude, fit.sinad_db, tone_s, gap_ms);
  gboolean ok = fabs (fit.freq_hz - freq) <= 0.5 && fit.sinad_db >= min_sinad && gap_ms < 2.0;
  return ok ? 0 : 1;
}
