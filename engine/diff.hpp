// What an amendment changes: the findings of the same facts evaluated under
// the current rules and under the amended rules, matched per document,
// subject and rule, with totals per rule.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/report.hpp"

namespace nw::engine {

/// How one finding changed.
enum class ChangeKind : uint8_t { kAppears, kDisappears, kChanges };

/// Text of a change kind ("appears").
const char* ChangeKindName(ChangeKind k);

struct FindingChange {
  ChangeKind kind = ChangeKind::kAppears;
  std::string document;
  std::string subject;
  std::string rule;
  std::optional<Finding> before;
  std::optional<Finding> after;
  std::vector<std::string> what;  // for kChanges: "kind violation → review", "severity", "message"
};

/// Counts per rule.
struct RuleTotals {
  uint32_t appears = 0;
  uint32_t disappears = 0;
  uint32_t changes = 0;
};

struct DiffReport {
  Date as_of;
  std::vector<FindingChange> changes;       // ordered by document, subject, rule
  std::map<std::string, RuleTotals> per_rule;
  std::map<std::string, RuleTotals> per_document;
  uint32_t unchanged = 0;
};

/// Compares two reports over the same facts.
DiffReport Diff(const Report& before, const Report& after);

}  // namespace nw::engine
