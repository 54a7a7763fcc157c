// The report model from a store alone: the levels in the order the registry gives, each with its
// newest finding read through its type, and the trials with their unresolved reasons.
#include "report/report.hpp"

#include <catch2/catch.hpp>

#include "app/search_levels.hpp"
#include "db/findings_store.hpp"

using namespace ccbisect;

namespace {
TrialResult outcome(Outcome value, UnresolvedReason reason = UnresolvedReason::none) {
  TrialResult result;
  result.outcome = value;
  result.reason = reason;
  result.log_tail = "log";
  return result;
}

std::vector<std::string> level_names(const nlohmann::json& model) {
  std::vector<std::string> names;
  for (const auto& level : model["levels"]) {
    names.push_back(level["name"]);
  }
  return names;
}
}  // namespace

TEST_CASE("the report lists the levels in the order it is given, then any other by name", "[report]") {
  auto store = Store::open_in_memory();
  store->begin_session({"run", "{}", "g", "", "b", ""});
  // recorded out of order, and one level no registry knows
  for (const char* level : {"functions", "simulated", "probes", "objects", "passes"}) {
    store->record_items(level, {"item0"});
    store->record(std::string(level) + ":k", level, Subset{0}, outcome(Outcome::fail));
  }
  store->record("objects:k2", "objects", Subset{},
                outcome(Outcome::unresolved, UnresolvedReason::link_failed));
  nlohmann::json model = report_model(*store, recorded_levels());
  CHECK(level_names(model) ==
        std::vector<std::string>{"objects", "probes", "passes", "functions", "simulated"});
  CHECK(level_names(report_model(*store, {"passes", "objects"})) ==
        std::vector<std::string>{"passes", "objects", "functions", "probes", "simulated"});
  const auto& objects = model["levels"][0];
  REQUIRE(objects["trials"].size() == 2);
  CHECK(objects["trials"][0]["reason"] == "none");
  CHECK(objects["trials"][1]["reason"] == "link-failed");
  CHECK(objects["finding"].is_null());  // no answer recorded yet
}

TEST_CASE("each level's finding is read through its type, with its one-line summary", "[report]") {
  auto store = Store::open_in_memory();
  store->begin_session({"run", "{}", "g", "", "b", ""});
  for (const char* level : {"objects", "probes", "passes"}) {
    store->record_items(level, {"item0"});
    store->record(std::string(level) + ":k", level, Subset{0}, outcome(Outcome::fail));
  }
  SearchFinding objects;
  objects.status = SearchStatus::found;
  objects.culprits = {"obj/unit.o"};
  record_finding(*store, "objects", objects);
  ProbesFinding probes;
  probes.probes = {{"-fwrapv", Outcome::pass, UnresolvedReason::none, ""}};
  probes.ub_tolerance_fixes = {"-fwrapv"};
  record_finding(*store, "probes", probes);
  record_finding(*store, "probes", SanitizerReport{"runtime error: x"});  // newer, but of another kind
  PassFinding passes;
  passes.status = SearchStatus::found;
  passes.method = "opt-bisect-limit";
  passes.pass = PassStep{"InstCombinePass", "f", 3};
  record_finding(*store, "passes", passes);

  nlohmann::json model = report_model(*store, recorded_levels());
  REQUIRE(model["levels"].size() == 3);
  CHECK(model["levels"][0]["finding"]["summary"] == "found: obj/unit.o");
  CHECK(model["levels"][0]["finding"]["culprits"] == nlohmann::json::array({"obj/unit.o"}));
  CHECK(model["levels"][1]["finding"]["summary"] == "-fwrapv make it pass; sanitizers: no report");
  CHECK(model["levels"][2]["finding"]["summary"] ==
        R"(found: {"function":"f","index":3,"pass":"InstCombinePass"})");
  CHECK(model["probes"]["ub_tolerance_fixes"] == nlohmann::json::array({"-fwrapv"}));
  CHECK(model["verdict"]["kind"] == "latent-bug");
}
