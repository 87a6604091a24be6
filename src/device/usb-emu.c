/* usb-emu.c: being written */
