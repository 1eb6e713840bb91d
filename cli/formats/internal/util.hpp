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

/// "document: path", "document: row 12 (path)", "document: rows 12 to 80"
/// (a finding that covers many work days) or "document: (case)".
inline std::string SubjectText(const nlohmann::json& s) {
  std::string path = Str(s, "path");
  std::string where = path.empty() ? "(case)" : path;
  if (s.contains("row") && s.contains("last_row")) {
    where = "rows " + std::to_string(s["row"].get<int64_t>()) + " to " + std::to_string(s["last_row"].get<int64_t>());
  } else if (s.contains("row")) {
    where = "row " + std::to_string(s["row"].get<int64_t>()) + " (" + where + ")";
  }
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

/// For a finding that covers many subjects: "261 days from 2024-01-01 to
/// 2024-12-30" (Dutch: "261 dagen van … tot en met …"); "" otherwise.
inline std::string CoversText(const nlohmann::json& f, const FormatOptions& o) {
  if (!f.contains("covers")) return "";
  const nlohmann::json& c = f["covers"];
  bool nl = o.lang == "nl";
  std::string unit = Str(c, "unit");
  if (nl) {
    unit = unit == "days" ? "dagen" : unit == "weeks" ? "weken" : unit == "periods" ? "perioden" : "onderwerpen";
  }
  std::string out = std::to_string(c.value("count", int64_t{0})) + " " + unit;
  if (!Str(c, "from").empty()) out += (nl ? " van " : " from ") + Str(c, "from") + (nl ? " tot en met " : " to ") + Str(c, "to");
  return out;
}

/// A missing cell as text: "examples/worklog.csv row 17, column `end`", or for
/// the days a merged finding covers "examples/worklog.csv column `break_minutes`,
/// 261 rows from row 2 to row 366".
inline std::string CellText(const nlohmann::json& c, const FormatOptions& o) {
  bool nl = o.lang == "nl";
  std::string out = Str(c, "document");
  std::string row = std::to_string(c.value("row", int64_t{0}));
  if (c.contains("last_row")) {
    std::string last = std::to_string(c["last_row"].get<int64_t>());
    std::string rows = c.contains("rows") ? std::to_string(c["rows"].get<int64_t>()) : "";
    out += (nl ? " kolom `" : " column `") + Str(c, "column") + "`, ";
    if (!rows.empty()) out += rows + (nl ? " rijen " : " rows ");
    return out + (nl ? "van rij " : "from row ") + row + (nl ? " tot en met rij " : " to row ") + last;
  }
  return out + (nl ? " rij " : " row ") + row + (nl ? ", kolom `" : ", column `") + Str(c, "column") + "`";
}

/// Minutes as hours with one decimal, rounded down: 4170 → "69.5".
inline std::string HoursText(int64_t minutes) {
  if (minutes < 0) minutes = 0;
  return std::to_string(minutes / 60) + "." + std::to_string(minutes % 60 * 10 / 60);
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
