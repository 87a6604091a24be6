/* source-file.c: being written */
