// The commands of the ccbisect executable. Each returns the process exit code (errors.hpp) and
// throws UserError for configuration or environment mistakes, which `run_cli` prints.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bisector/engine.hpp"

namespace ccbisect {

struct CommonOptions {
  std::filesystem::path config = "ccbisect.toml";
  std::size_t jobs = 1;
  bool json = false;
  Strategy strategy = Strategy::automatic;
};

int run_cli(int argc, char** argv);

int objects_command(const CommonOptions& options);
int init_command(const CommonOptions& options);
int capture_command(const CommonOptions& options, const std::string& side, bool fresh,
                    const std::vector<std::string>& build);
int flags_command(const CommonOptions& options, const std::string& object);
int functions_command(const CommonOptions& options, const std::string& object, const std::string& mechanism);
int passes_command(const CommonOptions& options, const std::string& object);
int status_command(const CommonOptions& options);
int log_command(const CommonOptions& options, const std::string& level);

struct SimulateOptions {
  std::size_t items = 1000;
  std::vector<std::size_t> culprits;
  bool interacting = false;
  double unresolved_rate = 0.0;
  double trial_delay = 0.0;  // seconds per trial, to make a simulated search slow enough to kill
  std::filesystem::path database;
};
int simulate_command(const CommonOptions& options, const SimulateOptions& simulate);

}  // namespace ccbisect
