// The post-mortem report, from the database alone (it works after the fact, on a copied database):
// both toolchains with their exact versions, the search at each level with every trial, the
// findings, the verdict, and a reproducer (the exact commands that build the minimal failing mix
// and run the oracle). Markdown for tickets, a single self-contained HTML page with a picture of the
// search, or JSON for tools.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/store.hpp"

namespace ccbisect {

enum class ReportFormat { markdown, html, json };

// The report's content as data; the three formats are renderings of it. `level_order` is the order
// the method runs its levels in (the level registry's, app/search_levels.cpp, which this layer
// cannot see); levels recorded in the store but not named there follow, by name.
nlohmann::json report_model(Store& store, const std::vector<std::string>& level_order);

std::string render_report(Store& store, ReportFormat format, const std::vector<std::string>& level_order);

}  // namespace ccbisect
