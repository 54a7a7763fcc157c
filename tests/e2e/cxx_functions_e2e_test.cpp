// The function level on real C++ (examples/fpstats): a latent bug that -ffast-math exposes, placed in
// a function template instantiated in the TU, an inline function of a project header, a class member
// defined in its class body, and a lambda. Each is found by GCC's optimize attribute (g++-12 -O2 vs
// g++-12 -O2 -ffast-math), by Clang's optnone (clang++-14, the same two settings) and by splicing
// (g++-12 -O2 vs clang++-14 -O2 -ffast-math), and named by its qualified (demangled) signature. The
// test program `stats_test CASE` feeds a NaN to the one function of CASE.
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace ccbisect::testing;

namespace {

struct Mechanism {
  const char* name;
  const char* good;
  const char* bad;
  std::vector<std::string> tools;
};

const Mechanism k_attr{"attr",
                       "[good]\ncc = \"gcc-12\"\ncxx = \"g++-12\"\nflags = \"-O2\"",
                       "[bad]\ncc = \"gcc-12\"\ncxx = \"g++-12\"\nflags = \"-O2 -ffast-math\"",
                       {"g++-12"}};
const Mechanism k_optnone{"optnone",
                          "[good]\ncc = \"clang-14\"\ncxx = \"clang++-14\"\nflags = \"-O2\"",
                          "[bad]\ncc = \"clang-14\"\ncxx = \"clang++-14\"\nflags = \"-O2 -ffast-math\"",
                          {"clang++-14"}};
const Mechanism k_splice{"splice",
                         "[good]\ncc = \"gcc-12\"\ncxx = \"g++-12\"\nflags = \"-O2\"",
                         "[bad]\ncc = \"clang-14\"\ncxx = \"clang++-14\"\nflags = \"-O2 -ffast-math\"",
                         {"g++-12", "clang++-14", "ld", "objcopy"}};

// Runs the object level, then the function level, on examples/fpstats with the oracle
// `./prog CASE`; returns the function level's JSON after checking that it found `culprits` culprits.
nlohmann::json find_function(const Mechanism& mechanism, const std::string& which, std::size_t culprits = 1) {
  require_tools(mechanism.tools);
  Scenario s(std::string("cxx-") + mechanism.name + "-" + which);
  std::filesystem::copy(std::filesystem::path(CCBISECT_SOURCE_DIR) / "examples/fpstats", s.dir(),
                        std::filesystem::copy_options::recursive);
  s.write_compdb({"src/stats.cpp", "src/format.cpp", "test/stats_test.cpp"}, "g++", "-Iinclude");
  s.write_config(mechanism.good, mechanism.bad, "link = \"g++-12 obj/*.o -o prog\"", "./prog " + which);
  auto objects = s.run({"objects", "--json"});
  INFO(objects.output);
  REQUIRE(objects.exit_status == 0);
  REQUIRE(objects.json["culprits"] == nlohmann::json::array({"obj/stats.o"}));
  auto run = s.run({"functions", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["mechanism"] == mechanism.name);
  CHECK(run.json["unresolved"] == 0);
  REQUIRE(run.json["culprits"].size() == culprits);
  return run.json;
}

std::string culprit(const nlohmann::json& json) { return json["culprits"][0].get<std::string>(); }

}  // namespace

// --- attr: g++-12 -O2 vs -O2 -ffast-math; every other function gets optimize("O2", "no-fast-math")

TEST_CASE("attr finds a function template instantiated in the TU", "[e2e][functions][cxx]") {
  auto json = find_function(k_attr, "template");
  CHECK(culprit(json) == "fpstats::checked_mean<T>(const std::vector<T> &) at src/stats.cpp:17");
  CHECK_THAT(json["attribute"].get<std::string>(), Catch::Contains("\"no-fast-math\""));
}

TEST_CASE("attr finds an inline function of a project header", "[e2e][functions][cxx]") {
  auto json = find_function(k_attr, "header");
  CHECK(culprit(json) == "fpstats::finite_or(double, double) at include/fpstats/guard.hpp:8");
}

TEST_CASE("attr finds a class member defined in the class body", "[e2e][functions][cxx]") {
  auto json = find_function(k_attr, "member");
  CHECK(culprit(json) == "fpstats::Histogram::add(double) at src/stats.cpp:43");
}

TEST_CASE("attr finds a lambda, with the function GCC inlines it into", "[e2e][functions][cxx]") {
  // GCC folds the lambda's NaN test where the inlined code ends up: it is gone only when both the
  // lambda and count_missing (into which std::count_if and the lambda are inlined) are built with
  // -ffast-math, so the answer is the pair, each needed (1-minimal).
  auto json = find_function(k_attr, "lambda", 2);
  CHECK(json["culprits"] ==
        nlohmann::json::array({"fpstats::count_missing(const std::vector<double> &) at src/stats.cpp:66",
                               "fpstats::count_missing(const std::vector<double> &)::lambda(double) at "
                               "src/stats.cpp:67"}));
}

// --- optnone: clang++-14 -O2 vs -O2 -ffast-math; every other function gets optnone

TEST_CASE("optnone finds a function template instantiated in the TU", "[e2e][functions][cxx]") {
  auto json = find_function(k_optnone, "template");
  CHECK(culprit(json) == "fpstats::checked_mean<T>(const std::vector<T> &) at src/stats.cpp:17");
}

TEST_CASE("optnone finds an inline function of a project header", "[e2e][functions][cxx]") {
  auto json = find_function(k_optnone, "header");
  CHECK(culprit(json) == "fpstats::finite_or(double, double) at include/fpstats/guard.hpp:8");
}

TEST_CASE("optnone finds a class member defined in the class body", "[e2e][functions][cxx]") {
  auto json = find_function(k_optnone, "member");
  CHECK(culprit(json) == "fpstats::Histogram::add(double) at src/stats.cpp:43");
}

TEST_CASE("optnone finds a lambda", "[e2e][functions][cxx]") {
  auto json = find_function(k_optnone, "lambda");
  CHECK(culprit(json) ==
        "fpstats::count_missing(const std::vector<double> &)::lambda(double) at src/stats.cpp:67");
}

// --- splice: g++-12 -O2 vs clang++-14 -O2 -ffast-math; COMDAT groups move whole and win the link

TEST_CASE("splice finds a template instance (a COMDAT group) by its demangled name",
          "[e2e][functions][cxx]") {
  auto json = find_function(k_splice, "template");
  CHECK(culprit(json) ==
        "double fpstats::checked_mean<double>(std::vector<double, std::allocator<double> > const&)");
}

TEST_CASE("splice finds an inline function of a header (a COMDAT group)", "[e2e][functions][cxx]") {
  auto json = find_function(k_splice, "header");
  CHECK(culprit(json) == "fpstats::finite_or(double, double)");
}

TEST_CASE("splice finds a class member defined in the class body (a COMDAT group)", "[e2e][functions][cxx]") {
  auto json = find_function(k_splice, "member");
  CHECK(culprit(json) == "fpstats::Histogram::add(double)");
}

TEST_CASE("splice finds the function a lambda is inlined into", "[e2e][functions][cxx]") {
  auto json = find_function(k_splice, "lambda");
  CHECK(culprit(json) == "fpstats::count_missing(std::vector<double, std::allocator<double> > const&)");
}
