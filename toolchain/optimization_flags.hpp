// Which optimization options differ between the good and the bad compile, and how to turn each
// one back: the items of the flag level. Also the latent-bug probes.
//
// GCC says exactly what a command line enables (`-Q --help=optimizers`, `-Q --help=params`):
// * same compiler, different settings (-O1 vs -O2, -O2 vs -O2 -ffast-math): the options enabled by
//   bad and not by good, those disabled by bad and enabled by good, the value options whose values
//   differ (turned back to good's value), and differing --params;
// * different compilers (gcc-11 vs gcc-12): every option the bad side's level enables, since any of
//   them may behave differently in the other version.
// Clang has no such query, so its items are a curated list of code-generation switches.
#pragma once

#include <string>
#include <vector>

namespace ccbisect {

enum class CompilerFamily { gcc, clang, unknown };

// From `compiler --version`; unknown when it cannot be run or is neither.
CompilerFamily compiler_family(const std::string& compiler);

struct FlagItem {
  std::string option;   // what the bad side has: "-fstrict-aliasing", "-fvect-cost-model=very-cheap"
  std::string disable;  // what turns it back: "-fno-strict-aliasing", "-fvect-cost-model=cheap"
};

// The options that differ; `good_flags` / `bad_flags` are each side's optimization options (the
// compile's own -O/-f/--param/-m/-std options followed by the side's flags). Throws UserError if
// the compiler cannot be queried.
std::vector<FlagItem> differing_flags(const std::string& good_compiler,
                                      const std::vector<std::string>& good_flags,
                                      const std::string& bad_compiler,
                                      const std::vector<std::string>& bad_flags);

// The flag level's items after screening `items` for `compiler`:
// * options that change the ABI or what the code may rely on (the stack protector, -fshort-enums,
//   -fpic, -fcommon, -fcf-protection, ...) are left out: turning one back on a culprit alone gives
//   an object that does not fit the rest of the program, whatever the optimizer does;
// * a turned-back form the compiler rejects (GCC has no -fno-stack-protector-strong) is left out:
//   every trial with it would be a compile error, i.e. unresolved.
struct FlagScreen {
  std::vector<FlagItem> items;
  std::vector<std::string> contract;  // the bad side's options left out for the first reason
  std::vector<std::string> rejected;  // the turned-back forms left out for the second
};
FlagScreen screen_flags(const std::string& compiler, const std::vector<FlagItem>& items, bool is_cxx);

// Whether `option` (either polarity, with or without a value) changes the ABI or the code's contract.
bool changes_abi_or_contract(const std::string& option);

// The options of a compile command that steer optimization (kept for the -Q query).
std::vector<std::string> optimization_options(const std::vector<std::string>& argv);

struct Probe {
  std::string name;                // shown to the user, e.g. "-fno-strict-aliasing"
  std::vector<std::string> flags;  // added to the compile
  bool good_side = false;          // rebuild with the good toolchain instead of the bad one
  bool sanitizer = false;          // needs the sanitizer runtimes at link time
  bool cxx_only = false;
};

// Options that make undefined behaviour harmless, and the sanitizer build.
std::vector<Probe> latent_bug_probes();

}  // namespace ccbisect
