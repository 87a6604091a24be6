/* frame-slot.h - the newest spectrum frame, handed from the DSP thread to the UI.
 *
 * A triple buffer: the writer fills its back buffer and swaps it with the
 * middle one in one atomic exchange; the reader swaps the middle one with its
 * front buffer when it is fresh. Neither side ever waits for the other, and
 * no buffer is touched by two threads at once. One writer thread, one reader
 * thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 seq;
  double center_hz;
  double rate_hz;
  guint size;
  float *db;      /* owned by the slot */
} FerFrame;

typedef struct _FerFrameSlot FerFrameSlot;

FerFrameSlot *fer_frame_slot_new (guint max_size);
void fer_frame_slot_free (FerFrameSlot *slot);

/* Writer: the buffer to fill (its size fields are the writer's to set). */
FerFrame *fer_frame_slot_back (FerFrameSlot *slot);
/* Writer: publishes the back buffer. */
void fer_frame_slot_publish (FerFrameSlot *slot);
/* Reader: the newest published frame (it stays valid until the next call), or
 * NULL if nothing was ever published. */
const FerFrame *fer_frame_slot_read (FerFrameSlot *slot);

G_END_DECLS
