/* event-queue.h - events from worker threads, delivered on a GMainContext.
 *
 * Any thread posts; the context's thread dispatches, in order. The hand-off
 * is a list under a pthread mutex plus a byte through a pipe that wakes the
 * context: no GLib object crosses threads (GLib's own locks are futexes that
 * ThreadSanitizer cannot see, so GSources made on one thread and freed on
 * another read as races), and freeing the queue on the context's thread
 * drops whatever was not delivered yet: nothing outlives it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerEventQueue FerEventQueue;

/* On @context's thread, for each event in the order posted. */
typedef void (*FerEventFunc) (int kind, const char *message, gpointer user_data);

/* Call on @context's thread (the queue attaches a watch to it). */
FerEventQueue *fer_event_queue_new (GMainContext *context, FerEventFunc func,
                                    gpointer user_data);
/* On @context's thread. Undelivered events are dropped. */
void fer_event_queue_free (FerEventQueue *queue);
/* Any thread; never blocks for long (a short mutex, a non-blocking write). */
void fer_event_queue_post (FerEventQueue *queue, int kind, const char *message);

G_END_DECLS
