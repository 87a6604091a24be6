/* bookmarks.c - FerBookmarks: named frequencies, kept in a CSV file. */
#define G_LOG_DOMAIN "fer-bookmarks"

#include "bookmarks.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define UNTAGGED "Untagged"    /* the other receivers' name for "no tag" */
#define MAX_FREQ_HZ 1e12

struct _FerBookmarks {
  GPtrArray *items;     /* owned; FerBookmark *, sorted by frequency */
  GHashTable *tag_colors; /* owned; tag → "#rrggbb" */
  guint next_id;
};

G_DEFINE_QUARK (fer-bookmarks-error-quark, fer_bookmarks_error)

/* The other receivers' modulation names and Ferrite's. The first match of a
 * Ferrite name is what export writes. */
static const struct {
  const char *common;
  const char *mode;
} modes[] = {
  { "WFM (mono)", "wfm" },
  { "WFM (stereo)", "wfm-stereo" },
  { "WFM (oirt)", "wfm" },
  { "Narrow FM", "nfm" },
  { "AM", "am" },
  { "AM-Sync", "am-sync" },
  { "USB", "usb" },
  { "LSB", "lsb" },
  { "CW-U", "cw" },
  { "CW-L", "cw" },
  { "Raw I/Q", "raw" },
  { "AM", "dsb" },          /* no double sideband there: AM is the nearest */
  { "Demod Off", "" },
};

const char *
fer_bookmarks_mode_from_common (const char *modulation)
{
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_ascii_strcasecmp (modulation, modes[i].common) == 0)
      return modes[i].mode;
  return NULL;
}

const char *
fer_bookmarks_mode_to_common (const char *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_strcmp0 (mode, modes[i].mode) == 0)
      return modes[i].common;
  return NULL;
}

/* Ferrite's own names, for reading its files without the demodulator's
 * table (this layer does not depend on it). */
static gboolean
is_mode_name (const char *s)
{
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (strcmp (s, modes[i].mode) == 0)
      return TRUE;
  /* a mode added later: lower-case letters, digits and '-' */
  for (const char *p = s; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}

static gboolean
is_color (const char *s)
{
  gsize n = strlen (s);

  if (s[0] != '#' || (n != 7 && n != 4))
    return FALSE;
  for (gsize i = 1; i < n; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* "#abc" → "#aabbcc", lower case. */
static char *
normalize_color (const char *s)
{
  if (strlen (s) == 4)
    return g_ascii_strdown ((char[]) { '#', s[1], s[1], s[2], s[2], s[3], s[3], 0 }, -1);
  return g_ascii_strdown (s, -1);
}

/* The list */

static void
bookmark_free (gpointer data)
{
  FerBookmark *b = data;

  g_free (b->name);
  g_free (b->mode);
  g_strfreev (b->tags);
  g_free (b->color);
  g_free (b);
}

/* Names and tags go into a ';'-separated file: no separators, no newlines. */
static char *
clean_text (const char *text, const char *also)
{
  char *s = g_strdup (text ? text : "");

  for (char *p = s; *p; p++)
    if (*p == ';' || *p == '\n' || *p == '\r' || (also && strchr (also, *p)))
      *p = ' ';
  return g_strstrip (s);
}

static void
bookmark_fill (FerBookmark *dst, const FerBookmark *src)
{
  GPtrArray *tags = g_ptr_array_new ();

  dst->freq_hz = src->freq_hz;
  dst->name = clean_text (src->name, NULL);
  dst->mode = g_strdup (src->mode ? src->mode : "");
  dst->bandwidth_hz = MAX (src->bandwidth_hz, 0.0);
  for (guint i = 0; src->tags && src->tags[i]; i++)
    {
      char *t = clean_text (src->tags[i], ",");

      if (*t == '\0' || strcmp (t, UNTAGGED) == 0)
        g_free (t);
      else
        g_ptr_array_add (tags, t);
    }
  g_ptr_array_add (tags, NULL);
  dst->tags = (char **) g_ptr_array_free (tags, FALSE);
  dst->color = src->color && is_color (src->color) ? normalize_color (src->color)
                                                   : g_strdup (FER_BOOKMARK_DEFAULT_COLOR);
}

static gint
compare_freq (gconstpointer a, gconstpointer b)
{
  const FerBookmark *x = *(FerBookmark * const *) a, *y = *(FerBookmark * const *) b;

  return (x->freq_hz > y->freq_hz) - (x->freq_hz < y->freq_hz);
}

static void
sort (FerBookmarks *bookmarks)
{
  /* g_ptr_array_sort is a merge sort: stable, equal frequencies keep their order */
  g_ptr_array_sort (bookmarks->items, compare_freq);
}

FerBookmarks *
fer_bookmarks_new (void)
{
  FerBookmarks *bookmarks = g_new0 (FerBookmarks, 1);

  bookmarks->items = g_ptr_array_new_with_free_func (bookmark_free);
  bookmarks->tag_colors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  bookmarks->next_id = 1;
  return bookmarks;
}

void
fer_bookmarks_free (FerBookmarks *bookmarks)
{
  if (bookmarks == NULL)
    return;
  g_ptr_array_unref (bookmarks->items);
  g_hash_table_unref (bookmarks->tag_colors);
  g_free (bookmarks);
}

guint
fer_bookmarks_get_n (FerBookmarks *bookmarks)
{
  return bookmarks->items->len;
}

const FerBookmark *
fer_bookmarks_get (FerBookmarks *bookmarks, guint index)
{
  g_return_val_if_fail (index < bookmarks->items->len, NULL);
  return bookmarks->items->pdata[index];
}

int
fer_bookmarks_index_of (FerBookmarks *bookmarks, guint id)
{
  for (guint i = 0; i < bookmarks->items->len; i++)
    if (((FerBookmark *) bookmarks->items->pdata[i])->id == id)
      return (int) i;
  return -1;
}

const FerBookmark *
fer_bookmarks_lookup (FerBookmarks *bookmarks, guint id)
{
  int i = fer_bookmarks_index_of (bookmarks, id);

  return i < 0 ? NULL : bookmarks->items->pdata[i];
}

guint
fer_bookmarks_add (FerBookmarks *bookmarks, const FerBookmark *bookmark)
{
  FerBookmark *b = g_new0 (FerBookmark, 1);

  g_return_val_if_fail (bookmark != NULL && isfinite (bookmark->freq_hz), 0);
  bookmark_fill (b, bookmark);
  b->id = bookmarks->next_id++;
  g_ptr_array_add (bookmarks->items, b);
  sort (bookmarks);
  return b->id;
}

gboolean
fer_bookmarks_update (FerBookmarks *bookmarks, guint id, const FerBookmark *bookmark)
{
  int i = fer_bookmarks_index_of (bookmarks, id);
  FerBookmark *b, fresh = { 0 };

  g_return_val_if_fail (bookmark != NULL && isfinite (bookmark->freq_hz), FALSE);
  if (i < 0)
    return FALSE;
  b = bookmarks->items->pdata[i];
  /* fill first: @bookmark may point into @b's own strings */
  bookmark_fill (&fresh, bookmark);
  g_free (b->name);
  g_free (b->mode);
  g_strfreev (b->tags);
  g_free (b->color);
  fresh.id = b->id;
  *b = fresh;
  sort (bookmarks);
  return TRUE;
}

gboolean
fer_bookmarks_remove (FerBookmarks *bookmarks, guint id)
{
  int i = fer_bookmarks_index_of (bookmarks, id);

  if (i < 0)
    return FALSE;
  g_ptr_array_remove_index (bookmarks->items, (guint) i);
  return TRUE;
}

void
fer_bookmarks_clear (FerBookmarks *bookmarks)
{
  g_ptr_array_set_size (bookmarks->items, 0);
  g_hash_table_remove_all (bookmarks->tag_colors);
}

const FerBookmark *
fer_bookmarks_next (FerBookmarks *bookmarks, double freq_hz)
{
  for (guint i = 0; i < bookmarks->items->len; i++)
    if (((FerBookmark *) bookmarks->items->pdata[i])->freq_hz > freq_hz + 0.5)
      return bookmarks->items->pdata[i];
  return NULL;
}

const FerBookmark *
fer_bookmarks_previous (FerBookmarks *bookmarks, double freq_hz)
{
  for (guint i = bookmarks->items->len; i-- > 0;)
    if (((FerBookmark *) bookmarks->items->pdata[i])->freq_hz < freq_hz - 0.5)
      return bookmarks->items->pdata[i];
  return NULL;
}

/* Reading */

typedef struct {
  GPtrArray *items;       /* FerBookmark * */
  GHashTable *tag_colors; /* tag → colour */
} Parsed;

static void
parsed_clear (Parsed *p)
{
  g_clear_pointer (&p->items, g_ptr_array_unref);
  g_clear_pointer (&p->tag_colors, g_hash_table_unref);
}

static gboolean
corrupt (GError **error, const char *path, guint line, const char *why)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, FER_BOOKMARKS_ERROR, FER_BOOKMARKS_ERROR_CORRUPT,
               /* TRANSLATORS: file name, line number, what is wrong */
               _("%s, line %u: %s"), name, line, why);
  return FALSE;
}

static gboolean
parse_number (const char *text, double max, double *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  char *end = NULL;
  double v;

  if (*s == '\0')
    return FALSE;
  v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || !isfinite (v) || v < 0 || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_bookmark (Parsed *p, char **fields, guint n_fields, const char *path, guint line,
                GError **error)
{
  FerBookmark b = { 0 }, *copy;
  g_autofree char *modulation = g_strstrip (g_strdup (fields[2]));
  g_autofree char *color = NULL;
  g_auto(GStrv) tags = NULL;
  const char *mode;

  if (!parse_number (fields[0], MAX_FREQ_HZ, &b.freq_hz) || b.freq_hz <= 0)
    return corrupt (error, path, line, _("the frequency is not a number of hertz"));
  if (!parse_number (fields[3], MAX_FREQ_HZ, &b.bandwidth_hz))
    return corrupt (error, path, line, _("the bandwidth is not a number of hertz"));
  mode = fer_bookmarks_mode_from_common (modulation);
  if (mode == NULL)
    {
      if (!is_mode_name (modulation))
        return corrupt (error, path, line, _("unknown modulation"));
      mode = modulation;
    }
  tags = g_strsplit (fields[4], ",", -1);
  for (guint i = 0; tags[i]; i++)
    g_strstrip (tags[i]);
  if (n_fields == 6)
    {
      color = g_strstrip (g_strdup (fields[5]));
      if (!is_color (color))
        return corrupt (error, path, line, _("the colour is not #rrggbb"));
    }
  else
    {
      /* the colour of its first tag that has one */
      for (guint i = 0; tags[i] && color == NULL; i++)
        color = g_strdup (g_hash_table_lookup (p->tag_colors, tags[i]));
    }

  b.name = fields[1];
  b.mode = (char *) mode;
  b.tags = tags;
  b.color = color;
  copy = g_new0 (FerBookmark, 1);
  bookmark_fill (copy, &b);
  g_ptr_array_add (p->items, copy);
  return TRUE;
}

static guint
line_of (const char *contents, const char *at)
{
  guint line = 1;

  for (const char *p = contents; p < at; p++)
    line += *p == '\n';
  return line;
}

/* Parses @contents (@length bytes) of the file at @path. */
static gboolean
parse (Parsed *p, const char *contents, gsize length, const char *path, GError **error)
{
  g_auto(GStrv) lines = NULL;
  gboolean in_tags = TRUE;
  const char *bad;

  p->items = g_ptr_array_new_with_free_func (bookmark_free);
  p->tag_colors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if ((bad = memchr (contents, '\0', length)) != NULL)
    return corrupt (error, path, line_of (contents, bad), _("the file holds binary data"));
  if (!g_utf8_validate (contents, (gssize) length, &bad))
    return corrupt (error, path, line_of (contents, bad), _("the file is not UTF-8 text"));

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);  /* also drops a '\r' */
      g_auto(GStrv) fields = NULL;
      guint n;

      if (*line == '\0')
        {
          in_tags = FALSE;  /* the tags end at the first empty line */
          continue;
        }
      if (*line == '#')
        continue;
      fields = g_strsplit (line, ";", -1);
      n = g_strv_length (fields);
      if (in_tags && n == 2)
        {
          char *tag = g_strstrip (fields[0]), *color = g_strstrip (fields[1]);

          if (!is_color (color))
            return corrupt (error, path, i + 1, _("the tag's colour is not #rrggbb"));
          g_hash_table_replace (p->tag_colors, g_strdup (tag), normalize_color (color));
          continue;
        }
      /* a bookmark line in the tags' part: a file without tags */
      if (n == 5 || n == 6)
        {
          in_tags = FALSE;
          if (!parse_bookmark (p, fields, n, path, i + 1, error))
            return FALSE;
          continue;
        }
      return corrupt (error, path, i + 1,
                      in_tags ? _("expected “tag; colour”") :
                                _("expected “frequency; name; modulation; bandwidth; tags”"));
    }
  return TRUE;
}

static gboolean
read_file (Parsed *p, const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  if (!parse (p, contents, length, path, error))
    {
      parsed_clear (p);
      return FALSE;
    }
  return TRUE;
}

static void
take_tag_colors (FerBookmarks *bookmarks, GHashTable *colors)
{
  GHashTableIter iter;
  gpointer tag, color;

  g_hash_table_iter_init (&iter, colors);
  while (g_hash_table_iter_next (&iter, &tag, &color))
    if (!g_hash_table_contains (bookmarks->tag_colors, tag))
      g_hash_table_insert (bookmarks->tag_colors, g_strdup (tag), g_strdup (color));
}

gboolean
fer_bookmarks_load (FerBookmarks *bookmarks, const char *path, GError **error)
{
  Parsed p = { 0 };

  if (!read_file (&p, path, error))
    return FALSE;
  fer_bookmarks_clear (bookmarks);
  for (guint i = 0; i < p.items->len; i++)
    ((FerBookmark *) p.items->pdata[i])->id = bookmarks->next_id++;
  g_ptr_array_extend_and_steal (bookmarks->items, g_steal_pointer (&p.items));
  sort (bookmarks);
  take_tag_colors (bookmarks, p.tag_colors);
  parsed_clear (&p);
  return TRUE;
}

gboolean
fer_bookmarks_import (FerBookmarks *bookmarks, const char *path, guint *n_added, GError **error)
{
  Parsed p = { 0 };
  guint added = 0;

  if (!read_file (&p, path, error))
    return FALSE;
  for (guint i = 0; i < p.items->len; i++)
    {
      FerBookmark *b = p.items->pdata[i];
      gboolean known = FALSE;

      for (guint j = 0; j < bookmarks->items->len && !known; j++)
        {
          const FerBookmark *o = bookmarks->items->pdata[j];
          known = fabs (o->freq_hz - b->freq_hz) < 0.5 && strcmp (o->name, b->name) == 0;
        }
      if (!known)
        {
          fer_bookmarks_add (bookmarks, b);
          added++;
        }
    }
  take_tag_colors (bookmarks, p.tag_colors);
  parsed_clear (&p);
  if (n_added)
    *n_added = added;
  return TRUE;
}

/* Writing */

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  /* the sort hands pointers to the elements */
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The tags the bookmarks use, each with a colour: the one known for it, else
 * the colour of the first bookmark carrying it. Sorted, for a stable file. */
static GPtrArray *
used_tags (FerBookmarks *bookmarks, GHashTable *colors)
{
  GPtrArray *tags = g_ptr_array_new ();

  for (guint i = 0; i < bookmarks->items->len; i++)
    {
      const FerBookmark *b = bookmarks->items->pdata[i];

      for (guint t = 0; b->tags[t]; t++)
        if (!g_hash_table_contains (colors, b->tags[t]))
          {
            const char *known = g_hash_table_lookup (bookmarks->tag_colors, b->tags[t]);

            g_hash_table_insert (colors, b->tags[t], (gpointer) (known ? known : b->color));
            g_ptr_array_add (tags, b->tags[t]);
          }
    }
  g_ptr_array_sort (tags, compare_strings);
  return tags;
}

static char *
format_file (FerBookmarks *bookmarks, gboolean common)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GHashTable) colors = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) tags = used_tags (bookmarks, colors);

  if (!common)
    g_string_append (out, "# Ferrite bookmarks: tags and their colours, an empty line, "
                          "then one bookmark a line\n");
  g_string_append_printf (out, "%-20s; %s\n", "# Tag name", " color");
  for (guint i = 0; i < tags->len; i++)
    {
      const char *tag = tags->pdata[i];

      g_string_append_printf (out, "%-20s; %s\n", tag,
                              (const char *) g_hash_table_lookup (colors, tag));
    }
  g_string_append_c (out, '\n');
  g_string_append_printf (out, "%-12s; %-25s; %-20s; %10s; %s%s\n", "# Frequency", "Name",
                          "Modulation", "Bandwidth", "Tags", common ? "" : "; Color");
  for (guint i = 0; i < bookmarks->items->len; i++)
    {
      const FerBookmark *b = bookmarks->items->pdata[i];
      const char *modulation = b->mode;
      g_autofree char *tag_list = NULL;

      if (common)
        {
          modulation = fer_bookmarks_mode_to_common (b->mode);
          if (modulation == NULL)
            modulation = "Demod Off";
        }
      tag_list = b->tags[0] ? g_strjoinv (",", b->tags) : g_strdup (common ? UNTAGGED : "");
      g_string_append_printf (out, "%12.0f; %-25s; %-20s; %10.0f; %s", b->freq_hz, b->name,
                              modulation, b->bandwidth_hz, tag_list);
      if (!common)
        g_string_append_printf (out, "; %s", b->color);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static gboolean
write_file (const char *path, const char *contents, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), name, g_strerror (saved));
      return FALSE;
    }
  /* a temporary file renamed over the old one: never half a file */
  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

gboolean
fer_bookmarks_save (FerBookmarks *bookmarks, const char *path, GError **error)
{
  g_autofree char *contents = format_file (bookmarks, FALSE);

  return write_file (path, contents, error);
}

gboolean
fer_bookmarks_export (FerBookmarks *bookmarks, const char *path, GError **error)
{
  g_autofree char *contents = format_file (bookmarks, TRUE);

  return write_file (path, contents, error);
}

char *
fer_bookmarks_get_user_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ferrite", "bookmarks.csv", NULL);
}

gboolean
fer_bookmarks_load_user_file (FerBookmarks *bookmarks, const char *path, char **backup_path,
                              GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL, *backup = NULL, *shown = NULL;

  if (backup_path)
    *backup_path = NULL;
  if (fer_bookmarks_load (bookmarks, path, &local))
    return TRUE;
  if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      fer_bookmarks_clear (bookmarks);
      return TRUE;  /* nothing saved yet */
    }
  if (!g_error_matches (local, FER_BOOKMARKS_ERROR, FER_BOOKMARKS_ERROR_CORRUPT))
    {
      /* unreadable for another reason (permissions...): leave it where it is */
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  /* keep it aside, untouched, under a name no later save will take */
  now = g_date_time_new_now_local ();
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  backup = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  for (guint n = 1; g_file_test (backup, G_FILE_TEST_EXISTS); n++)
    {
      g_free (backup);
      backup = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }
  if (g_rename (path, backup) != 0)
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("The bookmarks file %s cannot be read (%s), and cannot be moved aside: %s"),
                   name, local->message, g_strerror (saved));
      return FALSE;
    }
  fer_bookmarks_clear (bookmarks);
  shown = g_filename_display_name (backup);
  g_set_error (error, FER_BOOKMARKS_ERROR, FER_BOOKMARKS_ERROR_CORRUPT,
               _("The bookmarks file cannot be read (%s). It was kept as %s; "
                 "new bookmarks go into a new file."), local->message, shown);
  if (backup_path)
    *backup_path = g_steal_pointer (&backup);
  return FALSE;
}
