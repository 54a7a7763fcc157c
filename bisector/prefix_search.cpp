// Binary search over prefixes with unresolved-aware probing; see prefix_search.hpp.
#include "bisector/prefix_search.hpp"

#include <numeric>

#include <fmt/format.h>

namespace ccbisect {

Subset prefix(std::size_t k) {
  Subset subset(k);
  std::iota(subset.begin(), subset.end(), 0);
  return subset;
}

PrefixResult search_prefix(Prober& prober) {
  PrefixResult result;
  const std::size_t n = prober.item_count();
  prober.prefetch({prefix(0), prefix(n)});
  Outcome none = prober.outcome(prefix(0));
  Outcome all = prober.outcome(prefix(n));
  if (none != Outcome::pass || all != Outcome::fail) {
    result.status = SearchStatus::not_reproducible;
    result.message = fmt::format("with no step allowed: {}, with all {} allowed: {} (expected pass and fail)",
                                 to_string(none), n, to_string(all));
    return result;
  }
  std::size_t lo = 0;  // passes
  std::size_t hi = n;  // fails
  while (hi - lo > 1) {
    std::size_t mid = lo + (hi - lo) / 2;
    int steps = 0;
    for (std::size_t width = hi - lo; width > 1; width /= 2) {
      ++steps;
    }
    prober.set_steps_left(steps);
    // Try mid, then its neighbours outward, until one k in (lo, hi) resolves.
    std::optional<std::pair<std::size_t, Outcome>> decided;
    for (std::size_t distance = 0; !decided && distance < hi - lo; ++distance) {
      for (std::size_t k : {mid + distance, mid - distance}) {
        if (k <= lo || k >= hi || (distance == 0 && k != mid)) {
          continue;
        }
        Outcome verdict = prober.outcome(prefix(k));
        if (verdict != Outcome::unresolved) {
          decided = {k, verdict};
          break;
        }
      }
    }
    if (!decided) {
      result.message = fmt::format(
          "every limit between {} and {} was unresolved; the culprit step is one of "
          "{}..{}",
          lo, hi, lo + 1, hi);
      result.last_passing = lo;
      result.first_failing = hi;
      return result;
    }
    (decided->second == Outcome::fail ? hi : lo) = decided->first;
  }
  result.first_failing = hi;
  result.last_passing = lo;
  prober.set_steps_left(0);
  if (prober.rerun(prefix(hi)) != Outcome::fail) {
    result.message = "the answer did not fail when run again: the oracle is not deterministic (flaky)";
    return result;
  }
  result.status = SearchStatus::found;
  result.message = fmt::format("step {} is the first whose enabling makes it fail", hi);
  return result;
}

}  // namespace ccbisect
