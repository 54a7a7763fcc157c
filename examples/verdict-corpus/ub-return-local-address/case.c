/* Latent bug: a pointer to a local that is out of scope (returned address
   of an automatic variable).  At -O0 clang leaves 42 in the dead stack slot
   and the caller reads it back; optimized, the store is dead and the value
   read is whatever the slot holds.  (GCC even returns NULL here, at every
   level.)  Correct (as the author expected): exit 0 and "OK".
   Exposed: exit 1 (or a crash).  */
#include <stdio.h>

__attribute__((noinline)) int *
make (int v)
{
  int x = v;
  return &x;   /* dangling: x dies when make() returns */
}

int
main (void)
{
  int *p = make (42);
  int r = *p;
  if (r != 42)
    {
      printf ("BAD: read %d\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}
