#define G_LOG_DOMAIN "fer-audio"

#include "pa-host.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "devices.h"

static GMutex pa_lock;

void
fer_pa_lock (void)
{
  g_mutex_lock (&pa_lock);
}

void
fer_pa_unlock (void)
{
  g_mutex_unlock (&pa_lock);
}

static void
ignore_jack_message (const char *message)
{
}

/* ALSA's error messages (two "Unable to connect" lines at every look for a
 * sound server that is not there) go to the debug log, not to stderr. */
static void
alsa_message (const char *file, int line, const char *function, int err, const char *format,
              ...)
{
  char text[256];
  va_list ap;
  va_start (ap, format);
  vsnprintf (text, sizeof text, format, ap);
  va_end (ap);
  g_strchomp (text);
  g_debug ("ALSA: %s (%s:%d)", text, function != NULL ? function : "?", line);
}

/* PortAudio probes for a JACK server at every Pa_Initialize, and without one
 * libjack prints ten lines of "Cannot connect to server socket" to stderr;
 * ALSA adds its own lines when a sound server is missing. Both libraries
 * have a documented hook for their messages; they are linked by PortAudio,
 * not by Ferrite, so the setters are looked up at run time (absent when
 * PortAudio was built without them: nothing to do). JACK's probe messages
 * are dropped (once PortAudio reaches a JACK server it installs its own
 * handler); ALSA's go to the debug log. */
void
fer_pa_quiet (void)
{
  static const char *const jack_setters[] = { "jack_set_error_function",
                                              "jack_set_info_function" };
  for (gsize i = 0; i < G_N_ELEMENTS (jack_setters); i++)
    {
      void *symbol = dlsym (RTLD_DEFAULT, jack_setters[i]);
      void (*set_handler) (void (*handler) (const char *));
      if (symbol == NULL)
        continue;
      memcpy (&set_handler, &symbol, sizeof set_handler);
      set_handler (ignore_jack_message);
    }

  void *symbol = dlsym (RTLD_DEFAULT, "snd_lib_error_set_handler");
  if (symbol != NULL)
    {
      int (*set_handler) (void (*handler) (const char *, int, const char *, int, const char *,
                                           ...));
      memcpy (&set_handler, &symbol, sizeof set_handler);
      set_handler (alsa_message);
    }
}

void
fer_pa_log_error (const char *what, PaError err)
{
  if (err == paUnanticipatedHostError)
    {
      const PaHostErrorInfo *host = Pa_GetLastHostErrorInfo ();
      g_message ("%s: %s (host API %d, code %ld: %s)", what, Pa_GetErrorText (err),
                 host->hostApiType, host->errorCode,
                 host->errorText != NULL ? host->errorText : "");
    }
  else
    g_message ("%s: %s", what, Pa_GetErrorText (err));
}

GPtrArray *
fer_pa_scan_devices (void)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) fer_audio_device_free);
  PaDeviceIndex default_output = Pa_GetDefaultOutputDevice ();
  int n = Pa_GetDeviceCount ();
  for (int i = 0; i < n; i++)
    {
      const PaDeviceInfo *info = Pa_GetDeviceInfo (i);
      if (info == NULL || info->maxOutputChannels <= 0)
        continue;
      const PaHostApiInfo *api = Pa_GetHostApiInfo (info->hostApi);
      FerAudioDevice *device = g_new0 (FerAudioDevice, 1);
      device->index = i;
      device->name = g_strdup (info->name != NULL ? info->name : "?");
      device->host_api = g_strdup (api != NULL && api->name != NULL ? api->name : "?");
      device->max_channels = info->maxOutputChannels;
      device->latency_s = info->defaultLowOutputLatency;
      device->is_default = i == default_output;
      g_ptr_array_add (devices, device);
    }
  return devices;
}
