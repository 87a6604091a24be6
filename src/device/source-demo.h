/* source-demo.h - the demo dongle: the emulated RTL2832U + R820T behind the
 * same driver and source as real hardware.
 *
 * Ferrite starts on it when no dongle is plugged in, and tests use it. Its
 * name says it is emulated.
 */
#pragma once

#include "source.h"

G_BEGIN_DECLS

typedef struct _FerEmuDongle FerEmuDongle;

#define FER_SOURCE_DEMO_NAME "Demo dongle (emulated RTL2832U + R820T)"

/* The emulated dongle receiving the default scene. @realtime: paced to the
 * sample rate like hardware; FALSE: as fast as the consumer takes blocks. */
FerSource *fer_source_demo_new (gboolean realtime, GError **error);
/* The same on an emulator the caller set up (taken, also on failure): a
 * custom scene, a crystal error. */
FerSource *fer_source_demo_new_with_emu (FerEmuDongle *emu, gboolean realtime, GError **error);

G_END_DECLS
