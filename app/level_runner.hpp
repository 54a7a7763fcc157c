// The driver of every search level, as llvm-reduce's runDeltaPass serves every pass. A level file
// provides its items, a TrialExecutor and the fields of its JSON that only it knows (a LevelPlan);
// the driver records the items, builds the Prober (persistent cache, progress on the console), runs
// the engine, records the finding, and builds what every level reports alike: the summary lines on
// stderr, the JSON, the culprit lines on stdout and the exit code.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "bisector/engine.hpp"
#include "bisector/findings.hpp"
#include "db/store.hpp"

namespace ccbisect {

struct LevelRun {
  SearchResult result;
  ProbeCounters counters;
  double seconds = 0.0;  // the search alone
  std::vector<std::string> culprit_names;
  std::vector<std::string> undetermined_names;
};

// What a level hands the driver.
struct LevelPlan {
  std::string level;                  // "objects", ...: the store's level name and the lines' tag
  std::vector<std::string> items;     // the item names, in the executor's index order
  TrialExecutor* executor = nullptr;  // runs one trial of a subset
  std::string configuration_key;      // everything besides the subset that decides an outcome
  std::size_t jobs = 1;
  int repeat = 1;  // [oracle] repeat: asks of each new configuration, majority wins
  Strategy strategy = Strategy::automatic;
  bool progress = true;  // a progress line per trial (still subject to -q)
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();  // the level's start
  // The level's own JSON fields, once the search ran (may be empty).
  std::function<void(const LevelRun&, nlohmann::json&)> extras;
  // The summary's message in the level's words (default: the engine's message).
  std::function<std::string(const LevelRun&)> message;
};

// What every level's report is made of, whichever search produced it.
struct LevelConclusion {
  std::string level;
  SearchStatus status = SearchStatus::inconclusive;
  std::string method;
  std::string message;
  std::vector<std::string> culprits;
  ProbeCounters counters;
  double seconds = 0.0;  // the level's wall time, setup included
};

// Records the items, searches and records the finding; no report yet (for levels that do more
// before reporting, e.g. the flag level's probes). Throws what the executor throws (UserError).
LevelRun search_level(Store& store, const LevelPlan& plan);

// The conclusion of a finished search under `plan`: status, method, message, culprits, counters.
LevelConclusion conclusion_of(const LevelRun& run, const LevelPlan& plan);

// The report every level gives: JSON = the shared fields (level, culprits, status, method, trials,
// cached, unresolved, seconds, message) updated with `extras`; lines = the culprits; the exit code
// for the status; and the two summary lines on the console.
LevelReport conclude_level(const LevelConclusion& conclusion, const nlohmann::json& extras);

// search_level, then conclude_level with the plan's extras: the whole of a plain level.
LevelReport drive_level(Store& store, const LevelPlan& plan);

// Per culprit: the agreeing and disagreeing observations behind it and a confidence word.
std::vector<ItemConfidence> culprit_confidence(const LevelRun& run);
// The finding a search leaves in the store (one place, so that its content is decided once; its
// JSON is SearchFinding's to_json).
SearchFinding level_finding(const LevelRun& run);

// The process exit code for a search status (errors.hpp).
int exit_code_for(SearchStatus status);

}  // namespace ccbisect
