/* test-freq-history.c - back and forward through the frequencies listened to. */
#include <math.h>

#include "ui/freq-history.h"

/* Back and forward retrace the visits; a visit after going back drops what
 * was ahead; visiting the current frequency again adds nothing. */
static void
test_back_forward (void)
{
  g_autoptr(FerFreqHistory) h = fer_freq_history_new (50);
  double f;

  g_assert_true (isnan (fer_freq_history_get_current (h)));
  g_assert_false (fer_freq_history_back (h, &f));
  fer_freq_history_visit (h, 100e6);
  fer_freq_history_visit (h, 101e6);
  fer_freq_history_visit (h, 101e6);
  fer_freq_history_visit (h, 145.5e6);
  g_assert_cmpuint (fer_freq_history_get_length (h), ==, 3);
  g_assert_false (fer_freq_history_can_go_forward (h));

  g_assert_true (fer_freq_history_back (h, &f));
  g_assert_cmpfloat (f, ==, 101e6);
  g_assert_true (fer_freq_history_back (h, &f));
  g_assert_cmpfloat (f, ==, 100e6);
  g_assert_false (fer_freq_history_back (h, &f));
  g_assert_cmpfloat (f, ==, 100e6);
  g_assert_true (fer_freq_history_forward (h, &f));
  g_assert_cmpfloat (f, ==, 101e6);
  g_assert_cmpfloat (fer_freq_history_get_current (h), ==, 101e6);

  /* a new path from 101 MHz: 145.5 MHz is gone from ahead */
  fer_freq_history_visit (h, 124.35e6);
  g_assert_false (fer_freq_history_can_go_forward (h));
  g_assert_cmpuint (fer_freq_history_get_length (h), ==, 3);
  g_assert_true (fer_freq_history_back (h, &f));
  g_assert_cmpfloat (f, ==, 101e6);
  g_assert_true (fer_freq_history_forward (h, &f));
  g_assert_cmpfloat (f, ==, 124.35e6);
}

/* Only the newest entries are kept. */
static void
test_limit (void)
{
  g_autoptr(FerFreqHistory) h = fer_freq_history_new (5);
  double f = 0;
  guint n = 0;

  for (guint i = 0; i < 12; i++)
    fer_freq_history_visit (h, 1e6 * i);
  g_assert_cmpuint (fer_freq_history_get_length (h), ==, 5);
  while (fer_freq_history_back (h, &f))
    n++;
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (f, ==, 7e6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/freq-history/back-forward", test_back_forward);
  g_test_add_func ("/ui/freq-history/limit", test_limit);
  return g_test_run ();
}
