// The object level's setup, shared by every level that starts from the object search; see
// object_level.hpp.
#include "app/object_level.hpp"

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "capture/build_kinds.hpp"
#include "db/findings_store.hpp"
#include "elf/object_identity.hpp"
#include "sys/hashing.hpp"

namespace ccbisect {
namespace {

std::string version_line(const std::string& compiler) {
  std::string identity = compiler_identity(compiler);
  return identity.empty() ? "(not found)" : identity;
}

}  // namespace

std::unique_ptr<Store> open_session(const Config& config, const std::string& command) {
  auto store = Store::open(config.database_path());
  SessionInfo info;
  info.command = command;
  info.config_json = outcome_key(config);
  info.good_toolchain = fmt::format("{} {}", config.good.cc, config.good.flags);
  info.good_version = version_line(config.good.cc);
  info.bad_toolchain = fmt::format("{} {}", config.bad.cc, config.bad.flags);
  info.bad_version = version_line(config.bad.cc);
  store->begin_session(info);
  return store;
}

ObjectLevel prepare_object_level(const std::filesystem::path& config_path, const std::string& command,
                                 std::size_t jobs) {
  ObjectLevel level;
  level.config = load_config(config_path);
  complete_build_config(level.config);
  const Config& config = level.config;
  level.store = open_session(config, command);
  level.objects = std::make_unique<ObjectStore>(config.workdir_path() / "objects");
  level.capture = capture_objects(config, *level.store, *level.objects, jobs, note);

  // The scripts the link and the oracle run belong to the key too: a fixed relink.sh or test.sh must
  // not replay the trials its old version judged.
  level.configuration_key = outcome_key(config) + compiler_identity(config.good.cc) +
                            compiler_identity(config.bad.cc) +
                            script_fingerprint(config.link, config.project_dir) +
                            script_fingerprint(config.oracle.command, config.project_dir);
  for (const TranslationUnit& unit : level.capture.units) {
    PlacedObject placed{unit.name, unit.output,
                        unit.good_object.empty() ? "" : level.objects->path_of(unit.good_object),
                        unit.bad_object.empty() ? "" : level.objects->path_of(unit.bad_object)};
    level.configuration_key += unit.name + unit.good_object + unit.bad_object;
    if (unit.good_object.empty() || unit.bad_object.empty()) {
      level.failed.push_back(unit.name);
      std::string side = unit.good_object.empty() ? "good" : "bad";
      console().warn(
          fmt::format("warning: {} does not compile with the {} toolchain; it is excluded from the "
                      "search:\n{}",
                      unit.name, side, unit.good_object.empty() ? unit.good_log : unit.bad_log));
      if (!(unit.good_object.empty() && unit.bad_object.empty())) {
        level.fixed.push_back(placed);
      }
      continue;
    }
    if (unit.good_object == unit.bad_object ||
        same_code(level.objects->path_of(unit.good_object), level.objects->path_of(unit.bad_object))) {
      ++level.identical;
      level.fixed.push_back(placed);
      continue;
    }
    level.items.push_back(placed);
    level.item_units.push_back(&unit);
    level.names.push_back(unit.name);
  }
  note(
      fmt::format("[objects] {} objects differ; {} identical on both sides, {} failed to compile on "
                  "one side (excluded)",
                  level.items.size(), level.identical, level.failed.size()));
  if (level.items.empty()) {
    throw UserError(
        "no object differs between the good and the bad toolchain, so there is nothing to "
        "search; check [good] and [bad] in the configuration",
        k_exit_not_reproducible);
  }
  return level;
}

std::vector<std::size_t> starting_culprits(const ObjectLevel& level, const std::string& object) {
  std::vector<std::string> wanted;
  if (!object.empty()) {
    wanted.push_back(object);
  } else {
    if (auto found = latest_finding<SearchFinding>(*level.store, "objects", "found")) {
      wanted = found->culprits;
    }
    if (wanted.empty()) {
      throw UserError(
          "the object level has no answer yet: run `ccbisect objects` first, or name the "
          "object with --object PATH");
    }
  }
  std::vector<std::size_t> indices;
  for (const std::string& name : wanted) {
    std::size_t found = level.names.size();
    for (std::size_t i = 0; i < level.names.size(); ++i) {
      std::filesystem::path as_path = std::filesystem::absolute(name).lexically_normal();
      if (level.names[i] == name || level.items[i].output == as_path) {
        found = i;
      }
    }
    if (found == level.names.size()) {
      throw UserError(
          fmt::format("--object {}: not one of the {} objects that differ between good and "
                      "bad (e.g. {})",
                      name, level.names.size(), level.names.front()));
    }
    indices.push_back(found);
  }
  std::sort(indices.begin(), indices.end());
  return indices;
}

}  // namespace ccbisect
