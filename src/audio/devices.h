/* devices.h - the audio outputs there are, and finding the one a person means.
 *
 * Names and indices as PortAudio gives them. The sink keeps the list of its
 * last look (fer_audio_sink_dup_devices) for a window's menu; the command
 * line lists them itself.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An output device as PortAudio lists it. */
typedef struct {
  int index;                /* PortAudio's index: valid until the next scan */
  char *name;
  char *host_api;           /* "ALSA", "JACK Audio Connection Kit", ... */
  int max_channels;
  double latency_s;         /* the device's low default output latency */
  gboolean is_default;      /* the default output */
} FerAudioDevice;

void fer_audio_device_free (FerAudioDevice *device);
FerAudioDevice *fer_audio_device_copy (const FerAudioDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerAudioDevice, fer_audio_device_free)

/* A new GPtrArray of copies of @devices (NULL: empty). */
GPtrArray *fer_audio_devices_copy (GPtrArray *devices);

/* Lists the output devices (a GPtrArray of FerAudioDevice, default marked),
 * on a thread of its own: NULL with FER_AUDIO_ERROR_FAILED if PortAudio does
 * not answer within @timeout_s (a frozen sound server); an empty array when
 * there is none. For the command line; a window asks the sink instead. */
GPtrArray *fer_audio_list_devices (double timeout_s, GError **error);

/* Finds @spec in @devices: an index ("3") or a name (exact, then ignoring
 * case, then a unique part of one). NULL when there is no such device. */
FerAudioDevice *fer_audio_devices_find (GPtrArray *devices, const char *spec);

G_END_DECLS
