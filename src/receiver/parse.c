#define G_LOG_DOMAIN "fer-parse"

#include "parse.h"

#include <math.h>
#include <string.h>

gboolean
fer_parse_frequency (const char *text, double *hz_out)
{
  if (text == NULL)
    return FALSE;

  g_autofree char *s = g_strstrip (g_strdup (text));
  /* A decimal comma is a decimal point; a number never groups thousands here. */
  for (char *p = s; *p; p++)
    if (*p == ',')
      *p = '.';
  if (*s == '\0')
    return FALSE;

  char *end = NULL;
  double value = g_ascii_strtod (s, &end);
  if (end == s || !isfinite (value))
    return FALSE;

  while (*end == ' ')
    end++;
  double scale = 1.0;
  switch (*end)
    {
    case 'k': case 'K': scale = 1e3; end++; break;
    case 'm': case 'M': scale = 1e6; end++; break;
    case 'g': case 'G': scale = 1e9; end++; break;
    default: break;
    }
  if (g_ascii_strcasecmp (end, "hz") == 0)
    end += 2;
  if (*end != '\0')
    return FALSE;

  value *= scale;
  if (!isfinite (value))
    return FALSE;
  *hz_out = value;
  return TRUE;
}

char *
fer_format_frequency (double hz)
{
  double a = fabs (hz);
  if (a >= 1e9)
    return g_strdup_printf ("%.6f GHz", hz / 1e9);
  if (a >= 1e6)
    return g_strdup_printf ("%.3f MHz", hz / 1e6);
  if (a >= 1e3)
    return g_strdup_printf ("%.3f kHz", hz / 1e3);
  return g_strdup_printf ("%.0f Hz", hz);
}

char *
fer_format_rate (double samples_per_second)
{
  if (samples_per_second >= 1e6)
    return g_strdup_printf ("%.3f MS/s", samples_per_second / 1e6);
  return g_strdup_printf ("%.3f kS/s", samples_per_second / 1e3);
}
