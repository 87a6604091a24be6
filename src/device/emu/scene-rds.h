/* scene-rds.h - the RDS an emulated WFM station sends.
 *
 * FerRdsEncoder makes the groups, in a fixed cycle: 0A (programme service
 * name, two characters a group, with the alternative frequencies in block
 * C, method A), 2A (radiotext, four characters a group, closed by a
 * carriage return), 0A, 2A, ... and a 4A (clock) every 40 groups, the first
 * one 0.5 s in. Each block carries its checkword plus offset word (A, B,
 * C, D). Group n starts at n * 104 / 1187.5 s; the clock tells the minute
 * the group starts in.
 *
 * FerRdsMod turns those bits into the RDS baseband: differential coding,
 * then each bit a biphase symbol (two opposite impulses half a bit apart)
 * shaped by a cos (pi f / 4750 Hz) spectrum that ends at 2375 Hz, at 1187.5
 * bit/s. Its peak is about 1; the scene multiplies it by the 57 kHz
 * subcarrier (three times the pilot's phase) and by the injection level.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_RDS_STATION_MAX_AF 25

typedef struct {
  guint16 pi;
  guint pty;                  /* 0..31 */
  gboolean tp;                /* traffic programme */
  const char *ps;             /* up to 8 characters, ASCII (padded with spaces) */
  const char *rt;             /* up to 64 characters, ASCII */
  /* NULL, or a second text sent in turn with @rt every @rt_period_s, the
   * text A/B flag changing with it. */
  const char *rt_alt;
  double rt_period_s;
  guint n_af;
  double af_mhz[FER_RDS_STATION_MAX_AF];   /* 87.6 .. 107.9 MHz */
  /* The clock at the start (local time) and the local offset from UTC. */
  int ct_year, ct_month, ct_day, ct_hour, ct_minute;
  int ct_offset_min;          /* a multiple of 30 */
  /* Peak deviation of the RDS signal as a fraction of the full 75 kHz (0 = 0.045). */
  double level;
} FerRdsStation;

/* One 26-bit block as sent (bit 25 first): data, checkword + offset word
 * (offset 0..4 = A, B, C, C', D). */
guint32 fer_rds_encode_block (guint16 data, guint offset);

/* Modified Julian day of a date (the standard's formula). */
guint fer_rds_mjd (int year, int month, int day);

typedef struct _FerRdsEncoder FerRdsEncoder;

FerRdsEncoder *fer_rds_encoder_new (const FerRdsStation *station);
void fer_rds_encoder_free (FerRdsEncoder *enc);
/* The next group's four data words (A, B, C, D). */
void fer_rds_encoder_next_group (FerRdsEncoder *enc, guint16 blocks[4]);
/* Groups made so far. */
guint64 fer_rds_encoder_get_n_groups (FerRdsEncoder *enc);

typedef struct _FerRdsMod FerRdsMod;

FerRdsMod *fer_rds_mod_new (const FerRdsStation *station);
void fer_rds_mod_free (FerRdsMod *mod);
/* Writes @n samples of baseband at @rate_hz to @out. */
void fer_rds_mod_render (FerRdsMod *mod, double rate_hz, float *out, gsize n);
/* Moves on by @n samples without writing them (a station out of view). */
void fer_rds_mod_skip (FerRdsMod *mod, double rate_hz, gsize n);
/* Injection level: the station's @level, or the default. */
double fer_rds_mod_get_level (FerRdsMod *mod);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerRdsEncoder, fer_rds_encoder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerRdsMod, fer_rds_mod_free)

G_END_DECLS
