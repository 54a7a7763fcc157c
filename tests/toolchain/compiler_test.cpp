// compiler_for: a C++ compile gets the side's C++ driver, anything else its C driver.
#include "toolchain/compiler.hpp"

#include <catch2/catch.hpp>

using namespace ccbisect;

TEST_CASE("A side compiles C with cc and C++ with cxx", "[toolchain]") {
  ToolchainSide side{"gcc-12", "g++-12", "-O2"};
  CHECK(compiler_for(side, false) == "gcc-12");
  CHECK(compiler_for(side, true) == "g++-12");
  // A reference into the side, not a copy: callers keep it while the side lives.
  CHECK(&compiler_for(side, true) == &side.cxx);
}
