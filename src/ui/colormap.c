/* colormap.c - colour maps for the waterfall. */
#define G_LOG_DOMAIN "fer-ui"

#include "colormap.h"

#include <glib/gi18n.h>
#include <math.h>

static guint32
pack_rgb (double r, double g, double b)
{
  guint32 r8 = (guint32) lround (CLAMP (r, 0.0, 1.0) * 255.0);
  guint32 g8 = (guint32) lround (CLAMP (g, 0.0, 1.0) * 255.0);
  guint32 b8 = (guint32) lround (CLAMP (b, 0.0, 1.0) * 255.0);

  return 0xff000000u | (r8 << 16) | (g8 << 8) | b8;
}

/* Turbo, from its published polynomial fit (degree 5 per channel); close
 * enough to the reference table that nobody can tell on a waterfall. */
static guint32
turbo (double x)
{
  static const double red[6] = { 0.13572138, 4.61539260, -42.66032258, 132.13108234,
                                 -152.94239396, 59.28637943 };
  static const double green[6] = { 0.09140261, 2.19418839, 4.84296658, -14.18503333,
                                   4.27729857, 2.82956604 };
  static const double blue[6] = { 0.10667330, 12.64194608, -60.58204836, 110.36276771,
                                  -89.90310912, 27.34824973 };
  double r = 0, g = 0, b = 0;

  /* Horner, highest power first */
  for (int i = 5; i >= 0; i--)
    {
      r = r * x + red[i];
      g = g * x + green[i];
      b = b * x + blue[i];
    }
  return pack_rgb (r, g, b);
}

typedef struct {
  double x, r, g, b;
} Stop;

/* Piecewise linear through @stops (x ascending from 0 to 1). */
static guint32
through_stops (const Stop *stops, guint n, double x)
{
  guint i = 1;
  double t;

  while (i < n - 1 && x > stops[i].x)
    i++;
  t = (x - stops[i - 1].x) / (stops[i].x - stops[i - 1].x);
  t = CLAMP (t, 0.0, 1.0);
  return pack_rgb (stops[i - 1].r + t * (stops[i].r - stops[i - 1].r),
                   stops[i - 1].g + t * (stops[i].g - stops[i - 1].g),
                   stops[i - 1].b + t * (stops[i].b - stops[i - 1].b));
}

/* The noise floor stays nearly black-blue so that weak carriers stand out,
 * strong ones go yellow to white. */
static const Stop classic_stops[] = {
  { 0.00, 0.00, 0.00, 0.08 },
  { 0.20, 0.00, 0.05, 0.45 },
  { 0.40, 0.00, 0.55, 0.85 },
  { 0.60, 0.20, 0.80, 0.55 },
  { 0.80, 1.00, 0.80, 0.00 },
  { 1.00, 1.00, 1.00, 0.90 },
};

/* Cividis, every 32nd entry of its published 256-entry table: between them
 * it is nearly straight, so linear steps stay within a level or two. */
static const Stop cividis_stops[] = {
  { 0 / 255.0, 0.000000, 0.135112, 0.304751 },
  { 32 / 255.0, 0.103401, 0.220406, 0.435790 },
  { 64 / 255.0, 0.263738, 0.307831, 0.422789 },
  { 96 / 255.0, 0.380830, 0.395164, 0.435653 },
  { 128 / 255.0, 0.488697, 0.485318, 0.471008 },
  { 160 / 255.0, 0.609105, 0.579816, 0.463638 },
  { 192 / 255.0, 0.736488, 0.680629, 0.424028 },
  { 224 / 255.0, 0.870717, 0.789572, 0.343333 },
  { 255 / 255.0, 0.995737, 0.909344, 0.217772 },
};

/* Degree-6 polynomial fits (per channel, lowest power first) of the
 * perceptually uniform maps; off by under 1 % from the reference tables. */
static const double viridis_poly[3][7] = {
  { 0.2777273272234177, 0.1050930431085774, -0.3308618287255563, -4.634230498983486,
    6.228269936347081, 4.776384997670288, -5.435455855934631 },
  { 0.005407344544966578, 1.404613529898575, 0.214847559468213, -5.799100973351585,
    14.17993336680509, -13.74514537774601, 4.645852612178535 },
  { 0.3340998053353061, 1.384590162594685, 0.09509516302823659, -19.33244095627987,
    56.69055260068105, -65.35303263337234, 26.3124352495832 },
};

static const double inferno_poly[3][7] = {
  { 0.0002189403691192265, 0.1065134194856116, 11.60249308247187, -41.70399613139459,
    77.162935699427, -71.31942824499214, 25.13112622477341 },
  { 0.001651004631001012, 0.5639564367884091, -3.972853965665698, 17.43639888205313,
    -33.40235894210092, 32.62606426397723, -12.24266895238567 },
  { -0.01948089843709184, 3.932712388889277, -15.9423941062914, 44.35414519872813,
    -81.80730925738993, 73.20951985803202, -23.07032500287172 },
};

static guint32
poly6 (const double poly[3][7], double x)
{
  double c[3];

  for (int ch = 0; ch < 3; ch++)
    {
      c[ch] = 0;
      for (int i = 6; i >= 0; i--)
        c[ch] = c[ch] * x + poly[ch][i];
    }
  return pack_rgb (c[0], c[1], c[2]);
}

void
fer_colormap_fill (FerColormapKind kind, guint32 lut[FER_COLORMAP_SIZE])
{
  for (guint i = 0; i < FER_COLORMAP_SIZE; i++)
    {
      double x = (double) i / (FER_COLORMAP_SIZE - 1);

      switch (kind)
        {
        case FER_COLORMAP_CLASSIC:
          lut[i] = through_stops (classic_stops, G_N_ELEMENTS (classic_stops), x);
          break;
        case FER_COLORMAP_GRAY:
          lut[i] = pack_rgb (x, x, x);
          break;
        case FER_COLORMAP_VIRIDIS:
          lut[i] = poly6 (viridis_poly, x);
          break;
        case FER_COLORMAP_CIVIDIS:
          lut[i] = through_stops (cividis_stops, G_N_ELEMENTS (cividis_stops), x);
          break;
        case FER_COLORMAP_INFERNO:
          lut[i] = poly6 (inferno_poly, x);
          break;
        case FER_COLORMAP_TURBO:
        default:
          lut[i] = turbo (x);
          break;
        }
    }
}

static const char *const names[] = {
  [FER_COLORMAP_TURBO] = "turbo",
  [FER_COLORMAP_CLASSIC] = "classic",
  [FER_COLORMAP_GRAY] = "gray",
  [FER_COLORMAP_VIRIDIS] = "viridis",
  [FER_COLORMAP_CIVIDIS] = "cividis",
  [FER_COLORMAP_INFERNO] = "inferno",
};

static const char *const labels[] = {
  [FER_COLORMAP_TURBO] = N_("Turbo"),
  [FER_COLORMAP_CLASSIC] = N_("Classic"),
  [FER_COLORMAP_GRAY] = N_("Grey"),
  [FER_COLORMAP_VIRIDIS] = N_("Viridis (colour-blind safe)"),
  [FER_COLORMAP_CIVIDIS] = N_("Cividis (colour-blind safe)"),
  [FER_COLORMAP_INFERNO] = N_("Inferno"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (names) == FER_COLORMAP_N_KINDS);
G_STATIC_ASSERT (G_N_ELEMENTS (labels) == FER_COLORMAP_N_KINDS);

const char *
fer_colormap_label (FerColormapKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (labels), NULL);
  return _(labels[kind]);
}

const char *
fer_colormap_name (FerColormapKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), NULL);
  return names[kind];
}

gboolean
fer_colormap_parse (const char *name, FerColormapKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *out = (FerColormapKind) i;
        return TRUE;
      }
  return FALSE;
}
