/* udp-out.h - demodulated audio to a UDP socket, as decoders expect it.
 *
 * The format other receivers send (and programs such as multimon-ng, dsd or
 * direwolf read with `nc -lu`): 48 kHz, signed 16-bit little-endian
 * samples, mono or interleaved stereo, in datagrams of 1024 bytes (a size
 * every netcat reads whole). The DSP thread only copies into a ring; a
 * sender thread of its own does the sending, so a dead or slow network
 * never holds up the receiver (audio that does not fit is dropped and
 * counted).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_UDP_OUT_DATAGRAM_BYTES 1024
#define FER_UDP_OUT_DEFAULT_PORT 7355

typedef struct _FerUdpOut FerUdpOut;

/* Sends to @host:@port (a name or an address; resolved here, so give an
 * address where a lookup could be slow). @rate_hz: the audio's rate.
 * FER_AUDIO_ERROR_IO with a message on a host that does not resolve. */
FerUdpOut *fer_udp_out_new (const char *host, guint16 port, guint rate_hz, gboolean stereo,
                            GError **error);
/* Sends what is queued, then stops. */
void fer_udp_out_free (FerUdpOut *out);

/* Producer (one thread, e.g. the DSP's audio tap): queues @n_frames of
 * @n_channels interleaved floats (-1..1). Mono output takes the left
 * channel; stereo output doubles a mono input. Never blocks. */
void fer_udp_out_push (FerUdpOut *out, const float *frames, gsize n_frames, guint n_channels);

typedef struct {
  guint64 n_datagrams;       /* sent */
  guint64 n_dropped_frames;  /* did not fit in the queue */
  guint64 n_send_errors;     /* the network refused a datagram (no one listening is fine) */
} FerUdpOutStats;

void fer_udp_out_get_stats (FerUdpOut *out, FerUdpOutStats *stats);
gboolean fer_udp_out_get_stereo (FerUdpOut *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerUdpOut, fer_udp_out_free)

G_END_DECLS
