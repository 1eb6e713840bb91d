// DiagnosticSink and the "did you mean" helper.
#include "dsl/support/diagnostic.hpp"

#include <algorithm>
#include <tuple>

namespace nw {

void DiagnosticSink::Report(Diagnostic d) {
  if (d.severity == Severity::kError) ++error_count_;
  diagnostics_.push_back(std::move(d));
}

void DiagnosticSink::Error(std::string code, const Source* source, SourceRange range, std::string message,
                           std::optional<std::string> help) {
  Report(Diagnostic{Severity::kError, std::move(code), std::move(message), source, range, {}, std::move(help)});
}

void DiagnosticSink::Warning(std::string code, const Source* source, SourceRange range, std::string message,
                             std::optional<std::string> help) {
  Report(Diagnostic{Severity::kWarning, std::move(code), std::move(message), source, range, {}, std::move(help)});
}

std::vector<Diagnostic> DiagnosticSink::Sorted() const {
  std::vector<Diagnostic> out = diagnostics_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const std::string empty;
    const std::string& an = a.source ? a.source->name() : empty;
    const std::string& bn = b.source ? b.source->name() : empty;
    return std::tie(an, a.primary.begin, a.code, a.message) < std::tie(bn, b.primary.begin, b.code, b.message);
  });
  // The same diagnostic reached twice (a clause checked for a rule and for its exception) is shown once.
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return a.source == b.source && a.primary == b.primary && a.code == b.code && a.message == b.message;
  };
  out.erase(std::unique(out.begin(), out.end(), same), out.end());
  return out;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> ClosestMatch(const std::string& word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = 0;
  // A typo is at most a third of the word's length, and never more than 3 edits.
  size_t limit = std::min<size_t>(3, std::max<size_t>(1, word.size() / 3));
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d <= limit && (!best || d < best_distance || (d == best_distance && c < *best))) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace nw
