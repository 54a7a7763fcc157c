/* GCC PR tree-optimization/111015: store merging combines the three bit-field
   stores into 64-bit operations and loses the upper bits of the 70-bit
   __int128 bit-field.  Adapted from the public regression test
   gcc/testsuite/gcc.dg/pr111015.c.
   Correct: exit 0 and "OK".  Miscompiled: abort.  */
#include <stdio.h>

struct S { unsigned a : 4, b : 4; unsigned __int128 c : 70; } d;

__attribute__((noipa)) void
set_fields (unsigned __int128 x, unsigned char y, unsigned char z)
{
  d.a = y;
  d.b = z;
  d.c = x;
}

int
main (void)
{
  set_fields (-1, 12, 5);
  if (d.a != 12 || d.b != 5
      || d.c != (-1ULL | (((unsigned __int128) 0x3f) << 64)))
    __builtin_abort ();
  set_fields (0x123456789abcdef0ULL | (((unsigned __int128) 26) << 64), 7, 11);
  if (d.a != 7 || d.b != 11
      || d.c != (0x123456789abcdef0ULL | (((unsigned __int128) 26) << 64)))
    __builtin_abort ();
  puts ("OK");
  return 0;
}
