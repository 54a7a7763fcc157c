// Prober: memo + persistent cache + executor, with parallel prefetch. See prober.hpp for the contract.
//
// Parallel trials run on std::threads, one executor slot each; results are recorded to the cache
// (one transaction per trial) under a mutex the moment each trial ends, so a kill loses at most the
// trials still running.
#include "bisector/prober.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "bisector/progress.hpp"

namespace ccbisect {

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
  return found->second;
}

std::optional<TrialResult> Prober::lookup(const Subset& subset) {
  {
    std::lock_guard lock(m_mutex);
    auto found = m_memo.find(subset);
    if (found != m_memo.end()) {
      return found->second;
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
  m_memo.emplace(subset, result);
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

Outcome Prober::outcome(const Subset& subset) {
  if (auto known = lookup(subset)) {
    return known->outcome;
  }
  TrialResult result = m_executor.run(subset, 0);
  remember(subset, result, false);
  return result.outcome;
}

Outcome Prober::rerun(const Subset& subset) {
  TrialResult result = m_executor.run(subset, 0);
  {
    std::lock_guard lock(m_mutex);
    ++m_counters.run;
    ++m_counters.confirmations;
    m_counters.trial_seconds += result.seconds;
    if (result.outcome == Outcome::unresolved) {
      ++m_counters.unresolved;
    }
    if (m_cache != nullptr) {
      m_cache->record(m_key_of(subset), m_level, subset, result);
    }
  }
  if (m_progress) {
    m_progress(format_progress(m_level, subset.size(), m_item_count, result.outcome, false, -1) +
               " (confirming the answer)");
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
        TrialResult result = m_executor.run(todo[slot], slot);
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
