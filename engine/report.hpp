// What an evaluation produces: findings, each with its rule, citation,
// parameter versions, explanation tree and, when undetermined, the facts that
// are missing; and the errors that kept a rule from deciding for a subject.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/checked.hpp"

namespace nw::engine {

/// A parameter value a finding rests on.
struct ParamUse {
  std::string name;
  std::string value;
  Date from;
  std::optional<Date> to;
  std::string source;
};

/// One node of an explanation: an expression as written, its value, and why.
struct ExplainNode {
  std::string expr;
  std::string value;
  std::string note;
  std::vector<ExplainNode> children;
};

/// A citation with its rendered text and link.
struct CitationRef {
  std::string law;      // act title
  std::string act_id;   // act name in the rules (wfw)
  std::string article;
  std::string lid;
  std::string sub;
  std::string bwb;
  std::string celex;
  std::string url;
  std::string text;     // "Wet flexibel werken, art. 2 lid 12"
};

/// An exception that was considered for a finding.
struct ExceptionNote {
  std::string rule;
  std::string outcome;  // "applies", "does not apply", "unknown"
  std::vector<CitationRef> citations;
  ExplainNode explanation;
};

/// One finding about one subject.
struct Finding {
  std::string rule;
  uint32_t rule_index = 0;
  dsl::FindingKind kind = dsl::FindingKind::kInfo;
  dsl::FindingKind declared_kind = dsl::FindingKind::kInfo;  // the rule's kind (differs for undetermined/review)
  dsl::SeverityLevel severity = dsl::SeverityLevel::kInfo;
  std::string document;
  std::string subject;  // JSON path within the document
  uint32_t entity = 0;
  uint32_t row = 0;     // row of the subject's first variable
  std::string title_nl, title_en;
  std::string message_nl, message_en;
  std::string remedy_nl, remedy_en;
  std::vector<CitationRef> citations;
  std::vector<ParamUse> parameters;
  ExplainNode explanation;
  std::vector<std::string> missing;     // fact paths whose absence leaves the rule undetermined
  std::vector<std::string> questions_nl, questions_en;  // what to ask for each missing fact
  std::vector<std::string> weigh;       // open norms a person must weigh (review)
  std::vector<std::string> assertions;  // open norms the finding rests on because the user asserted them
  std::vector<ExceptionNote> exceptions;
  std::string decided_by;               // "lex superior", "lex specialis", "lex posterior" when a conflict rule decided
  std::string amended_by;               // the amendment that introduced this rule version
};

/// A rule that could not be evaluated for a subject (overflow, missing parameter value).
struct EvalError {
  std::string rule;
  std::string document;
  std::string subject;
  std::string message;
};

/// A finding reduced to what decides it, for batch evaluation (EvalOptions::compact):
/// which rule, which subject, which outcome. Texts and explanations are not built.
struct CompactFinding {
  uint32_t rule_index = 0;
  uint32_t entity = 0;
  uint32_t row = 0;
  dsl::FindingKind kind = dsl::FindingKind::kInfo;
};

/// The result of evaluating a rule set against facts as of a date.
struct Report {
  Date as_of;
  std::string rule_set_hash;
  std::vector<Finding> findings;  // deterministic order: document, subject, rule
  std::vector<EvalError> errors;
  std::vector<CompactFinding> compact;  // instead of `findings` when evaluated compactly
  uint64_t subjects = 0;          // rule-subject pairs evaluated
};

/// Citation texts and links for a rule's citations.
std::vector<CitationRef> Citations(const dsl::CheckedRuleSet& rs, const std::vector<dsl::CitationInfo>& cites);

}  // namespace nw::engine
