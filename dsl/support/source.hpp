// A rule file's text, owned once, and the byte ranges that point into it.
// Line and column numbers are derived only when a diagnostic is rendered.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nw {

/// Half-open byte range [begin, end) into one Source.
struct SourceRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  /// True when the range covers no bytes.
  bool empty() const { return begin >= end; }
  /// The smallest range that covers both.
  static SourceRange Cover(SourceRange a, SourceRange b) {
    return {a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end};
  }
  bool operator==(const SourceRange&) const = default;
};

/// 1-based line and column (column counts bytes).
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
};

/// Owns the text of one input file and its display name.
class Source {
 public:
  Source(std::string name, std::string text);

  /// Display name as given (a path relative to where the user ran normwerk).
  const std::string& name() const { return name_; }
  /// The complete text.
  std::string_view text() const { return text_; }
  /// Line and column of a byte offset (offsets past the end clamp to the end).
  LineCol Position(uint32_t offset) const;
  /// The text of a 1-based line without its line break.
  std::string_view Line(uint32_t line) const;
  /// Number of lines.
  uint32_t LineCount() const { return static_cast<uint32_t>(line_starts_.size()); }
  /// The text covered by a range.
  std::string_view Slice(SourceRange r) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<uint32_t> line_starts_;  // INVARIANT: sorted, line_starts_[0] == 0
};

}  // namespace nw
