/* freq-control.c - FerFreqControl: the large frequency display you can turn. */
#define G_LOG_DOMAIN "fer-ui"

#include "freq-control.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "receiver/parse.h"

#define DIGIT_SCALE 2.0       /* the digits are twice the normal text size */
#define PAD_X 8.f
#define PAD_Y 4.f
#define MAX_DIGITS 12
#define MAX_EDIT_CHARS 24

struct _FerFreqControl {
  GtkWidget parent_instance;

  gint64 freq_hz;
  gint64 min_hz, max_hz;
  guint n_digits;           /* digits shown, from max_hz */
  guint selected;           /* exponent of the digit the keys step */

  gboolean hovering;
  double hover_x, hover_y;

  gboolean editing;
  gboolean edit_error;      /* the last Enter was refused */
  GString *edit;            /* owned; what the user typed */
};

G_DEFINE_FINAL_TYPE (FerFreqControl, fer_freq_control, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FREQUENCY,
  PROP_MIN_FREQUENCY,
  PROP_MAX_FREQUENCY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FREQUENCY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
pow10_i (guint exponent)
{
  gint64 p = 1;

  while (exponent-- > 0)
    p *= 10;
  return p;
}

static guint
count_digits (gint64 v)
{
  guint n = 1;

  while (v >= 10 && n < MAX_DIGITS)
    {
      v /= 10;
      n++;
    }
  return n;
}

/* Geometry */

typedef struct {
  float digit_w;   /* every digit cell (tabular figures) */
  float sep_w;     /* the group separator */
  float text_h;
  float unit_w;    /* " Hz" after the digits */
  float unit_h;
  int baseline;    /* of the digits, from their top, in Pango units */
  int unit_baseline;
} Metrics;

static PangoLayout *
create_digit_layout (FerFreqControl *self, const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (DIGIT_SCALE));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
get_metrics (FerFreqControl *self, Metrics *m)
{
  PangoLayout *layout = create_digit_layout (self, "0");
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  m->digit_w = (float) logical.width;
  m->text_h = (float) logical.height;
  m->baseline = pango_layout_get_baseline (layout);
  pango_layout_set_text (layout, ".", -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  m->sep_w = MAX ((float) logical.width, m->digit_w * 0.3f);
  g_object_unref (layout);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), " Hz");
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  m->unit_w = (float) logical.width;
  m->unit_h = (float) logical.height;
  m->unit_baseline = pango_layout_get_baseline (layout);
  g_object_unref (layout);
}

/* Separators follow the digits for 10^9, 10^6, 10^3. */
static gboolean
has_separator_after (guint exponent)
{
  return exponent > 0 && exponent % 3 == 0;
}

static float
digit_x (FerFreqControl *self, const Metrics *m, guint exponent)
{
  guint pos = self->n_digits - 1 - exponent;
  guint seps = (self->n_digits - 1) / 3 - exponent / 3;

  return PAD_X + (float) pos * m->digit_w + (float) seps * m->sep_w;
}

static float
digits_end_x (FerFreqControl *self, const Metrics *m)
{
  return digit_x (self, m, 0) + m->digit_w;
}

/* The exponent of the digit at @x, or -1. A separator counts for the digit
 * on its left. */
static int
digit_at (FerFreqControl *self, const Metrics *m, double x)
{
  for (int e = (int) self->n_digits - 1; e >= 0; e--)
    {
      float x0 = digit_x (self, m, (guint) e);
      float x1 = x0 + m->digit_w + (has_separator_after ((guint) e) ? m->sep_w : 0.f);

      if (x >= x0 && x < x1)
        return e;
    }
  return -1;
}

gboolean
fer_freq_control_get_digit_area (FerFreqControl *self, guint exponent, graphene_rect_t *area)
{
  Metrics m;

  g_return_val_if_fail (FER_IS_FREQ_CONTROL (self), FALSE);
  if (exponent >= self->n_digits)
    return FALSE;
  get_metrics (self, &m);
  *area = GRAPHENE_RECT_INIT (digit_x (self, &m, exponent),
                              (gtk_widget_get_height (GTK_WIDGET (self)) - m.text_h) / 2.f,
                              m.digit_w, m.text_h);
  return TRUE;
}

/* State */

static void
update_accessible (FerFreqControl *self)
{
  char *text = fer_format_frequency ((double) self->freq_hz);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, (double) self->min_hz,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) self->max_hz,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) self->freq_hz,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  /* read out by screen readers that skip value text */
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  g_free (text);
}

static gboolean
set_freq_internal (FerFreqControl *self, gint64 hz)
{
  if (hz == self->freq_hz)
    return FALSE;
  self->freq_hz = hz;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FREQUENCY]);
  return TRUE;
}

/* A change by the user: clamped to the range, announced. */
static void
user_set (FerFreqControl *self, gint64 hz)
{
  hz = CLAMP (hz, self->min_hz, self->max_hz);
  if (set_freq_internal (self, hz))
    g_signal_emit (self, signals[SIGNAL_FREQUENCY_CHANGED], 0, (double) hz);
}

static void
step_digit (FerFreqControl *self, guint exponent, int n_steps)
{
  user_set (self, self->freq_hz + n_steps * pow10_i (exponent));
}

static void
select_digit (FerFreqControl *self, guint exponent)
{
  self->selected = MIN (exponent, self->n_digits - 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
start_edit (FerFreqControl *self)
{
  self->editing = TRUE;
  self->edit_error = FALSE;
  g_string_truncate (self->edit, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
stop_edit (FerFreqControl *self)
{
  if (!self->editing)
    return;
  self->editing = FALSE;
  self->edit_error = FALSE;
  g_string_truncate (self->edit, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
commit_edit (FerFreqControl *self)
{
  double hz;

  /* compared as doubles: a huge typed value must not reach llround () */
  if (!fer_parse_frequency (self->edit->str, &hz)
      || !(hz >= self->min_hz - 0.5 && hz < self->max_hz + 0.5))
    {
      self->edit_error = TRUE;
      gtk_widget_error_bell (GTK_WIDGET (self));
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  stop_edit (self);
  user_set (self, llround (hz));
}

/* Drawing */

static void
fer_freq_control_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  FerFreqControl *self = FER_FREQ_CONTROL (widget);
  float height = (float) gtk_widget_get_height (widget);
  gboolean focused = gtk_widget_has_focus (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  GdkRGBA fg, dim, accent = { 0.21f, 0.52f, 0.89f, 1.f }, error = { 0.88f, 0.11f, 0.14f, 1.f };
  Metrics m;
  float top, x_end;
  PangoLayout *layout;
  char text[2] = { 0 };
  int lead;  /* exponent of the highest digit that is not a leading zero */

  gtk_style_context_get_color (style, &fg);
  dim = fg;
  dim.alpha *= 0.3f;
  get_metrics (self, &m);
  top = roundf ((height - m.text_h) / 2.f);
  x_end = digits_end_x (self, &m);
  layout = create_digit_layout (self, "0");

  if (self->editing)
    {
      PangoRectangle logical;
      float x;

      pango_layout_set_text (layout, self->edit->str, -1);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      /* right-aligned where the digits end, as on a calculator */
      x = MAX (PAD_X, x_end - (float) logical.width - 3.f);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, top));
      gtk_snapshot_append_layout (snapshot, layout, self->edit_error ? &error : &fg);
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_append_color (snapshot, &accent,
                                 &GRAPHENE_RECT_INIT (x + (float) logical.width + 1.f, top + 3.f,
                                                      2.f, m.text_h - 6.f));
      gtk_snapshot_append_color (snapshot, self->edit_error ? &error : &accent,
                                 &GRAPHENE_RECT_INIT (PAD_X, top + m.text_h, x_end - PAD_X, 2.f));
    }
  else
    {
      lead = (int) count_digits (self->freq_hz) - 1;
      for (int e = (int) self->n_digits - 1; e >= 0; e--)
        {
          float x = digit_x (self, &m, (guint) e);
          gint64 digit = (self->freq_hz / pow10_i ((guint) e)) % 10;
          const GdkRGBA *color = e > lead ? &dim : &fg;

          if (self->hovering && digit_at (self, &m, self->hover_x) == e)
            {
              gboolean upper = self->hover_y < height / 2.f;
              GdkRGBA shade = fg;

              shade.alpha *= 0.12f;
              gtk_snapshot_append_color (snapshot, &shade,
                                         &GRAPHENE_RECT_INIT (x, upper ? top : top + m.text_h / 2.f,
                                                              m.digit_w, m.text_h / 2.f));
            }
          text[0] = (char) ('0' + digit);
          pango_layout_set_text (layout, text, 1);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, top));
          gtk_snapshot_append_layout (snapshot, layout, color);
          if (has_separator_after ((guint) e))
            {
              pango_layout_set_text (layout, ".", 1);
              gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (m.digit_w, 0));
              gtk_snapshot_append_layout (snapshot, layout, e > lead ? &dim : &fg);
            }
          gtk_snapshot_restore (snapshot);
          if (focused && (guint) e == self->selected)
            gtk_snapshot_append_color (snapshot, &accent,
                                       &GRAPHENE_RECT_INIT (x + 1.f, top + m.text_h, m.digit_w - 2.f,
                                                            3.f));
        }
    }
  g_object_unref (layout);

  layout = gtk_widget_create_pango_layout (widget, " Hz");
  gtk_snapshot_save (snapshot);
  /* on the digits' baseline */
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (x_end, top + (float) (m.baseline - m.unit_baseline)
                                                                  / PANGO_SCALE));
  gtk_snapshot_append_layout (snapshot, layout, &dim);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
fer_freq_control_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                          int *minimum, int *natural, int *minimum_baseline,
                          int *natural_baseline)
{
  FerFreqControl *self = FER_FREQ_CONTROL (widget);
  Metrics m;

  get_metrics (self, &m);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = (int) ceilf (digits_end_x (self, &m) + m.unit_w + PAD_X);
  else
    *minimum = *natural = (int) ceilf (m.text_h + 2 * PAD_Y + 3.f);
}

/* Input */

static void
on_click_pressed (GtkGestureClick *gesture, int n_press, double x, double y,
                  FerFreqControl *self)
{
  Metrics m;
  int e;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  stop_edit (self);
  get_metrics (self, &m);
  e = digit_at (self, &m, x);
  if (e < 0)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  select_digit (self, (guint) e);
  step_digit (self, (guint) e, y < gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 ? 1 : -1);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller, double dx, double dy, FerFreqControl *self)
{
  int n_steps = (int) -lround (dy);
  guint exponent = self->selected;

  if (self->editing || n_steps == 0)
    return self->editing;
  if (self->hovering)
    {
      Metrics m;
      int e;

      get_metrics (self, &m);
      e = digit_at (self, &m, self->hover_x);
      if (e < 0)
        return FALSE;
      exponent = (guint) e;
      select_digit (self, exponent);
    }
  step_digit (self, exponent, n_steps);
  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, FerFreqControl *self)
{
  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *motion, FerFreqControl *self)
{
  self->hovering = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
is_edit_char (gunichar c)
{
  return (c >= '0' && c <= '9') || c == '.' || c == ',' || strchr ("kKmMgGhHzZ ", (int) c) != NULL;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, FerFreqControl *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);

  /* leave shortcuts (Ctrl+L, Ctrl+Q, ...) to the window */
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return FALSE;

  if (self->editing)
    {
      switch (keyval)
        {
        case GDK_KEY_Return:
        case GDK_KEY_KP_Enter:
        case GDK_KEY_ISO_Enter:
          commit_edit (self);
          return TRUE;
        case GDK_KEY_Escape:
          stop_edit (self);
          return TRUE;
        case GDK_KEY_BackSpace:
          if (self->edit->len > 0)
            g_string_truncate (self->edit, self->edit->len - 1);
          self->edit_error = FALSE;
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return TRUE;
        case GDK_KEY_Tab:
        case GDK_KEY_ISO_Left_Tab:
          stop_edit (self);
          return FALSE;
        default:
          if (c != 0 && is_edit_char (c) && self->edit->len < MAX_EDIT_CHARS)
            {
              g_string_append_c (self->edit, c == ',' ? '.' : (char) c);
              self->edit_error = FALSE;
              gtk_widget_queue_draw (GTK_WIDGET (self));
            }
          return TRUE;  /* the edit owns the keyboard until Enter or Escape */
        }
    }

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      step_digit (self, self->selected, 1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      step_digit (self, self->selected, -1);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      select_digit (self, MIN (self->selected + 1, self->n_digits - 1));
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      select_digit (self, self->selected > 0 ? self->selected - 1 : 0);
      return TRUE;
    default:
      break;
    }

  /* a digit, the decimal point or a multiplier starts typing a frequency */
  if (c != 0 && (g_unichar_isdigit (c) || c == '.' || c == ',' || strchr ("kKmMgG", (int) c)))
    {
      start_edit (self);
      g_string_append_c (self->edit, c == ',' ? '.' : (char) c);
      return TRUE;
    }
  return FALSE;
}

static void
on_focus_enter (GtkEventControllerFocus *focus, FerFreqControl *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_focus_leave (GtkEventControllerFocus *focus, FerFreqControl *self)
{
  stop_edit (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* API */

void
fer_freq_control_set_frequency (FerFreqControl *self, double freq_hz)
{
  g_return_if_fail (FER_IS_FREQ_CONTROL (self));
  g_return_if_fail (isfinite (freq_hz));
  set_freq_internal (self, llround (MAX (freq_hz, 0.0)));
}

double
fer_freq_control_get_frequency (FerFreqControl *self)
{
  g_return_val_if_fail (FER_IS_FREQ_CONTROL (self), 0.0);
  return (double) self->freq_hz;
}

void
fer_freq_control_set_range (FerFreqControl *self, double min_hz, double max_hz)
{
  guint n_digits;

  g_return_if_fail (FER_IS_FREQ_CONTROL (self));
  g_return_if_fail (min_hz >= 0 && max_hz >= min_hz && max_hz < 1e12);

  self->min_hz = llround (min_hz);
  self->max_hz = llround (max_hz);
  n_digits = count_digits (self->max_hz);
  if (n_digits != self->n_digits)
    {
      self->n_digits = n_digits;
      self->selected = MIN (self->selected, n_digits - 1);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_FREQUENCY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_FREQUENCY]);
}

void
fer_freq_control_get_range (FerFreqControl *self, double *min_hz, double *max_hz)
{
  g_return_if_fail (FER_IS_FREQ_CONTROL (self));
  if (min_hz)
    *min_hz = (double) self->min_hz;
  if (max_hz)
    *max_hz = (double) self->max_hz;
}

void
fer_freq_control_set_selected_digit (FerFreqControl *self, guint exponent)
{
  g_return_if_fail (FER_IS_FREQ_CONTROL (self));
  select_digit (self, exponent);
}

guint
fer_freq_control_get_selected_digit (FerFreqControl *self)
{
  g_return_val_if_fail (FER_IS_FREQ_CONTROL (self), 0);
  return self->selected;
}

gboolean
fer_freq_control_is_editing (FerFreqControl *self)
{
  g_return_val_if_fail (FER_IS_FREQ_CONTROL (self), FALSE);
  return self->editing;
}

/* GObject */

static void
fer_freq_control_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FerFreqControl *self = FER_FREQ_CONTROL (object);

  switch (prop_id)
    {
    case PROP_FREQUENCY:
      g_value_set_double (value, (double) self->freq_hz);
      break;
    case PROP_MIN_FREQUENCY:
      g_value_set_double (value, (double) self->min_hz);
      break;
    case PROP_MAX_FREQUENCY:
      g_value_set_double (value, (double) self->max_hz);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fer_freq_control_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  FerFreqControl *self = FER_FREQ_CONTROL (object);

  switch (prop_id)
    {
    case PROP_FREQUENCY:
      fer_freq_control_set_frequency (self, g_value_get_double (value));
      break;
    case PROP_MIN_FREQUENCY:
      fer_freq_control_set_range (self, g_value_get_double (value),
                                  MAX ((double) self->max_hz, g_value_get_double (value)));
      break;
    case PROP_MAX_FREQUENCY:
      fer_freq_control_set_range (self, MIN ((double) self->min_hz, g_value_get_double (value)),
                                  g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fer_freq_control_finalize (GObject *object)
{
  FerFreqControl *self = FER_FREQ_CONTROL (object);

  g_string_free (self->edit, TRUE);
  G_OBJECT_CLASS (fer_freq_control_parent_class)->finalize (object);
}

static void
fer_freq_control_class_init (FerFreqControlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fer_freq_control_get_property;
  object_class->set_property = fer_freq_control_set_property;
  object_class->finalize = fer_freq_control_finalize;
  widget_class->snapshot = fer_freq_control_snapshot;
  widget_class->measure = fer_freq_control_measure;

  properties[PROP_FREQUENCY] =
    g_param_spec_double ("frequency", NULL, NULL, 0, 1e12, 100e6,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_FREQUENCY] =
    g_param_spec_double ("min-frequency", NULL, NULL, 0, 1e12, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_FREQUENCY] =
    g_param_spec_double ("max-frequency", NULL, NULL, 0, 1e12, 2e9,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerFreqControl::frequency-changed:
   * @freq_hz: the new frequency
   *
   * The user changed the frequency (wheel, click, keys or typing).
   */
  signals[SIGNAL_FREQUENCY_CHANGED] =
    g_signal_new ("frequency-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "freqcontrol");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SPIN_BUTTON);
}

static void
fer_freq_control_init (FerFreqControl *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL
                                     | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->edit = g_string_new (NULL);
  self->freq_hz = 100000000;
  self->min_hz = 0;
  self->max_hz = 2000000000;
  self->n_digits = count_digits (self->max_hz);
  self->selected = 3;  /* kHz: the step people use most */

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, scroll);

  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (widget, motion);

  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (widget, key);

  g_signal_connect (focus, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (widget, focus);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Frequency"), -1);
  update_accessible (self);
}

GtkWidget *
fer_freq_control_new (void)
{
  return g_object_new (FER_TYPE_FREQ_CONTROL, NULL);
}
