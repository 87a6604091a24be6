#define G_LOG_DOMAIN "fer-audio"

#include "device-choice.h"

#include <errno.h>

#define FOLDER "ferrite"
#define FILE_NAME "audio.ini"
#define GROUP "output"
#define KEY_DEVICE "device"

static char *
choice_path (const char *config_dir)
{
  return g_build_filename (config_dir != NULL ? config_dir : g_get_user_config_dir (), FOLDER,
                           FILE_NAME, NULL);
}

char *
fer_audio_choice_load (const char *config_dir)
{
  g_autofree char *path = choice_path (config_dir);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_message ("Ignoring the remembered audio output: %s: %s", path, error->message);
      return NULL;
    }
  char *device = g_key_file_get_string (file, GROUP, KEY_DEVICE, NULL);
  if (device != NULL && *device == '\0')
    g_clear_pointer (&device, g_free);
  return device;
}

gboolean
fer_audio_choice_save (const char *config_dir, const char *device_name, GError **error)
{
  g_autofree char *path = choice_path (config_dir);
  g_autofree char *folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "Could not create %s: %s", folder, g_strerror (errsv));
      return FALSE;
    }
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_key_file_set_comment (file, NULL, NULL,
                          " The audio output Ferrite plays on (empty: the default one)", NULL);
  g_key_file_set_string (file, GROUP, KEY_DEVICE, device_name != NULL ? device_name : "");
  gsize length;
  g_autofree char *data = g_key_file_to_data (file, &length, NULL);
  /* A temporary file beside it, renamed into place. */
  return g_file_set_contents (path, data, (gssize) length, error);
}
