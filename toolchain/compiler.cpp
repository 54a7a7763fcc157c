// The compiler a side uses for one translation unit; see compiler.hpp. It takes the entry's
// language rather than the entry so that toolchain/ stays below capture/ (which owns CompileEntry).
#include "toolchain/compiler.hpp"

namespace ccbisect {

const std::string& compiler_for(const ToolchainSide& side, bool is_cxx) {
  return is_cxx ? side.cxx : side.cc;
}

}  // namespace ccbisect
