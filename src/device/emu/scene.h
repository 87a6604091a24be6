/* scene.h - what the emulated dongle "receives": a list of emitters over a
 * white noise floor, synthesized as complex baseband for a window of the
 * spectrum.
 *
 * Units: a level of 0 dBFS is a complex sine of amplitude 1.0 (full scale of
 * the dongle's 8-bit ADC once the dongle scales it) at the reference gain
 * FER_SCENE_REF_GAIN_DB; the dongle scales everything by its actual gain.
 *
 * Synthesis is cheap (table oscillators, a precomputed noise table) and
 * continuous: every oscillator keeps its phase across render calls and
 * retunes, and time advances by n_samples / rate at the rate each call is
 * given. Not thread-safe: one thread renders; add emitters before rendering.
 */
#pragma once

#include <glib.h>

#include "scene-rds.h"

G_BEGIN_DECLS

/* Tuner gain at which emitter levels and the noise floor are specified. */
#define FER_SCENE_REF_GAIN_DB 30.0

typedef enum {
  FER_EMITTER_CARRIER,     /* unmodulated carrier */
  FER_EMITTER_AM,          /* carrier amplitude-modulated by the left tune, depth am_depth */
  FER_EMITTER_NFM,         /* FM by the left tune at peak deviation deviation_hz */
  FER_EMITTER_WFM_STEREO,  /* broadcast FM stereo: (L+R)/2 + 10 % 19 kHz pilot +
                            * (L-R)/2 on a 38 kHz DSB-SC subcarrier locked to the pilot */
  FER_EMITTER_USB,         /* upper sideband: the left and right tunes' notes sound together
                            * (a tone pair), each note shaped like a syllable (rising and
                            * falling over note_s) when the tune has several notes */
  FER_EMITTER_LSB,         /* the same below the carrier */
  FER_EMITTER_CW,          /* a carrier keyed in Morse: morse at wpm words a minute, looping,
                            * with 5 ms soft edges */
  FER_EMITTER_AM_FADING,   /* AM whose carrier alone fades by fade_db and back every
                            * fade_period_s (selective fading: the sidebands stay) */
} FerEmitterKind;

#define FER_TUNE_MAX_NOTES 8

/* A modulating signal: sine notes played in turn, looping. */
typedef struct {
  float notes_hz[FER_TUNE_MAX_NOTES];  /* 0 = a rest (silence) */
  guint n_notes;                       /* 0 = silent; 1 = a steady tone */
  float note_s;                        /* duration of each note when n_notes > 1 */
} FerTune;

typedef struct {
  const char *label;       /* static string shown in docs and test messages */
  FerEmitterKind kind;
  double freq_hz;          /* carrier frequency */
  double level_dbfs;       /* carrier power at FER_SCENE_REF_GAIN_DB, dB re full scale
                            * (USB/LSB: the tones' total power while sounding) */
  double deviation_hz;     /* NFM: peak deviation of the tone; WFM: deviation of a
                            * full-scale multiplex signal (0 = 75 kHz) */
  double audio_level;      /* WFM: peak amplitude of L and R as a fraction of the
                            * full-scale deviation (<= 0.9 leaves room for the pilot) */
  double am_depth;         /* AM: modulation depth 0..1 */
  FerTune left;            /* AM/NFM modulation; WFM left channel */
  FerTune right;           /* WFM right channel */
  double key_on_s;         /* keyed transmitter: on for key_on_s, then off for */
  double key_off_s;        /* key_off_s, repeating; both 0 = always on */
  const FerRdsStation *rds; /* WFM: RDS on the 57 kHz subcarrier (static); NULL = none */
  const char *morse;       /* CW: the text sent (static string; A-Z, 0-9, space, / ? . ,) */
  double wpm;              /* CW: words a minute (0 = 18) */
  double fade_period_s;    /* AM_FADING: one fade and recovery */
  double fade_db;          /* AM_FADING: how deep the carrier sinks */
} FerEmitter;

typedef struct _FerScene FerScene;

/* @noise_floor_dbfs_hz: noise density at the reference gain, dBFS per Hz
 * (e.g. -133: -69 dBFS over 2.4 MHz). */
FerScene *fer_scene_new (double noise_floor_dbfs_hz);
/* The documented demo scene (scene-default.c). */
FerScene *fer_scene_new_default (void);
void fer_scene_free (FerScene *scene);

/* Copies @emitter (label must be a static string). */
void fer_scene_add (FerScene *scene, const FerEmitter *emitter);
guint fer_scene_get_n_emitters (const FerScene *scene);
const FerEmitter *fer_scene_get_emitter (const FerScene *scene, guint index);
double fer_scene_get_noise_floor_dbfs_hz (const FerScene *scene);
/* Seconds of signal rendered so far. */
double fer_scene_get_time (const FerScene *scene);

/* The emitters of the default scene and the noise floor it uses. */
const FerEmitter *fer_scene_default_emitters (guint *n_emitters);
#define FER_SCENE_DEFAULT_NOISE_FLOOR_DBFS_HZ (-133.0)

/* How the spectrum maps into the rendered baseband. An emitter at RF f lands
 * at f - center_hz, or at center_hz - f with its envelope conjugated when
 * @mirrored. Its amplitude is scaled by gain_below when f < split_hz and by
 * gain_above otherwise (a front end that treats the two sides of its LO
 * differently, e.g. an image-reject mixer). */
typedef struct {
  double center_hz;
  gboolean mirrored;
  double split_hz;
  double gain_below;
  double gain_above;
} FerSceneView;

#define FER_SCENE_MAX_VIEWS 2

/* One rendered window: the sum of every view (an emitter visible in two
 * views appears twice) plus the noise floor once. Emitters are synthesized
 * only when |f - center_hz| < rate_hz / 2 for a view. */
typedef struct {
  double rate_hz;
  double noise_gain;        /* amplitude factor for the noise floor */
  guint n_views;            /* 0 .. FER_SCENE_MAX_VIEWS */
  FerSceneView views[FER_SCENE_MAX_VIEWS];
} FerSceneWindow;

/* Writes @n_samples complex samples as interleaved (I, Q) floats to @iq
 * (2 * n_samples floats) and advances time by n_samples / rate_hz. */
void fer_scene_render (FerScene *scene, const FerSceneWindow *window, float *iq,
                       gsize n_samples);

/* Mean power (|iq|^2) fer_scene_render would produce for @window, counting
 * keyed emitters as transmitting. */
double fer_scene_window_power (const FerScene *scene, const FerSceneWindow *window);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerScene, fer_scene_free)

G_END_DECLS
