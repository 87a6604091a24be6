/* Placeholder entry point until the command line lands. */
#include <stdio.h>

int
main (void)
{
  printf ("ferrite %s\n", FER_VERSION);
  return 0;
}
