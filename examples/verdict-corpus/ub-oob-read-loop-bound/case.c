/* Latent bug: an out-of-bounds read that the optimizer exploits.  The loop
   reads s.table[4] (one past the end, "<=" instead of "<").  Since that read
   would be undefined, GCC concludes the loop must return 1 before i reaches 4
   and folds the function to "return 1" -- the "undefined behaviour can
   travel back in time" example.  At -O0 the read hits s.guard (0) and the
   function returns 0; clang keeps the load.
   Correct (as the author expected): exit 0 and "OK".  Exposed: exit 1 or
   SIGSEGV.  */
#include <stdio.h>

struct
{
  int table[4];
  int guard;
} s = { { 1, 2, 3, 4 }, 0 };

__attribute__((noinline)) int
exists_in_table (int v)
{
  for (int i = 0; i <= 4; i++)   /* should be i < 4 */
    if (s.table[i] == v)
      return 1;
  return 0;
}

int
main (void)
{
  int r = exists_in_table (42);
  if (r != 0)
    {
      printf ("BAD: 42 found (%d)\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}
