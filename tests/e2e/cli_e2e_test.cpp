// The command line and the console, on the real binary: --version, --json keeping stdout for one
// JSON document, -q silencing progress. The simulated search needs no compiler, so these are fast.
#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "sys/process.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ccbisect::testing;
using ccbisect::run_shell;

namespace {

// stdout and stderr of one ccbisect run, apart.
struct Streams {
  int exit_status = -1;
  std::string out;
  std::string err;
};

Streams run_apart(const TempDir& dir, const std::string& args) {
  std::string binary = ccbisect_binary().string();
  Streams streams;
  auto out = run_shell("'" + binary + "' " + args + " 2>/dev/null", dir.path(), 60);
  auto err = run_shell("'" + binary + "' " + args + " 2>&1 >/dev/null", dir.path(), 60);
  REQUIRE(out.exit_status == err.exit_status);
  streams.exit_status = out.exit_status;
  streams.out = out.output_tail;
  streams.err = err.output_tail;
  return streams;
}

std::size_t line_count(const std::string& text) {
  std::istringstream lines(text);
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line);) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("ccbisect --version prints the project's version", "[cli]") {
  TempDir dir("version");
  Streams version = run_apart(dir, "--version");
  CHECK(version.exit_status == 0);
  CHECK(version.out == "ccbisect 0.1.0\n");
}

TEST_CASE("with --json, stdout holds one JSON document and nothing else", "[cli]") {
  TempDir dir("json");
  Streams run = run_apart(dir, "simulate --items 64 --culprits 9,40 --json");
  CHECK(run.exit_status == 0);
  INFO(run.out);
  CHECK(line_count(run.out) == 1);
  nlohmann::json document = nlohmann::json::parse(run.out);  // throws on anything but JSON
  CHECK(document["culprits"] == nlohmann::json::array({"item9", "item40"}));
  CHECK(document["status"] == "found");
  CHECK_THAT(run.err, Catch::Contains("[simulated] found"));  // the summary went to stderr
}

TEST_CASE("without --json, stdout holds the culprits one per line and stderr the progress", "[cli]") {
  TempDir dir("human");
  Streams run = run_apart(dir, "simulate --items 64 --culprits 9,40");
  CHECK(run.exit_status == 0);
  CHECK(run.out == "item9\nitem40\n");
  CHECK(line_count(run.err) > 5);  // a progress line per trial, then the summary
}

TEST_CASE("quiet (-q) silences progress and summaries on stderr, but not the answer nor errors", "[cli]") {
  TempDir dir("quiet");
  for (const char* args : {"-q simulate --items 64 --culprits 9,40", "simulate --items 64 --culprits 9,40 -q",
                           "--quiet simulate --items 64 --culprits 9,40"}) {
    INFO(args);
    Streams run = run_apart(dir, args);
    CHECK(run.exit_status == 0);
    CHECK(run.out == "item9\nitem40\n");
    CHECK(run.err.empty());
  }
  Streams error = run_apart(dir, "-q simulate --items 4 --culprits 9");
  CHECK(error.exit_status == 2);
  CHECK_THAT(error.err, Catch::Contains("ccbisect: error: simulate --culprits: 9 is not below --items 4"));
}

TEST_CASE("quiet and verbose (-q -v) together are refused as a usage error", "[cli]") {
  TempDir dir("quiet-verbose");
  Streams run = run_apart(dir, "-q -v simulate --items 8 --culprits 1");
  CHECK(run.exit_status == 2);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Contains("-q and -v"));
}

TEST_CASE("verbose (-v) adds the driver's details on stderr, and stdout stays the same", "[cli]") {
  TempDir dir("verbose");
  Streams normal = run_apart(dir, "simulate --items 64 --culprits 9,40");
  Streams verbose = run_apart(dir, "-v simulate --items 64 --culprits 9,40");
  CHECK(verbose.exit_status == 0);
  CHECK(verbose.out == normal.out);
  CHECK_THAT(verbose.err, Catch::Contains("[simulated] finding recorded: {"));
  CHECK_THAT(verbose.err, Catch::Contains("[simulated] 64 items, cache key prefix"));
  CHECK_THAT(normal.err, !Catch::Contains("finding recorded"));
}
