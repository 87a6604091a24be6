/* Choosing an audio output: finding it by what a person types (an index or
 * a name), and the remembered choice in its small settings file. No sound
 * server needed. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "audio/device-choice.h"
#include "audio/sink.h"

static void
add_device (GPtrArray *devices, int index, const char *name, gboolean is_default)
{
  FerAudioDevice *d = g_new0 (FerAudioDevice, 1);
  d->index = index;
  d->name = g_strdup (name);
  d->host_api = g_strdup ("ALSA");
  d->max_channels = 2;
  d->is_default = is_default;
  g_ptr_array_add (devices, d);
}

static const char *
found_name (GPtrArray *devices, const char *spec)
{
  FerAudioDevice *d = fer_audio_devices_find (devices, spec);
  return d != NULL ? d->name : NULL;
}

static void
test_find (void)
{
  g_autoptr (GPtrArray) devices =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fer_audio_device_free);
  /* PortAudio's indices skip input-only devices: 3 is not the fourth. */
  add_device (devices, 0, "HDA Intel PCH: ALC892 Analog (hw:0,0)", FALSE);
  add_device (devices, 3, "USB Audio: Headset (hw:2,0)", FALSE);
  add_device (devices, 4, "pulse", FALSE);
  add_device (devices, 5, "default", TRUE);

  /* By index, as --list-audio-devices shows it. */
  g_assert_cmpstr (found_name (devices, "3"), ==, "USB Audio: Headset (hw:2,0)");
  g_assert_cmpstr (found_name (devices, "5"), ==, "default");
  g_assert_null (found_name (devices, "1"));
  g_assert_null (found_name (devices, "99"));
  /* By name: exact, then any case, then a part that only one name has. */
  g_assert_cmpstr (found_name (devices, "pulse"), ==, "pulse");
  g_assert_cmpstr (found_name (devices, "PULSE"), ==, "pulse");
  g_assert_cmpstr (found_name (devices, "headset"), ==, "USB Audio: Headset (hw:2,0)");
  g_assert_cmpstr (found_name (devices, "ALC892"), ==, "HDA Intel PCH: ALC892 Analog (hw:0,0)");
  /* "hw:" is in two names: not a choice. */
  g_assert_null (found_name (devices, "hw:"));
  g_assert_null (found_name (devices, "bluetooth"));
  g_assert_null (found_name (devices, ""));
  g_assert_null (found_name (devices, NULL));
}

static char *
choice_file (const char *dir)
{
  return g_build_filename (dir, "ferrite", "audio.ini", NULL);
}

static void
remove_dir (const char *dir)
{
  g_autofree char *file = choice_file (dir);
  g_autofree char *folder = g_path_get_dirname (file);
  g_unlink (file);
  g_rmdir (folder);
  g_rmdir (dir);
}

static void
test_remembers (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fer-choice-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;

  /* Nothing chosen yet: no file, no choice, no complaint. */
  g_assert_null (fer_audio_choice_load (dir));

  g_assert_true (fer_audio_choice_save (dir, "USB Audio: Headset (hw:2,0)", &error));
  g_assert_no_error (error);
  g_autofree char *loaded = fer_audio_choice_load (dir);
  g_assert_cmpstr (loaded, ==, "USB Audio: Headset (hw:2,0)");

  /* The file is a key file a person can read, and nothing else is left
   * beside it (it was written to a temporary name, then renamed). */
  g_autofree char *path = choice_file (dir);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "[output]\ndevice=USB Audio: Headset (hw:2,0)\n"));
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr (GDir) d = g_dir_open (folder, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (d), ==, "audio.ini");
  g_assert_null (g_dir_read_name (d));

  /* Back to the default: no choice. */
  g_assert_true (fer_audio_choice_save (dir, NULL, &error));
  g_assert_null (fer_audio_choice_load (dir));

  /* A damaged file is no choice, said once in the log, not a failure. */
  g_assert_true (g_file_set_contents (path, "device=\xff\xfe [[[", -1, NULL));
  g_test_expect_message ("fer-audio", G_LOG_LEVEL_MESSAGE, "Ignoring the remembered audio*");
  g_assert_null (fer_audio_choice_load (dir));
  g_test_assert_expected_messages ();
  remove_dir (dir);
}

static void
test_unwritable (void)
{
  /* Where no folder can be made: a plain file stands in the way. */
  g_autofree char *dir = g_dir_make_tmp ("fer-choice-XXXXXX", NULL);
  g_autofree char *blocker = g_build_filename (dir, "ferrite", NULL);
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  g_autoptr (GError) error = NULL;
  g_assert_false (fer_audio_choice_save (dir, "pulse", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
  g_assert_nonnull (strstr (error->message, blocker));
  g_test_message ("%s", error->message);
  g_unlink (blocker);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audio/device-choice/find-by-index-or-name", test_find);
  g_test_add_func ("/audio/device-choice/remembers-in-a-key-file", test_remembers);
  g_test_add_func ("/audio/device-choice/unwritable-is-an-error", test_unwritable);
  return g_test_run ();
}
