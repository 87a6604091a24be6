/* test-vs-librtlsdr.c - Ferrite's RTL2832U driver and its tuner drivers
 * against the ones everybody uses, on the same emulated dongle.
 *
 * librtlsdr (the Debian package's library, loaded at run time: it is not
 * part of Ferrite) and Ferrite's driver each drive a freshly plugged
 * emulated dongle through real libusb and umockdev: open, then for every
 * point a sample rate and a frequency with the tuner's AGC, then the FIFO
 * reset that starts a stream. After each point the demodulator's register
 * pages, its USB and SYS blocks and the tuner's registers are read back from
 * the emulator and compared. Every register must match, or differ in the
 * way the tuner's expectation table below says and explains (and each
 * explanation must still be needed: a stale one fails too).
 *
 * Tuners: the R820T, the R828D (own 16 MHz crystal) and the E4000 (zero IF,
 * a gap in its range), each over 56 frequencies spanning its range, tuned
 * in an order that jumps up and down, with every usual sample rate, then at
 * the edges where the drivers switch dividers, bands or inputs. The E4000's
 * gap, where the drivers differ on purpose, has a test of its own. The
 * R828D of an RTL-SDR Blog V4 is not compared: the reference library as
 * packaged knows nothing of that board (it runs its R828D as a plain one,
 * on the wrong crystal), so there is nothing to compare with; its test says
 * so and skips.
 *
 * The reference tools themselves are checked too: for every tuner, rtl_sdr
 * run under emu-run leaves the registers the library driven here leaves,
 * and a carrier in the scene lands in its FFT bin of what rtl_sdr recorded
 * (which proves the emulator against the reference driver, not only against
 * Ferrite's); `ferrite --headless --source rtl` under emu-run leaves those
 * of Ferrite's driver.
 */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "device/rtl2832.h"
#include "device/usb-libusb.h"
#include "dsp/fft.h"
#include "usb-test-util.h"

/* --- librtlsdr, loaded at run time ----------------------------------------- */

typedef struct rtlsdr_dev rtlsdr_dev_t;

static struct {
  void *lib;
  int (*open) (rtlsdr_dev_t **dev, guint32 index);
  int (*close) (rtlsdr_dev_t *dev);
  int (*set_sample_rate) (rtlsdr_dev_t *dev, guint32 rate);
  int (*set_center_freq) (rtlsdr_dev_t *dev, guint32 freq);
  int (*set_tuner_gain_mode) (rtlsdr_dev_t *dev, int manual);
  int (*reset_buffer) (rtlsdr_dev_t *dev);
} rtlsdr;

static gboolean
load_librtlsdr (void)
{
  rtlsdr.lib = dlopen ("librtlsdr.so.0", RTLD_NOW | RTLD_LOCAL);
  if (rtlsdr.lib == NULL)
    return FALSE;
#define SYM(name) \
  if (!(*(void **) &rtlsdr.name = dlsym (rtlsdr.lib, "rtlsdr_" #name))) \
    return FALSE
  SYM (open);
  SYM (close);
  SYM (set_sample_rate);
  SYM (set_center_freq);
  SYM (set_tuner_gain_mode);
  SYM (reset_buffer);
#undef SYM
  return TRUE;
}

/* --- Points, snapshots, tuners ---------------------------------------------- */

/* The sample rates people pick: the low range and the usual high ones. */
static const guint32 rates[] = {
  250000, 1024000, 1400000, 1800000, 1920000, 2048000, 2400000, 2560000, 2880000, 3200000,
};

#define N_POINTS 56
#define XTAL_HZ  28800000.0   /* the demodulator's crystal */

typedef struct {
  guint32 freq_hz;
  guint32 rate_hz;
} Point;

/* What the emulator holds after a point: its registers and what it makes of
 * them (where the stream is centred, its rate, the PLL's lock). */
typedef struct {
  FerEmuRegisters regs;
  FerEmuParams params;
} Snapshot;

typedef struct {
  const char *block;
  guint addr;
} Reg;

typedef struct _TunerCase TunerCase;

typedef struct {
  const char *what;
  /* Where these registers may differ; any other difference fails. */
  gboolean (*applies) (const TunerCase *t, const Point *point, const Snapshot *theirs);
  Reg regs[12];
  /* What must hold wherever it applies (whether or not they differ there);
   * NULL when nothing but the registers is said. */
  gboolean (*holds) (const TunerCase *t, const Point *point, const Snapshot *ours,
                     const Snapshot *theirs, GString *why_not);
  /* The difference must show at one point at least: an entry that no longer
   * matches anything is stale and must go. */
} Expected;

struct _TunerCase {
  const char *name;               /* the test path's and emu-run --tuner's */
  FerEmuTunerType type;
  double min_hz, max_hz;          /* the points span this */
  double gap_from_hz, gap_to_hz;  /* and leave this out (0, 0: no gap) */
  double tuner_xtal_hz;           /* the tuner PLL's reference */
  const Expected *expected;       /* the deliberate differences */
  guint n_expected;
  /* How far from the tuned frequency Ferrite may centre the stream: the
   * steps of LO and IF it rounds or truncates to. */
  double (*centre_tolerance_hz) (const TunerCase *t, const Snapshot *ours);
  Point carrier_point;            /* where rtl_sdr records a carrier */
  const Point *edges;             /* tuned after the points: where the drivers */
  guint n_edges;                  /* switch bands, dividers or inputs */
};

/* Visiting the points in steps of this prime (not a factor of N_POINTS, so
 * every point comes once) jumps up and down the range: band and input
 * switches are taken both ways. */
#define VISIT_STRIDE 23
G_STATIC_ASSERT (N_POINTS % VISIT_STRIDE != 0);

/* Frequencies spread evenly on a log scale across the tuner's range (its
 * gap left out), each with the next rate of the list, so that every rate
 * meets low, middle and high frequencies; in the order they are tuned. */
static void
make_points (const TunerCase *t, Point *points)
{
  gboolean gap = t->gap_to_hz > t->gap_from_hz;
  double below = log ((gap ? t->gap_from_hz : t->max_hz) / t->min_hz);
  double above = gap ? log (t->max_hz / t->gap_to_hz) : 0.0;
  for (guint i = 0; i < N_POINTS; i++)
    {
      guint k = i * VISIT_STRIDE % N_POINTS;
      double s = (below + above) * k / (N_POINTS - 1.0);
      double f = s <= below ? t->min_hz * exp (s) : t->gap_to_hz * exp (s - below);
      points[i].freq_hz = (guint32) (lround (f / 1000.0) * 1000);
      points[i].rate_hz = rates[k % G_N_ELEMENTS (rates)];
    }
}

/* --- Sessions ------------------------------------------------------------- */

static void
snapshot (FerEmuUsbdevfs *server, Snapshot *out)
{
  FerEmuDongle *emu = fer_emu_usbdevfs_get_dongle (server);
  fer_emu_registers_read (emu, &out->regs);
  fer_emu_dongle_get_params (emu, &out->params);
}

static FerEmuUsbdevfs *
plug_fresh (FerEmuTunerType type)
{
  FerEmuUsbdevfs *server = fer_emu_usbdevfs_new ();
  g_assert_true (fer_emu_usbdevfs_plug (server, fer_emu_dongle_new (type, NULL), NULL));
  return server;
}

/* What rtl_sdr does for one run, from open to the start of the stream:
 * rate, frequency, tuner AGC, FIFO reset. */
static void
run_librtlsdr (FerEmuTunerType type, const Point *points, guint n, Snapshot *out)
{
  g_autoptr (FerEmuUsbdevfs) server = plug_fresh (type);
  rtlsdr_dev_t *dev = NULL;
  g_assert_cmpint (rtlsdr.open (&dev, 0), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (rtlsdr.set_sample_rate (dev, points[i].rate_hz), ==, 0);
      g_assert_cmpint (rtlsdr.set_center_freq (dev, points[i].freq_hz), ==, 0);
      g_assert_cmpint (rtlsdr.set_tuner_gain_mode (dev, 0), ==, 0);
      g_assert_cmpint (rtlsdr.reset_buffer (dev), ==, 0);
      snapshot (server, &out[i]);
    }
  rtlsdr.close (dev);
}

static void
discard (const guint8 *data, gsize n_bytes, gpointer user_data)
{
}

/* What `ferrite --source rtl` does: open, correction, AGC; then for every
 * point the rate, the frequency and the start of the stream (which resets
 * the FIFO). A small transfer ring: only the registers matter here. */
static void
run_ferrite (FerEmuTunerType type, const Point *points, guint n, Snapshot *out)
{
  g_autoptr (FerEmuUsbdevfs) server = plug_fresh (type);
  g_autoptr (GError) error = NULL;
  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  g_assert_no_error (error);
  FerRtl2832 *rtl = fer_rtl2832_open (usb, &error);
  g_assert_no_error (error);
  FerUsbBulkCallbacks cb = { .on_data = discard };
  g_assert_true (fer_rtl2832_set_freq_correction (rtl, 0, &error));
  g_assert_true (fer_rtl2832_set_tuner_agc (rtl, TRUE, &error));
  fer_rtl2832_set_transfer_ring (rtl, 2, 512);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (fer_rtl2832_set_sample_rate (rtl, points[i].rate_hz, &error));
      g_assert_true (fer_rtl2832_set_center_freq (rtl, points[i].freq_hz, &error));
      g_assert_true (fer_rtl2832_start (rtl, &cb, &error));
      g_assert_no_error (error);
      fer_rtl2832_stop (rtl);
      snapshot (server, &out[i]);
    }
  fer_rtl2832_close (rtl);
}

/* --- Comparing ---------------------------------------------------------------- */

typedef struct {
  const char *block;    /* "demod1", "usb", "sys", "tuner" */
  guint addr;
  guint8 ours, theirs;
} Difference;

static void
diff (const FerEmuRegisters *ours, const FerEmuRegisters *theirs, GArray *out)
{
  char name[16];
  for (guint p = 0; p < 16; p++)
    for (guint r = 0; r < 256; r++)
      if (ours->demod[p][r] != theirs->demod[p][r])
        {
          g_snprintf (name, sizeof name, "demod%u", p);
          Difference d = { g_intern_string (name), r, ours->demod[p][r], theirs->demod[p][r] };
          g_array_append_val (out, d);
        }
  for (guint i = 0; i < sizeof ours->usb; i++)
    if (ours->usb[i] != theirs->usb[i])
      {
        Difference d = { "usb", 0x2000 + i, ours->usb[i], theirs->usb[i] };
        g_array_append_val (out, d);
      }
  for (guint i = 0; i < sizeof ours->sys; i++)
    if (ours->sys[i] != theirs->sys[i])
      {
        Difference d = { "sys", 0x3000 + i, ours->sys[i], theirs->sys[i] };
        g_array_append_val (out, d);
      }
  for (guint i = 0; i < MAX (ours->n_tuner, theirs->n_tuner); i++)
    if (ours->tuner[i] != theirs->tuner[i])
      {
        Difference d = { "tuner", i, ours->tuner[i], theirs->tuner[i] };
        g_array_append_val (out, d);
      }
}

static gint32
if_word (const FerEmuRegisters *r)
{
  guint32 v = (guint32) (r->demod[1][0x19] & 0x3f) << 16 | (guint32) r->demod[1][0x1a] << 8
              | r->demod[1][0x1b];
  return (gint32) ((v ^ 0x200000u) - 0x200000u);
}

/* The IF word nearest to @if_hz (the chip shifts by -word * xtal / 2^22). */
static gint32
nearest_if_word (double if_hz)
{
  return (gint32) -lround (if_hz * 4194304.0 / XTAL_HZ);
}

static gboolean
always (const TunerCase *t, const Point *p, const Snapshot *theirs)
{
  return TRUE;
}

/* --- R820T and R828D ---------------------------------------------------------- */

#define R82XX_PLL_DIV     0x10
#define R82XX_VCO_POWER   0x12
#define R82XX_NI_SI       0x14
#define R82XX_SDM_LOW     0x15
#define R82XX_SDM_HIGH    0x16
#define R82XX_VCO_MIN_HZ  1770000000.0
#define R82XX_MIX_DIV_MAX 64

/* The R82xx PLL as 65536 * N: VCO / (2 xtal) with N = nint + sdm / 65536. */
static gint64
r82xx_pll_n (const FerEmuRegisters *r, guint *mix_div)
{
  guint div_num = r->tuner[R82XX_PLL_DIV] >> 5;
  *mix_div = 2u << div_num;
  guint ni = r->tuner[R82XX_NI_SI] & 0x3f, si = r->tuner[R82XX_NI_SI] >> 6;
  guint nint = 4 * ni + si + 13;
  return (gint64) nint * 65536 + (r->tuner[R82XX_SDM_HIGH] << 8 | r->tuner[R82XX_SDM_LOW]);
}

/* The IF both drivers aim at: the R82xx's IF filter settings put it on
 * whole kHz (3.57 MHz with the 6 MHz filter, lower with the narrow ones a
 * sample rate up to 2.43 MS/s selects). librtlsdr's word lies less than one
 * step (6.9 Hz) below it. */
static double
intended_if_hz (const Snapshot *theirs)
{
  return round (-if_word (&theirs->regs) * XTAL_HZ / 4194304.0 / 1000.0) * 1000.0;
}

/* The mixer divider each driver picks: the smallest (2, 4 .. 64) that
 * brings the VCO up to its nominal minimum, 1.77 GHz. Ferrite works in Hz
 * and takes 64 when none does; librtlsdr works with the LO rounded to whole
 * kHz and finds none (0) at the very bottom of the range. */
static guint
r82xx_divider_for (double lo_hz, gboolean whole_khz)
{
  double lo = whole_khz ? floor ((lo_hz + 500.0) / 1000.0) * 1000.0 : lo_hz;
  for (guint div = 2; div <= R82XX_MIX_DIV_MAX; div *= 2)
    if (lo * div >= R82XX_VCO_MIN_HZ)
      return div;
  return whole_khz ? 0 : R82XX_MIX_DIV_MAX;
}

static double
r82xx_lo_hz (const Point *p, const Snapshot *theirs)
{
  return p->freq_hz + intended_if_hz (theirs);
}

/* The LO is so low (24-26 MHz plus a narrow IF) that even the largest
 * divider leaves the VCO under its nominal minimum (in whole kHz). */
static gboolean
r82xx_at_bottom (const TunerCase *t, const Point *p, const Snapshot *theirs)
{
  return r82xx_divider_for (r82xx_lo_hz (p, theirs), TRUE) == 0;
}

/* The LO lies less than 500 Hz under an edge where the divider changes:
 * rounded to whole kHz it reaches the edge, exact it does not. */
static gboolean
r82xx_at_divider_edge (const TunerCase *t, const Point *p, const Snapshot *theirs)
{
  guint theirs_div = r82xx_divider_for (r82xx_lo_hz (p, theirs), TRUE);
  return theirs_div != 0 && theirs_div != r82xx_divider_for (r82xx_lo_hz (p, theirs), FALSE);
}

static gboolean
r82xx_same_divider (const TunerCase *t, const Point *p, const Snapshot *theirs)
{
  return !r82xx_at_bottom (t, p, theirs) && !r82xx_at_divider_edge (t, p, theirs);
}

/* The IF word: Ferrite's is the nearest to the IF; librtlsdr truncates the
 * division, which lands one step (6.9 Hz) further away whenever the
 * fraction is above one half. */
static gboolean
if_word_rounded (const TunerCase *t, const Point *p, const Snapshot *ours,
                 const Snapshot *theirs, GString *why)
{
  gint32 want = nearest_if_word (intended_if_hz (theirs));
  gint32 o = if_word (&ours->regs), w = if_word (&theirs->regs);
  if (o == want && (w == want || w == want + 1))
    return TRUE;
  g_string_append_printf (why, "IF word ours %d theirs %d, nearest %d", o, w, want);
  return FALSE;
}

/* How far librtlsdr's VCO may lie from the wanted one. Its fraction search
 * works in whole kHz: the VCO's fraction truncated to kHz, then each binary
 * digit's weight (2 xtal / 2^k) truncated to kHz as it is subtracted, which
 * sets later digits that overshoot. That is up to about 3 kHz either way:
 * 3 steps of 879 Hz with the R820T's 28.8 MHz crystal, 6 of 488 Hz with the
 * R828D's 16 MHz one. */
#define THEIR_VCO_ERROR_MAX_HZ 4000.0

/* Ferrite's PLL is the step nearest to LO = f + IF for its divider, and
 * librtlsdr's lies within THEIR_VCO_ERROR_MAX_HZ of the VCO for its own. */
static gboolean
r82xx_plls_near (const TunerCase *t, const Point *p, const Snapshot *ours,
                 const Snapshot *theirs, GString *why)
{
  guint div_o, div_t;
  gint64 o = r82xx_pll_n (&ours->regs, &div_o), w = r82xx_pll_n (&theirs->regs, &div_t);
  double step_hz = 2 * t->tuner_xtal_hz / 65536.0;   /* of the VCO */
  double lo_hz = r82xx_lo_hz (p, theirs);
  gint64 nearest = llround (lo_hz * div_o / step_hz);
  double their_error_hz = w * step_hz - lo_hz * div_t;
  if (o == nearest && fabs (their_error_hz) <= THEIR_VCO_ERROR_MAX_HZ)
    return TRUE;
  g_string_append_printf (why, "PLL ours %" G_GINT64_FORMAT " (nearest %" G_GINT64_FORMAT
                          ") theirs %" G_GINT64_FORMAT " (VCO %+.0f Hz), dividers %u/%u", o,
                          nearest, w, their_error_hz, div_o, div_t);
  return FALSE;
}

/* The PLL: Ferrite programs the step nearest to LO = f + IF, librtlsdr a
 * few steps away (above). Same divider. */
static gboolean
r82xx_pll_nearest (const TunerCase *t, const Point *p, const Snapshot *ours,
                   const Snapshot *theirs, GString *why)
{
  guint div_o, div_t;
  r82xx_pll_n (&ours->regs, &div_o);
  r82xx_pll_n (&theirs->regs, &div_t);
  if (div_o != div_t)
    {
      g_string_append_printf (why, "dividers ours %u theirs %u", div_o, div_t);
      return FALSE;
    }
  return r82xx_plls_near (t, p, ours, theirs, why);
}

/* Just under a divider edge (LO up to 500 Hz below 885, 442.5, 221.25 ..
 * MHz) librtlsdr rounds the LO up to the edge and takes the smaller
 * divider, running the VCO under 1.77 GHz by less than 1 kHz; Ferrite takes
 * the next divider, which runs it just under 3.54 GHz, the top of its
 * range. Both lock and both are centred; Ferrite's rule is the exact one. */
static gboolean
r82xx_edge_divider_doubled (const TunerCase *t, const Point *p, const Snapshot *ours,
                            const Snapshot *theirs, GString *why)
{
  guint div_o, div_t;
  r82xx_pll_n (&ours->regs, &div_o);
  r82xx_pll_n (&theirs->regs, &div_t);
  double our_vco_hz = r82xx_lo_hz (p, theirs) * div_o;
  if (div_o != 2 * div_t || our_vco_hz >= 2 * R82XX_VCO_MIN_HZ || !theirs->params.pll_locked)
    {
      g_string_append_printf (why, "dividers ours %u theirs %u, our VCO %.0f Hz, theirs "
                              "locked %d", div_o, div_t, our_vco_hz,
                              theirs->params.pll_locked);
      return FALSE;
    }
  return r82xx_plls_near (t, p, ours, theirs, why);
}

/* At the bottom of the range librtlsdr's divider search finds nothing: it
 * leaves the divider register at 2 but works out N for 128, so the LO lands
 * near 1.7 GHz and the stream is not where it was tuned. Ferrite takes the
 * largest divider, 64, which runs the VCO at or a little under its nominal
 * minimum, where the chip still locks, and the stream is centred (checked
 * for every point). */
static gboolean
r82xx_bottom_divider_locks (const TunerCase *t, const Point *p, const Snapshot *ours,
                            const Snapshot *theirs, GString *why)
{
  guint div_o, div_t;
  r82xx_pll_n (&ours->regs, &div_o);
  r82xx_pll_n (&theirs->regs, &div_t);
  double their_error_hz = fabs (theirs->params.center_hz - p->freq_hz);
  if (div_o == R82XX_MIX_DIV_MAX && div_t == 2 && ours->params.pll_locked
      && their_error_hz > 1e9)
    return TRUE;
  g_string_append_printf (why, "dividers ours %u theirs %u, locked ours %d, theirs off by "
                          "%.0f Hz", div_o, div_t, ours->params.pll_locked, their_error_hz);
  return FALSE;
}

/* Half a step of the LO and of the IF. */
static double
r82xx_centre_tolerance_hz (const TunerCase *t, const Snapshot *ours)
{
  guint mix_div;
  r82xx_pll_n (&ours->regs, &mix_div);
  return (2 * t->tuner_xtal_hz / 65536 / mix_div + XTAL_HZ / 4194304.0) / 2;
}

/* The R820T and the R828D (whose front-end input switching at 345 MHz both
 * drivers do alike): every register equal, or differing in one of these
 * ways and nothing else. */
static const Expected r82xx_expected[] = {
  { "IF word rounded, not truncated", always,
    { { "demod1", 0x19 }, { "demod1", 0x1a }, { "demod1", 0x1b } }, if_word_rounded },
  { "PLL fraction: the nearest step", r82xx_same_divider,
    { { "tuner", R82XX_NI_SI }, { "tuner", R82XX_SDM_LOW }, { "tuner", R82XX_SDM_HIGH },
      { "tuner", R82XX_VCO_POWER } }, r82xx_pll_nearest },
  { "divider edge: the exact divider, not the one for the LO in whole kHz",
    r82xx_at_divider_edge,
    { { "tuner", R82XX_PLL_DIV }, { "tuner", R82XX_NI_SI }, { "tuner", R82XX_SDM_LOW },
      { "tuner", R82XX_SDM_HIGH }, { "tuner", R82XX_VCO_POWER } }, r82xx_edge_divider_doubled },
  { "bottom of the range: divider 64, PLL locked", r82xx_at_bottom,
    { { "tuner", R82XX_PLL_DIV }, { "tuner", R82XX_NI_SI }, { "tuner", R82XX_SDM_LOW },
      { "tuner", R82XX_SDM_HIGH }, { "tuner", R82XX_VCO_POWER } }, r82xx_bottom_divider_locks },
};

/* --- E4000 ---------------------------------------------------------------------- */

#define E4K_SYNTH7 0x0d

/* LO = xtal (Z + X / 65536) / divider; SYNTH7 bit 3 three-phase mixing,
 * bits 2:0 the divider code. */
static guint
e4k_divider (const FerEmuRegisters *r)
{
  static const guint8 three_phase[8] = { 0, 8, 12, 16, 24, 32, 40, 48 };
  static const guint8 two_phase[8] = { 2, 4, 6, 8, 0, 0, 0, 0 };
  guint8 synth7 = r->tuner[E4K_SYNTH7];
  return (synth7 & 0x08) ? three_phase[synth7 & 7] : two_phase[synth7 & 7];
}

/* Both drivers truncate the PLL fraction: the LO lies up to one step low. */
static double
e4k_centre_tolerance_hz (const TunerCase *t, const Snapshot *ours)
{
  guint divider = e4k_divider (&ours->regs);
  return divider != 0 ? t->tuner_xtal_hz / 65536.0 / divider : 0.0;
}

/* --- The tuners ---------------------------------------------------------------- */

/* The E4000 tunes 52-2200 MHz, but its VCO (in the emulator as in most
 * real chips) does not lock for LOs from 1100 to about 1245 MHz. */
#define E4K_GAP_FROM_HZ 1100e6
#define E4K_GAP_TO_HZ   1250e6

/* Edges of the R82xx's settings, as LO = f + IF (the IF is 3.57 MHz from
 * 2.56 MS/s up, 1.815 MHz at 2.4 MS/s, 2.125 MHz at 0.25 MS/s). */
static const Point r82xx_edges[] = {
  { 881429999, 3200000 },   /* LO 1 Hz under 885 MHz: divider 2 or 4 */
  { 219434999, 2400000 },   /* 1 Hz under 221.25 MHz: 8 or 16 */
  { 108499501, 250000 },    /* 499 Hz under 110.625 MHz: 16 or 32 */
  { 25531250, 250000 },     /* LO 27.65625 MHz, VCO exactly 1.77 GHz with 64 */
  { 584429999, 2880000 },   /* 1 Hz under 588 MHz: the RF mux's top band */
  { 345000000, 2048000 },   /* the R828D's cable-1 input up to here, */
  { 345000001, 2048000 },   /* its air input above */
};

/* Edges of the E4000's divider, band and RF filter choices (zero IF: the
 * LO is f, truncated to a PLL step). */
static const Point e4k_edges[] = {
  { 72399999, 1024000 }, { 72400000, 1024000 },       /* divider 48 or 40 */
  { 139999999, 2048000 }, { 140000000, 2048000 },     /* band VHF2 or VHF3 */
  { 349999999, 2400000 }, { 350000000, 2400000 },     /* three- or two-phase, VHF3 or UHF */
  { 370000000, 2880000 },                             /* between two RF filters */
  { 666999999, 3200000 }, { 667000000, 3200000 },     /* divider 6 or 4 */
};

/* The E4000 has no expectation: every register equal at every point. */
static const TunerCase tuner_cases[] = {
  { "r820t", FER_EMU_TUNER_R820T, 24e6, 1766e6, 0, 0, XTAL_HZ,
    r82xx_expected, G_N_ELEMENTS (r82xx_expected), r82xx_centre_tolerance_hz,
    { 433920000, 2048000 }, r82xx_edges, G_N_ELEMENTS (r82xx_edges) },
  { "r828d", FER_EMU_TUNER_R828D, 24e6, 1766e6, 0, 0, 16e6,
    r82xx_expected, G_N_ELEMENTS (r82xx_expected), r82xx_centre_tolerance_hz,
    { 162550000, 1024000 }, r82xx_edges, G_N_ELEMENTS (r82xx_edges) },
  { "e4000", FER_EMU_TUNER_E4000, 52e6, 2200e6, E4K_GAP_FROM_HZ, E4K_GAP_TO_HZ, XTAL_HZ,
    NULL, 0, e4k_centre_tolerance_hz,
    { 1575420000, 2400000 }, e4k_edges, G_N_ELEMENTS (e4k_edges) },
};

/* --- Checking the points ----------------------------------------------------------- */

static const Expected *
explained_by (const TunerCase *t, const Point *p, const Snapshot *theirs, const Difference *d)
{
  for (guint e = 0; e < t->n_expected; e++)
    if (t->expected[e].applies (t, p, theirs))
      for (guint r = 0; r < G_N_ELEMENTS (t->expected[e].regs) && t->expected[e].regs[r].block;
           r++)
        if (strcmp (t->expected[e].regs[r].block, d->block) == 0
            && t->expected[e].regs[r].addr == d->addr)
          return &t->expected[e];
  return NULL;
}

/* Compares one point; returns FALSE (with the reasons in @report) when a
 * difference is not explained or an explanation does not hold. Marks in
 * @seen the entries whose registers did differ. */
static gboolean
compare_point (const TunerCase *t, const Point *p, const Snapshot *ours,
               const Snapshot *theirs, GString *report, gboolean *seen)
{
  gboolean ok = TRUE;
  g_autoptr (GArray) d = g_array_new (FALSE, FALSE, sizeof (Difference));
  diff (&ours->regs, &theirs->regs, d);
  for (guint k = 0; k < d->len; k++)
    {
      Difference *x = &g_array_index (d, Difference, k);
      const Expected *e = explained_by (t, p, theirs, x);
      if (e != NULL)
        {
          seen[e - t->expected] = TRUE;
          continue;
        }
      g_string_append_printf (report, "%s %u Hz %u S/s: %s 0x%02x ours 0x%02x theirs 0x%02x, "
                              "unexplained\n", t->name, p->freq_hz, p->rate_hz, x->block,
                              x->addr, x->ours, x->theirs);
      ok = FALSE;
    }
  for (guint e = 0; e < t->n_expected; e++)
    {
      g_autoptr (GString) why = g_string_new (NULL);
      if (t->expected[e].applies (t, p, theirs) && t->expected[e].holds != NULL
          && !t->expected[e].holds (t, p, ours, theirs, why))
        {
          g_string_append_printf (report, "%s %u Hz %u S/s: \"%s\" does not hold: %s\n",
                                  t->name, p->freq_hz, p->rate_hz, t->expected[e].what,
                                  why->str);
          ok = FALSE;
        }
    }

  /* What a listener gets: the stream centred on the frequency as closely
   * as the PLL and IF steps allow, at the same rate, the PLL locked. */
  double off_ours = fabs (ours->params.center_hz - p->freq_hz);
  if (off_ours > t->centre_tolerance_hz (t, ours) + 0.01
      || ours->params.rate_hz != theirs->params.rate_hz || !ours->params.pll_locked)
    {
      g_string_append_printf (report, "%s %u Hz %u S/s: centre ours %+.1f Hz theirs %+.1f Hz, "
                              "rate ours %.3f theirs %.3f, locked %d\n", t->name, p->freq_hz,
                              p->rate_hz, ours->params.center_hz - p->freq_hz,
                              theirs->params.center_hz - p->freq_hz, ours->params.rate_hz,
                              theirs->params.rate_hz, ours->params.pll_locked);
      ok = FALSE;
    }
  return ok;
}

static void
test_registers_match (gconstpointer data)
{
  const TunerCase *t = data;
  guint n = N_POINTS + t->n_edges;
  Point *points = g_new (Point, n);
  make_points (t, points);
  memcpy (points + N_POINTS, t->edges, t->n_edges * sizeof (Point));
  Snapshot *theirs = g_new0 (Snapshot, n);
  Snapshot *ours = g_new0 (Snapshot, n);
  run_librtlsdr (t->type, points, n, theirs);
  run_ferrite (t->type, points, n, ours);

  g_autoptr (GString) report = g_string_new (NULL);
  gboolean *seen = g_new0 (gboolean, t->n_expected + 1);
  guint n_equal = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GArray) d = g_array_new (FALSE, FALSE, sizeof (Difference));
      diff (&ours[i].regs, &theirs[i].regs, d);
      n_equal += d->len == 0;
      compare_point (t, &points[i], &ours[i], &theirs[i], report, seen);
    }
  for (guint e = 0; e < t->n_expected; e++)
    if (!seen[e])
      g_string_append_printf (report, "expected difference \"%s\" never showed: remove it\n",
                              t->expected[e].what);
  guint32 lowest = G_MAXUINT32, highest = 0;
  for (guint i = 0; i < N_POINTS; i++)
    {
      lowest = MIN (lowest, points[i].freq_hz);
      highest = MAX (highest, points[i].freq_hz);
    }
  g_test_message ("%s: %u points %.3f-%.3f MHz and %u edges, %u rates; %u with every "
                  "register equal", t->name, N_POINTS, lowest / 1e6, highest / 1e6, t->n_edges,
                  (guint) G_N_ELEMENTS (rates), n_equal);
  if (report->len > 0)
    g_error ("Ferrite and librtlsdr program the %s dongle differently:\n%s", t->name,
             report->str);
  g_free (seen);
  g_free (theirs);
  g_free (ours);
  g_free (points);
}

/* Inside the E4000's gap the drivers differ on purpose. librtlsdr programs
 * a PLL that does not lock, says so and leaves it: the stream turns to
 * noise. Ferrite refuses the frequency (the user is told why) and puts the
 * last good tuning back, so the stream carries on where it was: every
 * register as before the attempt. */
static void
test_e4000_gap_keeps_tuning (void)
{
  const Point good = { 1090000000, 2400000 };
  const guint32 in_gap_hz = 1150000000;
  Snapshot before, after;

  {
    g_autoptr (FerEmuUsbdevfs) server = plug_fresh (FER_EMU_TUNER_E4000);
    rtlsdr_dev_t *dev = NULL;
    g_assert_cmpint (rtlsdr.open (&dev, 0), ==, 0);
    g_assert_cmpint (rtlsdr.set_sample_rate (dev, good.rate_hz), ==, 0);
    g_assert_cmpint (rtlsdr.set_center_freq (dev, good.freq_hz), ==, 0);
    snapshot (server, &before);
    g_assert_true (before.params.pll_locked);
    g_assert_cmpint (rtlsdr.set_center_freq (dev, in_gap_hz), !=, 0);
    snapshot (server, &after);
    g_assert_false (after.params.pll_locked);
    rtlsdr.close (dev);
  }

  g_autoptr (FerEmuUsbdevfs) server = plug_fresh (FER_EMU_TUNER_E4000);
  g_autoptr (GError) error = NULL;
  FerUsb *usb = fer_usb_libusb_open_index (0, &error);
  g_assert_no_error (error);
  FerRtl2832 *rtl = fer_rtl2832_open (usb, &error);
  g_assert_no_error (error);
  g_assert_true (fer_rtl2832_set_sample_rate (rtl, good.rate_hz, &error));
  g_assert_true (fer_rtl2832_set_center_freq (rtl, good.freq_hz, &error));
  snapshot (server, &before);
  g_assert_false (fer_rtl2832_set_center_freq (rtl, in_gap_hz, &error));
  g_assert_error (error, FER_DEVICE_ERROR, FER_DEVICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1100 to 1250 MHz"));
  snapshot (server, &after);
  g_autoptr (GArray) d = g_array_new (FALSE, FALSE, sizeof (Difference));
  diff (&after.regs, &before.regs, d);
  g_assert_cmpuint (d->len, ==, 0);
  g_assert_true (after.params.pll_locked);
  g_assert_cmpfloat (fabs (after.params.center_hz - good.freq_hz), <=, 1000.0);
  g_assert_cmpuint (fer_rtl2832_get_center_freq (rtl), ==, good.freq_hz);
  fer_rtl2832_close (rtl);
}

/* The RTL-SDR Blog V4 (an R828D behind an upconverter, with input switching
 * and notch filters on the demodulator's GPIOs, running on the 28.8 MHz
 * crystal) is not compared: the reference library as packaged does not know
 * the board and drives its R828D as a plain one with a 16 MHz crystal, so
 * there is no reference to compare with. Ferrite's driver for it is tested
 * at register level against the emulator alone. */
static void
test_blog_v4_has_no_reference (void)
{
  g_test_skip ("the packaged librtlsdr does not drive the RTL-SDR Blog V4: "
               "no reference to compare with");
}

/* --- The tools themselves, under emu-run --------------------------------------- */

/* Runs @argv (emu-run and its command) outside this process's testbed;
 * returns the exit status, with stdout+stderr in @output. */
static int
run_tool (const char *const *argv, char **output)
{
  g_autoptr (GError) error = NULL;
  char **env = g_get_environ ();
  env = g_environ_unsetenv (env, "UMOCKDEV_DIR");
  g_autofree char *out = NULL, *err = NULL;
  int status = -1;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_strfreev (env);
  if (output != NULL)
    *output = g_strconcat (out, err, NULL);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

static gboolean
have_tool (const char *env_var, const char *name, const char **path)
{
  *path = env_var ? g_getenv (env_var) : NULL;
  g_autofree char *found = name ? g_find_program_in_path (name) : NULL;
  if (*path == NULL && found == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("%s is not available", env_var ? env_var : name);
      g_test_skip (msg);
      return FALSE;
    }
  return TRUE;
}

static void
read_dump (const char *path, FerEmuRegisters *regs)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_true (fer_emu_registers_parse (text, regs, &error));
  g_assert_no_error (error);
}

static void
assert_same (const char *what, const FerEmuRegisters *a, const FerEmuRegisters *b)
{
  g_autoptr (GArray) d = g_array_new (FALSE, FALSE, sizeof (Difference));
  diff (a, b, d);
  for (guint k = 0; k < d->len; k++)
    {
      Difference *x = &g_array_index (d, Difference, k);
      g_test_message ("%s: %s 0x%02x 0x%02x / 0x%02x", what, x->block, x->addr, x->ours,
                      x->theirs);
    }
  g_assert_cmpuint (d->len, ==, 0);
}

static void
remove_dir (char *dir, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

static const Point cli_points[] = {
  { 433920000, 2048000 },
  { 1090000000, 2560000 },
};

/* rtl_sdr under emu-run leaves the registers librtlsdr left here, and
 * `ferrite --headless --source rtl` those Ferrite's driver left; between
 * the two, only the table's differences. */
static void
test_tools_under_emu_run (void)
{
  const char *emu_run, *ferrite, *rtl_sdr;
  if (!have_tool ("EMU_RUN", NULL, &emu_run) || !have_tool (NULL, "rtl_sdr", &rtl_sdr)
      || !have_tool ("FERRITE_BIN", NULL, &ferrite))
    return;
  char *dir = g_dir_make_tmp ("vs-librtlsdr-XXXXXX", NULL);
  g_autoptr (GString) report = g_string_new (NULL);
  const TunerCase *r820t = &tuner_cases[0];
  gboolean seen[G_N_ELEMENTS (r82xx_expected)] = { FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (cli_points); i++)
    {
      const Point *p = &cli_points[i];
      g_autofree char *f = g_strdup_printf ("%u", p->freq_hz);
      g_autofree char *r = g_strdup_printf ("%u", p->rate_hz);
      g_autofree char *their_dump = g_build_filename (dir, "rtl_sdr.txt", NULL);
      g_autofree char *our_dump = g_build_filename (dir, "ferrite.txt", NULL);
      g_autofree char *out = NULL;

      const char *rtl_argv[] = { emu_run, "--unthrottled", "--timeout", "20", "--dump-registers",
                                 their_dump, "--", "rtl_sdr", "-f", f, "-s", r, "-n", "65536",
                                 "/dev/null", NULL };
      int rc = run_tool (rtl_argv, &out);
      if (rc != 0)
        g_error ("rtl_sdr under emu-run exited %d:\n%s", rc, out);
      g_clear_pointer (&out, g_free);

      const char *fer_argv[] = { emu_run, "--unthrottled", "--timeout", "30", "--dump-registers",
                                 our_dump, "--", ferrite, "--headless", "--source", "rtl",
                                 "--freq", f, "--rate", r, "--seconds", "0.05", "-o",
                                 "/dev/null", NULL };
      rc = run_tool (fer_argv, &out);
      if (rc != 0)
        g_error ("ferrite under emu-run exited %d:\n%s", rc, out);

      Snapshot tool_theirs = { 0 }, tool_ours = { 0 }, lib_theirs, lib_ours;
      read_dump (their_dump, &tool_theirs.regs);
      read_dump (our_dump, &tool_ours.regs);
      run_librtlsdr (r820t->type, p, 1, &lib_theirs);
      run_ferrite (r820t->type, p, 1, &lib_ours);
      assert_same ("rtl_sdr vs librtlsdr", &tool_theirs.regs, &lib_theirs.regs);
      assert_same ("ferrite vs its driver", &tool_ours.regs, &lib_ours.regs);
      compare_point (r820t, p, &lib_ours, &lib_theirs, report, seen);
    }
  if (report->len > 0)
    g_error ("the tools program the dongle differently:\n%s", report->str);
  remove_dir (dir, (const char *[]) { "rtl_sdr.txt", "ferrite.txt", NULL });
}

/* --- A carrier through the reference tool ---------------------------------------- */

#define FFT_SIZE       1024
#define SKIP_SAMPLES   16384    /* the start of the recording, left out */
#define N_SAMPLES      (SKIP_SAMPLES + 64 * FFT_SIZE)
#define DC_GUARD_BINS  3        /* a zero-IF tuner's DC offset sits here */

/* Two carriers, one each side of the centre, at offsets that are not a
 * simple fraction of the rate, 10 dB apart: where they land proves the
 * centre, the orientation (not mirrored) and the rate. */
#define ABOVE_FRACTION 0.1937
#define BELOW_FRACTION (-0.3121)
#define ABOVE_DBFS     (-30.0)
#define BELOW_DBFS     (-40.0)

/* The strongest bin of @power in [@from, @to), outside the DC guard. */
static guint
peak_bin (const float *power, guint from, guint to)
{
  guint best = from;
  for (guint k = from; k < to; k++)
    if (ABS ((int) k - FFT_SIZE / 2) > DC_GUARD_BINS && power[k] > power[best])
      best = k;
  return best;
}

static int
cmp_float (gconstpointer a, gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

/* rtl_sdr records a scene of two carriers through the emulated dongle; its
 * average power spectrum must show each in its own bin (one bin of slack:
 * librtlsdr's PLL steps), 30 dB above the noise, and nothing as strong at
 * their mirror images. Its registers must be the library's. */
static void
test_rtl_sdr_carrier_in_bin (gconstpointer data)
{
  const TunerCase *t = data;
  const char *emu_run, *rtl_sdr;
  if (!have_tool ("EMU_RUN", NULL, &emu_run) || !have_tool (NULL, "rtl_sdr", &rtl_sdr))
    return;
  const Point *p = &t->carrier_point;
  double above_hz = p->freq_hz + ABOVE_FRACTION * p->rate_hz;
  double below_hz = p->freq_hz + BELOW_FRACTION * p->rate_hz;
  char *dir = g_dir_make_tmp ("vs-librtlsdr-XXXXXX", NULL);
  g_autofree char *scene = g_build_filename (dir, "scene.ini", NULL);
  g_autofree char *dump = g_build_filename (dir, "regs.txt", NULL);
  g_autofree char *iq = g_build_filename (dir, "iq.cu8", NULL);
  g_autofree char *scene_text = g_strdup_printf (
    "[scene]\ndefault-emitters = false\n"
    "[emitter Above]\nkind = carrier\nfreq = %.0f\nlevel = %.0f\n"
    "[emitter Below]\nkind = carrier\nfreq = %.0f\nlevel = %.0f\n",
    above_hz, ABOVE_DBFS, below_hz, BELOW_DBFS);
  g_assert_true (g_file_set_contents (scene, scene_text, -1, NULL));

  g_autofree char *f = g_strdup_printf ("%u", p->freq_hz);
  g_autofree char *r = g_strdup_printf ("%u", p->rate_hz);
  g_autofree char *n = g_strdup_printf ("%u", N_SAMPLES);
  g_autofree char *out = NULL;
  const char *argv[] = { emu_run, "--unthrottled", "--timeout", "20", "--tuner", t->name,
                         "--scene", scene, "--dump-registers", dump, "--", "rtl_sdr", "-f", f,
                         "-s", r, "-n", n, iq, NULL };
  int rc = run_tool (argv, &out);
  if (rc != 0)
    g_error ("rtl_sdr under emu-run exited %d:\n%s", rc, out);

  /* The tool tuned as the library driven here does. */
  Snapshot tool = { 0 }, lib;
  read_dump (dump, &tool.regs);
  run_librtlsdr (t->type, p, 1, &lib);
  assert_same ("rtl_sdr vs librtlsdr", &tool.regs, &lib.regs);

  gsize n_bytes = 0;
  g_autofree guint8 *bytes = NULL;
  g_assert_true (g_file_get_contents (iq, (char **) &bytes, &n_bytes, NULL));
  g_assert_cmpuint (n_bytes, ==, 2 * N_SAMPLES);
  g_autoptr (FerFft) fft = fer_fft_new (FFT_SIZE);
  float complex *frame = g_new (float complex, FFT_SIZE);
  float *power = g_new0 (float, FFT_SIZE), *frame_power = g_new (float, FFT_SIZE);
  guint n_frames = 0;
  for (gsize s = SKIP_SAMPLES; s + FFT_SIZE <= N_SAMPLES; s += FFT_SIZE, n_frames++)
    {
      for (guint k = 0; k < FFT_SIZE; k++)
        frame[k] = (bytes[2 * (s + k)] - 127.5f) / 127.5f
                   + I * ((bytes[2 * (s + k) + 1] - 127.5f) / 127.5f);
      fer_fft_power (fft, frame, frame_power);
      for (guint k = 0; k < FFT_SIZE; k++)
        power[k] += frame_power[k] / (float) (N_SAMPLES / FFT_SIZE);
    }

  float *sorted = g_memdup2 (power, FFT_SIZE * sizeof (float));
  qsort (sorted, FFT_SIZE, sizeof (float), cmp_float);
  double noise_db = 10 * log10 (sorted[FFT_SIZE / 2]);
  int want_above = FFT_SIZE / 2 + (int) lround (ABOVE_FRACTION * FFT_SIZE);
  int want_below = FFT_SIZE / 2 + (int) lround (BELOW_FRACTION * FFT_SIZE);
  int got_above = (int) peak_bin (power, FFT_SIZE / 2, FFT_SIZE);
  int got_below = (int) peak_bin (power, 0, FFT_SIZE / 2);
  double above_db = 10 * log10 (power[got_above]), below_db = 10 * log10 (power[got_below]);
  double mirror_above_db = 10 * log10 (power[FFT_SIZE - got_above]);
  double mirror_below_db = 10 * log10 (power[FFT_SIZE - got_below]);
  g_test_message ("%s at %u Hz, %u S/s: carriers in bins %d and %d (want %d, %d), "
                  "%.1f and %.1f dB over the noise, mirrors %.1f and %.1f dB under them",
                  t->name, p->freq_hz, p->rate_hz, got_above, got_below, want_above,
                  want_below, above_db - noise_db, below_db - noise_db,
                  above_db - mirror_above_db, below_db - mirror_below_db);
  g_assert_cmpint (ABS (got_above - want_above), <=, 1);
  g_assert_cmpint (ABS (got_below - want_below), <=, 1);
  g_assert_cmpfloat (above_db - noise_db, >=, 30.0);
  g_assert_cmpfloat (below_db - noise_db, >=, 20.0);
  g_assert_cmpfloat (above_db - below_db, >=, 10.0 - 1.0);
  g_assert_cmpfloat (above_db - below_db, <=, 10.0 + 1.0);
  g_assert_cmpfloat (above_db - mirror_above_db, >=, 25.0);
  g_assert_cmpfloat (below_db - mirror_below_db, >=, 15.0);

  g_free (sorted);
  g_free (frame);
  g_free (power);
  g_free (frame_power);
  remove_dir (dir, (const char *[]) { "scene.ini", "regs.txt", "iq.cu8", NULL });
}

/* librtlsdr's own loss counter over the emulated dongle's test pattern. */
static void
test_rtl_test_counts_no_loss (void)
{
  const char *emu_run, *rtl_test;
  if (!have_tool ("EMU_RUN", NULL, &emu_run) || !have_tool (NULL, "rtl_test", &rtl_test))
    return;
  const char *argv[] = { emu_run, "--unthrottled", "--interrupt-after", "1.5", "--timeout", "20",
                         "--", "rtl_test", "-s", "2400000", NULL };
  g_autofree char *out = NULL;
  int rc = run_tool (argv, &out);
  g_test_message ("%s", out);
  g_assert_cmpint (rc, ==, 0);
  g_assert_nonnull (strstr (out, "Found Rafael Micro R820T tuner"));
  g_assert_nonnull (strstr (out, "Samples per million lost (minimum): 0"));
  g_assert_null (strstr (out, "lost at least"));
}

int
main (int argc, char **argv)
{
  usb_test_init (&argc, &argv);
  if (!load_librtlsdr ())
    {
      g_printerr ("skipped: librtlsdr (package rtl-sdr) is not installed\n");
      return EXIT_SKIP;
    }
  for (guint i = 0; i < G_N_ELEMENTS (tuner_cases); i++)
    {
      const TunerCase *t = &tuner_cases[i];
      g_autofree char *regs = g_strdup_printf ("/usb/vs-librtlsdr/%s/registers-match", t->name);
      g_autofree char *carrier = g_strdup_printf ("/usb/vs-librtlsdr/%s/rtl-sdr-carrier-in-bin",
                                                  t->name);
      g_test_add_data_func (regs, t, test_registers_match);
      g_test_add_data_func (carrier, t, test_rtl_sdr_carrier_in_bin);
    }
  g_test_add_func ("/usb/vs-librtlsdr/e4000/gap-keeps-tuning", test_e4000_gap_keeps_tuning);
  g_test_add_func ("/usb/vs-librtlsdr/blog-v4/no-reference", test_blog_v4_has_no_reference);
  g_test_add_func ("/usb/vs-librtlsdr/r820t/tools-under-emu-run", test_tools_under_emu_run);
  g_test_add_func ("/usb/vs-librtlsdr/r820t/rtl-test-counts-no-loss",
                   test_rtl_test_counts_no_loss);
  return g_test_run ();
}
