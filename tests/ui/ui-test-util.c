/* ui-test-util.c - helpers for the window tests. */
#include "ui-test-util.h"

#include <math.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

static gboolean have_display;

/* The isolated XDG_DATA_DIRS hide the system's icon theme, and GTK's own
 * SVG icons then fail to load under some gdk-pixbuf setups: a picture
 * missing in a test, not a failure of Ferrite. Everything else stays fatal. */
static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
    else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  if ((level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "Gtk") == 0 && message != NULL
      && g_str_has_prefix (message, "Failed to load icon "))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

gboolean
fer_test_ui_init (int *argc, char ***argv)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  have_display = gtk_init_check ();
  return have_display;
}

gboolean
fer_test_have_display (void)
{
  return have_display;
}

void
fer_test_reset_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema =
    source ? g_settings_schema_source_lookup (source, "io.github.ferrite_sdr.Ferrite", TRUE) : NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) keys = NULL;

  if (schema == NULL)
    return;
  settings = g_settings_new_full (schema, NULL, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    g_settings_reset (settings, keys[i]);
  g_settings_sync ();
}

gboolean
fer_test_have_input (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

#ifdef GDK_WINDOWING_X11
  return xdotool != NULL && have_display && GDK_IS_X11_DISPLAY (gdk_display_get_default ());
#else
  return FALSE;
#endif
}

static gboolean
set_flag (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
fer_test_spin_until (gboolean (*cond) (gpointer data), gpointer data, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, set_flag, &timed_out);

  while (!(cond && cond (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return cond ? cond (data) : TRUE;
}

void
fer_test_spin (guint ms)
{
  fer_test_spin_until (NULL, NULL, ms);
}

static gboolean
window_drawn (gpointer window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  return gtk_widget_get_mapped (window) && surface != NULL && gdk_surface_get_mapped (surface)
         && gtk_widget_get_width (window) > 0;
}

GtkWidget *
fer_test_window_new (GtkWidget *child, int width, int height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_title (GTK_WINDOW (window), "Ferrite test");
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (fer_test_spin_until (window_drawn, window, 5000));
  /* a few frames, so that layout and the first paint are done */
  fer_test_spin (150);
  return window;
}

GdkTexture *
fer_test_render_widget (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  GskRenderNode *node;
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  g_object_unref (paintable);
  return texture;
}

guint32 *
fer_test_texture_pixels (GdkTexture *texture, int *width, int *height)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  guint32 *pixels = g_new (guint32, (gsize) w * h);

  gdk_texture_download (texture, (guchar *) pixels, (gsize) w * 4);
  *width = w;
  *height = h;
  return pixels;
}

double
fer_test_luma (guint32 pixel)
{
  return 0.2126 * ((pixel >> 16) & 0xff) + 0.7152 * ((pixel >> 8) & 0xff)
         + 0.0722 * (pixel & 0xff);
}

static void
run_xdotool (const char *const *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  int status = 0;
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "xdotool");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err_text, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xdotool failed: %s", err_text);
  g_ptr_array_unref (argv);
}

#ifdef GDK_WINDOWING_X11
/* @x, @y in @widget → coordinates in its X window. */
static void
to_surface (GtkWidget *widget, double x, double y, char *xid, char *sx, char *sy, gsize len)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t p;
  double dx, dy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT ((float) x, (float) y), &p));
  gtk_native_get_surface_transform (native, &dx, &dy);
  g_snprintf (xid, len, "%lu", (unsigned long) gdk_x11_surface_get_xid (gtk_native_get_surface (native)));
  g_snprintf (sx, len, "%d", (int) floor (p.x + dx));
  g_snprintf (sy, len, "%d", (int) floor (p.y + dy));
}
#endif

void
fer_test_pointer_move (GtkWidget *widget, double x, double y)
{
#ifdef GDK_WINDOWING_X11
  char xid[32], sx[32], sy[32];

  to_surface (widget, x, y, xid, sx, sy, sizeof xid);
  /* no --sync: with --window it waits forever when the pointer is already
   * there; the server applies the events in order anyway */
  run_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, NULL });
#endif
}

void
fer_test_click (GtkWidget *widget, double x, double y, guint button)
{
#ifdef GDK_WINDOWING_X11
  char xid[32], sx[32], sy[32], b[8];

  to_surface (widget, x, y, xid, sx, sy, sizeof xid);
  g_snprintf (b, sizeof b, "%u", button);
  run_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, "click", b, NULL });
#endif
}

void
fer_test_drag (GtkWidget *widget, double x0, double y0, double x1, double y1, guint button)
{
#ifdef GDK_WINDOWING_X11
  char xid[32], sx[32], sy[32], b[8];

  g_snprintf (b, sizeof b, "%u", button);
  to_surface (widget, x0, y0, xid, sx, sy, sizeof xid);
  run_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, "mousedown", b, NULL });
  fer_test_spin (50);
  /* in steps, as a hand moves: the gesture sees updates, not a jump */
  for (int i = 1; i <= 4; i++)
    {
      to_surface (widget, x0 + (x1 - x0) * i / 4, y0 + (y1 - y0) * i / 4, xid, sx, sy,
                  sizeof xid);
      run_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, NULL });
      fer_test_spin (30);
    }
  run_xdotool ((const char *[]) { "mouseup", b, NULL });
  fer_test_spin (50);
#endif
}

void
fer_test_wheel (GtkWidget *widget, double x, double y, int n_up)
{
#ifdef GDK_WINDOWING_X11
  char xid[32], sx[32], sy[32], count[16];

  to_surface (widget, x, y, xid, sx, sy, sizeof xid);
  g_snprintf (count, sizeof count, "%d", ABS (n_up));
  /* X buttons 4 and 5 are the wheel's turns up and down */
  run_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, "click", "--repeat",
                                  count, "--delay", "30", n_up > 0 ? "4" : "5", NULL });
#endif
}

void
fer_test_pointer_park (void)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;
  char sx[32], sy[32];

  g_assert_nonnull (monitor);
  gdk_monitor_get_geometry (monitor, &geometry);
  g_snprintf (sx, sizeof sx, "%d", geometry.x + geometry.width - 1);
  g_snprintf (sy, sizeof sy, "%d", geometry.y + geometry.height - 1);
  run_xdotool ((const char *[]) { "mousemove", sx, sy, NULL });
}

void
fer_test_type (const char *text)
{
  run_xdotool ((const char *[]) { "type", "--delay", "20", text, NULL });
}

void
fer_test_key (const char *keys)
{
  g_auto(GStrv) parts = g_strsplit (keys, " ", -1);
  GPtrArray *args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "key");
  for (guint i = 0; parts[i]; i++)
    g_ptr_array_add (args, parts[i]);
  g_ptr_array_add (args, NULL);
  run_xdotool ((const char *const *) args->pdata);
  g_ptr_array_unref (args);
}
