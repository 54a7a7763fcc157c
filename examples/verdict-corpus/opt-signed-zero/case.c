/* Option semantics: "x + 0.0" is the IEEE 754 idiom that turns -0.0 into
   +0.0 (round to nearest).  -fno-signed-zeros (part of -ffast-math) lets
   GCC fold it to "x", so -0.0 comes back unchanged.
   main() checks the bits, since signbit() is also folded under the option.
   Correct: exit 0 and "OK".  Broken by the option: exit 1.  */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) double
canonical_zero (double x)
{
  return x + 0.0;
}

int
main (void)
{
  double r = canonical_zero (-0.0);
  uint64_t u;
  memcpy (&u, &r, sizeof u);
  if (u != 0)
    {
      printf ("BAD: bits %#llx\n", (unsigned long long) u);
      return 1;
    }
  puts ("OK");
  return 0;
}
