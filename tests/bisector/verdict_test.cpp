// The verdict rules on hand-made evidence: each kind, and that it is never stronger than the
// evidence. (End-to-end verdicts on real programs are in tests/e2e/run_e2e_test.cpp.)
#include "bisector/verdict.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

using namespace ccbisect;

namespace {
Evidence base() {
  Evidence e;
  e.objects_found = true;
  e.culprit_objects = {"obj/tag.o"};
  e.probes_ran = true;
  e.sanitizer_ran = true;
  return e;
}
}  // namespace

TEST_CASE("a UB-tolerance option that fixes it makes a latent bug, high when a sanitizer agrees",
          "[verdict]") {
  Evidence e = base();
  e.culprit_flags = {"-fno-strict-aliasing"};
  e.ub_fixes = {"-fno-strict-aliasing"};
  Verdict v = decide_verdict(e);
  CHECK(v.kind == "latent-bug");
  CHECK(v.confidence == "medium");
  e.sanitizer_reported = true;
  e.sanitizer_excerpt = "runtime error: signed integer overflow";
  CHECK(decide_verdict(e).confidence == "high");
}

TEST_CASE("a clean sanitizer run, no fixing probe and an optimization to blame make a miscompile",
          "[verdict]") {
  Evidence e = base();
  e.culprit_flags = {"-fno-tree-pre"};
  Verdict v = decide_verdict(e);
  CHECK(v.kind == "miscompile");
  CHECK(v.confidence == "medium");  // never high: sanitizers do not see all UB
  e.probes_unresolved = {"-fstack-reuse=none"};
  CHECK(decide_verdict(e).confidence == "low");
}

TEST_CASE("without probes, a sanitizer run or an optimization to blame, the verdict is inconclusive",
          "[verdict]") {
  Evidence no_probes = base();
  no_probes.probes_ran = false;
  no_probes.sanitizer_ran = false;
  no_probes.culprit_flags = {"-fno-tree-pre"};
  CHECK(decide_verdict(no_probes).kind == "inconclusive");

  Evidence no_sanitizer = base();
  no_sanitizer.sanitizer_ran = false;
  no_sanitizer.culprit_flags = {"-fno-tree-pre"};
  CHECK(decide_verdict(no_sanitizer).kind == "inconclusive");

  Evidence not_optimization = base();
  not_optimization.no_flag_explains = true;
  Verdict v = decide_verdict(not_optimization);
  CHECK(v.kind == "inconclusive");
  CHECK(v.evidence.back().find("not tied to an optimization") != std::string::npos);

  Evidence nothing;
  CHECK(decide_verdict(nothing).kind == "inconclusive");
}

TEST_CASE("an option that changes the language's rules, as bad has it, makes option-semantics", "[verdict]") {
  Evidence e = base();
  e.culprit_flags = {"-fno-finite-math-only"};  // the turned-back form the flag level records
  Verdict v = decide_verdict(e);
  CHECK(v.kind == "option-semantics");
  CHECK(v.confidence == "high");
  CHECK_THAT(fmt::format("{}", fmt::join(v.evidence, "\n")),
             Catch::Contains("the bad side's -ffinite-math-only"));
  e.culprit_flags = {"-fsigned-zeros", "-fno-tree-pre"};  // one of two: medium
  CHECK(decide_verdict(e).kind == "option-semantics");
  CHECK(decide_verdict(e).confidence == "medium");
  CHECK(as_bad_has_it("-fsigned-zeros") == "-fno-signed-zeros");
  CHECK(as_bad_has_it("-fno-associative-math") == "-fassociative-math");
  CHECK(removes_language_guarantee("-ffinite-math-only"));
  CHECK_FALSE(removes_language_guarantee("-ftree-vectorize"));
}

TEST_CASE("a UB-tolerance probe whose sanitizer check ran clean on the culprit is no UB evidence",
          "[verdict]") {
  Evidence e = base();
  e.culprit_flags = {"-fno-tree-loop-im"};
  e.ub_fixes = {"-fwrapv"};
  Verdict v = decide_verdict(e);
  CHECK(v.kind == "miscompile");
  CHECK(v.confidence == "low");  // a probe did make it pass
  CHECK_THAT(fmt::format("{}", fmt::join(v.evidence, "\n")),
             Catch::Contains("signed-integer-overflow) ran clean"));
  // Without a sanitizer run nothing contradicts the probe.
  e.sanitizer_ran = false;
  CHECK(decide_verdict(e).kind == "latent-bug");
  // -fno-strict-aliasing has no sanitizer check here: it stays evidence.
  e.sanitizer_ran = true;
  e.ub_fixes = {"-fno-strict-aliasing"};
  CHECK(decide_verdict(e).kind == "latent-bug");
}

TEST_CASE("UB-related warnings in the culprit are latent-bug evidence; reports from elsewhere are a note",
          "[verdict]") {
  Evidence e = base();
  e.culprit_flags = {"-fno-tree-pre"};
  e.sanitizer_elsewhere = {"allocation-size-too-big in memtest_run (memtest.c:12)"};
  Verdict v = decide_verdict(e);
  CHECK(v.kind == "miscompile");
  CHECK_THAT(fmt::format("{}", fmt::join(v.evidence, "\n")), Catch::Contains("UB elsewhere in the program"));
  e.diagnostics = {
      {"run", "case.c:14: variable 'x' might be clobbered by 'longjmp' or 'vfork' [-Wclobbered]"}};
  v = decide_verdict(e);
  CHECK(v.kind == "latent-bug");
  CHECK(v.confidence == "medium");
  // Once the function level has named the culprit functions, a warning in another function is a note.
  e.culprit_functions = {"fill"};
  CHECK(decide_verdict(e).kind == "miscompile");
  e.culprit_functions = {"run"};
  CHECK(decide_verdict(e).kind == "latent-bug");
  e.ub_fixes = {"-fstack-reuse=none"};
  e.sanitizer_ran = false;
  CHECK(decide_verdict(e).confidence == "high");  // two independent sources agree
}

TEST_CASE("sanitizer reports are attributed to the culprit by their location", "[verdict]") {
  std::string report =
      "src/case.c:21:9: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented\n"
      "src/bitops.c:7:12: runtime error: left shift of 1 by 31 places cannot be represented in type 'int'\n"
      "==123==ERROR: AddressSanitizer: requested allocation size 0x4000000000000000 exceeds maximum\n"
      "    #0 0x7f00 in __interceptor_posix_memalign "
      "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:226\n"
      "    #1 0x55aa in memtest_run /tmp/p/src/memtest.c:12\n"
      "    #2 0x55ab in main /tmp/p/src/main.c:40\n";
  SanitizerAttribution a = attribute_sanitizer_report(report, {"/tmp/p/src/case.c"});
  REQUIRE(a.in_culprit.size() == 1);
  CHECK_THAT(a.in_culprit[0], Catch::Contains("case.c:21: signed integer overflow"));
  REQUIRE(a.elsewhere.size() == 2);
  CHECK_THAT(a.elsewhere[1], Catch::Contains("in memtest_run (memtest.c:12)"));
  CHECK(attribute_sanitizer_report(report, {"/tmp/p/src/memtest.c"}).in_culprit.size() == 1);
}

TEST_CASE("only UB-related warnings located in the culprit sources are kept", "[verdict]") {
  std::string output =
      "src/case.c: In function 'run':\n"
      "src/case.c:14:7: warning: variable 'x' might be clobbered by 'longjmp' or 'vfork' [-Wclobbered]\n"
      "src/case.c:3:14: warning: unused parameter 'y' [-Wunused-parameter]\n"
      "src/other.c:9:3: warning: 'z' is used uninitialized [-Wuninitialized]\n"
      "src/case.c:30:10: warning: 'k' may be used uninitialized [-Wmaybe-uninitialized]\n"
      "src/case.c:23:12: warning: use of uninitialized value 'tries' [CWE-457] "
      "[-Wanalyzer-use-of-uninitialized-value]\n"
      "src/case.c:16:3: warning: Undefined or garbage value returned to caller "
      "[core.uninitialized.UndefReturn]\n"
      "src/case.c:40:3: warning: Value stored to 'q' is never read [deadcode.DeadStores]\n";
  std::vector<std::string> found = ub_diagnostics(output, {"/p/src/case.c"});
  REQUIRE(found.size() == 4);
  CHECK_THAT(found[2], Catch::Contains("[-Wanalyzer-use-of-uninitialized-value]"));
  CHECK_THAT(found[3], Catch::Contains("[core.uninitialized.UndefReturn]"));
  CHECK(found[0] == "case.c:14: variable 'x' might be clobbered by 'longjmp' or 'vfork' [-Wclobbered]");
  CHECK_THAT(found[1], Catch::Contains("[-Wmaybe-uninitialized]"));
}

TEST_CASE("the trap form of UBSan needs no runtime; when it traps in the culprit it is UB evidence",
          "[verdict]") {
  Evidence e = base();
  e.culprit_flags = {"-fno-tree-pre"};
  e.asan_ran = false;  // only the trap form could run (a kernel module, a link without LDFLAGS)
  e.ub_fixes = {"-fstack-reuse=none"};
  // ASan's use-after-scope did not run, so nothing contradicts -fstack-reuse=none.
  CHECK(decide_verdict(e).kind == "latent-bug");
  e.ub_fixes.clear();
  e.trap_fired = true;
  e.sanitizer_reported = true;
  Verdict v = decide_verdict(e);
  CHECK(v.kind == "latent-bug");
  CHECK_THAT(fmt::format("{}", fmt::join(v.evidence, "\n")), Catch::Contains("UBSan trap form, no runtime"));
}

TEST_CASE("the bad compiler at -O0 passing ties the failure to optimization when no option is to blame",
          "[verdict]") {
  Evidence e = base();
  e.no_flag_explains = true;
  CHECK(decide_verdict(e).kind == "inconclusive");
  e.unoptimized_passes = true;
  Verdict v = decide_verdict(e);
  CHECK(v.kind == "miscompile");
  CHECK_THAT(fmt::format("{}", fmt::join(v.evidence, "\n")),
             Catch::Contains("at -O0 on the culprits passes"));
}

TEST_CASE("a warning at a call of a culprit function counts: the caller broke the callee's contract",
          "[verdict]") {
  Evidence e = base();
  e.culprit_flags = {"-fno-tree-pta"};
  e.culprit_functions = {"add_twice"};
  e.diagnostics = {{"case_main",
                    "case.c:20: passing argument 1 to 'restrict'-qualified parameter aliases [-Wrestrict]",
                    "  add_twice (&v, &v);"}};
  CHECK(decide_verdict(e).kind == "latent-bug");
  e.diagnostics[0].code = "  add_twice_checked (&v, &w);";
  CHECK(decide_verdict(e).kind == "miscompile");
  CHECK(calls_function("x = f(1) + g (2);", "g"));
  CHECK_FALSE(calls_function("x = fg(1);", "g"));
  CHECK_FALSE(calls_function("int g;", "g"));
}
