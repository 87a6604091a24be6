/* bench-emu: CPU cost of the emulated dongle's synthesis.
 *
 * Programs the emulated RTL2832U + R820T through its control transfers
 * (2.4 MS/s, AGC, tuned to 100.0 MHz in the default scene), then synthesizes
 * 10 s of cu8 IQ as fast as it can and reports the thread CPU time against
 * the real time those samples represent.
 */
#include <stdio.h>
#include <time.h>

#include "device/emu/emu-dongle.h"
#include "test-emu-common.h"

#define RATE_HZ        2400000.0
#define SECONDS        10.0
#define TRANSFER_BYTES (256 * 1024)

static double
thread_cpu_s (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
run (double freq_hz, double rate_hz, double seconds)
{
  FerEmuDongle *emu = fer_emu_dongle_new (FER_EMU_TUNER_R820T, NULL);
  TestDriver d;
  guint8 *buf = g_malloc (TRANSFER_BYTES);
  guint64 total = (guint64) (rate_hz * seconds) * 2, done = 0;
  guint64 checksum = 0;

  test_driver_setup (&d, emu, rate_hz, freq_hz);
  double t0 = thread_cpu_s ();
  while (done < total)
    {
      gsize n = (gsize) MIN ((guint64) TRANSFER_BYTES, total - done);
      fer_emu_dongle_read (emu, buf, n);
      checksum += buf[n / 2];
      done += n;
    }
  double cpu = thread_cpu_s () - t0;
  double share = cpu / seconds * 100.0;
  printf ("emu synthesis at %.3f MHz: %.2f MS/s costs %.1f %% of one core (x%.1f real time)"
          " [checksum %" G_GUINT64_FORMAT "]\n",
          freq_hz / 1e6, rate_hz / 1e6, share, seconds / cpu, checksum);
  g_free (buf);
  fer_emu_dongle_free (emu);
  return share;
}

int
main (int argc, char **argv)
{
  double share = run (100.0e6, RATE_HZ, SECONDS);
  printf ("emu synthesis: 2.4 MS/s costs %.1f %% of one core (x%.1f real time)\n",
          share, 100.0 / share);
  /* Other loads for reference: widest rate over the FM band, an empty band. */
  run (100.0e6, 3200000.0, 2.0);
  run (600.0e6, RATE_HZ, 2.0);
  return share < 25.0 ? 0 : 1;
}
