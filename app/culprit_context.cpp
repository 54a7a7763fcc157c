// The shared start of the flag, pass and probe levels; see culprit_context.hpp.
#include "app/culprit_context.hpp"

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "oracle/oracle_registry.hpp"
#include "sys/hashing.hpp"
#include "trials/executors.hpp"

namespace ccbisect {

CulpritContext prepare_culprits(const std::filesystem::path& config_path, const std::string& command,
                                std::size_t jobs, const std::string& object, bool first_only) {
  CulpritContext context;
  context.level = prepare_object_level(config_path, command, jobs);
  context.culprits = starting_culprits(context.level, object);
  if (first_only && context.culprits.size() > 1) {
    note(fmt::format("[{}] searching inside {}, the first of {} culprit objects; name another with --object",
                     command, context.level.names[context.culprits.front()], context.culprits.size()));
    context.culprits.resize(1);
  }
  const Config& config = context.level.config;
  std::vector<RebuildTarget> targets;
  for (std::size_t index : context.culprits) {
    const TranslationUnit& unit = *context.level.item_units[index];
    if (!unit.good_entry || !unit.bad_entry) {
      throw UserError(
          fmt::format("{}: no compile command was recorded for it on both sides; capture both "
                      "sides again (ccbisect capture --side good|bad -- BUILD)",
                      unit.name));
    }
    targets.push_back(
        {unit.name, *unit.good_entry, *unit.bad_entry, unit.output, context.level.items[index].bad});
    context.any_cxx = context.any_cxx || unit.bad_entry->is_cxx;
  }
  context.workspace = std::make_unique<Workspace>(context.level.items, context.level.fixed,
                                                  Originals(config.workdir_path() / "original"));
  context.oracle = make_oracle(config);
  context.executor = make_executor(config, *context.oracle);
  context.rebuild = std::make_unique<CulpritRebuild>(
      context.level.config, *context.workspace, context.culprits, std::move(targets), *context.level.objects,
      *context.level.store, *context.executor);
  return context;
}

TrialResult cached_rebuild(CulpritContext& context, const std::string& level, const std::string& key,
                           std::size_t index, const RebuildRequest& request, bool& was_cached) {
  Store& store = *context.level.store;
  std::string full_key = level + ":" + hash_text(context.level.configuration_key + "|" + key);
  if (auto recorded = store.lookup(full_key)) {
    was_cached = true;
    return *recorded;
  }
  was_cached = false;
  TrialResult result = context.rebuild->run(request).trial;
  store.record(full_key, level, Subset{index}, result);
  return result;
}

}  // namespace ccbisect
