// Helpers shared by the report formats (private to cli/formats/).
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/formats/formats.hpp"

namespace nw::cli {

/// A string member of a JSON object, or "" when absent or not a string.
inline std::string Str(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

/// "document: path", "document: row 12 (path)" or "document: (case)".
inline std::string SubjectText(const nlohmann::json& s) {
  std::string path = Str(s, "path");
  std::string where = path.empty() ? "(case)" : path;
  if (s.contains("row")) where = "row " + std::to_string(s["row"].get<int64_t>()) + " (" + where + ")";
  std::string out = Str(s, "document") + ": " + where;
  if (!Str(s, "employee").empty()) out += ", employee " + Str(s, "employee");
  return out;
}

/// The English or Dutch label.
inline const char* L(const FormatOptions& o, const char* en, const char* nl) { return o.lang == "nl" ? nl : en; }

/// The explanation tree as indented lines (two spaces per level).
inline void ExplainLinesJson(const nlohmann::json& n, int depth, std::string& out) {
  out += std::string(static_cast<size_t>(depth) * 2, ' ') + Str(n, "expr");
  if (!Str(n, "value").empty()) out += "  → " + Str(n, "value");
  if (!Str(n, "note").empty()) out += "  (" + Str(n, "note") + ")";
  out += "\n";
  if (n.contains("children")) {
    for (const auto& c : n["children"]) ExplainLinesJson(c, depth + 1, out);
  }
}

/// Severity rank, lowest first (info = 0).
inline int SeverityRank(const std::string& s) {
  if (s == "critical") return 4;
  if (s == "high") return 3;
  if (s == "medium") return 2;
  if (s == "low") return 1;
  return 0;
}

std::unique_ptr<ReportWriter> MakeTextWriter(std::ostream& out, const FormatOptions& o);
std::unique_ptr<ReportWriter> MakeJsonWriter(std::ostream& out, const FormatOptions& o);
std::unique_ptr<ReportWriter> MakeSarifWriter(std::ostream& out, const FormatOptions& o);
std::unique_ptr<ReportWriter> MakeMarkdownWriter(std::ostream& out, const FormatOptions& o);
std::unique_ptr<ReportWriter> MakeHtmlWriter(std::ostream& out, const FormatOptions& o);

}  // namespace nw::cli
