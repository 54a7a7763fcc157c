// The delta-debugging engine: generic over items (objects, functions, flags, passes).
//
// A trial takes a Subset of items from the bad side and the rest from the good side; its outcome is
// pass, fail or unresolved. The engine:
//
// 1. Sanity: all-good (the empty subset) must pass and all-bad (every item) must fail, else the
//    result is `not_reproducible` and nothing is searched.
// 2. Group testing (independent culprits: a mix fails iff it holds at least one culprit). Hwang's
//    generalized binary splitting: test a group of 2^a unknown items, a = floor(log2((m - d + 1) / d))
//    for m unknown items and an estimate d of the culprits among them (d starts at 1 and then follows
//    the density observed so far); a failing group is binary-searched down to one culprit, and the
//    halves it did not need go back to the unknown pool. One culprit costs ceil(log2 N) trials;
//    k culprits cost near log2 C(N, k) + O(k). After the first culprit, and whenever the estimate
//    says none remain, one trial "everything but the culprits from bad" checks that the rest is clean.
// 3. Certification: the answer K must fail on its own (K from bad), and all-but-K from bad must pass.
//    If K does not fail alone, the culprits interact, and (strategy `automatic`) the engine runs
// 4. ddmin (Zeller & Hildebrandt 2002) from the full set, which returns a 1-minimal failing subset:
//    removing any single item from it makes it stop failing. Cost: O(k^2 log N) for k interacting
//    items in the worst case, typically far less; every configuration runs at most once (Prober).
//
// Unresolved outcomes: an item is never blamed on an unresolved trial. Group testing splits an
// unresolved group finer and tries again; a culprit is inferred only from a failing superset plus
// passing siblings. Items that stay unresolved down to single items are reported as `undetermined`.
// ddmin treats unresolved as "not failing" (sound: it never reduces on it) and reports whether
// 1-minimality was actually proven. When the answer cannot be certified the result is
// `inconclusive`, never a guess.
#pragma once

#include <string>
#include <vector>

#include "bisector/prober.hpp"

namespace ccbisect {

enum class Strategy {
  automatic,      // group testing, then ddmin if the answer does not reproduce on its own
  group_testing,  // independent culprits only
  ddmin,          // interacting culprits: a 1-minimal failing subset
};

enum class SearchStatus {
  found,             // `culprits` is certified: it fails on its own
  not_reproducible,  // sanity failed: all-good did not pass or all-bad did not fail
  inconclusive,      // no sound answer; `message` says why
};

struct SearchOptions {
  Strategy strategy = Strategy::automatic;
};

struct SearchResult {
  SearchStatus status = SearchStatus::inconclusive;
  std::vector<std::size_t> culprits;      // item indices, ascending
  std::vector<std::size_t> undetermined;  // items no trial could resolve
  std::string method;                     // "group-testing" or "ddmin"
  bool complete = false;                  // all-but-culprits from bad passes: nothing else is needed to fail
  bool minimal_proven = false;            // every single-item removal was seen to pass (ddmin) or k = 1
  Outcome all_good = Outcome::unresolved;
  Outcome all_bad = Outcome::unresolved;
  std::string message;  // one sentence for the user
};

// Runs the whole method (sanity, search, certification) over `prober.item_count()` items.
SearchResult search(Prober& prober, const SearchOptions& options);

std::string_view to_string(SearchStatus status);
std::string_view to_string(Strategy strategy);
std::optional<Strategy> parse_strategy(std::string_view text);

}  // namespace ccbisect
