/* spectrum-view-input.c - FerSpectrumView: the pointer zooms, pans, tunes and sets the bandwidth. */
#define G_LOG_DOMAIN "fer-ui"

#include "spectrum-view-private.h"

#include <math.h>




/* The passband's edges on screen; FALSE if there is none to grab. */
static gboolean
passband_x (FerSpectrumView *self, double *x0, double *x1)
{
  if (!isfinite (self->tuned_hz) || self->pb_hi_hz <= self->pb_lo_hz)
    return FALSE;
  *x0 = fer_spectrum_view_freq_to_x (self, self->tuned_hz + self->pb_lo_hz);
  *x1 = fer_spectrum_view_freq_to_x (self, self->tuned_hz + self->pb_hi_hz);
  return *x1 - *x0 >= 6.0;  /* narrower: the edges cannot be told from the middle */
}

/* Near an edge: @sign -1 for the lower one, +1 for the upper. */
static gboolean
near_edge (FerSpectrumView *self, double x, double *sign)
{
  double x0, x1;

  if (!self->bw_adjustable || !passband_x (self, &x0, &x1))
    return FALSE;
  if (fabs (x - x0) <= EDGE_GRAB_PX)
    *sign = -1;
  else if (fabs (x - x1) <= EDGE_GRAB_PX)
    *sign = 1;
  else
    return FALSE;
  return TRUE;
}

static gboolean
in_passband (FerSpectrumView *self, double x)
{
  double x0, x1;

  return passband_x (self, &x0, &x1) && x > x0 && x < x1;
}

static int
marker_at (FerSpectrumView *self, double x, double y)
{
  /* the last drawn is on top */
  for (guint i = self->markers->len; i-- > 0;)
    {
      const Marker *m = &g_array_index (self->markers, Marker, i);

      if (m->label.size.width > 0
          && graphene_rect_contains_point (&m->label, &GRAPHENE_POINT_INIT ((float) x, (float) y)))
        return (int) i;
    }
  return -1;
}

static void
update_cursor (FerSpectrumView *self, double x, double y)
{
  const char *name = NULL;
  double sign;

  if (self->drag == DRAG_PAN)
    name = "grabbing";
  else if (self->drag == DRAG_EDGE || (self->drag == DRAG_NONE && near_edge (self, x, &sign)))
    name = "col-resize";
  else if (self->drag == DRAG_NONE && marker_at (self, x, y) >= 0)
    name = "pointer";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, FerSpectrumView *self)
{
  double sign;
  int marker;

  if (!have_band (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_x = x;
  self->drag_y = y;
  self->drag_view_center_hz = view_lo (self) + view_span (self) / 2;
  self->drag_tuned_hz = self->tuned_hz;
  if ((marker = marker_at (self, x, y)) >= 0)
    {
      self->drag = DRAG_MARKER;
      self->drag_marker = (guint) marker;
    }
  else if (near_edge (self, x, &sign))
    {
      self->drag = DRAG_EDGE;
      self->drag_edge = sign;
    }
  else if (in_passband (self, x))
    self->drag = DRAG_PASSBAND;
  else
    self->drag = DRAG_PENDING;
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, FerSpectrumView *self)
{
  double hz_per_px = view_span (self) / view_width (self);
  gboolean moved = fabs (dx) >= DRAG_THRESHOLD_PX || fabs (dy) >= DRAG_THRESHOLD_PX;

  switch (self->drag)
    {
    case DRAG_EDGE:
      {
        double edge_hz = fer_spectrum_view_x_to_freq (self, self->drag_x + dx) - self->tuned_hz;
        gboolean centred = fabs (self->pb_lo_hz + self->pb_hi_hz) < 1.0;
        double bw;

        /* a centred passband stays centred: both edges move */
        if (centred)
          bw = 2 * fabs (edge_hz);
        else if (self->drag_edge > 0)
          bw = edge_hz - self->pb_lo_hz;
        else
          bw = self->pb_hi_hz - edge_hz;
        bw = CLAMP (bw, self->bw_min_hz, self->bw_max_hz);
        if (bw != self->pb_hi_hz - self->pb_lo_hz)
          {
            if (centred)
              self->pb_lo_hz = -(self->pb_hi_hz = bw / 2);
            else if (self->drag_edge > 0)
              self->pb_hi_hz = self->pb_lo_hz + bw;
            else
              self->pb_lo_hz = self->pb_hi_hz - bw;
            gtk_widget_queue_draw (GTK_WIDGET (self));
            g_signal_emit (self, fer_spectrum_view_signals[SIGNAL_BANDWIDTH_REQUESTED], 0, bw);
          }
        break;
      }
    case DRAG_PASSBAND:
      if (moved)
        g_signal_emit (self, fer_spectrum_view_signals[SIGNAL_TUNE_REQUESTED], 0,
                       self->drag_tuned_hz + dx * hz_per_px);
      break;
    case DRAG_PENDING:
      if (!moved)
        break;
      self->drag = DRAG_PAN;
      update_cursor (self, self->drag_x + dx, self->drag_y + dy);
      G_GNUC_FALLTHROUGH;
    case DRAG_PAN:
      fer_spectrum_view_set_view (self, self->zoom, self->drag_view_center_hz - dx * hz_per_px);
      break;
    case DRAG_MARKER:
    case DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, FerSpectrumView *self)
{
  gboolean moved = fabs (dx) >= DRAG_THRESHOLD_PX || fabs (dy) >= DRAG_THRESHOLD_PX;
  DragKind kind = self->drag;

  self->drag = DRAG_NONE;
  if (kind == DRAG_MARKER && !moved)
    g_signal_emit (self, fer_spectrum_view_signals[SIGNAL_MARKER_ACTIVATED], 0, self->drag_marker);
  else if ((kind == DRAG_PENDING || kind == DRAG_PASSBAND) && !moved)
    {
      double f = fer_spectrum_view_x_to_freq (self, self->drag_x);

      if (isfinite (f))
        g_signal_emit (self, fer_spectrum_view_signals[SIGNAL_TUNE_REQUESTED], 0, f);
    }
  update_cursor (self, self->drag_x + dx, self->drag_y + dy);
}

static void
on_drag_cancel (GtkGesture *gesture, GdkEventSequence *sequence, FerSpectrumView *self)
{
  self->drag = DRAG_NONE;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller, double dx, double dy, FerSpectrumView *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double anchor;

  if (!have_band (self))
    return FALSE;
  /* sideways, or Shift with the wheel: pan */
  if (fabs (dx) > fabs (dy) || (state & GDK_SHIFT_MASK))
    {
      fer_spectrum_view_pan_by (self, 0.1 * (fabs (dx) > fabs (dy) ? dx : dy));
      return TRUE;
    }
  if (dy == 0)
    return FALSE;
  /* zoom around the frequency under the pointer */
  anchor = fer_spectrum_view_x_to_freq (self, self->hover ? self->hover_x : view_width (self) / 2);
  fer_spectrum_view_zoom_by (self, pow (WHEEL_ZOOM_STEP, -dy), anchor);
  return TRUE;
}

static void
on_pinch_begin (GtkGesture *gesture, GdkEventSequence *sequence, FerSpectrumView *self)
{
  self->pinch_zoom = self->zoom;
}

static void
on_pinch_scale_changed (GtkGestureZoom *gesture, double scale, FerSpectrumView *self)
{
  double cx, cy;

  if (!have_band (self) || scale <= 0)
    return;
  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    cx = view_width (self) / 2;
  fer_spectrum_view_zoom_by (self, self->pinch_zoom * scale / self->zoom,
                             fer_spectrum_view_x_to_freq (self, cx));
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, FerSpectrumView *self)
{
  self->hover = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  update_cursor (self, x, y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *motion, FerSpectrumView *self)
{
  self->hover = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fer_spectrum_view_init_input (FerSpectrumView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  g_signal_connect (drag, "cancel", G_CALLBACK (on_drag_cancel), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (pinch));

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, scroll);

  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (widget, motion);
}
