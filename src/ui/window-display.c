/* window-display.c - FerWindow: the Display page, and what the settings remember.
 *
 * The Display page sets the spectrum (colours, FFT size, frame rate,
 * averaging, level range, tuning step, band plan). Settings: restored once
 * at start (keys the command line fixed are skipped), saved as they change.
 */
#define G_LOG_DOMAIN "fer-ui"

#include "window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "band-plan.h"

static const guint fft_sizes[] = { 1024, 2048, 4096, 8192, 16384, 32768, 65536 };
static const double snap_steps[] = {
  1, 10, 100, 500, 1e3, 2.5e3, 5e3, 6.25e3, 8.33e3, 9e3, 10e3, 12.5e3, 25e3, 50e3, 100e3, 200e3,
};

gboolean
fer_window_setting_is_fixed (FerWindow *self, const char *key)
{
  return self->fixed_keys != NULL && g_strv_contains ((const char *const *) self->fixed_keys, key);
}

/* The band plan */

void
fer_window_update_band_plan (FerWindow *self)
{
  const FerBandPlanEntry *entries;
  guint n = 0;
  g_autofree FerSpectrumBand *bands = NULL;

  if (self->band_plan)
    {
      n = fer_band_plan_get (self->region, &entries);
      bands = g_new (FerSpectrumBand, n);
      for (guint i = 0; i < n; i++)
        {
          float r, g, b;

          fer_band_kind_color (entries[i].kind, &r, &g, &b);
          bands[i] = (FerSpectrumBand) { entries[i].lo_hz, entries[i].hi_hz,
                                         fer_band_plan_entry_label (&entries[i]),
                                         { r, g, b, 1.f } };
        }
    }
  fer_spectrum_view_set_bands (self->spectrum_view, bands, n);
  gtk_widget_set_sensitive (GTK_WIDGET (self->region_dropdown), self->band_plan);
}

/* The controls */

static void
on_colormap_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i >= FER_COLORMAP_N_KINDS)
    return;
  fer_spectrum_view_set_colormap (self->spectrum_view, (FerColormapKind) i);
  if (fer_window_get_writable_settings (self))
    g_settings_set_string (self->settings, "colormap", fer_colormap_name ((FerColormapKind) i));
}

static void
on_fft_size_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i >= G_N_ELEMENTS (fft_sizes))
    return;
  if (self->receiver != NULL)
    fer_receiver_set_fft_size (self->receiver, fft_sizes[i]);
  if (fer_window_get_writable_settings (self))
    g_settings_set_uint (self->settings, "fft-size", fft_sizes[i]);
}

static void
on_frame_rate_changed (GtkSpinButton *spin, FerWindow *self)
{
  double fps = gtk_spin_button_get_value (spin);

  if (self->receiver != NULL)
    fer_receiver_set_frame_rate (self->receiver, fps);
  if (fer_window_get_writable_settings (self))
    g_settings_set_double (self->settings, "frame-rate", fps);
}

static void
on_averaging_changed (GtkSpinButton *spin, FerWindow *self)
{
  guint n = (guint) gtk_spin_button_get_value_as_int (spin);

  fer_spectrum_view_set_averaging (self->spectrum_view, n);
  if (fer_window_get_writable_settings (self))
    g_settings_set_uint (self->settings, "averaging", n);
}

static void
on_db_range_changed (GtkSpinButton *spin, FerWindow *self)
{
  double lo = gtk_spin_button_get_value (self->db_min_spin);
  double hi = gtk_spin_button_get_value (self->db_max_spin);

  /* keep at least 10 dB between them, moving the other one */
  if (hi < lo + 10)
    {
      if (spin == self->db_min_spin)
        gtk_spin_button_set_value (self->db_max_spin, lo + 10);
      else
        gtk_spin_button_set_value (self->db_min_spin, hi - 10);
      return;  /* the other spin's handler finishes */
    }
  if (!fer_spectrum_view_get_auto_range (self->spectrum_view))
    fer_spectrum_view_set_db_range (self->spectrum_view, lo, hi);
  if (fer_window_get_writable_settings (self))
    {
      g_settings_set_double (self->settings, "db-min", lo);
      g_settings_set_double (self->settings, "db-max", hi);
    }
}

void
fer_window_set_snap (FerWindow *self, double snap_hz)
{
  guint best = 0;

  for (guint i = 1; i < G_N_ELEMENTS (snap_steps); i++)
    if (fabs (log (snap_steps[i] / snap_hz)) < fabs (log (snap_steps[best] / snap_hz)))
      best = i;
  gtk_drop_down_set_selected (self->snap_dropdown, best);
}

static void
on_snap_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i >= G_N_ELEMENTS (snap_steps))
    return;
  self->snap_hz = snap_steps[i];
  if (fer_window_get_writable_settings (self))
    g_settings_set_double (self->settings, "snap-hz", self->snap_hz);
}

static void
on_region_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i > 2)
    return;
  self->region = i + 1;
  fer_window_update_band_plan (self);
  fer_window_announce (self);
  if (fer_window_get_writable_settings (self))
    g_settings_set_uint (self->settings, "band-plan-region", self->region);
}

void
fer_window_init_display (FerWindow *self)
{
  GtkStringList *maps = gtk_string_list_new (NULL);

  for (guint i = 0; i < FER_COLORMAP_N_KINDS; i++)
    gtk_string_list_append (maps, fer_colormap_label ((FerColormapKind) i));
  gtk_drop_down_set_model (self->colormap_dropdown, G_LIST_MODEL (maps));
  g_object_unref (maps);
  gtk_drop_down_set_selected (self->colormap_dropdown,
                              fer_spectrum_view_get_colormap (self->spectrum_view));
  gtk_drop_down_set_selected (self->fft_size_dropdown, 1);   /* 2048 */
  gtk_drop_down_set_selected (self->snap_dropdown, 4);       /* 1 kHz */
  gtk_spin_button_set_value (self->averaging_spin,
                             fer_spectrum_view_get_averaging (self->spectrum_view));
  gtk_widget_set_sensitive (GTK_WIDGET (self->db_min_spin), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->db_max_spin), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->region_dropdown), FALSE);

  g_signal_connect (self->colormap_dropdown, "notify::selected",
                    G_CALLBACK (on_colormap_selected), self);
  g_signal_connect (self->fft_size_dropdown, "notify::selected",
                    G_CALLBACK (on_fft_size_selected), self);
  g_signal_connect (self->frame_rate_spin, "value-changed", G_CALLBACK (on_frame_rate_changed),
                    self);
  g_signal_connect (self->averaging_spin, "value-changed", G_CALLBACK (on_averaging_changed),
                    self);
  g_signal_connect (self->db_min_spin, "value-changed", G_CALLBACK (on_db_range_changed), self);
  g_signal_connect (self->db_max_spin, "value-changed", G_CALLBACK (on_db_range_changed), self);
  g_signal_connect (self->snap_dropdown, "notify::selected", G_CALLBACK (on_snap_selected), self);
  g_signal_connect (self->region_dropdown, "notify::selected", G_CALLBACK (on_region_selected),
                    self);
}

/* Settings */

static void
change_state (FerWindow *self, const char *action, gboolean value)
{
  g_action_group_change_action_state (G_ACTION_GROUP (self), action, g_variant_new_boolean (value));
}

static guint
index_of_fft_size (guint size)
{
  for (guint i = 0; i < G_N_ELEMENTS (fft_sizes); i++)
    if (fft_sizes[i] >= size)
      return i;
  return G_N_ELEMENTS (fft_sizes) - 1;
}

static void
load_display (FerWindow *self)
{
  GSettings *s = self->settings;
  FerColormapKind kind;
  g_autofree char *colormap = g_settings_get_string (s, "colormap");

  if (fer_colormap_parse (colormap, &kind))
    gtk_drop_down_set_selected (self->colormap_dropdown, kind);
  if (!fer_window_setting_is_fixed (self, "fft-size"))
    gtk_drop_down_set_selected (self->fft_size_dropdown,
                                index_of_fft_size (g_settings_get_uint (s, "fft-size")));
  gtk_spin_button_set_value (self->frame_rate_spin, g_settings_get_double (s, "frame-rate"));
  gtk_spin_button_set_value (self->averaging_spin, g_settings_get_uint (s, "averaging"));
  gtk_spin_button_set_value (self->db_max_spin, g_settings_get_double (s, "db-max"));
  gtk_spin_button_set_value (self->db_min_spin, g_settings_get_double (s, "db-min"));
  change_state (self, "auto-range", g_settings_get_boolean (s, "auto-range"));
  change_state (self, "peak-hold", g_settings_get_boolean (s, "peak-hold"));
  fer_window_set_snap (self, g_settings_get_double (s, "snap-hz"));
  gtk_drop_down_set_selected (self->region_dropdown,
                              CLAMP (g_settings_get_uint (s, "band-plan-region"), 1, 3) - 1);
  change_state (self, "band-plan", g_settings_get_boolean (s, "band-plan"));
}

static void
load_window (FerWindow *self)
{
  GSettings *s = self->settings;

  /* the size follows the window from now on, and the panels too */
  g_settings_bind (s, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (s, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (s, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (s, "sidebar-width", self->main_paned, "position", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (s, "sidebar-page", self->sidebar_stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
  change_state (self, "show-sidebar", g_settings_get_boolean (s, "sidebar-visible"));
}

static void
load_radio (FerWindow *self)
{
  GSettings *s = self->settings;
  g_autofree char *mode = NULL;

  if (!fer_window_setting_is_fixed (self, "mode"))
    {
      mode = g_settings_get_string (s, "mode");
      fer_window_set_mode_by_name (self, mode);
    }
  fer_window_load_receiver_settings (self, s);
  if (!fer_window_setting_is_fixed (self, "bandwidth-hz") && g_settings_get_double (s, "bandwidth-hz") > 0)
    fer_window_set_bandwidth (self, g_settings_get_double (s, "bandwidth-hz"));
  if (!fer_window_setting_is_fixed (self, "frequency-hz"))
    {
      double f = g_settings_get_double (s, "frequency-hz");
      g_autoptr(GError) error = NULL;

      /* a frequency this source cannot reach (another dongle, a file) is
       * simply not restored */
      if (self->receiver != NULL && fer_receiver_tune (self->receiver, f, &error))
        fer_window_sync_tuned (self);
    }
  if (!fer_window_setting_is_fixed (self, "gain-db"))
    {
      if (g_settings_get_boolean (s, "gain-auto"))
        gtk_drop_down_set_selected (self->gain_dropdown, 0);
      else
        {
          g_autofree char *gain = g_strdup_printf ("%.1f", g_settings_get_double (s, "gain-db"));
          g_action_group_activate_action (G_ACTION_GROUP (self), "gain",
                                          g_variant_new_string (gain));
        }
    }
  if (!fer_window_setting_is_fixed (self, "volume"))
    gtk_range_set_value (GTK_RANGE (self->volume_scale), 100.0 * g_settings_get_double (s, "volume"));
  g_action_group_change_action_state (G_ACTION_GROUP (self), "mute",
                                      g_variant_new_boolean (g_settings_get_boolean (s, "muted")));
  if (!fer_window_setting_is_fixed (self, "ppm"))
    gtk_spin_button_set_value (self->ppm_spin, g_settings_get_int (s, "ppm"));
}

void
fer_window_load_settings (FerWindow *self)
{
  if (self->settings == NULL)
    return;
  /* restoring: the controls' handlers write nothing back meanwhile (a
   * half-restored pair such as the level range would overwrite the other) */
  self->loading_settings = TRUE;
  load_window (self);
  load_display (self);
  if (self->receiver != NULL)
    load_radio (self);
  self->loading_settings = FALSE;
}

GSettings *
fer_window_get_writable_settings (FerWindow *self)
{
  return self->loading_settings ? NULL : self->settings;
}

void
fer_window_save_radio_settings (FerWindow *self)
{
  GSettings *s = fer_window_get_writable_settings (self);
  guint gain = gtk_drop_down_get_selected (self->gain_dropdown);

  if (s == NULL || self->receiver == NULL)
    return;
  g_settings_set_double (s, "frequency-hz", fer_receiver_get_freq (self->receiver));
  g_settings_set_string (s, "mode", fer_mode_name (fer_receiver_get_mode (self->receiver)));
  g_settings_set_double (s, "bandwidth-hz", fer_receiver_get_bandwidth (self->receiver));
  g_settings_set_boolean (s, "gain-auto", gain == 0 || gain == GTK_INVALID_LIST_POSITION);
  if (gain != 0 && gain != GTK_INVALID_LIST_POSITION && gain <= self->n_gains)
    g_settings_set_double (s, "gain-db", self->gains[gain - 1]);
  g_settings_set_double (s, "volume", gtk_range_get_value (GTK_RANGE (self->volume_scale)) / 100.0);
  g_settings_set_boolean (s, "muted", self->muted);
}
