/* libFuzzer target: the SigMF meta reader (JSON, datatypes, captures). */
#include <math.h>
#include <stdint.h>

#include "device/iqfile.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FerIqFileInfo *info = fer_iq_file_info_new (FER_IQ_CONTAINER_SIGMF);
  GError *error = NULL;
  if (fer_iq_sigmf_parse ((const char *) data, size, info, &error))
    {
      if (!(info->rate_hz >= 1000 && info->rate_hz <= 100e6))
        __builtin_trap ();
      for (guint i = 1; i < info->captures->len; i++)
        if (g_array_index (info->captures, FerIqCapture, i).sample_start
            <= g_array_index (info->captures, FerIqCapture, i - 1).sample_start)
          __builtin_trap ();
    }
  else if (error == NULL || error->message[0] == '\0')
    __builtin_trap ();
  g_clear_error (&error);
  fer_iq_file_info_free (info);
  return 0;
}
