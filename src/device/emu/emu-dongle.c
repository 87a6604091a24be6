/* emu-dongle.c - RTL2832U + R82xx register model and IQ synthesis.
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
 *                   answers (0x34 R820T, 0x74 R828D) and only while the I2C
 *                   repeater (demod page 1 reg 0x01 bit 3) is on; anything else
 *                   is a NAK, i.e. a stall (-EPIPE).
 *   Any other block, request, direction/flag mismatch or address: stall.
 *
 * Registers the model reads (power-on value in brackets):
 *   SYS 0x3000 DEMOD_CTL [0x00]: bit 7 PLL, bit 5 out of reset, bit 3 ADC_I.
 *       Without all three the ADC delivers mid-scale (no signal, no counter).
 *   USB 0x2148/0x2149 USB_EPA_CTL [0x10 0x02]: 0x2148 bit 4 = endpoint stalled,
 *       0x2149 bit 1 = FIFO reset; the bulk stream runs only with both clear
 *       (a 2-byte write of 0x1002 stops it, 0x0000 starts it).
 *   demod page 0 0x19 [0x00]: bit 1 set = test mode (0x03), an 8-bit counter
 *       continuing across transfers instead of samples. Other bits (SDR mode,
 *       digital AGC 0x20) are accepted and not modelled.
 *   page 1 0x01: bit 3 I2C repeater; bit 2 soft reset (harmless).
 *   page 1 0x15 bit 0: spectrum inversion.
 *   page 1 0x19..0x1b: IF as a 22-bit two's complement value v (0x19 bits 5:0 are
 *       bits 21:16); if_hz = -v * xtal / 2^22.
 *   page 1 0x3e..0x3f: sample clock correction, 14-bit two's complement offs
 *       (0x3e bits 5:0 high); the sample clock is scaled by (1 + offs / 2^24), so
 *       a driver writing offs = -ppm * 2^24 / 1e6 for a crystal that runs ppm
 *       fast gets the nominal rate back.
 *   page 1 0x9f..0xa2: resampler ratio, big-endian; bits 27:2 are used and bit
 *       27 is repeated into bit 28. rate = xtal * 2^22 / ratio * (1 + offs/2^24).
 *   page 1 0xb1 bit 0: zero-IF (baseband input) mode. The R82xx drives a real
 *       IF into the I ADC, which the model treats identically in both modes.
 *   Everything else is stored and read back unchanged.
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
 * fc + 7.14 MHz, attenuated. Only terms within +-rate/2 of 0 Hz are kept (the
 * decimation filter is taken as ideal; the tuner's IF filter is not modelled).
 * A tuner PLL that is not locked (VCO outside 1.6-3.9 GHz) passes noise only.
 * Frequencies and the sample clock all come from the one crystal, scaled by
 * (1 + ppm / 1e6); the R828D has its own 16 MHz crystal, given the same error.
 *
 * Gain: LNA + mixer (cumulative measured steps) + VGA (0 dB at index 8), re
 * the scene's reference gain. With the LNA and/or mixer under AGC the model
 * picks, among the settings those stages can reach (LNA and mixer stepped in
 * turn when both are automatic), the highest gain that keeps the total output
 * power at or below AGC_TARGET_DBFS, capped at the table maximum.
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
#define DEMOD_CTL_ON 0xa8  /* PLL, out of reset, ADC_I */

#define IMAGE_REJECTION_DB 40.0
#define AGC_TARGET_DBFS   (-20.0)

#define CHUNK 4096  /* samples synthesized per scene call */

struct _FerEmuDongle {
  /* Guards everything up to the reader state. A GRecMutex because it is
   * pthread-based and ThreadSanitizer sees it; GLib's futex-based GMutex is
   * invisible to it and every access would be reported as a race. */
  GRecMutex lock;
  guint8 demod[N_PAGES][256];
  guint8 usb[USB_SIZE];
  guint8 sys[SYS_SIZE];
  FerEmuR82xx *tuner;   /* owned */
  double ppm;
  gboolean dirty;       /* registers changed since params/window were derived */
  FerEmuParams params;
  FerSceneWindow window;

  /* reader state: thread = the one calling fer_emu_dongle_read () */
  FerScene *scene;      /* owned; emitter configs are read-only after new () */
  float *iq;            /* CHUNK (I, Q) pairs */
  guint8 counter;       /* test mode */
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

/* The window the scene renders for the given tuner gain (linear amplitude,
 * full scale = 1 at the reference gain). */
static void
fill_window (const FerEmuParams *p, gboolean image_below, double gain, FerSceneWindow *w)
{
  double wanted = gain, image = gain * db_to_amp (-IMAGE_REJECTION_DB);
  w->rate_hz = p->rate_hz;
  w->noise_gain = gain;
  w->n_views = 0;
  if (!p->pll_locked)
    return;  /* an unlocked VCO puts nothing useful at the IF */
  for (guint v = 0; v < 2; v++)
    {
      FerSceneView *view = &w->views[w->n_views++];
      gboolean upper = v == 1;
      view->center_hz = upper ? p->lo_hz + p->if_hz : p->lo_hz - p->if_hz;
      view->mirrored = upper ? p->inverted : !p->inverted;
      view->split_hz = p->lo_hz;
      view->gain_below = image_below ? image : wanted;
      view->gain_above = image_below ? wanted : image;
    }
}

static double
stage_gain_db (guint lna, guint mixer, guint vga)
{
  return fer_emu_r82xx_lna_gain_db (lna) + fer_emu_r82xx_mixer_gain_db (mixer)
         + fer_emu_r82xx_vga_gain_db (vga);
}

/* Chooses the LNA and mixer indexes under AGC for an input of @power_ref
 * (output power at the reference gain). */
static void
run_agc (FerEmuParams *p, const FerEmuR82xxState *ts, double power_ref)
{
  double target_db = FER_SCENE_REF_GAIN_DB + AGC_TARGET_DBFS
                     - 10.0 * log10 (MAX (power_ref, 1e-30));
  guint best_lna = 0, best_mix = 0;
  double best_db = -1e9, min_db = 1e9;
  guint min_lna = 0, min_mix = 0;

  for (guint k = 0; k < 2 * FER_EMU_R82XX_N_STEPS - 1; k++)
    {
      guint lna, mix;
      if (ts->lna_auto && ts->mixer_auto)
        {
          /* LNA and mixer step up in turn. */
          lna = (k + 1) / 2;
          mix = k / 2;
        }
      else if (ts->lna_auto)
        {
          if (k >= FER_EMU_R82XX_N_STEPS)
            break;
          lna = k;
          mix = ts->mixer_index;
        }
      else
        {
          if (k >= FER_EMU_R82XX_N_STEPS)
            break;
          lna = ts->lna_index;
          mix = k;
        }
      double db = stage_gain_db (lna, mix, ts->vga_index);
      if (db <= target_db && db > best_db)
        {
          best_db = db;
          best_lna = lna;
          best_mix = mix;
        }
      if (db < min_db)
        {
          min_db = db;
          min_lna = lna;
          min_mix = mix;
        }
    }
  if (best_db < -1e8)
    {
      best_lna = min_lna;
      best_mix = min_mix;
    }
  p->lna_index = best_lna;
  p->mixer_index = best_mix;
}

/* Recomputes params and window from the registers. Called with the lock held. */
static void
derive (FerEmuDongle *emu)
{
  FerEmuParams *p = &emu->params;
  const guint8 *p0 = emu->demod[0], *p1 = emu->demod[1];
  double scale = 1.0 + emu->ppm / 1e6;
  FerEmuR82xxState ts;

  memset (p, 0, sizeof *p);
  p->xtal_hz = XTAL_HZ * scale;
  p->rate_hz = rate_from_regs (p1, p->xtal_hz);
  p->if_hz = if_from_regs (p1, p->xtal_hz);
  p->inverted = (p1[0x15] & 0x01) != 0;
  p->zero_if = (p1[0xb1] & 0x01) != 0;
  p->i2c_repeater = (p1[0x01] & 0x08) != 0;
  p->test_mode = (p0[0x19] & 0x02) != 0;
  p->demod_on = (emu->sys[SYS_DEMOD_CTL - SYS_BASE] & DEMOD_CTL_ON) == DEMOD_CTL_ON;

  fer_emu_r82xx_get_state (emu->tuner, fer_emu_r82xx_get_xtal_hz (emu->tuner) * scale, &ts);
  p->lo_hz = ts.lo_hz;
  p->pll_locked = ts.locked;
  p->center_hz = p->lo_hz - p->if_hz;
  p->agc = ts.lna_auto || ts.mixer_auto;
  p->lna_index = ts.lna_index;
  p->mixer_index = ts.mixer_index;
  p->vga_index = ts.vga_index;

  if (p->agc && p->rate_hz > 0.0)
    {
      fill_window (p, ts.image_below, 1.0, &emu->window);
      run_agc (p, &ts, fer_scene_window_power (emu->scene, &emu->window));
    }
  fer_emu_r82xx_set_gain_status (emu->tuner, p->lna_index, p->mixer_index);
  p->gain_db = stage_gain_db (p->lna_index, p->mixer_index, p->vga_index);

  /* Scene units are full scale = 1 at the reference gain; the ADC's full
   * scale is 127.5 codes. */
  double gain = db_to_amp (p->gain_db - FER_SCENE_REF_GAIN_DB) * 127.5;
  fill_window (p, ts.image_below, gain, &emu->window);
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
  emu->tuner = fer_emu_r82xx_new (tuner);
  emu->scene = scene != NULL ? scene : fer_scene_new_default ();
  emu->iq = g_new0 (float, 2 * CHUNK);
  /* Power-on: bulk endpoint stalled and its FIFO in reset. */
  emu->usb[USB_EPA_CTL - USB_BASE] = 0x10;
  emu->usb[USB_EPA_CTL + 1 - USB_BASE] = 0x02;
  emu->dirty = TRUE;
  return emu;
}

void
fer_emu_dongle_free (FerEmuDongle *emu)
{
  if (emu == NULL)
    return;
  fer_emu_r82xx_free (emu->tuner);
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
  if (addr != fer_emu_r82xx_get_i2c_addr (emu->tuner) || !repeater)
    {
      g_debug ("I2C %s 0x%02x: no acknowledge%s", in ? "read" : "write", addr,
               repeater ? "" : " (repeater off)");
      return -EPIPE;
    }
  if (in)
    {
      /* Status register 3 reports what the AGC chose for the current state. */
      ensure_derived (emu);
      return fer_emu_r82xx_i2c_read (emu->tuner, data, length);
    }
  emu->dirty = TRUE;
  return fer_emu_r82xx_i2c_write (emu->tuner, data, length);
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
  return fer_emu_r82xx_get_type (emu->tuner);
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

/* Whole samples into @out (2 * n_samples bytes). */
static void
synthesize (FerEmuDongle *emu, const FerEmuParams *p, const FerSceneWindow *w, guint8 *out,
            gsize n_samples)
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

  g_rec_mutex_lock (&emu->lock);
  ensure_derived (emu);
  p = emu->params;
  w = emu->window;
  g_rec_mutex_unlock (&emu->lock);

  if (n_bytes > 0 && emu->have_pending)
    {
      *out++ = emu->pending;
      n_bytes--;
      emu->have_pending = FALSE;
    }
  synthesize (emu, &p, &w, out, n_bytes / 2);
  if (n_bytes & 1)
    {
      guint8 pair[2];
      synthesize (emu, &p, &w, pair, 1);
      out[n_bytes - 1] = pair[0];
      emu->pending = pair[1];
      emu->have_pending = TRUE;
    }
}
