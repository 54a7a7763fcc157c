// The engine's only way to ask a question: "what happens with these items from bad?"
//
// A Prober answers from, in order: its in-memory memo, the persistent TrialCache (so a killed search
// resumes without redoing a finished trial; an unresolved trial is never replayed from it, only run
// again), and finally the TrialExecutor. It counts what it did,
// prints progress, and can run several questions at once (`prefetch`) for `-j N`. Because the
// algorithms consult results in a fixed order and a result is the same whether it was prefetched or
// not, `-j N` reaches exactly the answer of `-j 1`; it may only spend extra (speculative) trials.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bisector/trial.hpp"

namespace ccbisect {

struct ProbeCounters {
  std::size_t run = 0;            // trials executed by this process
  std::size_t cached = 0;         // answered from the persistent cache (earlier runs)
  std::size_t unresolved = 0;     // of all answers, how many were unresolved
  double trial_seconds = 0.0;     // wall time spent inside TrialExecutor::run
  std::size_t confirmations = 0;  // deliberate re-runs of an answered configuration (also in `run`)
};

class Prober {
 public:
  // Makes the cache key of a subset: it must cover the level, both toolchains and the item names.
  using KeyFunction = std::function<std::string(const Subset&)>;
  // Receives one progress line per answered trial.
  using ProgressSink = std::function<void(const std::string&)>;

  Prober(std::string level, std::size_t item_count, TrialExecutor& executor, TrialCache* cache,
         KeyFunction key_of, std::size_t jobs, ProgressSink progress);

  // The outcome of `subset` (sorted); runs the trial only if no memo or cache entry has it.
  Outcome outcome(const Subset& subset);
  // The full result of a subset answered before, or nothing.
  std::optional<TrialResult> result(const Subset& subset) const;
  // Runs `subset` again even though it was answered, to confirm an answer; records the new trial.
  // The memo keeps the first answer, so the search itself stays deterministic.
  Outcome rerun(const Subset& subset);
  // Runs up to `jobs` of these subsets that have no answer yet, at the same time. A no-op at -j 1.
  void prefetch(const std::vector<Subset>& subsets);
  // The engine's estimate of remaining trials, shown in progress lines.
  void set_steps_left(int steps) { m_steps_left = steps; }

  std::size_t item_count() const { return m_item_count; }
  std::size_t jobs() const { return m_jobs; }
  const ProbeCounters& counters() const { return m_counters; }
  const std::string& level() const { return m_level; }

 private:
  // Looks in the memo, then in the persistent cache; fills the memo on a cache hit.
  std::optional<TrialResult> lookup(const Subset& subset);
  void remember(const Subset& subset, const TrialResult& result, bool from_cache);

  std::string m_level;
  std::size_t m_item_count;
  TrialExecutor& m_executor;
  TrialCache* m_cache;
  KeyFunction m_key_of;
  std::size_t m_jobs;
  ProgressSink m_progress;
  int m_steps_left = -1;
  std::map<Subset, TrialResult> m_memo;
  ProbeCounters m_counters;
  mutable std::mutex
      m_mutex;  // guards the memo, counters, cache writes and progress while trials run in parallel
};

}  // namespace ccbisect
