/* window-private.h - what FerWindow's files share.
 *
 * window.c: the template, taking up a receiver, spectrum frames, the
 * toolbar. window-tuning.c: frequency, mode, filter and the history.
 * window-status.c: messages, the status line, the receiver's events.
 * window-actions.c: every GAction the window offers.
 * window-display.c: the Display page and the settings that persist.
 * window-bookmarks.c: the Bookmarks page, the editor and the file.
 * window-receiver.c: the Receiver page (the source's settings, demodulator,
 * audio, RDS). window-sources.c: its source list.
 * Main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "window.h"
#include "freq-history.h"
#include "receiver/bookmarks.h"

G_BEGIN_DECLS

struct _FerWindow {
  GtkApplicationWindow parent_instance;

  /* Borrowed: the application frees it only after its windows are gone. */
  FerReceiver *receiver;
  GSettings *settings;        /* owned; NULL when the schema is not installed */
  GStrv fixed_keys;           /* owned; settings the command line fixed: not restored */
  FerFreqHistory *history;    /* owned */
  FerBookmarks *bookmarks;    /* owned */
  char *bookmarks_path;       /* owned */

  /* template children: the top */
  GtkLabel *source_label;
  GtkToggleButton *sidebar_button;
  FerFreqControl *freq_control;
  GtkDropDown *mode_dropdown;
  GtkDropDown *gain_dropdown;
  GtkScale *volume_scale;
  GtkWidget *meter_box;
  GtkLevelBar *signal_meter;
  GtkLabel *signal_label;
  GtkRevealer *message_revealer;
  GtkWidget *message_bar;
  GtkImage *message_icon;
  GtkLabel *message_label;
  GtkPaned *main_paned;
  GtkWidget *sidebar;
  GtkStack *sidebar_stack;
  FerSpectrumView *spectrum_view;
  /* the status line */
  GtkLabel *status_rate_label;
  GtkLabel *dropped_label;
  GtkLabel *underruns_label;
  GtkLabel *audio_label;
  GtkLabel *announce_label;
  /* the Receiver page */
  GtkDropDown *source_dropdown;
  GPtrArray *sources;         /* owned; FerDeviceInfo * in the list's order (then "a recording") */
  guint sources_id;           /* looks for dongles coming and going */
  GtkDropDown *rate_dropdown;
  GtkSpinButton *ppm_spin;
  GtkBox *device_extras;
  GtkSpinButton *bandwidth_spin;
  GtkBox *demod_extras;
  GtkBox *audio_box;
  GtkBox *info_box;
  /* the Display page */
  GtkDropDown *colormap_dropdown;
  GtkDropDown *fft_size_dropdown;
  GtkSpinButton *frame_rate_spin;
  GtkSpinButton *averaging_spin;
  GtkSpinButton *db_max_spin;
  GtkSpinButton *db_min_spin;
  GtkDropDown *snap_dropdown;
  GtkDropDown *region_dropdown;
  /* the Bookmarks page */
  GtkListBox *bookmark_list;

  FerSpectrumFrame frame;     /* frame.db owned; FER_RECEIVER_MAX_FFT_SIZE floats */
  guint tick_id;
  guint stats_id;
  const double *gains;        /* borrowed from the source; n_gains entries */
  guint n_gains;
  gboolean muted;
  gboolean message_is_audio;  /* the message shown is about the audio output */
  gboolean updating;          /* code is setting controls: their handlers stay quiet */
  double snap_hz;             /* clicks tune to multiples of this; the step keys step by it */
  guint region;               /* ITU region of the band plan, 1..3 */
  gboolean band_plan;
  guint history_timer_id;     /* a slide (wheel, drag) settles into the history */
  gboolean loading_settings;  /* restoring: handlers save nothing */
  double announced_hz;        /* what the status line last said */
  double synced_passband[2];  /* the receiver's filter as last shown */
  guint meter_id;             /* the signal meter's refresh */
  gboolean device_gone;       /* the dongle is unplugged */

  /* the Receiver page's controls made in code (window-receiver.c) */
  GtkWidget *bias_tee_check;
  GtkWidget *direct_dropdown;
  GtkWidget *direct_label;
  GtkWidget *offset_check;
  GtkWidget *squelch_dropdown;
  GtkWidget *squelch_spin;
  GtkWidget *agc_dropdown;
  GtkWidget *deemph_dropdown;
  GtkWidget *nb_check;
  GtkWidget *iq_check;
  GtkWidget *audio_dropdown;
  GPtrArray *audio_devices;   /* owned; FerAudioDevice *, as the list shows them */
  GtkLabel *rds_ps, *rds_pty, *rds_pi, *rds_rt;
  guint rds_seq;
};

/* window.c */
void fer_window_apply_volume (FerWindow *self);
/* The modes the mode list offers, in its order; *n_modes set. */
const FerMode *fer_window_get_modes (guint *n_modes);

/* window-tuning.c */
void fer_window_tune (FerWindow *self, double freq_hz, gboolean record);
void fer_window_sync_tuned (FerWindow *self);
void fer_window_sync_passband (FerWindow *self);
void fer_window_set_mode_by_name (FerWindow *self, const char *mode);
void fer_window_set_bandwidth (FerWindow *self, double bandwidth_hz);
void fer_window_update_freq_range (FerWindow *self);

/* window-status.c */
void fer_window_show_error_printf (FerWindow *self, const char *format, ...) G_GNUC_PRINTF (2, 3);
void fer_window_announce (FerWindow *self);
/* The status line's rates and counters: a GSourceFunc taking the window. */
gboolean fer_window_update_stats (gpointer user_data);
/* The receiver's FerReceiverEventFunc, taking the window. */
void fer_window_on_receiver_event (FerReceiver *receiver, FerReceiverEvent event,
                                   const char *message, gpointer user_data);

/* window-actions.c */
void fer_window_init_actions (FerWindow *self);
void fer_window_update_history_actions (FerWindow *self);
void fer_window_set_action_state (FerWindow *self, const char *name, GVariant *state);

/* window-display.c */
void fer_window_init_display (FerWindow *self);
/* Restores what the settings remember (window, panels, display, radio) and
 * starts saving changes. */
void fer_window_load_settings (FerWindow *self);
/* The settings to write to; NULL while restoring or without a schema. */
GSettings *fer_window_get_writable_settings (FerWindow *self);
void fer_window_save_radio_settings (FerWindow *self);
void fer_window_update_band_plan (FerWindow *self);
void fer_window_set_snap (FerWindow *self, double snap_hz);
gboolean fer_window_setting_is_fixed (FerWindow *self, const char *key);

/* window-bookmarks.c */
void fer_window_init_bookmarks (FerWindow *self);
/* The list and the spectrum show the bookmarks again; changed: and saves them. */
void fer_window_refresh_bookmarks (FerWindow *self);
void fer_window_bookmarks_changed (FerWindow *self);
void fer_window_add_bookmark (FerWindow *self);
void fer_window_edit_bookmark (FerWindow *self, guint id);
void fer_window_delete_bookmark (FerWindow *self, guint id);
void fer_window_jump_to_bookmark (FerWindow *self, guint id);
/* The bookmark selected in the list (or 0). */
guint fer_window_get_selected_bookmark (FerWindow *self);
void fer_window_import_bookmarks (FerWindow *self);
void fer_window_export_bookmarks (FerWindow *self);

/* window-receiver.c */
void fer_window_init_receiver_page (FerWindow *self);
void fer_window_setup_receiver_page (FerWindow *self);
void fer_window_update_receiver_page (FerWindow *self);
void fer_window_update_rds (FerWindow *self);
/* The station's name from RDS, or NULL. */
const char *fer_window_get_rds_name (FerWindow *self);
void fer_window_load_receiver_settings (FerWindow *self, GSettings *settings);
/* A row of @grid: a label with @mnemonic naming @control, or (@mnemonic
 * NULL) @control alone across both columns. Returns the label (or @control). */
GtkWidget *fer_window_add_row (GtkGrid *grid, const char *mnemonic, GtkWidget *control);

/* window-sources.c */
void fer_window_init_sources (FerWindow *self);
/* The list anew for the receiver's source, and looking for dongles. */
void fer_window_setup_sources (FerWindow *self);
void fer_window_teardown_sources (FerWindow *self);

G_END_DECLS
