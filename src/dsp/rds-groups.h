/* rds-groups.h - private to the RDS decoder: from groups to what is shown.
 *
 * FerRdsParser takes the groups whose blocks passed the code and keeps the
 * FerRdsState: it checks the PI (known once two groups in a row agree; a
 * group with another PI is dropped unless that PI persists), assembles the
 * programme service name from its four segments, the radiotext (2A/2B,
 * cleared when the A/B flag flips), the AF list (method A) and the clock
 * (4A). A group that needed correction may confirm what is shown, never
 * change it. No allocation.
 */
#pragma once

#include "rds.h"

G_BEGIN_DECLS

typedef struct {
  /* The station's PI and a group waiting for a second to confirm it. */
  gboolean pi_known;
  guint16 pi;
  guint16 pi_other;                /* another PI seen lately ... */
  guint pi_other_count;            /* ... this many groups in a row */
  gboolean have_pending;
  guint16 pending[4];
  guint pending_corrected;

  /* Text assembly. */
  guint8 ps_raw[FER_RDS_PS_CHARS];
  guint ps_mask;                   /* segments in since the name was last shown */
  guint8 rt_raw[FER_RDS_RT_CHARS];
  guint32 rt_mask;
  gboolean rt_seen;
  gboolean rt_version_b;           /* 2B texts (32 characters) */
  guint af_expect;                 /* 0 = waiting for a list start */
  guint af_n;
  guint af_pending[FER_RDS_MAX_AF];
  gboolean af_skip_next;           /* an LF/MF frequency follows */

  FerRdsState state;
  FerRdsGroupFunc group_func;
  gpointer group_data;
} FerRdsParser;

/* Forgets everything (the counters too); change_seq moves on. */
void fer_rds_parser_reset (FerRdsParser *p);
/* A group of four good blocks, @corrected the blocks the code mended. */
void fer_rds_parser_accept (FerRdsParser *p, const guint16 *g, guint corrected);

G_END_DECLS
