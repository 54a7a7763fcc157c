// The one place that turns `[oracle] type` into an Oracle: a table of oracle kinds. Adding an oracle
// type = one new file implementing Oracle with a make_* function, one row in oracle_kinds(), its
// value in OracleType and its keys in config.cpp's table, and its test.
#pragma once

#include <memory>
#include <vector>

#include "bisector/oracle.hpp"
#include "config/config.hpp"

namespace ccbisect {

struct OracleKind {
  OracleType type;
  const char* description;
  // Builds the oracle from the configuration; throws UserError for settings it cannot use.
  std::unique_ptr<Oracle> (*make)(const Config& config);
};

// Every oracle type, in the order of OracleType.
const std::vector<OracleKind>& oracle_kinds();

// The oracle `[oracle] type` names. Throws UserError when it cannot be built (say, a pattern that
// does not compile), and naming the type if no row of oracle_kinds() makes it.
std::unique_ptr<Oracle> make_oracle(const Config& config);

}  // namespace ccbisect
