// Building the report model from the store and rendering it; see report.hpp.
//
// The HTML page is one file with inline CSS and an inline SVG: every trial is a dot at (trial
// number, number of items from bad on a log scale), coloured by outcome, with the levels as
// bands, so the narrowing of each search is visible at a glance. A few lines of script count the
// dots the browser actually laid out into <body data-rendered-trials>, which the tests read back
// from headless Chromium.
#include "report/report.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "bisector/findings.hpp"
#include "bisector/subset_text.hpp"
#include "bisector/verdict.hpp"
#include "db/findings_store.hpp"
#include "report/evidence.hpp"
#include "sys/process.hpp"

namespace ccbisect {
namespace {

using nlohmann::json;

// "3 from bad: obj/a.o obj/b.o obj/c.o" for small subsets, "120 from bad (0-119)" otherwise.
std::string subset_summary(const TrialRow& trial, const std::vector<std::string>& names) {
  if (trial.subset.empty()) {
    return "all good";
  }
  if (trial.subset_size <= 3) {
    std::vector<std::string> picked;
    for (std::size_t index : decode_ranges(trial.subset).value_or(Subset{})) {
      picked.push_back(index < names.size() ? names[index] : std::to_string(index));
    }
    return fmt::format("{} from bad: {}", trial.subset_size, fmt::join(picked, " "));
  }
  if (trial.subset_size == names.size()) {
    return "all bad";
  }
  std::string ranges = trial.subset.size() > 40 ? trial.subset.substr(0, 40) + "…" : trial.subset;
  return fmt::format("{} from bad ({})", trial.subset_size, ranges);
}

json reproducer(Store& store, const json& config, const std::vector<std::string>& culprit_objects) {
  json steps = json::array();
  std::string project = std::filesystem::path(config.value("file", "")).parent_path().string();
  // The newest compile of each object on each side, as ccbisect ran it.
  std::map<std::pair<std::string, std::string>, CompileRow> newest;
  for (CompileRow& row : store.compiles()) {
    if (!row.command.empty()) {
      newest[{row.output, row.side}] = row;
    }
  }
  std::set<std::string> culprits;
  for (const std::string& name : culprit_objects) {
    culprits.insert((std::filesystem::path(project) / name).lexically_normal().string());
    culprits.insert(name);
  }
  std::set<std::string> outputs;
  for (const auto& [key, row] : newest) {
    outputs.insert(key.first);
  }
  for (const std::string& output : outputs) {
    bool bad = culprits.count(output) > 0;
    auto found = newest.find({output, bad ? "bad" : "good"});
    if (found != newest.end()) {
      steps.push_back(
          {{"what", fmt::format("compile {} with the {} toolchain", output, bad ? "bad" : "good")},
           {"command",
            fmt::format("cd {} && {}", shell_join({found->second.directory}), found->second.command)}});
    }
  }
  if (outputs.empty()) {
    // Captured through the wrapper (or Kbuild): each side's compiles are recorded in the workdir.
    std::filesystem::path capture =
        std::filesystem::path(project) / config.value("workdir", ".ccbisect") / "capture";
    for (const char* side : {"good", "bad"}) {
      std::ifstream in(capture / (std::string(side) + ".json"));
      json records = json::parse(in, nullptr, false);
      for (const json& record : records.is_array() ? records : json::array()) {
        std::string output = record.value("output", "");
        bool bad = culprits.count(output) > 0 || culprits.count(record.value("name", "")) > 0;
        if (bad == (std::string(side) == "bad") && record.contains("arguments")) {
          steps.push_back(
              {{"what", fmt::format("compile {} with the {} toolchain", record.value("name", output), side)},
               {"command", fmt::format("cd {} && {}", shell_join({record.value("directory", project)}),
                                       shell_join(record["arguments"].get<std::vector<std::string>>()))}});
        }
      }
    }
  }
  steps.push_back({{"what", "link"},
                   {"command", fmt::format("cd {} && {}", shell_join({project}), config.value("link", ""))}});
  std::string oracle = config["oracle"].value("command", "");
  if (config["oracle"].value("type", "command") == "qemu") {
    // The boot command of the newest failing trial, as the QEMU oracle ran it.
    oracle = "";
    for (const TrialRow& trial : store.trials()) {
      std::size_t at = trial.result.log_tail.rfind("[ccbisect] boot: ");
      if (trial.result.outcome == Outcome::fail && at != std::string::npos) {
        oracle = trial.result.log_tail.substr(at + 17, trial.result.log_tail.find('\n', at) - at - 17);
      }
    }
    if (oracle.empty()) {
      oracle = "(no failing boot recorded)";
    }
  }
  steps.push_back({{"what", "run the oracle (it fails)"},
                   {"command", fmt::format("cd {} && {}", shell_join({project}), oracle)}});
  return steps;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The picture of the search: trials over time, coloured by outcome, y = items from bad (log scale).
std::string search_svg(const json& model) {
  const int width = 900;
  const int height = 320;
  const int margin = 40;
  std::vector<json> trials;
  for (const auto& level : model["levels"]) {
    for (const auto& trial : level["trials"]) {
      json t = trial;
      t["level"] = level["name"];
      t["items"] = level["items"];
      trials.push_back(t);
    }
  }
  std::size_t largest = 1;
  for (const json& t : trials) {
    largest = std::max<std::size_t>(largest, t["from_bad"].get<std::size_t>());
  }
  double x_step = trials.empty()
                      ? 1.0
                      : static_cast<double>(width - 2 * margin) / std::max<std::size_t>(1, trials.size());
  auto y_of = [&](std::size_t size) {
    double top = std::log2(static_cast<double>(largest) + 1.0);
    double value = std::log2(static_cast<double>(size) + 1.0);
    return height - margin - (height - 2 * margin) * (top > 0 ? value / top : 0.0);
  };
  std::string svg = fmt::format(
      "<svg id=\"search\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} "
      "{}\" "
      "role=\"img\" aria-label=\"trials over time\">\n",
      width, height, width, height);
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#888\"/>\n", margin,
                     height - margin, width - margin);
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#888\"/>\n", margin, margin,
                     height - margin);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\">trial →</text>\n", width - margin - 40,
                     height - 10);
  svg += fmt::format("<text x=\"4\" y=\"{}\" font-size=\"12\">items from bad (log)</text>\n", margin - 10);
  // level bands
  std::string current;
  std::size_t band_start = 0;
  auto close_band = [&](std::size_t end) {
    if (current.empty()) {
      return;
    }
    double x0 = margin + band_start * x_step;
    double x1 = margin + end * x_step;
    svg += fmt::format(
        "<rect class=\"band\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#f3f3f8\"/>\n", x0,
        margin, std::max(0.0, x1 - x0), height - 2 * margin);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" fill=\"#555\">{}</text>\n", x0 + 3,
                       margin + 12, html_escape(current));
  };
  for (std::size_t i = 0; i < trials.size(); ++i) {
    std::string level = trials[i]["level"];
    if (level != current) {
      close_band(i);
      current = level;
      band_start = i;
    }
  }
  close_band(trials.size());
  // the path of the narrowing set, then the dots
  std::string path;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    path += fmt::format("{}{:.1f},{:.1f} ", i == 0 ? "M" : "L", margin + (i + 0.5) * x_step,
                        y_of(trials[i]["from_bad"].get<std::size_t>()));
  }
  if (!path.empty()) {
    svg += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#bbb\" stroke-width=\"1\"/>\n", path);
  }
  const std::map<std::string, std::string> colours = {
      {"pass", "#2e9d3a"}, {"fail", "#d62d20"}, {"unresolved", "#999999"}};
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const json& t = trials[i];
    std::string outcome = t["outcome"];
    svg += fmt::format(
        "<circle class=\"trial {}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\"><title>#{} [{}] {} → {} "
        "({:.2f} "
        "s)</title></circle>\n",
        outcome, margin + (i + 0.5) * x_step, y_of(t["from_bad"].get<std::size_t>()), colours.at(outcome),
        t["id"].get<std::int64_t>(), html_escape(t["level"].get<std::string>()),
        html_escape(t["subset"].get<std::string>()), outcome, t["seconds"].get<double>());
  }
  svg += "</svg>\n";
  return svg;
}

// Which configuration the report shows, and the earlier ones it leaves out.
std::string configuration_text(const json& configuration) {
  std::string out = fmt::format("Configuration {}: the trials and findings below are this configuration's.",
                                configuration.value("id", std::string()));
  for (const auto& old : configuration.value("history", json::array())) {
    out += fmt::format(" Not shown: configuration {} ({} trials, {} to {}).", old["id"].get<std::string>(),
                       old["trials"].get<std::size_t>(), old["first"].get<std::string>(),
                       old["last"].get<std::string>());
  }
  return out;
}

std::string render_markdown(const json& m) {
  std::string out = "# ccbisect report\n\n";
  out += fmt::format("Generated from `{}` (schema {}).\n\n", m["database"].get<std::string>(),
                     m["schema_version"].get<int>());
  out += "## Toolchains\n\n| side | toolchain | version |\n|---|---|---|\n";
  for (const char* side : {"good", "bad"}) {
    out += fmt::format("| {} | `{}` | {} |\n", side, m["toolchains"][side]["toolchain"].get<std::string>(),
                       m["toolchains"][side]["version"].get<std::string>());
  }
  out += "\n" + configuration_text(m["configuration"]) + "\n";
  const json& verdict = m["verdict"];
  out += fmt::format("\n## Verdict: {} (confidence: {})\n\n", verdict["kind"].get<std::string>(),
                     verdict["confidence"].get<std::string>());
  for (const auto& line : verdict["evidence"]) {
    out += "- " + line.get<std::string>() + "\n";
  }
  out += "\n## Findings\n\n";
  for (const auto& level : m["levels"]) {
    const json& finding = level["finding"];
    if (level["name"] == "probes") {
      continue;  // their own table below
    }
    out += fmt::format(
        "- **{}**: {}\n", level["name"].get<std::string>(),
        finding.is_null() ? std::string("no answer recorded") : finding.value("summary", finding.dump()));
  }
  if (m.contains("probes") && !m["probes"].is_null()) {
    out += "\n### Latent-bug probes\n\n| probe | outcome | note |\n|---|---|---|\n";
    for (const auto& probe : m["probes"]["probes"]) {
      out += fmt::format("| `{}` | {} | {} |\n", probe["probe"].get<std::string>(),
                         probe["outcome"].get<std::string>(), probe.value("note", ""));
    }
    std::string report = m["probes"].value("sanitizer_report", "");
    if (!report.empty()) {
      out += "\nSanitizer report:\n\n```\n" + report + "\n```\n";
    }
  }
  if (m["reproducer"].empty()) {
    out += "\n## Reproducer\n\nNone: no culprit object was found, so there is no failing mix to rebuild.\n";
  } else {
    out +=
        "\n## Reproducer\n\nThe minimal failing mix: the culprit objects from the bad toolchain, every other "
        "object from the good one.\n\n```sh\n";
    for (const auto& step : m["reproducer"]) {
      out += "# " + step["what"].get<std::string>() + "\n" + step["command"].get<std::string>() + "\n";
    }
    out += "```\n";
  }
  out += "\n## The search\n";
  for (const auto& level : m["levels"]) {
    out += fmt::format("\n### {} ({} items, {} trials: {} pass, {} fail, {} unresolved, {:.1f} s)\n\n",
                       level["name"].get<std::string>(), level["items"].get<std::size_t>(),
                       level["trials"].size(), level["counts"]["pass"].get<int>(),
                       level["counts"]["fail"].get<int>(), level["counts"]["unresolved"].get<int>(),
                       level["seconds"].get<double>());
    out += "| # | started | subset | outcome | seconds |\n|---|---|---|---|---|\n";
    for (const auto& t : level["trials"]) {
      out += fmt::format("| {} | {} | {} | {} | {:.2f} |\n", t["id"].get<std::int64_t>(),
                         t["started_at"].get<std::string>(), t["subset"].get<std::string>(),
                         t["outcome"].get<std::string>(), t["seconds"].get<double>());
    }
  }
  return out;
}

std::string render_html(const json& m) {
  std::string md_free;
  std::string out =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ccbisect report</title>\n"
      "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px;color:#222}"
      "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px "
      "8px;font-size:13px}"
      "code,pre{background:#f6f6f6}pre{padding:.6em;overflow-x:auto}.pass{color:#2e9d3a}.fail{color:#d62d20}"
      ".unresolved{color:#777}.verdict{font-size:1.3em;padding:.5em;border-left:6px solid "
      "#d62d20;background:#fff4f4}"
      ".legend span{margin-right:1.5em}</style></head>\n<body>\n<h1>ccbisect report</h1>\n";
  out += "<h2>Toolchains</h2><table><tr><th>side</th><th>toolchain</th><th>version</th></tr>";
  for (const char* side : {"good", "bad"}) {
    out += fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>", side,
                       html_escape(m["toolchains"][side]["toolchain"]),
                       html_escape(m["toolchains"][side]["version"]));
  }
  out += "</table>\n<p>" + html_escape(configuration_text(m["configuration"])) + "</p>\n";
  const json& verdict = m["verdict"];
  out += fmt::format("<h2>Verdict</h2><div class=\"verdict\">{} <small>(confidence: {})</small></div><ul>",
                     html_escape(verdict["kind"]), html_escape(verdict["confidence"]));
  for (const auto& line : verdict["evidence"]) {
    out += "<li>" + html_escape(line) + "</li>";
  }
  out +=
      "</ul>\n<h2>The search</h2>\n<div class=\"legend\"><span class=\"pass\">● pass</span><span "
      "class=\"fail\">● "
      "fail</span><span class=\"unresolved\">● unresolved</span></div>\n";
  out += search_svg(m);
  out += "<h2>Findings</h2><ul>";
  for (const auto& level : m["levels"]) {
    out += fmt::format(
        "<li><b>{}</b>: {}</li>", html_escape(level["name"]),
        html_escape(level["finding"].is_null() ? std::string("no answer recorded")
                                               : level["finding"].value("summary", std::string())));
  }
  out += "</ul>\n";
  if (m.contains("probes") && !m["probes"].is_null()) {
    out += "<h3>Latent-bug probes</h3><table><tr><th>probe</th><th>outcome</th><th>note</th></tr>";
    for (const auto& probe : m["probes"]["probes"]) {
      std::string outcome = probe["outcome"];
      out += fmt::format("<tr><td><code>{}</code></td><td class=\"{}\">{}</td><td>{}</td></tr>",
                         html_escape(probe["probe"]), outcome, outcome, html_escape(probe.value("note", "")));
    }
    out += "</table>\n";
  }
  out += "<h2>Reproducer</h2>";
  if (m["reproducer"].empty()) {
    out += "<p>None: no culprit object was found, so there is no failing mix to rebuild.</p>";
  } else {
    out += "<pre>";
    for (const auto& step : m["reproducer"]) {
      out += "# " + html_escape(step["what"]) + "\n" + html_escape(step["command"]) + "\n";
    }
    out += "</pre>";
  }
  out += "\n<h2>Every trial</h2>\n";
  for (const auto& level : m["levels"]) {
    out += fmt::format(
        "<h3>{}</h3><table><tr><th>#</th><th>started</th><th>subset</th><th>outcome</th><th>s</th></tr>",
        html_escape(level["name"]));
    for (const auto& t : level["trials"]) {
      std::string outcome = t["outcome"];
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{:.2f}</td></tr>",
                         t["id"].get<std::int64_t>(), html_escape(t["started_at"]), html_escape(t["subset"]),
                         outcome, outcome, t["seconds"].get<double>());
    }
    out += "</table>\n";
  }
  out +=
      "<script>\n// Count the trial dots the browser actually laid out (read back by the tests).\n"
      "window.addEventListener('load', function () {\n"
      "  var n = 0; document.querySelectorAll('#search circle.trial').forEach(function (c) {\n"
      "    var b = c.getBBox(); if (b.width > 0 && b.height > 0) { n++; } });\n"
      "  document.body.setAttribute('data-rendered-trials', String(n));\n});\n</script>\n";
  out += "</body></html>\n";
  (void)md_free;
  return out;
}

// The newest finding of `level` as the report shows it: the finding's JSON plus its one-line
// `summary`, or null when the level recorded none. The probes and the passes have their own kind of
// finding; every other level's is the engine's answer.
json level_finding(Store& store, const std::string& level) {
  auto with_summary = [](const auto& finding) {
    json out = *finding;
    out["summary"] = finding_summary(*finding);
    return out;
  };
  if (level == "probes") {
    auto finding = latest_finding<ProbesFinding>(store, level, "probes");
    return finding ? with_summary(finding) : json(nullptr);
  }
  if (level == "passes") {
    auto finding = latest_finding<PassFinding>(store, level);
    return finding ? with_summary(finding) : json(nullptr);
  }
  auto finding = latest_finding<SearchFinding>(store, level);
  return finding ? with_summary(finding) : json(nullptr);
}

}  // namespace

json report_model(Store& store, const std::vector<std::string>& level_order) {
  json m;
  m["database"] = store.path().string();
  m["schema_version"] = store.schema_version();
  auto sessions = store.sessions();
  json config = json::object();
  m["toolchains"] = {{"good", {{"toolchain", ""}, {"version", ""}}},
                     {"bad", {{"toolchain", ""}, {"version", ""}}}};
  for (auto it = sessions.rbegin(); it != sessions.rend(); ++it) {
    if (it->command != "simulate") {
      m["toolchains"] = {{"good", {{"toolchain", it->good_toolchain}, {"version", it->good_version}}},
                         {"bad", {{"toolchain", it->bad_toolchain}, {"version", it->bad_version}}}};
      config = json::parse(it->config_json, nullptr, false);
      break;
    }
  }
  m["config"] = config;
  // One configuration at a time: the store reads the current one's trials and findings; the others
  // are listed as history.
  json history = json::array();
  bool recorded = false;
  for (const ConfigurationRow& row : store.configurations()) {
    recorded = recorded || row.current;
    if (!row.current) {
      history.push_back({{"id", row.id},
                         {"sessions", row.sessions},
                         {"trials", row.trials},
                         {"first", row.first_started},
                         {"last", row.last_started}});
    }
  }
  m["configuration"] = {{"id", store.configuration_id()}, {"recorded", recorded}, {"history", history}};
  // Levels in the order the method runs them, then any other.
  std::vector<std::string> order = level_order;
  std::map<std::string, std::vector<TrialRow>> by_level;
  for (TrialRow& trial : store.trials()) {
    by_level[trial.level].push_back(std::move(trial));
  }
  for (const auto& [level, rows] : by_level) {
    if (std::find(order.begin(), order.end(), level) == order.end()) {
      order.push_back(level);
    }
  }
  json levels = json::array();
  for (const std::string& level : order) {
    auto found = by_level.find(level);
    if (found == by_level.end()) {
      continue;
    }
    std::vector<std::string> names = store.items(level);
    json entry = {{"name", level}, {"items", names.size()}, {"trials", json::array()}};
    std::map<std::string, int> counts = {{"pass", 0}, {"fail", 0}, {"unresolved", 0}};
    double seconds = 0.0;
    for (const TrialRow& t : found->second) {
      std::string outcome(to_string(t.result.outcome));
      ++counts[outcome];
      seconds += t.result.seconds;
      entry["trials"].push_back({{"id", t.id},
                                 {"started_at", t.result.started_at},
                                 {"from_bad", t.subset_size},
                                 {"subset", subset_summary(t, names)},
                                 {"outcome", outcome},
                                 {"reason", std::string(to_string(t.result.reason))},
                                 {"exit_status", t.result.exit_status},
                                 {"seconds", t.result.seconds}});
    }
    entry["counts"] = counts;
    entry["seconds"] = seconds;
    entry["finding"] = level_finding(store, level);
    levels.push_back(entry);
  }
  m["levels"] = levels;
  auto probes = latest_finding<ProbesFinding>(store, "probes", "probes");
  m["probes"] = probes ? json(*probes) : json(nullptr);
  Evidence evidence = gather_evidence(store);
  m["verdict"] = decide_verdict(evidence);
  // A reproducer only for a found mix: with no culprit object there is no failing mix to rebuild.
  m["reproducer"] = config.is_object() && config.contains("oracle") && !evidence.culprit_objects.empty()
                        ? reproducer(store, config, evidence.culprit_objects)
                        : json::array();
  return m;
}

std::string render_report(Store& store, ReportFormat format, const std::vector<std::string>& level_order) {
  json model = report_model(store, level_order);
  switch (format) {
    case ReportFormat::json:
      return model.dump(2) + "\n";
    case ReportFormat::html:
      return render_html(model);
    case ReportFormat::markdown:
      return render_markdown(model);
  }
  return render_markdown(model);
}

}  // namespace ccbisect
