// The verdict rules on hand-made evidence: each kind, and that it is never stronger than the
// evidence. (End-to-end verdicts on real programs are in tests/e2e/run_e2e_test.cpp.)
#include "bisector/verdict.hpp"

#include <catch2/catch.hpp>

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
  e.culprit_flags = {"-fno-finite-math-only"};
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
