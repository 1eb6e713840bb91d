// Evaluating the employees of an audit: the employer file split into batches
// of employees, which rules run per batch and which once for the employer,
// the facts of a batch (the employer's records of those employees plus their
// work days read back from the store), and the explanation of one stored
// finding by evaluating its employee again. `normwerk audit` stores findings
// without explanations; `normwerk explain` and `report --explain` rebuild them
// here from the same employer document, work days, rules and as-of date.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/store/audit_store.hpp"
#include "engine/program.hpp"

namespace nw::cli {

/// Work days an audit holds at once for employer-level rules that read every
/// employee's days (batch 0); beyond it those rules are reported, not run.
inline constexpr int64_t kEmployerDaysLimit = 200'000;

/// The employer file of an audit, ready to be split into batches.
struct AuditEmployer {
  std::string path;                                 // as given when the run was made
  std::string text;                                 // the JSON text
  nlohmann::json base;                              // the document with an empty `employees` list
  nlohmann::json employees;                         // the employees, in file order
  std::vector<std::string> ids;                     // their ids ("" when an employee has none)
  std::unordered_map<std::string, uint32_t> lines;  // JSON path → line
};

/// Splits an employer document that the schema check has accepted; false
/// (and `error`) when it is not an object with `employer.employees[]`.
bool SplitEmployer(const std::string& path, const std::string& text, AuditEmployer& out, std::string& error);

/// Which rules run per batch of employees and which once for the employer.
struct AuditPlan {
  uint32_t employee = 0, work_day = 0;          // entity indices
  std::vector<std::string> per_employee;        // rules whose subject is an employee or lies under one
  std::vector<std::string> employer_level;      // the others: run once, in batch 0
  std::vector<std::string> skipped;             // employer-level rules over every work day when there are too many
  bool employer_needs_days = false;             // batch 0 holds every work day
};

/// The plan for a rule set and a work log of `worklog_rows` rows. The rules
/// must declare `employee` and `work_day`.
AuditPlan PlanAudit(const dsl::CheckedRuleSet& rules, int64_t worklog_rows);

/// Whether `entity` is `employee` or lies under it.
bool UnderEmployee(const dsl::CheckedRuleSet& rules, uint32_t entity, uint32_t employee);
/// The employee row a row of an entity under `employee` belongs to.
std::optional<uint32_t> EmployeeRow(const engine::FactStore& facts, uint32_t entity, uint32_t row, uint32_t employee);

/// Fills `facts` for batch 0 (`employer_batch`: the whole employer file, with
/// every work day when the plan needs them) or for employees [first, last)
/// with their work days. Subjects get the paths they have in the whole file.
/// `csv_rows` gets the CSV row of each work_day row. Errors name the place.
bool LoadAuditFacts(AuditStore& store, const dsl::CheckedRuleSet& rules, const AuditPlan& plan,
                    const AuditEmployer& employer, const StoredDocument& worklog, bool employer_batch, uint32_t first,
                    uint32_t last, engine::FactStore& facts, std::vector<int64_t>& csv_rows,
                    std::vector<engine::FactError>& errors);

/// The rule id whose evaluation yields findings of rule version `rule_index`:
/// the rule itself, or for an exception the rule it is an exception to.
std::string EvaluatedRule(const dsl::CheckedRuleSet& rules, uint32_t rule_index);

/// Evaluates one rule (with its exceptions) with explanations. Findings are
/// explained in the engine's order up to a bound that starts at `first` and
/// grows until `enough` holds or every finding is out, so that explaining
/// the first findings of a rule does not cost explaining all of them.
engine::Report ExplainRule(const engine::Program& program, engine::FactStore& facts, Date as_of, const std::string& rule,
                           size_t first, const std::function<bool(const engine::Report&)>& enough);

/// Rebuilds findings of a stored run with their explanations, by evaluating
/// the finding's employee (or, for employer-level findings, the employer
/// file) again with the rules, employer document, work days and as-of date of
/// the run. The facts of the last employee, and the explained findings of the
/// last rule, are kept for the next finding.
class FindingExplainer {
 public:
  /// `rules` must be the run's rules (same hash); the caller checks.
  FindingExplainer(AuditStore& store, const dsl::CheckedRuleSet& rules, const StoredRun& run);
  ~FindingExplainer();

  /// False (and `error`) when the run's documents cannot be read back.
  bool Ready(std::string& error);
  /// The finding evaluated again: same rule, kind and (first) subject; for a
  /// merged undetermined finding, its first subject. nullopt (and `error`)
  /// when the evaluation does not give it.
  std::optional<engine::Finding> Explain(const StoredFinding& f, std::string& error);

 private:
  bool LoadFor(std::optional<int64_t> emp, std::string& error);

  AuditStore& store_;
  const dsl::CheckedRuleSet& rules_;
  StoredRun run_;
  engine::Program program_;
  std::optional<Date> as_of_;
  AuditEmployer employer_;
  std::optional<StoredDocument> worklog_;
  AuditPlan plan_;
  std::unique_ptr<engine::FactStore> facts_;
  std::optional<int64_t> loaded_;  // the employee whose facts are loaded (nullopt: batch 0)
  bool have_facts_ = false;
  // The explained findings of one rule for the loaded facts, up to a bound.
  bool have_cache_ = false;
  std::string cached_rule_;
  size_t cached_bound_ = 0;
  engine::Report cached_;
};

}  // namespace nw::cli
