/* band-plan.c - who uses which frequencies: the overlay drawn on the spectrum. */
#define G_LOG_DOMAIN "fer-ui"

#include "band-plan.h"

#include <glib/gi18n.h>

#define R1 FER_BAND_REGION_1
#define R2 FER_BAND_REGION_2
#define R3 FER_BAND_REGION_3
#define ALL FER_BAND_ALL_REGIONS
#define KHZ 1e3
#define MHZ 1e6

/* Ascending by lower edge. The ITU Radio Regulations' allocations as
 * amateurs and listeners know them; national plans differ in the details. */
static const FerBandPlanEntry table[] = {
  { 148.5 * KHZ, 283.5 * KHZ, FER_BAND_BROADCAST, R1, N_("Long wave broadcast") },
  { 526.5 * KHZ, 1606.5 * KHZ, FER_BAND_BROADCAST, R1 | R3, N_("Medium wave broadcast") },
  { 525 * KHZ, 1705 * KHZ, FER_BAND_BROADCAST, R2, N_("Medium wave broadcast") },
  { 1.81 * MHZ, 2.0 * MHZ, FER_BAND_AMATEUR, R1, N_("160 m amateur") },
  { 1.8 * MHZ, 2.0 * MHZ, FER_BAND_AMATEUR, R2 | R3, N_("160 m amateur") },
  { 2.3 * MHZ, 2.495 * MHZ, FER_BAND_BROADCAST, ALL, N_("120 m broadcast") },
  { 3.2 * MHZ, 3.4 * MHZ, FER_BAND_BROADCAST, ALL, N_("90 m broadcast") },
  { 3.5 * MHZ, 3.8 * MHZ, FER_BAND_AMATEUR, R1, N_("80 m amateur") },
  { 3.5 * MHZ, 4.0 * MHZ, FER_BAND_AMATEUR, R2, N_("80 m amateur") },
  { 3.5 * MHZ, 3.9 * MHZ, FER_BAND_AMATEUR, R3, N_("80 m amateur") },
  { 3.9 * MHZ, 4.0 * MHZ, FER_BAND_BROADCAST, R1 | R3, N_("75 m broadcast") },
  { 4.75 * MHZ, 5.06 * MHZ, FER_BAND_BROADCAST, ALL, N_("60 m broadcast") },
  { 5.3515 * MHZ, 5.3665 * MHZ, FER_BAND_AMATEUR, ALL, N_("60 m amateur") },
  { 5.9 * MHZ, 6.2 * MHZ, FER_BAND_BROADCAST, ALL, N_("49 m broadcast") },
  { 7.0 * MHZ, 7.2 * MHZ, FER_BAND_AMATEUR, R1 | R3, N_("40 m amateur") },
  { 7.0 * MHZ, 7.3 * MHZ, FER_BAND_AMATEUR, R2, N_("40 m amateur") },
  { 7.2 * MHZ, 7.45 * MHZ, FER_BAND_BROADCAST, R1 | R3, N_("41 m broadcast") },
  { 7.3 * MHZ, 7.4 * MHZ, FER_BAND_BROADCAST, R2, N_("41 m broadcast") },
  { 9.4 * MHZ, 9.9 * MHZ, FER_BAND_BROADCAST, ALL, N_("31 m broadcast") },
  { 10.1 * MHZ, 10.15 * MHZ, FER_BAND_AMATEUR, ALL, N_("30 m amateur") },
  { 11.6 * MHZ, 12.1 * MHZ, FER_BAND_BROADCAST, ALL, N_("25 m broadcast") },
  { 13.57 * MHZ, 13.87 * MHZ, FER_BAND_BROADCAST, ALL, N_("22 m broadcast") },
  { 14.0 * MHZ, 14.35 * MHZ, FER_BAND_AMATEUR, ALL, N_("20 m amateur") },
  { 15.1 * MHZ, 15.8 * MHZ, FER_BAND_BROADCAST, ALL, N_("19 m broadcast") },
  { 17.48 * MHZ, 17.9 * MHZ, FER_BAND_BROADCAST, ALL, N_("16 m broadcast") },
  { 18.068 * MHZ, 18.168 * MHZ, FER_BAND_AMATEUR, ALL, N_("17 m amateur") },
  { 18.9 * MHZ, 19.02 * MHZ, FER_BAND_BROADCAST, ALL, N_("15 m broadcast") },
  { 21.0 * MHZ, 21.45 * MHZ, FER_BAND_AMATEUR, ALL, N_("15 m amateur") },
  { 21.45 * MHZ, 21.85 * MHZ, FER_BAND_BROADCAST, ALL, N_("13 m broadcast") },
  { 24.89 * MHZ, 24.99 * MHZ, FER_BAND_AMATEUR, ALL, N_("12 m amateur") },
  { 25.67 * MHZ, 26.1 * MHZ, FER_BAND_BROADCAST, ALL, N_("11 m broadcast") },
  { 26.965 * MHZ, 27.405 * MHZ, FER_BAND_PMR, ALL, N_("CB radio") },
  { 28.0 * MHZ, 29.7 * MHZ, FER_BAND_AMATEUR, ALL, N_("10 m amateur") },
  { 50.0 * MHZ, 52.0 * MHZ, FER_BAND_AMATEUR, R1, N_("6 m amateur") },
  { 50.0 * MHZ, 54.0 * MHZ, FER_BAND_AMATEUR, R2 | R3, N_("6 m amateur") },
  { 70.0 * MHZ, 70.5 * MHZ, FER_BAND_AMATEUR, R1, N_("4 m amateur") },
  { 76.0 * MHZ, 95.0 * MHZ, FER_BAND_BROADCAST, R3, N_("FM broadcast (Japan)") },
  { 87.5 * MHZ, 108.0 * MHZ, FER_BAND_BROADCAST, R1 | R3, N_("FM broadcast") },
  { 88.0 * MHZ, 108.0 * MHZ, FER_BAND_BROADCAST, R2, N_("FM broadcast") },
  { 108.0 * MHZ, 117.975 * MHZ, FER_BAND_AVIATION, ALL, N_("Aviation navigation") },
  { 117.975 * MHZ, 137.0 * MHZ, FER_BAND_AVIATION, ALL, N_("Aviation voice (AM)") },
  { 137.0 * MHZ, 138.0 * MHZ, FER_BAND_OTHER, ALL, N_("Weather satellites") },
  { 144.0 * MHZ, 146.0 * MHZ, FER_BAND_AMATEUR, R1, N_("2 m amateur") },
  { 144.0 * MHZ, 148.0 * MHZ, FER_BAND_AMATEUR, R2 | R3, N_("2 m amateur") },
  { 156.0 * MHZ, 162.025 * MHZ, FER_BAND_MARINE, ALL, N_("Marine VHF") },
  { 174.0 * MHZ, 240.0 * MHZ, FER_BAND_BROADCAST, R1, N_("DAB digital radio") },
  { 222.0 * MHZ, 225.0 * MHZ, FER_BAND_AMATEUR, R2, N_("1.25 m amateur") },
  { 420.0 * MHZ, 450.0 * MHZ, FER_BAND_AMATEUR, R2, N_("70 cm amateur") },
  { 430.0 * MHZ, 440.0 * MHZ, FER_BAND_AMATEUR, R1 | R3, N_("70 cm amateur") },
  { 433.05 * MHZ, 434.79 * MHZ, FER_BAND_OTHER, R1, N_("433 MHz ISM") },
  { 446.0 * MHZ, 446.2 * MHZ, FER_BAND_PMR, R1, N_("PMR446") },
  { 462.55 * MHZ, 467.725 * MHZ, FER_BAND_PMR, R2, N_("FRS/GMRS") },
  { 476.425 * MHZ, 477.4125 * MHZ, FER_BAND_PMR, R3, N_("UHF CB") },
  { 863.0 * MHZ, 870.0 * MHZ, FER_BAND_OTHER, R1, N_("868 MHz SRD") },
  { 902.0 * MHZ, 928.0 * MHZ, FER_BAND_OTHER, R2, N_("915 MHz ISM") },
  { 1087.0 * MHZ, 1093.0 * MHZ, FER_BAND_AVIATION, ALL, N_("ADS-B (1090 MHz)") },
  { 1240.0 * MHZ, 1300.0 * MHZ, FER_BAND_AMATEUR, ALL, N_("23 cm amateur") },
};

/* Per region, filled once, in the table's order. */
static guint region_len[3];
static FerBandPlanEntry region_entries[3][G_N_ELEMENTS (table)];

static void
ensure_regions (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint r = 0; r < 3; r++)
        for (guint i = 0; i < G_N_ELEMENTS (table); i++)
          if (table[i].regions & (1u << r))
            region_entries[r][region_len[r]++] = table[i];
      g_once_init_leave (&done, 1);
    }
}

guint
fer_band_plan_get (guint region, const FerBandPlanEntry **entries)
{
  g_return_val_if_fail (region >= 1 && region <= 3, 0);
  ensure_regions ();
  *entries = region_entries[region - 1];
  return region_len[region - 1];
}

const FerBandPlanEntry *
fer_band_plan_nth (guint region, guint n)
{
  const FerBandPlanEntry *entries;
  guint len = fer_band_plan_get (region, &entries);

  return n < len ? &entries[n] : NULL;
}

const FerBandPlanEntry *
fer_band_plan_lookup (guint region, double freq_hz)
{
  const FerBandPlanEntry *entries, *best = NULL;
  guint len = fer_band_plan_get (region, &entries);

  for (guint i = 0; i < len; i++)
    if (freq_hz >= entries[i].lo_hz && freq_hz < entries[i].hi_hz
        && (best == NULL || entries[i].hi_hz - entries[i].lo_hz < best->hi_hz - best->lo_hz))
      best = &entries[i];
  return best;
}

const char *
fer_band_plan_entry_label (const FerBandPlanEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return _(entry->name);
}

void
fer_band_kind_color (FerBandKind kind, float *red, float *green, float *blue)
{
  /* distinct in hue and in lightness, so they read apart without colour too */
  static const float colors[FER_BAND_N_KINDS][3] = {
    [FER_BAND_BROADCAST] = { 0.30f, 0.55f, 1.00f },
    [FER_BAND_AVIATION] = { 0.20f, 0.85f, 0.85f },
    [FER_BAND_AMATEUR] = { 0.35f, 0.85f, 0.35f },
    [FER_BAND_MARINE] = { 0.10f, 0.55f, 0.55f },
    [FER_BAND_PMR] = { 1.00f, 0.60f, 0.15f },
    [FER_BAND_OTHER] = { 0.70f, 0.50f, 0.90f },
  };

  g_return_if_fail ((guint) kind < FER_BAND_N_KINDS);
  *red = colors[kind][0];
  *green = colors[kind][1];
  *blue = colors[kind][2];
}
