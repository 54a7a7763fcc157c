// A trial at the object level: place the mix, run the link command, ask the oracle.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "bisector/oracle.hpp"
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
  // directory): the copy is shown at the project's path, with the workdir kept, for its link.
  std::vector<BindMount> mounts;
};

// Copies of the project for slots 1..count-1 under <workdir>/slots/k (the workdir itself left out,
// files synced on every start), with each item's and fixed object's output moved into the copy.
// Slot 0 is the project. Throws UserError if an object lies outside the project directory. A copy
// is linked through mounts when the link command names the project directory (see TrialSlot).
std::vector<TrialSlot> make_trial_slots(const Config& config, const std::vector<PlacedObject>& items,
                                        const std::vector<PlacedObject>& fixed, std::size_t count);

class ObjectTrialExecutor : public TrialExecutor {
 public:
  ObjectTrialExecutor(const Config& config, std::vector<TrialSlot>& slots, Oracle& oracle);
  // Link failure -> unresolved (the mix cannot be judged); otherwise the oracle's verdict.
  TrialResult run(const Subset& subset, std::size_t slot) override;
  std::size_t slots() const override { return m_slots.size(); }
  TrialTimes times() const;

 private:
  const Config& m_config;
  std::vector<TrialSlot>& m_slots;
  Oracle& m_oracle;
  TrialTimes m_times;
  mutable std::mutex m_mutex;
};

}  // namespace ccbisect
