#define G_LOG_DOMAIN "fer-audio-recorder"

#include "audio-recorder.h"

#include <stdatomic.h>
#include <stdbool.h>

#include "audio/ring.h"
#include "audio/wav.h"

#define RING_FRAMES 65536
#define CHUNK_FRAMES 4096
#define WRITE_INTERVAL_US (20 * 1000)

struct _FerAudioRecorder {
  FerReceiver *receiver;        /* borrowed */
  guint tap_id;
  FerRing *ring;                /* owned */
  guint channels;
  FerWavWriter *wav;            /* owned; thread: writer */
  GError *error;                /* thread: writer; first failure */
  float *convert;               /* thread: dsp */
  GThread *thread;
  atomic_bool stopping;
  _Atomic guint64 n_dropped;
  char *path;
};

/* thread: dsp */
static void
on_audio (const float *frames, gsize n_frames, guint n_channels, gpointer user_data)
{
  FerAudioRecorder *self = user_data;
  while (n_frames > 0)
    {
      gsize n = MIN (n_frames, (gsize) CHUNK_FRAMES);
      const float *src = frames;
      if (n_channels != self->channels)
        {
          for (gsize i = 0; i < n; i++)
            {
              if (self->channels == 1)
                self->convert[i] = frames[i * n_channels];
              else
                self->convert[2 * i] = self->convert[2 * i + 1] = frames[i];
            }
          src = self->convert;
        }
      gsize written = fer_ring_write (self->ring, src, n);
      if (written < n)
        atomic_fetch_add (&self->n_dropped, n - written);
      frames += n * n_channels;
      n_frames -= n;
    }
}

static void
drain (FerAudioRecorder *self, float *buf)
{
  gsize n;
  while ((n = fer_ring_read (self->ring, buf, CHUNK_FRAMES)) > 0)
    if (self->error == NULL)
      fer_wav_writer_write (self->wav, buf, n, &self->error);
}

static gpointer
writer_thread (gpointer data)
{
  FerAudioRecorder *self = data;
  g_autofree float *buf = g_new (float, 2 * CHUNK_FRAMES);
  while (!atomic_load (&self->stopping))
    {
      drain (self, buf);
      g_usleep (WRITE_INTERVAL_US);
    }
  drain (self, buf);
  return NULL;
}

char *
fer_audio_recorder_make_path (const char *dir, double freq_hz)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("ferrite-%s-%.3fMHz.wav", stamp, freq_hz / 1e6);
  return g_build_filename (dir, name, NULL);
}

FerAudioRecorder *
fer_audio_recorder_new (FerReceiver *receiver, const char *path, GError **error)
{
  guint channels = fer_receiver_get_mode (receiver) == FER_MODE_WFM_STEREO ? 2 : 1;
  FerWavWriter *wav = fer_wav_writer_new (path, FER_AUDIO_RATE_HZ, channels, error);
  if (wav == NULL)
    return NULL;
  FerAudioRecorder *self = g_new0 (FerAudioRecorder, 1);
  self->receiver = receiver;
  self->channels = channels;
  self->wav = wav;
  self->path = g_strdup (path);
  self->ring = fer_ring_new (RING_FRAMES, channels);
  self->convert = g_new (float, 2 * CHUNK_FRAMES);
  atomic_init (&self->stopping, false);
  atomic_init (&self->n_dropped, 0);
  self->thread = g_thread_new ("fer-audio-rec", writer_thread, self);
  self->tap_id = fer_receiver_add_audio_tap (receiver, on_audio, self);
  return self;
}

gboolean
fer_audio_recorder_stop (FerAudioRecorder *self, GError **error)
{
  fer_receiver_remove_tap (self->receiver, self->tap_id);
  atomic_store (&self->stopping, true);
  g_thread_join (self->thread);
  gboolean ok;
  if (self->error != NULL)
    {
      fer_wav_writer_abort (self->wav);
      g_propagate_error (error, self->error);
      ok = FALSE;
    }
  else
    ok = fer_wav_writer_close (self->wav, error);
  fer_ring_free (self->ring);
  g_free (self->convert);
  g_free (self->path);
  g_free (self);
  return ok;
}

const char *
fer_audio_recorder_get_path (FerAudioRecorder *self)
{
  return self->path;
}
