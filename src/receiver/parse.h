/* parse.h - what people type for frequencies and rates.
 *
 * "96.3M", "96.3 MHz", "500k", "100000000", "1.2e9", "433,92M" (a decimal
 * comma too). Suffixes k/M/G (any case) and an optional "Hz".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FALSE for anything that is not a finite number with an optional suffix;
 * negative values parse (callers check ranges and say what is allowed). */
gboolean fer_parse_frequency (const char *text, double *hz_out);

/* "100.000 MHz", "433.920 MHz", "1.090000 GHz", "500.000 kHz", "800 Hz". */
char *fer_format_frequency (double hz);

/* "2.400 MS/s", "250.000 kS/s". */
char *fer_format_rate (double samples_per_second);

G_END_DECLS
