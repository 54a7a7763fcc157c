// Progress lines on stderr, in the manner of git bisect:
//   [objects] 37 of 512 from bad → fail · ~6 steps left
#pragma once

#include <cstddef>
#include <string>

#include "bisector/outcome.hpp"

namespace ccbisect {

// `steps_left` < 0 leaves the estimate out; `cached` marks an answer replayed from the store.
std::string format_progress(const std::string& level, std::size_t from_bad, std::size_t item_count,
                            Outcome outcome, bool cached, int steps_left);

}  // namespace ccbisect
