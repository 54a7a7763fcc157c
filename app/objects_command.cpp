// `ccbisect objects`: capture (if needed), then search which objects from the bad toolchain make
// the program fail. Reads top to bottom: load config → open store → capture → classify the units →
// search → leave the minimal failing mix in place → report.
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "capture/capture.hpp"
#include "trials/object_trials.hpp"
#include "oracle/oracle_registry.hpp"
#include "sys/process.hpp"
#include "app/commands.hpp"
#include "app/level_runner.hpp"
#include "app/object_level.hpp"
#include "bisector/clock.hpp"
#include "bisector/errors.hpp"

namespace ccbisect {
LevelReport objects_level(const CommonOptions& options) {
  auto start = std::chrono::steady_clock::now();
  // 1-3. Configuration, store, capture, and the objects that differ.
  ObjectLevel level = prepare_object_level(options.config, "objects", options.jobs);
  const Config& config = level.config;
  const std::vector<std::string>& names = level.names;

  // 4. Search, each trial recorded the moment it ends.
  std::size_t slot_count = config.parallel_trials ? options.jobs : 1;
  std::vector<TrialSlot> slots = make_trial_slots(config, level.items, level.fixed, slot_count);
  Workspace& workspace = *slots.front().workspace;
  std::unique_ptr<Oracle> oracle = make_oracle(config);
  ObjectTrialExecutor executor(config, slots, *oracle);
  LevelRunOptions run_options{"objects", level.configuration_key, options.jobs, options.strategy, false};
  LevelRun run = run_level(*level.store, names, executor, run_options);

  // 5. Leave the tree holding the minimal failing mix, like git bisect leaves the bad commit.
  if (run.result.status == SearchStatus::found) {
    workspace.materialize(run.result.culprits);
    run_shell(config.link, config.project_dir, config.link_timeout);
  }

  // 6. Report.
  double seconds = seconds_since(start);
  TrialTimes times = executor.times();
  std::size_t trials = run.counters.run + run.counters.cached;
  LevelReport report;
  report.exit_code = exit_code_for(run.result);
  report.lines = run.result.status == SearchStatus::found ? run.culprit_names : std::vector<std::string>{};
  report.json = run_summary(run, seconds);
  report.json.update({
      {"level", "objects"},
      {"complete", run.result.complete},
      {"undetermined", run.undetermined_names},
      {"items", names.size()},
      {"identical", level.identical},
      {"failed_to_compile", level.failed},
  });
  std::fprintf(stderr, "[objects] %s: %s\n", std::string(to_string(run.result.status)).c_str(),
               run.result.message.c_str());
  if (!run.undetermined_names.empty()) {
    std::fprintf(stderr, "[objects] undetermined (every trial that could tell was unresolved): %s\n",
                 fmt::format("{}", fmt::join(run.undetermined_names, " ")).c_str());
  }
  // The tool's own share: the search's wall time minus what linking and the oracle took.
  double per = times.trials ? 1000.0 / static_cast<double>(times.trials) : 0.0;
  // With several slots, link and oracle times overlap and no longer add up to wall time; the tool's
  // own part is then what it does per trial (placing objects), which is what grows with N.
  double tool = slot_count > 1 ? times.place : run.seconds - times.link - times.oracle;
  std::fprintf(stderr,
               "[objects] %zu trials (%zu run, %zu recorded), %zu unresolved, %.1f s in all (capture "
               "%.1f s); per trial run: link %.0f ms, oracle %.0f ms, ccbisect %.1f ms (placing "
               "objects %.1f ms)%s\n",
               trials, run.counters.run, run.counters.cached, run.counters.unresolved, seconds,
               level.capture.seconds, times.link * per, times.oracle * per, times.trials ? tool * per : 0.0,
               times.place * per,
               slot_count > 1 ? fmt::format(", {} trials at once", slot_count).c_str() : "");
  if (run.result.status == SearchStatus::found) {
    std::fprintf(stderr,
                 "[objects] the project now holds the minimal failing mix (culprits from bad, "
                 "the rest from good)\n");
  }
  return report;
}

}  // namespace ccbisect
