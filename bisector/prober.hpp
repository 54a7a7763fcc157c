// The engine's only way to ask a question: "what happens with these items from bad?"
//
// A Prober answers from, in order: its in-memory memo, the persistent TrialCache (so a killed search
// resumes without redoing a finished trial; an unresolved trial is never replayed from it, only run
// again), and finally the TrialExecutor. It counts what it did,
// prints progress, and can run several questions at once (`prefetch`) for `-j N`. Because the
// algorithms consult results in a fixed order and a result is the same whether it was prefetched or
// not, `-j N` reaches exactly the answer of `-j 1`; it may only spend extra (speculative) trials.
//
// Votes: a configuration may be asked more than once (`repeat`, `settle`, `ask_again`, `rerun`).
// Every ask is recorded as its own trial in the TrialCache; the memo keeps every answer seen and
// answers with their majority (`majority`: more fail than pass votes is fail, more pass is pass,
// a tie or no resolved vote is unresolved; unresolved votes never outvote a resolved one). A cache
// hit is one vote: TrialCache::lookup returns only the latest recorded trial of a key (the store's
// cache table maps a key to one trial), so a resumed search replays that one answer and asks again
// only where the policy wants more votes than that.
//
// Lost trials: a trial the executor lost (bisector/executor.hpp) is recorded and run once more
// before its answer counts; a second loss is the answer (unresolved, which blames no item).
#pragma once

#include <algorithm>
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
  std::size_t confirmations = 0;  // deliberate re-runs of an answer by `rerun` (also in `run`)
  std::size_t repeats = 0;        // further asks by `repeat`, `settle`, `ask_again` (also in `run`)
  std::size_t lost = 0;           // trials the executor lost and that ran once more (also in `run`)
};

// Every answer one configuration got, in the order asked.
struct Votes {
  std::size_t pass = 0;
  std::size_t fail = 0;
  std::size_t unresolved = 0;

  std::size_t total() const { return pass + fail + unresolved; }
  // Both pass and fail were seen: the oracle contradicted itself on this configuration.
  bool disagree() const { return pass > 0 && fail > 0; }
  void add(Outcome outcome);
};

// The answer the votes support: pass or fail by strict majority of the resolved votes, else unresolved.
Outcome majority(const Votes& votes);
// "2 fail, 1 pass": the votes for a message.
std::string describe(const Votes& votes);
// Whether `max_asks` asks in total could no longer change the majority (a sequential stop).
bool decided(const Votes& votes, std::size_t max_asks);

class Prober {
 public:
  // Makes the cache key of a subset: it must cover the level, both toolchains and the item names.
  using KeyFunction = std::function<std::string(const Subset&)>;
  // Receives one progress line per answered trial.
  using ProgressSink = std::function<void(const std::string&)>;

  Prober(std::string level, std::size_t item_count, TrialExecutor& executor, TrialCache* cache,
         KeyFunction key_of, std::size_t jobs, ProgressSink progress);

  // The majority outcome of `subset` (sorted); runs the trial only if no memo or cache entry has
  // it, then (when it was first asked under `set_repeat(n)`, n > 1) asks again until n asks could
  // not change the majority.
  Outcome outcome(const Subset& subset);
  // The full result of a subset answered before (its outcome the majority), or nothing.
  std::optional<TrialResult> result(const Subset& subset) const;
  // The votes of a subset answered before (empty when never asked).
  Votes votes(const Subset& subset) const;
  // Whether the search asked for `subset` (outcome, settle, ask_again, rerun), as opposed to its
  // answer being only prefetched or never asked.
  bool consulted(const Subset& subset) const;
  // Runs `subset` again even though it was answered, to confirm an answer; records the new trial,
  // adds its vote and returns the new ask's own outcome (not the majority).
  Outcome rerun(const Subset& subset);
  // Asks `subset` once more (a re-ask by the noise policy); returns the new majority.
  Outcome ask_again(const Subset& subset);
  // Asks `subset` until `max_asks` asks in total could not change its majority (or max_asks were
  // made); returns the majority. Asks at least once if it was never asked.
  Outcome settle(const Subset& subset, std::size_t max_asks);
  // Every configuration of the memo with its votes, in subset order; `visit` must not call the Prober.
  void for_each_answer(const std::function<void(const Subset&, const Votes&)>& visit) const;
  // The same, restricted to the configurations the search consulted (outcome, settle, ask_again,
  // rerun), leaving out answers only a speculative `prefetch` got: what -j 1 would also have seen.
  void for_each_consulted(const std::function<void(const Subset&, const Votes&)>& visit) const;
  // Asks of each configuration first asked from now on (majority of up to `repeat`, sequential
  // stop); 1 by default. Configurations asked before keep the number they were asked with.
  void set_repeat(std::size_t repeat) { m_repeat = std::max<std::size_t>(1, repeat); }
  std::size_t repeat() const { return m_repeat; }
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
  void mark_consulted(const Subset& subset);

  std::string m_level;
  std::size_t m_item_count;
  TrialExecutor& m_executor;
  TrialCache* m_cache;
  KeyFunction m_key_of;
  std::size_t m_jobs;
  ProgressSink m_progress;
  int m_steps_left = -1;
  struct Answer {
    TrialResult result;  // the first answer's details; `outcome` holds the current majority
    Votes votes;
    std::size_t asks = 1;    // the `repeat` in force when the search first asked for it
    bool consulted = false;  // asked for by the search, not only prefetched
  };
  // The executor's answer for `subset` in `slot`. A trial the executor lost (executor_lost: a
  // cancelled or preempted job, a lost node) says nothing about the mix: it is recorded as it
  // came back, then run once more, and the second answer is the one returned.
  TrialResult run_trial(const Subset& subset, std::size_t slot);
  // Runs `subset` once more and adds the vote; `why` goes on the progress line.
  Outcome run_again(const Subset& subset, const char* why, bool confirmation);

  std::size_t m_repeat = 1;
  std::map<Subset, Answer> m_memo;
  ProbeCounters m_counters;
  mutable std::mutex
      m_mutex;  // guards the memo, counters, cache writes and progress while trials run in parallel
};

}  // namespace ccbisect
