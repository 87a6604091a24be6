/* test-window-bookmarks.c - bookmarks in the window: the list, the spectrum's labels, the file. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app-test-util.h"

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

static GtkListBox *
bookmark_list (FerTestApp *f)
{
  GtkWidget *list = fer_test_find_type (GTK_WIDGET (f->window), GTK_TYPE_LIST_BOX);

  g_assert_nonnull (list);
  return GTK_LIST_BOX (list);
}

static GtkWidget *
open_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
      if (GTK_IS_DIALOG (w) && gtk_widget_get_visible (w))
        return w;
    }
  return NULL;
}

static gboolean
dialog_open (gpointer data)
{
  return open_dialog () != NULL;
}

static void
type_into (GtkWidget *dialog, const char *label, const char *text)
{
  GtkEditable *entry = GTK_EDITABLE (fer_test_find_control (dialog, label));

  gtk_editable_set_text (entry, text);
}

/* Add through the editor (as Ctrl+D opens it), with a name, a mode, tags
 * and the frequency typed; the list gets a row, the spectrum a label, the
 * user's file the bookmark. Edit it; jump to it from the spectrum's label
 * (a real click); delete it from the list. */
static void
body_add_edit_jump_delete (FerTestApp *f)
{
  FerBookmarks *bookmarks = fer_window_get_bookmarks (f->window);
  FerSpectrumView *view = fer_window_get_spectrum_view (f->window);
  g_autofree char *path = fer_bookmarks_get_user_path ();
  g_autofree char *saved = NULL;
  g_autoptr(FerBookmarks) reread = fer_bookmarks_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  graphene_rect_t label;
  const FerBookmark *b;
  guint id;

  g_assert_true (fer_test_wait_rows (view, 3, 3000));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.bookmark-add", NULL);
  g_assert_true (fer_test_spin_until (dialog_open, NULL, 2000));
  dialog = open_dialog ();
  type_into (dialog, "Name", "Arpeggio");
  type_into (dialog, "Frequency", "99.5 MHz");
  type_into (dialog, "Tags", "Music, Demo");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  fer_test_spin (100);
  g_assert_null (open_dialog ());

  g_assert_cmpuint (fer_bookmarks_get_n (bookmarks), ==, 1);
  b = fer_bookmarks_get (bookmarks, 0);
  id = b->id;
  g_assert_cmpstr (b->name, ==, "Arpeggio");
  g_assert_cmpfloat (b->freq_hz, ==, 99.5e6);
  g_assert_cmpstr (b->mode, ==, "wfm");
  g_assert_cmpuint (g_strv_length (b->tags), ==, 2);
  g_assert_cmpuint (n_rows (bookmark_list (f)), ==, 1);
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "Arpeggio"));

  /* a frequency that is not one keeps the editor open and says so */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.bookmark-edit", NULL);
  g_assert_true (fer_test_spin_until (dialog_open, NULL, 2000));
  dialog = open_dialog ();
  type_into (dialog, "Frequency", "ninety-nine");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  fer_test_spin (100);
  g_assert_nonnull (open_dialog ());
  type_into (dialog, "Frequency", "99.52M");
  type_into (dialog, "Name", "Arpeggio FM");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  fer_test_spin (100);
  b = fer_bookmarks_lookup (bookmarks, id);
  g_assert_cmpstr (b->name, ==, "Arpeggio FM");
  g_assert_cmpfloat (b->freq_hz, ==, 99.52e6);
  g_assert_true (fer_bookmarks_load (reread, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fer_bookmarks_get (reread, 0)->name, ==, "Arpeggio FM");

  /* the label on the spectrum tunes there */
  if (fer_test_have_input ())
    {
      fer_test_spin (100);
      g_assert_true (fer_spectrum_view_get_marker_area (view, 0, &label));
      fer_test_click (GTK_WIDGET (view), label.origin.x + label.size.width / 2,
                      label.origin.y + label.size.height / 2, 1);
      g_assert_true (fer_test_wait_freq (f->receiver, 99.52e6, 3000));
    }
  else
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.bookmark-jump", "u", id);
  g_assert_true (fer_test_wait_freq (f->receiver, 99.52e6, 3000));

  /* delete: the list, the labels and the file are empty */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.bookmark-delete", NULL);
  g_assert_cmpuint (fer_bookmarks_get_n (bookmarks), ==, 0);
  g_assert_cmpuint (n_rows (bookmark_list (f)), ==, 0);
  g_assert_false (fer_spectrum_view_get_marker_area (view, 0, &label));
  g_assert_true (fer_bookmarks_load (reread, path, &error));
  g_assert_cmpuint (fer_bookmarks_get_n (reread), ==, 0);
  g_assert_nonnull (strstr (fer_window_get_message (f->window), "Arpeggio FM"));
}

static void
test_add_edit_jump_delete (void)
{
  FER_TEST_NEED_DISPLAY ();
  fer_test_run_app (fer_test_demo_receiver (FER_RECEIVER_NO_AUDIO), NULL,
                    body_add_edit_jump_delete, NULL);
}

static const char junk[] = "Ham ; #00ff00\n\n 145500000; Relay; Narrow FM; 12500\n";

/* A bookmarks file that cannot be read: the window says so, naming the
 * line and the backup; the backup holds the file's bytes untouched; the
 * list starts empty. (That a later save leaves the backup alone:
 * tests/receiver/test-bookmarks.c.) */
static void
body_corrupt_file (FerTestApp *f)
{
  const char *message = fer_window_get_message (f->window);
  g_autofree char *path = fer_bookmarks_get_user_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *backup = NULL, *bytes = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gsize length;

  g_assert_nonnull (message);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "cannot be read"));
  g_assert_nonnull (strstr (message, "line 3"));
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "bookmarks.csv.corrupt-"))
      backup = g_build_filename (dir, name, NULL);
  g_assert_nonnull (backup);
  g_assert_nonnull (strstr (message, backup));
  g_assert_true (g_file_get_contents (backup, &bytes, &length, NULL));
  g_assert_cmpmem (bytes, length, junk, sizeof junk - 1);
  g_assert_cmpuint (fer_bookmarks_get_n (fer_window_get_bookmarks (f->window)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_corrupt_file (void)
{
  g_autofree char *path = fer_bookmarks_get_user_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  FER_TEST_NEED_DISPLAY ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, junk, sizeof junk - 1, NULL));
  fer_test_run_app (fer_test_demo_receiver (FER_RECEIVER_NO_AUDIO), NULL, body_corrupt_file, NULL);
}

int
main (int argc, char **argv)
{
  fer_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/window-bookmarks/add-edit-jump-delete", test_add_edit_jump_delete);
  g_test_add_func ("/ui/window-bookmarks/corrupt-file-kept-aside", test_corrupt_file);
  return g_test_run ();
}
