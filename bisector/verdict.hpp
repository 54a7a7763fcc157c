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
// * option-semantics: the options the flag level names, as bad has them, each remove a guarantee
//   of the language the code relies on (-ffinite-math-only, -fassociative-math, -fno-signed-zeros,
//   ...): neither a compiler bug nor undefined behaviour. Decided before the UB rules.
// * inconclusive: anything else, with the evidence lines saying what is missing.
//
// Evidence is tied to the culprit: a sanitizer report counts only when its location (UBSan's
// "file:line: runtime error", ASan's first frame in user code) is a culprit object's source; one
// from elsewhere is a note ("UB elsewhere in the program"). A UB-tolerance probe that passes while
// the sanitizer check for that very kind of UB ran clean on the culprit (-fwrapv and UBSan's
// signed-integer-overflow, -fstack-reuse=none and ASan's use-after-scope, ...) only perturbed
// code generation: it is listed, and is not latent-bug evidence. UB-related compiler warnings
// (-Wclobbered, -Wmaybe-uninitialized, -Wreturn-local-addr, ...) located in a culprit source are.
#pragma once

#include <string>
#include <vector>

namespace ccbisect {

// A UB-related compiler or analyzer diagnostic in a culprit source, with the function it lies in
// ("" when unknown).
struct Diagnostic {
  std::string function;
  std::string text;  // "file.c:12: message [-Wname]"
  std::string code;  // the source line it points at ("" when unknown)
};

struct Evidence {
  bool objects_found = false;
  std::vector<std::string> culprit_objects;
  std::vector<std::string> culprit_flags;  // the flag level's answer (disabling forms)
  bool no_flag_explains = false;           // the flag level said no option set changes it
  bool unoptimized_passes = false;         // the bad compiler at -O0 on the culprits passes
  std::string first_bad_pass;              // "InstCombinePass on store_both", or empty
  std::vector<std::string> culprit_functions;
  bool probes_ran = false;
  std::vector<std::string> ub_fixes;  // UB-tolerance probes that made it pass
  std::vector<std::string> probes_unresolved;
  bool sanitizer_ran = false;       // a sanitizer build (full or trap form) linked and the oracle judged it
  bool asan_ran = false;            // the full form (UBSan + ASan runtimes) was among them
  bool trap_fired = false;          // the trap form of UBSan failed the good compile of the culprits
  bool sanitizer_reported = false;  // a report located in a culprit source
  std::string sanitizer_excerpt;    // the first line of that report
  std::vector<std::string> sanitizer_elsewhere;  // reports from other objects (a note only)
  std::vector<Diagnostic> diagnostics;           // UB-related warnings located in the culprit sources
};

// Which sanitizer reports of `report` are located in one of `culprit_sources` (compared by file
// name): one line per report, "in" and "elsewhere".
struct SanitizerAttribution {
  std::vector<std::string> in_culprit;
  std::vector<std::string> elsewhere;
};
SanitizerAttribution attribute_sanitizer_report(const std::string& report,
                                                const std::vector<std::string>& culprit_sources);

// The UB-related warnings in `compiler_output` (GCC's or Clang's "file:line:col: warning: ...
// [-Wname]") located in one of `culprit_sources`, as "file:line: message [-Wname]".
std::vector<std::string> ub_diagnostics(const std::string& compiler_output,
                                        const std::vector<std::string>& culprit_sources);

// The warning options the diagnostics probe adds for a compiler family ("gcc" or "clang").
std::vector<std::string> ub_warning_flags(bool clang);

// Whether `code` calls `function` (its name, then optional blanks, then "(").
bool calls_function(const std::string& code, const std::string& function);

// The option as bad has it, from its turned-back form: -fno-X -> -fX, -fX -> -fno-X.
std::string as_bad_has_it(const std::string& turned_back);

// Whether `option` (as bad has it) removes a guarantee of the language (floating-point semantics).
bool removes_language_guarantee(const std::string& option);

struct Verdict {
  std::string kind;        // "miscompile", "latent-bug", "option-semantics" or "inconclusive"
  std::string confidence;  // "high", "medium" or "low"
  std::vector<std::string> evidence;
};

Verdict decide_verdict(const Evidence& evidence);

}  // namespace ccbisect
