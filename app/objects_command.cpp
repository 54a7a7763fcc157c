// `ccbisect objects`: capture (if needed), then search which objects from the bad toolchain make
// the program fail. Reads top to bottom: load config → open store → capture → classify the units →
// search → leave the minimal failing mix in place → report.
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "app/level_runner.hpp"
#include "app/object_level.hpp"
#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "capture/capture.hpp"
#include "oracle/oracle_registry.hpp"
#include "sys/process.hpp"
#include "trials/executors.hpp"
#include "trials/object_trials.hpp"

namespace ccbisect {
namespace {

// The tool's own share: the search's wall time minus what linking and the oracle took.
void note_trial_times(const TrialTimes& times, const LevelRun& run, std::size_t slot_count, double seconds,
                      double capture_seconds) {
  double per = times.trials ? 1000.0 / static_cast<double>(times.trials) : 0.0;
  // With several slots, link and oracle times overlap and no longer add up to wall time; the tool's
  // own part is then what it does per trial (placing objects), which is what grows with N.
  double tool = slot_count > 1 ? times.place : run.seconds - times.link - times.oracle;
  note(fmt::format(
      "[objects] {:.1f} s in all (capture {:.1f} s); per trial run: link {:.0f} ms, oracle {:.0f} "
      "ms, ccbisect {:.1f} ms (placing objects {:.1f} ms){}",
      seconds, capture_seconds, times.link * per, times.oracle * per, times.trials ? tool * per : 0.0,
      times.place * per, slot_count > 1 ? fmt::format(", {} trials at once", slot_count) : ""));
}

}  // namespace

LevelReport objects_level(const CommonOptions& options) {
  auto start = std::chrono::steady_clock::now();
  // 1-3. Configuration, store, capture, and the objects that differ.
  ObjectLevel level = prepare_object_level(options.config, "objects", options.jobs);
  const Config& config = level.config;
  const std::vector<std::string>& names = level.names;

  // 4. Search, each trial recorded the moment it ends: in the project and its copies (local), or
  //    in copies under the shared directory, J jobs at once (a cluster).
  std::unique_ptr<Oracle> oracle = make_oracle(config);
  std::unique_ptr<Executor> runner = make_executor(config, *oracle);
  const std::filesystem::path shared = runner->shared_dir();
  std::size_t slot_count = !shared.empty()          ? (runner->jobs() > 0 ? runner->jobs() : options.jobs)
                           : config.parallel_trials ? options.jobs
                                                    : 1;
  std::vector<TrialSlot> slots = make_trial_slots(config, level.items, level.fixed, slot_count, shared);
  // The project itself, which ends holding the answer's mix (slot 0 unless every slot is a copy).
  std::unique_ptr<Workspace> project_copy =
      shared.empty() ? nullptr
                     : std::make_unique<Workspace>(level.items, level.fixed,
                                                   Originals(config.workdir_path() / "original"));
  Workspace& workspace = project_copy ? *project_copy : *slots.front().workspace;
  ObjectTrialExecutor executor(config, slots, *runner);
  LevelPlan plan;
  plan.level = "objects";
  plan.items = names;
  plan.executor = &executor;
  plan.configuration_key = level.configuration_key;
  plan.jobs = shared.empty() ? options.jobs : slot_count;
  plan.repeat = config.oracle.repeat;
  plan.strategy = options.strategy;
  plan.start = start;
  LevelRun run = search_level(*level.store, plan);

  // 5. Leave the tree holding the minimal failing mix, like git bisect leaves the bad commit.
  if (run.result.status == SearchStatus::found) {
    workspace.materialize(run.result.culprits);
    run_shell(config.link, config.project_dir, config.link_timeout);
  }

  // 6. Report: the driver's summary, then where the time went.
  LevelReport report = conclude_level(conclusion_of(run, plan), {{"complete", run.result.complete},
                                                                 {"undetermined", run.undetermined_names},
                                                                 {"items", names.size()},
                                                                 {"identical", level.identical},
                                                                 {"failed_to_compile", level.failed}});
  if (!run.undetermined_names.empty()) {
    note(fmt::format("[objects] undetermined (every trial that could tell was unresolved): {}",
                     fmt::join(run.undetermined_names, " ")));
  }
  note_trial_times(executor.times(), run, slot_count, seconds_since(start), level.capture.seconds);
  if (run.result.status == SearchStatus::found) {
    note(
        "[objects] the project now holds the minimal failing mix (culprits from bad, the rest from good); "
        "`ccbisect reset` puts the user's build back");
  } else {
    // No answer to look at: the tree goes back to the user's build rather than the last trial's mix.
    std::string relink = relink_restored(Originals(config.workdir_path() / "original").restore(), config.link,
                                         config.project_dir, config.link_timeout);
    note(fmt::format("[objects] the project holds the user's own objects again{}",
                     relink.empty() ? ", relinked" : ": " + relink));
  }
  return report;
}

}  // namespace ccbisect
