#include "device-error.h"

G_DEFINE_QUARK (fer-device-error-quark, fer_device_error)
G_DEFINE_QUARK (fer-source-error-quark, fer_source_error)
