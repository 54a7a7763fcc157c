// Tests of the engine (bisector/engine.cpp) and the Prober (bisector/prober.cpp) against simulated
// oracles whose culprits are known.
//
// Every case asserts the answer and the exact number of oracle runs (executor calls, sanity and
// certification included). The counts are what the engine spends today: a change to the algorithm
// that moves them must update them on purpose, and the comments say which bound each count is
// checked against. Noisy oracles (unresolved, flaky) are checked for the guarantee the engine
// actually gives over many seeds, not for one lucky answer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "bisector/engine.hpp"
#include "bisector/noisy_search.hpp"
#include "bisector/prober.hpp"
#include "bisector/simulation/simulated_oracle.hpp"
#include "bisector/subset_text.hpp"
#include "db/store.hpp"

using namespace ccbisect;

namespace {

const std::string k_level = "objects";

struct Searched {
  SearchResult result;
  std::size_t runs = 0;           // executor calls
  std::size_t distinct_runs = 0;  // distinct subsets among them
  ProbeCounters counters;
  std::size_t peak_concurrency = 0;
};

Searched search_simulated(const SimulatedBehaviour& behaviour, std::size_t jobs = 1,
                          TrialCache* cache = nullptr, Strategy strategy = Strategy::automatic) {
  SimulatedExecutor executor(behaviour);
  Prober prober(
      k_level, behaviour.item_count, executor, cache,
      [](const Subset& subset) { return k_level + ":" + encode_ranges(subset); }, jobs, nullptr);
  SearchOptions options;
  options.strategy = strategy;
  Searched searched;
  searched.result = search(prober, options);
  searched.runs = executor.runs();
  searched.counters = prober.counters();
  searched.distinct_runs = executor.distinct_runs();
  searched.peak_concurrency = executor.peak_concurrency();
  return searched;
}

SimulatedBehaviour independent(std::size_t item_count, std::vector<std::size_t> culprits) {
  SimulatedBehaviour behaviour;
  behaviour.item_count = item_count;
  behaviour.culprits = std::move(culprits);
  return behaviour;
}

SimulatedBehaviour interacting(std::size_t item_count, std::vector<std::size_t> culprits) {
  SimulatedBehaviour behaviour = independent(item_count, std::move(culprits));
  behaviour.kind = CulpritKind::interacting;
  return behaviour;
}

SimulatedBehaviour noisy(SimulatedBehaviour behaviour, double unresolved_rate, double flip_rate,
                         std::uint64_t seed) {
  behaviour.unresolved_rate = unresolved_rate;
  behaviour.flip_rate = flip_rate;
  behaviour.seed = seed;
  behaviour.sanity_exempt = true;  // study the search, not the sanity check refusing
  return behaviour;
}

// Culprit positions spread over the items, fixed by `seed` (a small LCG keeps them portable).
std::vector<std::size_t> spread_culprits(std::size_t item_count, std::size_t k, std::uint64_t seed) {
  std::vector<std::size_t> culprits;
  std::uint64_t state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  while (culprits.size() < k) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::size_t item = static_cast<std::size_t>((state >> 33) % item_count);
    if (std::find(culprits.begin(), culprits.end(), item) == culprits.end()) {
      culprits.push_back(item);
    }
  }
  std::sort(culprits.begin(), culprits.end());
  return culprits;
}

Subset all_but(std::size_t item_count, const Subset& removed) {
  Subset rest;
  for (std::size_t item = 0; item < item_count; ++item) {
    if (!std::binary_search(removed.begin(), removed.end(), item)) {
      rest.push_back(item);
    }
  }
  return rest;
}

std::size_t ceil_log2(std::size_t n) {
  std::size_t bits = 0;
  while ((std::size_t{1} << bits) < n) {
    ++bits;
  }
  return bits;
}

// A ceiling no search over independent culprits should ever exceed: two binary searches per
// culprit, plus the two sanity runs and the two certification runs. The exact counts pin the rest.
std::size_t independent_ceiling(std::size_t item_count, std::size_t k) {
  return 4 + 2 * k * ceil_log2(item_count);
}

void check_same_result(const SearchResult& a, const SearchResult& b) {
  CHECK(a.status == b.status);
  CHECK(a.culprits == b.culprits);
  CHECK(a.undetermined == b.undetermined);
  CHECK(a.method == b.method);
  CHECK(a.complete == b.complete);
  CHECK(a.minimal_proven == b.minimal_proven);
  CHECK(a.all_good == b.all_good);
  CHECK(a.all_bad == b.all_bad);
  CHECK(a.message == b.message);
}

// What a noisy search may answer over independent culprits without lying: either no answer, or a set
// the truth says fails, whose named items are real culprits whenever the engine claims so (group
// testing says "each of these fails on its own"; a proven 1-minimal set over independent culprits
// is a single culprit), and which leaves nothing failing behind when it says it is complete.
void check_sound(const SimulatedExecutor& oracle, const SearchResult& result) {
  if (result.status != SearchStatus::found) {
    return;
  }
  const std::vector<std::size_t>& truth = oracle.behaviour().culprits;
  INFO("answer " << encode_ranges(result.culprits) << " by " << result.method << ", culprits "
                 << encode_ranges(truth) << ": " << result.message);
  CHECK(oracle.truth(result.culprits) == Outcome::fail);
  bool every_named_is_real = std::all_of(
      result.culprits.begin(), result.culprits.end(),
      [&](std::size_t item) { return std::find(truth.begin(), truth.end(), item) != truth.end(); });
  if (result.method == "group-testing" || result.minimal_proven) {
    CHECK(every_named_is_real);
  }
  if (result.complete) {
    CHECK(oracle.truth(all_but(oracle.behaviour().item_count, result.culprits)) == Outcome::pass);
  }
}

}  // namespace

TEST_CASE("one culprit among 1000 items is found in at most ceil(log2 N) + 5 runs", "[engine]") {
  // Sanity (2) + binary splitting (~ceil(log2 1000) = 10) + "the rest passes" (1) + "the culprit
  // fails alone" (1, unless the binary search already asked it) + the confirming re-run (1). The
  // issue's budget is 12; certification and confirmation are what it costs to never guess.
  struct Case {
    std::size_t culprit;
    std::size_t runs;
  };
  const Case cases[] = {{0, 14}, {1, 15}, {511, 15}, {512, 14}, {737, 15}, {999, 13}};
  for (const Case& c : cases) {
    INFO("culprit " << c.culprit);
    Searched searched = search_simulated(independent(1000, {c.culprit}));
    CHECK(searched.result.status == SearchStatus::found);
    CHECK(searched.result.culprits == std::vector<std::size_t>{c.culprit});
    CHECK(searched.result.method == "group-testing");
    CHECK(searched.result.complete);
    CHECK(searched.result.minimal_proven);
    CHECK(searched.result.undetermined.empty());
    CHECK(searched.runs == c.runs);
    CHECK(searched.runs <= ceil_log2(1000) + 5);
  }
}

TEST_CASE("three independent culprits are named exactly", "[engine]") {
  // log2 C(1000, 3) + 2 = 30 is the floor; culprits at the very front cost more, because the density
  // estimate is taken from cleared items only and a front culprit clears none.
  struct Case {
    std::vector<std::size_t> culprits;
    std::size_t runs;
  };
  const Case cases[] = {{{17, 400, 901}, 39}, {{0, 1, 2}, 38}, {{0, 298, 401}, 37}};
  for (const Case& c : cases) {
    INFO("culprits " << encode_ranges(c.culprits));
    Searched searched = search_simulated(independent(1000, c.culprits));
    CHECK(searched.result.status == SearchStatus::found);
    CHECK(searched.result.culprits == c.culprits);
    CHECK(searched.result.method == "group-testing");
    CHECK(searched.result.complete);
    CHECK(searched.result.minimal_proven);  // each culprit was seen failing on its own
    CHECK(searched.runs == c.runs);
    CHECK(searched.runs <= independent_ceiling(1000, 3));
  }
}

TEST_CASE("ten independent culprits are named exactly", "[engine]") {
  // log2 C(1000, 10) + 2 = 80 is the floor; the budget is 95.
  struct Case {
    std::vector<std::size_t> culprits;
    std::size_t runs;
  };
  const Case cases[] = {{{3, 97, 150, 333, 334, 500, 642, 777, 888, 999}, 94},
                        {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 84}};
  for (const Case& c : cases) {
    INFO("culprits " << encode_ranges(c.culprits));
    Searched searched = search_simulated(independent(1000, c.culprits));
    CHECK(searched.result.status == SearchStatus::found);
    CHECK(searched.result.culprits == c.culprits);
    CHECK(searched.result.complete);
    CHECK(searched.runs == c.runs);
    CHECK(searched.runs <= independent_ceiling(1000, 10));
  }
}

TEST_CASE("an interacting pair falls back to ddmin, which returns exactly the pair", "[engine]") {
  // Group testing blames one item; the noise policy asks it alone as soon as it is found, it passes,
  // and group testing stops there. Before concluding that the culprits interact, the policy asks
  // that item alone again, then the failing configuration it was inferred from and the passing ones
  // that cover it (about log2 N + 2 runs: what tells an interaction from a flipped answer); ddmin
  // then starts over from the full set. Without the policy these cost 66, 38, 71 and 52 runs; when
  // the culprit was asked alone only after group testing had finished, 76, 42, 81 and 73.
  struct Case {
    std::vector<std::size_t> culprits;
    std::size_t runs;
  };
  const Case cases[] = {{{123, 877}, 76}, {{10, 11}, 41}, {{0, 999}, 81}, {{499, 500}, 48}};
  for (const Case& c : cases) {
    INFO("pair " << encode_ranges(c.culprits));
    Searched searched = search_simulated(interacting(1000, c.culprits));
    CHECK(searched.result.status == SearchStatus::found);
    CHECK(searched.result.culprits == c.culprits);
    CHECK(searched.result.method == "ddmin");
    CHECK(searched.result.minimal_proven);
    CHECK(searched.result.complete);
    CHECK(searched.runs == c.runs);
  }
}

TEST_CASE("three interacting culprits are found by ddmin and proven 1-minimal", "[engine]") {
  Searched searched = search_simulated(interacting(1000, {0, 1, 2}));
  CHECK(searched.result.status == SearchStatus::found);
  CHECK(searched.result.culprits == std::vector<std::size_t>{0, 1, 2});
  CHECK(searched.result.method == "ddmin");
  CHECK(searched.result.minimal_proven);
  // 36 without the noise policy; 51 when the culprit was asked alone only after group testing.
  CHECK(searched.runs == 31);
}

TEST_CASE("group testing alone reports an interacting pair as inconclusive, not as a culprit", "[engine]") {
  Searched searched = search_simulated(interacting(1000, {123, 877}), 1, nullptr, Strategy::group_testing);
  CHECK(searched.result.status == SearchStatus::inconclusive);
  CHECK(searched.result.method == "group-testing");
  CHECK(searched.result.message.find("--strategy ddmin") != std::string::npos);
  CHECK(searched.runs == 21);  // 11 without the re-asks that tell an interaction from a flip
}

TEST_CASE("a single differing item is the answer after the two sanity runs and one re-run", "[engine]") {
  Searched searched = search_simulated(independent(1, {0}));
  CHECK(searched.result.status == SearchStatus::found);
  CHECK(searched.result.culprits == std::vector<std::size_t>{0});
  CHECK(searched.result.method == "sanity");
  CHECK(searched.runs == 3);
}

// An unexpected sanity answer is asked again (majority of 3, stopping once decided) before the search
// gives up: one run more than the two sanity runs when the answer holds.
TEST_CASE("an all-good build that fails makes the search not reproducible after exactly 3 runs", "[engine]") {
  SimulatedBehaviour behaviour = independent(1000, {5});
  behaviour.good_fails = true;
  Searched searched = search_simulated(behaviour);
  CHECK(searched.result.status == SearchStatus::not_reproducible);
  CHECK(searched.result.all_good == Outcome::fail);
  CHECK(searched.result.all_bad == Outcome::fail);
  CHECK(searched.result.culprits.empty());
  CHECK(searched.runs == 3);
}

TEST_CASE("an all-bad build that passes makes the search not reproducible after exactly 3 runs", "[engine]") {
  Searched searched = search_simulated(independent(1000, {}));
  CHECK(searched.result.status == SearchStatus::not_reproducible);
  CHECK(searched.result.all_good == Outcome::pass);
  CHECK(searched.result.all_bad == Outcome::pass);
  CHECK(searched.runs == 3);
}

TEST_CASE("an oracle that is always unresolved never yields a culprit", "[engine]") {
  SECTION("sanity sees it first: not reproducible after 4 runs") {
    // All-good is asked three times (unresolved votes never decide a majority), then all-bad once.
    SimulatedBehaviour behaviour = independent(1000, {5});
    behaviour.unresolved_rate = 1.0;
    Searched searched = search_simulated(behaviour);
    CHECK(searched.result.status == SearchStatus::not_reproducible);
    CHECK(searched.result.all_good == Outcome::unresolved);
    CHECK(searched.result.all_bad == Outcome::unresolved);
    CHECK(searched.runs == 4);
  }
  SECTION("when only all-good and all-bad resolve, every strategy is inconclusive") {
    // Group testing sets every item aside as undetermined; ddmin cannot remove a single item. The
    // search is expensive (ddmin tries every granularity) but names nobody.
    struct Case {
      std::size_t item_count;
      Strategy strategy;
      std::size_t runs;
    };
    const Case cases[] = {{8, Strategy::automatic, 28},       {8, Strategy::group_testing, 16},
                          {8, Strategy::ddmin, 28},           {64, Strategy::automatic, 252},
                          {64, Strategy::group_testing, 128}, {64, Strategy::ddmin, 252}};
    for (const Case& c : cases) {
      INFO(c.item_count << " items, strategy " << to_string(c.strategy));
      SimulatedBehaviour behaviour = noisy(independent(c.item_count, {c.item_count / 3}), 1.0, 0.0, 1);
      Searched searched = search_simulated(behaviour, 1, nullptr, c.strategy);
      CHECK(searched.result.status == SearchStatus::inconclusive);
      CHECK(searched.result.culprits.empty());
      CHECK(searched.runs == c.runs);
    }
  }
}

TEST_CASE("with 10% of trials unresolved the answer is correct or honestly flagged, never a wrong culprit",
          "[engine]") {
  SECTION("one representative search, pinned") {
    Searched searched = search_simulated(noisy(independent(1000, {17, 400, 901}), 0.10, 0.0, 4));
    CHECK(searched.result.status == SearchStatus::found);
    CHECK(searched.result.culprits == std::vector<std::size_t>{17, 400, 901});
    CHECK(searched.runs == 43);
  }
  SECTION("over many seeds and culprit counts") {
    std::size_t found_exactly = 0;
    std::size_t searches = 0;
    for (std::size_t k : {1, 2, 3}) {
      for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        SimulatedBehaviour behaviour =
            noisy(independent(1000, spread_culprits(1000, k, seed)), 0.10, 0.0, seed);
        SimulatedExecutor oracle(behaviour);
        Searched searched = search_simulated(behaviour);
        INFO("k " << k << ", seed " << seed);
        check_sound(oracle, searched.result);
        ++searches;
        found_exactly +=
            searched.result.status == SearchStatus::found && searched.result.culprits == behaviour.culprits;
      }
    }
    // Soundness is the guarantee; usefulness is that most searches still find exactly the culprits.
    CHECK(found_exactly * 10 >= searches * 7);
  }
  SECTION("a dense case that once blamed an unresolved item is now sound") {
    // Seed 732: {20} is set aside as undetermined while the pool was known to fail from an earlier
    // "rest" trial; the engine used to infer that the remaining single item 16 failed without asking,
    // and named {16, 17}.
    SimulatedBehaviour behaviour = noisy(independent(64, {17, 20}), 0.30, 0.0, 732);
    SimulatedExecutor oracle(behaviour);
    Searched searched = search_simulated(behaviour);
    check_sound(oracle, searched.result);
    CHECK(searched.result.status == SearchStatus::found);
    CHECK(searched.result.culprits == std::vector<std::size_t>{17});
    CHECK_FALSE(searched.result.complete);
    CHECK(searched.result.undetermined == std::vector<std::size_t>{20});
    CHECK(searched.runs == 19);
  }
  SECTION("dense unresolved trials over small sets stay sound") {
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
      SimulatedBehaviour behaviour = noisy(independent(32, spread_culprits(32, 2, seed)), 0.5, 0.0, seed);
      SimulatedExecutor oracle(behaviour);
      Searched searched = search_simulated(behaviour);
      INFO("seed " << seed);
      check_sound(oracle, searched.result);
    }
  }
}

TEST_CASE("with a flaky oracle a found answer is one the oracle itself saw fail", "[engine]") {
  // The engine asks every configuration once and believes the answer, so it cannot notice a flip.
  // What it does guarantee: the named set was seen to fail, and "complete" means the rest was seen
  // to pass. The culprits themselves may be wrong (next test).
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    SimulatedBehaviour behaviour =
        noisy(independent(1000, spread_culprits(1000, 1 + seed % 3, seed)), 0.0, 0.05, seed);
    SimulatedExecutor oracle(behaviour);
    Searched searched = search_simulated(behaviour);
    INFO("seed " << seed << ", answer " << encode_ranges(searched.result.culprits));
    if (searched.result.status == SearchStatus::found) {
      CHECK(oracle.judge(searched.result.culprits) == Outcome::fail);
      if (searched.result.complete) {
        CHECK(oracle.judge(all_but(1000, searched.result.culprits)) == Outcome::pass);
      }
    }
    CHECK(searched.runs <=
          searched.distinct_runs + searched.counters.confirmations + searched.counters.repeats);
  }
}

TEST_CASE("a repeatable wrong answer that contradicts the answer makes the search inconclusive", "[engine]") {
  // Seed 14 flips answers for good ("sticky": asking again repeats them) so that group testing is led
  // to item 351 next to the real culprit 367. 351 passes alone; asking again cannot outvote a sticky
  // flip, so the contradiction survives every re-ask: the engine names nobody and lists it. (Without
  // the noise policy ddmin happened to recover 367 here, in 43 runs; 51 runs when 351 was asked
  // alone only after group testing had finished.)
  SimulatedBehaviour behaviour = noisy(independent(1000, {367}), 0.0, 0.05, 14);
  Searched searched = search_simulated(behaviour);
  CHECK(searched.result.status == SearchStatus::inconclusive);
  CHECK(searched.result.contradiction_count() > 0);
  CHECK(searched.runs == 38);
}

TEST_CASE("a search at -j 4 reaches the same SearchResult as at -j 1", "[engine]") {
  struct Case {
    const char* name;
    SimulatedBehaviour behaviour;
  };
  std::vector<Case> cases = {
      {"one culprit", independent(1000, {737})},
      {"three culprits", independent(1000, {17, 400, 901})},
      {"ten culprits", independent(1000, {3, 97, 150, 333, 334, 500, 642, 777, 888, 999})},
      {"interacting pair", interacting(1000, {123, 877})},
      {"10% unresolved", noisy(independent(1000, {17, 400, 901}), 0.10, 0.0, 4)},
      {"30% unresolved", noisy(independent(64, {17, 20}), 0.30, 0.0, 732)},
      {"flaky", noisy(independent(1000, {367}), 0.0, 0.05, 14)},
      {"always unresolved", noisy(independent(64, {21}), 1.0, 0.0, 1)},
  };
  for (Case& c : cases) {
    INFO(c.name);
    c.behaviour.slots = 4;
    Searched serial = search_simulated(c.behaviour, 1);
    Searched parallel = search_simulated(c.behaviour, 4);
    check_same_result(serial.result, parallel.result);
    // Speculation may only add trials, and still never repeats one.
    CHECK(parallel.runs >= serial.runs);
    CHECK(parallel.runs <=
          parallel.distinct_runs + parallel.counters.confirmations + parallel.counters.repeats);
  }
}

TEST_CASE("over a flaky oracle a search at -j 4 reaches the same SearchResult as at -j 1",
          "[engine][noise]") {
  // Speculative prefetches answer configurations that -j 1 never asks. The engine decides only from
  // the configurations it consulted, so those answers cannot change what it asks again or concludes.
  for (std::size_t k : {1, 3}) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      SimulatedBehaviour behaviour = independent(1000, spread_culprits(1000, k, seed));
      behaviour.flip_rate = 0.10;
      behaviour.flip_each_ask = true;
      behaviour.seed = seed;
      behaviour.slots = 4;
      INFO("k " << k << ", seed " << seed);
      Searched serial = search_simulated(behaviour, 1);
      Searched parallel = search_simulated(behaviour, 4);
      check_same_result(serial.result, parallel.result);
      CHECK(parallel.runs >= serial.runs);
    }
  }
}

TEST_CASE("a search at -j 4 really runs trials at the same time, and no more than 4", "[engine]") {
  // Long enough that trials of one wave overlap even on a loaded machine.
  SimulatedBehaviour behaviour = independent(1000, {737});
  behaviour.sleep = std::chrono::milliseconds(10);
  behaviour.slots = 4;
  Searched searched = search_simulated(behaviour, 4);
  CHECK(searched.result.culprits == std::vector<std::size_t>{737});
  CHECK(searched.peak_concurrency > 1);
  CHECK(searched.peak_concurrency <= 4);
}

TEST_CASE("the Prober never runs a configuration twice", "[engine][prober]") {
  SECTION("asking the same subset again is answered from memory") {
    SimulatedExecutor oracle(independent(100, {42}));
    Prober prober(k_level, 100, oracle, nullptr, nullptr, 1, nullptr);
    CHECK(prober.outcome({40, 41, 42}) == Outcome::fail);
    CHECK(prober.outcome({40, 41, 42}) == Outcome::fail);
    CHECK(prober.outcome({1, 2}) == Outcome::pass);
    CHECK(oracle.runs() == 2);
    CHECK(prober.counters().run == 2);
    REQUIRE(prober.result({40, 41, 42}));
    CHECK(prober.result({40, 41, 42})->exit_status == 1);
    CHECK_FALSE(prober.result({3}));
  }
  SECTION("over whole searches, executor calls equal the distinct subsets asked") {
    // ddmin revisits chunks and complements, and group testing re-asks "the rest": all from memory.
    std::vector<SimulatedBehaviour> behaviours = {
        independent(1000, {17, 400, 901}),
        interacting(1000, {123, 877}),
        noisy(independent(1000, {17, 400, 901}), 0.10, 0.0, 4),
        noisy(independent(64, {21}), 1.0, 0.0, 1),
    };
    for (std::size_t jobs : {1, 4}) {
      for (SimulatedBehaviour behaviour : behaviours) {
        behaviour.slots = 4;
        INFO("culprits " << encode_ranges(behaviour.culprits) << ", -j " << jobs);
        Searched searched = search_simulated(behaviour, jobs);
        CHECK(searched.runs <=
              searched.distinct_runs + searched.counters.confirmations + searched.counters.repeats);
        CHECK(searched.runs == searched.counters.run);
        CHECK(searched.counters.cached == 0);
      }
    }
  }
}

TEST_CASE("a second search over the same store replays every answered trial and re-runs the answer",
          "[engine][prober]") {
  std::unique_ptr<Store> store = Store::open_in_memory();
  store->begin_session({"objects", "{}", "good", "1", "bad", "1"});
  SECTION("-j 1 after -j 1") {
    SimulatedBehaviour behaviour = independent(1000, {17, 400, 901});
    Searched first = search_simulated(behaviour, 1, store.get());
    CHECK(first.runs == 39);
    CHECK(first.counters.confirmations == 1);
    Searched second = search_simulated(behaviour, 1, store.get());
    CHECK(second.runs == 1);  // the confirming re-run of the answer, deliberately outside the cache
    CHECK(second.counters.confirmations == 1);
    CHECK(second.counters.cached == first.runs - 1);
    check_same_result(first.result, second.result);
    CHECK(store->trials(k_level).size() == first.runs + 1);
  }
  SECTION("-j 1 after -j 4, with unresolved trials recorded too") {
    SimulatedBehaviour behaviour = noisy(independent(1000, {17, 400, 901}), 0.10, 0.0, 4);
    behaviour.slots = 4;
    Searched first = search_simulated(behaviour, 4, store.get());
    Searched second = search_simulated(behaviour, 1, store.get());
    // Unresolved trials are no answer: they run again rather than being replayed (issue 11).
    CHECK(second.counters.unresolved > 0);
    CHECK(second.runs == second.counters.confirmations + second.counters.unresolved);
    check_same_result(first.result, second.result);
  }
  SECTION("the key alone decides: another oracle behind the same keys is answered from the store") {
    // Why the key function must name the level, both toolchains and the items (prober.hpp): the
    // store cannot tell two searches apart otherwise.
    // The confirming re-run asks the (different) oracle, which contradicts the recorded answer; the
    // noise policy then asks again, outvotes the stale records and searches on: the answer is the
    // asked oracle's culprit, never the recorded one.
    Searched first = search_simulated(independent(1000, {737}), 1, store.get());
    Searched second = search_simulated(independent(1000, {5}), 1, store.get());
    CHECK(second.runs > 1);
    CHECK(second.result.contradiction_count() > 0);
    CHECK(second.result.culprits != std::vector<std::size_t>{737});
    if (second.result.status == SearchStatus::found) {
      CHECK(second.result.culprits == std::vector<std::size_t>{5});
    }
  }
}

namespace {

// A simulated oracle (no noise of its own) whose answers are flipped at chosen asks: `flips` maps a
// subset to the asks (0-based) whose answer is turned pass <-> fail. Lets a test place exactly one
// wrong answer where it wants.
class FlipAsks : public TrialExecutor {
 public:
  FlipAsks(SimulatedBehaviour behaviour, std::map<Subset, std::vector<std::size_t>> flips)
      : m_oracle(std::move(behaviour)), m_flips(std::move(flips)) {}

  TrialResult run(const Subset& subset, std::size_t slot) override {
    TrialResult result = m_oracle.run(subset, slot);
    std::size_t ask = m_asks[subset]++;
    auto found = m_flips.find(subset);
    if (found != m_flips.end() &&
        std::find(found->second.begin(), found->second.end(), ask) != found->second.end()) {
      result.outcome = result.outcome == Outcome::fail ? Outcome::pass : Outcome::fail;
    }
    return result;
  }
  std::size_t runs() const { return m_oracle.runs(); }
  std::size_t distinct_runs() const { return m_oracle.distinct_runs(); }

 private:
  SimulatedExecutor m_oracle;
  std::map<Subset, std::vector<std::size_t>> m_flips;
  std::map<Subset, std::size_t> m_asks;
};

struct Flipped {
  SearchResult result;
  std::size_t runs = 0;
  std::size_t distinct_runs = 0;
  ProbeCounters counters;
};

Flipped search_flipped(const SimulatedBehaviour& behaviour, std::map<Subset, std::vector<std::size_t>> flips,
                       SearchOptions options = {}) {
  FlipAsks executor(behaviour, std::move(flips));
  Prober prober(
      k_level, behaviour.item_count, executor, nullptr,
      [](const Subset& subset) { return k_level + ":" + encode_ranges(subset); }, 1, nullptr);
  Flipped flipped;
  flipped.result = search(prober, options);
  flipped.runs = executor.runs();
  flipped.distinct_runs = executor.distinct_runs();
  flipped.counters = prober.counters();
  return flipped;
}

Subset range_of(std::size_t first, std::size_t end) {
  Subset subset;
  for (std::size_t item = first; item < end; ++item) {
    subset.push_back(item);
  }
  return subset;
}

}  // namespace

TEST_CASE("one flipped all-good answer is asked again instead of ending the search", "[engine][noise]") {
  SimulatedBehaviour behaviour = independent(1000, {737});
  SECTION("with the policy: found by noisy bisection, the oracle being known to flip") {
    Flipped flipped = search_flipped(behaviour, {{Subset{}, {0}}});
    CHECK(flipped.result.status == SearchStatus::found);
    CHECK(flipped.result.culprits == std::vector<std::size_t>{737});
    CHECK(flipped.result.all_good == Outcome::pass);
    CHECK(flipped.result.complete);
    // All-good three times (fail, pass, pass) and all-bad once; then noisy bisection from the start:
    // 13 asks of prefixes at the posterior median (0-737 twice), 737 alone twice and the rest twice.
    // Asking every configuration until two answers agree, as the policy did before, cost 29 runs.
    CHECK(flipped.runs == 21);
    CHECK(flipped.counters.confirmations == 0);  // the certificates rest on two agreeing answers
    REQUIRE(flipped.result.contradiction_count() == 1);
    CHECK(flipped.result.contradictions[0].subset.empty());
    CHECK(flipped.result.contradictions[0].votes.fail == 1);
    CHECK(flipped.result.contradictions[0].votes.pass == 2);
  }
  SECTION("without it: not reproducible after one wrong answer, as before") {
    SearchOptions options;
    options.adaptive = false;
    Flipped flipped = search_flipped(behaviour, {{Subset{}, {0}}}, options);
    CHECK(flipped.result.status == SearchStatus::not_reproducible);
    CHECK(flipped.runs == 2);
  }
}

TEST_CASE("a flipped answer the search acted on is corrected, and reported as a contradiction",
          "[engine][noise]") {
  // Culprit 737: the binary search asks 0-511 first (passes) and then 512-767 (fails). Flipping that
  // fail sends the search into 768-999, where it infers an innocent item; that item passes alone,
  // the configurations it was inferred from are asked again, 512-767's majority turns to fail, and
  // the search restarts over the corrected answers.
  SimulatedBehaviour behaviour = independent(1000, {737});
  Flipped flipped = search_flipped(behaviour, {{range_of(512, 768), {0}}});
  CHECK(flipped.result.status == SearchStatus::found);
  CHECK(flipped.result.culprits == std::vector<std::size_t>{737});
  CHECK(flipped.result.restarts >= 1);
  CHECK(flipped.result.contradiction_count() >= 1);
  bool listed =
      std::any_of(flipped.result.contradictions.begin(), flipped.result.contradictions.end(),
                  [](const Contradiction& c) { return c.text == "512-767" && c.majority == Outcome::fail; });
  CHECK(listed);
  REQUIRE(flipped.result.confidence.size() == 1);
  CHECK(flipped.result.confidence[0].item == 737);
  CHECK(flipped.result.confidence[0].disagreeing == 0);
  CHECK(flipped.result.confidence[0].word == "high");
}

TEST_CASE("a noiseless oracle gets no contradictions and high or medium confidence", "[engine][noise]") {
  Searched one = search_simulated(independent(1000, {737}));
  CHECK(one.result.contradiction_count() == 0);
  CHECK(one.result.restarts == 0);
  REQUIRE(one.result.confidence.size() == 1);
  CHECK(one.result.confidence[0].agreeing == 3);  // 737 alone once, the rest twice (check, re-run)
  CHECK(one.result.confidence[0].word == "high");
  Searched three = search_simulated(independent(1000, {17, 400, 901}));
  CHECK(three.result.contradiction_count() == 0);
  REQUIRE(three.result.confidence.size() == 3);
  for (const CulpritConfidence& c : three.result.confidence) {
    CHECK(c.agreeing >= 2);  // alone once (twice for the one re-run), the rest once
    CHECK(c.disagreeing == 0);
    CHECK(c.score == 1.0);
  }
  CHECK(one.counters.repeats == 0);
  CHECK(three.counters.repeats == 0);
}

TEST_CASE("repeat = 3 asks each configuration until two answers agree, and outvotes one flip",
          "[engine][noise]") {
  SearchOptions options;
  options.repeat = 3;
  SimulatedBehaviour behaviour = independent(1000, {737});
  SECTION("noiseless: exactly two asks per configuration, plus the re-run of the answer") {
    Flipped flipped = search_flipped(behaviour, {}, options);
    CHECK(flipped.result.status == SearchStatus::found);
    CHECK(flipped.result.culprits == std::vector<std::size_t>{737});
    CHECK(flipped.runs == 2 * flipped.distinct_runs + flipped.counters.confirmations);
    CHECK(flipped.result.contradiction_count() == 0);
  }
  SECTION("one flip on the path is outvoted on the spot: no restart") {
    Flipped flipped = search_flipped(behaviour, {{range_of(512, 768), {0}}}, options);
    CHECK(flipped.result.status == SearchStatus::found);
    CHECK(flipped.result.culprits == std::vector<std::size_t>{737});
    CHECK(flipped.result.restarts == 0);
    REQUIRE(flipped.result.contradiction_count() == 1);
    CHECK(flipped.result.contradictions[0].votes.fail == 2);
    CHECK(flipped.result.contradictions[0].votes.pass == 1);
    CHECK(flipped.runs == 2 * flipped.distinct_runs + flipped.counters.confirmations + 1);
  }
}

TEST_CASE("a flaky oracle over many seeds never returns an answer its trials contradict", "[engine][noise]") {
  // Random flips drawn anew at each ask, sanity included. The guarantee: a found answer has no
  // recorded configuration whose majority contradicts it, and each culprit's certificates agree by
  // majority. A wrong culprit needs two flips that agree with each other and no other trial against
  // them (a false fail on a passing group, then a false fail of the item alone); that is rare, and
  // counted here rather than hidden.
  std::size_t searches = 0;
  std::size_t right = 0;
  std::map<double, std::size_t> wrong_at;
  for (double rate : {0.05, 0.10}) {
    std::size_t& wrong = wrong_at[rate];
    for (std::size_t k : {1, 2, 3}) {
      for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        SimulatedBehaviour behaviour = independent(1000, spread_culprits(1000, k, seed));
        behaviour.flip_rate = rate;
        behaviour.flip_each_ask = true;
        behaviour.seed = seed;
        Searched searched = search_simulated(behaviour);
        INFO("rate " << rate << ", k " << k << ", seed " << seed << ", answer "
                     << encode_ranges(searched.result.culprits) << ": " << searched.result.message);
        ++searches;
        const SearchResult& result = searched.result;
        if (result.status != SearchStatus::found) {
          continue;
        }
        for (const Contradiction& c : result.contradictions) {
          CHECK_FALSE(c.against_answer);
        }
        for (const CulpritConfidence& c : result.confidence) {
          CHECK(c.agreeing > c.disagreeing);
        }
        right += result.culprits == behaviour.culprits;
        SimulatedExecutor truth(behaviour);
        bool any_innocent =
            std::any_of(result.culprits.begin(), result.culprits.end(), [&](std::size_t item) {
              return std::find(behaviour.culprits.begin(), behaviour.culprits.end(), item) ==
                     behaviour.culprits.end();
            });
        wrong += any_innocent;
      }
    }
  }
  INFO(right << " right of " << searches << "; naming an innocent item: " << wrong_at[0.05] << " at 5%, "
             << wrong_at[0.10] << " at 10%");
  // 1 of 60 at each rate today: each a pair of agreeing flips that no other trial contradicts (see the
  // benchmark's flaky rows and RESULTS.md). A change that raises these is a regression.
  CHECK(wrong_at[0.05] <= 1);
  CHECK(wrong_at[0.10] <= 1);
  CHECK(right * 2 >= searches);
}

TEST_CASE("random flips: the right answer in 19 of 20 seeds, never an innocent item, within 2.5x the runs",
          "[engine][noise]") {
  // Issue 11, point 7, over this file's culprit positions: every answer flipped at random (each ask
  // on its own, the sanity runs included), N = 1000, 20 seeds. Before noisy bisection: 16/20 right
  // at 10% for one culprit, 12/20 for three, 2.9x the noiseless runs.
  struct Row {
    double rate;
    std::size_t k;
    int right;  // at least
  };
  // 10%, k = 3 misses 19/20: seed 7 answers all-good fail twice (not reproducible after 3 runs, the
  // cost a clean oracle that does not reproduce pays too), and on seeds 10 and 20 a flipped "the rest
  // passes" is never contradicted by another trial, so two culprits or one is all that is found.
  const Row rows[] = {{0.05, 1, 20}, {0.05, 3, 20}, {0.10, 1, 19}, {0.10, 3, 17}};
  for (const Row& row : rows) {
    int right = 0;
    int innocent = 0;
    std::size_t noisy_runs = 0;
    std::size_t clean_runs = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      SimulatedBehaviour behaviour = independent(1000, spread_culprits(1000, row.k, seed));
      clean_runs += search_simulated(behaviour).runs;
      behaviour.flip_rate = row.rate;
      behaviour.flip_each_ask = true;
      behaviour.seed = seed;
      Searched searched = search_simulated(behaviour);
      noisy_runs += searched.runs;
      const SearchResult& result = searched.result;
      if (result.status == SearchStatus::found) {
        right += result.culprits == behaviour.culprits;
        innocent += std::any_of(result.culprits.begin(), result.culprits.end(), [&](std::size_t item) {
          return !std::binary_search(behaviour.culprits.begin(), behaviour.culprits.end(), item);
        });
      }
    }
    INFO("flips " << row.rate << ", k " << row.k << ": " << right << "/20 right, " << noisy_runs
                  << " runs vs " << clean_runs << " noiseless");
    CHECK(right >= row.right);
    CHECK(innocent == 0);
    CHECK(noisy_runs * 2 <= clean_runs * 5);
  }
}

TEST_CASE("a flaky search the old policy left inconclusive is found by noisy bisection", "[engine][noise]") {
  // Seed 1 at 10% flips, culprit 153: asking every configuration until two answers agree ended
  // inconclusive after 110 runs, a wrong majority refuting a real culprit.
  SimulatedBehaviour behaviour = independent(1000, spread_culprits(1000, 1, 1));
  REQUIRE(behaviour.culprits == std::vector<std::size_t>{153});
  behaviour.flip_rate = 0.10;
  behaviour.flip_each_ask = true;
  behaviour.seed = 1;
  Searched searched = search_simulated(behaviour);
  CHECK(searched.result.status == SearchStatus::found);
  CHECK(searched.result.culprits == std::vector<std::size_t>{153});
  CHECK(searched.result.complete);
  CHECK(searched.result.contradiction_count() > 0);
  for (const Contradiction& c : searched.result.contradictions) {
    CHECK_FALSE(c.against_answer);
  }
  REQUIRE(searched.result.confidence.size() == 1);
  CHECK(searched.result.confidence[0].agreeing >= searched.result.confidence[0].disagreeing + 4);
  CHECK(searched.runs == 55);
}

TEST_CASE("the noise policy costs a clean oracle nothing", "[engine][noise]") {
  // A clean oracle never contradicts itself, so noisy bisection never starts, and asking a culprit
  // alone as soon as it is found asks the certification's own trial earlier. Totals over 20 seeds,
  // as before the noise policy changed (and with noisy bisection off).
  struct Row {
    std::size_t items;
    std::size_t k;
    std::size_t runs;
  };
  const Row rows[] = {{1000, 1, 290},  {1000, 3, 746},   {1000, 10, 1917},
                      {30000, 1, 389}, {30000, 3, 1037}, {30000, 10, 2905}};
  for (const Row& row : rows) {
    std::size_t runs = 0;
    std::size_t runs_without = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      SimulatedBehaviour behaviour = independent(row.items, spread_culprits(row.items, row.k, seed));
      Searched searched = search_simulated(behaviour);
      CHECK(searched.result.culprits == behaviour.culprits);
      CHECK(searched.counters.repeats == 0);
      runs += searched.runs;
      SearchOptions options;
      options.noisy_bisection = false;
      runs_without += search_flipped(behaviour, {}, options).runs;
    }
    INFO(row.items << " items, k " << row.k);
    CHECK(runs == row.runs);
    CHECK(runs_without == row.runs);
  }
}

TEST_CASE("an unexpected sanity majority that the oracle contradicted is asked up to 7 times",
          "[engine][noise]") {
  // All-bad answers pass, fail, pass (two flips): a majority of three says "does not reproduce", but
  // the oracle has contradicted itself on the way, so it is asked until 7 asks could not change it.
  SimulatedBehaviour behaviour = independent(1000, {737});
  Flipped flipped = search_flipped(behaviour, {{range_of(0, 1000), {0, 2}}});
  CHECK(flipped.result.all_bad == Outcome::fail);
  CHECK(flipped.result.status == SearchStatus::found);
  CHECK(flipped.result.culprits == std::vector<std::size_t>{737});
  SECTION("a clean oracle that does not reproduce still pays 3 runs") {
    Searched searched = search_simulated(independent(1000, {}));
    CHECK(searched.result.status == SearchStatus::not_reproducible);
    CHECK(searched.runs == 3);
  }
}

TEST_CASE("the confirming re-run of a one-culprit answer re-runs the rest, which catches a missed culprit",
          "[engine][noise]") {
  // Culprits 17 and 400: group testing finds 17, then "everything but 17" is flipped to pass once, so
  // the search stops with {17}. Re-running 17 alone (as before) agreed and returned that partial
  // answer; re-running the rest fails, the oracle has contradicted itself, and noisy bisection
  // finds both.
  SimulatedBehaviour behaviour = independent(1000, {17, 400});
  Subset rest = all_but(1000, {17});
  Flipped flipped = search_flipped(behaviour, {{rest, {0}}});
  CHECK(flipped.result.status == SearchStatus::found);
  CHECK(flipped.result.culprits == std::vector<std::size_t>{17, 400});
  CHECK(flipped.result.complete);
  SECTION("a clean one-culprit search still costs what it did, one re-run included") {
    Searched one = search_simulated(independent(1000, {737}));
    CHECK(one.runs == 15);
    CHECK(one.counters.confirmations == 1);
    CHECK(one.result.confidence[0].agreeing == 3);
  }
}

TEST_CASE("noisy bisection finds and certifies independent culprits from the sanity answers alone",
          "[engine][noise]") {
  for (std::size_t k : {1, 2, 3}) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      SimulatedBehaviour behaviour = independent(1000, spread_culprits(1000, k, seed));
      behaviour.flip_rate = 0.10;
      behaviour.flip_each_ask = true;
      behaviour.seed = seed;
      SimulatedExecutor executor(behaviour);
      Prober prober(k_level, 1000, executor, nullptr, nullptr, 1, nullptr);
      prober.outcome(Subset{});
      prober.outcome(range_of(0, 1000));
      NoisyResult noisy = noisy_group_testing(prober);
      INFO("k " << k << ", seed " << seed << ": " << noisy.message);
      CHECK(noisy.status == SearchStatus::found);
      CHECK(noisy.culprits == behaviour.culprits);
      // Each culprit alone, and everything but them, rest on two more agreeing answers than not.
      for (std::size_t culprit : noisy.culprits) {
        Votes alone = prober.votes(Subset{culprit});
        CHECK(alone.fail >= alone.pass + 2);
      }
      Votes rest = prober.votes(all_but(1000, noisy.culprits));
      CHECK(rest.pass >= rest.fail + 2);
      CHECK(noisy.flip_rate >= 0.05);
      CHECK(noisy.asks <= 50 * k);  // about 19 prefixes per culprit at 10%, its certificate, the rest
    }
  }
}

TEST_CASE("noisy bisection names nobody when the culprits interact", "[engine][noise]") {
  // The prefixes point at the pair's second item, which does not fail alone however often it is
  // asked: the interaction is reported, not a culprit.
  SimulatedExecutor executor(interacting(1000, {123, 877}));
  Prober prober(k_level, 1000, executor, nullptr, nullptr, 1, nullptr);
  prober.outcome(Subset{});
  prober.outcome(range_of(0, 1000));
  NoisyResult noisy = noisy_group_testing(prober);
  CHECK(noisy.status == SearchStatus::inconclusive);
  CHECK(noisy.message.find("interact") != std::string::npos);
  CHECK(prober.votes(Subset{877}).pass >= 5);
  CHECK(executor.runs() <= 32);
}

TEST_CASE("votes: majority of the resolved answers, and a sequential stop", "[engine][prober][noise]") {
  Votes votes;
  CHECK(majority(votes) == Outcome::unresolved);
  votes.add(Outcome::fail);
  CHECK(majority(votes) == Outcome::fail);
  CHECK_FALSE(decided(votes, 3));  // two more asks could still outvote one
  CHECK(decided(votes, 1));
  votes.add(Outcome::pass);
  CHECK(votes.disagree());
  CHECK(majority(votes) == Outcome::unresolved);  // a tie is no answer
  votes.add(Outcome::unresolved);
  CHECK(majority(votes) == Outcome::unresolved);  // an unresolved vote never breaks a tie
  CHECK(decided(votes, 3));
  votes.add(Outcome::fail);
  CHECK(majority(votes) == Outcome::fail);
  CHECK(describe(votes) == "2 fail, 1 pass, 1 unresolved");
  Votes agreeing;
  agreeing.add(Outcome::pass);
  agreeing.add(Outcome::pass);
  CHECK(decided(agreeing, 3));  // 2 of 3 agree: the third ask cannot change it
  CHECK_FALSE(decided(agreeing, 5));
}

TEST_CASE("every ask is recorded; a resumed search replays the latest recorded answer as one vote",
          "[engine][prober][noise]") {
  // The store's cache maps a key to its latest trial, so TrialCache::lookup returns one answer; the
  // store keeps every ask in its trials table.
  std::unique_ptr<Store> store = Store::open_in_memory();
  store->begin_session({"objects", "{}", "good", "1", "bad", "1"});
  SimulatedBehaviour behaviour = independent(1000, {737});
  FlipAsks executor(behaviour, {{range_of(512, 768), {0}}});
  Prober prober(
      k_level, 1000, executor, store.get(),
      [](const Subset& subset) { return k_level + ":" + encode_ranges(subset); }, 1, nullptr);
  SearchResult first = search(prober, SearchOptions{});
  CHECK(first.culprits == std::vector<std::size_t>{737});
  std::vector<TrialRow> recorded = store->trials(k_level);
  CHECK(recorded.size() == executor.runs());
  std::set<std::string> keys;
  for (const TrialRow& row : recorded) {
    keys.insert(row.cache_key);
  }
  Searched second = search_simulated(behaviour, 1, store.get());
  CHECK(second.result.status == SearchStatus::found);
  CHECK(second.result.culprits == std::vector<std::size_t>{737});
  CHECK(second.counters.cached > 0);
  // Every configuration the first search recorded is replayed, never run again, except by the
  // confirming re-run. (The first search ended by noisy bisection over prefixes, so the clean second
  // search also runs the group-testing pieces it never asked: 8 of them.)
  std::vector<TrialRow> all = store->trials(k_level);
  std::size_t rerun = 0;
  for (std::size_t i = recorded.size(); i < all.size(); ++i) {
    rerun += keys.count(all[i].cache_key);
  }
  CHECK(rerun == second.counters.confirmations);
  CHECK(rerun == 1);
  CHECK(second.runs == 9);
}

TEST_CASE("without the policy a noiseless search costs what it did before", "[engine][noise]") {
  SearchOptions options;
  options.adaptive = false;
  Flipped pair = search_flipped(interacting(1000, {123, 877}), {}, options);
  CHECK(pair.result.culprits == std::vector<std::size_t>{123, 877});
  CHECK(pair.runs == 66);
  Flipped one = search_flipped(independent(1000, {737}), {}, options);
  CHECK(one.runs == 15);
}

namespace {
// Loses the first `losses` runs of every subset in `lost` (a cancelled or preempted cluster job),
// then answers as `behaviour` does.
class LosingExecutor : public TrialExecutor {
 public:
  LosingExecutor(const SimulatedBehaviour& behaviour, std::set<Subset> lost, std::size_t losses)
      : m_inner(behaviour), m_lost(std::move(lost)), m_losses(losses) {}
  TrialResult run(const Subset& subset, std::size_t slot) override {
    ++m_runs;
    if (m_lost.count(subset) > 0 && m_seen[subset]++ < m_losses) {
      TrialResult lost;
      lost.reason = UnresolvedReason::executor_lost;
      lost.log_tail = "job cancelled";
      return lost;
    }
    return m_inner.run(subset, slot);
  }
  std::size_t runs() const { return m_runs; }

 private:
  SimulatedExecutor m_inner;
  std::set<Subset> m_lost;
  std::size_t m_losses;
  std::map<Subset, std::size_t> m_seen;
  std::size_t m_runs = 0;
};
}  // namespace

TEST_CASE("a trial the executor lost is recorded, run once more, and only the second answer counts",
          "[engine][prober]") {
  std::unique_ptr<Store> store = Store::open_in_memory();
  auto key = [](const Subset& subset) { return k_level + ":" + encode_ranges(subset); };
  SimulatedBehaviour behaviour = independent(64, {21});
  Subset all_bad(64);
  std::iota(all_bad.begin(), all_bad.end(), 0);

  SECTION("lost once: the search goes on as if nothing happened") {
    LosingExecutor executor(behaviour, {all_bad, Subset{}}, 1);
    Prober prober(k_level, 64, executor, store.get(), key, 1, nullptr);
    SearchResult result = search(prober, SearchOptions{});
    CHECK(result.status == SearchStatus::found);
    CHECK(result.culprits == std::vector<std::size_t>{21});
    CHECK(prober.counters().lost == 2);
    CHECK(prober.counters().run == executor.runs());
    std::vector<TrialRow> trials = store->trials(k_level);
    REQUIRE(trials.size() == executor.runs());
    // Each lost trial is followed, for the same configuration, by a judged one.
    std::size_t lost = 0;
    for (std::size_t i = 0; i < trials.size(); ++i) {
      if (trials[i].result.reason == UnresolvedReason::executor_lost) {
        ++lost;
        REQUIRE(i + 1 < trials.size());
        CHECK(trials[i + 1].cache_key == trials[i].cache_key);
        CHECK(trials[i + 1].result.outcome != Outcome::unresolved);
      }
    }
    CHECK(lost == 2);
    CHECK(store->lookup(key(all_bad))->outcome == Outcome::fail);
  }
  SECTION("lost twice: the answer is unresolved, which blames nobody") {
    LosingExecutor executor(behaviour, {all_bad}, 2);
    Prober prober(k_level, 64, executor, store.get(), key, 1, nullptr);
    CHECK(prober.outcome(all_bad) == Outcome::unresolved);
    CHECK(executor.runs() == 2);
    CHECK(prober.counters().lost == 1);
    CHECK(prober.result(all_bad)->reason == UnresolvedReason::executor_lost);
  }
}
