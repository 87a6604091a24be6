#define G_LOG_DOMAIN "fer-iqfile"

#include "iqfile.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device-error.h"
#include "json.h"

/* Only the chunks before the samples are read; a WAV file whose samples
 * start later than this is not one we can play. */
#define WAV_HEADER_MAX_BYTES (1024 * 1024)
/* A meta file this big is not metadata. */
#define SIGMF_META_MAX_BYTES (16 * 1024 * 1024)
#define MIN_RATE_HZ 1000.0
#define MAX_RATE_HZ 100e6
#define MAX_CENTER_HZ 1e12
#define WAV_SIZE_UNKNOWN 0xFFFFFFFFu
#define WAV_FORMAT_PCM 1
#define WAV_FORMAT_FLOAT 3
#define WAV_FORMAT_EXTENSIBLE 0xFFFE
/* The auxi chunk: start and stop time (two Windows SYSTEMTIMEs of 8 u16),
 * then u32 centre frequency, A/D rate, IF, bandwidth, IQ offset, dB
 * offset, max value and two spare words; programs that read a fixed size
 * expect it padded to 164 bytes. */
#define AUXI_BYTES 164
#define AUXI_CENTER_OFFSET 32
#define AUXI_RATE_OFFSET 36
#define SIGMF_VERSION "1.0.0"

const char *
fer_iq_container_name (FerIqContainer container)
{
  switch (container)
    {
    case FER_IQ_CONTAINER_RAW: return "raw";
    case FER_IQ_CONTAINER_WAV: return "wav";
    case FER_IQ_CONTAINER_SIGMF: return "sigmf";
    }
  return "?";
}

FerIqFileInfo *
fer_iq_file_info_new (FerIqContainer container)
{
  FerIqFileInfo *info = g_new0 (FerIqFileInfo, 1);
  info->container = container;
  info->center_hz = NAN;
  info->captures = g_array_new (FALSE, FALSE, sizeof (FerIqCapture));
  return info;
}

void
fer_iq_file_info_free (FerIqFileInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->data_path);
  g_array_unref (info->captures);
  g_free (info->datetime);
  g_free (info->hw);
  g_free (info->note);
  g_free (info);
}

static guint16
get_u16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

static guint32
get_u32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint64
get_u64 (const guint8 *p)
{
  return (guint64) get_u32 (p) | (guint64) get_u32 (p + 4) << 32;
}

static void
put_u16 (guint8 *p, guint16 v)
{
  p[0] = (guint8) v;
  p[1] = (guint8) (v >> 8);
}

static void
put_u32 (guint8 *p, guint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (guint8) (v >> (8 * i));
}

static gboolean
format_error (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
format_error (GError **error, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT, msg);
  return FALSE;
}

static gboolean
rate_ok (double rate_hz)
{
  return isfinite (rate_hz) && rate_hz >= MIN_RATE_HZ && rate_hz <= MAX_RATE_HZ;
}

/* --- WAV ------------------------------------------------------------------ */

/* A SYSTEMTIME as ISO 8601, or NULL if it holds no date. */
static char *
systemtime_to_iso (const guint8 *p)
{
  guint year = get_u16 (p), month = get_u16 (p + 2), day = get_u16 (p + 6);
  guint hour = get_u16 (p + 8), minute = get_u16 (p + 10), second = get_u16 (p + 12);
  guint ms = get_u16 (p + 14);
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31
      || hour > 23 || minute > 59 || second > 60 || ms > 999)
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", year, month, day, hour,
                          minute, second, ms);
}

gboolean
fer_iq_wav_parse (const guint8 *h, gsize n, guint64 file_bytes, FerIqFileInfo *info,
                  GError **error)
{
  if (n < 12 || (memcmp (h, "RIFF", 4) != 0 && memcmp (h, "RF64", 4) != 0)
      || memcmp (h + 8, "WAVE", 4) != 0)
    return format_error (error, "not a WAV file (no RIFF/WAVE header)");
  gboolean rf64 = memcmp (h, "RF64", 4) == 0;
  guint64 data_bytes64 = 0;
  gboolean have_fmt = FALSE, have_data = FALSE;
  guint tag = 0, channels = 0, bits = 0, block_align = 0;
  guint32 rate = 0;
  guint64 declared = 0, offset = 0;

  for (gsize off = 12; off + 8 <= n;)
    {
      const guint8 *id = h + off;
      guint32 size = get_u32 (h + off + 4);
      gsize body = off + 8;
      gsize have = n - body;   /* chunk bytes present in the header buffer */
      if (memcmp (id, "data", 4) == 0)
        {
          have_data = TRUE;
          offset = body;
          declared = size;
          if (rf64 && size == WAV_SIZE_UNKNOWN)
            declared = data_bytes64;
          break;
        }
      if (size > have)
        {
          char name[5];
          for (int i = 0; i < 4; i++)
            name[i] = g_ascii_isprint (id[i]) ? (char) id[i] : '?';
          name[4] = '\0';
          return format_error (error, "the WAV file's \"%s\" chunk (%u bytes) runs past %s",
                               name, size,
                               n < file_bytes ? "the first MiB: no samples found there"
                                              : "the end of the file");
        }
      if (memcmp (id, "fmt ", 4) == 0)
        {
          if (size < 16)
            return format_error (error, "the WAV file's fmt chunk is %u bytes, too short", size);
          tag = get_u16 (h + body);
          channels = get_u16 (h + body + 2);
          rate = get_u32 (h + body + 4);
          block_align = get_u16 (h + body + 12);
          bits = get_u16 (h + body + 14);
          if (tag == WAV_FORMAT_EXTENSIBLE && size >= 40)
            tag = get_u16 (h + body + 24);   /* the sub-format GUID starts with the tag */
          have_fmt = TRUE;
        }
      else if (memcmp (id, "ds64", 4) == 0 && rf64 && size >= 16)
        data_bytes64 = get_u64 (h + body + 8);
      else if (memcmp (id, "auxi", 4) == 0 && size >= AUXI_CENTER_OFFSET + 4)
        {
          guint32 center = get_u32 (h + body + AUXI_CENTER_OFFSET);
          if (center > 0)
            info->center_hz = center;
          g_free (info->datetime);
          info->datetime = systemtime_to_iso (h + body);
        }
      off = body + size + (size & 1);
    }

  if (!have_fmt)
    return format_error (error, "the WAV file has no fmt chunk before its samples");
  if (!have_data)
    return format_error (error, "the WAV file has no data chunk%s",
                         n < file_bytes ? " in its first MiB" : "");
  if (channels != 2)
    return format_error (error, "the WAV file has %u channel%s: an IQ recording has 2 (I and Q)",
                         channels, channels == 1 ? "" : "s");
  if (tag == WAV_FORMAT_PCM && bits == 8)
    info->format = FER_SAMPLE_CU8;
  else if (tag == WAV_FORMAT_PCM && bits == 16)
    info->format = FER_SAMPLE_CS16;
  else if (tag == WAV_FORMAT_FLOAT && bits == 32)
    info->format = FER_SAMPLE_CF32;
  else
    return format_error (error, "the WAV file holds %u-bit samples of format %u: Ferrite plays "
                         "8-bit, 16-bit and 32-bit float IQ", bits, tag);
  info->has_format = TRUE;
  if (block_align != 2 * bits / 8)
    return format_error (error, "the WAV file's block size (%u bytes) does not match 2 channels "
                         "of %u bits", block_align, bits);
  if (!rate_ok (rate))
    return format_error (error, "the WAV file's sample rate (%u S/s) is absurd for IQ "
                         "(%.0f to %.0f)", rate, MIN_RATE_HZ, MAX_RATE_HZ);
  info->rate_hz = rate;

  guint64 avail = file_bytes > offset ? file_bytes - offset : 0;
  guint64 bytes = avail;
  if (declared != 0 && declared != WAV_SIZE_UNKNOWN)
    {
      if (declared > avail)
        {
          g_free (info->note);
          info->note = g_strdup_printf ("the WAV header says %" G_GUINT64_FORMAT " bytes of "
                                        "samples but the file holds %" G_GUINT64_FORMAT
                                        ": it was cut short; playing what is there",
                                        declared, avail);
        }
      else
        bytes = declared;
    }
  info->data_offset = offset;
  info->n_samples = bytes / block_align;
  if (info->n_samples == 0)
    return format_error (error, "the WAV file holds no samples");
  return TRUE;
}

/* --- SigMF ---------------------------------------------------------------- */

const char *
fer_iq_sigmf_datatype (FerSampleFormat format)
{
  switch (format)
    {
    case FER_SAMPLE_CU8: return "cu8";
    case FER_SAMPLE_CS8: return "ci8";
    case FER_SAMPLE_CS16: return "ci16_le";
    case FER_SAMPLE_CF32: return "cf32_le";
    }
  return NULL;
}

static gboolean
parse_datatype (const char *name, FerSampleFormat *format, GError **error)
{
  static const FerSampleFormat formats[] = { FER_SAMPLE_CU8, FER_SAMPLE_CS8, FER_SAMPLE_CS16,
                                             FER_SAMPLE_CF32 };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (strcmp (name, fer_iq_sigmf_datatype (formats[i])) == 0)
      {
        *format = formats[i];
        return TRUE;
      }
  if (name[0] == 'r')
    return format_error (error, "the SigMF datatype \"%s\" is real samples, not IQ", name);
  if (g_str_has_suffix (name, "_be"))
    return format_error (error, "the SigMF datatype \"%s\" is big-endian: Ferrite plays "
                         "cu8, ci8, ci16_le and cf32_le", name);
  return format_error (error, "the SigMF datatype \"%s\" is not one Ferrite plays (cu8, ci8, "
                       "ci16_le, cf32_le)", name);
}

/* A non-negative integer member, or @fallback when absent. */
static gboolean
get_count (const FerJson *obj, const char *key, guint64 fallback, guint64 *out, GError **error)
{
  const FerJson *v = fer_json_get (obj, key);
  if (v == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (v->type != FER_JSON_NUMBER || !v->is_integer || v->number < 0 || v->number > 9.0e15)
    return format_error (error, "SigMF \"%s\" must be a whole number of samples or bytes", key);
  *out = (guint64) v->number;
  return TRUE;
}

gboolean
fer_iq_sigmf_parse (const char *json, gsize n_bytes, FerIqFileInfo *info, GError **error)
{
  g_autoptr (GError) json_error = NULL;
  g_autoptr (FerJson) root = fer_json_parse (json, n_bytes, &json_error);
  if (root == NULL)
    return format_error (error, "the SigMF meta file is not valid JSON (%s)",
                         json_error->message);
  const FerJson *global = fer_json_get (root, "global");
  if (global == NULL || global->type != FER_JSON_OBJECT)
    return format_error (error, "the SigMF meta file has no \"global\" object");

  const FerJson *datatype = fer_json_get (global, "core:datatype");
  if (datatype == NULL || datatype->type != FER_JSON_STRING)
    return format_error (error, "the SigMF meta file has no core:datatype");
  if (!parse_datatype (datatype->string, &info->format, error))
    return FALSE;
  info->has_format = TRUE;

  const FerJson *rate = fer_json_get (global, "core:sample_rate");
  if (rate == NULL || rate->type != FER_JSON_NUMBER)
    return format_error (error, "the SigMF meta file has no core:sample_rate");
  if (!rate_ok (rate->number))
    return format_error (error, "the SigMF sample rate (%g S/s) is absurd for IQ (%.0f to %.0f)",
                         rate->number, MIN_RATE_HZ, MAX_RATE_HZ);
  info->rate_hz = rate->number;

  const FerJson *hw = fer_json_get (global, "core:hw");
  if (hw != NULL && hw->type == FER_JSON_STRING)
    {
      g_free (info->hw);
      info->hw = g_strdup (hw->string);
    }

  const FerJson *captures = fer_json_get (root, "captures");
  if (captures != NULL && captures->type != FER_JSON_ARRAY)
    return format_error (error, "SigMF \"captures\" must be an array");
  g_array_set_size (info->captures, 0);
  for (guint i = 0; i < fer_json_get_length (captures); i++)
    {
      const FerJson *c = fer_json_get_item (captures, i);
      if (c->type != FER_JSON_OBJECT)
        return format_error (error, "SigMF capture %u is not an object", i);
      FerIqCapture cap = { 0, NAN };
      guint64 header_bytes;
      if (!get_count (c, "core:sample_start", 0, &cap.sample_start, error)
          || !get_count (c, "core:header_bytes", 0, &header_bytes, error))
        return FALSE;
      if (header_bytes > 0 && i > 0)
        return format_error (error, "SigMF capture %u has core:header_bytes: Ferrite plays "
                             "headers before the first capture only", i);
      info->data_offset = i == 0 ? header_bytes : info->data_offset;
      if (i > 0 && cap.sample_start <= g_array_index (info->captures, FerIqCapture,
                                                      info->captures->len - 1).sample_start)
        return format_error (error, "SigMF captures are not in sample order (capture %u)", i);
      const FerJson *f = fer_json_get (c, "core:frequency");
      if (f != NULL)
        {
          if (f->type != FER_JSON_NUMBER || f->number < 0 || f->number > MAX_CENTER_HZ)
            return format_error (error, "SigMF capture %u has an absurd core:frequency", i);
          cap.center_hz = f->number;
        }
      else if (i > 0)
        cap.center_hz = g_array_index (info->captures, FerIqCapture, i - 1).center_hz;
      const FerJson *dt = fer_json_get (c, "core:datetime");
      if (i == 0 && dt != NULL && dt->type == FER_JSON_STRING)
        {
          g_free (info->datetime);
          info->datetime = g_strdup (dt->string);
        }
      g_array_append_val (info->captures, cap);
    }
  if (info->captures->len > 0)
    info->center_hz = g_array_index (info->captures, FerIqCapture, 0).center_hz;
  return TRUE;
}

/* --- probing -------------------------------------------------------------- */

static gboolean
stat_file (const char *path, struct stat *st, GError **error)
{
  if (g_stat (path, st) != 0)
    {
      int err = errno;
      g_set_error (error, FER_SOURCE_ERROR,
                   err == ENOENT ? FER_SOURCE_ERROR_NOT_FOUND : FER_SOURCE_ERROR_ACCESS,
                   "Cannot open '%s': %s", path, g_strerror (err));
      return FALSE;
    }
  if (!S_ISREG (st->st_mode))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_ACCESS,
                   "'%s' is not a regular file", path);
      return FALSE;
    }
  return TRUE;
}

/* Reads up to @max bytes from the start of @path. */
static guint8 *
read_head (const char *path, gsize max, gsize *n_read, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int err = errno;
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_ACCESS, "Cannot open '%s': %s",
                   path, g_strerror (err));
      return NULL;
    }
  guint8 *buf = g_malloc (MAX (max, 1));   /* never NULL, even for an empty file */
  gsize got = 0;
  while (got < max)
    {
      ssize_t r = read (fd, buf + got, max - got);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int err = errno;
          g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_ACCESS,
                       "Reading '%s' failed: %s", path, g_strerror (err));
          close (fd);
          g_free (buf);
          return NULL;
        }
      if (r == 0)
        break;
      got += (gsize) r;
    }
  close (fd);
  *n_read = got;
  return buf;
}

/* Prefixes a parser's message with the file's name. */
static void
name_the_file (GError **error, const char *path)
{
  if (error != NULL && *error != NULL)
    {
      g_autofree char *base = g_path_get_basename (path);
      g_prefix_error (error, "%s: ", base);
    }
}

static FerIqFileInfo *
probe_sigmf (const char *path, const char *base, GError **error)
{
  g_autofree char *meta_path = g_strconcat (base, ".sigmf-meta", NULL);
  g_autofree char *data_path = g_strconcat (base, ".sigmf-data", NULL);
  struct stat st;
  if (!stat_file (meta_path, &st, error))
    return NULL;
  if (st.st_size > SIGMF_META_MAX_BYTES)
    {
      format_error (error, "the SigMF meta file is %lld bytes: too big to be metadata",
                    (long long) st.st_size);
      name_the_file (error, meta_path);
      return NULL;
    }
  g_autofree char *json = NULL;
  gsize n = 0;
  if (!g_file_get_contents (meta_path, &json, &n, error))
    return NULL;
  g_autoptr (FerIqFileInfo) info = fer_iq_file_info_new (FER_IQ_CONTAINER_SIGMF);
  if (!fer_iq_sigmf_parse (json, n, info, error))
    {
      name_the_file (error, meta_path);
      return NULL;
    }
  if (!stat_file (data_path, &st, error))
    {
      g_prefix_error (error, "The SigMF recording's samples are missing: ");
      return NULL;
    }
  guint sample_bytes = fer_sample_format_bytes (info->format);
  guint64 size = (guint64) st.st_size;
  guint64 bytes = size > info->data_offset ? size - info->data_offset : 0;
  info->n_samples = bytes / sample_bytes;
  if (info->n_samples == 0)
    {
      format_error (error, "the SigMF recording holds no samples");
      name_the_file (error, data_path);
      return NULL;
    }
  if (bytes % sample_bytes != 0)
    info->note = g_strdup_printf ("the SigMF data file ends in part of a sample: it was cut "
                                  "short");
  info->data_path = g_strdup (data_path);
  return g_steal_pointer (&info);
}

/* The sample format a raw file's name says, if any. */
static gboolean
format_from_name (const char *path, FerSampleFormat *format)
{
  static const struct { const char *ext; FerSampleFormat format; } names[] = {
    { ".cu8", FER_SAMPLE_CU8 }, { ".u8", FER_SAMPLE_CU8 },
    { ".cs8", FER_SAMPLE_CS8 }, { ".s8", FER_SAMPLE_CS8 },
    { ".cs16", FER_SAMPLE_CS16 }, { ".s16", FER_SAMPLE_CS16 },
    { ".cf32", FER_SAMPLE_CF32 }, { ".fc32", FER_SAMPLE_CF32 }, { ".cfile", FER_SAMPLE_CF32 },
  };
  g_autofree char *lower = g_ascii_strdown (path, -1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_has_suffix (lower, names[i].ext))
      {
        *format = names[i].format;
        return TRUE;
      }
  return FALSE;
}

FerIqFileInfo *
fer_iq_file_info_probe (const char *path, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".sigmf"))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT,
                   "'%s' is a SigMF archive: unpack it (tar xf) and open its .sigmf-meta file",
                   path);
      return NULL;
    }
  if (g_str_has_suffix (lower, ".sigmf-meta") || g_str_has_suffix (lower, ".sigmf-data"))
    {
      g_autofree char *base = g_strndup (path, strlen (path) - strlen (".sigmf-meta"));
      return probe_sigmf (path, base, error);
    }

  struct stat st;
  if (!stat_file (path, &st, error))
    return NULL;
  guint64 size = (guint64) st.st_size;
  gsize n = 0;
  g_autofree guint8 *head = read_head (path, (gsize) MIN (size, WAV_HEADER_MAX_BYTES), &n, error);
  if (head == NULL)
    return NULL;
  if (n >= 4 && (memcmp (head, "RIFF", 4) == 0 || memcmp (head, "RF64", 4) == 0))
    {
      g_autoptr (FerIqFileInfo) info = fer_iq_file_info_new (FER_IQ_CONTAINER_WAV);
      if (!fer_iq_wav_parse (head, n, size, info, error))
        {
          name_the_file (error, path);
          return NULL;
        }
      info->data_path = g_strdup (path);
      return g_steal_pointer (&info);
    }

  FerIqFileInfo *info = fer_iq_file_info_new (FER_IQ_CONTAINER_RAW);
  info->data_path = g_strdup (path);
  info->has_format = format_from_name (path, &info->format);
  if (info->has_format)
    info->n_samples = size / fer_sample_format_bytes (info->format);
  return info;
}

/* --- conversion ----------------------------------------------------------- */

static inline float
sample_to_float (FerSampleFormat format, const guint8 *in, gsize i)
{
  switch (format)
    {
    case FER_SAMPLE_CU8:
      return ((float) in[i] - 127.5f) / 127.5f;
    case FER_SAMPLE_CS8:
      return (float) (gint8) in[i] / 128.0f;
    case FER_SAMPLE_CS16:
      return (float) (gint16) get_u16 (in + 2 * i) / 32768.0f;
    case FER_SAMPLE_CF32:
      {
        float v;
        memcpy (&v, in + 4 * i, sizeof v);
        return isfinite (v) ? v : 0.0f;
      }
    }
  return 0.0f;
}

static inline void
float_to_sample (FerSampleFormat format, float v, guint8 *out, gsize i)
{
  switch (format)
    {
    case FER_SAMPLE_CU8:
      out[i] = (guint8) CLAMP (lrintf (v * 127.5f + 127.5f), 0, 255);
      break;
    case FER_SAMPLE_CS8:
      out[i] = (guint8) (gint8) CLAMP (lrintf (v * 128.0f), -128, 127);
      break;
    case FER_SAMPLE_CS16:
      put_u16 (out + 2 * i, (guint16) (gint16) CLAMP (lrintf (v * 32768.0f), -32768, 32767));
      break;
    case FER_SAMPLE_CF32:
      memcpy (out + 4 * i, &v, sizeof v);
      break;
    }
}

void
fer_iq_convert (FerSampleFormat from, const guint8 *in, gsize n_samples, FerSampleFormat to,
                guint8 *out)
{
  if (from == to)
    {
      memmove (out, in, n_samples * fer_sample_format_bytes (from));
      return;
    }
  for (gsize i = 0; i < 2 * n_samples; i++)
    float_to_sample (to, sample_to_float (from, in, i), out, i);
}

/* --- writing -------------------------------------------------------------- */

typedef struct {
  guint64 sample_start;
  double center_hz;
  char *datetime;
} WriterCapture;

struct _FerIqWriter {
  FerIqContainer container;
  FerSampleFormat format;
  double rate_hz;
  char *data_path;        /* owned */
  char *meta_path;        /* owned; SigMF */
  char *hw;               /* owned or NULL */
  int fd;
  guint64 data_offset;    /* header bytes before the samples */
  guint64 n_data_bytes;
  GDateTime *start;       /* owned */
  GArray *captures;       /* WriterCapture; SigMF */
  gboolean failed;
};

static void
io_error (GError **error, const char *what, const char *path, int err)
{
  g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_ACCESS, "Cannot %s '%s': %s", what,
               path, g_strerror (err));
}

static gboolean
pwrite_all (int fd, const guint8 *data, gsize n, guint64 offset, int *err)
{
  while (n > 0)
    {
      ssize_t w = pwrite (fd, data, n, (off_t) offset);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          *err = w < 0 ? errno : ENOSPC;
          return FALSE;
        }
      data += w;
      n -= (gsize) w;
      offset += (guint64) w;
    }
  return TRUE;
}

static void
fill_systemtime (guint8 *p, GDateTime *t)
{
  put_u16 (p, (guint16) g_date_time_get_year (t));
  put_u16 (p + 2, (guint16) g_date_time_get_month (t));
  put_u16 (p + 4, (guint16) (g_date_time_get_day_of_week (t) % 7));   /* 0 = Sunday */
  put_u16 (p + 6, (guint16) g_date_time_get_day_of_month (t));
  put_u16 (p + 8, (guint16) g_date_time_get_hour (t));
  put_u16 (p + 10, (guint16) g_date_time_get_minute (t));
  put_u16 (p + 12, (guint16) g_date_time_get_second (t));
  put_u16 (p + 14, (guint16) (g_date_time_get_microsecond (t) / 1000));
}

/* RIFF, fmt, auxi and the data chunk's header; sizes as of now. */
static gsize
fill_wav_header (FerIqWriter *w, guint8 *h, double center_hz)
{
  guint bits = fer_sample_format_bytes (w->format) * 4;
  guint block_align = 2 * bits / 8;
  guint32 rate = (guint32) llround (w->rate_hz);
  guint64 riff = w->data_offset - 8 + w->n_data_bytes;
  gboolean too_big = riff > G_MAXUINT32 - 1;

  memset (h, 0, w->data_offset);
  memcpy (h, "RIFF", 4);
  put_u32 (h + 4, too_big ? WAV_SIZE_UNKNOWN : (guint32) riff);
  memcpy (h + 8, "WAVE", 4);
  memcpy (h + 12, "fmt ", 4);
  put_u32 (h + 16, 16);
  put_u16 (h + 20, w->format == FER_SAMPLE_CF32 ? WAV_FORMAT_FLOAT : WAV_FORMAT_PCM);
  put_u16 (h + 22, 2);
  put_u32 (h + 24, rate);
  put_u32 (h + 28, rate * block_align);
  put_u16 (h + 32, (guint16) block_align);
  put_u16 (h + 34, (guint16) bits);
  memcpy (h + 36, "auxi", 4);
  put_u32 (h + 40, AUXI_BYTES);
  guint8 *aux = h + 44;
  fill_systemtime (aux, w->start);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  fill_systemtime (aux + 16, now);
  put_u32 (aux + AUXI_CENTER_OFFSET, (guint32) CLAMP (llround (center_hz), 0, G_MAXUINT32));
  put_u32 (aux + AUXI_RATE_OFFSET, rate);
  gsize data = 44 + AUXI_BYTES;
  memcpy (h + data, "data", 4);
  put_u32 (h + data + 4, too_big ? WAV_SIZE_UNKNOWN : (guint32) w->n_data_bytes);
  return data + 8;
}

static char *
datetime_iso (GDateTime *t)
{
  g_autofree char *s = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", s, g_date_time_get_microsecond (t) / 1000);
}

/* Numbers as JSON: whole ones without a fraction, never a locale's comma. */
static void
append_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (v == floor (v) && fabs (v) < 1e15)
    g_string_append_printf (out, "%.0f", v);
  else
    g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v));
}

static gboolean
write_sigmf_meta (FerIqWriter *w, GError **error)
{
  g_autoptr (GString) j = g_string_new ("{\n  \"global\": {\n    \"core:datatype\": ");
  fer_json_append_string (j, fer_iq_sigmf_datatype (w->format));
  g_string_append (j, ",\n    \"core:sample_rate\": ");
  append_number (j, w->rate_hz);
  g_string_append (j, ",\n    \"core:version\": \"" SIGMF_VERSION "\"");
  if (w->hw != NULL)
    {
      g_string_append (j, ",\n    \"core:hw\": ");
      fer_json_append_string (j, w->hw);
    }
  g_string_append (j, ",\n    \"core:recorder\": \"Ferrite " FER_VERSION "\"\n  },\n"
                   "  \"captures\": [");
  for (guint i = 0; i < w->captures->len; i++)
    {
      const WriterCapture *c = &g_array_index (w->captures, WriterCapture, i);
      g_string_append_printf (j, "%s\n    {\"core:sample_start\": %" G_GUINT64_FORMAT
                              ", \"core:frequency\": ", i ? "," : "", c->sample_start);
      append_number (j, c->center_hz);
      g_string_append (j, ", \"core:datetime\": ");
      fer_json_append_string (j, c->datetime);
      g_string_append (j, "}");
    }
  g_string_append (j, "\n  ],\n  \"annotations\": [");
  /* One per retune: where it happened and to what. */
  for (guint i = 1; i < w->captures->len; i++)
    {
      const WriterCapture *c = &g_array_index (w->captures, WriterCapture, i);
      g_autofree char *comment = g_strdup_printf ("Retuned to %.6f MHz", c->center_hz / 1e6);
      g_string_append_printf (j, "%s\n    {\"core:sample_start\": %" G_GUINT64_FORMAT
                              ", \"core:sample_count\": 1, \"core:freq_lower_edge\": ",
                              i > 1 ? "," : "", c->sample_start);
      append_number (j, c->center_hz - w->rate_hz / 2);
      g_string_append (j, ", \"core:freq_upper_edge\": ");
      append_number (j, c->center_hz + w->rate_hz / 2);
      g_string_append (j, ", \"core:comment\": ");
      fer_json_append_string (j, comment);
      g_string_append (j, "}");
    }
  g_string_append (j, "\n  ]\n}\n");
  /* A temporary file renamed over the old one: a reader (or a crash) sees
   * the old meta or the new, never half of one. */
  return g_file_set_contents (w->meta_path, j->str, (gssize) j->len, error);
}

static void
writer_free (FerIqWriter *w)
{
  if (w->fd >= 0)
    close (w->fd);
  g_free (w->data_path);
  g_free (w->meta_path);
  g_free (w->hw);
  if (w->start != NULL)
    g_date_time_unref (w->start);
  for (guint i = 0; w->captures != NULL && i < w->captures->len; i++)
    g_free (g_array_index (w->captures, WriterCapture, i).datetime);
  if (w->captures != NULL)
    g_array_unref (w->captures);
  g_free (w);
}

FerIqWriter *
fer_iq_writer_new (const char *path, FerIqContainer container, FerSampleFormat format,
                   double rate_hz, double center_hz, const char *hw, GError **error)
{
  if (!rate_ok (rate_hz))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "Cannot record at %g S/s (%.0f to %.0f)", rate_hz, MIN_RATE_HZ, MAX_RATE_HZ);
      return NULL;
    }
  if (container == FER_IQ_CONTAINER_WAV && format == FER_SAMPLE_CS8)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "A WAV recording holds cu8, cs16 or cf32, not cs8");
      return NULL;
    }

  FerIqWriter *w = g_new0 (FerIqWriter, 1);
  w->fd = -1;
  w->container = container;
  w->format = format;
  w->rate_hz = rate_hz;
  w->hw = g_strdup (hw);
  w->start = g_date_time_new_now_utc ();
  w->captures = g_array_new (FALSE, FALSE, sizeof (WriterCapture));
  if (container == FER_IQ_CONTAINER_SIGMF)
    {
      const char *endings[] = { ".sigmf-data", ".sigmf-meta", ".sigmf" };
      g_autofree char *base = g_strdup (path);
      for (guint i = 0; i < G_N_ELEMENTS (endings); i++)
        if (g_str_has_suffix (base, endings[i]))
          {
            base[strlen (base) - strlen (endings[i])] = '\0';
            break;
          }
      w->data_path = g_strconcat (base, ".sigmf-data", NULL);
      w->meta_path = g_strconcat (base, ".sigmf-meta", NULL);
      WriterCapture c = { 0, center_hz, datetime_iso (w->start) };
      g_array_append_val (w->captures, c);
      /* The meta file first: the data is never without it. */
      if (!write_sigmf_meta (w, error))
        {
          writer_free (w);
          return NULL;
        }
    }
  else
    w->data_path = g_strdup (path);

  w->fd = g_open (w->data_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (w->fd < 0)
    {
      io_error (error, "create", w->data_path, errno);
      if (w->meta_path != NULL)
        g_unlink (w->meta_path);
      writer_free (w);
      return NULL;
    }
  if (container == FER_IQ_CONTAINER_WAV)
    {
      WriterCapture c = { 0, center_hz, NULL };
      g_array_append_val (w->captures, c);
      w->data_offset = 44 + AUXI_BYTES + 8;
      guint8 header[44 + AUXI_BYTES + 8];
      fill_wav_header (w, header, center_hz);
      int err = 0;
      if (!pwrite_all (w->fd, header, sizeof header, 0, &err))
        {
          io_error (error, "write", w->data_path, err);
          writer_free (w);
          return NULL;
        }
    }
  return w;
}

gboolean
fer_iq_writer_write (FerIqWriter *w, const guint8 *data, gsize n_bytes, GError **error)
{
  if (w->failed)
    return FALSE;
  int err = 0;
  if (!pwrite_all (w->fd, data, n_bytes, w->data_offset + w->n_data_bytes, &err))
    {
      w->failed = TRUE;
      io_error (error, "write", w->data_path, err);
      return FALSE;
    }
  w->n_data_bytes += n_bytes;
  return TRUE;
}

gboolean
fer_iq_writer_retune (FerIqWriter *w, double center_hz, GError **error)
{
  g_return_val_if_fail (w->container == FER_IQ_CONTAINER_SIGMF, FALSE);
  guint64 at = fer_iq_writer_get_n_samples (w);
  WriterCapture *last = &g_array_index (w->captures, WriterCapture, w->captures->len - 1);
  if (last->sample_start == at)
    {
      /* Nothing recorded at the last tuning: it is replaced. */
      last->center_hz = center_hz;
    }
  else
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      WriterCapture c = { at, center_hz, datetime_iso (now) };
      g_array_append_val (w->captures, c);
    }
  return write_sigmf_meta (w, error);
}

gboolean
fer_iq_writer_sync (FerIqWriter *w, GError **error)
{
  if (w->failed)
    return FALSE;
  if (w->container != FER_IQ_CONTAINER_WAV)
    return TRUE;
  guint8 header[44 + AUXI_BYTES + 8];
  fill_wav_header (w, header, g_array_index (w->captures, WriterCapture, 0).center_hz);
  int err = 0;
  if (!pwrite_all (w->fd, header, sizeof header, 0, &err))
    {
      w->failed = TRUE;
      io_error (error, "write", w->data_path, err);
      return FALSE;
    }
  return TRUE;
}

FerSampleFormat
fer_iq_writer_get_format (FerIqWriter *w)
{
  return w->format;
}

FerIqContainer
fer_iq_writer_get_container (FerIqWriter *w)
{
  return w->container;
}

guint64
fer_iq_writer_get_n_bytes (FerIqWriter *w)
{
  return w->data_offset + w->n_data_bytes;
}

guint64
fer_iq_writer_get_n_samples (FerIqWriter *w)
{
  return w->n_data_bytes / fer_sample_format_bytes (w->format);
}

const char *
fer_iq_writer_get_data_path (FerIqWriter *w)
{
  return w->data_path;
}

gboolean
fer_iq_writer_close (FerIqWriter *w, GError **error)
{
  gboolean ok = !w->failed;
  if (ok)
    ok = fer_iq_writer_sync (w, error);
  else
    g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_ACCESS,
                 "The recording '%s' is incomplete: writing it failed", w->data_path);
  if (ok && w->container == FER_IQ_CONTAINER_SIGMF)
    ok = write_sigmf_meta (w, error);
  if (close (w->fd) != 0 && ok)
    {
      io_error (error, "write", w->data_path, errno);
      ok = FALSE;
    }
  w->fd = -1;
  writer_free (w);
  return ok;
}
