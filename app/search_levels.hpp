// The registry of search levels, in the order `ccbisect run` takes them (as llvm-reduce's
// DeltaPasses.def lists its passes). Each level is a record: its name, one line of description,
// which options it takes, whether `run` includes it for this configuration, and the function that
// runs it. The CLI makes one subcommand per record; `run` walks the table. Adding a level is one
// new file, one line here, and one test.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "config/config.hpp"
#include "db/store.hpp"

namespace ccbisect {

struct LevelArguments {
  std::string object;     // --object: start from this culprit object instead of the objects level's answer
  std::string mechanism;  // --mechanism, for the levels that have one
};

struct LevelEntry {
  const char* name;
  const char* description;
  bool takes_object;       // starts from the object level's answer, so it accepts --object
  const char* mechanisms;  // "" or the --mechanism choices, comma-separated
  // Whether `ccbisect run` includes this level for `config` (e.g. passes only where the compiler can say).
  std::function<bool(const Config&)> in_run;
  std::function<LevelReport(const CommonOptions&, const LevelArguments&)> run;
  // The names its trials and findings are recorded under, in the order the report shows them
  // (e.g. flags records its probes as "probes"); empty: its own name only.
  std::vector<std::string> recorded_as = {};
  // Whether its finding can change the verdict's kind, so that `status` waits for it.
  bool decides_verdict = false;
};

const std::vector<LevelEntry>& search_levels();

// Every name the levels record trials and findings under, in the order `run` takes the levels: the
// order of the report and of `status`.
std::vector<std::string> recorded_levels();

// The levels that decide the verdict's kind, that `run` takes for `config`, and that have recorded
// no finding since the newest object search, in run order: until they have, a verdict would only
// say "inconclusive" for want of evidence. None once `run` recorded a verdict after that search,
// or when the object level named no culprit (then nothing further runs).
std::vector<std::string> pending_verdict_levels(Store& store, const Config& config);

}  // namespace ccbisect
