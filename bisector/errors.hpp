// Errors that end a command. Failures that are part of a search (a TU that does not compile, a link
// error, an oracle timeout) are never thrown: they are `Outcome::unresolved` values. What is thrown
// here is a mistake in the configuration or the environment; it reaches `main`, which prints it and
// exits with the code below.
#pragma once

#include <stdexcept>
#include <string>

namespace ccbisect {

// Process exit codes, shared by every command (documented in README.md).
enum ExitCode : int {
  k_exit_found = 0,             // a culprit was named (or the command did what it was asked)
  k_exit_error = 1,             // configuration, environment or store error
  k_exit_usage = 2,             // bad command line
  k_exit_not_reproducible = 3,  // all-good does not pass or all-bad does not fail
  k_exit_inconclusive = 4,      // the search ended without a sound answer
  k_exit_busy = 5,              // another ccbisect holds the workdir (one search per tree at a time)
};

// A configuration or environment mistake. `what()` names the file, field or command and says what to do.
class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& message, int exit_code = k_exit_error)
      : std::runtime_error(message), m_exit_code(exit_code) {}
  int exit_code() const { return m_exit_code; }

 private:
  int m_exit_code;
};

// SIGINT or SIGTERM arrived during a search: the running trial was killed and recorded as
// unresolved; `main` restores the tree and exits 128 + signal (130 for Ctrl-C, 143 for SIGTERM).
class Interrupted : public UserError {
 public:
  explicit Interrupted(int signal)
      : UserError("interrupted by signal " + std::to_string(signal) + "; the running trial was stopped",
                  128 + signal) {}
};

}  // namespace ccbisect
