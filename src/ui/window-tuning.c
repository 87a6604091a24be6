/* window-tuning.c - FerWindow: tuning: the frequency, mode and filter the
 * receiver listens to, the controls that show them, and the history of
 * frequencies visited.
 */
#define G_LOG_DOMAIN "fer-ui"

#include "window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "receiver/parse.h"

#define HISTORY_SETTLE_MS 1000  /* a frequency held this long goes into the history */

/* The filter as the receiver has applied it (a change reaches the DSP
 * thread between blocks: on_tick catches up with it). */
void
fer_window_sync_passband (FerWindow *self)
{
  double bw = fer_receiver_get_bandwidth (self->receiver);
  double lo, hi, min_hz, max_hz;

  fer_receiver_get_passband (self->receiver, &lo, &hi);
  self->synced_passband[0] = lo;
  self->synced_passband[1] = hi;
  fer_spectrum_view_set_tuned (self->spectrum_view, fer_receiver_get_freq (self->receiver), bw);
  fer_spectrum_view_set_passband (self->spectrum_view, lo, hi);
  fer_mode_bandwidth_range (fer_receiver_get_mode (self->receiver), &min_hz, &max_hz);
  fer_spectrum_view_set_bandwidth_limits (self->spectrum_view, min_hz < max_hz, MAX (min_hz, 1.0),
                                          MAX (max_hz, min_hz));
  self->updating = TRUE;
  gtk_spin_button_set_range (self->bandwidth_spin, min_hz / 1e3, max_hz / 1e3);
  gtk_spin_button_set_value (self->bandwidth_spin, bw / 1e3);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bandwidth_spin), min_hz < max_hz);
  self->updating = FALSE;
}

/* The controls show what the receiver listens to. */
void
fer_window_sync_tuned (FerWindow *self)
{
  double freq_hz;
  guint n_modes;
  const FerMode *modes = fer_window_get_modes (&n_modes);
  FerMode mode;

  if (self->receiver == NULL)
    return;
  freq_hz = fer_receiver_get_freq (self->receiver);
  mode = fer_receiver_get_mode (self->receiver);
  fer_freq_control_set_frequency (self->freq_control, freq_hz);
  fer_window_sync_passband (self);
  self->updating = TRUE;
  for (guint i = 0; i < n_modes; i++)
    if (modes[i] == mode)
      gtk_drop_down_set_selected (self->mode_dropdown, i);
  self->updating = FALSE;
  fer_window_set_action_state (self, "mode", g_variant_new_string (fer_mode_name (mode)));
  fer_window_announce (self);
}

static gboolean
history_settled (gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  self->history_timer_id = 0;
  if (self->receiver != NULL)
    fer_freq_history_visit (self->history, fer_receiver_get_freq (self->receiver));
  fer_window_update_history_actions (self);
  return G_SOURCE_REMOVE;
}

/* A slide in progress counts as visited now (before going back from it). */
static void
history_flush (FerWindow *self)
{
  if (self->history_timer_id != 0)
    {
      g_clear_handle_id (&self->history_timer_id, g_source_remove);
      history_settled (self);
    }
}

/* Tunes to @freq_hz. @record: the history keeps it once it has been held
 * for a second (a slide by wheel or keys goes in at its end, not at each
 * step); FALSE for moves through the history itself. */
void
fer_window_tune (FerWindow *self, double freq_hz, gboolean record)
{
  g_autoptr(GError) error = NULL;

  if (self->receiver == NULL)
    {
      fer_freq_control_set_frequency (self->freq_control, freq_hz);
      return;
    }
  if (!fer_receiver_tune (self->receiver, freq_hz, &error))
    {
      g_autofree char *text = fer_format_frequency (freq_hz);

      fer_window_show_error_printf (self, _("Cannot tune to %s: %s"), text, error->message);
      /* back to what is really tuned */
      fer_window_sync_tuned (self);
      return;
    }
  /* a rejected frequency's message is obsolete once a tune works */
  if (!self->message_is_audio)
    fer_window_hide_message (self);
  fer_window_sync_tuned (self);
  if (record)
    {
      g_clear_handle_id (&self->history_timer_id, g_source_remove);
      self->history_timer_id = g_timeout_add (HISTORY_SETTLE_MS, history_settled, self);
    }
  else
    history_flush (self);
  fer_window_save_radio_settings (self);
}

void
fer_window_set_bandwidth (FerWindow *self, double bandwidth_hz)
{
  if (self->receiver == NULL)
    return;
  fer_receiver_set_bandwidth (self->receiver, bandwidth_hz);
  fer_window_sync_passband (self);
  fer_window_save_radio_settings (self);
}

void
fer_window_set_mode_by_name (FerWindow *self, const char *name)
{
  FerMode mode;

  if (self->receiver == NULL || !fer_mode_parse (name, &mode))
    return;
  if (mode != fer_receiver_get_mode (self->receiver))
    fer_receiver_set_mode (self->receiver, mode);
  fer_window_sync_tuned (self);
  fer_window_save_radio_settings (self);
}

/* The range the frequency control offers: what the source can tune, or the
 * band a recording holds. */
void
fer_window_update_freq_range (FerWindow *self)
{
  FerSource *source = fer_receiver_get_source (self->receiver);
  double rate = fer_source_get_rate (source);
  double lo, hi;

  if (source->max_center_hz > 0)
    {
      lo = MAX (0.0, source->min_center_hz - rate / 2);
      hi = source->max_center_hz + rate / 2;
    }
  else
    {
      lo = MAX (0.0, fer_source_get_center (source) - rate / 2);
      hi = fer_source_get_center (source) + rate / 2;
    }
  fer_freq_control_set_range (self->freq_control, ceil (lo), floor (hi));
}
