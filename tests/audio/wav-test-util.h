/* wav-test-util.h - shared by the WAV writer and reader tests: temporary
 * directories, tones, and WAV files built byte by byte, valid or not. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One 16-bit step, the most a round trip through a 16-bit file may change a sample. */
#define FER_TEST_LSB (1.0 / 32767.0)

/* A new directory in the temporary folder; fer_test_remove_tree removes it
 * and the files in it (not subfolders). */
char *fer_test_make_tmp_dir (void);
void fer_test_remove_tree (const char *dir);
/* Names in @dir, sorted, joined by spaces ("" when empty). */
char *fer_test_list_dir (const char *dir);
/* Interleaved frames: channel c holds a sine of @freq_hz * (c + 1). */
float *fer_test_make_tone (gsize n_frames, guint channels, double rate_hz, double freq_hz,
                           double amplitude);

guint16 fer_test_le16 (const guint8 *p);
guint32 fer_test_le32 (const guint8 *p);
void fer_test_put16 (GByteArray *b, guint16 v);
void fer_test_put32 (GByteArray *b, guint32 v);
void fer_test_put_id (GByteArray *b, const char *id);
/* A 16-byte fmt chunk. */
void fer_test_put_fmt (GByteArray *b, guint16 tag, guint16 channels, guint32 rate_hz,
                       guint16 bits);
/* "RIFF" <size> "WAVE"; fer_test_riff_finish patches the size. */
GByteArray *fer_test_riff_start (void);
void fer_test_riff_finish (GByteArray *b);
/* A valid 16-bit mono 8 kHz file of @n samples 0, 100, 200, ... */
GByteArray *fer_test_small_valid_wav (guint n);
/* Writes @bytes to @dir/@name; returns the path. */
char *fer_test_write_bytes (const char *dir, const char *name, const guint8 *bytes, gsize n);

/* Reading @path fails with FER_AUDIO_ERROR_FORMAT and a message naming it. */
void fer_test_assert_format_error (const char *path, const char *why);
/* @error is FER_AUDIO_ERROR_IO and its message names @path and errno @errsv. */
void fer_test_assert_io_error_names (GError *error, const char *path, int errsv);

G_END_DECLS
