/* libFuzzer target: the WAV reader (RIFF/RF64 chunks, fmt, auxi, data). */
#include <stdint.h>

#include "device/iqfile.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The header buffer is the whole input; the file is as long, or (last
   * byte odd) said to be longer, as a file cut from the first MiB is. */
  guint64 file_bytes = size + (size > 0 && (data[size - 1] & 1) ? 1u << 30 : 0);
  FerIqFileInfo *info = fer_iq_file_info_new (FER_IQ_CONTAINER_WAV);
  GError *error = NULL;
  if (fer_iq_wav_parse (data, size, file_bytes, info, &error))
    {
      if (info->data_offset > size || info->n_samples == 0
          || info->data_offset + info->n_samples > file_bytes)
        __builtin_trap ();
    }
  else if (error == NULL || error->message[0] == '\0')
    __builtin_trap ();   /* every refusal says why */
  g_clear_error (&error);
  fer_iq_file_info_free (info);
  return 0;
}
