/* app-test-util.h - running the whole application on the demo dongle in a test.
 *
 * run_app () goes through startup, activate and shutdown as `ferrite` does;
 * the body runs once the window is there, and the application quits through
 * app.quit after it. Settings are reset to their defaults first.
 */
#pragma once

#include "ui-test-util.h"
#include "receiver/receiver.h"
#include "ui/application.h"
#include "ui/window.h"

G_BEGIN_DECLS

typedef struct _FerTestApp FerTestApp;

struct _FerTestApp {
  FerApplication *app;
  FerWindow *window;
  FerReceiver *receiver;   /* borrowed from the application */
  void (*body) (FerTestApp *f);
  gpointer data;           /* the test's own */
  gint64 activated_us;
  gboolean ran;
  gboolean keep_settings;  /* do not reset them before running */
};

/* The demo dongle at 100 MHz; @audio_path as in FerReceiverOptions. */
FerReceiver *fer_test_demo_receiver (const char *audio_path);

/* Runs the application around @body; @data ends up in f->data. */
void fer_test_run_app (FerReceiver *receiver, const char *startup_message,
                       void (*body) (FerTestApp *f), gpointer data);
/* The same with every option: settings kept or not, keys fixed. */
void fer_test_run_app_full (FerReceiver *receiver, const char *startup_message,
                            void (*body) (FerTestApp *f), gpointer data,
                            gboolean keep_settings, const char *const *fixed_settings);

/* The first drawable label under @root showing @text, or NULL. */
GtkWidget *fer_test_find_label (GtkWidget *root, const char *text);
/* The control a label showing @text names (its mnemonic widget), shown or
 * not (a hidden panel's too); aborts if there is none. */
GtkWidget *fer_test_find_control (GtkWidget *root, const char *text);
/* The first widget under @root of @type (drawable or not), or NULL. */
GtkWidget *fer_test_find_type (GtkWidget *root, GType type);

/* Waits until the spectrum view has @n_rows rows (or @timeout_ms). */
gboolean fer_test_wait_rows (FerSpectrumView *view, guint n_rows, guint timeout_ms);
/* Waits until the receiver listens to @freq_hz (or @timeout_ms). */
gboolean fer_test_wait_freq (FerReceiver *receiver, double freq_hz, guint timeout_ms);

/* Gives the window the X keyboard focus (no window manager: the pointer
 * over it does), so that xdotool's keys reach it. */
void fer_test_focus_window (FerWindow *window);

G_END_DECLS
