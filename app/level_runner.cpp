// The level driver; see level_runner.hpp. The engine knows nothing of the store's keys, the
// console or the exit codes; this file is where a search result becomes all of them, once for
// every level.
#include "app/level_runner.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/console.hpp"
#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "bisector/subset_text.hpp"
#include "db/findings_store.hpp"
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
      result.message += fmt::format("; {} was unresolved ({}): {}", name, to_string(trial->reason),
                                    last_lines(trial->log_tail, 3));
    }
  }
}

// Whenever the oracle contradicted itself, say so and show the configurations, whatever the answer:
// a user must know the answer stands on an oracle that flips (issue 11).
void report_noise(const std::string& level, const SearchResult& result) {
  if (result.contradictions.empty()) {
    return;
  }
  console().warn(fmt::format(
      "[{}] the oracle looks flaky: {} contradiction(s){}", level, result.contradictions.size(),
      result.status == SearchStatus::found ? "; the answer held when they were asked again" : ""));
  for (const Contradiction& contradiction : result.contradictions) {
    console().warn(fmt::format("[{}]   {} from bad: {} pass, {} fail, {} unresolved → {}", level,
                               contradiction.text.empty() ? "none" : contradiction.text,
                               contradiction.votes.pass, contradiction.votes.fail,
                               contradiction.votes.unresolved, to_string(contradiction.majority)));
  }
}

}  // namespace

LevelRun search_level(Store& store, const LevelPlan& plan) {
  auto start = std::chrono::steady_clock::now();
  const std::vector<std::string>& items = plan.items;
  store.record_items(plan.level, items);
  // The cache key: the level, the configuration (toolchains, commands, objects) and the subset.
  Hasher prefix;
  prefix.add(plan.level).add(plan.configuration_key);
  for (const std::string& name : items) {
    prefix.add(name);
  }
  std::string prefix_hex = prefix.hex();
  Prober::KeyFunction key_of = [level = plan.level, prefix_hex](const Subset& subset) {
    return level + ":" + hash_text(prefix_hex + "|" + encode_ranges(subset));
  };
  console().detail(fmt::format("[{}] {} items, cache key prefix {}, -j {}, strategy {}", plan.level,
                               items.size(), prefix_hex, plan.jobs, to_string(plan.strategy)));
  Prober::ProgressSink progress = plan.progress ? console().progress_sink() : Prober::ProgressSink{};
  Prober prober(plan.level, items.size(), *plan.executor, &store, key_of, plan.jobs, progress);
  SearchOptions search_options;
  search_options.strategy = plan.strategy;
  search_options.repeat = static_cast<std::size_t>(std::max(1, plan.repeat));

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
  report_noise(plan.level, run.result);
  SearchFinding finding = level_finding(run);
  record_finding(store, plan.level, finding);
  console().detail(fmt::format("[{}] finding recorded: {}", plan.level, nlohmann::json(finding).dump()));
  return run;
}

std::vector<ItemConfidence> culprit_confidence(const LevelRun& run) {
  std::vector<ItemConfidence> out;
  // One per culprit, in the culprits' order (engine.hpp).
  for (std::size_t i = 0; i < run.result.confidence.size() && i < run.culprit_names.size(); ++i) {
    const CulpritConfidence& confidence = run.result.confidence[i];
    out.push_back({run.culprit_names[i], confidence.agreeing, confidence.disagreeing, confidence.word});
  }
  return out;
}

SearchFinding level_finding(const LevelRun& run) {
  return {.status = run.result.status,
          .culprits = run.culprit_names,
          .undetermined = run.undetermined_names,
          .method = run.result.method,
          .complete = run.result.complete,
          .minimal_proven = run.result.minimal_proven,
          .message = run.result.message,
          .all_good = run.result.all_good,
          .all_bad = run.result.all_bad,
          .trials_run = run.counters.run,
          .trials_recorded = run.counters.cached,
          .contradictions = run.result.contradictions.size(),
          .confidence = culprit_confidence(run)};
}

LevelConclusion conclusion_of(const LevelRun& run, const LevelPlan& plan) {
  LevelConclusion conclusion;
  conclusion.level = plan.level;
  conclusion.status = run.result.status;
  conclusion.method = run.result.method;
  conclusion.message = plan.message ? plan.message(run) : run.result.message;
  conclusion.culprits = run.culprit_names;
  conclusion.counters = run.counters;
  conclusion.seconds = seconds_since(plan.start);
  return conclusion;
}

LevelReport conclude_level(const LevelConclusion& conclusion, const nlohmann::json& extras) {
  const ProbeCounters& counters = conclusion.counters;
  std::string status(to_string(conclusion.status));
  LevelReport report;
  report.exit_code = exit_code_for(conclusion.status);
  // stdout holds an answer only when there is one; a partial list is in the JSON and the summary.
  report.lines = conclusion.status == SearchStatus::found ? conclusion.culprits : std::vector<std::string>{};
  report.json = {{"level", conclusion.level},
                 {"culprits", conclusion.culprits},
                 {"status", status},
                 {"method", conclusion.method},
                 {"trials", counters.run + counters.cached},
                 {"cached", counters.cached},
                 {"unresolved", counters.unresolved},
                 {"seconds", std::round(conclusion.seconds * 1000.0) / 1000.0},
                 {"message", conclusion.message}};
  if (extras.is_object()) {
    report.json.update(extras);
  }
  note(fmt::format("[{}] {}: {}", conclusion.level, status, conclusion.message));
  note(fmt::format("[{}] {} trials ({} run, {} recorded), {} unresolved, {:.1f} s", conclusion.level,
                   counters.run + counters.cached, counters.run, counters.cached, counters.unresolved,
                   conclusion.seconds));
  return report;
}

LevelReport drive_level(Store& store, const LevelPlan& plan) {
  LevelRun run = search_level(store, plan);
  nlohmann::json extras = {{"contradictions", run.result.contradictions.size()},
                           {"confidence", culprit_confidence(run)}};
  if (plan.extras) {
    plan.extras(run, extras);
  }
  return conclude_level(conclusion_of(run, plan), extras);
}

int exit_code_for(SearchStatus status) {
  switch (status) {
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
