// The small commands and their options: init, capture, status, log. Each prints through the
// console, so that -q, -v and --json hold for them as for the searches.
#include "app/commands.hpp"
#include "app/console.hpp"
#include "app/object_level.hpp"
#include "app/search_levels.hpp"

#include <fstream>
#include <map>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "bisector/errors.hpp"
#include "bisector/subset_text.hpp"
#include "capture/capture.hpp"
#include "config/config.hpp"
#include "db/store.hpp"
#include "report/report.hpp"
#include "toolchain/compiler.hpp"

namespace ccbisect {

namespace {

// Opens the store of an existing search, for read-only commands.
std::unique_ptr<Store> open_existing(const Config& config) {
  if (!std::filesystem::exists(config.database_path())) {
    throw UserError(fmt::format("{}: no search has run here yet; start one with `ccbisect objects`",
                                config.database_path().string()));
  }
  auto store = Store::open(config.database_path());
  store->select_configuration(outcome_key(config));  // the file as it is now: the current configuration
  return store;
}

// The current configuration and the earlier ones, for status.
std::vector<std::string> configuration_lines(const nlohmann::json& configuration) {
  std::vector<std::string> lines;
  std::string id = configuration["id"].get<std::string>();
  lines.push_back(configuration["recorded"].get<bool>()
                      ? fmt::format("config    {} (this file's outcome-relevant keys)", id)
                      : fmt::format("config    {}: no search has run with this configuration yet", id));
  for (const auto& old : configuration["history"]) {
    lines.push_back(fmt::format(
        "history   {}: {} trials in {} sessions, {} to {} (not shown: another configuration)",
        old["id"].get<std::string>(), old["trials"].get<std::size_t>(), old["sessions"].get<std::size_t>(),
        old["first"].get<std::string>(), old["last"].get<std::string>()));
  }
  return lines;
}

}  // namespace

int init_command(const CommonOptions& options) {
  if (std::filesystem::exists(options.config)) {
    throw UserError(fmt::format("{} exists already; edit it, or remove it to write a fresh template",
                                options.config.string()));
  }
  // Toolchains that exist here, C and C++ each (g++-N for C++, never a C driver).
  std::map<std::string, std::string> examples;
  std::vector<std::string> c_compilers = installed_compilers(false);
  std::vector<std::string> cxx_compilers = installed_compilers(true);
  auto [good_cc, bad_cc] = suggested_pair(c_compilers);
  std::string counterpart = bad_cc.rfind("gcc-", 0) == 0     ? "g++-" + bad_cc.substr(4)
                            : bad_cc.rfind("clang-", 0) == 0 ? "clang++-" + bad_cc.substr(6)
                                                             : "";
  auto [good_cxx, bad_cxx] = suggested_pair(cxx_compilers, counterpart);
  for (const auto& [key, value] : {std::pair{"good.cc", good_cc}, std::pair{"bad.cc", bad_cc},
                                   std::pair{"good.cxx", good_cxx}, std::pair{"bad.cxx", bad_cxx}}) {
    if (!value.empty()) {
      examples[key] = "\"" + value + "\"";
    }
  }
  if (!good_cc.empty() && good_cc == bad_cc) {
    examples["good.flags"] = "\"-O1\"";  // one compiler: two optimization levels
    examples["bad.flags"] = "\"-O2\"";
  }
  std::ofstream out(options.config);
  out << config_template(examples);
  if (!out) {
    throw UserError(fmt::format("cannot write {}", options.config.string()));
  }
  note(fmt::format("wrote {}: fill in [good], [bad], [build] link and [oracle] command",
                   options.config.string()));
  note(fmt::format("installed here: C {}; C++ {}",
                   c_compilers.empty() ? "none" : fmt::format("{}", fmt::join(c_compilers, ", ")),
                   cxx_compilers.empty() ? "none" : fmt::format("{}", fmt::join(cxx_compilers, ", "))));
  return k_exit_found;
}

int capture_command(const CommonOptions& options, const std::string& side,
                    const std::vector<std::string>& build) {
  Config config = load_config(options.config);
  auto store = open_session(config, "capture " + side);
  ObjectStore objects(config.workdir_path() / "objects");
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

// A compact view of the report's model: the same summary of each level's finding, and the verdict
// once the levels that decide it have run.
int status_command(const CommonOptions& options) {
  Config config = load_config(options.config);
  auto store = open_existing(config);
  nlohmann::json model = report_model(*store, recorded_levels());
  std::vector<std::string> pending = pending_verdict_levels(*store, config);
  nlohmann::json verdict = pending.empty() ? model["verdict"] : nlohmann::json(nullptr);
  if (options.json) {
    nlohmann::json out = {{"database", model["database"]},
                          {"schema_version", model["schema_version"]},
                          {"toolchains", model["toolchains"]},
                          {"configuration", model["configuration"]},
                          {"levels", nlohmann::json::array()},
                          {"verdict", verdict},
                          {"pending", pending}};
    for (const auto& level : model["levels"]) {
      out["levels"].push_back(
          {{"name", level["name"]},
           {"items", level["items"]},
           {"trials", level["trials"].size()},
           {"counts", level["counts"]},
           {"finding", level["finding"].is_null() ? nlohmann::json(nullptr) : level["finding"]["summary"]}});
    }
    console().json(out);
    return k_exit_found;
  }
  Console& out = console();
  out.answer(fmt::format("database  {} (schema {})", model["database"].get<std::string>(),
                         model["schema_version"].get<int>()));
  for (const char* side : {"good", "bad"}) {
    out.answer(fmt::format("{:<9} {}  [{}]", side, model["toolchains"][side]["toolchain"].get<std::string>(),
                           model["toolchains"][side]["version"].get<std::string>()));
  }
  for (const std::string& line : configuration_lines(model["configuration"])) {
    out.answer(line);
  }
  for (const auto& level : model["levels"]) {
    std::string name = level["name"];
    out.answer(fmt::format("[{}] {} items; {} trials: {} pass, {} fail, {} unresolved", name,
                           level["items"].get<std::size_t>(), level["trials"].size(),
                           level["counts"]["pass"].get<int>(), level["counts"]["fail"].get<int>(),
                           level["counts"]["unresolved"].get<int>()));
    if (level["finding"].is_null()) {
      out.answer(
          fmt::format("[{}] in progress (no finding recorded yet); run the same command to resume", name));
    } else {
      out.answer(fmt::format("[{}] {}", name, level["finding"].value("summary", std::string())));
    }
  }
  if (!pending.empty()) {
    out.answer(
        fmt::format("verdict   not yet: {} still to run (`ccbisect run` resumes)", fmt::join(pending, ", ")));
    return k_exit_found;
  }
  out.answer(fmt::format("verdict   {} (confidence: {})", verdict["kind"].get<std::string>(),
                         verdict["confidence"].get<std::string>()));
  return k_exit_found;
}

int log_command(const CommonOptions& options, const std::string& level) {
  auto store = open_existing(load_config(options.config));
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
                     {"reason", std::string(to_string(t.result.reason))},
                     {"exit_status", t.result.exit_status},
                     {"seconds", t.result.seconds},
                     {"started_at", t.result.started_at},
                     {"node", t.result.node},
                     {"log_tail", t.result.log_tail}});
    }
    console().json(out);
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
    // An unresolved trial says why: "unresolved (link-failed)".
    std::string outcome(to_string(t.result.outcome));
    if (t.result.outcome == Outcome::unresolved) {
      outcome += fmt::format(" ({})", to_string(t.result.reason));
    }
    // A trial that ran on a cluster node says which: "on node07".
    std::string node = t.result.node.empty() ? "" : fmt::format("  on {}", t.result.node);
    console().answer(fmt::format("#{:<4} {} [{}] {:>5} from bad  {:<10} exit {:<4} {:>7.2f} s  {}{}", t.id,
                                 t.result.started_at, t.level, t.subset_size, outcome, t.result.exit_status,
                                 t.result.seconds, shown, node));
  }
  return k_exit_found;
}

CommandRunner init_options(CLI::App&) {
  return [](const CommonOptions& options) { return init_command(options); };
}

CommandRunner capture_options(CLI::App& app) {
  struct Parsed {
    std::string side = "good";
    std::vector<std::string> build;
  };
  auto parsed = std::make_shared<Parsed>();
  app.add_option("--side", parsed->side, "good or bad (wrapper capture)")
      ->check(CLI::IsMember({"good", "bad"}));
  app.add_option("build", parsed->build, "the build command, after --");
  return [parsed](const CommonOptions& options) {
    return capture_command(options, parsed->side, parsed->build);
  };
}

CommandRunner status_options(CLI::App&) {
  return [](const CommonOptions& options) { return status_command(options); };
}

CommandRunner log_options(CLI::App& app) {
  auto level = std::make_shared<std::string>();
  app.add_option("--level", *level, "only this level");
  return [level](const CommonOptions& options) { return log_command(options, *level); };
}

}  // namespace ccbisect
