/* ui-demo.c - Ferrite's window on the demo dongle, for measuring, looking at and walking.
 *
 * Not a test by itself: bench/ui measures its frames per second and CPU,
 * the accessibility test walks its tree, the README screenshot is taken of
 * it. Prints, line-buffered on stdout:
 *   READY <w>x<h> renderer=<GskXxxRenderer>   500 ms after the window is mapped
 *   GEOM spectrum-view <x> <y> <w> <h>        window-relative
 *   FPS <frames/s> <total> <frame time s>    once a second with --fps
 *   CPU <main thread %> <process %>          once a second with --fps (of one core)
 *
 *   ui-demo [--fps] [--audio] [--size=WxH] [--quit-after=SECONDS]
 *           [--tune=FREQ] [--mode=NAME] [--fft-size=N] [--frame-rate=FPS] [--rate=RATE]
 *           [--show-page=receiver|display|bookmarks] [--band-plan]
 *           [--bookmark=NAME@FREQ] [--unnamed-control]
 *
 * --unnamed-control adds an icon-only button without an accessible name:
 * the accessibility test's proof that it catches one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device/source-demo.h"
#include "receiver/parse.h"
#include "receiver/receiver.h"
#include "ui/application.h"
#include "ui/window-private.h"

typedef struct {
  gboolean fps;
  int width, height;
  double quit_after_s;
  const char *tune;
  const char *mode;
  guint fft_size;
  double frame_rate;
  const char *page;
  gboolean band_plan;
  const char *bookmark;
  gboolean unnamed_control;
  guint64 frames, last_frames;
  gint64 last_us;
  double last_main_s, last_all_s;
} Demo;

/* CPU seconds of one thread (or the whole process with @tid = 0), from
 * utime + stime in /proc. */
static double
cpu_seconds (pid_t tid)
{
  g_autofree char *path = tid ? g_strdup_printf ("/proc/self/task/%d/stat", (int) tid)
                              : g_strdup ("/proc/self/stat");
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  char *end;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL)
    return 0;
  /* after "pid (comm) ": field 3 is the state; utime and stime are 14 and 15 */
  fields = g_strsplit (end + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / (double) sysconf (_SC_CLK_TCK);
}

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Demo *d = data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (d->frames++ == 0)
    {
      d->last_us = now;
      d->last_main_s = cpu_seconds (getpid ());
      d->last_all_s = cpu_seconds (0);
    }
  if (d->fps && now - d->last_us >= G_USEC_PER_SEC)
    {
      double dt = (now - d->last_us) / 1e6;
      double main_s = cpu_seconds (getpid ()), all_s = cpu_seconds (0);

      printf ("FPS %.1f %" G_GUINT64_FORMAT " %.3f\n", (d->frames - d->last_frames) / dt,
              d->frames, now / 1e6);
      /* the GTK main thread is the process's first thread: tid = pid */
      printf ("CPU %.1f %.1f\n", (main_s - d->last_main_s) / dt * 100,
              (all_s - d->last_all_s) / dt * 100);
      d->last_us = now;
      d->last_frames = d->frames;
      d->last_main_s = main_s;
      d->last_all_s = all_s;
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
add_bookmark (FerWindow *window, const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, "@", 2);
  FerBookmark b = { 0 };
  char *no_tags[] = { NULL };

  if (g_strv_length (parts) != 2 || !fer_parse_frequency (parts[1], &b.freq_hz))
    {
      fprintf (stderr, "ui-demo: --bookmark=NAME@FREQ\n");
      return;
    }
  b.name = parts[0];
  b.mode = (char *) "";
  b.tags = no_tags;
  b.color = (char *) "#f6d32d";
  fer_bookmarks_add (fer_window_get_bookmarks (window), &b);
  /* shown, not saved: a demo run leaves the person's bookmarks alone */
  fer_window_refresh_bookmarks (window);
}

static GtkWidget *
find_with_class (GtkWidget *root, const char *css_class)
{
  if (gtk_widget_has_css_class (root, css_class))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_with_class (c, css_class);
      if (found)
        return found;
    }
  return NULL;
}

static void
on_activate (GApplication *app, Demo *d)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWidget *w = GTK_WIDGET (window);

  gtk_window_set_default_size (window, d->width, d->height);
  g_signal_connect (window, "map", G_CALLBACK (on_map), d);
  if (gtk_widget_get_mapped (w))
    on_map (w, d);
  gtk_widget_add_tick_callback (w, on_tick, d, NULL);
  if (d->quit_after_s > 0)
    g_timeout_add ((guint) (d->quit_after_s * 1000), quit_app, app);
  if (d->bookmark)
    {
      add_bookmark (FER_WINDOW (window), d->bookmark);
      /* the list and the spectrum show it */
      gtk_widget_activate_action (w, "win.show-bookmarks", NULL);
    }
  if (d->mode)
    gtk_widget_activate_action (w, "win.mode", "s", d->mode);
  if (d->tune)
    gtk_widget_activate_action (w, "win.tune", "s", d->tune);
  if (d->page)
    gtk_widget_activate_action (w, "win.show-page", "s", d->page);
  if (d->band_plan)
    g_action_group_change_action_state (G_ACTION_GROUP (window), "band-plan",
                                        g_variant_new_boolean (TRUE));
  if (d->fft_size)
    fer_receiver_set_fft_size (fer_application_get_receiver (FER_APPLICATION (app)), d->fft_size);
  if (d->frame_rate > 0)
    fer_receiver_set_frame_rate (fer_application_get_receiver (FER_APPLICATION (app)),
                                 d->frame_rate);
  if (d->unnamed_control)
    {
      GtkWidget *toolbar = find_with_class (w, "fer-controls");

      gtk_box_append (GTK_BOX (toolbar), gtk_button_new_from_icon_name ("edit-delete-symbolic"));
    }
}

int
main (int argc, char **argv)
{
  Demo d = { .width = 1280, .height = 800 };
  gboolean audio = FALSE;
  double rate_hz = 0;
  g_autoptr(GError) error = NULL;
  FerReceiverOptions options;
  FerSource *source;
  FerReceiver *receiver;
  FerApplication *app;
  int status;

  setvbuf (stdout, NULL, _IOLBF, 0);
  for (int i = 1; i < argc; i++)
    {
      const char *a = argv[i];

      if (strcmp (a, "--fps") == 0)
        d.fps = TRUE;
      else if (strcmp (a, "--audio") == 0)
        audio = TRUE;
      else if (g_str_has_prefix (a, "--size="))
        sscanf (a + 7, "%dx%d", &d.width, &d.height);
      else if (g_str_has_prefix (a, "--quit-after="))
        d.quit_after_s = g_ascii_strtod (a + 13, NULL);
      else if (g_str_has_prefix (a, "--tune="))
        d.tune = a + 7;
      else if (g_str_has_prefix (a, "--mode="))
        d.mode = a + 7;
      else if (g_str_has_prefix (a, "--fft-size="))
        d.fft_size = (guint) atoi (a + 11);
      else if (g_str_has_prefix (a, "--frame-rate="))
        d.frame_rate = g_ascii_strtod (a + 13, NULL);
      else if (g_str_has_prefix (a, "--rate="))
        fer_parse_frequency (a + 7, &rate_hz);
      else if (g_str_has_prefix (a, "--show-page="))
        d.page = a + 12;
      else if (strcmp (a, "--band-plan") == 0)
        d.band_plan = TRUE;
      else if (g_str_has_prefix (a, "--bookmark="))
        d.bookmark = a + 11;
      else if (strcmp (a, "--unnamed-control") == 0)
        d.unnamed_control = TRUE;
      else
        {
          fprintf (stderr, "usage: ui-demo [--fps] [--audio] [--size=WxH] [--quit-after=S] "
                           "[--tune=F] [--mode=M] [--fft-size=N] [--frame-rate=FPS] [--rate=R] [--show-page=P] "
                           "[--band-plan] [--bookmark=NAME@F] [--unnamed-control]\n");
          return 2;
        }
    }

  source = fer_source_demo_new (TRUE, &error);
  if (source == NULL || (rate_hz > 0 && !fer_source_set_rate (source, rate_hz, &error)))
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
