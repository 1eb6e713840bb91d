// The hand-written baseline: the findings of the W1 and W2 rules computed with
// plain structs and loops, and parsers of the workloads' text formats into
// those structs. Each rule is mirrored from its `.norm` text with the values
// in force in 2024 and with the rule language's three-valued logic; a comment
// above each names the rule it mirrors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/model.hpp"

namespace nw::bench {

/// Finding kinds, in the order of dsl::FindingKind.
enum class Kind : uint8_t { kViolation, kConflict, kGap, kRisk, kReview, kInfo, kUndetermined };
inline constexpr size_t kKinds = 7;
/// "violation", "review", ...
const char* KindName(Kind k);

/// Findings counted per rule (in a workload's rule order) and kind.
struct Tally {
  std::vector<std::string> rules;
  std::vector<std::array<uint64_t, kKinds>> n;

  explicit Tally(std::vector<std::string> ids) : rules(std::move(ids)), n(rules.size(), std::array<uint64_t, kKinds>{}) {}
  void Add(size_t rule, Kind k) { ++n[rule][static_cast<size_t>(k)]; }
  uint64_t Total() const;
  /// The same counts with review findings counted as undetermined (what a
  bool operator==(const Tally& o) const { return rules == o.rules && n == o.n; }
};

/// W1 findings; rules in the order of W1Rules().
Tally BaselineW1(const std::vector<W1Case>& cases);
/// W2 findings; rules in the order of W2Rules().
Tally BaselineW2(const W2Data& data);

/// Parses W1 JSON lines (as WriteW1Jsonl writes them; keys in any order) into
/// cases. Returns false and sets `error` on malformed input.
bool ParseW1Jsonl(std::string_view text, std::vector<W1Case>& out, std::string& error);
/// Parses the W2 employer document and CSV work log into `out`. The CSV is
/// read without quoting (the generator writes none); records of an employee
/// must be contiguous.
bool ParseW2(std::string_view employer_json, std::string_view csv, W2Data& out, std::string& error);

}  // namespace nw::bench
