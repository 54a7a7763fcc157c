// Formats one progress line per trial; kept apart so the engine and tests agree on its shape.
#include "bisector/progress.hpp"

#include <fmt/format.h>

namespace ccbisect {

std::string format_progress(const std::string& level, std::size_t from_bad, std::size_t item_count,
                            Outcome outcome, bool cached, int steps_left) {
  std::string line =
      fmt::format("[{}] {} of {} from bad \u2192 {}", level, from_bad, item_count, to_string(outcome));
  if (cached) {
    line += " (recorded)";
  }
  if (steps_left >= 0) {
    line += fmt::format(" \u00b7 ~{} steps left", steps_left);
  }
  return line;
}

}  // namespace ccbisect
