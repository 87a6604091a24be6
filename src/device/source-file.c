#define G_LOG_DOMAIN "fer-source-file"

#include "source-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK_SAMPLES 16384
#define MIN_RATE_HZ 1000.0
#define MAX_RATE_HZ 100e6
/* How often a paused source looks for a seek, a resume or a stop. */
#define PAUSE_SLICE_US (10 * 1000)
#define NO_SEEK (-1)

typedef struct {
  FerSource parent;
  FerIqFileInfo *info;   /* owned */
  int fd;
  gboolean realtime;
  GThread *thread;
  guint8 *buffer;        /* owned; CHUNK_SAMPLES samples */

  _Atomic guint64 position;   /* samples from the start; written by the file thread */
  _Atomic gint64 seek_to;     /* sample to jump to, or NO_SEEK */
  atomic_bool paused;
  atomic_bool loop;
  _Atomic double speed;
} FerFileSource;

static const FerSourceOps file_ops;

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

/* The capture @pos falls in (SigMF), and where the next one starts. */
static double
capture_at (FerFileSource *self, guint64 pos, guint64 *next_start)
{
  GArray *caps = self->info->captures;
  double center = self->info->center_hz;
  *next_start = G_MAXUINT64;
  for (guint i = 0; i < caps->len; i++)
    {
      const FerIqCapture *c = &g_array_index (caps, FerIqCapture, i);
      if (c->sample_start > pos)
        {
          *next_start = c->sample_start;
          break;
        }
      if (isfinite (c->center_hz))
        center = c->center_hz;
    }
  return center;
}

/* Reads @n samples at @pos; returns how many whole samples came. */
static gsize
read_samples (FerFileSource *self, guint64 pos, gsize n, int *err)
{
  guint sample_bytes = fer_sample_format_bytes (self->parent.format);
  gsize want = n * sample_bytes, got = 0;
  off_t offset = (off_t) (self->info->data_offset + pos * sample_bytes);
  *err = 0;
  while (got < want)
    {
      ssize_t r = pread (self->fd, self->buffer + got, want - got, offset + (off_t) got);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          *err = errno;
          break;
        }
      if (r == 0)
        break;
      got += (gsize) r;
    }
  return got / sample_bytes;
}

static gpointer
file_thread (gpointer data)
{
  FerFileSource *self = data;
  FerSource *source = &self->parent;
  guint sample_bytes = fer_sample_format_bytes (source->format);
  double rate = fer_source_get_rate (source);
  guint64 total = self->info->n_samples;
  /* A restart goes on where the last run stopped, or from the top after the end. */
  guint64 pos = atomic_load (&self->position);
  if (pos >= total)
    pos = 0;
  guint64 next_capture;
  double center = capture_at (self, pos, &next_capture);
  /* Pacing: samples from base_pos on are due base_us + n / (rate * speed). */
  gint64 base_us = g_get_monotonic_time ();
  guint64 base_pos = pos;
  double speed = atomic_load (&self->speed);
  gboolean was_paused = FALSE;

  if (center != fer_source_get_center (source))
    fer_source_set_stamp (source, center, rate);

  for (;;)
    {
      if (atomic_load (&source->stopping))
        return NULL;

      gint64 seek = atomic_exchange (&self->seek_to, NO_SEEK);
      if (seek != NO_SEEK)
        {
          pos = MIN ((guint64) seek, total);
          center = capture_at (self, pos, &next_capture);
          /* Marks the jump (and the new centre) on the next block. */
          fer_source_flush (source);
          fer_source_set_stamp (source, center, rate);
          atomic_store (&self->position, pos);
          base_us = g_get_monotonic_time ();
          base_pos = pos;
        }
      if (atomic_load (&self->paused))
        {
          was_paused = TRUE;
          g_usleep (PAUSE_SLICE_US);
          continue;
        }
      double new_speed = atomic_load (&self->speed);
      if (was_paused || new_speed != speed)
        {
          was_paused = FALSE;
          speed = new_speed;
          base_us = g_get_monotonic_time ();
          base_pos = pos;
        }

      if (pos >= total)
        {
          if (atomic_load (&self->loop) && total > 0)
            {
              atomic_store (&self->seek_to, 0);
              continue;
            }
          fer_source_emit_end (source, NULL);
          return NULL;
        }
      if (pos >= next_capture)
        {
          center = capture_at (self, pos, &next_capture);
          fer_source_set_stamp (source, center, rate);
        }

      gsize n = (gsize) MIN ((guint64) CHUNK_SAMPLES, MIN (total, next_capture) - pos);
      int err;
      gsize got = read_samples (self, pos, n, &err);
      if (got > 0)
        {
          if (source->format == FER_SAMPLE_CF32)
            sanitize_cf32 (self->buffer, got * sample_bytes);
          if (self->realtime)
            {
              /* Sleep until these samples are due, against the clock, so
               * small oversleeps never add up. */
              gint64 due = base_us + (gint64) ((double) (pos - base_pos) / (rate * speed) * 1e6);
              gint64 now = g_get_monotonic_time ();
              if (due > now)
                g_usleep ((gulong) (due - now));
            }
          if (!fer_source_emit (source, self->buffer, got * sample_bytes))
            return NULL;
          pos += got;
          atomic_store (&self->position, pos);
        }
      if (got < n)
        {
          g_autoptr (GError) error = NULL;
          if (err != 0)
            error = g_error_new (FER_SOURCE_ERROR, FER_SOURCE_ERROR_FAILED,
                                 "Reading '%s' failed: %s", self->info->data_path,
                                 g_strerror (err));
          else
            g_debug ("%s: ends early (it shrank while playing)", self->info->data_path);
          /* A file that shrank while playing: what is there was played. */
          if (error != NULL || !atomic_load (&self->loop))
            {
              fer_source_emit_end (source, error);
              return NULL;
            }
          total = pos;
        }
    }
}

static gboolean
file_start (FerSource *source, GError **error)
{
  FerFileSource *self = (FerFileSource *) source;
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
  if (self->fd >= 0)
    close (self->fd);
  fer_iq_file_info_free (self->info);
  g_free (self->buffer);
  g_free (self);
}

static const FerSourceOps file_ops = {
  .start = file_start,
  .stop = file_stop,
  .finalize = file_finalize,
};

/* Takes @info. */
static FerSource *
file_source_new (FerIqFileInfo *info, gboolean realtime, GError **error)
{
  if (!isfinite (info->rate_hz) || info->rate_hz < MIN_RATE_HZ || info->rate_hz > MAX_RATE_HZ)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                   "Sample rate %g S/s is out of range (%.0f to %.0f)", info->rate_hz,
                   MIN_RATE_HZ, MAX_RATE_HZ);
      fer_iq_file_info_free (info);
      return NULL;
    }
  if (!isfinite (info->center_hz) || info->center_hz < 0)
    {
      g_autofree char *base = g_path_get_basename (info->data_path);
      if (isnan (info->center_hz))
        g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                     "%s does not say its centre frequency: give it", base);
      else
        g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                     "Centre frequency %g Hz makes no sense", info->center_hz);
      fer_iq_file_info_free (info);
      return NULL;
    }

  int fd = g_open (info->data_path, O_RDONLY | O_CLOEXEC, 0);
  struct stat st;
  if (fd < 0)
    {
      int err = errno;
      g_set_error (error, FER_SOURCE_ERROR,
                   err == ENOENT ? FER_SOURCE_ERROR_NOT_FOUND : FER_SOURCE_ERROR_ACCESS,
                   "Cannot open '%s': %s", info->data_path, g_strerror (err));
      fer_iq_file_info_free (info);
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_ACCESS,
                   "'%s' is not a regular file", info->data_path);
      close (fd);
      fer_iq_file_info_free (info);
      return NULL;
    }
  guint sample_bytes = fer_sample_format_bytes (info->format);
  if (info->container == FER_IQ_CONTAINER_RAW)
    info->n_samples = (guint64) st.st_size / sample_bytes;
  if (info->n_samples == 0)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT,
                   "'%s' holds no IQ samples (%lld bytes; one %s sample takes %u)",
                   info->data_path, (long long) st.st_size, fer_sample_format_name (info->format),
                   sample_bytes);
      close (fd);
      fer_iq_file_info_free (info);
      return NULL;
    }

  FerFileSource *self = g_new0 (FerFileSource, 1);
  g_autofree char *base = g_path_get_basename (info->data_path);
  g_autofree char *name = g_strdup_printf ("File %s", base);
  fer_source_init (&self->parent, &file_ops, FER_SOURCE_KIND_FILE, name, info->format, realtime);
  self->info = info;
  self->fd = fd;
  self->realtime = realtime;
  self->buffer = g_malloc (CHUNK_SAMPLES * sample_bytes);
  atomic_init (&self->position, 0);
  atomic_init (&self->seek_to, NO_SEEK);
  atomic_init (&self->paused, false);
  atomic_init (&self->loop, false);
  atomic_init (&self->speed, 1.0);
  fer_source_set_stamp (&self->parent, info->center_hz, info->rate_hz);
  return &self->parent;
}

FerSource *
fer_source_file_new (const char *path, FerSampleFormat format, double rate_hz,
                     double center_hz, gboolean realtime, GError **error)
{
  /* Checked before the file, as ever: a bad rate is the caller's mistake
   * whatever the file holds. */
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
  FerIqFileInfo *info = fer_iq_file_info_new (FER_IQ_CONTAINER_RAW);
  info->data_path = g_strdup (path);
  info->format = format;
  info->has_format = TRUE;
  info->rate_hz = rate_hz;
  info->center_hz = center_hz;
  return file_source_new (info, realtime, error);
}

void
fer_source_file_hints_init (FerSourceFileHints *hints)
{
  hints->format = FER_SAMPLE_CU8;
  hints->format_given = FALSE;
  hints->rate_hz = 0;
  hints->center_hz = NAN;
}

FerSource *
fer_source_file_open (const char *path, const FerSourceFileHints *hints, gboolean realtime,
                      GError **error)
{
  FerSourceFileHints none;
  if (hints == NULL)
    {
      fer_source_file_hints_init (&none);
      hints = &none;
    }
  FerIqFileInfo *info = fer_iq_file_info_probe (path, error);
  if (info == NULL)
    return NULL;
  if (info->container == FER_IQ_CONTAINER_RAW)
    {
      if (hints->format_given || !info->has_format)
        info->format = hints->format;
      if (hints->rate_hz <= 0)
        {
          g_autofree char *base = g_path_get_basename (path);
          g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                       "%s is a raw recording: it needs its sample rate", base);
          fer_iq_file_info_free (info);
          return NULL;
        }
      info->rate_hz = hints->rate_hz;
      info->center_hz = hints->center_hz;
    }
  else if (isnan (info->center_hz))
    info->center_hz = hints->center_hz;
  return file_source_new (info, realtime, error);
}

/* --- playback controls ------------------------------------------------------ */

gboolean
fer_source_is_file (FerSource *source)
{
  return source != NULL && source->ops == &file_ops;
}

static FerFileSource *
as_file (FerSource *source)
{
  g_return_val_if_fail (fer_source_is_file (source), NULL);
  return (FerFileSource *) source;
}

FerIqContainer
fer_source_file_get_container (FerSource *source)
{
  FerFileSource *self = as_file (source);
  return self ? self->info->container : FER_IQ_CONTAINER_RAW;
}

const char *
fer_source_file_get_note (FerSource *source)
{
  FerFileSource *self = as_file (source);
  return self ? self->info->note : NULL;
}

double
fer_source_file_get_duration (FerSource *source)
{
  FerFileSource *self = as_file (source);
  return self ? (double) self->info->n_samples / self->info->rate_hz : 0;
}

double
fer_source_file_get_position (FerSource *source)
{
  FerFileSource *self = as_file (source);
  if (self == NULL)
    return 0;
  /* A seek not taken yet is where the person put it. */
  gint64 seek = atomic_load (&self->seek_to);
  guint64 pos = seek != NO_SEEK ? (guint64) seek : atomic_load (&self->position);
  return (double) pos / self->info->rate_hz;
}

void
fer_source_file_seek (FerSource *source, double seconds)
{
  FerFileSource *self = as_file (source);
  if (self == NULL || isnan (seconds))
    return;
  double samples = CLAMP (seconds * self->info->rate_hz, 0.0, (double) self->info->n_samples);
  /* Taken by the file thread between chunks, or when it starts. */
  atomic_store (&self->seek_to, (gint64) samples);
}

void
fer_source_file_set_paused (FerSource *source, gboolean paused)
{
  FerFileSource *self = as_file (source);
  if (self != NULL)
    atomic_store (&self->paused, paused);
}

gboolean
fer_source_file_get_paused (FerSource *source)
{
  FerFileSource *self = as_file (source);
  return self != NULL && atomic_load (&self->paused);
}

void
fer_source_file_set_loop (FerSource *source, gboolean loop)
{
  FerFileSource *self = as_file (source);
  if (self != NULL)
    atomic_store (&self->loop, loop);
}

gboolean
fer_source_file_get_loop (FerSource *source)
{
  FerFileSource *self = as_file (source);
  return self != NULL && atomic_load (&self->loop);
}

void
fer_source_file_set_speed (FerSource *source, double speed)
{
  FerFileSource *self = as_file (source);
  if (self != NULL && !isnan (speed))
    atomic_store (&self->speed, CLAMP (speed, FER_SOURCE_FILE_MIN_SPEED,
                                       FER_SOURCE_FILE_MAX_SPEED));
}

double
fer_source_file_get_speed (FerSource *source)
{
  FerFileSource *self = as_file (source);
  return self != NULL ? atomic_load (&self->speed) : 1.0;
}
