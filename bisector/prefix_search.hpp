// Prefix search: the first k such that allowing the first k steps fails, where allowing none passes
// and allowing all fails. For Clang's -opt-bisect-limit=k (the first k optimization passes run) and
// GCC's -fdbg-cnt=counter:k (the first k transformations of one kind happen).
//
// The subsets the Prober sees are prefixes {0..k-1}, so the same cache, store, progress and resume
// apply as for any level. Cost: ceil(log2 N) trials plus the two bounds plus one confirming re-run.
// An unresolved k (e.g. the compiler crashes with that limit) is never used to decide: the search
// asks the nearest other k inside the open interval instead, and if every k there is unresolved it
// ends inconclusive, naming the interval.
#pragma once

#include <cstddef>
#include <string>

#include "bisector/engine.hpp"
#include "bisector/prober.hpp"

namespace ccbisect {

struct PrefixResult {
  SearchStatus status = SearchStatus::inconclusive;
  std::size_t first_failing = 0;  // 1-based: the k-th step is the culprit (valid when found)
  std::size_t last_passing = 0;   // the largest k seen passing below it
  std::string message;
};

// Searches k in [0, prober.item_count()].
PrefixResult search_prefix(Prober& prober);

// The subset that stands for "the first k steps allowed".
Subset prefix(std::size_t k);

}  // namespace ccbisect
