/* RDS decoded from a multiplex the test writes: clean at three rates with
 * the generator's clock off, in chunks, the text's A/B flag, without a
 * pilot. */
#include <math.h>
#include <string.h>

#include "dsp/rds.h"
#include "rds-test-util.h"

static float *
make_mpx_pilot (const FerRdsStation *station, double gen_rate_hz, gsize n, double pilot)
{
  RdsTestMpx m;
  rds_test_mpx_init (&m, station, gen_rate_hz, 0.045);
  m.pilot_level = pilot;
  float *x = g_new (float, n);
  rds_test_mpx_render (&m, x, n);
  rds_test_mpx_clear (&m);
  return x;
}

static float *
make_mpx (const FerRdsStation *station, double gen_rate_hz, gsize n)
{
  return make_mpx_pilot (station, gen_rate_hz, n, 0.1);
}

static void
check_state_is_station (const FerRdsState *s, const FerRdsStation *st)
{
  g_assert_true (s->has_pi);
  g_assert_cmphex (s->pi, ==, st->pi);
  g_assert_cmpuint (s->pty, ==, st->pty);
  g_assert_cmpint (s->tp, ==, st->tp);
  g_assert_cmpstr (s->ps, ==, st->ps);
  g_assert_cmpstr (s->rt, ==, st->rt);
  g_assert_cmpuint (s->rt_ab, ==, 0);
  g_assert_cmpuint (s->n_af, ==, st->n_af);
  for (guint i = 0; i < st->n_af; i++)
    g_assert_cmpuint (s->af_khz[i], ==, (guint) lround (st->af_mhz[i] * 1000));
  g_autofree char *ct = fer_rds_state_dup_ct (s);
  g_assert_cmpstr (ct, ==, "2026-11-25T10:00:00+01:00");
}

static void
test_clean_mpx (gconstpointer data)
{
  /* The generator's clock runs 100 ppm fast: the decoder's loops follow. */
  double rate = *(const double *) data;
  const double seconds = 6.0;
  gsize n = (gsize) (seconds * rate);
  g_autofree float *x = make_mpx (&rds_test_station, rate * (1 + 100e-6), n);
  guint n_sent = (guint) (seconds * FER_RDS_BIT_RATE_HZ / 104) + 2;
  g_autoptr (GArray) sent = rds_test_sent_groups (&rds_test_station, n_sent);

  g_autoptr (FerRds) rds = fer_rds_new (rate);
  g_autoptr (GArray) got = g_array_new (FALSE, FALSE, sizeof (RdsTestGroup));
  g_autoptr (GArray) index = g_array_new (FALSE, FALSE, sizeof (gint));
  fer_rds_set_group_func (rds, rds_test_log_group, got);
  fer_rds_process (rds, x, n);

  guint right, wrong, wrong_uncorrected;
  rds_test_align (sent, got, &right, &wrong, &wrong_uncorrected, index);
  const FerRdsState *s = fer_rds_get_state (rds);
  gint first = got->len ? g_array_index (index, gint, 0) : -1;
  g_test_message ("%.0f Hz: %u groups decoded from group %d on, %u wrong; %" G_GUINT64_FORMAT
                  " blocks corrected, %" G_GUINT64_FORMAT " bad",
                  rate, got->len, first, wrong, s->n_blocks_corrected, s->n_blocks_bad);
  g_assert_cmpuint (wrong, ==, 0);
  /* Locked within the first four groups, then every group, none corrected. */
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpint (first, <=, 3);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpint (g_array_index (index, gint, i), ==, first + (gint) i);
  g_assert_cmpuint (first + got->len, >=, (guint) (seconds * FER_RDS_BIT_RATE_HZ / 104) - 1);
  g_assert_cmpuint (s->n_blocks_bad, ==, 0);
  g_assert_cmpuint (s->n_blocks_corrected, ==, 0);
  check_state_is_station (s, &rds_test_station);
}

static void
test_chunked (void)
{
  const double rate = 240000;
  gsize n = (gsize) (3.0 * rate);
  g_autofree float *x = make_mpx (&rds_test_station, rate, n);

  g_autoptr (FerRds) whole = fer_rds_new (rate);
  g_autoptr (GArray) got_whole = g_array_new (FALSE, FALSE, sizeof (RdsTestGroup));
  fer_rds_set_group_func (whole, rds_test_log_group, got_whole);
  fer_rds_process (whole, x, n);

  g_autoptr (FerRds) parts = fer_rds_new (rate);
  g_autoptr (GArray) got_parts = g_array_new (FALSE, FALSE, sizeof (RdsTestGroup));
  fer_rds_set_group_func (parts, rds_test_log_group, got_parts);
  GRand *rand = g_rand_new_with_seed (5);
  for (gsize i = 0; i < n;)
    {
      gsize take = MIN (n - i, (gsize) g_rand_int_range (rand, 1, 5000));
      fer_rds_process (parts, x + i, take);
      i += take;
    }
  g_rand_free (rand);

  g_assert_cmpuint (got_whole->len, >, 25);
  g_assert_cmpuint (got_parts->len, ==, got_whole->len);
  for (guint i = 0; i < got_whole->len; i++)
    g_assert_true (rds_test_group_equal (&g_array_index (got_whole, RdsTestGroup, i),
                                         &g_array_index (got_parts, RdsTestGroup, i)));
  g_autofree char *a = fer_rds_state_dup_json (fer_rds_get_state (whole));
  g_autofree char *b = fer_rds_state_dup_json (fer_rds_get_state (parts));
  g_assert_cmpstr (a, ==, b);
}

static void
test_ab_flip_from_mpx (void)
{
  /* Two texts taking turns every 2 s: the shown text follows the flag. */
  FerRdsStation st = rds_test_station;
  st.rt = "First text";
  st.rt_alt = "Second text";
  st.rt_period_s = 2.0;
  const double rate = 250000;
  gsize n = (gsize) (5.0 * rate), step = 2500;
  g_autofree float *x = make_mpx (&st, rate, n);
  g_autoptr (FerRds) rds = fer_rds_new (rate);
  const FerRdsState *s = fer_rds_get_state (rds);
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  for (gsize i = 0; i < n; i += step)
    if (fer_rds_process (rds, x + i, MIN (step, n - i)))
      {
        char *line = g_strdup_printf ("%u:%s", s->rt_ab, s->rt);
        if (seen->len == 0 || strcmp (g_ptr_array_index (seen, seen->len - 1), line) != 0)
          g_ptr_array_add (seen, line);
        else
          g_free (line);
      }
  g_autofree char *joined = NULL;
  g_ptr_array_add (seen, NULL);
  joined = g_strjoinv ("|", (char **) seen->pdata);
  g_test_message ("texts: %s", joined);
  g_assert_cmpstr (joined, ==, "0:|0:First text|1:|1:Second text|0:|0:First text");
}

static void
test_no_pilot (void)
{
  /* A station without the stereo pilot: the decoder recovers the subcarrier
   * from RDS itself. */
  const double rate = 250000;
  gsize n = (gsize) (4.0 * rate);
  g_autofree float *x = make_mpx_pilot (&rds_test_station, rate, n, 0.0);
  g_autoptr (FerRds) rds = fer_rds_new (rate);
  fer_rds_process (rds, x, n);
  const FerRdsState *s = fer_rds_get_state (rds);
  g_assert_cmpuint (s->n_blocks_bad, ==, 0);
  g_assert_cmpuint (s->n_groups, >=, 40);
  g_assert_cmpstr (s->ps, ==, rds_test_station.ps);
  g_assert_cmpstr (s->rt, ==, rds_test_station.rt);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  static const double rates[] = { 228000, 250000, 300000 };
  g_test_add_data_func ("/dsp/rds/clean-mpx-every-group/228k", &rates[0], test_clean_mpx);
  g_test_add_data_func ("/dsp/rds/clean-mpx-every-group/250k", &rates[1], test_clean_mpx);
  g_test_add_data_func ("/dsp/rds/clean-mpx-every-group/300k", &rates[2], test_clean_mpx);
  g_test_add_func ("/dsp/rds/chunked-equals-whole", test_chunked);
  g_test_add_func ("/dsp/rds/text-ab-flag-clears-on-flip", test_ab_flip_from_mpx);
  g_test_add_func ("/dsp/rds/no-pilot", test_no_pilot);
  return g_test_run ();
}
