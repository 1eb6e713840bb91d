// Implementation of the diagnostic renderers.
#include "dsl/support/render.hpp"

#include <algorithm>

namespace nw {
namespace {

const char* SeverityWord(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

const char* SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError: return "\033[1;31m";
    case Severity::kWarning: return "\033[1;35m";
    case Severity::kNote: return "\033[1;36m";
  }
  return "";
}

std::string Location(const Source* source, SourceRange range) {
  if (source == nullptr) return "normwerk";
  LineCol lc = source->Position(range.begin);
  return source->name() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

// The source line with a caret line under the range (first line of the range only).
void AppendSnippet(std::string& out, const Source& source, SourceRange range, const RenderOptions& options,
                   const std::string& label) {
  LineCol lc = source.Position(range.begin);
  std::string_view line = source.Line(lc.line);
  std::string number = std::to_string(lc.line);
  std::string gutter(std::max<size_t>(number.size(), 4), ' ');
  std::string padded = std::string(gutter.size() - number.size(), ' ') + number;
  out += padded + " | ";
  out += line;
  out += '\n';
  out += gutter + " | ";
  uint32_t col = lc.column - 1;
  for (uint32_t i = 0; i < col && i < line.size(); ++i) out += line[i] == '\t' ? '\t' : ' ';
  uint32_t width = 1;
  if (range.end > range.begin) {
    uint32_t end_on_line = std::min<uint32_t>(range.end - range.begin, static_cast<uint32_t>(line.size()) - std::min<uint32_t>(col, static_cast<uint32_t>(line.size())));
    width = std::max<uint32_t>(1, end_on_line);
  }
  if (options.color) out += "\033[1;32m";
  out += '^';
  out += std::string(width - 1, '~');
  if (options.color) out += "\033[0m";
  if (!label.empty()) out += " " + label;
  out += '\n';
}

}  // namespace

std::string RenderHuman(const Diagnostic& d, const RenderOptions& options) {
  std::string out;
  if (options.color) out += "\033[1m";
  out += Location(d.source, d.primary) + ": ";
  if (options.color) out += SeverityColor(d.severity);
  out += SeverityWord(d.severity);
  if (options.color) out += "\033[0m\033[1m";
  out += ": " + d.message;
  if (!d.code.empty()) out += " [" + d.code + "]";
  if (options.color) out += "\033[0m";
  out += '\n';
  if (d.source != nullptr) AppendSnippet(out, *d.source, d.primary, options, "");
  for (const Label& l : d.secondary) {
    out += Location(l.source, l.range) + ": note: " + l.text + '\n';
    if (l.source != nullptr) AppendSnippet(out, *l.source, l.range, options, "");
  }
  if (d.help) out += "help: " + *d.help + '\n';
  return out;
}

std::string RenderGnu(const Diagnostic& d) {
  std::string out = Location(d.source, d.primary) + ": " + SeverityWord(d.severity);
  if (!d.code.empty()) out += "[" + d.code + "]";
  out += ": " + d.message;
  if (d.help) out += " (help: " + *d.help + ")";
  return out;
}

std::string RenderAllHuman(const std::vector<Diagnostic>& ds, const RenderOptions& options) {
  std::string out;
  size_t errors = 0, warnings = 0;
  for (const auto& d : ds) {
    out += RenderHuman(d, options);
    if (d.severity == Severity::kError) ++errors;
    if (d.severity == Severity::kWarning) ++warnings;
  }
  if (errors + warnings > 0) {
    out += std::to_string(errors) + (errors == 1 ? " error" : " errors");
    if (warnings > 0) out += ", " + std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
    out += " generated\n";
  }
  return out;
}

}  // namespace nw
