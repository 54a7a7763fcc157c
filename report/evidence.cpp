// Reading each level's latest finding into the verdict's Evidence; see evidence.hpp.
#include "report/evidence.hpp"

#include <fmt/format.h>

#include "db/findings_store.hpp"

namespace ccbisect {

Evidence gather_evidence(Store& store) {
  Evidence e;
  if (auto objects = latest_finding<SearchFinding>(store, "objects");
      objects && objects->status == SearchStatus::found) {
    e.objects_found = true;
    e.culprit_objects = objects->culprits;
  }
  if (auto flags = latest_finding<SearchFinding>(store, "flags")) {
    if (flags->status == SearchStatus::found) {
      e.culprit_flags = flags->culprits;
    } else if (flags->status == SearchStatus::not_reproducible && flags->all_good == Outcome::fail) {
      e.no_flag_explains = true;
    }
  }
  if (auto probes = latest_finding<ProbesFinding>(store, "probes", "probes")) {
    e.probes_ran = true;
    e.ub_fixes = probes->ub_tolerance_fixes;
    e.sanitizer_reported = probes->sanitizer_reported;
    for (const ProbeResult& probe : probes->probes) {
      bool sanitizer = probe.probe.rfind("-fsanitize", 0) == 0;
      bool trap = probe.probe.find("(trap form)") != std::string::npos;
      if (probe.probe.rfind("-O0", 0) == 0) {
        e.unoptimized_passes = probe.outcome == Outcome::pass;
        continue;
      }
      if (probe.outcome == Outcome::unresolved) {
        if (!sanitizer) {
          e.probes_unresolved.push_back(probe.probe);
        }
      } else if (sanitizer) {
        e.sanitizer_ran = true;
        e.asan_ran = e.asan_ran || !trap;
        if (trap && probe.outcome == Outcome::fail) {
          e.trap_fired = true;  // the good compile passes; instrumented, it trapped
          e.sanitizer_reported = true;
        }
      }
    }
    if (!probes->sanitizer_in_culprit.empty()) {
      e.sanitizer_excerpt = probes->sanitizer_in_culprit.front();
    }
    e.sanitizer_elsewhere = probes->sanitizer_elsewhere;
    e.diagnostics = probes->diagnostics;
  }
  if (auto passes = latest_finding<PassFinding>(store, "passes"); passes && passes->pass) {
    const PassStep& pass = *passes->pass;
    std::string function = pass.function ? " on " + *pass.function : "";
    e.first_bad_pass = fmt::format("{}{} (step {})", pass.pass, function, pass.index);
  }
  if (auto functions = latest_finding<SearchFinding>(store, "functions");
      functions && functions->status == SearchStatus::found) {
    e.culprit_functions = functions->culprits;
  }
  return e;
}

}  // namespace ccbisect
