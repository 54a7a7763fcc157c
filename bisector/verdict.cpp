// The verdict rules; see verdict.hpp. Each rule adds the evidence line it rests on, so the report
// can show why.
#include "bisector/verdict.hpp"

#include <fmt/format.h>

namespace ccbisect {

Verdict decide_verdict(const Evidence& e) {
  Verdict verdict;
  std::vector<std::string>& lines = verdict.evidence;
  if (!e.objects_found) {
    verdict.kind = "inconclusive";
    verdict.confidence = "low";
    lines.push_back("the object level named no culprit object, so nothing further could be examined");
    return verdict;
  }
  lines.push_back(fmt::format("culprit object(s): {}", fmt::join(e.culprit_objects, ", ")));
  if (!e.culprit_flags.empty()) {
    lines.push_back(
        fmt::format("the failure needs optimization option(s) of the bad compile; {} makes it pass",
                    fmt::join(e.culprit_flags, " ")));
  } else if (e.no_flag_explains) {
    lines.push_back("no -f option set changes the outcome");
  }
  if (!e.first_bad_pass.empty()) {
    lines.push_back("first bad optimization step: " + e.first_bad_pass);
  }
  if (!e.culprit_functions.empty()) {
    lines.push_back(fmt::format("culprit function(s): {}", fmt::join(e.culprit_functions, ", ")));
  }
  if (!e.ub_fixes.empty()) {
    lines.push_back(
        fmt::format("UB-tolerance option(s) {} make it pass: the source relies on behaviour the "
                    "language leaves undefined",
                    fmt::join(e.ub_fixes, ", ")));
  }
  if (e.sanitizer_reported) {
    lines.push_back("the sanitizers report undefined behaviour: " + e.sanitizer_excerpt);
  } else if (e.sanitizer_ran) {
    lines.push_back(
        "the sanitizer build (good toolchain, -fsanitize=undefined,address) ran without a report");
  } else if (e.probes_ran) {
    lines.push_back("the sanitizer build could not be linked or judged");
  }

  if (!e.ub_fixes.empty() || e.sanitizer_reported) {
    verdict.kind = "latent-bug";
    verdict.confidence = !e.ub_fixes.empty() && e.sanitizer_reported ? "high" : "medium";
    return verdict;
  }
  bool tied_to_optimization = !e.culprit_flags.empty() || !e.first_bad_pass.empty();
  if (e.probes_ran && e.sanitizer_ran && tied_to_optimization) {
    verdict.kind = "miscompile";
    verdict.confidence = e.probes_unresolved.empty() ? "medium" : "low";
    lines.push_back(
        "no UB-tolerance option changes the outcome and the sanitizers are clean; sanitizers do not "
        "catch every undefined behaviour, so a latent bug is not ruled out");
    if (!e.probes_unresolved.empty()) {
      lines.push_back(fmt::format("probes that could not run: {}", fmt::join(e.probes_unresolved, ", ")));
    }
    return verdict;
  }
  verdict.kind = "inconclusive";
  verdict.confidence = "low";
  if (!e.probes_ran) {
    lines.push_back("the latent-bug probes have not run (ccbisect flags runs them)");
  } else if (!tied_to_optimization) {
    lines.push_back(
        "the failure is not tied to an optimization option or pass, and no probe points at "
        "undefined behaviour");
  } else {
    lines.push_back("the sanitizer build did not run, so undefined behaviour cannot be ruled out");
  }
  return verdict;
}

}  // namespace ccbisect
