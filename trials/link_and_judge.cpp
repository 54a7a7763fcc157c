// The shared trial path: place, link, judge; see link_and_judge.hpp. Timing is taken here, once,
// so that the object level's "per trial: link, oracle, ccbisect" line and every trial's recorded
// seconds measure the same thing.
#include "trials/link_and_judge.hpp"

#include <chrono>

#include <fmt/format.h>

#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "sys/interrupt.hpp"
#include "sys/process.hpp"

namespace ccbisect {

JudgedTrial link_and_judge(const Config& config, const std::filesystem::path& directory, Oracle& oracle,
                           const TrialStep& place, const std::map<std::string, std::string>& environment,
                           const TrialStep& check, const std::vector<BindMount>& mounts) {
  if (int signal = interrupt_signal(); signal != 0) {
    throw Interrupted(signal);  // no further trial after Ctrl-C / SIGTERM
  }
  JudgedTrial judged;
  TrialResult& result = judged.result;
  judged.times.trials = 1;
  result.started_at = utc_timestamp();
  auto start = std::chrono::steady_clock::now();
  auto finish = [&]() -> JudgedTrial& {
    if (result.outcome == Outcome::unresolved && interrupt_signal() != 0) {
      result.reason = UnresolvedReason::interrupted;  // the handler killed what was running
    }
    result.seconds = seconds_since(start);
    result.ended_at = utc_timestamp();
    return judged;
  };
  auto unfit = [&](Unfit why) -> JudgedTrial& {
    result.outcome = Outcome::unresolved;
    result.reason = why.reason;
    result.log_tail = std::move(why.log);
    return finish();
  };

  std::optional<Unfit> not_placed = place();
  judged.times.place = seconds_since(start);
  if (not_placed) {
    return unfit(std::move(*not_placed));
  }

  ProcessSpec link_spec;
  link_spec.argv = {"/bin/sh", "-c", config.link};
  link_spec.cwd = mounts.empty() ? directory : config.project_dir;
  link_spec.timeout_seconds = config.link_timeout;
  link_spec.environment = environment;
  link_spec.mounts = mounts;
  ProcessResult link = run_process(link_spec);
  judged.times.link = link.seconds;
  if (!link.started || link.timed_out || link.exit_status != 0) {
    return unfit({UnresolvedReason::link_failed,
                  fmt::format("[ccbisect] link failed: `{}` {}:\n{}", config.link,
                              link.timed_out ? "timed out" : fmt::format("(exit {})", link.exit_status),
                              last_lines(link.started ? link.output_tail : link.error, 15))});
  }
  if (std::optional<Unfit> not_linked = check ? check() : std::nullopt) {
    return unfit(std::move(*not_linked));
  }
  OracleVerdict verdict = oracle.judge(directory, environment);
  judged.times.oracle = verdict.seconds;
  result.outcome = verdict.outcome;
  result.reason = verdict.outcome == Outcome::unresolved ? verdict.reason : UnresolvedReason::none;
  result.exit_status = verdict.exit_status;
  result.log_tail = verdict.log_tail;
  return finish();
}

}  // namespace ccbisect
