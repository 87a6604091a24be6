/* rds-test-util.c - the RDS tests' station, groups and multiplex. */
#include "rds-test-util.h"

#include <math.h>
#include <string.h>

const FerRdsStation rds_test_station = {
  .pi = 0xC3A1, .pty = 10, .tp = TRUE, .ps = "TEST FM1",
  .rt = "Ferrite RDS test: the quick brown fox jumps over 1",
  .n_af = 9, .af_mhz = { 88.1, 90.4, 92.7, 95.0, 97.3, 99.6, 101.9, 104.2, 107.9 },
  .ct_year = 2026, .ct_month = 11, .ct_day = 25, .ct_hour = 10, .ct_minute = 0,
  .ct_offset_min = 60,
};

GArray *
rds_test_sent_groups (const FerRdsStation *station, guint n)
{
  g_autoptr (FerRdsEncoder) enc = fer_rds_encoder_new (station);
  GArray *a = g_array_new (FALSE, FALSE, sizeof (RdsTestGroup));
  for (guint i = 0; i < n; i++)
    {
      RdsTestGroup g = { { 0 }, 0 };
      fer_rds_encoder_next_group (enc, g.b);
      g_array_append_val (a, g);
    }
  return a;
}

void
rds_test_log_group (const guint16 blocks[4], guint corrected, gpointer user_data)
{
  RdsTestGroup g;
  memcpy (g.b, blocks, sizeof g.b);
  g.corrected = corrected;
  g_array_append_val ((GArray *) user_data, g);
}

gboolean
rds_test_group_equal (const RdsTestGroup *a, const RdsTestGroup *b)
{
  return memcmp (a->b, b->b, sizeof a->b) == 0;
}

void
rds_test_align (GArray *sent, GArray *got, guint *n_right, guint *n_wrong,
                guint *n_wrong_uncorrected, GArray *index)
{
  const guint window = 15;
  gint last = -1;
  *n_right = *n_wrong = *n_wrong_uncorrected = 0;
  for (guint i = 0; i < got->len; i++)
    {
      const RdsTestGroup *g = &g_array_index (got, RdsTestGroup, i);
      gint found = -1;
      guint from = last < 0 ? 0 : (guint) last + 1;
      guint to = last < 0 ? MIN (sent->len, 40u) : MIN (sent->len, from + window);
      for (guint k = from; k < to && found < 0; k++)
        if (rds_test_group_equal (g, &g_array_index (sent, RdsTestGroup, k)))
          found = (gint) k;
      if (found >= 0)
        {
          (*n_right)++;
          last = found;
        }
      else
        {
          (*n_wrong)++;
          if (g->corrected == 0)
            (*n_wrong_uncorrected)++;
        }
      if (index)
        g_array_append_val (index, found);
    }
}

void
rds_test_osc_init (RdsTestOsc *o, double freq_hz, double rate_hz)
{
  o->freq_norm = freq_hz / rate_hz;
  o->n = 0;
  o->z = 1;
  o->w = cexp (2 * G_PI * I * o->freq_norm);
}

void
rds_test_mpx_init (RdsTestMpx *m, const FerRdsStation *station, double rate_hz,
                   double rds_level)
{
  m->rate_hz = rate_hz;
  m->rds_level = rds_level;
  m->pilot_level = 0.1;
  rds_test_osc_init (&m->left, 1000, rate_hz);
  rds_test_osc_init (&m->right, 400, rate_hz);
  rds_test_osc_init (&m->pilot, 19000, rate_hz);
  m->mod = fer_rds_mod_new (station);
}

void
rds_test_mpx_clear (RdsTestMpx *m)
{
  fer_rds_mod_free (m->mod);
}

void
rds_test_mpx_render (RdsTestMpx *m, float *out, gsize n)
{
  while (n > 0)
    {
      gsize take = MIN (n, G_N_ELEMENTS (m->rds));
      fer_rds_mod_render (m->mod, m->rate_hz, m->rds, take);
      for (gsize i = 0; i < take; i++)
        {
          double l = cimag (rds_test_osc_next (&m->left));
          double r = cimag (rds_test_osc_next (&m->right));
          double complex p = rds_test_osc_next (&m->pilot), p2 = p * p, p3 = p2 * p;
          out[i] = (float) (0.3 * (l + r) + 0.3 * (l - r) * cimag (p2) + m->pilot_level * cimag (p)
                            + m->rds_level * m->rds[i] * cimag (p3));
        }
      out += take;
      n -= take;
    }
}
