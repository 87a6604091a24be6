#define G_LOG_DOMAIN "fer-source-file"

#include "source-file.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define CHUNK_SAMPLES 16384
#define MIN_RATE_HZ 1000.0
#define MAX_RATE_HZ 100e6

typedef struct {
  FerSource parent;
  char *path;
  FILE *file;          /* owned */
  gboolean realtime;
  GThread *thread;
  guint8 *buffer;      /* owned; CHUNK_SAMPLES samples */
} FerFileSource;

/* A NaN or infinity in a float recording would poison every filter after it
 * for good: such values become 0. */
static void
sanitize_cf32 (guint8 *data, gsize n_bytes)
{
  gsize n = n_bytes / sizeof (float);
  for (gsize i = 0; i < n; i++)
    {
      float v;
      memcpy (&v, data + i * sizeof v, sizeof v);
      if (!isfinite (v))
        {
          v = 0.0f;
          memcpy (data + i * sizeof v, &v, sizeof v);
        }
    }
}

static gpointer
file_thread (gpointer data)
{
  FerFileSource *self = data;
  FerSource *source = &self->parent;
  guint sample_bytes = fer_sample_format_bytes (source->format);
  gsize chunk_bytes = CHUNK_SAMPLES * sample_bytes;
  double rate = fer_source_get_rate (source);
  gint64 start_us = g_get_monotonic_time ();
  guint64 n_samples = 0;
  gsize carry = 0;  /* bytes of a partial sample kept from the last read */

  for (;;)
    {
      if (atomic_load (&source->stopping))
        return NULL;
      size_t got = fread (self->buffer + carry, 1, chunk_bytes - carry, self->file);
      gsize have = carry + got;
      gsize whole = have - have % sample_bytes;
      if (whole > 0)
        {
          if (source->format == FER_SAMPLE_CF32)
            sanitize_cf32 (self->buffer, whole);
          if (self->realtime)
            {
              /* Sleep until these samples are due, against the clock, so
               * small oversleeps never add up. */
              gint64 due = start_us + (gint64) ((double) n_samples / rate * 1e6);
              gint64 now = g_get_monotonic_time ();
              if (due > now)
                g_usleep ((gulong) (due - now));
            }
          if (!fer_source_emit (source, self->buffer, whole))
            return NULL;
          n_samples += whole / sample_bytes;
          carry = have - whole;
          memmove (self->buffer, self->buffer + whole, carry);
        }
      if (got == 0)
        {
          if (ferror (self->file))
            {
              g_autoptr (GError) error = g_error_new (FER_SOURCE_ERROR, FER_SOURCE_ERROR_FAILED,
                                                      "Reading '%s' failed: %s", self->path,
                                                      g_strerror (errno));
              fer_source_emit_end (source, error);
              return NULL;
            }
          if (carry > 0)
            g_debug ("%s: %zu trailing bytes are not a whole sample", self->path, carry);
          fer_source_emit_end (source, NULL);
          return NULL;
        }
    }
}

static gboolean
file_start (FerSource *source, GError **error)
{
  FerFileSource *self = (FerFileSource *) source;
  if (fseek (self->file, 0, SEEK_SET) != 0)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FAILED,
                   "Cannot rewind '%s': %s", self->path, g_strerror (errno));
      return FALSE;
    }
  self->thread = g_thread_new ("fer-file", file_thread, self);
  return TRUE;
}

static void
file_stop (FerSource *source)
{
  FerFileSource *self = (FerFileSource *) source;
  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));
}

static void
file_finalize (FerSource *source)
{
  FerFileSource *self = (FerFileSource *) source;
  if (self->file != NULL)
    fclose (self->file);
  g_free (self->buffer);
  g_free (self->path);
  g_free (self);
}

static const FerSourceOps file_ops = {
  .start = file_start,
  .stop = file_stop,
  .finalize = file_finalize,
};

FerSource *
fer_source_file_new (const char *path, FerSampleFormat format, double rate_hz,
                     double center_hz, gboolean realtime, GError **error)
{
  if (!isfinite (rate_hz) || rate_hz < MIN_RATE_HZ || rate_hz > MAX_RATE_HZ)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "Sample rate %g S/s is out of range (%.0f to %.0f)", rate_hz, MIN_RATE_HZ,
                   MAX_RATE_HZ);
      return NULL;
    }
  if (!isfinite (center_hz) || center_hz < 0)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "Centre frequency %g Hz makes no sense", center_hz);
      return NULL;
    }

  FILE *file = g_fopen (path, "rb");
  if (file == NULL)
    {
      int err = errno;
      g_set_error (error, FER_SOURCE_ERROR,
                   err == ENOENT ? FER_SOURCE_ERROR_NOT_FOUND : FER_SOURCE_ERROR_ACCESS,
                   "Cannot open '%s': %s", path, g_strerror (err));
      return NULL;
    }
  struct stat st;
  if (fstat (fileno (file), &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_ACCESS,
                   "'%s' is not a regular file", path);
      fclose (file);
      return NULL;
    }
  guint sample_bytes = fer_sample_format_bytes (format);
  if ((guint64) st.st_size < sample_bytes)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT,
                   "'%s' holds no IQ samples (%lld bytes; one %s sample takes %u)", path,
                   (long long) st.st_size, fer_sample_format_name (format), sample_bytes);
      fclose (file);
      return NULL;
    }

  FerFileSource *self = g_new0 (FerFileSource, 1);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf ("File %s", base);
  fer_source_init (&self->parent, &file_ops, FER_SOURCE_KIND_FILE, name, format, realtime);
  self->path = g_strdup (path);
  self->file = file;
  self->realtime = realtime;
  self->buffer = g_malloc (CHUNK_SAMPLES * sample_bytes);
  fer_source_set_stamp (&self->parent, center_hz, rate_hz);
  return &self->parent;
}
