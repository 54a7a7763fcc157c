// Each level's answer as a type: what the store's `findings` table holds, one struct per kind of
// answer, each with one `to_json`/`from_json` (nlohmann's ADL functions), so that a finding is
// written by filling a struct and read by parsing one, never by picking keys out of a JSON object.
//
// * SearchFinding: the engine's answer at a level the driver runs (objects, flags, functions, and
//   any level app/level_runner.cpp drives);
// * ProbesFinding: the latent-bug probes that follow the flag search (level "probes");
// * SanitizerReport: the sanitizer build's report, kept for a resumed run (level "probes");
// * PassFinding: the first bad pass or debug counter (level "passes");
// * Verdict (bisector/verdict.hpp): what `ccbisect run` decided (level "verdict").
//
// Reading is lenient, so that databases written by older versions stay readable: a missing key
// keeps the struct's default. A key of the wrong type throws nlohmann::json::exception.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bisector/engine.hpp"
#include "bisector/outcome.hpp"
#include "bisector/verdict.hpp"

namespace ccbisect {

// The observations behind one culprit, by name (CulpritConfidence names it by index).
struct ItemConfidence {
  std::string item;
  std::size_t agreeing = 0;
  std::size_t disagreeing = 0;
  std::string confidence;  // "high", "medium" or "low"
};

struct SearchFinding {
  SearchStatus status = SearchStatus::inconclusive;
  std::vector<std::string> culprits;      // item names
  std::vector<std::string> undetermined;  // items no trial could resolve
  std::string method;                     // "group-testing" or "ddmin"
  bool complete = false;
  bool minimal_proven = false;
  std::string message;
  Outcome all_good = Outcome::unresolved;
  Outcome all_bad = Outcome::unresolved;
  std::size_t trials_run = 0;
  std::size_t trials_recorded = 0;         // answered from the store
  std::size_t contradictions = 0;          // configurations the oracle contradicted itself on
  std::vector<ItemConfidence> confidence;  // one per culprit, in the culprits' order
};

struct ProbeResult {
  std::string probe;  // e.g. "-fno-strict-aliasing", or the sanitizer build "-fsanitize=undefined,address"
  Outcome outcome = Outcome::unresolved;
  UnresolvedReason reason = UnresolvedReason::none;  // why, when unresolved
  std::string note;                                  // what the reason means for this probe
};

struct ProbesFinding {
  std::vector<ProbeResult> probes;
  std::vector<std::string> ub_tolerance_fixes;  // UB-tolerance probes that made it pass
  bool sanitizer_reported = false;              // a report located in a culprit object's source
  std::string sanitizer_report;
  std::vector<std::string> sanitizer_in_culprit;  // one line per report located in a culprit source
  std::vector<std::string> sanitizer_elsewhere;   // reports from other objects: a note, not evidence
  std::vector<Diagnostic> diagnostics;            // UB-related compiler warnings in the culprit sources
};

// Stored as a bare JSON string, as it always was.
struct SanitizerReport {
  std::string text;
};

struct PassStep {
  std::string pass;                     // the pass, or the debug counter
  std::optional<std::string> function;  // what it ran on (Clang); none for debug counters
  std::size_t index = 0;                // 1-based step number
};

struct CounterScreen {
  std::string counter;
  Outcome with_none = Outcome::unresolved;  // the outcome with `counter:0`
};

struct PassFinding {
  std::string object;  // the culprit object searched inside
  SearchStatus status = SearchStatus::inconclusive;
  std::string method;                   // "opt-bisect-limit" (Clang) or "dbg-cnt" (GCC)
  std::optional<PassStep> pass;         // the first bad step, when found
  std::vector<CounterScreen> counters;  // GCC: every counter screened with counter:0
};

// The `kind` column a finding is recorded with.
std::string finding_kind(const SearchFinding& finding);
std::string finding_kind(const ProbesFinding& finding);
std::string finding_kind(const SanitizerReport& finding);
std::string finding_kind(const PassFinding& finding);
std::string finding_kind(const Verdict& finding);

// One line for the report and `ccbisect status`, e.g. "found: obj/unit.o".
std::string finding_summary(const SearchFinding& finding);
std::string finding_summary(const ProbesFinding& finding);
std::string finding_summary(const PassFinding& finding);

// The status named by `text` ("not-reproducible"), or nothing when it names none.
std::optional<SearchStatus> parse_search_status(std::string_view text);

void to_json(nlohmann::json& j, const ItemConfidence& confidence);
void from_json(const nlohmann::json& j, ItemConfidence& confidence);
void to_json(nlohmann::json& j, const SearchFinding& finding);
void from_json(const nlohmann::json& j, SearchFinding& finding);
void to_json(nlohmann::json& j, const ProbeResult& probe);
void from_json(const nlohmann::json& j, ProbeResult& probe);
void to_json(nlohmann::json& j, const ProbesFinding& finding);
void from_json(const nlohmann::json& j, ProbesFinding& finding);
void to_json(nlohmann::json& j, const SanitizerReport& report);
void from_json(const nlohmann::json& j, SanitizerReport& report);
void to_json(nlohmann::json& j, const PassStep& step);
void from_json(const nlohmann::json& j, PassStep& step);
void to_json(nlohmann::json& j, const CounterScreen& screen);
void from_json(const nlohmann::json& j, CounterScreen& screen);
void to_json(nlohmann::json& j, const PassFinding& finding);
void from_json(const nlohmann::json& j, PassFinding& finding);
void to_json(nlohmann::json& j, const Verdict& verdict);
void from_json(const nlohmann::json& j, Verdict& verdict);

}  // namespace ccbisect
