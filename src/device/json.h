/* json.h - a small, strict JSON reader for metadata files (SigMF).
 *
 * Parses a whole document into a tree of FerJson values. Made for input that
 * may be broken or hostile: nesting is limited, every error names the line
 * and column, and nothing is read past the given length.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FER_JSON_NULL,
  FER_JSON_BOOL,
  FER_JSON_NUMBER,
  FER_JSON_STRING,
  FER_JSON_ARRAY,
  FER_JSON_OBJECT,
} FerJsonType;

typedef struct _FerJson FerJson;

struct _FerJson {
  FerJsonType type;
  gboolean boolean;
  double number;
  gboolean is_integer;  /* a number written without fraction or exponent */
  char *string;         /* owned; UTF-8, NUL-terminated (an embedded \u0000 ends it) */
  GPtrArray *items;     /* owned; FerJson *: array items, or object values */
  GPtrArray *keys;      /* owned; char *: object keys, parallel to items */
};

/* NULL with FER_SOURCE_ERROR_FORMAT ("line L, column C: ...") on bad input. */
FerJson *fer_json_parse (const char *text, gsize n_bytes, GError **error);
void fer_json_free (FerJson *value);

/* The member @key of an object (the first if repeated); NULL when absent or
 * when @object is not an object. */
const FerJson *fer_json_get (const FerJson *object, const char *key);
/* Array or object size; 0 for anything else. */
guint fer_json_get_length (const FerJson *value);
const FerJson *fer_json_get_item (const FerJson *value, guint index);

/* Appends @text to @out as a JSON string literal, quotes included. */
void fer_json_append_string (GString *out, const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerJson, fer_json_free)

G_END_DECLS
