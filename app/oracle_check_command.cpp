// `ccbisect oracle-check`: how often does the oracle contradict itself? Links all-good and all-bad K
// times each (capture first if needed) and counts the answers, so that a user can see the flip rate
// before a long search and choose `[oracle] repeat`. The trials are not recorded: they are a
// measurement of the oracle, not answers about mixes.
#include <cmath>
#include <memory>
#include <numeric>

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "app/object_level.hpp"
#include "bisector/errors.hpp"
#include "oracle/oracle_registry.hpp"
#include "trials/executors.hpp"
#include "trials/object_trials.hpp"

namespace ccbisect {
namespace {

struct Tally {
  std::size_t pass = 0;
  std::size_t fail = 0;
  std::size_t unresolved = 0;
};

Tally ask(ObjectTrialExecutor& executor, const Subset& subset, std::size_t times, const char* name) {
  Tally tally;
  for (std::size_t i = 0; i < times; ++i) {
    TrialResult result = executor.run(subset, 0);
    (result.outcome == Outcome::pass   ? tally.pass
     : result.outcome == Outcome::fail ? tally.fail
                                       : tally.unresolved)++;
    note(fmt::format("[oracle-check] {} {}/{}: {}", name, i + 1, times, to_string(result.outcome)));
  }
  return tally;
}

nlohmann::json to_json(const Tally& tally) {
  return {{"pass", tally.pass}, {"fail", tally.fail}, {"unresolved", tally.unresolved}};
}

}  // namespace

int oracle_check_command(const CommonOptions& options, std::size_t times) {
  ObjectLevel level = prepare_object_level(options.config, "oracle-check", options.jobs);
  const Config& config = level.config;
  std::unique_ptr<Oracle> oracle = make_oracle(config);
  std::unique_ptr<Executor> runner = make_executor(config, *oracle);
  std::vector<TrialSlot> slots = make_trial_slots(config, level.items, level.fixed, 1, runner->shared_dir());
  ObjectTrialExecutor executor(config, slots, *runner);
  Subset everything(level.items.size());
  std::iota(everything.begin(), everything.end(), 0);

  Tally good = ask(executor, {}, times, "all-good");
  Tally bad = ask(executor, everything, times, "all-bad");
  // A flip is an answer against the side's expected one (all-good passes, all-bad fails).
  std::size_t resolved = good.pass + good.fail + bad.pass + bad.fail;
  std::size_t flips = good.fail + bad.pass;
  double rate = resolved ? static_cast<double>(flips) / static_cast<double>(resolved) : 0.0;
  // With flip rate p, a majority of r asks is wrong with about C(r, r/2+1) p^(r/2+1): choose the
  // smallest odd r that brings a 30-trial search's chance of one wrong answer under 1%.
  int repeat = 1;
  while (repeat < 9) {
    double wrong_one = 0.0;
    int need = repeat / 2 + 1;
    for (int k = need; k <= repeat; ++k) {
      wrong_one += std::tgamma(repeat + 1) / (std::tgamma(k + 1) * std::tgamma(repeat - k + 1)) *
                   std::pow(rate, k) * std::pow(1.0 - rate, repeat - k);
    }
    if (30.0 * wrong_one < 0.01) {
      break;
    }
    repeat += 2;
  }
  nlohmann::json out = {{"all_good", to_json(good)},
                        {"all_bad", to_json(bad)},
                        {"flips", flips},
                        {"flip_rate", std::round(rate * 1000.0) / 1000.0},
                        {"asks", times},
                        {"suggested_repeat", repeat}};
  Console& console_out = console();
  if (options.json) {
    console_out.json(out);
  } else {
    console_out.answer(
        fmt::format("all-good: {} pass, {} fail, {} unresolved", good.pass, good.fail, good.unresolved));
    console_out.answer(
        fmt::format("all-bad:  {} pass, {} fail, {} unresolved", bad.pass, bad.fail, bad.unresolved));
    console_out.answer(
        fmt::format("flip rate: {:.1f}% ({} of {} resolved answers)", rate * 100.0, flips, resolved));
    console_out.answer(
        flips == 0 ? "the oracle looks deterministic: [oracle] repeat = 1 (the default) is right"
                   : fmt::format("the oracle is noisy: set [oracle] repeat = {} in ccbisect.toml", repeat));
  }
  if (good.pass + good.fail == 0 || bad.pass + bad.fail == 0) {
    return k_exit_not_reproducible;  // one side never got a verdict: nothing to measure
  }
  return k_exit_found;
}

CommandRunner oracle_check_options(CLI::App& app) {
  auto times = std::make_shared<std::size_t>(5);
  app.add_option("-k,--times", *times, "asks of all-good and of all-bad each")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  return [times](const CommonOptions& options) { return oracle_check_command(options, *times); };
}

}  // namespace ccbisect
