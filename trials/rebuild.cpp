// Culprit rebuilds for the flag, pass and probe levels; see rebuild.hpp.
#include "trials/rebuild.hpp"

#include <fmt/format.h>

#include "bisector/clock.hpp"
#include "sys/process.hpp"
#include "toolchain/compiler.hpp"

namespace ccbisect {

CompileEntry with_source(const CompileEntry& entry, const std::filesystem::path& source) {
  CompileEntry copy = entry;
  for (std::string& arg : copy.arguments) {
    if (!arg.empty() && arg.front() != '-' && (entry.directory / arg).lexically_normal() == entry.source) {
      arg = source.string();
    }
  }
  copy.arguments.push_back("-iquote");
  copy.arguments.push_back(entry.source.parent_path().string());
  copy.source = source;
  return copy;
}

CulpritRebuild::CulpritRebuild(const Config& config, Workspace& workspace, Subset culprits,
                               std::vector<RebuildTarget> targets, ObjectStore& objects, Store& store,
                               Executor& executor)
    : m_config(config),
      m_workspace(workspace),
      m_culprits(std::move(culprits)),
      m_targets(std::move(targets)),
      m_objects(objects),
      m_store(store),
      m_executor(executor) {}

RebuildResult CulpritRebuild::run(const RebuildRequest& request) {
  RebuildResult out;
  const ToolchainSide& side = request.good_side ? m_config.good : m_config.bad;
  std::vector<std::string> flags = split_command_line(side.flags);
  flags.insert(flags.end(), request.extra_flags.begin(), request.extra_flags.end());
  auto place = [&]() -> std::optional<Unfit> {
    m_workspace.materialize(m_culprits);  // the failing mix around the culprits (no-op once placed)
    for (const RebuildTarget& target : m_targets) {
      CompileEntry entry = request.good_side ? target.good_entry : target.bad_entry;
      auto replacement = request.sources.find(target.name);
      if (replacement != request.sources.end()) {
        entry = with_source(entry, replacement->second);
      }
      entry.arguments.insert(entry.arguments.begin() + 1, request.arguments_first.begin(),
                             request.arguments_first.end());
      entry.arguments.insert(entry.arguments.end(), request.arguments_last.begin(),
                             request.arguments_last.end());
      const std::string& compiler = compiler_for(side, entry.is_cxx);
      // Recorded as a rebuild, apart from the capture's compiles (which the report's reproducer uses).
      CompileOutcome compiled = compile_into_store(entry, request.good_side ? "good-rebuild" : "bad-rebuild",
                                                   compiler, flags, m_objects, m_store);
      if (compiled.row.object_hash.empty()) {
        out.compiled = false;
        out.compile_log = compiled.row.log;
        return Unfit{UnresolvedReason::compile_failed,
                     fmt::format("[ccbisect] compile failed: {} does not compile with {} {}:\n{}",
                                 target.name, compiler, fmt::join(flags, " "), compiled.row.log)};
      }
      place_object(m_objects.path_of(compiled.row.object_hash), target.output);
    }
    return std::nullopt;
  };
  out.trial = link_and_judge(m_config.project_dir, m_executor, place, request.environment).result;
  return out;
}

TrialResult CulpritRebuild::run_prebuilt(const std::map<std::string, std::filesystem::path>& objects,
                                         const std::map<std::string, std::string>& environment) {
  auto place = [&]() -> std::optional<Unfit> {
    m_workspace.materialize(m_culprits);
    for (const RebuildTarget& target : m_targets) {
      auto object = objects.find(target.name);
      place_object(object != objects.end() ? object->second : target.bad_object, target.output);
    }
    return std::nullopt;
  };
  return link_and_judge(m_config.project_dir, m_executor, place, environment).result;
}

void CulpritRebuild::restore() {
  for (const RebuildTarget& target : m_targets) {
    place_object(target.bad_object, target.output);
  }
  run_shell(m_config.link, m_config.project_dir, m_config.link_timeout);
}

}  // namespace ccbisect
