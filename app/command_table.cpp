// The table of subcommands, in the order `ccbisect --help` lists them: setup, the search levels
// (one per entry of the level registry, app/search_levels.cpp), then the whole method, the views of
// the store, and the simulator. Adding a command is its file, with its options registrar beside it,
// and one line here.
#include <memory>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/search_levels.hpp"

namespace ccbisect {
namespace {

// A level's subcommand: --object if it starts from the object level's answer, --mechanism if it has
// several.
CommandEntry level_command(const LevelEntry& level) {
  return {level.name, level.description, true,
          [&level](CLI::App& app) -> CommandRunner {
            auto arguments = std::make_shared<LevelArguments>();
            if (level.takes_object) {
              app.add_option("--object", arguments->object,
                             "start from this object instead of the objects level's answer");
            }
            if (*level.mechanisms != '\0') {
              std::vector<std::string> choices;
              for (std::string_view rest = level.mechanisms; !rest.empty();) {
                std::size_t comma = rest.find(',');
                choices.emplace_back(rest.substr(0, comma));
                rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
              }
              app.add_option("--mechanism", arguments->mechanism,
                             "how to apply a subset; default: chosen from the toolchains")
                  ->check(CLI::IsMember(choices));
            }
            return [&level, arguments](const CommonOptions& options) {
              return emit(level.run(options, *arguments));
            };
          },
          true};
}

std::vector<CommandEntry> make_table() {
  std::vector<CommandEntry> table = {
      {"init", "write a commented ccbisect.toml template", false, init_options},
      {"capture", "build both sides' objects (compdb) or record a build through the compiler wrapper", true,
       capture_options, true},
  };
  for (const LevelEntry& level : search_levels()) {
    table.push_back(level_command(level));
  }
  table.insert(
      table.end(),
      {
          {"run", "the whole method: objects, flags and probes, passes (clang), functions, verdict, report",
           true, run_options, true},
          {"reset", "put the user's own objects back in the tree, as its build left them", false,
           reset_options, true},
          {"oracle-check", "link all-good and all-bad K times each and report how often the oracle flips",
           true, oracle_check_options, true},
          {"report", "the post-mortem report, from the database alone", false, report_options},
          {"status", "where the search stands", false, status_options},
          {"log", "the trials recorded in the database", false, log_options},
          {"simulate", "run the engine on a built-in simulated case", true, simulate_options},
          {"trial-exec", "link and judge the mix placed in --dir, here (what a cluster job runs)", false,
           trial_exec_options},
          {"compile-batch", "run the compiles of --batch, here (what a capture's cluster array task runs)",
           false, compile_batch_options},
      });
  return table;
}

}  // namespace

const std::vector<CommandEntry>& command_table() {
  static const std::vector<CommandEntry> table = make_table();
  return table;
}

}  // namespace ccbisect
