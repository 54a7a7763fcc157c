// The command line: one CLI11 subcommand per entry of the command table, each with the options
// every command shares (--config, --json; -j and --strategy for the searches) and the ones it
// registers itself; global -q / -v / --version. Every UserError thrown below is printed here with
// its exit code; nothing below calls exit().
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "bisector/errors.hpp"
#include "capture/object_store.hpp"
#include "config/config.hpp"
#include "db/store.hpp"
#include "sys/interrupt.hpp"
#include "sys/workdir_lock.hpp"
#include "trials/originals.hpp"

#ifndef CCBISECT_VERSION
#error "CCBISECT_VERSION comes from CMake's PROJECT_VERSION"
#endif

namespace ccbisect {
namespace {

// The options every subcommand takes, stored in `options` (and `config_path`, turned into a path
// once parsed).
void add_common_options(CLI::App& command, bool searches, CommonOptions& options, std::string& config_path) {
  command.add_option("--config", config_path, "configuration file")->capture_default_str();
  command.add_flag("--json", options.json, "print one JSON object on stdout, and nothing else there");
  if (!searches) {
    return;
  }
  command.add_option("-j,--jobs", options.jobs, "parallel compiles / trials")->check(CLI::Range(1, 256));
  command.add_flag("--fresh", options.fresh,
                   "run every trial again instead of replaying recorded ones (the history is kept)");
  command.add_option_function<std::string>(
      "--strategy",
      [&options](const std::string& text) {
        auto strategy = parse_strategy(text);
        if (!strategy) {
          throw CLI::ValidationError("--strategy", "must be auto, group or ddmin");
        }
        options.strategy = *strategy;
      },
      "auto (group testing, ddmin if culprits interact), group, or ddmin");
}

// Runs a command that writes the workdir: one at a time per workdir, and on Ctrl-C / SIGTERM the
// user's objects go back into the tree while the lock is still held (so a waiting search cannot
// start placing objects under the restore), then ccbisect exits 128 + signal.
int run_locked(const CommandEntry& entry, const CommandRunner& run, const CommonOptions& options) {
  std::filesystem::path workdir = load_config(options.config).workdir_path();
  WorkdirLock lock(workdir, "ccbisect " + entry.name, options.wait,
                   [](const std::string& text) { console().warn(text); });
  install_interrupt_handlers();
  // What an interrupted or killed run left half-written (nothing else compiles here under the lock).
  ObjectStore::clear_scratch(workdir / "objects");
  try {
    int code = run(options);
    if (interrupt_signal() != 0) {
      throw Interrupted(interrupt_signal());
    }
    return code;
  } catch (const Interrupted& e) {
    console().warn(fmt::format("ccbisect: {}", e.what()));
    ObjectStore::clear_scratch(workdir / "objects");
    try {
      std::vector<std::filesystem::path> restored = Originals(workdir / "original").restore();
      relink_restored(restored, "", workdir, 0);  // no link on the way out: the next build relinks
      console().warn(fmt::format(
          "ccbisect: the tree holds the user's own objects again ({} restored); the next build relinks them",
          restored.size()));
    } catch (const UserError& error) {
      console().warn(
          fmt::format("ccbisect: could not restore the tree: {}; run `ccbisect reset`", error.what()));
    }
    return e.exit_code();
  }
}

}  // namespace

int emit(const LevelReport& report) {
  Console& out = console();
  if (out.json_mode()) {
    out.json(report.json);
  } else {
    for (const std::string& line : report.lines) {
      out.answer(line);
    }
  }
  return report.exit_code;
}

int run_cli(int argc, char** argv) {
  CLI::App app{
      "ccbisect: find the objects, functions and flags that make a program fail with one "
      "toolchain and work with another"};
  app.require_subcommand(1);
  app.fallthrough();  // -q and -v may also follow the subcommand
  app.set_version_flag("--version", std::string("ccbisect ") + CCBISECT_VERSION);
  bool quiet = false;
  bool verbose = false;
  app.add_flag("-q,--quiet", quiet, "no progress or summaries on stderr; warnings and errors only");
  app.add_flag("-v,--verbose", verbose, "more detail on stderr");
  CommonOptions options;
  app.add_flag("--wait", options.wait, "wait for another search in the same workdir instead of refusing");

  std::string config_path = "ccbisect.toml";
  std::vector<std::tuple<CLI::App*, CommandRunner, const CommandEntry*>> commands;
  for (const CommandEntry& entry : command_table()) {
    CLI::App* command = app.add_subcommand(entry.name, entry.description);
    add_common_options(*command, entry.searches, options, config_path);
    commands.emplace_back(command, entry.add_options(*command), &entry);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : k_exit_usage;
  }
  if (quiet && verbose) {
    console().warn("ccbisect: error: -q and -v contradict each other; give one");
    return k_exit_usage;
  }
  options.config = config_path;
  if (options.fresh) {
    Store::replay_only_new_trials();
  }
  console().configure(quiet     ? Verbosity::quiet
                      : verbose ? Verbosity::verbose
                                : Verbosity::normal,
                      options.json);
  try {
    for (const auto& [command, run, entry] : commands) {
      if (*command) {
        return entry->writes_workdir ? run_locked(*entry, run, options) : run(options);
      }
    }
  } catch (const UserError& e) {
    console().warn(fmt::format("ccbisect: error: {}", e.what()));
    return e.exit_code();
  } catch (const std::exception& e) {
    if (auto message = store_failure_message(e)) {
      console().warn(fmt::format("ccbisect: error: {}", *message));
      return k_exit_error;
    }
    console().warn(fmt::format("ccbisect: internal error: {}", e.what()));
    return k_exit_error;
  }
  return k_exit_usage;
}

}  // namespace ccbisect
