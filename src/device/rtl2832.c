/* rtl2832.c: being written */
