#define G_LOG_DOMAIN "fer-audio"

#include "devices.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "pa-host.h"
#include "wav.h"

void
fer_audio_device_free (FerAudioDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->name);
  g_free (device->host_api);
  g_free (device);
}

FerAudioDevice *
fer_audio_device_copy (const FerAudioDevice *device)
{
  FerAudioDevice *copy = g_memdup2 (device, sizeof *device);
  copy->name = g_strdup (device->name);
  copy->host_api = g_strdup (device->host_api);
  return copy;
}

GPtrArray *
fer_audio_devices_copy (GPtrArray *devices)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) fer_audio_device_free);
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    g_ptr_array_add (copy, fer_audio_device_copy (devices->pdata[i]));
  return copy;
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

FerAudioDevice *
fer_audio_devices_find (GPtrArray *devices, const char *spec)
{
  g_return_val_if_fail (devices != NULL, NULL);
  if (spec == NULL || *spec == '\0')
    return NULL;
  if (all_digits (spec))
    {
      gint64 index = g_ascii_strtoll (spec, NULL, 10);
      for (guint i = 0; i < devices->len; i++)
        if (((FerAudioDevice *) devices->pdata[i])->index == index)
          return devices->pdata[i];
      return NULL;
    }
  for (guint i = 0; i < devices->len; i++)
    if (strcmp (((FerAudioDevice *) devices->pdata[i])->name, spec) == 0)
      return devices->pdata[i];
  for (guint i = 0; i < devices->len; i++)
    if (g_ascii_strcasecmp (((FerAudioDevice *) devices->pdata[i])->name, spec) == 0)
      return devices->pdata[i];
  /* A unique part of a name ("USB" for "USB Audio: Headset (hw:2,0)"). */
  g_autofree char *needle = g_utf8_casefold (spec, -1);
  FerAudioDevice *found = NULL;
  for (guint i = 0; i < devices->len; i++)
    {
      FerAudioDevice *device = devices->pdata[i];
      g_autofree char *name = g_utf8_casefold (device->name, -1);
      if (strstr (name, needle) == NULL)
        continue;
      if (found != NULL)
        return NULL;   /* ambiguous */
      found = device;
    }
  return found;
}

/* pthread's lock and condition rather than GLib's: ThreadSanitizer sees
 * them, and the result crosses threads under them. */
typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  gboolean done;
  gboolean abandoned;
  GPtrArray *devices;
  char *error;
} ListJob;

static void
list_job_free (ListJob *job)
{
  pthread_mutex_destroy (&job->lock);
  pthread_cond_destroy (&job->cond);
  g_clear_pointer (&job->devices, g_ptr_array_unref);
  g_free (job->error);
  g_free (job);
}

static gpointer
list_thread (gpointer data)
{
  ListJob *job = data;
  GPtrArray *devices = NULL;
  char *error = NULL;

  fer_pa_lock ();
  fer_pa_quiet ();
  PaError err = Pa_Initialize ();
  if (err == paNoError)
    {
      devices = fer_pa_scan_devices ();
      Pa_Terminate ();
    }
  else
    error = g_strdup_printf ("PortAudio did not start: %s", Pa_GetErrorText (err));
  fer_pa_unlock ();

  pthread_mutex_lock (&job->lock);
  job->devices = devices;
  job->error = error;
  job->done = TRUE;
  gboolean abandoned = job->abandoned;
  pthread_cond_signal (&job->cond);
  pthread_mutex_unlock (&job->lock);
  if (abandoned)
    list_job_free (job);
  return NULL;
}

GPtrArray *
fer_audio_list_devices (double timeout_s, GError **error)
{
  ListJob *job = g_new0 (ListJob, 1);
  pthread_condattr_t attr;
  pthread_condattr_init (&attr);
  pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
  pthread_cond_init (&job->cond, &attr);
  pthread_condattr_destroy (&attr);
  pthread_mutex_init (&job->lock, NULL);
  GThread *thread = g_thread_new ("fer-audio-list", list_thread, job);

  struct timespec deadline;
  clock_gettime (CLOCK_MONOTONIC, &deadline);
  gint64 deadline_ns = (gint64) deadline.tv_nsec + (gint64) (timeout_s * 1e9);
  deadline.tv_sec += (time_t) (deadline_ns / 1000000000);
  deadline.tv_nsec = (long) (deadline_ns % 1000000000);
  pthread_mutex_lock (&job->lock);
  while (!job->done)
    if (pthread_cond_timedwait (&job->cond, &job->lock, &deadline) != 0)
      break;
  gboolean done = job->done;
  if (!done)
    job->abandoned = TRUE;   /* the thread frees the job when PortAudio returns */
  pthread_mutex_unlock (&job->lock);

  if (!done)
    {
      g_thread_unref (thread);
      g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_FAILED,
                   "The sound system did not answer within %.0f s (is the sound server "
                   "frozen?)", timeout_s);
      return NULL;
    }
  g_thread_join (thread);
  GPtrArray *devices = g_steal_pointer (&job->devices);
  if (devices == NULL)
    g_set_error_literal (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_FAILED, job->error);
  list_job_free (job);
  return devices;
}
