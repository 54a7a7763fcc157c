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

}  // namespace ccbisect
