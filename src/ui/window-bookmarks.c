/* window-bookmarks.c - FerWindow: the Bookmarks page, the bookmark editor, the file.
 *
 * The list on the Bookmarks page and the labels on the spectrum show the
 * same FerBookmarks; every change is saved at once to the user's file
 * (fer_bookmarks_get_user_path ()). A file that cannot be read is moved
 * aside by FerBookmarks and the message area says where it went.
 */
#define G_LOG_DOMAIN "fer-ui"

#include "window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "receiver/parse.h"

/* The list */

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  GdkRGBA *color = data;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0 - 1, 0, 2 * G_PI);
  cairo_fill (cr);
}

static char *
describe (const FerBookmark *b)
{
  g_autofree char *freq = fer_format_frequency (b->freq_hz);
  FerMode mode;

  if (fer_mode_parse (b->mode, &mode))
    return g_strdup_printf ("%s · %s", freq, _(fer_mode_label (mode)));
  return g_steal_pointer (&freq);
}

static GtkWidget *
make_row (const FerBookmark *b)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  /* decoration: the name says it all */
  GtkWidget *swatch = g_object_new (GTK_TYPE_DRAWING_AREA,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *name = gtk_label_new (*b->name ? b->name : _("(no name)"));
  g_autofree char *details_text = describe (b);
  GtkWidget *details = gtk_label_new (details_text);
  g_autofree char *spoken = NULL;
  GdkRGBA *color = g_new (GdkRGBA, 1);

  if (!gdk_rgba_parse (color, b->color))
    gdk_rgba_parse (color, FER_BOOKMARK_DEFAULT_COLOR);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, color, g_free);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), details);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* one sentence for a screen reader, not two labels */
  spoken = g_strdup_printf ("%s, %s", *b->name ? b->name : _("(no name)"), details_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  if (b->tags[0] != NULL)
    {
      g_autofree char *tags = g_strjoinv (", ", b->tags);
      gtk_widget_set_tooltip_text (row, tags);
    }
  g_object_set_data (G_OBJECT (row), "bookmark-id", GUINT_TO_POINTER (b->id));
  return row;
}

guint
fer_window_get_selected_bookmark (FerWindow *self)
{
  GtkListBoxRow *row;

  if (self->bookmark_list == NULL)
    return 0;  /* disposed */
  row = gtk_list_box_get_selected_row (self->bookmark_list);

  return row ? GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "bookmark-id")) : 0;
}

static void
update_bookmark_actions (FerWindow *self)
{
  gboolean selected = fer_window_get_selected_bookmark (self) != 0;

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "bookmark-edit")),
                               selected);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "bookmark-delete")),
                               selected);
}

static void
rebuild (FerWindow *self, guint select_id)
{
  guint n = fer_bookmarks_get_n (self->bookmarks);
  g_autofree FerSpectrumMarker *markers = g_new0 (FerSpectrumMarker, MAX (n, 1));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->bookmark_list))) != NULL)
    gtk_list_box_remove (self->bookmark_list, child);
  for (guint i = 0; i < n; i++)
    {
      const FerBookmark *b = fer_bookmarks_get (self->bookmarks, i);
      GtkWidget *row = make_row (b);

      gtk_list_box_append (self->bookmark_list, row);
      if (b->id == select_id)
        gtk_list_box_select_row (self->bookmark_list, GTK_LIST_BOX_ROW (row));
      markers[i].freq_hz = b->freq_hz;
      markers[i].name = b->name;
      if (!gdk_rgba_parse (&markers[i].color, b->color))
        gdk_rgba_parse (&markers[i].color, FER_BOOKMARK_DEFAULT_COLOR);
    }
  fer_spectrum_view_set_markers (self->spectrum_view, markers, n);
  update_bookmark_actions (self);
}

static void
save (FerWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!fer_bookmarks_save (self->bookmarks, self->bookmarks_path, &error))
    fer_window_show_error_printf (self, _("The bookmarks cannot be saved: %s"), error->message);
}

void
fer_window_refresh_bookmarks (FerWindow *self)
{
  rebuild (self, fer_window_get_selected_bookmark (self));
}

void
fer_window_bookmarks_changed (FerWindow *self)
{
  rebuild (self, fer_window_get_selected_bookmark (self));
  save (self);
}

void
fer_window_jump_to_bookmark (FerWindow *self, guint id)
{
  const FerBookmark *b = fer_bookmarks_lookup (self->bookmarks, id);
  double freq_hz, bw_hz;
  g_autofree char *mode = NULL;
  GtkListBoxRow *row;

  if (b == NULL)
    return;
  /* copies: the receiver's events may rebuild the list meanwhile */
  freq_hz = b->freq_hz;
  bw_hz = b->bandwidth_hz;
  mode = g_strdup (b->mode);
  if (*mode)
    fer_window_set_mode_by_name (self, mode);
  if (bw_hz > 0)
    fer_window_set_bandwidth (self, bw_hz);
  fer_window_tune (self, freq_hz, TRUE);
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->bookmark_list, (int) i)); i++)
    if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "bookmark-id")) == id)
      gtk_list_box_select_row (self->bookmark_list, row);
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, FerWindow *self)
{
  fer_window_jump_to_bookmark (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row),
                                                                          "bookmark-id")));
}

static void
on_row_selected (GtkListBox *list, GtkListBoxRow *row, FerWindow *self)
{
  if (self->bookmark_list == NULL)
    return;  /* the list empties as the window goes */
  update_bookmark_actions (self);
}

static gboolean
on_list_key (GtkEventControllerKey *controller, guint keyval, guint keycode,
             GdkModifierType state, FerWindow *self)
{
  guint id = fer_window_get_selected_bookmark (self);

  if (id == 0 || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      fer_window_delete_bookmark (self, id);
      return TRUE;
    case GDK_KEY_F2:
      fer_window_edit_bookmark (self, id);
      return TRUE;
    default:
      return FALSE;
    }
}

void
fer_window_delete_bookmark (FerWindow *self, guint id)
{
  const FerBookmark *b = fer_bookmarks_lookup (self->bookmarks, id);
  int index = fer_bookmarks_index_of (self->bookmarks, id);
  g_autofree char *text = NULL;
  GtkListBoxRow *row;

  if (b == NULL)
    return;
  text = g_strdup_printf (_("Bookmark “%s” deleted"), b->name);
  fer_bookmarks_remove (self->bookmarks, id);
  fer_window_bookmarks_changed (self);
  /* the keyboard stays in the list, on the neighbour */
  row = gtk_list_box_get_row_at_index (self->bookmark_list, index);
  if (row == NULL && index > 0)
    row = gtk_list_box_get_row_at_index (self->bookmark_list, index - 1);
  if (row != NULL)
    {
      gtk_list_box_select_row (self->bookmark_list, row);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
  fer_window_show_message (self, FER_MESSAGE_INFO, text);
}

/* The editor */

typedef struct {
  FerWindow *window;    /* borrowed; the dialog is its transient child */
  guint id;             /* 0: a new bookmark */
  GtkWidget *dialog;
  GtkEntry *name;
  GtkEntry *freq;
  GtkDropDown *mode;
  GtkSpinButton *bandwidth;
  GtkEntry *tags;
  GtkColorButton *color;
  GtkLabel *error;
} Editor;

static void
editor_free (gpointer data)
{
  g_free (data);
}

static gboolean
editor_save (Editor *ed)
{
  FerWindow *self = ed->window;
  FerBookmark b = { 0 };
  g_auto(GStrv) tags = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (ed->tags)), ",", -1);
  g_autofree char *color = NULL;
  GdkRGBA rgba;
  guint n_modes, mode_index = gtk_drop_down_get_selected (ed->mode);
  const FerMode *modes = fer_window_get_modes (&n_modes);
  guint id;

  if (!fer_parse_frequency (gtk_editable_get_text (GTK_EDITABLE (ed->freq)), &b.freq_hz)
      || !(b.freq_hz > 0))
    {
      gtk_label_set_text (ed->error, _("That is not a frequency; try 145.5M or 7074k."));
      gtk_widget_set_visible (GTK_WIDGET (ed->error), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (ed->freq));
      return FALSE;
    }
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (ed->color), &rgba);
  color = g_strdup_printf ("#%02x%02x%02x", (int) lround (rgba.red * 255),
                           (int) lround (rgba.green * 255), (int) lround (rgba.blue * 255));
  b.name = (char *) gtk_editable_get_text (GTK_EDITABLE (ed->name));
  b.mode = (char *) (mode_index < n_modes ? fer_mode_name (modes[mode_index]) : "");
  b.bandwidth_hz = gtk_spin_button_get_value (ed->bandwidth) * 1e3;
  b.tags = tags;
  b.color = color;
  if (ed->id == 0)
    id = fer_bookmarks_add (self->bookmarks, &b);
  else
    {
      fer_bookmarks_update (self->bookmarks, ed->id, &b);
      id = ed->id;
    }
  rebuild (self, id);
  save (self);
  return TRUE;
}

static void
on_editor_response (GtkDialog *dialog, int response, Editor *ed)
{
  if (response == GTK_RESPONSE_ACCEPT && !editor_save (ed))
    return;  /* stays open, saying what is wrong */
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
grid_row (GtkGrid *grid, int row, const char *mnemonic, GtkWidget *control)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_widget_set_hexpand (control, TRUE);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, control, 1, row, 1, 1);
  return label;
}

static void
open_editor (FerWindow *self, guint id, const FerBookmark *b)
{
  Editor *ed = g_new0 (Editor, 1);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *content;
  GtkStringList *mode_names = gtk_string_list_new (NULL);
  guint n_modes, selected = GTK_INVALID_LIST_POSITION;
  const FerMode *modes = fer_window_get_modes (&n_modes);
  g_autofree char *freq_text = g_strdup_printf ("%.6f M", b->freq_hz / 1e6);
  g_autofree char *tags_text = g_strjoinv (", ", b->tags);
  GdkRGBA rgba;

  ed->window = self;
  ed->id = id;
  ed->dialog = gtk_dialog_new_with_buttons (id == 0 ? _("Add Bookmark") : _("Edit Bookmark"),
                                            GTK_WINDOW (self),
                                            GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT
                                            | GTK_DIALOG_USE_HEADER_BAR,
                                            _("_Cancel"), GTK_RESPONSE_CANCEL,
                                            id == 0 ? _("_Add") : _("_Save"), GTK_RESPONSE_ACCEPT,
                                            NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (ed->dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data_full (G_OBJECT (ed->dialog), "editor", ed, editor_free);

  ed->name = GTK_ENTRY (gtk_entry_new ());
  ed->freq = GTK_ENTRY (gtk_entry_new ());
  for (guint i = 0; i < n_modes; i++)
    {
      gtk_string_list_append (mode_names, _(fer_mode_label (modes[i])));
      if (g_strcmp0 (b->mode, fer_mode_name (modes[i])) == 0)
        selected = i;
    }
  /* takes the list */
  ed->mode = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (mode_names), NULL));
  ed->bandwidth = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1000, 0.5));
  gtk_spin_button_set_digits (ed->bandwidth, 1);
  ed->tags = GTK_ENTRY (gtk_entry_new ());
  ed->color = GTK_COLOR_BUTTON (gtk_color_button_new ());
  ed->error = GTK_LABEL (gtk_label_new (NULL));

  gtk_editable_set_text (GTK_EDITABLE (ed->name), b->name);
  gtk_editable_set_text (GTK_EDITABLE (ed->freq), freq_text);
  if (selected != GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (ed->mode, selected);
  gtk_spin_button_set_value (ed->bandwidth, b->bandwidth_hz / 1e3);
  gtk_widget_set_tooltip_text (GTK_WIDGET (ed->bandwidth), _("0 uses the mode's usual width"));
  gtk_editable_set_text (GTK_EDITABLE (ed->tags), tags_text);
  gtk_entry_set_placeholder_text (ed->tags, _("for example: Aviation, Local"));
  if (!gdk_rgba_parse (&rgba, b->color))
    gdk_rgba_parse (&rgba, FER_BOOKMARK_DEFAULT_COLOR);
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (ed->color), &rgba);
  gtk_color_chooser_set_use_alpha (GTK_COLOR_CHOOSER (ed->color), FALSE);
  /* Enter in any entry saves */
  gtk_entry_set_activates_default (ed->name, TRUE);
  gtk_entry_set_activates_default (ed->freq, TRUE);
  gtk_entry_set_activates_default (ed->tags, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (ed->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (ed->error), FALSE);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);
  grid_row (GTK_GRID (grid), 0, _("_Name"), GTK_WIDGET (ed->name));
  grid_row (GTK_GRID (grid), 1, _("_Frequency"), GTK_WIDGET (ed->freq));
  grid_row (GTK_GRID (grid), 2, _("_Mode"), GTK_WIDGET (ed->mode));
  grid_row (GTK_GRID (grid), 3, _("_Bandwidth (kHz)"), GTK_WIDGET (ed->bandwidth));
  grid_row (GTK_GRID (grid), 4, _("_Tags"), GTK_WIDGET (ed->tags));
  grid_row (GTK_GRID (grid), 5, _("C_olour"), GTK_WIDGET (ed->color));
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (ed->error), 0, 6, 2, 1);
  content = gtk_dialog_get_content_area (GTK_DIALOG (ed->dialog));
  gtk_box_append (GTK_BOX (content), grid);

  g_signal_connect (ed->dialog, "response", G_CALLBACK (on_editor_response), ed);
  gtk_window_present (GTK_WINDOW (ed->dialog));
  gtk_widget_grab_focus (GTK_WIDGET (ed->name));
}

void
fer_window_add_bookmark (FerWindow *self)
{
  FerBookmark b = { 0 };
  static char *no_tags[] = { NULL };

  b.freq_hz = fer_freq_control_get_frequency (self->freq_control);
  b.name = (char *) "";
  b.mode = (char *) (self->receiver ? fer_mode_name (fer_receiver_get_mode (self->receiver)) : "");
  b.bandwidth_hz = self->receiver ? fer_receiver_get_bandwidth (self->receiver) : 0;
  b.tags = no_tags;
  b.color = (char *) "#3584e4";
  open_editor (self, 0, &b);
}

void
fer_window_edit_bookmark (FerWindow *self, guint id)
{
  const FerBookmark *b = fer_bookmarks_lookup (self->bookmarks, id);

  if (b != NULL)
    open_editor (self, id, b);
}

/* Import and export */

static void
on_import_response (GtkNativeDialog *chooser, int response, FerWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL
      && (path = g_file_get_path (file)) != NULL)
    {
      if (!fer_bookmarks_import (self->bookmarks, path, &n, &error))
        fer_window_show_error_printf (self, _("Nothing was imported: %s"), error->message);
      else
        {
          g_autofree char *text = g_strdup_printf (ngettext ("%u bookmark imported",
                                                             "%u bookmarks imported", n), n);

          fer_window_bookmarks_changed (self);
          fer_window_show_message (self, FER_MESSAGE_INFO, text);
        }
    }
  g_object_unref (chooser);
}

static void
on_export_response (GtkNativeDialog *chooser, int response, FerWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL
      && (path = g_file_get_path (file)) != NULL)
    {
      if (!fer_bookmarks_export (self->bookmarks, path, &error))
        fer_window_show_error_printf (self, _("The bookmarks were not exported: %s"),
                                      error->message);
      else
        {
          g_autofree char *name = g_filename_display_name (path);
          g_autofree char *text = g_strdup_printf (_("Bookmarks exported to %s"), name);

          fer_window_show_message (self, FER_MESSAGE_INFO, text);
        }
    }
  g_object_unref (chooser);
}

static GtkFileFilter *
csv_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Bookmarks (CSV)"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  return filter;
}

void
fer_window_import_bookmarks (FerWindow *self)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Import Bookmarks"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv_filter ());
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response), self);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
fer_window_export_bookmarks (FerWindow *self)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export Bookmarks"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "bookmarks.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv_filter ());
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Setup */

void
fer_window_init_bookmarks (FerWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkWidget *placeholder = gtk_label_new (_("No bookmarks yet: Ctrl+D bookmarks the frequency."));
  g_autofree char *backup = NULL;
  g_autoptr(GError) error = NULL;

  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->bookmark_list, placeholder);
  g_signal_connect (self->bookmark_list, "row-activated", G_CALLBACK (on_row_activated), self);
  g_signal_connect (self->bookmark_list, "row-selected", G_CALLBACK (on_row_selected), self);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_list_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->bookmark_list), keys);

  self->bookmarks_path = fer_bookmarks_get_user_path ();
  if (!fer_bookmarks_load_user_file (self->bookmarks, self->bookmarks_path, &backup, &error))
    fer_window_show_message (self, FER_MESSAGE_ERROR, error->message);
  rebuild (self, 0);
}
