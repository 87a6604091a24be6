/* rds-test-util.h - what the RDS tests share: the test station, the groups
 * it sends (made with the emulator's encoder, written apart from the
 * decoder), matching decoded groups to sent ones, and a broadcast multiplex
 * carrying its RDS.
 */
#pragma once

#include <complex.h>
#include <glib.h>
#include <math.h>

#include "device/emu/scene-rds.h"

G_BEGIN_DECLS

typedef struct {
  guint16 b[4];
  guint corrected;    /* decoded groups: the blocks the code corrected */
} RdsTestGroup;

/* A station whose groups differ from each other within +-15 groups: 9 AFs
 * (5 code pairs: 0A repeats after 40 groups), a 50-character text (13
 * segments: 2A repeats after 26 groups). */
extern const FerRdsStation rds_test_station;

/* The first @n groups @station sends: an array of RdsTestGroup. */
GArray *rds_test_sent_groups (const FerRdsStation *station, guint n);
/* A FerRdsGroupFunc appending each decoded group to the GArray @user_data. */
void rds_test_log_group (const guint16 blocks[4], guint corrected, gpointer user_data);
gboolean rds_test_group_equal (const RdsTestGroup *a, const RdsTestGroup *b);
/* Matches each decoded group to the next sent one within a window (the
 * groups there are all different); a decoded group with no match is wrong.
 * Stores the sent index of each decoded group in @index (or -1). */
void rds_test_align (GArray *sent, GArray *got, guint *n_right, guint *n_wrong,
                     guint *n_wrong_uncorrected, GArray *index);

/* A unit phasor turning at a fixed rate, rebuilt exactly now and then. */
typedef struct {
  double freq_norm;
  guint64 n;
  double complex z, w;
} RdsTestOsc;

void rds_test_osc_init (RdsTestOsc *o, double freq_hz, double rate_hz);

static inline double complex
rds_test_osc_next (RdsTestOsc *o)
{
  double complex z = o->z;
  if (++o->n % 4096 == 0)
    o->z = cexp (2 * G_PI * I * fmod (o->freq_norm * (double) o->n, 1.0));
  else
    o->z *= o->w;
  return z;
}

/* The test multiplex: stereo tones at 60 % (L 1 kHz, R 400 Hz), 10 % pilot,
 * RDS at @rds_level on 57 kHz locked to the pilot; 1.0 = 75 kHz. */
typedef struct {
  double rate_hz;
  double rds_level;
  double pilot_level;
  RdsTestOsc left, right, pilot;
  FerRdsMod *mod;
  float rds[4096];
} RdsTestMpx;

void rds_test_mpx_init (RdsTestMpx *m, const FerRdsStation *station, double rate_hz,
                        double rds_level);
void rds_test_mpx_clear (RdsTestMpx *m);
void rds_test_mpx_render (RdsTestMpx *m, float *out, gsize n);

G_END_DECLS
