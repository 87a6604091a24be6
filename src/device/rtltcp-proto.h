/* rtltcp-proto.h - the rtl_tcp network protocol, both ends.
 *
 * A server greets each client with 12 bytes: "RTL0", the tuner type and the
 * number of gain steps (both u32 big-endian). Then it streams interleaved
 * unsigned 8-bit I/Q (cu8) for as long as the connection lasts, while the
 * client sends 5-byte commands: one code byte and a u32 big-endian
 * parameter. There are no replies.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_RTLTCP_DEFAULT_PORT 1234
#define FER_RTLTCP_GREETING_BYTES 12
#define FER_RTLTCP_COMMAND_BYTES 5

typedef enum {
  FER_RTLTCP_SET_FREQ = 0x01,          /* Hz */
  FER_RTLTCP_SET_SAMPLE_RATE = 0x02,   /* S/s */
  FER_RTLTCP_SET_GAIN_MODE = 0x03,     /* 0 tuner AGC, 1 manual */
  FER_RTLTCP_SET_GAIN = 0x04,          /* tenths of a dB */
  FER_RTLTCP_SET_FREQ_CORRECTION = 0x05,  /* ppm, signed */
  FER_RTLTCP_SET_IF_GAIN = 0x06,       /* stage << 16 | tenths of a dB (signed 16) */
  FER_RTLTCP_SET_TEST_MODE = 0x07,
  FER_RTLTCP_SET_AGC_MODE = 0x08,      /* the RTL2832U's digital AGC */
  FER_RTLTCP_SET_DIRECT_SAMPLING = 0x09,  /* 0 off, 1 I, 2 Q */
  FER_RTLTCP_SET_OFFSET_TUNING = 0x0a,
  FER_RTLTCP_SET_RTL_XTAL = 0x0b,
  FER_RTLTCP_SET_TUNER_XTAL = 0x0c,
  FER_RTLTCP_SET_GAIN_BY_INDEX = 0x0d,
  FER_RTLTCP_SET_BIAS_TEE = 0x0e,
} FerRtlTcpCommandCode;

typedef enum {
  FER_RTLTCP_TUNER_UNKNOWN = 0,
  FER_RTLTCP_TUNER_E4000,
  FER_RTLTCP_TUNER_FC0012,
  FER_RTLTCP_TUNER_FC0013,
  FER_RTLTCP_TUNER_FC2580,
  FER_RTLTCP_TUNER_R820T,
  FER_RTLTCP_TUNER_R828D,
} FerRtlTcpTuner;

void fer_rtltcp_greeting_encode (guint8 out[FER_RTLTCP_GREETING_BYTES], guint32 tuner_type,
                                 guint32 n_gains);
/* FALSE with FER_SOURCE_ERROR_FORMAT when it is not an rtl_tcp greeting. */
gboolean fer_rtltcp_greeting_decode (const guint8 in[FER_RTLTCP_GREETING_BYTES],
                                     guint32 *tuner_type, guint32 *n_gains, GError **error);
/* "R820T", ... "unknown tuner" for others. */
const char *fer_rtltcp_tuner_label (guint32 tuner_type);
/* The type for one of Ferrite's tuner names ("Rafael Micro R820T"). */
FerRtlTcpTuner fer_rtltcp_tuner_from_name (const char *tuner_name);

void fer_rtltcp_command_encode (guint8 out[FER_RTLTCP_COMMAND_BYTES], guint8 code,
                                guint32 param);

/* Splits a byte stream into commands, however it was cut into reads. */
typedef struct {
  guint8 pending[FER_RTLTCP_COMMAND_BYTES];
  guint n_pending;
} FerRtlTcpCommandReader;

typedef void (*FerRtlTcpCommandFunc) (guint8 code, guint32 param, gpointer user_data);

/* Calls @func for each whole command in @data (a partial one waits for the
 * rest); returns how many. */
guint fer_rtltcp_command_reader_feed (FerRtlTcpCommandReader *reader, const guint8 *data,
                                      gsize n_bytes, FerRtlTcpCommandFunc func,
                                      gpointer user_data);

G_END_DECLS
