// The glue between the engine and the store for one level; see level_runner.hpp.
#include "app/level_runner.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "bisector/subset_text.hpp"
#include "sys/hashing.hpp"
#include "sys/process.hpp"

namespace ccbisect {

namespace {

// A sanity trial that was unresolved did not judge the mix: say why, with the trial's last lines, so
// "does not reproduce" is never read as a verdict on the toolchains.
void explain_unresolved_sanity(const Prober& prober, SearchResult& result) {
  if (result.status != SearchStatus::not_reproducible) {
    return;
  }
  std::size_t count = prober.item_count();
  Subset everything(count);
  for (std::size_t i = 0; i < count; ++i) {
    everything[i] = i;
  }
  for (const auto& [name, subset] : {std::pair{"all-good", Subset{}}, std::pair{"all-bad", everything}}) {
    std::optional<TrialResult> trial = prober.result(subset);
    if (trial && trial->outcome == Outcome::unresolved) {
      result.message += fmt::format("; {} was unresolved: {}", name, last_lines(trial->log_tail, 3));
    }
  }
}

}  // namespace

LevelRun run_level(Store& store, const std::vector<std::string>& items, TrialExecutor& executor,
                   const LevelRunOptions& options) {
  auto start = std::chrono::steady_clock::now();
  store.record_items(options.level, items);
  // The cache key: the level, the configuration (toolchains, commands, objects) and the subset.
  Hasher prefix;
  prefix.add(options.level).add(options.configuration_key);
  for (const std::string& name : items) {
    prefix.add(name);
  }
  std::string prefix_hex = prefix.hex();
  Prober::KeyFunction key_of = [level = options.level, prefix_hex](const Subset& subset) {
    return level + ":" + hash_text(prefix_hex + "|" + encode_ranges(subset));
  };
  Prober::ProgressSink progress;
  if (!options.quiet) {
    progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  }
  Prober prober(options.level, items.size(), executor, &store, key_of, options.jobs, progress);
  SearchOptions search_options;
  search_options.strategy = options.strategy;

  LevelRun run;
  run.result = search(prober, search_options);
  run.counters = prober.counters();
  explain_unresolved_sanity(prober, run.result);
  run.seconds = seconds_since(start);
  for (std::size_t index : run.result.culprits) {
    run.culprit_names.push_back(items[index]);
  }
  for (std::size_t index : run.result.undetermined) {
    run.undetermined_names.push_back(items[index]);
  }
  nlohmann::json finding = {{"status", std::string(to_string(run.result.status))},
                            {"culprits", run.culprit_names},
                            {"undetermined", run.undetermined_names},
                            {"method", run.result.method},
                            {"complete", run.result.complete},
                            {"minimal_proven", run.result.minimal_proven},
                            {"message", run.result.message},
                            {"all_good", std::string(to_string(run.result.all_good))},
                            {"all_bad", std::string(to_string(run.result.all_bad))},
                            {"trials_run", run.counters.run},
                            {"trials_recorded", run.counters.cached}};
  store.record_finding(options.level, std::string(to_string(run.result.status)), finding.dump());
  return run;
}

nlohmann::json run_summary(const LevelRun& run, double seconds) {
  return {{"culprits", run.culprit_names},
          {"status", std::string(to_string(run.result.status))},
          {"method", run.result.method},
          {"trials", run.counters.run + run.counters.cached},
          {"cached", run.counters.cached},
          {"unresolved", run.counters.unresolved},
          {"seconds", std::round(seconds * 1000.0) / 1000.0},
          {"message", run.result.message}};
}

int exit_code_for(const SearchResult& result) {
  switch (result.status) {
    case SearchStatus::found:
      return k_exit_found;
    case SearchStatus::not_reproducible:
      return k_exit_not_reproducible;
    case SearchStatus::inconclusive:
      return k_exit_inconclusive;
  }
  return k_exit_inconclusive;
}

}  // namespace ccbisect
