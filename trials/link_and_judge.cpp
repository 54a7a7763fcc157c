// The shared trial path: place, then link and judge wherever the executor runs them; see
// link_and_judge.hpp. Timing is taken here, once, so that the object level's "per trial: link,
// oracle, ccbisect" line and every trial's recorded seconds measure the same thing.
#include "trials/link_and_judge.hpp"

#include <chrono>

#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "sys/interrupt.hpp"

namespace ccbisect {

JudgedTrial link_and_judge(const std::filesystem::path& directory, Executor& executor, const TrialStep& place,
                           const std::map<std::string, std::string>& environment, const TrialStep& check,
                           const std::filesystem::path& seen_at) {
  if (int signal = interrupt_signal(); signal != 0) {
    throw Interrupted(signal);  // no further trial after Ctrl-C / SIGTERM
  }
  JudgedTrial judged;
  judged.times.trials = 1;
  std::string started_at = utc_timestamp();
  auto start = std::chrono::steady_clock::now();
  std::optional<Unfit> not_placed = place();
  judged.times.place = seconds_since(start);
  if (not_placed) {
    judged.result.outcome = Outcome::unresolved;
    judged.result.reason = not_placed->reason;
    judged.result.log_tail = std::move(not_placed->log);
  } else {
    Execution execution = executor.link_and_judge(directory, environment, check, seen_at);
    judged.result = std::move(execution.result);
    judged.times.link = execution.link_seconds;
    judged.times.oracle = execution.oracle_seconds;
  }
  TrialResult& result = judged.result;
  if (result.outcome == Outcome::unresolved && interrupt_signal() != 0) {
    result.reason = UnresolvedReason::interrupted;  // the handler killed what was running
  }
  result.started_at = started_at;
  result.seconds = seconds_since(start);
  result.ended_at = utc_timestamp();
  return judged;
}

}  // namespace ccbisect
