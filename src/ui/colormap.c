/* colormap.c - colour maps for the waterfall. */
#define G_LOG_DOMAIN "fer-ui"

#include "colormap.h"

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

/* Piecewise linear through control points: the noise floor stays nearly
 * black-blue so that weak carriers stand out, strong ones go yellow to red. */
static guint32
classic (double x)
{
  static const struct { double x, r, g, b; } stops[] = {
    { 0.00, 0.00, 0.00, 0.08 },
    { 0.20, 0.00, 0.05, 0.45 },
    { 0.40, 0.00, 0.55, 0.85 },
    { 0.60, 0.20, 0.80, 0.55 },
    { 0.80, 1.00, 0.80, 0.00 },
    { 1.00, 1.00, 1.00, 0.90 },
  };
  guint i = 1;

  while (i < G_N_ELEMENTS (stops) - 1 && x > stops[i].x)
    i++;
  double t = (x - stops[i - 1].x) / (stops[i].x - stops[i - 1].x);
  t = CLAMP (t, 0.0, 1.0);
  return pack_rgb (stops[i - 1].r + t * (stops[i].r - stops[i - 1].r),
                   stops[i - 1].g + t * (stops[i].g - stops[i - 1].g),
                   stops[i - 1].b + t * (stops[i].b - stops[i - 1].b));
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
          lut[i] = classic (x);
          break;
        case FER_COLORMAP_GRAY:
          lut[i] = pack_rgb (x, x, x);
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
};

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
