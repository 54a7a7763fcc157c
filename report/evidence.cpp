// Reading each level's latest finding into the verdict's Evidence; see evidence.hpp.
#include "report/evidence.hpp"

#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ccbisect {
namespace {

// The newest finding of `level` (of `kind`, if given), parsed.
std::optional<nlohmann::json> latest(Store& store, const std::string& level, const std::string& kind = "") {
  auto rows = store.findings(level);
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    if (kind.empty() || it->kind == kind) {
      return nlohmann::json::parse(it->payload, nullptr, false);
    }
  }
  return std::nullopt;
}

}  // namespace

Evidence gather_evidence(Store& store) {
  Evidence e;
  if (auto objects = latest(store, "objects"); objects && objects->value("status", "") == "found") {
    e.objects_found = true;
    e.culprit_objects = (*objects)["culprits"].get<std::vector<std::string>>();
  }
  if (auto flags = latest(store, "flags")) {
    if (flags->value("status", "") == "found") {
      e.culprit_flags = (*flags)["culprits"].get<std::vector<std::string>>();
    } else if (flags->value("status", "") == "not-reproducible" && flags->value("all_good", "") == "fail") {
      e.no_flag_explains = true;
    }
  }
  if (auto probes = latest(store, "probes", "probes")) {
    e.probes_ran = true;
    e.ub_fixes = (*probes)["ub_tolerance_fixes"].get<std::vector<std::string>>();
    e.sanitizer_reported = probes->value("sanitizer_reported", false);
    for (const auto& probe : (*probes)["probes"]) {
      std::string name = probe["probe"];
      bool sanitizer = name.rfind("-fsanitize", 0) == 0;
      if (probe["outcome"] == "unresolved") {
        if (!sanitizer) {
          e.probes_unresolved.push_back(name);
        }
      } else if (sanitizer) {
        e.sanitizer_ran = true;
      }
    }
    std::string report = probes->value("sanitizer_report", "");
    for (const char* marker : {"runtime error:", "ERROR: AddressSanitizer"}) {
      std::size_t at = report.find(marker);
      if (at != std::string::npos && e.sanitizer_excerpt.empty()) {
        std::size_t begin = report.rfind('\n', at);
        begin = begin == std::string::npos ? 0 : begin + 1;
        e.sanitizer_excerpt = report.substr(begin, report.find('\n', at) - begin);
      }
    }
  }
  if (auto passes = latest(store, "passes");
      passes && passes->contains("pass") && (*passes)["pass"].is_object()) {
    const auto& pass = (*passes)["pass"];
    std::string function = pass["function"].is_string() ? " on " + pass["function"].get<std::string>() : "";
    e.first_bad_pass = fmt::format("{}{} (step {})", pass["pass"].get<std::string>(), function,
                                   pass["index"].get<std::size_t>());
  }
  if (auto functions = latest(store, "functions"); functions && functions->value("status", "") == "found") {
    e.culprit_functions = (*functions)["culprits"].get<std::vector<std::string>>();
  }
  return e;
}

}  // namespace ccbisect
