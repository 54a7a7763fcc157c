// `ccbisect simulate`: the engine and the store on a built-in simulated case, no compiler needed.
// Used to show the engine's behaviour and by the resume test, which kills it mid-search.
#include <cstdio>

#include <fmt/format.h>
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
  LevelRun run = run_level(*store, names, executor,
                           {"simulated", configuration, options.jobs, options.strategy, options.json});
  nlohmann::json out = {{"level", "simulated"},
                        {"culprits", run.culprit_names},
                        {"trials", run.counters.run + run.counters.cached},
                        {"cached", run.counters.cached},
                        {"run", run.counters.run},
                        {"unresolved", run.counters.unresolved},
                        {"seconds", run.seconds},
                        {"status", std::string(to_string(run.result.status))},
                        {"method", run.result.method}};
  if (options.json) {
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("%s\n", fmt::format("{}", fmt::join(run.culprit_names, " ")).c_str());
    std::fprintf(stderr, "[simulated] %s: %s; %zu trials run, %zu recorded\n",
                 std::string(to_string(run.result.status)).c_str(), run.result.message.c_str(),
                 run.counters.run, run.counters.cached);
  }
  return exit_code_for(run.result);
}

}  // namespace ccbisect
