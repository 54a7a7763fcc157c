// A trial at the object level: place the mix, run the link command, ask the oracle.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "bisector/oracle.hpp"
#include "bisector/trial.hpp"
#include "config/config.hpp"
#include "trials/workspace.hpp"

namespace ccbisect {

struct TrialTimes {
  double place = 0.0;  // copying objects: the tool's own share
  double link = 0.0;
  double oracle = 0.0;
  std::size_t trials = 0;
};

// Where one trial at a time runs: the project itself (slot 0), or a copy of it (parallel trials).
struct TrialSlot {
  std::filesystem::path directory;
  std::unique_ptr<Workspace> workspace;  // the items' outputs inside `directory`
};

// Copies of the project for slots 1..count-1 under <workdir>/slots/k (the workdir itself left out,
// files synced on every start), with each item's and fixed object's output moved into the copy.
// Slot 0 is the project. Throws UserError if an object lies outside the project directory.
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
