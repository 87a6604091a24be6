/* scene-default.c - the demo scene the emulated dongle receives by default.
 *
 * Noise floor: -133 dBFS/Hz at the reference gain (30 dB), i.e. -69 dBFS over
 * 2.4 MHz. Levels are carrier power at the reference gain; with the tuner AGC
 * on (VGA at 0x0b) the output of a 2.4 MHz window is held near -20 dBFS rms,
 * so a level L dBFS appears at roughly L + 8 dBFS when tuned to 100.0 MHz.
 *
 *  freq (MHz)  kind        level  modulation
 *  ----------  ----------  -----  ---------------------------------------------
 *   88.300     WFM stereo   -42   L 440 Hz, R 550 Hz, audio 60 %
 *   91.200     WFM stereo   -46   L tune C5 E5 G5 C6 (0.4 s each), R 220 Hz, 70 %
 *   94.600     WFM stereo   -36   L = R tune 600/800/1000/800 Hz (0.25 s), 60 %
 *   99.100     WFM stereo   -48   L 440 Hz, R 660 Hz, audio 60 % (weak)
 *   99.500     WFM stereo   -40   L tune A4 C#5 E5 A5 (0.5 s each), R 300 Hz, 70 %
 *  100.000     WFM stereo   -30   L = R = 1 kHz, audio 50 % (37.5 kHz deviation):
 *                                 the reference station, strong and clean
 *  100.500     WFM stereo   -38   L 1 kHz, R silent (stereo separation), 60 %
 *  100.900     WFM stereo   -45   L 400 Hz, R 2.5 kHz, audio 60 %
 *  103.300     WFM stereo   -44   L = R 1.5 kHz, audio 40 %
 *  105.800     WFM stereo   -50   L 250 Hz, R 3 kHz, audio 60 %
 *  118.700     AM 50 %      -45   1 kHz tone (airband)
 *  124.350     AM 50 %      -50   tune 600/900 Hz (0.5 s), keyed 5 s on, 2 s off
 *  145.500     NFM 5 kHz    -50   tune 800/1200 Hz (0.3 s), keyed 4 s on, 3 s off
 *  145.525     NFM 2.5 kHz  -58   1 kHz tone, continuous
 *  433.920     carrier      -55   unmodulated
 *  446.00625   NFM 2.5 kHz  -52   1 kHz tone, continuous (PMR446 channel 1)
 *  446.09375   NFM 2.5 kHz  -60   tune 700/1100 Hz (0.4 s), keyed 3 s on, 4 s off
 *
 * FM deviation: WFM full scale is 75 kHz; "audio N %" is the peak deviation
 * of L and R as a fraction of it (plus 7.5 kHz of pilot).
 */
#define G_LOG_DOMAIN "fer-emu"

#include "scene.h"

#define TONE(f)        { { (f) }, 1, 0.0f }
#define SILENT         { { 0 }, 0, 0.0f }

static const FerEmitter default_emitters[] = {
  { "WFM 88.3", FER_EMITTER_WFM_STEREO, 88.3e6, -42, 0, 0.6, 0,
    TONE (440), TONE (550), 0, 0 },
  { "WFM 91.2", FER_EMITTER_WFM_STEREO, 91.2e6, -46, 0, 0.7, 0,
    { { 523.25f, 659.25f, 783.99f, 1046.5f }, 4, 0.4f }, TONE (220), 0, 0 },
  { "WFM 94.6", FER_EMITTER_WFM_STEREO, 94.6e6, -36, 0, 0.6, 0,
    { { 600, 800, 1000, 800 }, 4, 0.25f }, { { 600, 800, 1000, 800 }, 4, 0.25f }, 0, 0 },
  { "WFM 99.1", FER_EMITTER_WFM_STEREO, 99.1e6, -48, 0, 0.6, 0,
    TONE (440), TONE (660), 0, 0 },
  { "WFM 99.5", FER_EMITTER_WFM_STEREO, 99.5e6, -40, 0, 0.7, 0,
    { { 440.0f, 554.37f, 659.25f, 880.0f }, 4, 0.5f }, TONE (300), 0, 0 },
  { "WFM 100.0 1 kHz", FER_EMITTER_WFM_STEREO, 100.0e6, -30, 0, 0.5, 0,
    TONE (1000), TONE (1000), 0, 0 },
  { "WFM 100.5 left only", FER_EMITTER_WFM_STEREO, 100.5e6, -38, 0, 0.6, 0,
    TONE (1000), SILENT, 0, 0 },
  { "WFM 100.9", FER_EMITTER_WFM_STEREO, 100.9e6, -45, 0, 0.6, 0,
    TONE (400), TONE (2500), 0, 0 },
  { "WFM 103.3", FER_EMITTER_WFM_STEREO, 103.3e6, -44, 0, 0.4, 0,
    TONE (1500), TONE (1500), 0, 0 },
  { "WFM 105.8", FER_EMITTER_WFM_STEREO, 105.8e6, -50, 0, 0.6, 0,
    TONE (250), TONE (3000), 0, 0 },
  { "AM 118.7 airband", FER_EMITTER_AM, 118.7e6, -45, 0, 0, 0.5,
    TONE (1000), SILENT, 0, 0 },
  { "AM 124.35 airband", FER_EMITTER_AM, 124.35e6, -50, 0, 0, 0.5,
    { { 600, 900 }, 2, 0.5f }, SILENT, 5.0, 2.0 },
  { "NFM 145.500", FER_EMITTER_NFM, 145.5e6, -50, 5000, 0, 0,
    { { 800, 1200 }, 2, 0.3f }, SILENT, 4.0, 3.0 },
  { "NFM 145.525", FER_EMITTER_NFM, 145.525e6, -58, 2500, 0, 0,
    TONE (1000), SILENT, 0, 0 },
  { "Carrier 433.92", FER_EMITTER_CARRIER, 433.92e6, -55, 0, 0, 0,
    SILENT, SILENT, 0, 0 },
  { "NFM PMR446 ch1", FER_EMITTER_NFM, 446.00625e6, -52, 2500, 0, 0,
    TONE (1000), SILENT, 0, 0 },
  { "NFM PMR446 ch8", FER_EMITTER_NFM, 446.09375e6, -60, 2500, 0, 0,
    { { 700, 1100 }, 2, 0.4f }, SILENT, 3.0, 4.0 },
};

const FerEmitter *
fer_scene_default_emitters (guint *n_emitters)
{
  if (n_emitters != NULL)
    *n_emitters = G_N_ELEMENTS (default_emitters);
  return default_emitters;
}

FerScene *
fer_scene_new_default (void)
{
  FerScene *scene = fer_scene_new (FER_SCENE_DEFAULT_NOISE_FLOOR_DBFS_HZ);
  for (guint i = 0; i < G_N_ELEMENTS (default_emitters); i++)
    fer_scene_add (scene, &default_emitters[i]);
  return scene;
}
