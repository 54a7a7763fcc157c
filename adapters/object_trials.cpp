// Object-level trials. One project tree means one slot: trials run one after another here, while
// -j still speeds up capture (parallel compiles).
#include "adapters/object_trials.hpp"

#include <chrono>

#include <fmt/format.h>

#include "adapters/process.hpp"
#include "bisector/clock.hpp"

namespace ccbisect {

ObjectTrialExecutor::ObjectTrialExecutor(const Config& config, Workspace& workspace, Oracle& oracle)
    : m_config(config), m_workspace(workspace), m_oracle(oracle) {}

TrialResult ObjectTrialExecutor::run(const Subset& subset, std::size_t /*slot*/) {
  TrialResult result;
  result.started_at = utc_timestamp();
  auto start = std::chrono::steady_clock::now();
  m_workspace.materialize(subset);
  double place = seconds_since(start);

  ProcessResult link = run_shell(m_config.link, m_config.project_dir, m_config.link_timeout);
  double link_seconds = link.seconds;
  double oracle_seconds = 0.0;
  if (!link.started || link.timed_out || link.exit_status != 0) {
    result.outcome = Outcome::unresolved;
    result.log_tail = fmt::format("[ccbisect] link `{}` {}:\n{}", m_config.link,
                                  link.timed_out ? "timed out" : fmt::format("failed (exit {})", link.exit_status),
                                  last_lines(link.started ? link.output_tail : link.error, 15));
  } else {
    OracleVerdict verdict = m_oracle.judge(m_config.project_dir);
    oracle_seconds = verdict.seconds;
    result.outcome = verdict.outcome;
    result.exit_status = verdict.exit_status;
    result.log_tail = verdict.log_tail;
  }
  result.seconds = seconds_since(start);
  result.ended_at = utc_timestamp();
  std::lock_guard lock(m_mutex);
  m_times.place += place;
  m_times.link += link_seconds;
  m_times.oracle += oracle_seconds;
  ++m_times.trials;
  return result;
}

TrialTimes ObjectTrialExecutor::times() const {
  std::lock_guard lock(m_mutex);
  return m_times;
}

}  // namespace ccbisect
