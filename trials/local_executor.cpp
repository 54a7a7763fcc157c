// The local executor: link, check, judge, one after the other on this machine. This is the trial
// path every level had before executors existed; a cluster job runs exactly this on its node
// (`ccbisect trial-exec`, trials/slurm_executor.cpp).
#include "trials/local_executor.hpp"

#include <fmt/format.h>

#include "sys/process.hpp"

namespace ccbisect {

Execution LocalExecutor::link_and_judge(const std::filesystem::path& directory,
                                        const std::map<std::string, std::string>& environment,
                                        const TrialStep& check, const std::filesystem::path& seen_at) {
  Execution execution;
  TrialResult& result = execution.result;
  auto unfit = [&](Unfit why) -> Execution& {
    result.outcome = Outcome::unresolved;
    result.reason = why.reason;
    result.log_tail = std::move(why.log);
    return execution;
  };
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", m_config.link};
  spec.cwd = directory;
  spec.timeout_seconds = m_config.link_timeout;
  spec.environment = environment;
  if (!seen_at.empty()) {
    // The copy is shown at `seen_at` in a mount namespace of the link's own. The workdir (inside the
    // project, so hidden by that mount; the compiler wrapper lives there) is mounted back first.
    std::filesystem::path workdir = m_config.workdir_path().lexically_normal();
    std::filesystem::path inside = workdir.lexically_relative(seen_at);
    if (!inside.empty() && inside.string().rfind("..", 0) != 0) {
      std::filesystem::create_directories(directory / inside);
      spec.mounts.push_back({workdir, directory / inside});
    }
    spec.mounts.push_back({directory, seen_at});
    spec.cwd = seen_at;
  }
  ProcessResult link = run_process(spec);
  execution.link_seconds = link.seconds;
  if (!link.started || link.timed_out || link.exit_status != 0) {
    return unfit({UnresolvedReason::link_failed,
                  fmt::format("[ccbisect] link failed: `{}` {}:\n{}", m_config.link,
                              link.timed_out ? "timed out" : fmt::format("(exit {})", link.exit_status),
                              last_lines(link.started ? link.output_tail : link.error, 15))});
  }
  if (std::optional<Unfit> not_linked = check ? check() : std::nullopt) {
    return unfit(std::move(*not_linked));
  }
  OracleVerdict verdict = m_oracle.judge(directory, environment);
  execution.oracle_seconds = verdict.seconds;
  result.outcome = verdict.outcome;
  result.reason = verdict.outcome == Outcome::unresolved ? verdict.reason : UnresolvedReason::none;
  result.exit_status = verdict.exit_status;
  result.log_tail = verdict.log_tail;
  return execution;
}

}  // namespace ccbisect
