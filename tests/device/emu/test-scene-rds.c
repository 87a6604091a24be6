/* The emulator's RDS: the groups a station sends, their biphase baseband,
 * and a scene station whose multiplex a receiver decodes. */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "device/emu/scene.h"
#include "device/emu/scene-rds.h"
#include "dsp/fft.h"
#include "dsp/rds.h"

static const FerEmitter *
default_emitter (double freq_hz)
{
  guint n;
  const FerEmitter *e = fer_scene_default_emitters (&n);
  for (guint i = 0; i < n; i++)
    if (e[i].freq_hz == freq_hz)
      return &e[i];
  g_assert_not_reached ();
}

static void
test_encoder_groups (void)
{
  /* The 100.0 MHz station: 0A and 2A in turn, a 4A at group 6 and every
   * 40th after; checkwords as the standard's code makes them. */
  const FerRdsStation *st = default_emitter (100e6)->rds;
  g_assert_nonnull (st);
  g_autoptr (FerRdsEncoder) enc = fer_rds_encoder_new (st);
  char ps[9] = "????????", rt[65];
  memset (rt, '?', 64);
  rt[64] = '\0';
  guint n_ct = 0, af_codes[4] = { 0 }, n_0a = 0;
  static const FerRdsOffset offsets[4] = { FER_RDS_OFFSET_A, FER_RDS_OFFSET_B,
                                           FER_RDS_OFFSET_C, FER_RDS_OFFSET_D };
  guint mjd = fer_rds_mjd (2026, 11, 25);
  for (guint n = 0; n < 700; n++)
    {
      guint16 g[4];
      fer_rds_encoder_next_group (enc, g);
      for (guint b = 0; b < 4; b++)
        {
          guint32 block = fer_rds_encode_block (g[b], b == 3 ? 4 : b);
          g_assert_cmphex (fer_rds_syndrome (block), ==, fer_rds_offset_word (offsets[b]));
        }
      g_assert_cmphex (g[0], ==, 0x1234);
      g_assert_cmpuint ((g[1] >> 5) & 0x1f, ==, 10);
      guint type = g[1] >> 12;
      g_assert_cmpuint ((g[1] >> 11) & 1, ==, 0);   /* version A */
      if (n % 40 == 6)
        {
          /* 4A: UTC = local 10:00 - 1 h, the minute the group starts in. */
          g_assert_cmpuint (type, ==, 4);
          double t = n * 104 / 1187.5;
          guint minute = (guint) (t / 60);
          g_assert_cmpuint (((guint) (g[1] & 3) << 15) | (g[2] >> 1), ==, mjd);
          g_assert_cmpuint (((g[2] & 1) << 4) | (g[3] >> 12), ==, 9);
          g_assert_cmpuint ((g[3] >> 6) & 0x3f, ==, minute);
          g_assert_cmpuint (g[3] & 0x3f, ==, 2);    /* +2 half hours */
          n_ct++;
          continue;
        }
      if (type == 0)
        {
          guint seg = g[1] & 3;
          ps[2 * seg] = (char) (g[3] >> 8);
          ps[2 * seg + 1] = (char) (g[3] & 0xff);
          if (n_0a < 4)
            {
              af_codes[2 * (n_0a % 2)] = g[2] >> 8;
              af_codes[2 * (n_0a % 2) + 1] = g[2] & 0xff;
            }
          n_0a++;
        }
      else
        {
          g_assert_cmpuint (type, ==, 2);
          g_assert_cmpuint ((g[1] >> 4) & 1, ==, 0);
          guint seg = g[1] & 0xf;
          g_assert_cmpuint (seg, <, 8);   /* 29 characters and the CR */
          rt[4 * seg] = (char) (g[2] >> 8);
          rt[4 * seg + 1] = (char) (g[2] & 0xff);
          rt[4 * seg + 2] = (char) (g[3] >> 8);
          rt[4 * seg + 3] = (char) (g[3] & 0xff);
        }
    }
  g_assert_cmpuint (n_ct, ==, 18);
  g_assert_cmpstr (ps, ==, "FERRITE1");
  g_assert_true (g_str_has_prefix (rt, "Ferrite demo: 1 kHz test tone\r"));
  /* AF method A: 224 + 2, 96.7 MHz (92), 101.1 MHz (136), filler 205. */
  g_assert_cmpuint (af_codes[0], ==, 226);
  g_assert_cmpuint (af_codes[1], ==, 92);
  g_assert_cmpuint (af_codes[2], ==, 136);
  g_assert_cmpuint (af_codes[3], ==, 205);
}

static void
test_baseband_spectrum (void)
{
  /* The biphase symbols shaped to end at 2375 Hz: nothing at DC, next to
   * nothing above 2.6 kHz, peak about 1. */
  const double rate = 24000;
  const guint size = 4096, frames = 24;
  g_autoptr (FerRdsMod) mod = fer_rds_mod_new (default_emitter (100e6)->rds);
  g_autofree float *x = g_new (float, size * frames);
  fer_rds_mod_render (mod, rate, x, size * frames);
  double peak = 0, mean = 0;
  for (guint i = 0; i < size * frames; i++)
    {
      peak = MAX (peak, fabsf (x[i]));
      mean += x[i];
    }
  mean /= size * frames;

  g_autoptr (FerFft) fft = fer_fft_new (size);
  g_autofree float complex *in = g_new (float complex, size);
  g_autofree float *db = g_new (float, size);
  g_autofree double *power = g_new0 (double, size);
  for (guint f = 0; f < frames; f++)
    {
      for (guint i = 0; i < size; i++)
        in[i] = x[f * size + i];
      fer_fft_power_db (fft, in, db);
      for (guint i = 0; i < size; i++)
        power[i] += pow (10, db[i] / 10);
    }
  double total = 0, above = 0, near_dc = 0;
  for (guint i = 0; i < size; i++)
    {
      double f_hz = fabs (((double) i - size / 2) * rate / size);
      total += power[i];
      if (f_hz > 2600)
        above += power[i];
      if (f_hz < 60)
        near_dc += power[i];
    }
  g_test_message ("peak %.3f, mean %.4f, above 2.6 kHz %.2e, below 60 Hz %.2e of the power",
                  peak, mean, above / total, near_dc / total);
  g_assert_cmpfloat (peak, >, 0.9);
  g_assert_cmpfloat (peak, <, 1.3);
  g_assert_cmpfloat (fabs (mean), <, 0.01);
  g_assert_cmpfloat (above / total, <, 1e-3);
  g_assert_cmpfloat (near_dc / total, <, 1e-3);
}

static void
test_skip_equals_render (void)
{
  /* A station out of view moves on exactly as one in view would. */
  const FerRdsStation *st = default_emitter (94.6e6)->rds;
  const double rate = 2.4e6;
  const gsize gap = 3 * 2400000 + 12345, n = 50000;
  g_autoptr (FerRdsMod) a = fer_rds_mod_new (st);
  g_autoptr (FerRdsMod) b = fer_rds_mod_new (st);
  g_autofree float *scratch = g_new (float, 65536);
  for (gsize done = 0; done < gap;)
    {
      gsize take = MIN (gap - done, (gsize) 65536);
      fer_rds_mod_render (a, rate, scratch, take);
      done += take;
    }
  fer_rds_mod_skip (b, rate, gap);
  g_autofree float *xa = g_new (float, n);
  g_autofree float *xb = g_new (float, n);
  fer_rds_mod_render (a, rate, xa, n);
  fer_rds_mod_render (b, rate, xb, n);
  g_assert_cmpmem (xa, n * sizeof (float), xb, n * sizeof (float));
}

/* ---- A scene station through a discriminator into the decoder ----------- */

typedef struct {
  GArray *groups;     /* guint16[4] each */
} Log;

static void
log_group (const guint16 blocks[4], guint corrected, gpointer user_data)
{
  g_array_append_vals (((Log *) user_data)->groups, blocks, 4);
}

static void
test_scene_station_decodes (void)
{
  /* 100.0 MHz alone, seen at 240 kHz: 2 s in view, 3 s away (the scene
   * only keeps its clock), 2.5 s in view again. The decoder finds the name,
   * text and clock, and after the gap the groups carry on where the time
   * says they should. */
  const double rate = 240000;
  g_autoptr (FerScene) scene = fer_scene_new (-200);
  fer_scene_add (scene, default_emitter (100e6));
  FerSceneWindow in_view = { rate, 1.0, 1, { { 100e6, FALSE, 0, 1.0, 1.0 } } };
  FerSceneWindow away = { rate, 1.0, 1, { { 90e6, FALSE, 0, 1.0, 1.0 } } };

  g_autoptr (FerRds) rds = fer_rds_new (rate);
  Log log = { g_array_new (FALSE, FALSE, sizeof (guint16)) };
  fer_rds_set_group_func (rds, log_group, &log);
  const gsize block = 4800;
  g_autofree float *iq = g_new (float, 2 * block);
  g_autofree float *mpx = g_new (float, block);
  float complex last = 1;
  const float scale = (float) (rate / (2 * G_PI * 75000));
  guint groups_before_gap = 0;
  for (guint k = 0; k < (guint) (7.5 * rate / block); k++)
    {
      double t = (double) k * block / rate;
      gboolean seen = t < 2.0 || t >= 5.0;
      fer_scene_render (scene, seen ? &in_view : &away, iq, block);
      if (!seen)
        {
          if (groups_before_gap == 0)
            groups_before_gap = log.groups->len / 4;
          continue;
        }
      for (gsize i = 0; i < block; i++)
        {
          float complex z = iq[2 * i] + I * iq[2 * i + 1];
          mpx[i] = scale * cargf (z * conjf (last));
          last = z;
        }
      fer_rds_process (rds, mpx, block);
    }

  const FerRdsState *s = fer_rds_get_state (rds);
  g_assert_cmphex (s->pi, ==, 0x1234);
  g_assert_cmpstr (s->ps, ==, "FERRITE1");
  g_assert_cmpstr (s->rt, ==, "Ferrite demo: 1 kHz test tone");
  g_autofree char *ct = fer_rds_state_dup_ct (s);
  g_assert_cmpstr (ct, ==, "2026-11-25T10:00:00+01:00");

  /* Where the sent sequence has the first group decoded after the gap. */
  g_autoptr (FerRdsEncoder) enc = fer_rds_encoder_new (default_emitter (100e6)->rds);
  guint n_sent = 100;
  g_autofree guint16 *sent = g_new (guint16, 4 * n_sent);
  for (guint i = 0; i < n_sent; i++)
    fer_rds_encoder_next_group (enc, sent + 4 * i);
  guint total = log.groups->len / 4;
  g_test_message ("%u groups before the gap, %u in all", groups_before_gap, total);
  g_assert_cmpuint (groups_before_gap, >=, 18);
  g_assert_cmpuint (total, >, groups_before_gap + 18);
  const guint16 *first_after = &g_array_index (log.groups, guint16, 4 * groups_before_gap);
  gint at = -1;
  /* Groups repeat (the cycle is 16 groups but for the clock), so look
   * where the time says: 5.0 .. 5.6 s. */
  double group_s = 104 / 1187.5;
  for (guint i = (guint) (5.0 / group_s); i < (guint) (5.6 / group_s) && at < 0; i++)
    if (memcmp (sent + 4 * i, first_after, 4 * sizeof (guint16)) == 0)
      at = (gint) i;
  g_assert_cmpint (at, >=, 0);
  g_array_free (log.groups, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/device/emu/rds/encoder-groups-100m", test_encoder_groups);
  g_test_add_func ("/device/emu/rds/baseband-spectrum", test_baseband_spectrum);
  g_test_add_func ("/device/emu/rds/skip-equals-render", test_skip_equals_render);
  g_test_add_func ("/device/emu/rds/scene-station-decodes-across-a-gap",
                   test_scene_station_decodes);
  return g_test_run ();
}
