/* scene-rds.c - RDS groups and their biphase baseband for emulated stations. */
#define G_LOG_DOMAIN "fer-emu"

#include "scene-rds.h"

#include <math.h>
#include <string.h>

#define BIT_RATE_HZ 1187.5
#define GROUP_BITS 104
/* g(x) = x^10 + x^8 + x^7 + x^5 + x^4 + x^3 + 1 */
#define GENERATOR 0x5B9u
#define DEFAULT_LEVEL 0.045

#define CT_EVERY_GROUPS 40
#define CT_FIRST_GROUP 6

/* The modulator's pulse table: four bits of a symbol's shaped pulse, this
 * many entries a bit. */
#define PULSE_BITS 4
#define TAB_BITS 8
#define TAB_PER_BIT (1u << TAB_BITS)

static const guint16 offset_words[5] = { 0x0FC, 0x198, 0x168, 0x350, 0x1B4 };

guint32
fer_rds_encode_block (guint16 data, guint offset)
{
  g_return_val_if_fail (offset < 5, 0);
  guint32 r = (guint32) data << 10;
  /* The checkword is the remainder of data * x^10 divided by g(x). */
  for (int i = 25; i >= 10; i--)
    if (r >> i & 1)
      r ^= GENERATOR << (i - 10);
  return ((guint32) data << 10) | (r ^ offset_words[offset]);
}

guint
fer_rds_mjd (int year, int month, int day)
{
  int l = (month == 1 || month == 2) ? 1 : 0;
  return (guint) (14956 + day + (int) ((year - 1900 - l) * 365.25)
                  + (int) ((month + 1 + l * 12) * 30.6001));
}

/* ---- Groups ------------------------------------------------------------- */

struct _FerRdsEncoder {
  FerRdsStation cfg;
  guint8 ps[8];
  guint8 rt[2][64];
  guint rt_segments[2];       /* 2A groups each text needs */
  guint af_codes[FER_RDS_STATION_MAX_AF + 2];
  guint n_af_codes;           /* even */
  gint64 ct_local_min;        /* local time at the start, minutes since MJD 0 */
  guint64 n_groups;
  guint ps_seg, rt_seg, af_pair;
  guint rt_index;
  guint slot;
};

static void
copy_text (guint8 *dst, gsize size, const char *src)
{
  memset (dst, ' ', size);
  if (src != NULL)
    memcpy (dst, src, MIN (strlen (src), size));
}

static guint
text_segments (guint8 *rt, const char *text)
{
  gsize len = text ? MIN (strlen (text), (gsize) 64) : 0;
  copy_text (rt, 64, text);
  if (len == 64)
    return 16;
  rt[len] = 0x0d;  /* closes a shorter text */
  return (guint) (len + 1 + 3) / 4;
}

FerRdsEncoder *
fer_rds_encoder_new (const FerRdsStation *station)
{
  g_return_val_if_fail (station != NULL, NULL);
  FerRdsEncoder *enc = g_new0 (FerRdsEncoder, 1);
  enc->cfg = *station;
  copy_text (enc->ps, sizeof enc->ps, station->ps);
  enc->rt_segments[0] = text_segments (enc->rt[0], station->rt);
  enc->rt_segments[1] = text_segments (enc->rt[1], station->rt_alt);

  /* Method A: the count (224 + N) first, then the frequencies, a filler
   * (205) making the number of codes even. */
  guint n = MIN (station->n_af, (guint) FER_RDS_STATION_MAX_AF);
  enc->af_codes[enc->n_af_codes++] = 224 + n;
  for (guint i = 0; i < n; i++)
    {
      long code = lround ((station->af_mhz[i] - 87.5) * 10);
      enc->af_codes[enc->n_af_codes++] = (guint) CLAMP (code, 1, 204);
    }
  if (enc->n_af_codes % 2)
    enc->af_codes[enc->n_af_codes++] = 205;

  guint mjd = fer_rds_mjd (station->ct_year, station->ct_month, station->ct_day);
  enc->ct_local_min = (gint64) mjd * 1440 + station->ct_hour * 60 + station->ct_minute;
  return enc;
}

void
fer_rds_encoder_free (FerRdsEncoder *enc)
{
  g_free (enc);
}

guint64
fer_rds_encoder_get_n_groups (FerRdsEncoder *enc)
{
  return enc->n_groups;
}

void
fer_rds_encoder_next_group (FerRdsEncoder *enc, guint16 blocks[4])
{
  const FerRdsStation *c = &enc->cfg;
  guint64 n = enc->n_groups++;
  double t = n * (GROUP_BITS / BIT_RATE_HZ);
  guint16 common = (guint16) ((c->tp ? 1u << 10 : 0) | (c->pty & 0x1f) << 5);
  blocks[0] = c->pi;

  if (n % CT_EVERY_GROUPS == CT_FIRST_GROUP)
    {
      /* 4A: UTC date and time of this group's minute, and the local offset. */
      gint64 utc = enc->ct_local_min + (gint64) floor (t / 60) - c->ct_offset_min;
      guint mjd = (guint) (utc / 1440);
      guint hour = (guint) (utc % 1440 / 60), minute = (guint) (utc % 60);
      guint off = (guint) (ABS (c->ct_offset_min) / 30);
      blocks[1] = (guint16) (4u << 12 | common | (mjd >> 15 & 3));
      blocks[2] = (guint16) ((mjd & 0x7fff) << 1 | hour >> 4);
      blocks[3] = (guint16) ((hour & 0xf) << 12 | minute << 6
                             | (c->ct_offset_min < 0 ? 1u << 5 : 0) | (off & 0x1f));
      return;
    }

  if (enc->slot++ % 2 == 0)
    {
      /* 0A: decoder identification bit d0 (stereo) rides with segment 3. */
      guint seg = enc->ps_seg;
      enc->ps_seg = (seg + 1) % 4;
      blocks[1] = (guint16) (common | (seg == 3 ? 1u << 2 : 0) | 1u << 3 | seg);
      blocks[2] = (guint16) (enc->af_codes[2 * enc->af_pair] << 8
                             | enc->af_codes[2 * enc->af_pair + 1]);
      enc->af_pair = (enc->af_pair + 1) % (enc->n_af_codes / 2);
      blocks[3] = (guint16) (enc->ps[2 * seg] << 8 | enc->ps[2 * seg + 1]);
      return;
    }

  /* 2A: the text of this period, A/B flag = which text. */
  guint index = 0;
  if (c->rt_alt != NULL && c->rt_period_s > 0)
    index = (guint) ((guint64) floor (t / c->rt_period_s) % 2);
  if (index != enc->rt_index)
    {
      enc->rt_index = index;
      enc->rt_seg = 0;
    }
  guint seg = enc->rt_seg;
  enc->rt_seg = (seg + 1) % enc->rt_segments[index];
  const guint8 *rt = enc->rt[index] + 4 * seg;
  blocks[1] = (guint16) (2u << 12 | common | index << 4 | seg);
  blocks[2] = (guint16) (rt[0] << 8 | rt[1]);
  blocks[3] = (guint16) (rt[2] << 8 | rt[3]);
}

/* ---- Baseband --------------------------------------------------------- */

struct _FerRdsMod {
  FerRdsEncoder *enc;          /* owned */
  double level;
  guint32 group[4];            /* the blocks being sent */
  guint bit;                   /* next bit of the group, 0..103 */
  guint diff;                  /* differential coder state */
  float sym[PULSE_BITS];       /* symbols of the last four bits, newest first */
  guint32 phase;               /* within the current bit, turns * 2^32 */
  float pulse[PULSE_BITS * TAB_PER_BIT + 1];
};

/* Impulse response of the shaping filter cos (pi f / 2W), |f| < W = 2375 Hz. */
static double
shaping (double t)
{
  const double w = 2 * BIT_RATE_HZ, a = G_PI / (2 * w);
  double d = a * a - 4 * G_PI * G_PI * t * t;
  if (fabs (d) < 1e-6 * a * a)
    return w;
  return 2 * a * cos (2 * G_PI * w * t) / d;
}

FerRdsMod *
fer_rds_mod_new (const FerRdsStation *station)
{
  FerRdsMod *mod = g_new0 (FerRdsMod, 1);
  mod->enc = fer_rds_encoder_new (station);
  mod->level = station->level > 0 ? station->level : DEFAULT_LEVEL;
  mod->bit = GROUP_BITS;   /* fetch a group first */

  /* A symbol that started u bits ago: +impulse at u = 1.75, -impulse at
   * 2.25 (the two half-bits, centred in the four-bit span), shaped. */
  const double tb = 1 / BIT_RATE_HZ;
  double peak = 0;
  for (guint k = 0; k <= PULSE_BITS * TAB_PER_BIT; k++)
    {
      double u = (double) k / TAB_PER_BIT;
      double v = shaping ((u - 1.75) * tb) - shaping ((u - 2.25) * tb);
      mod->pulse[k] = (float) v;
      peak = MAX (peak, fabs (v));
    }
  for (guint k = 0; k <= PULSE_BITS * TAB_PER_BIT; k++)
    mod->pulse[k] = (float) (mod->pulse[k] / peak);
  return mod;
}

void
fer_rds_mod_free (FerRdsMod *mod)
{
  if (mod == NULL)
    return;
  fer_rds_encoder_free (mod->enc);
  g_free (mod);
}

double
fer_rds_mod_get_level (FerRdsMod *mod)
{
  return mod->level;
}

static void
next_bit (FerRdsMod *mod)
{
  if (mod->bit == GROUP_BITS)
    {
      guint16 data[4];
      fer_rds_encoder_next_group (mod->enc, data);
      static const guint offsets[4] = { 0, 1, 2, 4 };   /* A, B, C, D */
      for (guint i = 0; i < 4; i++)
        mod->group[i] = fer_rds_encode_block (data[i], offsets[i]);
      mod->bit = 0;
    }
  guint b = mod->group[mod->bit / 26] >> (25 - mod->bit % 26) & 1;
  mod->bit++;
  mod->diff ^= b;
  for (guint i = PULSE_BITS - 1; i > 0; i--)
    mod->sym[i] = mod->sym[i - 1];
  mod->sym[0] = mod->diff ? 1.0f : -1.0f;
}

static guint32
bit_inc (double rate_hz)
{
  return (guint32) llround (BIT_RATE_HZ / rate_hz * 4294967296.0);
}

void
fer_rds_mod_render (FerRdsMod *mod, double rate_hz, float *out, gsize n)
{
  guint32 inc = bit_inc (rate_hz), ph = mod->phase;
  const float *p = mod->pulse;
  for (gsize i = 0; i < n; i++)
    {
      guint k = ph >> (32 - TAB_BITS);
      out[i] = mod->sym[0] * p[k] + mod->sym[1] * p[k + TAB_PER_BIT]
               + mod->sym[2] * p[k + 2 * TAB_PER_BIT] + mod->sym[3] * p[k + 3 * TAB_PER_BIT];
      guint32 before = ph;
      ph += inc;
      if (ph < before)
        next_bit (mod);
    }
  mod->phase = ph;
}

void
fer_rds_mod_skip (FerRdsMod *mod, double rate_hz, gsize n)
{
  guint64 total = mod->phase + (guint64) bit_inc (rate_hz) * n;
  for (guint64 k = total >> 32; k > 0; k--)
    next_bit (mod);
  mod->phase = (guint32) total;
}
