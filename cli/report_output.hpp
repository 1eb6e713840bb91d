// Turns an evaluation report into the report model every format renders
// (cli/formats/): the head (as-of date, rule set, summary counts per kind,
// severity and rule, the rules that found something) and the findings as JSON
// in display order (grouped by subject, most severe first). The JSON shape is
// the machine contract, docs/schema/report.schema.json.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/formats/formats.hpp"
#include "engine/report.hpp"

namespace nw::cli {

/// Options for rendering a report.
struct RenderReportOptions {
  std::string lang = "en";
  bool explain = false;
  bool color = false;
  std::string rule_set_name = "normwerk";
  size_t max_details = 0;  // markdown, html: findings shown in full (0 = all)
};

/// A citation as JSON: law, article, lid, bwb or celex, url, text.
nlohmann::json CitationJson(const engine::CitationRef& c);
/// One finding as JSON, in one language.
nlohmann::json FindingJson(const engine::Finding& f, const std::string& lang);
/// One finding as stored in the audit database: English, plus an `nl` object
/// with the Dutch title, message, remedy and questions (see LocalizeFinding).
nlohmann::json StoredFindingJson(const engine::Finding& f);
/// An explanation tree as JSON (expr, value, note, children).
nlohmann::json ExplanationJson(const engine::ExplainNode& node);
/// The parameter versions a finding rests on, as JSON (name, value, valid_from, valid_to, source).
nlohmann::json ParametersJson(const std::vector<engine::ParamUse>& parameters);
/// The strings without repeats, in order (one missing fact per day asks the same question).
std::vector<std::string> UniqueStrings(const std::vector<std::string>& list);
/// Chooses the language of a stored finding in place and drops the `nl` object.
void LocalizeFinding(nlohmann::json& finding, const std::string& lang);
/// A rule version as JSON (docs/schema/rules.schema.json): id, title, kind,
/// severity, citation, citations, valid_from, valid_to, source.
nlohmann::json RuleJson(const dsl::CheckedRuleSet& rules, const dsl::RuleInfo& rule, const std::string& lang);
/// The title of a rule in a language (the other language when missing).
std::string RuleTitle(const dsl::RuleInfo& rule, const std::string& lang);

/// Counts that every format's summary shows.
struct SummaryCounts {
  int64_t findings = 0;
  int64_t errors = 0;
  std::map<std::string, int64_t> by_kind, by_severity;
  struct RuleCount {
    std::string rule, title, kind, severity;
    nlohmann::json citation;
    int64_t count = 0;
    // Stored runs only: subjects the findings cover (merged undetermined
    // findings) and what they are, employees concerned, the first finding.
    int64_t subjects = 0;
    std::string unit;
    int64_t employees = 0;
    int64_t first = 0;
  };
  std::map<std::string, RuleCount> by_rule;
  /// Adds one finding (as JSON).
  void Add(const nlohmann::json& finding);
  /// The `summary` object of the report head.
  nlohmann::json Json() const;
};

/// Findings of a report in display order: by document, then subject, most severe first.
std::vector<const engine::Finding*> DisplayOrder(const engine::Report& r);

/// Writes a whole report in a format (text, json, sarif, markdown, html).
/// `documents` gives the text of input documents by name, for SARIF lines.
void WriteReport(const engine::Report& r, const dsl::CheckedRuleSet& rules, const std::string& format,
                 const RenderReportOptions& options, const std::map<std::string, std::string>& documents, std::ostream& out);

/// The report as JSON (the machine contract).
nlohmann::json ReportJson(const engine::Report& r, const RenderReportOptions& options);
/// The report as text for people.
std::string ReportText(const engine::Report& r, const RenderReportOptions& options);

}  // namespace nw::cli
