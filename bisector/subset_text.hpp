// Compact text for a Subset: ascending indices as ranges, "0-499,750,800-999". Group testing asks
// mostly about contiguous ranges, so this stays short even for 30,000 items, which keeps the
// per-trial cost of the store small; "" is the empty subset.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bisector/trial.hpp"

namespace ccbisect {

std::string encode_ranges(const Subset& subset);
// Returns the subset, or nothing when `text` is not of that form.
std::optional<Subset> decode_ranges(std::string_view text);

}  // namespace ccbisect
