#define G_LOG_DOMAIN "fer-services"

#include "services.h"

#include <string.h>

#include "audio/udp-out.h"
#include "audio-recorder.h"
#include "iq-recorder.h"
#include "rigctl.h"
#include "rtltcp-server.h"

struct _FerServices {
  FerReceiver *receiver;        /* borrowed */
  FerIqRecorder *recorder;      /* owned */
  FerUdpOut *udp;               /* owned */
  guint udp_tap;
  FerRigctl *rigctl;            /* owned */
  FerAudioRecorder *audio_rec;  /* owned; rigctl's RECORD */
  FerRtlTcpServer *server;      /* owned */
};

/* rigctl's RECORD, AOS, LOS: audio to a new WAV file in the current folder. */
static gboolean
get_recording (gpointer data)
{
  FerServices *self = data;
  return self->audio_rec != NULL;
}

static gboolean
set_recording (gpointer data, gboolean on)
{
  FerServices *self = data;
  g_autoptr (GError) error = NULL;
  if (on && self->audio_rec == NULL)
    {
      g_autofree char *path = fer_audio_recorder_make_path (".",
                                                            fer_receiver_get_freq (self->receiver));
      self->audio_rec = fer_audio_recorder_new (self->receiver, path, &error);
      if (self->audio_rec == NULL)
        g_warning ("Recording audio: %s", error->message);
      return self->audio_rec != NULL;
    }
  if (!on && self->audio_rec != NULL
      && !fer_audio_recorder_stop (g_steal_pointer (&self->audio_rec), &error))
    g_warning ("Recording audio: %s", error->message);
  return TRUE;
}

/* thread: dsp */
static void
on_audio (const float *frames, gsize n_frames, guint n_channels, gpointer user_data)
{
  fer_udp_out_push (user_data, frames, n_frames, n_channels);
}

static void
services_free (FerServices *self)
{
  g_clear_pointer (&self->rigctl, fer_rigctl_free);
  g_clear_pointer (&self->server, fer_rtltcp_server_free);
  if (self->audio_rec != NULL)
    set_recording (self, FALSE);
  fer_receiver_remove_tap (self->receiver, self->udp_tap);
  g_clear_pointer (&self->udp, fer_udp_out_free);
  g_clear_pointer (&self->recorder, fer_iq_recorder_free);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerServices, services_free)

gboolean
fer_parse_host_port (const char *text, const char *default_host, gboolean need_host,
                     char **host, guint16 *port, GError **error)
{
  g_autofree char *h = NULL;
  const char *port_text = text;
  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');
      if (close == NULL || close[1] != ':')
        goto bad;
      h = g_strndup (text + 1, (gsize) (close - text - 1));
      port_text = close + 2;
    }
  else
    {
      const char *colon = strrchr (text, ':');
      if (colon != NULL)
        {
          if (strchr (text, ':') != colon)
            goto bad;   /* a bare IPv6 address needs its brackets */
          h = g_strndup (text, (gsize) (colon - text));
          port_text = colon + 1;
        }
    }
  if ((h != NULL && *h == '\0') || (h == NULL && need_host))
    goto bad;
  char *end = NULL;
  guint64 p = g_ascii_strtoull (port_text, &end, 10);
  if (end == port_text || *end != '\0' || p == 0 || p > 65535)
    goto bad;
  *host = h != NULL ? g_steal_pointer (&h) : g_strdup (default_host);
  *port = (guint16) p;
  return TRUE;

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               need_host ? "'%s' is not HOST:PORT (e.g. 127.0.0.1:7355)"
                         : "'%s' is not [ADDRESS:]PORT (e.g. 1234 or 0.0.0.0:1234)", text);
  return FALSE;
}

FerServices *
fer_services_new (FerReceiver *receiver, const FerServicesOptions *options, GError **error)
{
  g_autoptr (FerServices) self = g_new0 (FerServices, 1);
  self->receiver = receiver;

  if (options->iq_out != NULL)
    {
      FerSource *source = fer_receiver_get_source (receiver);
      FerIqContainer container;
      FerSampleFormat format;
      if (!fer_iq_recorder_parse_target (options->iq_out, options->iq_format, source->format,
                                         &container, &format, error))
        return NULL;
      self->recorder = fer_iq_recorder_new (receiver, options->iq_out, container, format, error);
      if (self->recorder == NULL)
        return NULL;
    }
  if (options->udp_audio != NULL)
    {
      g_autofree char *host = NULL;
      guint16 port;
      if (!fer_parse_host_port (options->udp_audio, "127.0.0.1", TRUE, &host, &port, error))
        {
          g_prefix_error (error, "--udp-audio: ");
          return NULL;
        }
      self->udp = fer_udp_out_new (host, port, FER_AUDIO_RATE_HZ, options->udp_stereo, error);
      if (self->udp == NULL)
        return NULL;
      self->udp_tap = fer_receiver_add_audio_tap (receiver, on_audio, self->udp);
    }
  if (options->rigctl != NULL)
    {
      g_autofree char *host = NULL;
      guint16 port;
      if (!fer_parse_host_port (options->rigctl, "127.0.0.1", FALSE, &host, &port, error))
        {
          g_prefix_error (error, "--rigctl: ");
          return NULL;
        }
      self->rigctl = fer_rigctl_new (receiver, host, port, error);
      if (self->rigctl == NULL)
        return NULL;
      fer_rigctl_set_record_funcs (self->rigctl, get_recording, set_recording, self);
    }
  if (options->serve_rtl_tcp != NULL)
    {
      g_autofree char *host = NULL;
      guint16 port;
      if (!fer_parse_host_port (options->serve_rtl_tcp, "127.0.0.1", FALSE, &host, &port, error))
        {
          g_prefix_error (error, "--serve-rtl-tcp: ");
          return NULL;
        }
      self->server = fer_rtltcp_server_new (receiver, host, port, 1, error);
      if (self->server == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
fer_services_stop (FerServices *self, GError **error)
{
  gboolean ok = TRUE;
  if (self->recorder != NULL)
    ok = fer_iq_recorder_stop (g_steal_pointer (&self->recorder), error);
  services_free (self);
  return ok;
}
