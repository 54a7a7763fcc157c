// The level driver (app/level_runner.cpp) on the simulated executor: what every level reports alike
// (exit code, JSON fields, stdout lines, the stored finding) for each way a search can end.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/console.hpp"
#include "app/level_runner.hpp"
#include "bisector/errors.hpp"
#include "bisector/findings.hpp"
#include "bisector/simulation/simulated_oracle.hpp"
#include "db/store.hpp"

using namespace ccbisect;

namespace {

struct Driven {
  LevelReport report;
  std::vector<FindingRow> findings;
};

Driven drive(const SimulatedBehaviour& behaviour) {
  console().configure(Verbosity::quiet, false);
  SimulatedExecutor executor(behaviour);
  auto store = Store::open_in_memory();
  store->begin_session({"test", "{}", "good", "", "bad", ""});
  LevelPlan plan;
  plan.level = "simulated";
  for (std::size_t i = 0; i < behaviour.item_count; ++i) {
    plan.items.push_back(fmt::format("item{}", i));
  }
  plan.executor = &executor;
  plan.configuration_key = "driver test";
  plan.extras = [](const LevelRun& run, nlohmann::json& extras) { extras["run"] = run.counters.run; };
  Driven driven;
  driven.report = drive_level(*store, plan);
  driven.findings = store->findings("simulated");
  return driven;
}

void check_shared_fields(const nlohmann::json& json) {
  for (const char* key : {"level", "culprits", "status", "method", "trials", "cached", "unresolved",
                          "seconds", "message", "run"}) {
    INFO(key);
    CHECK(json.contains(key));
  }
  CHECK(json["level"] == "simulated");
}

}  // namespace

TEST_CASE("the driver reports a found culprit: exit 0, the culprit on stdout and in the JSON, a finding",
          "[driver]") {
  SimulatedBehaviour behaviour;
  behaviour.item_count = 40;
  behaviour.culprits = {17};
  Driven driven = drive(behaviour);
  const nlohmann::json& json = driven.report.json;
  check_shared_fields(json);
  CHECK(driven.report.exit_code == k_exit_found);
  CHECK(json["status"] == "found");
  CHECK(json["culprits"] == nlohmann::json::array({"item17"}));
  CHECK(driven.report.lines == std::vector<std::string>{"item17"});
  CHECK(json["trials"].get<std::size_t>() == json["run"].get<std::size_t>());
  CHECK(json["cached"] == 0);
  REQUIRE(driven.findings.size() == 1);
  auto finding = nlohmann::json::parse(driven.findings.front().payload);
  CHECK(finding["status"] == "found");
  CHECK(finding["culprits"] == nlohmann::json::array({"item17"}));
  // the same finding, typed: the confidence in the JSON output is the stored one
  auto typed = finding.get<SearchFinding>();
  CHECK(typed.status == SearchStatus::found);
  REQUIRE(typed.confidence.size() == 1);
  CHECK(typed.confidence.front().item == "item17");
  CHECK(json["confidence"] == nlohmann::json(typed.confidence));
  CHECK(json["contradictions"] == typed.contradictions);
}

TEST_CASE("the driver reports a failure that does not reproduce: exit 3, nothing on stdout", "[driver]") {
  SimulatedBehaviour behaviour;
  behaviour.item_count = 10;  // no culprit: all-bad passes
  Driven driven = drive(behaviour);
  check_shared_fields(driven.report.json);
  CHECK(driven.report.exit_code == k_exit_not_reproducible);
  CHECK(driven.report.json["status"] == "not-reproducible");
  CHECK(driven.report.lines.empty());
  REQUIRE(driven.findings.size() == 1);
  CHECK(driven.findings.front().kind == "not-reproducible");
}

TEST_CASE("the driver reports a search that could not decide: exit 4, the unresolved trials counted",
          "[driver]") {
  SimulatedBehaviour behaviour;
  behaviour.item_count = 10;
  behaviour.culprits = {3};
  behaviour.unresolved_rate = 1.0;  // every mix unresolved, but the sanity check answered truthfully
  behaviour.sanity_exempt = true;
  Driven driven = drive(behaviour);
  check_shared_fields(driven.report.json);
  CHECK(driven.report.exit_code == k_exit_inconclusive);
  CHECK(driven.report.json["status"] == "inconclusive");
  CHECK(driven.report.json["unresolved"].get<std::size_t>() > 0);
  CHECK(driven.report.lines.empty());
  REQUIRE(driven.findings.size() == 1);
  CHECK(driven.findings.front().kind == "inconclusive");
}
