// A trial at the object level: place the mix, run the link command, ask the oracle.
#pragma once

#include <mutex>

#include "adapters/config.hpp"
#include "adapters/workspace.hpp"
#include "bisector/oracle.hpp"
#include "bisector/trial.hpp"

namespace ccbisect {

struct TrialTimes {
  double place = 0.0;   // copying objects: the tool's own share
  double link = 0.0;
  double oracle = 0.0;
  std::size_t trials = 0;
};

class ObjectTrialExecutor : public TrialExecutor {
 public:
  ObjectTrialExecutor(const Config& config, Workspace& workspace, Oracle& oracle);
  // Link failure -> unresolved (the mix cannot be judged); otherwise the oracle's verdict.
  TrialResult run(const Subset& subset, std::size_t slot) override;
  TrialTimes times() const;

 private:
  const Config& m_config;
  Workspace& m_workspace;
  Oracle& m_oracle;
  TrialTimes m_times;
  mutable std::mutex m_mutex;
};

}  // namespace ccbisect
