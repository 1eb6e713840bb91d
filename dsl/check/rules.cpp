// Checker passes over definitions, rules and scenarios: subjects, templates,
// rule versions, the exception graph (cycles are errors naming every rule in
// the cycle) and the strata of derived facts (cycles rejected).
#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "dsl/check/checker.hpp"
#include "dsl/print.hpp"

namespace nw::dsl::internal {
namespace {

Type T(TypeKind k, uint32_t id = 0) { return Type{k, id}; }

bool HasLang(const std::vector<LangText>& texts, const std::string& lang) {
  return std::any_of(texts.begin(), texts.end(), [&](const LangText& t) { return t.lang == lang; });
}

}  // namespace

bool Checker::CheckBinding(const SyntaxTree& tree, const Binding& b, Scope& scope, CBinding& out) {
  out.kind = b.kind;
  out.range = b.range;
  auto bind = [&](const Name& var, Type type) {
    if (scope.Find(var.text)) Error("shadowed-variable", tree, var.range, "`" + var.text + "` is already bound");
    uint32_t id = NewVar(var.text, type, var.range);
    scope.vars.push_back({var.text, id});
    return id;
  };
  if (b.kind == Binding::Kind::kEntity) {
    int32_t e = rs_.FindEntity(b.type.text);
    if (e < 0) {
      std::vector<std::string> names;
      for (const EntityInfo& en : rs_.entities) names.push_back(en.name);
      auto m = ClosestMatch(b.type.text, names);
      Error("unknown-type", tree, b.type.range, "unknown entity `" + b.type.text + "`",
            DidYouMean(m));
      bind(b.var, T(TypeKind::kError));
      return false;
    }
    out.entity = static_cast<uint32_t>(e);
    out.var = bind(b.var, T(TypeKind::kEntity, out.entity));
    return true;
  }
  out.collection = CheckExpr(tree, b.collection, scope);
  Type ct = rs_.expr(out.collection).type;
  if (ct.kind == TypeKind::kError) {
    out.var = bind(b.var, T(TypeKind::kError));
    if (b.kind == Binding::Kind::kConsecutive) out.var2 = bind(b.var2, T(TypeKind::kError));
    return false;
  }
  if (ct.kind != TypeKind::kList && !(b.kind == Binding::Kind::kEach && ct.kind == TypeKind::kGroup)) {
    Error("not-a-collection", tree, rs_.expr(out.collection).range,
          "a subject ranges over a list, such as `e.days`; this is " + TypeName(rs_, ct));
    out.var = bind(b.var, T(TypeKind::kError));
    return false;
  }
  out.entity = ct.id;
  if (b.kind != Binding::Kind::kEach) {
    int32_t f = rs_.FindField(out.entity, b.by.text);
    const EntityInfo& ent = rs_.entities[out.entity];
    if (f < 0) {
      std::vector<std::string> names;
      for (const FieldInfo& fi : ent.fields) names.push_back(fi.name);
      auto m = ClosestMatch(b.by.text, names);
      Error("unknown-field", tree, b.by.range, "`" + ent.name + "` has no field `" + b.by.text + "`",
            DidYouMean(m));
    } else if (ent.fields[f].type.kind != TypeKind::kDate) {
      Error("type-mismatch", tree, b.by.range,
            "`by` needs a date field; `" + b.by.text + "` is " + TypeName(rs_, ent.fields[f].type));
    } else {
      out.by_field = static_cast<uint32_t>(f);
      if (ent.fields[f].optional) {
        Error("optional-order", tree, b.by.range, "`by` needs a field that is always known; `" + b.by.text + "` is optional");
      }
    }
  }
  out.group = b.group;
  out.count = b.count;
  switch (b.kind) {
    case Binding::Kind::kEach: out.var = bind(b.var, T(TypeKind::kEntity, out.entity)); break;
    case Binding::Kind::kConsecutive:
      out.var = bind(b.var, T(TypeKind::kEntity, out.entity));
      out.var2 = bind(b.var2, T(TypeKind::kEntity, out.entity));
      break;
    case Binding::Kind::kGroup:
    case Binding::Kind::kPeriod:
      if (b.kind == Binding::Kind::kPeriod && (b.count < 1 || b.count > 520)) {
        Error("bad-period", tree, b.range, "a period is 1 to 520 weeks or months long");
      }
      out.var = bind(b.var, T(TypeKind::kGroup, out.entity));
      break;
    case Binding::Kind::kEntity: break;
  }
  return true;
}

std::vector<Template> Checker::CheckTemplates(const SyntaxTree& tree, const std::vector<LangText>& texts,
                                              Scope& scope, const std::string& clause) {
  std::vector<Template> out;
  std::set<std::string> seen;
  for (const LangText& t : texts) {
    if (!seen.insert(t.lang).second) Error("duplicate-language", tree, t.range, "`" + clause + "` has two `" + t.lang + "` texts");
    Template tpl;
    tpl.lang = t.lang;
    std::string piece;
    size_t hole = 0;
    const std::string& v = t.value;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '{' && i + 1 < v.size() && v[i + 1] == '{') {
        piece += '{';
        ++i;
      } else if (v[i] == '}' && i + 1 < v.size() && v[i + 1] == '}') {
        piece += '}';
        ++i;
      } else if (v[i] == '{') {
        size_t close = v.find('}', i);
        if (close == std::string::npos || hole >= t.holes.size()) break;
        tpl.pieces.push_back(piece);
        piece.clear();
        uint32_t e = CheckExpr(tree, t.holes[hole++], scope);
        Type ty = rs_.expr(e).type;
        if (ty.kind == TypeKind::kList || ty.kind == TypeKind::kGroup || ty.kind == TypeKind::kEntity) {
          Error("type-mismatch", tree, rs_.expr(e).range, "a message can show a value, not " + TypeName(rs_, ty));
        }
        tpl.holes.push_back(e);
        i = close;
      } else {
        piece += v[i];
      }
    }
    tpl.pieces.push_back(piece);
    out.push_back(std::move(tpl));
  }
  return out;
}

void Checker::CheckDefinitions() {
  for (auto [d, tree] : define_decls_) {
    DefinitionInfo info;
    info.name = d->name.text;
    info.source = tree->source;
    info.range = d->range;
    int32_t e = rs_.FindEntity(d->entity.text);
    if (e < 0) {
      std::vector<std::string> names;
      for (const EntityInfo& en : rs_.entities) names.push_back(en.name);
      auto m = ClosestMatch(d->entity.text, names);
      Error("unknown-type", *tree, d->entity.range, "unknown entity `" + d->entity.text + "`",
            DidYouMean(m));
      rs_.definitions.push_back(std::move(info));
      continue;
    }
    info.entity = static_cast<uint32_t>(e);
    info.field = static_cast<uint32_t>(rs_.FindField(info.entity, d->name.text));
    info.type = rs_.entities[e].fields[info.field].type;
    info.cites = ResolveCitations(d->cites, *tree);
    Scope scope;
    info.var = NewVar(d->var.text, T(TypeKind::kEntity, info.entity), d->var.range);
    scope.vars.push_back({d->var.text, info.var});
    info.body = CheckExpr(*tree, d->body, scope, info.type);
    Type bt = rs_.expr(info.body).type;
    bool ok = bt.kind == TypeKind::kError || info.type.kind == TypeKind::kError || bt == info.type ||
              (info.type.kind == TypeKind::kDecimal && bt.kind == TypeKind::kInteger);
    if (!ok) {
      Error("type-mismatch", *tree, tree->expr(d->body).range,
            "`" + info.name + "` is declared " + TypeName(rs_, info.type) + " but its definition is " + TypeName(rs_, bt));
    }
    rs_.definitions.push_back(std::move(info));
  }
}

void Checker::CollectDerivedFieldUses(uint32_t expr, std::vector<uint32_t>& defs) const {
  const CExpr& e = rs_.expr(expr);
  if (e.op == Op::kField) {
    const CExpr& base = rs_.expr(e.args[0]);
    if (base.type.kind == TypeKind::kEntity) {
      const FieldInfo& f = rs_.entities[base.type.id].fields[e.index];
      if (f.definition >= 0) defs.push_back(static_cast<uint32_t>(f.definition));
    }
  }
  for (uint32_t a : e.args) {
    if (a != UINT32_MAX) CollectDerivedFieldUses(a, defs);
  }
}

void Checker::StratifyDefinitions() {
  size_t n = rs_.definitions.size();
  std::vector<std::vector<uint32_t>> deps(n);
  for (size_t i = 0; i < n; ++i) {
    if (rs_.definitions[i].body == UINT32_MAX) continue;
    CollectDerivedFieldUses(rs_.definitions[i].body, deps[i]);
  }
  // Depth-first search; a back edge closes a cycle, reported once with every member.
  std::vector<int> state(n, 0);  // 0 new, 1 on stack, 2 done
  std::vector<uint32_t> stack;
  std::vector<uint32_t> stratum(n, 0);
  std::set<std::set<uint32_t>> reported;
  std::function<void(uint32_t)> visit = [&](uint32_t v) {
    state[v] = 1;
    stack.push_back(v);
    for (uint32_t w : deps[v]) {
      if (state[w] == 1) {
        auto it = std::find(stack.begin(), stack.end(), w);
        std::set<uint32_t> cycle(it, stack.end());
        if (reported.insert(cycle).second) {
          const DefinitionInfo& d = rs_.definitions[w];
          Diagnostic diag;
          diag.code = "definition-cycle";
          diag.source = d.source;
          diag.primary = d.range;
          std::string names;
          for (auto c = it; c != stack.end(); ++c) names += (c == it ? "`" : " → `") + rs_.definitions[*c].name + "`";
          diag.message = "definitions depend on each other in a cycle: " + names + " → `" + d.name + "`";
          for (auto c = it + 1; c != stack.end(); ++c) {
            diag.secondary.push_back(Label{rs_.definitions[*c].source, rs_.definitions[*c].range,
                                           "`" + rs_.definitions[*c].name + "` is part of the cycle"});
          }
          sink_.Report(std::move(diag));
        }
      } else if (state[w] == 0) {
        visit(w);
      }
      if (state[w] == 2) stratum[v] = std::max(stratum[v], stratum[w] + 1);
    }
    stack.pop_back();
    state[v] = 2;
  };
  for (uint32_t i = 0; i < n; ++i) {
    if (state[i] == 0) visit(i);
  }
  for (uint32_t i = 0; i < n; ++i) rs_.definitions[i].stratum = stratum[i];
}

void Checker::CheckRule(WorkRule& w) {
  const RuleDecl& r = *w.decl;
  const SyntaxTree& tree = *w.tree;
  RuleInfo info;
  info.id = r.id.text;
  info.title = r.title;
  info.source = tree.source;
  info.range = r.range;
  info.amended_by = w.amended_by;
  info.exception_to_id = r.exception_to.text;
  info.cites = ResolveCitations(r.cites, tree);
  if (options_.require_citations && r.cites.empty()) {
    Error("missing-citation", tree, r.id.range, "rule `" + info.id + "` cites no article",
          "add `cites ACT art N lid M` after the kind");
  }
  if (!w.from_given && !w.from) {
    Error("missing-validity", tree, r.id.range, "rule `" + info.id + "` has no validity start",
          "add `valid from YYYY-MM-DD`: the day the article came into force");
  }
  if (w.from) info.valid_from = *w.from;
  info.valid_to = w.to;
  if (w.from && w.to && *w.to < *w.from) {
    Error("invalid-period", tree, r.valid_to.text.empty() ? r.id.range : r.valid_to.range,
          "rule `" + info.id + "` ends on " + w.to->ToString() + ", before it starts on " + w.from->ToString());
  }
  if (info.id.find('.') == std::string::npos) {
    Error("unqualified-rule", tree, r.id.range, "rule `" + info.id + "` needs the act's prefix, e.g. `wfw." + info.id + "`");
  }
  info.produces_finding = !r.kind.empty();
  if (info.produces_finding) {
    info.kind = *ParseFindingKind(r.kind);
    info.severity = *ParseSeverity(r.severity);
    if (info.kind == FindingKind::kUndetermined) {
      Error("bad-kind", tree, r.id.range, "`undetermined` is the engine's verdict, not a rule kind");
    }
    for (const char* lang : {"nl", "en"}) {
      if (!HasLang(r.title, lang)) {
        Error("missing-text", tree, r.id.range, std::string("rule `") + info.id + "` has no " + (lang[0] == 'n' ? "Dutch" : "English") + " title",
              std::string("add `title ") + lang + " \"...\"`");
      }
      if (!HasLang(r.message, lang)) {
        Error("missing-text", tree, r.id.range, std::string("rule `") + info.id + "` has no " + (lang[0] == 'n' ? "Dutch" : "English") + " message",
              std::string("add `message ") + lang + " \"...\"`");
      }
    }
  } else if (r.exception_to.text.empty()) {
    Error("missing-kind", tree, r.id.range, "rule `" + info.id + "` has no `kind` and is no exception",
          "add `kind violation severity high`, or `exception to RULE`");
  }
  for (const Name& n : r.deviable_by) {
    const auto& vals = rs_.enums[kSourceLevelEnum].values;
    auto it = std::find(vals.begin(), vals.end(), n.text);
    if (it == vals.end() || n.text == "law") {
      auto m = ClosestMatch(n.text, vals);
      Error("unknown-source-level", tree, n.range,
            "`" + n.text + "` cannot deviate from a norm; use `cao`, `works_agreement`, `individual` or `policy`",
            m && *m != "law" ? std::optional<std::string>("did you mean `" + *m + "`?") : std::nullopt);
    } else {
      info.deviable_by |= 1u << (it - vals.begin());
    }
  }
  info.priority_over.clear();
  for (const Name& n : r.priority_over) info.priority_over.push_back(n.text);
  info.concludes = r.concludes.text;
  info.concludes_value = r.concludes_value;

  // Subjects: an exception without its own `for` ranges over its base's subjects.
  Scope scope;
  const RuleDecl* binding_decl = &r;
  const SyntaxTree* binding_tree = &tree;
  // Follow a chain of exceptions up to the first rule that has its own subjects.
  for (int hops = 0; binding_decl->bindings.empty() && !binding_decl->exception_to.text.empty() && hops < 64; ++hops) {
    const WorkRule* base = nullptr;
    for (const WorkRule& other : rules_) {
      if (other.decl->id.text == binding_decl->exception_to.text && !other.dropped) {
        base = &other;
        break;
      }
    }
    if (base == nullptr) break;
    binding_decl = base->decl;
    binding_tree = base->tree;
  }
  for (const Binding& b : binding_decl->bindings) {
    CBinding cb;
    CheckBinding(*binding_tree, b, scope, cb);
    info.bindings.push_back(cb);
    info.vars.push_back(cb.var);
    if (cb.kind == Binding::Kind::kConsecutive) info.vars.push_back(cb.var2);
  }
  if (info.bindings.empty() && info.produces_finding) {
    Error("missing-subject", tree, r.id.range, "rule `" + info.id + "` has no subject",
          "add `for ENTITY x`, e.g. `for request r`");
  }
  if (r.judged_on != kNoExpr) {
    info.judged_on = CheckExpr(tree, r.judged_on, scope);
    ExpectType(tree, info.judged_on, T(TypeKind::kDate), "`judged on`");
  }
  if (r.source != kNoExpr) {
    info.source_expr = CheckExpr(tree, r.source, scope, T(TypeKind::kEnum, kSourceLevelEnum));
    ExpectType(tree, info.source_expr, T(TypeKind::kEnum, kSourceLevelEnum), "`source`");
  } else if (!r.deviable_by.empty()) {
    Error("missing-source", tree, r.deviable_by.front().range,
          "`deviable by` needs `source`: the level of the document the rule judges", "add `source p.level`");
  }
  if (r.when != kNoExpr) {
    info.when = CheckExpr(tree, r.when, scope);
    ExpectType(tree, info.when, T(TypeKind::kBool), "the condition after `when`");
  } else if (info.produces_finding || !r.exception_to.text.empty()) {
    Error("missing-condition", tree, r.id.range, "rule `" + info.id + "` has no `when` condition");
  }
  for (ExprId u : r.unless) {
    uint32_t c = CheckExpr(tree, u, scope);
    ExpectType(tree, c, T(TypeKind::kBool), "the condition after `unless`");
    info.unless.push_back(c);
  }
  info.message = CheckTemplates(tree, r.message, scope, "message");
  info.remedy = CheckTemplates(tree, r.remedy, scope, "remedy");
  rs_.rules.push_back(std::move(info));
}

void Checker::CheckRules() {
  for (WorkRule& w : rules_) {
    if (!w.dropped) CheckRule(w);
  }
  std::stable_sort(rs_.rules.begin(), rs_.rules.end(), [](const RuleInfo& a, const RuleInfo& b) {
    return std::tie(a.id, a.valid_from) < std::tie(b.id, b.valid_from);
  });
}

void Checker::CheckRuleVersions() {
  for (size_t i = 1; i < rs_.rules.size(); ++i) {
    const RuleInfo& a = rs_.rules[i - 1];
    const RuleInfo& b = rs_.rules[i];
    if (a.id != b.id) continue;
    if (!a.valid_to || *a.valid_to >= b.valid_from) {
      Diagnostic d;
      d.code = "overlapping-versions";
      d.source = b.source;
      d.primary = b.range;
      d.message = "two versions of rule `" + b.id + "` are both valid on " + b.valid_from.ToString();
      d.secondary.push_back(Label{a.source, a.range, "the other version"});
      d.help = "end the earlier version with `valid from ... to " +
               Date::FromDaysSinceEpoch(b.valid_from.DaysSinceEpoch() - 1)->ToString() + "`";
      sink_.Report(std::move(d));
    }
  }
}

void Checker::CheckExceptionGraph() {
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < rs_.rules.size(); ++i) first.emplace(rs_.rules[i].id, i);
  std::map<std::string, std::string> base;  // exception id -> base id
  for (RuleInfo& r : rs_.rules) {
    if (r.exception_to_id.empty()) continue;
    auto it = first.find(r.exception_to_id);
    if (it == first.end()) {
      std::vector<std::string> ids;
      for (const auto& [id, i] : first) ids.push_back(id);
      auto m = ClosestMatch(r.exception_to_id, ids);
      sink_.Error("unknown-rule", r.source, r.range, "`" + r.id + "` is an exception to `" + r.exception_to_id + "`, which does not exist",
                  DidYouMean(m));
      continue;
    }
    r.exception_to = static_cast<int32_t>(it->second);
    base[r.id] = r.exception_to_id;
    const RuleInfo& b = rs_.rules[it->second];
    if (!b.bindings.empty() && !r.bindings.empty()) {
      bool same = b.bindings.size() == r.bindings.size();
      for (size_t k = 0; same && k < b.bindings.size(); ++k) {
        same = b.bindings[k].kind == r.bindings[k].kind && b.bindings[k].entity == r.bindings[k].entity;
      }
      if (!same) {
        Diagnostic d;
        d.code = "exception-subject";
        d.source = r.source;
        d.primary = r.range;
        d.message = "exception `" + r.id + "` ranges over other subjects than `" + b.id + "`";
        d.secondary.push_back(Label{b.source, b.range, "the rule it is an exception to"});
        d.help = "an exception has the same `for` clause as its rule, or none";
        sink_.Report(std::move(d));
      }
    }
  }
  for (const RuleInfo& r : rs_.rules) {
    for (const std::string& p : r.priority_over) {
      auto it = base.find(p);
      if (first.find(p) == first.end()) {
        sink_.Error("unknown-rule", r.source, r.range, "`" + r.id + "` has priority over `" + p + "`, which does not exist");
      } else if (it == base.end() || base.find(r.id) == base.end() || it->second != base[r.id]) {
        sink_.Error("priority-between-non-siblings", r.source, r.range,
                    "`priority over` orders exceptions to the same rule; `" + r.id + "` and `" + p + "` are not");
      }
    }
  }
  // Each rule has at most one base, so cycles are found by walking up.
  std::set<std::string> reported;
  for (const auto& [start, b] : base) {
    std::vector<std::string> path{start};
    std::string cur = b;
    while (true) {
      auto pos = std::find(path.begin(), path.end(), cur);
      if (pos != path.end()) {
        std::vector<std::string> cycle(pos, path.end());
        std::string key = *std::min_element(cycle.begin(), cycle.end());
        if (reported.insert(key).second) {
          const RuleInfo& r0 = rs_.rules[first[cycle.front()]];
          Diagnostic d;
          d.code = "exception-cycle";
          d.source = r0.source;
          d.primary = r0.range;
          std::string names;
          for (const auto& c : cycle) names += "`" + c + "` → ";
          d.message = "exceptions form a cycle: " + names + "`" + cycle.front() + "`";
          for (size_t k = 1; k < cycle.size(); ++k) {
            const RuleInfo& rk = rs_.rules[first[cycle[k]]];
            d.secondary.push_back(Label{rk.source, rk.range, "`" + rk.id + "` is part of the cycle"});
          }
          sink_.Report(std::move(d));
        }
        break;
      }
      path.push_back(cur);
      auto next = base.find(cur);
      if (next == base.end()) break;
      cur = next->second;
    }
  }
}

void Checker::CheckScenarios() {
  // Rules an amendment repealed are still known names: `expect no` may speak of them.
  std::set<std::string> ids;
  for (const RuleInfo& r : rs_.rules) ids.insert(r.id);
  for (const WorkRule& w : rules_) ids.insert(w.decl->id.text);
  std::vector<std::string> id_list(ids.begin(), ids.end());
  for (auto [s, tree] : scenario_decls_) {
    ScenarioInfo info;
    info.title = s->title;
    info.source = tree->source;
    info.range = s->range;
    info.facts_range = s->facts_range;
    if (auto d = ParseDate(s->as_of, *tree)) info.as_of = *d;
    if (!s->facts_file.empty()) {
      std::filesystem::path base = std::filesystem::path(tree->source->name()).parent_path();
      std::filesystem::path file = base / s->facts_file;
      info.facts_file = file.lexically_normal().string();
      if (!std::filesystem::exists(file)) {
        Error("missing-file", *tree, s->range, "facts file `" + info.facts_file + "` does not exist");
      }
    } else {
      info.facts_json = s->facts_json;
      try {
        auto parsed = nlohmann::json::parse(s->facts_json);
        if (!parsed.is_object()) Error("bad-facts", *tree, s->facts_range, "the facts must be a JSON object");
      } catch (const nlohmann::json::parse_error& e) {
        uint32_t offset = s->facts_range.begin + static_cast<uint32_t>(e.byte > 0 ? e.byte - 1 : 0);
        std::string what = e.what();
        auto colon = what.rfind(": ");
        Error("bad-facts", *tree, SourceRange{offset, offset + 1},
              "the facts are not valid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)));
      }
    }
    for (const Expectation& x : s->expectations) {
      ExpectationInfo ex;
      ex.absent = x.absent;
      if (!x.absent) ex.kind = ParseFindingKind(x.kind);
      ex.rule = x.rule.text;
      ex.subject = x.subject;
      ex.missing = x.missing;
      ex.range = x.range;
      if (!ids.count(x.rule.text)) {
        auto m = ClosestMatch(x.rule.text, id_list);
        Error("unknown-rule", *tree, x.rule.range, "unknown rule `" + x.rule.text + "`",
              DidYouMean(m));
      }
      if (!x.missing.empty() && ex.kind != FindingKind::kUndetermined && ex.kind != FindingKind::kReview) {
        Error("missing-without-undetermined", *tree, x.range,
              "`missing` belongs to an `undetermined` or `review` expectation");
      }
      info.expectations.push_back(std::move(ex));
    }
    if (info.expectations.empty()) {
      Error("empty-scenario", *tree, s->range, "scenario \"" + s->title + "\" expects nothing",
            "add `expect KIND RULE on PATH` or `expect no RULE`");
    }
    rs_.scenarios.push_back(std::move(info));
  }
}

std::optional<CheckedRuleSet> Checker::Run(const std::vector<const SyntaxTree*>& files,
                                           const std::vector<const SyntaxTree*>& amendments) {
  CollectDeclarations(files);
  for (const SyntaxTree* a : amendments) CollectAmendmentDeclarations(*a);
  CheckActs();
  ResolveSchema();
  // With `schema_only`, an amendment contributes its declarations but changes no
  // rule: the current law over the amended fact model, the base side of a diff.
  if (!options_.amendment_schema_only) {
    for (const SyntaxTree* a : amendments) ApplyAmendment(*a);
  }
  // Derived facts become fields of their entity before any expression is checked.
  for (size_t i = 0; i < define_decls_.size(); ++i) {
    auto [d, tree] = define_decls_[i];
    int32_t e = rs_.FindEntity(d->entity.text);
    if (e < 0) continue;
    if (rs_.FindField(static_cast<uint32_t>(e), d->name.text) >= 0) {
      const FieldInfo& f = rs_.entities[e].fields[rs_.FindField(static_cast<uint32_t>(e), d->name.text)];
      ErrorWithNote("duplicate-name", *tree, d->name.range,
                    "`" + d->entity.text + "` already has a field `" + d->name.text + "`", f.source, f.range,
                    "declared here");
      continue;
    }
    FieldInfo f;
    f.name = d->name.text;
    f.type = ResolveType(d->type, *tree, false);
    f.optional = true;
    f.definition = static_cast<int32_t>(i);
    f.source = tree->source;
    f.range = d->range;
    rs_.entities[e].fields.push_back(std::move(f));
  }
  CheckParams();
  CheckDefinitions();
  StratifyDefinitions();
  CheckRules();
  CheckRuleVersions();
  CheckExceptionGraph();
  CheckScenarios();
  if (!rs_.rules.empty() && rs_.root == kNoEntity) {
    sink_.Error("missing-root", nullptr, {}, "the rules have no schema root: declare `entity case { ... }`");
  }
  // A hash of every file's canonical text identifies the rule set in run records.
  uint64_t h = 1469598103934665603ull;
  std::vector<std::pair<std::string, std::string>> texts;
  for (const SyntaxTree* t : files) texts.push_back({t->source->name(), Print(*t)});
  for (const SyntaxTree* t : amendments) texts.push_back({t->source->name(), Print(*t)});
  std::sort(texts.begin(), texts.end());
  for (const auto& [name, text] : texts) {
    for (char c : text) {
      h ^= static_cast<uint8_t>(c);
      h *= 1099511628211ull;
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  rs_.hash = buf;
  if (sink_.HasErrors()) return std::nullopt;
  // Definitions in stratum order for the engine.
  std::vector<uint32_t> order(rs_.definitions.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return rs_.definitions[a].stratum < rs_.definitions[b].stratum;
  });
  std::vector<DefinitionInfo> sorted;
  for (uint32_t i : order) sorted.push_back(rs_.definitions[i]);
  for (uint32_t i = 0; i < sorted.size(); ++i) {
    rs_.entities[sorted[i].entity].fields[sorted[i].field].definition = static_cast<int32_t>(i);
  }
  rs_.definitions = std::move(sorted);
  return std::move(rs_);
}

}  // namespace nw::dsl::internal

namespace nw::dsl {

std::optional<CheckedRuleSet> Check(const std::vector<const SyntaxTree*>& files,
                                    const std::vector<const SyntaxTree*>& amendments, DiagnosticSink& sink,
                                    const CheckOptions& options) {
  internal::Checker checker(sink, options);
  return checker.Run(files, amendments);
}

}  // namespace nw::dsl
