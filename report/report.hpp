// The post-mortem report, from the database alone (it works after the fact, on a copied database):
// both toolchains with their exact versions, the search at each level with every trial, the
// findings, the verdict, and a reproducer (the exact commands that build the minimal failing mix
// and run the oracle). Markdown for tickets, a single self-contained HTML page with a picture of the
// search, or JSON for tools.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "db/store.hpp"

namespace ccbisect {

enum class ReportFormat { markdown, html, json };

// The report's content as data; the three formats are renderings of it.
nlohmann::json report_model(Store& store);

std::string render_report(Store& store, ReportFormat format);

}  // namespace ccbisect
