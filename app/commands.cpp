// The command line (CLI11) and the small commands: init, capture, status, log. Every UserError
// thrown below is printed here with its exit code; nothing below calls exit().
#include "app/commands.hpp"
#include "app/object_level.hpp"
#include "app/search_levels.hpp"

#include <cstdio>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "capture/capture.hpp"
#include "config/config.hpp"
#include "bisector/errors.hpp"
#include "bisector/subset_text.hpp"
#include "report/report.hpp"
#include "db/store.hpp"

namespace ccbisect {

namespace {

// Opens the store of an existing search, for read-only commands.
std::unique_ptr<Store> open_existing(const CommonOptions& options) {
  Config config = load_config(options.config);
  if (!std::filesystem::exists(config.database_path())) {
    throw UserError(fmt::format("{}: no search has run here yet; start one with `ccbisect objects`",
                                config.database_path().string()));
  }
  return Store::open(config.database_path());
}

}  // namespace

int emit(const LevelReport& report, bool json) {
  if (json) {
    std::printf("%s\n", report.json.dump().c_str());
  } else {
    for (const std::string& line : report.lines) {
      std::printf("%s\n", line.c_str());
    }
  }
  return report.exit_code;
}

int init_command(const CommonOptions& options) {
  if (std::filesystem::exists(options.config)) {
    throw UserError(fmt::format("{} exists already; edit it, or remove it to write a fresh template",
                                options.config.string()));
  }
  std::ofstream out(options.config);
  out << config_template();
  if (!out) {
    throw UserError(fmt::format("cannot write {}", options.config.string()));
  }
  std::fprintf(stderr, "wrote %s: fill in [good], [bad], [build] link and [oracle] command\n",
               options.config.string().c_str());
  return k_exit_found;
}

int capture_command(const CommonOptions& options, const std::string& side,
                    const std::vector<std::string>& build) {
  Config config = load_config(options.config);
  auto store = open_session(config, "capture " + side);
  ObjectStore objects(config.workdir_path() / "objects");
  auto note = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  if (build.empty()) {
    if (config.capture == CaptureKind::wrapper) {
      throw UserError(
          "[build] capture = \"wrapper\": give the build command after --, e.g. "
          "ccbisect capture --side good -- make CC=ccbisect-cc",
          k_exit_usage);
    }
    capture_from_compdb(config, *store, objects, options.jobs, note);
    return k_exit_found;
  }
  capture_with_wrapper(config, side, build, objects, note);
  return k_exit_found;
}

// A compact view of the report's model: the same summary of each level's finding and the verdict.
int status_command(const CommonOptions& options) {
  auto store = open_existing(options);
  nlohmann::json model = report_model(*store);
  if (options.json) {
    nlohmann::json out = {{"database", model["database"]},
                          {"schema_version", model["schema_version"]},
                          {"toolchains", model["toolchains"]},
                          {"levels", nlohmann::json::array()},
                          {"verdict", model["verdict"]}};
    for (const auto& level : model["levels"]) {
      out["levels"].push_back(
          {{"name", level["name"]},
           {"items", level["items"]},
           {"trials", level["trials"].size()},
           {"counts", level["counts"]},
           {"finding", level["finding"].is_null() ? nlohmann::json(nullptr) : level["finding"]["summary"]}});
    }
    std::printf("%s\n", out.dump().c_str());
    return k_exit_found;
  }
  std::printf("database  %s (schema %d)\n", model["database"].get<std::string>().c_str(),
              model["schema_version"].get<int>());
  for (const char* side : {"good", "bad"}) {
    std::printf("%-9s %s  [%s]\n", side, model["toolchains"][side]["toolchain"].get<std::string>().c_str(),
                model["toolchains"][side]["version"].get<std::string>().c_str());
  }
  for (const auto& level : model["levels"]) {
    std::string name = level["name"];
    std::printf("[%s] %zu items; %zu trials: %d pass, %d fail, %d unresolved\n", name.c_str(),
                level["items"].get<std::size_t>(), level["trials"].size(), level["counts"]["pass"].get<int>(),
                level["counts"]["fail"].get<int>(), level["counts"]["unresolved"].get<int>());
    if (level["finding"].is_null()) {
      std::printf("[%s] in progress (no finding recorded yet); run the same command to resume\n",
                  name.c_str());
    } else {
      std::printf("[%s] %s\n", name.c_str(), level["finding"].value("summary", std::string()).c_str());
    }
  }
  std::printf("verdict   %s (confidence: %s)\n", model["verdict"]["kind"].get<std::string>().c_str(),
              model["verdict"]["confidence"].get<std::string>().c_str());
  return k_exit_found;
}

int log_command(const CommonOptions& options, const std::string& level) {
  auto store = open_existing(options);
  auto trials = store->trials(level);
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const TrialRow& t : trials) {
      out.push_back({{"id", t.id},
                     {"session", t.session_id},
                     {"level", t.level},
                     {"from_bad", t.subset_size},
                     {"subset", t.subset},
                     {"outcome", std::string(to_string(t.result.outcome))},
                     {"exit_status", t.result.exit_status},
                     {"seconds", t.result.seconds},
                     {"started_at", t.result.started_at},
                     {"log_tail", t.result.log_tail}});
    }
    std::printf("%s\n", out.dump().c_str());
    return k_exit_found;
  }
  std::map<std::string, std::vector<std::string>> names;  // per level, for naming small subsets
  for (const TrialRow& t : trials) {
    std::string shown = t.subset.empty() ? "(all good)" : t.subset;
    if (t.subset_size <= 3 && !t.subset.empty()) {
      auto& level_names = names.try_emplace(t.level, store->items(t.level)).first->second;
      std::vector<std::string> picked;
      for (std::size_t index : decode_ranges(t.subset).value_or(Subset{})) {
        picked.push_back(index < level_names.size() ? level_names[index] : std::to_string(index));
      }
      shown = fmt::format("{}", fmt::join(picked, " "));
    }
    std::printf("#%-4lld %s [%s] %5zu from bad  %-10s exit %-4d %7.2f s  %s\n", static_cast<long long>(t.id),
                t.result.started_at.c_str(), t.level.c_str(), t.subset_size,
                std::string(to_string(t.result.outcome)).c_str(), t.result.exit_status, t.result.seconds,
                shown.c_str());
  }
  return k_exit_found;
}

int run_cli(int argc, char** argv) {
  CLI::App app{
      "ccbisect: find the objects, functions and flags that make a program fail with one "
      "toolchain and work with another"};
  app.require_subcommand(1);
  CommonOptions options;
  std::string config_path = "ccbisect.toml";
  auto add_common = [&](CLI::App* command, bool search) {
    command->add_option("--config", config_path, "configuration file")->capture_default_str();
    command->add_flag("--json", options.json, "print one JSON object on stdout");
    if (search) {
      command->add_option("-j,--jobs", options.jobs, "parallel compiles / trials")->check(CLI::Range(1, 256));
      command->add_option_function<std::string>(
          "--strategy",
          [&](const std::string& text) {
            auto strategy = parse_strategy(text);
            if (!strategy) {
              throw CLI::ValidationError("--strategy", "must be auto, group or ddmin");
            }
            options.strategy = *strategy;
          },
          "auto (group testing, ddmin if culprits interact), group, or ddmin");
    }
  };
  auto* init = app.add_subcommand("init", "write a commented ccbisect.toml template");
  add_common(init, false);
  auto* capture = app.add_subcommand("capture",
                                     "build both sides' objects (compdb) or record a build "
                                     "through the compiler wrapper");
  add_common(capture, true);
  std::string side = "good";
  std::vector<std::string> build;
  capture->add_option("--side", side, "good or bad (wrapper capture)")->check(CLI::IsMember({"good", "bad"}));
  capture->add_option("build", build, "the build command, after --");
  // One subcommand per search level, from the registry (app/search_levels.cpp).
  LevelArguments level_arguments;
  std::vector<std::pair<CLI::App*, const LevelEntry*>> level_commands;
  for (const LevelEntry& level : search_levels()) {
    auto* command = app.add_subcommand(level.name, level.description);
    add_common(command, true);
    if (level.takes_object) {
      command->add_option("--object", level_arguments.object,
                          "start from this object instead of the objects level's answer");
    }
    if (*level.mechanisms != '\0') {
      std::vector<std::string> choices;
      for (std::string_view rest = level.mechanisms; !rest.empty();) {
        std::size_t comma = rest.find(',');
        choices.emplace_back(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
      command
          ->add_option("--mechanism", level_arguments.mechanism,
                       "how to apply a subset; default: chosen from "
                       "the toolchains")
          ->check(CLI::IsMember(choices));
    }
    level_commands.emplace_back(command, &level);
  }
  auto* run = app.add_subcommand("run",
                                 "the whole method: objects, flags and probes, passes (clang), functions, "
                                 "verdict, report");
  add_common(run, true);
  auto* report = app.add_subcommand("report", "the post-mortem report, from the database alone");
  add_common(report, false);
  std::string report_format = "md";
  std::string report_output;
  std::string report_db;
  report->add_option("--format", report_format, "md, html or json")
      ->check(CLI::IsMember({"md", "html", "json"}))
      ->capture_default_str();
  report->add_option("-o,--output", report_output, "write here instead of stdout");
  report->add_option("--db", report_db, "a database file (e.g. a copy); default: the configuration's");
  auto* status = app.add_subcommand("status", "where the search stands");
  add_common(status, false);
  auto* log = app.add_subcommand("log", "the trials recorded in the database");
  add_common(log, false);
  std::string level;
  log->add_option("--level", level, "only this level");
  auto* simulate = app.add_subcommand("simulate", "run the engine on a built-in simulated case");
  add_common(simulate, true);
  SimulateOptions simulation;
  simulate->add_option("--items", simulation.items, "number of items")->capture_default_str();
  simulate->add_option("--culprits", simulation.culprits, "culprit indices")->delimiter(',');
  simulate->add_flag("--interacting", simulation.interacting, "fail only when all culprits are from bad");
  simulate->add_option("--unresolved-rate", simulation.unresolved_rate, "share of unresolved trials");
  simulate->add_option("--trial-delay", simulation.trial_delay, "seconds each trial takes");
  simulate->add_option("--db", simulation.database, "database file (default: in memory)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : k_exit_usage;
  }
  options.config = config_path;
  try {
    if (*init) {
      return init_command(options);
    }
    if (*capture) {
      return capture_command(options, side, build);
    }
    for (const auto& [command, level] : level_commands) {
      if (*command) {
        return emit(level->run(options, level_arguments), options.json);
      }
    }
    if (*run) {
      return run_command(options);
    }
    if (*report) {
      return report_command(options, report_format, report_output, report_db);
    }
    if (*status) {
      return status_command(options);
    }
    if (*log) {
      return log_command(options, level);
    }
    if (*simulate) {
      return simulate_command(options, simulation);
    }
  } catch (const UserError& e) {
    std::fprintf(stderr, "ccbisect: error: %s\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ccbisect: internal error: %s\n", e.what());
    return k_exit_error;
  }
  return k_exit_usage;
}

}  // namespace ccbisect
