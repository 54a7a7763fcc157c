// The commands of the ccbisect executable. Each returns the process exit code (errors.hpp) and
// throws UserError for configuration or environment mistakes, which `run_cli` prints. Each command
// registers its own options (a CommandEntry of app/command_table.cpp); `run_cli` loops over them.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bisector/engine.hpp"

namespace CLI {
class App;
}

namespace ccbisect {

struct CommonOptions {
  std::filesystem::path config = "ccbisect.toml";
  bool wait = false;      // --wait: wait for another search in the same workdir instead of refusing
  bool keep_mix = false;  // run --keep-mix: leave the minimal failing mix in the tree
  bool fresh = false;     // --fresh: replay no trial recorded before this run (history is kept)
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

// Prints a level's report on the console's stdout (JSON or lines); returns its exit code.
int emit(const LevelReport& report);

// Runs a command once the command line is parsed.
using CommandRunner = std::function<int(const CommonOptions&)>;

// A subcommand: its name, one line of help, whether it searches (then it takes -j and --strategy),
// and `add_options`, which registers the command's own options on its CLI11 subcommand and returns
// the function that runs it with what was parsed.
struct CommandEntry {
  std::string name;
  std::string description;
  bool searches = false;
  std::function<CommandRunner(CLI::App&)> add_options;
  // Places objects or writes trials: holds the workdir lock while it runs, and puts the user's
  // objects back if it is interrupted (sys/workdir_lock.hpp, trials/originals.hpp).
  bool writes_workdir = false;
};

// Every subcommand, in the order `--help` lists them (app/command_table.cpp).
const std::vector<CommandEntry>& command_table();

// Parses the command line, configures the console, runs the chosen command and prints any error.
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

// The commands' option registrars, each beside its command.
CommandRunner init_options(CLI::App& app);
CommandRunner capture_options(CLI::App& app);
CommandRunner run_options(CLI::App& app);
CommandRunner reset_options(CLI::App& app);
CommandRunner oracle_check_options(CLI::App& app);
CommandRunner report_options(CLI::App& app);
CommandRunner status_options(CLI::App& app);
CommandRunner log_options(CLI::App& app);
CommandRunner simulate_options(CLI::App& app);
CommandRunner trial_exec_options(CLI::App& app);
CommandRunner compile_batch_options(CLI::App& app);

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
