/* libFuzzer target: rigctl lines from a client, on a receiver that only
 * pretends (no threads, no network). */
#include <stdint.h>
#include <string.h>

#include "receiver/rigctl.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static double freq = 100e6;
static FerMode mode = FER_MODE_WFM;
static double passband = 200e3, squelch = -150;
static gboolean recording;

static double get_freq (gpointer d) { return freq; }
static gboolean set_freq (gpointer d, double hz) { freq = hz; return hz < 2e9; }
static FerMode get_mode (gpointer d, double *pb) { *pb = passband; return mode; }
static gboolean
set_mode (gpointer d, FerMode m, double pb)
{
  mode = m;
  passband = pb > 0 ? pb : fer_mode_default_bandwidth (m);
  return TRUE;
}
static double get_strength (gpointer d) { return -42.5; }
static double get_squelch (gpointer d) { return squelch; }
static void set_squelch (gpointer d, double db) { squelch = db; }
static gboolean get_recording (gpointer d) { return recording; }
static gboolean set_recording (gpointer d, gboolean on) { recording = on; return TRUE; }
static char *
get_rds (gpointer d, const char *name)
{
  return strcmp (name, "RDS_PI") == 0 ? g_strdup ("1234") : NULL;
}

static const FerRigctlOps ops = {
  get_freq, set_freq, get_mode, set_mode, get_strength, get_squelch, set_squelch,
  get_recording, set_recording, get_rds,
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FerRigctlSession *s = fer_rigctl_session_new (&ops, NULL);
  GString *out = g_string_new (NULL);
  /* Two reads, split where the first byte says. */
  size_t cut = size > 0 ? data[0] % (size + 1) : 0;
  if (fer_rigctl_session_feed (s, (const char *) data, cut, out))
    fer_rigctl_session_feed (s, (const char *) data + cut, size - cut, out);
  /* Every reply is text ending in a newline. */
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    __builtin_trap ();
  g_string_free (out, TRUE);
  fer_rigctl_session_free (s);
  return 0;
}
