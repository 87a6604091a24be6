#define G_LOG_DOMAIN "fer-source-demo"

#include "source-demo.h"

#include "source-dongle.h"
#include "usb-emu.h"

FerSource *
fer_source_demo_new_with_emu (FerEmuDongle *emu, gboolean realtime, GError **error)
{
  FerUsb *usb = fer_usb_emu_new (emu, realtime ? FER_EMU_PACE_REALTIME
                                               : FER_EMU_PACE_UNTHROTTLED);
  /* Real time behaves like hardware (a slow consumer loses blocks); the
   * unthrottled emulator waits for the consumer instead. */
  return fer_source_dongle_new (usb, FER_SOURCE_KIND_DEMO, FER_SOURCE_DEMO_NAME, realtime,
                                error);
}

FerSource *
fer_source_demo_new (gboolean realtime, GError **error)
{
  return fer_source_demo_new_with_emu (fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL),
                                       realtime, error);
}
