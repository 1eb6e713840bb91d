// Diagnostic output formats for the command line.
#include "cli/diagnostics_output.hpp"

#include <nlohmann/json.hpp>

#include "dsl/support/render.hpp"

namespace nw::cli {
namespace {

nlohmann::json Position(const Source* s, SourceRange r) {
  nlohmann::json j;
  if (s == nullptr) return j;
  LineCol b = s->Position(r.begin), e = s->Position(r.end);
  j["file"] = s->name();
  j["line"] = b.line;
  j["column"] = b.column;
  j["end_line"] = e.line;
  j["end_column"] = e.column;
  return j;
}

}  // namespace

std::string RenderDiagnostics(const std::vector<Diagnostic>& ds, const std::string& format, bool color) {
  if (format == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (const Diagnostic& d : ds) {
      nlohmann::json j;
      j["severity"] = d.severity == Severity::kError ? "error" : d.severity == Severity::kWarning ? "warning" : "note";
      j["code"] = d.code;
      j["message"] = d.message;
      j["location"] = Position(d.source, d.primary);
      if (d.help) j["help"] = *d.help;
      nlohmann::json notes = nlohmann::json::array();
      for (const Label& l : d.secondary) notes.push_back({{"message", l.text}, {"location", Position(l.source, l.range)}});
      j["notes"] = notes;
      arr.push_back(j);
    }
    return arr.dump(2) + "\n";
  }
  if (format == "gnu") {
    std::string out;
    for (const Diagnostic& d : ds) out += RenderGnu(d) + "\n";
    return out;
  }
  return RenderAllHuman(ds, RenderOptions{color});
}

}  // namespace nw::cli
