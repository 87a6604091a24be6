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
 *   27.065     AM 50 %      -45   1 kHz tone; the carrier alone fades 25 dB and back every
 *                                 6 s (selective fading: am-sync rides it out)
 *  144.050     CW           -55   "CQ CQ DE FERRITE K" in Morse, 18 wpm, heard at the BFO
 *  144.280     LSB          -52   voice-like tone pairs 500+1300, 700+1700, 600+1500,
 *                                 800+2100 Hz, 0.3 s syllables
 *  144.300     USB          -50   two-tone test: 700 + 1900 Hz, steady
 *
 * FM deviation: WFM full scale is 75 kHz; "audio N %" is the peak deviation
 * of L and R as a fraction of it (plus 7.5 kHz of pilot).
 *
 * RDS: every WFM station sends it at 4.5 % (3.4 kHz deviation): PI, PS,
 * PTY, radiotext (2A), the clock (4A: 2026-11-25 10:00 local, UTC+1, at
 * the start, running with the signal) and alternative frequencies (method A).
 *
 *  freq     PI      PS          PTY                   radiotext
 *  -------  ------  ----------  --------------------  ------------------------------------
 *   88.3    0x1201  "NORTH FM"  10 pop music          "North FM: 440 Hz left, 550 Hz right"
 *   91.2    0x1202  "CLASSIC "  14 serious classical  "Classic 91.2: C E G C, 220 Hz right"
 *   94.6    0x1203  "STEPS 94"   9 varied             two texts, A/B flag every 10 s:
 *                                                     "Steps: 600 800 1000 800 Hz" and
 *                                                     "Same steps on both channels"
 *   99.1    0x1204  "WEAK 991"   3 information        "A weak station at 99.1 MHz"
 *   99.5    0x1205  "ARPEGGIO"  15 other music        "Arpeggio A C# E A, 300 Hz right"
 *  100.0    0x1234  "FERRITE1"  10 pop music          "Ferrite demo: 1 kHz test tone";
 *                                                     AF 96.7, 101.1 MHz
 *  100.5    0x1206  "LEFTONLY"   8 science            "1 kHz left, right silent"
 *  100.9    0x1207  "TWOTONES"  12 easy listening     "400 Hz left, 2.5 kHz right"
 *  103.3    0x1208  "FERRITE2"   1 news               "1.5 kHz on both channels at 40 %"
 *  105.8    0x1209  "DEEP 105"  24 jazz music         "250 Hz left, 3 kHz right, far away"
 */
#define G_LOG_DOMAIN "fer-emu"

#include "scene.h"

#define TONE(f)        { { (f) }, 1, 0.0f }
#define SILENT         { { 0 }, 0, 0.0f }

/* The clock every station starts with: 2026-11-25 10:00 local, UTC+1. */
#define RDS_CLOCK .ct_year = 2026, .ct_month = 11, .ct_day = 25, .ct_hour = 10, \
                  .ct_minute = 0, .ct_offset_min = 60

static const FerRdsStation rds_883 = {
  .pi = 0x1201, .pty = 10, .ps = "NORTH FM", .rt = "North FM: 440 Hz left, 550 Hz right",
  .n_af = 1, .af_mhz = { 90.1 }, RDS_CLOCK };
static const FerRdsStation rds_912 = {
  .pi = 0x1202, .pty = 14, .ps = "CLASSIC", .rt = "Classic 91.2: C E G C, 220 Hz right",
  RDS_CLOCK };
static const FerRdsStation rds_946 = {
  .pi = 0x1203, .pty = 9, .tp = TRUE, .ps = "STEPS 94", .rt = "Steps: 600 800 1000 800 Hz",
  .rt_alt = "Same steps on both channels", .rt_period_s = 10.0, RDS_CLOCK };
static const FerRdsStation rds_991 = {
  .pi = 0x1204, .pty = 3, .ps = "WEAK 991", .rt = "A weak station at 99.1 MHz", RDS_CLOCK };
static const FerRdsStation rds_995 = {
  .pi = 0x1205, .pty = 15, .ps = "ARPEGGIO", .rt = "Arpeggio A C# E A, 300 Hz right",
  RDS_CLOCK };
static const FerRdsStation rds_1000 = {
  .pi = 0x1234, .pty = 10, .ps = "FERRITE1", .rt = "Ferrite demo: 1 kHz test tone",
  .n_af = 2, .af_mhz = { 96.7, 101.1 }, RDS_CLOCK };
static const FerRdsStation rds_1005 = {
  .pi = 0x1206, .pty = 8, .ps = "LEFTONLY", .rt = "1 kHz left, right silent", RDS_CLOCK };
static const FerRdsStation rds_1009 = {
  .pi = 0x1207, .pty = 12, .ps = "TWOTONES", .rt = "400 Hz left, 2.5 kHz right", RDS_CLOCK };
static const FerRdsStation rds_1033 = {
  .pi = 0x1208, .pty = 1, .ps = "FERRITE2", .rt = "1.5 kHz on both channels at 40 %",
  RDS_CLOCK };
static const FerRdsStation rds_1058 = {
  .pi = 0x1209, .pty = 24, .ps = "DEEP 105", .rt = "250 Hz left, 3 kHz right, far away",
  RDS_CLOCK };

static const FerEmitter default_emitters[] = {
  { "WFM 88.3", FER_EMITTER_WFM_STEREO, 88.3e6, -42, 0, 0.6, 0,
    TONE (440), TONE (550), 0, 0, .rds = &rds_883 },
  { "WFM 91.2", FER_EMITTER_WFM_STEREO, 91.2e6, -46, 0, 0.7, 0,
    { { 523.25f, 659.25f, 783.99f, 1046.5f }, 4, 0.4f }, TONE (220), 0, 0,
    .rds = &rds_912 },
  { "WFM 94.6", FER_EMITTER_WFM_STEREO, 94.6e6, -36, 0, 0.6, 0,
    { { 600, 800, 1000, 800 }, 4, 0.25f }, { { 600, 800, 1000, 800 }, 4, 0.25f }, 0, 0,
    .rds = &rds_946 },
  { "WFM 99.1", FER_EMITTER_WFM_STEREO, 99.1e6, -48, 0, 0.6, 0,
    TONE (440), TONE (660), 0, 0, .rds = &rds_991 },
  { "WFM 99.5", FER_EMITTER_WFM_STEREO, 99.5e6, -40, 0, 0.7, 0,
    { { 440.0f, 554.37f, 659.25f, 880.0f }, 4, 0.5f }, TONE (300), 0, 0,
    .rds = &rds_995 },
  { "WFM 100.0 1 kHz", FER_EMITTER_WFM_STEREO, 100.0e6, -30, 0, 0.5, 0,
    TONE (1000), TONE (1000), 0, 0, .rds = &rds_1000 },
  { "WFM 100.5 left only", FER_EMITTER_WFM_STEREO, 100.5e6, -38, 0, 0.6, 0,
    TONE (1000), SILENT, 0, 0, .rds = &rds_1005 },
  { "WFM 100.9", FER_EMITTER_WFM_STEREO, 100.9e6, -45, 0, 0.6, 0,
    TONE (400), TONE (2500), 0, 0, .rds = &rds_1009 },
  { "WFM 103.3", FER_EMITTER_WFM_STEREO, 103.3e6, -44, 0, 0.4, 0,
    TONE (1500), TONE (1500), 0, 0, .rds = &rds_1033 },
  { "WFM 105.8", FER_EMITTER_WFM_STEREO, 105.8e6, -50, 0, 0.6, 0,
    TONE (250), TONE (3000), 0, 0, .rds = &rds_1058 },
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
  { "AM 27.065 fading", FER_EMITTER_AM_FADING, 27.065e6, -45, 0, 0, 0.5,
    TONE (1000), SILENT, 0, 0, .fade_period_s = 6.0, .fade_db = 25.0 },
  { "CW 144.050", FER_EMITTER_CW, 144.05e6, -55, 0, 0, 0,
    SILENT, SILENT, 0, 0, .morse = "CQ CQ DE FERRITE K", .wpm = 18 },
  { "LSB 144.280", FER_EMITTER_LSB, 144.28e6, -52, 0, 0, 0,
    { { 500, 700, 600, 800 }, 4, 0.3f }, { { 1300, 1700, 1500, 2100 }, 4, 0.3f }, 0, 0 },
  { "USB 144.300 two-tone", FER_EMITTER_USB, 144.3e6, -50, 0, 0, 0,
    TONE (700), TONE (1900), 0, 0 },
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
