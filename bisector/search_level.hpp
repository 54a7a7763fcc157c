// What a search level is: a small record in one registry (app/search_levels.cpp), in the manner of
// llvm-reduce's DeltaPasses.def. The engine does chunking, caching, parallelism and minimality; a
// level only says what its items are and how to run a trial on a subset of them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bisector/trial.hpp"

namespace ccbisect {

struct LevelItems {
  std::vector<std::string> names;  // stable names, shown to users and used in cache keys
  std::string excluded_note;       // e.g. "3 objects identical on both sides, 1 failed to compile"
};

template <typename Context>
struct SearchLevel {
  std::string_view name;         // "objects", "functions", "flags", "passes"
  std::string_view description;  // one line for `ccbisect --help`
  // Lists the items that differ between good and bad (capturing first if it must).
  std::function<LevelItems(Context&)> list_items;
  // Makes the executor that applies a subset (materialize, build, link) and asks the oracle.
  std::function<std::unique_ptr<TrialExecutor>(Context&, const LevelItems&)> make_executor;
};

}  // namespace ccbisect
