#include "usb-test-util.h"

#include <stdlib.h>

static GLogFunc default_handler;

static void
drop_debug (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if (!(level & G_LOG_LEVEL_DEBUG))
    default_handler (domain, level, message, data);
}

void
usb_test_init (int *argc, char ***argv)
{
  if (!fer_emu_usbdevfs_reexec_under_preload (*argv))
    {
      g_printerr ("skipped: umockdev's preload library (package umockdev) is missing\n");
      exit (EXIT_SKIP);
    }
  /* umockdev narrates every uevent at debug level, and tests show debug
   * messages: keep the log readable unless G_MESSAGES_DEBUG asks for them. */
  gboolean quiet = g_getenv ("G_MESSAGES_DEBUG") == NULL;
  g_test_init (argc, argv, NULL);
  if (quiet)
    default_handler = g_log_set_default_handler (drop_debug, NULL);
}

FerEmuUsbdevfs *
usb_test_server_new (gboolean realtime)
{
  FerEmuUsbdevfs *server = fer_emu_usbdevfs_new ();
  fer_emu_usbdevfs_set_realtime (server, realtime);
  g_assert_true (fer_emu_usbdevfs_plug (server, fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL),
                                        NULL));
  return server;
}

gboolean
usb_test_wait (gboolean (*done) (gpointer data), gpointer data, double timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * 1e6);
  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return done (data);
      g_usleep (1000);
    }
  return TRUE;
}
