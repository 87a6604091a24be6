/* agc.h - automatic gain control for demodulated audio (AM, SSB, CW).
 *
 * A peak follower with a fast attack and a release (and hang) set by the
 * mode; the audio is delayed by the attack time so the gain is already down
 * when a loud onset arrives, and nothing overshoots. The gain brings peaks
 * to FER_AGC_TARGET, at most FER_AGC_MAX_GAIN_DB above unity. Per-sample
 * state only: the output does not depend on how input is chunked.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FER_AGC_OFF,      /* unity gain */
  FER_AGC_FAST,     /* release 50 ms, no hang */
  FER_AGC_MEDIUM,   /* release 300 ms, hang 100 ms */
  FER_AGC_SLOW,     /* release 1.5 s, hang 400 ms */
} FerAgcMode;

#define FER_AGC_TARGET 0.3f
#define FER_AGC_MAX_GAIN_DB 80.0

const char *fer_agc_mode_name (FerAgcMode mode);     /* "off", "fast", "medium", "slow" */
gboolean fer_agc_mode_parse (const char *name, FerAgcMode *out);

typedef struct _FerAgc FerAgc;

FerAgc *fer_agc_new (double rate_hz, FerAgcMode mode);
void fer_agc_free (FerAgc *agc);
/* Keeps the current gain, so switching never jumps. */
void fer_agc_set_mode (FerAgc *agc, FerAgcMode mode);
FerAgcMode fer_agc_get_mode (FerAgc *agc);
void fer_agc_reset (FerAgc *agc);
/* Samples the output lags the input (the look-ahead). */
guint fer_agc_get_delay (FerAgc *agc);
/* Current gain in dB. */
double fer_agc_get_gain_db (FerAgc *agc);
/* Filters @n samples in place. */
void fer_agc_process (FerAgc *agc, float *io, gsize n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerAgc, fer_agc_free)

G_END_DECLS
