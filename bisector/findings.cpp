// The findings' JSON, written and read in one place per struct; see findings.hpp.
//
// The key names are those the store has always held, so a database written before these types
// existed reads back the same. Every reader looks keys up with the struct's default, which is what
// keeps an older row (without, say, a probe's `reason`) readable.
#include "bisector/findings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ccbisect {
namespace {

using nlohmann::json;

std::string text(Outcome outcome) { return std::string(to_string(outcome)); }
std::string text(SearchStatus status) { return std::string(to_string(status)); }

Outcome outcome_at(const json& j, const char* key) {
  return parse_outcome(j.value(key, std::string())).value_or(Outcome::unresolved);
}

SearchStatus status_at(const json& j) {
  return parse_search_status(j.value("status", std::string())).value_or(SearchStatus::inconclusive);
}

// `into` = j[key] when it is there and not null; otherwise `into` keeps its default.
template <class T>
void read(const json& j, const char* key, T& into) {
  auto found = j.find(key);
  if (found != j.end() && !found->is_null()) {
    found->get_to(into);
  }
}

}  // namespace

std::optional<SearchStatus> parse_search_status(std::string_view text) {
  for (SearchStatus status :
       {SearchStatus::found, SearchStatus::not_reproducible, SearchStatus::inconclusive}) {
    if (to_string(status) == text) {
      return status;
    }
  }
  return std::nullopt;
}

std::string finding_kind(const SearchFinding& finding) { return text(finding.status); }
std::string finding_kind(const ProbesFinding&) { return "probes"; }
std::string finding_kind(const SanitizerReport&) { return "sanitizer-report"; }
std::string finding_kind(const PassFinding& finding) { return text(finding.status); }
std::string finding_kind(const Verdict& verdict) { return verdict.kind; }

std::string finding_summary(const SearchFinding& finding) {
  std::string summary = text(finding.status);
  if (!finding.culprits.empty()) {
    return fmt::format("{}: {}", summary, fmt::join(finding.culprits, " "));
  }
  return finding.message.empty() ? summary : summary + ": " + finding.message;
}

std::string finding_summary(const ProbesFinding& finding) {
  return fmt::format("{} make it pass; sanitizers: {}",
                     finding.ub_tolerance_fixes.empty()
                         ? std::string("no UB-tolerance option")
                         : fmt::format("{}", fmt::join(finding.ub_tolerance_fixes, " ")),
                     finding.sanitizer_reported ? "undefined behaviour reported" : "no report");
}

std::string finding_summary(const PassFinding& finding) {
  std::string summary = text(finding.status);
  if (finding.pass) {
    summary += ": " + json(*finding.pass).dump();
  }
  return summary;
}

void to_json(json& j, const ItemConfidence& c) {
  j = {{"item", c.item},
       {"agreeing", c.agreeing},
       {"disagreeing", c.disagreeing},
       {"confidence", c.confidence}};
}

void from_json(const json& j, ItemConfidence& c) {
  c = ItemConfidence{};
  read(j, "item", c.item);
  read(j, "agreeing", c.agreeing);
  read(j, "disagreeing", c.disagreeing);
  read(j, "confidence", c.confidence);
}

void to_json(json& j, const SearchFinding& f) {
  j = {{"status", text(f.status)},
       {"culprits", f.culprits},
       {"undetermined", f.undetermined},
       {"method", f.method},
       {"complete", f.complete},
       {"minimal_proven", f.minimal_proven},
       {"message", f.message},
       {"all_good", text(f.all_good)},
       {"all_bad", text(f.all_bad)},
       {"trials_run", f.trials_run},
       {"trials_recorded", f.trials_recorded},
       {"contradictions", f.contradictions},
       {"confidence", f.confidence}};
}

void from_json(const json& j, SearchFinding& f) {
  f = SearchFinding{};
  f.status = status_at(j);
  read(j, "culprits", f.culprits);
  read(j, "undetermined", f.undetermined);
  read(j, "method", f.method);
  read(j, "complete", f.complete);
  read(j, "minimal_proven", f.minimal_proven);
  read(j, "message", f.message);
  f.all_good = outcome_at(j, "all_good");
  f.all_bad = outcome_at(j, "all_bad");
  read(j, "trials_run", f.trials_run);
  read(j, "trials_recorded", f.trials_recorded);
  read(j, "contradictions", f.contradictions);
  read(j, "confidence", f.confidence);
}

void to_json(json& j, const Diagnostic& d) {
  j = {{"function", d.function}, {"text", d.text}, {"code", d.code}};
}

void from_json(const json& j, Diagnostic& d) {
  d = Diagnostic{};
  read(j, "function", d.function);
  read(j, "text", d.text);
  read(j, "code", d.code);
}

void to_json(json& j, const ProbeResult& p) {
  j = {{"probe", p.probe},
       {"outcome", text(p.outcome)},
       {"reason", std::string(to_string(p.reason))},
       {"note", p.note}};
}

void from_json(const json& j, ProbeResult& p) {
  p = ProbeResult{};
  read(j, "probe", p.probe);
  p.outcome = outcome_at(j, "outcome");
  // Probes recorded before reasons were stored: an unresolved one has an unknown reason.
  p.reason = j.contains("reason")               ? parse_unresolved_reason(j.value("reason", std::string()))
             : p.outcome == Outcome::unresolved ? UnresolvedReason::unknown
                                                : UnresolvedReason::none;
  read(j, "note", p.note);
}

void to_json(json& j, const ProbesFinding& f) {
  j = {{"probes", f.probes},
       {"ub_tolerance_fixes", f.ub_tolerance_fixes},
       {"sanitizer_reported", f.sanitizer_reported},
       {"sanitizer_report", f.sanitizer_report},
       {"sanitizer_in_culprit", f.sanitizer_in_culprit},
       {"sanitizer_elsewhere", f.sanitizer_elsewhere},
       {"diagnostics", f.diagnostics}};
}

void from_json(const json& j, ProbesFinding& f) {
  f = ProbesFinding{};
  read(j, "probes", f.probes);
  read(j, "ub_tolerance_fixes", f.ub_tolerance_fixes);
  read(j, "sanitizer_reported", f.sanitizer_reported);
  read(j, "sanitizer_report", f.sanitizer_report);
  read(j, "sanitizer_in_culprit", f.sanitizer_in_culprit);
  read(j, "sanitizer_elsewhere", f.sanitizer_elsewhere);
  read(j, "diagnostics", f.diagnostics);
}

void to_json(json& j, const SanitizerReport& r) { j = r.text; }

void from_json(const json& j, SanitizerReport& r) {
  r = SanitizerReport{};
  if (!j.is_null()) {
    j.get_to(r.text);
  }
}

void to_json(json& j, const PassStep& s) {
  j = {{"pass", s.pass}, {"function", s.function ? json(*s.function) : json(nullptr)}, {"index", s.index}};
}

void from_json(const json& j, PassStep& s) {
  s = PassStep{};
  read(j, "pass", s.pass);
  if (auto function = j.find("function"); function != j.end() && !function->is_null()) {
    s.function = function->get<std::string>();
  }
  read(j, "index", s.index);
}

void to_json(json& j, const CounterScreen& c) {
  j = {{"counter", c.counter}, {"with_none", text(c.with_none)}};
}

void from_json(const json& j, CounterScreen& c) {
  c = CounterScreen{};
  read(j, "counter", c.counter);
  c.with_none = outcome_at(j, "with_none");
}

void to_json(json& j, const PassFinding& f) {
  j = {{"level", "passes"},
       {"object", f.object},
       {"status", text(f.status)},
       {"method", f.method},
       {"pass", f.pass ? json(*f.pass) : json(nullptr)}};
  if (f.method == "dbg-cnt") {
    j["counters"] = f.counters;  // GCC's screening, even when no counter was used
  }
}

void from_json(const json& j, PassFinding& f) {
  f = PassFinding{};
  read(j, "object", f.object);
  f.status = status_at(j);
  read(j, "method", f.method);
  if (auto pass = j.find("pass"); pass != j.end() && !pass->is_null()) {
    f.pass = pass->get<PassStep>();
  }
  read(j, "counters", f.counters);
}

void to_json(json& j, const Verdict& v) {
  j = {{"kind", v.kind}, {"confidence", v.confidence}, {"evidence", v.evidence}};
}

void from_json(const json& j, Verdict& v) {
  v = Verdict{};
  read(j, "kind", v.kind);
  read(j, "confidence", v.confidence);
  read(j, "evidence", v.evidence);
}

}  // namespace ccbisect
