// Range encoding of subsets for the store and reports; see subset_text.hpp.
#include "bisector/subset_text.hpp"

#include <charconv>
#include <cstdint>

#include <fmt/format.h>

namespace ccbisect {

std::string encode_ranges(const Subset& subset) {
  std::string out;
  std::size_t i = 0;
  while (i < subset.size()) {
    std::size_t j = i;
    while (j + 1 < subset.size() && subset[j + 1] == subset[j] + 1) {
      ++j;
    }
    if (!out.empty()) {
      out += ',';
    }
    out += j == i ? fmt::format("{}", subset[i]) : fmt::format("{}-{}", subset[i], subset[j]);
    i = j + 1;
  }
  return out;
}

std::optional<Subset> decode_ranges(std::string_view text) {
  Subset subset;
  auto number = [](std::string_view digits) -> std::optional<std::size_t> {
    std::size_t value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
      return std::nullopt;
    }
    return value;
  };
  bool more = !text.empty();
  while (more) {
    std::size_t comma = text.find(',');
    std::string_view piece = text.substr(0, comma);
    more = comma != std::string_view::npos;  // a trailing comma leaves an empty piece: rejected below
    text = more ? text.substr(comma + 1) : std::string_view{};
    std::size_t dash = piece.find('-');
    auto first = number(piece.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : number(piece.substr(dash + 1));
    // The largest index would wrap the loop below, and a range longer than any item list we
    // could hold is not ours: both are malformed, not a reason to allocate without end.
    constexpr std::size_t k_max_items = std::size_t{1} << 32;
    if (!first || !last || *last < *first || *last == SIZE_MAX ||
        *last - *first >= k_max_items - subset.size() || (!subset.empty() && *first <= subset.back())) {
      return std::nullopt;
    }
    for (std::size_t value = *first; value <= *last; ++value) {
      subset.push_back(value);
    }
  }
  return subset;
}

}  // namespace ccbisect
