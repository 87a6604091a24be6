/* window.c - FerWindow: the receiver's one window. */
#define G_LOG_DOMAIN "fer-ui"

#include "window.h"

#include <math.h>

#include "receiver/parse.h"
#include "ui-resources.h"

#define STATS_INTERVAL_MS 250
#define CLICK_SNAP_HZ 1000.0   /* a click tunes to a round kHz */
#define NO_AUDIO_TEXT "No audio output device found; Ferrite runs silently"

struct _FerWindow {
  GtkApplicationWindow parent_instance;

  /* Borrowed: the application frees it only after its windows are gone. */
  FerReceiver *receiver;

  /* template children */
  GtkLabel *source_label;
  FerFreqControl *freq_control;
  GtkDropDown *mode_dropdown;
  GtkDropDown *gain_dropdown;
  GtkScale *volume_scale;
  GtkRevealer *message_revealer;
  GtkWidget *message_bar;
  GtkImage *message_icon;
  GtkLabel *message_label;
  FerSpectrumView *spectrum_view;
  GtkLabel *rate_label;
  GtkLabel *dropped_label;
  GtkLabel *underruns_label;
  GtkLabel *audio_label;

  FerSpectrumFrame frame;   /* frame.db owned; fft_size floats */
  guint tick_id;
  guint stats_id;
  const double *gains;      /* borrowed from the source; n_gains entries */
  guint n_gains;
  gboolean muted;
  gboolean message_is_audio; /* the message shown is about the audio output */
  gboolean updating;        /* code is setting controls: their handlers stay quiet */
};

G_DEFINE_FINAL_TYPE (FerWindow, fer_window, GTK_TYPE_APPLICATION_WINDOW)

/* The modes the mode list offers, in its order. */
static const FerMode modes[] = { FER_MODE_WFM };

/* Messages */

void
fer_window_show_message (FerWindow *self, FerMessageKind kind, const char *text)
{
  static const char *const icons[] = {
    [FER_MESSAGE_INFO] = "dialog-information-symbolic",
    [FER_MESSAGE_WARNING] = "dialog-warning-symbolic",
    [FER_MESSAGE_ERROR] = "dialog-error-symbolic",
  };

  g_return_if_fail (FER_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  gtk_label_set_text (self->message_label, text);
  gtk_image_set_from_icon_name (self->message_icon, icons[kind]);
  gtk_widget_remove_css_class (self->message_bar, "warning");
  gtk_widget_remove_css_class (self->message_bar, "error");
  if (kind == FER_MESSAGE_WARNING)
    gtk_widget_add_css_class (self->message_bar, "warning");
  else if (kind == FER_MESSAGE_ERROR)
    gtk_widget_add_css_class (self->message_bar, "error");
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
  self->message_is_audio = FALSE;
  /* screen readers: say it now, not when someone happens to look */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->message_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

void
fer_window_hide_message (FerWindow *self)
{
  g_return_if_fail (FER_IS_WINDOW (self));
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
  self->message_is_audio = FALSE;
}

const char *
fer_window_get_message (FerWindow *self)
{
  g_return_val_if_fail (FER_IS_WINDOW (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->message_revealer))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

static void
show_error_printf (FerWindow *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
show_error_printf (FerWindow *self, const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  fer_window_show_message (self, FER_MESSAGE_ERROR, text);
  g_free (text);
}

/* Tuning */

/* The controls show what the receiver listens to. */
static void
sync_tuned (FerWindow *self)
{
  double freq_hz;

  if (self->receiver == NULL)
    return;
  freq_hz = fer_receiver_get_freq (self->receiver);
  fer_freq_control_set_frequency (self->freq_control, freq_hz);
  fer_spectrum_view_set_tuned (self->spectrum_view, freq_hz,
                               fer_receiver_get_bandwidth (self->receiver));
}

static void
tune_to (FerWindow *self, double freq_hz)
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

      show_error_printf (self, "Cannot tune to %s: %s", text, error->message);
      /* back to what is really tuned */
      sync_tuned (self);
      return;
    }
  /* a rejected frequency's message is obsolete once a tune works */
  if (!self->message_is_audio)
    fer_window_hide_message (self);
  sync_tuned (self);
}

static void
on_frequency_changed (FerFreqControl *control, double freq_hz, FerWindow *self)
{
  tune_to (self, freq_hz);
}

static void
on_tune_requested (FerSpectrumView *view, double freq_hz, FerWindow *self)
{
  tune_to (self, round (freq_hz / CLICK_SNAP_HZ) * CLICK_SNAP_HZ);
}

/* The range the frequency control offers: what the source can tune, or the
 * band a recording holds. */
static void
update_freq_range (FerWindow *self)
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

/* Spectrum frames and statistics */

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  /* at most one new frame per tick; the receiver keeps only the newest */
  if (self->receiver != NULL && fer_receiver_get_spectrum (self->receiver, &self->frame))
    fer_spectrum_view_push_frame (self->spectrum_view, self->frame.db, self->frame.size,
                                  self->frame.center_hz, self->frame.rate_hz);
  return G_SOURCE_CONTINUE;
}

static void
set_label_text (GtkLabel *label, const char *text)
{
  /* the same text again would still relayout the status line */
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

static const char *
audio_state_text (const FerReceiverStats *stats)
{
  if (stats->to_file)
    return "Audio: off";
  switch (stats->audio_state)
    {
    case FER_AUDIO_STATE_STARTING: return "Audio: starting";
    case FER_AUDIO_STATE_PLAYING: return "Audio: playing";
    case FER_AUDIO_STATE_NO_DEVICE: return "Audio: no device";
    case FER_AUDIO_STATE_FAILED: return "Audio: failed";
    case FER_AUDIO_STATE_STOPPED: return "Audio: stopped";
    default: return "Audio: ?";
    }
}

static gboolean
update_stats (gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  FerReceiverStats stats;
  g_autofree char *rate = NULL;
  char text[64];

  if (self->receiver == NULL)
    return G_SOURCE_CONTINUE;
  fer_receiver_get_stats (self->receiver, &stats);
  rate = fer_format_rate (fer_receiver_get_rate (self->receiver));
  set_label_text (self->rate_label, rate);
  g_snprintf (text, sizeof text, "Dropped blocks: %" G_GUINT64_FORMAT, stats.n_dropped);
  set_label_text (self->dropped_label, text);
  g_snprintf (text, sizeof text, "Audio underruns: %" G_GUINT64_FORMAT, stats.n_underruns);
  set_label_text (self->underruns_label, text);
  set_label_text (self->audio_label, audio_state_text (&stats));
  return G_SOURCE_CONTINUE;
}

/* Receiver events (main context) */

static void
on_receiver_event (FerReceiver *receiver, FerReceiverEvent event, const char *message,
                   gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  FerReceiverStats stats;

  switch (event)
    {
    case FER_RECEIVER_EVENT_FINISHED:
      fer_window_show_message (self, FER_MESSAGE_INFO, "The source has ended.");
      break;
    case FER_RECEIVER_EVENT_SOURCE_ERROR:
      show_error_printf (self, "The source stopped: %s", message ? message : "unknown error");
      break;
    case FER_RECEIVER_EVENT_AUDIO:
      fer_receiver_get_stats (receiver, &stats);
      if (stats.audio_state == FER_AUDIO_STATE_NO_DEVICE)
        {
          fer_window_show_message (self, FER_MESSAGE_WARNING, NO_AUDIO_TEXT);
          self->message_is_audio = TRUE;
        }
      else if (stats.audio_state == FER_AUDIO_STATE_FAILED)
        {
          show_error_printf (self, "Audio output failed: %s", message ? message : "unknown error");
          self->message_is_audio = TRUE;
        }
      else if (stats.audio_state == FER_AUDIO_STATE_PLAYING && self->message_is_audio)
        fer_window_hide_message (self);
      update_stats (self);
      break;
    case FER_RECEIVER_EVENT_TUNED:
      sync_tuned (self);
      break;
    default:
      break;
    }
}

/* Controls */

static void
on_mode_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->updating || self->receiver == NULL || i >= G_N_ELEMENTS (modes))
    return;
  fer_receiver_set_mode (self->receiver, modes[i]);
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
    show_error_printf (self, "Cannot set the gain: %s", error->message);
}

static void
apply_volume (FerWindow *self)
{
  if (self->receiver != NULL)
    fer_receiver_set_volume (self->receiver,
                             self->muted ? 0.0 : gtk_range_get_value (GTK_RANGE (self->volume_scale)) / 100.0);
}

static void
on_volume_changed (GtkRange *range, FerWindow *self)
{
  apply_volume (self);
}

static char *
format_volume (GtkScale *scale, double value, gpointer user_data)
{
  return g_strdup_printf ("%.0f %%", value);
}

/* Actions */

static void
action_tune (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  const char *text = g_variant_get_string (param, NULL);
  double freq_hz;

  if (!fer_parse_frequency (text, &freq_hz) || freq_hz < 0)
    {
      show_error_printf (self, "“%s” is not a frequency; try 96.3M or 433920k", text);
      return;
    }
  tune_to (self, freq_hz);
}

static void
action_focus_frequency (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  gtk_widget_grab_focus (GTK_WIDGET (self->freq_control));
}

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
          show_error_printf (self, "“%s” is not a gain this source offers", text);
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
action_volume (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  gtk_range_set_value (GTK_RANGE (self->volume_scale), g_variant_get_double (param));
}

static void
action_mute (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);

  self->muted = g_variant_get_boolean (state);
  g_simple_action_set_state (action, state);
  apply_volume (self);
}

static void
action_dismiss_message (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  fer_window_hide_message (FER_WINDOW (user_data));
}

static const GActionEntry win_actions[] = {
  { .name = "tune", .activate = action_tune, .parameter_type = "s" },
  { .name = "focus-frequency", .activate = action_focus_frequency },
  { .name = "gain", .activate = action_gain, .parameter_type = "s" },
  { .name = "volume", .activate = action_volume, .parameter_type = "d" },
  { .name = "mute", .state = "false", .change_state = action_mute },
  { .name = "dismiss-message", .activate = action_dismiss_message },
};

/* Setup */

static void
setup_receiver (FerWindow *self)
{
  FerSource *source = fer_receiver_get_source (self->receiver);
  GtkStringList *gains = gtk_string_list_new (NULL);

  gtk_label_set_text (self->source_label, fer_source_get_name (source));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_label), fer_source_get_name (source));

  self->updating = TRUE;
  self->gains = fer_source_get_gains (source, &self->n_gains);
  gtk_string_list_append (gains, "Auto");
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

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (modes[i] == fer_receiver_get_mode (self->receiver))
      gtk_drop_down_set_selected (self->mode_dropdown, i);
  self->updating = FALSE;

  update_freq_range (self);
  sync_tuned (self);
  apply_volume (self);

  self->frame.db = g_new0 (float, fer_receiver_get_fft_size (self->receiver));
  fer_receiver_set_event_func (self->receiver, on_receiver_event, self);
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->spectrum_view), on_tick,
                                                self, NULL);
  self->stats_id = g_timeout_add (STATS_INTERVAL_MS, update_stats, self);
  update_stats (self);
}

FerWindow *
fer_window_new (GtkApplication *application, FerReceiver *receiver)
{
  FerWindow *self = g_object_new (FER_TYPE_WINDOW, "application", application, NULL);

  self->receiver = receiver;
  if (receiver != NULL)
    setup_receiver (self);
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->mode_dropdown), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->gain_dropdown), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->volume_scale), FALSE);
    }
  return self;
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

static void
fer_window_dispose (GObject *object)
{
  FerWindow *self = FER_WINDOW (object);

  if (self->receiver != NULL)
    {
      fer_receiver_set_event_func (self->receiver, NULL, NULL);
      self->receiver = NULL;
    }
  g_clear_handle_id (&self->stats_id, g_source_remove);
  if (self->tick_id != 0 && self->spectrum_view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->spectrum_view), self->tick_id);
  self->tick_id = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), FER_TYPE_WINDOW);
  G_OBJECT_CLASS (fer_window_parent_class)->dispose (object);
}

static void
fer_window_finalize (GObject *object)
{
  FerWindow *self = FER_WINDOW (object);

  g_free (self->frame.db);
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
  gtk_widget_class_bind_template_child (widget_class, FerWindow, source_label);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, freq_control);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, gain_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, volume_scale);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, message_bar);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, message_icon);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, spectrum_view);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, rate_label);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, dropped_label);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, underruns_label);
  gtk_widget_class_bind_template_child (widget_class, FerWindow, audio_label);
  gtk_widget_class_bind_template_callback (widget_class, on_frequency_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_tune_requested);
  gtk_widget_class_bind_template_callback (widget_class, on_volume_changed);
}

static void
fer_window_init (FerWindow *self)
{
  GtkStringList *mode_names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *name = g_ascii_strup (fer_mode_name (modes[i]), -1);
      gtk_string_list_append (mode_names, name);
    }
  gtk_drop_down_set_model (self->mode_dropdown, G_LIST_MODEL (mode_names));
  g_object_unref (mode_names);
  g_signal_connect (self->mode_dropdown, "notify::selected", G_CALLBACK (on_mode_selected), self);
  g_signal_connect (self->gain_dropdown, "notify::selected", G_CALLBACK (on_gain_selected), self);
  gtk_scale_set_format_value_func (self->volume_scale, format_volume, NULL, NULL);

  /* the frequency takes the keys first: type 96.3M and Enter right away */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->freq_control));
}
