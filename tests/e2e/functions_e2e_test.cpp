// The function level end to end with real compilers: GCC's optimize attribute and Clang's optnone
// name the one function of a ten-function TU whose -O2 compile exposes undefined behaviour.
#include <catch2/catch.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/scenario.hpp"

using namespace ccbisect::testing;
using ccbisect::run_shell;

namespace {

// Ten functions: nine harmless ones and `culprit_code` (which defines the function the test expects).
std::string ten_functions(const std::string& culprit_code) {
  std::string code = "#include <stdint.h>\n";
  for (int i = 0; i < 9; ++i) {
    code += "int calc" + std::to_string(i) + "(int x) { int s = 0; for (int k = 0; k < x; ++k) s += k * " +
            std::to_string(i + 2) + " ^ (s >> 2); return s; }\n";
  }
  return code + culprit_code;
}

std::string main_calling(const std::string& check) {
  std::string code = "#include <stdint.h>\n";
  for (int i = 0; i < 9; ++i) {
    code += "int calc" + std::to_string(i) + "(int);\n";
  }
  code += "int main(void) { int s = 0;";
  for (int i = 0; i < 9; ++i) {
    code += " s += calc" + std::to_string(i) + "(5);";
  }
  return code + " (void)s; " + check + " }\n";
}

void write_project(Scenario& s, const std::string& tu, const std::string& main_code, const std::string& cc,
                   const std::string& good, const std::string& bad) {
  s.write("src/tu.c", tu);
  s.write("src/main.c", main_code);
  s.write("src/other.c",
          "int other(int x) { int s = 0; for (int k = 0; k < x; ++k) s += k * k; return s; }\n");
  s.write_compdb({"src/tu.c", "src/main.c", "src/other.c"}, cc, "-Wall");
  s.write_config(good, bad, "link = \"" + cc + " obj/*.o -o prog\"", "./prog");
}

}  // namespace

TEST_CASE("GCC's optimize attribute names the one function of ten that -O2 breaks", "[e2e][functions]") {
  require_tools({"gcc-12"});
  Scenario s("functions-attr");
  write_project(s, ten_functions(k_tag_make_code),
                main_calling(k_tag_make_declaration + " " + k_tag_make_check), "gcc-12", k_good_gcc12_o1,
                k_bad_gcc12_o2);
  REQUIRE(s.run({"objects"}).exit_status == 0);
  auto run = s.run({"functions", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["level"] == "functions");
  CHECK(run.json["mechanism"] == "attr");
  CHECK(run.json["object"] == "obj/tu.o");
  CHECK(run.json["items"] == 10);
  CHECK(run.json["culprits"] == nlohmann::json::array({"tag_make"}));
  CHECK(run.json["attribute"] == "__attribute__((optimize(\"O1\")))");  // no flag answer yet: the good level
  CHECK(run.json["trials"].get<int>() <= 10);
  // the user's source is never touched: the annotated copies live in the workspace
  CHECK(run_shell("grep -c optimize src/tu.c", s.dir()).exit_status == 1);

  // after the flag level, the attribute carries the option it found instead of a whole level
  REQUIRE(s.run({"flags"}).exit_status == 0);
  auto narrowed = s.run({"functions", "--json"});
  CHECK(narrowed.json["attribute"] == "__attribute__((optimize(\"no-strict-aliasing\")))");
  CHECK(narrowed.json["culprits"] == nlohmann::json::array({"tag_make"}));
}

TEST_CASE("Clang's optnone names the one function of ten that -O2 breaks", "[e2e][functions]") {
  require_tools({"clang-14"});
  Scenario s("functions-optnone");
  write_project(s, ten_functions("int store_both(int *a, short *b) { *a = 1; *b = 2; return *a; }\n"),
                main_calling("int store_both(int *, short *); int x = 0;"
                             " return store_both(&x, (short *)&x) == 2 ? 0 : 1;"),
                "clang-14", "[good]\ncc = \"clang-14\"\nflags = \"-O0\"",
                "[bad]\ncc = \"clang-14\"\nflags = \"-O2\"");
  REQUIRE(s.run({"objects"}).exit_status == 0);
  auto run = s.run({"functions", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["mechanism"] == "optnone");
  CHECK(run.json["culprits"] == nlohmann::json::array({"store_both"}));
  CHECK(run.json["items"] == 10);
}

TEST_CASE("a static function called from an extern one is named as the culprit", "[e2e][functions]") {
  require_tools({"gcc-12"});
  Scenario s("functions-static");
  write_project(
      s,
      ten_functions("static __attribute__((noinline)) uint32_t patch(uint32_t *slot, uint16_t len) {\n"
                    "  *slot = 1u << 16;\n  uint16_t *half = (uint16_t *)slot;\n  half[0] = len;\n"
                    "  return *slot;\n}\n"
                    "uint32_t api(uint16_t len) { uint32_t w; return patch(&w, len) + 0u; }\n"),
      main_calling("uint32_t api(uint16_t); return api(5) == 0x10005u ? 0 : 1;"), "gcc-12", k_good_gcc12_o1,
      k_bad_gcc12_o2);
  REQUIRE(s.run({"objects"}).exit_status == 0);
  auto run = s.run({"functions", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["items"] == 11);
  CHECK(run.json["culprits"] == nlohmann::json::array({"patch"}));
}

TEST_CASE("the function level refuses a mechanism that does not fit the compiler", "[e2e][functions]") {
  require_tools({"gcc-12"});
  Scenario s("functions-wrong");
  write_project(s, ten_functions(k_tag_make_code),
                main_calling(k_tag_make_declaration + " " + k_tag_make_check), "gcc-12", k_good_gcc12_o1,
                k_bad_gcc12_o2);
  REQUIRE(s.run({"objects"}).exit_status == 0);
  auto run = s.run({"functions", "--mechanism", "optnone"});
  CHECK(run.exit_status == 1);
  CHECK_THAT(run.output, Catch::Contains("needs Clang"));
}

TEST_CASE(
    "splicing between gcc-11 and gcc-12 names the function; its static helper moves with it and a "
    "static counter stays single",
    "[e2e][functions][splice]") {
  require_tools({"gcc-11", "gcc-12", "ld", "objcopy"});
  Scenario s("functions-splice");
  // The bad side differs only in `scale`, a static helper of the extern `api`; `counter` is a static
  // incremented from both a moved function (api) and one that stays (bump): one copy or the count is off.
  s.write("src/unit.c",
          "static int counter;\n"
          "static __attribute__((noinline)) int scale(int x) { return x * 3 + SIDE; }\n"
          "int bump(void) { return ++counter; }\n"
          "int f0(int x) { return x + 1; }\n"
          "int f1(int x) { int s = 0; for (int k = 0; k < x; ++k) s += k; return s; }\n"
          "int f2(int x) { return x * x; }\n"
          "int api(int x) { ++counter; return scale(x); }\n"
          "int f3(int x) { return x - 2; }\n"
          "int f4(int x) { return x << 1; }\n"
          "int count(void) { return counter; }\n");
  s.write("src/main.c",
          "int bump(void), f0(int), f1(int), f2(int), api(int), f3(int), f4(int), count(void);\n"
          "int main(void) { int s = f0(1) + f1(4) + f2(3) + f3(5) + f4(2); bump(); int a = api(2);\n"
          "  return (s == 24 && a == 6 && count() == 2) ? 0 : 1; }\n");
  s.write_compdb({"src/unit.c", "src/main.c"}, "gcc", "");
  s.write_config("[good]\ncc = \"gcc-11\"\nflags = \"-O2 -DSIDE=0\"",
                 "[bad]\ncc = \"gcc-12\"\nflags = \"-O2 -DSIDE=1\"", "link = \"gcc-12 obj/*.o -o prog\"",
                 "./prog");
  REQUIRE(s.run({"objects"}).exit_status == 0);
  auto run = s.run({"functions", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["mechanism"] == "splice");  // two different compilers
  CHECK(run.json["culprits"] == nlohmann::json::array({"api"}));
  CHECK(run.json["units"]["api"] == nlohmann::json::array({"scale", "api"}));
  CHECK(run.json["items"] == 8);  // 9 functions, scale grouped with api
  CHECK(run.json["unresolved"] == 0);
  CHECK(run.json["trials"].get<int>() <= 9);
}
