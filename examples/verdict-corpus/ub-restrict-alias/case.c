/* Latent bug: restrict-qualified parameters that alias.  add_twice()
   promises that a and b do not overlap, and the caller passes the same
   object twice; optimized code loads *b once and gets 3 instead of 4.
   (The same contract as memcpy's: overlapping memcpy is the library form
   of this bug.)  Correct (as the author expected): exit 0 and "OK".
   Exposed: exit 1.  */
#include <stdio.h>

__attribute__((noinline)) void
add_twice (int *restrict a, const int *restrict b)
{
  *a += *b;
  *a += *b;
}

int
main (void)
{
  int x = 1;
  add_twice (&x, &x);   /* violates restrict */
  if (x != 4)
    {
      printf ("BAD: x = %d\n", x);
      return 1;
    }
  puts ("OK");
  return 0;
}
