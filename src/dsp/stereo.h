/* stereo.h - FM stereo decoder: 19 kHz pilot PLL, 38 kHz L-R demodulator, blend.
 *
 * Works on the discriminator output (the multiplex) at the channel rate.
 * The pilot is found without a band-pass at the full rate: the multiplex is
 * mixed with the loop's oscillator and summed under a window of four blocks
 * (a low-pass a couple of kHz wide, taken once a block), and the loop
 * corrects its phase once a block. The 38 kHz subcarrier is the loop's phase
 * doubled. The pilot's SNR in that window sets the blend: full stereo on a
 * clean signal, sliding smoothly to mono as the pilot sinks into the noise,
 * mono when there is no pilot. The input is taken to come from a
 * phase-difference discriminator, whose droop at 38 kHz (sinc (f / rate))
 * the subcarrier's gain makes up.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerStereo FerStereo;

/* @rate_hz: the channel rate (at least 100 kHz). */
FerStereo *fer_stereo_new (double rate_hz);
void fer_stereo_free (FerStereo *st);
void fer_stereo_reset (FerStereo *st);
/* Writes (L-R)/2 times the blend to @diff for @n multiplex samples, so that
 * L = mpx + diff and R = mpx - diff once both are low-passed to 15 kHz.
 * @diff may not alias @mpx. */
void fer_stereo_process (FerStereo *st, const float *mpx, gsize n, float *diff);

gboolean fer_stereo_is_locked (FerStereo *st);
/* Pilot power over the noise beside it, in the window's bandwidth (about 2 kHz). */
double fer_stereo_get_pilot_snr_db (FerStereo *st);
/* Pilot amplitude in multiplex units (0.1 = the usual 10 % injection). */
double fer_stereo_get_pilot_level (FerStereo *st);
/* 0 (mono) .. 1 (full stereo). */
double fer_stereo_get_blend (FerStereo *st);
/* Frequency the loop has settled on, Hz (19000 +- the offset of the clocks). */
double fer_stereo_get_pilot_freq (FerStereo *st);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerStereo, fer_stereo_free)

G_END_DECLS
