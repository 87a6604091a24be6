/* main.c - the command line: the window, or --headless for scripts and tests. */
#define G_LOG_DOMAIN "ferrite"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "audio/device-choice.h"
#include "device/device-list.h"
#include "device/source-demo.h"
#include "device/source-file.h"
#include "device/source-rtltcp.h"
#include "receiver/parse.h"
#include "receiver/receiver.h"
#include "receiver/services.h"
#include "ui/application.h"

#define EXIT_USAGE 2
/* --seconds above a week is a typo, not a plan. */
#define MAX_SECONDS (7 * 24 * 3600.0)

typedef struct {
  gboolean headless;
  gboolean realtime;
  gboolean list_devices;
  gboolean list_audio_devices;
  gboolean stats;           /* --stats: audio figures every second */
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
  char *audio_device;
  char *bandwidth;
  char *deemphasis;
  char *squelch;
  char *agc;
  gboolean bias_tee;
  char *direct_sampling;
  gboolean offset_tuning;
  gboolean rds;
  char *rds_path;           /* NULL = stderr */
  char *iq_out;             /* --iq-out: record the IQ stream here */
  char *iq_format;
  char *udp_audio;          /* --udp-audio HOST:PORT */
  char *rigctl;             /* --rigctl [ADDR:]PORT */
  char *serve_rtl_tcp;      /* --serve-rtl-tcp [ADDR:]PORT */
  gboolean udp_stereo;
} Args;

typedef struct {
  FerSource *source;        /* owned until handed to the receiver */
  FerReceiverOptions options;
  double gain_db;           /* NAN = auto */
  char *note;               /* owned; which source was chosen, when the person did not say */
  gboolean rds;             /* --rds: decoded RDS as JSON lines */
  const char *rds_path;     /* NULL = stderr, "-" = stdout */
  gboolean stats;           /* --stats */
  FerServicesOptions services;  /* strings borrowed from Args */
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
  g_free (args->audio_device);
  g_free (args->bandwidth);
  g_free (args->deemphasis);
  g_free (args->squelch);
  g_free (args->agc);
  g_free (args->direct_sampling);
  g_free (args->rds_path);
  g_free (args->iq_out);
  g_free (args->iq_format);
  g_free (args->udp_audio);
  g_free (args->rigctl);
  g_free (args->serve_rtl_tcp);
}

static gboolean
parse_rds_option (const char *name, const char *value, gpointer data, GError **error)
{
  Args *args = data;
  args->rds = TRUE;
  g_free (args->rds_path);
  args->rds_path = g_strdup (value);
  return TRUE;
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
                   _("--%s: '%s' is not a frequency (examples: 96.3M, 500k, 100000000)"),
                   name, text);
      return FALSE;
    }
  return TRUE;
}

/* --direct-sampling's value. */
static gboolean
parse_direct_sampling (const char *text, FerDirectSampling *mode, GError **error)
{
  static const struct { const char *name; FerDirectSampling mode; } names[] = {
    { "auto", FER_DIRECT_SAMPLING_AUTO }, { "off", FER_DIRECT_SAMPLING_OFF },
    { "i", FER_DIRECT_SAMPLING_I }, { "q", FER_DIRECT_SAMPLING_Q },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *mode = names[i].mode;
        return TRUE;
      }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--direct-sampling: '%s' is not i, q, auto or off"), text);
  return FALSE;
}

/* Sets the rate, correction, gain and centre the arguments ask for, and
 * --direct-sampling, --offset-tuning, --bias-tee. Direct sampling decides
 * what the centre may be, except that a forced ADC input takes only what it
 * receives: that one comes after the centre. */
static gboolean
tune_source (const Args *args, Plan *plan, double rate_hz, double center_hz, GError **error)
{
  FerDirectSampling direct = FER_DIRECT_SAMPLING_AUTO;
  gboolean forced_input = FALSE;
  gboolean ok = TRUE;

  if (args->direct_sampling != NULL)
    {
      ok = parse_direct_sampling (args->direct_sampling, &direct, error);
      forced_input = direct == FER_DIRECT_SAMPLING_I || direct == FER_DIRECT_SAMPLING_Q;
      ok = ok && (forced_input || fer_source_set_direct_sampling (plan->source, direct, error));
    }
  /* Without --center the band is centred on the station, as far as the
   * tuner reaches; the receiver then says if the station is out of reach. */
  if (args->center == NULL)
    center_hz = CLAMP (center_hz, plan->source->min_center_hz, plan->source->max_center_hz);
  if (!ok
      || !fer_source_set_rate (plan->source, rate_hz, error)
      || !fer_source_set_ppm (plan->source, args->ppm, error)
      || !fer_source_set_gain (plan->source, plan->gain_db, error)
      || !fer_source_set_center (plan->source, center_hz, error)
      || (forced_input && !fer_source_set_direct_sampling (plan->source, direct, error))
      || (args->offset_tuning && !fer_source_set_offset_tuning (plan->source, TRUE, error))
      || (args->bias_tee && !fer_source_set_bias_tee (plan->source, TRUE, error)))
    {
      g_clear_pointer (&plan->source, fer_source_free);
      return FALSE;
    }
  return TRUE;
}

/* --bandwidth, --deemphasis, --squelch, --agc. */
static gboolean
parse_channel_options (const Args *args, FerReceiverOptions *opts, GError **error)
{
  if (args->bandwidth != NULL)
    {
      double lo, hi;
      fer_mode_bandwidth_range (opts->mode, &lo, &hi);
      if (!parse_hz_option ("bandwidth", args->bandwidth, &opts->bandwidth_hz, error))
        return FALSE;
      if (opts->bandwidth_hz < lo || opts->bandwidth_hz > hi)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--bandwidth: %s takes %.0f to %.0f Hz"), fer_mode_name (opts->mode), lo,
                       hi);
          return FALSE;
        }
    }
  if (args->deemphasis != NULL)
    {
      char *end = NULL;
      double us = g_ascii_strtod (args->deemphasis, &end);
      if (end == args->deemphasis || *end != '\0' || (us != 0 && us != 50 && us != 75))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--deemphasis: '%s' must be 50 (Europe), 75 (the Americas) or 0 (off)"),
                       args->deemphasis);
          return FALSE;
        }
      opts->deemphasis_s = us * 1e-6;
    }
  if (args->squelch != NULL)
    {
      /* DB: a level in dBFS; snr:DB: a signal-to-noise ratio. */
      gboolean snr = g_str_has_prefix (args->squelch, "snr:");
      const char *text = snr ? args->squelch + 4 : args->squelch;
      char *end = NULL;
      double db = g_ascii_strtod (text, &end);
      if (end == text || *end != '\0' || !isfinite (db) || (!snr && db > 0) || fabs (db) > 200)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--squelch: '%s' is not a level in dBFS (e.g. -60) or snr:DB (e.g. snr:10)"),
                       args->squelch);
          return FALSE;
        }
      opts->squelch_mode = snr ? FER_SQUELCH_SNR : FER_SQUELCH_LEVEL;
      opts->squelch_db = db;
    }
  if (args->agc != NULL && !fer_agc_mode_parse (args->agc, &opts->agc))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--agc: '%s' must be fast, medium, slow or off"), args->agc);
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
                   _("--mode: unknown mode '%s' (available: %s)"), args->mode, fer_mode_list ());
      return FALSE;
    }
  if (!parse_channel_options (args, opts, error))
    return FALSE;
  if (opts->mode == FER_MODE_RAW && args->headless
      && (args->audio_out == NULL || strcmp (args->audio_out, FER_RECEIVER_NO_AUDIO) == 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--mode raw writes IQ, not sound: give --audio-out FILE (- = stdout)"));
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
                   _("--format: unknown sample format '%s' (use cu8, cs8, cs16 or cf32)"),
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
                       _("--gain: '%s' is not a gain in dB or 'auto'"), args->gain);
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
                       _("--seconds: '%s' must be a number of seconds above 0 and at most %.0f"),
                       args->seconds, MAX_SECONDS);
          return FALSE;
        }
      opts->max_seconds = s;
    }
  if (args->ppm < -1000 || args->ppm > 1000)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--ppm: %d is out of range (-1000 to 1000)"), args->ppm);
      return FALSE;
    }

  opts->audio_path = args->audio_out;
  opts->audio_device = args->audio_device;
  /* Nothing chosen: the first dongle plugged in, else the demo. */
  const char *spec = args->source ? args->source : fer_device_default_spec ();
  if (fer_device_spec_is_rtl (spec))
    {
      g_autoptr (GError) rtl_error = NULL;
      plan->source = fer_device_open_rtl (spec, &rtl_error);
      if (plan->source != NULL)
        {
          if (args->source == NULL)
            plan->note = g_strdup_printf (_("receiving from %s"),
                                          fer_source_get_name (plan->source));
          return tune_source (args, plan, rate_hz, center_hz, error);
        }
      if (args->source != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&rtl_error));
          return FALSE;
        }
      /* A dongle the person did not ask for would not open: say why, and
       * play the demo instead. */
      plan->note = g_strdup_printf (_("%s; playing the demo dongle instead"),
                                    rtl_error->message);
      spec = FER_DEVICE_DEMO_SPEC;
    }
  else if (args->source == NULL)
    plan->note = g_strdup (_("no dongle is plugged in: playing the demo dongle"));

  if (strcmp (spec, "demo") == 0)
    {
      /* Headless into a file: as fast as the CPU allows. Otherwise the demo
       * keeps real time, like a dongle. */
      gboolean realtime = args->realtime || !args->headless || args->audio_out == NULL;
      plan->source = fer_source_demo_new (realtime, error);
      if (plan->source == NULL)
        return FALSE;
      if (!tune_source (args, plan, rate_hz, center_hz, error))
        return FALSE;
    }
  else if (g_str_has_prefix (spec, "file:"))
    {
      const char *path = spec + strlen ("file:");
      if (*path == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--source file: needs a path (file:PATH)"));
          return FALSE;
        }
      if (args->bias_tee || args->direct_sampling != NULL || args->offset_tuning)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--bias-tee, --direct-sampling and --offset-tuning need a dongle, "
                         "not a file"));
          return FALSE;
        }
      gboolean realtime = args->realtime || !args->headless;
      /* WAV and SigMF recordings say their own format, rate and centre. */
      FerSourceFileHints hints = { format, args->format != NULL, rate_hz, center_hz };
      plan->source = fer_source_file_open (path, &hints, realtime, error);
      if (plan->source == NULL)
        return FALSE;
      if (fer_source_file_get_note (plan->source) != NULL)
        plan->note = g_strdup (fer_source_file_get_note (plan->source));
    }
  else if (g_str_has_prefix (spec, "rtl_tcp:"))
    {
      /* Connects on its own thread once started: nothing waits here. */
      plan->source = fer_source_rtltcp_new (spec + strlen ("rtl_tcp:"), error);
      if (plan->source == NULL || !tune_source (args, plan, rate_hz, center_hz, error))
        return FALSE;
    }
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--source: unknown source '%s' (use rtl, rtl:N, rtl:SERIAL, demo, "
                     "file:PATH or rtl_tcp:HOST[:PORT])"), spec);
      return FALSE;
    }
  return TRUE;
}

/* --- headless ------------------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  int status;
  gboolean to_sound_card;
  FILE *rds_out;            /* NULL without --rds */
  char *rds_last;           /* owned; the last line written */
} Headless;

/* One line of JSON each time what RDS shows changes. */
static void
print_rds (FerReceiver *receiver, Headless *h)
{
  FerRdsState state;
  fer_receiver_get_rds (receiver, &state);
  g_autofree char *json = fer_rds_state_dup_json (&state);
  if (strcmp (json, "{}") == 0 || g_strcmp0 (json, h->rds_last) == 0)
    return;
  fprintf (h->rds_out, "%s\n", json);
  fflush (h->rds_out);
  g_free (h->rds_last);
  h->rds_last = g_steal_pointer (&json);
}

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
    case FER_RECEIVER_EVENT_DEVICE:
      /* Unplugged or back: the stream waits for the same dongle. */
      if (message != NULL)
        fprintf (stderr, "ferrite: %s\n", message);
      break;
    case FER_RECEIVER_EVENT_RDS:
      if (h->rds_out != NULL)
        print_rds (receiver, h);
      break;
    }
}

/* --stats: one line a second, what a window's status bar would show. */
static gboolean
print_stats (gpointer user_data)
{
  FerReceiver *receiver = user_data;
  FerReceiverStats stats;
  fer_receiver_get_stats (receiver, &stats);
  g_autofree char *device = fer_receiver_dup_audio_device (receiver);
  if (stats.to_file)
    fprintf (stderr, "ferrite: stats: %" G_GUINT64_FORMAT " blocks, %" G_GUINT64_FORMAT
             " dropped\n", stats.n_blocks, stats.n_dropped);
  else if (device == NULL)
    fprintf (stderr, "ferrite: stats: audio %s, %" G_GUINT64_FORMAT " blocks, %"
             G_GUINT64_FORMAT " dropped\n",
             stats.audio_state == FER_AUDIO_STATE_FAILED ? "lost" : "off",
             stats.n_blocks, stats.n_dropped);
  else
    fprintf (stderr, "ferrite: stats: audio on \"%s\": latency %.0f ms (ring %.0f + device "
             "%.0f), drift %+.1f ppm, %" G_GUINT64_FORMAT " underruns, %" G_GUINT64_FORMAT
             " xruns, %" G_GUINT64_FORMAT " overruns, %" G_GUINT64_FORMAT " discarded; %"
             G_GUINT64_FORMAT " blocks, %" G_GUINT64_FORMAT " dropped\n",
             device, stats.audio_latency_s * 1e3, stats.audio_ring_s * 1e3,
             stats.audio_device_s * 1e3, stats.audio_drift_ppm, stats.n_underruns,
             stats.n_audio_xruns, stats.n_overruns, stats.n_audio_discarded, stats.n_blocks,
             stats.n_dropped);
  return G_SOURCE_CONTINUE;
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
  FILE *rds_out = NULL;
  if (plan->rds && plan->options.mode != FER_MODE_WFM && plan->options.mode != FER_MODE_WFM_STEREO)
    return usage_error (_("--rds needs --mode wfm or wfm-stereo"));
  if (plan->rds)
    {
      if (plan->rds_path == NULL)
        rds_out = stderr;
      else if (strcmp (plan->rds_path, "-") == 0)
        rds_out = stdout;
      else if ((rds_out = fopen (plan->rds_path, "w")) == NULL)
        return usage_error (_("--rds: cannot write %s: %s"), plan->rds_path, g_strerror (errno));
    }
  FerReceiver *receiver = fer_receiver_new (g_steal_pointer (&plan->source), &plan->options,
                                            &error);
  if (receiver == NULL)
    {
      if (rds_out != NULL && rds_out != stderr && rds_out != stdout)
        fclose (rds_out);
      return usage_error ("%s", error->message);
    }

  Headless h = { g_main_loop_new (NULL, FALSE), 0, plan->options.audio_path == NULL, rds_out,
                 NULL };
  fer_receiver_set_event_func (receiver, on_headless_event, &h);
  guint sigint = g_unix_signal_add (SIGINT, on_signal, &h);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, &h);

  FerServices *services = fer_services_new (receiver, &plan->services, &error);
  if (services == NULL)
    {
      fprintf (stderr, "ferrite: %s\n", error->message);
      h.status = 1;
    }
  else if (!fer_receiver_start (receiver, &error))
    {
      fprintf (stderr, "ferrite: %s\n", error->message);
      h.status = 1;
    }
  else
    {
      if (plan->note != NULL)
        fprintf (stderr, "ferrite: %s\n", plan->note);
      guint stats_timer = plan->stats ? g_timeout_add_seconds (1, print_stats, receiver) : 0;
      g_main_loop_run (h.loop);
      if (stats_timer != 0)
        {
          print_stats (receiver);
          g_source_remove (stats_timer);
        }
    }

  if (!fer_receiver_stop (receiver, &error))
    {
      fprintf (stderr, "ferrite: %s\n", error->message);
      h.status = 1;
    }
  g_clear_error (&error);
  if (services != NULL && !fer_services_stop (services, &error))
    {
      fprintf (stderr, "ferrite: %s\n", error->message);
      h.status = 1;
    }
  FerReceiverStats stats;
  fer_receiver_get_stats (receiver, &stats);
  if (stats.n_dropped > 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, stats.n_dropped);
      fprintf (stderr, "ferrite: ");
      fprintf (stderr, ngettext ("%s block was dropped", "%s blocks were dropped",
                                 (unsigned long) MIN (stats.n_dropped, G_MAXULONG)),
               count);
      fprintf (stderr, "\n");
    }

  if (rds_out != NULL)
    {
      /* What came after the loop stopped. */
      print_rds (receiver, &h);
      if (ferror (rds_out) || (rds_out != stderr && rds_out != stdout && fclose (rds_out) != 0))
        {
          fprintf (stderr, "ferrite: %s\n", _("--rds: writing the RDS output failed"));
          h.status = 1;
        }
      g_free (h.rds_last);
    }
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
      opts.audio_device = args->audio_device;
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
  /* What the command line chose wins over what the window remembers. */
  const char *fixed[16];
  guint n_fixed = 0;
  if (args->source != NULL)
    fixed[n_fixed++] = "source";
  if (args->freq != NULL)
    fixed[n_fixed++] = "frequency-hz";
  if (args->mode != NULL)
    fixed[n_fixed++] = "mode";
  if (args->gain != NULL)
    fixed[n_fixed++] = "gain-db";
  if (args->bandwidth != NULL)
    fixed[n_fixed++] = "bandwidth-hz";
  if (args->ppm != 0)
    fixed[n_fixed++] = "ppm";
  if (args->squelch != NULL)
    fixed[n_fixed++] = "squelch-mode";
  if (args->agc != NULL)
    fixed[n_fixed++] = "agc";
  if (args->deemphasis != NULL)
    fixed[n_fixed++] = "deemphasis-us";
  fixed[n_fixed] = NULL;
  fer_application_set_fixed_settings (app, fixed);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* --- main ----------------------------------------------------------------- */

/* Messages in the person's language. The catalogues are installed under
 * FER_LOCALEDIR; $FERRITE_LOCALEDIR points a binary in the build folder at
 * the catalogues built beside it. */
static void
init_i18n (void)
{
  const char *dir = g_getenv ("FERRITE_LOCALEDIR");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : FER_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static void
list_devices (void)
{
  g_autoptr (GPtrArray) devices = fer_device_list_new ();
  for (guint i = 0; i < devices->len; i++)
    {
      const FerDeviceInfo *d = devices->pdata[i];
      if (d->kind == FER_DEVICE_KIND_DEMO)
        {
          printf ("%-16s %s\n", d->spec,
                  _("Demo dongle (emulated RTL2832U + R820T) -- always available"));
          continue;
        }
      printf ("%-16s %s -- %s\n", d->spec, d->label, d->detail);
      if (d->problem != NULL)
        printf ("%-16s %s\n", "", d->problem->message);
    }
}

/* --list-audio-devices: index, name and API of each output, the default
 * and the remembered choice marked. */
static int
list_audio_devices (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = fer_audio_list_devices (10, &error);
  if (devices == NULL)
    {
      fprintf (stderr, "ferrite: %s\n", error->message);
      return 1;
    }
  if (devices->len == 0)
    {
      printf ("%s\n", _("No audio output device found"));
      return 0;
    }
  g_autofree char *chosen = fer_audio_choice_load (NULL);
  for (guint i = 0; i < devices->len; i++)
    {
      const FerAudioDevice *d = devices->pdata[i];
      printf ("%3d  %s (%s, %d channels)%s%s\n", d->index, d->name, d->host_api,
              d->max_channels, d->is_default ? _(" [default]") : "",
              g_strcmp0 (chosen, d->name) == 0 ? _(" [chosen]") : "");
    }
  if (chosen != NULL && fer_audio_devices_find (devices, chosen) == NULL)
    printf (_("The chosen device \"%s\" is not there; the default plays instead\n"), chosen);
  return 0;
}

int
main (int argc, char **argv)
{
  init_i18n ();

  Args args = { 0 };
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &args.headless,
      N_("Run without a window (for scripts); needs --audio-out or plays to the sound card"),
      NULL },
    { "source", 's', 0, G_OPTION_ARG_STRING, &args.source,
      N_("Where samples come from: rtl (a dongle: rtl:N or rtl:SERIAL picks one), demo, "
         "file:PATH (raw, WAV or SigMF) or rtl_tcp:HOST[:PORT] (a dongle shared on the "
         "network); default: the first dongle plugged in, else the demo"),
      N_("rtl[:N|SERIAL]|demo|file:PATH|rtl_tcp:HOST[:PORT]") },
    { "freq", 'f', 0, G_OPTION_ARG_STRING, &args.freq,
      N_("Frequency to listen to, e.g. 96.3M (default 100M)"), N_("HZ") },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &args.mode,
      N_("Demodulator: wfm (default), wfm-stereo, nfm, am, am-sync, usb, lsb, cw, dsb, or raw "
         "(IQ at the channel rate, cf32, to --audio-out)"),
      N_("MODE") },
    { "bandwidth", 'b', 0, G_OPTION_ARG_STRING, &args.bandwidth,
      N_("Filter bandwidth (defaults: wfm 200k, nfm 12.5k, am 10k, usb/lsb 2.8k, cw 500)"),
      N_("HZ") },
    { "deemphasis", 0, 0, G_OPTION_ARG_STRING, &args.deemphasis,
      N_("FM de-emphasis in microseconds: 50 (default), 75 or 0"), N_("50|75|0") },
    { "squelch", 0, 0, G_OPTION_ARG_STRING, &args.squelch,
      N_("Mute below this channel level in dBFS, or below this SNR with snr:DB"), N_("DB") },
    { "agc", 0, 0, G_OPTION_ARG_STRING, &args.agc,
      N_("Audio AGC for AM, SSB and CW: fast, medium (default), slow or off"),
      N_("fast|medium|slow|off") },
    { "rate", 'r', 0, G_OPTION_ARG_STRING, &args.rate,
      N_("Sample rate (default 2.4M); a dongle takes 225k-300k or 900k-3.2M"), N_("SPS") },
    { "center", 'c', 0, G_OPTION_ARG_STRING, &args.center,
      N_("Centre frequency of the band (default: --freq); for a file, where it was recorded"),
      N_("HZ") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &args.format,
      N_("Sample format of a file: cu8 (default), cs8, cs16 or cf32"), N_("FORMAT") },
    { "gain", 'g', 0, G_OPTION_ARG_STRING, &args.gain, N_("Tuner gain in dB, or auto (default)"),
      N_("DB|auto") },
    { "ppm", 'p', 0, G_OPTION_ARG_INT, &args.ppm, N_("Crystal frequency correction in ppm"),
      N_("N") },
    { "bias-tee", 0, 0, G_OPTION_ARG_NONE, &args.bias_tee,
      N_("Power an active antenna or LNA through the dongle's bias tee"), NULL },
    { "direct-sampling", 0, 0, G_OPTION_ARG_STRING, &args.direct_sampling,
      N_("HF (0-28.8 MHz) without the tuner: q or i samples that ADC input; auto (default) "
         "uses q below the tuner's range; off never"),
      N_("i|q|auto|off") },
    { "offset-tuning", 0, 0, G_OPTION_ARG_NONE, &args.offset_tuning,
      N_("Keep the tuner's DC spike off the signal (E4000, FC0012, FC0013, FC2580)"), NULL },
    { "seconds", 't', 0, G_OPTION_ARG_STRING, &args.seconds,
      N_("Stop after this many seconds of signal (not wall time)"), N_("S") },
    { "audio-out", 'o', 0, G_OPTION_ARG_FILENAME, &args.audio_out,
      N_("Write 48 kHz 16-bit WAV audio to FILE (- = stdout) instead of the sound card"),
      N_("FILE") },
    { "rds", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, parse_rds_option,
      N_("Headless, wfm modes: print what RDS decodes (station name, radiotext, ...) as one "
         "JSON line per change to stderr, or to FILE (- = stdout)"), N_("[FILE]") },
    { "realtime", 0, 0, G_OPTION_ARG_NONE, &args.realtime,
      N_("Headless: read files and the demo at real-time pace"), NULL },
    { "list-devices", 0, 0, G_OPTION_ARG_NONE, &args.list_devices,
      N_("List the receivers Ferrite can open and exit"), NULL },
    { "audio-device", 0, 0, G_OPTION_ARG_STRING, &args.audio_device,
      N_("Play on this audio output (a name or an index from --list-audio-devices; "
         "remembered); default: the one chosen last, else the system's default"),
      N_("NAME|INDEX") },
    { "list-audio-devices", 0, 0, G_OPTION_ARG_NONE, &args.list_audio_devices,
      N_("List the audio outputs and exit"), NULL },
    { "iq-out", 0, 0, G_OPTION_ARG_FILENAME, &args.iq_out,
      N_("Headless: record the IQ stream to FILE: .wav (with its centre frequency), "
         ".sigmf-meta or .sigmf-data (SigMF), or raw samples (.cu8, .cs16, .cf32, ...)"),
      N_("FILE") },
    { "iq-format", 0, 0, G_OPTION_ARG_STRING, &args.iq_format,
      N_("Sample format of --iq-out: cu8, cs8, cs16 or cf32 (default: from the file name, "
         "else what the source sends)"), N_("FORMAT") },
    { "udp-audio", 0, 0, G_OPTION_ARG_STRING, &args.udp_audio,
      N_("Headless: also send the audio to HOST:PORT over UDP (48 kHz 16-bit, 1024-byte "
         "datagrams, e.g. for nc -lu or a decoder)"), N_("HOST:PORT") },
    { "udp-stereo", 0, 0, G_OPTION_ARG_NONE, &args.udp_stereo,
      N_("Send --udp-audio as interleaved stereo (default: mono, the left channel)"), NULL },
    { "rigctl", 0, 0, G_OPTION_ARG_STRING, &args.rigctl,
      N_("Headless: take rigctl remote control (as gqrx does, e.g. from Hamlib's rigctl -m 2) "
         "on PORT, on 127.0.0.1 unless an address is given"), N_("[ADDR:]PORT") },
    { "serve-rtl-tcp", 0, 0, G_OPTION_ARG_STRING, &args.serve_rtl_tcp,
      N_("Headless: share the source with rtl_tcp clients on PORT (one at a time), on "
         "127.0.0.1 unless an address is given"), N_("[ADDR:]PORT") },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &args.stats,
      N_("Headless: print the audio latency, drift and dropouts every second"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &args.version, N_("Print the version and exit"),
      NULL },
    { NULL },
  };

  /* GOption translates these texts itself, through the domain set here. */
  g_autoptr (GOptionContext) ctx = g_option_context_new (N_("- receiver for RTL-SDR dongles"));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx,
    N_("Opens a window with a live spectrum and waterfall; starts on the built-in demo\n"
       "dongle when no hardware is chosen. With --headless it demodulates into a WAV file.\n"
       "Frequencies take suffixes: 96.3M, 500k, 1.09G."));
  g_option_context_set_description (ctx,
    N_("Examples:\n"
       "  ferrite                                    the window, on the demo dongle\n"
       "  ferrite --headless --source demo --freq 100M --seconds 5 --audio-out out.wav\n"
       "  ferrite --headless --source file:rec.cu8 --rate 2.4M --center 100M --freq 100.2M -o -\n"
       "\n"
       "Exit status: 0 done, 1 the device or an output failed, 2 bad arguments or input."));
  /* The main group carries &args for the callback options (--rds). */
  GOptionGroup *main_group = g_option_group_new (NULL, NULL, NULL, &args, NULL);
  g_option_group_add_entries (main_group, entries);
  g_option_group_set_translation_domain (main_group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (ctx, main_group);

  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      int rc = usage_error (_("%s (see --help)"), error->message);
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
  if (args.list_audio_devices)
    {
      int rc = list_audio_devices ();
      args_clear (&args);
      return rc;
    }
  if (argc > 1)
    {
      int rc = usage_error (_("unexpected argument '%s' (see --help)"), argv[1]);
      args_clear (&args);
      return rc;
    }

  Plan plan = { 0 };
  int rc;
  plan.rds = args.rds;
  plan.stats = args.stats;
  plan.rds_path = args.rds_path;
  plan.services.iq_out = args.iq_out;
  plan.services.iq_format = args.iq_format;
  plan.services.udp_audio = args.udp_audio;
  plan.services.udp_stereo = args.udp_stereo;
  plan.services.rigctl = args.rigctl;
  plan.services.serve_rtl_tcp = args.serve_rtl_tcp;
  if (args.rds && !args.headless)
    rc = usage_error (_("--rds works with --headless (the window shows RDS itself)"));
  else if (!args.headless && (args.iq_out != NULL || args.udp_audio != NULL
                              || args.rigctl != NULL || args.serve_rtl_tcp != NULL))
    rc = usage_error (_("--iq-out, --udp-audio, --rigctl and --serve-rtl-tcp work with "
                        "--headless"));
  else if (!make_plan (&args, &plan, &error))
    {
      /* A dongle that is there but will not open (permission, busy, ...)
       * is a device failure, not a bad argument. */
      gboolean device_failed = error->domain == FER_DEVICE_ERROR
                               && error->code != FER_DEVICE_ERROR_INVALID
                               && error->code != FER_DEVICE_ERROR_NOT_FOUND;
      if (args.headless)
        rc = device_failed ? (fprintf (stderr, "ferrite: %s\n", error->message), 1)
                           : usage_error ("%s", error->message);
      else
        rc = run_window (&args, &plan, error->message, argc, argv);
    }
  else if (args.headless)
    rc = run_headless (&plan);
  else
    rc = run_window (&args, &plan, NULL, argc, argv);

  g_clear_pointer (&plan.source, fer_source_free);
  g_free (plan.note);
  args_clear (&args);
  return rc;
}
