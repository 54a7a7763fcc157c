/* frame_tag.c - build the tag word at the start of every frame.
 *
 * NOTE FOR READERS OF THE DEMO: this file contains the planted bug.
 * tag_make() stores the tag word through a uint32_t pointer and then patches
 * its low half through a uint16_t pointer to the same storage.  Accessing a
 * uint32_t object through a uint16_t lvalue breaks C's strict-aliasing rule
 * (C11 6.5p7), so the compiler may assume the 16-bit store cannot change
 * *slot.  gcc-12 at -O2 (which enables -fstrict-aliasing) therefore returns
 * the value of the first store, without the length; at -O1 it reloads *slot
 * and the code "works".  Memory ends up correct either way: only the returned
 * value is wrong, and frame_encode() uses that value for the frame checksum.
 * The fix: return *slot = (uint32_t)kind << 16 | (uint16_t)len;
 */
#include "frame.h"

uint32_t tag_make(uint32_t *slot, unsigned kind, uint32_t len)
{
    uint16_t *half;

    *slot = (uint32_t)kind << 16;
    /* Fast path: poke the length straight into the low half of the word
     * instead of masking and or-ing (x86 is little-endian, so the low half
     * is the first uint16_t). */
    half = (uint16_t *)slot;
    half[0] = (uint16_t)len;
    return *slot;
}
