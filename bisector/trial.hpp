// The two seams between the engine and the world: running a trial, and remembering its result.
//
// A trial takes the items of a `Subset` from the bad side and every other item from the good side,
// builds that mix and asks the oracle. The engine never knows how: a search level provides a
// `TrialExecutor`; the store provides a `TrialCache`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "bisector/outcome.hpp"

namespace ccbisect {

// Indices (into the level's item list) of the items taken from the bad side, sorted ascending.
using Subset = std::vector<std::size_t>;

struct TrialResult {
  Outcome outcome = Outcome::unresolved;
  // Why it is unresolved; `none` for pass and fail. The store records an unresolved trial whose
  // producer left this at `none` as `unknown`.
  UnresolvedReason reason = UnresolvedReason::none;
  int exit_status = -1;    // the oracle's exit status, or -1 when it did not run
  double seconds = 0.0;    // wall time of materialize + link + oracle
  std::string log_tail;    // the last lines of what the trial printed, for the store and reports
  std::string started_at;  // ISO-8601 UTC
  std::string ended_at;    // ISO-8601 UTC
  std::string node;        // the cluster node that linked and judged it; empty: this machine
};

class TrialExecutor {
 public:
  virtual ~TrialExecutor() = default;
  // Runs one trial of `subset` in workspace slot `slot` (0 <= slot < slots()). Returns its result;
  // build, link, load and oracle failures are outcomes (`unresolved` or `fail`), never exceptions.
  // Throws UserError only for mistakes that make every further trial pointless (e.g. a missing tool).
  virtual TrialResult run(const Subset& subset, std::size_t slot) = 0;
  // How many trials may run at once; each concurrent trial gets its own slot.
  virtual std::size_t slots() const { return 1; }
};

class TrialCache {
 public:
  virtual ~TrialCache() = default;
  // Returns the recorded result for `key`, or nothing when this configuration never ran.
  virtual std::optional<TrialResult> lookup(const std::string& key) = 0;
  // Records a finished trial durably, in its own transaction, before returning. Called from one
  // thread at a time.
  virtual void record(const std::string& key, const std::string& level, const Subset& subset,
                      const TrialResult& result) = 0;
};

}  // namespace ccbisect
