/* rds.h - RDS decoder: the 57 kHz data subcarrier of a broadcast FM
 * multiplex to station name, radiotext, programme type, clock and
 * alternative frequencies.
 *
 * The chain, per call: the multiplex (the FM discriminator output at the
 * channel rate, before de-emphasis) is shifted down by 57 kHz and decimated
 * to about 20 kHz; a filter matched to the transmitter's pulse (the cosine
 * spectrum that ends at 2375 Hz) gives the biphase half-symbols ("chips",
 * 2375 per second); a Costas loop recovers the subcarrier phase and a
 * Gardner loop the chip clock, so neither the pilot nor the sample clock
 * has to be exact. Chip pairs give the 1187.5 bit/s symbols, which are
 * differentially decoded into data bits with a reliability each. Blocks of
 * 26 bits are found by their offset words (A, B, C, C', D), checked and,
 * where the standard's (26,16) shortened cyclic code allows, corrected
 * (bursts of up to 5 bits). In the stream a correction must also look like
 * what the channel does: only bits received weakly are flipped, and inside
 * a block in pairs (one wrong symbol spoils two data bits), so heavier
 * damage is rejected rather than "corrected" into a wrong block. Groups
 * whose four blocks are all good, and whose PI agrees with the station's
 * (known once two groups in a row agree), update the state; a group that
 * needed correction may confirm what is shown but not change it.
 *
 * A pure block: no threads, no locks, no allocation in process; the same
 * groups come out whether the input arrives whole or in pieces.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_RDS_SUBCARRIER_HZ 57000.0
#define FER_RDS_BIT_RATE_HZ 1187.5
#define FER_RDS_MIN_RATE_HZ 128000.0

/* ---- The block code ------------------------------------------------------ */

typedef enum {
  FER_RDS_OFFSET_A,
  FER_RDS_OFFSET_B,
  FER_RDS_OFFSET_C,
  FER_RDS_OFFSET_C_PRIME,   /* block 3 of version B groups */
  FER_RDS_OFFSET_D,
} FerRdsOffset;

#define FER_RDS_N_OFFSETS 5
/* Longest burst the code corrects in a 26-bit block. */
#define FER_RDS_MAX_BURST 5

/* The 10-bit offset word added to a block's checkword. */
guint16 fer_rds_offset_word (FerRdsOffset offset);
/* A 26-bit block as sent (first bit sent = bit 25): @data, then its
 * checkword plus the offset word. */
guint32 fer_rds_block_encode (guint16 data, FerRdsOffset offset);
/* The syndrome of a 26-bit block (the remainder modulo the generator
 * polynomial): equal to the offset word of an undamaged block. */
guint16 fer_rds_syndrome (guint32 block);

typedef enum {
  FER_RDS_BLOCK_VALID,       /* the syndrome matched */
  FER_RDS_BLOCK_CORRECTED,   /* a burst was corrected */
  FER_RDS_BLOCK_INVALID,     /* damage beyond what may be corrected */
} FerRdsBlockStatus;

/* Checks @block against @offset and corrects a burst of at most @max_burst
 * bits (0 = detect only, up to FER_RDS_MAX_BURST). On success stores the
 * data in *@data and the bits flipped in *@error_bits (either may be NULL). */
FerRdsBlockStatus fer_rds_block_decode (guint32 block, FerRdsOffset offset, guint max_burst,
                                        guint16 *data, guint32 *error_bits);

/* ---- What the decoder knows ---------------------------------------------- */

#define FER_RDS_PS_CHARS 8
#define FER_RDS_RT_CHARS 64
#define FER_RDS_MAX_AF 25

typedef struct {
  gboolean synced;           /* block synchronisation held now */
  gboolean has_pi;
  guint16 pi;                /* programme identification */
  gboolean has_pty;
  guint pty;                 /* programme type 0..31 (see fer_rds_pty_name ()) */
  gboolean tp;               /* traffic programme */
  gboolean ta;               /* traffic announcement (from 0A/0B groups) */
  gboolean music;            /* music/speech switch: TRUE = music */
  /* Programme service name, UTF-8, complete (all four segments seen); "" until then. */
  char ps[FER_RDS_PS_CHARS * 3 + 1];
  /* Radiotext, UTF-8, without the closing carriage return and trailing
   * spaces; "" until a whole text has been seen, and again after the A/B
   * flag flips until the new text is complete. */
  char rt[FER_RDS_RT_CHARS * 3 + 1];
  gboolean has_rt_ab;        /* a radiotext group has come: rt_ab is known */
  guint rt_ab;               /* text A/B flag of the shown (or awaited) text */
  /* Clock (4A): UTC date and time, and the local offset in minutes. */
  gboolean has_ct;
  guint ct_mjd;              /* modified Julian day */
  int ct_year, ct_month, ct_day, ct_hour, ct_minute;
  int ct_offset_min;         /* local time = UTC + offset */
  /* Alternative frequencies (method A), in kHz, in the order sent;
   * a list appears once it is complete. */
  guint n_af;
  guint af_khz[FER_RDS_MAX_AF];
  /* Counters since reset. */
  guint64 n_groups;          /* groups decoded (all four blocks good) */
  guint64 n_blocks;          /* blocks examined while synchronised */
  guint64 n_blocks_corrected;
  guint64 n_blocks_bad;
  /* Increases whenever something shown above (PI, PTY, TP, TA, music, PS,
   * RT, A/B, CT, AF) changes; sync and the counters do not count. */
  guint change_seq;
} FerRdsState;

/* The European programme type names (0 "None" .. 31 "Alarm"). */
const char *fer_rds_pty_name (guint pty);
/* The clock as ISO 8601 local time with its offset, e.g.
 * "2026-11-25T10:00:00+01:00"; NULL without a clock. g_free it. */
char *fer_rds_state_dup_ct (const FerRdsState *state);
/* The state as one line of JSON (no newline), with the fields known so far:
 * {"pi":"0x1234","pty":10,"tp":false,"ta":false,"ps":"FERRITE1","rt":"...","ab":0,
 *  "ct":"2026-11-25T10:00:00+01:00","af":[100.5,101.1]}; "rt" and "ab" appear
 * with the first radiotext group ("rt" empty until a text is complete, and
 * again after the A/B flag flips). g_free it. */
char *fer_rds_state_dup_json (const FerRdsState *state);

/* ---- The decoder ----------------------------------------------------------- */

typedef struct _FerRds FerRds;

/* Called from inside process () for each group accepted: the four data
 * words, in order A, B, C (or C'), D, and which of them the code corrected
 * (bit i for block i). A corrected block is right but for a rare
 * miscorrection of damage beyond the code; such groups may confirm what the
 * state shows but never change it. */
typedef void (*FerRdsGroupFunc) (const guint16 blocks[4], guint corrected, gpointer user_data);

/* @rate_hz: the multiplex sample rate, at least FER_RDS_MIN_RATE_HZ. */
FerRds *fer_rds_new (double rate_hz);
void fer_rds_free (FerRds *rds);
/* Forgets the signal and everything decoded, as after new () (for a retune). */
void fer_rds_reset (FerRds *rds);
double fer_rds_get_rate (FerRds *rds);
void fer_rds_set_group_func (FerRds *rds, FerRdsGroupFunc func, gpointer user_data);

/* Decodes @n samples of multiplex (1.0 = 75 kHz deviation, though the
 * decoder does not depend on the scale). Returns TRUE if the state's
 * change_seq moved. */
gboolean fer_rds_process (FerRds *rds, const float *mpx, gsize n);
/* Feeds data bits directly, after demodulation and differential decoding:
 * a value > 0 is a 1, < 0 a 0, its magnitude the reliability. For tests
 * and for sources that deliver bits. Returns as process () does. */
gboolean fer_rds_process_bits (FerRds *rds, const float *soft_bits, gsize n);

/* Borrowed; valid until the next call on @rds. */
const FerRdsState *fer_rds_get_state (FerRds *rds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerRds, fer_rds_free)

G_END_DECLS
