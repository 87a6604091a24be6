/* The spectrum hand-off: the reader always gets a whole, newest frame, and
 * neither side waits. Run under ThreadSanitizer too (./dev.sh tsan). */
#include "receiver/frame-slot.h"

#define FRAME_SIZE 512
#define N_FRAMES 200000

static gpointer
writer (gpointer data)
{
  FerFrameSlot *slot = data;
  for (guint64 seq = 1; seq <= N_FRAMES; seq++)
    {
      FerFrame *f = fer_frame_slot_back (slot);
      f->seq = seq;
      f->size = FRAME_SIZE;
      for (guint k = 0; k < FRAME_SIZE; k++)
        f->db[k] = (float) seq;  /* a torn frame would mix values */
      fer_frame_slot_publish (slot);
    }
  return NULL;
}

static void
test_reader_sees_whole_newer_frames (void)
{
  FerFrameSlot *slot = fer_frame_slot_new (FRAME_SIZE);
  g_assert_null (fer_frame_slot_read (slot));

  GThread *t = g_thread_new ("writer", writer, slot);
  guint64 last = 0, reads = 0;
  while (last < N_FRAMES)
    {
      const FerFrame *f = fer_frame_slot_read (slot);
      if (f == NULL)
        continue;
      g_assert_cmpuint (f->seq, >=, last);
      for (guint k = 0; k < f->size; k++)
        g_assert_cmpfloat (f->db[k], ==, (float) f->seq);
      if (f->seq > last)
        reads++;
      last = f->seq;
    }
  g_thread_join (t);
  g_assert_cmpuint (last, ==, N_FRAMES);
  g_assert_cmpuint (reads, >, 0);
  fer_frame_slot_free (slot);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/receiver/frame-slot/reader-sees-whole-newer-frames",
                   test_reader_sees_whole_newer_frames);
  return g_test_run ();
}
