/* main.c - the command line: the window, or --headless for scripts and tests. */
#define G_LOG_DOMAIN "ferrite"

#include <glib-unix.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "device/source-demo.h"
#include "device/source-file.h"
#include "receiver/parse.h"
#include "receiver/receiver.h"
#include "ui/application.h"

#define EXIT_USAGE 2
/* --seconds above a week is a typo, not a plan. */
#define MAX_SECONDS (7 * 24 * 3600.0)

typedef struct {
  gboolean headless;
  gboolean realtime;
  gboolean list_devices;
  gboolean version;
  char *source;
  char *freq;
  char *mode;
  char *rate;
  char *center;
  char *format;
  char *gain;
  int ppm;
  char *seconds;
  char *audio_out;
} Args;

typedef struct {
  FerSource *source;        /* owned until handed to the receiver */
  FerReceiverOptions options;
  double gain_db;           /* NAN = auto */
} Plan;

static void
args_clear (Args *args)
{
  g_free (args->source);
  g_free (args->freq);
  g_free (args->mode);
  g_free (args->rate);
  g_free (args->center);
  g_free (args->format);
  g_free (args->gain);
  g_free (args->seconds);
  g_free (args->audio_out);
}

static int
usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  fprintf (stderr, "ferrite: %s\n", msg);
  return EXIT_USAGE;
}

static gboolean
parse_hz_option (const char *name, const char *text, double *out, GError **error)
{
  if (!fer_parse_frequency (text, out))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--%s: '%s' is not a frequency (examples: 96.3M, 500k, 100000000)", name,
                   text);
      return FALSE;
    }
  return TRUE;
}

/* Builds the source and receiver options the arguments ask for. */
static gboolean
make_plan (const Args *args, Plan *plan, GError **error)
{
  FerReceiverOptions *opts = &plan->options;
  fer_receiver_options_init (opts);

  if (args->freq != NULL && !parse_hz_option ("freq", args->freq, &opts->freq_hz, error))
    return FALSE;
  if (args->mode != NULL && !fer_mode_parse (args->mode, &opts->mode))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--mode: unknown mode '%s' (available: wfm)", args->mode);
      return FALSE;
    }

  double rate_hz = 2.4e6;
  if (args->rate != NULL && !parse_hz_option ("rate", args->rate, &rate_hz, error))
    return FALSE;
  double center_hz = opts->freq_hz;
  if (args->center != NULL && !parse_hz_option ("center", args->center, &center_hz, error))
    return FALSE;

  FerSampleFormat format = FER_SAMPLE_CU8;
  if (args->format != NULL && !fer_sample_format_parse (args->format, &format))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--format: unknown sample format '%s' (use cu8, cs8, cs16 or cf32)",
                   args->format);
      return FALSE;
    }

  plan->gain_db = NAN;
  if (args->gain != NULL && g_ascii_strcasecmp (args->gain, "auto") != 0)
    {
      char *end = NULL;
      plan->gain_db = g_ascii_strtod (args->gain, &end);
      if (end == args->gain || *end != '\0' || !isfinite (plan->gain_db))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--gain: '%s' is not a gain in dB or 'auto'", args->gain);
          return FALSE;
        }
    }

  if (args->seconds != NULL)
    {
      char *end = NULL;
      double s = g_ascii_strtod (args->seconds, &end);
      if (end == args->seconds || *end != '\0' || !isfinite (s) || s <= 0 || s > MAX_SECONDS)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--seconds: '%s' must be a number of seconds above 0 and at most %.0f",
                       args->seconds, MAX_SECONDS);
          return FALSE;
        }
      opts->max_seconds = s;
    }
  if (args->ppm < -1000 || args->ppm > 1000)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--ppm: %d is out of range (-1000 to 1000)", args->ppm);
      return FALSE;
    }

  opts->audio_path = args->audio_out;
  const char *spec = args->source ? args->source : "demo";
  if (strcmp (spec, "demo") == 0)
    {
      /* Headless into a file: as fast as the CPU allows. Otherwise the demo
       * keeps real time, like a dongle. */
      gboolean realtime = args->realtime || !args->headless || args->audio_out == NULL;
      plan->source = fer_source_demo_new (realtime, error);
      if (plan->source == NULL)
        return FALSE;
      /* Without --center the band is centred on the station, as far as the
       * tuner reaches; the receiver then says if the station is out of reach. */
      if (args->center == NULL)
        center_hz = CLAMP (center_hz, plan->source->min_center_hz, plan->source->max_center_hz);
      if (!fer_source_set_rate (plan->source, rate_hz, error)
          || !fer_source_set_ppm (plan->source, args->ppm, error)
          || !fer_source_set_gain (plan->source, plan->gain_db, error)
          || !fer_source_set_center (plan->source, center_hz, error))
        {
          g_clear_pointer (&plan->source, fer_source_free);
          return FALSE;
        }
    }
  else if (g_str_has_prefix (spec, "file:"))
    {
      const char *path = spec + strlen ("file:");
      if (*path == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--source file: needs a path (file:PATH)");
          return FALSE;
        }
      gboolean realtime = args->realtime || !args->headless;
      plan->source = fer_source_file_new (path, format, rate_hz, center_hz, realtime, error);
      if (plan->source == NULL)
        return FALSE;
    }
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--source: unknown source '%s' (use demo or file:PATH)", spec);
      return FALSE;
    }
  return TRUE;
}

/* --- headless ------------------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  int status;
  gboolean to_sound_card;
} Headless;

static void
on_headless_event (FerReceiver *receiver, FerReceiverEvent event, const char *message,
                   gpointer user_data)
{
  Headless *h = user_data;
  switch (event)
    {
    case FER_RECEIVER_EVENT_FINISHED:
      g_main_loop_quit (h->loop);
      break;
    case FER_RECEIVER_EVENT_SOURCE_ERROR:
      fprintf (stderr, "ferrite: %s\n", message);
      h->status = 1;
      g_main_loop_quit (h->loop);
      break;
    case FER_RECEIVER_EVENT_AUDIO:
      if (h->to_sound_card && message != NULL)
        fprintf (stderr, "ferrite: %s\n", message);
      break;
    case FER_RECEIVER_EVENT_TUNED:
      break;
    }
}

static gboolean
on_signal (gpointer user_data)
{
  Headless *h = user_data;
  g_main_loop_quit (h->loop);
  return G_SOURCE_CONTINUE;
}

static int
run_headless (Plan *plan)
{
  g_autoptr (GError) error = NULL;
  FerReceiver *receiver = fer_receiver_new (g_steal_pointer (&plan->source), &plan->options,
                                            &error);
  if (receiver == NULL)
    return usage_error ("%s", error->message);

  Headless h = { g_main_loop_new (NULL, FALSE), 0, plan->options.audio_path == NULL };
  fer_receiver_set_event_func (receiver, on_headless_event, &h);
  guint sigint = g_unix_signal_add (SIGINT, on_signal, &h);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, &h);

  if (!fer_receiver_start (receiver, &error))
    {
      fprintf (stderr, "ferrite: %s\n", error->message);
      h.status = 1;
    }
  else
    g_main_loop_run (h.loop);

  if (!fer_receiver_stop (receiver, &error))
    {
      fprintf (stderr, "ferrite: %s\n", error->message);
      h.status = 1;
    }
  FerReceiverStats stats;
  fer_receiver_get_stats (receiver, &stats);
  if (stats.n_dropped > 0)
    fprintf (stderr, "ferrite: %" G_GUINT64_FORMAT " blocks were dropped\n", stats.n_dropped);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  fer_receiver_free (receiver);
  g_main_loop_unref (h.loop);
  return h.status;
}

/* --- window --------------------------------------------------------------- */

static int
run_window (const Args *args, Plan *plan, const char *startup_error, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = g_strdup (startup_error);
  FerReceiver *receiver = NULL;

  if (plan->source != NULL)
    receiver = fer_receiver_new (g_steal_pointer (&plan->source), &plan->options, &error);
  if (receiver == NULL)
    {
      /* Whatever went wrong, the person still gets a working window: the demo,
       * with the reason shown. */
      if (error != NULL)
        {
          g_free (message);
          message = g_strdup (error->message);
          g_clear_error (&error);
        }
      FerReceiverOptions opts;
      fer_receiver_options_init (&opts);
      opts.audio_path = args->audio_out;
      FerSource *demo = fer_source_demo_new (TRUE, &error);
      if (demo != NULL)
        receiver = fer_receiver_new (demo, &opts, &error);
      if (receiver == NULL)
        {
          fprintf (stderr, "ferrite: %s\n", error->message);
          return 1;
        }
    }

  g_autoptr (FerApplication) app = fer_application_new (receiver, message,
                                                        G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* --- main ----------------------------------------------------------------- */

static void
list_devices (void)
{
  printf ("demo    Demo dongle (emulated RTL2832U + R820T) -- always available\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");

  Args args = { 0 };
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &args.headless,
      "Run without a window (for scripts); needs --audio-out or plays to the sound card", NULL },
    { "source", 's', 0, G_OPTION_ARG_STRING, &args.source,
      "Where samples come from: demo (default) or file:PATH", "demo|file:PATH" },
    { "freq", 'f', 0, G_OPTION_ARG_STRING, &args.freq,
      "Frequency to listen to, e.g. 96.3M (default 100M)", "HZ" },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &args.mode, "Demodulator: wfm (default)", "MODE" },
    { "rate", 'r', 0, G_OPTION_ARG_STRING, &args.rate,
      "Sample rate (default 2.4M); a dongle takes 225k-300k or 900k-3.2M", "SPS" },
    { "center", 'c', 0, G_OPTION_ARG_STRING, &args.center,
      "Centre frequency of the band (default: --freq); for a file, where it was recorded",
      "HZ" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &args.format,
      "Sample format of a file: cu8 (default), cs8, cs16 or cf32", "FORMAT" },
    { "gain", 'g', 0, G_OPTION_ARG_STRING, &args.gain, "Tuner gain in dB, or auto (default)",
      "DB|auto" },
    { "ppm", 'p', 0, G_OPTION_ARG_INT, &args.ppm, "Crystal frequency correction in ppm", "N" },
    { "seconds", 't', 0, G_OPTION_ARG_STRING, &args.seconds,
      "Stop after this many seconds of signal (not wall time)", "S" },
    { "audio-out", 'o', 0, G_OPTION_ARG_FILENAME, &args.audio_out,
      "Write 48 kHz 16-bit WAV audio to FILE (- = stdout) instead of the sound card", "FILE" },
    { "realtime", 0, 0, G_OPTION_ARG_NONE, &args.realtime,
      "Headless: read files and the demo at real-time pace", NULL },
    { "list-devices", 0, 0, G_OPTION_ARG_NONE, &args.list_devices,
      "List the receivers Ferrite can open and exit", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &args.version, "Print the version and exit", NULL },
    { NULL },
  };

  g_autoptr (GOptionContext) ctx = g_option_context_new ("- receiver for RTL-SDR dongles");
  g_option_context_set_summary (ctx,
    "Opens a window with a live spectrum and waterfall; starts on the built-in demo\n"
    "dongle when no hardware is chosen. With --headless it demodulates into a WAV file.\n"
    "Frequencies take suffixes: 96.3M, 500k, 1.09G.");
  g_option_context_set_description (ctx,
    "Examples:\n"
    "  ferrite                                    the window, on the demo dongle\n"
    "  ferrite --headless --source demo --freq 100M --seconds 5 --audio-out out.wav\n"
    "  ferrite --headless --source file:rec.cu8 --rate 2.4M --center 100M --freq 100.2M -o -\n"
    "\n"
    "Exit status: 0 done, 1 the device or an output failed, 2 bad arguments or input.");
  g_option_context_add_main_entries (ctx, entries, NULL);

  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      int rc = usage_error ("%s (see --help)", error->message);
      args_clear (&args);
      return rc;
    }
  if (args.version)
    {
      printf ("ferrite %s\n", FER_VERSION);
      args_clear (&args);
      return 0;
    }
  if (args.list_devices)
    {
      list_devices ();
      args_clear (&args);
      return 0;
    }
  if (argc > 1)
    {
      int rc = usage_error ("unexpected argument '%s' (see --help)", argv[1]);
      args_clear (&args);
      return rc;
    }

  Plan plan = { 0 };
  int rc;
  if (!make_plan (&args, &plan, &error))
    {
      if (args.headless)
        rc = usage_error ("%s", error->message);
      else
        rc = run_window (&args, &plan, error->message, argc, argv);
    }
  else if (args.headless)
    rc = run_headless (&plan);
  else
    rc = run_window (&args, &plan, NULL, argc, argv);

  g_clear_pointer (&plan.source, fer_source_free);
  args_clear (&args);
  return rc;
}
