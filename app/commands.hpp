// The commands of the ccbisect executable. Each returns the process exit code (errors.hpp) and
// throws UserError for configuration or environment mistakes, which `run_cli` prints.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bisector/engine.hpp"

namespace ccbisect {

struct CommonOptions {
  std::filesystem::path config = "ccbisect.toml";
  std::size_t jobs = 1;
  bool json = false;
  Strategy strategy = Strategy::automatic;
};

// What a level leaves: its exit code, its JSON object (the `--json` output), and what it prints on
// stdout in human mode (the culprits, one per line). Progress and summaries go to stderr as it runs.
struct LevelReport {
  int exit_code = 0;
  nlohmann::json json;
  std::vector<std::string> lines;
};

// Prints a level's report on stdout (JSON or lines); returns its exit code.
int emit(const LevelReport& report, bool json);

int run_cli(int argc, char** argv);

LevelReport objects_level(const CommonOptions& options);
LevelReport flags_level(const CommonOptions& options, const std::string& object);
LevelReport passes_level(const CommonOptions& options, const std::string& object);
LevelReport functions_level(const CommonOptions& options, const std::string& object,
                            const std::string& mechanism);
int run_command(const CommonOptions& options);
int report_command(const CommonOptions& options, const std::string& format, const std::string& output,
                   const std::string& database);
int init_command(const CommonOptions& options);
int capture_command(const CommonOptions& options, const std::string& side,
                    const std::vector<std::string>& build);
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
