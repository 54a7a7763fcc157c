// The command line: one CLI11 subcommand per entry of the command table, each with the options
// every command shares (--config, --json; -j and --strategy for the searches) and the ones it
// registers itself; global -q / -v / --version. Every UserError thrown below is printed here with
// its exit code; nothing below calls exit().
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "bisector/errors.hpp"

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
  std::string config_path = "ccbisect.toml";
  std::vector<std::pair<CLI::App*, CommandRunner>> commands;
  for (const CommandEntry& entry : command_table()) {
    CLI::App* command = app.add_subcommand(entry.name, entry.description);
    add_common_options(*command, entry.searches, options, config_path);
    commands.emplace_back(command, entry.add_options(*command));
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
  console().configure(quiet     ? Verbosity::quiet
                      : verbose ? Verbosity::verbose
                                : Verbosity::normal,
                      options.json);
  try {
    for (const auto& [command, run] : commands) {
      if (*command) {
        return run(options);
      }
    }
  } catch (const UserError& e) {
    console().warn(fmt::format("ccbisect: error: {}", e.what()));
    return e.exit_code();
  } catch (const std::exception& e) {
    console().warn(fmt::format("ccbisect: internal error: {}", e.what()));
    return k_exit_error;
  }
  return k_exit_usage;
}

}  // namespace ccbisect
