// What ccbisect itself costs per trial at kernel scale: placing each trial's mix of good and bad
// objects in the tree (trials/workspace.cpp) and checking after the link that the build did not
// rebuild them. The trials are the ones the real engine asks (one culprit, group testing), the
// objects are real files of kernel-object size in a temporary directory, and the oracle is the
// culprit's membership (no link, no boot: only ccbisect's own share is timed).
//
// Prints, per object count: trials, the placements' mean and worst ms per trial, files written per
// trial, and the post-link check's ms per trial. Run: ./build/ccbisect_placement_bench [N...]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bisector/clock.hpp"
#include "bisector/engine.hpp"
#include "bisector/prober.hpp"
#include "sys/temp_file.hpp"
#include "trials/workspace.hpp"

using namespace ccbisect;

namespace {

// A pseudo-random object of `bytes` (incompressible, as object code nearly is).
void write_object(const std::filesystem::path& path, std::size_t bytes, std::mt19937_64& random) {
  std::string data(bytes, '\0');
  for (std::size_t i = 0; i + 8 <= bytes; i += 8) {
    std::uint64_t word = random();
    std::memcpy(data.data() + i, &word, 8);
  }
  std::ofstream(path, std::ios::binary) << data;
}

class PlacingExecutor : public TrialExecutor {
 public:
  PlacingExecutor(Workspace& workspace, std::size_t culprit) : m_workspace(workspace), m_culprit(culprit) {}
  TrialResult run(const Subset& subset, std::size_t) override {
    auto start = std::chrono::steady_clock::now();
    files += m_workspace.materialize(subset);
    double placed = seconds_since(start);
    start = std::chrono::steady_clock::now();
    bool rebuilt = !m_workspace.rebuilt_objects().empty();
    check_seconds += seconds_since(start);
    place_seconds += placed;
    worst_place = std::max(worst_place, placed);
    ++trials;
    TrialResult result;
    result.outcome = rebuilt                                                       ? Outcome::unresolved
                     : std::binary_search(subset.begin(), subset.end(), m_culprit) ? Outcome::fail
                                                                                   : Outcome::pass;
    return result;
  }
  std::size_t trials = 0;
  std::size_t files = 0;
  double place_seconds = 0;
  double worst_place = 0;
  double check_seconds = 0;

 private:
  Workspace& m_workspace;
  std::size_t m_culprit;
};

void run_case(std::size_t count, std::size_t object_bytes) {
  std::error_code error;
  auto root = create_unique_directory(std::filesystem::temp_directory_path(), "ccbisect-placement-", error);
  if (!root) {
    throw std::runtime_error("cannot create a temporary directory: " + error.message());
  }
  std::mt19937_64 random(count);
  std::vector<PlacedObject> items;
  for (std::size_t i = 0; i < count; ++i) {
    std::filesystem::path dir = *root / "tree" / fmt::format("d{:03}", i / 50);
    std::filesystem::create_directories(dir);
    std::filesystem::create_directories(*root / "store");
    PlacedObject object{fmt::format("o{}.o", i), dir / fmt::format("o{}.o", i),
                        *root / "store" / fmt::format("g{}.object", i),
                        *root / "store" / fmt::format("b{}.object", i)};
    write_object(object.good, object_bytes, random);
    write_object(object.bad, object_bytes, random);
    items.push_back(object);
  }
  Workspace workspace(items, {});
  PlacingExecutor executor(workspace, count / 3);
  Prober prober("objects", count, executor, nullptr, nullptr, 1, nullptr);
  auto start = std::chrono::steady_clock::now();
  SearchResult result = search(prober, SearchOptions{});
  double wall = seconds_since(start);
  double trials = static_cast<double>(executor.trials);
  fmt::print(
      "{:>6} objects of {:>3} KB | {:>3} trials | place {:7.2f} ms/trial (worst {:7.2f}) | {:7.1f} "
      "files/trial | "
      "check {:5.2f} ms/trial | search {} in {:.1f} s\n",
      count, object_bytes / 1024, executor.trials, executor.place_seconds * 1000 / trials,
      executor.worst_place * 1000, static_cast<double>(executor.files) / trials,
      executor.check_seconds * 1000 / trials, to_string(result.status), wall);
  std::filesystem::remove_all(*root, error);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> counts;
  for (int i = 1; i < argc; ++i) {
    counts.push_back(std::strtoul(argv[i], nullptr, 10));
  }
  if (counts.empty()) {
    counts = {1000, 5000};
  }
  fmt::print("placing objects (trials/workspace.cpp), the engine's own trials, one culprit:\n");
  for (std::size_t count : counts) {
    run_case(count, 24 * 1024);
  }
  return 0;
}
