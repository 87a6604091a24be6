/* ring.h - single-producer single-consumer ring of float audio frames.
 *
 * Lock-free: one thread writes (DSP), one reads (the PortAudio callback).
 * Neither side ever blocks or allocates.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerRing FerRing;

/* @capacity_frames is rounded up to a power of two. */
FerRing *fer_ring_new (gsize capacity_frames, guint channels);
void fer_ring_free (FerRing *ring);
gsize fer_ring_get_capacity (FerRing *ring);
guint fer_ring_get_channels (FerRing *ring);

/* Producer: writes up to @n_frames, returns how many fitted. */
gsize fer_ring_write (FerRing *ring, const float *frames, gsize n_frames);
/* Consumer: reads up to @n_frames, returns how many were there. */
gsize fer_ring_read (FerRing *ring, float *frames, gsize n_frames);
/* Frames waiting to be read (either side; a snapshot). */
gsize fer_ring_get_fill (FerRing *ring);
/* Consumer side: drops everything waiting. */
void fer_ring_clear (FerRing *ring);
/* Consumer side: drops the oldest @n_frames (fewer if fewer wait); returns
 * how many were dropped. */
gsize fer_ring_discard (FerRing *ring, gsize n_frames);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerRing, fer_ring_free)

G_END_DECLS
