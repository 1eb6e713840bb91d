// Diagnostics are data: a stage reports them to a sink and keeps going;
// rendering them for people or tools is a separate function (render.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dsl/support/source.hpp"

namespace nw {

/// How serious a diagnostic is.
enum class Severity : uint8_t { kError, kWarning, kNote };

/// A secondary span with its own text ("previous definition here").
struct Label {
  const Source* source = nullptr;
  SourceRange range;
  std::string text;
};

/// One message about a place in a source. Message style: lowercase, no final
/// period, user identifiers in backticks, no C++ type names.
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;  // stable id, e.g. "unknown-name"; see docs/diagnostics.md
  std::string message;
  const Source* source = nullptr;  // null for diagnostics about no file
  SourceRange primary;
  std::vector<Label> secondary;
  std::optional<std::string> help;
};

/// Collects diagnostics from every stage.
class DiagnosticSink {
 public:
  /// Adds one diagnostic.
  void Report(Diagnostic d);
  /// Shorthand for an error at one range.
  void Error(std::string code, const Source* source, SourceRange range, std::string message,
             std::optional<std::string> help = std::nullopt);
  /// Shorthand for a warning at one range.
  void Warning(std::string code, const Source* source, SourceRange range, std::string message,
               std::optional<std::string> help = std::nullopt);
  /// True when at least one error was reported.
  bool HasErrors() const { return error_count_ > 0; }
  /// Number of errors reported.
  size_t ErrorCount() const { return error_count_; }
  /// All diagnostics, sorted by file name, position, then code.
  std::vector<Diagnostic> Sorted() const;
  /// All diagnostics in report order.
  const std::vector<Diagnostic>& All() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t error_count_ = 0;
};

/// Closest candidate by edit distance, if close enough to be a likely typo.
std::optional<std::string> ClosestMatch(const std::string& word, const std::vector<std::string>& candidates);

/// The help text "did you mean `x`?" for a closest match, if there is one.
inline std::optional<std::string> DidYouMean(const std::optional<std::string>& match) {
  if (!match) return std::nullopt;
  return "did you mean `" + *match + "`?";
}

/// Levenshtein distance between two strings.
size_t EditDistance(const std::string& a, const std::string& b);

}  // namespace nw
