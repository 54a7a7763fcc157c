// `ccbisect objects` end to end with real compilers, a real linker and a real test script, one
// small project per scenario. Most scenarios tell the sides apart with -DSIDE=0/1 on top of a real
// -O1/-O2 difference, so the failure is deterministic and the test is about the tool's mechanics
// (interactions, compile and link failures, hangs, resume); the first uses a real latent bug.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>

#include "db/store.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/scenario.hpp"

using namespace ccbisect::testing;
using ccbisect::run_shell;
using ccbisect::Store;

namespace {

const std::string& k_good_side = k_good_side0;
const std::string& k_bad_side = k_bad_side1;

// n harmless files f0.c .. f{n-1}.c, each contributing to a sum; returns their names.
std::vector<std::string> write_fillers(Scenario& s, int n) {
  std::vector<std::string> sources;
  for (int i = 0; i < n; ++i) {
    std::string name = "src/f" + std::to_string(i) + ".c";
    // a loop, so that -O1 and -O2 give different code and every filler is a real candidate
    s.write(name, "int f" + std::to_string(i) + "(int x) { int s = 0; for (int k = 0; k < x * " +
                      std::to_string(i + 3) + "; ++k) { s += k * k ^ (s >> 3); } return s; }\n");
    sources.push_back(name);
  }
  return sources;
}

std::string filler_calls(int n) {
  std::string decls, calls;
  for (int i = 0; i < n; ++i) {
    decls += "int f" + std::to_string(i) + "(int);\n";
    calls += " s += f" + std::to_string(i) + "(1);";
  }
  return decls + "static int fillers(void) { int s = 0;" + calls + " return s; }\n";
}

std::size_t count_trials(const std::filesystem::path& db) { return Store::open(db)->trial_counts().total; }

std::size_t count_distinct_configurations(const std::filesystem::path& db) {
  return Store::open(db)->trial_counts().distinct_configurations;
}

}  // namespace

TEST_CASE("a real strict-aliasing bug exposed by gcc-12 -O2 is traced to its object", "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("alias");
  auto sources = write_fillers(s, 7);
  s.write("src/tag.c", k_tag_make_tu);
  s.write("src/main.c", "#include <stdint.h>\n#include <stdio.h>\n" + k_tag_make_declaration + "\n" +
                            filler_calls(7) +
                            "int main(void) { uint32_t w; uint32_t t = tag_make(&w, 1, 5);\n"
                            "  printf(\"%x %d\\n\", t, fillers()); return t == 0x10005u ? 0 : 1; }\n");
  sources.push_back("src/tag.c");
  sources.push_back("src/main.c");
  s.write_compdb(sources, "gcc", "-Wall");
  s.write_config(k_good_gcc12_o1, k_bad_gcc12_o2, "", "./prog");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["level"] == "objects");
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/tag.o"}));
  CHECK(run.json["trials"].get<int>() >= 5);
  CHECK(run.json["trials"].get<int>() <= 9);
  CHECK(run.json["cached"] == 0);
  CHECK(run.json["unresolved"] == 0);
  // the tree is left holding the minimal failing mix
  CHECK(run_shell("./prog", s.dir()).exit_status == 1);
}

TEST_CASE("two objects that fail only together are both named (ddmin)", "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("pair");
  auto sources = write_fillers(s, 6);
  s.write("src/a.c", "int a_side(void) { return SIDE; }\n");
  s.write("src/b.c", "int b_side(void) { return SIDE; }\n");
  s.write("src/main.c", "int a_side(void); int b_side(void);\n" + filler_calls(6) +
                            "int main(void) { fillers(); return a_side() + b_side() == 2; }\n");
  sources.insert(sources.end(), {"src/a.c", "src/b.c", "src/main.c"});
  s.write_compdb(sources, "gcc", "");
  s.write_config(k_good_side, k_bad_side, "", "./prog");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/a.o", "obj/b.o"}));
  CHECK(run.json["method"] == "ddmin");
}

TEST_CASE("a TU that does not compile with the bad side is excluded with a warning", "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("nocompile");
  auto sources = write_fillers(s, 4);
  s.write("src/old.c",
          "#if SIDE == 1\n#error this file does not build with the new toolchain\n#endif\n"
          "int old_api(void) { return 7; }\n");
  s.write("src/bug.c", "int bug(void) { return SIDE; }\n");
  s.write("src/main.c", "int old_api(void); int bug(void);\n" + filler_calls(4) +
                            "int main(void) { fillers(); return old_api() != 7 || bug(); }\n");
  sources.insert(sources.end(), {"src/old.c", "src/bug.c", "src/main.c"});
  s.write_compdb(sources, "gcc", "");
  s.write_config(k_good_side, k_bad_side, "", "./prog");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/bug.o"}));
  CHECK(run.json["failed_to_compile"] == nlohmann::json::array({"obj/old.o"}));
  CHECK_THAT(run.output, Catch::Contains("obj/old.o does not compile with the bad toolchain"));
  CHECK_THAT(run.output, Catch::Contains("this file does not build with the new toolchain"));
}

TEST_CASE("mixes that do not link are unresolved, and the culprit is still found", "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("link");
  auto sources = write_fillers(s, 5);
  // the bad side renamed an API: a bad caller with a good provider does not link
  s.write("src/api.c",
          "#if SIDE\nint helper_v2(void) { return 2; }\n#else\nint helper_v1(void) { return 1; }\n#endif\n");
  s.write("src/user.c",
          "#if SIDE\nint helper_v2(void);\nint use(void) { return helper_v2() - 1; }\n#else\n"
          "int helper_v1(void);\nint use(void) { return helper_v1(); }\n#endif\n");
  s.write("src/bug.c", "int bug(void) { return SIDE; }\n");
  s.write("src/main.c", "int use(void); int bug(void);\n" + filler_calls(5) +
                            "int main(void) { fillers(); return use() != 1 || bug(); }\n");
  sources.insert(sources.end(), {"src/api.c", "src/user.c", "src/bug.c", "src/main.c"});
  s.write_compdb(sources, "gcc", "");
  s.write_config(k_good_side, k_bad_side, "", "./prog");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/bug.o"}));
  CHECK(run.json["unresolved"].get<int>() >= 1);
  // each unresolved trial is stored with why: the link failed
  auto store = Store::open(s.dir() / ".ccbisect/ccbisect.db");
  std::size_t unresolved = 0;
  for (const ccbisect::TrialRow& trial : store->trials("objects")) {
    if (trial.result.outcome == ccbisect::Outcome::unresolved) {
      ++unresolved;
      CHECK(trial.result.reason == ccbisect::UnresolvedReason::link_failed);
    } else {
      CHECK(trial.result.reason == ccbisect::UnresolvedReason::none);
    }
  }
  CHECK(unresolved >= 1);
  auto log = s.run({"log"});
  CHECK_THAT(log.output, Catch::Contains("unresolved (link-failed)"));
  auto log_json = s.run({"log", "--json"});
  bool link_failed = false;
  for (const auto& trial : nlohmann::json::parse(log_json.output)) {  // one array
    link_failed = link_failed || trial["reason"] == "link-failed";
  }
  CHECK(link_failed);
}

TEST_CASE("an oracle that hangs is killed with its process group and counts as unresolved",
          "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("hang");
  auto sources = write_fillers(s, 4);
  s.write("src/hang.c", "int hangs(void) { return SIDE; }\n");
  s.write("src/bug.c", "int bug(void) { return SIDE; }\n");
  s.write("src/main.c", "#include <stdio.h>\nint hangs(void); int bug(void);\n" + filler_calls(4) +
                            "int main(void) { fillers(); printf(\"%d\\n\", hangs()); return bug(); }\n");
  sources.insert(sources.end(), {"src/hang.c", "src/bug.c", "src/main.c"});
  s.write_compdb(sources, "gcc", "");
  // the grandchild `sleep 4711` must die with the group when the oracle times out
  // hangs when hang.o is bad but bug.o is good; all-bad fails quickly, as the sanity check needs
  s.write("test.sh",
          "#!/bin/sh\nout=$(./prog) ; st=$?\n[ \"$out\" = 1 ] && [ $st = 0 ] && sleep 4711\nexit $st\n",
          true);
  s.write_config(k_good_side, k_bad_side, "", "./test.sh", 1.5);
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/bug.o"}));
  CHECK(run.json["unresolved"].get<int>() >= 1);
  CHECK(run_shell("pgrep -f 'sleep 471[1]'", s.dir()).exit_status == 1);  // nothing left running
  auto log = s.run({"log"});
  CHECK_THAT(log.output, Catch::Contains("unresolved (oracle-timeout)"));
}

TEST_CASE("C++ objects from g++-12 and clang++-14 are mixed and the culprit named", "[e2e][objects]") {
  require_tools({"g++-12", "clang++-14"});
  Scenario s("cxx");
  std::vector<std::string> sources;
  for (int i = 0; i < 5; ++i) {
    std::string name = "src/w" + std::to_string(i) + ".cpp";
    s.write(name, "#include <string>\n#include <vector>\nstd::string w" + std::to_string(i) +
                      "(const std::vector<int>& v) { return std::to_string(v.size() + " + std::to_string(i) +
                      "); }\n");
    sources.push_back(name);
  }
  s.write("src/bug.cpp", "#include <map>\nint bug() { std::map<int,int> m{{1, SIDE}}; return m[1]; }\n");
  std::string decls, calls;
  for (int i = 0; i < 5; ++i) {
    decls += "std::string w" + std::to_string(i) + "(const std::vector<int>&);\n";
    calls += " n += w" + std::to_string(i) + "({1,2}).size();";
  }
  s.write("src/main.cpp", "#include <string>\n#include <vector>\n" + decls +
                              "int bug();\nint main() { std::size_t n = 0;" + calls +
                              " return n == 0 || bug(); }\n");
  sources.insert(sources.end(), {"src/bug.cpp", "src/main.cpp"});
  s.write_compdb(sources, "g++", "-std=c++17");
  s.write_config("[good]\ncc = \"gcc-12\"\ncxx = \"g++-12\"\nflags = \"-O1 -DSIDE=0\"",
                 "[bad]\ncc = \"clang-14\"\ncxx = \"clang++-14\"\nflags = \"-O2 -DSIDE=1\"",
                 "link = \"g++-12 obj/*.o -o prog\"", "./prog");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/bug.o"}));
  CHECK(run.json["items"] == 7);
}

TEST_CASE("a compdb in arguments form with absolute directories works too", "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("args");
  auto sources = write_fillers(s, 5);
  s.write("src/bug.c", "int bug(void) { return SIDE; }\n");
  s.write("src/main.c",
          "int bug(void);\n" + filler_calls(5) + "int main(void) { fillers(); return bug(); }\n");
  sources.insert(sources.end(), {"src/bug.c", "src/main.c"});
  s.write_compdb(sources, "gcc", "-Wall", /*arguments_form=*/true, /*absolute_directory=*/true);
  s.write_config(k_good_side, k_bad_side, "", "./prog");
  auto run = s.run({"objects", "--json", "-j", "2"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/bug.o"}));
}

TEST_CASE("a killed object search resumes without repeating a finished trial", "[e2e][objects][resume]") {
  require_tools({"gcc-12"});
  Scenario s("kill");
  auto sources = write_fillers(s, 14);
  s.write("src/bug.c", "int bug(void) { return SIDE; }\n");
  s.write("src/main.c",
          "int bug(void);\n" + filler_calls(14) + "int main(void) { fillers(); return bug(); }\n");
  sources.insert(sources.end(), {"src/bug.c", "src/main.c"});
  s.write_compdb(sources, "gcc", "");
  s.write("test.sh", "#!/bin/sh\nsleep 0.3\nexec ./prog\n", true);
  s.write_config(k_good_side, k_bad_side, "", "./test.sh");
  auto db = s.dir() / ".ccbisect/ccbisect.db";

  auto killed = s.run_and_kill_after({"objects"}, 3);
  std::size_t finished = count_trials(db);
  INFO(killed.output);
  REQUIRE(finished >= 3);

  auto resumed = s.run({"objects", "--json"});
  INFO(resumed.output);
  REQUIRE(resumed.exit_status == 0);
  CHECK(resumed.json["culprits"] == nlohmann::json::array({"obj/bug.o"}));
  CHECK(resumed.json["cached"].get<std::size_t>() == finished);   // every finished trial replayed
  CHECK_THAT(resumed.output, Catch::Contains("0 compiles run"));  // capture not redone either
  std::size_t total = count_trials(db);
  CHECK(total == resumed.json["trials"].get<std::size_t>());
  // no configuration ran twice, except the one deliberate re-run that confirms the answer
  CHECK(count_distinct_configurations(db) == total - 1);
}

TEST_CASE("when all-good already fails, the search refuses with exit code 3", "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("sanity");
  auto sources = write_fillers(s, 3);
  s.write("src/main.c", filler_calls(3) + "int main(void) { return fillers() > 0; }\n");
  sources.push_back("src/main.c");
  s.write_compdb(sources, "gcc", "");
  s.write_config(k_good_side, k_bad_side, "", "./prog");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  CHECK(run.exit_status == 3);
  CHECK(run.json["status"] == "not-reproducible");
  CHECK_THAT(run.output, Catch::Contains("all-good fail"));
}

TEST_CASE("configuration mistakes name the file and field, with distinct exit codes", "[e2e][cli]") {
  Scenario s("config");
  auto missing = s.run({"objects"});
  CHECK(missing.exit_status == 1);
  CHECK_THAT(missing.output, Catch::Contains("ccbisect.toml: no such configuration file"));
  CHECK_THAT(missing.output, Catch::Contains("ccbisect init"));

  s.write("ccbisect.toml",
          "[build]\nlink = \"make\"\n[good]\ncc = \"gcc-12\"\n[bad]\ncc = \"gcc-11\"\n"
          "[oracle]\ncommand = \"./t\"\ntimout = 5\n");
  auto typo = s.run({"objects"});
  CHECK(typo.exit_status == 1);
  CHECK_THAT(typo.output, Catch::Contains("unknown key timout in [oracle]"));

  s.write("ccbisect.toml",
          "[build]\nlink = \"make\"\n[good]\ncc = \"gcc-12\"\n[oracle]\ncommand = \"./t\"\n");
  auto absent = s.run({"objects"});
  CHECK_THAT(absent.output, Catch::Contains("missing [bad] cc"));

  auto usage = s.run({"objects", "--strategy", "magic"});
  CHECK(usage.exit_status == 2);

  std::filesystem::remove(s.dir() / "ccbisect.toml");
  auto init = s.run({"init"});
  CHECK(init.exit_status == 0);
  CHECK(std::filesystem::exists(s.dir() / "ccbisect.toml"));
  // every toolchain it suggests is installed here, and C++ gets a C++ driver
  std::ifstream written(s.dir() / "ccbisect.toml");
  std::regex suggestion(R"re(^(?:# )?(cc|cxx) = "([^"]+)")re");  // cxx is optional: commented out
  int suggested = 0;
  for (std::string line; std::getline(written, line);) {
    std::smatch match;
    if (std::regex_search(line, match, suggestion)) {
      ++suggested;
      INFO(line);
      CHECK(ccbisect::find_program(match[2].str()).has_value());
      if (match[1] == "cxx") {
        CHECK((match[2].str().rfind("g++-", 0) == 0 || match[2].str().rfind("clang++-", 0) == 0));
      }
    }
  }
  CHECK(suggested == 4);
  auto again = s.run({"init"});
  CHECK(again.exit_status == 1);
}

TEST_CASE("a Make build captured through the compiler wrapper is bisected without a compdb",
          "[e2e][capture]") {
  require_tools({"gcc-12", "make"});
  Scenario s("wrapper");
  auto sources = write_fillers(s, 5);
  s.write("src/bug.c", "int bug(void) { return SIDE; }\n");
  s.write("src/main.c",
          "int bug(void);\n" + filler_calls(5) + "int main(void) { fillers(); return bug(); }\n");
  s.write("Makefile",
          "CC ?= cc\nSRCS := $(wildcard src/*.c)\nOBJS := $(SRCS:src/%.c=obj/%.o)\n"
          // A compiler probe to /dev/null (as a kernel's Kconfig makes): not an object.
          "prog: $(OBJS)\n\t$(CC) -x c -c /dev/null -o /dev/null\n\t$(CC) $(OBJS) -o prog\n"
          "obj/%.o: src/%.c\n\t@mkdir -p obj\n\t$(CC) $(CFLAGS) -c $< -o $@\n"
          "clean:\n\trm -rf obj prog\n");
  s.write_config(k_good_side, k_bad_side, "capture = \"wrapper\"\nlink = \"make prog\"", "./prog");

  auto none = s.run({"objects"});
  CHECK(none.exit_status == 1);
  CHECK_THAT(none.output, Catch::Contains("ccbisect capture --side good"));

  auto good = s.run({"capture", "--side", "good", "--", "make", "CC=ccbisect-cc"});
  INFO(good.output);
  REQUIRE(good.exit_status == 0);
  CHECK_THAT(good.output, Catch::Contains("good side: 7 objects recorded"));
  CHECK_THAT(good.output, Catch::Contains("(1 compiler probes left out)"));
  REQUIRE(run_shell("make clean", s.dir()).exit_status == 0);
  auto bad = s.run({"capture", "--side", "bad", "--", "make", "CC=ccbisect-cc"});
  INFO(bad.output);
  REQUIRE(bad.exit_status == 0);

  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/bug.o"}));
  CHECK(run.json["items"] == 7);

  // a failing build is reported with its command and output
  auto broken = s.run({"capture", "--side", "good", "--", "make", "nosuchtarget"});
  CHECK(broken.exit_status == 1);
  CHECK_THAT(broken.output, Catch::Contains("the build `make nosuchtarget` failed"));
}

TEST_CASE("editing a header recompiles the TUs that include it, and only those", "[e2e][capture]") {
  require_tools({"gcc-12"});
  Scenario s("headers");
  auto sources = write_fillers(s, 4);
  s.write("include/limits_cfg.h", "#define LIMIT 3\n");
  s.write("src/bug.c", "#include \"../include/limits_cfg.h\"\nint bug(void) { return SIDE * LIMIT / 3; }\n");
  s.write("src/main.c",
          "int bug(void);\n" + filler_calls(4) + "int main(void) { fillers(); return bug(); }\n");
  sources.insert(sources.end(), {"src/bug.c", "src/main.c"});
  s.write_compdb(sources, "gcc", "");
  s.write_config(k_good_side, k_bad_side, "", "./prog");
  auto first = s.run({"objects", "--json"});
  INFO(first.output);
  REQUIRE(first.exit_status == 0);
  CHECK_THAT(first.output, Catch::Contains("12 compiles run, 0 reused"));

  auto unchanged = s.run({"objects", "--json"});
  CHECK_THAT(unchanged.output, Catch::Contains("0 compiles run, 12 reused"));

  // with LIMIT 0 the bad side no longer fails: a stale object would still name bug.o
  s.write("include/limits_cfg.h", "#define LIMIT 0\n");
  auto edited = s.run({"objects", "--json"});
  INFO(edited.output);
  CHECK_THAT(edited.output, Catch::Contains("2 compiles run, 10 reused"));  // bug.c, both sides
  CHECK(edited.exit_status == 3);  // the difference is gone, and ccbisect sees it
}

TEST_CASE("objects that two compiler versions build alike count as identical despite their .comment",
          "[e2e][objects]") {
  require_tools({"gcc-11", "gcc-12"});
  Scenario s("identical");
  std::vector<std::string> sources;
  for (int i = 0; i < 4; ++i) {  // trivial code that gcc-11 and gcc-12 compile to the same bytes
    std::string name = "src/t" + std::to_string(i) + ".c";
    s.write(name, "int t" + std::to_string(i) + "(int x) { return x + " + std::to_string(i) + "; }\n");
    sources.push_back(name);
  }
  s.write("src/bug.c", "int bug(void) { return SIDE; }\n");
  s.write("src/main.c",
          "int t0(int), t1(int), t2(int), t3(int), bug(void);\n"
          "int main(void) { return (t0(1) + t1(1) + t2(1) + t3(1) == 10) ? bug() : 2; }\n");
  sources.insert(sources.end(), {"src/bug.c", "src/main.c"});
  s.write_compdb(sources, "gcc", "");
  s.write_config("[good]\ncc = \"gcc-11\"\nflags = \"-O2 -DSIDE=0\"",
                 "[bad]\ncc = \"gcc-12\"\nflags = \"-O2 -DSIDE=1\"", "", "./prog");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/bug.o"}));
  CHECK(run.json["identical"].get<int>() >= 4);  // byte-different (.comment) but the same code
  CHECK(run.json["items"].get<int>() <= 2);
}

TEST_CASE("with parallel_trials, -j 3 runs trials in copies of the project and reaches the -j 1 answer",
          "[e2e][objects][parallel]") {
  require_tools({"gcc-12", "make"});
  auto project = [&](Scenario& s) {
    auto sources = write_fillers(s, 12);
    s.write("src/bug.c", "int bug(void) { return SIDE; }\n");
    s.write("src/main.c",
            "int bug(void);\n" + filler_calls(12) + "int main(void) { fillers(); return bug(); }\n");
    sources.insert(sources.end(), {"src/bug.c", "src/main.c"});
    s.write_compdb(sources, "gcc", "");
    // relative paths only, so the build and the oracle work in any copy of the tree
    s.write("test.sh", "#!/bin/sh\ntouch ran-here\nsleep 0.2\nexec ./prog\n", true);
    s.write_config(k_good_side, k_bad_side, "parallel_trials = true\nlink = \"cc obj/*.o -o prog\"",
                   "./test.sh");
  };
  Scenario serial("serial");
  project(serial);
  auto one = serial.run({"objects", "--json", "-j", "1"});
  INFO(one.output);
  REQUIRE(one.exit_status == 0);

  Scenario parallel("parallel");
  project(parallel);
  auto three = parallel.run({"objects", "--json", "-j", "3"});
  INFO(three.output);
  REQUIRE(three.exit_status == 0);
  CHECK(three.json["culprits"] == one.json["culprits"]);
  CHECK(three.json["culprits"] == nlohmann::json::array({"obj/bug.o"}));
  CHECK(std::filesystem::exists(parallel.dir() / ".ccbisect/slots/1/ran-here"));
  CHECK(std::filesystem::exists(parallel.dir() / ".ccbisect/slots/2/ran-here"));
  CHECK_FALSE(
      std::filesystem::exists(parallel.dir() / ".ccbisect/slots/1/.ccbisect"));  // the workdir is not copied
  // the project itself is left holding the minimal failing mix
  CHECK(run_shell("./prog", parallel.dir()).exit_status == 1);
}

TEST_CASE("a missing or non-executable oracle is unresolved, says why, and is not replayed once fixed",
          "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("broken-oracle");
  s.write_small_project("src/culprit.c", "int culprit(void) { return SIDE; }\n",
                        "int culprit(void);\nint main(void) { return culprit(); }\n", "gcc-12", k_good_side,
                        k_bad_side, "./check.sh");
  // Not executable: exit 126 from the shell.
  s.write("check.sh", "#!/bin/sh\nexec ./prog\n", false);
  auto broken = s.run({"objects", "--json"});
  INFO(broken.output);
  CHECK(broken.exit_status == 3);
  CHECK(broken.json["culprits"].empty());
  CHECK(broken.json["unresolved"].get<int>() >= 2);  // the sanity trials, perhaps asked again
  CHECK(broken.output.find("could not run (exit 126") != std::string::npos);
  CHECK(broken.output.find("was unresolved (oracle-error)") != std::string::npos);
  // Missing: exit 127.
  std::filesystem::remove(s.dir() / "check.sh");
  auto missing = s.run({"objects", "--json"});
  INFO(missing.output);
  CHECK(missing.exit_status == 3);
  CHECK(missing.output.find("exit 127: command not found") != std::string::npos);
  // Fixed: the unresolved trials run again instead of being replayed from the store.
  s.write("check.sh", "#!/bin/sh\nexec ./prog\n", true);
  auto fixed = s.run({"objects", "--json"});
  INFO(fixed.output);
  CHECK(fixed.exit_status == 0);
  CHECK(fixed.json["culprits"] == nlohmann::json::array({"obj/culprit.o"}));
  CHECK(fixed.json["cached"] == 0);
}

TEST_CASE("editing the oracle script invalidates the trials its old version judged", "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("script-key");
  s.write_small_project("culprit.c", "int culprit(void) { return SIDE; }\n",
                        "int culprit(void);\nint main(void) { return culprit(); }\n", "gcc-12", k_good_side,
                        k_bad_side, "./check.sh");
  s.write("check.sh", "#!/bin/sh\nexec ./prog\n", true);
  auto first = s.run({"objects", "--json"});
  INFO(first.output);
  REQUIRE(first.exit_status == 0);
  auto replayed = s.run({"objects", "--json"});
  CHECK(replayed.json["cached"].get<int>() > 0);
  // The same test, written differently: every trial runs again.
  s.write("check.sh", "#!/bin/sh\n# now with a comment\nexec ./prog\n", true);
  auto edited = s.run({"objects", "--json"});
  INFO(edited.output);
  CHECK(edited.exit_status == 0);
  CHECK(edited.json["cached"] == 0);
  CHECK(edited.json["culprits"] == first.json["culprits"]);
}

TEST_CASE("a compiler that does not exist is named, with exit 1, not taken for 'no object differs'",
          "[e2e][objects]") {
  require_tools({"gcc-12"});
  Scenario s("missing-compiler");
  s.write_small_project("culprit.c", "int culprit(void) { return SIDE; }\n",
                        "int culprit(void);\nint main(void) { return culprit(); }\n", "gcc-12", k_good_side,
                        "[bad]\ncc = \"/opt/nowhere/gcc-99\"\nflags = \"-O2\"", "./prog");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  CHECK(run.exit_status == 1);
  CHECK(run.output.find("[bad] cc = \"/opt/nowhere/gcc-99\": no such compiler") != std::string::npos);
}
