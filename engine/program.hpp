// The compiled form of a checked rule set, evaluated many times. A Program is
// immutable; Evaluate holds its working state in a per-call context, so one
// Program may serve several threads. The engine never reads a clock.
#pragma once

#include <memory>
#include <vector>

#include "dsl/checked.hpp"
#include "engine/facts.hpp"
#include "engine/report.hpp"

namespace nw::engine {

/// Options for one evaluation.
struct EvalOptions {
  Date as_of;                  // required: rule versions and parameter values in force on this date
  bool explain = true;         // build explanation trees and messages for each finding
  bool compact = false;        // record findings as CompactFinding only (batch audits, benchmarks)
  bool missing = false;        // without explanations: undetermined findings still name their missing facts
  std::vector<std::string> only_rules;  // when not empty: evaluate these rule ids only
  size_t max_findings = 10'000'000;     // bound on output
};

/// Per-rule data computed once at compile time.
struct CompiledRule {
  uint32_t index = 0;                 // into CheckedRuleSet::rules
  std::vector<uint32_t> exceptions;   // rule indices of all versions of exceptions to this rule
  std::vector<uint32_t> params;       // parameters its expressions read
  bool is_exception = false;
};

/// A compiled rule set.
class Program {
 public:
  /// Lowers a checked rule set. The rule set must outlive the program.
  static Program Compile(const dsl::CheckedRuleSet& rules);

  /// Evaluates every rule in force on options.as_of against the facts.
  /// Derived facts are computed into the store (hence not const).
  Report Evaluate(FactStore& facts, const EvalOptions& options) const;

  const dsl::CheckedRuleSet& rules() const { return *rules_; }
  const std::vector<CompiledRule>& compiled() const { return compiled_; }

 private:
  const dsl::CheckedRuleSet* rules_ = nullptr;
  std::vector<CompiledRule> compiled_;  // one per rule version
};

}  // namespace nw::engine
