// Outcome and unresolved-reason names as they appear in the store, the JSON output and progress
// lines.
#include "bisector/outcome.hpp"

#include <array>
#include <utility>

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

namespace {
// Each reason's name, written once: to_string and parse_unresolved_reason both read this table.
constexpr std::array k_reason_names{
    std::pair{UnresolvedReason::none, std::string_view{"none"}},
    std::pair{UnresolvedReason::compile_failed, std::string_view{"compile-failed"}},
    std::pair{UnresolvedReason::link_failed, std::string_view{"link-failed"}},
    std::pair{UnresolvedReason::objects_rebuilt, std::string_view{"objects-rebuilt"}},
    std::pair{UnresolvedReason::splice_failed, std::string_view{"splice-failed"}},
    std::pair{UnresolvedReason::oracle_timeout, std::string_view{"oracle-timeout"}},
    std::pair{UnresolvedReason::oracle_said_unresolved, std::string_view{"oracle-said-unresolved"}},
    std::pair{UnresolvedReason::oracle_error, std::string_view{"oracle-error"}},
    std::pair{UnresolvedReason::executor_lost, std::string_view{"executor-lost"}},
    std::pair{UnresolvedReason::interrupted, std::string_view{"interrupted"}},
    std::pair{UnresolvedReason::unknown, std::string_view{"unknown"}},
};
}  // namespace

std::string_view to_string(UnresolvedReason reason) {
  for (const auto& [value, name] : k_reason_names) {
    if (value == reason) {
      return name;
    }
  }
  return "unknown";
}

UnresolvedReason parse_unresolved_reason(std::string_view text) {
  for (const auto& [value, name] : k_reason_names) {
    if (name == text) {
      return value;
    }
  }
  return UnresolvedReason::unknown;
}

}  // namespace ccbisect
