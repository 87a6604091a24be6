/* tuner-r82xx.c: being written */
