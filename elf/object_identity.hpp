// Whether two builds of one TU are the same program text: equal in every section and relocation but
// `.comment`, where each compiler writes its version. Two different compilers (gcc-11 and gcc-12)
// never produce byte-identical objects because of that note, yet a TU they compile alike cannot be
// a culprit; leaving it out of the search saves trials.
#pragma once

#include <filesystem>

namespace ccbisect {

// True when both are relocatable x86-64 ELF objects that differ at most in `.comment`; false when
// they differ elsewhere or either cannot be read as such (then they count as different, the safe side).
bool same_code(const std::filesystem::path& good, const std::filesystem::path& bad);

}  // namespace ccbisect
