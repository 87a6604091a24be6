#include <math.h>

#include "receiver/parse.h"

static void
test_accepts_what_people_type (void)
{
  const struct { const char *text; double hz; } cases[] = {
    { "96.3M", 96.3e6 }, { "96.3 MHz", 96.3e6 }, { "100000000", 100e6 }, { "500k", 500e3 },
    { "1.09G", 1.09e9 }, { "433,92M", 433.92e6 }, { " 145.5m ", 145.5e6 }, { "1e8", 1e8 },
    { "2.4MHz", 2.4e6 }, { "800Hz", 800 }, { "-5k", -5e3 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double hz = 0;
      g_assert_true (fer_parse_frequency (cases[i].text, &hz));
      g_assert_cmpfloat_with_epsilon (hz, cases[i].hz, 1e-3);
    }
}

static void
test_rejects_garbage (void)
{
  const char *bad[] = { "", " ", "abc", "96.3X", "M", "1.2.3", "nan", "inf", "1e400", "100 MHzz",
                        "12k3" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      double hz = 42;
      g_assert_false (fer_parse_frequency (bad[i], &hz));
      g_assert_cmpfloat (hz, ==, 42);
    }
  double hz;
  g_assert_false (fer_parse_frequency (NULL, &hz));
}

static void
test_formats (void)
{
  g_autofree char *a = fer_format_frequency (100e6);
  g_autofree char *b = fer_format_frequency (1.09e9);
  g_autofree char *c = fer_format_frequency (500e3);
  g_autofree char *d = fer_format_rate (2.4e6);
  g_autofree char *e = fer_format_rate (250e3);
  g_assert_cmpstr (a, ==, "100.000 MHz");
  g_assert_cmpstr (b, ==, "1.090000 GHz");
  g_assert_cmpstr (c, ==, "500.000 kHz");
  g_assert_cmpstr (d, ==, "2.400 MS/s");
  g_assert_cmpstr (e, ==, "250.000 kS/s");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/receiver/parse/accepts-what-people-type", test_accepts_what_people_type);
  g_test_add_func ("/receiver/parse/rejects-garbage", test_rejects_garbage);
  g_test_add_func ("/receiver/parse/formats", test_formats);
  return g_test_run ();
}
