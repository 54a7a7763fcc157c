// Which compiler of a side compiles a given translation unit: the one question every level asks
// before it recompiles something (capture, rebuilds, the flag, pass and function levels).
#pragma once

#include <string>

#include "config/config.hpp"

namespace ccbisect {

// The side's C++ driver for a C++ compile (CompileEntry::is_cxx), its C driver otherwise.
const std::string& compiler_for(const ToolchainSide& side, bool is_cxx);

}  // namespace ccbisect
