// Which compiler of a side compiles a given translation unit: the one question every level asks
// before it recompiles something (capture, rebuilds, the flag, pass and function levels).
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace ccbisect {

// The side's C++ driver for a C++ compile (CompileEntry::is_cxx), its C driver otherwise.
const std::string& compiler_for(const ToolchainSide& side, bool is_cxx);

// The versioned GCC and Clang drivers on PATH (C: gcc-N, clang-N; C++: g++-N, clang++-N), newest GCC
// first, then newest Clang; what `ccbisect init` suggests.
std::vector<std::string> installed_compilers(bool cxx);

// Suggested good and bad drivers from `installed` (installed_compilers' order): the first as good,
// for bad the same family's next version if `counterpart` names one (the C choice's C++ driver),
// else the next installed one; the same compiler twice when only one is installed.
std::pair<std::string, std::string> suggested_pair(const std::vector<std::string>& installed,
                                                   const std::string& counterpart = "");

}  // namespace ccbisect
