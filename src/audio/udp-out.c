#define G_LOG_DOMAIN "fer-udp-out"

#include "udp-out.h"

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ring.h"
#include "wav.h"

/* About a second of audio between the DSP thread and the sender. */
#define RING_FRAMES 65536
/* The sender looks for a datagram's worth this often: 512 mono frames
 * last 10.7 ms at 48 kHz. */
#define SEND_INTERVAL_US (5 * 1000)
#define CONVERT_FRAMES 4096

struct _FerUdpOut {
  int fd;                       /* connected UDP socket */
  gboolean stereo;
  guint channels;               /* 1 or 2 */
  FerRing *ring;                /* owned; floats, @channels per frame */
  float *convert;               /* owned; thread: producer; CONVERT_FRAMES x 2 */
  GThread *thread;
  atomic_bool stopping;
  _Atomic guint64 n_datagrams;
  _Atomic guint64 n_dropped;
  _Atomic guint64 n_errors;
};

/* Sends whole datagrams while there are any (all that is left when @flush). */
static void
send_ready (FerUdpOut *out, gboolean flush)
{
  guint frames_per_datagram = FER_UDP_OUT_DATAGRAM_BYTES / (2 * out->channels);
  float f[FER_UDP_OUT_DATAGRAM_BYTES / 2];
  guint8 bytes[FER_UDP_OUT_DATAGRAM_BYTES];
  for (;;)
    {
      gsize fill = fer_ring_get_fill (out->ring);
      if (fill == 0 || (fill < frames_per_datagram && !flush))
        return;
      gsize n = fer_ring_read (out->ring, f, MIN (fill, frames_per_datagram));
      gsize n_samples = n * out->channels;
      for (gsize i = 0; i < n_samples; i++)
        {
          long v = lrintf (f[i] * 32767.0f);
          gint16 s = (gint16) CLAMP (v, -32768, 32767);
          bytes[2 * i] = (guint8) (s & 0xff);
          bytes[2 * i + 1] = (guint8) ((guint16) s >> 8);
        }
      ssize_t r = send (out->fd, bytes, 2 * n_samples, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (r < 0)
        atomic_fetch_add (&out->n_errors, 1);   /* nobody listening: ICMP comes back */
      else
        atomic_fetch_add (&out->n_datagrams, 1);
    }
}

static gpointer
sender_thread (gpointer data)
{
  FerUdpOut *out = data;
  while (!atomic_load (&out->stopping))
    {
      send_ready (out, FALSE);
      g_usleep (SEND_INTERVAL_US);
    }
  send_ready (out, TRUE);
  return NULL;
}

FerUdpOut *
fer_udp_out_new (const char *host, guint16 port, guint rate_hz, gboolean stereo,
                 GError **error)
{
  struct addrinfo hints = { 0 }, *res = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  char service[8];
  g_snprintf (service, sizeof service, "%u", port);
  int rc = getaddrinfo (host, service, &hints, &res);
  if (rc != 0)
    {
      g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO,
                   "UDP audio: cannot find host '%s': %s", host, gai_strerror (rc));
      return NULL;
    }
  int fd = -1, err = 0;
  for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next)
    {
      fd = socket (a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd >= 0 && connect (fd, a->ai_addr, a->ai_addrlen) != 0)
        {
          err = errno;
          close (fd);
          fd = -1;
        }
      else if (fd < 0)
        err = errno;
    }
  freeaddrinfo (res);
  if (fd < 0)
    {
      g_set_error (error, FER_AUDIO_ERROR, FER_AUDIO_ERROR_IO,
                   "UDP audio: cannot send to %s:%u: %s", host, port, g_strerror (err));
      return NULL;
    }

  FerUdpOut *out = g_new0 (FerUdpOut, 1);
  out->fd = fd;
  out->stereo = stereo;
  out->channels = stereo ? 2 : 1;
  out->ring = fer_ring_new (MAX (RING_FRAMES, rate_hz), out->channels);
  out->convert = g_new (float, 2 * CONVERT_FRAMES);
  atomic_init (&out->stopping, false);
  atomic_init (&out->n_datagrams, 0);
  atomic_init (&out->n_dropped, 0);
  atomic_init (&out->n_errors, 0);
  out->thread = g_thread_new ("fer-udp-out", sender_thread, out);
  return out;
}

void
fer_udp_out_free (FerUdpOut *out)
{
  if (out == NULL)
    return;
  atomic_store (&out->stopping, true);
  g_thread_join (out->thread);
  close (out->fd);
  fer_ring_free (out->ring);
  g_free (out->convert);
  g_free (out);
}

void
fer_udp_out_push (FerUdpOut *out, const float *frames, gsize n_frames, guint n_channels)
{
  while (n_frames > 0)
    {
      gsize n = MIN (n_frames, (gsize) CONVERT_FRAMES);
      const float *src = frames;
      if (n_channels != out->channels)
        {
          /* Left alone for mono; the same on both sides for stereo. */
          for (gsize i = 0; i < n; i++)
            {
              if (out->channels == 1)
                out->convert[i] = frames[i * n_channels];
              else
                out->convert[2 * i] = out->convert[2 * i + 1] = frames[i * n_channels];
            }
          src = out->convert;
        }
      gsize written = fer_ring_write (out->ring, src, n);
      if (written < n)
        atomic_fetch_add (&out->n_dropped, n - written);
      frames += n * n_channels;
      n_frames -= n;
    }
}

void
fer_udp_out_get_stats (FerUdpOut *out, FerUdpOutStats *stats)
{
  stats->n_datagrams = atomic_load (&out->n_datagrams);
  stats->n_dropped_frames = atomic_load (&out->n_dropped);
  stats->n_send_errors = atomic_load (&out->n_errors);
}

gboolean
fer_udp_out_get_stereo (FerUdpOut *out)
{
  return out->stereo;
}
