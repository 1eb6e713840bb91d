// Rule-set analysis: parameter gaps and enum coverage by inspection; dead,
// always-overridden and contradicting rules by a search over boundary values.
#include "engine/analyze.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "dsl/support/values/date.hpp"
#include "engine/format.hpp"
#include "engine/internal/evaluator.hpp"
#include "engine/program.hpp"

namespace nw::engine {

using dsl::Op;
using dsl::TypeKind;

const char* AnalysisKindName(AnalysisKind k) {
  switch (k) {
    case AnalysisKind::kContradiction: return "contradiction";
    case AnalysisKind::kDeadRule: return "dead-rule";
    case AnalysisKind::kAlwaysOverridden: return "always-overridden";
    case AnalysisKind::kParameterGap: return "parameter-gap";
    case AnalysisKind::kUnmentionedEnumValue: return "unmentioned-enum-value";
    case AnalysisKind::kNotAnalysed: return "not-analysed";
  }
  return "?";
}

namespace {

void Walk(const dsl::CheckedRuleSet& rs, uint32_t node, const std::function<void(const dsl::CExpr&)>& visit) {
  if (node == UINT32_MAX) return;
  const dsl::CExpr& e = rs.expr(node);
  visit(e);
  for (uint32_t a : e.args) Walk(rs, a, visit);
}

std::vector<uint32_t> RuleExprs(const dsl::RuleInfo& r) {
  std::vector<uint32_t> out{r.when};
  out.insert(out.end(), r.unless.begin(), r.unless.end());
  if (r.judged_on != UINT32_MAX) out.push_back(r.judged_on);
  if (r.source_expr != UINT32_MAX) out.push_back(r.source_expr);
  return out;
}

bool ValidOn(const dsl::RuleInfo& r, Date d) { return r.valid_from <= d && (!r.valid_to || d <= *r.valid_to); }

Date AddDays(Date d, int64_t n) { return d.AddDays(n).value_or(d); }

// 1. Parameters whose versions leave part of a using rule's validity uncovered.
void ParameterGaps(const dsl::CheckedRuleSet& rs, std::vector<AnalysisFinding>& out) {
  std::set<std::string> seen;
  for (const dsl::RuleInfo& r : rs.rules) {
    std::set<uint32_t> params;
    for (uint32_t x : RuleExprs(r)) {
      Walk(rs, x, [&](const dsl::CExpr& e) {
        if (e.op == Op::kParam) params.insert(e.index);
      });
    }
    for (uint32_t p : params) {
      const dsl::ParamInfo& pi = rs.params[p];
      // Walk the rule's validity and find the first day no version covers.
      Date day = r.valid_from;
      std::optional<Date> gap_from;
      for (const dsl::ParamVersion& v : pi.versions) {
        if (v.to && *v.to < day) continue;
        if (v.from > day) {
          gap_from = day;
          break;
        }
        if (!v.to) {
          day = Date::Max();
          break;
        }
        day = AddDays(*v.to, 1);
        if (r.valid_to && day > *r.valid_to) break;
      }
      if (!gap_from && day != Date::Max() && (!r.valid_to || day <= *r.valid_to)) gap_from = day;
      if (!gap_from) continue;
      std::string key = std::string("parameter-gap ") + r.id + " " + pi.name;
      if (!seen.insert(key).second) continue;
      AnalysisFinding f;
      f.kind = AnalysisKind::kParameterGap;
      f.rules = {r.id};
      f.key = key;
      f.message = "rule `" + r.id + "` is in force from " + r.valid_from.ToString() +
                  (r.valid_to ? " to " + r.valid_to->ToString() : std::string(" with no end")) + ", but parameter `" +
                  pi.name + "` has no value from " + gap_from->ToString();
      f.source = r.source;
      f.range = r.range;
      out.push_back(std::move(f));
    }
  }
}

// 2. Enums the rules range over (two or more values named) with values no rule names.
void UnmentionedEnumValues(const dsl::CheckedRuleSet& rs, std::vector<AnalysisFinding>& out) {
  std::map<uint32_t, std::set<int64_t>> mentioned;
  std::map<uint32_t, const dsl::RuleInfo*> example;
  for (const dsl::RuleInfo& r : rs.rules) {
    for (uint32_t x : RuleExprs(r)) {
      Walk(rs, x, [&](const dsl::CExpr& e) {
        if (e.op == Op::kLiteral && e.type.kind == TypeKind::kEnum && e.type.id != dsl::kSourceLevelEnum) {
          mentioned[e.type.id].insert(e.literal.a);
          example.emplace(e.type.id, &r);
        }
      });
    }
  }
  for (const auto& [en, values] : mentioned) {
    const dsl::EnumInfo& info = rs.enums[en];
    if (values.size() < 2) continue;
    std::string missing;
    for (size_t i = 0; i < info.values.size(); ++i) {
      if (!values.count(static_cast<int64_t>(i))) missing += (missing.empty() ? "`" : ", `") + info.values[i] + "`";
    }
    if (missing.empty()) continue;
    AnalysisFinding f;
    f.kind = AnalysisKind::kUnmentionedEnumValue;
    f.key = "unmentioned-enum-value " + info.name;
    f.message = "the rules name " + std::to_string(values.size()) + " values of `" + info.name + "` but never " + missing;
    f.source = info.source;
    f.range = info.range;
    out.push_back(std::move(f));
  }
}

// The search: candidate values for every fact a set of rules reads, sampled into
// one subject (with its own owners) per sample.
class Search {
 public:
  Search(const dsl::CheckedRuleSet& rs, const Program& program, const AnalysisOptions& options)
      : rs_(rs), program_(program), options_(options) {}

  struct Outcome {
    std::vector<std::set<uint32_t>> fires;  // per rule asked: sample rows where it fires
    std::vector<uint32_t> holds;            // per rule asked: rows where its condition holds
    std::vector<bool> errored;              // per rule asked: evaluation errors (reported elsewhere)
    std::unique_ptr<FactStore> store;
  };

  // Evaluates `rule_ids` (rule indices, all over `entity`) on samples around `base`.
  Outcome Run(uint32_t entity, const std::vector<uint32_t>& rule_ids, Date base) {
    std::vector<uint32_t> chain;  // the root, ..., the subject's entity: one row each per sample
    for (int32_t e = static_cast<int32_t>(entity); e >= 0; e = rs_.entities[e].owner) chain.push_back(static_cast<uint32_t>(e));
    std::reverse(chain.begin(), chain.end());
    std::vector<uint32_t> extras;  // lists an aggregate ranges over, off the chain: one item each
    // Facts read and constants used.
    std::set<std::pair<uint32_t, uint32_t>> atoms;
    std::map<TypeKind, std::set<std::pair<int64_t, int64_t>>> constants;
    std::set<int64_t> durations_days, durations_months;
    std::set<uint32_t> seen_defs;
    std::function<void(uint32_t)> scan = [&](uint32_t node) {
      Walk(rs_, node, [&](const dsl::CExpr& e) {
        if (e.op == Op::kField) {
          const dsl::CExpr& b = rs_.expr(e.args[0]);
          if (b.type.kind == TypeKind::kEntity) {
            const dsl::FieldInfo& fi = rs_.entities[b.type.id].fields[e.index];
            if (fi.definition >= 0) {
              if (seen_defs.insert(static_cast<uint32_t>(fi.definition)).second) scan(rs_.definitions[fi.definition].body);
            } else if (fi.type.kind != TypeKind::kList && fi.type.kind != TypeKind::kEntity) {
              atoms.insert({b.type.id, e.index});
            }
          }
        }
        if (e.op == Op::kAggregate) {
          const dsl::CExpr& coll = rs_.expr(e.args[0]);
          uint32_t child = coll.type.id;
          if (coll.type.kind == TypeKind::kList && std::find(chain.begin(), chain.end(), child) == chain.end() &&
              std::find(extras.begin(), extras.end(), child) == extras.end()) {
            extras.push_back(child);
          }
        }
        if (e.op == Op::kLiteral) constants[e.type.kind].insert({e.literal.a, e.literal.b});
        if (e.op == Op::kParam || e.op == Op::kParamOn) {
          for (const dsl::ParamVersion& v : rs_.params[e.index].versions) constants[e.type.kind].insert({v.value.a, v.value.b});
        }
      });
    };
    std::vector<uint32_t> all = rule_ids;
    for (uint32_t r : rule_ids) {
      for (uint32_t x : program_.compiled()[r].exceptions) all.push_back(x);
    }
    for (uint32_t r : all) {
      for (uint32_t x : RuleExprs(rs_.rules[r])) scan(x);
    }
    for (const auto& [a, b] : constants[TypeKind::kDuration]) {
      if (a != 0) durations_months.insert(a);
      if (b != 0) durations_days.insert(b);
    }
    // Date offsets: around each duration and literal date, a day either side.
    std::vector<int64_t> date_values;
    int64_t d0 = base.DaysSinceEpoch();
    auto add_date = [&](int64_t d) {
      for (int64_t k = -1; k <= 1; ++k) date_values.push_back(d + k);
    };
    add_date(d0);
    for (int64_t m : durations_months) {
      for (int sign : {-1, 1}) {
        if (auto x = AddMonths(base, static_cast<int32_t>(sign * m), kLawMonthEnd)) add_date(x->DaysSinceEpoch());
      }
    }
    for (int64_t d : durations_days) {
      add_date(d0 + d);
      add_date(d0 - d);
    }
    for (const auto& [a, b] : constants[TypeKind::kDate]) add_date(a);

    auto candidates = [&](const dsl::FieldInfo& fi) {
      std::vector<std::pair<State, dsl::Value>> c;
      auto known = [&](int64_t a, int64_t b = 1) { c.push_back({State::kKnown, dsl::Value{a, b}}); };
      switch (fi.type.kind) {
        case TypeKind::kBool: known(1); known(0); break;
        case TypeKind::kEnum:
          for (size_t i = 0; i < rs_.enums[fi.type.id].values.size(); ++i) known(static_cast<int64_t>(i));
          break;
        case TypeKind::kDate:
          for (int64_t d : date_values) known(d);
          break;
        case TypeKind::kCountry:
          known('N' << 8 | 'L');
          known('B' << 8 | 'E');
          known('D' << 8 | 'E');
          for (const auto& [a, b] : constants[TypeKind::kCountry]) known(a);
          break;
        case TypeKind::kDecimal:
        case TypeKind::kPercentage:
          known(0);
          for (const auto& [a, b] : constants[fi.type.kind]) {
            known(a, b);
            known(a * 1000 + 1, b * 1000);
            known(a * 1000 - 1, b * 1000);
          }
          break;
        case TypeKind::kDuration:
          for (const auto& [a, b] : constants[TypeKind::kDuration]) known(a, b);
          known(0, 0);
          break;
        case TypeKind::kText: known(0); break;
        case TypeKind::kSet: known(0); known(1); known(3); break;
        default:  // integer, money, timespan, time, datetime
          known(0);
          for (const auto& [a, b] : constants[fi.type.kind]) {
            known(a - 1);
            known(a);
            known(a + 1);
          }
      }
      if (c.empty()) known(0);
      c.push_back({State::kUnknown, {}});
      if (fi.optional) c.push_back({State::kNone, {}});
      return c;
    };

    Outcome out;
    out.store = std::make_unique<FactStore>(rs_);
    FactStore& store = *out.store;
    uint64_t state = options_.seed;
    auto next = [&]() {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      return static_cast<uint32_t>(state >> 33);
    };
    std::map<std::pair<uint32_t, uint32_t>, std::vector<std::pair<State, dsl::Value>>> cands;
    for (const auto& atom : atoms) cands[atom] = candidates(rs_.entities[atom.first].fields[atom.second]);
    for (uint32_t k = 0; k < options_.samples; ++k) {
      std::map<uint32_t, uint32_t> row_of;  // entity -> this sample's row
      std::vector<uint32_t> order = chain;
      for (uint32_t x : extras) {
        if (row_of.count(x) == 0) order.push_back(x);
      }
      for (uint32_t e : order) {
        int32_t owner = rs_.entities[e].owner;
        if (owner >= 0 && row_of.count(static_cast<uint32_t>(owner)) == 0) continue;  // its owner is not sampled
        uint32_t owner_row = owner >= 0 ? row_of[static_cast<uint32_t>(owner)] : 0;
        uint32_t row = store.AddRow(e, owner_row, 0);
        row_of[e] = row;
        if (e == rs_.root) store.SetDocumentName(row, "sample " + std::to_string(k));
        const dsl::EntityInfo& info = rs_.entities[e];
        for (size_t f = 0; f < info.fields.size(); ++f) {
          const dsl::FieldInfo& fi = info.fields[f];
          if (fi.definition >= 0 || fi.type.kind == TypeKind::kList || fi.type.kind == TypeKind::kEntity) continue;
          Column& col = store.table(e).columns[f];
          auto it = cands.find({e, static_cast<uint32_t>(f)});
          if (it != cands.end()) {
            // The first samples vary one fact at a time from the first candidate; the rest are random.
            const auto& options = it->second;
            const auto& pick = options[next() % options.size()];
            col.Set(row, pick.second.a, pick.second.b == 0 ? 1 : pick.second.b, pick.first);
          } else if (!fi.optional) {
            int64_t a = fi.type.kind == TypeKind::kDate ? d0 : fi.type.kind == TypeKind::kCountry ? ('N' << 8 | 'L') : 0;
            if (fi.type.kind == TypeKind::kText) a = store.Intern("x");
            col.Set(row, a, 1, State::kKnown);
          }
        }
      }
    }
    store.Seal();
    EvalOptions eo;
    eo.as_of = base;
    eo.compact = true;
    eo.explain = false;
    for (uint32_t r : rule_ids) eo.only_rules.push_back(rs_.rules[r].id);
    Report report = program_.Evaluate(store, eo);
    out.fires.resize(rule_ids.size());
    out.holds.resize(rule_ids.size());
    out.errored.resize(rule_ids.size());
    for (const EvalError& err : report.errors) {
      for (size_t i = 0; i < rule_ids.size(); ++i) {
        if (err.rule == rs_.rules[rule_ids[i]].id) out.errored[i] = true;
      }
    }
    for (const CompactFinding& c : report.compact) {
      if (c.kind == dsl::FindingKind::kUndetermined || c.entity != entity) continue;
      for (size_t i = 0; i < rule_ids.size(); ++i) {
        if (rs_.rules[c.rule_index].id == rs_.rules[rule_ids[i]].id) out.fires[i].insert(c.row);
      }
    }
    // Where each rule's own condition holds, exceptions aside.
    internal::Evaluator ev(rs_, store, base);
    ev.ComputeDefinitions();
    for (size_t i = 0; i < rule_ids.size(); ++i) {
      const dsl::RuleInfo& r = rs_.rules[rule_ids[i]];
      internal::Frame f = ev.BuildFrame(r.bindings);
      internal::Vec v;
      ev.EvalAll(r.when, f, v);
      uint32_t n = 0;
      for (size_t k = 0; k < f.size; ++k) n += v.s[k] == State::kKnown && v.a[k];
      out.holds[i] = n;
    }
    return out;
  }

  // The facts of one sample as a case file.
  std::string Witness(const FactStore& store, uint32_t entity, uint32_t row) const {
    std::vector<std::pair<uint32_t, uint32_t>> chain;
    for (int32_t e = static_cast<int32_t>(entity); e >= 0; e = rs_.entities[e].owner) {
      chain.push_back({static_cast<uint32_t>(e), row});
      if (rs_.entities[e].owner >= 0) row = store.table(static_cast<uint32_t>(e)).owner[row];
    }
    nlohmann::ordered_json inner;
    for (size_t i = 0; i < chain.size(); ++i) {
      auto [e, r] = chain[i];
      nlohmann::ordered_json obj;
      const dsl::EntityInfo& info = rs_.entities[e];
      for (size_t f = 0; f < info.fields.size(); ++f) {
        const dsl::FieldInfo& fi = info.fields[f];
        if (fi.definition >= 0 || fi.type.kind == TypeKind::kList || fi.type.kind == TypeKind::kEntity) continue;
        const Column& col = store.table(e).columns[f];
        if (col.state(r) == State::kUnknown) continue;
        if (col.state(r) == State::kNone) {
          obj[fi.name] = nullptr;
          continue;
        }
        std::string text = CanonicalValue(rs_, &store, fi.type, col.a(r), col.b(r), State::kKnown);
        if (fi.type.kind == TypeKind::kBool) obj[fi.name] = col.a(r) != 0;
        else if (fi.type.kind == TypeKind::kInteger) obj[fi.name] = col.a(r);
        else obj[fi.name] = text;
      }
      if (i > 0) {
        const dsl::FieldInfo& holder = rs_.entities[e].fields[rs_.entities[chain[i - 1].first].owner_field];
        if (holder.type.kind == TypeKind::kList) obj[holder.name] = nlohmann::ordered_json::array({inner});
        else obj[holder.name] = inner;
      }
      inner = obj;
    }
    return inner.dump();
  }

 private:
  const dsl::CheckedRuleSet& rs_;
  const Program& program_;
  const AnalysisOptions& options_;
};

// The search covers subjects that are one entity, or an entity and items of its
// lists (`for document p, each v in p.provisions`); aggregates over lists are
// sampled with one item. Groups, windows and consecutive pairs are not.
bool Analysable(const dsl::CheckedRuleSet& rs, const dsl::RuleInfo& r) {
  if (r.bindings.empty() || r.bindings[0].kind != dsl::Binding::Kind::kEntity) return false;
  for (size_t i = 1; i < r.bindings.size(); ++i) {
    if (r.bindings[i].kind != dsl::Binding::Kind::kEach) return false;
  }
  bool simple = true;
  for (uint32_t x : RuleExprs(r)) {
    Walk(rs, x, [&](const dsl::CExpr& e) {
      if (e.op == Op::kAggregate && rs.expr(e.args[0]).type.kind != TypeKind::kList) simple = false;
    });
  }
  return simple;
}

// The entity of the rule's subject: its last binding's.
uint32_t SubjectEntity(const dsl::RuleInfo& r) { return r.bindings.back().entity; }

// A date inside the rule's validity near the analysis date.
Date BaseFor(const dsl::RuleInfo& r, Date as_of) {
  Date d = as_of;
  if (d < r.valid_from) d = AddDays(r.valid_from, 90);
  if (r.valid_to && d > *r.valid_to) d = AddDays(*r.valid_to, -1);
  if (d < r.valid_from) d = r.valid_from;
  return d;
}

bool ExceptionRelated(const dsl::CheckedRuleSet& rs, const std::string& a, const std::string& b) {
  auto base_of = [&](const std::string& id) {
    for (const auto& r : rs.rules) {
      if (r.id == id) return r.exception_to_id;
    }
    return std::string();
  };
  for (std::string x = a; !x.empty(); x = base_of(x)) {
    if (x == b) return true;
  }
  for (std::string x = b; !x.empty(); x = base_of(x)) {
    if (x == a) return true;
  }
  return false;
}

}  // namespace

std::vector<AnalysisFinding> Analyze(const dsl::CheckedRuleSet& rs, const AnalysisOptions& options) {
  std::vector<AnalysisFinding> out;
  ParameterGaps(rs, out);
  UnmentionedEnumValues(rs, out);
  Program program = Program::Compile(rs);
  Search search(rs, program, options);
  std::vector<uint32_t> candidates;  // one version per rule id: the one in force, else the latest
  std::map<std::string, uint32_t> chosen;
  for (uint32_t i = 0; i < rs.rules.size(); ++i) {
    const dsl::RuleInfo& r = rs.rules[i];
    if (!r.exception_to_id.empty() || !r.produces_finding) continue;
    auto it = chosen.find(r.id);
    if (it == chosen.end() || ValidOn(r, options.as_of)) chosen[r.id] = i;
  }
  for (const auto& [id, i] : chosen) {
    const dsl::RuleInfo& r = rs.rules[i];
    if (!Analysable(rs, r)) {
      AnalysisFinding f;
      f.kind = AnalysisKind::kNotAnalysed;
      f.rules = {r.id};
      f.key = "not-analysed " + r.id;
      f.message = "rule `" + r.id + "` ranges over collections or aggregates, which the search does not yet cover";
      f.source = r.source;
      f.range = r.range;
      out.push_back(std::move(f));
      continue;
    }
    candidates.push_back(i);
    Search::Outcome o = search.Run(SubjectEntity(r), {i}, BaseFor(r, options.as_of));
    // A rule that fails to evaluate (a parameter gap, reported above) is not called dead.
    if (!o.fires[0].empty() || o.errored[0]) continue;
    AnalysisFinding f;
    f.rules = {r.id};
    f.source = r.source;
    f.range = r.range;
    if (o.holds[0] > 0) {
      f.kind = AnalysisKind::kAlwaysOverridden;
      f.key = "always-overridden " + r.id;
      f.message = "rule `" + r.id + "` holds for " + std::to_string(o.holds[0]) + " of " +
                  std::to_string(options.samples) + " fact combinations tried, but an exception or a permitted deviation always takes it away";
    } else {
      f.kind = AnalysisKind::kDeadRule;
      f.key = "dead-rule " + r.id;
      f.message = "no facts found for which rule `" + r.id + "` fires (" + std::to_string(options.samples) +
                  " combinations of its conditions' boundary values tried)";
    }
    out.push_back(std::move(f));
  }
  // Contradictions: opposite conclusions on the same subject, in force together, no priority between them.
  for (size_t x = 0; x < candidates.size(); ++x) {
    for (size_t y = x + 1; y < candidates.size(); ++y) {
      const dsl::RuleInfo& a = rs.rules[candidates[x]];
      const dsl::RuleInfo& b = rs.rules[candidates[y]];
      if (a.concludes.empty() || a.concludes != b.concludes || a.concludes_value == b.concludes_value) continue;
      if (SubjectEntity(a) != SubjectEntity(b)) continue;
      Date from = std::max(a.valid_from, b.valid_from);
      std::optional<Date> to = a.valid_to;
      if (b.valid_to && (!to || *b.valid_to < *to)) to = b.valid_to;
      if (to && *to < from) continue;
      if (ExceptionRelated(rs, a.id, b.id)) continue;
      Date base = options.as_of < from ? AddDays(from, 1) : (to && options.as_of > *to ? *to : options.as_of);
      Search::Outcome o = search.Run(SubjectEntity(a), {candidates[x], candidates[y]}, base);
      std::vector<uint32_t> both;
      std::set_intersection(o.fires[0].begin(), o.fires[0].end(), o.fires[1].begin(), o.fires[1].end(),
                            std::back_inserter(both));
      if (both.empty()) continue;
      AnalysisFinding f;
      f.kind = AnalysisKind::kContradiction;
      f.rules = {a.id, b.id};
      f.key = "contradiction " + a.id + " " + b.id;
      f.message = "`" + a.id + "` concludes " + a.concludes + " = " + (a.concludes_value ? "true" : "false") + " and `" +
                  b.id + "` concludes " + (b.concludes_value ? "true" : "false") +
                  " for the same subject, with no exception or priority between them";
      f.witness = search.Witness(*o.store, SubjectEntity(a), both.front());
      f.source = a.source;
      f.range = a.range;
      out.push_back(std::move(f));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const AnalysisFinding& p, const AnalysisFinding& q) { return p.key < q.key; });
  return out;
}

}  // namespace nw::engine
