/* Latent bug: a loop that ends only when a signed counter wraps negative.
   i starts at 1 and grows by a positive step; the author expects the loop
   to stop when i wraps negative, after 8 slots.  clang tests "i > 0" with
   the flags of the addition itself (jg after add), which is only right when
   the addition does not overflow, so the loop runs once more.  GCC happens
   to keep the wrapping behaviour here: gcc-12 -O2 "works", clang-16 -O2
   exposes the bug.
   Correct (as the author expected): exit 0 and "OK".  Exposed: exit 1
   (9 slots).  */
#include <stdio.h>

int slots[64];

__attribute__((noinline)) int
fill (int step)
{
  int n = 0;
  for (int i = 1; i > 0; i += step)   /* relies on i wrapping to negative */
    slots[n++] = i;
  return n;
}

int
main (void)
{
  int r = fill (1 << 28);
  if (r != 8)
    {
      printf ("BAD: %d slots\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}
