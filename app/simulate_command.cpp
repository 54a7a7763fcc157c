// `ccbisect simulate`: the engine and the store on a built-in simulated case, no compiler needed.
// Used to show the engine's behaviour and by the resume test, which kills it mid-search.
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/level_runner.hpp"
#include "bisector/errors.hpp"
#include "bisector/simulation/simulated_oracle.hpp"

namespace ccbisect {

int simulate_command(const CommonOptions& options, const SimulateOptions& simulate) {
  if (simulate.items == 0) {
    throw UserError("simulate --items must be at least 1", k_exit_usage);
  }
  for (std::size_t culprit : simulate.culprits) {
    if (culprit >= simulate.items) {
      throw UserError(fmt::format("simulate --culprits: {} is not below --items {}", culprit, simulate.items),
                      k_exit_usage);
    }
  }
  SimulatedBehaviour behaviour;
  behaviour.item_count = simulate.items;
  behaviour.culprits = simulate.culprits;
  behaviour.kind = simulate.interacting ? CulpritKind::interacting : CulpritKind::independent;
  behaviour.unresolved_rate = simulate.unresolved_rate;
  behaviour.sleep = std::chrono::milliseconds(static_cast<long>(simulate.trial_delay * 1000));
  behaviour.slots = options.jobs;
  SimulatedExecutor executor(behaviour);

  auto store = simulate.database.empty() ? Store::open_in_memory() : Store::open(simulate.database);
  store->begin_session({"simulate", "{}", "simulated good", "", "simulated bad", ""});
  std::vector<std::string> names;
  for (std::size_t i = 0; i < simulate.items; ++i) {
    names.push_back(fmt::format("item{}", i));
  }
  std::string configuration = fmt::format("{}|{}|{}", fmt::join(simulate.culprits, ","), simulate.interacting,
                                          simulate.unresolved_rate);
  LevelPlan plan;
  plan.level = "simulated";
  plan.items = names;
  plan.executor = &executor;
  plan.configuration_key = configuration;
  plan.jobs = options.jobs;
  plan.strategy = options.strategy;
  plan.progress = !options.json;  // a JSON run is watched by a program, not a person
  plan.extras = [](const LevelRun& run, nlohmann::json& extras) { extras["run"] = run.counters.run; };
  return emit(drive_level(*store, plan));
}

CommandRunner simulate_options(CLI::App& app) {
  auto simulation = std::make_shared<SimulateOptions>();
  app.add_option("--items", simulation->items, "number of items")->capture_default_str();
  app.add_option("--culprits", simulation->culprits, "culprit indices")->delimiter(',');
  app.add_flag("--interacting", simulation->interacting, "fail only when all culprits are from bad");
  app.add_option("--unresolved-rate", simulation->unresolved_rate, "share of unresolved trials");
  app.add_option("--trial-delay", simulation->trial_delay, "seconds each trial takes");
  app.add_option("--db", simulation->database, "database file (default: in memory)");
  return [simulation](const CommonOptions& options) { return simulate_command(options, *simulation); };
}

}  // namespace ccbisect
