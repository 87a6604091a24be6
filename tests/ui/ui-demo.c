/* ui-demo.c - Ferrite's window on the demo dongle, for measuring and looking at.
 *
 * Not a test: recipes/gui-measure.sh runs it to measure frames per second
 * and CPU. Prints, line-buffered on stdout:
 *   READY <w>x<h> renderer=<GskXxxRenderer>   500 ms after the window is mapped
 *   GEOM spectrum-view <x> <y> <w> <h>        window-relative
 *   FPS <frames/s> <total> <frame time s>    once a second with --fps
 *
 *   ui-demo [--fps] [--audio] [--size=WxH] [--quit-after=SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/source-demo.h"
#include "receiver/receiver.h"
#include "ui/application.h"
#include "ui/window.h"

typedef struct {
  gboolean fps;
  int width, height;
  double quit_after_s;
  guint64 frames, last_frames;
  gint64 last_us;
} Demo;

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Demo *d = data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (d->frames++ == 0)
    d->last_us = now;
  if (d->fps && now - d->last_us >= G_USEC_PER_SEC)
    {
      printf ("FPS %.1f %" G_GUINT64_FORMAT " %.3f\n",
              (d->frames - d->last_frames) * 1e6 / (double) (now - d->last_us), d->frames, now / 1e6);
      d->last_us = now;
      d->last_frames = d->frames;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
report_ready (gpointer window)
{
  GtkWidget *view = GTK_WIDGET (fer_window_get_spectrum_view (window));
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  graphene_rect_t b;

  printf ("READY %dx%d renderer=%s\n", gtk_widget_get_width (window),
          gtk_widget_get_height (window), G_OBJECT_TYPE_NAME (renderer));
  if (gtk_widget_compute_bounds (view, window, &b))
    printf ("GEOM spectrum-view %.0f %.0f %.0f %.0f\n", b.origin.x, b.origin.y, b.size.width,
            b.size.height);
  return G_SOURCE_REMOVE;
}

static void
on_map (GtkWidget *window, gpointer data)
{
  g_timeout_add (500, report_ready, window);
}

static gboolean
quit_app (gpointer app)
{
  g_application_quit (app);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app, Demo *d)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  gtk_window_set_default_size (window, d->width, d->height);
  g_signal_connect (window, "map", G_CALLBACK (on_map), d);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    on_map (GTK_WIDGET (window), d);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, d, NULL);
  if (d->quit_after_s > 0)
    g_timeout_add ((guint) (d->quit_after_s * 1000), quit_app, app);
}

int
main (int argc, char **argv)
{
  Demo d = { .width = 1280, .height = 800 };
  gboolean audio = FALSE;
  g_autoptr(GError) error = NULL;
  FerReceiverOptions options;
  FerSource *source;
  FerReceiver *receiver;
  FerApplication *app;
  int status;

  setvbuf (stdout, NULL, _IOLBF, 0);
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--fps") == 0)
        d.fps = TRUE;
      else if (strcmp (argv[i], "--audio") == 0)
        audio = TRUE;
      else if (g_str_has_prefix (argv[i], "--size="))
        sscanf (argv[i] + 7, "%dx%d", &d.width, &d.height);
      else if (g_str_has_prefix (argv[i], "--quit-after="))
        d.quit_after_s = g_ascii_strtod (argv[i] + 13, NULL);
      else
        {
          fprintf (stderr, "usage: ui-demo [--fps] [--audio] [--size=WxH] [--quit-after=S]\n");
          return 2;
        }
    }

  source = fer_source_demo_new (TRUE, &error);
  if (source == NULL)
    {
      fprintf (stderr, "ui-demo: %s\n", error->message);
      return 1;
    }
  fer_receiver_options_init (&options);
  options.audio_path = audio ? NULL : FER_RECEIVER_NO_AUDIO;
  receiver = fer_receiver_new (source, &options, &error);
  if (receiver == NULL)
    {
      fprintf (stderr, "ui-demo: %s\n", error->message);
      return 1;
    }
  app = fer_application_new (receiver, NULL, G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &d);
  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_object_unref (app);
  return status;
}
