// A trial at the object level: place the mix, run the link command, ask the oracle.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "bisector/executor.hpp"
#include "bisector/trial.hpp"
#include "config/config.hpp"
#include "trials/link_and_judge.hpp"
#include "trials/workspace.hpp"

namespace ccbisect {

// Where one trial at a time runs: the project itself (slot 0), or a copy of it (parallel trials).
struct TrialSlot {
  std::filesystem::path directory;
  std::unique_ptr<Workspace> workspace;  // the items' outputs inside `directory`
  // For a copy whose link names the project's absolute path (Kbuild's M=, an absolute build
  // directory): the path the executor shows the copy at while it links (the project's).
  std::filesystem::path seen_at;
};

// `count` trial slots. Without `shared_dir`: slot 0 is the project, slots 1..count-1 copies of it
// under <workdir>/slots/k. With `shared_dir` (a cluster's): every slot is a copy, under
// <shared_dir>/slots/k. Copies leave out the workdir and the shared directory, are synced on every
// start, and have each item's and fixed object's output moved into them. Throws UserError if an
// object lies outside the project directory or a file cannot be copied. A copy whose link names
// the project's own path is linked as if it were the project (TrialSlot::seen_at).
std::vector<TrialSlot> make_trial_slots(const Config& config, const std::vector<PlacedObject>& items,
                                        const std::vector<PlacedObject>& fixed, std::size_t count,
                                        const std::filesystem::path& shared_dir = {});

class ObjectTrialExecutor : public TrialExecutor {
 public:
  ObjectTrialExecutor(const Config& config, std::vector<TrialSlot>& slots, Executor& executor);
  // Link failure -> unresolved (the mix cannot be judged); otherwise the oracle's verdict.
  TrialResult run(const Subset& subset, std::size_t slot) override;
  std::size_t slots() const override { return m_slots.size(); }
  TrialTimes times() const;

 private:
  const Config& m_config;
  std::vector<TrialSlot>& m_slots;
  Executor& m_executor;
  TrialTimes m_times;
  mutable std::mutex m_mutex;
};

}  // namespace ccbisect
