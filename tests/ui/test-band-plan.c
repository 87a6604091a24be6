/* test-band-plan.c - the band plan overlay's table. */
#include "ui/band-plan.h"

/* Each region's entries ascend, have lower < upper edges, a name and a kind. */
static void
test_well_formed (void)
{
  for (guint region = 1; region <= 3; region++)
    {
      const FerBandPlanEntry *e;
      guint n = fer_band_plan_get (region, &e);

      g_assert_cmpuint (n, >, 20);
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpfloat (e[i].lo_hz, <, e[i].hi_hz);
          g_assert_nonnull (e[i].name);
          g_assert_cmpuint (e[i].kind, <, FER_BAND_N_KINDS);
          g_assert_true (e[i].regions & (1u << (region - 1)));
          if (i > 0)
            g_assert_cmpfloat (e[i - 1].lo_hz, <=, e[i].lo_hz);
        }
      g_assert_null (fer_band_plan_nth (region, n));
      g_assert_true (fer_band_plan_nth (region, 0) == &e[0]);
    }
}

static void
assert_band (guint region, double freq_hz, FerBandKind kind, const char *name)
{
  const FerBandPlanEntry *e = fer_band_plan_lookup (region, freq_hz);

  g_assert_nonnull (e);
  g_assert_cmpint (e->kind, ==, kind);
  g_assert_cmpstr (e->name, ==, name);
}

/* What a listener knows: 100 MHz is FM broadcast everywhere, 124.35 MHz is
 * airband, 145.5 MHz is the 2 m amateur band everywhere but 146.5 MHz only
 * in region 2, PMR446 is a region 1 allocation, 27 MHz CB is everywhere,
 * 70 MHz is 4 m only in region 1. */
static void
test_lookup (void)
{
  for (guint region = 1; region <= 3; region++)
    {
      assert_band (region, 100e6, FER_BAND_BROADCAST, "FM broadcast");
      assert_band (region, 124.35e6, FER_BAND_AVIATION, "Aviation voice (AM)");
      assert_band (region, 145.5e6, FER_BAND_AMATEUR, "2 m amateur");
      assert_band (region, 27.185e6, FER_BAND_PMR, "CB radio");
    }
  assert_band (2, 146.5e6, FER_BAND_AMATEUR, "2 m amateur");
  g_assert_null (fer_band_plan_lookup (1, 146.5e6));
  assert_band (1, 446.1e6, FER_BAND_PMR, "PMR446");
  /* 446.1 MHz is inside the wider 70 cm band in region 2 */
  assert_band (2, 446.1e6, FER_BAND_AMATEUR, "70 cm amateur");
  assert_band (1, 70.2e6, FER_BAND_AMATEUR, "4 m amateur");
  g_assert_null (fer_band_plan_lookup (2, 70.2e6));
  /* the narrower band wins: 433.92 MHz is ISM inside 70 cm */
  assert_band (1, 433.92e6, FER_BAND_OTHER, "433 MHz ISM");
  g_assert_null (fer_band_plan_lookup (1, 300e6));
  g_assert_cmpstr (fer_band_plan_entry_label (fer_band_plan_lookup (1, 100e6)), ==,
                   "FM broadcast");
}

/* Kinds get colours that tell them apart. */
static void
test_colors_differ (void)
{
  for (guint a = 0; a < FER_BAND_N_KINDS; a++)
    for (guint b = a + 1; b < FER_BAND_N_KINDS; b++)
      {
        float ra, ga, ba, rb, gb, bb;

        fer_band_kind_color (a, &ra, &ga, &ba);
        fer_band_kind_color (b, &rb, &gb, &bb);
        g_assert_cmpfloat (ABS (ra - rb) + ABS (ga - gb) + ABS (ba - bb), >, 0.2);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/band-plan/well-formed", test_well_formed);
  g_test_add_func ("/ui/band-plan/lookup", test_lookup);
  g_test_add_func ("/ui/band-plan/colors-differ", test_colors_differ);
  return g_test_run ();
}
