// `ccbisect run` and `ccbisect report` end to end: one small real program per verdict kind, a report
// generated from a copied database in another directory, and the HTML page rendered by headless
// Chromium with its picture of the search laid out.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "tests/support/fixtures.hpp"
#include "tests/support/scenario.hpp"

using namespace ccbisect::testing;
using ccbisect::run_shell;

namespace {

void write_project(Scenario& s, const std::string& code, const std::string& main_code,
                   const std::string& good, const std::string& bad, const std::string& oracle = "./prog") {
  s.write_small_project("unit.c", code, main_code, "gcc-12", good, bad, oracle, " -lm");
}

void write_latent_bug(Scenario& s) {
  write_project(s, k_tag_make_tu, k_tag_make_main, k_good_gcc12_o1, k_bad_gcc12_o2);
}

}  // namespace

TEST_CASE("run on a strict-aliasing bug finds object, option and function, and says latent bug",
          "[e2e][run]") {
  require_tools({"gcc-12"});
  Scenario s("run-latent");
  write_latent_bug(s);
  auto run = s.run({"run", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["status"] == "found");
  CHECK(run.json["objects"] == nlohmann::json::array({"obj/unit.o"}));
  CHECK(run.json["flags"] == nlohmann::json::array({"-fno-strict-aliasing"}));
  CHECK(run.json["functions"] == nlohmann::json::array({"tag_make"}));
  CHECK(run.json["verdict"]["kind"] == "latent-bug");
  CHECK(run.json["verdict"]["evidence"].size() >= 3);
  CHECK(run.json["trials"].get<int>() > 10);
  CHECK(run.json.contains("seconds"));
  CHECK(std::filesystem::exists(s.dir() / ".ccbisect/report.html"));

  auto status = s.run({"status"});
  INFO(status.output);
  CHECK(status.exit_status == 0);
  CHECK_THAT(status.output, Catch::Contains("[objects] found: obj/unit.o"));
  CHECK_THAT(status.output, Catch::Contains("[probes]"));
  CHECK_THAT(status.output, Catch::Contains("verdict   latent-bug"));
  auto status_json = s.run({"status", "--json"});
  CHECK(status_json.json["verdict"]["kind"] == "latent-bug");

  // resumed: a second run replays every level from the store and reaches the same answers
  auto again = s.run({"run", "--json"});
  CHECK(again.json["verdict"] == run.json["verdict"]);
  CHECK(again.json["functions"] == run.json["functions"]);
}

TEST_CASE("status shows a verdict only once the levels that decide it have run", "[e2e][run]") {
  require_tools({"gcc-12"});
  Scenario s("status-pending");
  write_latent_bug(s);
  REQUIRE(s.run({"objects"}).exit_status == 0);
  auto status = s.run({"status"});
  INFO(status.output);
  CHECK(status.exit_status == 0);
  CHECK_THAT(status.output, Catch::Contains("[objects] found: obj/unit.o"));
  CHECK_THAT(status.output, Catch::Contains("verdict   not yet: flags still to run"));
  CHECK_THAT(status.output, !Catch::Contains("inconclusive"));
  auto status_json = s.run({"status", "--json"});
  CHECK(status_json.json["verdict"].is_null());
  CHECK(status_json.json["pending"] == nlohmann::json::array({"flags"}));  // gcc: no pass level in run

  REQUIRE(s.run({"flags"}).exit_status == 0);
  auto decided = s.run({"status", "--json"});
  INFO(decided.output);
  CHECK(decided.json["pending"].empty());
  CHECK(decided.json["verdict"]["kind"] == "latent-bug");
}

TEST_CASE("run on correct code broken by -ffast-math says option-semantics: the option removes a guarantee",
          "[e2e][run]") {
  require_tools({"gcc-12"});
  Scenario s("run-miscompile");
  // Correct C (NaN marks a missing sample); -ffinite-math-only lets the compiler drop the isnan check.
  // Neither a compiler bug nor undefined behaviour: the bad side's own option changed the rules.
  write_project(
      s,
      "#include <math.h>\ndouble valid_mean(const double *v, int n) {\n  double sum = 0; int count = 0;\n"
      "  for (int i = 0; i < n; ++i) { if (isnan(v[i])) continue; sum += v[i]; ++count; }\n"
      "  return count ? sum / count : 0.0;\n}\n",
      "#include <math.h>\n#include <stdio.h>\ndouble valid_mean(const double *, int);\n"
      "int main(void) { double v[4] = {1.0, NAN, 3.0, 5.0}; printf(\"%g\\n\", valid_mean(v, 4)); return 0; "
      "}\n",
      "[good]\ncc = \"gcc-12\"\nflags = \"-O2\"", "[bad]\ncc = \"gcc-12\"\nflags = \"-O2 -ffast-math\"",
      "test \\\"$(./prog)\\\" = 3");
  auto run = s.run({"run", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["objects"] == nlohmann::json::array({"obj/unit.o"}));
  CHECK(run.json["flags"] == nlohmann::json::array({"-fno-finite-math-only"}));
  CHECK(run.json["verdict"]["kind"] == "option-semantics");
  CHECK(run.json["verdict"]["confidence"] == "high");
  CHECK_THAT(run.json["verdict"]["evidence"].dump(), Catch::Contains("the bad side's -ffinite-math-only"));
}

TEST_CASE("run on a difference that is neither an option nor UB says inconclusive", "[e2e][run]") {
  require_tools({"gcc-12"});
  Scenario s("run-inconclusive");
  write_project(s, "int side(void) { return SIDE; }\n",
                "int side(void);\nint main(void) { return side(); }\n",
                "[good]\ncc = \"gcc-12\"\nflags = \"-O1 -DSIDE=0\"",
                "[bad]\ncc = \"gcc-12\"\nflags = \"-O2 -DSIDE=1\"");
  auto run = s.run({"run", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 4);  // culprits named, but no sound verdict
  CHECK(run.json["objects"] == nlohmann::json::array({"obj/unit.o"}));
  CHECK(run.json["flags"].empty());
  CHECK(run.json["verdict"]["kind"] == "inconclusive");
}

TEST_CASE("after [bad] changes, status and report show the new configuration only, the old one as history",
          "[e2e][run]") {
  require_tools({"gcc-12"});
  Scenario s("configurations");
  write_latent_bug(s);
  auto first = s.run({"objects", "--json"});
  REQUIRE(first.exit_status == 0);
  std::size_t first_trials = first.json["trials"].get<std::size_t>();
  REQUIRE(first_trials > 0);
  auto before = s.run({"status", "--json"});
  std::string old_id = before.json["configuration"]["id"].get<std::string>();
  CHECK(old_id.size() == 12);
  CHECK(before.json["configuration"]["history"].empty());

  // -O3 instead of -O2: another configuration; nothing has run with it yet
  write_project(s, k_tag_make_tu, k_tag_make_main, k_good_gcc12_o1, toml_side("bad", "gcc-12", "-O3"));
  auto pending = s.run({"status", "--json"});
  INFO(pending.output);
  CHECK(pending.json["configuration"]["id"] != old_id);
  CHECK(pending.json["configuration"]["recorded"] == false);
  REQUIRE(pending.json["configuration"]["history"].size() == 1);
  CHECK(pending.json["configuration"]["history"][0]["id"] == old_id);
  CHECK(pending.json["configuration"]["history"][0]["trials"] == first_trials);
  CHECK(pending.json["levels"].empty());  // the old configuration's objects level is not shown as this one's

  auto second = s.run({"objects", "--json"});
  REQUIRE(second.exit_status == 0);
  auto after = s.run({"status", "--json"});
  INFO(after.output);
  REQUIRE(after.json["levels"].size() == 1);
  CHECK(after.json["levels"][0]["trials"] == second.json["trials"]);  // not the sum of both
  auto text = s.run({"status"});
  CHECK_THAT(text.output, Catch::Contains("history   " + old_id));
}

TEST_CASE("run on a failure the bad side does not cause says not-reproducible in --json and the report",
          "[e2e][run]") {
  require_tools({"gcc-12"});
  Scenario s("run-not-reproducible");
  // The program fails with either side's objects: all-good does not pass.
  write_project(s, "int side(void) { return 1; }\n", "int side(void);\nint main(void) { return side(); }\n",
                k_good_gcc12_o1, k_bad_gcc12_o2);
  auto run = s.run({"run", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 3);
  CHECK(run.json["status"] == "not-reproducible");
  CHECK(run.json["statuses"]["objects"] == "not-reproducible");
  CHECK(run.json["objects"].empty());
  std::ifstream in(s.dir() / ".ccbisect/report.md");
  std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(report, Catch::Contains("None: no culprit object was found"));
  CHECK_THAT(report, !Catch::Contains("The minimal failing mix"));
}

TEST_CASE("the report is generated from a copied database in another directory, in all three formats",
          "[e2e][report]") {
  require_tools({"gcc-12"});
  Scenario s("report");
  write_latent_bug(s);
  REQUIRE(s.run({"run"}).exit_status == 0);
  Scenario elsewhere("report-copy");
  std::filesystem::copy_file(s.dir() / ".ccbisect/ccbisect.db", elsewhere.dir() / "copy.db");
  std::filesystem::remove_all(s.dir());  // the project is gone: only the copied database remains

  auto json = elsewhere.run({"report", "--db", "copy.db", "--format", "json"});
  INFO(json.output);
  REQUIRE(json.exit_status == 0);
  auto model = nlohmann::json::parse(json.output.substr(json.output.find('{')));
  CHECK(model["verdict"]["kind"] == "latent-bug");
  CHECK(model["toolchains"]["bad"]["version"].get<std::string>().find("gcc-12") != std::string::npos);
  CHECK(model["levels"][0]["name"] == "objects");
  CHECK(model["levels"][0]["trials"].size() >= 5);
  bool culprit_compile = false;
  for (const auto& step : model["reproducer"]) {
    culprit_compile =
        culprit_compile ||
        (step["what"].get<std::string>().find("unit.o with the bad toolchain") != std::string::npos &&
         step["command"].get<std::string>().find("-O2") != std::string::npos);
  }
  CHECK(culprit_compile);

  auto md = elsewhere.run({"report", "--db", "copy.db", "--format", "md", "-o", "report.md"});
  REQUIRE(md.exit_status == 0);
  std::ifstream in(elsewhere.dir() / "report.md");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Catch::Contains("## Verdict: latent-bug"));
  CHECK_THAT(text, Catch::Contains("## Reproducer"));
  CHECK_THAT(text, Catch::Contains("| `-fno-strict-aliasing` | pass |"));

  auto html = elsewhere.run({"report", "--db", "copy.db", "--format", "html", "-o", "report.html"});
  REQUIRE(html.exit_status == 0);
  CHECK(std::filesystem::file_size(elsewhere.dir() / "report.html") > 2000);
}

TEST_CASE("the HTML report renders in headless Chromium with every trial in its picture",
          "[e2e][report][browser]") {
  require_tools({"gcc-12", "chromium"});
  Scenario s("report-browser");
  write_latent_bug(s);
  REQUIRE(s.run({"run"}).exit_status == 0);
  auto model = nlohmann::json::parse(s.run({"report", "--format", "json"}).output);
  std::size_t trials = 0;
  for (const auto& level : model["levels"]) {
    trials += level["trials"].size();
  }
  std::string page = "file://" + (s.dir() / ".ccbisect/report.html").string();
  std::string chromium =
      "chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
      "--disable-component-update --disable-sync --no-first-run --user-data-dir=" +
      (s.dir() / "chrome").string() + " ";
  auto dom = run_shell(chromium + "--virtual-time-budget=3000 --dump-dom '" + page + "'", s.dir(), 120);
  INFO(dom.output_tail.substr(0, 400));
  std::smatch match;
  std::string text = dom.output_tail;
  REQUIRE(std::regex_search(text, match, std::regex("data-rendered-trials=\"(\\d+)\"")));
  CHECK(std::stoul(match[1]) == trials);
  CHECK(trials > 10);
  auto shot =
      run_shell(chromium + "--window-size=1000,900 --screenshot=" + (s.dir() / "report.png").string() + " '" +
                    page + "'",
                s.dir(), 120);
  CHECK(std::filesystem::exists(s.dir() / "report.png"));
  CHECK(std::filesystem::file_size(s.dir() / "report.png") > 10000);
}

TEST_CASE("the reproducer's directories are quoted for the shell, so it runs from a path with a space",
          "[e2e][report]") {
  require_tools({"gcc-12"});
  Scenario s("with space $(touch pwned)");
  s.write_small_project("culprit.c", "int culprit(void) { return SIDE; }\n",
                        "int culprit(void);\nint main(void) { return culprit(); }\n", "gcc-12",
                        "[good]\ncc = \"gcc-12\"\nflags = \"-O1 -DSIDE=0\"",
                        "[bad]\ncc = \"gcc-12\"\nflags = \"-O2 -DSIDE=1\"", "./prog");
  REQUIRE(s.run({"objects"}).exit_status == 0);
  auto report = s.run({"report", "--format", "json"});
  REQUIRE(report.exit_status == 0);
  nlohmann::json model = nlohmann::json::parse(report.output.substr(report.output.find('{')));
  REQUIRE_FALSE(model["reproducer"].empty());
  for (const auto& step : model["reproducer"]) {
    std::string command = step["command"].get<std::string>();
    if (command.rfind("cd ", 0) != 0) {
      continue;
    }
    INFO(command);
    // Only the `cd` part: it must land in the project without running anything in the path.
    std::string cd = command.substr(0, command.find(" && "));
    auto ran = run_shell(cd + " && pwd", "/", 10);
    CHECK(ran.exit_status == 0);
    CHECK_FALSE(std::filesystem::exists("/pwned"));
  }
}
