// The verdict of one trial, named for what it means to the user.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ccbisect {

enum class Outcome {
  pass,        // the program works with this mix
  fail,        // the program shows the failure with this mix
  unresolved,  // no verdict: the mix did not build, link or load, or the oracle timed out or said 125
};

std::string_view to_string(Outcome outcome);
// Returns the outcome named by `text`, or nothing when it names none.
std::optional<Outcome> parse_outcome(std::string_view text);

// Why a trial is `unresolved`, set by the code that knew (the oracle, link_and_judge, the rebuild,
// the splice) and stored by value with the trial, so that nobody reads it back out of a log line.
enum class UnresolvedReason {
  none,                    // the trial was judged: pass or fail
  compile_failed,          // a culprit did not compile with the trial's options
  link_failed,             // the link command failed or timed out
  objects_rebuilt,         // the link command recompiled placed objects instead of relinking them
  splice_failed,           // the functions could not be spliced into one object
  oracle_timeout,          // the oracle timed out and [oracle] on_timeout is "unresolved"
  oracle_said_unresolved,  // the oracle said so: exit 125, or QEMU ended with no verdict line matched
  oracle_error,            // the oracle could not judge: it did not start, exit 126/127, its shell was
                           // killed by a signal, a file QEMU needs is missing
  executor_lost,           // the executor lost the trial, not the mix: a cluster job was cancelled,
                           // preempted or lost with its node (bisector/executor.hpp)
  interrupted,             // Ctrl-C / SIGTERM stopped the trial
  unknown,                 // recorded before reasons were stored, or by a producer that did not say
};

// The reason's name as the store, `ccbisect log` and the JSON outputs show it ("link-failed").
std::string_view to_string(UnresolvedReason reason);
// Returns the reason named by `text`; a name it does not know gives UnresolvedReason::unknown.
UnresolvedReason parse_unresolved_reason(std::string_view text);

}  // namespace ccbisect
