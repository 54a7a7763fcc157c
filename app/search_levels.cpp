// The level registry; see search_levels.hpp.
#include "app/search_levels.hpp"

#include "db/findings_store.hpp"

#include "toolchain/optimization_flags.hpp"

namespace ccbisect {

const std::vector<LevelEntry>& search_levels() {
  static const std::vector<LevelEntry> levels = {
      {"objects",
       "find the objects from bad that make the program fail",
       false,
       "",
       [](const Config&) { return true; },
       [](const CommonOptions& options, const LevelArguments&) { return objects_level(options); },
       {},
       true},
      {"flags",
       "find the optimization options that make the culprit objects fail, then run the latent-bug probes",
       true,
       "",
       [](const Config&) { return true; },
       [](const CommonOptions& options, const LevelArguments& args) {
         return flags_level(options, args.object);
       },
       {"flags", "probes"},
       true},
      {"passes",
       "find the first optimization pass (clang -opt-bisect-limit) or transformation (gcc -fdbg-cnt) that "
       "makes it fail",
       true,
       "",
       // In `run` only for Clang: GCC's counters rarely reach the bug, and the flag level already said which
       // option.
       [](const Config& config) { return compiler_family(config.bad.cc) == CompilerFamily::clang; },
       [](const CommonOptions& options, const LevelArguments& args) {
         return passes_level(options, args.object);
       },
       {"passes", "passes-screen"},
       true},
      {"functions",
       "find the functions inside the culprit object whose bad compile makes it fail",
       true,
       "attr,optnone,splice",
       [](const Config&) { return true; },
       [](const CommonOptions& options, const LevelArguments& args) {
         return functions_level(options, args.object, args.mechanism);
       },
       // The functions name where the bug is, not what kind of bug it is.
       {},
       false},
  };
  return levels;
}

std::vector<std::string> recorded_levels() {
  std::vector<std::string> names;
  for (const LevelEntry& level : search_levels()) {
    if (level.recorded_as.empty()) {
      names.emplace_back(level.name);
    }
    names.insert(names.end(), level.recorded_as.begin(), level.recorded_as.end());
  }
  return names;
}

std::vector<std::string> pending_verdict_levels(Store& store, const Config& config) {
  auto newest_id = [&store](const std::string& level) {
    auto rows = store.findings(level);
    return rows.empty() ? std::int64_t{0} : rows.back().id;
  };
  auto objects = latest_finding<SearchFinding>(store, "objects");
  std::int64_t objects_id = newest_id("objects");
  if ((objects && objects->status != SearchStatus::found) ||
      (objects_id != 0 && newest_id("verdict") > objects_id)) {
    return {};
  }
  std::vector<std::string> pending;
  for (const LevelEntry& level : search_levels()) {
    if (!level.decides_verdict || !level.in_run(config)) {
      continue;
    }
    std::vector<std::string> names = level.recorded_as;
    names.emplace_back(level.name);
    bool answered = false;
    for (const std::string& name : names) {
      std::int64_t id = newest_id(name);
      // A later level's answer counts only if it was found from the current object answer.
      answered = answered || (id != 0 && (name == "objects" || id > objects_id));
    }
    if (!answered) {
      pending.emplace_back(level.name);
    }
  }
  return pending;
}

}  // namespace ccbisect
