// The command oracle: one shell command, judged by its exit status.
#include "oracle/command_oracle.hpp"

#include <fmt/format.h>

#include "sys/process.hpp"

namespace ccbisect {

CommandOracle::CommandOracle(std::string command, double timeout_seconds, Outcome on_timeout)
    : m_command(std::move(command)), m_timeout(timeout_seconds), m_on_timeout(on_timeout) {}

OracleVerdict CommandOracle::judge(const std::filesystem::path& project_dir,
                                   const std::map<std::string, std::string>& environment) {
  ProcessResult run = run_shell(m_command, project_dir, m_timeout, environment);
  OracleVerdict verdict;
  verdict.exit_status = run.exit_status;
  verdict.seconds = run.seconds;
  verdict.log_tail = last_lines(run.output_tail, 20);
  if (!run.started) {
    verdict.log_tail = "oracle could not start: " + run.error;
    return verdict;
  }
  if (run.timed_out) {
    verdict.outcome = m_on_timeout;
    verdict.log_tail +=
        fmt::format("\n[ccbisect] oracle timed out after {:.0f} s; process group killed", m_timeout);
    return verdict;
  }
  if (run.exit_status == 0) {
    verdict.outcome = Outcome::pass;
  } else if (run.exit_status == 125) {
    verdict.outcome = Outcome::unresolved;
  } else {
    verdict.outcome = Outcome::fail;
  }
  return verdict;
}

}  // namespace ccbisect
