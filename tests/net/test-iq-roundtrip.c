/* Round trips through the command line, as a person would make them: record
 * the demo dongle with --iq-out in each format, play the file back with
 * --source file:, hear the same station with the same 1 kHz tone.
 *
 * Recorded centred at 99.7 MHz and played at --freq 100M with no --center:
 * the station is heard only if the centre comes back from the file (WAV
 * auxi, SigMF capture); raw files are told it with --center. */
#include <glib/gstdio.h>
#include <string.h>

#include "net-test-util.h"

static char *tmp_dir;

typedef struct {
  const char *name;          /* file name */
  const char *iq_format;     /* --iq-format, or NULL */
  gsize expect_bytes;        /* size of the samples file */
  gboolean raw;
} Case;

/* 1 s at 2.4 MS/s. */
static const Case cases[] = {
  { "rec.cu8", NULL, 4800000, TRUE },
  { "rec.cs16", NULL, 9600000, TRUE },
  { "rec.cf32", NULL, 19200000, TRUE },
  { "rec8.wav", NULL, 4800000 + 216, FALSE },
  { "rec16.wav", "cs16", 9600000 + 216, FALSE },
  { "recf.wav", "cf32", 19200000 + 216, FALSE },
  { "rec8.sigmf-data", NULL, 4800000, FALSE },
  { "rec16.sigmf-meta", "cs16", 9600000, FALSE },
  { "recf.sigmf-data", "cf32", 19200000, FALSE },
};

static void
test_round_trip (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *path = g_build_filename (tmp_dir, c->name, NULL);
  g_autofree char *audio = g_build_filename (tmp_dir, "rec-audio.wav", NULL);
  g_autofree char *played = g_build_filename (tmp_dir, "played.wav", NULL);
  g_autofree char *errors = g_build_filename (tmp_dir, "stderr.txt", NULL);
  const char *bin = net_ferrite_bin ();

  const char *rec[] = { bin, "--headless", "--source", "demo", "--center", "99.7M", "--freq",
                        "100M", "--seconds", "1", "-o", audio, "--iq-out", path,
                        c->iq_format ? "--iq-format" : NULL, c->iq_format, NULL };
  int status = net_wait (net_spawn (rec, errors), 30000);
  g_autofree char *err = NULL;
  g_file_get_contents (errors, &err, NULL, NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);

  /* The samples file holds exactly 1 s; SigMF's meta file is beside it. */
  g_autofree char *samples = g_strdup (path);
  if (g_str_has_suffix (path, ".sigmf-meta") || g_str_has_suffix (path, ".sigmf-data"))
    {
      g_autofree char *stem = g_strndup (path, strlen (path) - strlen ("meta"));
      g_autofree char *meta = g_strconcat (stem, "meta", NULL);
      g_assert_true (g_file_test (meta, G_FILE_TEST_IS_REGULAR));
      g_free (samples);
      samples = g_strconcat (stem, "data", NULL);
    }
  GStatBuf st;
  g_assert_cmpint (g_stat (samples, &st), ==, 0);
  g_assert_cmpuint ((gsize) st.st_size, ==, c->expect_bytes);

  g_autofree char *source = g_strdup_printf ("file:%s", path);
  const char *play_raw[] = { bin, "--headless", "--source", source, "--center", "99.7M",
                             "--freq", "100M", "-o", played, NULL };
  const char *play[] = { bin, "--headless", "--source", source, "--freq", "100M", "-o",
                         played, NULL };
  status = net_wait (net_spawn (c->raw ? play_raw : play, errors), 30000);
  g_free (err);
  g_file_get_contents (errors, &err, NULL, NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  double sinad = net_assert_wav_tone (played, 1000, 40, 0.2);
  g_test_message ("%s: played back with %.1f dB SINAD", c->name, sinad);
}

/* Broken recordings: one line on stderr saying what is wrong, exit 2. */
static void
test_bad_recordings (void)
{
  static const struct { const char *name; const char *content; const char *expect; } bad[] = {
    { "cut.wav", "RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0", "fmt" },
    { "mono.wav", "RIFF\x2c\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x80\xbb\0\0\0\x77\x01\0\x02\0"
                  "\x10\0data\x04\0\0\0\0\0\0\0", "1 channel" },
    { "bad.sigmf-meta", "{\"global\": {\"core:datatype\": \"cu8\",, }", "not valid JSON" },
    { "odd.sigmf-meta", "{\"global\": {\"core:datatype\": \"cf64_le\", \"core:sample_rate\": 1e6}}",
      "cf64_le" },
  };
  const char *bin = net_ferrite_bin ();
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, bad[i].name, NULL);
      gsize len = bad[i].name[strlen (bad[i].name) - 1] == 'v' ? 44 : strlen (bad[i].content);
      if (strcmp (bad[i].name, "cut.wav") == 0)
        len = 24;
      g_assert_true (g_file_set_contents (path, bad[i].content, (gssize) len, NULL));
      g_autofree char *source = g_strdup_printf ("file:%s", path);
      g_autofree char *errors = g_build_filename (tmp_dir, "stderr.txt", NULL);
      g_autofree char *out = g_build_filename (tmp_dir, "never.wav", NULL);
      const char *argv[] = { bin, "--headless", "--source", source, "-o", out, NULL };
      int status = net_wait (net_spawn (argv, errors), 10000);
      g_autofree char *err = NULL;
      g_file_get_contents (errors, &err, NULL, NULL);
      g_test_message ("%s: %s", bad[i].name, err);
      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (err, bad[i].expect));
      g_assert_true (g_str_has_prefix (err, "ferrite: "));
      g_assert_nonnull (strchr (err, '\n'));
      g_assert_cmpint (strchr (err, '\n') - err, ==, (long) strlen (err) - 1);   /* one line */
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("ferrite-roundtrip-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/net/iq-roundtrip/%s", cases[i].name);
      g_test_add_data_func (name, &cases[i], test_round_trip);
    }
  g_test_add_func ("/net/iq-roundtrip/bad-recordings", test_bad_recordings);
  int rc = g_test_run ();
  net_rm_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
