/* emu-usbdevfs.h - the emulated dongle served as a Linux USB device through
 * umockdev, so that real libusb code (Ferrite's usb-libusb.c, the reference
 * tools) talks to it through /dev/bus/usb without hardware.
 *
 * A FerEmuUsbdevfs owns a umockdev testbed (it sets UMOCKDEV_DIR in this
 * process; children inherit it) and answers the usbdevfs ioctls of every
 * process that opens the device node: control transfers go to the
 * FerEmuDongle register model, bulk IN 0x81 streams what it synthesizes.
 * The process that creates it and every libusb process must run under
 * libumockdev-preload: fer_emu_usbdevfs_reexec_under_preload () arranges it
 * for the current program.
 *
 * The node is a FIFO, used as a doorbell: it is kept full (no POLLOUT) while
 * no URB is ready and drained when one is, so libusb's event loop sleeps in
 * poll () instead of spinning on REAPURBNDELAY.
 *
 * The device can misbehave on request: unplug and replug, a kernel driver
 * bound to interface 0 (optionally refusing to detach), stalled or timed out
 * control transfers, stalled or failing bulk transfers.
 *
 * Threads: ioctls are served on umockdev's worker thread; the functions below
 * may be called from any one other thread.
 */
#pragma once

#include <glib.h>

#include "device/emu/emu-dongle.h"
#include "device/emu/emu-e4k.h"

G_BEGIN_DECLS

#define FER_EMU_USBDEVFS_VENDOR_ID  0x0bda
#define FER_EMU_USBDEVFS_PRODUCT_ID 0x2838

/* Call first in main () with main's own argv. Re-executes the program under
 * libumockdev-preload (with a sanitizer runtime first when built with one)
 * unless it already runs under it. Returns FALSE when the preload is not
 * installed (callers skip); does not return when it re-executes. */
gboolean fer_emu_usbdevfs_reexec_under_preload (char **argv);

/* The environment a child libusb process needs, from the current one
 * (LD_PRELOAD with only the umockdev preload; UMOCKDEV_DIR). */
char **fer_emu_usbdevfs_child_environ (void);

typedef struct _FerEmuUsbdevfs FerEmuUsbdevfs;

FerEmuUsbdevfs *fer_emu_usbdevfs_new (void);
/* Unplugs and removes the testbed. No client may still have the node open. */
void fer_emu_usbdevfs_free (FerEmuUsbdevfs *self);

/* Plugs in a dongle around @emu (taken) at the next free address, with
 * serial @serial (NULL: the model's). Its strings are the model's (an
 * RTL-SDR Blog V4 says so). Fails only if one is plugged in. */
gboolean fer_emu_usbdevfs_plug (FerEmuUsbdevfs *self, FerEmuDongle *emu, const char *serial);
/* Pulls it out as the kernel would: every open file gets ENODEV, URBs in
 * flight complete with -ESHUTDOWN, then "remove" is announced. */
void fer_emu_usbdevfs_unplug (FerEmuUsbdevfs *self);
gboolean fer_emu_usbdevfs_is_plugged (FerEmuUsbdevfs *self);

/* The dongle plugged in now (borrowed), or NULL. */
FerEmuDongle *fer_emu_usbdevfs_get_dongle (FerEmuUsbdevfs *self);
/* "/dev/bus/usb/001/002" of the dongle plugged in now, or NULL. */
const char *fer_emu_usbdevfs_get_node (FerEmuUsbdevfs *self);

/* FALSE (default): bulk URBs complete as fast as they are asked for.
 * TRUE: at the sample rate the model's registers set, like a real dongle. */
void fer_emu_usbdevfs_set_realtime (FerEmuUsbdevfs *self, gboolean realtime);

/* A kernel driver ("dvb_usb_rtl28xxu") holds interface 0 until detached;
 * with @refuse_detach the detach fails with EACCES (privileges dropped). */
void fer_emu_usbdevfs_set_kernel_driver (FerEmuUsbdevfs *self, gboolean bound,
                                         gboolean refuse_detach);
gboolean fer_emu_usbdevfs_get_kernel_driver_bound (FerEmuUsbdevfs *self);

typedef enum {
  FER_EMU_FAULT_CONTROL_STALL,    /* vendor control transfers stall (-EPIPE) */
  FER_EMU_FAULT_CONTROL_TIMEOUT,  /* vendor control transfers never complete */
  FER_EMU_FAULT_BULK_STALL,       /* bulk URBs complete with -EPIPE */
  FER_EMU_FAULT_BULK_ERROR,       /* bulk URBs complete with -EPROTO */
} FerEmuFault;

/* The next @count matching transfers misbehave (adds to what is pending). */
void fer_emu_usbdevfs_inject (FerEmuUsbdevfs *self, FerEmuFault fault, guint count);

typedef struct {
  guint64 n_bulk_bytes;        /* bulk IN bytes delivered (completed URBs) */
  guint64 n_bulk_urbs;
  guint64 n_control_urbs;
  guint64 n_reaps;             /* REAPURBNDELAY calls */
  guint64 n_reaps_empty;       /* ... that found nothing ready */
  guint n_bulk_queued_max;     /* most bulk URBs one client had queued at once */
  guint n_opens;               /* files opened on any node so far */
} FerEmuUsbdevfsStats;

void fer_emu_usbdevfs_get_stats (FerEmuUsbdevfs *self, FerEmuUsbdevfsStats *stats);

/* Called on the worker thread when a bulk stream starts (the first bulk URB
 * after the FIFO was started), before it is served: the moment the client
 * has finished setting the device up. */
typedef void (*FerEmuStreamFunc) (FerEmuDongle *emu, gpointer user_data);
void fer_emu_usbdevfs_set_stream_func (FerEmuUsbdevfs *self, FerEmuStreamFunc func,
                                       gpointer user_data);

/* The registers a driver programs: the demodulator's read back through the
 * model's control interface, the tuner's as the chip holds them. */
typedef struct {
  guint8 demod[16][256];
  guint8 usb[0x200];           /* 0x2000.. */
  guint8 sys[0x100];           /* 0x3000.. */
  guint8 tuner[256];           /* as the chip holds them (R82xx: not bit-reversed) */
  guint n_tuner;               /* registers the tuner has */
} FerEmuRegisters;

void fer_emu_registers_read (FerEmuDongle *emu, FerEmuRegisters *regs);
/* One "block reg value" line per register, e.g. "demod1 0x9f 0x01". */
char *fer_emu_registers_format (const FerEmuRegisters *regs);
/* Parses what fer_emu_registers_format () wrote. */
gboolean fer_emu_registers_parse (const char *text, FerEmuRegisters *regs, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerEmuUsbdevfs, fer_emu_usbdevfs_free)

G_END_DECLS
