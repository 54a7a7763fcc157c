// What the flag, pass and probe levels share: the object level's setup, its answer (the culprit
// objects), the oracle, and a CulpritRebuild that recompiles those culprits inside the failing mix.
#pragma once

#include <memory>
#include <string>

#include "app/object_level.hpp"
#include "bisector/executor.hpp"
#include "bisector/oracle.hpp"
#include "trials/rebuild.hpp"

namespace ccbisect {

struct CulpritContext {
  ObjectLevel level;
  Subset culprits;
  std::unique_ptr<Workspace> workspace;
  std::unique_ptr<Oracle> oracle;
  std::unique_ptr<Executor> executor;  // where the rebuilt mix is linked and judged: the project's tree
  std::unique_ptr<CulpritRebuild> rebuild;
  bool any_cxx = false;
};

// Throws UserError when there is no answer to start from or a culprit has no compile command.
// `first_only` keeps only the first culprit (the pass level searches inside one object).
CulpritContext prepare_culprits(const std::filesystem::path& config_path, const std::string& command,
                                std::size_t jobs, const std::string& object, bool first_only = false);

// Runs `request` through the store's cache under `key`: a recorded result is returned without
// running again. Records what it runs, as a trial of `level` with subset {index}.
TrialResult cached_rebuild(CulpritContext& context, const std::string& level, const std::string& key,
                           std::size_t index, const RebuildRequest& request, bool& was_cached);

}  // namespace ccbisect
