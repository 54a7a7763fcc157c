// The level registry: the names the levels record under, in run order, and which of them `status`
// waits for before it shows a verdict.
#include "app/search_levels.hpp"

#include <catch2/catch.hpp>

#include <fstream>

#include "db/findings_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ccbisect;
using ccbisect::testing::TempDir;

namespace {
SearchFinding search_finding(SearchStatus status, std::vector<std::string> culprits = {}) {
  SearchFinding finding;
  finding.status = status;
  finding.culprits = std::move(culprits);
  return finding;
}

// A configuration whose bad compiler is GCC-like (anything not Clang: no pass level in `run`).
Config gcc_config() {
  Config config;
  config.bad.cc = "no-such-compiler-for-ccbisect-tests";
  return config;
}
}  // namespace

TEST_CASE("the registry names every level the method records, in the order run takes them", "[levels]") {
  CHECK(recorded_levels() ==
        std::vector<std::string>{"objects", "flags", "probes", "passes", "passes-screen", "functions"});
}

TEST_CASE("after the object level alone the verdict waits for the flag level", "[levels]") {
  auto store = Store::open_in_memory();
  store->begin_session({"objects", "{}", "g", "", "b", ""});
  Config config = gcc_config();
  // Nothing recorded yet: every level that decides the verdict is still to run.
  CHECK(pending_verdict_levels(*store, config) == std::vector<std::string>{"objects", "flags"});

  record_finding(*store, "objects", search_finding(SearchStatus::found, {"obj/unit.o"}));
  CHECK(pending_verdict_levels(*store, config) == std::vector<std::string>{"flags"});

  // The flag level answered (its search, or only its probes when no option differs): decided.
  record_finding(*store, "probes", ProbesFinding{});
  CHECK(pending_verdict_levels(*store, config).empty());

  // A new object search makes the older flag answer stale.
  record_finding(*store, "objects", search_finding(SearchStatus::found, {"obj/other.o"}));
  CHECK(pending_verdict_levels(*store, config) == std::vector<std::string>{"flags"});
  record_finding(*store, "flags", search_finding(SearchStatus::found, {"-fno-strict-aliasing"}));
  CHECK(pending_verdict_levels(*store, config).empty());
}

TEST_CASE("no verdict waits when the object level found nothing or run already decided", "[levels]") {
  Config config = gcc_config();
  auto store = Store::open_in_memory();
  store->begin_session({"objects", "{}", "g", "", "b", ""});
  record_finding(*store, "objects", search_finding(SearchStatus::not_reproducible));
  CHECK(pending_verdict_levels(*store, config).empty());  // nothing further runs after that

  auto decided = Store::open_in_memory();
  decided->begin_session({"run", "{}", "g", "", "b", ""});
  record_finding(*decided, "objects", search_finding(SearchStatus::found, {"obj/unit.o"}));
  record_finding(*decided, "verdict", Verdict{"inconclusive", "low", {}});  // run's levels stopped early
  CHECK(pending_verdict_levels(*decided, config).empty());
}

TEST_CASE("with Clang the pass level decides too; the function level never does", "[levels]") {
  TempDir dir("levels");
  std::filesystem::path clang = dir / "fake-clang";
  std::ofstream(clang) << "#!/bin/sh\necho 'Debian clang version 14.0.6'\n";
  std::filesystem::permissions(clang, std::filesystem::perms::owner_all);
  Config config;
  config.bad.cc = clang.string();
  auto store = Store::open_in_memory();
  store->begin_session({"objects", "{}", "g", "", "b", ""});
  record_finding(*store, "objects", search_finding(SearchStatus::found, {"obj/unit.o"}));
  CHECK(pending_verdict_levels(*store, config) == std::vector<std::string>{"flags", "passes"});
  record_finding(*store, "flags", search_finding(SearchStatus::found, {"-fno-strict-aliasing"}));
  PassFinding passes;
  passes.status = SearchStatus::inconclusive;
  record_finding(*store, "passes", passes);
  CHECK(pending_verdict_levels(*store, config).empty());
}
