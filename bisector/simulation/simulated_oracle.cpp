// SimulatedExecutor: a stand-in for build + link + oracle, with known culprits.
//
// The truth is computed from the culprit list (any of them for independent culprits, all of them
// for interacting ones). Noise is layered on top: each subset gets a 64-bit fingerprint, and each
// kind of noise (unresolved, flip) draws a number in [0, 1) from hash(seed, purpose, fingerprint)
// (with `flip_each_ask`, the flip draw also hashes how many times that subset was asked before).
// A draw therefore depends only on what is asked, never on when or on which thread, which is what
// lets the tests demand that -j 4 reaches the same answer as -j 1.
#include "bisector/simulation/simulated_oracle.hpp"

#include <algorithm>
#include <thread>

namespace ccbisect {
namespace {

// The purposes a subset's fingerprint is hashed for; distinct so the draws are independent.
constexpr std::uint64_t k_unresolved_salt = 0x756e7265736f6c76ULL;  // "unresolv"
constexpr std::uint64_t k_flip_salt = 0x666c6970666c6970ULL;        // "flipflip"

// SplitMix64's finalizer: a cheap bijective mix with good avalanche.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::vector<std::size_t> sorted_unique(std::vector<std::size_t> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

bool holds_any(const Subset& subset, const std::vector<std::size_t>& items) {
  return std::any_of(items.begin(), items.end(), [&](std::size_t item) {
    return std::binary_search(subset.begin(), subset.end(), item);
  });
}

std::uint64_t fingerprint(const Subset& subset) {
  std::uint64_t hash = mix(subset.size());
  for (std::size_t item : subset) {
    hash = mix(hash ^ static_cast<std::uint64_t>(item));
  }
  return hash;
}

// A number in [0, 1) that is a pure function of its arguments.
double draw(std::uint64_t seed, std::uint64_t salt, std::uint64_t print) {
  std::uint64_t bits = mix(mix(seed ^ salt) ^ print);
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

// Keeps the peak of concurrent run() calls, for tests that check -j N really overlaps trials.
class InFlight {
 public:
  InFlight(std::atomic<std::size_t>& in_flight, std::atomic<std::size_t>& peak) : m_in_flight(in_flight) {
    std::size_t now = ++m_in_flight;
    std::size_t seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
  }
  ~InFlight() { --m_in_flight; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<std::size_t>& m_in_flight;
};

int exit_status_of(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return 0;
    case Outcome::fail:
      return 1;
    case Outcome::unresolved:
      return 125;
  }
  return 125;
}

}  // namespace

SimulatedExecutor::SimulatedExecutor(SimulatedBehaviour behaviour)
    : m_behaviour(std::move(behaviour)),
      m_sorted_culprits(sorted_unique(m_behaviour.culprits)),
      m_sorted_unbuildable(sorted_unique(m_behaviour.unbuildable)) {}

Outcome SimulatedExecutor::truth(const Subset& subset) const {
  if (m_behaviour.good_fails) {
    return Outcome::fail;
  }
  if (m_sorted_culprits.empty()) {
    return Outcome::pass;
  }
  bool fails = m_behaviour.kind == CulpritKind::independent
                   ? holds_any(subset, m_sorted_culprits)
                   : std::all_of(m_sorted_culprits.begin(), m_sorted_culprits.end(), [&](std::size_t item) {
                       return std::binary_search(subset.begin(), subset.end(), item);
                     });
  return fails ? Outcome::fail : Outcome::pass;
}

Outcome SimulatedExecutor::judge(const Subset& subset, std::size_t ask) const {
  Outcome outcome = truth(subset);
  bool sanity = subset.empty() || subset.size() == m_behaviour.item_count;
  if (sanity && m_behaviour.sanity_exempt) {
    return outcome;
  }
  if (holds_any(subset, m_sorted_unbuildable)) {
    return Outcome::unresolved;
  }
  if (m_behaviour.unresolved_rate <= 0.0 && m_behaviour.flip_rate <= 0.0) {
    return outcome;  // no noise: skip hashing, which matters for the overhead benchmark at N=30000
  }
  std::uint64_t print = fingerprint(subset);
  if (draw(m_behaviour.seed, k_unresolved_salt, print) < m_behaviour.unresolved_rate) {
    return Outcome::unresolved;
  }
  std::uint64_t flip_print = m_behaviour.flip_each_ask ? mix(print ^ mix(ask)) : print;
  if (draw(m_behaviour.seed, k_flip_salt, flip_print) < m_behaviour.flip_rate) {
    return outcome == Outcome::fail ? Outcome::pass : Outcome::fail;
  }
  return outcome;
}

TrialResult SimulatedExecutor::run(const Subset& subset, std::size_t /*slot*/) {
  InFlight in_flight(m_in_flight, m_peak);
  ++m_runs;
  std::size_t ask = 0;
  {
    std::lock_guard lock(m_mutex);
    std::uint64_t print = fingerprint(subset);
    m_fingerprints.push_back(print);
    ask = m_asks[print]++;
  }
  if (m_behaviour.sleep.count() > 0) {
    std::this_thread::sleep_for(m_behaviour.sleep);
  }
  TrialResult result;
  result.outcome = judge(subset, ask);
  if (result.outcome == Outcome::unresolved) {
    result.reason = UnresolvedReason::oracle_said_unresolved;  // as a test script's exit 125 would
  }
  result.exit_status = exit_status_of(result.outcome);
  result.seconds = std::chrono::duration<double>(m_behaviour.sleep).count();
  result.log_tail = "simulated";
  return result;
}

std::size_t SimulatedExecutor::distinct_runs() const {
  std::vector<std::uint64_t> prints;
  {
    std::lock_guard lock(m_mutex);
    prints = m_fingerprints;
  }
  std::sort(prints.begin(), prints.end());
  return static_cast<std::size_t>(std::unique(prints.begin(), prints.end()) - prints.begin());
}

}  // namespace ccbisect
