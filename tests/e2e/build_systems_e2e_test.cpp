// `ccbisect objects` on the build systems users link with: CMake with Ninja (which recompiles an
// object whose mtime is newer than its deps log unless the placement keeps it), CMake with Make, and
// a plain Makefile; plus a build that recompiles instead of relinking, whose trials must come out
// unresolved rather than testing the user's own build. The sides differ by -DSIDE on top of -O1/-O2.
#include <catch2/catch.hpp>

#include "db/store.hpp"
#include "tests/support/scenario.hpp"
#include "trials/build_tool.hpp"

using namespace ccbisect::testing;
using ccbisect::run_shell;

namespace {

// Five TUs: main.c calls four helpers; bug.c returns a wrong value when built with SIDE=1.
void write_sources(Scenario& s) {
  for (int i = 0; i < 3; ++i) {
    std::string n = std::to_string(i);
    s.write("src/f" + n + ".c", "int f" + n + "(int x) { int s = 0; for (int k = 0; k < x * " +
                                    std::to_string(i + 3) +
                                    "; ++k) { s += k * k ^ (s >> 3); } return s; }\n");
  }
  s.write(
      "src/bug.c",
      "int bug(int x) {\n#if SIDE\n  return x + 1;\n#else\n  int s = 0; for (int k = 0; k < x; ++k) s += 2;"
      " return s / 2;\n#endif\n}\n");
  s.write("src/main.c",
          "#include <stdio.h>\nint f0(int); int f1(int); int f2(int); int bug(int);\n"
          "int main(void) { printf(\"%d\\n\", f0(2) + f1(2) + f2(2)); return bug(7) == 7 ? 0 : 1; }\n");
}

const char* k_sides =
    "[good]\ncc = \"gcc-12\"\nflags = \"-O1 -DSIDE=0\"\n[bad]\ncc = \"gcc-12\"\nflags = \"-O2 -DSIDE=1\"\n";

void write_cmake_project(Scenario& s, const std::string& generator) {
  write_sources(s);
  s.write("CMakeLists.txt",
          "cmake_minimum_required(VERSION 3.20)\nproject(p C)\n"
          "add_executable(prog src/main.c src/f0.c src/f1.c src/f2.c src/bug.c)\n");
  auto configure = run_shell("cmake -S . -B build -G '" + generator +
                                 "' -DCMAKE_C_COMPILER=gcc-12 -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "
                                 "-DCMAKE_BUILD_TYPE= >/dev/null && cmake --build build >/dev/null",
                             s.dir(), 300);
  INFO(configure.output_tail);
  REQUIRE(configure.exit_status == 0);
  s.write("ccbisect.toml",
          std::string("[build]\ncompdb = \"build/compile_commands.json\"\nlink = \"cmake --build build\"\n") +
              k_sides + "[oracle]\ncommand = \"./build/prog\"\ntimeout = 20\n");
}

std::string only_culprit(const CcbisectRun& run) {
  REQUIRE(run.json["culprits"].size() == 1);
  return run.json["culprits"][0].get<std::string>();
}

}  // namespace

TEST_CASE("CMake with Ninja: placed objects are relinked, not recompiled, and the culprit is found",
          "[e2e][objects][build-systems]") {
  require_tools({"gcc-12", "cmake", "ninja"});
  Scenario s("cmake-ninja");
  write_cmake_project(s, "Ninja");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(only_culprit(run) == "build/CMakeFiles/prog.dir/src/bug.c.o");
  CHECK(run.json["unresolved"] == 0);
  // The tree holds the mix: relinking with Ninja now must not recompile anything.
  auto again = run_shell("ninja -C build -n -d explain 2>&1", s.dir(), 60);
  CHECK(again.output_tail.find("stored deps info out of date") == std::string::npos);
}

TEST_CASE("CMake with Unix Makefiles: the culprit is found", "[e2e][objects][build-systems]") {
  require_tools({"gcc-12", "cmake", "make"});
  Scenario s("cmake-make");
  write_cmake_project(s, "Unix Makefiles");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(only_culprit(run) == "build/CMakeFiles/prog.dir/src/bug.c.o");
  CHECK(run.json["unresolved"] == 0);
}

TEST_CASE("a plain Makefile: the culprit is found", "[e2e][objects][build-systems]") {
  require_tools({"gcc-12", "make"});
  Scenario s("plain-make");
  write_sources(s);
  s.write("Makefile",
          "OBJ = obj/main.o obj/f0.o obj/f1.o obj/f2.o obj/bug.o\n"
          "prog: $(OBJ)\n\tgcc-12 $(OBJ) -o prog\n"
          "obj/%.o: src/%.c\n\tmkdir -p obj && gcc-12 -c $< -o $@\n");
  s.write_compdb({"src/main.c", "src/f0.c", "src/f1.c", "src/f2.c", "src/bug.c"}, "gcc-12", "");
  REQUIRE(run_shell("make -s prog", s.dir(), 120).exit_status == 0);
  s.write("ccbisect.toml", std::string("[build]\nlink = \"make -s prog\"\n") + k_sides +
                               "[oracle]\ncommand = \"./prog\"\ntimeout = 20\n");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(only_culprit(run) == "obj/bug.o");
}

TEST_CASE("a link command that recompiles the placed objects makes the trial unresolved, never an answer",
          "[e2e][objects][build-systems]") {
  require_tools({"gcc-12", "make"});
  Scenario s("recompiling-link");
  write_sources(s);
  // The "link" rebuilds every object from source (as a build whose rules think objects are stale
  // would), so no trial ever tests the mix it was given.
  s.write("Makefile",
          "OBJ = obj/main.o obj/f0.o obj/f1.o obj/f2.o obj/bug.o\n"
          "prog: FORCE\n\tfor f in main f0 f1 f2 bug; do gcc-12 -c src/$$f.c -o obj/$$f.o; done; gcc-12 "
          "$(OBJ) -o prog\n"
          "FORCE:\n");
  s.write_compdb({"src/main.c", "src/f0.c", "src/f1.c", "src/f2.c", "src/bug.c"}, "gcc-12", "");
  s.write("ccbisect.toml", std::string("[build]\nlink = \"make -s prog\"\n") + k_sides +
                               "[oracle]\ncommand = \"./prog\"\ntimeout = 20\n");
  auto run = s.run({"objects", "--json"});
  INFO(run.output);
  CHECK(run.exit_status != 0);
  CHECK(run.json["culprits"].empty());
  CHECK(run.output.find("rebuilt") != std::string::npos);
  CHECK(run.output.find("was unresolved (objects-rebuilt)") != std::string::npos);
  auto store = ccbisect::Store::open(s.dir() / ".ccbisect/ccbisect.db");
  auto trials = store->trials("objects");
  REQUIRE_FALSE(trials.empty());
  for (const ccbisect::TrialRow& trial : trials) {
    CHECK(trial.result.reason == ccbisect::UnresolvedReason::objects_rebuilt);
  }
}

TEST_CASE("ninja -t query output gives each object's consumers", "[objects][build-systems]") {
  auto parsed = ccbisect::parse_ninja_query(
      "CMakeFiles/x.dir/a.c.o:\n  input: C_COMPILER__x_\n    ../a.c\n    || order_dep\n  outputs:\n    "
      "libx.a\n"
      "    libx_test\nCMakeFiles/x.dir/b.c.o:\n  input: C_COMPILER__x_\n    ../b.c\n  outputs:\n    "
      "libx.a\n");
  REQUIRE(parsed.size() == 2);
  CHECK(parsed["CMakeFiles/x.dir/a.c.o"] == std::vector<std::string>{"libx.a", "libx_test"});
  CHECK(parsed["CMakeFiles/x.dir/b.c.o"] == std::vector<std::string>{"libx.a"});
}
