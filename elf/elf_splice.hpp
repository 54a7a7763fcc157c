// Splicing two builds of one TU into one object: the functions of some splice units from the bad
// build, everything else from the good one. This is how the function level applies a subset.
//
// Rules the result keeps (elf_splice.cpp says how):
//  * each moved unit's code, with its private data (string literals, constant and jump tables,
//    exception tables) and its unwind information, comes from bad; good's copy stays in the object as
//    unreachable code, and every reference good makes to a moved function now reaches bad's;
//  * the program's state exists once: references from moved code to static variables (and to static
//    functions that stay) resolve to good's single copy, and extern names resolve as the linker does;
//  * inline functions and template instances (COMDAT groups) that moved code calls but good's build
//    never emitted come from bad, and the linker keeps one copy of each as usual;
//  * the result is a relocatable object that links like the original (`ld -r` of the two rewritten
//    halves); the helper symbols that join them are local in it.
//
// What splicing cannot see: calls between the two halves assume the psABI, but gcc's -fipa-ra (on at
// -O2) lets a caller keep values in call-clobbered registers across a call to a function of the same
// TU that it knows leaves them alone. If the other build's callee uses them, the spliced program
// computes garbage or hangs, which would blame the wrong function. Build both objects with
// -fno-ipa-ra for gcc (clang does not do this on x86-64), and check that good still passes and bad
// still fails with the added flags, as for -ffunction-sections.
//
// x86-64 ELF only. Both objects must be built with -ffunction-sections; -fdata-sections is needed
// only when moved code uses static variables that share a section whose layout differs between the
// two builds. Needs `ld` and `objcopy` (binutils) in PATH.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "elf/symbol_graph.hpp"

namespace ccbisect {

struct SpliceResult {
  bool ok = false;
  // When !ok, why, for the trial's log. The caller records such a trial as `unresolved`, never `fail`:
  // a splice that cannot be made says nothing about the code.
  std::string error;
};

// Writes `out`: the functions of the `take_from_bad` units (from splice_units on the same two objects)
// come from `bad`, all other functions and all data from `good`. Taking no unit gives an object that
// runs good's code, taking every unit one that runs bad's code wherever good and bad both define it.
//
// Never throws: an unreadable or unsuitable object (not x86-64 ELF, built without
// -ffunction-sections: the message says to rebuild with -ffunction-sections -fdata-sections), a
// reference that cannot be resolved (a static variable only bad has), or a failure of ld/objcopy
// all give ok=false with the reason. `out` is replaced atomically and only on success.
SpliceResult splice_objects(const std::filesystem::path& good, const std::filesystem::path& bad,
                            const std::vector<SpliceUnit>& take_from_bad, const std::filesystem::path& out);

}  // namespace ccbisect
