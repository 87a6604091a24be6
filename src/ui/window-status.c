/* window-status.c - FerWindow: what the window tells: the message bar, the
 * status line (what is tuned, in words; rates and counters) and the
 * receiver's events that change them.
 */
#define G_LOG_DOMAIN "fer-ui"

#include "window-private.h"

#include <glib/gi18n.h>

#include "band-plan.h"
#include "receiver/parse.h"

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

void
fer_window_show_error_printf (FerWindow *self, const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  fer_window_show_message (self, FER_MESSAGE_ERROR, text);
  g_free (text);
}

/* What is tuned, in words */

/* "145.5 MHz", "7.074 MHz", "100 MHz": MHz with the digits that matter. */
static char *
format_mhz (double hz)
{
  char *text = g_strdup_printf ("%.6f", hz / 1e6);
  char *end = text + strlen (text) - 1;

  while (*end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  return text;
}

/* The status line says what is tuned; it has the status role, so screen
 * readers hear it change (frequency, mode, band). */
void
fer_window_announce (FerWindow *self)
{
  const FerBandPlanEntry *band;
  const char *station;
  g_autofree char *mhz = NULL, *text = NULL;
  double freq_hz;
  FerMode mode;

  if (self->receiver == NULL)
    return;
  freq_hz = fer_receiver_get_freq (self->receiver);
  mode = fer_receiver_get_mode (self->receiver);
  mhz = format_mhz (freq_hz);
  band = fer_band_plan_lookup (self->region, freq_hz);
  station = fer_window_get_rds_name (self);
  if (band != NULL)
    /* TRANSLATORS: what is tuned: frequency in MHz, mode, band */
    text = g_strdup_printf (_("%s MHz, %s, %s"), mhz, _(fer_mode_label (mode)),
                            fer_band_plan_entry_label (band));
  else
    /* TRANSLATORS: what is tuned: frequency in MHz, mode */
    text = g_strdup_printf (_("%s MHz, %s"), mhz, _(fer_mode_label (mode)));
  if (station != NULL)
    {
      const char *rt = gtk_label_get_text (self->rds_rt);
      char *with = g_strdup_printf ("%s: %s%s%s", text, station,
                                    g_strcmp0 (rt, "—") != 0 ? " — " : "",
                                    g_strcmp0 (rt, "—") != 0 ? rt : "");
      g_free (text);
      text = with;
    }
  if (g_strcmp0 (gtk_label_get_text (self->announce_label), text) != 0)
    {
      gtk_label_set_text (self->announce_label, text);
      /* the name screen readers hear change */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->announce_label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
    }
  self->announced_hz = freq_hz;
}

const char *
fer_window_get_announcement (FerWindow *self)
{
  g_return_val_if_fail (FER_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->announce_label);
}

/* The status line */

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
    return _("Audio: off");
  switch (stats->audio_state)
    {
    case FER_AUDIO_STATE_STARTING: return _("Audio: starting");
    case FER_AUDIO_STATE_PLAYING: return _("Audio: playing");
    case FER_AUDIO_STATE_NO_DEVICE: return _("Audio: no device");
    case FER_AUDIO_STATE_FAILED: return _("Audio: failed");
    case FER_AUDIO_STATE_STOPPED: return _("Audio: stopped");
    default: return _("Audio: ?");
    }
}

gboolean
fer_window_update_stats (gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  FerReceiverStats stats;
  g_autofree char *rate = NULL, *dropped = NULL, *underruns = NULL;

  if (self->receiver == NULL)
    return G_SOURCE_CONTINUE;
  fer_receiver_get_stats (self->receiver, &stats);
  rate = fer_format_rate (fer_receiver_get_rate (self->receiver));
  if (stats.device_disconnected)
    {
      /* TRANSLATORS: the sample rate, while the dongle is unplugged */
      g_autofree char *gone = g_strdup_printf (_("%s (dongle unplugged)"), rate);
      set_label_text (self->status_rate_label, gone);
    }
  else
    set_label_text (self->status_rate_label, rate);
  /* %llu, not G_GUINT64_FORMAT: a macro inside a msgid defeats xgettext */
  dropped = g_strdup_printf (_("Dropped blocks: %llu"), (unsigned long long) stats.n_dropped);
  set_label_text (self->dropped_label, dropped);
  underruns = g_strdup_printf (_("Audio underruns: %llu"),
                               (unsigned long long) stats.n_underruns);
  set_label_text (self->underruns_label, underruns);
  set_label_text (self->audio_label, audio_state_text (&stats));
  fer_window_update_receiver_page (self);
  return G_SOURCE_CONTINUE;
}

/* Receiver events (main context) */

void
fer_window_on_receiver_event (FerReceiver *receiver, FerReceiverEvent event,
                              const char *message, gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  FerReceiverStats stats;

  switch (event)
    {
    case FER_RECEIVER_EVENT_FINISHED:
      fer_window_show_message (self, FER_MESSAGE_INFO, _("The source has ended."));
      break;
    case FER_RECEIVER_EVENT_SOURCE_ERROR:
      fer_window_show_error_printf (self, _("The source stopped: %s"),
                                    message ? message : _("unknown error"));
      break;
    case FER_RECEIVER_EVENT_AUDIO:
      fer_receiver_get_stats (receiver, &stats);
      if (stats.audio_state == FER_AUDIO_STATE_NO_DEVICE)
        {
          fer_window_show_message (self, FER_MESSAGE_WARNING,
                                   _("No audio output device found; Ferrite runs silently"));
          self->message_is_audio = TRUE;
        }
      else if (stats.audio_state == FER_AUDIO_STATE_FAILED)
        {
          fer_window_show_error_printf (self, _("Audio output failed: %s"),
                                        message ? message : _("unknown error"));
          self->message_is_audio = TRUE;
        }
      else if (stats.audio_state == FER_AUDIO_STATE_PLAYING && self->message_is_audio)
        fer_window_hide_message (self);
      fer_window_update_stats (self);
      break;
    case FER_RECEIVER_EVENT_TUNED:
      fer_window_sync_tuned (self);
      break;
    case FER_RECEIVER_EVENT_DEVICE:
      fer_receiver_get_stats (receiver, &stats);
      self->device_gone = stats.device_disconnected;
      if (stats.device_disconnected)
        fer_window_show_message (self, FER_MESSAGE_WARNING,
                                 message ? message
                                         : _("The dongle was unplugged; Ferrite waits for it to come back"));
      else
        {
          fer_window_hide_message (self);
          fer_window_sync_tuned (self);
        }
      fer_window_update_stats (self);
      break;
    case FER_RECEIVER_EVENT_RDS:
      fer_window_update_rds (self);
      break;
    default:
      break;
    }
}
