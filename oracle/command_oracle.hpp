// An oracle that runs a shell command in the project directory (git bisect run convention).
#pragma once

#include <memory>

#include "bisector/oracle.hpp"
#include "config/config.hpp"

namespace ccbisect {

class CommandOracle : public Oracle {
 public:
  // `on_timeout`: what a timeout means, Outcome::unresolved (default) or Outcome::fail.
  CommandOracle(std::string command, double timeout_seconds, Outcome on_timeout);
  // Exit 0 -> pass, 125 -> unresolved, any other exit or death by signal -> fail; timeout ->
  // `on_timeout` after the whole process group is killed; a command that cannot start -> unresolved.
  OracleVerdict judge(const std::filesystem::path& project_dir,
                      const std::map<std::string, std::string>& environment = {}) override;

 private:
  std::string m_command;
  double m_timeout;
  Outcome m_on_timeout;
};

// The oracle of `[oracle] type = "command"` in `config` (its row in oracle_registry.cpp).
std::unique_ptr<Oracle> make_command_oracle(const Config& config);

}  // namespace ccbisect
