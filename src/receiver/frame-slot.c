#define G_LOG_DOMAIN "fer-frame-slot"

#include "frame-slot.h"

#include <stdatomic.h>

#define FRESH 4u
#define INDEX_MASK 3u

struct _FerFrameSlot {
  FerFrame frames[3];
  guint back;            /* thread: writer */
  guint front;           /* thread: reader */
  gboolean have_front;   /* thread: reader */
  atomic_uint middle;    /* index | FRESH */
};

FerFrameSlot *
fer_frame_slot_new (guint max_size)
{
  FerFrameSlot *slot = g_new0 (FerFrameSlot, 1);
  for (guint i = 0; i < 3; i++)
    slot->frames[i].db = g_new0 (float, max_size);
  slot->back = 0;
  atomic_init (&slot->middle, 1);
  slot->front = 2;
  return slot;
}

void
fer_frame_slot_free (FerFrameSlot *slot)
{
  if (slot == NULL)
    return;
  for (guint i = 0; i < 3; i++)
    g_free (slot->frames[i].db);
  g_free (slot);
}

FerFrame *
fer_frame_slot_back (FerFrameSlot *slot)
{
  return &slot->frames[slot->back];
}

void
fer_frame_slot_publish (FerFrameSlot *slot)
{
  slot->back = atomic_exchange_explicit (&slot->middle, slot->back | FRESH,
                                         memory_order_acq_rel) & INDEX_MASK;
}

const FerFrame *
fer_frame_slot_read (FerFrameSlot *slot)
{
  if (atomic_load_explicit (&slot->middle, memory_order_acquire) & FRESH)
    {
      slot->front = atomic_exchange_explicit (&slot->middle, slot->front,
                                              memory_order_acq_rel) & INDEX_MASK;
      slot->have_front = TRUE;
    }
  return slot->have_front ? &slot->frames[slot->front] : NULL;
}
