#define G_LOG_DOMAIN "fer-rtltcp"

#include "rtltcp-proto.h"

#include <string.h>

#include "device-error.h"

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

static guint32
get_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

void
fer_rtltcp_greeting_encode (guint8 out[FER_RTLTCP_GREETING_BYTES], guint32 tuner_type,
                            guint32 n_gains)
{
  memcpy (out, "RTL0", 4);
  put_be32 (out + 4, tuner_type);
  put_be32 (out + 8, n_gains);
}

gboolean
fer_rtltcp_greeting_decode (const guint8 in[FER_RTLTCP_GREETING_BYTES], guint32 *tuner_type,
                            guint32 *n_gains, GError **error)
{
  if (memcmp (in, "RTL0", 4) != 0)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT,
                   "not an rtl_tcp server: it did not greet with \"RTL0\"");
      return FALSE;
    }
  *tuner_type = get_be32 (in + 4);
  *n_gains = get_be32 (in + 8);
  if (*n_gains > 1000)
    {
      g_set_error (error, FER_SOURCE_ERROR, FER_SOURCE_ERROR_FORMAT,
                   "the rtl_tcp server claims %u gain steps", *n_gains);
      return FALSE;
    }
  return TRUE;
}

static const char *const tuner_labels[] = {
  [FER_RTLTCP_TUNER_UNKNOWN] = "unknown tuner",
  [FER_RTLTCP_TUNER_E4000] = "E4000",
  [FER_RTLTCP_TUNER_FC0012] = "FC0012",
  [FER_RTLTCP_TUNER_FC0013] = "FC0013",
  [FER_RTLTCP_TUNER_FC2580] = "FC2580",
  [FER_RTLTCP_TUNER_R820T] = "R820T",
  [FER_RTLTCP_TUNER_R828D] = "R828D",
};

const char *
fer_rtltcp_tuner_label (guint32 tuner_type)
{
  return tuner_type < G_N_ELEMENTS (tuner_labels) ? tuner_labels[tuner_type]
                                                  : tuner_labels[0];
}

FerRtlTcpTuner
fer_rtltcp_tuner_from_name (const char *tuner_name)
{
  if (tuner_name == NULL)
    return FER_RTLTCP_TUNER_UNKNOWN;
  for (guint i = 1; i < G_N_ELEMENTS (tuner_labels); i++)
    if (strstr (tuner_name, tuner_labels[i]) != NULL)
      return (FerRtlTcpTuner) i;
  return FER_RTLTCP_TUNER_UNKNOWN;
}

void
fer_rtltcp_command_encode (guint8 out[FER_RTLTCP_COMMAND_BYTES], guint8 code, guint32 param)
{
  out[0] = code;
  put_be32 (out + 1, param);
}

guint
fer_rtltcp_command_reader_feed (FerRtlTcpCommandReader *reader, const guint8 *data,
                                gsize n_bytes, FerRtlTcpCommandFunc func, gpointer user_data)
{
  guint n = 0;
  while (n_bytes > 0)
    {
      gsize take = MIN (n_bytes, (gsize) (FER_RTLTCP_COMMAND_BYTES - reader->n_pending));
      memcpy (reader->pending + reader->n_pending, data, take);
      reader->n_pending += (guint) take;
      data += take;
      n_bytes -= take;
      if (reader->n_pending == FER_RTLTCP_COMMAND_BYTES)
        {
          reader->n_pending = 0;
          func (reader->pending[0], get_be32 (reader->pending + 1), user_data);
          n++;
        }
    }
  return n;
}
