// Rule-set analysis (`normwerk lint --analyze`): contradictions between rules,
// rules that can never fire or are always overridden, parameters whose dated
// values leave a rule's validity uncovered, enum values no rule mentions.
// Witnesses are found by searching the boundary values of each condition's
// comparisons and evaluating the rules on them; a rule the search cannot make
// fire is reported with what was tried, not as a proof.
#pragma once

#include <string>
#include <vector>

#include "dsl/checked.hpp"

namespace nw::engine {

/// What the analysis found.
enum class AnalysisKind : uint8_t {
  kContradiction,       // two rules conclude opposite things about the same subject
  kDeadRule,            // no facts found for which the rule fires
  kAlwaysOverridden,    // the rule's condition holds, but an exception always applies
  kParameterGap,        // a parameter has no value for part of a rule's validity
  kUnmentionedEnumValue,  // the rules range over an enum but never mention a value
  kNotAnalysed,         // the rule's subjects are beyond the search (collections, aggregates)
};

/// Text of an analysis kind ("contradiction").
const char* AnalysisKindName(AnalysisKind k);

struct AnalysisFinding {
  AnalysisKind kind = AnalysisKind::kDeadRule;
  std::vector<std::string> rules;  // rule ids involved
  std::string key;                 // stable identifier, for the accepted list: "dead-rule wfw.x"
  std::string message;
  std::string witness;             // JSON facts for which the finding shows (contradictions, overridden)
  const Source* source = nullptr;
  SourceRange range;
};

struct AnalysisOptions {
  Date as_of;              // parameter values and rule versions in force on this date
  uint32_t samples = 4096;  // fact combinations tried per rule
  uint64_t seed = 20240101;
};

/// Analyses a checked rule set. Deterministic for a given seed.
std::vector<AnalysisFinding> Analyze(const dsl::CheckedRuleSet& rules, const AnalysisOptions& options);

}  // namespace nw::engine
