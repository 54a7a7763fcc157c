// Each finding survives to_json/from_json unchanged, keeps the JSON keys earlier versions stored,
// and reads an older payload (missing keys) with the struct's defaults. Also: typed findings
// through a real store, newest first, by kind, passing over damaged rows.
#include "bisector/findings.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "db/findings_store.hpp"

using namespace ccbisect;
using nlohmann::json;

namespace {

template <class T>
T round_trip(const T& value) {
  return json::parse(json(value).dump()).get<T>();
}

SearchFinding sample_search() {
  return {.status = SearchStatus::found,
          .culprits = {"obj/a.o", "obj/b.o"},
          .undetermined = {"obj/c.o"},
          .method = "ddmin",
          .complete = true,
          .minimal_proven = true,
          .message = "each of these fails on its own",
          .all_good = Outcome::pass,
          .all_bad = Outcome::fail,
          .trials_run = 7,
          .trials_recorded = 3,
          .contradictions = 2,
          .confidence = {{"obj/a.o", 2, 0, "high"}, {"obj/b.o", 1, 1, "low"}}};
}

}  // namespace

TEST_CASE("a search finding round-trips and keeps the keys the store always held", "[findings]") {
  SearchFinding finding = sample_search();
  SearchFinding back = round_trip(finding);
  CHECK(back.status == SearchStatus::found);
  CHECK(back.culprits == finding.culprits);
  CHECK(back.undetermined == finding.undetermined);
  CHECK(back.method == "ddmin");
  CHECK(back.complete);
  CHECK(back.minimal_proven);
  CHECK(back.message == finding.message);
  CHECK(back.all_good == Outcome::pass);
  CHECK(back.all_bad == Outcome::fail);
  CHECK(back.trials_run == 7);
  CHECK(back.trials_recorded == 3);
  CHECK(back.contradictions == 2);
  REQUIRE(back.confidence.size() == 2);
  CHECK(back.confidence[1].item == "obj/b.o");
  CHECK(back.confidence[1].agreeing == 1);
  CHECK(back.confidence[1].disagreeing == 1);
  CHECK(back.confidence[1].confidence == "low");
  json j = finding;
  for (const char* key :
       {"status", "culprits", "undetermined", "method", "complete", "minimal_proven", "message", "all_good",
        "all_bad", "trials_run", "trials_recorded", "contradictions", "confidence"}) {
    INFO(key);
    CHECK(j.contains(key));
  }
  CHECK(j.size() == 13);
  CHECK(j["status"] == "found");
  CHECK(j["all_bad"] == "fail");
  CHECK(j["confidence"][0] ==
        json({{"item", "obj/a.o"}, {"agreeing", 2}, {"disagreeing", 0}, {"confidence", "high"}}));
  CHECK(finding_kind(finding) == "found");
  CHECK(finding_summary(finding) == "found: obj/a.o obj/b.o");
}

TEST_CASE("an older or partial search finding reads with defaults", "[findings]") {
  auto finding = json::parse(R"({"status":"not-reproducible","all_good":"fail"})").get<SearchFinding>();
  CHECK(finding.status == SearchStatus::not_reproducible);
  CHECK(finding.all_good == Outcome::fail);
  CHECK(finding.all_bad == Outcome::unresolved);
  CHECK(finding.culprits.empty());
  CHECK(finding.trials_run == 0);
  CHECK(finding.contradictions == 0);
  CHECK(finding.confidence.empty());
  CHECK(finding_kind(finding) == "not-reproducible");
  CHECK(finding_summary(finding) == "not-reproducible");
  finding.message = "all-good fails";
  CHECK(finding_summary(finding) == "not-reproducible: all-good fails");
  CHECK_THROWS_AS(json::parse(R"({"culprits":"not a list"})").get<SearchFinding>(), json::exception);
}

TEST_CASE("a probes finding round-trips with each probe's reason", "[findings]") {
  ProbesFinding finding;
  finding.probes = {
      {"-fno-strict-aliasing", Outcome::pass, UnresolvedReason::none, ""},
      {"-fsanitize=undefined,address", Outcome::unresolved, UnresolvedReason::link_failed, "did not link"}};
  finding.ub_tolerance_fixes = {"-fno-strict-aliasing"};
  finding.sanitizer_reported = true;
  finding.sanitizer_report = "x.c:3: runtime error: store to misaligned address";
  ProbesFinding back = round_trip(finding);
  REQUIRE(back.probes.size() == 2);
  CHECK(back.probes[0].probe == "-fno-strict-aliasing");
  CHECK(back.probes[0].outcome == Outcome::pass);
  CHECK(back.probes[0].reason == UnresolvedReason::none);
  CHECK(back.probes[1].outcome == Outcome::unresolved);
  CHECK(back.probes[1].reason == UnresolvedReason::link_failed);
  CHECK(back.probes[1].note == "did not link");
  CHECK(back.ub_tolerance_fixes == finding.ub_tolerance_fixes);
  CHECK(back.sanitizer_reported);
  CHECK(back.sanitizer_report == finding.sanitizer_report);
  json j = finding;
  CHECK(j["probes"][1]["reason"] == "link-failed");
  CHECK(j["probes"][1]["outcome"] == "unresolved");
  CHECK(finding_kind(finding) == "probes");
  CHECK(finding_summary(finding) ==
        "-fno-strict-aliasing make it pass; sanitizers: undefined behaviour reported");
  CHECK(finding_summary(ProbesFinding{}) == "no UB-tolerance option make it pass; sanitizers: no report");

  // Written before probes had a reason: unresolved ones read as unknown, judged ones as none.
  auto old = json::parse(R"({"probes":[{"probe":"-fwrapv","outcome":"unresolved","note":"unresolved"},
                                       {"probe":"-fno-lifetime-dse","outcome":"fail","note":""}]})")
                 .get<ProbesFinding>();
  REQUIRE(old.probes.size() == 2);
  CHECK(old.probes[0].reason == UnresolvedReason::unknown);
  CHECK(old.probes[1].reason == UnresolvedReason::none);
  CHECK_FALSE(old.sanitizer_reported);
}

TEST_CASE("the sanitizer report is stored as a bare JSON string", "[findings]") {
  SanitizerReport report{"==1==ERROR: AddressSanitizer: stack-use-after-scope"};
  CHECK(json(report).is_string());
  CHECK(json(report).dump() == json(report.text).dump());
  CHECK(round_trip(report).text == report.text);
  CHECK(finding_kind(report) == "sanitizer-report");
}

TEST_CASE("a pass finding round-trips for Clang and GCC", "[findings]") {
  PassFinding clang;
  clang.object = "obj/unit.o";
  clang.status = SearchStatus::found;
  clang.method = "opt-bisect-limit";
  clang.pass = PassStep{"InstCombinePass", "store_both", 14};
  PassFinding back = round_trip(clang);
  CHECK(back.object == "obj/unit.o");
  CHECK(back.status == SearchStatus::found);
  CHECK(back.method == "opt-bisect-limit");
  REQUIRE(back.pass);
  CHECK(back.pass->pass == "InstCombinePass");
  CHECK(back.pass->function == std::optional<std::string>("store_both"));
  CHECK(back.pass->index == 14);
  json j = clang;
  CHECK(j["level"] == "passes");
  CHECK(j["status"] == "found");
  CHECK_FALSE(j.contains("counters"));  // Clang screens no counters
  CHECK(finding_kind(clang) == "found");
  CHECK(finding_summary(clang) == R"(found: {"function":"store_both","index":14,"pass":"InstCombinePass"})");

  PassFinding gcc;
  gcc.object = "obj/unit.o";
  gcc.method = "dbg-cnt";
  gcc.counters = {{"tree_pre", Outcome::fail}, {"dse", Outcome::pass}};
  gcc.pass = PassStep{"dse", std::nullopt, 2};
  back = round_trip(gcc);
  REQUIRE(back.pass);
  CHECK_FALSE(back.pass->function);
  CHECK(json(gcc)["pass"]["function"].is_null());
  CHECK(json(gcc)["counters"][0] == json({{"counter", "tree_pre"}, {"with_none", "fail"}}));
  REQUIRE(back.counters.size() == 2);
  CHECK(back.counters[1].counter == "dse");
  CHECK(back.counters[1].with_none == Outcome::pass);

  PassFinding none;
  none.method = "dbg-cnt";
  CHECK(json(none)["pass"].is_null());
  CHECK(json(none)["counters"].is_array());
  CHECK_FALSE(round_trip(none).pass);
  CHECK(finding_summary(none) == "inconclusive");
}

TEST_CASE("a verdict round-trips", "[findings]") {
  Verdict verdict{"latent-bug", "high", {"culprit object(s): obj/unit.o", "the sanitizers report it"}};
  Verdict back = round_trip(verdict);
  CHECK(back.kind == "latent-bug");
  CHECK(back.confidence == "high");
  CHECK(back.evidence == verdict.evidence);
  CHECK(json(verdict).size() == 3);
  CHECK(finding_kind(verdict) == "latent-bug");
}

TEST_CASE("search statuses read back by name", "[findings]") {
  for (SearchStatus status :
       {SearchStatus::found, SearchStatus::not_reproducible, SearchStatus::inconclusive}) {
    CHECK(parse_search_status(to_string(status)) == status);
  }
  CHECK_FALSE(parse_search_status("lost"));
}

TEST_CASE("the store gives back the newest finding of the asked type and kind", "[findings][store]") {
  auto store = Store::open_in_memory();
  store->begin_session({"objects", "{}", "g", "", "b", ""});
  SearchFinding first = sample_search();
  first.culprits = {"obj/old.o"};
  record_finding(*store, "objects", first);
  SearchFinding later = sample_search();
  later.status = SearchStatus::inconclusive;
  later.culprits.clear();
  record_finding(*store, "objects", later);
  CHECK(store->findings("objects").back().kind == "inconclusive");  // the kind column is the status
  REQUIRE(latest_finding<SearchFinding>(*store, "objects"));
  CHECK(latest_finding<SearchFinding>(*store, "objects")->status == SearchStatus::inconclusive);
  // by kind: the newest one that found something
  REQUIRE(latest_finding<SearchFinding>(*store, "objects", "found"));
  CHECK(latest_finding<SearchFinding>(*store, "objects", "found")->culprits ==
        std::vector<std::string>{"obj/old.o"});
  CHECK_FALSE(latest_finding<SearchFinding>(*store, "flags"));

  // A level holding two kinds: each is read by its kind, and a damaged row is passed over.
  ProbesFinding probes;
  probes.ub_tolerance_fixes = {"-fwrapv"};
  record_finding(*store, "probes", probes);
  record_finding(*store, "probes", SanitizerReport{"runtime error: signed integer overflow"});
  store->record_finding("probes", "probes", "{not json");
  store->record_finding("probes", "probes", R"({"probes":"not a list"})");
  REQUIRE(latest_finding<ProbesFinding>(*store, "probes", "probes"));
  CHECK(latest_finding<ProbesFinding>(*store, "probes", "probes")->ub_tolerance_fixes ==
        std::vector<std::string>{"-fwrapv"});
  REQUIRE(latest_finding<SanitizerReport>(*store, "probes", "sanitizer-report"));
  CHECK(latest_finding<SanitizerReport>(*store, "probes", "sanitizer-report")->text ==
        "runtime error: signed integer overflow");
  // Without a kind, an object-shaped reader passes over the bare string.
  CHECK(latest_finding<ProbesFinding>(*store, "probes")->ub_tolerance_fixes ==
        std::vector<std::string>{"-fwrapv"});

  // The verdict, recorded under its kind.
  record_finding(*store, "verdict", Verdict{"miscompile", "medium", {"no probe helps"}});
  CHECK(store->findings("verdict").back().kind == "miscompile");
  CHECK(latest_finding<Verdict>(*store, "verdict")->confidence == "medium");
}
