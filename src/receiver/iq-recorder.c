#define G_LOG_DOMAIN "fer-iq-recorder"

#include "iq-recorder.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/statvfs.h>

#include "block-fifo.h"

/* 8 MiB: 1.7 s of a dongle's cu8 at 2.4 MS/s for the disk to catch up. */
#define FIFO_BLOCKS 256
#define FIFO_BLOCK_BYTES (32 * 1024)
#define POP_TIMEOUT_US (100 * 1000)
/* How often a WAV file's sizes are brought up to date on disk. */
#define SYNC_INTERVAL_US (500 * 1000)

struct _FerIqRecorder {
  FerReceiver *receiver;        /* borrowed */
  guint tap_id;
  FerBlockFifo *fifo;           /* owned */
  GThread *thread;
  atomic_bool stopping;

  /* thread: writer (the thread that creates it, before it starts) */
  FerIqWriter *writer;          /* owned */
  FerIqContainer container;
  FerSampleFormat format;
  char *base_path;              /* owned; what was asked for */
  char *hw;                     /* owned */
  double rate_hz, center_hz;    /* of the file being written */
  guint8 *convert_buf;          /* owned; FIFO_BLOCK_BYTES of cu8 as cf32 at most */
  gint64 last_sync_us;

  /* Status: written by the writer thread, read by anyone. */
  GRecMutex lock;
  char *path;                   /* guarded; the file being written */
  char *error;                  /* guarded; first failure */
  guint n_files;                /* guarded */
  _Atomic guint64 n_bytes_done; /* bytes of files finished */
  _Atomic guint64 n_bytes_now;  /* bytes of the file being written */
  _Atomic guint64 n_samples;
  _Atomic double rate_now;
};

static const struct { const char *ext; FerIqContainer container; } containers[] = {
  { ".wav", FER_IQ_CONTAINER_WAV },
  { ".sigmf-data", FER_IQ_CONTAINER_SIGMF },
  { ".sigmf-meta", FER_IQ_CONTAINER_SIGMF },
  { ".sigmf", FER_IQ_CONTAINER_SIGMF },
};

static const struct { const char *ext; FerSampleFormat format; } raw_names[] = {
  { ".cu8", FER_SAMPLE_CU8 }, { ".cs8", FER_SAMPLE_CS8 },
  { ".cs16", FER_SAMPLE_CS16 }, { ".cf32", FER_SAMPLE_CF32 },
};

gboolean
fer_iq_recorder_parse_target (const char *path, const char *format_name,
                              FerSampleFormat source_format, FerIqContainer *container,
                              FerSampleFormat *format, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  *container = FER_IQ_CONTAINER_RAW;
  for (guint i = 0; i < G_N_ELEMENTS (containers); i++)
    if (g_str_has_suffix (lower, containers[i].ext))
      *container = containers[i].container;

  *format = source_format;
  if (*container == FER_IQ_CONTAINER_RAW)
    for (guint i = 0; i < G_N_ELEMENTS (raw_names); i++)
      if (g_str_has_suffix (lower, raw_names[i].ext))
        *format = raw_names[i].format;
  if (format_name != NULL)
    {
      /* SigMF's names are taken too. */
      static const struct { const char *name; FerSampleFormat format; } aliases[] = {
        { "ci8", FER_SAMPLE_CS8 }, { "ci16", FER_SAMPLE_CS16 }, { "ci16_le", FER_SAMPLE_CS16 },
        { "cf32_le", FER_SAMPLE_CF32 },
      };
      gboolean known = fer_sample_format_parse (format_name, format);
      for (guint i = 0; !known && i < G_N_ELEMENTS (aliases); i++)
        if (g_ascii_strcasecmp (format_name, aliases[i].name) == 0)
          {
            *format = aliases[i].format;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                       "Unknown IQ sample format '%s' (use cu8, cs8, cs16 or cf32)",
                       format_name);
          return FALSE;
        }
    }
  if (*container == FER_IQ_CONTAINER_WAV && *format == FER_SAMPLE_CS8)
    {
      if (format_name != NULL)
        {
          g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_INVALID,
                       "A WAV recording holds cu8, cs16 or cf32, not cs8");
          return FALSE;
        }
      *format = FER_SAMPLE_CU8;   /* the same samples, offset by 128 */
    }
  return TRUE;
}

/* NAME.wav -> NAME-2.wav; NAME.sigmf-data -> NAME-2.sigmf-data. */
static char *
part_path (const char *path, guint part)
{
  if (part <= 1)
    return g_strdup (path);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  const char *slash = strrchr (path, G_DIR_SEPARATOR);
  const char *name = slash ? slash + 1 : path;
  const char *dot = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (containers) && dot == NULL; i++)
    if (g_str_has_suffix (lower, containers[i].ext))
      dot = path + strlen (path) - strlen (containers[i].ext);
  if (dot == NULL)
    dot = strrchr (name, '.');
  if (dot == NULL || dot == name)
    return g_strdup_printf ("%s-%u", path, part);
  return g_strdup_printf ("%.*s-%u%s", (int) (dot - path), path, part, dot);
}

static void
set_failed (FerIqRecorder *self, const GError *error)
{
  g_rec_mutex_lock (&self->lock);
  if (self->error == NULL)
    self->error = g_strdup (error->message);
  g_rec_mutex_unlock (&self->lock);
}

/* Finishes the file being written (if any). */
static void
close_writer (FerIqRecorder *self)
{
  if (self->writer == NULL)
    return;
  g_autoptr (GError) error = NULL;
  atomic_fetch_add (&self->n_bytes_done, fer_iq_writer_get_n_bytes (self->writer));
  atomic_store (&self->n_bytes_now, 0);
  if (!fer_iq_writer_close (g_steal_pointer (&self->writer), &error))
    set_failed (self, error);
}

/* Starts the next file (part 1 is the path asked for). */
static gboolean
open_writer (FerIqRecorder *self, double rate_hz, double center_hz, GError **error)
{
  g_rec_mutex_lock (&self->lock);
  guint part = self->n_files + 1;
  g_rec_mutex_unlock (&self->lock);
  g_autofree char *path = part_path (self->base_path, part);
  self->writer = fer_iq_writer_new (path, self->container, self->format, rate_hz, center_hz,
                                    self->hw, error);
  if (self->writer == NULL)
    return FALSE;
  self->rate_hz = rate_hz;
  self->center_hz = center_hz;
  atomic_store (&self->rate_now, rate_hz);
  atomic_store (&self->n_bytes_now, fer_iq_writer_get_n_bytes (self->writer));
  g_rec_mutex_lock (&self->lock);
  self->n_files = part;
  g_free (self->path);
  self->path = g_strdup (fer_iq_writer_get_data_path (self->writer));
  g_rec_mutex_unlock (&self->lock);
  return TRUE;
}

/* The block's tuning differs from the file's: a new capture or a new file. */
static gboolean
follow_tuning (FerIqRecorder *self, const FerBlock *block, GError **error)
{
  if (block->rate_hz == self->rate_hz && block->center_hz == self->center_hz)
    return TRUE;
  gboolean empty = fer_iq_writer_get_n_samples (self->writer) == 0;
  if (block->rate_hz == self->rate_hz && self->container == FER_IQ_CONTAINER_SIGMF)
    {
      self->center_hz = block->center_hz;
      return fer_iq_writer_retune (self->writer, block->center_hz, error);
    }
  if (empty)
    {
      /* Nothing written under the old tuning: the same file again. */
      fer_iq_writer_close (g_steal_pointer (&self->writer), NULL);
      g_rec_mutex_lock (&self->lock);
      self->n_files--;
      g_rec_mutex_unlock (&self->lock);
    }
  else
    close_writer (self);
  return open_writer (self, block->rate_hz, block->center_hz, error);
}

static void
write_block (FerIqRecorder *self, const FerBlock *block)
{
  g_autoptr (GError) error = NULL;
  if (self->writer == NULL)
    return;   /* failed before */
  if (!follow_tuning (self, block, &error))
    {
      set_failed (self, error);
      close_writer (self);
      return;
    }
  gsize n = block->n_bytes / fer_sample_format_bytes (block->format);
  const guint8 *data = block->data;
  if (block->format != self->format)
    {
      fer_iq_convert (block->format, block->data, n, self->format, self->convert_buf);
      data = self->convert_buf;
    }
  if (!fer_iq_writer_write (self->writer, data, n * fer_sample_format_bytes (self->format),
                            &error))
    {
      set_failed (self, error);
      close_writer (self);
      return;
    }
  atomic_fetch_add (&self->n_samples, n);
  atomic_store (&self->n_bytes_now, fer_iq_writer_get_n_bytes (self->writer));
}

static gpointer
writer_thread (gpointer data)
{
  FerIqRecorder *self = data;
  for (;;)
    {
      FerBlock *block = fer_block_fifo_pop (self->fifo, POP_TIMEOUT_US);
      if (block != NULL)
        {
          write_block (self, block);
          fer_block_release (block);
        }
      else if (atomic_load (&self->stopping))
        {
          /* The tap is gone: write what it queued, then finish. */
          while ((block = fer_block_fifo_pop (self->fifo, 0)) != NULL)
            {
              write_block (self, block);
              fer_block_release (block);
            }
          break;
        }
      gint64 now = g_get_monotonic_time ();
      if (self->writer != NULL && now - self->last_sync_us >= SYNC_INTERVAL_US)
        {
          g_autoptr (GError) error = NULL;
          self->last_sync_us = now;
          if (!fer_iq_writer_sync (self->writer, &error))
            {
              set_failed (self, error);
              close_writer (self);
            }
        }
    }
  close_writer (self);
  return NULL;
}

/* thread: dsp */
static void
on_block (const FerBlock *block, gpointer user_data)
{
  FerIqRecorder *self = user_data;
  fer_block_fifo_push_copy (self->fifo, block);
}

FerIqRecorder *
fer_iq_recorder_new (FerReceiver *receiver, const char *path, FerIqContainer container,
                     FerSampleFormat format, GError **error)
{
  FerSource *source = fer_receiver_get_source (receiver);
  FerIqRecorder *self = g_new0 (FerIqRecorder, 1);
  self->receiver = receiver;
  self->container = container;
  self->format = format;
  self->base_path = g_strdup (path);
  self->hw = g_strdup (fer_source_get_name (source));
  g_rec_mutex_init (&self->lock);
  atomic_init (&self->stopping, false);
  atomic_init (&self->n_bytes_done, 0);
  atomic_init (&self->n_bytes_now, 0);
  atomic_init (&self->n_samples, 0);
  atomic_init (&self->rate_now, 0.0);
  if (!open_writer (self, fer_receiver_get_rate (receiver), fer_receiver_get_center (receiver),
                    error))
    {
      fer_iq_recorder_free (self);
      return NULL;
    }
  /* The largest block is cu8 (2 bytes a sample) going to cf32 (8). */
  self->convert_buf = g_malloc (FIFO_BLOCK_BYTES / 2 * 8);
  self->fifo = fer_block_fifo_new (FIFO_BLOCKS, FIFO_BLOCK_BYTES);
  self->last_sync_us = g_get_monotonic_time ();
  self->thread = g_thread_new ("fer-iq-rec", writer_thread, self);
  self->tap_id = fer_receiver_add_block_tap (receiver, on_block, self);
  if (self->tap_id == 0)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FAILED,
                   "Too many recordings and servers at once");
      fer_iq_recorder_free (self);
      return NULL;
    }
  return self;
}

static void
recorder_shutdown (FerIqRecorder *self)
{
  if (self->tap_id != 0)
    {
      fer_receiver_remove_tap (self->receiver, self->tap_id);
      self->tap_id = 0;
    }
  if (self->thread != NULL)
    {
      atomic_store (&self->stopping, true);
      fer_block_fifo_wake (self->fifo);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  close_writer (self);
}

gboolean
fer_iq_recorder_stop (FerIqRecorder *self, GError **error)
{
  return fer_iq_recorder_stop_with_status (self, NULL, error);
}

gboolean
fer_iq_recorder_stop_with_status (FerIqRecorder *self, FerIqRecorderStatus *final_status,
                                  GError **error)
{
  recorder_shutdown (self);
  if (final_status != NULL)
    fer_iq_recorder_get_status (self, final_status);
  gboolean ok = self->error == NULL;
  if (!ok)
    g_set_error_literal (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_ACCESS, self->error);
  fer_iq_recorder_free (self);
  return ok;
}

void
fer_iq_recorder_free (FerIqRecorder *self)
{
  if (self == NULL)
    return;
  recorder_shutdown (self);
  fer_block_fifo_free (self->fifo);
  g_free (self->convert_buf);
  g_free (self->base_path);
  g_free (self->hw);
  g_free (self->path);
  g_free (self->error);
  g_rec_mutex_clear (&self->lock);
  g_free (self);
}

void
fer_iq_recorder_get_status (FerIqRecorder *self, FerIqRecorderStatus *status)
{
  memset (status, 0, sizeof *status);
  g_rec_mutex_lock (&self->lock);
  status->path = g_strdup (self->path);
  status->error = g_strdup (self->error);
  status->n_files = self->n_files;
  g_rec_mutex_unlock (&self->lock);
  status->container = self->container;
  status->format = self->format;
  status->n_bytes = atomic_load (&self->n_bytes_done) + atomic_load (&self->n_bytes_now);
  double rate = atomic_load (&self->rate_now);
  status->seconds = rate > 0 ? (double) atomic_load (&self->n_samples) / rate : 0;
  status->n_dropped = fer_block_fifo_get_n_dropped (self->fifo);
  status->free_bytes = G_MAXUINT64;
  g_autofree char *dir = status->path ? g_path_get_dirname (status->path) : NULL;
  struct statvfs fs;
  if (dir != NULL && statvfs (dir, &fs) == 0)
    status->free_bytes = (guint64) fs.f_bavail * fs.f_frsize;
}

void
fer_iq_recorder_status_clear (FerIqRecorderStatus *status)
{
  g_clear_pointer (&status->path, g_free);
  g_clear_pointer (&status->error, g_free);
}
