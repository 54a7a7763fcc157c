// Runs one search level end to end against the store: records the items, builds the Prober
// (persistent cache, progress on stderr), runs the engine, records the finding.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bisector/engine.hpp"
#include "db/store.hpp"

namespace ccbisect {

struct LevelRun {
  SearchResult result;
  ProbeCounters counters;
  double seconds = 0.0;
  std::vector<std::string> culprit_names;
  std::vector<std::string> undetermined_names;
};

struct LevelRunOptions {
  std::string level;              // "objects", ...
  std::string configuration_key;  // everything besides the subset that decides an outcome
  std::size_t jobs = 1;
  Strategy strategy = Strategy::automatic;
  bool quiet = false;  // no progress lines
};

LevelRun run_level(Store& store, const std::vector<std::string>& items, TrialExecutor& executor,
                   const LevelRunOptions& options);

// The fields every level's JSON shares: culprits, status, method, trials, cached, unresolved,
// seconds (`seconds` = the level's wall time) and message.
nlohmann::json run_summary(const LevelRun& run, double seconds);

// The process exit code for a search result (errors.hpp).
int exit_code_for(const SearchResult& result);

}  // namespace ccbisect
