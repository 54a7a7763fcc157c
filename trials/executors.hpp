// The table of executors ([executor] type): where a trial's link and oracle run.
#pragma once

#include <memory>

#include "bisector/executor.hpp"
#include "bisector/oracle.hpp"
#include "config/config.hpp"

namespace ccbisect {

// The executor [executor] type names; `oracle` judges local trials. Throws UserError when it
// cannot run any trial (e.g. SLURM's client programs are missing).
std::unique_ptr<Executor> make_executor(const Config& config, Oracle& oracle);

}  // namespace ccbisect
