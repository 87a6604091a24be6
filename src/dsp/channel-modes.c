#define G_LOG_DOMAIN "fer-dsp"

/* channel-modes.c - what each mode is: its table, the mode queries of
 * channel.h, and where a mode puts its passband. */
#include "channel-private.h"

#include <glib/gi18n.h>

#define WFM_RATE_MIN 230000.0    /* leaves >= 15 kHz of transition above a 200 kHz channel */
#define WFM_RATE_MAX 300500.0    /* 300 kHz, and a ppm-corrected rate a little above */

/* The labels are marked only: the window translates them with _(). */
static const FerModeInfo modes[FER_N_MODES] = {
  [FER_MODE_WFM] = { "wfm", N_("Wide FM"), FER_DEMOD_FM, TRUE, 1,
                     200000, 60000, 270000, WFM_RATE_MIN, WFM_RATE_MAX, 0, 0, 50e-6, 0, 0, FALSE },
  [FER_MODE_WFM_STEREO] = { "wfm-stereo", N_("Wide FM stereo"), FER_DEMOD_FM, TRUE, 2,
                            200000, 60000, 270000, WFM_RATE_MIN, WFM_RATE_MAX, 0, 0, 50e-6, 0, 0,
                            FALSE },
  [FER_MODE_NFM] = { "nfm", N_("Narrow FM"), FER_DEMOD_FM, FALSE, 1,
                     12500, 2500, 25000, 40000, 64000, 2000, 0, 0, 300, 3000, FALSE },
  [FER_MODE_AM] = { "am", N_("AM"), FER_DEMOD_AM, FALSE, 1,
                    10000, 2000, 20000, 40000, 64000, 1500, 2000, 0, 100, 0, TRUE },
  [FER_MODE_AM_SYNC] = { "am-sync", N_("AM synchronous"), FER_DEMOD_AM, FALSE, 1,
                         10000, 2000, 20000, 40000, 64000, 1500, 2000, 0, 100, 0, TRUE },
  [FER_MODE_USB] = { "usb", N_("Upper sideband"), FER_DEMOD_LINEAR, FALSE, 1,
                     2800, 500, 4000, 10000, 16000, 200, 800, 0, 0, 0, TRUE },
  [FER_MODE_LSB] = { "lsb", N_("Lower sideband"), FER_DEMOD_LINEAR, FALSE, 1,
                     2800, 500, 4000, 10000, 16000, 200, 800, 0, 0, 0, TRUE },
  [FER_MODE_CW] = { "cw", N_("CW (Morse)"), FER_DEMOD_LINEAR, FALSE, 1,
                    500, 50, 2000, 10000, 16000, 100, 400, 0, 0, 0, TRUE },
  [FER_MODE_DSB] = { "dsb", N_("Double sideband"), FER_DEMOD_LINEAR, FALSE, 1,
                     5600, 1000, 12000, 20000, 32000, 400, 1000, 0, 100, 0, TRUE },
  [FER_MODE_RAW] = { "raw", N_("Raw IQ"), FER_DEMOD_NONE, TRUE, 2,
                     200000, 1000, 2400000, 0, 0, 0, 0, 0, 0, 0, FALSE },
};

const FerModeInfo *
fer_mode_info (FerMode mode)
{
  return &modes[mode];
}

const char *
fer_mode_name (FerMode mode)
{
  if ((guint) mode >= FER_N_MODES)
    return NULL;
  return modes[mode].name;
}

const char *
fer_mode_label (FerMode mode)
{
  if ((guint) mode >= FER_N_MODES)
    return NULL;
  return modes[mode].label;
}

gboolean
fer_mode_parse (const char *name, FerMode *out)
{
  g_return_val_if_fail (name != NULL, FALSE);
  for (guint i = 0; i < FER_N_MODES; i++)
    if (g_ascii_strcasecmp (name, modes[i].name) == 0)
      {
        if (out)
          *out = (FerMode) i;
        return TRUE;
      }
  return FALSE;
}

const char *
fer_mode_list (void)
{
  return "wfm, wfm-stereo, nfm, am, am-sync, usb, lsb, cw, dsb, raw";
}

double
fer_mode_default_bandwidth (FerMode mode)
{
  g_return_val_if_fail ((guint) mode < FER_N_MODES, 0);
  return modes[mode].bw_default;
}

void
fer_mode_bandwidth_range (FerMode mode, double *min_hz, double *max_hz)
{
  g_return_if_fail ((guint) mode < FER_N_MODES);
  if (min_hz)
    *min_hz = modes[mode].bw_min;
  if (max_hz)
    *max_hz = modes[mode].bw_max;
}

double
fer_mode_default_deemphasis (FerMode mode)
{
  g_return_val_if_fail ((guint) mode < FER_N_MODES, 0);
  return modes[mode].deemph_s;
}

double
fer_channel_passband_centre (const FerChannel *ch)
{
  switch (ch->mode)
    {
    case FER_MODE_USB:
      return SSB_LOW_HZ + ch->bandwidth_hz / 2;
    case FER_MODE_LSB:
      return -(SSB_LOW_HZ + ch->bandwidth_hz / 2);
    default:
      return 0;
    }
}

double
fer_channel_bfo_hz (const FerChannel *ch)
{
  return ch->mode == FER_MODE_CW ? ch->cw_pitch_hz : fer_channel_passband_centre (ch);
}
