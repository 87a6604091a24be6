/* emu-dongle.c - RTL2832U register model, its signal path and IQ synthesis.
 *
 * Control protocol (vendor request 0, bmRequestType 0x40 out / 0xc0 in):
 *   wIndex = block << 8 | 0x10 (set for writes, clear for reads) | page
 *   block 0 demod:  wValue = reg << 8 | 0x20 (the demod's own I2C address),
 *                   page 0..15 in wIndex; N bytes touch regs reg..reg+N-1, so a
 *                   2-byte write of 0xABCD puts 0xAB in reg and 0xCD in reg+1
 *   block 1 USB:    wValue = address 0x2000..0x21ff, bytes at consecutive addresses
 *   block 2 SYS:    wValue = address 0x3000..0x30ff, likewise
 *   block 6 I2C:    wValue = 8-bit I2C address. A write sends data[0] = start
 *                   register then values; a read returns N bytes. Only the tuner
 *                   answers (0x34 R820T, 0x74 R828D, 0xc8 E4000) and only while
 *                   the I2C repeater (demod page 1 reg 0x01 bit 3) is on;
 *                   anything else is a NAK, i.e. a stall (-EPIPE).
 *   Any other block, request, direction/flag mismatch or address: stall.
 *
 * Registers the model reads (power-on value in brackets):
 *   SYS 0x3000 DEMOD_CTL [0x00]: bit 7 PLL, bit 5 out of reset, bit 3 ADC_I.
 *       Without all three the ADC delivers mid-scale (no signal, no counter).
 *   SYS 0x3001 GPO, 0x3003 GPOE, 0x3004 GPD [0x00]: a GPIO pin is driven high
 *       when its GPO and GPOE bits are set and its GPD bit clear. GPIO 0 is
 *       the bias tee (the antenna's DC supply).
 *   USB 0x2148/0x2149 USB_EPA_CTL [0x10 0x02]: 0x2148 bit 4 = endpoint stalled,
 *       0x2149 bit 1 = FIFO reset; the bulk stream runs only with both clear
 *       (a 2-byte write of 0x1002 stops it, 0x0000 starts it).
 *   demod page 0 0x06 [0x80]: bit 4 swaps the ADC inputs (the Q input feeds
 *       the I path: direct sampling from the Q branch).
 *   page 0 0x08 [0xcd]: ADC enables, bit 6 I, bit 7 Q.
 *   page 0 0x19 [0x00]: bit 1 set = test mode (0x03), an 8-bit counter
 *       continuing across transfers instead of samples; bit 5 = digital AGC.
 *   page 1 0x01: bit 3 I2C repeater; bit 2 soft reset (harmless).
 *   page 1 0x15 bit 0: spectrum inversion.
 *   page 1 0x19..0x1b: IF as a 22-bit two's complement value v (0x19 bits 5:0 are
 *       bits 21:16); if_hz = -v * xtal / 2^22 (the shift is modulo the crystal).
 *   page 1 0x3e..0x3f: sample clock correction, 14-bit two's complement offs
 *       (0x3e bits 5:0 high); the sample clock is scaled by (1 + offs / 2^24), so
 *       a driver writing offs = -ppm * 2^24 / 1e6 for a crystal that runs ppm
 *       fast gets the nominal rate back.
 *   page 1 0x9f..0xa2: resampler ratio, big-endian; bits 27:2 are used and bit
 *       27 is repeated into bit 28. rate = xtal * 2^22 / ratio * (1 + offs/2^24).
 *   page 1 0xb1 bit 0: zero-IF (baseband input) mode: I + jQ from both ADCs.
 *       Off, the demodulator takes the I path alone as a real signal.
 *   Everything else is stored and read back unchanged.
 *
 * What is digitised. The I ADC input carries the tuner's I output (an R82xx's
 * real IF, an E4000's I), the Q input the E4000's Q; a tuner in standby
 * drives nothing. The HF antenna is wired to one input (fer_emu_dongle_
 * set_hf_wiring); where the tuner drives that input too, the tuner's output
 * is what counts (a working tuner swamps it). With zero-IF mode, both ADCs and
 * a zero-IF tuner the input is the complex I + jQ; otherwise the real signal
 * on the input the datapath routes to I.
 *
 * Where an emitter lands. The R82xx mixes with a high-side LO, so an emitter at
 * RF f comes out of the tuner as a real IF at g = LO - f (an image-reject mixer
 * passes f < LO and attenuates f > LO by IMAGE_REJECTION_DB; reg 0x07 bit 7 set
 * swaps the sides). A real IF has two components, the envelope a* at +g and a
 * at -g. The demod's DDC shifts by -if_hz, spectrum inversion conjugates:
 *   inversion on:  f appears at  f - (LO - if_hz)  with its true envelope,
 *                  and mirrored at (LO + if_hz) - f;
 *   inversion off: f appears mirrored at (LO - if_hz) - f,
 *                  and true at f - (LO + if_hz).
 * So a driver setting LO = fc + 3.57 MHz, IF = 3.57 MHz and inversion on finds
 * an emitter at f at f - fc, and the mirrored term is the image around
 * fc + 7.14 MHz, attenuated. On an RTL-SDR Blog V4 with its cable-2 input
 * selected the tuner hears HF through the upconverter, at f + 28.8 MHz.
 * A zero-IF tuner puts f at f - LO as I + jQ, so f appears at f - (LO + if_hz)
 * (mirrored with inversion), and its DC offset at -if_hz, DC_OFFSET_DBFS
 * strong: offset tuning moves it out of the stream. Taken as a real signal
 * (zero-IF mode off) each term also appears mirrored, 6 dB down each.
 * Direct sampling digitises the antenna at the crystal rate: an emitter at f
 * appears at f - if_hz and mirrored at (xtal - if_hz) - f (its alias), taking
 * the shift modulo the crystal; the input passes only below the crystal
 * frequency. Only terms within +-rate/2 of 0 Hz are kept (the decimation
 * filter is taken as ideal; the tuner's IF filter is not modelled).
 * A tuner PLL that is not locked passes noise only. Frequencies and the sample
 * clock all come from the one crystal, scaled by (1 + ppm / 1e6); the R828D
 * has its own 16 MHz crystal, given the same error.
 *
 * Gain: the tuner's (emu-tuner.c, with its AGC), re the scene's reference
 * gain; the HF input is taken at the reference gain. The digital AGC scales
 * the whole output so its power is FER_EMU_AGC_TARGET_DBFS, by up to
 * DAGC_MAX_GAIN_DB either way.
 */
#define G_LOG_DOMAIN "fer-emu"

#include "emu-dongle.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define XTAL_HZ 28.8e6

#define BLOCK_DEMOD 0
#define BLOCK_USB   1
#define BLOCK_SYS   2
#define BLOCK_I2C   6

#define INDEX_WRITE 0x10
#define DEMOD_I2C_ADDR 0x20
#define N_PAGES 16

#define USB_BASE 0x2000
#define USB_SIZE 0x200
#define USB_EPA_CTL 0x2148

#define SYS_BASE 0x3000
#define SYS_SIZE 0x100
#define SYS_DEMOD_CTL 0x3000
#define SYS_GPO 0x3001
#define SYS_GPOE 0x3003
#define SYS_GPD 0x3004
#define DEMOD_CTL_ON 0xa8  /* PLL, out of reset, ADC_I */

#define ADC_SWAP_IQ      0x10   /* page 0 0x06 */
#define ADC_ENABLE_I     0x40   /* page 0 0x08 */
#define ADC_ENABLE_Q     0x80
#define ADC_ENABLE_POWER_ON 0xcd
#define ADC_DATAPATH_POWER_ON 0x80
#define MODE_DAGC        0x20   /* page 0 0x19 */

#define IMAGE_REJECTION_DB 40.0
#define DC_OFFSET_DBFS    (-30.0)  /* a zero-IF tuner's DC, at the ADC */
#define DAGC_MAX_GAIN_DB  30.0

#define CHUNK 4096  /* samples synthesized per scene call */

struct _FerEmuDongle {
  /* Guards everything up to the reader state. A GRecMutex because it is
   * pthread-based and ThreadSanitizer sees it; GLib's futex-based GMutex is
   * invisible to it and every access would be reported as a race. */
  GRecMutex lock;
  guint8 demod[N_PAGES][256];
  guint8 usb[USB_SIZE];
  guint8 sys[SYS_SIZE];
  FerEmuTuner *tuner;   /* owned */
  FerEmuHfWiring hf_wiring;
  double ppm;
  gboolean dirty;       /* registers changed since params/window were derived */
  FerEmuParams params;
  FerSceneWindow window;
  double dc_amp;        /* DC offset tone, ADC codes (0: none) */
  double dc_norm;       /* its frequency, cycles per sample */

  /* reader state: thread = the one calling fer_emu_dongle_read () */
  FerScene *scene;      /* owned; emitter configs are read-only after new () */
  float *iq;            /* CHUNK (I, Q) pairs */
  guint8 counter;       /* test mode */
  double dc_re, dc_im;  /* DC offset tone phasor */
  gboolean have_pending;
  guint8 pending;       /* Q byte of a sample split by an odd-sized read */
};

static gint32
sign_extend (guint32 v, guint bits)
{
  guint32 m = 1u << (bits - 1);
  return (gint32) ((v ^ m) - m);
}

static double
db_to_amp (double db)
{
  return pow (10.0, db / 20.0);
}

/* ---- derived state ------------------------------------------------------ */

static double
rate_from_regs (const guint8 *p1, double xtal_hz)
{
  guint32 ratio = ((guint32) p1[0x9f] << 24 | (guint32) p1[0xa0] << 16
                   | (guint32) p1[0xa1] << 8 | p1[0xa2]) & 0x0ffffffc;
  ratio |= (ratio & 0x08000000) << 1;
  if (ratio == 0)
    return 0.0;
  gint32 offs = sign_extend ((guint32) (p1[0x3e] & 0x3f) << 8 | p1[0x3f], 14);
  double rate = xtal_hz * 4194304.0 / ratio * (1.0 + offs / 16777216.0);
  /* The resampler only decimates. */
  return rate <= xtal_hz ? rate : 0.0;
}

static double
if_from_regs (const guint8 *p1, double xtal_hz)
{
  gint32 v = sign_extend ((guint32) (p1[0x19] & 0x3f) << 16 | (guint32) p1[0x1a] << 8
                          | p1[0x1b], 22);
  return -(double) v * xtal_hz / 4194304.0;
}

static FerSceneView *
add_view (FerSceneWindow *w, double center_hz, gboolean mirrored, double split_hz,
          double gain_below, double gain_above)
{
  FerSceneView *view = &w->views[w->n_views++];
  view->center_hz = center_hz;
  view->mirrored = mirrored;
  view->split_hz = split_hz;
  view->gain_below = gain_below;
  view->gain_above = gain_above;
  return view;
}

/* The window of a low-IF tuner's real IF (@shift_hz: what the board adds to
 * the RF before the tuner, the Blog V4's upconverter). */
static void
fill_real_if (const FerEmuParams *p, gboolean image_below, double shift_hz, double gain,
              FerSceneWindow *w)
{
  double wanted = gain, image = gain * db_to_amp (-IMAGE_REJECTION_DB);
  for (guint v = 0; v < 2; v++)
    {
      gboolean upper = v == 1;
      add_view (w, (upper ? p->lo_hz + p->if_hz : p->lo_hz - p->if_hz) - shift_hz,
                upper ? p->inverted : !p->inverted, p->lo_hz - shift_hz,
                image_below ? image : wanted, image_below ? wanted : image);
    }
}

/* A zero-IF tuner's I + jQ, or its I alone taken as a real signal. */
static void
fill_zero_if (const FerEmuParams *p, gboolean complex_input, double gain, FerSceneWindow *w)
{
  if (complex_input)
    {
      add_view (w, p->lo_hz + p->if_hz, p->inverted, 0.0, gain, gain);
      return;
    }
  add_view (w, p->lo_hz + p->if_hz, p->inverted, 0.0, gain / 2, gain / 2);
  add_view (w, p->lo_hz - p->if_hz, !p->inverted, 0.0, gain / 2, gain / 2);
}

/* The antenna digitised at the crystal rate: an emitter and its alias. */
static void
fill_direct (const FerEmuParams *p, double gain, FerSceneWindow *w)
{
  double shift_hz = fmod (p->if_hz, p->xtal_hz);
  if (shift_hz < 0.0)
    shift_hz += p->xtal_hz;
  add_view (w, shift_hz, p->inverted, p->xtal_hz, gain, 0.0);
  add_view (w, p->xtal_hz - shift_hz, !p->inverted, p->xtal_hz, gain, 0.0);
}

/* The window for amplitude @gain (1 = full scale at the reference gain). */
static void
fill_window (FerEmuDongle *emu, const FerEmuParams *p, const FerEmuTunerState *ts,
             gboolean complex_input, double gain, FerSceneWindow *w)
{
  w->rate_hz = p->rate_hz;
  w->noise_gain = gain;
  w->n_views = 0;
  switch (p->input)
    {
    case FER_EMU_INPUT_TUNER:
      if (!p->pll_locked)
        break;  /* an unlocked VCO puts nothing useful at the IF */
      if (ts->quadrature)
        fill_zero_if (p, complex_input, gain, w);
      else
        fill_real_if (p, ts->image_below,
                      fer_emu_tuner_get_type (emu->tuner) == FER_EMU_TUNER_BLOG_V4
                      && ts->input == FER_EMU_TUNER_INPUT_CABLE2
                      ? FER_EMU_BLOG_V4_UPCONVERT_HZ : 0.0, gain, w);
      break;
    case FER_EMU_INPUT_HF:
      fill_direct (p, gain, w);
      break;
    case FER_EMU_INPUT_NONE:
    default:
      break;
    }
}

/* What the demodulator digitises (see the top of the file); sets
 * *complex_input for I + jQ. */
static FerEmuInput
choose_input (FerEmuDongle *emu, const FerEmuParams *p, const FerEmuTunerState *ts,
              gboolean *complex_input)
{
  const guint8 *p0 = emu->demod[0];
  gboolean both_adcs = (p0[0x08] & (ADC_ENABLE_I | ADC_ENABLE_Q)) == (ADC_ENABLE_I | ADC_ENABLE_Q);
  gboolean from_q = (p0[0x06] & ADC_SWAP_IQ) != 0;

  *complex_input = FALSE;
  if (p->zero_if && both_adcs && ts->quadrature && ts->powered)
    {
      *complex_input = TRUE;
      return FER_EMU_INPUT_TUNER;
    }
  /* One real input: the tuner drives I (and Q when it has quadrature outputs). */
  if (ts->powered && (!from_q || ts->quadrature))
    return FER_EMU_INPUT_TUNER;
  if (emu->hf_wiring == (from_q ? FER_EMU_HF_ON_Q : FER_EMU_HF_ON_I))
    return FER_EMU_INPUT_HF;
  return FER_EMU_INPUT_NONE;
}

/* Recomputes params and window from the registers. Called with the lock held. */
static void
derive (FerEmuDongle *emu)
{
  FerEmuParams *p = &emu->params;
  const guint8 *p0 = emu->demod[0], *p1 = emu->demod[1];
  double scale = 1.0 + emu->ppm / 1e6;
  FerEmuTunerState ts;
  gboolean complex_input;

  memset (p, 0, sizeof *p);
  p->xtal_hz = XTAL_HZ * scale;
  p->rate_hz = rate_from_regs (p1, p->xtal_hz);
  p->if_hz = if_from_regs (p1, p->xtal_hz);
  p->inverted = (p1[0x15] & 0x01) != 0;
  p->zero_if = (p1[0xb1] & 0x01) != 0;
  p->i2c_repeater = (p1[0x01] & 0x08) != 0;
  p->test_mode = (p0[0x19] & 0x02) != 0;
  p->digital_agc = (p0[0x19] & MODE_DAGC) != 0;
  p->demod_on = (emu->sys[SYS_DEMOD_CTL - SYS_BASE] & DEMOD_CTL_ON) == DEMOD_CTL_ON;
  p->gpio_high = emu->sys[SYS_GPO - SYS_BASE] & emu->sys[SYS_GPOE - SYS_BASE]
                 & (guint8) ~emu->sys[SYS_GPD - SYS_BASE];
  p->bias_tee = (p->gpio_high & 0x01) != 0;

  fer_emu_tuner_get_state (emu->tuner, fer_emu_tuner_get_xtal_hz (emu->tuner) * scale, &ts);
  p->lo_hz = ts.lo_hz;
  p->pll_locked = ts.locked;
  p->tuner_powered = ts.powered;
  p->agc = ts.agc;
  p->input = choose_input (emu, p, &ts, &complex_input);

  if (p->input == FER_EMU_INPUT_TUNER && ts.agc && p->rate_hz > 0.0)
    {
      fill_window (emu, p, &ts, complex_input, 1.0, &emu->window);
      fer_emu_tuner_settle_agc (emu->tuner, &ts, fer_scene_window_power (emu->scene,
                                                                         &emu->window));
    }
  else
    fer_emu_tuner_settle_agc (emu->tuner, &ts, 0.0);
  p->lna_index = ts.lna_index;
  p->mixer_index = ts.mixer_index;
  p->vga_index = ts.vga_index;
  p->gain_db = ts.gain_db;

  switch (p->input)
    {
    case FER_EMU_INPUT_TUNER:
      p->center_hz = ts.quadrature ? p->lo_hz + p->if_hz : p->lo_hz - p->if_hz;
      if (fer_emu_tuner_get_type (emu->tuner) == FER_EMU_TUNER_BLOG_V4
          && ts.input == FER_EMU_TUNER_INPUT_CABLE2)
        p->center_hz -= FER_EMU_BLOG_V4_UPCONVERT_HZ;
      break;
    case FER_EMU_INPUT_HF:
      p->center_hz = fmod (p->if_hz, p->xtal_hz);
      if (p->center_hz < 0.0)
        p->center_hz += p->xtal_hz;
      break;
    case FER_EMU_INPUT_NONE:
    default:
      p->center_hz = 0.0;
      break;
    }

  /* Scene units are full scale = 1 at the reference gain; the ADC's full
   * scale is 127.5 codes. */
  double input_gain_db = p->input == FER_EMU_INPUT_TUNER ? p->gain_db : FER_SCENE_REF_GAIN_DB;
  double gain = db_to_amp (input_gain_db - FER_SCENE_REF_GAIN_DB) * 127.5;
  gboolean dc = p->input == FER_EMU_INPUT_TUNER && ts.quadrature && p->pll_locked
                && p->rate_hz > 0.0;
  double dc_hz = p->inverted ? p->if_hz : -p->if_hz;
  emu->dc_amp = dc && fabs (dc_hz) < p->rate_hz / 2.0 ? db_to_amp (DC_OFFSET_DBFS) * 127.5 : 0.0;
  emu->dc_norm = p->rate_hz > 0.0 ? dc_hz / p->rate_hz : 0.0;
  fill_window (emu, p, &ts, complex_input, gain, &emu->window);

  if (p->digital_agc && p->rate_hz > 0.0)
    {
      double power = fer_scene_window_power (emu->scene, &emu->window) / (127.5 * 127.5)
                     + (emu->dc_amp / 127.5) * (emu->dc_amp / 127.5);
      double db = FER_EMU_AGC_TARGET_DBFS - 10.0 * log10 (MAX (power, 1e-30));
      p->dagc_gain_db = CLAMP (db, -DAGC_MAX_GAIN_DB, DAGC_MAX_GAIN_DB);
      double k = db_to_amp (p->dagc_gain_db);
      emu->window.noise_gain *= k;
      for (guint v = 0; v < emu->window.n_views; v++)
        {
          emu->window.views[v].gain_below *= k;
          emu->window.views[v].gain_above *= k;
        }
      emu->dc_amp *= k;
    }
  emu->dirty = FALSE;
}

static void
ensure_derived (FerEmuDongle *emu)
{
  if (emu->dirty)
    derive (emu);
}

/* ---- lifecycle ---------------------------------------------------------- */

FerEmuDongle *
fer_emu_dongle_new (FerEmuTunerType tuner, FerScene *scene)
{
  FerEmuDongle *emu = g_new0 (FerEmuDongle, 1);
  g_rec_mutex_init (&emu->lock);
  emu->tuner = fer_emu_tuner_new (tuner);
  emu->hf_wiring = FER_EMU_HF_ON_Q;
  emu->scene = scene != NULL ? scene : fer_scene_new_default ();
  emu->iq = g_new0 (float, 2 * CHUNK);
  /* Power-on: bulk endpoint stalled and its FIFO in reset. */
  emu->usb[USB_EPA_CTL - USB_BASE] = 0x10;
  emu->usb[USB_EPA_CTL + 1 - USB_BASE] = 0x02;
  emu->demod[0][0x06] = ADC_DATAPATH_POWER_ON;
  emu->demod[0][0x08] = ADC_ENABLE_POWER_ON;
  emu->dc_re = 1.0;
  emu->dirty = TRUE;
  return emu;
}

void
fer_emu_dongle_free (FerEmuDongle *emu)
{
  if (emu == NULL)
    return;
  fer_emu_tuner_free (emu->tuner);
  fer_scene_free (emu->scene);
  g_free (emu->iq);
  g_rec_mutex_clear (&emu->lock);
  g_free (emu);
}

/* ---- control transfers --------------------------------------------------- */

static int
i2c_transfer (FerEmuDongle *emu, gboolean in, guint8 addr, guint8 *data, guint16 length)
{
  gboolean repeater = (emu->demod[1][0x01] & 0x08) != 0;
  if (addr != fer_emu_tuner_get_i2c_addr (emu->tuner) || !repeater)
    {
      g_debug ("I2C %s 0x%02x: no acknowledge%s", in ? "read" : "write", addr,
               repeater ? "" : " (repeater off)");
      return -EPIPE;
    }
  if (in)
    {
      /* Status register 3 reports what the AGC chose for the current state. */
      ensure_derived (emu);
      return fer_emu_tuner_i2c_read (emu->tuner, data, length);
    }
  emu->dirty = TRUE;
  return fer_emu_tuner_i2c_write (emu->tuner, data, length);
}

/* Copies between @data and a register file; FALSE if out of range. */
static gboolean
reg_transfer (guint8 *file, gsize file_size, guint base, guint addr, gboolean in,
              guint8 *data, guint16 length)
{
  if (addr < base || addr - base + length > file_size)
    return FALSE;
  if (in)
    memcpy (data, file + (addr - base), length);
  else
    memcpy (file + (addr - base), data, length);
  return TRUE;
}

int
fer_emu_dongle_control (FerEmuDongle *emu, guint8 request_type, guint8 request,
                        guint16 value, guint16 index, guint8 *data, guint16 length)
{
  gboolean in = (request_type & 0x80) != 0;
  guint block = index >> 8;
  guint page = index & 0x0f;
  int r = -EPIPE;

  if ((request_type & 0x7f) != 0x40 || request != 0)
    return -EPIPE;
  /* The write flag must agree with the direction; bits 7:5 are unused. */
  if (((index & INDEX_WRITE) != 0) == in || (index & 0xe0) != 0)
    return -EPIPE;
  if (length > 0 && data == NULL)
    return -EINVAL;

  g_rec_mutex_lock (&emu->lock);
  switch (block)
    {
    case BLOCK_DEMOD:
      if ((value & 0xff) == DEMOD_I2C_ADDR
          && reg_transfer (emu->demod[page], 256, 0, value >> 8, in, data, length))
        r = length;
      break;
    case BLOCK_USB:
      if (page == 0 && reg_transfer (emu->usb, USB_SIZE, USB_BASE, value, in, data, length))
        r = length;
      break;
    case BLOCK_SYS:
      if (page == 0 && reg_transfer (emu->sys, SYS_SIZE, SYS_BASE, value, in, data, length))
        r = length;
      break;
    case BLOCK_I2C:
      if (page == 0 && value <= 0xff)
        r = i2c_transfer (emu, in, (guint8) value, data, length);
      break;
    default:
      break;
    }
  if (r >= 0 && !in)
    emu->dirty = TRUE;
  g_rec_mutex_unlock (&emu->lock);

  if (r == -EPIPE)
    g_debug ("stall: %s value 0x%04x index 0x%04x length %u", in ? "in" : "out", value,
             index, length);
  return r;
}

/* ---- settings and getters ------------------------------------------------ */

void
fer_emu_dongle_set_xtal_ppm (FerEmuDongle *emu, double ppm)
{
  g_rec_mutex_lock (&emu->lock);
  emu->ppm = ppm;
  emu->dirty = TRUE;
  g_rec_mutex_unlock (&emu->lock);
}

gboolean
fer_emu_dongle_is_streaming (FerEmuDongle *emu)
{
  g_rec_mutex_lock (&emu->lock);
  const guint8 *ctl = emu->usb + (USB_EPA_CTL - USB_BASE);
  gboolean running = !(ctl[0] & 0x10) && !(ctl[1] & 0x02);
  g_rec_mutex_unlock (&emu->lock);
  return running;
}

void
fer_emu_dongle_get_params (FerEmuDongle *emu, FerEmuParams *params)
{
  g_rec_mutex_lock (&emu->lock);
  ensure_derived (emu);
  *params = emu->params;
  g_rec_mutex_unlock (&emu->lock);
}

double
fer_emu_dongle_get_sample_rate (FerEmuDongle *emu)
{
  FerEmuParams p;
  fer_emu_dongle_get_params (emu, &p);
  return p.rate_hz;
}

double
fer_emu_dongle_get_lo_hz (FerEmuDongle *emu)
{
  FerEmuParams p;
  fer_emu_dongle_get_params (emu, &p);
  return p.lo_hz;
}

double
fer_emu_dongle_get_if_hz (FerEmuDongle *emu)
{
  FerEmuParams p;
  fer_emu_dongle_get_params (emu, &p);
  return p.if_hz;
}

double
fer_emu_dongle_get_center_hz (FerEmuDongle *emu)
{
  FerEmuParams p;
  fer_emu_dongle_get_params (emu, &p);
  return p.center_hz;
}

gboolean
fer_emu_dongle_get_inverted (FerEmuDongle *emu)
{
  FerEmuParams p;
  fer_emu_dongle_get_params (emu, &p);
  return p.inverted;
}

double
fer_emu_dongle_get_gain_db (FerEmuDongle *emu)
{
  FerEmuParams p;
  fer_emu_dongle_get_params (emu, &p);
  return p.gain_db;
}

gboolean
fer_emu_dongle_get_test_mode (FerEmuDongle *emu)
{
  FerEmuParams p;
  fer_emu_dongle_get_params (emu, &p);
  return p.test_mode;
}

FerEmuTunerType
fer_emu_dongle_get_tuner_type (FerEmuDongle *emu)
{
  return fer_emu_tuner_get_type (emu->tuner);
}

const char *
fer_emu_dongle_get_tuner_name (FerEmuDongle *emu)
{
  return fer_emu_tuner_get_name (emu->tuner);
}

gboolean
fer_emu_dongle_get_bias_tee (FerEmuDongle *emu)
{
  FerEmuParams p;
  fer_emu_dongle_get_params (emu, &p);
  return p.bias_tee;
}

guint8
fer_emu_dongle_get_tuner_reg (FerEmuDongle *emu, guint reg)
{
  g_rec_mutex_lock (&emu->lock);
  guint8 value = fer_emu_tuner_get_reg (emu->tuner, reg);
  g_rec_mutex_unlock (&emu->lock);
  return value;
}

void
fer_emu_dongle_set_hf_wiring (FerEmuDongle *emu, FerEmuHfWiring wiring)
{
  g_rec_mutex_lock (&emu->lock);
  emu->hf_wiring = wiring;
  emu->dirty = TRUE;
  g_rec_mutex_unlock (&emu->lock);
}

void
fer_emu_dongle_get_usb_strings (FerEmuDongle *emu, const char **manufacturer,
                                const char **product, const char **serial)
{
  gboolean v4 = fer_emu_tuner_get_type (emu->tuner) == FER_EMU_TUNER_BLOG_V4;

  if (manufacturer != NULL)
    *manufacturer = v4 ? "RTLSDRBlog" : "Realtek";
  if (product != NULL)
    *product = v4 ? "Blog V4" : "RTL2838UHIDIR";
  if (serial != NULL)
    *serial = "00000001";
}

/* ---- bulk data ----------------------------------------------------------- */

/* Rounds to the nearest code around 127.5 and clips like the 8-bit ADC. */
static void
quantize (const float *restrict iq, guint8 *restrict out, gsize n_values)
{
  for (gsize i = 0; i < n_values; i++)
    {
      float y = iq[i] + 128.0f;
      y = y < 0.0f ? 0.0f : y;
      y = y > 255.0f ? 255.0f : y;
      out[i] = (guint8) (gint) y;
    }
}

/* Adds the DC offset tone (ADC codes @amp, @norm cycles per sample) with a
 * rotating phasor, renormalised per call so it neither grows nor decays. */
static void
add_dc_tone (FerEmuDongle *emu, double amp, double norm, float *iq, gsize n_samples)
{
  double c = cos (2.0 * G_PI * norm), s = sin (2.0 * G_PI * norm);
  double re = emu->dc_re, im = emu->dc_im;

  for (gsize i = 0; i < n_samples; i++)
    {
      iq[2 * i] += (float) (amp * re);
      iq[2 * i + 1] += (float) (amp * im);
      double t = re * c - im * s;
      im = re * s + im * c;
      re = t;
    }
  double mag = sqrt (re * re + im * im);
  emu->dc_re = re / mag;
  emu->dc_im = im / mag;
}

/* Whole samples into @out (2 * n_samples bytes). */
static void
synthesize (FerEmuDongle *emu, const FerEmuParams *p, const FerSceneWindow *w, double dc_amp,
            double dc_norm, guint8 *out, gsize n_samples)
{
  if (!p->demod_on || p->rate_hz <= 0.0)
    {
      memset (out, 128, 2 * n_samples);
      return;
    }
  if (p->test_mode)
    {
      for (gsize i = 0; i < 2 * n_samples; i++)
        out[i] = emu->counter++;
      return;
    }
  while (n_samples > 0)
    {
      gsize m = MIN (n_samples, (gsize) CHUNK);
      fer_scene_render (emu->scene, w, emu->iq, m);
      if (dc_amp > 0.0)
        add_dc_tone (emu, dc_amp, dc_norm, emu->iq, m);
      quantize (emu->iq, out, 2 * m);
      out += 2 * m;
      n_samples -= m;
    }
}

void
fer_emu_dongle_read (FerEmuDongle *emu, guint8 *out, gsize n_bytes)
{
  FerEmuParams p;
  FerSceneWindow w;
  double dc_amp, dc_norm;

  g_rec_mutex_lock (&emu->lock);
  ensure_derived (emu);
  p = emu->params;
  w = emu->window;
  dc_amp = emu->dc_amp;
  dc_norm = emu->dc_norm;
  g_rec_mutex_unlock (&emu->lock);

  if (n_bytes > 0 && emu->have_pending)
    {
      *out++ = emu->pending;
      n_bytes--;
      emu->have_pending = FALSE;
    }
  synthesize (emu, &p, &w, dc_amp, dc_norm, out, n_bytes / 2);
  if (n_bytes & 1)
    {
      guint8 pair[2];
      synthesize (emu, &p, &w, dc_amp, dc_norm, pair, 1);
      out[n_bytes - 1] = pair[0];
      emu->pending = pair[1];
      emu->have_pending = TRUE;
    }
}
