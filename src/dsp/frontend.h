/* frontend.h - what is done to the source's IQ before anything looks at it:
 * DC removal, automatic IQ imbalance correction, noise blanker.
 *
 * A dongle's mixer leaves a DC spike at the centre and a mirror image of
 * every signal (its I and Q paths differ a little in gain and phase). Both
 * are estimated blindly from the signal itself in blocks of 4096 samples and
 * smoothed: DC from the mean, the imbalance from the correlation of I and Q
 * and their power ratio (a proper complex signal has none), and taken off
 * with a multiply-add per sample. The blanker zeroes short impulses (ignition,
 * switching supplies) far above the average power before the channel
 * filters smear them out. Estimates advance on fixed sample counts, so the
 * output does not depend on how input is chunked.
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerFrontEnd FerFrontEnd;

/* DC removal and IQ correction on, blanker off. */
FerFrontEnd *fer_front_end_new (void);
void fer_front_end_free (FerFrontEnd *fe);
void fer_front_end_reset (FerFrontEnd *fe);

void fer_front_end_set_dc_removal (FerFrontEnd *fe, gboolean on);
void fer_front_end_set_iq_correction (FerFrontEnd *fe, gboolean on);
/* @threshold_db: a sample whose power is this far above the average is an
 * impulse (it and the next few samples are zeroed). Default off, 20 dB. */
void fer_front_end_set_noise_blanker (FerFrontEnd *fe, gboolean on, double threshold_db);

/* Corrects @n samples in place. */
void fer_front_end_process (FerFrontEnd *fe, float complex *io, gsize n);

/* What it has found: the DC offset, and Q's gain (dB) and phase (degrees)
 * relative to I. */
void fer_front_end_get_estimate (FerFrontEnd *fe, float complex *dc, double *gain_db,
                                 double *phase_deg);
/* Samples the blanker has zeroed since reset. */
guint64 fer_front_end_get_n_blanked (FerFrontEnd *fe);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerFrontEnd, fer_front_end_free)

G_END_DECLS
