#define G_LOG_DOMAIN "fer-dsp"

#include "rds-groups.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

/* A new PI is believed after this many groups in a row carry it. */
#define PI_SWITCH_GROUPS 3

/* ---- Characters -------------------------------------------------------------- */

/* The upper half of the RDS character table (0x80..0xff) as Unicode; the
 * lower half is taken as ASCII, as encoders send it. */
static const guint16 g0_upper[128] = {
  0x00E1, 0x00E0, 0x00E9, 0x00E8, 0x00ED, 0x00EC, 0x00F3, 0x00F2,
  0x00FA, 0x00F9, 0x00D1, 0x00C7, 0x015E, 0x00DF, 0x00A1, 0x0132,
  0x00E2, 0x00E4, 0x00EA, 0x00EB, 0x00EE, 0x00EF, 0x00F4, 0x00F6,
  0x00FB, 0x00FC, 0x00F1, 0x00E7, 0x015F, 0x011F, 0x0131, 0x0133,
  0x00AA, 0x03B1, 0x00A9, 0x2030, 0x011E, 0x011B, 0x0148, 0x0151,
  0x03C0, 0x20AC, 0x00A3, 0x0024, 0x2190, 0x2191, 0x2192, 0x2193,
  0x00BA, 0x00B9, 0x00B2, 0x00B3, 0x00B1, 0x0130, 0x0144, 0x0171,
  0x00B5, 0x00BF, 0x00F7, 0x00B0, 0x00BC, 0x00BD, 0x00BE, 0x00A7,
  0x00C1, 0x00C0, 0x00C9, 0x00C8, 0x00CD, 0x00CC, 0x00D3, 0x00D2,
  0x00DA, 0x00D9, 0x0158, 0x010C, 0x0160, 0x017D, 0x00D0, 0x013F,
  0x00C2, 0x00C4, 0x00CA, 0x00CB, 0x00CE, 0x00CF, 0x00D4, 0x00D6,
  0x00DB, 0x00DC, 0x0159, 0x010D, 0x0161, 0x017E, 0x0111, 0x0140,
  0x00C3, 0x00C5, 0x00C6, 0x0152, 0x0177, 0x00DD, 0x00D5, 0x00D8,
  0x00DE, 0x014A, 0x0154, 0x0106, 0x015A, 0x0179, 0x0166, 0x00F0,
  0x00E3, 0x00E5, 0x00E6, 0x0153, 0x0175, 0x00FD, 0x00F5, 0x00F8,
  0x00FE, 0x014B, 0x0155, 0x0107, 0x015B, 0x017A, 0x0167, 0x0020,
};

/* Converts @n RDS characters to UTF-8 in @out (room for 3 n + 1 bytes). */
static void
to_utf8 (const guint8 *raw, guint n, char *out)
{
  char *p = out;
  for (guint i = 0; i < n; i++)
    {
      guint8 c = raw[i];
      gunichar u = c >= 0x80 ? g0_upper[c - 0x80] : (c < 0x20 || c == 0x7f) ? ' ' : c;
      p += g_unichar_to_utf8 (u, p);
    }
  *p = '\0';
}

const char *
fer_rds_pty_name (guint pty)
{
  /* Marked only: the display translates them with _(). */
  static const char *const names[32] = {
    N_("None"), N_("News"), N_("Current affairs"), N_("Information"), N_("Sport"),
    N_("Education"), N_("Drama"), N_("Culture"), N_("Science"), N_("Varied"),
    N_("Pop music"), N_("Rock music"), N_("Easy listening"), N_("Light classical"),
    N_("Serious classical"), N_("Other music"), N_("Weather"), N_("Finance"),
    N_("Children's programmes"), N_("Social affairs"), N_("Religion"), N_("Phone-in"),
    N_("Travel"), N_("Leisure"), N_("Jazz music"), N_("Country music"),
    N_("National music"), N_("Oldies music"), N_("Folk music"), N_("Documentary"),
    N_("Alarm test"), N_("Alarm"),
  };
  return pty < 32 ? names[pty] : NULL;
}

static void
reset_text (FerRdsParser *p)
{
  memset (p->ps_raw, ' ', sizeof p->ps_raw);
  p->ps_mask = 0;
  memset (p->rt_raw, ' ', sizeof p->rt_raw);
  p->rt_mask = 0;
  p->rt_seen = FALSE;
  p->rt_version_b = FALSE;
  p->af_expect = 0;
  p->af_n = 0;
  p->af_skip_next = FALSE;
}

/* ---- Groups ---------------------------------------------------------------------- */

void
fer_rds_parser_reset (FerRdsParser *p)
{
  reset_text (p);
  p->pi_known = FALSE;
  p->pi_other_count = 0;
  p->have_pending = FALSE;
  guint seq = p->state.change_seq;
  memset (&p->state, 0, sizeof p->state);
  p->state.change_seq = seq + 1;
}

static void
set_flag (gboolean *field, gboolean value, gboolean *changed)
{
  if (*field != value)
    {
      *field = value;
      *changed = TRUE;
    }
}

static void
parse_ps (FerRdsParser *p, guint addr, guint16 chars, gboolean trusted, gboolean *changed)
{
  guint8 c0 = chars >> 8, c1 = chars & 0xff;
  if (!trusted && (p->ps_raw[2 * addr] != c0 || p->ps_raw[2 * addr + 1] != c1))
    return;
  p->ps_raw[2 * addr] = c0;
  p->ps_raw[2 * addr + 1] = c1;
  p->ps_mask |= 1u << addr;
  if (p->ps_mask != 0xf)
    return;
  /* All four segments since the last time: show the name. */
  p->ps_mask = 0;
  char ps[sizeof p->state.ps];
  to_utf8 (p->ps_raw, FER_RDS_PS_CHARS, ps);
  if (strcmp (ps, p->state.ps) != 0)
    {
      strcpy (p->state.ps, ps);
      *changed = TRUE;
    }
}

static void
parse_af_code (FerRdsParser *p, guint code, gboolean first)
{
  if (p->af_skip_next)
    {
      p->af_skip_next = FALSE;
      return;
    }
  if (code >= 224 && code <= 249)
    {
      /* A new list of code - 224 frequencies starts (only the first code of a group may say so). */
      if (first)
        {
          p->af_expect = code - 224;
          p->af_n = 0;
        }
      return;
    }
  if (code == 250)
    {
      p->af_skip_next = TRUE;
      return;
    }
  if (code < 1 || code > 204 || p->af_expect == 0)
    return;
  guint khz = 87500 + 100 * code;
  for (guint i = 0; i < p->af_n; i++)
    if (p->af_pending[i] == khz)
      return;
  if (p->af_n < FER_RDS_MAX_AF)
    p->af_pending[p->af_n++] = khz;
}

static void
parse_af (FerRdsParser *p, guint16 block_c, gboolean *changed)
{
  parse_af_code (p, block_c >> 8, TRUE);
  parse_af_code (p, block_c & 0xff, FALSE);
  if (p->af_expect == 0 || p->af_n < p->af_expect)
    return;
  FerRdsState *s = &p->state;
  if (s->n_af != p->af_n || memcmp (s->af_khz, p->af_pending, p->af_n * sizeof (guint)) != 0)
    {
      s->n_af = p->af_n;
      memcpy (s->af_khz, p->af_pending, p->af_n * sizeof (guint));
      *changed = TRUE;
    }
  p->af_expect = 0;
  p->af_n = 0;
}

static void
parse_rt (FerRdsParser *p, guint ab, gboolean version_b, guint addr, const guint16 *chars,
          guint n_words, gboolean trusted, gboolean *changed)
{
  FerRdsState *s = &p->state;
  guint per = 2 * n_words, size = 16 * per;
  if (!trusted)
    {
      /* A corrected group may confirm what is there, never change it. */
      if (!p->rt_seen || ab != s->rt_ab || version_b != p->rt_version_b)
        return;
      for (guint i = 0; i < n_words; i++)
        if (p->rt_raw[addr * per + 2 * i] != chars[i] >> 8
            || p->rt_raw[addr * per + 2 * i + 1] != (chars[i] & 0xff))
          return;
    }
  if (p->rt_seen && (ab != s->rt_ab || version_b != p->rt_version_b))
    {
      /* A new text: forget the old one, on screen too. */
      memset (p->rt_raw, ' ', sizeof p->rt_raw);
      p->rt_mask = 0;
      if (s->rt[0] != '\0')
        {
          s->rt[0] = '\0';
          *changed = TRUE;
        }
    }
  if (!p->rt_seen || ab != s->rt_ab)
    *changed = TRUE;
  p->rt_seen = TRUE;
  s->has_rt_ab = TRUE;
  p->rt_version_b = version_b;
  s->rt_ab = ab;

  for (guint i = 0; i < n_words; i++)
    {
      p->rt_raw[addr * per + 2 * i] = chars[i] >> 8;
      p->rt_raw[addr * per + 2 * i + 1] = chars[i] & 0xff;
    }
  p->rt_mask |= 1u << addr;

  /* Complete once every segment up to the carriage return (or all 16) is in. */
  guint len = size;
  for (guint i = 0; i < size; i++)
    if (p->rt_raw[i] == 0x0d && (p->rt_mask >> (i / per) & 1))
      {
        len = i;
        break;
      }
  guint n_seg = len == size ? 16 : len / per + 1;
  guint32 need = n_seg >= 32 ? 0xffffffffu : (1u << n_seg) - 1;
  if ((p->rt_mask & need) != need)
    return;
  p->rt_mask = 0;
  while (len > 0 && p->rt_raw[len - 1] == ' ')
    len--;
  char rt[sizeof s->rt];
  to_utf8 (p->rt_raw, len, rt);
  if (strcmp (rt, s->rt) != 0)
    {
      strcpy (s->rt, rt);
      *changed = TRUE;
    }
}

/* Date from a modified Julian day, by the standard's formulas. */
static void
mjd_to_date (guint mjd, int *year, int *month, int *day)
{
  int yp = (int) ((mjd - 15078.2) / 365.25);
  int mp = (int) ((mjd - 14956.1 - (int) (yp * 365.25)) / 30.6001);
  *day = (int) mjd - 14956 - (int) (yp * 365.25) - (int) (mp * 30.6001);
  int k = (mp == 14 || mp == 15) ? 1 : 0;
  *year = 1900 + yp + k;
  *month = mp - 1 - k * 12;
}

static void
parse_ct (FerRdsParser *p, const guint16 *g, gboolean *changed)
{
  guint mjd = ((guint) (g[1] & 3) << 15) | (g[2] >> 1);
  int hour = ((g[2] & 1) << 4) | (g[3] >> 12);
  int minute = (g[3] >> 6) & 0x3f;
  int offset = (g[3] & 0x1f) * 30 * ((g[3] & 0x20) ? -1 : 1);
  /* MJD 15079 is 1900-03-01, where the formulas start. */
  if (mjd < 15079 || hour > 23 || minute > 59 || abs (offset) > 15 * 60)
    return;
  FerRdsState *s = &p->state;
  if (s->has_ct && s->ct_mjd == mjd && s->ct_hour == hour && s->ct_minute == minute
      && s->ct_offset_min == offset)
    return;
  s->has_ct = TRUE;
  s->ct_mjd = mjd;
  mjd_to_date (mjd, &s->ct_year, &s->ct_month, &s->ct_day);
  s->ct_hour = hour;
  s->ct_minute = minute;
  s->ct_offset_min = offset;
  *changed = TRUE;
}

/* Updates the state from a group. A group that needed correction is
 * @trusted less: it may confirm what is shown (complete a name whose
 * characters it repeats) but not change anything, so the rare block the
 * code mends wrongly never reaches the screen. */
static void
parse_group (FerRdsParser *p, const guint16 *g, gboolean trusted)
{
  FerRdsState *s = &p->state;
  gboolean changed = FALSE;
  guint type = g[1] >> 12;
  gboolean version_b = (g[1] >> 11) & 1;

  if (!s->has_pi || s->pi != g[0])
    {
      s->has_pi = TRUE;
      s->pi = g[0];
      changed = TRUE;
    }
  guint pty = (g[1] >> 5) & 0x1f;
  if (trusted && (!s->has_pty || s->pty != pty))
    {
      s->has_pty = TRUE;
      s->pty = pty;
      changed = TRUE;
    }
  if (trusted)
    set_flag (&s->tp, (g[1] >> 10) & 1, &changed);

  switch (type)
    {
    case 0:
      if (trusted)
        {
          set_flag (&s->ta, (g[1] >> 4) & 1, &changed);
          set_flag (&s->music, (g[1] >> 3) & 1, &changed);
          if (!version_b)
            parse_af (p, g[2], &changed);
        }
      parse_ps (p, g[1] & 3, g[3], trusted, &changed);
      break;
    case 2:
      if (!version_b)
        parse_rt (p, (g[1] >> 4) & 1, FALSE, g[1] & 0xf, g + 2, 2, trusted, &changed);
      else
        parse_rt (p, (g[1] >> 4) & 1, TRUE, g[1] & 0xf, g + 3, 1, trusted, &changed);
      break;
    case 4:
      if (!version_b && trusted)
        parse_ct (p, g, &changed);
      break;
    default:
      break;
    }
  if (changed)
    s->change_seq++;
}

static void
deliver_group (FerRdsParser *p, const guint16 *g, guint corrected)
{
  p->state.n_groups++;
  if (p->group_func)
    p->group_func (g, corrected, p->group_data);
  parse_group (p, g, corrected == 0);
}

/* A group whose four blocks passed the code: checked against the station's
 * PI (and block C' of version B groups, which repeats it) before use. */
void
fer_rds_parser_accept (FerRdsParser *p, const guint16 *g, guint corrected)
{
  guint16 pi = g[0];
  if (((g[1] >> 11) & 1) && g[2] != pi)
    return;
  if (p->pi_known)
    {
      if (pi != p->pi)
        {
          /* Another station (a file, a retune upstream) if it persists. */
          if (p->pi_other_count > 0 && pi == p->pi_other)
            p->pi_other_count++;
          else
            {
              p->pi_other = pi;
              p->pi_other_count = 1;
            }
          if (corrected || p->pi_other_count < PI_SWITCH_GROUPS)
            return;
          /* A new station: nothing of the old one stays on show. */
          FerRdsState *s = &p->state;
          reset_text (p);
          s->has_pi = s->has_pty = s->tp = s->ta = s->music = FALSE;
          s->ps[0] = s->rt[0] = '\0';
          s->has_rt_ab = s->has_ct = FALSE;
          s->n_af = 0;
          s->change_seq++;
          p->pi = pi;
        }
      p->pi_other_count = 0;
      deliver_group (p, g, corrected);
      return;
    }
  /* Not known yet: two groups in a row with the same PI, one of them
   * uncorrected, make it known. */
  if (p->have_pending && p->pending[0] == pi && (corrected == 0 || p->pending_corrected == 0))
    {
      p->pi_known = TRUE;
      p->pi = pi;
      p->have_pending = FALSE;
      deliver_group (p, p->pending, p->pending_corrected);
      deliver_group (p, g, corrected);
      return;
    }
  memcpy (p->pending, g, sizeof p->pending);
  p->pending_corrected = corrected;
  p->have_pending = TRUE;
}

/* ---- Formatting ------------------------------------------------------------------ */

char *
fer_rds_state_dup_ct (const FerRdsState *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  if (!s->has_ct)
    return NULL;
  g_autoptr (GDateTime) utc = g_date_time_new_utc (s->ct_year, s->ct_month, s->ct_day,
                                                   s->ct_hour, s->ct_minute, 0);
  if (utc == NULL)
    return NULL;
  g_autoptr (GDateTime) local = g_date_time_add_minutes (utc, s->ct_offset_min);
  int off = ABS (s->ct_offset_min);
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s%c%02d:%02d", date, s->ct_offset_min < 0 ? '-' : '+',
                          off / 60, off % 60);
}

static void
append_json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

char *
fer_rds_state_dup_json (const FerRdsState *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  GString *out = g_string_new ("{");
  const char *sep = "";
  if (s->has_pi)
    {
      g_string_append_printf (out, "\"pi\":\"0x%04X\"", s->pi);
      sep = ",";
    }
  if (s->has_pty)
    {
      g_string_append_printf (out, "%s\"pty\":%u,\"tp\":%s,\"ta\":%s", sep, s->pty,
                              s->tp ? "true" : "false", s->ta ? "true" : "false");
      sep = ",";
    }
  if (s->ps[0] != '\0')
    {
      g_string_append_printf (out, "%s\"ps\":", sep);
      append_json_string (out, s->ps);
      sep = ",";
    }
  if (s->has_rt_ab)
    {
      g_string_append_printf (out, "%s\"rt\":", sep);
      append_json_string (out, s->rt);
      g_string_append_printf (out, ",\"ab\":%u", s->rt_ab);
      sep = ",";
    }
  g_autofree char *ct = fer_rds_state_dup_ct (s);
  if (ct != NULL)
    {
      g_string_append_printf (out, "%s\"ct\":\"%s\"", sep, ct);
      sep = ",";
    }
  if (s->n_af > 0)
    {
      g_string_append_printf (out, "%s\"af\":[", sep);
      for (guint i = 0; i < s->n_af; i++)
        g_string_append_printf (out, "%s%u.%u", i ? "," : "", s->af_khz[i] / 1000,
                                s->af_khz[i] % 1000 / 100);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}
