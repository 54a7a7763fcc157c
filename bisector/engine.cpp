// The engine: sanity check, group testing, certification and ddmin. See engine.hpp for the
// algorithms, their costs and their invariants; this file keeps to them.
#include "bisector/engine.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <numeric>
#include <optional>
#include <set>

#include "bisector/noisy_search.hpp"
#include "bisector/subset_text.hpp"

namespace ccbisect {
namespace {

using Items = std::vector<std::size_t>;

Subset sorted(Items items) {
  std::sort(items.begin(), items.end());
  return items;
}

Items all_items(std::size_t count) {
  Items items(count);
  std::iota(items.begin(), items.end(), 0);
  return items;
}

Items minus(const Items& from, const Items& removed) {
  Items sorted_removed = sorted(removed);
  Items rest;
  for (std::size_t item : from) {
    if (!std::binary_search(sorted_removed.begin(), sorted_removed.end(), item)) {
      rest.push_back(item);
    }
  }
  return rest;
}

// Splits `items` into `parts` nearly equal, contiguous, non-empty pieces.
std::vector<Items> split(const Items& items, std::size_t parts) {
  parts = std::max<std::size_t>(1, std::min(parts, items.size()));
  std::vector<Items> pieces;
  std::size_t start = 0;
  for (std::size_t i = 0; i < parts; ++i) {
    std::size_t end = start + (items.size() - start) / (parts - i);
    pieces.emplace_back(items.begin() + static_cast<long>(start), items.begin() + static_cast<long>(end));
    start = end;
  }
  return pieces;
}

int ceil_log2(std::size_t n) {
  int bits = 0;
  while ((std::size_t{1} << bits) < n) {
    ++bits;
  }
  return bits;
}

// The trials a binary search inside `region` (known to fail) would ask next, breadth first, to keep
// -j N busy. Where an answer is already known the walk follows it (a failing first half is where the
// search goes; a passing one sends it to the second half), so each wave reaches deeper levels.
std::vector<Subset> speculative_halves(Prober& prober, const Items& region, std::size_t wanted) {
  std::vector<Subset> out;
  std::deque<Items> queue{region};
  while (!queue.empty() && out.size() < wanted) {
    Items current = queue.front();
    queue.pop_front();
    if (current.size() < 2) {
      continue;
    }
    std::vector<Items> halves = split(current, 2);
    Subset first = sorted(halves[0]);
    auto known = prober.result(first);
    if (!known) {
      out.push_back(first);
      queue.push_back(halves[0]);
      queue.push_back(halves[1]);
    } else if (known->outcome == Outcome::fail) {
      queue.push_front(halves[0]);
    } else if (known->outcome == Outcome::pass) {
      queue.push_front(halves[1]);
    }
  }
  return out;
}

// Group testing over independent culprits (see engine.hpp).
class GroupTesting {
 public:
  GroupTesting(Prober& prober, bool check_alone)
      : m_prober(prober), m_all(all_items(prober.item_count())), m_check_alone(check_alone) {}

  void run() {
    Items unknown = m_all;
    bool unknown_fails = true;  // sanity showed all-bad fails and nothing is cleared yet
    bool checked_after_first = false;
    std::size_t group_cap = unknown.size();
    while (!unknown.empty()) {
      std::size_t estimate = estimate_remaining(unknown.size());
      bool want_check = estimate == 0 || (m_culprits.size() == 1 && !checked_after_first);
      if (!unknown_fails && want_check) {
        checked_after_first = true;
        Outcome rest = rest_outcome(unknown);
        if (rest == Outcome::pass) {
          m_cleared += unknown.size();
          unknown.clear();
          break;
        }
        unknown_fails = rest == Outcome::fail;
      }
      std::size_t d = std::max<std::size_t>(1, estimate);
      std::size_t m = unknown.size();
      std::size_t group = 1;
      if (m > 2 * d - 2) {
        double ratio = static_cast<double>(m - d + 1) / static_cast<double>(d);
        group = std::size_t{1} << static_cast<int>(std::floor(std::log2(ratio)));
      }
      group = std::max<std::size_t>(1, std::min({group, m, group_cap}));
      Items candidates(unknown.begin(), unknown.begin() + static_cast<long>(group));
      Items others(unknown.begin() + static_cast<long>(group), unknown.end());

      Outcome verdict = Outcome::fail;
      if (group < m || !unknown_fails) {
        m_prober.set_steps_left(ceil_log2(m) + 1);  // one culprit's worth, plus the certificate
        std::vector<Subset> ahead{sorted(candidates)};
        for (Subset& next : speculative_halves(m_prober, candidates, m_prober.jobs())) {
          ahead.push_back(std::move(next));
        }
        m_prober.prefetch(ahead);
        verdict = m_prober.outcome(sorted(candidates));
      }
      if (verdict == Outcome::pass) {
        m_cleared += candidates.size();
        unknown = others;
        group_cap = std::max<std::size_t>(group_cap, unknown.size());
        continue;
      }
      if (verdict == Outcome::unresolved) {
        if (candidates.size() == 1) {
          m_undetermined.push_back(candidates[0]);
          unknown = others;
          // The culprit that made the pool fail may be the item just set aside: the rest must be
          // asked again, never inferred to fail.
          unknown_fails = false;
        } else {
          group_cap = std::max<std::size_t>(1, candidates.size() / 2);  // split differently, go on
        }
        continue;
      }
      group_cap = unknown.size();
      m_spent += candidates.size();
      Items returned;
      std::optional<std::size_t> culprit = narrow(candidates, returned);
      unknown = returned;
      unknown.insert(unknown.end(), others.begin(), others.end());
      if (culprit) {
        m_culprits.push_back(*culprit);
        unknown_fails = false;
        // The noise policy asks a found culprit alone at once rather than at certification (the
        // same trial, earlier): if it passes, an answer was flipped or the culprits interact, and
        // the search stops here instead of going on from a wrong turn; the review decides.
        if (m_check_alone && m_prober.outcome(Subset{*culprit}) == Outcome::pass) {
          return;
        }
      } else {
        // The failing group's items were all unresolved; what is left is unknown again.
        unknown_fails = false;
      }
    }
  }

  Items culprits() const { return sorted(m_culprits); }
  Items undetermined() const { return sorted(m_undetermined); }

 private:
  // Remaining culprits expected among `unknown` items, from the density seen so far. Items "seen"
  // are those cleared plus the culprits, but at least half the size of the failing groups the
  // culprits were found in: a culprit found through failures alone clears nothing, and without
  // that floor the estimate would jump to "everything is a culprit" and test single items.
  std::size_t estimate_remaining(std::size_t unknown) const {
    if (m_culprits.empty()) {
      return 1;
    }
    double seen = static_cast<double>(std::max(m_cleared + m_culprits.size(), m_spent / 2));
    return static_cast<std::size_t>(
        std::lround(static_cast<double>(m_culprits.size()) * static_cast<double>(unknown) / seen));
  }

  // "Is anything among `unknown` a culprit?" Asked as all-but-culprits from bad when no item is
  // undetermined (that configuration is also the completeness certificate), else as `unknown` alone.
  Outcome rest_outcome(const Items& unknown) {
    m_prober.set_steps_left(ceil_log2(unknown.size()));
    if (m_undetermined.empty()) {
      return m_prober.outcome(sorted(minus(m_all, m_culprits)));
    }
    return m_prober.outcome(sorted(unknown));
  }

  // Finds one culprit in `region`, which is known to fail. Parts of the region that were neither
  // cleared nor needed are appended to `returned`. Returns nothing when every remaining item of the
  // region is unresolved (they become undetermined).
  std::optional<std::size_t> narrow(Items region, Items& returned) {
    std::size_t parts = 2;
    while (region.size() > 1) {
      std::vector<Items> pieces = split(region, parts);
      m_prober.set_steps_left(ceil_log2(region.size()));
      m_prober.prefetch(speculative_halves(m_prober, region, m_prober.jobs()));
      std::optional<std::size_t> failing;
      std::vector<std::size_t> unresolved;
      bool all_before_passed = true;
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        bool last = i + 1 == pieces.size();
        if (last && all_before_passed) {
          failing = i;  // the region fails and every other piece passed: the culprit is here
          break;
        }
        Outcome verdict = m_prober.outcome(sorted(pieces[i]));
        if (verdict == Outcome::fail) {
          failing = i;
          break;
        }
        if (verdict == Outcome::pass) {
          m_cleared += pieces[i].size();
        } else {
          unresolved.push_back(i);
          all_before_passed = false;
        }
      }
      if (failing) {
        // Pieces after the failing one were never asked; unresolved pieces stay unknown.
        for (std::size_t i = 0; i < pieces.size(); ++i) {
          bool untested = i > *failing;
          bool was_unresolved = std::find(unresolved.begin(), unresolved.end(), i) != unresolved.end();
          if (i != *failing && (untested || was_unresolved)) {
            returned.insert(returned.end(), pieces[i].begin(), pieces[i].end());
          }
        }
        region = pieces[*failing];
        parts = 2;
        continue;
      }
      // No piece failed: the culprit is among the unresolved pieces (the region fails, the others
      // pass). Never blame on that alone: keep only those pieces and split them finer.
      Items rest;
      bool all_single = true;
      for (std::size_t i : unresolved) {
        rest.insert(rest.end(), pieces[i].begin(), pieces[i].end());
        all_single = all_single && pieces[i].size() == 1;
      }
      if (unresolved.size() == 1) {
        region = rest;
        parts = 2;
        continue;
      }
      if (all_single) {
        m_undetermined.insert(m_undetermined.end(), rest.begin(), rest.end());
        return std::nullopt;
      }
      region = rest;
      parts = std::min(region.size(), parts * 2);
    }
    return region.front();
  }

  Prober& m_prober;
  Items m_all;
  bool m_check_alone = false;  // ask each culprit alone as soon as it is found
  Items m_culprits;
  Items m_undetermined;
  std::size_t m_cleared = 0;
  std::size_t m_spent = 0;  // total size of the failing groups that were narrowed to a culprit
};

struct DdminResult {
  Items failing;
  bool minimal_proven = false;
  bool gave_up = false;  // stopped by `give_up`
};

// ddmin from `start` (which fails). Unresolved counts as "not failing". `give_up` is asked before
// each round; when it says so, ddmin stops where it is.
DdminResult ddmin(Prober& prober, Items start, const std::function<bool()>& give_up) {
  Items current = sorted(std::move(start));
  std::size_t granularity = 2;
  bool proven = current.size() <= 1;
  while (current.size() >= 2) {
    if (give_up && give_up()) {
      return {current, false, true};
    }
    std::vector<Items> chunks = split(current, granularity);
    std::vector<Subset> complements;
    for (const Items& chunk : chunks) {
      complements.push_back(sorted(minus(current, chunk)));
    }
    prober.set_steps_left(static_cast<int>(chunks.size() + complements.size()));
    std::vector<Subset> ahead(chunks.begin(), chunks.end());
    if (chunks.size() > 2) {
      ahead.insert(ahead.end(), complements.begin(), complements.end());
    }
    prober.prefetch(ahead);

    bool reduced = false;
    for (const Items& chunk : chunks) {
      if (prober.outcome(sorted(chunk)) == Outcome::fail) {
        current = chunk;
        granularity = 2;
        reduced = true;
        break;
      }
    }
    bool any_unresolved = false;
    if (!reduced && chunks.size() > 2) {
      for (const Subset& complement : complements) {
        Outcome verdict = prober.outcome(complement);
        if (verdict == Outcome::fail) {
          current = complement;
          granularity = std::max<std::size_t>(granularity - 1, 2);
          reduced = true;
          break;
        }
        any_unresolved = any_unresolved || verdict == Outcome::unresolved;
      }
    } else if (!reduced) {
      for (const Items& chunk : chunks) {
        any_unresolved = any_unresolved || prober.outcome(sorted(chunk)) == Outcome::unresolved;
      }
    }
    if (reduced) {
      continue;
    }
    if (granularity >= current.size()) {
      // Every single-item removal was tried; it is 1-minimal if none of them was unresolved.
      proven = !any_unresolved;
      break;
    }
    granularity = std::min(current.size(), granularity * 2);
  }
  return {current, proven, false};
}

// The culprit with the fewest fail votes over the recorded configurations that hold it and no other
// culprit (the lowest index on a tie).
std::size_t weakest_culprit(Prober& prober, const Items& culprits) {
  std::vector<std::size_t> support(culprits.size(), 0);
  prober.for_each_consulted([&](const Subset& subset, const Votes& votes) {
    std::optional<std::size_t> only;
    for (std::size_t i = 0; i < culprits.size(); ++i) {
      if (std::binary_search(subset.begin(), subset.end(), culprits[i])) {
        if (only) {
          return;
        }
        only = i;
      }
    }
    if (only) {
      support[*only] += votes.fail;
    }
  });
  std::size_t weakest = 0;
  for (std::size_t i = 1; i < culprits.size(); ++i) {
    if (support[i] < support[weakest]) {
      weakest = i;
    }
  }
  return culprits[weakest];
}

bool oracle_disagreed(Prober& prober);

// What one pass of the search needs to know about the noise policy.
struct Pass {
  bool adaptive = false;
  bool fallback_allowed = true;  // may group testing fall back to ddmin on a culprit that passes alone
  std::set<Subset>* confirmed = nullptr;  // answers already re-run by an earlier pass
  Items refuted;                          // out: culprits that did not fail alone (fallback not allowed)
};

// Runs the answer once more, outside the cache: an oracle that answers the same configuration two
// ways cannot support any answer, so the result becomes inconclusive. With the adaptive policy the
// disagreement is left to the review, which asks again and restarts; each answer is re-run once.
SearchResult confirm_by_rerun(Prober& prober, SearchResult result, Pass& pass) {
  prober.set_steps_left(0);
  if (result.status != SearchStatus::found) {
    return result;
  }
  if (pass.adaptive) {
    // Group testing re-runs the culprit whose "fails on its own" rests on the fewest failing trials
    // (for one culprit that is the answer itself): a culprit inferred from one flipped failing group
    // and certified by one flipped answer has exactly two, where a real one usually has more.
    Subset target = result.method == "group-testing" ? Subset{weakest_culprit(prober, result.culprits)}
                                                     : sorted(result.culprits);
    if (result.method == "group-testing" && result.complete && result.culprits.size() == 1) {
      target = sorted(minus(all_items(prober.item_count()), result.culprits));
    }
    if (pass.confirmed->insert(target).second) {
      prober.rerun(target);
    }
    return result;
  }
  if (prober.rerun(result.culprits) != Outcome::fail) {
    result.status = SearchStatus::inconclusive;
    result.message = "the answer did not fail when run again: the oracle is not deterministic (flaky)";
  }
  return result;
}

SearchResult certified_ddmin(Prober& prober, SearchResult result, Pass& pass) {
  // Over a flaky oracle ddmin can wander for hundreds of runs: once the oracle has contradicted
  // itself, it gets a budget of 8 ceil(log2 N) + 32 runs (a clean oracle never meets it).
  std::size_t start_runs = prober.counters().run;
  std::size_t budget = 8 * static_cast<std::size_t>(ceil_log2(prober.item_count())) + 32;
  std::function<bool()> give_up;
  if (pass.adaptive) {
    give_up = [&] { return prober.counters().run - start_runs > budget && oracle_disagreed(prober); };
  }
  DdminResult reduced = ddmin(prober, all_items(prober.item_count()), give_up);
  if (reduced.gave_up) {
    result.method = "ddmin";
    result.status = SearchStatus::inconclusive;
    result.culprits.clear();
    result.undetermined.clear();
    result.message = "ddmin gave up after " + std::to_string(budget) +
                     " runs: the oracle contradicts itself too often to reduce the failing set";
    return result;
  }
  result.method = "ddmin";
  result.culprits = reduced.failing;
  result.minimal_proven = reduced.minimal_proven;
  result.complete = false;
  result.undetermined.clear();
  // ddmin only ever keeps configurations that failed, so the answer is observed failing; confirm it
  // from the record (re-running a recorded configuration would be the same answer).
  Outcome confirmed = prober.outcome(sorted(reduced.failing));
  if (confirmed != Outcome::fail) {
    result.status = SearchStatus::inconclusive;
    result.message = "ddmin's answer did not fail when confirmed; the oracle is not deterministic";
    return result;
  }
  if (reduced.failing.size() == prober.item_count() && !reduced.minimal_proven) {
    // Not one item could be removed, and removals were unresolved: "all of bad fails" is what the
    // sanity check already showed, not an answer.
    result.status = SearchStatus::inconclusive;
    result.culprits.clear();
    result.message =
        "ddmin could not remove a single item: the smaller configurations were unresolved, so no "
        "culprit can be named";
    return result;
  }
  Items rest = minus(all_items(prober.item_count()), reduced.failing);
  result.complete = prober.outcome(sorted(rest)) == Outcome::pass;
  result.status = SearchStatus::found;
  result.message = reduced.minimal_proven
                       ? "1-minimal failing set: taking any one of these from good makes it pass"
                       : "failing set found, but some single-item removals were unresolved, so "
                         "1-minimality is not proven";
  return confirm_by_rerun(prober, result, pass);
}

// One pass of noisy bisection (noisy_search.hpp) once the oracle has contradicted itself: every new
// configuration is asked once (or `repeat` times), the posterior decides what to ask again.
SearchResult noisy_pass(Prober& prober, const SearchOptions& options, SearchResult result) {
  std::size_t repeat = prober.repeat();
  prober.set_repeat(options.repeat);
  NoisyResult noisy = noisy_group_testing(prober);
  prober.set_repeat(repeat);
  prober.set_steps_left(0);
  result.method = "group-testing";
  result.status = noisy.status;
  result.message = noisy.message;
  result.undetermined.clear();
  result.culprits.clear();
  if (noisy.status == SearchStatus::found) {
    result.culprits = noisy.culprits;
    result.complete = true;
    result.minimal_proven = true;  // each culprit alone is a failing set of one
  }
  return result;
}

// One pass of the method after the sanity check (steps 2-4 of engine.hpp), over the memo.
SearchResult search_pass(Prober& prober, const SearchOptions& options, SearchResult result, Pass& pass) {
  const std::size_t count = prober.item_count();
  if (count == 1) {
    result.status = SearchStatus::found;
    result.culprits = {0};
    result.method = "sanity";
    result.complete = true;
    result.minimal_proven = true;
    result.message = "the only differing item";
    return confirm_by_rerun(prober, result, pass);
  }

  if (options.strategy == Strategy::ddmin) {
    return certified_ddmin(prober, result, pass);
  }

  GroupTesting testing(prober, pass.adaptive);
  testing.run();
  result.method = "group-testing";
  result.culprits = testing.culprits();
  result.undetermined = testing.undetermined();

  // Certify: each culprit must fail on its own (group testing may have inferred one from a failing
  // pair and a passing sibling, which a flaky answer can fake), and all-but-culprits must pass.
  Outcome alone = result.culprits.empty() ? Outcome::pass : Outcome::fail;
  for (std::size_t culprit : result.culprits) {
    if (prober.outcome(Subset{culprit}) != Outcome::fail) {
      alone = Outcome::pass;
      if (!pass.adaptive) {
        break;
      }
      pass.refuted.push_back(culprit);
    }
  }
  if (alone != Outcome::fail && !pass.refuted.empty() && !pass.fallback_allowed) {
    result.status = SearchStatus::inconclusive;
    result.message = "a culprit did not fail on its own";
    return result;  // the review asks again before deciding that the culprits interact
  }
  pass.refuted.clear();
  if (alone != Outcome::fail) {
    if (options.strategy == Strategy::automatic) {
      return certified_ddmin(prober, result, pass);  // the culprits interact
    }
    result.status = SearchStatus::inconclusive;
    result.message = result.culprits.empty()
                         ? "no single item could be blamed; try --strategy ddmin"
                         : "the items found do not fail on their own: they interact; try --strategy ddmin";
    return result;
  }
  Outcome rest = prober.outcome(sorted(minus(all_items(count), result.culprits)));
  result.complete = rest == Outcome::pass;
  result.minimal_proven = true;  // each culprit alone is a failing set of one
  if (rest == Outcome::fail && !result.undetermined.empty()) {
    result.status = SearchStatus::inconclusive;
    result.message =
        "these items fail on their own, but the failure remains without them and the "
        "undetermined items could not be tested";
    return result;
  }
  result.status = SearchStatus::found;
  result.message = result.complete ? "each of these fails on its own; without them it passes"
                                   : "each of these fails on its own";
  return confirm_by_rerun(prober, result, pass);
}

bool intersects(const Subset& subset, const Items& items) {
  return std::any_of(items.begin(), items.end(), [&](std::size_t item) {
    return std::binary_search(subset.begin(), subset.end(), item);
  });
}

bool includes_all(const Subset& subset, const Items& items) {
  return std::includes(subset.begin(), subset.end(), items.begin(), items.end());
}

// What the answer `result` says `subset` must give, or nothing when it says nothing (engine.hpp, 5).
std::optional<Outcome> predicted(const SearchResult& result, const Subset& subset) {
  const Items& k = result.culprits;
  if (result.method == "ddmin") {
    if (includes_all(subset, k)) {
      return Outcome::fail;
    }
    if (result.minimal_proven && includes_all(k, subset)) {
      return Outcome::pass;
    }
    if (result.complete && !intersects(subset, k)) {
      return Outcome::pass;
    }
    return std::nullopt;
  }
  if (intersects(subset, k)) {
    return Outcome::fail;
  }
  if (result.complete && !intersects(subset, result.undetermined)) {
    return Outcome::pass;
  }
  return std::nullopt;
}

// The recorded configurations whose majority contradicts a found answer (unresolved majorities from
// unresolved votes alone never do; a tie does, it must be asked again).
std::vector<Subset> against_answer(Prober& prober, const SearchResult& result) {
  std::vector<Subset> against;
  if (result.status != SearchStatus::found) {
    return against;
  }
  prober.for_each_consulted([&](const Subset& subset, const Votes& votes) {
    if (votes.pass + votes.fail == 0) {
      return;
    }
    std::optional<Outcome> expected = predicted(result, subset);
    if (expected && majority(votes) != *expected) {
      against.push_back(subset);
    }
  });
  return against;
}

// Configurations whose votes are tied: their majority is unresolved until asked again.
std::vector<Subset> tied(Prober& prober) {
  std::vector<Subset> out;
  prober.for_each_consulted([&](const Subset& subset, const Votes& votes) {
    if (votes.disagree() && majority(votes) == Outcome::unresolved) {
      out.push_back(subset);
    }
  });
  return out;
}

// A culprit that passes alone was inferred from a failing configuration whose other parts passed.
// The suspects, in the order they are asked again: the culprit alone, the smallest failing
// configuration holding it, and the passing configurations inside that one which cover it.
std::vector<Subset> refutation_suspects(Prober& prober, const Items& refuted) {
  std::vector<Subset> suspects;
  for (std::size_t culprit : refuted) {
    suspects.push_back(Subset{culprit});
  }
  for (std::size_t culprit : refuted) {
    std::optional<Subset> failing;
    std::vector<Subset> passing;
    prober.for_each_consulted([&](const Subset& subset, const Votes& votes) {
      Outcome answer = majority(votes);
      if (answer == Outcome::fail && subset.size() > 1 &&
          std::binary_search(subset.begin(), subset.end(), culprit) &&
          (!failing || subset.size() < failing->size())) {
        failing = subset;
      }
      if (answer == Outcome::pass) {
        passing.push_back(subset);
      }
    });
    if (!failing) {
      continue;
    }
    std::vector<Subset> inside;
    for (Subset& subset : passing) {
      if (!subset.empty() && includes_all(*failing, subset)) {
        inside.push_back(std::move(subset));
      }
    }
    std::stable_sort(inside.begin(), inside.end(),
                     [](const Subset& a, const Subset& b) { return a.size() > b.size(); });
    std::set<std::size_t> uncovered(failing->begin(), failing->end());
    std::vector<Subset> cover;
    for (const Subset& subset : inside) {
      std::size_t before = uncovered.size();
      for (std::size_t item : subset) {
        uncovered.erase(item);
      }
      if (uncovered.size() < before) {
        cover.push_back(subset);
      }
    }
    if (uncovered.empty()) {
      suspects.push_back(*failing);
      suspects.insert(suspects.end(), cover.begin(), cover.end());
    }
  }
  return suspects;
}

// Asks each suspect again until its majority is decided, in order; stops at the first whose
// majority changes (the search must then restart). Returns whether one changed.
bool settle_until_change(Prober& prober, const std::vector<Subset>& suspects, std::size_t asks) {
  for (const Subset& subset : suspects) {
    Votes before = prober.votes(subset);
    if (before.total() > 0 && decided(before, asks)) {
      continue;
    }
    if (prober.settle(subset, asks) != majority(before)) {
      return true;
    }
  }
  return false;
}

// The contradictions to show: every configuration answered both ways, and those that contradict the
// answer returned.
std::vector<Contradiction> contradictions(Prober& prober, const std::vector<Subset>& against) {
  std::vector<Contradiction> out;
  prober.for_each_answer([&](const Subset& subset, const Votes& votes) {
    bool is_against = std::find(against.begin(), against.end(), subset) != against.end();
    if (votes.disagree() || is_against) {
      out.push_back({subset, encode_ranges(subset), votes, majority(votes), is_against});
    }
  });
  return out;
}

CulpritConfidence confidence_of(Prober& prober, const SearchResult& result, std::size_t culprit) {
  CulpritConfidence confidence;
  confidence.item = culprit;
  auto count = [&](const Subset& subset, Outcome expected) {
    Votes votes = prober.votes(subset);
    std::size_t agree = expected == Outcome::fail ? votes.fail : votes.pass;
    std::size_t disagree = expected == Outcome::fail ? votes.pass : votes.fail;
    confidence.agreeing += agree;
    confidence.disagreeing += disagree;
  };
  if (result.method == "ddmin") {
    count(sorted(result.culprits), Outcome::fail);
    if (result.culprits.size() > 1) {
      count(sorted(minus(result.culprits, {culprit})), Outcome::pass);
    }
  } else {
    count(Subset{culprit}, Outcome::fail);
  }
  if (result.complete) {
    count(sorted(minus(all_items(prober.item_count()), result.culprits)), Outcome::pass);
  }
  std::size_t seen = confidence.agreeing + confidence.disagreeing;
  confidence.score = seen == 0 ? 0.0 : static_cast<double>(confidence.agreeing) / static_cast<double>(seen);
  if (confidence.disagreeing == 0) {
    confidence.word = confidence.agreeing >= 2 ? "high" : "medium";
  } else {
    confidence.word = "low";
  }
  return confidence;
}

// Asks of a configuration that still contradicts the answer after a majority of three.
constexpr std::size_t k_escalated_asks = 5;

// Whether the oracle has answered some configuration both ways in this search.
bool oracle_disagreed(Prober& prober) {
  bool seen = false;
  prober.for_each_consulted([&](const Subset&, const Votes& votes) { seen = seen || votes.disagree(); });
  return seen;
}

// The certificates of a found answer that rest on fewer than two agreeing votes: each culprit alone
// (group testing) or the answer itself (ddmin). Asked again only once the oracle has been seen to
// flip, so a clean oracle pays nothing for them.
std::vector<Subset> thin_certificates(Prober& prober, const SearchResult& result) {
  std::vector<Subset> thin;
  std::vector<std::pair<Subset, Outcome>> certificates;
  if (result.method == "ddmin") {
    certificates.emplace_back(sorted(result.culprits), Outcome::fail);
    if (result.minimal_proven && result.culprits.size() > 1) {
      for (std::size_t culprit : result.culprits) {
        certificates.emplace_back(sorted(minus(result.culprits, {culprit})), Outcome::pass);
      }
    }
  } else {
    for (std::size_t culprit : result.culprits) {
      certificates.emplace_back(Subset{culprit}, Outcome::fail);
    }
  }
  if (result.complete) {
    certificates.emplace_back(sorted(minus(all_items(prober.item_count()), result.culprits)), Outcome::pass);
  }
  for (auto& [certificate, expected] : certificates) {
    Votes votes = prober.votes(certificate);
    std::size_t agree = expected == Outcome::fail ? votes.fail : votes.pass;
    std::size_t against = expected == Outcome::fail ? votes.pass : votes.fail;
    if (agree < against + 2) {
      thin.push_back(std::move(certificate));
    }
  }
  return thin;
}

}  // namespace

SearchResult search(Prober& prober, const SearchOptions& options) {
  SearchResult result;
  const std::size_t count = prober.item_count();
  const std::size_t settle_asks = std::max<std::size_t>(3, options.repeat);
  prober.set_repeat(options.repeat);
  Subset everything = all_items(count);

  // Sanity: all-good must pass, all-bad must fail. An unexpected answer is asked again first.
  prober.prefetch({Subset{}, everything});
  const std::size_t sanity_asks = std::max(options.sanity_asks, options.repeat);
  // An unexpected majority of `sanity_asks` that the oracle contradicted on the way (fail, pass,
  // fail) is asked up to 2 sanity_asks + 1 times before it ends the search.
  auto sanity = [&](const Subset& subset, Outcome expected) {
    Outcome answer = prober.outcome(subset);
    if (answer != expected && options.adaptive) {
      answer = prober.settle(subset, sanity_asks);
      if (answer != expected && prober.votes(subset).disagree()) {
        answer = prober.settle(subset, 2 * sanity_asks + 1);
      }
    }
    return answer;
  };
  result.all_good = sanity(Subset{}, Outcome::pass);
  if (result.all_good == Outcome::pass) {
    result.all_bad = sanity(everything, Outcome::fail);
  } else {
    result.all_bad = majority(prober.votes(everything));
    if (prober.votes(everything).total() == 0) {
      result.all_bad = prober.outcome(everything);
    }
  }
  if (result.all_good != Outcome::pass || result.all_bad != Outcome::fail) {
    result.status = SearchStatus::not_reproducible;
    result.message = "all-good " + std::string(to_string(result.all_good)) + ", all-bad " +
                     std::string(to_string(result.all_bad)) +
                     " (expected pass and fail): the difference does not reproduce";
    result.contradictions = contradictions(prober, {});
    return result;
  }

  std::set<Subset> confirmed;
  Pass pass;
  pass.adaptive = options.adaptive;
  pass.fallback_allowed = !options.adaptive;
  pass.confirmed = &confirmed;
  SearchResult answer;
  std::vector<Subset> against;
  const bool noisy_allowed =
      options.adaptive && options.noisy_bisection && options.strategy != Strategy::ddmin;
  bool noisy = false;
  for (std::size_t attempt = 0;; ++attempt) {
    if (options.adaptive && oracle_disagreed(prober)) {
      // The oracle has flipped: search by noisy bisection from now on, over every answer so far
      // (or, where it does not apply, ask each new configuration until two answers agree).
      prober.set_repeat(settle_asks);
      noisy = noisy_allowed;
    }
    pass.refuted.clear();
    answer = noisy ? noisy_pass(prober, options, result) : search_pass(prober, options, result, pass);
    if (!options.adaptive || (noisy && answer.status != SearchStatus::found)) {
      break;
    }
    std::vector<Subset> suspects;
    bool certifying = false;  // the suspects only need more agreeing votes, nothing contradicts yet
    if (!pass.refuted.empty()) {
      suspects = refutation_suspects(prober, pass.refuted);
    } else {
      against = against_answer(prober, answer);
      suspects = answer.status == SearchStatus::found ? against : tied(prober);
      if (suspects.empty() && answer.status == SearchStatus::found && oracle_disagreed(prober)) {
        suspects = thin_certificates(prober, answer);  // the oracle has flipped: certify twice
        certifying = true;
      }
    }
    if (suspects.empty()) {
      break;
    }
    if (attempt >= options.max_restarts) {
      answer.status = SearchStatus::inconclusive;
      answer.message = "the oracle kept contradicting itself: " + std::to_string(attempt) +
                       " searches over corrected answers did not settle";
      break;
    }
    if (settle_until_change(prober, suspects, settle_asks)) {
      ++answer.restarts;
      result.restarts = answer.restarts;
      continue;  // a majority changed: search again over the corrected memo
    }
    if (certifying) {
      break;  // each certificate now rests on agreeing votes
    }
    if (!pass.refuted.empty() && noisy_allowed && oracle_disagreed(prober)) {
      ++answer.restarts;  // a flaky oracle: search again by noisy bisection over every answer so far
      result.restarts = answer.restarts;
      continue;
    }
    if (!pass.refuted.empty() && oracle_disagreed(prober) &&
        settle_until_change(prober, suspects, k_escalated_asks)) {
      ++answer.restarts;  // a flaky oracle: three asks were outvoted by five, search again
      result.restarts = answer.restarts;
      continue;
    }
    if (!pass.refuted.empty() && oracle_disagreed(prober) && options.strategy == Strategy::automatic) {
      // ddmin over a flaky oracle costs hundreds of runs and ends on a flipped answer as easily as on
      // a culprit: name nobody rather than guess.
      answer.status = SearchStatus::inconclusive;
      answer.message =
          "a culprit does not fail on its own even after asking again, and the oracle contradicted "
          "itself: either the culprits interact or the oracle is too noisy; run again with "
          "[oracle] repeat, or --strategy ddmin";
      break;
    }
    if (!pass.refuted.empty()) {
      pass.fallback_allowed = true;  // the refutation stands on agreeing answers: the culprits interact
      continue;
    }
    if (answer.status == SearchStatus::found && settle_asks < k_escalated_asks &&
        settle_until_change(prober, suspects, k_escalated_asks)) {
      ++answer.restarts;  // three asks were outvoted by five: search again
      result.restarts = answer.restarts;
      continue;
    }
    if (answer.status == SearchStatus::found && noisy_allowed && !noisy && oracle_disagreed(prober)) {
      ++answer.restarts;  // still against the answer, over a flaky oracle: noisy bisection decides
      result.restarts = answer.restarts;
      continue;
    }
    if (answer.status == SearchStatus::found) {
      // Re-asked, and still against the answer: no sound answer.
      answer.status = SearchStatus::inconclusive;
      answer.message =
          "the trials contradict the answer even after asking again: the oracle is not "
          "deterministic, or the culprits do not behave as the search assumes";
    }
    break;
  }
  answer.restarts = result.restarts;
  if (options.adaptive && answer.status == SearchStatus::found) {
    against = against_answer(prober, answer);
  }
  answer.contradictions = contradictions(prober, against);
  if (answer.status == SearchStatus::found) {
    for (std::size_t culprit : answer.culprits) {
      answer.confidence.push_back(confidence_of(prober, answer, culprit));
    }
  }
  return answer;
}

std::string_view to_string(SearchStatus status) {
  switch (status) {
    case SearchStatus::found:
      return "found";
    case SearchStatus::not_reproducible:
      return "not-reproducible";
    case SearchStatus::inconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

std::string_view to_string(Strategy strategy) {
  switch (strategy) {
    case Strategy::automatic:
      return "auto";
    case Strategy::group_testing:
      return "group";
    case Strategy::ddmin:
      return "ddmin";
  }
  return "auto";
}

std::optional<Strategy> parse_strategy(std::string_view text) {
  for (Strategy s : {Strategy::automatic, Strategy::group_testing, Strategy::ddmin}) {
    if (to_string(s) == text) {
      return s;
    }
  }
  return std::nullopt;
}

}  // namespace ccbisect
