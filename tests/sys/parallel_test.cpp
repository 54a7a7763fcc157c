// Tests of sys/parallel.cpp: every item exactly once, the thread bound, and the first failure rethrown.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sys/parallel.hpp"

using namespace ccbisect;

TEST_CASE("parallel_for_each visits every item once on at most `jobs` threads", "[parallel]") {
  std::vector<int> items(200);
  for (int i = 0; i < 200; ++i) {
    items[static_cast<std::size_t>(i)] = i;
  }
  for (std::size_t jobs : {0, 1, 3, 8}) {
    INFO("jobs " << jobs);
    std::vector<std::atomic<int>> visits(items.size());
    std::atomic<int> running{0};
    std::atomic<int> peak{0};
    std::mutex mutex;
    std::set<std::thread::id> threads;
    parallel_for_each(items, jobs, [&](int item) {
      int now = ++running;
      for (int seen = peak; now > seen && !peak.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      ++visits[static_cast<std::size_t>(item)];
      {
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
      }
      --running;
    });
    for (const auto& count : visits) {
      CHECK(count == 1);
    }
    CHECK(peak <= static_cast<int>(std::max<std::size_t>(jobs, 1)));
    CHECK(threads.size() <= std::max<std::size_t>(jobs, 1));
    if (jobs <= 1) {
      CHECK(threads == std::set<std::thread::id>{std::this_thread::get_id()});
    }
  }
}

TEST_CASE("parallel_for_each with one job runs the items in order", "[parallel]") {
  std::vector<int> items{5, 3, 9, 1};
  std::vector<int> seen;
  parallel_for_each(items, 1, [&](int item) { seen.push_back(item); });
  CHECK(seen == items);
  std::vector<int> none;
  parallel_for_each(none, 4, [&](int) { FAIL("called for an empty list"); });
}

TEST_CASE("the first exception stops handing out items and is rethrown", "[parallel]") {
  std::vector<int> items(1000, 0);
  std::atomic<int> calls{0};
  auto fn = [&](int) {
    if (++calls == 5) {
      throw std::runtime_error("item failed");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  };
  CHECK_THROWS_WITH(parallel_for_each(items, 4, fn), "item failed");
  CHECK(calls < 100);  // the others stopped soon after, rather than finishing the list
  calls = 0;
  CHECK_THROWS_WITH(parallel_for_each(items, 1, fn), "item failed");
  CHECK(calls == 5);
}
