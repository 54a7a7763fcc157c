// The delta-debugging engine: generic over items (objects, functions, flags, passes).
//
// A trial takes a Subset of items from the bad side and the rest from the good side; its outcome is
// pass, fail or unresolved. The engine:
//
// 1. Sanity: all-good (the empty subset) must pass and all-bad (every item) must fail, else the
//    result is `not_reproducible` and nothing is searched. With the adaptive policy an unexpected
//    sanity answer is asked again (majority of up to `sanity_asks`) before it is believed, and up to
//    2 sanity_asks + 1 times when the oracle answered it both ways on the way, so one flipped answer
//    does not end the search; an expected one costs nothing more.
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
//    items in the worst case, typically far less; every configuration runs once unless the noise
//    policy asks it again (Prober).
// 5. Noise policy (`adaptive`, on by default; in the spirit of ktest.pl's BISECT_TRIES and
//    probabilistic delta debugging). The Prober keeps every answer as a vote and the search runs on
//    majorities; decisions use only the configurations the search asked for, never answers that
//    only a speculative prefetch got, so -j N decides as -j 1 does.
//    Group testing asks each culprit alone as soon as it is found (the certification's own trial,
//    earlier); when it passes, group testing stops there instead of going on from what may be a
//    flipped turn. Before an answer is returned, every configuration asked is checked against what
//    the answer predicts (group testing: a mix holding a culprit fails and, when complete, a mix
//    holding no culprit and no undetermined item passes; ddmin, by monotonicity: a superset of K
//    fails, a proper subset of a 1-minimal K passes, a mix disjoint from a complete K passes).
//    A configuration that contradicts it, or whose votes are tied, is asked again up to
//    `max(3, repeat)` times (majority, sequential stop), and up to 5 if three do not outvote it.
//    A culprit that does not fail alone is asked again, and so are the failing configuration it was
//    inferred from and the passing ones that cover it (largest first), before the engine concludes
//    that the culprits interact (ddmin reached over a flaky oracle gets a budget of
//    8 ceil(log2 N) + 32 runs). Whenever a re-ask changes a majority the search restarts over the
//    memo, at most `max_restarts` times.
//    Once the oracle has contradicted itself (a sanity re-ask included), independent culprits are
//    searched by noisy bisection (noisy_search.hpp): a posterior over the position of the first
//    culprit in the prefix order, built from every vote so far, the prefix at its median asked
//    next, each culprit accepted once the posterior holds 0.995 of its mass and it fails alone by
//    two more answers than not, the search over when "everything but the culprits" passes the same
//    way and every configuration asked agrees with the answer by majority. Where that does not
//    apply (strategy `ddmin`, or `noisy_bisection` off) every new configuration is asked until two
//    answers agree and each certificate must rest on two agreeing votes. A contradiction that
//    survives its re-asks makes the result `inconclusive` and is listed in `contradictions`.
//    The confirming re-run of a group-testing answer re-runs "everything but K" when K is one
//    culprit and complete (a wrong culprit and a missed one both make it fail), otherwise the
//    weakest culprit alone (the one with the fewest failing trials that hold no other culprit).
//    Cost: a clean oracle that reproduces never contradicts an answer, so independent searches
//    spend exactly what they did without the policy. A culprit that fails in a group but not alone
//    (an interaction, or a flip) costs the re-asks of its covering configurations (about
//    log2 N + 2) before ddmin, and an unexpected sanity answer costs one or two more runs: nothing
//    tells those apart from a flip without asking again. Over random flips, noisy bisection spends
//    about log2(N) / (1 - H(p)) asks per culprit plus its certificates (bench/RESULTS.md: 2.3x the
//    noiseless runs at 10% flips). `repeat` = N asks every configuration up to N times from the
//    start (majority, stopping once decided), for oracles known to be noisy.
//    Limits: nothing changes before the oracle has contradicted itself, so a wrong culprit still
//    needs only flips that agree with each other and no trial against them (a passing group
//    answered fail, then the item alone answered fail, then its re-run); a flipped "the rest
//    passes" in a many-culprit answer, never contradicted, stops the search early (a partial
//    answer); and two flipped sanity answers in a row end it as not reproducible, at the 3 runs a
//    clean oracle that does not reproduce costs.
//
// Unresolved outcomes: an item is never blamed on an unresolved trial. Group testing splits an
// unresolved group finer and tries again; a culprit is inferred only from a failing superset plus
// passing siblings. Items that stay unresolved down to single items are reported as `undetermined`.
// ddmin treats unresolved as "not failing" (sound: it never reduces on it) and reports whether
// 1-minimality was actually proven. Unresolved votes never count as contradictions. When the
// answer cannot be certified the result is `inconclusive`, never a guess.
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
  std::size_t repeat = 1;        // asks of each new configuration: majority of up to N, sequential stop
  bool adaptive = true;          // re-ask contradicted answers and unexpected sanity answers (step 5)
  std::size_t sanity_asks = 3;   // asks of an unexpected all-good/all-bad answer before believing it
  std::size_t max_restarts = 8;  // searches over the corrected memo before giving up (inconclusive)
  // Once the oracle has contradicted itself, search independent culprits by noisy bisection
  // (noisy_search.hpp) instead of group testing with every configuration asked until two agree.
  bool noisy_bisection = true;
};

// A configuration whose answers disagree with each other or with the answer returned.
struct Contradiction {
  Subset subset;     // the items from bad
  std::string text;  // `subset` as ranges ("3-17,40"), for messages
  Votes votes;       // every answer it got
  Outcome majority = Outcome::unresolved;
  bool against_answer = false;  // its majority contradicts what the answer predicts for it
};

// The observations behind one culprit: "fails alone" (and, for ddmin, "passes without it") and
// "the rest passes", as agreeing and disagreeing votes.
struct CulpritConfidence {
  std::size_t item = 0;
  std::size_t agreeing = 0;
  std::size_t disagreeing = 0;
  double score = 0.0;  // agreeing / (agreeing + disagreeing)
  std::string word;    // "high" (>= 2 agreeing, none against), "medium" (1, none against), "low"
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
  std::string message;                        // one sentence for the user
  std::vector<CulpritConfidence> confidence;  // one per culprit, same order (found only)
  std::vector<Contradiction> contradictions;  // configurations the oracle contradicted itself on
  std::size_t restarts = 0;                   // searches restarted over a corrected memo
  // How many contradictions were seen; non-zero means "the oracle looks flaky: N contradictions".
  std::size_t contradiction_count() const { return contradictions.size(); }
};

// Runs the whole method (sanity, search, certification) over `prober.item_count()` items.
SearchResult search(Prober& prober, const SearchOptions& options);

std::string_view to_string(SearchStatus status);
std::string_view to_string(Strategy strategy);
std::optional<Strategy> parse_strategy(std::string_view text);

}  // namespace ccbisect
