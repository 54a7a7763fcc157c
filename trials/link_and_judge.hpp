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
#include "sys/process.hpp"

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

// Why a mix cannot be judged, as the step that found out says it.
struct Unfit {
  UnresolvedReason reason = UnresolvedReason::unknown;
  std::string log;  // what went wrong, for the trial's log
};

// A step of a trial that may find the mix unfit to judge: returns nothing when all is well, or why
// not (the trial is then unresolved with that reason and log, and goes no further).
using TrialStep = std::function<std::optional<Unfit>()>;

// Runs `place` (put the mix in place), then config.link in `directory` with `environment`, then
// `check` if given (did the link really link this mix?), then the oracle there. A mix that cannot
// be placed, linked or checked -> unresolved (it cannot be judged), with the step's reason, or
// link_failed; otherwise the oracle's verdict. An unresolved trial during Ctrl-C / SIGTERM (whose
// handler killed the link or the oracle) is `interrupted`. Never throws for a failing tool; `place`
// may throw UserError. With `mounts` (a trial slot shown at the project's own path), the link runs
// through them in config.project_dir; the oracle still judges `directory`.
JudgedTrial link_and_judge(const Config& config, const std::filesystem::path& directory, Oracle& oracle,
                           const TrialStep& place, const std::map<std::string, std::string>& environment = {},
                           const TrialStep& check = {}, const std::vector<BindMount>& mounts = {});

}  // namespace ccbisect
