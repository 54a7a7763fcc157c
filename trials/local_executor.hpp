// The local executor: the link and the oracle run on this machine, in the trial's directory.
#pragma once

#include "bisector/executor.hpp"
#include "bisector/oracle.hpp"
#include "config/config.hpp"

namespace ccbisect {

class LocalExecutor : public Executor {
 public:
  LocalExecutor(const Config& config, Oracle& oracle) : m_config(config), m_oracle(oracle) {}
  // config.link in `directory` (its timeout: link_timeout), then `check`, then the oracle.
  Execution link_and_judge(const std::filesystem::path& directory,
                           const std::map<std::string, std::string>& environment, const TrialStep& check,
                           const std::filesystem::path& seen_at = {}) override;
  // As many as -j (and [build] parallel_trials) allow.
  std::size_t jobs() const override { return 0; }

 private:
  const Config& m_config;
  Oracle& m_oracle;
};

}  // namespace ccbisect
