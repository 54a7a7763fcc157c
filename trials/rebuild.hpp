// Rebuilding the culprit objects with other options inside the minimal failing mix: the trial of
// the flag, pass and probe levels. Everything but the culprits stays as the object level left it
// (culprits from bad, the rest from good); each culprit TU is recompiled with one side's compiler
// and flags plus `extra_flags` (each compile cached in the object store by its full command line),
// placed, linked, and judged by the oracle.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bisector/executor.hpp"
#include "bisector/trial.hpp"
#include "capture/compdb.hpp"
#include "capture/object_store.hpp"
#include "config/config.hpp"
#include "trials/link_and_judge.hpp"
#include "trials/workspace.hpp"

namespace ccbisect {

struct RebuildTarget {
  std::string name;              // the object's name, as the object level shows it
  CompileEntry good_entry;       // how the good side compiled it
  CompileEntry bad_entry;        // how the bad side compiled it
  std::filesystem::path output;  // where the build expects it
  std::filesystem::path bad_object;
};

struct RebuildRequest {
  bool good_side = false;                          // compile with the good toolchain instead of the bad one
  std::vector<std::string> extra_flags;            // appended after the side's flags
  std::map<std::string, std::string> environment;  // for the link and the oracle
  // Target name -> a copy of its source to compile instead (annotated by the function level). The
  // copy lives in the workspace; quote includes still resolve next to the original (-iquote).
  std::map<std::string, std::filesystem::path> sources;
  // Arguments put right after the compiler (searched first: `-iquote DIR -I DIR` for a folder of
  // header copies) and at the end of each culprit's compile.
  std::vector<std::string> arguments_first;
  std::vector<std::string> arguments_last;
};

struct RebuildResult {
  TrialResult trial;
  bool compiled = true;     // false: some culprit did not compile with these options
  std::string compile_log;  // the compiler's output when it did not
};

// `entry` compiling `source` instead of its own file, with the original's folder for quote includes.
CompileEntry with_source(const CompileEntry& entry, const std::filesystem::path& source);

class CulpritRebuild {
 public:
  // `culprits` are item indices of `workspace` (the object level's answer); `targets` their TUs.
  CulpritRebuild(const Config& config, Workspace& workspace, Subset culprits,
                 std::vector<RebuildTarget> targets, ObjectStore& objects, Store& store, Executor& executor);
  // One trial: compile failure or link failure -> unresolved (reason compile_failed or link_failed);
  // otherwise the oracle's verdict.
  RebuildResult run(const RebuildRequest& request);
  // One trial with objects made elsewhere (e.g. spliced): `objects` maps a target name to the file to
  // place at its output. Link failure -> unresolved; otherwise the oracle's verdict.
  TrialResult run_prebuilt(const std::map<std::string, std::filesystem::path>& objects,
                           const std::map<std::string, std::string>& environment = {});
  // Puts the culprits' bad objects back and relinks: the tree again holds the minimal failing mix.
  void restore();
  const std::vector<RebuildTarget>& targets() const { return m_targets; }

 private:
  const Config& m_config;
  Workspace& m_workspace;
  Subset m_culprits;
  std::vector<RebuildTarget> m_targets;
  ObjectStore& m_objects;
  Store& m_store;
  Executor& m_executor;
};

}  // namespace ccbisect
