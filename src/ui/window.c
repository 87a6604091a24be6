/* window.c - FerWindow: the receiver's one window: the template, taking up
 * and letting go of a receiver, spectrum frames, the toolbar's controls. */
#define G_LOG_DOMAIN "fer-ui"

#include "window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "application.h"
#include "ui-resources.h"

#define STATS_INTERVAL_MS 250
#define HISTORY_MAX 100

G_DEFINE_FINAL_TYPE (FerWindow, fer_window, GTK_TYPE_APPLICATION_WINDOW)

/* The modes the mode list offers, in its order (raw IQ is no listening mode),
 * and the short names the toolbar shows (the list shows the long ones). */
static const FerMode all_modes[] = {
  FER_MODE_WFM, FER_MODE_WFM_STEREO, FER_MODE_NFM, FER_MODE_AM, FER_MODE_AM_SYNC,
  FER_MODE_USB, FER_MODE_LSB, FER_MODE_CW, FER_MODE_DSB,
};
static const char *const short_names[] = {
  N_("WFM"), N_("WFM stereo"), N_("NFM"), N_("AM"), N_("AM sync"), N_("USB"), N_("LSB"),
  N_("CW"), N_("DSB"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (short_names) == G_N_ELEMENTS (all_modes));

const FerMode *
fer_window_get_modes (guint *n_modes)
{
  *n_modes = G_N_ELEMENTS (all_modes);
  return all_modes;
}

/* The template's callbacks for tuning (window-tuning.c does it) */

static void
on_frequency_changed (FerFreqControl *control, double freq_hz, FerWindow *self)
{
  fer_window_tune (self, freq_hz, TRUE);
}

static void
on_tune_requested (FerSpectrumView *view, double freq_hz, FerWindow *self)
{
  fer_window_tune (self, round (freq_hz / self->snap_hz) * self->snap_hz, TRUE);
}

static void
on_bandwidth_requested (FerSpectrumView *view, double bandwidth_hz, FerWindow *self)
{
  fer_window_set_bandwidth (self, bandwidth_hz);
}

static void
on_marker_activated (FerSpectrumView *view, guint index, FerWindow *self)
{
  if (index < fer_bookmarks_get_n (self->bookmarks))
    fer_window_jump_to_bookmark (self, fer_bookmarks_get (self->bookmarks, index)->id);
}

/* Spectrum frames */

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  double lo, hi;

  if (self->receiver == NULL)
    return G_SOURCE_CONTINUE;
  /* at most one new frame per tick; the receiver keeps only the newest */
  if (fer_receiver_get_spectrum (self->receiver, &self->frame))
    fer_spectrum_view_push_frame (self->spectrum_view, self->frame.db, self->frame.size,
                                  self->frame.center_hz, self->frame.rate_hz);
  fer_receiver_get_passband (self->receiver, &lo, &hi);
  if (lo != self->synced_passband[0] || hi != self->synced_passband[1])
    fer_window_sync_passband (self);
  return G_SOURCE_CONTINUE;
}

/* Controls */

static void
on_mode_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown), n_modes;
  const FerMode *modes = fer_window_get_modes (&n_modes);

  if (self->updating || self->receiver == NULL || i >= n_modes)
    return;
  fer_window_set_mode_by_name (self, fer_mode_name (modes[i]));
}

static void
on_gain_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GError) error = NULL;
  double gain_db;

  if (self->updating || self->receiver == NULL || i == GTK_INVALID_LIST_POSITION)
    return;
  gain_db = i == 0 ? NAN : self->gains[MIN (i - 1, self->n_gains - 1)];
  if (!fer_receiver_set_gain (self->receiver, gain_db, &error))
    fer_window_show_error_printf (self, _("Cannot set the gain: %s"), error->message);
  fer_window_save_radio_settings (self);
}

void
fer_window_apply_volume (FerWindow *self)
{
  if (self->receiver != NULL)
    fer_receiver_set_volume (self->receiver,
                             self->muted ? 0.0
                                         : gtk_range_get_value (GTK_RANGE (self->volume_scale)) / 100.0);
}

static void
on_volume_changed (GtkRange *range, FerWindow *self)
{
  fer_window_apply_volume (self);
  if (!self->updating)
    fer_window_save_radio_settings (self);
}

static char *
format_volume (GtkScale *scale, double value, gpointer user_data)
{
  return g_strdup_printf ("%.0f %%", value);
}

/* Setup */

/* What GTK 4.8 leaves unnamed for screen readers: a drop-down's inner
 * button (where the focus really goes) and the scroll bars. The button takes
 * the name of the label that names its drop-down. */
static void
name_internals (GtkWidget *root)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w; w = gtk_widget_get_next_sibling (w))
    {
      if (GTK_IS_LABEL (w) && GTK_IS_DROP_DOWN (gtk_label_get_mnemonic_widget (GTK_LABEL (w))))
        {
          GtkWidget *button = gtk_widget_get_first_child (gtk_label_get_mnemonic_widget (GTK_LABEL (w)));

          if (GTK_IS_BUTTON (button))
            gtk_accessible_update_relation (GTK_ACCESSIBLE (button),
                                            GTK_ACCESSIBLE_RELATION_LABELLED_BY, w, NULL, -1);
        }
      else if (GTK_IS_SCROLLBAR (w))
        gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        gtk_orientable_get_orientation (GTK_ORIENTABLE (w))
                                        == GTK_ORIENTATION_VERTICAL ? _("Vertical scroll bar")
                                                                    : _("Horizontal scroll bar"),
                                        -1);
      name_internals (w);
    }
}

static void
setup_receiver (FerWindow *self)
{
  FerSource *source = fer_receiver_get_source (self->receiver);
  GtkStringList *gains = gtk_string_list_new (NULL);

  gtk_label_set_text (self->source_label, fer_source_get_name (source));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_label), fer_source_get_name (source));

  self->updating = TRUE;
  self->gains = fer_source_get_gains (source, &self->n_gains);
  gtk_string_list_append (gains, _("Auto"));
  for (guint i = 0; i < self->n_gains; i++)
    {
      char text[32];

      g_snprintf (text, sizeof text, "%.1f dB", self->gains[i]);
      gtk_string_list_append (gains, text);
    }
  gtk_drop_down_set_model (self->gain_dropdown, G_LIST_MODEL (gains));
  gtk_drop_down_set_selected (self->gain_dropdown, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->gain_dropdown), self->n_gains > 0);
  g_object_unref (gains);
  self->updating = FALSE;

  fer_window_update_freq_range (self);
  fer_window_setup_receiver_page (self);
  fer_window_sync_tuned (self);
  fer_window_apply_volume (self);

  if (self->frame.db == NULL)
    self->frame.db = g_new0 (float, FER_RECEIVER_MAX_FFT_SIZE);
  self->frame.seq = 0;
  fer_receiver_set_event_func (self->receiver, fer_window_on_receiver_event, self);
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->spectrum_view), on_tick,
                                                self, NULL);
  self->stats_id = g_timeout_add (STATS_INTERVAL_MS, fer_window_update_stats, self);
  fer_window_update_stats (self);
}

FerWindow *
fer_window_new (GtkApplication *application, FerReceiver *receiver)
{
  FerWindow *self = g_object_new (FER_TYPE_WINDOW, "application", application, NULL);

  if (application != NULL && FER_IS_APPLICATION (application))
    {
      GSettings *settings = fer_application_get_settings (FER_APPLICATION (application));

      self->settings = settings ? g_object_ref (settings) : NULL;
      self->fixed_keys = g_strdupv ((char **) fer_application_get_fixed_settings (FER_APPLICATION (application)));
    }
  self->receiver = receiver;
  if (receiver != NULL)
    setup_receiver (self);
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->mode_dropdown), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->gain_dropdown), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->volume_scale), FALSE);
    }
  fer_window_load_settings (self);
  if (receiver != NULL)
    fer_freq_history_visit (self->history, fer_receiver_get_freq (receiver));
  fer_window_update_history_actions (self);
  return self;
}

/* Lets go of the receiver: events, frames, timers. */
static void
teardown_receiver (FerWindow *self)
{
  if (self->receiver == NULL)
    return;
  fer_receiver_set_event_func (self->receiver, NULL, NULL);
  self->receiver = NULL;
  g_clear_handle_id (&self->stats_id, g_source_remove);
  g_clear_handle_id (&self->meter_id, g_source_remove);
  g_clear_handle_id (&self->history_timer_id, g_source_remove);
  if (self->tick_id != 0 && self->spectrum_view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->spectrum_view), self->tick_id);
  self->tick_id = 0;
  self->synced_passband[0] = self->synced_passband[1] = NAN;
}

void
fer_window_set_receiver (FerWindow *self, FerReceiver *receiver)
{
  g_return_if_fail (FER_IS_WINDOW (self));
  teardown_receiver (self);
  fer_spectrum_view_clear (self->spectrum_view);
  self->receiver = receiver;
  if (receiver == NULL)
    return;
  setup_receiver (self);
  fer_freq_history_visit (self->history, fer_receiver_get_freq (receiver));
  fer_window_update_history_actions (self);
}

FerSpectrumView *
fer_window_get_spectrum_view (FerWindow *self)
{
  g_return_val_if_fail (FER_IS_WINDOW (self), NULL);
  return self->spectrum_view;
}

FerFreqControl *
fer_window_get_freq_control (FerWindow *self)
{
  g_return_val_if_fail (FER_IS_WINDOW (self), NULL);
  return self->freq_control;
}

FerBookmarks *
fer_window_get_bookmarks (FerWindow *self)
{
  g_return_val_if_fail (FER_IS_WINDOW (self), NULL);
  return self->bookmarks;
}

static void
fer_window_dispose (GObject *object)
{
  FerWindow *self = FER_WINDOW (object);

  teardown_receiver (self);
  fer_window_teardown_sources (self);
  g_clear_handle_id (&self->history_timer_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FER_TYPE_WINDOW);
  G_OBJECT_CLASS (fer_window_parent_class)->dispose (object);
}

static void
fer_window_finalize (GObject *object)
{
  FerWindow *self = FER_WINDOW (object);

  g_free (self->frame.db);
  g_clear_object (&self->settings);
  g_strfreev (self->fixed_keys);
  fer_freq_history_free (self->history);
  fer_bookmarks_free (self->bookmarks);
  g_free (self->bookmarks_path);
  g_clear_pointer (&self->audio_devices, g_ptr_array_unref);
  G_OBJECT_CLASS (fer_window_parent_class)->finalize (object);
}

static void
fer_window_class_init (FerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fer_window_dispose;
  object_class->finalize = fer_window_finalize;

  fer_ui_ensure_resources ();
  g_type_ensure (FER_TYPE_FREQ_CONTROL);
  g_type_ensure (FER_TYPE_SPECTRUM_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               FER_UI_RESOURCE_PATH "/window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, FerWindow, name)
  BIND (source_label);
  BIND (sidebar_button);
  BIND (freq_control);
  BIND (mode_dropdown);
  BIND (gain_dropdown);
  BIND (volume_scale);
  BIND (meter_box);
  BIND (signal_meter);
  BIND (signal_label);
  BIND (message_revealer);
  BIND (message_bar);
  BIND (message_icon);
  BIND (message_label);
  BIND (main_paned);
  BIND (sidebar);
  BIND (sidebar_stack);
  BIND (spectrum_view);
  BIND (status_rate_label);
  BIND (dropped_label);
  BIND (underruns_label);
  BIND (audio_label);
  BIND (announce_label);
  BIND (source_dropdown);
  BIND (rate_dropdown);
  BIND (ppm_spin);
  BIND (device_extras);
  BIND (bandwidth_spin);
  BIND (demod_extras);
  BIND (audio_box);
  BIND (info_box);
  BIND (colormap_dropdown);
  BIND (fft_size_dropdown);
  BIND (frame_rate_spin);
  BIND (averaging_spin);
  BIND (db_max_spin);
  BIND (db_min_spin);
  BIND (snap_dropdown);
  BIND (region_dropdown);
  BIND (bookmark_list);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_frequency_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_tune_requested);
  gtk_widget_class_bind_template_callback (widget_class, on_bandwidth_requested);
  gtk_widget_class_bind_template_callback (widget_class, on_marker_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_volume_changed);
}

/* The open mode list: the long names ("Narrow FM"). */
static void
setup_mode_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_mode_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  guint i = gtk_list_item_get_position (item);

  if (i < G_N_ELEMENTS (all_modes))
    gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                        _(fer_mode_label (all_modes[i])));
}

static void
fer_window_init (FerWindow *self)
{
  GtkStringList *mode_names = gtk_string_list_new (NULL);
  GtkListItemFactory *list_factory;
  g_autoptr(GtkBuilder) builder = NULL;
  guint n_modes;

  fer_window_get_modes (&n_modes);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->history = fer_freq_history_new (HISTORY_MAX);
  self->bookmarks = fer_bookmarks_new ();
  self->snap_hz = 1000.0;
  self->region = 1;
  self->announced_hz = NAN;

  for (guint i = 0; i < n_modes; i++)
    gtk_string_list_append (mode_names, _(short_names[i]));
  gtk_drop_down_set_model (self->mode_dropdown, G_LIST_MODEL (mode_names));
  g_object_unref (mode_names);
  list_factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (list_factory, "setup", G_CALLBACK (setup_mode_item), NULL);
  g_signal_connect (list_factory, "bind", G_CALLBACK (bind_mode_item), NULL);
  gtk_drop_down_set_list_factory (self->mode_dropdown, list_factory);
  g_object_unref (list_factory);
  g_signal_connect (self->mode_dropdown, "notify::selected", G_CALLBACK (on_mode_selected), self);
  g_signal_connect (self->gain_dropdown, "notify::selected", G_CALLBACK (on_gain_selected), self);
  gtk_scale_set_format_value_func (self->volume_scale, format_volume, NULL, NULL);

  fer_window_init_actions (self);
  fer_window_init_display (self);
  fer_window_init_receiver_page (self);
  fer_window_init_bookmarks (self);
  name_internals (GTK_WIDGET (self));

  /* Ctrl+? and the menu's Keyboard Shortcuts */
  builder = gtk_builder_new_from_resource (FER_UI_RESOURCE_PATH "/help-overlay.ui");
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self),
                                           GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));

  /* the frequency takes the keys first: type 96.3M and Enter right away */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->freq_control));
}
