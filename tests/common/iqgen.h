/* iqgen.h - synthetic IQ recordings for tests, made in double precision. */
#pragma once

#include <complex.h>
#include <glib.h>

#include "device/block.h"

G_BEGIN_DECLS

/* An FM carrier at @offset_hz modulated by a @tone_hz sine at @deviation_hz
 * peak deviation, amplitude @amplitude (1 = full scale), @n samples. */
float complex *fer_iqgen_fm_tone (double rate_hz, gsize n, double offset_hz, double tone_hz,
                                  double deviation_hz, double amplitude);

/* Converts to the bytes of @format (cu8 rounds like an 8-bit ADC); returns
 * the byte count in @n_bytes. */
guint8 *fer_iqgen_encode (const float complex *iq, gsize n, FerSampleFormat format,
                          gsize *n_bytes);

/* Writes @iq encoded as @format to @path; aborts the test on failure. */
void fer_iqgen_write_file (const char *path, const float complex *iq, gsize n,
                           FerSampleFormat format);

G_END_DECLS
