#include "test-emu-common.h"

#include <math.h>
#include <string.h>

#define NOMINAL_XTAL_HZ 28.8e6
#define R82XX_IF_HZ     3570000.0

#define BLOCK_USB 1
#define BLOCK_SYS 2
#define BLOCK_I2C 6

/* Tuner register values written at init, starting at register 0x05. */
static const guint8 r82xx_init_regs[] = {
  0x83, 0x32, 0x75, 0xc0, 0x40, 0xd6, 0x6c, 0xf5, 0x63, 0x75, 0x68,
  0x6c, 0x83, 0x80, 0x00, 0x0f, 0x00, 0xc0, 0x30, 0x48, 0xcc, 0x60,
  0x00, 0x54, 0xae, 0x4a, 0xc0,
};

/* Half of the demod's symmetric 32-tap FIR, loaded at init (8 x 8-bit, 8 x 12-bit). */
static const int demod_fir[16] = {
  -54, -36, -41, -40, -32, -14, 14, 53, 101, 156, 215, 273, 327, 372, 404, 421
};

static guint8
bitrev8 (guint8 b)
{
  guint8 r = 0;
  for (int i = 0; i < 8; i++)
    if (b & (1u << i))
      r |= (guint8) (0x80u >> i);
  return r;
}

void
test_demod_write (FerEmuDongle *emu, guint page, guint addr, guint value, guint len)
{
  guint8 data[2];
  if (len == 1)
    data[0] = (guint8) value;
  else
    {
      data[0] = (guint8) (value >> 8);
      data[1] = (guint8) value;
    }
  int r = fer_emu_dongle_control (emu, TEST_VENDOR_OUT, 0, (guint16) (addr << 8 | 0x20),
                                  (guint16) (0x10 | page), data, (guint16) len);
  g_assert_cmpint (r, ==, (int) len);
  /* A real driver reads a dummy register after each demod write. */
  guint8 dummy;
  r = fer_emu_dongle_control (emu, TEST_VENDOR_IN, 0, 0x0120, 0x000a, &dummy, 1);
  g_assert_cmpint (r, ==, 1);
}

guint
test_demod_read (FerEmuDongle *emu, guint page, guint addr, guint len)
{
  guint8 data[2] = { 0, 0 };
  int r = fer_emu_dongle_control (emu, TEST_VENDOR_IN, 0, (guint16) (addr << 8 | 0x20),
                                  (guint16) page, data, (guint16) len);
  g_assert_cmpint (r, ==, (int) len);
  return len == 1 ? data[0] : (guint) data[0] << 8 | data[1];
}

void
test_reg_write (FerEmuDongle *emu, guint block, guint addr, guint value, guint len)
{
  guint8 data[2];
  if (len == 1)
    data[0] = (guint8) value;
  else
    {
      data[0] = (guint8) (value >> 8);
      data[1] = (guint8) value;
    }
  int r = fer_emu_dongle_control (emu, TEST_VENDOR_OUT, 0, (guint16) addr,
                                  (guint16) (block << 8 | 0x10), data, (guint16) len);
  g_assert_cmpint (r, ==, (int) len);
}

guint
test_reg_read (FerEmuDongle *emu, guint block, guint addr, guint len)
{
  guint8 data[2] = { 0, 0 };
  int r = fer_emu_dongle_control (emu, TEST_VENDOR_IN, 0, (guint16) addr,
                                  (guint16) (block << 8), data, (guint16) len);
  g_assert_cmpint (r, ==, (int) len);
  return len == 1 ? data[0] : (guint) data[0] << 8 | data[1];
}

int
test_i2c_write (FerEmuDongle *emu, guint8 addr, const guint8 *data, guint16 len)
{
  guint8 buf[64];
  g_assert_cmpuint (len, <=, sizeof buf);
  memcpy (buf, data, len);
  return fer_emu_dongle_control (emu, TEST_VENDOR_OUT, 0, addr, BLOCK_I2C << 8 | 0x10, buf,
                                 len);
}

int
test_i2c_read (FerEmuDongle *emu, guint8 addr, guint8 *data, guint16 len)
{
  return fer_emu_dongle_control (emu, TEST_VENDOR_IN, 0, addr, BLOCK_I2C << 8, data, len);
}

void
test_set_repeater (FerEmuDongle *emu, gboolean on)
{
  test_demod_write (emu, 1, 0x01, on ? 0x18 : 0x10, 1);
}

/* ---- tuner access, with a shadow like a real driver ---- */

static void
tuner_write (TestDriver *d, guint reg, const guint8 *values, guint n)
{
  /* At most 7 data bytes per I2C message. */
  while (n > 0)
    {
      guint8 msg[8];
      guint k = MIN (n, 7u);
      msg[0] = (guint8) reg;
      memcpy (msg + 1, values, k);
      int r = test_i2c_write (d->emu, d->tuner_addr, msg, (guint16) (k + 1));
      g_assert_cmpint (r, ==, (int) k + 1);
      memcpy (d->shadow + reg, values, k);
      reg += k;
      values += k;
      n -= k;
    }
}

static void
tuner_write_mask (TestDriver *d, guint reg, guint8 value, guint8 mask)
{
  guint8 v = (guint8) ((d->shadow[reg] & ~mask) | (value & mask));
  tuner_write (d, reg, &v, 1);
}

static void
tuner_read_status (TestDriver *d, guint8 *out, guint n)
{
  guint8 reg = 0;
  g_assert_cmpint (test_i2c_write (d->emu, d->tuner_addr, &reg, 1), ==, 1);
  g_assert_cmpint (test_i2c_read (d->emu, d->tuner_addr, out, (guint16) n), ==, (int) n);
  for (guint i = 0; i < n; i++)
    out[i] = bitrev8 (out[i]);
}

static double
driver_xtal (TestDriver *d)
{
  return NOMINAL_XTAL_HZ * (1.0 + d->ppm / 1e6);
}

static double
driver_tuner_xtal (TestDriver *d)
{
  return d->tuner_xtal_hz * (1.0 + d->ppm / 1e6);
}

void
test_driver_set_if (TestDriver *d, double if_hz)
{
  gint32 v = (gint32) (-(if_hz * 4194304.0 / driver_xtal (d)));
  test_demod_write (d->emu, 1, 0x19, (guint) (v >> 16) & 0x3f, 1);
  test_demod_write (d->emu, 1, 0x1a, (guint) (v >> 8) & 0xff, 1);
  test_demod_write (d->emu, 1, 0x1b, (guint) v & 0xff, 1);
  d->if_hz = if_hz;
}

void
test_driver_set_inversion (TestDriver *d, gboolean on)
{
  test_demod_write (d->emu, 1, 0x15, on ? 1 : 0, 1);
}

static void
write_fir (FerEmuDongle *emu)
{
  guint8 fir[20];
  for (int i = 0; i < 8; i++)
    fir[i] = (guint8) demod_fir[i];
  for (int i = 0; i < 8; i += 2)
    {
      int a = demod_fir[8 + i], b = demod_fir[8 + i + 1];
      fir[8 + i * 3 / 2] = (guint8) (a >> 4);
      fir[8 + i * 3 / 2 + 1] = (guint8) ((a << 4) | ((b >> 8) & 0x0f));
      fir[8 + i * 3 / 2 + 2] = (guint8) b;
    }
  for (int i = 0; i < 20; i++)
    test_demod_write (emu, 1, 0x1c + (guint) i, fir[i], 1);
}

void
test_driver_init (TestDriver *d, FerEmuDongle *emu)
{
  memset (d, 0, sizeof *d);
  d->emu = emu;
  d->high_side = TRUE;

  /* USB and demod power. */
  test_reg_write (emu, BLOCK_USB, 0x2000, 0x09, 1);
  test_reg_write (emu, BLOCK_USB, 0x2158, 0x0002, 2);
  test_reg_write (emu, BLOCK_USB, 0x2148, 0x1002, 2);
  test_reg_write (emu, BLOCK_SYS, 0x300b, 0x22, 1);
  test_reg_write (emu, BLOCK_SYS, 0x3000, 0xe8, 1);
  /* Demod soft reset, then SDR mode. */
  test_demod_write (emu, 1, 0x01, 0x14, 1);
  test_demod_write (emu, 1, 0x01, 0x10, 1);
  test_demod_write (emu, 1, 0x15, 0x00, 1);
  test_demod_write (emu, 1, 0x16, 0x0000, 2);
  for (guint i = 0; i < 6; i++)
    test_demod_write (emu, 1, 0x16 + i, 0x00, 1);
  write_fir (emu);
  test_demod_write (emu, 0, 0x19, 0x05, 1);
  test_demod_write (emu, 1, 0x93, 0xf0, 1);
  test_demod_write (emu, 1, 0x94, 0x0f, 1);
  test_demod_write (emu, 1, 0x11, 0x00, 1);
  test_demod_write (emu, 1, 0x04, 0x00, 1);
  test_demod_write (emu, 0, 0x61, 0x60, 1);
  test_demod_write (emu, 0, 0x06, 0x80, 1);
  test_demod_write (emu, 1, 0xb1, 0x1b, 1);
  test_demod_write (emu, 0, 0x0d, 0x83, 1);

  /* Probe the tuner through the repeater. */
  test_set_repeater (emu, TRUE);
  guint8 id = 0, reg = 0;
  if (test_i2c_write (emu, 0x34, &reg, 1) == 1 && test_i2c_read (emu, 0x34, &id, 1) == 1
      && id == 0x69)
    {
      d->tuner_addr = 0x34;
      d->tuner_xtal_hz = NOMINAL_XTAL_HZ;
    }
  else if (test_i2c_write (emu, 0x74, &reg, 1) == 1 && test_i2c_read (emu, 0x74, &id, 1) == 1
           && id == 0x69)
    {
      d->tuner_addr = 0x74;
      d->tuner_xtal_hz = 16e6;
    }
  g_assert_cmpuint (d->tuner_addr, !=, 0);

  /* Low IF from the tuner into the I ADC, spectrum inverted. */
  test_demod_write (emu, 1, 0xb1, 0x1a, 1);
  test_demod_write (emu, 0, 0x08, 0x4d, 1);
  test_driver_set_if (d, R82XX_IF_HZ);
  test_driver_set_inversion (d, TRUE);

  tuner_write (d, 0x05, r82xx_init_regs, sizeof r82xx_init_regs);
  tuner_write_mask (d, 0x0c, 0x00, 0x0f);
  test_set_repeater (emu, FALSE);
}

double
test_driver_set_rate (TestDriver *d, double rate_hz)
{
  guint32 ratio = (guint32) (NOMINAL_XTAL_HZ * 4194304.0 / rate_hz) & 0x0ffffffc;
  guint32 real = ratio | ((ratio & 0x08000000) << 1);
  test_demod_write (d->emu, 1, 0x9f, ratio >> 16, 2);
  test_demod_write (d->emu, 1, 0xa1, ratio & 0xffff, 2);
  test_driver_set_ppm (d, d->ppm);
  test_demod_write (d->emu, 1, 0x01, 0x14, 1);
  test_demod_write (d->emu, 1, 0x01, 0x10, 1);
  return NOMINAL_XTAL_HZ * 4194304.0 / real;
}

void
test_driver_set_ppm (TestDriver *d, double ppm)
{
  d->ppm = ppm;
  gint16 offs = (gint16) (-ppm * 16777216.0 / 1e6);
  test_demod_write (d->emu, 1, 0x3f, (guint) offs & 0xff, 1);
  test_demod_write (d->emu, 1, 0x3e, ((guint) offs >> 8) & 0x3f, 1);
  test_driver_set_if (d, d->if_hz);
}

gboolean
test_driver_set_lo (TestDriver *d, double lo_hz)
{
  const guint64 vco_min_khz = 1770000, vco_max_khz = 2 * vco_min_khz;
  guint64 lo = (guint64) llround (lo_hz);
  guint64 lo_khz = (lo + 500) / 1000;
  guint64 xtal = (guint64) llround (driver_tuner_xtal (d));
  guint vco_power_ref = d->tuner_addr == 0x74 ? 1 : 2;
  guint mix_div = 2, div_num = 0;
  guint8 status[5];

  test_set_repeater (d->emu, TRUE);
  for (; mix_div <= 64; mix_div <<= 1)
    if (lo_khz * mix_div >= vco_min_khz && lo_khz * mix_div < vco_max_khz)
      break;
  for (guint m = mix_div; m > 2; m >>= 1)
    div_num++;

  tuner_read_status (d, status, 5);
  guint fine_tune = (status[4] & 0x30) >> 4;
  if (fine_tune > vco_power_ref)
    div_num--;
  else if (fine_tune < vco_power_ref)
    div_num++;

  guint64 vco = lo * mix_div;
  guint64 vco_div = (xtal + 65536 * vco) / (2 * xtal);
  guint nint = (guint) (vco_div / 65536);
  guint sdm = (guint) (vco_div % 65536);
  guint ni = (nint - 13) / 4;
  guint si = nint - 4 * ni - 13;

  guint8 regs[7];
  memcpy (regs, d->shadow + 0x10, 7);
  regs[0] = (guint8) ((regs[0] & ~0x10) | 0x00);
  regs[0] = (guint8) ((regs[0] & ~0xe0) | (div_num << 5));
  regs[2] = (guint8) ((regs[2] & ~0xe0) | 0x80);
  regs[2] = (guint8) ((regs[2] & ~0x08) | (sdm == 0 ? 0x08 : 0x00));
  regs[4] = (guint8) (ni + (si << 6));
  regs[5] = (guint8) (sdm & 0xff);
  regs[6] = (guint8) (sdm >> 8);
  tuner_write (d, 0x10, regs, 7);

  tuner_read_status (d, status, 3);
  test_set_repeater (d->emu, FALSE);
  return (status[2] & 0x40) != 0;
}

gboolean
test_driver_tune (TestDriver *d, double freq_hz)
{
  return test_driver_set_lo (d, d->high_side ? freq_hz + d->if_hz : freq_hz - d->if_hz);
}

void
test_driver_set_manual_gain (TestDriver *d, guint lna, guint mixer, guint vga)
{
  test_set_repeater (d->emu, TRUE);
  tuner_write_mask (d, 0x05, 0x10, 0x10);
  tuner_write_mask (d, 0x07, 0x00, 0x10);
  tuner_write_mask (d, 0x0c, (guint8) vga, 0x9f);
  tuner_write_mask (d, 0x05, (guint8) lna, 0x0f);
  tuner_write_mask (d, 0x07, (guint8) mixer, 0x0f);
  test_set_repeater (d->emu, FALSE);
}

void
test_driver_set_agc (TestDriver *d)
{
  test_set_repeater (d->emu, TRUE);
  tuner_write_mask (d, 0x05, 0x00, 0x10);
  tuner_write_mask (d, 0x07, 0x10, 0x10);
  tuner_write_mask (d, 0x0c, 0x0b, 0x9f);
  test_set_repeater (d->emu, FALSE);
}

void
test_driver_set_test_mode (TestDriver *d, gboolean on)
{
  test_demod_write (d->emu, 0, 0x19, on ? 0x03 : 0x05, 1);
}

void
test_driver_start (TestDriver *d)
{
  test_reg_write (d->emu, BLOCK_USB, 0x2148, 0x1002, 2);
  test_reg_write (d->emu, BLOCK_USB, 0x2148, 0x0000, 2);
}

void
test_driver_stop (TestDriver *d)
{
  test_reg_write (d->emu, BLOCK_USB, 0x2148, 0x1002, 2);
}

void
test_driver_setup (TestDriver *d, FerEmuDongle *emu, double rate_hz, double freq_hz)
{
  test_driver_init (d, emu);
  test_driver_set_rate (d, rate_hz);
  test_driver_set_agc (d);
  g_assert_true (test_driver_tune (d, freq_hz));
  test_driver_start (d);
}

/* ---- measurements ---- */

void
test_cu8_to_iq (const guint8 *bytes, gsize n_samples, float *i_out, float *q_out)
{
  for (gsize k = 0; k < n_samples; k++)
    {
      i_out[k] = (bytes[2 * k] - 127.5f) / 127.5f;
      q_out[k] = (bytes[2 * k + 1] - 127.5f) / 127.5f;
    }
}

double
test_cu8_power_dbfs (const guint8 *bytes, gsize n_samples)
{
  double sum = 0.0;
  for (gsize k = 0; k < 2 * n_samples; k++)
    {
      double v = (bytes[k] - 127.5) / 127.5;
      sum += v * v;
    }
  return 10.0 * log10 (sum / n_samples);
}

void
test_fft (double *re, double *im, gsize n)
{
  for (gsize i = 1, j = 0; i < n; i++)
    {
      gsize bit = n >> 1;
      for (; j & bit; bit >>= 1)
        j ^= bit;
      j ^= bit;
      if (i < j)
        {
          double t = re[i];
          re[i] = re[j];
          re[j] = t;
          t = im[i];
          im[i] = im[j];
          im[j] = t;
        }
    }
  for (gsize len = 2; len <= n; len <<= 1)
    {
      double a = -2.0 * G_PI / len;
      for (gsize i = 0; i < n; i += len)
        for (gsize k = 0; k < len / 2; k++)
          {
            double wr = cos (a * k), wi = sin (a * k);
            double xr = re[i + k + len / 2], xi = im[i + k + len / 2];
            double tr = xr * wr - xi * wi, ti = xr * wi + xi * wr;
            re[i + k + len / 2] = re[i + k] - tr;
            im[i + k + len / 2] = im[i + k] - ti;
            re[i + k] += tr;
            im[i + k] += ti;
          }
    }
}

gint
test_peak_bin (const guint8 *bytes, gsize n, double *power_out)
{
  double *re = g_new (double, n), *im = g_new (double, n);
  for (gsize k = 0; k < n; k++)
    {
      double w = 0.5 - 0.5 * cos (2.0 * G_PI * k / n);
      re[k] = w * (bytes[2 * k] - 127.5);
      im[k] = w * (bytes[2 * k + 1] - 127.5);
    }
  test_fft (re, im, n);
  gsize best = 0;
  double best_p = -1.0;
  for (gsize k = 0; k < n; k++)
    {
      double p = re[k] * re[k] + im[k] * im[k];
      if (p > best_p)
        {
          best_p = p;
          best = k;
        }
    }
  g_free (re);
  g_free (im);
  if (power_out != NULL)
    *power_out = best_p;
  return best < n / 2 ? (gint) best : (gint) best - (gint) n;
}

float *
test_lowpass_taps (guint n_taps, double cutoff_norm)
{
  float *taps = g_new (float, n_taps);
  double sum = 0.0;
  gint mid = (gint) n_taps / 2;
  for (guint k = 0; k < n_taps; k++)
    {
      double x = (gint) k - mid;
      double sinc = x == 0 ? 2.0 * cutoff_norm : sin (2.0 * G_PI * cutoff_norm * x) / (G_PI * x);
      double w = 0.42 - 0.5 * cos (2.0 * G_PI * k / (n_taps - 1))
                 + 0.08 * cos (4.0 * G_PI * k / (n_taps - 1));
      taps[k] = (float) (sinc * w);
      sum += taps[k];
    }
  for (guint k = 0; k < n_taps; k++)
    taps[k] = (float) (taps[k] / sum);
  return taps;
}
