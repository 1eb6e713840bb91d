// Renders an evaluation report: text for people (grouped by subject, most
// severe first), and JSON (the machine contract, docs/schema/report.schema.json).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/report.hpp"

namespace nw::cli {

/// Options for rendering a report.
struct RenderReportOptions {
  std::string lang = "en";
  bool explain = false;
  bool color = false;
  std::string rule_set_name = "normwerk";
};

/// One finding as JSON (stored as such in the audit database).
nlohmann::json FindingJson(const engine::Finding& f, const std::string& lang);
/// The whole report as JSON.
nlohmann::json ReportJson(const engine::Report& r, const RenderReportOptions& options);
/// The report as text for people.
std::string ReportText(const engine::Report& r, const RenderReportOptions& options);
/// Lines of an explanation tree, indented.
void ExplainLines(const engine::ExplainNode& n, int depth, std::string& out);

}  // namespace nw::cli
