// One trial's common path, whatever the level: place the mix, link it, check the link, ask the
// oracle. Every executor that builds a program (objects, rebuilt culprits, spliced functions) runs
// its trial through here, so a link failure reads and times the same everywhere.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "bisector/oracle.hpp"
#include "bisector/trial.hpp"
#include "config/config.hpp"

namespace ccbisect {

// The first words of a trial's log when its link failed (see failed_to_link in rebuild.hpp).
inline constexpr const char* k_link_failure = "[ccbisect] link failed: ";

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

// A step of a trial that may find the mix unfit to judge: returns nothing when all is well, or the
// log of what went wrong (the trial is then unresolved with that log and goes no further).
using TrialStep = std::function<std::optional<std::string>()>;

// Runs `place` (put the mix in place), then config.link in `directory` with `environment`, then
// `check` if given (did the link really link this mix?), then the oracle there. A mix that cannot
// be placed, linked or checked -> unresolved (it cannot be judged); otherwise the oracle's verdict.
// Never throws for a failing tool; `place` may throw UserError.
JudgedTrial link_and_judge(const Config& config, const std::filesystem::path& directory, Oracle& oracle,
                           const TrialStep& place, const std::map<std::string, std::string>& environment = {},
                           const TrialStep& check = {});

}  // namespace ccbisect
