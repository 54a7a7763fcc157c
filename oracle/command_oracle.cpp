// The command oracle: one shell command, judged by its exit status.
#include "oracle/command_oracle.hpp"

#include <fmt/format.h>

#include "sys/process.hpp"

namespace ccbisect {

CommandOracle::CommandOracle(std::string command, double timeout_seconds, Outcome on_timeout)
    : m_command(std::move(command)), m_timeout(timeout_seconds), m_on_timeout(on_timeout) {}

std::unique_ptr<Oracle> make_command_oracle(const Config& config) {
  return std::make_unique<CommandOracle>(config.oracle.command, config.oracle.timeout,
                                         outcome_of(config.oracle.on_timeout));
}

OracleVerdict CommandOracle::judge(const std::filesystem::path& project_dir,
                                   const std::map<std::string, std::string>& environment) {
  ProcessResult run = run_shell(m_command, project_dir, m_timeout, environment);
  OracleVerdict verdict;
  verdict.exit_status = run.exit_status;
  verdict.seconds = run.seconds;
  verdict.log_tail = last_lines(run.output_tail, 20);
  if (!run.started) {
    verdict.reason = UnresolvedReason::oracle_error;
    verdict.log_tail = "oracle could not start: " + run.error;
    return verdict;
  }
  if (run.timed_out) {
    verdict.outcome = m_on_timeout;
    verdict.reason =
        m_on_timeout == Outcome::unresolved ? UnresolvedReason::oracle_timeout : UnresolvedReason::none;
    verdict.log_tail +=
        fmt::format("\n[ccbisect] oracle timed out after {:.0f} s; process group killed", m_timeout);
    return verdict;
  }
  // Exit 126/127 and a signal to the oracle's own shell are failures of the oracle, not verdicts on
  // the mix (a crash of the program under test is reported by the shell as an exit status).
  if (run.signal != 0) {
    verdict.outcome = Outcome::unresolved;
    verdict.reason = UnresolvedReason::oracle_error;  // link_and_judge makes it `interrupted` after Ctrl-C
    verdict.log_tail += fmt::format(
        "\n[ccbisect] the oracle's shell was killed by signal {} (from outside, or out of memory): no "
        "verdict",
        run.signal);
  } else if (run.exit_status == 126 || run.exit_status == 127) {
    verdict.outcome = Outcome::unresolved;
    verdict.reason = UnresolvedReason::oracle_error;
    verdict.log_tail += fmt::format(
        "\n[ccbisect] the oracle command `{}` could not run (exit {}: {}); fix [oracle] command", m_command,
        run.exit_status, run.exit_status == 127 ? "command not found" : "not executable, e.g. chmod +x");
  } else if (run.exit_status == 0) {
    verdict.outcome = Outcome::pass;
  } else if (run.exit_status == 125) {
    verdict.outcome = Outcome::unresolved;
    verdict.reason = UnresolvedReason::oracle_said_unresolved;
  } else {
    verdict.outcome = Outcome::fail;
  }
  return verdict;
}

}  // namespace ccbisect
