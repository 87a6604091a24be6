#define G_LOG_DOMAIN "fer-json"

#include "json.h"

#include <math.h>
#include <string.h>

#include "device-error.h"

/* Deeper than any metadata needs; keeps the recursion's stack small. */
#define MAX_DEPTH 64
#define MAX_NUMBER_CHARS 64

typedef struct {
  const char *text;
  gsize len;
  gsize pos;
  GError *error;
} Parser;

static void
fail (Parser *p, const char *what)
{
  if (p->error != NULL)
    return;
  guint line = 1, column = 1;
  for (gsize i = 0; i < p->pos && i < p->len; i++)
    {
      if (p->text[i] == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }
  g_set_error (&p->error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT,
               "line %u, column %u: %s", line, column, what);
}

static void
skip_space (Parser *p)
{
  while (p->pos < p->len)
    {
      char c = p->text[p->pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      p->pos++;
    }
}

static gboolean
expect_word (Parser *p, const char *word)
{
  gsize n = strlen (word);
  if (p->len - p->pos < n || memcmp (p->text + p->pos, word, n) != 0)
    {
      fail (p, "unexpected text (not a JSON value)");
      return FALSE;
    }
  p->pos += n;
  return TRUE;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Parser *p, gunichar *out)
{
  if (p->len - p->pos < 4)
    {
      fail (p, "\\u escape cut short");
      return FALSE;
    }
  gunichar v = 0;
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (p->text[p->pos + i]);
      if (d < 0)
        {
          fail (p, "\\u escape needs four hex digits");
          return FALSE;
        }
      v = v << 4 | (gunichar) d;
    }
  p->pos += 4;
  *out = v;
  return TRUE;
}

/* At the opening quote. */
static char *
parse_string (Parser *p)
{
  g_autoptr (GString) out = g_string_new (NULL);
  p->pos++;
  for (;;)
    {
      if (p->pos >= p->len)
        {
          fail (p, "string not closed");
          return NULL;
        }
      unsigned char c = (unsigned char) p->text[p->pos];
      if (c == '"')
        {
          p->pos++;
          break;
        }
      if (c < 0x20)
        {
          fail (p, "control character inside a string");
          return NULL;
        }
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          p->pos++;
          continue;
        }
      if (++p->pos >= p->len)
        {
          fail (p, "string not closed");
          return NULL;
        }
      char e = p->text[p->pos++];
      gunichar u;
      switch (e)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          if (!read_hex4 (p, &u))
            return NULL;
          if (u >= 0xD800 && u <= 0xDBFF)
            {
              gunichar low;
              if (p->len - p->pos < 2 || p->text[p->pos] != '\\' || p->text[p->pos + 1] != 'u')
                {
                  fail (p, "lone UTF-16 surrogate in a \\u escape");
                  return NULL;
                }
              p->pos += 2;
              if (!read_hex4 (p, &low))
                return NULL;
              if (low < 0xDC00 || low > 0xDFFF)
                {
                  fail (p, "lone UTF-16 surrogate in a \\u escape");
                  return NULL;
                }
              u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
            }
          else if (u >= 0xDC00 && u <= 0xDFFF)
            {
              fail (p, "lone UTF-16 surrogate in a \\u escape");
              return NULL;
            }
          if (u == 0)
            {
              fail (p, "\\u0000 inside a string");
              return NULL;
            }
          g_string_append_unichar (out, u);
          break;
        default:
          fail (p, "unknown escape in a string");
          return NULL;
        }
    }
  if (!g_utf8_validate (out->str, (gssize) out->len, NULL))
    {
      fail (p, "string is not valid UTF-8");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_digit (Parser *p)
{
  return p->pos < p->len && p->text[p->pos] >= '0' && p->text[p->pos] <= '9';
}

static gboolean
parse_number (Parser *p, FerJson *v)
{
  gsize start = p->pos;
  gboolean integer = TRUE;
  if (p->pos < p->len && p->text[p->pos] == '-')
    p->pos++;
  if (!is_digit (p))
    {
      fail (p, "unexpected text (not a JSON value)");
      return FALSE;
    }
  if (p->text[p->pos] == '0')
    p->pos++;
  else
    while (is_digit (p))
      p->pos++;
  if (p->pos < p->len && p->text[p->pos] == '.')
    {
      integer = FALSE;
      p->pos++;
      if (!is_digit (p))
        {
          fail (p, "a number needs digits after its decimal point");
          return FALSE;
        }
      while (is_digit (p))
        p->pos++;
    }
  if (p->pos < p->len && (p->text[p->pos] == 'e' || p->text[p->pos] == 'E'))
    {
      integer = FALSE;
      p->pos++;
      if (p->pos < p->len && (p->text[p->pos] == '+' || p->text[p->pos] == '-'))
        p->pos++;
      if (!is_digit (p))
        {
          fail (p, "a number needs digits in its exponent");
          return FALSE;
        }
      while (is_digit (p))
        p->pos++;
    }
  gsize n = p->pos - start;
  if (n > MAX_NUMBER_CHARS)
    {
      p->pos = start;
      fail (p, "number too long");
      return FALSE;
    }
  char buf[MAX_NUMBER_CHARS + 1];
  memcpy (buf, p->text + start, n);
  buf[n] = '\0';
  double d = g_ascii_strtod (buf, NULL);
  if (!isfinite (d))
    {
      p->pos = start;
      fail (p, "number out of range");
      return FALSE;
    }
  v->type = FER_JSON_NUMBER;
  v->number = d;
  v->is_integer = integer;
  return TRUE;
}

static FerJson *parse_value (Parser *p, guint depth);

static gboolean
parse_members (Parser *p, FerJson *v, guint depth, gboolean object)
{
  char close = object ? '}' : ']';
  v->items = g_ptr_array_new_with_free_func ((GDestroyNotify) fer_json_free);
  if (object)
    v->keys = g_ptr_array_new_with_free_func (g_free);
  p->pos++;
  skip_space (p);
  if (p->pos < p->len && p->text[p->pos] == close)
    {
      p->pos++;
      return TRUE;
    }
  for (;;)
    {
      skip_space (p);
      if (object)
        {
          if (p->pos >= p->len || p->text[p->pos] != '"')
            {
              fail (p, "object member needs a quoted name");
              return FALSE;
            }
          char *key = parse_string (p);
          if (key == NULL)
            return FALSE;
          g_ptr_array_add (v->keys, key);
          skip_space (p);
          if (p->pos >= p->len || p->text[p->pos] != ':')
            {
              fail (p, "':' missing after a member name");
              return FALSE;
            }
          p->pos++;
        }
      FerJson *item = parse_value (p, depth + 1);
      if (item == NULL)
        return FALSE;
      g_ptr_array_add (v->items, item);
      skip_space (p);
      if (p->pos >= p->len)
        {
          fail (p, object ? "object not closed" : "array not closed");
          return FALSE;
        }
      char c = p->text[p->pos++];
      if (c == close)
        return TRUE;
      if (c != ',')
        {
          p->pos--;
          fail (p, object ? "',' or '}' expected" : "',' or ']' expected");
          return FALSE;
        }
    }
}

static FerJson *
parse_value (Parser *p, guint depth)
{
  if (depth > MAX_DEPTH)
    {
      fail (p, "nested too deeply");
      return NULL;
    }
  skip_space (p);
  if (p->pos >= p->len)
    {
      fail (p, "value expected, found the end");
      return NULL;
    }
  g_autoptr (FerJson) v = g_new0 (FerJson, 1);
  gboolean ok;
  switch (p->text[p->pos])
    {
    case '{':
      v->type = FER_JSON_OBJECT;
      ok = parse_members (p, v, depth, TRUE);
      break;
    case '[':
      v->type = FER_JSON_ARRAY;
      ok = parse_members (p, v, depth, FALSE);
      break;
    case '"':
      v->type = FER_JSON_STRING;
      v->string = parse_string (p);
      ok = v->string != NULL;
      break;
    case 't':
      v->type = FER_JSON_BOOL;
      v->boolean = TRUE;
      ok = expect_word (p, "true");
      break;
    case 'f':
      v->type = FER_JSON_BOOL;
      ok = expect_word (p, "false");
      break;
    case 'n':
      v->type = FER_JSON_NULL;
      ok = expect_word (p, "null");
      break;
    default:
      ok = parse_number (p, v);
      break;
    }
  return ok ? g_steal_pointer (&v) : NULL;
}

FerJson *
fer_json_parse (const char *text, gsize n_bytes, GError **error)
{
  Parser p = { text, n_bytes, 0, NULL };
  /* A byte-order mark is not JSON, but editors write one. */
  if (n_bytes >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    p.pos = 3;
  FerJson *v = parse_value (&p, 0);
  if (v != NULL)
    {
      skip_space (&p);
      if (p.pos < p.len)
        {
          fail (&p, "text after the end of the document");
          g_clear_pointer (&v, fer_json_free);
        }
    }
  if (v == NULL)
    g_propagate_error (error, p.error);
  return v;
}

void
fer_json_free (FerJson *value)
{
  if (value == NULL)
    return;
  g_free (value->string);
  if (value->items != NULL)
    g_ptr_array_unref (value->items);
  if (value->keys != NULL)
    g_ptr_array_unref (value->keys);
  g_free (value);
}

const FerJson *
fer_json_get (const FerJson *object, const char *key)
{
  if (object == NULL || object->type != FER_JSON_OBJECT)
    return NULL;
  for (guint i = 0; i < object->keys->len; i++)
    if (strcmp (object->keys->pdata[i], key) == 0)
      return object->items->pdata[i];
  return NULL;
}

guint
fer_json_get_length (const FerJson *value)
{
  if (value == NULL || value->items == NULL)
    return 0;
  return value->items->len;
}

const FerJson *
fer_json_get_item (const FerJson *value, guint index)
{
  if (index >= fer_json_get_length (value))
    return NULL;
  return value->items->pdata[index];
}

void
fer_json_append_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const unsigned char *c = (const unsigned char *) text; *c != '\0'; c++)
    {
      switch (*c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*c < 0x20)
            g_string_append_printf (out, "\\u%04x", *c);
          else
            g_string_append_c (out, (char) *c);
        }
    }
  g_string_append_c (out, '"');
}
