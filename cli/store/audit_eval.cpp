// Batches, facts and explanations of an audit (see audit_eval.hpp).
#include "cli/store/audit_eval.hpp"

#include <algorithm>

#include "cli/formats/formats.hpp"
#include "cli/store/worklog.hpp"

namespace nw::cli {
namespace {

// Whether an expression (following derived facts) reads rows of `entity`.
bool Touches(const dsl::CheckedRuleSet& rules, uint32_t node, uint32_t entity, std::vector<bool>& seen_defs, int depth = 0) {
  if (node == UINT32_MAX || node >= rules.exprs.size() || depth > 256) return false;
  const dsl::CExpr& e = rules.expr(node);
  bool is_ref = e.type.kind == dsl::TypeKind::kEntity || e.type.kind == dsl::TypeKind::kList || e.type.kind == dsl::TypeKind::kGroup;
  if (is_ref && e.type.id == entity) return true;
  if (e.op == dsl::Op::kField) {
    const dsl::CExpr& base = rules.expr(e.args[0]);
    if (base.type.kind == dsl::TypeKind::kEntity) {
      int32_t d = rules.entities[base.type.id].fields[e.index].definition;
      if (d >= 0 && !seen_defs[d]) {
        seen_defs[d] = true;
        if (Touches(rules, rules.definitions[d].body, entity, seen_defs, depth + 1)) return true;
      }
    }
  }
  for (uint32_t a : e.args) {
    if (Touches(rules, a, entity, seen_defs, depth + 1)) return true;
  }
  return false;
}

// Whether any version of a rule reads rows of `entity`.
bool RuleTouches(const dsl::CheckedRuleSet& rules, const dsl::RuleInfo& r, uint32_t entity) {
  std::vector<bool> seen(rules.definitions.size(), false);
  std::vector<uint32_t> roots = {r.when};
  roots.insert(roots.end(), r.unless.begin(), r.unless.end());
  for (const auto& b : r.bindings) {
    if (b.entity == entity) return true;
    roots.push_back(b.collection);
  }
  for (const auto& t : r.message) roots.insert(roots.end(), t.holes.begin(), t.holes.end());
  for (uint32_t n : roots) {
    if (Touches(rules, n, entity, seen)) return true;
  }
  return false;
}

void AddOnce(std::vector<std::string>& list, const std::string& id) {
  if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(id);
}

}  // namespace

bool SplitEmployer(const std::string& path, const std::string& text, AuditEmployer& out, std::string& error) {
  out.path = path;
  out.text = text;
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  auto emp = doc.is_object() ? doc.find("employer") : doc.end();
  if (!doc.is_object() || emp == doc.end() || !emp->is_object() || !emp->contains("employees") ||
      !(*emp)["employees"].is_array()) {
    error = "the employer file lists no employees to audit";
    return false;
  }
  out.employees = std::move((*emp)["employees"]);
  (*emp)["employees"] = nlohmann::json::array();
  out.base = std::move(doc);
  out.ids.clear();
  for (const auto& e : out.employees) {
    auto id = e.is_object() ? e.find("id") : e.end();
    out.ids.push_back(e.is_object() && id != e.end() && id->is_string() ? id->get<std::string>() : "");
  }
  out.lines = JsonPathLines(text);
  return true;
}

bool UnderEmployee(const dsl::CheckedRuleSet& rules, uint32_t entity, uint32_t employee) {
  int32_t e = static_cast<int32_t>(entity);
  while (e >= 0) {
    if (static_cast<uint32_t>(e) == employee) return true;
    e = rules.entities[e].owner;
  }
  return false;
}

std::optional<uint32_t> EmployeeRow(const engine::FactStore& facts, uint32_t entity, uint32_t row, uint32_t employee) {
  const dsl::CheckedRuleSet& rules = facts.rules();
  while (entity != employee) {
    int32_t owner = rules.entities[entity].owner;
    if (owner < 0) return std::nullopt;
    row = facts.table(entity).owner[row];
    entity = static_cast<uint32_t>(owner);
  }
  return row;
}

AuditPlan PlanAudit(const dsl::CheckedRuleSet& rules, int64_t worklog_rows) {
  AuditPlan p;
  p.employee = static_cast<uint32_t>(rules.FindEntity("employee"));
  p.work_day = static_cast<uint32_t>(rules.FindEntity("work_day"));
  for (const auto& r : rules.rules) {
    if (!r.produces_finding || r.bindings.empty()) continue;
    AddOnce(UnderEmployee(rules, r.bindings[0].entity, p.employee) ? p.per_employee : p.employer_level, r.id);
  }
  // Employer-level rules that read work days (an employer's yearly totals)
  // need every day in batch 0; the other batches hold one batch each.
  std::vector<std::string> day_rules;
  for (const auto& r : rules.rules) {
    if (std::find(p.employer_level.begin(), p.employer_level.end(), r.id) != p.employer_level.end() &&
        RuleTouches(rules, r, p.work_day)) {
      AddOnce(day_rules, r.id);
    }
  }
  if (!day_rules.empty() && worklog_rows <= kEmployerDaysLimit) {
    p.employer_needs_days = true;
  } else {
    // Too many days to hold at once: these rules are not evaluated, and the
    // run says so (an evaluation error per rule) instead of staying silent.
    for (const auto& id : day_rules) {
      p.employer_level.erase(std::find(p.employer_level.begin(), p.employer_level.end(), id));
      p.skipped.push_back(id);
    }
  }
  return p;
}

bool LoadAuditFacts(AuditStore& store, const dsl::CheckedRuleSet& rules, const AuditPlan& plan,
                    const AuditEmployer& employer, const StoredDocument& worklog, bool employer_batch, uint32_t first,
                    uint32_t last, engine::FactStore& facts, std::vector<int64_t>& csv_rows,
                    std::vector<engine::FactError>& errors) {
  if (employer_batch) {
    if (!engine::LoadJsonDocument(facts, employer.path, employer.text, errors)) return false;
    if (plan.employer_needs_days && !plan.employer_level.empty() &&
        !LoadWorkDays(store, rules, worklog, 0, static_cast<uint32_t>(employer.ids.size()), facts, csv_rows, errors)) {
      return false;
    }
    facts.Seal();
    return true;
  }
  last = std::min<uint32_t>(last, static_cast<uint32_t>(employer.employees.size()));
  // The employer without its other employees: copies only this batch's employees.
  nlohmann::json doc = employer.base;
  nlohmann::json& list = doc["employer"]["employees"];
  for (uint32_t i = first; i < last; ++i) list.push_back(employer.employees[i]);
  if (!engine::LoadJsonDocument(facts, employer.path, doc.dump(), errors)) return false;
  // Paths name the employee's place in the whole file, not in the batch.
  engine::Table& emps = facts.table(plan.employee);
  for (uint32_t r = 0; r < emps.rows; ++r) emps.position[r] = first + r;
  if (!LoadWorkDays(store, rules, worklog, first, last, facts, csv_rows, errors)) return false;
  facts.Seal();
  return true;
}

std::string EvaluatedRule(const dsl::CheckedRuleSet& rules, uint32_t rule_index) {
  std::string id = rules.rules[rule_index].id;
  for (int depth = 0; depth < 64; ++depth) {
    std::string up;
    for (const auto& r : rules.rules) {
      if (r.id == id && !r.exception_to_id.empty()) {
        up = r.exception_to_id;
        break;
      }
    }
    if (up.empty()) break;
    id = up;
  }
  return id;
}

engine::Report ExplainRule(const engine::Program& program, engine::FactStore& facts, Date as_of, const std::string& rule,
                           size_t first, const std::function<bool(const engine::Report&)>& enough) {
  engine::EvalOptions eval;
  eval.as_of = as_of;
  eval.explain = true;
  eval.only_rules = {rule};
  size_t bound = std::max<size_t>(1, first);
  while (true) {
    eval.max_findings = bound;
    engine::Report r = program.Evaluate(facts, eval);
    if (r.findings.size() < bound || enough(r)) return r;
    bound *= 4;
  }
}

FindingExplainer::FindingExplainer(AuditStore& store, const dsl::CheckedRuleSet& rules, const StoredRun& run)
    : store_(store), rules_(rules), run_(run), program_(engine::Program::Compile(rules)) {}

FindingExplainer::~FindingExplainer() = default;

bool FindingExplainer::Ready(std::string& error) {
  as_of_ = Date::Parse(run_.as_of);
  auto employer = store_.Document(run_.employer_doc);
  worklog_ = store_.Document(run_.worklog_doc);
  if (!as_of_ || !employer || !worklog_) {
    error = "run " + std::to_string(run_.id) + " does not name its documents";
    return false;
  }
  if (!SplitEmployer(employer->path, employer->content, employer_, error)) return false;
  plan_ = PlanAudit(rules_, worklog_->rows);
  return true;
}

bool FindingExplainer::LoadFor(std::optional<int64_t> emp, std::string& error) {
  if (have_facts_ && loaded_ == emp) return true;
  have_facts_ = false;
  facts_ = std::make_unique<engine::FactStore>(rules_);
  std::vector<int64_t> csv_rows;
  std::vector<engine::FactError> errors;
  bool ok = emp ? LoadAuditFacts(store_, rules_, plan_, employer_, *worklog_, false, static_cast<uint32_t>(*emp),
                                 static_cast<uint32_t>(*emp + 1), *facts_, csv_rows, errors)
                : LoadAuditFacts(store_, rules_, plan_, employer_, *worklog_, true, 0, 0, *facts_, csv_rows, errors);
  if (!ok) {
    error = errors.empty() ? "cannot read the run's facts back" : errors.front().document + ": " + errors.front().where + ": " +
                                                                      errors.front().message;
    return false;
  }
  loaded_ = emp;
  have_facts_ = true;
  have_cache_ = false;
  return true;
}

std::optional<engine::Finding> FindingExplainer::Explain(const StoredFinding& f, std::string& error) {
  int32_t index = -1;
  for (uint32_t i = 0; i < rules_.rules.size(); ++i) {
    if (rules_.rules[i].id == f.rule) {
      index = static_cast<int32_t>(i);
      break;
    }
  }
  if (index < 0) {
    error = "the rules have no rule `" + f.rule + "`";
    return std::nullopt;
  }
  if (f.emp && (*f.emp < 0 || static_cast<size_t>(*f.emp) >= employer_.employees.size())) {
    error = "the employer file has no employee " + std::to_string(*f.emp);
    return std::nullopt;
  }
  if (!LoadFor(f.emp, error)) return std::nullopt;
  auto match = [&](const engine::Finding& g) {
    return g.rule == f.rule && g.subject == f.subject && dsl::FindingKindName(g.kind) == f.kind;
  };
  // The findings of one rule for the loaded employee are kept: a report
  // explains many findings of one employee and rule one after the other.
  std::string rule = EvaluatedRule(rules_, static_cast<uint32_t>(index));
  if (cached_rule_ != rule || !have_cache_) {
    cached_rule_ = rule;
    cached_bound_ = 0;
    cached_ = engine::Report();
    have_cache_ = true;
  }
  while (true) {
    for (const auto& g : cached_.findings) {
      if (match(g)) return g;
    }
    if (cached_bound_ > 0 && cached_.findings.size() < cached_bound_) break;  // every finding is out
    cached_bound_ = cached_bound_ == 0 ? 64 : cached_bound_ * 4;
    engine::EvalOptions eval;
    eval.as_of = *as_of_;
    eval.explain = true;
    eval.only_rules = {rule};
    eval.max_findings = cached_bound_;
    cached_ = program_.Evaluate(*facts_, eval);
  }
  error = "evaluating " + std::string(f.emp ? "employee `" + f.employee + "`" : std::string("the employer file")) +
          " again does not give this finding";
  return std::nullopt;
}

}  // namespace nw::cli
