// Prober: memo + persistent cache + executor, with parallel prefetch. See prober.hpp for the contract.
//
// Parallel trials run on std::threads, one executor slot each; results are recorded to the cache
// (one transaction per trial) under a mutex the moment each trial ends, so a kill loses at most the
// trials still running. Re-asks (votes) run one at a time, after the first answers, so the votes a
// configuration gets do not depend on -j.
#include "bisector/prober.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "bisector/progress.hpp"

namespace ccbisect {

void Votes::add(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      ++pass;
      break;
    case Outcome::fail:
      ++fail;
      break;
    case Outcome::unresolved:
      ++unresolved;
      break;
  }
}

Outcome majority(const Votes& votes) {
  if (votes.pass > votes.fail) {
    return Outcome::pass;
  }
  if (votes.fail > votes.pass) {
    return Outcome::fail;
  }
  return Outcome::unresolved;
}

std::string describe(const Votes& votes) {
  std::string text;
  auto add = [&](std::size_t n, const char* name) {
    if (n > 0) {
      text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + name;
    }
  };
  add(votes.fail, "fail");
  add(votes.pass, "pass");
  add(votes.unresolved, "unresolved");
  return text;
}

bool decided(const Votes& votes, std::size_t max_asks) {
  if (votes.total() >= max_asks) {
    return true;
  }
  std::size_t remaining = max_asks - votes.total();
  std::size_t lead = votes.pass > votes.fail ? votes.pass - votes.fail : votes.fail - votes.pass;
  return lead > remaining;
}

Prober::Prober(std::string level, std::size_t item_count, TrialExecutor& executor, TrialCache* cache,
               KeyFunction key_of, std::size_t jobs, ProgressSink progress)
    : m_level(std::move(level)),
      m_item_count(item_count),
      m_executor(executor),
      m_cache(cache),
      m_key_of(std::move(key_of)),
      m_jobs(std::max<std::size_t>(1, std::min(jobs, executor.slots()))),
      m_progress(std::move(progress)) {}

std::optional<TrialResult> Prober::result(const Subset& subset) const {
  std::lock_guard lock(m_mutex);
  auto found = m_memo.find(subset);
  if (found == m_memo.end()) {
    return std::nullopt;
  }
  return found->second.result;
}

Votes Prober::votes(const Subset& subset) const {
  std::lock_guard lock(m_mutex);
  auto found = m_memo.find(subset);
  return found == m_memo.end() ? Votes{} : found->second.votes;
}

bool Prober::consulted(const Subset& subset) const {
  std::lock_guard lock(m_mutex);
  auto found = m_memo.find(subset);
  return found != m_memo.end() && found->second.consulted;
}

void Prober::for_each_answer(const std::function<void(const Subset&, const Votes&)>& visit) const {
  std::lock_guard lock(m_mutex);
  for (const auto& [subset, answer] : m_memo) {
    visit(subset, answer.votes);
  }
}

void Prober::for_each_consulted(const std::function<void(const Subset&, const Votes&)>& visit) const {
  std::lock_guard lock(m_mutex);
  for (const auto& [subset, answer] : m_memo) {
    if (answer.consulted) {
      visit(subset, answer.votes);
    }
  }
}

void Prober::mark_consulted(const Subset& subset) {
  std::lock_guard lock(m_mutex);
  auto found = m_memo.find(subset);
  if (found != m_memo.end()) {
    found->second.consulted = true;
  }
}

std::optional<TrialResult> Prober::lookup(const Subset& subset) {
  {
    std::lock_guard lock(m_mutex);
    auto found = m_memo.find(subset);
    if (found != m_memo.end()) {
      return found->second.result;
    }
  }
  if (m_cache == nullptr) {
    return std::nullopt;
  }
  std::optional<TrialResult> cached;
  {
    std::lock_guard lock(m_mutex);
    cached = m_cache->lookup(m_key_of(subset));
  }
  // An unresolved trial is no answer about the mix: it runs again (the cause, a broken script or a
  // failed link, may have been fixed since) rather than being replayed.
  if (cached && cached->outcome == Outcome::unresolved) {
    return std::nullopt;
  }
  if (cached) {
    remember(subset, *cached, true);
  }
  return cached;
}

void Prober::remember(const Subset& subset, const TrialResult& result, bool from_cache) {
  std::lock_guard lock(m_mutex);
  Votes votes;
  votes.add(result.outcome);
  m_memo.emplace(subset, Answer{result, votes, m_repeat});
  if (from_cache) {
    ++m_counters.cached;
  } else {
    ++m_counters.run;
    m_counters.trial_seconds += result.seconds;
    if (m_cache != nullptr) {
      m_cache->record(m_key_of(subset), m_level, subset, result);
    }
  }
  if (result.outcome == Outcome::unresolved) {
    ++m_counters.unresolved;
  }
  if (m_progress) {
    m_progress(
        format_progress(m_level, subset.size(), m_item_count, result.outcome, from_cache, m_steps_left));
  }
}

TrialResult Prober::run_trial(const Subset& subset, std::size_t slot) {
  TrialResult result = m_executor.run(subset, slot);
  if (result.outcome != Outcome::unresolved || result.reason != UnresolvedReason::executor_lost) {
    return result;
  }
  {
    std::lock_guard lock(m_mutex);
    ++m_counters.run;
    ++m_counters.lost;
    m_counters.trial_seconds += result.seconds;
    if (m_cache != nullptr) {
      m_cache->record(m_key_of(subset), m_level, subset, result);
    }
    if (m_progress) {
      m_progress(format_progress(m_level, subset.size(), m_item_count, result.outcome, false, -1) +
                 " (the executor lost it; running it again)");
    }
  }
  return m_executor.run(subset, slot);
}

Outcome Prober::outcome(const Subset& subset) {
  if (!lookup(subset)) {
    TrialResult result = run_trial(subset, 0);
    remember(subset, result, false);
  }
  std::size_t asks = 1;
  {
    std::lock_guard lock(m_mutex);
    Answer& answer = m_memo.at(subset);
    if (!answer.consulted) {
      // A prefetched answer is asked under the repeat in force when the search first wants it,
      // as at -j 1.
      answer.asks = m_repeat;
      answer.consulted = true;
    }
    asks = answer.asks;
  }
  return asks > 1 ? settle(subset, asks) : majority(votes(subset));
}

Outcome Prober::settle(const Subset& subset, std::size_t max_asks) {
  if (!lookup(subset)) {
    TrialResult result = run_trial(subset, 0);
    remember(subset, result, false);
  }
  mark_consulted(subset);
  while (!decided(votes(subset), max_asks)) {
    run_again(subset, "asking again", false);
  }
  return majority(votes(subset));
}

Outcome Prober::ask_again(const Subset& subset) {
  if (!lookup(subset)) {
    return outcome(subset);
  }
  run_again(subset, "asking again", false);
  return majority(votes(subset));
}

Outcome Prober::rerun(const Subset& subset) { return run_again(subset, "confirming the answer", true); }

Outcome Prober::run_again(const Subset& subset, const char* why, bool confirmation) {
  TrialResult result = run_trial(subset, 0);
  {
    std::lock_guard lock(m_mutex);
    ++m_counters.run;
    ++(confirmation ? m_counters.confirmations : m_counters.repeats);
    m_counters.trial_seconds += result.seconds;
    if (result.outcome == Outcome::unresolved) {
      ++m_counters.unresolved;
    }
    if (m_cache != nullptr) {
      m_cache->record(m_key_of(subset), m_level, subset, result);
    }
    auto found = m_memo.find(subset);
    if (found == m_memo.end()) {
      Votes votes;
      votes.add(result.outcome);
      m_memo.emplace(subset, Answer{result, votes, m_repeat, true});
    } else {
      found->second.consulted = true;
      found->second.votes.add(result.outcome);
      found->second.result.outcome = majority(found->second.votes);
    }
  }
  if (m_progress) {
    m_progress(format_progress(m_level, subset.size(), m_item_count, result.outcome, false, -1) + " (" + why +
               ")");
  }
  return result.outcome;
}

void Prober::prefetch(const std::vector<Subset>& subsets) {
  if (m_jobs <= 1) {
    return;
  }
  std::vector<Subset> todo;
  for (const Subset& subset : subsets) {
    if (todo.size() == m_jobs) {
      break;
    }
    if (std::find(todo.begin(), todo.end(), subset) == todo.end() && !lookup(subset)) {
      todo.push_back(subset);
    }
  }
  if (todo.size() <= 1) {
    return;  // nothing to overlap; the caller's next outcome() runs it
  }
  std::vector<std::thread> workers;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  for (std::size_t slot = 0; slot < todo.size(); ++slot) {
    workers.emplace_back([&, slot] {
      try {
        TrialResult result = run_trial(todo[slot], slot);
        remember(todo[slot], result, false);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) {
          failure = std::current_exception();
        }
      }
    });
  }
  for (std::thread& worker : workers) {
    worker.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

}  // namespace ccbisect
