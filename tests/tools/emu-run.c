/* emu-run - run a command with the emulated RTL-SDR dongle plugged in.
 *
 *   emu-run [OPTIONS] -- COMMAND [ARGS...]
 *
 * The command sees an RTL2832U + R820T (or another tuner) at /dev/bus/usb/001/002
 * through umockdev, so anything that uses libusb works against it unchanged:
 *   emu-run -- ferrite --source rtl
 *   emu-run --dump-registers regs.txt -- rtl_sdr -f 100M -s 2.4M -n 240000 out.cu8
 * The dongle streams in real time unless --unthrottled. Exit status: the
 * command's (128 + signal if it was killed), 77 when umockdev is missing,
 * 2 for bad options.
 *
 * Scene file (--scene), a key file; every key is optional:
 *   [scene]
 *   noise-floor = -133          dBFS/Hz at the reference gain
 *   default-emitters = true     also the demo scene's stations
 *   [emitter Beacon]            one group per emitter
 *   kind = carrier              carrier, am, nfm or wfm
 *   freq = 144.8M
 *   level = -30                 dBFS at the reference gain
 *   deviation = 5k              NFM peak deviation, WFM full-scale deviation
 *   tone = 1000                 modulating tone(s) in Hz, e.g. 440;880
 *   right-tone = 1500           WFM right channel
 *   note-seconds = 0.5          with several tones
 *   am-depth = 0.8
 *   audio-level = 0.8           WFM
 *   key-on = 1                  seconds on, then key-off seconds off
 *   key-off = 1
 */
#define G_LOG_DOMAIN "emu-run"

#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "emu-usbdevfs.h"

#define EXIT_SKIP  77
#define EXIT_USAGE 2

typedef struct {
  char *scene_path;
  char *tuner;
  char *serial;
  char *dump_path;
  double ppm;
  double unplug_after_s;
  double replug_after_s;
  double timeout_s;
  double interrupt_after_s;
  gboolean unthrottled;
  gboolean kernel_driver;
  gboolean refuse_detach;
  gboolean verbose;
} Options;

typedef struct {
  Options *opts;
  FerEmuUsbdevfs *server;
  GPtrArray *keep;            /* strings the scenes point to */
  GMainLoop *loop;
  GPid child;
  int child_status;
  gboolean child_done;
  gint dumped;                /* atomic: registers written */
  gint streamed;              /* atomic: the command has started streaming */
} Run;

static void
say (const Run *run, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
say (const Run *run, const char *format, ...)
{
  if (!run->opts->verbose)
    return;
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  fprintf (stderr, "[emu-run] %s\n", msg);
}

/* "100.1M", "5k", "433920000" */
static gboolean
parse_hz (const char *text, double *out)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text)
    return FALSE;
  switch (*end)
    {
    case 'k': case 'K': v *= 1e3; end++; break;
    case 'M': v *= 1e6; end++; break;
    case 'G': v *= 1e9; end++; break;
    default: break;
    }
  *out = v;
  return *end == '\0' && isfinite (v);
}

static gboolean
key_hz (GKeyFile *kf, const char *group, const char *key, double *out, GError **error)
{
  g_autofree char *text = g_key_file_get_string (kf, group, key, NULL);
  if (text == NULL)
    return TRUE;
  g_strstrip (text);
  if (!parse_hz (text, out))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[%s] %s: '%s' is not a frequency", group, key, text);
      return FALSE;
    }
  return TRUE;
}

static void
key_double (GKeyFile *kf, const char *group, const char *key, double *out)
{
  if (g_key_file_has_key (kf, group, key, NULL))
    *out = g_key_file_get_double (kf, group, key, NULL);
}

static gboolean
key_tune (GKeyFile *kf, const char *group, const char *key, FerTune *tune, GError **error)
{
  gsize n = 0;
  g_auto (GStrv) notes = g_key_file_get_string_list (kf, group, key, &n, NULL);
  if (notes == NULL)
    return TRUE;
  tune->n_notes = 0;
  for (gsize i = 0; i < n && tune->n_notes < FER_TUNE_MAX_NOTES; i++)
    {
      double hz;
      g_strstrip (notes[i]);
      if (!parse_hz (notes[i], &hz))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "[%s] %s: '%s' is not a frequency", group, key, notes[i]);
          return FALSE;
        }
      tune->notes_hz[tune->n_notes++] = (float) hz;
    }
  if (tune->note_s <= 0)
    tune->note_s = 0.5f;
  return TRUE;
}

static FerScene *
scene_load (const char *path, GPtrArray *keep, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    return NULL;

  double floor_dbfs_hz = FER_SCENE_DEFAULT_NOISE_FLOOR_DBFS_HZ;
  key_double (kf, "scene", "noise-floor", &floor_dbfs_hz);
  gboolean with_default = !g_key_file_has_key (kf, "scene", "default-emitters", NULL)
                          || g_key_file_get_boolean (kf, "scene", "default-emitters", NULL);
  FerScene *scene = fer_scene_new (floor_dbfs_hz);
  if (with_default)
    {
      guint n = 0;
      const FerEmitter *emitters = fer_scene_default_emitters (&n);
      for (guint i = 0; i < n; i++)
        fer_scene_add (scene, &emitters[i]);
    }

  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      if (!g_str_has_prefix (group, "emitter"))
        continue;
      FerEmitter e = { 0 };
      char *label = g_strstrip (g_strdup (group + strlen ("emitter")));
      g_ptr_array_add (keep, label);
      e.label = label;
      g_autofree char *kind = g_key_file_get_string (kf, group, "kind", NULL);
      if (kind == NULL || strcmp (kind, "carrier") == 0)
        e.kind = FER_EMITTER_CARRIER;
      else if (strcmp (kind, "am") == 0)
        e.kind = FER_EMITTER_AM;
      else if (strcmp (kind, "nfm") == 0)
        e.kind = FER_EMITTER_NFM;
      else if (strcmp (kind, "wfm") == 0)
        e.kind = FER_EMITTER_WFM_STEREO;
      else
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "[%s] kind: '%s' is not carrier, am, nfm or wfm", group, kind);
          fer_scene_free (scene);
          return NULL;
        }
      e.level_dbfs = -30;
      e.am_depth = 0.8;
      e.audio_level = 0.8;
      double note_s = 0.5;
      key_double (kf, group, "note-seconds", &note_s);
      e.left.note_s = e.right.note_s = (float) note_s;
      key_double (kf, group, "level", &e.level_dbfs);
      key_double (kf, group, "am-depth", &e.am_depth);
      key_double (kf, group, "audio-level", &e.audio_level);
      key_double (kf, group, "key-on", &e.key_on_s);
      key_double (kf, group, "key-off", &e.key_off_s);
      if (!key_hz (kf, group, "freq", &e.freq_hz, error)
          || !key_hz (kf, group, "deviation", &e.deviation_hz, error)
          || !key_tune (kf, group, "tone", &e.left, error)
          || !key_tune (kf, group, "right-tone", &e.right, error))
        {
          fer_scene_free (scene);
          return NULL;
        }
      if (e.freq_hz <= 0)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                       "[%s] needs freq", group);
          fer_scene_free (scene);
          return NULL;
        }
      fer_scene_add (scene, &e);
    }
  return scene;
}

static gboolean
parse_tuner (const char *name, FerEmuTunerType *type)
{
  static const struct { const char *name; FerEmuTunerType type; } tuners[] = {
    { "r820t", FER_EMU_TUNER_R820T },
    { "r828d", FER_EMU_TUNER_R828D },
    { "blog-v4", FER_EMU_TUNER_BLOG_V4 },
    { "e4000", FER_EMU_TUNER_E4000 },
  };
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (tuners); i++)
    if (strcmp (name, tuners[i].name) == 0)
      {
        *type = tuners[i].type;
        return TRUE;
      }
  return name == NULL;
}

static FerEmuDongle *
dongle_new (Run *run, GError **error)
{
  FerScene *scene = NULL;
  if (run->opts->scene_path != NULL)
    {
      scene = scene_load (run->opts->scene_path, run->keep, error);
      if (scene == NULL)
        return NULL;
    }
  FerEmuTunerType tuner = FER_EMU_TUNER_R820T;
  parse_tuner (run->opts->tuner, &tuner);
  FerEmuDongle *emu = fer_emu_dongle_new (tuner, scene);
  fer_emu_dongle_set_xtal_ppm (emu, run->opts->ppm);
  return emu;
}

static void
dump_registers (Run *run, FerEmuDongle *emu)
{
  if (!g_atomic_int_compare_and_exchange (&run->dumped, 0, 1))
    return;
  FerEmuRegisters regs;
  fer_emu_registers_read (emu, &regs);
  g_autofree char *text = fer_emu_registers_format (&regs);
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (run->opts->dump_path, text, -1, &error))
    fprintf (stderr, "emu-run: %s\n", error->message);
}

static gboolean on_unplug (gpointer user_data);

/* Main thread, once the command streams: the unplug timer starts. */
static gboolean
on_first_stream (gpointer user_data)
{
  Run *run = user_data;
  g_timeout_add ((guint) (run->opts->unplug_after_s * 1000), on_unplug, run);
  return G_SOURCE_REMOVE;
}

/* umockdev's worker thread: the command starts streaming. */
static void
on_stream (FerEmuDongle *emu, gpointer user_data)
{
  Run *run = user_data;
  if (run->opts->dump_path != NULL)
    dump_registers (run, emu);
  if (run->opts->unplug_after_s > 0 && g_atomic_int_compare_and_exchange (&run->streamed, 0, 1))
    g_idle_add (on_first_stream, run);
}

static void
on_child_exit (GPid pid, gint status, gpointer user_data)
{
  Run *run = user_data;
  run->child_status = status;
  run->child_done = TRUE;
  g_spawn_close_pid (pid);
  g_main_loop_quit (run->loop);
}

static gboolean
on_replug (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (GError) error = NULL;
  FerEmuDongle *emu = dongle_new (run, &error);
  if (emu != NULL)
    {
      fer_emu_usbdevfs_plug (run->server, emu, run->opts->serial);
      say (run, "plugged back in at %s", fer_emu_usbdevfs_get_node (run->server));
    }
  return G_SOURCE_REMOVE;
}

static gboolean
on_unplug (gpointer user_data)
{
  Run *run = user_data;
  fer_emu_usbdevfs_unplug (run->server);
  say (run, "unplugged");
  if (run->opts->replug_after_s > 0)
    g_timeout_add ((guint) (run->opts->replug_after_s * 1000), on_replug, run);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Run *run = user_data;
  fprintf (stderr, "emu-run: the command ran longer than %.0f s: killing it\n",
           run->opts->timeout_s);
  kill (run->child, SIGKILL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_interrupt (gpointer user_data)
{
  Run *run = user_data;
  say (run, "interrupting the command");
  kill (run->child, SIGINT);
  return G_SOURCE_REMOVE;
}

static gboolean
forward_signal (gpointer user_data)
{
  Run *run = user_data;
  kill (run->child, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
forward_term (gpointer user_data)
{
  Run *run = user_data;
  kill (run->child, SIGTERM);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  if (!fer_emu_usbdevfs_reexec_under_preload (argv))
    {
      fprintf (stderr, "emu-run: umockdev's preload library (package umockdev) is missing\n");
      return EXIT_SKIP;
    }

  /* Our options end at "--"; the command follows. */
  int split = 1;
  while (split < argc && strcmp (argv[split], "--") != 0)
    split++;
  if (split >= argc - 1)
    {
      fprintf (stderr, "usage: emu-run [OPTIONS] -- COMMAND [ARGS...] (see --help)\n");
      if (split < argc || argc < 2 || (strcmp (argv[1], "--help") != 0
                                       && strcmp (argv[1], "-h") != 0))
        return EXIT_USAGE;
    }

  Options opts = { .timeout_s = 0 };
  const GOptionEntry entries[] = {
    { "scene", 0, 0, G_OPTION_ARG_FILENAME, &opts.scene_path,
      "What the dongle receives (key file, see the source's header)", "FILE" },
    { "tuner", 0, 0, G_OPTION_ARG_STRING, &opts.tuner,
      "r820t (default), r828d, blog-v4 (an R828D on an RTL-SDR Blog V4) or e4000", "TUNER" },
    { "serial", 0, 0, G_OPTION_ARG_STRING, &opts.serial, "USB serial (default 00000001)",
      "TEXT" },
    { "ppm", 0, 0, G_OPTION_ARG_DOUBLE, &opts.ppm, "Crystal error of the dongle", "PPM" },
    { "unthrottled", 0, 0, G_OPTION_ARG_NONE, &opts.unthrottled,
      "Stream as fast as the command reads, not in real time", NULL },
    { "kernel-driver", 0, 0, G_OPTION_ARG_NONE, &opts.kernel_driver,
      "The kernel's DVB driver holds the dongle until detached", NULL },
    { "refuse-detach", 0, 0, G_OPTION_ARG_NONE, &opts.refuse_detach,
      "With --kernel-driver: detaching it fails", NULL },
    { "dump-registers", 0, 0, G_OPTION_ARG_FILENAME, &opts.dump_path,
      "Write the demodulator and tuner registers to FILE when the command starts "
      "streaming (or at exit if it never does)", "FILE" },
    { "unplug-after", 0, 0, G_OPTION_ARG_DOUBLE, &opts.unplug_after_s,
      "Pull the dongle out S seconds after the command starts streaming", "S" },
    { "replug-after", 0, 0, G_OPTION_ARG_DOUBLE, &opts.replug_after_s,
      "Plug it back in S seconds after pulling it out", "S" },
    { "interrupt-after", 0, 0, G_OPTION_ARG_DOUBLE, &opts.interrupt_after_s,
      "Send the command SIGINT (as ^C would) after S seconds", "S" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opts.timeout_s,
      "Kill the command after S seconds", "S" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opts.verbose, "Say what happens", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("-- COMMAND [ARGS...]");
  g_option_context_set_summary (ctx,
    "Runs COMMAND with an emulated RTL-SDR dongle plugged in (through umockdev).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  int own_argc = split;
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &own_argc, &argv, &error) || own_argc > 1)
    {
      fprintf (stderr, "emu-run: %s\n", error ? error->message : "unexpected argument");
      return EXIT_USAGE;
    }
  FerEmuTunerType tuner_type;
  if (!parse_tuner (opts.tuner, &tuner_type))
    {
      fprintf (stderr, "emu-run: --tuner: '%s' is not r820t, r828d, blog-v4 or e4000\n",
               opts.tuner);
      return EXIT_USAGE;
    }

  Run run = { .opts = &opts, .keep = g_ptr_array_new_with_free_func (g_free) };
  run.server = fer_emu_usbdevfs_new ();
  fer_emu_usbdevfs_set_realtime (run.server, !opts.unthrottled);
  fer_emu_usbdevfs_set_kernel_driver (run.server, opts.kernel_driver, opts.refuse_detach);
  if (opts.dump_path != NULL || opts.unplug_after_s > 0)
    fer_emu_usbdevfs_set_stream_func (run.server, on_stream, &run);
  FerEmuDongle *emu = dongle_new (&run, &error);
  if (emu == NULL)
    {
      fprintf (stderr, "emu-run: %s: %s\n", opts.scene_path, error->message);
      fer_emu_usbdevfs_free (run.server);
      return EXIT_USAGE;
    }
  fer_emu_usbdevfs_plug (run.server, emu, opts.serial);
  say (&run, "dongle at %s (UMOCKDEV_DIR=%s)", fer_emu_usbdevfs_get_node (run.server),
       g_getenv ("UMOCKDEV_DIR"));

  /* The environment is taken now, after the testbed set UMOCKDEV_DIR. */
  g_auto (GStrv) env = fer_emu_usbdevfs_child_environ ();
  char **command = argv + split + 1;
  if (!g_spawn_async (NULL, command, env,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                      | G_SPAWN_CHILD_INHERITS_STDIN,
                      NULL, NULL, &run.child, &error))
    {
      fprintf (stderr, "emu-run: %s\n", error->message);
      fer_emu_usbdevfs_free (run.server);
      return 127;
    }

  run.loop = g_main_loop_new (NULL, FALSE);
  g_child_watch_add (run.child, on_child_exit, &run);
  guint sigint = g_unix_signal_add (SIGINT, forward_signal, &run);
  guint sigterm = g_unix_signal_add (SIGTERM, forward_term, &run);
  if (opts.interrupt_after_s > 0)
    g_timeout_add ((guint) (opts.interrupt_after_s * 1000), on_interrupt, &run);
  if (opts.timeout_s > 0)
    g_timeout_add ((guint) (opts.timeout_s * 1000), on_timeout, &run);
  g_main_loop_run (run.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (opts.dump_path != NULL && fer_emu_usbdevfs_get_dongle (run.server) != NULL)
    dump_registers (&run, fer_emu_usbdevfs_get_dongle (run.server));

  int status = run.child_status;
  int rc = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  say (&run, "command ended with %d", rc);
  fer_emu_usbdevfs_free (run.server);
  g_main_loop_unref (run.loop);
  g_ptr_array_unref (run.keep);
  g_free (opts.scene_path);
  g_free (opts.tuner);
  g_free (opts.serial);
  g_free (opts.dump_path);
  return rc;
}
