/* emu-usbdevfs.c - the emulated dongle as a usbdevfs device under umockdev.
 *
 * Every open file of the node is a UMockdevIoctlClient with its own URB
 * queue. SUBMITURB queues (control and bulk IN 0x81), REAPURBNDELAY hands back
 * the first URB that is ready: a control URB at once (answered from the
 * register model), a bulk URB when the model's FIFO runs and, in real time,
 * when its due time has come. After an unplug every queued URB comes back
 * with -ESHUTDOWN and everything else fails with ENODEV, as the kernel does.
 *
 * Struct layouts and the ioctl semantics follow linux/usbdevice_fs.h and
 * what libusb 1.0.26 was seen to send (shared/recipes/umockdev.md).
 */
#define G_LOG_DOMAIN "fer-emu-usbdevfs"

#include "emu-usbdevfs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>  /* before linux/usbdevice_fs.h, which needs _IOR & co */
#include <sys/stat.h>
#include <unistd.h>
#include <linux/usbdevice_fs.h>
#include <glib/gstdio.h>
#include <umockdev.h>

#define PRELOAD_LIB        "libumockdev-preload.so.0"
#define REEXEC_MARK        "FER_EMU_USBDEVFS_REEXEC"
#define KERNEL_DRIVER      "dvb_usb_rtl28xxu"
#define BULK_ENDPOINT      0x81
#define BUS                1
#define FIRST_DEVNUM       2
#define RESYNC_US          500000.0
#define DOORBELL_CHUNK     4096

/* Device descriptor + configuration 1 (one vendor interface, bulk IN 0x81,
 * 512-byte packets), as an RTL2838 reports them. */
static const guint8 descriptors[] = {
  0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0xda, 0x0b, 0x38, 0x28,
  0x00, 0x01, 0x01, 0x02, 0x03, 0x01,
  0x09, 0x02, 0x19, 0x00, 0x01, 0x01, 0x00, 0x80, 0xfa,
  0x09, 0x04, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0x00,
  0x07, 0x05, 0x81, 0x02, 0x00, 0x02, 0x00,
};
#define DEVICE_DESCRIPTOR_BYTES 18

typedef struct _Device Device;

typedef struct {
  UMockdevIoctlData *urb;    /* owned ref: kept until reaped */
  gulong addr;               /* the client's URB pointer (what DISCARDURB passes) */
  gboolean bulk;
  gboolean cancelled;
  gboolean hang;             /* injected timeout: completes only when cancelled */
  gboolean stall;            /* injected control stall */
} Urb;

typedef struct {
  Device *device;
  GQueue urbs;               /* Urb * */
  gboolean claimed;          /* interface 0 */
  guint n_bulk_queued;
} Client;

struct _Device {
  FerEmuUsbdevfs *server;
  guint devnum;
  char *node;                /* "/dev/bus/usb/001/002" */
  char *syspath;             /* "/sys/devices/..." */
  const char *manufacturer;  /* static; what the model says it is */
  const char *product;
  char *serial;
  FerEmuDongle *emu;         /* owned */
  UMockdevIoctlBase *handler;/* owned */
  int bell_fd;               /* our end of the FIFO node */
  gboolean rung;             /* FIFO drained: clients see POLLOUT */
  gboolean gone;
  gboolean kernel_bound;
  Client *claim_owner;
  GList *clients;            /* Client * */
  gboolean stream_announced;
  double next_due_us;        /* real time: when the next bulk URB may complete */
};

struct _FerEmuUsbdevfs {
  /* Guards everything below; a pthread mutex so ThreadSanitizer sees it. */
  pthread_mutex_t lock;
  pthread_cond_t pacer_wake;
  GThread *pacer;
  gboolean quit;

  UMockdevTestbed *testbed;  /* owned */
  char *root;
  GPtrArray *devices;        /* Device *, every one ever plugged */
  Device *current;
  guint next_devnum;
  gboolean realtime;
  gboolean kernel_bound, refuse_detach;
  guint faults[4];
  FerEmuUsbdevfsStats stats;
  FerEmuStreamFunc stream_func;
  gpointer stream_data;
};

/* umockdev hands work between its worker thread and its callers with GLib's
 * futex-based locks, which ThreadSanitizer cannot see, inside libraries
 * that are not instrumented (so their frames are often missing too): every
 * such handoff would be reported. In the programs that serve the emulated
 * dongle, calls made from uninstrumented libraries are not checked; every
 * access from Ferrite's own (instrumented) code still is, and our handlers
 * run under our own pthread mutex. */
#if defined(__SANITIZE_THREAD__)
const char *__tsan_default_options (void);
const char *__tsan_default_suppressions (void);

const char *
__tsan_default_options (void)
{
  return "ignore_noninstrumented_modules=1";
}

const char *
__tsan_default_suppressions (void)
{
  return "race:libumockdev.so\n";
}
#endif

/* --- Running under the preload ------------------------------------------------ */

/* Path of a loaded library whose name contains @needle, from /proc/self/maps. */
static char *
loaded_library (const char *needle)
{
  g_autofree char *maps = NULL;
  if (!g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL))
    return NULL;
  g_auto (GStrv) lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *path = strchr (lines[i], '/');
      if (path != NULL && strstr (path, needle) != NULL)
        return g_strdup (path);
    }
  return NULL;
}

gboolean
fer_emu_usbdevfs_reexec_under_preload (char **argv)
{
  g_autofree char *preload = loaded_library ("libumockdev-preload");
  if (preload != NULL)
    return TRUE;
  if (g_getenv (REEXEC_MARK) != NULL)
    return FALSE;  /* we tried: it is not installed */

  /* A sanitizer runtime insists on coming first. */
  g_autofree char *sanitizer = loaded_library ("/libasan.so");
  if (sanitizer == NULL)
    sanitizer = loaded_library ("/libtsan.so");
  const char *old = g_getenv ("LD_PRELOAD");
  g_autofree char *value = g_strjoin (":", sanitizer ? sanitizer : PRELOAD_LIB,
                                      sanitizer ? PRELOAD_LIB : (old && *old ? old : NULL),
                                      sanitizer && old && *old ? old : NULL, NULL);
  g_setenv ("LD_PRELOAD", value, TRUE);
  g_setenv (REEXEC_MARK, "1", TRUE);
  /* The real path, not /proc/self/exe: the process keeps its name. */
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  execv (self ? self : "/proc/self/exe", argv);
  g_printerr ("cannot re-execute under %s: %s\n", PRELOAD_LIB, g_strerror (errno));
  return FALSE;
}

char **
fer_emu_usbdevfs_child_environ (void)
{
  char **env = g_get_environ ();
  env = g_environ_setenv (env, "LD_PRELOAD", PRELOAD_LIB, TRUE);
  /* A sanitized child need not come first in the library list to work. */
  const char *asan = g_environ_getenv (env, "ASAN_OPTIONS");
  g_autofree char *opts = g_strconcat (asan && *asan ? asan : "", asan && *asan ? ":" : "",
                                       "verify_asan_link_order=0", NULL);
  env = g_environ_setenv (env, "ASAN_OPTIONS", opts, TRUE);
  return env;
}

/* --- Doorbell and pacing (lock held) ------------------------------------------ */

static void
bell_ring (Device *d)
{
  char buf[DOORBELL_CHUNK];
  while (read (d->bell_fd, buf, sizeof buf) > 0)
    ;
  d->rung = TRUE;
}

static void
bell_silence (Device *d)
{
  static const char buf[DOORBELL_CHUNK];
  while (write (d->bell_fd, buf, sizeof buf) > 0)
    ;
  while (write (d->bell_fd, buf, 1) > 0)
    ;
  d->rung = FALSE;
}

static double
now_us (void)
{
  return (double) g_get_monotonic_time ();
}

static gboolean
bulk_allowed (Device *d, double now)
{
  FerEmuUsbdevfs *s = d->server;
  if (!fer_emu_dongle_is_streaming (d->emu))
    return FALSE;
  if (s->faults[FER_EMU_FAULT_BULK_STALL] > 0 || s->faults[FER_EMU_FAULT_BULK_ERROR] > 0)
    return TRUE;
  return !s->realtime || now >= d->next_due_us;
}

static gboolean
urb_ready (Device *d, const Urb *u, double now)
{
  if (d->gone || u->cancelled)
    return TRUE;
  if (!u->bulk)
    return !u->hang;
  return bulk_allowed (d, now);
}

static Urb *
first_ready (Device *d, Client *c, double now, GList **link)
{
  for (GList *l = c->urbs.head; l != NULL; l = l->next)
    if (urb_ready (d, l->data, now))
      {
        *link = l;
        return l->data;
      }
  return NULL;
}

static void
bell_update (Device *d)
{
  double now = now_us ();
  gboolean ready = FALSE;
  for (GList *l = d->clients; l != NULL && !ready; l = l->next)
    {
      GList *link;
      ready = first_ready (d, l->data, now, &link) != NULL;
    }
  if (ready && !d->rung)
    bell_ring (d);
  else if (!ready && d->rung)
    bell_silence (d);
  pthread_cond_signal (&d->server->pacer_wake);
}

/* When the pacer must next look: the due time of a waiting bulk URB. */
static double
pacer_deadline (FerEmuUsbdevfs *s)
{
  double deadline = G_MAXDOUBLE;
  if (!s->realtime)
    return deadline;
  for (guint i = 0; i < s->devices->len; i++)
    {
      Device *d = s->devices->pdata[i];
      if (d->gone || d->rung || !fer_emu_dongle_is_streaming (d->emu))
        continue;
      for (GList *l = d->clients; l != NULL; l = l->next)
        if (((Client *) l->data)->n_bulk_queued > 0)
          deadline = MIN (deadline, d->next_due_us);
    }
  return deadline;
}

static gpointer
pacer_thread (gpointer data)
{
  FerEmuUsbdevfs *s = data;
  pthread_mutex_lock (&s->lock);
  while (!s->quit)
    {
      double deadline = pacer_deadline (s);
      if (deadline == G_MAXDOUBLE)
        {
          pthread_cond_wait (&s->pacer_wake, &s->lock);
          continue;
        }
      if (now_us () < deadline)
        {
          /* CLOCK_MONOTONIC would need condattr; the wait is short, so
           * sleep in slices of at most a millisecond against our clock. */
          double wait_us = MIN (deadline - now_us (), 1000.0);
          struct timespec ts;
          clock_gettime (CLOCK_REALTIME, &ts);
          long ns = ts.tv_nsec + (long) (wait_us * 1000.0);
          ts.tv_sec += ns / 1000000000L;
          ts.tv_nsec = ns % 1000000000L;
          pthread_cond_timedwait (&s->pacer_wake, &s->lock, &ts);
          continue;
        }
      /* Due: ringing takes the device out of pacer_deadline () until a
       * reap finds nothing ready again. */
      for (guint i = 0; i < s->devices->len; i++)
        bell_update (s->devices->pdata[i]);
    }
  pthread_mutex_unlock (&s->lock);
  return NULL;
}

/* --- Control requests (lock held) ---------------------------------------------- */

/* Standard requests the device answers itself. Returns the bytes of the
 * data stage, or -EPIPE. */
static int
standard_request (Device *d, guint8 request_type, guint8 request, guint16 value,
                  guint16 length, guint8 *data)
{
  switch (request)
    {
    case 0x06: /* GET_DESCRIPTOR */
      switch (value >> 8)
        {
        case 1:
          memcpy (data, descriptors, MIN (length, DEVICE_DESCRIPTOR_BYTES));
          return MIN (length, DEVICE_DESCRIPTOR_BYTES);
        case 2:
          {
            guint n = MIN (length, sizeof descriptors - DEVICE_DESCRIPTOR_BYTES);
            memcpy (data, descriptors + DEVICE_DESCRIPTOR_BYTES, n);
            return (int) n;
          }
        case 3:
          {
            const char *strings[] = { NULL, d->manufacturer, d->product, d->serial };
            guint8 s[2 + 2 * 126] = { 4, 3, 0x09, 0x04 };   /* index 0: LANGID en-US */
            guint index = value & 0xff;
            if (index >= G_N_ELEMENTS (strings))
              return -EPIPE;
            if (index > 0)
              {
                gsize n = MIN (strlen (strings[index]), (gsize) 126);
                s[0] = (guint8) (2 + 2 * n);
                for (gsize i = 0; i < n; i++)
                  {
                    s[2 + 2 * i] = (guint8) strings[index][i];
                    s[3 + 2 * i] = 0;
                  }
              }
            memcpy (data, s, MIN (length, s[0]));
            return MIN (length, s[0]);
          }
        default:
          return -EPIPE;
        }
    case 0x00: /* GET_STATUS */
      memset (data, 0, MIN (length, 2));
      return MIN (length, 2);
    case 0x08: /* GET_CONFIGURATION */
      if (length > 0)
        data[0] = 1;
      return MIN (length, 1);
    case 0x01: case 0x03: case 0x09: case 0x0b: /* CLEAR/SET_FEATURE, SET_CONFIGURATION/INTERFACE */
      return 0;
    default:
      return -EPIPE;
    }
}

static int
control_request (Device *d, guint8 request_type, guint8 request, guint16 value,
                 guint16 index, guint16 length, guint8 *data)
{
  int r;
  if ((request_type & 0x60) == 0)
    r = standard_request (d, request_type, request, value, length, data);
  else
    r = fer_emu_dongle_control (d->emu, request_type, request, value, index, data, length);
  if (!fer_emu_dongle_is_streaming (d->emu))
    d->stream_announced = FALSE;
  return r;
}

static gboolean
is_vendor (guint8 request_type)
{
  return (request_type & 0x60) == 0x40;
}

/* --- ioctls (umockdev's worker thread) ----------------------------------------- */

#define DONE(res, err) \
  G_STMT_START { umockdev_ioctl_client_complete (client, (res), (err)); goto out; } G_STMT_END

static void
urb_free (Urb *u)
{
  g_object_unref (u->urb);
  g_free (u);
}

static void
client_free (gpointer data)
{
  Client *c = data;
  g_queue_clear_full (&c->urbs, (GDestroyNotify) urb_free);
  g_free (c);
}

static void
on_client_connected (UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
  Device *d = data;
  Client *c = g_new0 (Client, 1);
  c->device = d;
  g_queue_init (&c->urbs);
  pthread_mutex_lock (&d->server->lock);
  d->clients = g_list_prepend (d->clients, c);
  d->server->stats.n_opens++;
  pthread_mutex_unlock (&d->server->lock);
  g_object_set_data (G_OBJECT (client), "fer-client", c);
}

static void
on_client_vanished (UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
  Device *d = data;
  Client *c = g_object_get_data (G_OBJECT (client), "fer-client");
  if (c == NULL)
    return;
  pthread_mutex_lock (&d->server->lock);
  d->clients = g_list_remove (d->clients, c);
  if (d->claim_owner == c)
    d->claim_owner = NULL;
  client_free (c);
  bell_update (d);
  pthread_mutex_unlock (&d->server->lock);
  g_object_set_data (G_OBJECT (client), "fer-client", NULL);
}

/* Fills a reaped URB in the client's memory. */
static void
complete_urb (Device *d, Client *c, Urb *u)
{
  FerEmuUsbdevfs *s = d->server;
  struct usbdevfs_urb *urb = (struct usbdevfs_urb *) u->urb->data;

  urb->actual_length = 0;
  if (d->gone)
    {
      urb->status = -ESHUTDOWN;   /* what a host controller reports after a disconnect */
      return;
    }
  if (u->cancelled)
    {
      urb->status = -ENOENT;
      return;
    }
  if (urb->buffer_length <= 0)
    {
      urb->status = 0;
      return;
    }
  g_autoptr (UMockdevIoctlData) buf =
    umockdev_ioctl_data_resolve (u->urb, offsetof (struct usbdevfs_urb, buffer),
                                 (gsize) urb->buffer_length, NULL);
  if (buf == NULL)
    {
      urb->status = -EFAULT;
      return;
    }
  guint8 *b = buf->data;
  if (!u->bulk)
    {
      guint8 request_type = b[0];
      guint16 length = MIN ((guint16) (b[6] | b[7] << 8), (guint16) (urb->buffer_length - 8));
      int r = u->stall ? -EPIPE
                       : control_request (d, request_type, b[1], (guint16) (b[2] | b[3] << 8),
                                          (guint16) (b[4] | b[5] << 8), length, b + 8);
      urb->status = r < 0 ? r : 0;
      urb->actual_length = r < 0 ? 0 : r;   /* the data stage only */
      return;
    }

  if (s->faults[FER_EMU_FAULT_BULK_STALL] > 0)
    {
      s->faults[FER_EMU_FAULT_BULK_STALL]--;
      urb->status = -EPIPE;
      return;
    }
  if (s->faults[FER_EMU_FAULT_BULK_ERROR] > 0)
    {
      s->faults[FER_EMU_FAULT_BULK_ERROR]--;
      urb->status = -EPROTO;
      return;
    }
  fer_emu_dongle_read (d->emu, b, (gsize) urb->buffer_length);
  urb->status = 0;
  urb->actual_length = urb->buffer_length;
  s->stats.n_bulk_bytes += (guint64) urb->buffer_length;
  s->stats.n_bulk_urbs++;
  if (s->realtime)
    {
      double rate = fer_emu_dongle_get_sample_rate (d->emu) * 2.0;
      double now = now_us ();
      if (now - d->next_due_us > RESYNC_US)
        d->next_due_us = now;   /* fell behind: restart rather than burst */
      if (rate > 0)
        d->next_due_us += urb->buffer_length / rate * 1e6;
    }
}

static void
handle_reap (Device *d, Client *c, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
  FerEmuUsbdevfs *s = d->server;
  GList *link = NULL;
  Urb *u = first_ready (d, c, now_us (), &link);

  s->stats.n_reaps++;
  if (u == NULL)
    {
      s->stats.n_reaps_empty++;
      umockdev_ioctl_client_complete (client, -1, d->gone ? ENODEV : EAGAIN);
      return;
    }
  g_queue_delete_link (&c->urbs, link);
  if (u->bulk)
    c->n_bulk_queued--;
  complete_urb (d, c, u);

  /* *(struct usbdevfs_urb **) arg = that URB; URB and buffer are written
   * back to the client when we complete. */
  g_autoptr (UMockdevIoctlData) p = umockdev_ioctl_data_resolve (arg, 0, sizeof (gpointer), NULL);
  if (p != NULL)
    umockdev_ioctl_data_set_ptr (p, 0, u->urb);
  urb_free (u);
  umockdev_ioctl_client_complete (client, p ? 0 : -1, p ? 0 : EFAULT);
}

static void
handle_submit (Device *d, Client *c, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
  FerEmuUsbdevfs *s = d->server;
  UMockdevIoctlData *data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_urb),
                                                         NULL);
  if (data == NULL)
    {
      umockdev_ioctl_client_complete (client, -1, EFAULT);
      return;
    }
  struct usbdevfs_urb *urb = (struct usbdevfs_urb *) data->data;
  gboolean bulk = urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == BULK_ENDPOINT;
  gboolean control = urb->type == USBDEVFS_URB_TYPE_CONTROL && urb->buffer_length >= 8;
  if (!bulk && !control)
    {
      g_object_unref (data);
      umockdev_ioctl_client_complete (client, -1, ENOENT);
      return;
    }

  Urb *u = g_new0 (Urb, 1);
  u->urb = data;
  u->addr = data->client_addr;
  u->bulk = bulk;
  if (control && (s->faults[FER_EMU_FAULT_CONTROL_STALL] > 0
                  || s->faults[FER_EMU_FAULT_CONTROL_TIMEOUT] > 0))
    {
      g_autoptr (UMockdevIoctlData) setup =
        umockdev_ioctl_data_resolve (data, offsetof (struct usbdevfs_urb, buffer), 8, NULL);
      if (setup != NULL && is_vendor (setup->data[0]))
        {
          if (s->faults[FER_EMU_FAULT_CONTROL_TIMEOUT] > 0)
            {
              s->faults[FER_EMU_FAULT_CONTROL_TIMEOUT]--;
              u->hang = TRUE;
            }
          else
            {
              s->faults[FER_EMU_FAULT_CONTROL_STALL]--;
              u->stall = TRUE;
            }
        }
    }
  if (bulk)
    {
      c->n_bulk_queued++;
      s->stats.n_bulk_queued_max = MAX (s->stats.n_bulk_queued_max, c->n_bulk_queued);
      if (!d->stream_announced && fer_emu_dongle_is_streaming (d->emu))
        {
          d->stream_announced = TRUE;
          d->next_due_us = now_us ();
          if (s->stream_func != NULL)
            s->stream_func (d->emu, s->stream_data);
        }
    }
  else
    s->stats.n_control_urbs++;
  g_queue_push_tail (&c->urbs, u);
  umockdev_ioctl_client_complete (client, 0, 0);
}

static gboolean
on_ioctl (UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user_data)
{
  Device *d = user_data;
  FerEmuUsbdevfs *s = d->server;
  Client *c = g_object_get_data (G_OBJECT (client), "fer-client");
  gulong request = umockdev_ioctl_client_get_request (client);
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);
  UMockdevIoctlData *data = NULL;

  pthread_mutex_lock (&s->lock);
  if (c == NULL)
    DONE (-1, EBADF);
  if (request == USBDEVFS_REAPURBNDELAY || request == USBDEVFS_REAPURB)
    {
      /* libusb never blocks in REAPURB; treat it like the non-blocking one */
      handle_reap (d, c, client, arg);
      goto out;
    }
  /* After an unplug the kernel answers ENODEV to everything but reaping. */
  if (d->gone)
    DONE (-1, ENODEV);

  switch (request)
    {
    case USBDEVFS_GET_CAPABILITIES:
      if (!(data = umockdev_ioctl_data_resolve (arg, 0, sizeof (guint32), NULL)))
        DONE (-1, EFAULT);
      *(guint32 *) data->data = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION
                                | USBDEVFS_CAP_NO_PACKET_SIZE_LIM
                                | USBDEVFS_CAP_BULK_SCATTER_GATHER
                                | USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
      DONE (0, 0);
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
      {
        if (!(data = umockdev_ioctl_data_resolve (arg, 0, sizeof (guint32), NULL)))
          DONE (-1, EFAULT);
        if (*(guint32 *) data->data != 0)
          DONE (-1, ENOENT);
        if (request == USBDEVFS_RELEASEINTERFACE)
          {
            if (d->claim_owner != c)
              DONE (-1, EINVAL);
            d->claim_owner = NULL;
            c->claimed = FALSE;
            DONE (0, 0);
          }
        if (d->claim_owner == c)
          DONE (0, 0);
        if (d->kernel_bound || d->claim_owner != NULL)
          DONE (-1, EBUSY);
        d->claim_owner = c;
        c->claimed = TRUE;
        DONE (0, 0);
      }
    case USBDEVFS_DISCONNECT_CLAIM:
      if (!(data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_disconnect_claim),
                                                NULL)))
        DONE (-1, EFAULT);
      if (d->claim_owner != NULL && d->claim_owner != c)
        DONE (-1, EBUSY);
      if (d->kernel_bound && s->refuse_detach)
        DONE (-1, EACCES);
      d->kernel_bound = FALSE;
      d->claim_owner = c;
      c->claimed = TRUE;
      DONE (0, 0);
    case USBDEVFS_GETDRIVER:
      {
        if (!(data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_getdriver),
                                                  NULL)))
          DONE (-1, EFAULT);
        struct usbdevfs_getdriver *gd = (struct usbdevfs_getdriver *) data->data;
        if (gd->interface != 0)
          DONE (-1, EINVAL);
        if (d->claim_owner != NULL)
          g_strlcpy (gd->driver, "usbfs", sizeof gd->driver);
        else if (d->kernel_bound)
          g_strlcpy (gd->driver, KERNEL_DRIVER, sizeof gd->driver);
        else
          DONE (-1, ENODATA);
        DONE (0, 0);
      }
    case USBDEVFS_IOCTL:
      {
        if (!(data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_ioctl), NULL)))
          DONE (-1, EFAULT);
        struct usbdevfs_ioctl *io = (struct usbdevfs_ioctl *) data->data;
        if (io->ifno != 0)
          DONE (-1, EINVAL);
        if (io->ioctl_code == USBDEVFS_DISCONNECT)
          {
            if (!d->kernel_bound)
              DONE (-1, ENODATA);
            if (s->refuse_detach)
              DONE (-1, EACCES);
            d->kernel_bound = FALSE;
            DONE (0, 0);
          }
        if (io->ioctl_code == USBDEVFS_CONNECT)
          {
            /* the kernel returns device_attach (): 1 = a driver bound */
            if (d->claim_owner != NULL || d->kernel_bound)
              DONE (-1, EBUSY);
            d->kernel_bound = TRUE;
            DONE (1, 0);
          }
        DONE (-1, ENOTTY);
      }
    case USBDEVFS_SETINTERFACE:
      {
        if (!(data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_setinterface),
                                                  NULL)))
          DONE (-1, EFAULT);
        struct usbdevfs_setinterface *si = (struct usbdevfs_setinterface *) data->data;
        DONE (si->interface == 0 && si->altsetting == 0 ? 0 : -1,
              si->interface == 0 && si->altsetting == 0 ? 0 : EINVAL);
      }
    case USBDEVFS_SETCONFIGURATION:
    case USBDEVFS_RESET:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
      DONE (0, 0);
    case USBDEVFS_GET_SPEED:
      DONE (3 /* USB_SPEED_HIGH */, 0);
    case USBDEVFS_CONNECTINFO:
      {
        if (!(data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_connectinfo),
                                                  NULL)))
          DONE (-1, EFAULT);
        struct usbdevfs_connectinfo *ci = (struct usbdevfs_connectinfo *) data->data;
        ci->devnum = d->devnum;
        ci->slow = 0;
        DONE (0, 0);
      }
    case USBDEVFS_CONTROL:
      {
        if (!(data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_ctrltransfer),
                                                  NULL)))
          DONE (-1, EFAULT);
        struct usbdevfs_ctrltransfer *ct = (struct usbdevfs_ctrltransfer *) data->data;
        g_autoptr (UMockdevIoctlData) buf = NULL;
        guint8 none[1];
        if (ct->wLength > 0
            && !(buf = umockdev_ioctl_data_resolve (data, offsetof (struct usbdevfs_ctrltransfer,
                                                                    data), ct->wLength, NULL)))
          DONE (-1, EFAULT);
        int r = control_request (d, ct->bRequestType, ct->bRequest, ct->wValue, ct->wIndex,
                                 ct->wLength, buf ? buf->data : none);
        DONE (r < 0 ? -1 : r, r < 0 ? -r : 0);
      }
    case USBDEVFS_SUBMITURB:
      handle_submit (d, c, client, arg);
      goto out;
    case USBDEVFS_DISCARDURB:
      {
        gulong addr = *(gulong *) arg->data;
        for (GList *l = c->urbs.head; l != NULL; l = l->next)
          {
            Urb *u = l->data;
            if (u->addr == addr && !u->cancelled)
              {
                u->cancelled = TRUE;
                DONE (0, 0);
              }
          }
        DONE (-1, EINVAL);   /* already complete: libusb then just reaps it */
      }
    default:
      g_debug ("unhandled ioctl 0x%08lx", request);
      DONE (-1, ENOTTY);
    }

out:
  if (data != NULL)
    g_object_unref (data);
  bell_update (d);
  pthread_mutex_unlock (&s->lock);
  return TRUE;
}

/* --- Plugging --------------------------------------------------------------------- */

FerEmuUsbdevfs *
fer_emu_usbdevfs_new (void)
{
  FerEmuUsbdevfs *s = g_new0 (FerEmuUsbdevfs, 1);
  pthread_mutex_init (&s->lock, NULL);
  pthread_cond_init (&s->pacer_wake, NULL);
  s->testbed = umockdev_testbed_new ();   /* sets UMOCKDEV_DIR */
  s->root = umockdev_testbed_get_root_dir (s->testbed);
  s->devices = g_ptr_array_new ();
  s->next_devnum = FIRST_DEVNUM;
  s->pacer = g_thread_new ("emu-pacer", pacer_thread, s);
  return s;
}

static void
device_free (Device *d)
{
  g_list_free_full (d->clients, client_free);
  g_object_unref (d->handler);
  fer_emu_dongle_free (d->emu);
  if (d->bell_fd >= 0)
    close (d->bell_fd);
  g_free (d->node);
  g_free (d->syspath);
  g_free (d->serial);
  g_free (d);
}

void
fer_emu_usbdevfs_free (FerEmuUsbdevfs *s)
{
  if (s == NULL)
    return;
  fer_emu_usbdevfs_unplug (s);
  pthread_mutex_lock (&s->lock);
  s->quit = TRUE;
  pthread_cond_signal (&s->pacer_wake);
  pthread_mutex_unlock (&s->lock);
  g_thread_join (s->pacer);
  /* The testbed first: it stops the worker thread that calls our handlers. */
  g_clear_object (&s->testbed);
  for (guint i = 0; i < s->devices->len; i++)
    device_free (s->devices->pdata[i]);
  g_ptr_array_unref (s->devices);
  g_free (s->root);
  pthread_mutex_destroy (&s->lock);
  pthread_cond_destroy (&s->pacer_wake);
  g_free (s);
}

gboolean
fer_emu_usbdevfs_plug (FerEmuUsbdevfs *s, FerEmuDongle *emu, const char *serial)
{
  g_autoptr (GError) error = NULL;
  if (s->current != NULL)
    {
      fer_emu_dongle_free (emu);
      return FALSE;
    }

  Device *d = g_new0 (Device, 1);
  d->server = s;
  d->devnum = s->next_devnum++;
  d->emu = emu;
  const char *model_serial;
  fer_emu_dongle_get_usb_strings (emu, &d->manufacturer, &d->product, &model_serial);
  d->serial = g_strdup (serial ? serial : model_serial);
  d->node = g_strdup_printf ("/dev/bus/usb/%03u/%03u", BUS, d->devnum);
  /* A new port each time: the kernel gives a replugged device a new path only
   * if it lands elsewhere, but this keeps umockdev's sysfs entries apart. */
  d->syspath = g_strdup_printf ("/sys/devices/pci0000:00/0000:00:14.0/usb%u/%u-1", BUS, BUS);
  d->kernel_bound = s->kernel_bound;
  d->bell_fd = -1;
  d->handler = umockdev_ioctl_base_new ();
  g_signal_connect (d->handler, "client-connected", G_CALLBACK (on_client_connected), d);
  g_signal_connect (d->handler, "client-vanished", G_CALLBACK (on_client_vanished), d);
  g_signal_connect (d->handler, "handle-ioctl", G_CALLBACK (on_ioctl), d);

  /* 1. the handler before the node exists, so an open racing the "add"
   *    uevent is served */
  if (!umockdev_testbed_attach_ioctl (s->testbed, d->node, d->handler, &error))
    g_error ("umockdev: attach_ioctl %s: %s", d->node, error->message);
  /* 2. the node: a FIFO (mmap of it fails cleanly, and it is our doorbell) */
  g_autofree char *path = g_strconcat (s->root, d->node, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0755);
  if (mkfifo (path, 0666) != 0)
    g_error ("umockdev: mkfifo %s: %s", path, g_strerror (errno));
  chmod (path, 0666);
  d->bell_fd = open (path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (d->bell_fd < 0)
    g_error ("umockdev: open %s: %s", path, g_strerror (errno));
  bell_silence (d);

  /* 3. sysfs and udev properties; sends "add" (we run under the preload) */
  GString *hex = g_string_new (NULL);
  for (gsize i = 0; i < sizeof descriptors; i++)
    g_string_append_printf (hex, "%02X", descriptors[i]);
  g_autofree char *desc = g_strdup_printf (
    "P: %s\n"
    "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
    "E: PRODUCT=bda/2838/100\nE: TYPE=0/0/0\n"
    "E: BUSNUM=%03u\nE: DEVNUM=%03u\nE: DEVNAME=%s\n"
    "A: busnum=%u\\n\nA: devnum=%u\\n\nA: idVendor=0bda\\n\nA: idProduct=2838\\n\n"
    "A: bcdDevice=0100\\n\nA: manufacturer=%s\\n\nA: product=%s\\n\nA: serial=%s\\n\n"
    "A: speed=480\\n\nA: bConfigurationValue=1\\n\nA: bNumConfigurations=1\\n\n"
    "A: bNumInterfaces= 1\\n\nA: bMaxPacketSize0=64\\n\nA: version= 2.00\\n\n"
    "H: descriptors=%s\n",
    d->syspath + strlen ("/sys"), BUS, d->devnum, d->node, BUS, d->devnum, d->manufacturer,
    d->product, d->serial, hex->str);
  g_string_free (hex, TRUE);

  pthread_mutex_lock (&s->lock);
  g_ptr_array_add (s->devices, d);
  s->current = d;
  pthread_mutex_unlock (&s->lock);
  if (!umockdev_testbed_add_from_string (s->testbed, desc, &error))
    g_error ("umockdev: add_from_string: %s", error->message);
  return TRUE;
}

void
fer_emu_usbdevfs_unplug (FerEmuUsbdevfs *s)
{
  pthread_mutex_lock (&s->lock);
  Device *d = s->current;
  if (d == NULL)
    {
      pthread_mutex_unlock (&s->lock);
      return;
    }
  s->current = NULL;
  d->gone = TRUE;
  d->claim_owner = NULL;
  bell_update (d);
  pthread_mutex_unlock (&s->lock);
  /* The uevent reads the properties from sysfs: announce before removing. */
  umockdev_testbed_uevent (s->testbed, d->syspath, "remove");
  umockdev_testbed_remove_device (s->testbed, d->syspath);
}

gboolean
fer_emu_usbdevfs_is_plugged (FerEmuUsbdevfs *s)
{
  pthread_mutex_lock (&s->lock);
  gboolean plugged = s->current != NULL;
  pthread_mutex_unlock (&s->lock);
  return plugged;
}

FerEmuDongle *
fer_emu_usbdevfs_get_dongle (FerEmuUsbdevfs *s)
{
  pthread_mutex_lock (&s->lock);
  FerEmuDongle *emu = s->current ? s->current->emu : NULL;
  pthread_mutex_unlock (&s->lock);
  return emu;
}

const char *
fer_emu_usbdevfs_get_node (FerEmuUsbdevfs *s)
{
  pthread_mutex_lock (&s->lock);
  const char *node = s->current ? s->current->node : NULL;
  pthread_mutex_unlock (&s->lock);
  return node;
}

void
fer_emu_usbdevfs_set_realtime (FerEmuUsbdevfs *s, gboolean realtime)
{
  pthread_mutex_lock (&s->lock);
  s->realtime = realtime;
  pthread_cond_signal (&s->pacer_wake);
  pthread_mutex_unlock (&s->lock);
}

void
fer_emu_usbdevfs_set_kernel_driver (FerEmuUsbdevfs *s, gboolean bound, gboolean refuse_detach)
{
  pthread_mutex_lock (&s->lock);
  s->kernel_bound = bound;
  s->refuse_detach = refuse_detach;
  if (s->current != NULL && s->current->claim_owner == NULL)
    s->current->kernel_bound = bound;
  pthread_mutex_unlock (&s->lock);
}

gboolean
fer_emu_usbdevfs_get_kernel_driver_bound (FerEmuUsbdevfs *s)
{
  pthread_mutex_lock (&s->lock);
  gboolean bound = s->current != NULL && s->current->kernel_bound;
  pthread_mutex_unlock (&s->lock);
  return bound;
}

void
fer_emu_usbdevfs_inject (FerEmuUsbdevfs *s, FerEmuFault fault, guint count)
{
  g_return_if_fail ((guint) fault < G_N_ELEMENTS (s->faults));
  pthread_mutex_lock (&s->lock);
  s->faults[fault] += count;
  if (s->current != NULL)
    bell_update (s->current);
  pthread_mutex_unlock (&s->lock);
}

void
fer_emu_usbdevfs_get_stats (FerEmuUsbdevfs *s, FerEmuUsbdevfsStats *stats)
{
  pthread_mutex_lock (&s->lock);
  *stats = s->stats;
  pthread_mutex_unlock (&s->lock);
}

void
fer_emu_usbdevfs_set_stream_func (FerEmuUsbdevfs *s, FerEmuStreamFunc func, gpointer user_data)
{
  pthread_mutex_lock (&s->lock);
  s->stream_func = func;
  s->stream_data = user_data;
  pthread_mutex_unlock (&s->lock);
}

/* --- Register snapshots ---------------------------------------------------------- */

static void
read_block (FerEmuDongle *emu, guint block, guint page, guint16 addr, guint8 *out, guint16 n)
{
  if (fer_emu_dongle_control (emu, 0xc0, 0, addr, (guint16) (block << 8 | page), out, n) != n)
    memset (out, 0, n);
}

void
fer_emu_registers_read (FerEmuDongle *emu, FerEmuRegisters *regs)
{
  memset (regs, 0, sizeof *regs);
  for (guint page = 0; page < 16; page++)
    for (guint reg = 0; reg < 256; reg++)
      read_block (emu, 0, page, (guint16) (reg << 8 | 0x20), &regs->demod[page][reg], 1);
  for (guint i = 0; i < sizeof regs->usb; i += 64)
    read_block (emu, 1, 0, (guint16) (0x2000 + i), regs->usb + i, 64);
  for (guint i = 0; i < sizeof regs->sys; i += 64)
    read_block (emu, 2, 0, (guint16) (0x3000 + i), regs->sys + i, 64);
  regs->n_tuner = fer_emu_dongle_get_tuner_type (emu) == FER_EMU_TUNER_E4000
                    ? FER_EMU_E4K_N_REGS : FER_EMU_R82XX_N_REGS;
  for (guint i = 0; i < regs->n_tuner; i++)
    regs->tuner[i] = fer_emu_dongle_get_tuner_reg (emu, i);
}

char *
fer_emu_registers_format (const FerEmuRegisters *regs)
{
  GString *s = g_string_new (NULL);
  for (guint page = 0; page < 16; page++)
    for (guint reg = 0; reg < 256; reg++)
      if (regs->demod[page][reg] != 0)
        g_string_append_printf (s, "demod%u 0x%02x 0x%02x\n", page, reg, regs->demod[page][reg]);
  for (guint i = 0; i < sizeof regs->usb; i++)
    if (regs->usb[i] != 0)
      g_string_append_printf (s, "usb 0x%04x 0x%02x\n", 0x2000 + i, regs->usb[i]);
  for (guint i = 0; i < sizeof regs->sys; i++)
    if (regs->sys[i] != 0)
      g_string_append_printf (s, "sys 0x%04x 0x%02x\n", 0x3000 + i, regs->sys[i]);
  for (guint i = 0; i < regs->n_tuner; i++)
    g_string_append_printf (s, "tuner 0x%02x 0x%02x\n", i, regs->tuner[i]);
  return g_string_free (s, FALSE);
}

gboolean
fer_emu_registers_parse (const char *text, FerEmuRegisters *regs, GError **error)
{
  memset (regs, 0, sizeof *regs);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char block[16];
      unsigned addr, value, page;
      if (lines[i][0] == '\0')
        continue;
      if (sscanf (lines[i], "%15s %x %x", block, &addr, &value) != 3 || value > 0xff)
        goto bad;
      if (sscanf (block, "demod%u", &page) == 1 && page < 16 && addr < 256)
        regs->demod[page][addr] = (guint8) value;
      else if (strcmp (block, "usb") == 0 && addr >= 0x2000 && addr < 0x2200)
        regs->usb[addr - 0x2000] = (guint8) value;
      else if (strcmp (block, "sys") == 0 && addr >= 0x3000 && addr < 0x3100)
        regs->sys[addr - 0x3000] = (guint8) value;
      else if (strcmp (block, "tuner") == 0 && addr < G_N_ELEMENTS (regs->tuner))
        {
          regs->tuner[addr] = (guint8) value;
          regs->n_tuner = MAX (regs->n_tuner, addr + 1);
        }
      else
        goto bad;
      continue;
    bad:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "register dump line %u is not 'block reg value': %s", i + 1, lines[i]);
      return FALSE;
    }
  return TRUE;
}
