/* test-schema.c - the GSettings schema compiles strictly and its keys are
 * ones the window can use: the types it reads, defaults the rest of Ferrite
 * accepts (a colour map and a mode it knows, an FFT size it can plan).
 *
 * Environment: G_TEST_SRCDIR = tests/ (the schema is in ../data).
 */
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "dsp/channel.h"
#include "ui/colormap.h"

#define SCHEMA_ID "io.github.ferrite_sdr.Ferrite"

static char *tmp_dir;
static GSettingsSchema *schema;

/* Compiles data/ with --strict into a temporary folder and loads the schema. */
static void
compile_schema (void)
{
  g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "..", "data", NULL);
  g_autofree char *compiler = g_find_program_in_path ("glib-compile-schemas");
  if (compiler == NULL)
    return;   /* each test then skips */
  tmp_dir = g_dir_make_tmp ("ferrite-schema-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_autofree char *target = g_strdup_printf ("--targetdir=%s", tmp_dir);
  const char *argv[] = { compiler, "--strict", target, data_dir, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("glib-compile-schemas --strict failed:\n%s%s", out, err);
  /* --strict turns warnings into failures; nothing should even be said. */
  g_assert_cmpstr (err, ==, "");

  /* Summaries and descriptions are read from the XML beside the compiled
   * file, as in an installed schema folder. */
  g_autofree char *xml_src = g_build_filename (data_dir, SCHEMA_ID ".gschema.xml", NULL);
  g_autofree char *xml_dst = g_build_filename (tmp_dir, SCHEMA_ID ".gschema.xml", NULL);
  g_autofree char *xml = NULL;
  gsize xml_len = 0;
  g_assert_true (g_file_get_contents (xml_src, &xml, &xml_len, &error));
  g_assert_true (g_file_set_contents (xml_dst, xml, (gssize) xml_len, &error));

  GSettingsSchemaSource *source =
    g_settings_schema_source_new_from_directory (tmp_dir, NULL, FALSE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, SCHEMA_ID, FALSE);
  g_settings_schema_source_unref (source);
  g_assert_nonnull (schema);
}

static GVariant *
default_of (const char *key)
{
  g_autoptr (GSettingsSchemaKey) k = g_settings_schema_get_key (schema, key);
  return g_settings_schema_key_get_default_value (k);
}

static void
test_keys_and_types (void)
{
  if (schema == NULL)
    {
      g_test_skip ("glib-compile-schemas not found");
      return;
    }
  /* What the window reads and writes, with the GVariant type it uses. */
  static const struct { const char *name, *type; } keys[] = {
    { "source", "s" }, { "frequency-hz", "d" }, { "mode", "s" }, { "bandwidth-hz", "d" },
    { "gain-auto", "b" }, { "gain-db", "d" }, { "fft-size", "u" }, { "colormap", "s" },
    { "window-width", "i" }, { "window-height", "i" }, { "window-maximized", "b" },
    { "volume", "d" }, { "audio-device", "s" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_assert_true (g_settings_schema_has_key (schema, keys[i].name));
      g_autoptr (GSettingsSchemaKey) k = g_settings_schema_get_key (schema, keys[i].name);
      g_assert_cmpstr (g_variant_type_peek_string (g_settings_schema_key_get_value_type (k)), ==,
                       keys[i].type);
    }
  /* Every key, these and any the window added, explains itself in a
   * settings editor. */
  g_auto (GStrv) all = g_settings_schema_list_keys (schema);
  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autoptr (GSettingsSchemaKey) k = g_settings_schema_get_key (schema, all[i]);
      if (g_settings_schema_key_get_summary (k) == NULL
          || g_settings_schema_key_get_description (k) == NULL)
        g_error ("key '%s' has no summary or no description", all[i]);
    }
}

static void
test_defaults_are_accepted (void)
{
  if (schema == NULL)
    {
      g_test_skip ("glib-compile-schemas not found");
      return;
    }
  g_autoptr (GVariant) mode = default_of ("mode");
  FerMode m;
  g_assert_true (fer_mode_parse (g_variant_get_string (mode, NULL), &m));

  g_autoptr (GVariant) cmap = default_of ("colormap");
  g_assert_cmpstr (g_variant_get_string (cmap, NULL), ==,
                   fer_colormap_name (FER_COLORMAP_DEFAULT));

  g_autoptr (GVariant) fft = default_of ("fft-size");
  guint32 n = g_variant_get_uint32 (fft);
  g_assert_cmpuint (n & (n - 1), ==, 0);

  g_autoptr (GVariant) freq = default_of ("frequency-hz");
  g_assert_cmpfloat (g_variant_get_double (freq), ==, 100e6);
  g_autoptr (GVariant) volume = default_of ("volume");
  g_assert_cmpfloat (g_variant_get_double (volume), ==, 1.0);
  g_autoptr (GVariant) source = default_of ("source");
  g_assert_cmpstr (g_variant_get_string (source, NULL), ==, "demo");
}

/* The colour map key offers exactly the maps the waterfall can draw. */
static void
test_colormap_choices (void)
{
  if (schema == NULL)
    {
      g_test_skip ("glib-compile-schemas not found");
      return;
    }
  g_autoptr (GSettingsSchemaKey) k = g_settings_schema_get_key (schema, "colormap");
  g_autoptr (GVariant) range = g_settings_schema_key_get_range (k);
  const char *kind = NULL;
  g_autoptr (GVariant) values = NULL;
  g_variant_get (range, "(&sv)", &kind, &values);
  g_assert_cmpstr (kind, ==, "enum");

  gsize n = g_variant_n_children (values);
  g_assert_cmpuint (n, >=, 3);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) v = g_variant_get_child_value (values, i);
      const char *name = g_variant_get_string (v, NULL);
      FerColormapKind parsed;
      if (!fer_colormap_parse (name, &parsed))
        g_error ("the schema offers colour map '%s', which the waterfall does not know", name);
      g_assert_cmpstr (fer_colormap_name (parsed), ==, name);
    }
  /* ... and each map the waterfall knows is offered: the names are distinct,
   * so the kinds 0 .. n-1 map onto the n choices. */
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) name =
        g_variant_ref_sink (g_variant_new_string (fer_colormap_name ((FerColormapKind) i)));
      g_assert_true (g_settings_schema_key_range_check (k, name));
    }
  g_autoptr (GVariant) unknown = g_variant_ref_sink (g_variant_new_string ("rainbow"));
  g_assert_false (g_settings_schema_key_range_check (k, unknown));
}

static void
remove_tmp (void)
{
  if (tmp_dir == NULL)
    return;
  g_autofree char *compiled = g_build_filename (tmp_dir, "gschemas.compiled", NULL);
  g_autofree char *xml = g_build_filename (tmp_dir, SCHEMA_ID ".gschema.xml", NULL);
  g_unlink (compiled);
  g_unlink (xml);
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  compile_schema ();
  g_test_add_func ("/install/schema/keys-have-the-types-the-window-uses", test_keys_and_types);
  g_test_add_func ("/install/schema/defaults-are-accepted-by-ferrite", test_defaults_are_accepted);
  g_test_add_func ("/install/schema/colormap-choices-are-the-waterfall-maps",
                   test_colormap_choices);
  int rc = g_test_run ();
  g_clear_pointer (&schema, g_settings_schema_unref);
  remove_tmp ();
  return rc;
}
