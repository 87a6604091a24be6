#define G_LOG_DOMAIN "fer-dsp"

#include "agc.h"

#include <math.h>
#include <string.h>

#define AGC_LOOKAHEAD_S 0.002
#define AGC_ATTACK_S 0.0005
/* A peak within this fraction of the envelope counts as a new peak and
 * restarts the hang: a steady tone then holds the gain without ripple. */
#define AGC_HANG_REFRESH 0.95f

typedef struct {
  const char *name;
  double release_s;
  double hang_s;
} AgcTiming;

static const AgcTiming timings[] = {
  [FER_AGC_OFF] = { "off", 0, 0 },
  [FER_AGC_FAST] = { "fast", 0.05, 0.0 },
  [FER_AGC_MEDIUM] = { "medium", 0.3, 0.1 },
  [FER_AGC_SLOW] = { "slow", 1.5, 0.4 },
};

struct _FerAgc {
  double rate_hz;
  FerAgcMode mode;
  float k_attack;       /* per-sample step toward a higher peak */
  float k_release;      /* per-sample decay factor */
  guint hang_samples;
  guint hang_left;
  float env;            /* peak envelope of the input */
  float env_floor;      /* FER_AGC_TARGET / max gain */
  guint delay;          /* look-ahead, samples */
  guint pos;            /* next slot of the delay line */
  float *line;          /* owned; delay samples */
};

const char *
fer_agc_mode_name (FerAgcMode mode)
{
  if ((guint) mode >= G_N_ELEMENTS (timings))
    return NULL;
  return timings[mode].name;
}

gboolean
fer_agc_mode_parse (const char *name, FerAgcMode *out)
{
  g_return_val_if_fail (name != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (timings); i++)
    if (g_ascii_strcasecmp (name, timings[i].name) == 0)
      {
        if (out)
          *out = (FerAgcMode) i;
        return TRUE;
      }
  return FALSE;
}

static void
apply_timing (FerAgc *agc)
{
  const AgcTiming *t = &timings[agc->mode];
  agc->k_attack = (float) (1.0 - exp (-1.0 / (AGC_ATTACK_S * agc->rate_hz)));
  agc->k_release = t->release_s > 0 ? (float) exp (-1.0 / (t->release_s * agc->rate_hz)) : 1.0f;
  agc->hang_samples = (guint) (t->hang_s * agc->rate_hz);
}

FerAgc *
fer_agc_new (double rate_hz, FerAgcMode mode)
{
  g_return_val_if_fail (rate_hz > 0, NULL);
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (timings), NULL);
  FerAgc *agc = g_new0 (FerAgc, 1);
  agc->rate_hz = rate_hz;
  agc->mode = mode;
  agc->env_floor = (float) (FER_AGC_TARGET / pow (10.0, FER_AGC_MAX_GAIN_DB / 20.0));
  agc->delay = MAX (1u, (guint) lround (AGC_LOOKAHEAD_S * rate_hz));
  agc->line = g_new0 (float, agc->delay);
  apply_timing (agc);
  fer_agc_reset (agc);
  return agc;
}

void
fer_agc_free (FerAgc *agc)
{
  if (agc == NULL)
    return;
  g_free (agc->line);
  g_free (agc);
}

void
fer_agc_set_mode (FerAgc *agc, FerAgcMode mode)
{
  g_return_if_fail (agc != NULL && (guint) mode < G_N_ELEMENTS (timings));
  agc->mode = mode;
  apply_timing (agc);
}

FerAgcMode
fer_agc_get_mode (FerAgc *agc)
{
  return agc->mode;
}

void
fer_agc_reset (FerAgc *agc)
{
  g_return_if_fail (agc != NULL);
  /* Start at full gain's envelope: the first signal comes in through the attack. */
  agc->env = agc->env_floor;
  agc->hang_left = 0;
  agc->pos = 0;
  memset (agc->line, 0, agc->delay * sizeof (float));
}

guint
fer_agc_get_delay (FerAgc *agc)
{
  return agc->delay;
}

double
fer_agc_get_gain_db (FerAgc *agc)
{
  if (agc->mode == FER_AGC_OFF)
    return 0.0;
  return 20.0 * log10 (FER_AGC_TARGET / MAX (agc->env, agc->env_floor));
}

void
fer_agc_process (FerAgc *agc, float *io, gsize n)
{
  g_return_if_fail (agc != NULL);
  const gboolean off = agc->mode == FER_AGC_OFF;
  const float k_attack = agc->k_attack, k_release = agc->k_release, floor = agc->env_floor;
  float env = agc->env;
  guint hang_left = agc->hang_left, pos = agc->pos;
  const guint delay = agc->delay;
  float *line = agc->line;

  for (gsize i = 0; i < n; i++)
    {
      float x = io[i];
      float a = fabsf (x);
      /* The envelope follows the input; the gain acts on the sample that
       * entered the delay line `delay` samples ago. */
      if (a > env)
        env += (a - env) * k_attack;
      else if (hang_left > 0)
        hang_left--;
      else
        env = MAX (env * k_release, floor);
      if (a >= env * AGC_HANG_REFRESH)
        hang_left = agc->hang_samples;

      float y = line[pos];
      line[pos] = x;
      pos = pos + 1 == delay ? 0 : pos + 1;
      io[i] = off ? y : y * (FER_AGC_TARGET / env);
    }
  agc->env = env;
  agc->hang_left = hang_left;
  agc->pos = pos;
}
