#define G_LOG_DOMAIN "fer-event-queue"

#include "event-queue.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <pthread.h>
#include <unistd.h>

typedef struct {
  int kind;
  char *message;
} Event;

struct _FerEventQueue {
  pthread_mutex_t lock;
  GQueue events;              /* Event *; under lock */
  gboolean wake_pending;      /* under lock: a byte is in the pipe */
  int pipe_fds[2];            /* read end watched on the context */
  GSource *watch;             /* owned */
  FerEventFunc func;
  gpointer user_data;
};

static void
event_free (gpointer data)
{
  Event *ev = data;
  g_free (ev->message);
  g_free (ev);
}

static gboolean
on_readable (gint fd, GIOCondition condition, gpointer user_data)
{
  FerEventQueue *queue = user_data;
  char buf[64];
  while (read (fd, buf, sizeof buf) > 0)
    ;

  pthread_mutex_lock (&queue->lock);
  GQueue events = queue->events;
  g_queue_init (&queue->events);
  queue->wake_pending = FALSE;
  pthread_mutex_unlock (&queue->lock);

  Event *ev;
  while ((ev = g_queue_pop_head (&events)) != NULL)
    {
      queue->func (ev->kind, ev->message, queue->user_data);
      event_free (ev);
    }
  return G_SOURCE_CONTINUE;
}

FerEventQueue *
fer_event_queue_new (GMainContext *context, FerEventFunc func, gpointer user_data)
{
  FerEventQueue *queue = g_new0 (FerEventQueue, 1);
  pthread_mutex_init (&queue->lock, NULL);
  g_queue_init (&queue->events);
  queue->func = func;
  queue->user_data = user_data;
  if (!g_unix_open_pipe (queue->pipe_fds, FD_CLOEXEC, NULL))
    g_error ("cannot create a pipe for events: %s", g_strerror (errno));
  g_unix_set_fd_nonblocking (queue->pipe_fds[0], TRUE, NULL);
  g_unix_set_fd_nonblocking (queue->pipe_fds[1], TRUE, NULL);
  queue->watch = g_unix_fd_source_new (queue->pipe_fds[0], G_IO_IN);
  g_source_set_callback (queue->watch, G_SOURCE_FUNC (on_readable), queue, NULL);
  g_source_attach (queue->watch, context);
  return queue;
}

void
fer_event_queue_free (FerEventQueue *queue)
{
  if (queue == NULL)
    return;
  g_source_destroy (queue->watch);
  g_source_unref (queue->watch);
  close (queue->pipe_fds[0]);
  close (queue->pipe_fds[1]);
  g_queue_clear_full (&queue->events, event_free);
  pthread_mutex_destroy (&queue->lock);
  g_free (queue);
}

void
fer_event_queue_post (FerEventQueue *queue, int kind, const char *message)
{
  Event *ev = g_new (Event, 1);
  ev->kind = kind;
  ev->message = g_strdup (message);

  pthread_mutex_lock (&queue->lock);
  g_queue_push_tail (&queue->events, ev);
  gboolean wake = !queue->wake_pending;
  queue->wake_pending = TRUE;
  pthread_mutex_unlock (&queue->lock);

  /* One byte wakes the context however many events wait; a full pipe
   * already means a wake-up is on its way. */
  if (wake)
    {
      char byte = 1;
      (void) !write (queue->pipe_fds[1], &byte, 1);
    }
}
