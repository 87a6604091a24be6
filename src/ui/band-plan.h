/* band-plan.h - who uses which frequencies: the overlay drawn on the spectrum.
 *
 * A fixed table of the common broadcast, aviation, amateur, marine and PMR
 * (licence-free radio) allocations in the three ITU regions: region 1
 * (Europe, Africa, the Middle East, North Asia), region 2 (the Americas),
 * region 3 (South Asia and the Pacific). Where a band's edges differ between
 * regions it has one entry per region. Only GLib: usable without a display.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FER_BAND_BROADCAST,
  FER_BAND_AVIATION,
  FER_BAND_AMATEUR,
  FER_BAND_MARINE,
  FER_BAND_PMR,        /* licence-free personal radio: PMR446, FRS, CB, UHF CB */
  FER_BAND_OTHER,      /* ISM, satellites, utilities */
  FER_BAND_N_KINDS
} FerBandKind;

#define FER_BAND_REGION_1 (1u << 0)
#define FER_BAND_REGION_2 (1u << 1)
#define FER_BAND_REGION_3 (1u << 2)
#define FER_BAND_ALL_REGIONS (FER_BAND_REGION_1 | FER_BAND_REGION_2 | FER_BAND_REGION_3)

typedef struct {
  double lo_hz, hi_hz;
  FerBandKind kind;
  guint regions;       /* FER_BAND_REGION_* bits */
  const char *name;    /* untranslated; show it through fer_band_plan_entry_label () */
} FerBandPlanEntry;

/* The entries of ITU @region (1, 2 or 3), in ascending frequency; returns
 * how many (a static table: nothing to free). */
guint fer_band_plan_get (guint region, const FerBandPlanEntry **entries);
/* The n-th entry of @region (as in get), or NULL past the end. */
const FerBandPlanEntry *fer_band_plan_nth (guint region, guint n);
/* The narrowest band of @region holding @freq_hz, or NULL. */
const FerBandPlanEntry *fer_band_plan_lookup (guint region, double freq_hz);

/* The entry's name for people, translated ("2 m amateur"). */
const char *fer_band_plan_entry_label (const FerBandPlanEntry *entry);
/* A colour per kind, components 0..1, readable on a dark background. */
void fer_band_kind_color (FerBandKind kind, float *red, float *green, float *blue);

G_END_DECLS
