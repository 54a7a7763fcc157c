// Skipping a test whose tools are missing: it exits with 77, which every test executable's CTest
// entries treat as "skipped" (SKIP_RETURN_CODE), never as passed.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sys/process.hpp"

namespace ccbisect::testing {

// Exits with 77 (skipped) unless every program is in PATH.
inline void require_tools(const std::vector<std::string>& programs) {
  for (const std::string& program : programs) {
    if (!find_program(program)) {
      std::printf("SKIPPED: %s is not installed\n", program.c_str());
      std::fflush(stdout);
      std::_Exit(77);
    }
  }
}

}  // namespace ccbisect::testing
