// Typed findings in and out of the store: a finding (bisector/findings.hpp) is recorded as its
// to_json under its kind, and read back through its from_json. The only way the commands, the
// evidence and the report touch the findings table.
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "bisector/findings.hpp"
#include "db/store.hpp"

namespace ccbisect {

// Records `finding` as the answer of `level` in the current session.
template <class Finding>
void record_finding(Store& store, const std::string& level, const Finding& finding) {
  store.record_finding(level, finding_kind(finding), nlohmann::json(finding).dump());
}

// The newest finding of `level` (of `kind`, when given) that reads as a `Finding`; nothing when
// there is none. Rows that do not parse (another shape, a damaged payload) are passed over.
template <class Finding>
std::optional<Finding> latest_finding(Store& store, const std::string& level, const std::string& kind = "") {
  auto rows = store.findings(level);
  for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
    if (!kind.empty() && row->kind != kind) {
      continue;
    }
    nlohmann::json payload = nlohmann::json::parse(row->payload, nullptr, false);
    if (payload.is_discarded()) {
      continue;
    }
    // Every finding but the sanitizer report (a bare string) is a JSON object.
    if (payload.is_object() != !std::is_same_v<Finding, SanitizerReport>) {
      continue;
    }
    try {
      return payload.get<Finding>();
    } catch (const nlohmann::json::exception&) {
      continue;
    }
  }
  return std::nullopt;
}

}  // namespace ccbisect
