/* libFuzzer target: the rtl_tcp greeting a client reads and the command
 * stream a server reads, cut into reads at arbitrary points. */
#include <stdint.h>
#include <string.h>

#include "device/rtltcp-proto.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
on_command (guint8 code, guint32 param, gpointer user_data)
{
  guint *n = user_data;
  (*n)++;
  /* What a server does with the values it trusts least. */
  if (code == FER_RTLTCP_SET_FREQ_CORRECTION || code == FER_RTLTCP_SET_GAIN)
    (void) ((gint32) param / 10.0);
  (void) fer_rtltcp_tuner_label (param);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size >= FER_RTLTCP_GREETING_BYTES)
    {
      guint32 tuner, n_gains;
      GError *error = NULL;
      if (fer_rtltcp_greeting_decode (data, &tuner, &n_gains, &error))
        (void) fer_rtltcp_tuner_label (tuner);
      g_clear_error (&error);
    }
  /* The first byte says how the rest arrives: reads of 1 to 8 bytes. */
  if (size < 1)
    return 0;
  guint step = (data[0] & 7) + 1, n = 0, expect = (guint) ((size - 1) / FER_RTLTCP_COMMAND_BYTES);
  FerRtlTcpCommandReader reader = { 0 };
  for (size_t off = 1; off < size; off += step)
    fer_rtltcp_command_reader_feed (&reader, data + off, MIN (step, size - off), on_command, &n);
  if (n != expect)
    __builtin_trap ();
  return 0;
}
