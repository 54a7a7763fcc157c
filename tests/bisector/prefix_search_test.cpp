// Tests of bisector/prefix_search.cpp with a scripted executor: the first failing k, the number of
// trials (the two bounds, ceil(log2 N) probes, one confirmation), unresolved limits stepped around,
// and the inconclusive and not-reproducible ends.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <set>

#include "bisector/engine.hpp"
#include "bisector/prefix_search.hpp"
#include "bisector/prober.hpp"
#include "bisector/subset_text.hpp"

using namespace ccbisect;

namespace {

// Allowing the first k steps: fails from `first_bad` on, unresolved for the k in `unresolved`.
class PrefixExecutor : public TrialExecutor {
 public:
  PrefixExecutor(std::size_t first_bad, std::set<std::size_t> unresolved)
      : m_first_bad(first_bad), m_unresolved(std::move(unresolved)) {}
  TrialResult run(const Subset& subset, std::size_t) override {
    ++m_runs;
    TrialResult result;
    std::size_t k = subset.size();
    result.outcome = m_unresolved.count(k) != 0 ? Outcome::unresolved
                     : k >= m_first_bad         ? Outcome::fail
                                                : Outcome::pass;
    return result;
  }
  std::size_t runs() const { return m_runs; }

 private:
  std::size_t m_first_bad;
  std::set<std::size_t> m_unresolved;
  std::size_t m_runs = 0;
};

struct Searched {
  PrefixResult result;
  std::size_t runs = 0;
};

Searched run_search(std::size_t steps, std::size_t first_bad, std::set<std::size_t> unresolved = {}) {
  PrefixExecutor executor(first_bad, std::move(unresolved));
  Prober prober(
      "passes", steps, executor, nullptr, [](const Subset& subset) { return encode_ranges(subset); }, 1,
      nullptr);
  Searched searched;
  searched.result = search_prefix(prober);
  searched.runs = executor.runs();
  return searched;
}

std::size_t log2_ceil(std::size_t n) { return static_cast<std::size_t>(std::ceil(std::log2(n))); }

}  // namespace

TEST_CASE("the first failing step is found in ceil(log2 N) probes plus bounds and a confirmation",
          "[prefix]") {
  for (std::size_t steps : {1, 2, 7, 100, 1000}) {
    for (std::size_t first_bad : {std::size_t{1}, steps / 2 + 1, steps}) {
      INFO(steps << " steps, the first bad is " << first_bad);
      Searched searched = run_search(steps, first_bad);
      REQUIRE(searched.result.status == SearchStatus::found);
      CHECK(searched.result.first_failing == first_bad);
      CHECK(searched.result.last_passing == first_bad - 1);
      CHECK(searched.runs <= 2 + log2_ceil(steps) + 1);
    }
  }
}

TEST_CASE("prefix(k) is the first k steps", "[prefix]") {
  CHECK(prefix(0).empty());
  CHECK(prefix(3) == Subset{0, 1, 2});
}

TEST_CASE("an unresolved limit is stepped around, never used to decide", "[prefix]") {
  Searched searched = run_search(100, 37, {50, 25, 40});
  REQUIRE(searched.result.status == SearchStatus::found);
  CHECK(searched.result.first_failing == 37);
  CHECK(searched.result.last_passing == 36);
}

TEST_CASE("when every limit in the open interval is unresolved, the answer is inconclusive", "[prefix]") {
  std::set<std::size_t> unresolved;
  for (std::size_t k = 31; k < 40; ++k) {
    unresolved.insert(k);
  }
  Searched searched = run_search(100, 35, unresolved);
  CHECK(searched.result.status == SearchStatus::inconclusive);
  CHECK(searched.result.last_passing == 30);
  CHECK(searched.result.first_failing == 40);
  CHECK_THAT(searched.result.message, Catch::Contains("31..40"));
}

TEST_CASE("a search whose bounds do not pass and fail is not reproducible", "[prefix]") {
  Searched never_fails = run_search(10, 11);  // even all ten steps pass
  CHECK(never_fails.result.status == SearchStatus::not_reproducible);
  CHECK(never_fails.runs == 2);
  Searched always_fails = run_search(10, 0);  // fails with no step allowed
  CHECK(always_fails.result.status == SearchStatus::not_reproducible);
  CHECK_THAT(always_fails.result.message, Catch::Contains("with no step allowed: fail"));
}
