// One trial's common path, whatever the level: place the mix, link it, check the link, ask the
// oracle. Every executor that builds a program (objects, rebuilt culprits, spliced functions) runs
// its trial through here, so a link failure reads and times the same everywhere.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "bisector/executor.hpp"
#include "bisector/trial.hpp"
#include "config/config.hpp"

namespace ccbisect {

// Where a trial's time went.
struct TrialTimes {
  double place = 0.0;  // putting the mix in place (copying, compiling): the tool's own share
  double link = 0.0;
  double oracle = 0.0;
  std::size_t trials = 0;
};

struct JudgedTrial {
  TrialResult result;
  TrialTimes times;  // this trial's share (trials = 1)
};

// Runs `place` (put the mix in place), then has `executor` link it in `directory` with
// `environment`, run `check` if given (did the link really link this mix?) and the oracle
// (bisector/executor.hpp). A mix that cannot be placed, linked or checked -> unresolved (it cannot
// be judged), with the step's reason, or link_failed; otherwise the oracle's verdict. An unresolved
// trial during Ctrl-C / SIGTERM (whose handler killed the link or the oracle) is `interrupted`.
// Never throws for a failing tool; `place` may throw UserError. `seen_at`: see Executor.
JudgedTrial link_and_judge(const std::filesystem::path& directory, Executor& executor, const TrialStep& place,
                           const std::map<std::string, std::string>& environment = {},
                           const TrialStep& check = {}, const std::filesystem::path& seen_at = {});

}  // namespace ccbisect
