/* measure-tone - checks a captured WAV the way a person with a bench meter would.
 *
 *   measure-tone FILE.wav FREQ_HZ MIN_SINAD_DB
 *
 * Finds where the tone starts and ends (level above 0.02) and checks what a
 * listener would notice (capture-check.h): the frequency (within 0.5 Hz) and
 * SINAD, fitted from 0.3 s after the start (the receiver's filters settle) to
 * 0.1 s before the end (the stream stops), in every 0.25 s window; no dropout
 * (2 ms or more of exact zeros) and no click (a jump no sine of that
 * frequency and amplitude makes) from 50 ms after the onset on. Prints what
 * it measured; exit 0 = pass, 1 = fail, 2 = unreadable.
 */
#include <stdio.h>
#include <stdlib.h>

#include "audio/wav.h"
#include "capture-check.h"

#define LEVEL 0.02f
#define SETTLE_S 0.3
#define SETTLE_CLICKS_S 0.05
#define TAIL_S 0.1

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
  FerCaptureCheck check;
  if (!fer_capture_check (x, wav->n_frames, wav->rate_hz, freq, LEVEL, SETTLE_S,
                          SETTLE_CLICKS_S, TAIL_S, &check))
    {
      printf ("measure-tone: no tone of 0.5 s or more in %s (%zu frames)\n", argv[1],
              wav->n_frames);
      return 1;
    }
  g_autofree char *figures = fer_capture_check_describe (&check, wav->rate_hz);
  printf ("measure-tone: %s\n", figures);
  return fer_capture_check_clean (&check, freq, min_sinad) ? 0 : 1;
}
