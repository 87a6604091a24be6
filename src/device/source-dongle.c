/* source-dongle.c: being written */
