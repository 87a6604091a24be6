/* bookmarks.h - FerBookmarks: named frequencies, kept in a CSV file.
 *
 * A bookmark is a frequency with a name, a mode, a bandwidth, tags and a
 * colour. The list stays sorted by frequency; each bookmark has an id that
 * stays the same while the list lives (indices change as bookmarks come and
 * go).
 *
 * The file is the common SDR bookmarks.csv layout: a first part of tag lines
 * "name; #rrggbb", an empty line, then one line per bookmark
 * "frequency; name; modulation; bandwidth; tags" with tags separated by
 * commas and lines starting with '#' as comments. Ferrite's own file adds a
 * sixth field, the bookmark's colour, and writes its own mode names
 * ("nfm"); import () also reads the other receivers' mode names
 * ("Narrow FM") and export () writes strictly five fields with those names,
 * for them to read.
 *
 * Saving writes a temporary file and renames it over the old one, so a
 * crash leaves either the old file or the new one. A file that cannot be
 * read is never overwritten silently: fer_bookmarks_load_user_file () moves
 * it aside first. Only GLib; no threads.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_BOOKMARKS_ERROR (fer_bookmarks_error_quark ())
GQuark fer_bookmarks_error_quark (void);

typedef enum {
  FER_BOOKMARKS_ERROR_CORRUPT,   /* the file is not a bookmarks file (message: where and why) */
} FerBookmarksError;

#define FER_BOOKMARK_DEFAULT_COLOR "#c0c0c0"

typedef struct {
  guint id;             /* set by the list; ignored by add () and update () */
  double freq_hz;
  char *name;           /* never NULL ("" allowed) */
  char *mode;           /* a Ferrite mode name ("nfm"), or "" for whatever is on */
  double bandwidth_hz;  /* 0 = the mode's usual width */
  char **tags;          /* never NULL; may be empty */
  char *color;          /* "#rrggbb" */
} FerBookmark;

typedef struct _FerBookmarks FerBookmarks;

FerBookmarks *fer_bookmarks_new (void);
void fer_bookmarks_free (FerBookmarks *bookmarks);

guint fer_bookmarks_get_n (FerBookmarks *bookmarks);
/* By position, lowest frequency first (borrowed, valid until the next change). */
const FerBookmark *fer_bookmarks_get (FerBookmarks *bookmarks, guint index);
/* By id; NULL if there is none. */
const FerBookmark *fer_bookmarks_lookup (FerBookmarks *bookmarks, guint id);
/* Position of @id, or -1. */
int fer_bookmarks_index_of (FerBookmarks *bookmarks, guint id);

/* Copies @bookmark in (NULL fields take defaults) and returns its new id. */
guint fer_bookmarks_add (FerBookmarks *bookmarks, const FerBookmark *bookmark);
/* Replaces the fields of @id with @bookmark's; FALSE if there is no @id. */
gboolean fer_bookmarks_update (FerBookmarks *bookmarks, guint id, const FerBookmark *bookmark);
gboolean fer_bookmarks_remove (FerBookmarks *bookmarks, guint id);
void fer_bookmarks_clear (FerBookmarks *bookmarks);

/* The first bookmark above (below) @freq_hz, or NULL; for stepping through
 * them from the keyboard. */
const FerBookmark *fer_bookmarks_next (FerBookmarks *bookmarks, double freq_hz);
const FerBookmark *fer_bookmarks_previous (FerBookmarks *bookmarks, double freq_hz);

/* Files. I/O errors come in G_FILE_ERROR, unreadable contents as
 * FER_BOOKMARKS_ERROR_CORRUPT naming the line. */

/* Replaces the list with the file's bookmarks; on error the list is unchanged. */
gboolean fer_bookmarks_load (FerBookmarks *bookmarks, const char *path, GError **error);
/* Writes Ferrite's own file (atomically, creating the folder). */
gboolean fer_bookmarks_save (FerBookmarks *bookmarks, const char *path, GError **error);
/* Adds the file's bookmarks (either flavour) to the list, skipping ones
 * already there (same frequency and name); @n_added may be NULL. */
gboolean fer_bookmarks_import (FerBookmarks *bookmarks, const char *path, guint *n_added,
                               GError **error);
/* Writes the strict five-field file other receivers read. */
gboolean fer_bookmarks_export (FerBookmarks *bookmarks, const char *path, GError **error);

/* <user data dir>/ferrite/bookmarks.csv; g_free it. */
char *fer_bookmarks_get_user_path (void);
/* Loads @path: a missing file is an empty list. A file that cannot be read
 * is renamed to @path.corrupt-<YYYYmmdd-HHMMSS> (bytes untouched) and FALSE
 * returned with an error saying so; then the list is empty, and the next
 * save starts a new file. @backup_path (may be NULL) gets the new name. */
gboolean fer_bookmarks_load_user_file (FerBookmarks *bookmarks, const char *path,
                                       char **backup_path, GError **error);

/* Mode names: Ferrite's ("nfm") for the common SDR file's ("Narrow FM"),
 * and back. Unknown names give NULL. */
const char *fer_bookmarks_mode_from_common (const char *modulation);
const char *fer_bookmarks_mode_to_common (const char *mode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerBookmarks, fer_bookmarks_free)

G_END_DECLS
