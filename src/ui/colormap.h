/* colormap.h - colour maps for the waterfall.
 *
 * A map is a lookup table of FER_COLORMAP_SIZE opaque colours from low to
 * high level. Entries are native-endian 0xAARRGGBB words: the byte order of
 * GDK_MEMORY_DEFAULT and of cairo's ARGB32, so a row of them is a texture row
 * as it is.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_COLORMAP_SIZE 256

typedef enum {
  FER_COLORMAP_TURBO,    /* dark blue → cyan → green → yellow → red: the default */
  FER_COLORMAP_CLASSIC,  /* black-blue → blue → cyan → yellow → white, always brighter */
  FER_COLORMAP_GRAY,     /* black → white */
  FER_COLORMAP_VIRIDIS,  /* dark violet → blue → green → yellow; reads the same to
                          * the colour-blind, and in grey print */
  FER_COLORMAP_CIVIDIS,  /* dark blue → grey → yellow; made for red-green colour
                          * blindness */
  FER_COLORMAP_INFERNO,  /* black → purple → orange → pale yellow */
  FER_COLORMAP_N_KINDS
} FerColormapKind;

#define FER_COLORMAP_DEFAULT FER_COLORMAP_TURBO

/* Fills @lut with the FER_COLORMAP_SIZE entries of @kind. */
void fer_colormap_fill (FerColormapKind kind, guint32 lut[FER_COLORMAP_SIZE]);

/* "turbo", "classic", "gray", "viridis", "cividis", "inferno"; parse
 * returns FALSE on anything else. */
const char *fer_colormap_name (FerColormapKind kind);
/* The name a person reads (translated), e.g. "Viridis (colour-blind safe)". */
const char *fer_colormap_label (FerColormapKind kind);
gboolean fer_colormap_parse (const char *name, FerColormapKind *out);

G_END_DECLS
