/* convert.h - raw IQ bytes to complex float.
 *
 * Output is scaled to about [-1, 1): full scale of the input format maps to 1.
 * cu8 is (b - 127.5) / 127.5, computed in vectors.
 */
#pragma once

#include <complex.h>
#include <glib.h>

#include "device/block.h"

G_BEGIN_DECLS

typedef struct _FerConverter FerConverter;

FerConverter *fer_converter_new (void);
void fer_converter_free (FerConverter *conv);
/* Converts @n_samples complex samples of @format from @in into @out. */
void fer_converter_process (FerConverter *conv, FerSampleFormat format, const guint8 *in,
                            gsize n_samples, float complex *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerConverter, fer_converter_free)

G_END_DECLS
