/* source-demo.c: being written */
