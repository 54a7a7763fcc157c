// Outcome names as they appear in the store, the JSON output and progress lines.
#include "bisector/outcome.hpp"

namespace ccbisect {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "pass";
    case Outcome::fail:
      return "fail";
    case Outcome::unresolved:
      return "unresolved";
  }
  return "unresolved";
}

std::optional<Outcome> parse_outcome(std::string_view text) {
  if (text == "pass") {
    return Outcome::pass;
  }
  if (text == "fail") {
    return Outcome::fail;
  }
  if (text == "unresolved") {
    return Outcome::unresolved;
  }
  return std::nullopt;
}

}  // namespace ccbisect
