// `ccbisect objects`: capture (if needed), then search which objects from the bad toolchain make
// the program fail. Reads top to bottom: load config → open store → capture → classify the units →
// search → leave the minimal failing mix in place → report.
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "adapters/capture.hpp"
#include "adapters/command_oracle.hpp"
#include "adapters/object_trials.hpp"
#include "adapters/process.hpp"
#include "app/commands.hpp"
#include "app/level_runner.hpp"
#include "bisector/clock.hpp"
#include "bisector/errors.hpp"

namespace ccbisect {
namespace {

void note(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

nlohmann::json config_json(const Config& config) {
  return {{"file", config.file.string()},
          {"compdb", config.compdb},
          {"capture", config.capture},
          {"link", config.link},
          {"workdir", config.workdir},
          {"good", {{"cc", config.good.cc}, {"cxx", config.good.cxx}, {"flags", config.good.flags}}},
          {"bad", {{"cc", config.bad.cc}, {"cxx", config.bad.cxx}, {"flags", config.bad.flags}}},
          {"oracle",
           {{"type", config.oracle_type},
            {"command", config.oracle_command},
            {"timeout", config.oracle_timeout},
            {"on_timeout", config.oracle_on_timeout}}}};
}

std::string version_line(const std::string& compiler) {
  std::string identity = compiler_identity(compiler);
  return identity.empty() ? "(not found)" : identity;
}

}  // namespace

// Opens the store and starts a session recording the configuration and both toolchains.
std::unique_ptr<Store> open_session(const Config& config, const std::string& command) {
  auto store = Store::open(config.database_path());
  SessionInfo info;
  info.command = command;
  info.config_json = config_json(config).dump();
  info.good_toolchain = fmt::format("{} {}", config.good.cc, config.good.flags);
  info.good_version = version_line(config.good.cc);
  info.bad_toolchain = fmt::format("{} {}", config.bad.cc, config.bad.flags);
  info.bad_version = version_line(config.bad.cc);
  store->begin_session(info);
  return store;
}

int objects_command(const CommonOptions& options) {
  auto start = std::chrono::steady_clock::now();
  // 1. Configuration and store.
  Config config = load_config(options.config);
  auto store = open_session(config, "objects");
  ObjectStore objects(config.workdir_path() / "objects");

  // 2. Capture: every TU with both toolchains, once.
  CaptureSummary capture = config.capture == "wrapper"
                               ? load_wrapper_capture(config)
                               : capture_from_compdb(config, *store, objects, options.jobs, note);

  // 3. Classify: searchable items, and the objects that are placed once and never change.
  std::vector<PlacedObject> items;
  std::vector<PlacedObject> fixed;
  std::vector<std::string> names;
  std::vector<std::string> failed;
  std::size_t identical = 0;
  std::string configuration_key = config_json(config).dump() + compiler_identity(config.good.cc) +
                                  compiler_identity(config.bad.cc);
  for (const TranslationUnit& unit : capture.units) {
    PlacedObject placed{unit.name, unit.output,
                        unit.good_object.empty() ? "" : objects.path_of(unit.good_object),
                        unit.bad_object.empty() ? "" : objects.path_of(unit.bad_object)};
    configuration_key += unit.name + unit.good_object + unit.bad_object;
    if (unit.good_object.empty() || unit.bad_object.empty()) {
      failed.push_back(unit.name);
      std::string side = unit.good_object.empty() ? "good" : "bad";
      note(fmt::format("warning: {} does not compile with the {} toolchain; it is excluded from the "
                       "search:\n{}",
                       unit.name, side, unit.good_object.empty() ? unit.good_log : unit.bad_log));
      if (!(unit.good_object.empty() && unit.bad_object.empty())) {
        fixed.push_back(placed);
      }
      continue;
    }
    if (unit.good_object == unit.bad_object) {
      ++identical;
      fixed.push_back(placed);
      continue;
    }
    items.push_back(placed);
    names.push_back(unit.name);
  }
  note(fmt::format("[objects] {} objects differ; {} identical on both sides, {} failed to compile on "
                   "one side (excluded)",
                   items.size(), identical, failed.size()));
  if (items.empty()) {
    throw UserError("no object differs between the good and the bad toolchain, so there is nothing to "
                    "search; check [good] and [bad] in the configuration",
                    k_exit_not_reproducible);
  }

  // 4. Search, each trial recorded the moment it ends.
  Workspace workspace(items, fixed);
  CommandOracle oracle(config.oracle_command, config.oracle_timeout,
                       config.oracle_on_timeout == "fail" ? Outcome::fail : Outcome::unresolved);
  ObjectTrialExecutor executor(config, workspace, oracle);
  LevelRunOptions run_options{"objects", configuration_key, options.jobs, options.strategy, false};
  LevelRun run = run_level(*store, names, executor, run_options);

  // 5. Leave the tree holding the minimal failing mix, like git bisect leaves the bad commit.
  if (run.result.status == SearchStatus::found) {
    workspace.materialize(run.result.culprits);
    run_shell(config.link, config.project_dir, config.link_timeout);
  }

  // 6. Report.
  double seconds = seconds_since(start);
  TrialTimes times = executor.times();
  std::size_t trials = run.counters.run + run.counters.cached;
  if (options.json) {
    nlohmann::json out = {{"level", "objects"},
                          {"culprits", run.culprit_names},
                          {"trials", trials},
                          {"cached", run.counters.cached},
                          {"unresolved", run.counters.unresolved},
                          {"seconds", std::round(seconds * 1000.0) / 1000.0},
                          {"status", std::string(to_string(run.result.status))},
                          {"method", run.result.method},
                          {"complete", run.result.complete},
                          {"undetermined", run.undetermined_names},
                          {"items", names.size()},
                          {"identical", identical},
                          {"failed_to_compile", failed},
                          {"message", run.result.message}};
    std::printf("%s\n", out.dump().c_str());
  } else {
    if (run.result.status == SearchStatus::found) {
      for (const std::string& name : run.culprit_names) {
        std::printf("%s\n", name.c_str());
      }
    }
    std::fprintf(stderr, "[objects] %s: %s\n", std::string(to_string(run.result.status)).c_str(),
                 run.result.message.c_str());
    if (!run.undetermined_names.empty()) {
      std::fprintf(stderr, "[objects] undetermined (every trial that could tell was unresolved): %s\n",
                   fmt::format("{}", fmt::join(run.undetermined_names, " ")).c_str());
    }
    // The tool's own share: the search's wall time minus what linking and the oracle took.
    double per = times.trials ? 1000.0 / static_cast<double>(times.trials) : 0.0;
    double tool = run.seconds - times.link - times.oracle;
    std::fprintf(stderr,
                 "[objects] %zu trials (%zu run, %zu recorded), %zu unresolved, %.1f s in all (capture "
                 "%.1f s); per trial run: link %.0f ms, oracle %.0f ms, ccbisect %.1f ms (placing "
                 "objects %.1f ms)\n",
                 trials, run.counters.run, run.counters.cached, run.counters.unresolved, seconds,
                 capture.seconds, times.link * per, times.oracle * per, times.trials ? tool * per : 0.0,
                 times.place * per);
    if (run.result.status == SearchStatus::found) {
      std::fprintf(stderr, "[objects] the project now holds the minimal failing mix (culprits from bad, "
                   "the rest from good)\n");
    }
  }
  return exit_code_for(run.result);
}

}  // namespace ccbisect
