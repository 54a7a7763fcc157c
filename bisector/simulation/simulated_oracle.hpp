// A simulated trial executor for testing and benchmarking the engine without compilers.
//
// It knows which items are the culprits and answers a subset the way a real build + oracle would:
// fail when the culprits are present, pass otherwise; optionally unresolved or flipped at random.
// Every random draw is a pure function of (seed, subset, purpose), never of call order or thread,
// so the same subset always gets the same answer: `-j N` must reach the answer of `-j 1`, and a
// resumed search must replay the same questions. Thread-safe: run() may be called concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "bisector/trial.hpp"

namespace ccbisect {

enum class CulpritKind {
  independent,  // a subset fails iff it holds at least one culprit
  interacting,  // a subset fails iff it holds every culprit
};

struct SimulatedBehaviour {
  std::size_t item_count = 0;
  std::vector<std::size_t> culprits;  // item indices; with none, nothing ever fails (all-bad passes)
  CulpritKind kind = CulpritKind::independent;
  double unresolved_rate = 0.0;  // probability that a trial is unresolved (1.0: always)
  double flip_rate = 0.0;        // probability that a resolved answer is flipped pass <-> fail
  // Each ask of a configuration draws its own flip (the n-th ask of a subset is hashed with n): a
  // noisy oracle that asking again can outvote. Without it a flipped configuration stays flipped
  // (a wrong but repeatable answer, which no re-ask can catch, only a contradiction).
  bool flip_each_ask = false;
  std::uint64_t seed = 0;  // selects which subsets are unresolved or flipped
  // Items that make every trial holding them from bad unresolved, as an object that does not link
  // against the other side's objects would.
  std::vector<std::size_t> unbuildable;
  // All-good and all-bad are answered truthfully, never unresolved nor flipped: lets a test study
  // the search itself instead of watching the sanity check refuse.
  bool sanity_exempt = false;
  // The good side fails too (a failure the difference does not cause): every trial fails.
  bool good_fails = false;
  std::chrono::milliseconds sleep{0};  // per trial, for slow-oracle and -j N tests
  std::size_t slots = 1;               // concurrent trials allowed (the Prober's -j cap)
};

class SimulatedExecutor : public TrialExecutor {
 public:
  explicit SimulatedExecutor(SimulatedBehaviour behaviour);

  // Answers `subset` per the behaviour; exit status 0 pass, 1 fail, 125 unresolved (git bisect's
  // "skip"). Never throws.
  TrialResult run(const Subset& subset, std::size_t slot) override;
  std::size_t slots() const override { return m_behaviour.slots; }

  // The answer run() gives for the `ask`-th ask (0-based) of `subset`, without counting a run or
  // sleeping; the ask matters only with `flip_each_ask`.
  Outcome judge(const Subset& subset, std::size_t ask = 0) const;
  // The answer without unresolved draws or flips: what a perfect oracle would say.
  Outcome truth(const Subset& subset) const;

  // How many times run() was called.
  std::size_t runs() const { return m_runs.load(); }
  // How many different subsets run() was called with; equals runs() when nothing ran twice.
  std::size_t distinct_runs() const;
  // The most run() calls that were in progress at the same moment.
  std::size_t peak_concurrency() const { return m_peak.load(); }
  const SimulatedBehaviour& behaviour() const { return m_behaviour; }

 private:
  SimulatedBehaviour m_behaviour;
  std::vector<std::size_t> m_sorted_culprits;
  std::vector<std::size_t> m_sorted_unbuildable;
  std::atomic<std::size_t> m_runs{0};
  std::atomic<std::size_t> m_in_flight{0};
  std::atomic<std::size_t> m_peak{0};
  mutable std::mutex m_mutex;                   // guards m_fingerprints
  std::vector<std::uint64_t> m_fingerprints;    // one hash per run() call
  std::map<std::uint64_t, std::size_t> m_asks;  // run() calls per fingerprint so far
};

}  // namespace ccbisect
