// Tests of capture/compdb.cpp: both entry forms, relative directories, where the object goes, which
// entries are skipped, the errors that name the entry, and retargeting a compile.
#include <catch2/catch.hpp>

#include <fstream>

#include "bisector/errors.hpp"
#include "capture/compdb.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ccbisect;
using ccbisect::testing::TempDir;

namespace {

std::filesystem::path write_compdb(const TempDir& dir, const std::string& json) {
  std::filesystem::path path = dir / "compile_commands.json";
  std::ofstream(path) << json;
  return path;
}

}  // namespace

TEST_CASE("the command and arguments forms give the same entry", "[compdb]") {
  TempDir dir("compdb-forms");
  std::string root = dir.path().string();
  auto path = write_compdb(dir, R"([
    {"directory": ")" + root + R"(", "file": "src/a.c",
     "command": "gcc -DMSG=\"a b\" -Iinclude -c src/a.c -o obj/a.o"},
    {"directory": ")" + root + R"(", "file": "src/a.c",
     "arguments": ["gcc", "-DMSG=a b", "-Iinclude", "-c", "src/a.c", "-o", "obj/a.o"]}
  ])");
  std::vector<CompileEntry> entries = read_compdb(path);
  REQUIRE(entries.size() == 2);
  for (const CompileEntry& entry : entries) {
    CHECK(entry.directory == dir.path());
    CHECK(entry.source == dir / "src/a.c");
    CHECK(entry.output == dir / "obj/a.o");
    CHECK_FALSE(entry.is_cxx);
  }
  CHECK(entries[0].arguments == entries[1].arguments);
  CHECK(entries[0].arguments[1] == "-DMSG=a b");
}

TEST_CASE("a relative directory is taken from the compdb's folder", "[compdb]") {
  TempDir dir("compdb-relative");
  std::filesystem::create_directories(dir / "sub");
  std::filesystem::path path = dir / "sub" / "compile_commands.json";
  std::ofstream(path) << R"([{"directory": "../build", "file": "../src/b.cpp",
                              "arguments": ["g++", "-c", "../src/b.cpp", "-o", "b.o"]}])";
  std::vector<CompileEntry> entries = read_compdb(path);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].directory == dir / "build");
  CHECK(entries[0].source == dir / "src/b.cpp");
  CHECK(entries[0].output == dir / "build/b.o");
  CHECK(entries[0].is_cxx);
}

TEST_CASE("the object comes from output, then -o, then -oFILE", "[compdb]") {
  TempDir dir("compdb-output");
  std::string root = dir.path().string();
  auto path = write_compdb(dir, R"([
    {"directory": ")" + root + R"(", "file": "a.c", "output": "from-field.o",
     "arguments": ["cc", "-c", "a.c", "-o", "from-flag.o"]},
    {"directory": ")" + root + R"(", "file": "b.c", "arguments": ["cc", "-c", "b.c", "-o", "out/b.o"]},
    {"directory": ")" + root + R"(", "file": "c.c", "arguments": ["cc", "-c", "c.c", "-oglued.o"]},
    {"directory": ")" + root + R"(", "file": "d.c", "arguments": ["cc", "d.c", "-o", "prog"]}
  ])");
  std::vector<CompileEntry> entries = read_compdb(path);
  REQUIRE(entries.size() == 3);  // the link step (no -c) is not a translation unit
  CHECK(entries[0].output == dir / "from-field.o");
  CHECK(entries[1].output == dir / "out/b.o");
  CHECK(entries[2].output == dir / "glued.o");
}

TEST_CASE("malformed databases are refused with the file and the entry named", "[compdb]") {
  TempDir dir("compdb-errors");
  std::string root = dir.path().string();
  auto refused = [&](const std::string& json, const std::string& message) {
    auto path = write_compdb(dir, json);
    INFO(json);
    CHECK_THROWS_AS(read_compdb(path), UserError);
    CHECK_THROWS_WITH(read_compdb(path), Catch::Contains(path.string()) && Catch::Contains(message));
  };
  refused("not json", "not valid JSON");
  refused(R"({"a": 1})", "expected a JSON array");
  refused(R"([{"file": "a.c", "command": "cc -c a.c"}])", "entry 0: needs string fields");
  refused(R"([{"directory": ")" + root + R"(", "file": "a.c", "arguments": []}])", "non-empty array");
  refused(R"([{"directory": ")" + root + R"(", "file": "a.c", "command": "cc -c a.c"}])",
          "no \"output\" field and no -o");
  refused(R"([{"directory": ")" + root + R"(", "file": "a.c", "command": "cc a.c -o prog"}])",
          "no compile (-c) entries");
  CHECK_THROWS_WITH(read_compdb(dir / "absent.json"), Catch::Contains("absent.json"));
}

TEST_CASE("retarget_compile swaps the compiler, drops the old -o and appends the flags", "[compdb]") {
  CompileEntry entry;
  entry.arguments = {"gcc", "-Iinc", "-c", "a.c", "-o", "obj/a.o", "-oother.o", "-Wall"};
  CHECK(retarget_compile(entry, "clang-14", {"-O2", "-g"}, "/store/x.o") ==
        std::vector<std::string>{"clang-14", "-Iinc", "-c", "a.c", "-Wall", "-O2", "-g", "-o", "/store/x.o"});
  CHECK(is_cxx_compile("g++-12", "a.c"));
  CHECK(is_cxx_compile("gcc-12", "a.cc"));
  CHECK_FALSE(is_cxx_compile("gcc-12", "a.c"));
}
