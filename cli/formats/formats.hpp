// Report formats: text for people, JSON (docs/schema/report.schema.json),
// SARIF 2.1.0, Markdown and a self-contained HTML page. Every format is
// written as a stream from a report head (dates, rule set, run, summary and,
// for audits, the per-employee table and hours per week), then the findings
// in display order (grouped by subject, most severe first), then the errors,
// so a stored run of any size is rendered without holding it in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace nw::cli {

/// Options shared by the formats.
struct FormatOptions {
  std::string lang = "en";     // nl or en, for labels
  bool explain = false;        // text: show the explanation tree
  bool color = false;          // text: ANSI colours
  size_t max_details = 0;      // markdown, html: findings shown in full (0 = all)
  bool decided_first = false;  // markdown, html: findings come decided first, then undetermined, then info (stored runs)
};

/// Writes one report. Call Begin once, Add for each finding, End once.
class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  /// head: as_of, rule_set, summary, rules (metadata of the rules that found
  /// something), and optionally run, employees and hours (audits).
  virtual void Begin(const nlohmann::json& head) = 0;
  /// One finding, as FindingJson makes it (optionally with `id`).
  virtual void Add(const nlohmann::json& finding) = 0;
  /// errors: the evaluation errors (array of rule, subject, message).
  virtual void End(const nlohmann::json& errors) = 0;
};

/// The writer for `format` (text, json, sarif, markdown, html); nullptr if unknown.
std::unique_ptr<ReportWriter> MakeReportWriter(const std::string& format, std::ostream& out, const FormatOptions& options);

/// Lines of a JSON document by JSON path (`employer.employees[3]` → line),
/// for SARIF regions. The text must be valid JSON.
std::unordered_map<std::string, uint32_t> JsonPathLines(const std::string& text);

/// HTML escaping of text.
std::string HtmlEscape(const std::string& s);

}  // namespace nw::cli
