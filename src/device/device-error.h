/* device-error.h - the errors a device or a source reports to a person.
 *
 * Each code maps to one thing the person can do about it; the GError message
 * says what that is ("add the udev rule ...", "close the other program ...").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FER_DEVICE_ERROR (fer_device_error_quark ())
GQuark fer_device_error_quark (void);

typedef enum {
  FER_DEVICE_ERROR_FAILED,      /* anything not listed below */
  FER_DEVICE_ERROR_NOT_FOUND,   /* no such device (index, serial) */
  FER_DEVICE_ERROR_GONE,        /* unplugged */
  FER_DEVICE_ERROR_TIMEOUT,
  FER_DEVICE_ERROR_BUSY,        /* another program has it */
  FER_DEVICE_ERROR_PERMISSION,  /* no access to the device node */
  FER_DEVICE_ERROR_STALL,       /* the device refused the request (I2C NAK, ...) */
  FER_DEVICE_ERROR_UNSUPPORTED, /* a chip or tuner Ferrite does not drive */
  FER_DEVICE_ERROR_INVALID,     /* a value out of the device's range */
  FER_DEVICE_ERROR_KERNEL_DRIVER, /* the kernel's DVB-T driver holds it and will not let go */
} FerDeviceError;

#define FER_SOURCE_ERROR (fer_source_error_quark ())
GQuark fer_source_error_quark (void);

typedef enum {
  FER_SOURCE_ERROR_FAILED,
  FER_SOURCE_ERROR_NOT_FOUND,   /* file missing, host unknown */
  FER_SOURCE_ERROR_ACCESS,      /* file unreadable */
  FER_SOURCE_ERROR_FORMAT,      /* malformed or truncated content */
  FER_SOURCE_ERROR_INVALID,     /* bad parameter (rate, frequency) */
} FerSourceError;

G_END_DECLS
