/* RDS: the block code (offset words, burst correction and detection), blocks
 * in a damaged bit stream, and group parsing (PS, RT, AF, CT). */
#include <math.h>

#include "dsp/rds.h"
#include "rds-test-util.h"

/* ---- The block code --------------------------------------------------- */

static void
test_offset_syndromes (void)
{
  /* The standard lists the syndromes of its offset words as computed with its
   * parity-check matrix, which is x^-16 (= x^325, the code being cyclic of
   * length 341) times the remainder this decoder uses. Checking that ties the
   * generator polynomial and the offset words to the published table. */
  static const guint16 published[FER_RDS_N_OFFSETS] = { 0x3D8, 0x3D4, 0x25C, 0x3CC, 0x258 };
  for (guint o = 0; o < FER_RDS_N_OFFSETS; o++)
    {
      guint16 word = fer_rds_offset_word (o);
      g_assert_cmpuint (fer_rds_syndrome (word), ==, word);
      guint32 s = word;
      for (guint k = 0; k < 325; k++)
        s = fer_rds_syndrome (s << 1);
      g_assert_cmphex (s, ==, published[o]);
      for (guint k = 325; k < 341; k++)
        s = fer_rds_syndrome (s << 1);
      g_assert_cmphex (s, ==, word);
    }
  /* The emulator's encoder (written separately) makes the same blocks. */
  GRand *rand = g_rand_new_with_seed (1);
  static const guint emu_offset[FER_RDS_N_OFFSETS] = { 0, 1, 2, 3, 4 };
  for (guint i = 0; i < 2000; i++)
    {
      guint16 data = (guint16) g_rand_int (rand);
      guint o = i % FER_RDS_N_OFFSETS;
      guint32 block = fer_rds_block_encode (data, o);
      g_assert_cmphex (block, ==, fer_rds_encode_block (data, emu_offset[o]));
      g_assert_cmphex (block >> 10, ==, data);
      g_assert_cmphex (fer_rds_syndrome (block), ==, fer_rds_offset_word (o));
      guint16 out;
      g_assert_cmpint (fer_rds_block_decode (block, o, FER_RDS_MAX_BURST, &out, NULL), ==,
                       FER_RDS_BLOCK_VALID);
      g_assert_cmphex (out, ==, data);
    }
  g_rand_free (rand);
}

/* Every burst of @len bits (first and last bit set) at every position. */
static guint
n_bursts (guint len)
{
  return len == 1 ? 26 : (27 - len) * (1u << (len - 2));
}

static guint32
burst (guint len, guint i)
{
  if (len == 1)
    return 1u << i;
  guint per = 1u << (len - 2), start = i / per, mid = i % per;
  return ((1u << (len - 1)) | (mid << 1) | 1u) << start;
}

static void
test_corrects_bursts (void)
{
  GRand *rand = g_rand_new_with_seed (2);
  guint n_checked = 0;
  for (guint o = 0; o < FER_RDS_N_OFFSETS; o++)
    for (guint trial = 0; trial < 4; trial++)
      {
        guint16 data = (guint16) g_rand_int (rand);
        guint32 block = fer_rds_block_encode (data, o);
        for (guint len = 1; len <= FER_RDS_MAX_BURST; len++)
          for (guint i = 0; i < n_bursts (len); i++)
            {
              guint32 e = burst (len, i);
              guint16 out = 0;
              guint32 fixed = 0;
              g_assert_cmpint (fer_rds_block_decode (block ^ e, o, FER_RDS_MAX_BURST, &out,
                                                     &fixed), ==, FER_RDS_BLOCK_CORRECTED);
              g_assert_cmphex (out, ==, data);
              g_assert_cmphex (fixed, ==, e);
              /* With the correction limited below the burst, it is refused. */
              g_assert_cmpint (fer_rds_block_decode (block ^ e, o, len - 1, NULL, NULL), ==,
                               FER_RDS_BLOCK_INVALID);
              n_checked++;
            }
      }
  /* 367 correctable bursts a block. */
  g_assert_cmpuint (n_checked, ==, FER_RDS_N_OFFSETS * 4 * 367);
  g_rand_free (rand);
}

static void
test_detects_long_bursts (void)
{
  /* Without correction every burst of up to 10 bits is detected (the 10
   * check bits of a cyclic code); and a correction limited to bursts of 4
   * never turns a 5-bit burst into a wrong block. */
  GRand *rand = g_rand_new_with_seed (3);
  for (guint o = 0; o < FER_RDS_N_OFFSETS; o++)
    {
      guint16 data = (guint16) g_rand_int (rand);
      guint32 block = fer_rds_block_encode (data, o);
      for (guint len = 1; len <= 10; len++)
        for (guint i = 0; i < n_bursts (len); i++)
          g_assert_cmpint (fer_rds_block_decode (block ^ burst (len, i), o, 0, NULL, NULL), ==,
                           FER_RDS_BLOCK_INVALID);
      for (guint i = 0; i < n_bursts (5); i++)
        g_assert_cmpint (fer_rds_block_decode (block ^ burst (5, i), o, 4, NULL, NULL), ==,
                         FER_RDS_BLOCK_INVALID);
    }
  g_rand_free (rand);
}

/* ---- Blocks in a bit stream ------------------------------------------------ */

/* Damage as the channel does it: to symbols (before differential decoding),
 * weak (received at 0.2 of the full level) and often of the wrong sign. */
typedef enum {
  DAMAGE_NONE,
  DAMAGE_ONE_SYMBOL,      /* one weak wrong symbol: two data bits wrong */
  DAMAGE_TWO_SYMBOLS,     /* two within four symbols: a 3..5-bit burst */
  DAMAGE_HEAVY,           /* 5..9 weak symbols, random, the ends wrong: beyond the code */
  DAMAGE_FADE,            /* all 26 symbols weak and random */
  N_DAMAGE,
} Damage;

static void
damage_block (float *sym, Damage damage, GRand *rand)
{
  const float weak = 0.2f;
  switch (damage)
    {
    case DAMAGE_ONE_SYMBOL:
      {
        guint k = g_rand_int_range (rand, 0, 25);
        sym[k] = -weak * sym[k];
      }
      break;
    case DAMAGE_TWO_SYMBOLS:
      {
        guint j = g_rand_int_range (rand, 1, 4), k = g_rand_int_range (rand, 0, 25 - j);
        sym[k] = -weak * sym[k];
        sym[k + j] = -weak * sym[k + j];
      }
      break;
    case DAMAGE_HEAVY:
      {
        guint len = g_rand_int_range (rand, 5, 10), k = g_rand_int_range (rand, 0, 26 - len);
        for (guint i = k; i < k + len; i++)
          {
            gboolean flip = i == k || i == k + len - 1 || g_rand_boolean (rand);
            sym[i] = (flip ? -weak : weak) * sym[i];
          }
      }
      break;
    case DAMAGE_FADE:
      for (guint i = 0; i < 26; i++)
        sym[i] = (float) g_rand_double_range (rand, -weak, weak);
      break;
    default:
      break;
    }
}

static void
test_stream_damage (void)
{
  /* Groups in a row, every other one with one block damaged in turn in each
   * way: what the code can correct comes out right, heavier damage is
   * rejected, never accepted as a wrong group; the state stays right. */
  const guint n = 1200;
  g_autoptr (GArray) sent = rds_test_sent_groups (&rds_test_station, n);
  g_autoptr (GArray) expected = g_array_new (FALSE, FALSE, sizeof (RdsTestGroup));
  g_autofree float *sym = g_new (float, n * 104);
  GRand *rand = g_rand_new_with_seed (4);
  static const guint offsets[4] = { FER_RDS_OFFSET_A, FER_RDS_OFFSET_B, FER_RDS_OFFSET_C,
                                    FER_RDS_OFFSET_D };
  guint n_kind[N_DAMAGE] = { 0 }, level = 0;
  for (guint k = 0; k < n; k++)
    {
      const RdsTestGroup *g = &g_array_index (sent, RdsTestGroup, k);
      Damage damage = (k % 2 == 0 || k < 4) ? DAMAGE_NONE : (Damage) (1 + (k / 2) % 4);
      guint which = g_rand_int_range (rand, 0, 4);
      for (guint b = 0; b < 4; b++)
        {
          float *s = sym + k * 104 + b * 26;
          guint32 block = fer_rds_block_encode (g->b[b], offsets[b]);
          for (guint i = 0; i < 26; i++)
            {
              level ^= block >> (25 - i) & 1;   /* a 1 changes the symbol */
              s[i] = level ? 1.0f : -1.0f;
            }
          if (b == which)
            damage_block (s, damage, rand);
        }
      n_kind[damage]++;
      if (damage <= DAMAGE_TWO_SYMBOLS)
        g_array_append_val (expected, *g);
    }
  /* The decoder's own differential decoding: sign of the product, the
   * weaker of the two as reliability. */
  g_autofree float *soft = g_new (float, n * 104);
  soft[0] = 1.0f;
  for (guint i = 1; i < n * 104; i++)
    soft[i] = (sym[i] * sym[i - 1] < 0 ? 1.0f : -1.0f) * MIN (fabsf (sym[i]), fabsf (sym[i - 1]));

  g_autoptr (FerRds) rds = fer_rds_new (250000);
  g_autoptr (GArray) got = g_array_new (FALSE, FALSE, sizeof (RdsTestGroup));
  fer_rds_set_group_func (rds, rds_test_log_group, got);
  fer_rds_process_bits (rds, soft, n * 104);

  const FerRdsState *s = fer_rds_get_state (rds);
  g_test_message ("groups: %u sent (%u heavy, %u faded), %u decoded; blocks %" G_GUINT64_FORMAT
                  " corrected, %" G_GUINT64_FORMAT " rejected",
                  n, n_kind[DAMAGE_HEAVY], n_kind[DAMAGE_FADE], got->len,
                  s->n_blocks_corrected, s->n_blocks_bad);
  /* Exactly the undamaged and correctable groups, in order. */
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_true (rds_test_group_equal (&g_array_index (got, RdsTestGroup, i),
                                         &g_array_index (expected, RdsTestGroup, i)));
  g_assert_cmpuint (s->n_blocks_corrected, >=,
                    n_kind[DAMAGE_ONE_SYMBOL] + n_kind[DAMAGE_TWO_SYMBOLS]);
  g_assert_cmpuint (s->n_blocks_bad, ==, n_kind[DAMAGE_HEAVY] + n_kind[DAMAGE_FADE]);
  g_assert_true (s->synced);
  g_assert_cmpstr (s->ps, ==, rds_test_station.ps);
  g_assert_cmpstr (s->rt, ==, rds_test_station.rt);
  g_rand_free (rand);
}

/* Pushes a group as data bits; with @weak_pair, two neighbouring bits of
 * block D (one wrong symbol) arrive weak and wrong. */
static void
push_group_damaged (FerRds *rds, guint16 a, guint16 b, guint16 c, guint16 d,
                    gboolean weak_pair)
{
  gboolean version_b = (b >> 11) & 1;
  guint32 blocks[4] = {
    fer_rds_block_encode (a, FER_RDS_OFFSET_A), fer_rds_block_encode (b, FER_RDS_OFFSET_B),
    fer_rds_block_encode (c, version_b ? FER_RDS_OFFSET_C_PRIME : FER_RDS_OFFSET_C),
    fer_rds_block_encode (d, FER_RDS_OFFSET_D),
  };
  float v[104];
  for (guint i = 0; i < 104; i++)
    v[i] = (blocks[i / 26] >> (25 - i % 26) & 1) ? 1.0f : -1.0f;
  if (weak_pair)
    for (guint i = 90; i < 92; i++)
      v[i] = -0.2f * v[i];
  fer_rds_process_bits (rds, v, 104);
}

static void
push_group (FerRds *rds, guint16 a, guint16 b, guint16 c, guint16 d)
{
  push_group_damaged (rds, a, b, c, d, FALSE);
}

static void
count_group (const guint16 blocks[4], guint corrected, gpointer user_data)
{
  guint *last = user_data;
  *last = corrected;
}

static void
test_group_parsing (void)
{
  g_autoptr (FerRds) rds = fer_rds_new (250000);
  const FerRdsState *s = fer_rds_get_state (rds);
  const guint16 pi = 0x2F3C;
  /* Sync first: two groups of filler (type 15B has nothing this decoder shows). */
  push_group (rds, pi, 0xF800, pi, 0);
  push_group (rds, pi, 0xF800, pi, 0);
  g_assert_true (s->synced);

  /* 0B: PS in any order; shown only once all four segments are in. PTY 7, TA, speech. */
  guint16 b0 = (0 << 12) | (1 << 11) | (1 << 10) | (7 << 5) | (1 << 4);
  push_group (rds, pi, b0 | 2, pi, ('C' << 8) | 'D');
  push_group (rds, pi, b0 | 0, pi, ('R' << 8) | 'A');
  push_group (rds, pi, b0 | 3, pi, ('E' << 8) | 'F');
  g_assert_cmpstr (s->ps, ==, "");
  push_group (rds, pi, b0 | 1, pi, ('D' << 8) | 'I');
  g_assert_cmpstr (s->ps, ==, "RADICDEF");
  g_assert_cmphex (s->pi, ==, pi);
  g_assert_cmpuint (s->pty, ==, 7);
  g_assert_cmpstr (fer_rds_pty_name (s->pty), ==, "Culture");
  g_assert_true (s->tp && s->ta && !s->music);

  /* 2B: 32-character text in two-character segments, closed by CR; the
   * upper half of the character table comes out as UTF-8 (0x91 = a umlaut). */
  const char text[] = "Gr\x91n ok\r";
  guint16 b2 = (2 << 12) | (1 << 11) | (7 << 5);
  for (guint seg = 0; seg < 4; seg++)
    push_group (rds, pi, b2 | seg, pi,
                (guint16) ((guint8) text[2 * seg] << 8 | (guint8) text[2 * seg + 1]));
  g_assert_cmpstr (s->rt, ==, "Grän ok");
  g_assert_cmpuint (s->rt_ab, ==, 0);

  /* 2A with the A/B flag flipped: the old text goes at once; the new one
   * shows when complete. */
  guint16 b2a = (2 << 12) | (7 << 5) | (1 << 4);
  push_group (rds, pi, b2a | 0, ('N' << 8) | 'e', ('w' << 8) | ' ');
  g_assert_cmpstr (s->rt, ==, "");
  g_assert_cmpuint (s->rt_ab, ==, 1);
  push_group (rds, pi, b2a | 1, ('t' << 8) | 'e', ('x' << 8) | 't');
  g_assert_cmpstr (s->rt, ==, "");
  push_group (rds, pi, b2a | 2, ('!' << 8) | '\r', (' ' << 8) | ' ');
  g_assert_cmpstr (s->rt, ==, "New text!");

  /* 0A: AF method A: 224 + 3, then the frequencies. */
  guint16 b0a = (7 << 5);
  push_group (rds, pi, b0a | 0, (227 << 8) | 1, ('R' << 8) | 'A');
  g_assert_cmpuint (s->n_af, ==, 0);
  push_group (rds, pi, b0a | 1, (125 << 8) | 204, ('D' << 8) | 'I');
  g_assert_cmpuint (s->n_af, ==, 3);
  g_assert_cmpuint (s->af_khz[0], ==, 87600);
  g_assert_cmpuint (s->af_khz[1], ==, 100000);
  g_assert_cmpuint (s->af_khz[2], ==, 107900);

  /* 4A: 2026-03-01 04:30 UTC, offset -5:00 (local 2026-02-28 23:30). */
  guint mjd = fer_rds_mjd (2026, 3, 1);
  guint16 b4 = (4 << 12) | (7 << 5) | (mjd >> 15);
  push_group (rds, pi, b4, (guint16) ((mjd & 0x7fff) << 1 | 0),
              (guint16) (4 << 12 | 30 << 6 | 1 << 5 | 10));
  g_assert_true (s->has_ct);
  g_assert_cmpint (s->ct_year, ==, 2026);
  g_assert_cmpint (s->ct_month, ==, 3);
  g_assert_cmpint (s->ct_day, ==, 1);
  g_assert_cmpint (s->ct_hour, ==, 4);
  g_assert_cmpint (s->ct_minute, ==, 30);
  g_assert_cmpint (s->ct_offset_min, ==, -300);
  g_autofree char *ct = fer_rds_state_dup_ct (s);
  g_assert_cmpstr (ct, ==, "2026-02-28T23:30:00-05:00");

  g_autofree char *json = fer_rds_state_dup_json (s);
  g_assert_cmpstr (json, ==,
                   "{\"pi\":\"0x2F3C\",\"pty\":7,\"tp\":false,\"ta\":false,\"ps\":\"RADICDEF\","
                   "\"rt\":\"New text!\",\"ab\":1,\"ct\":\"2026-02-28T23:30:00-05:00\","
                   "\"af\":[87.6,100.0,107.9]}");

  /* A group the code had to mend is passed on, flagged, but may not change
   * the name: segment 0 stays "RA" although that group said "XY". */
  guint corrected = 99;
  fer_rds_set_group_func (rds, count_group, &corrected);
  push_group_damaged (rds, pi, b0a | 0, 0xE0CD, ('X' << 8) | 'Y', TRUE);
  g_assert_cmpuint (corrected, ==, 1u << 3);
  push_group (rds, pi, b0a | 2, 0xE0CD, ('C' << 8) | 'D');
  push_group (rds, pi, b0a | 3, 0xE0CD, ('E' << 8) | 'F');
  g_assert_cmpuint (corrected, ==, 0);
  g_assert_cmpstr (s->ps, ==, "RADICDEF");
  /* Sent clean, the new name comes through. */
  static const guint16 name[4] = { 'X' << 8 | 'Y', 'Z' << 8 | '1', '2' << 8 | '3', '4' << 8 | '5' };
  for (guint seg = 0; seg < 4; seg++)
    push_group (rds, pi, b0a | seg, 0xE0CD, name[seg]);
  g_assert_cmpstr (s->ps, ==, "XYZ12345");

  /* Another PI: dropped twice (a wrong block), taken as a new station the
   * third time, which starts afresh. */
  guint seq = s->change_seq;
  push_group (rds, 0x9999, b0a | 0, 0xE0CD, ('N' << 8) | 'O');
  push_group (rds, 0x9999, b0a | 1, 0xE0CD, ('N' << 8) | 'O');
  g_assert_cmphex (s->pi, ==, pi);
  g_assert_cmpuint (s->change_seq, ==, seq);
  push_group (rds, 0x9999, b0a | 2, 0xE0CD, ('N' << 8) | 'O');
  g_assert_cmphex (s->pi, ==, 0x9999);
  g_assert_cmpstr (s->ps, ==, "");
  g_assert_cmpstr (s->rt, ==, "");
  g_assert_false (s->has_ct);
  g_assert_cmpuint (s->n_af, ==, 0);
}

static void
test_mjd (void)
{
  /* The standard's formulas against GLib's calendar (MJD 0 = 1858-11-17). */
  GDate epoch, d;
  g_date_clear (&epoch, 1);
  g_date_clear (&d, 1);
  g_date_set_dmy (&epoch, 17, G_DATE_NOVEMBER, 1858);
  static const int dates[][3] = {
    { 2026, 11, 25 }, { 2000, 2, 29 }, { 2024, 12, 31 }, { 2025, 1, 1 }, { 2099, 3, 1 },
    { 1999, 12, 31 }, { 2026, 1, 1 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_date_set_dmy (&d, (GDateDay) dates[i][2], (GDateMonth) dates[i][1],
                      (GDateYear) dates[i][0]);
      g_assert_cmpuint (fer_rds_mjd (dates[i][0], dates[i][1], dates[i][2]), ==,
                        g_date_get_julian (&d) - g_date_get_julian (&epoch));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/rds/offset-syndromes-match-the-standard", test_offset_syndromes);
  g_test_add_func ("/dsp/rds/corrects-every-burst-up-to-5-bits", test_corrects_bursts);
  g_test_add_func ("/dsp/rds/detects-bursts-beyond-correction", test_detects_long_bursts);
  g_test_add_func ("/dsp/rds/stream-corrects-weak-bursts-rejects-heavy-damage",
                   test_stream_damage);
  g_test_add_func ("/dsp/rds/groups-ps-rt-ab-af-ct", test_group_parsing);
  g_test_add_func ("/dsp/rds/mjd-matches-calendar", test_mjd);
  return g_test_run ();
}
