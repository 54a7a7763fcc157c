// A minimal work-sharing loop; see parallel.hpp.
//
// Each worker takes the next index from one atomic counter, so items of uneven cost (a compile of a
// big TU next to a small one) balance themselves without a queue. A failure sets the counter past the
// end, which is how the other workers learn to stop.
#include "sys/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ccbisect {

void parallel_for_index(std::size_t count, std::size_t jobs, const std::function<void(std::size_t)>& fn) {
  std::size_t threads = std::min(std::max<std::size_t>(jobs, 1), count);
  if (threads <= 1) {
    for (std::size_t index = 0; index < count; ++index) {
      fn(index);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    for (std::size_t index = next++; index < count; index = next++) {
      try {
        fn(index);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) {
          failure = std::current_exception();
        }
        next = count;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    pool.emplace_back(worker);
  }
  for (std::thread& thread : pool) {
    thread.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

}  // namespace ccbisect
