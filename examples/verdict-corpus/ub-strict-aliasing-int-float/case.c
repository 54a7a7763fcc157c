/* Latent bug: strict-aliasing violation.  store_both() writes the same
   object through an int * and a float *; under -fstrict-aliasing (on at
   -O2) GCC assumes the float store cannot change *i and returns the cached 1.
   The classic pattern behind many -fno-strict-aliasing build flags (the
   Linux kernel builds with it for this reason).
   Correct (as the author expected): exit 0 and "OK".  Exposed: exit 1.  */
#include <stdio.h>

__attribute__((noinline)) int
store_both (int *i, float *f)
{
  *i = 1;
  *f = 0.0f;   /* same storage as *i: UB, the object is an int */
  return *i;   /* the author expects 0 (the bits of 0.0f) */
}

int
main (void)
{
  int x;
  int r = store_both (&x, (float *) &x);
  if (r != 0)
    {
      printf ("BAD: store_both returned %d\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}
