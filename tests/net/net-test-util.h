/* net-test-util.h - helpers for the network and recording tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @dir and everything in it (one level of files and folders deep). */
void net_rm_tree (const char *dir);
/* A TCP (or UDP) port on 127.0.0.1 nobody listens on right now. */
guint16 net_free_port (gboolean udp);
/* Connects to 127.0.0.1:@port, retrying for up to @timeout_ms while the
 * server comes up; -1 if it never does. */
int net_connect (guint16 port, guint timeout_ms);
/* Reads exactly @n bytes within @timeout_ms; FALSE on EOF or timeout. */
gboolean net_read_all (int fd, void *buf, gsize n, guint timeout_ms);
/* The path of the ferrite binary under test ($FERRITE_BIN). */
const char *net_ferrite_bin (void);
/* Starts @argv (NULL-terminated) with no sound server and no display;
 * stderr goes to @stderr_path when set. */
GPid net_spawn (const char *const *argv, const char *stderr_path);
/* The same, in folder @cwd. */
GPid net_spawn_in (const char *const *argv, const char *stderr_path, const char *cwd);
/* Waits up to @timeout_ms for @pid; returns its exit status, -1 if it was
 * killed by a signal; kills it (and returns -2) when it does not end. */
int net_wait (GPid pid, guint timeout_ms);
/* Fits the tone in WAV @path from @skip_s on: asserts @freq_hz within 0.5 Hz
 * and SINAD >= @min_sinad_db; returns the SINAD. */
double net_assert_wav_tone (const char *path, double freq_hz, double min_sinad_db, double skip_s);
/* The same on @n mono samples at @rate_hz. */
double net_assert_tone (const float *x, gsize n, double rate_hz, double freq_hz,
                        double min_sinad_db);

G_END_DECLS
