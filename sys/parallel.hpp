// Running one function over many items on a few threads: the only thread pool outside the engine's
// prober (which runs one trial per executor slot and cannot depend on sys/).
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>

namespace ccbisect {

// Calls `fn(index)` for every index in [0, count) on up to `jobs` threads (at least one; with one, on
// the calling thread, in order). Indices are handed out in increasing order. If a call throws, no
// further index is handed out, the calls already running finish, and the first exception is rethrown
// here. `fn` must be safe to call concurrently for different indices.
void parallel_for_index(std::size_t count, std::size_t jobs, const std::function<void(std::size_t)>& fn);

// Calls `fn(item)` for every element of `items`, as parallel_for_index does for indices.
template <class Items, class Fn>
void parallel_for_each(Items& items, std::size_t jobs, Fn fn) {
  auto first = std::begin(items);
  parallel_for_index(static_cast<std::size_t>(std::size(items)), jobs,
                     [&](std::size_t index) { fn(*std::next(first, static_cast<std::ptrdiff_t>(index))); });
}

}  // namespace ccbisect
