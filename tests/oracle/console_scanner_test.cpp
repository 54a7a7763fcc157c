// Tests of the QEMU oracle's console scanner (oracle/qemu_oracle.cpp), without QEMU: pass, fail and
// panic lines, the report read after a fail line, output arriving in pieces or with its front
// dropped, and the console cleaned of terminal escapes.
#include <catch2/catch.hpp>

#include <string>

#include "bisector/errors.hpp"
#include "oracle/qemu_oracle.hpp"

using namespace ccbisect;

namespace {

ConsolePatterns patterns() {
  return ConsolePatterns::compile({"kcache: selftest passed"}, {"Kernel panic", "BUG:", "selftest FAILED"},
                                  "ccbisect.toml");
}

}  // namespace

TEST_CASE("a pass line decides at once", "[console]") {
  ConsolePatterns compiled = patterns();
  ConsoleScanner scanner(compiled);
  CHECK_FALSE(scanner.feed("[    0.1] Linux version 6.1\n[    0.2] Run /init\n"));
  CHECK_FALSE(scanner.verdict().outcome);
  CHECK(
      scanner.feed("[    0.1] Linux version 6.1\n[    0.2] Run /init\n[    0.9] kcache: selftest passed\n"));
  REQUIRE(scanner.verdict().outcome == Outcome::pass);
  CHECK(scanner.verdict().line == "[    0.9] kcache: selftest passed");
  CHECK(scanner.verdict().pattern == "kcache: selftest passed");
  CHECK(scanner.verdict().line_number == 3);
}

TEST_CASE("a panic fails, and the report after it is read up to its end line", "[console]") {
  ConsolePatterns compiled = patterns();
  ConsoleScanner scanner(compiled);
  std::string text = "boot\nKernel panic - not syncing: Fatal exception\nCall Trace:\n";
  CHECK_FALSE(scanner.feed(text));  // still reading the report
  REQUIRE(scanner.verdict().outcome == Outcome::fail);
  CHECK(scanner.verdict().pattern == "Kernel panic");
  CHECK(scanner.verdict().line_number == 2);
  text += " kc_set+0x10\n---[ end Kernel panic - not syncing: Fatal exception ]---\n";
  CHECK(scanner.feed(text));
  CHECK(scanner.verdict().line_number == 2);  // the deciding line stays the first one
}

TEST_CASE("fail patterns win over pass patterns on the same line, and the first line decides", "[console]") {
  ConsolePatterns compiled = patterns();
  ConsoleScanner scanner(compiled);
  scanner.feed("kcache: selftest passed BUG: at the same time\n");
  CHECK(scanner.verdict().outcome == Outcome::fail);

  ConsoleScanner first(compiled);
  CHECK(first.feed("kcache: selftest passed\nBUG: later\n"));
  CHECK(first.verdict().outcome == Outcome::pass);
}

TEST_CASE("a report without an end line is read for k_report_lines lines", "[console]") {
  ConsolePatterns compiled = patterns();
  ConsoleScanner scanner(compiled);
  std::string text = "BUG: kernel NULL pointer dereference\n";
  for (std::size_t i = 1; i < ConsoleScanner::k_report_lines; ++i) {
    text += "register dump\n";
  }
  CHECK_FALSE(scanner.feed(text));
  text += "one more\n";
  CHECK(scanner.feed(text));
}

TEST_CASE("output arriving in pieces, with its front dropped, is read once per line", "[console]") {
  ConsolePatterns compiled = patterns();
  ConsoleScanner scanner(compiled);
  std::string whole;
  for (int i = 0; i < 200; ++i) {
    whole += "line " + std::to_string(i) + " of early boot noise\n";
  }
  CHECK_FALSE(scanner.feed(whole.substr(0, whole.size() / 2 + 7)));  // ends mid-line
  std::string later = whole.substr(whole.size() / 3) + "kcache: selftest ";
  CHECK_FALSE(scanner.feed(later));  // the window lost its front; the half line waits
  later += "passed\n";
  CHECK(scanner.feed(later));
  CHECK(scanner.verdict().outcome == Outcome::pass);
  CHECK(scanner.verdict().line_number == 201);
}

TEST_CASE("the last line without a newline is read by finish; power-off is noticed", "[console]") {
  ConsolePatterns compiled = patterns();
  ConsoleScanner scanner(compiled);
  std::string text = "reboot: Power down\nkcache: selftest FAILED";
  CHECK_FALSE(scanner.feed(text));
  CHECK(scanner.powered_off());
  CHECK_FALSE(scanner.verdict().outcome);
  scanner.finish(text);
  CHECK(scanner.verdict().outcome == Outcome::fail);

  ConsoleScanner silent(compiled);
  silent.finish("nothing to see\n");
  CHECK_FALSE(silent.verdict().outcome);
  CHECK_FALSE(silent.powered_off());
}

TEST_CASE("escapes and control characters are removed from console lines", "[console]") {
  CHECK(printable_console("\x1b[2J\x1b[1;1Hhello\r\n\x1b"
                          "cworld\x07\tend\n") == "hello\nworld\tend\n");
  ConsolePatterns compiled = patterns();
  ConsoleScanner scanner(compiled);
  scanner.feed("\x1b[0mKernel\x1b[1m panic\n");
  CHECK(scanner.verdict().outcome == Outcome::fail);
  CHECK(scanner.verdict().line == "Kernel panic");
}

TEST_CASE("a pattern that is not a regular expression is refused naming the file and key", "[console]") {
  CHECK_THROWS_AS(ConsolePatterns::compile({"ok"}, {"(unclosed"}, "proj/ccbisect.toml"), UserError);
  CHECK_THROWS_WITH(ConsolePatterns::compile({"ok"}, {"(unclosed"}, "proj/ccbisect.toml"),
                    Catch::Contains("proj/ccbisect.toml") && Catch::Contains("[oracle] fail") &&
                        Catch::Contains("(unclosed"));
}
