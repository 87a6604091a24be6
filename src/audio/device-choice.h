/* device-choice.h - remembers which audio output the person chose.
 *
 * A small key file, <config dir>/ferrite/audio.ini:
 *
 *   [output]
 *   device=USB Audio: Headset (hw:2,0)
 *
 * written atomically (a temporary file renamed into place), so a crash
 * never leaves half a file. The window's settings may take this over later;
 * callers only see these two functions.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @config_dir: where the ferrite folder lives; NULL = g_get_user_config_dir ().
 * Returns the remembered device name, or NULL (none chosen, the default
 * output; or no file, or one that cannot be read, which is logged). */
char *fer_audio_choice_load (const char *config_dir);

/* Remembers @device_name (NULL = the default output). FALSE with @error if
 * the file could not be written. */
gboolean fer_audio_choice_save (const char *config_dir, const char *device_name,
                                GError **error);

G_END_DECLS
