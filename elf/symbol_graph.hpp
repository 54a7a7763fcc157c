// The items of the function level: the functions of one TU, grouped so that each group can be
// taken from the bad build while the rest comes from the good one. The only file that uses
// Boost.Graph (STYLE.md).
//
// A compiler is free to change the calling convention of what only its own TU can see: static
// functions and their clones (gcc's .constprop.N, .isra.N, .part.N) may take arguments in other
// registers, or fewer of them, and a function's .cold part jumps back into its body. Such code is only
// correct next to the callers it was compiled with, so it moves with them: the units are the connected
// groups of the reference graph whose edges join a function to every local function it refers to
// (directly, or through read-only data such as a table of function pointers) and to any function
// whose body it jumps into, in either build. Extern functions keep the psABI, so one extern function
// calling another does not join them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "elf/elf_object.hpp"

namespace ccbisect {

// One searchable item: functions that move from bad to good together.
struct SpliceUnit {
  // Stable and readable: the unit's extern functions joined by '+' ("use1+use2"), or, for a unit of
  // local functions only (e.g. a static callback only referred to from data), their names; past four
  // names, the first three and "+N more". C++ names are demangled ("FpToString<float>(float)").
  std::string name;
  // Every function symbol of the unit, from either build, as in the symbol table (mangled): extern
  // functions, statics and clones ("scale.constprop.0", "checked.cold"), good's order first, then
  // those only bad has.
  std::vector<std::string> symbols;
};

// The units of two builds of one TU, each a relocatable x86-64 ELF object built with
// -ffunction-sections, in a stable order (good's section order). Only groups with at least one
// function defined in both builds are units. The functions of a COMDAT group (a C++ inline function
// or template instance) are in one unit: the splicer moves the group whole and makes bad's copy the
// one the link keeps (elf_splice.hpp).
//
// Throws UserError naming the file if either object cannot be read, is not x86-64 ELF, or was built
// without -ffunction-sections (the message says to rebuild with -ffunction-sections -fdata-sections).
std::vector<SpliceUnit> splice_units(const std::filesystem::path& good, const std::filesystem::path& bad);

// The same for objects already read.
std::vector<SpliceUnit> splice_units(const ElfObject& good, const ElfObject& bad);

}  // namespace ccbisect
