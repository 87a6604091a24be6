/* test-flatpak.c - an offline lint of flatpak/<app id>.json: valid JSON, the
 * app id of the metainfo and the desktop file, the GNOME runtime, the
 * permissions a dongle, sound, the display and rtl_tcp need, the libraries
 * built as modules (FFTW in single precision with SIMD), and every
 * downloaded source pinned by a sha256 (or a git commit).
 *
 * Environment: G_TEST_SRCDIR = tests/.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#define APP_ID "io.github.ferrite_sdr.Ferrite"

static JsonParser *parser;
static JsonObject *manifest;

static char *
source_path (const char *first, ...)
{
  g_autofree char *top = g_test_build_filename (G_TEST_DIST, "..", NULL);
  va_list ap;
  va_start (ap, first);
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  g_ptr_array_add (parts, top);
  for (const char *p = first; p != NULL; p = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static gboolean
array_has_string (JsonArray *array, const char *s)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (n) && g_strcmp0 (json_node_get_string (n), s) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_hex (const char *s, gsize len)
{
  if (s == NULL || strlen (s) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (s[i]) || g_ascii_isupper (s[i]))
      return FALSE;
  return TRUE;
}

static JsonObject *
find_module (const char *name)
{
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonNode *n = json_array_get_element (modules, i);
      if (JSON_NODE_HOLDS_OBJECT (n)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (n),
                                                                      "name", NULL), name) == 0)
        return json_node_get_object (n);
    }
  return NULL;
}

static void
test_parses (void)
{
  g_assert_nonnull (manifest);
  g_assert_true (json_object_has_member (manifest, "modules"));
}

static void
test_app_id_matches_metainfo_and_desktop (void)
{
  const char *id = json_object_get_string_member_with_default (manifest, "id", NULL);
  if (id == NULL)
    id = json_object_get_string_member_with_default (manifest, "app-id", NULL);
  g_assert_cmpstr (id, ==, APP_ID);

  /* The metainfo's <id> and launchable, and a desktop file of that name. */
  g_autofree char *meta_path = source_path ("data", APP_ID ".metainfo.xml.in", NULL);
  g_autofree char *meta = NULL;
  g_assert_true (g_file_get_contents (meta_path, &meta, NULL, NULL));
  g_autofree char *id_tag = g_strdup_printf ("<id>%s</id>", id);
  g_assert_nonnull (strstr (meta, id_tag));
  g_autofree char *launchable = g_strdup_printf ("<launchable type=\"desktop-id\">%s.desktop<",
                                                 id);
  g_assert_nonnull (strstr (meta, launchable));
  g_autofree char *desktop_name = g_strdup_printf ("%s.desktop.in", id);
  g_autofree char *desktop = source_path ("data", desktop_name, NULL);
  g_assert_true (g_file_test (desktop, G_FILE_TEST_IS_REGULAR));
  g_autofree char *desktop_text = NULL;
  g_assert_true (g_file_get_contents (desktop, &desktop_text, NULL, NULL));
  g_autofree char *icon = g_strdup_printf ("\nIcon=%s\n", id);
  g_assert_nonnull (strstr (desktop_text, icon));

  /* The manifest is named after the id too. */
  g_autofree char *self = source_path ("flatpak", APP_ID ".json", NULL);
  g_assert_true (g_file_test (self, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (json_object_get_string_member_with_default (manifest, "command", NULL), ==,
                   "ferrite");
}

static void
test_gnome_runtime (void)
{
  g_assert_cmpstr (json_object_get_string_member_with_default (manifest, "runtime", NULL), ==,
                   "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member_with_default (manifest, "sdk", NULL), ==,
                   "org.gnome.Sdk");
  const char *version = json_object_get_string_member_with_default (manifest,
                                                                    "runtime-version", "");
  /* A numbered release (not "master"), with GTK >= 4.8 and GLib >= 2.74. */
  char *end = NULL;
  gint64 v = g_ascii_strtoll (version, &end, 10);
  g_assert_true (end != version && *end == '\0');
  g_assert_cmpint (v, >=, 45);
}

static void
test_finish_args (void)
{
  JsonArray *args = json_object_get_array_member (manifest, "finish-args");
  g_assert_nonnull (args);
  static const char *const required[] = {
    "--device=all",            /* the dongle, through libusb */
    "--socket=pulseaudio",     /* sound */
    "--socket=wayland", "--socket=fallback-x11", "--share=ipc",  /* the window */
    "--share=network",         /* rtl_tcp, and libusb's hot-plug netlink socket */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    if (!array_has_string (args, required[i]))
      g_error ("finish-args lacks %s", required[i]);
  /* Nothing broader than that: no whole-home or host file access. */
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *a = json_array_get_string_element (args, i);
      g_assert_false (g_str_has_prefix (a, "--filesystem=host"));
      g_assert_false (g_str_has_prefix (a, "--filesystem=home"));
      g_assert_cmpstr (a, !=, "--socket=x11");
    }
}

static void
check_source (const char *module, JsonObject *src)
{
  const char *type = json_object_get_string_member_with_default (src, "type", "");
  if (strcmp (type, "archive") == 0 || strcmp (type, "file") == 0)
    {
      const char *url = json_object_get_string_member_with_default (src, "url", NULL);
      if (url == NULL || !g_str_has_prefix (url, "https://"))
        g_error ("module %s: source without an https url", module);
      const char *sha = json_object_get_string_member_with_default (src, "sha256", NULL);
      if (!is_hex (sha, 64))
        g_error ("module %s: %s is not pinned by a sha256 (got '%s')", module, url,
                 sha ? sha : "(none)");
    }
  else if (strcmp (type, "git") == 0)
    {
      const char *commit = json_object_get_string_member_with_default (src, "commit", NULL);
      if (!is_hex (commit, 40))
        g_error ("module %s: git source not pinned by a commit", module);
    }
  else if (strcmp (type, "dir") == 0)
    {
      /* Ferrite itself, from this checkout. */
      g_assert_cmpstr (module, ==, "ferrite");
      g_autofree char *flatpak_dir = source_path ("flatpak", NULL);
      g_autofree char *dir = g_build_filename (flatpak_dir,
                                               json_object_get_string_member (src, "path"),
                                               "meson.build", NULL);
      g_assert_true (g_file_test (dir, G_FILE_TEST_IS_REGULAR));
    }
  else if (strcmp (type, "patch") != 0 && strcmp (type, "shell") != 0)
    g_error ("module %s: source of unexpected type '%s'", module, type);
}

static void
test_every_module_pinned (void)
{
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  g_assert_nonnull (modules);
  guint n = json_array_get_length (modules);
  g_assert_cmpuint (n, >=, 4);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (modules, i);
      /* an external module file could not be checked here */
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      JsonObject *m = json_node_get_object (node);
      const char *name = json_object_get_string_member_with_default (m, "name", NULL);
      g_assert_nonnull (name);
      JsonArray *sources = json_object_get_array_member (m, "sources");
      g_assert_nonnull (sources);
      g_assert_cmpuint (json_array_get_length (sources), >=, 1);
      for (guint j = 0; j < json_array_get_length (sources); j++)
        check_source (name, json_array_get_object_element (sources, j));
    }
  /* Ferrite comes last, built with meson, on top of the libraries. */
  JsonObject *last = json_array_get_object_element (modules, n - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "name"), ==, "ferrite");
  g_assert_cmpstr (json_object_get_string_member_with_default (last, "buildsystem", ""), ==,
                   "meson");
}

static JsonArray *
arch_config_opts (JsonObject *module, const char *arch)
{
  if (!json_object_has_member (module, "build-options"))
    return NULL;
  JsonObject *bo = json_object_get_object_member (module, "build-options");
  if (!json_object_has_member (bo, "arch"))
    return NULL;
  JsonObject *arches = json_object_get_object_member (bo, "arch");
  if (!json_object_has_member (arches, arch))
    return NULL;
  JsonObject *a = json_object_get_object_member (arches, arch);
  return json_object_has_member (a, "config-opts")
    ? json_object_get_array_member (a, "config-opts") : NULL;
}

/* The GNOME runtime has none of these: each is a module. FFTW is built for
 * what Ferrite links (fftw3f: single precision) with its SIMD kernels. */
static void
test_library_modules (void)
{
  JsonObject *usb = find_module ("libusb");
  JsonObject *fftw = find_module ("fftw3f");
  JsonObject *pa = find_module ("portaudio");
  g_assert_nonnull (usb);
  g_assert_nonnull (fftw);
  g_assert_nonnull (pa);

  JsonArray *opts = json_object_get_array_member (fftw, "config-opts");
  g_assert_true (array_has_string (opts, "--enable-float"));
  g_assert_true (array_has_string (opts, "--enable-shared"));
  JsonArray *x86 = arch_config_opts (fftw, "x86_64");
  g_assert_true (array_has_string (x86, "--enable-sse2"));
  g_assert_true (array_has_string (x86, "--enable-avx"));
  g_assert_true (array_has_string (x86, "--enable-avx2"));
  /* SIMD flags of one architecture must not leak into another's build */
  g_assert_false (array_has_string (opts, "--enable-avx"));
  g_assert_true (array_has_string (arch_config_opts (fftw, "aarch64"), "--enable-neon"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_autofree char *path = source_path ("flatpak", APP_ID ".json", NULL);
  g_autoptr (GError) error = NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s is not valid JSON: %s", path, error->message);
  JsonNode *root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  manifest = json_node_get_object (root);

  g_test_add_func ("/install/flatpak/is-json", test_parses);
  g_test_add_func ("/install/flatpak/app-id-matches-metainfo-and-desktop",
                   test_app_id_matches_metainfo_and_desktop);
  g_test_add_func ("/install/flatpak/gnome-runtime", test_gnome_runtime);
  g_test_add_func ("/install/flatpak/finish-args-for-usb-sound-display-network",
                   test_finish_args);
  g_test_add_func ("/install/flatpak/every-source-pinned", test_every_module_pinned);
  g_test_add_func ("/install/flatpak/libraries-as-modules-fftw-float-simd",
                   test_library_modules);
  int rc = g_test_run ();
  g_object_unref (parser);
  return rc;
}
