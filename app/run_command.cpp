// `ccbisect run`: the whole method, in order, resuming from the store wherever it stopped (every
// level replays its recorded trials): capture → sanity → objects → flags and the latent-bug probes
// → passes (Clang) → functions → verdict → report.
#include <fstream>
#include <memory>

#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "app/object_level.hpp"
#include "app/search_levels.hpp"
#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "bisector/verdict.hpp"
#include "capture/build_kinds.hpp"
#include "config/config.hpp"
#include "db/findings_store.hpp"
#include "report/evidence.hpp"
#include "report/report.hpp"
#include "trials/originals.hpp"

namespace ccbisect {
namespace {

// Runs a later level; its own errors (say, a mechanism that does not fit) are noted, not fatal: the
// verdict is then built from what the other levels found.
std::optional<LevelReport> try_level(const char* name, const std::function<LevelReport()>& level) {
  try {
    return level();
  } catch (const UserError& e) {
    note(fmt::format("[run] the {} level stopped: {}", name, e.what()));
    return std::nullopt;
  }
}

// A level's trials, with the probes the flag level ran beside its search.
std::size_t trials_of(const std::optional<LevelReport>& report) {
  if (!report) {
    return 0;
  }
  return report->json.value("trials", std::size_t{0}) + report->json.value("probe_trials", std::size_t{0});
}

}  // namespace

int run_command(const CommonOptions& options) {
  auto start = std::chrono::steady_clock::now();
  Config config = load_config(options.config);
  nlohmann::json out = {{"objects", nlohmann::json::array()},
                        {"flags", nlohmann::json::array()},
                        {"pass", nullptr},
                        {"functions", nlohmann::json::array()},
                        {"status", nullptr},
                        {"statuses", nlohmann::json::object()}};

  // 1. Capture, sanity check (all-good passes, all-bad fails) and the object search; then 2. the
  // options and the latent-bug probes, 3. the pass (where the compiler can say), 4. the functions:
  // the levels of the registry in order, each starting from the object level's answer.
  std::size_t trials = 0;
  int exit_code = k_exit_found;
  for (const LevelEntry& level : search_levels()) {
    bool first = std::string_view(level.name) == "objects";
    if (!level.in_run(config)) {
      continue;
    }
    std::optional<LevelReport> report = first ? std::optional<LevelReport>(level.run(options, {}))
                                              : try_level(level.name, [&] { return level.run(options, {}); });
    trials += trials_of(report);
    if (!report) {
      continue;
    }
    std::string name = level.name;
    // Each level's status ("found", "not-reproducible", "inconclusive", …); the run's is the object
    // level's while it is not "found", so a script reading --json sees why nothing follows.
    nlohmann::json status = report->json.value("status", nlohmann::json());
    out["statuses"][name] = status;
    if (first) {
      out["status"] = status;
    }
    if (name == "passes") {
      out["pass"] = report->json["pass"];
    } else {
      out[name] = report->json["culprits"];
    }
    if (name == "flags") {
      out["probes"] = report->json["probes"];
    }
    if (first && report->exit_code != k_exit_found) {
      exit_code = report->exit_code;  // no culprit object: nothing further to examine
      break;
    }
  }

  // 5. The verdict, from the evidence recorded in the store.
  auto store = Store::open(config.database_path());
  Verdict verdict = decide_verdict(gather_evidence(*store));
  record_finding(*store, "verdict", verdict);
  out["verdict"] = verdict;
  if (exit_code == k_exit_found && verdict.kind == "inconclusive") {
    exit_code = k_exit_inconclusive;  // culprits named, but no sound answer to "miscompile or latent bug?"
  }

  // 6. The post-mortem report, in the workspace.
  std::filesystem::path markdown = config.workdir_path() / "report.md";
  std::filesystem::path html = config.workdir_path() / "report.html";
  std::ofstream(markdown) << render_report(*store, ReportFormat::markdown, recorded_levels());
  std::ofstream(html) << render_report(*store, ReportFormat::html, recorded_levels());

  // 7. Put the user's own objects back, as `git bisect reset` does, unless asked to keep the mix.
  std::string tree = "the minimal failing mix (--keep-mix); `ccbisect reset` puts the user's build back";
  if (!options.keep_mix) {
    Config completed = config;
    complete_build_config(completed);
    std::string relink = relink_restored(Originals(config.workdir_path() / "original").restore(),
                                         completed.link, config.project_dir, config.link_timeout);
    tree = "the user's own objects, as its build left them, relinked";
    if (!relink.empty()) {
      console().warn("[run] " + relink);
      tree = "the user's own objects, as its build left them (not relinked)";
    }
  }
  out["tree"] = tree;

  double seconds = seconds_since(start);
  out["trials"] = trials;
  out["seconds"] = std::round(seconds * 1000.0) / 1000.0;
  out["report"] = {{"markdown", markdown.string()}, {"html", html.string()}};
  Console& console_out = console();
  if (options.json) {
    console_out.json(out);
  } else {
    auto joined = [&](const char* key) {
      return fmt::format("{}", fmt::join(out[key].get<std::vector<std::string>>(), " "));
    };
    console_out.answer("objects:   " + joined("objects"));
    console_out.answer("flags:     " + joined("flags"));
    if (!out["pass"].is_null()) {
      console_out.answer("pass:      " + out["pass"].dump());
    }
    console_out.answer("functions: " + joined("functions"));
    console_out.answer(fmt::format("verdict:   {} (confidence: {})", verdict.kind, verdict.confidence));
    for (const std::string& line : verdict.evidence) {
      console_out.answer("  - " + line);
    }
    console_out.answer(fmt::format("report:    {}\n           {}", markdown.string(), html.string()));
    console_out.answer("tree:      " + tree);
    note(fmt::format("[run] {} trials, {:.1f} s", trials, seconds));
  }
  return exit_code;
}

int report_command(const CommonOptions& options, const std::string& format, const std::string& output,
                   const std::string& database) {
  std::filesystem::path db = database;
  if (db.empty()) {
    db = load_config(options.config).database_path();
  }
  if (!std::filesystem::exists(db)) {
    throw UserError(fmt::format("{}: no such database; run a search first (ccbisect run), or pass --db FILE",
                                db.string()));
  }
  auto store = Store::open(db);
  ReportFormat chosen = format == "html"   ? ReportFormat::html
                        : format == "json" ? ReportFormat::json
                                           : ReportFormat::markdown;
  std::string text = render_report(*store, chosen, recorded_levels());
  if (output.empty() || output == "-") {
    console().raw(text);
  } else {
    std::ofstream file(output);
    file << text;
    if (!file) {
      throw UserError(fmt::format("-o {}: cannot write the report there", output));
    }
    note(fmt::format("wrote {}", output));
  }
  return k_exit_found;
}

CommandRunner run_options(CLI::App& app) {
  auto keep_mix = std::make_shared<bool>(false);
  app.add_flag("--keep-mix", *keep_mix,
               "leave the minimal failing mix in the tree instead of the user's build");
  return [keep_mix](const CommonOptions& options) {
    CommonOptions with = options;
    with.keep_mix = *keep_mix;
    return run_command(with);
  };
}

CommandRunner report_options(CLI::App& app) {
  struct Parsed {
    std::string format = "md";
    std::string output;
    std::string database;
  };
  auto parsed = std::make_shared<Parsed>();
  app.add_option("--format", parsed->format, "md, html or json")
      ->check(CLI::IsMember({"md", "html", "json"}))
      ->capture_default_str();
  app.add_option("-o,--output", parsed->output, "write here instead of stdout");
  app.add_option("--db", parsed->database, "a database file (e.g. a copy); default: the configuration's");
  return [parsed](const CommonOptions& options) {
    return report_command(options, parsed->format, parsed->output, parsed->database);
  };
}

}  // namespace ccbisect
