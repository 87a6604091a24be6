/* scene.c - emitters and noise synthesized as complex baseband.
 *
 * Every oscillator is a 32-bit phase accumulator (one turn = 2^32, so phases
 * wrap exactly and never drift) read through a 4096-entry sine/cosine table.
 * An emitter is rendered in two steps per block of samples: its envelope and
 * modulation phase (kind-specific: tunes, pilot, FM integration), then one
 * mixing pass per view it is visible in, which adds the frequency offset and
 * the level. The noise floor is a precomputed Gaussian table read from
 * pseudo-random offsets that depend only on the absolute sample count, so the
 * output does not depend on how the caller chunks its reads.
 */
#define G_LOG_DOMAIN "fer-emu"

#include "scene.h"

#include <math.h>
#include <string.h>

#define TAB_BITS   12
#define TAB_SIZE   (1u << TAB_BITS)
#define TAB_SHIFT  (32 - TAB_BITS)

#define NOISE_BITS  14
#define NOISE_SIZE  (1u << NOISE_BITS)    /* complex entries */
#define NOISE_CHUNK 1024u                 /* samples read contiguously */

#define BLOCK 256  /* samples per synthesis block (scratch lives in L1) */

#define PILOT_HZ        19000.0
#define PILOT_LEVEL     0.1f
#define WFM_FULL_DEV_HZ 75000.0

typedef struct {
  FerEmitter cfg;
  double amp;           /* carrier amplitude at the reference gain */
  double power;         /* mean power while transmitting */
  guint32 pm;           /* modulation phase (FM) */
  guint32 ph_left;      /* audio oscillators */
  guint32 ph_right;
  guint32 ph_pilot;     /* the 38 kHz subcarrier is twice this phase */
  guint32 po[FER_SCENE_MAX_VIEWS];  /* frequency-offset phase per view */
  FerRdsMod *rds;       /* owned; NULL without RDS */
  float key_env;        /* CW: the keying envelope, 0..1 */
} Emitter;

/* Where one emitter lands in one view for the current call. */
typedef struct {
  float amp;
  guint32 sign;   /* 1, or 0xffffffff (-1) to conjugate the envelope */
  guint32 inc;    /* offset frequency, turns * 2^32 per sample */
  guint32 *po;
} Placement;

struct _FerScene {
  GArray *emitters;     /* of Emitter */
  double noise_dbfs_hz;
  double time_s;
  guint64 n_rendered;   /* samples, for the noise offsets */
  float *cis;           /* TAB_SIZE (cos, sin) pairs */
  float *sin;           /* TAB_SIZE */
  float *noise;         /* NOISE_SIZE + NOISE_CHUNK (I, Q) pairs, N(0, 1) each */
  float env[BLOCK];     /* scratch: envelope */
  guint32 pmv[BLOCK];   /* scratch: modulation phase */
  float rds[BLOCK];     /* scratch: RDS baseband */
  double block_t;       /* scratch: time of the block being synthesized */
  gboolean key_down;    /* scratch: CW key state for the block */
};

static guint32
hash32 (guint32 x)
{
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

static guint64
xorshift64 (guint64 *s)
{
  guint64 x = *s;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *s = x;
  return x;
}

static double
uniform01 (guint64 *s)
{
  return ((double) (xorshift64 (s) >> 11) + 0.5) / 9007199254740992.0;
}

/* Phase increment for @freq_hz at @rate_hz, turns * 2^32 per sample (wraps
 * for negative frequencies). */
static guint32
phase_inc (double freq_hz, double rate_hz)
{
  double turns = freq_hz / rate_hz;
  turns -= floor (turns);
  return (guint32) (gint64) llround (turns * 4294967296.0);
}

FerScene *
fer_scene_new (double noise_floor_dbfs_hz)
{
  FerScene *scene = g_new0 (FerScene, 1);
  scene->emitters = g_array_new (FALSE, TRUE, sizeof (Emitter));
  scene->noise_dbfs_hz = noise_floor_dbfs_hz;

  scene->cis = g_new (float, 2 * TAB_SIZE);
  scene->sin = g_new (float, TAB_SIZE);
  for (guint i = 0; i < TAB_SIZE; i++)
    {
      /* Sample at the middle of each phase step, so truncating the phase
       * is the same as rounding it. */
      double a = 2.0 * G_PI * (i + 0.5) / TAB_SIZE;
      scene->cis[2 * i] = (float) cos (a);
      scene->cis[2 * i + 1] = (float) sin (a);
      scene->sin[i] = (float) sin (a);
    }

  scene->noise = g_new (float, 2 * (NOISE_SIZE + NOISE_CHUNK));
  guint64 seed = 0x9e3779b97f4a7c15ull;
  for (guint i = 0; i < NOISE_SIZE; i++)
    {
      /* Box-Muller: two independent unit Gaussians per pair. */
      double r = sqrt (-2.0 * log (uniform01 (&seed)));
      double a = 2.0 * G_PI * uniform01 (&seed);
      scene->noise[2 * i] = (float) (r * cos (a));
      scene->noise[2 * i + 1] = (float) (r * sin (a));
    }
  /* The tail repeats the head so a chunk never wraps inside. */
  memcpy (scene->noise + 2 * NOISE_SIZE, scene->noise, 2 * NOISE_CHUNK * sizeof (float));
  return scene;
}

void
fer_scene_free (FerScene *scene)
{
  if (scene == NULL)
    return;
  for (guint i = 0; i < scene->emitters->len; i++)
    fer_rds_mod_free (g_array_index (scene->emitters, Emitter, i).rds);
  g_array_unref (scene->emitters);
  g_free (scene->cis);
  g_free (scene->sin);
  g_free (scene->noise);
  g_free (scene);
}

static double
emitter_power (const FerEmitter *e, double amp)
{
  double p = amp * amp;
  if ((e->kind == FER_EMITTER_AM || e->kind == FER_EMITTER_AM_FADING) && e->left.n_notes > 0)
    p *= 1.0 + e->am_depth * e->am_depth / 2.0;
  /* A syllable's sin shape carries half the power of a steady tone. */
  if ((e->kind == FER_EMITTER_USB || e->kind == FER_EMITTER_LSB) && e->left.n_notes > 1)
    p *= 0.5;
  return p;
}

void
fer_scene_add (FerScene *scene, const FerEmitter *emitter)
{
  Emitter e = { 0 };
  e.cfg = *emitter;
  e.cfg.left.n_notes = MIN (e.cfg.left.n_notes, FER_TUNE_MAX_NOTES);
  e.cfg.right.n_notes = MIN (e.cfg.right.n_notes, FER_TUNE_MAX_NOTES);
  if (e.cfg.kind == FER_EMITTER_WFM_STEREO && e.cfg.deviation_hz <= 0.0)
    e.cfg.deviation_hz = WFM_FULL_DEV_HZ;
  e.amp = pow (10.0, emitter->level_dbfs / 20.0);
  e.power = emitter_power (&e.cfg, e.amp);
  if (e.cfg.kind == FER_EMITTER_WFM_STEREO && e.cfg.rds != NULL)
    e.rds = fer_rds_mod_new (e.cfg.rds);
  /* Different starting phases, so emitters do not start coherent. */
  guint32 h = hash32 ((guint32) scene->emitters->len * 2654435761u + 12345u);
  e.pm = h;
  for (guint v = 0; v < FER_SCENE_MAX_VIEWS; v++)
    e.po[v] = hash32 (h + v + 1);
  g_array_append_val (scene->emitters, e);
}

guint
fer_scene_get_n_emitters (const FerScene *scene)
{
  return scene->emitters->len;
}

const FerEmitter *
fer_scene_get_emitter (const FerScene *scene, guint index)
{
  g_return_val_if_fail (index < scene->emitters->len, NULL);
  return &g_array_index (scene->emitters, Emitter, index).cfg;
}

double
fer_scene_get_noise_floor_dbfs_hz (const FerScene *scene)
{
  return scene->noise_dbfs_hz;
}

double
fer_scene_get_time (const FerScene *scene)
{
  return scene->time_s;
}

static double
view_gain (const FerSceneView *view, double freq_hz)
{
  return freq_hz < view->split_hz ? view->gain_below : view->gain_above;
}

static gboolean
in_view (const FerSceneView *view, double freq_hz, double rate_hz)
{
  return fabs (freq_hz - view->center_hz) < rate_hz / 2.0;
}

double
fer_scene_window_power (const FerScene *scene, const FerSceneWindow *window)
{
  double noise = pow (10.0, scene->noise_dbfs_hz / 10.0) * window->rate_hz;
  double p = noise * window->noise_gain * window->noise_gain;
  for (guint i = 0; i < scene->emitters->len; i++)
    {
      const Emitter *e = &g_array_index (scene->emitters, Emitter, i);
      for (guint v = 0; v < window->n_views; v++)
        {
          const FerSceneView *view = &window->views[v];
          if (!in_view (view, e->cfg.freq_hz, window->rate_hz))
            continue;
          double g = view_gain (view, e->cfg.freq_hz);
          p += e->power * g * g;
        }
    }
  return p;
}

/* ---- noise ------------------------------------------------------------ */

static void
render_noise (FerScene *scene, const FerSceneWindow *window, float *iq, gsize n)
{
  double power = pow (10.0, scene->noise_dbfs_hz / 10.0) * window->rate_hz;
  float sigma = (float) (sqrt (power / 2.0) * window->noise_gain);
  gsize i = 0;
  while (i < n)
    {
      guint64 s = scene->n_rendered + i;
      guint32 chunk = (guint32) (s / NOISE_CHUNK);
      guint32 within = (guint32) (s % NOISE_CHUNK);
      gsize m = MIN (NOISE_CHUNK - within, n - i);
      const float *src = scene->noise + 2 * ((hash32 (chunk) & (NOISE_SIZE - 1)) + within);
      float *dst = iq + 2 * i;
      for (gsize k = 0; k < 2 * m; k++)
        dst[k] = sigma * src[k];
      i += m;
    }
}

/* ---- emitters --------------------------------------------------------- */

/* Frequency of @tune's note at time @t; *@n_samples is cut to the samples
 * left until the note changes. */
static float
tune_note (const FerTune *tune, double t, double rate_hz, gsize *n_samples)
{
  if (tune->n_notes == 0)
    return 0.0f;
  if (tune->n_notes == 1 || tune->note_s <= 0.0f)
    return tune->notes_hz[0];
  double k = floor (t / tune->note_s);
  double until = ((k + 1.0) * tune->note_s - t) * rate_hz;
  gsize left = until < 1.0 ? 1 : (gsize) ceil (until);
  *n_samples = MIN (*n_samples, left);
  return tune->notes_hz[(guint64) k % tune->n_notes];
}

/* Morse: each character's dots and dashes ('.' one unit on, '-' three),
 * with one unit off between elements, three between characters and seven
 * between words. */
static const char *
morse_code (char c)
{
  static const char *const letters[26] = {
    ".-", "-...", "-.-.", "-..", ".", "..-.", "--.", "....", "..", ".---", "-.-", ".-..", "--",
    "-.", "---", ".--.", "--.-", ".-.", "...", "-", "..-", "...-", ".--", "-..-", "-.--", "--..",
  };
  static const char *const digits[10] = {
    "-----", ".----", "..---", "...--", "....-", ".....", "-....", "--...", "---..", "----.",
  };
  c = g_ascii_toupper (c);
  if (c >= 'A' && c <= 'Z')
    return letters[c - 'A'];
  if (c >= '0' && c <= '9')
    return digits[c - '0'];
  switch (c)
    {
    case '/': return "-..-.";
    case '?': return "..--..";
    case '.': return ".-.-.-";
    case ',': return "--..--";
    default: return NULL;   /* a space, or what Morse has no sign for: a word gap */
    }
}

/* Walks @text in units up to @at_unit: *@on says whether the key is down
 * there, *@edge_unit where that changes. Returns the length of the whole
 * message with its closing word gap, in units. */
static double
morse_walk (const char *text, double at_unit, gboolean *on, double *edge_unit)
{
  double u = 0;
  *on = FALSE;
  *edge_unit = -1;
  for (const char *p = text; *p; p++)
    {
      const char *code = morse_code (*p);
      if (code == NULL)
        {
          u += 4;             /* 3 after the last character make 7 */
          continue;
        }
      for (const char *q = code; *q; q++)
        {
          double len = *q == '-' ? 3 : 1;
          if (*edge_unit < 0 && at_unit < u)
            *edge_unit = u;   /* in a gap: the next element starts here */
          if (*edge_unit < 0 && at_unit < u + len)
            {
              *on = TRUE;
              *edge_unit = u + len;
            }
          u += len + (q[1] ? 1 : 3);
        }
    }
  u += 4;
  if (*edge_unit < 0)
    *edge_unit = u;
  return u;
}

/* CW: whether the key is down at @t; cuts *@n_samples at the next change. */
static gboolean
morse_state (const FerEmitter *e, double t, double rate_hz, gsize *n_samples)
{
  const char *text = e->morse ? e->morse : "CQ";
  double unit_s = 1.2 / (e->wpm > 0 ? e->wpm : 18.0);
  gboolean on;
  double edge, total = morse_walk (text, -1, &on, &edge);
  double cycle = floor (t / (total * unit_s));
  double within = t / unit_s - cycle * total;
  morse_walk (text, within, &on, &edge);
  double until = (edge - within) * unit_s * rate_hz;
  gsize left = until < 1.0 ? 1 : (gsize) ceil (until);
  *n_samples = MIN (*n_samples, left);
  return on;
}

/* Whether a keyed emitter transmits at time @t; cuts *@n_samples likewise. */
static gboolean
key_state (const FerEmitter *e, double t, double rate_hz, gsize *n_samples)
{
  if (e->key_on_s <= 0.0 || e->key_off_s <= 0.0)
    return TRUE;
  double period = e->key_on_s + e->key_off_s;
  double k = floor (t / period);
  double within = t - k * period;
  gboolean on = within < e->key_on_s;
  double edge = k * period + (on ? e->key_on_s : period);
  double until = (edge - t) * rate_hz;
  gsize left = until < 1.0 ? 1 : (gsize) ceil (until);
  *n_samples = MIN (*n_samples, left);
  return on;
}

/* Envelope and modulation phase of one block. */
static void
synth_block (FerScene *scene, Emitter *e, gsize m, double rate_hz, float note_l, float note_r)
{
  const float *restrict tab = scene->sin;
  float *restrict env = scene->env;
  guint32 *restrict pmv = scene->pmv;
  guint32 inc_l = phase_inc (note_l, rate_hz);
  guint32 inc_r = phase_inc (note_r, rate_hz);
  float amp_l = note_l > 0.0f ? 1.0f : 0.0f;
  float amp_r = note_r > 0.0f ? 1.0f : 0.0f;
  guint32 ph_l = e->ph_left, ph_r = e->ph_right, pm = e->pm;

  switch (e->cfg.kind)
    {
    case FER_EMITTER_CARRIER:
      for (gsize i = 0; i < m; i++)
        {
          env[i] = 1.0f;
          pmv[i] = pm;
        }
      break;

    case FER_EMITTER_AM:
      {
        float depth = (float) e->cfg.am_depth * amp_l;
        for (gsize i = 0; i < m; i++)
          {
            env[i] = 1.0f + depth * tab[ph_l >> TAB_SHIFT];
            ph_l += inc_l;
            pmv[i] = pm;
          }
      }
      break;

    case FER_EMITTER_NFM:
      {
        float k = (float) (e->cfg.deviation_hz / rate_hz * 4294967296.0) * amp_l;
        for (gsize i = 0; i < m; i++)
          {
            pm += (guint32) (gint32) (k * tab[ph_l >> TAB_SHIFT]);
            ph_l += inc_l;
            env[i] = 1.0f;
            pmv[i] = pm;
          }
      }
      break;

    case FER_EMITTER_WFM_STEREO:
      {
        /* MPX = a (L+R)/2 + a (L-R)/2 sin(2 pilot) + 0.1 sin(pilot), full
         * scale = deviation_hz; the subcarrier is twice the pilot phase, so
         * it stays locked to it exactly. */
        float k = (float) (MIN (e->cfg.deviation_hz / rate_hz, 0.45) * 4294967296.0);
        float half = 0.5f * (float) e->cfg.audio_level;
        float gl = half * amp_l * k, gr = half * amp_r * k, gp = PILOT_LEVEL * k;
        guint32 inc_p = phase_inc (PILOT_HZ, rate_hz);
        guint32 ph_p = e->ph_pilot;
        /* RDS: its baseband on a 57 kHz subcarrier, three times the pilot's phase. */
        float *restrict rds = scene->rds;
        float gd = 0.0f;
        if (e->rds != NULL)
          {
            fer_rds_mod_render (e->rds, rate_hz, rds, m);
            gd = (float) fer_rds_mod_get_level (e->rds) * k;
          }
        else
          memset (rds, 0, m * sizeof *rds);
        for (gsize i = 0; i < m; i++)
          {
            float l = gl * tab[ph_l >> TAB_SHIFT];
            float r = gr * tab[ph_r >> TAB_SHIFT];
            float sub = tab[(ph_p << 1) >> TAB_SHIFT];
            float mpx = (l + r) + (l - r) * sub + gp * tab[ph_p >> TAB_SHIFT]
                        + gd * rds[i] * tab[(ph_p * 3u) >> TAB_SHIFT];
            ph_l += inc_l;
            ph_r += inc_r;
            ph_p += inc_p;
            pm += (guint32) (gint32) mpx;
            env[i] = 1.0f;
            pmv[i] = pm;
          }
        e->ph_pilot = ph_p;
      }
      break;

    case FER_EMITTER_USB:
    case FER_EMITTER_LSB:
      {
        /* Two tones a (e^{j t1} + e^{j t2}) = 2a cos ((t1 - t2) / 2) e^{j (t1 + t2) / 2}:
         * a real envelope and a phase, as the mixer takes them. A tone alone
         * is the envelope 1. The lower sideband turns the other way. */
        const float *restrict cis = scene->cis;
        gboolean pair = amp_r > 0.0f, syllable = e->cfg.left.n_notes > 1;
        double note_s = e->cfg.left.note_s > 0 ? e->cfg.left.note_s : 1.0;
        double u0 = scene->block_t / note_s, du = 1.0 / (rate_hz * note_s);
        guint32 sign = e->cfg.kind == FER_EMITTER_LSB ? 0xffffffffu : 1u;
        for (gsize i = 0; i < m; i++)
          {
            float a = amp_l;
            guint32 ph = ph_l;
            if (pair)
              {
                gint64 d = (gint64) ph_l - (gint64) ph_r;
                a = (float) G_SQRT2 * cis[2 * ((guint32) (d >> 1) >> TAB_SHIFT)];
                ph = (guint32) (((guint64) ph_l + ph_r) >> 1);
              }
            if (syllable)
              {
                double u = u0 + du * i;
                a *= (float) sin (G_PI * (u - floor (u)));
              }
            ph_l += inc_l;
            ph_r += inc_r;
            env[i] = a;
            pmv[i] = sign * ph;
          }
      }
      break;

    case FER_EMITTER_CW:
      {
        /* The key's edges through a one-pole filter (1.5 ms): no clicks. */
        float k = (float) (1.0 - exp (-1.0 / (0.0015 * rate_hz)));
        float target = scene->key_down ? 1.0f : 0.0f, ke = e->key_env;
        for (gsize i = 0; i < m; i++)
          {
            ke += (target - ke) * k;
            env[i] = ke;
            pmv[i] = pm;
          }
        e->key_env = ke < 1e-4f && target == 0.0f ? 0.0f : ke;
      }
      break;

    case FER_EMITTER_AM_FADING:
      {
        /* The carrier's gain, interpolated across the block from its two ends. */
        double period = e->cfg.fade_period_s > 0 ? e->cfg.fade_period_s : 6.0;
        double t0 = scene->block_t, t1 = t0 + m / rate_hz;
        double g0 = pow (10, -e->cfg.fade_db / 20 * (0.5 - 0.5 * cos (2 * G_PI * t0 / period)));
        double g1 = pow (10, -e->cfg.fade_db / 20 * (0.5 - 0.5 * cos (2 * G_PI * t1 / period)));
        float depth = (float) e->cfg.am_depth * amp_l;
        for (gsize i = 0; i < m; i++)
          {
            float g = (float) (g0 + (g1 - g0) * i / m);
            env[i] = g + depth * tab[ph_l >> TAB_SHIFT];
            ph_l += inc_l;
            pmv[i] = pm;
          }
      }
      break;
    }
  e->ph_left = ph_l;
  e->ph_right = ph_r;
  e->pm = pm;
}

/* Adds one block of an emitter at one placement: offset, orientation, level. */
static void
mix_block (const float *restrict cis, const float *restrict env, const guint32 *restrict pmv,
           gsize m, const Placement *p, float *restrict iq)
{
  guint32 po = *p->po, inc = p->inc, sign = p->sign;
  float amp = p->amp;
  for (gsize i = 0; i < m; i++)
    {
      guint32 ph = po + sign * pmv[i];
      po += inc;
      const float *c = cis + 2 * (ph >> TAB_SHIFT);
      float e = amp * env[i];
      iq[2 * i] += e * c[0];
      iq[2 * i + 1] += e * c[1];
    }
  *p->po = po;
}

static void
render_emitter (FerScene *scene, Emitter *e, const Placement *pl, guint n_pl, float *iq,
                gsize n, double rate_hz)
{
  gsize i = 0;
  while (i < n)
    {
      double t = scene->time_s + (double) i / rate_hz;
      gsize m = MIN ((gsize) BLOCK, n - i);
      float note_l = tune_note (&e->cfg.left, t, rate_hz, &m);
      gboolean two = e->cfg.kind == FER_EMITTER_WFM_STEREO || e->cfg.kind == FER_EMITTER_USB
                     || e->cfg.kind == FER_EMITTER_LSB;
      float note_r = two ? tune_note (&e->cfg.right, t, rate_hz, &m) : 0.0f;
      gboolean on = key_state (&e->cfg, t, rate_hz, &m);
      if (e->cfg.kind == FER_EMITTER_CW)
        {
          /* The key's soft edges: the envelope runs on through the gaps. */
          scene->key_down = morse_state (&e->cfg, t, rate_hz, &m);
          on = on && (scene->key_down || e->key_env > 0.0f);
        }

      scene->block_t = t;
      synth_block (scene, e, m, rate_hz, note_l, note_r);
      for (guint k = 0; k < n_pl; k++)
        {
          if (on)
            mix_block (scene->cis, scene->env, scene->pmv, m, &pl[k], iq + 2 * i);
          else
            *pl[k].po += pl[k].inc * (guint32) m;
        }
      i += m;
    }
}

/* An emitter nobody sees keeps its audio oscillators running, so its tune is
 * in step when a retune brings it back. (Its carrier phase is unobservable.) */
static void
advance_unseen (FerScene *scene, Emitter *e, gsize n, double rate_hz)
{
  gsize m = n;
  float note_l = tune_note (&e->cfg.left, scene->time_s, rate_hz, &m);
  float note_r = tune_note (&e->cfg.right, scene->time_s, rate_hz, &m);
  e->ph_left += phase_inc (note_l, rate_hz) * (guint32) n;
  e->ph_right += phase_inc (note_r, rate_hz) * (guint32) n;
  e->ph_pilot += phase_inc (PILOT_HZ, rate_hz) * (guint32) n;
  if (e->rds != NULL)
    fer_rds_mod_skip (e->rds, rate_hz, n);
}

void
fer_scene_render (FerScene *scene, const FerSceneWindow *window, float *iq, gsize n_samples)
{
  double rate_hz = window->rate_hz;
  g_return_if_fail (rate_hz > 0.0);
  g_return_if_fail (window->n_views <= FER_SCENE_MAX_VIEWS);

  render_noise (scene, window, iq, n_samples);

  for (guint i = 0; i < scene->emitters->len; i++)
    {
      Emitter *e = &g_array_index (scene->emitters, Emitter, i);
      Placement pl[FER_SCENE_MAX_VIEWS];
      guint n_pl = 0;
      for (guint v = 0; v < window->n_views; v++)
        {
          const FerSceneView *view = &window->views[v];
          double gain = view_gain (view, e->cfg.freq_hz);
          if (!in_view (view, e->cfg.freq_hz, rate_hz) || gain == 0.0)
            continue;
          double offset_hz = e->cfg.freq_hz - view->center_hz;
          pl[n_pl].amp = (float) (e->amp * gain);
          pl[n_pl].sign = view->mirrored ? 0xffffffffu : 1u;
          pl[n_pl].inc = phase_inc (view->mirrored ? -offset_hz : offset_hz, rate_hz);
          pl[n_pl].po = &e->po[v];
          n_pl++;
        }
      if (n_pl > 0)
        render_emitter (scene, e, pl, n_pl, iq, n_samples, rate_hz);
      else
        advance_unseen (scene, e, n_samples, rate_hz);
    }

  scene->time_s += (double) n_samples / rate_hz;
  scene->n_rendered += n_samples;
}
