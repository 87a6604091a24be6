/* fake-rtl2832.h - a recording fake of an RTL2832U and the tuner on its I2C
 * bus, as a FerUsb backend, for the driver tests.
 *
 * The fake logs every control transfer and keeps the register files a real
 * RTL2832U has (demod pages, USB and SYS blocks) plus the registers of the
 * devices on its I2C bus. An R82xx answers as the chip does: register reads
 * start at 0 and come back bit-reversed, and its status bytes are what the
 * test puts in r82xx_status. A plain I2C device has an auto-incrementing
 * register pointer. Nothing on the bus answers while the I2C repeater is
 * closed (counted in n_i2c_without_repeater). Bulk streaming sends an 8-bit
 * counter, like the chip's test mode.
 */
#pragma once

#include "device/usb.h"

typedef enum {
  FAKE_I2C_NONE,
  FAKE_I2C_PLAIN,   /* registers with an auto-incrementing pointer */
  FAKE_I2C_R82XX,   /* reads from register 0, bit-reversed */
} FakeI2cKind;

typedef struct {
  gboolean write;
  guint16 value, index, length;
  guint8 data[64];
} FakeTransfer;

typedef struct _FakeChip FakeChip;

/* Called after an I2C write to a plain device, e.g. to model a status bit
 * that follows what was written. */
typedef void (*FakeI2cHook) (FakeChip *chip, guint8 i2c_addr, gpointer user_data);

struct _FakeChip {
  /* set up by the test */
  FakeI2cKind i2c_kind[256];
  guint8 r82xx_status[5];       /* raw bytes as on the bus */
  gboolean stall_armed;         /* stall transfers matching the three below */
  gboolean stall_write;
  guint16 stall_value, stall_index;
  guint die_after_n_transfers;  /* bulk: 0 = never */
  const char *manufacturer;     /* USB strings; NULL = absent */
  const char *product;
  FakeI2cHook i2c_hook;
  gpointer i2c_hook_data;

  /* the chip */
  guint8 demod[16][256];
  guint8 *blocks;               /* 7 blocks of 64 KiB */
  guint8 i2c_regs[256][256];
  guint8 i2c_pointer[256];
  guint n_i2c_without_repeater;

  GMutex lock;
  GArray *log;                  /* FakeTransfer */
  gboolean claimed, closed;

  /* bulk */
  guint8 bulk_endpoint;
  guint bulk_n_transfers;
  gsize bulk_transfer_bytes;
  FerUsbBulkCallbacks bulk_callbacks;
  GThread *bulk_thread;
  gint bulk_stop;
};

/* A chip with a device of @tuner_kind at @tuner_addr (0: none). R82xx status
 * bytes say: id 0x69, PLL locked, VCO fine tune 2, filter calibration 8. */
FakeChip *fake_chip_new (guint8 tuner_addr, FakeI2cKind tuner_kind);
void fake_chip_free (FakeChip *chip);
/* A FerUsb on @chip (borrowed: the test frees the chip after the FerUsb). */
FerUsb *fake_usb_new (FakeChip *chip);

guint8 fake_bitrev (guint8 b);
/* Registers of the USB (1) or SYS (2) block. */
guint8 fake_block_reg (FakeChip *chip, guint block, guint16 addr);
/* A big-endian 2-byte demod register. */
guint fake_demod_reg16 (FakeChip *chip, guint page, guint addr);
/* The demodulator's IF shift in Hz from registers 1:0x19..0x1b. */
double fake_demod_if_hz (FakeChip *chip, double xtal_hz);
/* The GPIO pins driven high: GPO bits of pins set as outputs (GPD clear,
 * GPOE set). */
guint8 fake_gpio_high (FakeChip *chip);
/* Transfers logged so far: a mark to look at what came after. */
guint fake_log_len (FakeChip *chip);
/* The last value written to demod register @page:@addr after the log
 * mark @from, or -1. */
int fake_last_demod_write (FakeChip *chip, guint from, guint page, guint addr);

/* What an R82xx PLL makes from its registers 0x10..0x16 with @xtal_hz:
 * LO = 2 xtal (nint + sdm / 65536) / mix_div, nint = 4 ni + si + 13,
 * mix_div = 2 << div_num (for a VCO at its reference fine-tune code). */
double fake_r82xx_lo_hz (const guint8 *regs, double xtal_hz, guint *mix_div_out);
