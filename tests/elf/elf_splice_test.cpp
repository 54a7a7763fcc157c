// Function splicing with real compilers: each TU is built twice (gcc-11/gcc-12, clang-14/clang-16,
// or one compiler with -DSIDE=0 for good and -DSIDE=1 for bad, so that every function tells which
// build it came from), spliced, linked with a main and run.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "elf/elf_splice.hpp"
#include "sys/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ccbisect;
using ccbisect::testing::require_tools;
using ccbisect::testing::TempDir;

namespace {

std::string run_ok(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.cwd = cwd;
  spec.timeout_seconds = 60;
  ProcessResult result = run_process(spec);
  INFO(fmt::format("{}\n{}", fmt::join(argv, " "), result.output_tail));
  REQUIRE(result.started);
  REQUIRE(result.exit_status == 0);
  return result.output_tail;
}

// A scratch project: sources, the two builds of the TU under test, spliced objects, programs.
class Bench {
 public:
  explicit Bench(const std::string& name) : m_dir("splice-" + name) {}

  std::filesystem::path write(const std::string& name, const std::string& text) {
    std::ofstream(m_dir / name) << text;
    return m_dir / name;
  }
  // Compiles `source` with `compiler` and `flags` into `object`.
  std::filesystem::path compile(const std::string& compiler, const std::string& source,
                                const std::string& flags, const std::string& object) {
    std::vector<std::string> argv{compiler};
    std::istringstream words(flags);
    for (std::string word; words >> word;) {
      argv.push_back(word);
    }
    argv.insert(argv.end(), {"-c", source, "-o", object});
    run_ok(argv, m_dir.path());
    return m_dir / object;
  }
  // Links `objects` and main.o (first when `main_first`, so its COMDAT copies are the ones the
  // linker sees first) with `driver` and runs the program; returns its output.
  std::string run(const std::vector<std::filesystem::path>& objects, const std::string& driver = "gcc-12",
                  bool main_first = false) {
    std::vector<std::string> argv{driver, "-o", "prog"};
    if (main_first) {
      argv.emplace_back("main.o");
    }
    for (const std::filesystem::path& object : objects) {
      argv.push_back(object.string());
    }
    if (!main_first) {
      argv.emplace_back("main.o");
    }
    run_ok(argv, m_dir.path());
    return run_ok({"./prog"}, m_dir.path());
  }
  std::filesystem::path operator/(const std::string& name) const { return m_dir / name; }

 private:
  TempDir m_dir;
};

// Output lines "name value" keyed by name.
std::map<std::string, std::string> lines_by_name(const std::string& output) {
  std::map<std::string, std::string> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    lines[line.substr(0, line.find(' '))] = line;
  }
  return lines;
}

std::vector<std::string> unit_names(const std::vector<SpliceUnit>& units) {
  std::vector<std::string> names;
  for (const SpliceUnit& unit : units) {
    names.push_back(unit.name);
  }
  return names;
}

const SpliceUnit& unit_named(const std::vector<SpliceUnit>& units, const std::string& name) {
  for (const SpliceUnit& unit : units) {
    if (unit.name == name) {
      return unit;
    }
  }
  FAIL("no unit " << name << " among " << fmt::format("{}", fmt::join(unit_names(units), ", ")));
  throw std::logic_error("unreachable");
}

// The unit holding `symbol`, if any.
const SpliceUnit* unit_with(const std::vector<SpliceUnit>& units, const std::string& symbol) {
  for (const SpliceUnit& unit : units) {
    if (std::find(unit.symbols.begin(), unit.symbols.end(), symbol) != unit.symbols.end()) {
      return &unit;
    }
  }
  return nullptr;
}

bool has_function(const std::filesystem::path& object, const std::string& name) {
  ElfObject elf = read_elf_object(object);
  return std::any_of(elf.symbols.begin(), elf.symbols.end(),
                     [&](const ElfSymbol& s) { return s.is_function() && s.name == name; });
}

// The machine code of function `name` in `object` (relocated fields are zero in a .o).
std::vector<unsigned char> code_of(const ElfObject& object, const std::string& name) {
  for (const ElfSymbol& symbol : object.symbols) {
    if (symbol.is_function() && symbol.name == name) {
      const std::vector<unsigned char>& bytes = object.sections[symbol.section].bytes;
      return {bytes.begin() + static_cast<std::ptrdiff_t>(symbol.value),
              bytes.begin() + static_cast<std::ptrdiff_t>(symbol.value + symbol.size)};
    }
  }
  return {};
}

// How many symbols called `name` are defined in `object`.
std::size_t definitions_of(const std::filesystem::path& object, const std::string& name) {
  ElfObject elf = read_elf_object(object);
  return static_cast<std::size_t>(
      std::count_if(elf.symbols.begin(), elf.symbols.end(),
                    [&](const ElfSymbol& s) { return s.in_section() && s.name == name; }));
}

// Six extern functions, a static variable they share, string literals, a constant table, a switch,
// a function-local static table. SIDE shows which build each function came from.
const char* k_six_code = R"(
#ifndef SIDE
#define SIDE 0
#endif
static int calls;
static const int weights[] = {3, 5, 7, 11, 13, 17, 19, 23};
int add(int a, int b) { calls++; return a + b + SIDE * 1000; }
int mul(int a, int b) { calls++; return a * b + SIDE * 2000; }
int poly(int x) { int s = 0; for (int i = 0; i < 8; i++) s = s * x + weights[i]; calls++; return s + SIDE * 3000; }
const char *greet(int i) {
  static const char *names[] = {"zero", "one", "two"};
  calls++;
  return i >= 0 && i < 3 ? names[i] : (SIDE ? "bad" : "good");
}
int classify(int x) {
  switch (x) {
    case 0: return 10 + SIDE; case 1: return 21; case 2: return 32; case 3: return 43 + SIDE;
    case 4: return 54; case 5: return 65; case 6: return 76; default: return -1 - SIDE;
  }
}
int total(void) { return calls + SIDE * 100; }
)";

const char* k_six_main = R"(
#include <stdio.h>
int add(int, int); int mul(int, int); int poly(int); const char *greet(int); int classify(int); int total(void);
int main(void) {
  printf("add %d\n", add(2, 3));
  printf("mul %d\n", mul(4, 5));
  printf("poly %d\n", poly(2));
  printf("greet %s %s\n", greet(1), greet(9));
  printf("classify %d %d %d\n", classify(3), classify(5), classify(42));
  printf("total %d\n", total());
  return 0;
}
)";

const std::set<std::string> k_six_functions = {"add", "mul", "poly", "greet", "classify", "total"};

}  // namespace

TEST_CASE("gcc-11 and gcc-12 builds splice function by function into objects that link and run", "[splice]") {
  require_tools({"gcc-11", "gcc-12", "ld", "objcopy"});
  Bench bench("gcc11-12");
  bench.write("six.c", k_six_code);
  bench.write("main.c", k_six_main);
  bench.compile("gcc-12", "main.c", "-O0", "main.o");
  auto good = bench.compile("gcc-11", "six.c", "-O2 -ffunction-sections -fdata-sections", "good.o");
  auto bad = bench.compile("gcc-12", "six.c", "-O2 -ffunction-sections -fdata-sections", "bad.o");
  const std::string expected = bench.run({good});
  REQUIRE(bench.run({bad}) == expected);

  std::vector<SpliceUnit> units = splice_units(good, bad);
  std::vector<std::string> names = unit_names(units);
  CHECK(std::set<std::string>(names.begin(), names.end()) == k_six_functions);
  CHECK(names.size() == k_six_functions.size());
  CHECK(names.front() == "add");  // good's order
  CHECK(splice_units(good, bad).size() == units.size());

  ElfObject good_elf = read_elf_object(good);
  ElfObject bad_elf = read_elf_object(bad);
  auto check_provenance = [&](const std::filesystem::path& spliced, const std::set<std::string>& from_bad) {
    ElfObject out = read_elf_object(spliced);
    for (const std::string& function : k_six_functions) {
      INFO(function);
      CHECK(code_of(out, function) == code_of(from_bad.count(function) ? bad_elf : good_elf, function));
    }
    CHECK(definitions_of(spliced, "calls") == 1);
  };

  SECTION("no unit: good's code") {
    SpliceResult result = splice_objects(good, bad, {}, bench / "none.o");
    INFO(result.error);
    REQUIRE(result.ok);
    CHECK(bench.run({bench / "none.o"}) == expected);
    check_provenance(bench / "none.o", {});
  }
  SECTION("every unit: bad's code") {
    SpliceResult result = splice_objects(good, bad, units, bench / "all.o");
    INFO(result.error);
    REQUIRE(result.ok);
    CHECK(bench.run({bench / "all.o"}) == expected);
    check_provenance(bench / "all.o", k_six_functions);
  }
  SECTION("each unit alone") {
    for (const SpliceUnit& unit : units) {
      INFO(unit.name);
      SpliceResult result = splice_objects(good, bad, {unit}, bench / "one.o");
      INFO(result.error);
      REQUIRE(result.ok);
      CHECK(bench.run({bench / "one.o"}) == expected);
      check_provenance(bench / "one.o", {unit.name});
    }
  }
}

TEST_CASE("splicing one function makes exactly that function run bad's code", "[splice]") {
  require_tools({"gcc-12", "ld", "objcopy"});
  Bench bench("side");
  bench.write("six.c", k_six_code);
  bench.write("main.c", k_six_main);
  bench.compile("gcc-12", "main.c", "-O0", "main.o");
  auto good = bench.compile("gcc-12", "six.c", "-O2 -ffunction-sections -fdata-sections -DSIDE=0", "good.o");
  auto bad = bench.compile("gcc-12", "six.c", "-O2 -ffunction-sections -fdata-sections -DSIDE=1", "bad.o");
  auto good_lines = lines_by_name(bench.run({good}));
  auto bad_lines = lines_by_name(bench.run({bad}));
  REQUIRE(good_lines.size() == 6);
  for (const std::string& function : k_six_functions) {
    REQUIRE(good_lines[function] != bad_lines[function]);  // each function shows its side
  }

  std::vector<SpliceUnit> units = splice_units(good, bad);
  for (const std::string& moved : k_six_functions) {
    INFO("moved " << moved);
    SpliceResult result = splice_objects(good, bad, {unit_named(units, moved)}, bench / "spliced.o");
    INFO(result.error);
    REQUIRE(result.ok);
    auto lines = lines_by_name(bench.run({bench / "spliced.o"}));
    for (const std::string& function : k_six_functions) {
      CHECK(lines[function] == (function == moved ? bad_lines : good_lines)[function]);
    }
  }
}

TEST_CASE("a static variable incremented from a moved and a staying function exists once", "[splice]") {
  require_tools({"gcc-12", "ld", "objcopy"});
  Bench bench("counter");
  bench.write("counter.c", R"(
#ifndef SIDE
#define SIDE 0
#endif
static int counter;
static int other;
int a(void) { counter++; other += 2; return SIDE; }
int b(void) { counter++; return SIDE; }
int get(void) { return counter; }
int get_other(void) { return other; }
)");
  bench.write("main.c", R"(
#include <stdio.h>
int a(void); int b(void); int get(void); int get_other(void);
int main(void) { int ra = a(); int rb = b(); printf("%d %d %d %d\n", ra, rb, get(), get_other()); return 0; }
)");
  bench.compile("gcc-12", "main.c", "-O0", "main.o");
  // With -fdata-sections each variable has its own section; without, both share .bss and moved code
  // names them by offset in it.
  const std::string flags =
      GENERATE(as<std::string>{}, "-ffunction-sections -fdata-sections", "-ffunction-sections");
  INFO(flags);
  auto good = bench.compile("gcc-12", "counter.c", "-O2 -DSIDE=0 " + flags, "good.o");
  auto bad = bench.compile("gcc-12", "counter.c", "-O2 -DSIDE=1 " + flags, "bad.o");
  std::vector<SpliceUnit> units = splice_units(good, bad);
  SpliceResult result = splice_objects(good, bad, {unit_named(units, "a")}, bench / "spliced.o");
  INFO(result.error);
  REQUIRE(result.ok);
  CHECK(bench.run({bench / "spliced.o"}) == "1 0 2 2\n");  // a from bad, b from good, one counter
  CHECK(definitions_of(bench / "spliced.o", "counter") == 1);
  CHECK(definitions_of(bench / "spliced.o", "other") == 1);
}

namespace {

// A static helper gcc clones (.constprop), a static function gcc splits (.part), a function with a
// .cold part, static functions reached only through a constant table, a static qsort callback.
const char* k_clones_code = R"(
#include <stdlib.h>
#ifndef SIDE
#define SIDE 0
#endif
extern int ext(int);
__attribute__((cold)) void report(const char *, int);
static __attribute__((noinline)) int scale(int x, int k) { return x * k + ext(k) + SIDE * 100; }
int use1(int x) { return scale(x, 7); }
int use2(int x) { return scale(x + 1, 7); }
static int work(const int *p, int n) {
  if (p == 0) return -1;
  int s = SIDE * 1000;
  for (int i = 0; i < n; i++) { s += p[i] * ext(i); if (s > 100000) s = ext(s) - p[i]; if (s < -100000) s += ext(-s); }
  for (int i = 0; i < n; i++) { s ^= ext(p[i]) + i; }
  return s;
}
int call1(const int *p) { return work(p, 10); }
int call2(const int *p, int n) { return work(p, n) + 1; }
int checked(int x) {
  int r = ext(x);
  if (r < 0) { report("bad value", r); r = ext(-r) * 3 + x + SIDE; }
  return r + 1 + SIDE * 10;
}
typedef int (*op)(int);
static __attribute__((noinline)) int twice(int x) { return 2 * x + SIDE * 7; }
static __attribute__((noinline)) int thrice(int x) { return 3 * x + SIDE * 9; }
static op const ops[] = {twice, thrice};
int apply(int i, int x) { return ops[i & 1](x); }
static int by_value(const void *a, const void *b) { return SIDE ? *(const int *)b - *(const int *)a : *(const int *)a - *(const int *)b; }
int sort_first(int *v, int n) { qsort(v, n, sizeof *v, by_value); return v[0]; }
int plain(int x) { return x + SIDE; }
)";

const char* k_clones_main = R"(
#include <stdio.h>
int ext(int x) { return x; }
void report(const char *what, int v) { printf("report %s %d\n", what, v); }
int use1(int); int use2(int); int call1(const int *); int call2(const int *, int); int checked(int);
int apply(int, int); int sort_first(int *, int); int plain(int);
int main(void) {
  int p[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  int v[5] = {4, 1, 5, 2, 3};
  printf("use1 %d\n", use1(3));
  printf("use2 %d\n", use2(3));
  printf("call1 %d\n", call1(p));
  printf("call2 %d\n", call2(p, 12));
  printf("checked %d %d\n", checked(5), checked(-2));
  printf("apply %d %d\n", apply(0, 5), apply(1, 5));
  printf("sort_first %d\n", sort_first(v, 5));
  printf("plain %d\n", plain(1));
  return 0;
}
)";

const std::set<std::string> k_clones_functions = {"use1",    "use2",  "call1",      "call2",
                                                  "checked", "apply", "sort_first", "plain"};

}  // namespace

TEST_CASE("static helpers and compiler clones move with the functions that use them", "[splice]") {
  require_tools({"gcc-11", "gcc-12", "ld", "objcopy"});
  Bench bench("clones");
  bench.write("clones.c", k_clones_code);
  bench.write("main.c", k_clones_main);
  bench.compile("gcc-12", "main.c", "-O0", "main.o");
  const std::string flags = "-O2 -ffunction-sections -fdata-sections";

  SECTION("the units of gcc-11 against gcc-12 group clones with their callers") {
    auto good = bench.compile("gcc-11", "clones.c", flags, "good.o");
    auto bad = bench.compile("gcc-12", "clones.c", flags, "bad.o");
    std::vector<SpliceUnit> units = splice_units(good, bad);
    INFO(fmt::format("{}", fmt::join(unit_names(units), ", ")));
    for (const char* clone : {"scale.constprop.0", "work.part.0", "checked.cold"}) {
      REQUIRE(has_function(good, clone));
      REQUIRE(has_function(bad, clone));
    }
    CHECK(unit_with(units, "scale.constprop.0") == &unit_named(units, "use1+use2"));
    CHECK(unit_with(units, "work.part.0") == &unit_named(units, "call1+call2"));
    CHECK(unit_with(units, "checked.cold") == &unit_named(units, "checked"));
    CHECK(unit_with(units, "by_value") == &unit_named(units, "sort_first"));
    if (has_function(bad, "twice")) {
      CHECK(unit_with(units, "twice") == &unit_named(units, "apply"));
      CHECK(unit_with(units, "thrice") == &unit_named(units, "apply"));
    }
    CHECK(unit_named(units, "plain").symbols == std::vector<std::string>{"plain"});
    const std::string expected = bench.run({good});
    for (const SpliceUnit& unit : units) {
      INFO(unit.name);
      SpliceResult result = splice_objects(good, bad, {unit}, bench / "spliced.o");
      INFO(result.error);
      REQUIRE(result.ok);
      CHECK(bench.run({bench / "spliced.o"}) == expected);
    }
  }

  SECTION("splicing a unit moves its clones: both callers of the clone run bad's code") {
    auto good = bench.compile("gcc-12", "clones.c", flags + " -DSIDE=0", "good.o");
    auto bad = bench.compile("gcc-12", "clones.c", flags + " -DSIDE=1", "bad.o");
    REQUIRE(has_function(bad, "scale.constprop.0"));
    REQUIRE(has_function(bad, "checked.cold"));
    auto good_lines = lines_by_name(bench.run({good}));
    auto bad_lines = lines_by_name(bench.run({bad}));
    CHECK(good_lines["report"] == "report bad value -2");  // the .cold path ran
    std::vector<SpliceUnit> units = splice_units(good, bad);
    for (const SpliceUnit& unit : units) {
      INFO(unit.name);
      SpliceResult result = splice_objects(good, bad, {unit}, bench / "spliced.o");
      INFO(result.error);
      REQUIRE(result.ok);
      auto lines = lines_by_name(bench.run({bench / "spliced.o"}));
      std::set<std::string> moved;
      std::istringstream split(unit.name);
      for (std::string name; std::getline(split, name, '+');) {
        moved.insert(name);
      }
      for (const std::string& function : k_clones_functions) {
        INFO(function);
        CHECK(lines[function] == (moved.count(function) ? bad_lines : good_lines)[function]);
      }
    }
  }
}

TEST_CASE("an object built without -ffunction-sections is refused with the advice to rebuild", "[splice]") {
  require_tools({"gcc-12"});
  Bench bench("no-sections");
  bench.write("six.c", k_six_code);
  auto good = bench.compile("gcc-12", "six.c", "-O2 -DSIDE=0", "good.o");
  auto bad = bench.compile("gcc-12", "six.c", "-O2 -ffunction-sections -DSIDE=1", "bad.o");
  SpliceResult result = splice_objects(good, bad, {}, bench / "spliced.o");
  CHECK_FALSE(result.ok);
  CHECK_THAT(result.error, Catch::Contains("-ffunction-sections -fdata-sections"));
  CHECK_THAT(result.error, Catch::Contains("good.o"));
  CHECK_FALSE(std::filesystem::exists(bench / "spliced.o"));
  CHECK_THROWS_WITH(splice_units(good, bad), Catch::Contains("-ffunction-sections"));
  CHECK_THROWS_AS(splice_units(bad, good), UserError);

  SpliceResult not_elf = splice_objects(bench / "six.c", bad, {}, bench / "spliced.o");
  CHECK_FALSE(not_elf.ok);
  CHECK_THAT(not_elf.error, Catch::Contains("six.c"));
}

TEST_CASE("clang-14 and clang-16 builds splice one function at a time", "[splice]") {
  require_tools({"clang-14", "ld", "objcopy"});
  const std::string newer = find_program("clang-16") ? "clang-16" : "gcc-12";
  require_tools({newer});
  Bench bench("clang");
  bench.write("six.c", k_six_code);
  bench.write("main.c", k_six_main);
  bench.compile("gcc-12", "main.c", "-O0", "main.o");
  const std::string flags = "-O2 -ffunction-sections -fdata-sections";
  auto good = bench.compile("clang-14", "six.c", flags + " -DSIDE=0", "good.o");
  auto bad = bench.compile(newer, "six.c", flags + " -DSIDE=1", "bad.o");
  auto good_lines = lines_by_name(bench.run({good}));
  auto bad_lines = lines_by_name(bench.run({bad}));
  std::vector<SpliceUnit> units = splice_units(good, bad);
  std::vector<std::string> names = unit_names(units);
  CHECK(std::set<std::string>(names.begin(), names.end()) == k_six_functions);
  for (const std::string& moved : k_six_functions) {
    INFO(newer << ": moved " << moved);
    SpliceResult result = splice_objects(good, bad, {unit_named(units, moved)}, bench / "spliced.o");
    INFO(result.error);
    REQUIRE(result.ok);
    auto lines = lines_by_name(bench.run({bench / "spliced.o"}));
    for (const std::string& function : k_six_functions) {
      CHECK(lines[function] == (function == moved ? bad_lines : good_lines)[function]);
    }
  }
}

TEST_CASE("gcc and clang name a function-local static differently, and moved code still uses good's",
          "[splice]") {
  require_tools({"gcc-12", "clang-14", "ld", "objcopy"});
  Bench bench("local-static");
  bench.write("tick.c", R"(
#ifndef SIDE
#define SIDE 0
#endif
int tick(void) { static int calls; return ++calls + SIDE * 100; }
int twice(void) { tick(); return tick(); }
)");
  bench.write("main.c", R"(
#include <stdio.h>
int tick(void); int twice(void);
int main(void) { int t = tick(); int w = twice(); printf("%d %d %d\n", t, w, tick()); return 0; }
)");
  bench.compile("gcc-12", "main.c", "-O0", "main.o");
  const std::string flags = "-O2 -fno-inline -ffunction-sections -fdata-sections";
  auto good = bench.compile("gcc-12", "tick.c", flags + " -DSIDE=0", "good.o");
  auto bad = bench.compile("clang-14", "tick.c", flags + " -DSIDE=1", "bad.o");
  REQUIRE(definitions_of(good, "calls.0") == 1);    // gcc's name
  REQUIRE(definitions_of(bad, "tick.calls") == 1);  // clang's name
  std::vector<SpliceUnit> units = splice_units(good, bad);
  SpliceResult result = splice_objects(good, bad, {unit_named(units, "tick")}, bench / "spliced.o");
  INFO(result.error);
  REQUIRE(result.ok);
  CHECK(bench.run({bench / "spliced.o"}) == "101 103 104\n");  // bad's tick, one counter
  CHECK(definitions_of(bench / "spliced.o", "tick.calls") == 0);
}

TEST_CASE("C++: moved code keeps its unwind tables and the inline functions only bad emitted", "[splice]") {
  require_tools({"g++-12", "ld", "objcopy"});
  Bench bench("cxx");
  // `uses_template` calls an instance only bad's build has, in a COMDAT group: bad' must bring it.
  bench.write("risky.cpp", R"(
#include <stdexcept>
#ifndef SIDE
#define SIDE 0
#endif
__attribute__((noinline)) int risky(int x) { if (x < 0) throw std::runtime_error(SIDE ? "bad" : "good"); return x + SIDE * 10; }
int guarded(int x) { try { return risky(x); } catch (const std::exception &e) { return -100 - SIDE; } }
template <int N> __attribute__((noinline)) int scaled(int x) { return x * N + SIDE; }
int uses_template(int x) {
#if SIDE
  return scaled<3>(x);
#else
  return x * 3;
#endif
}
)");
  bench.write("main.cpp", R"(
#include <algorithm>
#include <cstdio>
#include <stdexcept>
int risky(int); int guarded(int); int uses_template(int);
int main() {
  std::printf("guarded %d %d\n", guarded(1), guarded(-1));
  try { risky(-5); } catch (const std::runtime_error &e) { std::printf("risky %s %d\n", e.what(), risky(2)); }
  std::printf("uses_template %d\n", uses_template(2));
  return 0;
}
)");
  bench.compile("g++-12", "main.cpp", "-O0", "main.o");
  const std::string flags = "-O2 -ffunction-sections -fdata-sections";
  auto good = bench.compile("g++-12", "risky.cpp", flags + " -DSIDE=0", "good.o");
  auto bad = bench.compile("g++-12", "risky.cpp", flags + " -DSIDE=1", "bad.o");
  auto good_lines = lines_by_name(bench.run({good}, "g++-12"));
  auto bad_lines = lines_by_name(bench.run({bad}, "g++-12"));
  REQUIRE(has_function(bad, "_Z6scaledILi3EEii"));
  REQUIRE_FALSE(has_function(good, "_Z6scaledILi3EEii"));
  std::vector<SpliceUnit> units = splice_units(good, bad);
  std::vector<std::string> names = unit_names(units);
  // named demangled; the template instance only bad has is not a unit (good has no copy to replace)
  CHECK(names == std::vector<std::string>{"risky(int)", "guarded(int)", "uses_template(int)"});

  SECTION("the thrower moves: good's catcher catches bad's exception") {
    SpliceResult result = splice_objects(good, bad, {unit_named(units, "risky(int)")}, bench / "spliced.o");
    INFO(result.error);
    REQUIRE(result.ok);
    auto lines = lines_by_name(bench.run({bench / "spliced.o"}, "g++-12"));
    CHECK(lines["risky"] == bad_lines["risky"]);
    CHECK(lines["guarded"] == "guarded 11 -100");
    CHECK(lines["uses_template"] == good_lines["uses_template"]);
  }
  SECTION("the catcher moves: bad's catcher catches good's exception") {
    SpliceResult result = splice_objects(good, bad, {unit_named(units, "guarded(int)")}, bench / "spliced.o");
    INFO(result.error);
    REQUIRE(result.ok);
    auto lines = lines_by_name(bench.run({bench / "spliced.o"}, "g++-12"));
    CHECK(lines["risky"] == good_lines["risky"]);
    CHECK(lines["guarded"] == "guarded 1 -101");
  }
  SECTION("a function calling an instance good never emitted brings the instance along") {
    SpliceResult result =
        splice_objects(good, bad, {unit_named(units, "uses_template(int)")}, bench / "spliced.o");
    INFO(result.error);
    REQUIRE(result.ok);
    auto lines = lines_by_name(bench.run({bench / "spliced.o"}, "g++-12"));
    CHECK(lines["uses_template"] == bad_lines["uses_template"]);
    CHECK(lines["risky"] == good_lines["risky"]);
  }
}

TEST_CASE("a static variable only bad has moves with its users", "[splice]") {
  require_tools({"gcc-12", "ld", "objcopy"});
  Bench bench("bad-only-static");
  // Only bad has the static `seen`: good's code never touches that state, so bad's copy moves with
  // `check` (once per spliced object) instead of the splice failing.
  bench.write("state.c", R"(
#ifndef SIDE
#define SIDE 0
#endif
#if SIDE
static int seen;
int check(int x) { seen += x; return seen; }
#else
int check(int x) { return x; }
#endif
int other(int x) { return x + 1; }
)");
  bench.write("main.c", R"(
#include <stdio.h>
int check(int); int other(int);
int main(void) { int a = check(2); int b = check(3); printf("check %d %d\nother %d\n", a, b, other(1)); return 0; }
)");
  bench.compile("gcc-12", "main.c", "-O0", "main.o");
  auto good =
      bench.compile("gcc-12", "state.c", "-O2 -ffunction-sections -fdata-sections -DSIDE=0", "good.o");
  auto bad = bench.compile("gcc-12", "state.c", "-O2 -ffunction-sections -fdata-sections -DSIDE=1", "bad.o");
  std::vector<SpliceUnit> units = splice_units(good, bad);
  SpliceResult result = splice_objects(good, bad, {unit_named(units, "check")}, bench / "spliced.o");
  INFO(result.error);
  REQUIRE(result.ok);
  auto lines = lines_by_name(bench.run({bench / "spliced.o"}));
  CHECK(lines["check"] == "check 2 5");  // bad's check, with its own running total
  CHECK(lines["other"] == "other 2");
}

TEST_CASE("a splice that cannot be made is a value with the reason, for the caller to call unresolved",
          "[splice]") {
  require_tools({"gcc-12", "ld", "objcopy"});
  Bench bench("unresolved");
  bench.write("state.c", "int check(int x) { return x + SIDE; }\nint other(int x) { return x + 1; }\n");
  auto good =
      bench.compile("gcc-12", "state.c", "-O2 -ffunction-sections -fdata-sections -DSIDE=0", "good.o");
  auto bad = bench.compile("gcc-12", "state.c", "-O2 -ffunction-sections -fdata-sections -DSIDE=1", "bad.o");
  CHECK(splice_objects(good, bad, {unit_named(splice_units(good, bad), "other")}, bench / "spliced.o").ok);
  SpliceUnit stale{"gone", {"gone"}};
  SpliceResult missing = splice_objects(good, bad, {stale}, bench / "stale.o");
  CHECK_FALSE(missing.ok);
  CHECK_THAT(missing.error, Catch::Contains("gone"));
}

TEST_CASE("with -fno-ipa-ra, a staying caller survives a moved callee that clobbers more registers",
          "[splice]") {
  require_tools({"gcc-12", "ld", "objcopy"});
  Bench bench("ipa-ra");
  // Good's f touches one register, bad's many. With -fipa-ra (on at -O2) gcc lets good's g keep its
  // loop state in registers f does not touch; bad's f would clobber them (the program then hangs).
  // -fno-ipa-ra restores the psABI contract at every call, which splicing relies on.
  bench.write("regs.c", R"(
#ifndef SIDE
#define SIDE 0
#endif
__attribute__((noinline)) int f(int x) {
#if SIDE
  volatile int sink; int a = x, b = x * 3, c = x ^ 5, d = x + 7, e = x * x, g = x - 9, h = x << 2, i = x >> 1;
  for (int k = 0; k < x; k++) { a += b; b ^= c; c += d; d *= e | 1; e -= g; g += h; h ^= i; i += a; }
  sink = a + b + c + d + e + g + h + i;
  return x + 1 + (sink & 0);
#else
  return x + 1;
#endif
}
int g(int a, int b, int c, int d) {
  int s = 0;
  for (int k = 0; k < a; k++) { s += f(k) * b + c * k - d; b ^= s; c += k; d -= b; }
  return s + b + c + d;
}
)");
  bench.write("main.c", R"(
#include <stdio.h>
int g(int, int, int, int);
int main(void) { printf("%d\n", g(10, 3, 5, 7)); return 0; }
)");
  bench.compile("gcc-12", "main.c", "-O0", "main.o");
  const std::string flags = "-O2 -fno-ipa-ra -ffunction-sections -fdata-sections";
  auto good = bench.compile("gcc-12", "regs.c", flags + " -DSIDE=0", "good.o");
  auto bad = bench.compile("gcc-12", "regs.c", flags + " -DSIDE=1", "bad.o");
  const std::string expected = bench.run({good});
  std::vector<SpliceUnit> units = splice_units(good, bad);
  SpliceResult result = splice_objects(good, bad, {unit_named(units, "f")}, bench / "spliced.o");
  INFO(result.error);
  REQUIRE(result.ok);
  CHECK(bench.run({bench / "spliced.o"}) == expected);
}

namespace {

// Two builds of a small TU (helper + api, each with an FDE) for the malformed-object tests.
struct SplicePair {
  std::filesystem::path good;
  std::filesystem::path bad;
  std::vector<SpliceUnit> units;
};

SplicePair build_pair(Bench& bench) {
  bench.write("pair.c",
              "__attribute__((noinline)) int helper(int x) { return x * 3 + SIDE; }\n"
              "int api(int x) { return helper(x) + 1; }\n");
  SplicePair pair;
  pair.good = bench.compile("gcc-12", "pair.c", "-O2 -ffunction-sections -fdata-sections -DSIDE=0", "good.o");
  pair.bad = bench.compile("gcc-12", "pair.c", "-O2 -ffunction-sections -fdata-sections -DSIDE=1", "bad.o");
  pair.units = splice_units(pair.good, pair.bad);
  REQUIRE(pair.units.size() == 2);
  REQUIRE(splice_objects(pair.good, pair.bad, pair.units, bench / "sane.o").ok);
  return pair;
}

// Splices `bad` (a damaged copy) into the pair's good: the answer must be a value, never an exception,
// and `out` must not be written.
SpliceResult splice_damaged(Bench& bench, const SplicePair& pair, const std::filesystem::path& bad) {
  SpliceResult result;
  REQUIRE_NOTHROW(result = splice_objects(pair.good, bad, pair.units, bench / "out.o"));
  INFO(result.error);
  CHECK_FALSE(result.ok);
  CHECK_FALSE(std::filesystem::exists(bench / "out.o"));
  return result;
}

}  // namespace

TEST_CASE("a truncated object gives a splice error, not an exception", "[splice]") {
  require_tools({"gcc-12", "ld", "objcopy"});
  Bench bench("truncated");
  SplicePair pair = build_pair(bench);
  std::ifstream in(pair.bad, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (std::size_t keep : {bytes.size() / 2, std::size_t{100}, std::size_t{10}, std::size_t{0}}) {
    INFO("kept " << keep << " of " << bytes.size() << " bytes");
    std::ofstream(bench / "cut.o", std::ios::binary | std::ios::trunc) << bytes.substr(0, keep);
    SpliceResult result = splice_damaged(bench, pair, bench / "cut.o");
    CHECK_THAT(result.error, Catch::Contains("cut.o"));
  }
}

TEST_CASE("an .eh_frame whose FDE names no CIE gives a splice error, not std::out_of_range", "[splice]") {
  require_tools({"gcc-12", "ld", "objcopy"});
  Bench bench("bad-fde");
  SplicePair pair = build_pair(bench);
  ElfObject bad = read_elf_object(pair.bad);
  std::size_t damaged = 0;
  for (ElfSection& section : bad.sections) {
    if (!section.is_eh_frame()) {
      continue;
    }
    for (std::uint64_t offset = 0; offset + 8 <= section.bytes.size();) {
      std::uint32_t length = 0;
      std::uint32_t id = 0;
      std::memcpy(&length, section.bytes.data() + offset, 4);
      std::memcpy(&id, section.bytes.data() + offset + 4, 4);
      if (length == 0) {
        break;
      }
      if (id != 0) {
        std::uint32_t wrong = id - 1;  // one byte past the CIE's start: not a record
        std::memcpy(section.bytes.data() + offset + 4, &wrong, 4);
        ++damaged;
      }
      offset += 4 + std::uint64_t{length};
    }
  }
  REQUIRE(damaged >= 2);
  write_elf_object(bad, bench / "bad-fde.o");
  SpliceResult result = splice_damaged(bench, pair, bench / "bad-fde.o");
  CHECK_THAT(result.error, Catch::Contains("malformed .eh_frame"));
}

TEST_CASE("a symbol in a section past the table gives a splice error, not a read out of bounds", "[splice]") {
  require_tools({"gcc-12", "ld", "objcopy"});
  Bench bench("bad-symbol");
  SplicePair pair = build_pair(bench);
  ElfObject bad = read_elf_object(pair.bad);
  auto helper = std::find_if(bad.symbols.begin(), bad.symbols.end(),
                             [](const ElfSymbol& s) { return s.is_function() && s.name == "helper"; });
  REQUIRE(helper != bad.symbols.end());
  helper->section = static_cast<std::uint32_t>(bad.sections.size() + 7);
  write_elf_object(bad, bench / "bad-symbol.o");
  SpliceResult result = splice_damaged(bench, pair, bench / "bad-symbol.o");
  CHECK_THAT(result.error, Catch::Contains("past the end of the section table"));
}

TEST_CASE("C++: a COMDAT group moves whole and wins the link over another object's copy", "[splice]") {
  require_tools({"g++-12", "clang++-14", "ld", "objcopy"});
  Bench bench("comdat");
  // `shared.hpp` is included by both TUs: main.o keeps its own (weak, COMDAT) copy of the instance
  // and of the inline function, and the linker sees main.o first.
  bench.write("shared.hpp", R"(
#ifndef SIDE
#define SIDE 0
#endif
template <typename T> __attribute__((noinline)) T twice(T x) { return x * 2 + SIDE; }
inline __attribute__((noinline)) int offset(int x) { return x + 100 * SIDE; }
)");
  bench.write("unit.cpp", R"(
#include "shared.hpp"
int use_twice(int x) { return twice(x); }
int use_offset(int x) { return offset(x); }
)");
  bench.write("main.cpp", R"(
#include <cstdio>
#include "shared.hpp"
int use_twice(int); int use_offset(int);
int main() { std::printf("twice %d %d\noffset %d %d\n", use_twice(1), twice(2), use_offset(1), offset(2)); }
)");
  bench.compile("g++-12", "main.cpp", "-O2 -DSIDE=0", "main.o");
  auto good =
      bench.compile("g++-12", "unit.cpp", "-O2 -ffunction-sections -fdata-sections -DSIDE=0", "good.o");
  auto bad =
      bench.compile("clang++-14", "unit.cpp", "-O2 -ffunction-sections -fdata-sections -DSIDE=1", "bad.o");
  std::vector<SpliceUnit> units = splice_units(good, bad);
  std::vector<std::string> names = unit_names(units);
  INFO(fmt::format("{}", fmt::join(names, ", ")));
  REQUIRE(std::count(names.begin(), names.end(), "int twice<int>(int)") == 1);
  REQUIRE(std::count(names.begin(), names.end(), "offset(int)") == 1);
  CHECK(lines_by_name(bench.run({good}, "g++-12"))["twice"] == "twice 2 4");

  SECTION("the instance moves: every call in the program reaches bad's copy, main.o's included") {
    SpliceResult result =
        splice_objects(good, bad, {unit_named(units, "int twice<int>(int)")}, bench / "spliced.o");
    INFO(result.error);
    REQUIRE(result.ok);
    auto lines = lines_by_name(bench.run({bench / "spliced.o"}, "g++-12", true));
    CHECK(lines["twice"] == "twice 3 5");
    CHECK(lines["offset"] == "offset 1 2");  // the inline function stays good's
  }
  SECTION("the inline function moves, the instance stays") {
    SpliceResult result = splice_objects(good, bad, {unit_named(units, "offset(int)")}, bench / "spliced.o");
    INFO(result.error);
    REQUIRE(result.ok);
    auto lines = lines_by_name(bench.run({bench / "spliced.o"}, "g++-12", true));
    CHECK(lines["twice"] == "twice 2 4");
    CHECK(lines["offset"] == "offset 101 102");
  }
}

TEST_CASE("a unit with many static functions behind its extern one says so in its name", "[splice]") {
  require_tools({"gcc-12"});
  Bench bench("many-statics");
  // s1..s4 are static and share the static helper h with api: one unit, named by api, the only
  // extern function, and the five statics it carries.
  bench.write("many.c", R"(
#ifndef SIDE
#define SIDE 0
#endif
#define NI __attribute__((noinline))
static NI int h(int x) { return x * 3 + SIDE; }
static NI int s1(int x) { return h(x) + 1; }
static NI int s2(int x) { return h(x) + 2; }
static NI int s3(int x) { return h(x) + 3; }
static NI int s4(int x) { return h(x) + 4; }
int api(int x) { return s1(x) + s2(x) + s3(x) + s4(x); }
int lone(int x) { return x + SIDE; }
)");
  auto good = bench.compile("gcc-12", "many.c",
                            "-O2 -ffunction-sections -fdata-sections -fno-ipa-cp -DSIDE=0", "good.o");
  auto bad = bench.compile("gcc-12", "many.c", "-O2 -ffunction-sections -fdata-sections -fno-ipa-cp -DSIDE=1",
                           "bad.o");
  std::vector<std::string> names = unit_names(splice_units(good, bad));
  CHECK(names == std::vector<std::string>{"api with 5 static functions", "lone"});
}
