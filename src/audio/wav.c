#define G_LOG_DOMAIN "fer-audio"

#include "wav.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (fer-audio-error-quark, fer_audio_error)

/* The canonical header: RIFF (12 bytes), fmt chunk of 16 (24 bytes), data
 * chunk header (8 bytes). */
#define WAV_HEADER_BYTES 44
#define WAV_SIZE_UNKNOWN 0xFFFFFFFFu
#define WAV_FORMAT_PCM 1
#define WAV_FORMAT_FLOAT 3
#define WAV_FORMAT_EXTENSIBLE 0xFFFE
#define WAV_MAX_CHANNELS 8

#define WRITE_BUFFER_BYTES (64 * 1024)

/* ---- writing ------------------------------------------------------------ */

struct _FerWavWriter {
  char *path;           /* owned; what the caller asked for ("-" = stdout) */
  char *tmp_path;       /* owned; the file being written, NULL for stdout */
  int fd;
  gboolean is_stream;
  guint rate_hz;
  guint channels;
  guint64 n_frames;
  guint64 n_data_bytes;
  gboolean failed;      /* a write failed; the file is discarded on close */
  guint8 *buffer;       /* owned; WRITE_BUFFER_BYTES */
  gsize n_buffered;
};

static const char *
writer_display_name (FerWavWriter *writer)
{
  return writer->is_stream ? "standard output" : writer->path;
}

static void
set_io_error (GError **error, const char *what, const char *path, int errsv)
{
  g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO, "Could not %s “%s”: %s",
               what, path, g_strerror (errsv));
}

static void
put_u16 (guint8 *p, guint16 v)
{
  p[0] = (guint8) (v & 0xff);
  p[1] = (guint8) (v >> 8);
}

static void
put_u32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v & 0xff);
  p[1] = (guint8) ((v >> 8) & 0xff);
  p[2] = (guint8) ((v >> 16) & 0xff);
  p[3] = (guint8) (v >> 24);
}

/* Past 4 GiB the 32-bit size fields cannot hold the length: they then say
 * "unknown", as a stream's do, and readers read to the end of the file. */
static void
fill_header (guint8 *h, guint rate_hz, guint channels, guint64 n_data_bytes, gboolean unknown)
{
  guint32 data_size, riff_size;
  if (unknown || n_data_bytes > (guint64) WAV_SIZE_UNKNOWN - (WAV_HEADER_BYTES - 8))
    data_size = riff_size = WAV_SIZE_UNKNOWN;
  else
    {
      data_size = (guint32) n_data_bytes;
      riff_size = (guint32) (n_data_bytes + WAV_HEADER_BYTES - 8);
    }
  guint block_align = channels * 2;

  memcpy (h, "RIFF", 4);
  put_u32 (h + 4, riff_size);
  memcpy (h + 8, "WAVE", 4);
  memcpy (h + 12, "fmt ", 4);
  put_u32 (h + 16, 16);
  put_u16 (h + 20, WAV_FORMAT_PCM);
  put_u16 (h + 22, (guint16) channels);
  put_u32 (h + 24, rate_hz);
  put_u32 (h + 28, rate_hz * block_align);
  put_u16 (h + 32, (guint16) block_align);
  put_u16 (h + 34, 16);
  memcpy (h + 36, "data", 4);
  put_u32 (h + 40, data_size);
}

static gboolean
write_all (int fd, const guint8 *bytes, gsize n_bytes, int *errsv)
{
  while (n_bytes > 0)
    {
      ssize_t n = write (fd, bytes, n_bytes);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *errsv = errno;
          return FALSE;
        }
      if (n == 0)
        {
          *errsv = ENOSPC;
          return FALSE;
        }
      bytes += n;
      n_bytes -= (gsize) n;
    }
  return TRUE;
}

static gboolean
writer_flush (FerWavWriter *writer, GError **error)
{
  int errsv = 0;
  if (writer->n_buffered == 0)
    return TRUE;
  if (!write_all (writer->fd, writer->buffer, writer->n_buffered, &errsv))
    {
      writer->failed = TRUE;
      set_io_error (error, "write", writer_display_name (writer), errsv);
      return FALSE;
    }
  writer->n_buffered = 0;
  return TRUE;
}

FerWavWriter *
fer_wav_writer_new (const char *path, guint rate_hz, guint channels, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (channels < 1 || channels > 2)
    {
      g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_FORMAT,
                   "Cannot write “%s”: WAV output is mono or stereo, not %u channels",
                   path, channels);
      return NULL;
    }
  if (rate_hz == 0 || rate_hz > G_MAXUINT32 / 4)
    {
      g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_FORMAT,
                   "Cannot write “%s”: unsupported sample rate %u Hz", path, rate_hz);
      return NULL;
    }

  /* Caught now rather than by the rename at the end of a recording. */
  if (strcmp (path, "-") != 0 && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      set_io_error (error, "create", path, EISDIR);
      return NULL;
    }

  FerWavWriter *writer = g_new0 (FerWavWriter, 1);
  writer->path = g_strdup (path);
  writer->rate_hz = rate_hz;
  writer->channels = channels;
  writer->is_stream = strcmp (path, "-") == 0;

  if (writer->is_stream)
    writer->fd = STDOUT_FILENO;
  else
    {
      /* Same directory as the target, so the final rename is atomic (a
       * rename cannot cross file systems; /tmp may be another one). */
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (path);
      writer->tmp_path = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
      /* 0666 before the umask, as for any file a user saves. */
      writer->fd = g_mkstemp_full (writer->tmp_path, O_WRONLY | O_CLOEXEC, 0666);
      if (writer->fd < 0)
        {
          set_io_error (error, "create", path, errno);
          g_free (writer->tmp_path);
          g_free (writer->path);
          g_free (writer);
          return NULL;
        }
    }

  writer->buffer = g_malloc (WRITE_BUFFER_BYTES);
  /* A stream's header goes out as is; a file's is rewritten on close. */
  fill_header (writer->buffer, rate_hz, channels, 0, writer->is_stream);
  writer->n_buffered = WAV_HEADER_BYTES;
  return writer;
}

static gint16
float_to_s16 (float x)
{
  if (isnan (x))
    return 0;
  if (x > 1.0f)
    x = 1.0f;
  else if (x < -1.0f)
    x = -1.0f;
  return (gint16) lrintf (x * 32767.0f);
}

gboolean
fer_wav_writer_write (FerWavWriter *writer, const float *frames, gsize n_frames,
                      GError **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (frames != NULL || n_frames == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (writer->failed)
    {
      g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO,
                   "Could not write “%s”: an earlier write failed",
                   writer_display_name (writer));
      return FALSE;
    }

  gsize n_samples = n_frames * writer->channels;
  for (gsize i = 0; i < n_samples; i++)
    {
      if (writer->n_buffered + 2 > WRITE_BUFFER_BYTES && !writer_flush (writer, error))
        return FALSE;
      put_u16 (writer->buffer + writer->n_buffered, (guint16) float_to_s16 (frames[i]));
      writer->n_buffered += 2;
    }
  writer->n_frames += n_frames;
  writer->n_data_bytes += (guint64) n_samples * 2;
  return TRUE;
}

guint64
fer_wav_writer_get_n_frames (FerWavWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);
  return writer->n_frames;
}

static void
writer_destroy (FerWavWriter *writer)
{
  g_free (writer->buffer);
  g_free (writer->tmp_path);
  g_free (writer->path);
  g_free (writer);
}

/* Makes the rename itself durable: without this a crash right after close
 * could bring back the directory without the new name. */
static void
sync_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return;
  if (fsync (fd) != 0)
    g_debug ("fsync of directory %s: %s", dir, g_strerror (errno));
  close (fd);
}

static gboolean
finish_file (FerWavWriter *writer, GError **error)
{
  guint8 header[WAV_HEADER_BYTES];
  int errsv = 0;

  if (!writer_flush (writer, error))
    return FALSE;
  fill_header (header, writer->rate_hz, writer->channels, writer->n_data_bytes, FALSE);
  if (pwrite (writer->fd, header, sizeof header, 0) != (ssize_t) sizeof header)
    {
      errsv = errno != 0 ? errno : ENOSPC;
      set_io_error (error, "write", writer->path, errsv);
      return FALSE;
    }
  /* Data on disk before the name points at it. */
  if (fsync (writer->fd) != 0)
    {
      set_io_error (error, "write", writer->path, errno);
      return FALSE;
    }
  if (close (writer->fd) != 0)
    {
      writer->fd = -1;
      set_io_error (error, "write", writer->path, errno);
      return FALSE;
    }
  writer->fd = -1;
  if (g_rename (writer->tmp_path, writer->path) != 0)
    {
      set_io_error (error, "save", writer->path, errno);
      return FALSE;
    }
  sync_directory (writer->path);
  return TRUE;
}

gboolean
fer_wav_writer_close (FerWavWriter *writer, GError **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gboolean ok;
  if (writer->is_stream)
    {
      /* stdout stays open: it belongs to the process, not to the writer. */
      ok = !writer->failed && writer_flush (writer, error);
      if (!ok && error != NULL && *error == NULL)
        g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO,
                     "Could not write “standard output”: an earlier write failed");
    }
  else
    {
      if (writer->failed)
        {
          g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO,
                       "Could not write “%s”: an earlier write failed", writer->path);
          ok = FALSE;
        }
      else
        ok = finish_file (writer, error);
      if (!ok)
        {
          if (writer->fd >= 0)
            close (writer->fd);
          g_unlink (writer->tmp_path);
        }
    }
  writer_destroy (writer);
  return ok;
}

void
fer_wav_writer_abort (FerWavWriter *writer)
{
  if (writer == NULL)
    return;
  if (!writer->is_stream)
    {
      close (writer->fd);
      g_unlink (writer->tmp_path);
    }
  writer_destroy (writer);
}

/* ---- reading ------------------------------------------------------------ */

typedef struct {
  FILE *file;
  const char *path;
  gboolean sized;       /* a regular file: its size is known */
  guint64 size;
  guint64 pos;
} Reader;

static guint16
get_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
get_u32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16)
         | ((guint32) p[3] << 24);
}

static void
set_format_error (GError **error, const char *path, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
set_format_error (GError **error, const char *path, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *why = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_FORMAT,
               "“%s” is not a WAV file Ferrite can read: %s", path, why);
}

/* Reads up to @n bytes; returns how many arrived (short only at the end of
 * the file). FALSE on a read error, which is set. */
static gboolean
reader_read (Reader *r, void *buf, gsize n, gsize *n_read, GError **error)
{
  gsize got = fread (buf, 1, n, r->file);
  r->pos += got;
  *n_read = got;
  if (got < n && ferror (r->file))
    {
      set_io_error (error, "read", r->path, errno != 0 ? errno : EIO);
      return FALSE;
    }
  return TRUE;
}

/* Reads exactly @n bytes or fails: @what names the part for the message. */
static gboolean
reader_read_exact (Reader *r, void *buf, gsize n, const char *what, GError **error)
{
  gsize got;
  if (!reader_read (r, buf, n, &got, error))
    return FALSE;
  if (got < n)
    {
      set_format_error (error, r->path, "truncated %s (%" G_GSIZE_FORMAT " of %"
                        G_GSIZE_FORMAT " bytes)", what, got, n);
      return FALSE;
    }
  return TRUE;
}

/* Bytes left in a regular file (it may have shrunk since it was opened). */
static guint64
reader_remaining (Reader *r)
{
  return r->pos < r->size ? r->size - r->pos : 0;
}

static gboolean
reader_skip (Reader *r, guint64 n, const char *chunk_id, GError **error)
{
  if (r->sized)
    {
      if (n > reader_remaining (r))
        {
          set_format_error (error, r->path, "chunk “%s” of %" G_GUINT64_FORMAT
                            " bytes runs past the end of the file", chunk_id, n);
          return FALSE;
        }
      if (fseeko (r->file, (off_t) n, SEEK_CUR) != 0)
        {
          set_io_error (error, "read", r->path, errno);
          return FALSE;
        }
      r->pos += n;
      return TRUE;
    }
  guint8 scratch[4096];
  while (n > 0)
    {
      gsize got, want = (gsize) MIN (n, (guint64) sizeof scratch);
      if (!reader_read (r, scratch, want, &got, error))
        return FALSE;
      if (got < want)
        {
          set_format_error (error, r->path, "chunk “%s” runs past the end of the file",
                            chunk_id);
          return FALSE;
        }
      n -= got;
    }
  return TRUE;
}

typedef struct {
  guint16 format;       /* WAV_FORMAT_PCM or WAV_FORMAT_FLOAT after unwrapping */
  guint channels;
  guint rate_hz;
  guint bytes_per_sample;
} WavFormat;

/* Printable chunk id: files are untrusted, ids may hold any byte. */
static void
chunk_id_text (const guint8 *id, char text[5])
{
  for (int i = 0; i < 4; i++)
    text[i] = g_ascii_isprint (id[i]) ? (char) id[i] : '?';
  text[4] = '\0';
}

static gboolean
parse_fmt (Reader *r, guint32 chunk_bytes, WavFormat *fmt, GError **error)
{
  /* 40 bytes is WAVE_FORMAT_EXTENSIBLE, the largest layout used; anything
   * beyond is skipped. */
  guint8 b[40];
  if (chunk_bytes < 16)
    {
      set_format_error (error, r->path, "fmt chunk too short (%u bytes, needs 16)",
                        chunk_bytes);
      return FALSE;
    }
  gsize n = MIN (chunk_bytes, (guint32) sizeof b);
  if (!reader_read_exact (r, b, n, "fmt chunk", error))
    return FALSE;
  if (!reader_skip (r, (guint64) chunk_bytes - n + (chunk_bytes & 1), "fmt ", error))
    return FALSE;

  guint16 tag = get_u16 (b);
  guint channels = get_u16 (b + 2);
  guint32 rate_hz = get_u32 (b + 4);
  guint block_align = get_u16 (b + 12);
  guint bits = get_u16 (b + 14);

  if (tag == WAV_FORMAT_EXTENSIBLE)
    {
      if (n < 40)
        {
          set_format_error (error, r->path, "extensible fmt chunk too short (%u bytes, "
                            "needs 40)", chunk_bytes);
          return FALSE;
        }
      /* The sub-format GUID starts with the plain format tag. */
      tag = get_u16 (b + 24);
    }
  if (tag == WAV_FORMAT_PCM && bits == 16)
    fmt->bytes_per_sample = 2;
  else if (tag == WAV_FORMAT_FLOAT && bits == 32)
    fmt->bytes_per_sample = 4;
  else
    {
      set_format_error (error, r->path, "unsupported encoding (format %u, %u bits); "
                        "16-bit PCM and 32-bit float are supported", tag, bits);
      return FALSE;
    }
  if (channels < 1 || channels > WAV_MAX_CHANNELS)
    {
      set_format_error (error, r->path, "unsupported channel count %u", channels);
      return FALSE;
    }
  if (rate_hz == 0 || rate_hz > G_MAXINT32)
    {
      set_format_error (error, r->path, "invalid sample rate %u Hz", rate_hz);
      return FALSE;
    }
  if (block_align != channels * fmt->bytes_per_sample)
    {
      set_format_error (error, r->path, "block align %u bytes, but %u × %u-bit samples "
                        "make %u", block_align, channels, bits,
                        channels * fmt->bytes_per_sample);
      return FALSE;
    }
  fmt->format = tag;
  fmt->channels = channels;
  fmt->rate_hz = rate_hz;
  return TRUE;
}

static void
convert_samples (const WavFormat *fmt, const guint8 *in, gsize n_samples, float *out)
{
  if (fmt->bytes_per_sample == 2)
    for (gsize i = 0; i < n_samples; i++)
      {
        gint16 s = (gint16) get_u16 (in + 2 * i);
        /* The writer's scale; -32768 is just past -1. */
        out[i] = MAX ((float) s / 32767.0f, -1.0f);
      }
  else
    for (gsize i = 0; i < n_samples; i++)
      {
        guint32 bits = get_u32 (in + 4 * i);
        float f;
        memcpy (&f, &bits, sizeof f);
        out[i] = f;
      }
}

/* Reads the data chunk: @n_bytes of it, or to the end of the file when
 * @to_eof. */
static FerWav *
read_data (Reader *r, const WavFormat *fmt, guint64 n_bytes, gboolean to_eof, GError **error)
{
  gsize frame_bytes = fmt->channels * fmt->bytes_per_sample;

  if (to_eof && r->sized)
    {
      n_bytes = reader_remaining (r);
      to_eof = FALSE;
    }
  if (!to_eof && r->sized && n_bytes > reader_remaining (r))
    {
      set_format_error (error, r->path, "truncated data (the data chunk says %"
                        G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT " follow)",
                        n_bytes, reader_remaining (r));
      return NULL;
    }

  /* Sized reads allocate once (bounded by the real file size, so a lying
   * size field cannot make a huge allocation); streams grow as data comes. */
  gsize capacity_frames = to_eof ? 4096 : (gsize) (n_bytes / frame_bytes);
  gsize want_frames = to_eof ? G_MAXSIZE : capacity_frames;
  float *samples = g_new (float, MAX (capacity_frames, 1) * fmt->channels);
  gsize n_frames = 0;
  guint8 *chunk = g_malloc (64 * 1024);
  gsize chunk_frames = 64 * 1024 / frame_bytes;

  while (n_frames < want_frames)
    {
      gsize want = MIN (chunk_frames, want_frames - n_frames), got;
      if (!reader_read (r, chunk, want * frame_bytes, &got, error))
        goto fail;
      gsize got_frames = got / frame_bytes;
      if (n_frames + got_frames > capacity_frames)
        {
          capacity_frames = MAX (capacity_frames * 2, n_frames + got_frames);
          samples = g_renew (float, samples, capacity_frames * fmt->channels);
        }
      convert_samples (fmt, chunk, got_frames * fmt->channels,
                       samples + n_frames * fmt->channels);
      n_frames += got_frames;
      if (got < want * frame_bytes)
        {
          if (!to_eof)
            {
              set_format_error (error, r->path, "truncated data (the data chunk says %"
                                G_GUINT64_FORMAT " bytes, the file ends before)", n_bytes);
              goto fail;
            }
          break;  /* a stream ends where it ends; a partial last frame is dropped */
        }
    }
  g_free (chunk);

  FerWav *wav = g_new0 (FerWav, 1);
  wav->rate_hz = fmt->rate_hz;
  wav->channels = fmt->channels;
  wav->n_frames = n_frames;
  wav->frames = samples;
  return wav;

fail:
  g_free (chunk);
  g_free (samples);
  return NULL;
}

static FerWav *
read_wav (Reader *r, GError **error)
{
  guint8 riff[12];
  if (!reader_read_exact (r, riff, sizeof riff, "RIFF header", error))
    return NULL;
  if (memcmp (riff, "RIFF", 4) != 0 || memcmp (riff + 8, "WAVE", 4) != 0)
    {
      set_format_error (error, r->path, "no RIFF/WAVE header");
      return NULL;
    }
  /* The RIFF size is not trusted: writers get it wrong, streams say
   * "unknown". Chunks are walked until the data chunk. */
  WavFormat fmt = { 0 };
  gboolean have_fmt = FALSE;
  for (;;)
    {
      guint8 head[8];
      gsize got;
      char id[5];
      if (!reader_read (r, head, sizeof head, &got, error))
        return NULL;
      if (got == 0)
        {
          set_format_error (error, r->path, have_fmt ? "no data chunk" : "no fmt chunk");
          return NULL;
        }
      if (got < sizeof head)
        {
          set_format_error (error, r->path, "truncated chunk header");
          return NULL;
        }
      chunk_id_text (head, id);
      guint32 chunk_bytes = get_u32 (head + 4);

      if (memcmp (head, "fmt ", 4) == 0)
        {
          if (have_fmt)
            {
              set_format_error (error, r->path, "two fmt chunks");
              return NULL;
            }
          if (!parse_fmt (r, chunk_bytes, &fmt, error))
            return NULL;
          have_fmt = TRUE;
        }
      else if (memcmp (head, "data", 4) == 0)
        {
          if (!have_fmt)
            {
              set_format_error (error, r->path, "data chunk before the fmt chunk");
              return NULL;
            }
          return read_data (r, &fmt, chunk_bytes, chunk_bytes == WAV_SIZE_UNKNOWN, error);
        }
      else if (!reader_skip (r, (guint64) chunk_bytes + (chunk_bytes & 1), id, error))
        return NULL;  /* LIST, fact, cue, ...: chunks are word aligned */
    }
}

FerWav *
fer_wav_read (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  Reader r = { .path = path };
  r.file = fopen (path, "rbe");
  if (r.file == NULL)
    {
      set_io_error (error, "open", path, errno);
      return NULL;
    }
  struct stat st;
  if (fstat (fileno (r.file), &st) == 0 && S_ISREG (st.st_mode))
    {
      r.sized = TRUE;
      r.size = (guint64) st.st_size;
    }
  FerWav *wav = read_wav (&r, error);
  fclose (r.file);
  return wav;
}

void
fer_wav_free (FerWav *wav)
{
  if (wav == NULL)
    return;
  g_free (wav->frames);
  g_free (wav);
}
