#define G_LOG_DOMAIN "fer-dsp"

#include "rds.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#include "fir.h"
#include "nco.h"
#include "rds-groups.h"

/* ---- The block code ------------------------------------------------------ */

/* g(x) = x^10 + x^8 + x^7 + x^5 + x^4 + x^3 + 1 */
#define GENERATOR 0x5B9u
#define BLOCK_BITS 26
#define BLOCK_MASK ((1u << BLOCK_BITS) - 1)

static const guint16 offset_words[FER_RDS_N_OFFSETS] = {
  0x0FC, 0x198, 0x168, 0x350, 0x1B4,
};

guint16
fer_rds_offset_word (FerRdsOffset offset)
{
  g_return_val_if_fail (offset < FER_RDS_N_OFFSETS, 0);
  return offset_words[offset];
}

guint16
fer_rds_syndrome (guint32 block)
{
  guint32 r = block & BLOCK_MASK;
  for (int i = BLOCK_BITS - 1; i >= 10; i--)
    if (r >> i & 1)
      r ^= GENERATOR << (i - 10);
  return (guint16) r;
}

guint32
fer_rds_block_encode (guint16 data, FerRdsOffset offset)
{
  guint32 word = (guint32) data << 10;
  return word | (fer_rds_syndrome (word) ^ fer_rds_offset_word (offset));
}

/* Error trapping: an error burst e = x^j b(x) with deg b < 5 has syndrome
 * s = e mod g; multiplying s by x^-1 (mod g) j times leaves b itself, whose
 * degree is below 5, which no other shift of a correctable burst gives. */
FerRdsBlockStatus
fer_rds_block_decode (guint32 block, FerRdsOffset offset, guint max_burst, guint16 *data,
                      guint32 *error_bits)
{
  g_return_val_if_fail (offset < FER_RDS_N_OFFSETS, FER_RDS_BLOCK_INVALID);
  block &= BLOCK_MASK;
  guint32 s = fer_rds_syndrome (block) ^ offset_words[offset];
  guint32 error = 0;
  if (s != 0)
    {
      max_burst = MIN (max_burst, (guint) FER_RDS_MAX_BURST);
      if (max_burst == 0)
        return FER_RDS_BLOCK_INVALID;
      guint j = 0;
      while (s >= (1u << FER_RDS_MAX_BURST) && j < BLOCK_BITS)
        {
          s = (s & 1) ? (s ^ GENERATOR) >> 1 : s >> 1;
          j++;
        }
      if (s >= (1u << FER_RDS_MAX_BURST))
        return FER_RDS_BLOCK_INVALID;
      while ((s & 1) == 0)
        {
          s >>= 1;
          j++;
        }
      guint len = (guint) g_bit_storage (s);
      if (len > max_burst || j + len > BLOCK_BITS)
        return FER_RDS_BLOCK_INVALID;
      error = s << j;
      block ^= error;
    }
  if (data)
    *data = (guint16) (block >> 10);
  if (error_bits)
    *error_bits = error;
  return error ? FER_RDS_BLOCK_CORRECTED : FER_RDS_BLOCK_VALID;
}

/* ---- Decoder state --------------------------------------------------------- */

/* Input samples per pass through the down-mix and filters. */
#define CHUNK 2048
/* Rate the chips are recovered at: about eight samples per chip. */
#define TARGET_RATE_HZ 19000.0
#define CHIP_RATE_HZ (2.0 * FER_RDS_BIT_RATE_HZ)
/* The data spectrum ends at 2375 Hz; a little more for a subcarrier off frequency. */
#define PASS_HZ 2700.0
#define DECIM_ATTEN_DB 60.0
/* The matched filter spans this many bits each side of its centre. */
#define MF_SPAN_BITS 2.5
#define MF_KAISER_BETA 5.0

/* Loops, per chip: Costas (carrier) bandwidth ~25 Hz, damping 0.707;
 * Gardner (chip clock) gains in chips per unit of normalised error. */
#define COSTAS_BL_HZ 25.0
#define COSTAS_ZETA 0.707
#define GARDNER_KP 0.02
#define GARDNER_KI 0.0002
#define POWER_ALPHA 0.01f
/* Chip pairing: averaging of the two candidate pairings and the margin
 * the other one needs to take over. */
#define PAIR_ALPHA 0.03f
#define PAIR_SWITCH 1.3f
#define PAIR_SETTLE_CHIPS 48

/* Block synchronisation: consistent offset words found in a row to lock;
 * bad blocks among the last 16 that drop it. */
#define SYNC_HITS 3
#define SYNC_MAX_GAP_BLOCKS 6
#define N_HITS 16
#define LOSE_SYNC_BAD 10
/* A bit may be flipped by the corrector only if its reliability is below
 * WEAK of the reference (the mean over recent good blocks); a block whose
 * mean reliability is below ERASED of it carries no information. */
#define WEAK_FRAC 0.6f
#define ERASED_FRAC 0.35f
#define REF_ALPHA 0.1f

typedef struct {
  guint64 pos;      /* bit count when found */
  guint block;      /* 0..3: A, B, C/C', D */
  guint chain;      /* consistent hits ending here */
  guint16 data;
} Hit;

struct _FerRds {
  double rate_hz;
  double rate1_hz;                 /* after decimation */
  FerNco *nco;                     /* owned; -57 kHz */
  FerFir *decim;                   /* owned */
  FerFir *mf;                      /* owned; chip matched filter at rate1 */
  float complex *buf_a;            /* owned; CHUNK */
  float complex *buf_b;            /* owned; max_out (CHUNK) */
  float complex *buf_c;            /* owned; max_out (CHUNK) */

  /* Chip clock: strobes alternate between a chip centre and the point
   * halfway to the next one. */
  float complex hist[4];           /* newest last */
  double pos;                      /* next strobe, in samples relative to the newest */
  double half_chip;                /* nominal samples between strobes */
  double rate_adj;                 /* clock loop integrator, fraction of half_chip */
  gboolean next_is_chip;
  float complex mid;
  float complex prev_chip;
  float power;                     /* smoothed |chip|^2 */

  /* Carrier. */
  double phase, freq;              /* rad, rad per chip */
  double costas_a, costas_b;

  /* Chip pairs -> symbols -> bits. */
  guint64 n_chips;
  float last_chip;
  float pair_energy[2];
  guint pair_parity;               /* a chip with this parity ends a bit */
  float prev_symbol;
  gboolean have_symbol;

  /* Blocks. */
  guint32 reg;                     /* the last 26 bits, newest in bit 0 */
  float rel[BLOCK_BITS];           /* their reliabilities, ring */
  guint rel_pos;                   /* where the next goes */
  guint64 n_bits;
  Hit hits[N_HITS];
  guint n_hits, hit_next;
  gboolean synced;
  guint block_bits;                /* bits into the current block */
  guint expect;                    /* block index the next block should have */
  guint16 bad_history;             /* 1 bits: bad blocks, newest in bit 0 */
  float rel_ref;
  guint16 group[4];
  guint group_mask;
  guint group_corrected;           /* blocks of the group that needed correction */
  gboolean group_version_b;
  gboolean have_b;

  FerRdsParser parser;             /* groups -> state */
};

/* Impulse response of H(f) = cos (pi f / 2W) for |f| < W = 2375 Hz, the
 * pulse shaping of both ends: 2a cos (2 pi W t) / (a^2 - (2 pi t)^2), a = pi / 2W. */
static double
pulse (double t)
{
  const double w = CHIP_RATE_HZ, a = G_PI / (2 * w);
  double d = a * a - 4 * G_PI * G_PI * t * t;
  if (fabs (d) < 1e-6 * a * a)
    return w;   /* the limit at t = +-1 / 4W */
  return 2 * a * cos (2 * G_PI * w * t) / d;
}

static double
bessel_i0 (double x)
{
  double sum = 1, term = 1;
  for (int k = 1; k < 40; k++)
    {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
    }
  return sum;
}

static FerFir *
make_matched_filter (double rate_hz)
{
  double span_s = MF_SPAN_BITS / FER_RDS_BIT_RATE_HZ;
  guint half = (guint) ceil (span_s * rate_hz);
  guint n = 2 * half + 1;
  g_autofree float *taps = g_new (float, n);
  double sum = 0;
  for (guint i = 0; i < n; i++)
    {
      double k = (double) i - half;
      double r = k / half;
      double win = bessel_i0 (MF_KAISER_BETA * sqrt (MAX (0.0, 1 - r * r)))
                   / bessel_i0 (MF_KAISER_BETA);
      double v = pulse (k / rate_hz) * win;
      taps[i] = (float) v;
      sum += v;
    }
  for (guint i = 0; i < n; i++)
    taps[i] = (float) (taps[i] / sum);
  return fer_fir_new (taps, n, 1);
}

static void
lose_sync (FerRds *rds)
{
  rds->synced = FALSE;
  rds->parser.state.synced = FALSE;
  rds->n_hits = 0;
  rds->hit_next = 0;
  rds->group_mask = 0;
  rds->group_corrected = 0;
}

void
fer_rds_reset (FerRds *rds)
{
  g_return_if_fail (rds != NULL);
  fer_nco_reset (rds->nco);
  fer_nco_set_freq (rds->nco, -FER_RDS_SUBCARRIER_HZ / rds->rate_hz);
  fer_fir_reset (rds->decim);
  fer_fir_reset (rds->mf);
  memset (rds->hist, 0, sizeof rds->hist);
  rds->pos = 0;
  rds->rate_adj = 0;
  rds->next_is_chip = TRUE;
  rds->mid = rds->prev_chip = 0;
  rds->power = 0;
  rds->phase = rds->freq = 0;
  rds->n_chips = 0;
  rds->last_chip = 0;
  rds->pair_energy[0] = rds->pair_energy[1] = 0;
  rds->pair_parity = 1;
  rds->prev_symbol = 0;
  rds->have_symbol = FALSE;
  rds->reg = 0;
  memset (rds->rel, 0, sizeof rds->rel);
  rds->rel_pos = 0;
  rds->n_bits = 0;
  rds->block_bits = 0;
  rds->expect = 0;
  rds->bad_history = 0;
  rds->rel_ref = 0;
  rds->have_b = FALSE;
  lose_sync (rds);
  fer_rds_parser_reset (&rds->parser);
}

FerRds *
fer_rds_new (double rate_hz)
{
  g_return_val_if_fail (rate_hz >= FER_RDS_MIN_RATE_HZ, NULL);
  FerRds *rds = g_new0 (FerRds, 1);
  rds->rate_hz = rate_hz;

  guint d = MAX (1u, (guint) floor (rate_hz / TARGET_RATE_HZ));
  rds->rate1_hz = rate_hz / d;
  double stop = rds->rate1_hz - PASS_HZ;
  guint n_taps = fer_kaiser_n_taps ((stop - PASS_HZ) / rate_hz, DECIM_ATTEN_DB);
  g_autofree float *taps = fer_fir_design_lowpass (n_taps, (PASS_HZ + stop) / 2 / rate_hz,
                                                   DECIM_ATTEN_DB, 1.0);
  rds->decim = fer_fir_new (taps, n_taps, d);
  rds->mf = make_matched_filter (rds->rate1_hz);
  rds->nco = fer_nco_new (-FER_RDS_SUBCARRIER_HZ / rate_hz);
  rds->buf_a = g_new (float complex, CHUNK);
  gsize n1 = fer_fir_max_out (rds->decim, CHUNK);
  rds->buf_b = g_new (float complex, n1);
  rds->buf_c = g_new (float complex, fer_fir_max_out (rds->mf, n1));
  rds->half_chip = rds->rate1_hz / (2 * CHIP_RATE_HZ);

  /* Second-order loop constants for a bandwidth BL at the chip rate. */
  double bt = COSTAS_BL_HZ / CHIP_RATE_HZ;
  double tn = bt / (COSTAS_ZETA + 1 / (4 * COSTAS_ZETA));
  double den = 1 + 2 * COSTAS_ZETA * tn + tn * tn;
  rds->costas_a = 4 * COSTAS_ZETA * tn / den;
  rds->costas_b = 4 * tn * tn / den;

  fer_rds_reset (rds);
  rds->parser.state.change_seq = 0;
  return rds;
}

void
fer_rds_free (FerRds *rds)
{
  if (rds == NULL)
    return;
  fer_nco_free (rds->nco);
  fer_fir_free (rds->decim);
  fer_fir_free (rds->mf);
  g_free (rds->buf_a);
  g_free (rds->buf_b);
  g_free (rds->buf_c);
  g_free (rds);
}

double
fer_rds_get_rate (FerRds *rds)
{
  return rds->rate_hz;
}

void
fer_rds_set_group_func (FerRds *rds, FerRdsGroupFunc func, gpointer user_data)
{
  rds->parser.group_func = func;
  rds->parser.group_data = user_data;
}

const FerRdsState *
fer_rds_get_state (FerRds *rds)
{
  return &rds->parser.state;
}

/* ---- Blocks ------------------------------------------------------------------- */

static float
bit_rel (const FerRds *rds, guint i)
{
  /* Bit i of the register (0 = newest). */
  return rds->rel[(rds->rel_pos + 2 * BLOCK_BITS - 1 - i) % BLOCK_BITS];
}

static float
block_mean_rel (const FerRds *rds)
{
  float sum = 0;
  for (guint i = 0; i < BLOCK_BITS; i++)
    sum += rds->rel[i];
  return sum / BLOCK_BITS;
}

static guint
offset_block_index (FerRdsOffset o)
{
  static const guint index[FER_RDS_N_OFFSETS] = { 0, 1, 2, 2, 3 };
  return index[o];
}

/* Decodes the register as block @index; TRUE with *@data if good. */
static gboolean
decode_block (FerRds *rds, guint index, guint16 *data, gboolean *corrected)
{
  FerRdsOffset cand[2];
  guint n_cand = 0;
  switch (index)
    {
    case 0:
      cand[n_cand++] = FER_RDS_OFFSET_A;
      break;
    case 1:
      cand[n_cand++] = FER_RDS_OFFSET_B;
      break;
    case 2:
      /* The version in block B says which; without it, either. */
      if (!rds->have_b || !rds->group_version_b)
        cand[n_cand++] = FER_RDS_OFFSET_C;
      if (!rds->have_b || rds->group_version_b)
        cand[n_cand++] = FER_RDS_OFFSET_C_PRIME;
      break;
    default:
      cand[n_cand++] = FER_RDS_OFFSET_D;
      break;
    }

  *corrected = FALSE;
  float mean = block_mean_rel (rds);
  if (mean < ERASED_FRAC * rds->rel_ref)
    return FALSE;
  guint16 syn = fer_rds_syndrome (rds->reg);
  for (guint i = 0; i < n_cand; i++)
    if (syn == offset_words[cand[i]])
      {
        *data = (guint16) (rds->reg >> 10);
        rds->rel_ref += REF_ALPHA * (mean - rds->rel_ref);
        return TRUE;
      }

  guint n_ok = 0;
  guint16 d = 0;
  for (guint i = 0; i < n_cand; i++)
    {
      guint32 err;
      guint16 v;
      if (fer_rds_block_decode (rds->reg, cand[i], FER_RDS_MAX_BURST, &v, &err)
          != FER_RDS_BLOCK_CORRECTED)
        continue;
      /* A wrong symbol makes two neighbouring data bits wrong (differential
       * coding), so inside a block errors come in pairs; an odd count there
       * is the code mistaking heavier damage for a burst. */
      guint weight = 0;
      for (guint32 e = err; e; e &= e - 1)
        weight++;
      if (weight % 2 == 1 && (err & (1u | 1u << (BLOCK_BITS - 1))) == 0)
        continue;
      /* Only bits that came in weak may be wrong: a strong bit that the code
       * would flip means the damage is beyond the code. */
      gboolean weak = TRUE;
      for (guint b = 0; b < BLOCK_BITS && weak; b++)
        if ((err >> b & 1) && bit_rel (rds, b) >= WEAK_FRAC * rds->rel_ref)
          weak = FALSE;
      if (weak)
        {
          n_ok++;
          d = v;
        }
    }
  if (n_ok != 1)
    return FALSE;
  *data = d;
  *corrected = TRUE;
  return TRUE;
}

static void
synced_block (FerRds *rds)
{
  FerRdsState *s = &rds->parser.state;
  guint index = rds->expect;
  guint16 data = 0;
  gboolean corrected;
  gboolean good = decode_block (rds, index, &data, &corrected);

  s->n_blocks++;
  if (!good)
    s->n_blocks_bad++;
  else if (corrected)
    s->n_blocks_corrected++;
  rds->bad_history = (guint16) ((rds->bad_history << 1) | (good ? 0 : 1));

  if (index == 0)
    {
      rds->group_mask = 0;
      rds->group_corrected = 0;
      rds->have_b = FALSE;
    }
  if (good)
    {
      rds->group[index] = data;
      rds->group_mask |= 1u << index;
      if (corrected)
        rds->group_corrected |= 1u << index;
      if (index == 1)
        {
          rds->have_b = TRUE;
          rds->group_version_b = (data >> 11) & 1;
        }
    }
  if (index == 3)
    {
      if (rds->group_mask == 0xf)
        fer_rds_parser_accept (&rds->parser, rds->group, rds->group_corrected);
      rds->group_mask = 0;
      rds->group_corrected = 0;
      rds->have_b = FALSE;
    }
  rds->expect = (index + 1) % 4;

  guint n_bad = 0;
  for (guint16 h = rds->bad_history; h; h &= h - 1)
    n_bad++;
  if (n_bad >= LOSE_SYNC_BAD)
    lose_sync (rds);
}

/* Looks for offset words at every bit until a chain of them, 26 bits (or
 * a multiple) apart and in the right order, says where the blocks are. */
static void
search_sync (FerRds *rds)
{
  if (rds->n_bits < BLOCK_BITS)
    return;
  guint16 syn = fer_rds_syndrome (rds->reg);
  gint found = -1;
  for (guint o = 0; o < FER_RDS_N_OFFSETS; o++)
    if (syn == offset_words[o])
      found = (gint) o;
  if (found < 0)
    return;
  guint block = offset_block_index ((FerRdsOffset) found);

  guint chain = 1;
  for (guint i = 0; i < rds->n_hits; i++)
    {
      const Hit *h = &rds->hits[i];
      guint64 dist = rds->n_bits - h->pos;
      if (dist == 0 || dist % BLOCK_BITS != 0 || dist / BLOCK_BITS > SYNC_MAX_GAP_BLOCKS)
        continue;
      guint n_blocks = (guint) (dist / BLOCK_BITS);
      if ((h->block + n_blocks) % 4 == block)
        chain = MAX (chain, h->chain + 1);
    }
  Hit *h = &rds->hits[rds->hit_next];
  h->pos = rds->n_bits;
  h->block = block;
  h->chain = chain;
  h->data = (guint16) (rds->reg >> 10);
  rds->hit_next = (rds->hit_next + 1) % N_HITS;
  rds->n_hits = MIN (rds->n_hits + 1, (guint) N_HITS);
  if (chain < SYNC_HITS)
    return;

  rds->synced = TRUE;
  rds->parser.state.synced = TRUE;
  rds->block_bits = 0;
  rds->expect = block;
  rds->bad_history = 0;
  rds->rel_ref = block_mean_rel (rds);
  /* The blocks of this group found on the way in count too. */
  rds->group_mask = 0;
  rds->group_corrected = 0;
  rds->have_b = FALSE;
  for (guint i = 0; i < rds->n_hits; i++)
    {
      const Hit *p = &rds->hits[i];
      guint64 back = rds->n_bits - p->pos;
      if (back % BLOCK_BITS == 0 && back / BLOCK_BITS <= block
          && p->block == block - back / BLOCK_BITS)
        {
          rds->group[p->block] = p->data;
          rds->group_mask |= 1u << p->block;
          if (p->block == 1)
            {
              rds->have_b = TRUE;
              rds->group_version_b = (p->data >> 11) & 1;
            }
        }
    }
  /* This block goes through the normal path, as the one expected. */
  rds->group_mask &= ~(1u << block);
  if (block == 1)
    rds->have_b = FALSE;
  synced_block (rds);
}

static void
push_bit (FerRds *rds, guint bit, float rel)
{
  rds->reg = ((rds->reg << 1) | bit) & BLOCK_MASK;
  rds->rel[rds->rel_pos] = rel;
  rds->rel_pos = (rds->rel_pos + 1) % BLOCK_BITS;
  rds->n_bits++;
  if (!rds->synced)
    {
      search_sync (rds);
      return;
    }
  if (++rds->block_bits == BLOCK_BITS)
    {
      rds->block_bits = 0;
      synced_block (rds);
    }
}

gboolean
fer_rds_process_bits (FerRds *rds, const float *soft_bits, gsize n)
{
  g_return_val_if_fail (rds != NULL, FALSE);
  guint seq = rds->parser.state.change_seq;
  for (gsize i = 0; i < n; i++)
    push_bit (rds, soft_bits[i] > 0, fabsf (soft_bits[i]));
  return rds->parser.state.change_seq != seq;
}

/* ---- Symbols ------------------------------------------------------------------- */

/* A biphase symbol (chip pair difference) in: differential decoding. */
static void
push_symbol (FerRds *rds, float sym)
{
  if (rds->have_symbol)
    {
      /* A 1 is sent as a change of the symbol's sign. */
      guint bit = sym * rds->prev_symbol < 0;
      float rel = MIN (fabsf (sym), fabsf (rds->prev_symbol));
      push_bit (rds, bit, rel);
    }
  rds->prev_symbol = sym;
  rds->have_symbol = TRUE;
}

/* A chip in: pairs them into symbols. Within a symbol the two chips always
 * have opposite signs; across a symbol boundary only half the time, so the
 * right pairing is the one whose differences carry more energy. */
static void
push_chip (FerRds *rds, float chip)
{
  float d = rds->last_chip - chip;
  guint parity = (guint) (rds->n_chips & 1);
  rds->pair_energy[parity] += PAIR_ALPHA * (d * d - rds->pair_energy[parity]);
  rds->n_chips++;
  rds->last_chip = chip;

  if (rds->n_chips > PAIR_SETTLE_CHIPS
      && rds->pair_energy[1 - rds->pair_parity] > PAIR_SWITCH * rds->pair_energy[rds->pair_parity])
    {
      /* Half a bit out: the blocks move too. */
      rds->pair_parity = 1 - rds->pair_parity;
      rds->have_symbol = FALSE;
      if (rds->synced)
        lose_sync (rds);
      return;
    }
  if (parity == rds->pair_parity && rds->n_chips > 1)
    push_symbol (rds, 0.5f * d);
}

static inline float complex
interpolate (const float complex *p, float mu)
{
  /* Cubic Lagrange through p[0..3], between p[1] (mu = 0) and p[2] (mu = 1). */
  float complex c1 = -p[0] / 3 - p[1] / 2 + p[2] - p[3] / 6;
  float complex c2 = (p[0] + p[2]) / 2 - p[1];
  float complex c3 = (p[3] - p[0]) / 6 + (p[1] - p[2]) / 2;
  return ((c3 * mu + c2) * mu + c1) * mu + p[1];
}

/* One strobe of the chip clock: a chip centre or the midpoint before it. */
static void
strobe (FerRds *rds, float complex y)
{
  if (!rds->next_is_chip)
    {
      rds->mid = y;
      rds->next_is_chip = TRUE;
      rds->pos += rds->half_chip * (1 + rds->rate_adj);
      return;
    }
  rds->next_is_chip = FALSE;

  float p2 = crealf (y) * crealf (y) + cimagf (y) * cimagf (y);
  rds->power += POWER_ALPHA * (p2 - rds->power);
  float norm = 1.0f / MAX (rds->power, 1e-20f);

  /* Gardner: the midpoint leans towards the later chip when late; with
   * complex samples the carrier phase does not matter. */
  float et = crealf ((rds->prev_chip - y) * conjf (rds->mid)) * norm;
  et = CLAMP (et, -1.0f, 1.0f);
  rds->prev_chip = y;
  rds->rate_adj += GARDNER_KI * et;
  rds->rate_adj = CLAMP (rds->rate_adj, -0.01, 0.01);
  rds->pos += rds->half_chip * (1 + rds->rate_adj + 2 * GARDNER_KP * et);

  /* Costas loop on the chip: BPSK, so the error is I * Q. */
  float complex w = y * (float complex) cexp (-I * rds->phase);
  float ec = crealf (w) * cimagf (w) * norm;
  ec = CLAMP (ec, -1.0f, 1.0f);
  rds->freq += rds->costas_b * ec;
  rds->phase += rds->freq + rds->costas_a * ec;
  rds->phase = remainder (rds->phase, 2 * G_PI);

  push_chip (rds, crealf (w));
}

static void
recover_chips (FerRds *rds, const float complex *x, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      rds->hist[0] = rds->hist[1];
      rds->hist[1] = rds->hist[2];
      rds->hist[2] = rds->hist[3];
      rds->hist[3] = x[i];
      rds->pos -= 1.0;
      /* The strobe lies between hist[1] and hist[2] once pos < -1. */
      while (rds->pos < -1.0)
        strobe (rds, interpolate (rds->hist, (float) (rds->pos + 2.0)));
    }
}

gboolean
fer_rds_process (FerRds *rds, const float *mpx, gsize n)
{
  g_return_val_if_fail (rds != NULL, FALSE);
  guint seq = rds->parser.state.change_seq;
  while (n > 0)
    {
      gsize take = MIN (n, (gsize) CHUNK);
      for (gsize i = 0; i < take; i++)
        rds->buf_a[i] = mpx[i];
      fer_nco_mix (rds->nco, rds->buf_a, take, rds->buf_a);
      gsize m = fer_fir_process (rds->decim, rds->buf_a, take, rds->buf_b);
      m = fer_fir_process (rds->mf, rds->buf_b, m, rds->buf_c);
      recover_chips (rds, rds->buf_c, m);
      mpx += take;
      n -= take;
    }
  return rds->parser.state.change_seq != seq;
}
