// The verdict: from the evidence the levels recorded, is this a miscompile or a latent bug in the
// source that the bad compiler exposed? Never stronger than the evidence:
//
// * latent-bug: an option that makes undefined behaviour harmless (-fno-strict-aliasing, -fwrapv,
//   -fstack-reuse=none, ...) makes it pass, or a sanitizer reports undefined behaviour. Confidence
//   high when both agree, medium when one of them says so.
// * miscompile: no UB-tolerance option changes the outcome (every probe ran and still failed), the
//   sanitizer build ran clean, and the failure is tied to an optimization (the flag or pass level
//   named one). Confidence medium: sanitizers do not see every kind of undefined behaviour, so a
//   latent bug is never ruled out; low when the probes could not all run.
// * inconclusive: anything else, with the evidence lines saying what is missing.
#pragma once

#include <string>
#include <vector>

namespace ccbisect {

struct Evidence {
  bool objects_found = false;
  std::vector<std::string> culprit_objects;
  std::vector<std::string> culprit_flags;  // the flag level's answer (disabling forms)
  bool no_flag_explains = false;           // the flag level said no option set changes it
  std::string first_bad_pass;              // "InstCombinePass on store_both", or empty
  std::vector<std::string> culprit_functions;
  bool probes_ran = false;
  std::vector<std::string> ub_fixes;  // UB-tolerance probes that made it pass
  std::vector<std::string> probes_unresolved;
  bool sanitizer_ran = false;  // the sanitizer build linked and the oracle judged it
  bool sanitizer_reported = false;
  std::string sanitizer_excerpt;  // the first line of its report
};

struct Verdict {
  std::string kind;        // "miscompile", "latent-bug" or "inconclusive"
  std::string confidence;  // "high", "medium" or "low"
  std::vector<std::string> evidence;
};

Verdict decide_verdict(const Evidence& evidence);

}  // namespace ccbisect
