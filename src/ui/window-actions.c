/* window-actions.c - FerWindow: every command as a "win." action.
 *
 * Menus, buttons and accelerators (application.c) only name these; tests
 * drive them the same way. Stateful ones (mode, mute, peak-hold,
 * auto-range, band-plan, show-sidebar) keep check boxes and toggle buttons
 * bound to them in step.
 */
#define G_LOG_DOMAIN "fer-ui"

#include "window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "receiver/parse.h"

#define VOLUME_STEP 5.0        /* % */
#define BANDWIDTH_STEP 1.25    /* factor */
#define ZOOM_STEP 2.0
#define PAN_STEP 0.25          /* of the width */

void
fer_window_set_action_state (FerWindow *self, const char *name, GVariant *state)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_return_if_fail (action != NULL);
  /* set_state, not change_state: this says what is, it asks for nothing */
  g_simple_action_set_state (G_SIMPLE_ACTION (action), state);
}

static void
set_enabled (FerWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
fer_window_update_history_actions (FerWindow *self)
{
  /* a slide still settling counts as a place to go back from */
  set_enabled (self, "back",
               fer_freq_history_can_go_back (self->history)
               || (self->history_timer_id != 0 && fer_freq_history_get_length (self->history) > 0));
  set_enabled (self, "forward",
               fer_freq_history_can_go_forward (self->history) && self->history_timer_id == 0);
}

/* Tuning */

static void
action_tune (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  const char *text = g_variant_get_string (param, NULL);
  double freq_hz;

  if (!fer_parse_frequency (text, &freq_hz) || freq_hz < 0)
    {
      fer_window_show_error_printf (self, _("“%s” is not a frequency; try 96.3M or 433920k"),
                                    text);
      return;
    }
  fer_window_tune (self, freq_hz, TRUE);
}

static void
action_focus_frequency (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  gtk_widget_grab_focus (GTK_WIDGET (self->freq_control));
}

static void
step (FerWindow *self, int direction)
{
  double f = fer_freq_control_get_frequency (self->freq_control);

  /* onto the step's grid, then along it */
  fer_window_tune (self, (round (f / self->snap_hz) + direction) * self->snap_hz, TRUE);
}

static void
action_step_up (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  step (FER_WINDOW (user_data), 1);
}

static void
action_step_down (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  step (FER_WINDOW (user_data), -1);
}

static void
action_back (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  double f;

  /* a slide still settling is where we come back from */
  if (self->history_timer_id != 0)
    {
      g_clear_handle_id (&self->history_timer_id, g_source_remove);
      if (self->receiver != NULL)
        fer_freq_history_visit (self->history, fer_receiver_get_freq (self->receiver));
    }
  if (fer_freq_history_back (self->history, &f))
    fer_window_tune (self, f, FALSE);
  fer_window_update_history_actions (self);
}

static void
action_forward (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  double f;

  if (fer_freq_history_forward (self->history, &f))
    fer_window_tune (self, f, FALSE);
  fer_window_update_history_actions (self);
}

static void
action_mode (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  FerMode mode;

  if (!fer_mode_parse (g_variant_get_string (state, NULL), &mode))
    return;
  fer_window_set_mode_by_name (self, g_variant_get_string (state, NULL));
}

static void
bandwidth_by (FerWindow *self, double factor)
{
  if (self->receiver == NULL || !gtk_widget_get_sensitive (GTK_WIDGET (self->bandwidth_spin)))
    return;
  fer_window_set_bandwidth (self, fer_receiver_get_bandwidth (self->receiver) * factor);
}

static void
action_bandwidth_up (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  bandwidth_by (FER_WINDOW (user_data), BANDWIDTH_STEP);
}

static void
action_bandwidth_down (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  bandwidth_by (FER_WINDOW (user_data), 1.0 / BANDWIDTH_STEP);
}

/* Gain and volume */

static void
action_gain (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  const char *text = g_variant_get_string (param, NULL);
  guint best = 0;
  char *end;
  double gain_db;

  if (g_ascii_strcasecmp (text, "auto") != 0)
    {
      gain_db = g_ascii_strtod (text, &end);
      if (end == text || self->n_gains == 0)
        {
          fer_window_show_error_printf (self, _("“%s” is not a gain this source offers"), text);
          return;
        }
      /* the nearest gain the hardware has; item 0 is Auto */
      best = 1;
      for (guint i = 1; i < self->n_gains; i++)
        if (fabs (self->gains[i] - gain_db) < fabs (self->gains[best - 1] - gain_db))
          best = i + 1;
    }
  gtk_drop_down_set_selected (self->gain_dropdown, best);
}

static void
gain_by (FerWindow *self, int direction)
{
  guint i = gtk_drop_down_get_selected (self->gain_dropdown);

  if (self->n_gains == 0)
    return;
  /* from Auto, start in the middle of the range */
  if (i == 0 || i == GTK_INVALID_LIST_POSITION)
    i = self->n_gains / 2 + 1;
  else
    i = (guint) CLAMP ((int) i + direction, 1, (int) self->n_gains);
  gtk_drop_down_set_selected (self->gain_dropdown, i);
}

static void
action_gain_up (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gain_by (FER_WINDOW (user_data), 1);
}

static void
action_gain_down (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gain_by (FER_WINDOW (user_data), -1);
}

static void
action_volume (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  gtk_range_set_value (GTK_RANGE (self->volume_scale), g_variant_get_double (param));
}

static void
volume_by (FerWindow *self, double delta)
{
  GtkRange *range = GTK_RANGE (self->volume_scale);

  gtk_range_set_value (range, gtk_range_get_value (range) + delta);
}

static void
action_volume_up (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  volume_by (FER_WINDOW (user_data), VOLUME_STEP);
}

static void
action_volume_down (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  volume_by (FER_WINDOW (user_data), -VOLUME_STEP);
}

static void
action_mute (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  self->muted = g_variant_get_boolean (state);
  g_simple_action_set_state (action, state);
  fer_window_apply_volume (self);
  fer_window_save_radio_settings (self);
}

/* The spectrum */

static void
action_zoom_in (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_spectrum_view_zoom_by (FER_WINDOW (user_data)->spectrum_view, ZOOM_STEP, NAN);
}

static void
action_zoom_out (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_spectrum_view_zoom_by (FER_WINDOW (user_data)->spectrum_view, 1.0 / ZOOM_STEP, NAN);
}

static void
action_zoom_reset (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_spectrum_view_set_zoom (FER_WINDOW (user_data)->spectrum_view, 1.0);
}

static void
action_pan_left (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_spectrum_view_pan_by (FER_WINDOW (user_data)->spectrum_view, -PAN_STEP);
}

static void
action_pan_right (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_spectrum_view_pan_by (FER_WINDOW (user_data)->spectrum_view, PAN_STEP);
}

static void
action_peak_hold (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  g_simple_action_set_state (action, state);
  fer_spectrum_view_set_peak_hold (self->spectrum_view, g_variant_get_boolean (state));
  if (fer_window_get_writable_settings (self))
    g_settings_set_boolean (self->settings, "peak-hold", g_variant_get_boolean (state));
}

static void
action_auto_range (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  gboolean on = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  if (on)
    fer_spectrum_view_set_auto_range (self->spectrum_view, TRUE);
  else
    fer_spectrum_view_set_db_range (self->spectrum_view,
                                    gtk_spin_button_get_value (self->db_min_spin),
                                    gtk_spin_button_get_value (self->db_max_spin));
  gtk_widget_set_sensitive (GTK_WIDGET (self->db_min_spin), !on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->db_max_spin), !on);
  if (fer_window_get_writable_settings (self))
    g_settings_set_boolean (self->settings, "auto-range", on);
}

static void
action_band_plan (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  g_simple_action_set_state (action, state);
  self->band_plan = g_variant_get_boolean (state);
  fer_window_update_band_plan (self);
  if (fer_window_get_writable_settings (self))
    g_settings_set_boolean (self->settings, "band-plan", self->band_plan);
}

/* Panels */

static void
action_show_sidebar (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  gboolean show = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  gtk_widget_set_visible (self->sidebar, show);
  if (fer_window_get_writable_settings (self))
    g_settings_set_boolean (self->settings, "sidebar-visible", show);
}

static void
show_page (FerWindow *self, const char *name)
{
  GtkWidget *page;

  if (!gtk_widget_get_visible (self->sidebar))
    g_action_group_change_action_state (G_ACTION_GROUP (self), "show-sidebar",
                                        g_variant_new_boolean (TRUE));
  gtk_stack_set_visible_child_name (self->sidebar_stack, name);
  page = gtk_stack_get_visible_child (self->sidebar_stack);
  /* the keyboard goes along: to the page's first control */
  if (page != NULL)
    gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

static void
action_show_page (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  const char *name = g_variant_get_string (param, NULL);

  if (gtk_stack_get_child_by_name (self->sidebar_stack, name) != NULL)
    show_page (self, name);
}

static void
action_show_bookmarks (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  GtkListBoxRow *row;

  show_page (self, "bookmarks");
  row = gtk_list_box_get_selected_row (self->bookmark_list);
  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->bookmark_list, 0);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* Bookmarks */

static void
action_bookmark_add (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_window_add_bookmark (FER_WINDOW (user_data));
}

static void
action_bookmark_edit (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  guint id = fer_window_get_selected_bookmark (self);

  if (id != 0)
    fer_window_edit_bookmark (self, id);
}

static void
action_bookmark_delete (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  guint id = fer_window_get_selected_bookmark (self);

  if (id != 0)
    fer_window_delete_bookmark (self, id);
}

static void
action_bookmark_jump (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_window_jump_to_bookmark (FER_WINDOW (user_data), g_variant_get_uint32 (param));
}

static void
bookmark_step (FerWindow *self, gboolean next)
{
  double f = fer_freq_control_get_frequency (self->freq_control);
  const FerBookmark *b = next ? fer_bookmarks_next (self->bookmarks, f)
                              : fer_bookmarks_previous (self->bookmarks, f);

  if (b != NULL)
    fer_window_jump_to_bookmark (self, b->id);
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
action_bookmark_next (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  bookmark_step (FER_WINDOW (user_data), TRUE);
}

static void
action_bookmark_previous (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  bookmark_step (FER_WINDOW (user_data), FALSE);
}

static void
action_bookmarks_import (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_window_import_bookmarks (FER_WINDOW (user_data));
}

static void
action_bookmarks_export (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_window_export_bookmarks (FER_WINDOW (user_data));
}

static void
action_dismiss_message (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_window_hide_message (FER_WINDOW (user_data));
}

static const GActionEntry win_actions[] = {
  { .name = "tune", .activate = action_tune, .parameter_type = "s" },
  { .name = "focus-frequency", .activate = action_focus_frequency },
  { .name = "step-up", .activate = action_step_up },
  { .name = "step-down", .activate = action_step_down },
  { .name = "back", .activate = action_back },
  { .name = "forward", .activate = action_forward },
  { .name = "mode", .parameter_type = "s", .state = "'wfm'", .change_state = action_mode },
  { .name = "bandwidth-up", .activate = action_bandwidth_up },
  { .name = "bandwidth-down", .activate = action_bandwidth_down },
  { .name = "gain", .activate = action_gain, .parameter_type = "s" },
  { .name = "gain-up", .activate = action_gain_up },
  { .name = "gain-down", .activate = action_gain_down },
  { .name = "volume", .activate = action_volume, .parameter_type = "d" },
  { .name = "volume-up", .activate = action_volume_up },
  { .name = "volume-down", .activate = action_volume_down },
  { .name = "mute", .state = "false", .change_state = action_mute },
  { .name = "zoom-in", .activate = action_zoom_in },
  { .name = "zoom-out", .activate = action_zoom_out },
  { .name = "zoom-reset", .activate = action_zoom_reset },
  { .name = "pan-left", .activate = action_pan_left },
  { .name = "pan-right", .activate = action_pan_right },
  { .name = "peak-hold", .state = "false", .change_state = action_peak_hold },
  { .name = "auto-range", .state = "true", .change_state = action_auto_range },
  { .name = "band-plan", .state = "false", .change_state = action_band_plan },
  { .name = "show-sidebar", .state = "false", .change_state = action_show_sidebar },
  { .name = "show-page", .activate = action_show_page, .parameter_type = "s" },
  { .name = "show-bookmarks", .activate = action_show_bookmarks },
  { .name = "bookmark-add", .activate = action_bookmark_add },
  { .name = "bookmark-edit", .activate = action_bookmark_edit },
  { .name = "bookmark-delete", .activate = action_bookmark_delete },
  { .name = "bookmark-jump", .activate = action_bookmark_jump, .parameter_type = "u" },
  { .name = "bookmark-next", .activate = action_bookmark_next },
  { .name = "bookmark-previous", .activate = action_bookmark_previous },
  { .name = "bookmarks-import", .activate = action_bookmarks_import },
  { .name = "bookmarks-export", .activate = action_bookmarks_export },
  { .name = "dismiss-message", .activate = action_dismiss_message },
};

void
fer_window_init_actions (FerWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
}
