// The verdict rules; see verdict.hpp. Each rule adds the evidence line it rests on, so the report
// can show why.
#include "bisector/verdict.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <regex>
#include <sstream>

#include <fmt/format.h>

namespace ccbisect {
namespace {

std::string file_name(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool in_sources(const std::string& path, const std::vector<std::string>& sources) {
  std::string name = file_name(path);
  return std::any_of(sources.begin(), sources.end(),
                     [&](const std::string& source) { return file_name(source) == name; });
}

// A stack frame's source file in code of the program's own, not the sanitizer runtime or libc.
bool user_frame(const std::string& path) {
  for (const char* runtime :
       {"libsanitizer", "compiler-rt", "/usr/include/", "sysdeps/", "libc-start", "csu/"}) {
    if (path.find(runtime) != std::string::npos) {
      return false;
    }
  }
  return !path.empty();
}

// The sanitizer check that sees the undefined behaviour a UB-tolerance option makes harmless: when
// that check ran clean on the culprit, the option's pass is not evidence of that behaviour.
const char* sanitizer_check_for(const std::string& probe) {
  if (probe == "-fwrapv" || probe == "-fno-strict-overflow" ||
      probe == "-fno-aggressive-loop-optimizations") {
    return "signed-integer-overflow";
  }
  if (probe == "-fno-delete-null-pointer-checks") {
    return "null";
  }
  if (probe == "-fstack-reuse=none") {
    return "use-after-scope";
  }
  return nullptr;  // -fno-strict-aliasing, -ftrivial-auto-var-init: no sanitizer here sees them
}

}  // namespace

SanitizerAttribution attribute_sanitizer_report(const std::string& report,
                                                const std::vector<std::string>& culprit_sources) {
  SanitizerAttribution out;
  static const std::regex ubsan(R"(^(\S+?):(\d+):(\d+): runtime error: (.*)$)");
  static const std::regex frame(R"(^\s*#\d+ 0x[0-9a-f]+ in (\S+) (\S+?):(\d+))");
  std::istringstream lines(report);
  std::string pending;  // an ASan error line whose first user frame is not read yet
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, ubsan)) {
      std::string entry = fmt::format("{}:{}: {}", file_name(match[1]), match[2].str(), match[4].str());
      (in_sources(match[1], culprit_sources) ? out.in_culprit : out.elsewhere).push_back(entry);
    } else if (line.find("ERROR: AddressSanitizer") != std::string::npos ||
               line.find("ERROR: LeakSanitizer") != std::string::npos) {
      std::size_t at = line.find("ERROR: ");
      pending = line.substr(at + 7);
    } else if (!pending.empty() && std::regex_search(line, match, frame) && user_frame(match[2])) {
      std::string entry =
          fmt::format("{} in {} ({}:{})", pending, match[1].str(), file_name(match[2]), match[3].str());
      (in_sources(match[2], culprit_sources) ? out.in_culprit : out.elsewhere).push_back(entry);
      pending.clear();
    }
  }
  if (!pending.empty()) {
    out.elsewhere.push_back(pending + " (no frame in the program's own code)");
  }
  return out;
}

std::vector<std::string> ub_warning_flags(bool clang) {
  if (clang) {
    return {"-Wall",
            "-Wextra",
            "-Wuninitialized",
            "-Wsometimes-uninitialized",
            "-Wunsequenced",
            "-Wreturn-stack-address",
            "-Wdangling",
            "-Wshift-overflow",
            "-Wshift-count-overflow",
            "-Wshift-negative-value",
            "-Warray-bounds",
            "-Wreturn-type"};
  }
  return {"-Wall",
          "-Wextra",
          "-Wclobbered",
          "-Wuninitialized",
          "-Wmaybe-uninitialized",
          "-Wstrict-aliasing=1",
          "-Wdangling-pointer=2",
          "-Warray-bounds=2",
          "-Wstringop-overflow",
          "-Wreturn-type",
          "-Wreturn-local-addr",
          "-Wshift-overflow=2",
          "-Wshift-count-overflow",
          "-Wshift-negative-value",
          "-Wsequence-point",
          "-Waggressive-loop-optimizations",
          "-Wrestrict"};
}

std::vector<std::string> ub_diagnostics(const std::string& compiler_output,
                                        const std::vector<std::string>& culprit_sources) {
  // The warnings that name undefined behaviour (or a value the standard leaves indeterminate), not
  // style: what -Wall -Wextra add besides (unused parameters, sign compares) is not evidence.
  static const char* const k_ub_warnings[] = {"clobbered",
                                              "uninitialized",
                                              "maybe-uninitialized",
                                              "sometimes-uninitialized",
                                              "strict-aliasing",
                                              "dangling-pointer",
                                              "array-bounds",
                                              "stringop-overflow",
                                              "return-type",
                                              "return-local-addr",
                                              "return-stack-address",
                                              "shift-overflow",
                                              "shift-count-overflow",
                                              "shift-negative-value",
                                              "sequence-point",
                                              "unsequenced",
                                              "aggressive-loop-optimizations",
                                              "restrict",
                                              "dangling",
                                              "stack-address",
                                              "analyzer-"};
  static const std::regex warning(
      R"(^(\S+?):(\d+):(?:\d+:)? warning: (.*?) (?:\[CWE-\d+\] )?\[(-W[a-z0-9=-]+|[a-z]+\.[A-Za-z.]+)\])");
  std::vector<std::string> found;
  std::istringstream lines(compiler_output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, warning) || !in_sources(match[1], culprit_sources)) {
      continue;
    }
    std::string name = match[4];
    // Clang's static analyzer names a checker ("core.uninitialized.UndefReturn"): its core and
    // unix checkers report undefined behaviour and memory errors.
    bool checker = name.rfind("-W", 0) != 0;
    bool ub = checker
                  ? name.rfind("core.", 0) == 0 || name.rfind("unix.", 0) == 0
                  : std::any_of(std::begin(k_ub_warnings), std::end(k_ub_warnings), [&](const char* prefix) {
                      return name.compare(2, std::strlen(prefix), prefix) == 0;
                    });
    std::string entry =
        fmt::format("{}:{}: {} [{}]", file_name(match[1]), match[2].str(), match[3].str(), name);
    if (ub && std::find(found.begin(), found.end(), entry) == found.end()) {
      found.push_back(entry);
    }
  }
  return found;
}

bool calls_function(const std::string& code, const std::string& function) {
  auto identifier = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  for (std::size_t at = code.find(function); at != std::string::npos; at = code.find(function, at + 1)) {
    std::size_t end = at + function.size();
    if ((at > 0 && identifier(code[at - 1])) || (end < code.size() && identifier(code[end]))) {
      continue;
    }
    while (end < code.size() && (code[end] == ' ' || code[end] == '\t')) {
      ++end;
    }
    if (end < code.size() && code[end] == '(') {
      return true;
    }
  }
  return false;
}

std::string as_bad_has_it(const std::string& turned_back) {
  if (turned_back.rfind("-fno-", 0) == 0) {
    return "-f" + turned_back.substr(5);
  }
  if (turned_back.rfind("-f", 0) == 0 && turned_back.find('=') == std::string::npos) {
    return "-fno-" + turned_back.substr(2);
  }
  return turned_back;
}

bool removes_language_guarantee(const std::string& option) {
  static const char* const k_options[] = {"-ffast-math",
                                          "-Ofast",
                                          "-ffinite-math-only",
                                          "-fassociative-math",
                                          "-freciprocal-math",
                                          "-funsafe-math-optimizations",
                                          "-fno-signed-zeros",
                                          "-fno-trapping-math",
                                          "-fno-math-errno",
                                          "-fcx-limited-range",
                                          "-fexcess-precision=fast",
                                          "-ffp-contract=fast",
                                          "-fno-honor-nans",
                                          "-fno-honor-infinities",
                                          "-fapprox-func",
                                          "-fno-rounding-math",
                                          "-fallow-store-data-races"};
  return std::find(std::begin(k_options), std::end(k_options), option) != std::end(k_options);
}

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
  std::vector<std::string> bad_options;
  for (const std::string& turned_back : e.culprit_flags) {
    bad_options.push_back(as_bad_has_it(turned_back));
  }
  if (!e.culprit_flags.empty()) {
    lines.push_back(fmt::format("flag level: the failure needs {} from the bad compile ({} makes it pass)",
                                fmt::join(bad_options, " "), fmt::join(e.culprit_flags, " ")));
  } else if (e.no_flag_explains) {
    lines.push_back("flag level: no -f option set changes the outcome");
  }
  if (!e.first_bad_pass.empty()) {
    lines.push_back("pass level: first bad optimization step: " + e.first_bad_pass);
  }
  if (!e.culprit_functions.empty()) {
    lines.push_back(fmt::format("function level: {}", fmt::join(e.culprit_functions, ", ")));
  }
  for (const std::string& elsewhere : e.sanitizer_elsewhere) {
    lines.push_back("note: UB elsewhere in the program (not in a culprit object; not evidence): " +
                    elsewhere);
  }

  // 1. Options that change the language's rules, named by the flag level as bad has them.
  std::vector<std::string> semantic;
  std::copy_if(bad_options.begin(), bad_options.end(), std::back_inserter(semantic),
               removes_language_guarantee);
  if (!semantic.empty()) {
    verdict.kind = "option-semantics";
    verdict.confidence = semantic.size() == bad_options.size() ? "high" : "medium";
    lines.push_back(fmt::format(
        "option semantics: the bad side's {} removes a guarantee of the language that the code relies on "
        "(e.g. NaN/Inf handling, signed zeros, evaluation order of floating-point operations): neither a "
        "compiler bug nor undefined behaviour",
        fmt::join(semantic, " ")));
    return verdict;
  }

  // 2. Undefined behaviour: UB-tolerance probes the sanitizers do not contradict, sanitizer reports
  //    in the culprit, UB-related warnings in the culprit.
  std::vector<std::string> fixes;
  for (const std::string& fix : e.ub_fixes) {
    const char* check = sanitizer_check_for(fix);
    bool checked =
        check != nullptr && (std::string_view(check) == "use-after-scope" ? e.asan_ran : e.sanitizer_ran);
    if (checked && !e.sanitizer_reported) {
      lines.push_back(
          fmt::format("probe: {} makes it pass, but the sanitizer check for that behaviour ({}) ran clean on "
                      "the culprit: "
                      "the option only changed the generated code, not evidence of undefined behaviour",
                      fix, check));
    } else {
      fixes.push_back(fix);
    }
  }
  if (!fixes.empty()) {
    lines.push_back(fmt::format(
        "probe: UB-tolerance option(s) {} make it pass: the source relies on behaviour the language leaves "
        "undefined",
        fmt::join(fixes, ", ")));
  }
  if (e.trap_fired) {
    lines.push_back(
        "sanitizer (UBSan trap form, no runtime): the culprit objects compiled by the good toolchain with "
        "-fsanitize=undefined -fsanitize-undefined-trap-on-error trapped: undefined behaviour ran in them");
  }
  if (e.sanitizer_reported && !e.sanitizer_excerpt.empty()) {
    lines.push_back("sanitizer (UBSan+ASan runtimes): undefined behaviour in the culprit: " +
                    e.sanitizer_excerpt);
  } else if (e.sanitizer_ran && !e.sanitizer_reported) {
    lines.push_back(
        fmt::format("sanitizer ({}): the culprit objects instrumented (good toolchain) ran without a report",
                    e.asan_ran ? "UBSan+ASan runtimes" : "UBSan trap form, no runtime"));
  } else if (e.probes_ran) {
    lines.push_back("sanitizer: the instrumented build could not be linked or judged");
  }
  // Diagnostics count inside the culprit functions, or at a call of one (a restrict or aliasing
  // contract is broken by the caller), once the function level has named them; a warning elsewhere
  // in the culprit's file is a note: the code it names may be innocent.
  std::size_t diagnostics = 0;
  for (const Diagnostic& diagnostic : e.diagnostics) {
    bool inside = e.culprit_functions.empty();
    for (const std::string& function : e.culprit_functions) {
      inside = inside || diagnostic.function == function || calls_function(diagnostic.code, function);
    }
    std::string where = diagnostic.function.empty() ? "" : " (in " + diagnostic.function + ")";
    if (inside) {
      lines.push_back("diagnostics: " + diagnostic.text + where);
      ++diagnostics;
    } else {
      lines.push_back("note: a warning outside the culprit functions (not evidence): " + diagnostic.text +
                      where);
    }
  }
  int ub_sources = (fixes.empty() ? 0 : 1) + (e.sanitizer_reported ? 1 : 0) + (diagnostics == 0 ? 0 : 1);
  if (ub_sources > 0) {
    verdict.kind = "latent-bug";
    verdict.confidence = ub_sources >= 2 ? "high" : "medium";
    return verdict;
  }

  // 3. A miscompile: tied to optimization, and no source of UB evidence found any.
  bool tied_to_optimization = !e.culprit_flags.empty() || !e.first_bad_pass.empty() || e.unoptimized_passes;
  if (e.unoptimized_passes && e.culprit_flags.empty() && e.first_bad_pass.empty()) {
    lines.push_back(
        "probe: the bad compiler at -O0 on the culprits passes: the failure is tied to optimization, "
        "though to no single option");
  }
  if (e.probes_ran && e.sanitizer_ran && tied_to_optimization) {
    verdict.kind = "miscompile";
    verdict.confidence = e.probes_unresolved.empty() && e.ub_fixes.empty() ? "medium" : "low";
    lines.push_back(
        "no UB-tolerance option, sanitizer or warning points at undefined behaviour in the culprit; "
        "sanitizers and warnings do not catch every undefined behaviour, so a latent bug is not ruled out");
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
