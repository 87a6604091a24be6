/* test-bookmarks.c - bookmarks: the list, Ferrite's file, the common CSV format, a broken file. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "receiver/bookmarks.h"

static char *
temp_path (const char *name)
{
  /* g_test_init (ISOLATE_DIRS) made the user dirs private to this test */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

static guint
add (FerBookmarks *b, double freq_hz, const char *name, const char *mode, double bw_hz,
     const char *tags, const char *color)
{
  g_auto(GStrv) tag_list = g_strsplit (tags, ",", -1);
  FerBookmark bm = { 0, freq_hz, (char *) name, (char *) mode, bw_hz, tag_list, (char *) color };

  return fer_bookmarks_add (b, &bm);
}

static void
assert_same (const FerBookmark *a, const FerBookmark *b)
{
  g_assert_cmpfloat (a->freq_hz, ==, b->freq_hz);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->mode, ==, b->mode);
  g_assert_cmpfloat (a->bandwidth_hz, ==, b->bandwidth_hz);
  g_assert_cmpuint (g_strv_length (a->tags), ==, g_strv_length (b->tags));
  for (guint i = 0; a->tags[i]; i++)
    g_assert_cmpstr (a->tags[i], ==, b->tags[i]);
  g_assert_cmpstr (a->color, ==, b->color);
}

/* The list stays sorted by frequency; ids stay with their bookmark through
 * updates (which may move it) and removals; next/previous step in order. */
static void
test_list (void)
{
  g_autoptr(FerBookmarks) b = fer_bookmarks_new ();
  guint tower, relay, local;

  relay = add (b, 145.5e6, "Relay", "nfm", 12500, "Ham", "#00FF00");
  tower = add (b, 124.35e6, "Tower", "am", 8000, "Aviation", "#ff0000");
  local = add (b, 100e6, "Local FM", "wfm", 0, "", NULL);
  g_assert_cmpuint (fer_bookmarks_get_n (b), ==, 3);
  g_assert_cmpstr (fer_bookmarks_get (b, 0)->name, ==, "Local FM");
  g_assert_cmpstr (fer_bookmarks_get (b, 2)->name, ==, "Relay");
  g_assert_cmpstr (fer_bookmarks_lookup (b, relay)->color, ==, "#00ff00");  /* normalised */
  g_assert_cmpstr (fer_bookmarks_lookup (b, local)->color, ==, FER_BOOKMARK_DEFAULT_COLOR);
  g_assert_cmpuint (g_strv_length (fer_bookmarks_lookup (b, local)->tags), ==, 0);

  g_assert_true (fer_bookmarks_next (b, 100e6) == fer_bookmarks_lookup (b, tower));
  g_assert_true (fer_bookmarks_previous (b, 124.35e6) == fer_bookmarks_lookup (b, local));
  g_assert_null (fer_bookmarks_next (b, 145.5e6));
  g_assert_null (fer_bookmarks_previous (b, 100e6));

  /* the tower moves above the relay: same id, new place */
  {
    FerBookmark moved = *fer_bookmarks_lookup (b, tower);
    moved.freq_hz = 150e6;
    moved.name = (char *) "Tower; moved\nagain";  /* separators do not survive */
    g_assert_true (fer_bookmarks_update (b, tower, &moved));
  }
  g_assert_cmpint (fer_bookmarks_index_of (b, tower), ==, 2);
  g_assert_cmpstr (fer_bookmarks_lookup (b, tower)->name, ==, "Tower  moved again");
  g_assert_true (fer_bookmarks_remove (b, relay));
  g_assert_false (fer_bookmarks_remove (b, relay));
  g_assert_null (fer_bookmarks_lookup (b, relay));
  g_assert_cmpuint (fer_bookmarks_get_n (b), ==, 2);
}

/* Saved and loaded back, every field is the same; the file is replaced
 * whole (no temporary file is left beside it). */
static void
test_round_trip (void)
{
  g_autoptr(FerBookmarks) b = fer_bookmarks_new ();
  g_autoptr(FerBookmarks) c = fer_bookmarks_new ();
  g_autofree char *path = temp_path ("sub/dir/bookmarks.csv");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  guint n_files = 0;

  add (b, 124.35e6, "Tower", "am", 8000, "Aviation,Local", "#ff8000");
  add (b, 145.5e6, "Relais Zürich ☂", "nfm", 12500, "Ham", "#00ff00");
  add (b, 7.074e6, "FT8", "usb", 2800, "", "#123456");
  add (b, 96.3e6, "Radio", "wfm-stereo", 0, "Broadcast", "#abcdef");
  g_assert_true (fer_bookmarks_save (b, path, &error));
  g_assert_no_error (error);
  /* again, over the first file */
  g_assert_true (fer_bookmarks_save (b, path, &error));
  g_assert_no_error (error);

  g_assert_true (fer_bookmarks_load (c, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fer_bookmarks_get_n (c), ==, 4);
  for (guint i = 0; i < 4; i++)
    assert_same (fer_bookmarks_get (b, i), fer_bookmarks_get (c, i));

  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (listing))
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
}

/* A file as the other receivers write it: padded fields, a tag part with
 * colours, several tags on a line, their mode names, comments; imported,
 * each bookmark gets Ferrite's mode name, its bandwidth and tags, and the
 * colour of its first tag. Importing again adds nothing. */
static void
test_import_common (void)
{
  static const char sample[] =
    "# Tag name          ;  color\n"
    "Untagged            ; #c0c0c0\n"
    "Aviation            ; #ffaa00\n"
    "Ham                 ; #00ff7f\n"
    "\n"
    "# Frequency ; Name                     ; Modulation          ;  Bandwidth; Tags\n"
    "   124350000; Tower                    ; AM                  ;       8000; Aviation,Ham\n"
    "   145500000; Relay                    ; Narrow FM           ;      10000; Ham\n"
    "    96300000; Radio                    ; WFM (stereo)        ;     160000; Untagged\n"
    "     7074000; FT8                      ; USB                 ;       2800; \r\n"
    "# a comment among them\n"
    "    14060000; CW calling               ; CW-L                ;        500; Ham\n";
  g_autoptr(FerBookmarks) b = fer_bookmarks_new ();
  g_autofree char *path = temp_path ("their-bookmarks.csv");
  g_autoptr(GError) error = NULL;
  const FerBookmark *bm;
  guint n = 99;

  g_assert_true (g_file_set_contents (path, sample, -1, NULL));
  add (b, 100e6, "Mine", "wfm", 0, "", NULL);
  g_assert_true (fer_bookmarks_import (b, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (fer_bookmarks_get_n (b), ==, 6);

  bm = fer_bookmarks_get (b, 0);
  g_assert_cmpstr (bm->name, ==, "FT8");
  g_assert_cmpstr (bm->mode, ==, "usb");
  g_assert_cmpfloat (bm->bandwidth_hz, ==, 2800);
  g_assert_cmpuint (g_strv_length (bm->tags), ==, 0);
  g_assert_cmpstr (bm->color, ==, FER_BOOKMARK_DEFAULT_COLOR);
  bm = fer_bookmarks_get (b, 1);
  g_assert_cmpstr (bm->name, ==, "CW calling");
  g_assert_cmpstr (bm->mode, ==, "cw");
  bm = fer_bookmarks_get (b, 2);
  g_assert_cmpstr (bm->name, ==, "Radio");
  g_assert_cmpstr (bm->mode, ==, "wfm-stereo");
  g_assert_cmpuint (g_strv_length (bm->tags), ==, 0);   /* "Untagged" is no tag */
  bm = fer_bookmarks_get (b, 4);
  g_assert_cmpfloat (bm->freq_hz, ==, 124.35e6);
  g_assert_cmpstr (bm->name, ==, "Tower");
  g_assert_cmpstr (bm->mode, ==, "am");
  g_assert_cmpfloat (bm->bandwidth_hz, ==, 8000);
  g_assert_cmpuint (g_strv_length (bm->tags), ==, 2);
  g_assert_cmpstr (bm->tags[0], ==, "Aviation");
  g_assert_cmpstr (bm->tags[1], ==, "Ham");
  g_assert_cmpstr (bm->color, ==, "#ffaa00");
  bm = fer_bookmarks_get (b, 5);
  g_assert_cmpstr (bm->mode, ==, "nfm");
  g_assert_cmpstr (bm->color, ==, "#00ff7f");

  g_assert_true (fer_bookmarks_import (b, path, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (fer_bookmarks_get_n (b), ==, 6);
}

/* Export writes what the other receivers read: exactly five fields, their
 * mode names, tags with colours; read back, the bookmarks are the same
 * (colour from the tag). */
static void
test_export (void)
{
  g_autoptr(FerBookmarks) b = fer_bookmarks_new ();
  g_autoptr(FerBookmarks) c = fer_bookmarks_new ();
  g_autofree char *path = temp_path ("export.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint n_bookmark_lines = 0;
  gboolean after_empty = FALSE;

  add (b, 124.35e6, "Tower", "am", 8000, "Aviation", "#ff8000");
  add (b, 145.5e6, "Relay", "nfm", 12500, "Ham", "#00ff00");
  add (b, 96.3e6, "Radio", "wfm-stereo", 150000, "", NULL);
  g_assert_true (fer_bookmarks_export (b, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ";", -1);

      if (lines[i][0] == '\0')
        {
          after_empty = TRUE;
          continue;
        }
      if (lines[i][0] == '#')
        continue;
      if (!after_empty)
        {
          g_assert_cmpuint (g_strv_length (fields), ==, 2);
          continue;
        }
      g_assert_cmpuint (g_strv_length (fields), ==, 5);
      n_bookmark_lines++;
    }
  g_assert_cmpuint (n_bookmark_lines, ==, 3);
  g_assert_nonnull (strstr (text, "Narrow FM"));
  g_assert_nonnull (strstr (text, "WFM (stereo)"));
  g_assert_nonnull (strstr (text, "Aviation            ; #ff8000"));

  g_assert_true (fer_bookmarks_load (c, path, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    assert_same (fer_bookmarks_get (b, i), fer_bookmarks_get (c, i));
}

/* A broken file is reported, with the line; the list is left as it was. */
static void
test_corrupt_reported (void)
{
  g_autoptr(FerBookmarks) b = fer_bookmarks_new ();
  g_autofree char *path = temp_path ("broken.csv");
  g_autoptr(GError) error = NULL;

  add (b, 100e6, "Kept", "wfm", 0, "", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "Tag ; #ffffff\n\n"
                                      " 100000000; A; AM; 8000; Tag\n"
                                      "   ninety; B; AM; 8000; Tag\n", -1, NULL));
  g_assert_false (fer_bookmarks_load (b, path, &error));
  g_assert_error (error, FER_BOOKMARKS_ERROR, FER_BOOKMARKS_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "line 4"));
  g_assert_cmpuint (fer_bookmarks_get_n (b), ==, 1);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "1; 2; 3\n", -1, NULL));
  g_assert_false (fer_bookmarks_import (b, path, NULL, &error));
  g_assert_error (error, FER_BOOKMARKS_ERROR, FER_BOOKMARKS_ERROR_CORRUPT);
  g_assert_cmpuint (fer_bookmarks_get_n (b), ==, 1);
}

/* The user's file, broken (binary junk in a CSV): loading says so and
 * where it went; the file was moved aside with its bytes untouched, the
 * list is empty, and saving starts a new file without touching the backup.
 * A missing file is simply an empty list. */
static void
test_corrupt_user_file_kept_aside (void)
{
  static const char junk[] = "# Tag name ; color\nHam ; #00ff00\n\n"
                             " 145500000; Relay; Narrow FM; 12500; Ham\n"
                             "\x01\xff\xfe garbage \x80\n";
  g_autoptr(FerBookmarks) b = fer_bookmarks_new ();
  g_autofree char *path = fer_bookmarks_get_user_path ();
  g_autofree char *backup = NULL, *bytes = NULL, *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_str_has_suffix (path, "/ferrite/bookmarks.csv"));
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));

  g_assert_true (fer_bookmarks_load_user_file (b, path, &backup, &error));
  g_assert_no_error (error);
  g_assert_null (backup);
  g_assert_cmpuint (fer_bookmarks_get_n (b), ==, 0);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, junk, sizeof junk - 1, NULL));
  add (b, 1e6, "Not yet saved", "am", 0, "", NULL);
  g_assert_false (fer_bookmarks_load_user_file (b, path, &backup, &error));
  g_assert_error (error, FER_BOOKMARKS_ERROR, FER_BOOKMARKS_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (backup);
  g_assert_true (g_str_has_prefix (backup, path));
  g_assert_nonnull (strstr (backup, ".corrupt-"));
  g_assert_nonnull (strstr (error->message, backup));
  g_assert_cmpuint (fer_bookmarks_get_n (b), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (backup, &bytes, &length, NULL));
  g_assert_cmpmem (bytes, length, junk, sizeof junk - 1);
  g_clear_error (&error);

  add (b, 145.5e6, "Relay", "nfm", 12500, "Ham", "#00ff00");
  g_assert_true (fer_bookmarks_save (b, path, &error));
  g_assert_no_error (error);
  g_clear_pointer (&bytes, g_free);
  g_assert_true (g_file_get_contents (backup, &bytes, &length, NULL));
  g_assert_cmpmem (bytes, length, junk, sizeof junk - 1);
  g_assert_true (fer_bookmarks_load_user_file (b, path, NULL, &error));
  g_assert_cmpuint (fer_bookmarks_get_n (b), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/receiver/bookmarks/list", test_list);
  g_test_add_func ("/receiver/bookmarks/round-trip", test_round_trip);
  g_test_add_func ("/receiver/bookmarks/import-common-format", test_import_common);
  g_test_add_func ("/receiver/bookmarks/export-common-format", test_export);
  g_test_add_func ("/receiver/bookmarks/corrupt-reported", test_corrupt_reported);
  g_test_add_func ("/receiver/bookmarks/corrupt-user-file-kept-aside",
                   test_corrupt_user_file_kept_aside);
  return g_test_run ();
}
