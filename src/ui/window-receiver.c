/* window-receiver.c - FerWindow: the Receiver page (the source's settings,
 * demodulator, audio, RDS) and the meter; window-sources.c has the source list.
 *
 * The template holds the page's sections; the controls whose presence
 * depends on the source (bias-T, direct sampling, offset tuning) and the
 * demodulator's and RDS rows are made here. A control for something the
 * source cannot do is hidden; one that does not apply to the mode (FM
 * de-emphasis in AM) is insensitive.
 */
#define G_LOG_DOMAIN "fer-ui"

#include "window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "receiver/parse.h"

#define METER_INTERVAL_MS 100
#define METER_FLOOR_DB -100.0   /* the level bar's empty end; 0 dBFS is full */
#define NB_THRESHOLD_DB 20.0

/* Rates an RTL2832U runs well at (the ones between 300 kS/s and 900 kS/s it
 * cannot make). */
static const double rates[] = {
  250e3, 1.024e6, 1.4e6, 1.8e6, 1.92e6, 2.048e6, 2.4e6, 2.56e6, 2.88e6, 3.2e6,
};

static const char *const squelch_names[] = { "off", "level", "snr" };
static const FerDirectSampling direct_modes[] = {
  FER_DIRECT_SAMPLING_AUTO, FER_DIRECT_SAMPLING_OFF, FER_DIRECT_SAMPLING_I, FER_DIRECT_SAMPLING_Q,
};
static const char *const direct_names[] = { "auto", "off", "i", "q" };
static const double deemphasis_s[] = { 0, 50e-6, 75e-6 };

static GSettings *
writable (FerWindow *self)
{
  return fer_window_get_writable_settings (self);
}

/* A row of @grid: a label with a mnemonic naming @control (on screen and
 * for screen readers), or @control alone across both columns. */
GtkWidget *
fer_window_add_row (GtkGrid *grid, const char *mnemonic, GtkWidget *control)
{
  int row = 0;

  while (gtk_grid_get_child_at (grid, 0, row) || gtk_grid_get_child_at (grid, 1, row))
    row++;
  if (mnemonic == NULL)
    {
      gtk_grid_attach (grid, control, 0, row, 2, 1);
      return control;
    }
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  /* a drop-down's focus lands on its inner button: name that one too */
  if (GTK_IS_DROP_DOWN (control) && GTK_IS_BUTTON (gtk_widget_get_first_child (control)))
    gtk_accessible_update_relation (GTK_ACCESSIBLE (gtk_widget_get_first_child (control)),
                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_widget_set_hexpand (control, TRUE);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, control, 1, row, 1, 1);
  return label;
}

/* A check button whose label wraps, so that the panel stays narrow. */
static GtkWidget *
new_check (const char *mnemonic)
{
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), check);
  gtk_check_button_set_child (GTK_CHECK_BUTTON (check), label);
  return check;
}

static GtkGrid *
new_grid (GtkBox *box)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_box_append (box, grid);
  return GTK_GRID (grid);
}

static GtkWidget *
new_dropdown (const char *const *items)
{
  return gtk_drop_down_new_from_strings (items);
}

/* Source: its settings */

static void
on_rate_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GError) error = NULL;

  if (self->updating || self->receiver == NULL || i >= G_N_ELEMENTS (rates))
    return;
  if (fer_receiver_get_rate (self->receiver) == rates[i])
    return;
  if (!fer_receiver_set_rate (self->receiver, rates[i], &error))
    fer_window_show_error_printf (self, _("Cannot change the sample rate: %s"), error->message);
}

static void
on_ppm_changed (GtkSpinButton *spin, FerWindow *self)
{
  int ppm = gtk_spin_button_get_value_as_int (spin);
  g_autoptr(GError) error = NULL;

  if (self->updating || self->receiver == NULL)
    return;
  if (!fer_receiver_set_ppm (self->receiver, ppm, &error))
    {
      fer_window_show_error_printf (self, _("Cannot correct the frequency: %s"), error->message);
      return;
    }
  if (writable (self))
    g_settings_set_int (self->settings, "ppm", ppm);
}

static void
on_bias_tee_toggled (GtkCheckButton *check, FerWindow *self)
{
  gboolean on = gtk_check_button_get_active (check);
  g_autoptr(GError) error = NULL;

  if (self->updating || self->receiver == NULL)
    return;
  if (!fer_receiver_set_bias_tee (self->receiver, on, &error))
    fer_window_show_error_printf (self, _("Cannot power the antenna: %s"), error->message);
  else if (writable (self))
    g_settings_set_boolean (self->settings, "bias-tee", on);
}

static void
on_direct_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GError) error = NULL;

  if (self->updating || self->receiver == NULL || i >= G_N_ELEMENTS (direct_modes))
    return;
  if (!fer_receiver_set_direct_sampling (self->receiver, direct_modes[i], &error))
    fer_window_show_error_printf (self, _("Cannot change direct sampling: %s"), error->message);
  else if (writable (self))
    g_settings_set_string (self->settings, "direct-sampling", direct_names[i]);
}

static void
on_offset_toggled (GtkCheckButton *check, FerWindow *self)
{
  gboolean on = gtk_check_button_get_active (check);
  g_autoptr(GError) error = NULL;

  if (self->updating || self->receiver == NULL)
    return;
  if (!fer_receiver_set_offset_tuning (self->receiver, on, &error))
    fer_window_show_error_printf (self, _("Cannot change offset tuning: %s"), error->message);
  else if (writable (self))
    g_settings_set_boolean (self->settings, "offset-tuning", on);
}

/* Demodulator */

static void
on_bandwidth_changed (GtkSpinButton *spin, FerWindow *self)
{
  if (self->updating)
    return;
  fer_window_set_bandwidth (self, gtk_spin_button_get_value (spin) * 1e3);
}

static void
apply_squelch (FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->squelch_dropdown));
  double db = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->squelch_spin));

  if (i > FER_SQUELCH_SNR)
    return;
  gtk_widget_set_sensitive (self->squelch_spin, i != FER_SQUELCH_OFF);
  if (self->updating || self->receiver == NULL)
    return;
  fer_receiver_set_squelch (self->receiver, (FerSquelchMode) i, db);
  if (writable (self))
    {
      g_settings_set_string (self->settings, "squelch-mode", squelch_names[i]);
      g_settings_set_double (self->settings, "squelch-db", db);
    }
}

static void
on_squelch_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  /* a threshold that makes sense for the measure: -60 dBFS, or 10 dB SNR */
  if (!self->updating && i == FER_SQUELCH_LEVEL)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->squelch_spin), -60);
  else if (!self->updating && i == FER_SQUELCH_SNR)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->squelch_spin), 10);
  apply_squelch (self);
}

static void
on_squelch_changed (GtkSpinButton *spin, FerWindow *self)
{
  apply_squelch (self);
}

static void
on_agc_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->updating || self->receiver == NULL || i > FER_AGC_SLOW)
    return;
  fer_receiver_set_agc (self->receiver, (FerAgcMode) i);
  if (writable (self))
    g_settings_set_string (self->settings, "agc", fer_agc_mode_name ((FerAgcMode) i));
}

static void
on_deemph_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->updating || self->receiver == NULL || i >= G_N_ELEMENTS (deemphasis_s))
    return;
  fer_receiver_set_deemphasis (self->receiver, deemphasis_s[i]);
  if (writable (self))
    g_settings_set_double (self->settings, "deemphasis-us", deemphasis_s[i] * 1e6);
}

static void
on_nb_toggled (GtkCheckButton *check, FerWindow *self)
{
  gboolean on = gtk_check_button_get_active (check);

  if (self->updating || self->receiver == NULL)
    return;
  fer_receiver_set_noise_blanker (self->receiver, on, NB_THRESHOLD_DB);
  if (writable (self))
    g_settings_set_boolean (self->settings, "noise-blanker", on);
}

static void
on_iq_toggled (GtkCheckButton *check, FerWindow *self)
{
  gboolean on = gtk_check_button_get_active (check);

  if (self->updating || self->receiver == NULL)
    return;
  fer_receiver_set_iq_correction (self->receiver, on);
  if (writable (self))
    g_settings_set_boolean (self->settings, "iq-correction", on);
}

/* Audio */

static void
on_audio_selected (GtkDropDown *dropdown, GParamSpec *pspec, FerWindow *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  FerAudioDevice *device;

  if (self->updating || self->receiver == NULL || self->audio_devices == NULL
      || i == GTK_INVALID_LIST_POSITION)
    return;
  if (i == 0)
    fer_receiver_set_audio_device (self->receiver, NULL);
  else if (i - 1 < self->audio_devices->len)
    {
      device = self->audio_devices->pdata[i - 1];
      fer_receiver_set_audio_device (self->receiver, device->name);
    }
}

/* The list as the sink sees it; rebuilt only when it changed, so that an
 * open list is not pulled from under the pointer. */
static void
sync_audio_devices (FerWindow *self)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *playing = NULL;
  gboolean same;
  guint selected = 0;

  if (self->audio_dropdown == NULL || self->receiver == NULL)
    return;
  devices = fer_receiver_dup_audio_devices (self->receiver);
  playing = fer_receiver_dup_audio_device (self->receiver);
  same = self->audio_devices != NULL && self->audio_devices->len == devices->len;
  for (guint i = 0; same && i < devices->len; i++)
    same = g_strcmp0 (((FerAudioDevice *) devices->pdata[i])->name,
                      ((FerAudioDevice *) self->audio_devices->pdata[i])->name) == 0;
  for (guint i = 0; i < devices->len; i++)
    if (playing != NULL && g_strcmp0 (((FerAudioDevice *) devices->pdata[i])->name, playing) == 0)
      selected = i + 1;

  self->updating = TRUE;
  if (!same)
    {
      GtkStringList *names = gtk_string_list_new (NULL);

      gtk_string_list_append (names, _("System default"));
      for (guint i = 0; i < devices->len; i++)
        gtk_string_list_append (names, ((FerAudioDevice *) devices->pdata[i])->name);
      gtk_drop_down_set_model (GTK_DROP_DOWN (self->audio_dropdown), G_LIST_MODEL (names));
      g_object_unref (names);
      g_clear_pointer (&self->audio_devices, g_ptr_array_unref);
      self->audio_devices = g_steal_pointer (&devices);
    }
  gtk_widget_set_sensitive (self->audio_dropdown, self->audio_devices->len > 0);
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->audio_dropdown)) != selected)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->audio_dropdown), selected);
  self->updating = FALSE;
}

/* RDS */

static GtkLabel *
add_value (GtkGrid *grid, const char *caption)
{
  GtkWidget *value = gtk_label_new ("—");

  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  /* copied with the pointer, read by screen readers; not a stop for Tab */
  gtk_widget_set_focusable (value, FALSE);
  fer_window_add_row (grid, caption, value);
  return GTK_LABEL (value);
}

const char *
fer_window_get_rds_name (FerWindow *self)
{
  const char *ps = self->rds_ps ? gtk_label_get_text (self->rds_ps) : NULL;

  return ps != NULL && *ps != '\0' && g_strcmp0 (ps, "—") != 0 ? ps : NULL;
}

void
fer_window_update_rds (FerWindow *self)
{
  FerRdsState rds;
  char pi[8];
  g_autofree char *ps = NULL;

  if (self->receiver == NULL || self->rds_ps == NULL)
    return;
  fer_receiver_get_rds (self->receiver, &rds);
  ps = g_strstrip (g_strdup (rds.ps));
  gtk_label_set_text (self->rds_ps, *ps ? ps : "—");
  gtk_label_set_text (self->rds_pty, rds.has_pty ? _(fer_rds_pty_name (rds.pty)) : "—");
  g_snprintf (pi, sizeof pi, "%04X", rds.pi);
  gtk_label_set_text (self->rds_pi, rds.has_pi ? pi : "—");
  gtk_label_set_text (self->rds_rt, *rds.rt ? rds.rt : "—");
  /* the status line says the station's name and text too */
  fer_window_announce (self);
}

/* The meter */

static gboolean
update_meter (gpointer user_data)
{
  FerWindow *self = FER_WINDOW (user_data);
  FerReceiverSignal signal;
  char text[64];

  if (self->receiver == NULL)
    return G_SOURCE_CONTINUE;
  fer_receiver_get_signal (self->receiver, &signal);
  gtk_level_bar_set_value (self->signal_meter,
                           CLAMP (signal.level_dbfs - METER_FLOOR_DB, 0.0, -METER_FLOOR_DB));
  /* TRANSLATORS: the signal meter: the level in the channel */
  g_snprintf (text, sizeof text, _("%.1f dBFS"), signal.level_dbfs);
  if (g_strcmp0 (gtk_label_get_text (self->signal_label), text) != 0)
    gtk_label_set_text (self->signal_label, text);
  /* TRANSLATORS: the signal meter's details: level and signal to noise ratio */
  g_snprintf (text, sizeof text, _("Level %.1f dBFS, signal to noise %.1f dB"), signal.level_dbfs,
              signal.snr_db);
  gtk_widget_set_tooltip_text (self->meter_box, text);
  return G_SOURCE_CONTINUE;
}

/* Setup */

void
fer_window_init_receiver_page (FerWindow *self)
{
  static const char *const squelch_items[] = { N_("Off"), N_("Level"), N_("Signal to noise"), NULL };
  static const char *const agc_items[] = { N_("Off"), N_("Fast"), N_("Medium"), N_("Slow"), NULL };
  static const char *const deemph_items[] = { N_("Off"), N_("50 µs (Europe)"),
                                              N_("75 µs (Americas)"), NULL };
  static const char *const direct_items[] = { N_("Below 24 MHz"), N_("Off"), N_("I input"),
                                              N_("Q input"), NULL };
  const char *tr[5];
  GtkStringList *names = gtk_string_list_new (NULL);
  GtkGrid *grid;
  GtkWidget *heading;

  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      g_autofree char *text = fer_format_rate (rates[i]);
      gtk_string_list_append (names, text);
    }
  gtk_drop_down_set_model (self->rate_dropdown, G_LIST_MODEL (names));
  g_object_unref (names);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rate_dropdown), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ppm_spin), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bandwidth_spin), FALSE);
  fer_window_init_sources (self);
  g_signal_connect (self->rate_dropdown, "notify::selected", G_CALLBACK (on_rate_selected), self);
  g_signal_connect (self->ppm_spin, "value-changed", G_CALLBACK (on_ppm_changed), self);
  g_signal_connect (self->bandwidth_spin, "value-changed", G_CALLBACK (on_bandwidth_changed),
                    self);

  /* the dongle's extras */
  grid = new_grid (self->device_extras);
  self->bias_tee_check = new_check (_("Antenna _power (bias-T)"));
  fer_window_add_row (grid, NULL, self->bias_tee_check);
  for (guint i = 0; i < 5; i++)
    tr[i] = direct_items[i] ? _(direct_items[i]) : NULL;
  self->direct_dropdown = new_dropdown (tr);
  self->direct_label = fer_window_add_row (grid, _("_Direct sampling"), self->direct_dropdown);
  self->offset_check = new_check (_("_Offset tuning"));
  fer_window_add_row (grid, NULL, self->offset_check);
  g_signal_connect (self->bias_tee_check, "toggled", G_CALLBACK (on_bias_tee_toggled), self);
  g_signal_connect (self->direct_dropdown, "notify::selected", G_CALLBACK (on_direct_selected),
                    self);
  g_signal_connect (self->offset_check, "toggled", G_CALLBACK (on_offset_toggled), self);
  gtk_widget_set_visible (GTK_WIDGET (self->device_extras), FALSE);

  /* the demodulator */
  grid = new_grid (self->demod_extras);
  for (guint i = 0; i < 4; i++)
    tr[i] = squelch_items[i] ? _(squelch_items[i]) : NULL;
  self->squelch_dropdown = new_dropdown (tr);
  fer_window_add_row (grid, _("S_quelch"), self->squelch_dropdown);
  self->squelch_spin = gtk_spin_button_new_with_range (-150, 60, 1);
  gtk_widget_set_tooltip_text (self->squelch_spin,
                               _("The squelch opens above this: dBFS for the level, dB for the signal to noise ratio"));
  fer_window_add_row (grid, _("Squelch _threshold (dB)"), self->squelch_spin);
  for (guint i = 0; i < 5; i++)
    tr[i] = agc_items[i] ? _(agc_items[i]) : NULL;
  self->agc_dropdown = new_dropdown (tr);
  fer_window_add_row (grid, _("_AGC"), self->agc_dropdown);
  for (guint i = 0; i < 4; i++)
    tr[i] = deemph_items[i] ? _(deemph_items[i]) : NULL;
  self->deemph_dropdown = new_dropdown (tr);
  fer_window_add_row (grid, _("_De-emphasis"), self->deemph_dropdown);
  self->nb_check = new_check (_("_Noise blanker"));
  gtk_widget_set_tooltip_text (self->nb_check, _("Takes out impulses: ignition, switching power supplies"));
  fer_window_add_row (grid, NULL, self->nb_check);
  self->iq_check = new_check (_("Correct the dongle's _IQ in the audio"));
  gtk_widget_set_tooltip_text (self->iq_check,
                               _("Removes the dongle's DC and mirror images from the sound too "
                                 "(always done in the spectrum)"));
  fer_window_add_row (grid, NULL, self->iq_check);
  g_signal_connect (self->squelch_dropdown, "notify::selected", G_CALLBACK (on_squelch_selected),
                    self);
  g_signal_connect (self->squelch_spin, "value-changed", G_CALLBACK (on_squelch_changed), self);
  g_signal_connect (self->agc_dropdown, "notify::selected", G_CALLBACK (on_agc_selected), self);
  g_signal_connect (self->deemph_dropdown, "notify::selected", G_CALLBACK (on_deemph_selected),
                    self);
  g_signal_connect (self->nb_check, "toggled", G_CALLBACK (on_nb_toggled), self);
  g_signal_connect (self->iq_check, "toggled", G_CALLBACK (on_iq_toggled), self);

  /* audio output */
  grid = new_grid (self->audio_box);
  self->audio_dropdown = gtk_drop_down_new_from_strings ((const char *const[]) { _("System default"), NULL });
  gtk_widget_set_sensitive (self->audio_dropdown, FALSE);
  fer_window_add_row (grid, _("_Output"), self->audio_dropdown);
  g_signal_connect (self->audio_dropdown, "notify::selected", G_CALLBACK (on_audio_selected),
                    self);

  /* RDS: what is on the air first, above the settings */
  gtk_box_reorder_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->info_box))),
                               GTK_WIDGET (self->info_box), NULL);
  heading = gtk_label_new (_("Radio data (RDS)"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->info_box), 12);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (self->info_box, heading);
  grid = new_grid (self->info_box);
  self->rds_ps = add_value (grid, _("Station"));
  self->rds_pty = add_value (grid, _("Programme type"));
  self->rds_pi = add_value (grid, _("PI code"));
  self->rds_rt = add_value (grid, _("Radiotext"));
}

static void
select_without_signal (FerWindow *self, GtkWidget *dropdown, guint index)
{
  self->updating = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), index);
  self->updating = FALSE;
}

static void
sync_rate (FerWindow *self)
{
  double rate = fer_receiver_get_rate (self->receiver);
  guint best = 0;

  for (guint i = 1; i < G_N_ELEMENTS (rates); i++)
    if (fabs (rates[i] - rate) < fabs (rates[best] - rate))
      best = i;
  if (gtk_drop_down_get_selected (self->rate_dropdown) != best)
    select_without_signal (self, GTK_WIDGET (self->rate_dropdown), best);
}

/* The controls that depend on the mode. */
static void
sync_mode_controls (FerWindow *self)
{
  FerMode mode = fer_receiver_get_mode (self->receiver);
  gboolean fm = mode == FER_MODE_WFM || mode == FER_MODE_WFM_STEREO || mode == FER_MODE_NFM;
  double tau = fer_receiver_get_deemphasis (self->receiver);
  guint deemph = tau <= 0 ? 0 : tau < 60e-6 ? 1 : 2;

  gtk_widget_set_sensitive (self->deemph_dropdown, fm);
  gtk_widget_set_sensitive (self->agc_dropdown, !fm);
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->deemph_dropdown)) != deemph)
    select_without_signal (self, self->deemph_dropdown, deemph);
  /* RDS rides on broadcast FM only */
  gtk_widget_set_visible (GTK_WIDGET (self->info_box),
                          mode == FER_MODE_WFM || mode == FER_MODE_WFM_STEREO);
}

void
fer_window_setup_receiver_page (FerWindow *self)
{
  FerSource *source = fer_receiver_get_source (self->receiver);
  FerSourceCaps caps = fer_source_get_caps (source);
  double threshold;
  FerSquelchMode squelch = fer_receiver_get_squelch (self->receiver, &threshold);

  fer_window_setup_sources (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rate_dropdown), source->ops->set_rate != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ppm_spin), source->ops->set_ppm != NULL);
  sync_rate (self);

  gtk_widget_set_visible (self->bias_tee_check, (caps & FER_SOURCE_CAP_BIAS_TEE) != 0);
  gtk_widget_set_visible (self->direct_dropdown, (caps & FER_SOURCE_CAP_DIRECT_SAMPLING) != 0);
  gtk_widget_set_visible (self->direct_label, (caps & FER_SOURCE_CAP_DIRECT_SAMPLING) != 0);
  gtk_widget_set_visible (self->offset_check, (caps & FER_SOURCE_CAP_OFFSET_TUNING) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->device_extras), caps != 0);

  self->updating = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->squelch_dropdown), squelch);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->squelch_spin), threshold);
  gtk_widget_set_sensitive (self->squelch_spin, squelch != FER_SQUELCH_OFF);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->agc_dropdown),
                              fer_receiver_get_agc (self->receiver));
  self->updating = FALSE;
  sync_mode_controls (self);

  gtk_widget_set_visible (self->meter_box, TRUE);
  if (self->meter_id == 0)
    self->meter_id = g_timeout_add (METER_INTERVAL_MS, update_meter, self);
  fer_window_update_rds (self);
}

/* Every few hundred milliseconds, with the status line. */
void
fer_window_update_receiver_page (FerWindow *self)
{
  if (self->receiver == NULL)
    return;
  sync_rate (self);
  sync_mode_controls (self);
  sync_audio_devices (self);
}

void
fer_window_load_receiver_settings (FerWindow *self, GSettings *s)
{
  g_autofree char *squelch = g_settings_get_string (s, "squelch-mode");
  g_autofree char *agc = g_settings_get_string (s, "agc");
  g_autofree char *direct = g_settings_get_string (s, "direct-sampling");
  double deemph_us = g_settings_get_double (s, "deemphasis-us");
  FerAgcMode agc_mode;

  for (guint i = 0; i < G_N_ELEMENTS (squelch_names); i++)
    if (g_strcmp0 (squelch, squelch_names[i]) == 0 && !fer_window_setting_is_fixed (self, "squelch-mode"))
      {
        /* the threshold first: choosing the mode would put in its usual one */
        self->updating = TRUE;
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->squelch_dropdown), i);
        self->updating = FALSE;
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->squelch_spin),
                                   g_settings_get_double (s, "squelch-db"));
        apply_squelch (self);
      }
  if (fer_agc_mode_parse (agc, &agc_mode) && !fer_window_setting_is_fixed (self, "agc"))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->agc_dropdown), agc_mode);
  if (deemph_us >= 0 && !fer_window_setting_is_fixed (self, "deemphasis-us"))
    {
      fer_receiver_set_deemphasis (self->receiver, deemph_us * 1e-6);
      sync_mode_controls (self);
    }
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->nb_check),
                               g_settings_get_boolean (s, "noise-blanker"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->iq_check),
                               g_settings_get_boolean (s, "iq-correction"));
  if (gtk_widget_get_visible (self->bias_tee_check))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->bias_tee_check),
                                 g_settings_get_boolean (s, "bias-tee"));
  if (gtk_widget_get_visible (self->offset_check))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->offset_check),
                                 g_settings_get_boolean (s, "offset-tuning"));
  if (gtk_widget_get_visible (self->direct_dropdown))
    for (guint i = 0; i < G_N_ELEMENTS (direct_names); i++)
      if (g_strcmp0 (direct, direct_names[i]) == 0)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->direct_dropdown), i);
}
