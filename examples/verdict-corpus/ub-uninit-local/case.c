/* Latent bug: use of an uninitialised local.  pick(0) returns x without
   ever assigning it.  At -O0 x lives in a stack slot that scrub() zeroed
   just before, so the program "works"; at -O1 and above GCC merges the
   undefined value with the only assignment and returns 5.
   Correct (as the author expected): exit 0 and "OK".  Exposed: exit 1.  */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) int
pick (int c)
{
  int x;          /* should have been "int x = 0;" */
  if (c)
    x = 5;
  return x;
}

__attribute__((noinline)) void
scrub (void)
{
  volatile char buf[512];
  memset ((char *) buf, 0, sizeof buf);
}

int
main (void)
{
  scrub ();
  int r = pick (0);
  if (r != 0)
    {
      printf ("BAD: pick(0) returned %d\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}
