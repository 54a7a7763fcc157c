// The Oracle judges a built artifact: pass, fail or unresolved. Keep "oracle" for this judge only.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "bisector/outcome.hpp"

namespace ccbisect {

struct OracleVerdict {
  Outcome outcome = Outcome::unresolved;
  UnresolvedReason reason = UnresolvedReason::none;  // why, when `outcome` is unresolved
  int exit_status = -1;                              // of the oracle process; -1 when it could not run
  std::string log_tail;                              // what it printed, last lines
  double seconds = 0.0;
};

class Oracle {
 public:
  virtual ~Oracle() = default;
  // Judges the artifact built in `project_dir`, with `environment` added to the oracle's (e.g. where
  // sanitizers write their reports). A timeout or a crash of the oracle itself is a verdict
  // (usually unresolved), not an exception. Thread-safe: trials may run in parallel.
  virtual OracleVerdict judge(const std::filesystem::path& project_dir,
                              const std::map<std::string, std::string>& environment = {}) = 0;
};

}  // namespace ccbisect
