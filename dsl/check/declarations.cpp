// Checker passes over declarations: collecting names, laying amendments over
// the rules, the schema (entities, fields, owners), acts and parameters.
#include <algorithm>
#include <set>

#include "dsl/check/checker.hpp"
#include "dsl/support/values/country.hpp"
#include "dsl/support/values/duration.hpp"
#include "dsl/support/values/money.hpp"
#include "dsl/support/values/percentage.hpp"
#include "dsl/support/values/rational.hpp"
#include "dsl/support/values/time_of_day.hpp"
#include "dsl/support/values/timespan.hpp"

namespace nw::dsl::internal {

void Checker::Error(const char* code, const SyntaxTree& tree, SourceRange r, std::string message,
                    std::optional<std::string> help) {
  sink_.Error(code, tree.source, r, std::move(message), std::move(help));
}

void Checker::ErrorWithNote(const char* code, const SyntaxTree& tree, SourceRange r, std::string message,
                            const Source* note_source, SourceRange note_range, std::string note) {
  Diagnostic d;
  d.code = code;
  d.source = tree.source;
  d.primary = r;
  d.message = std::move(message);
  d.secondary.push_back(Label{note_source, note_range, std::move(note)});
  sink_.Report(std::move(d));
}

std::optional<Date> Checker::ParseDate(const Name& n, const SyntaxTree& tree) {
  auto d = Date::Parse(n.text);
  if (!d) Error("invalid-date", tree, n.range, "`" + n.text + "` is not a valid calendar date");
  return d;
}

namespace {

// Registers a top-level name; reports a duplicate with a note at the first.
bool Register(std::map<std::string, const Source*>& sources, std::map<std::string, SourceRange>& ranges,
              const std::string& kind, const Name& name, const SyntaxTree& tree, DiagnosticSink& sink) {
  std::string key = kind + ":" + name.text;
  auto it = sources.find(key);
  if (it != sources.end()) {
    Diagnostic d;
    d.code = "duplicate-name";
    d.source = tree.source;
    d.primary = name.range;
    d.message = kind + " `" + name.text + "` is declared twice";
    d.secondary.push_back(Label{it->second, ranges[key], "first declared here"});
    sink.Report(std::move(d));
    return false;
  }
  sources[key] = tree.source;
  ranges[key] = name.range;
  return true;
}

}  // namespace

void Checker::CollectDeclarations(const std::vector<const SyntaxTree*>& files) {
  for (const SyntaxTree* tree : files) {
    for (const Item& item : tree->items) {
      if (auto* a = std::get_if<ActDecl>(&item)) {
        if (Register(first_def_source_, first_def_range_, "act", a->name, *tree, sink_)) act_decls_.push_back({a, tree});
      } else if (auto* e = std::get_if<EnumDecl>(&item)) {
        if (Register(first_def_source_, first_def_range_, "enum", e->name, *tree, sink_)) enum_decls_.push_back({e, tree});
      } else if (auto* en = std::get_if<EntityDecl>(&item)) {
        if (Register(first_def_source_, first_def_range_, "entity", en->name, *tree, sink_)) {
          entity_decls_.push_back({en, tree});
        }
      } else if (auto* x = std::get_if<ExtendDecl>(&item)) {
        extend_decls_.push_back({x, tree});
      } else if (auto* p = std::get_if<ParamDecl>(&item)) {
        if (Register(first_def_source_, first_def_range_, "parameter", p->name, *tree, sink_)) {
          WorkParam w{p, tree, {}};
          for (const ParamValue& v : p->values) {
            auto from = ParseDate(v.from, *tree);
            std::optional<Date> to;
            if (!v.to.text.empty()) to = ParseDate(v.to, *tree);
            if (from) w.values.push_back(WorkValue{&v, tree, *from, to});
          }
          params_.push_back(std::move(w));
        }
      } else if (auto* d = std::get_if<DefineDecl>(&item)) {
        define_decls_.push_back({d, tree});
      } else if (auto* r = std::get_if<RuleDecl>(&item)) {
        WorkRule w;
        w.decl = r;
        w.tree = tree;
        if (!r->valid_from.text.empty()) {
          w.from = ParseDate(r->valid_from, *tree);
          w.from_given = true;
        }
        if (!r->valid_to.text.empty()) w.to = ParseDate(r->valid_to, *tree);
        if (r->action == RuleDecl::Action::kReplace) {
          Error("replace-outside-amendment", *tree, r->range, "`replace` is only allowed in an amendment file");
        }
        rules_.push_back(std::move(w));
      } else if (auto* s = std::get_if<ScenarioDecl>(&item)) {
        scenario_decls_.push_back({s, tree});
      } else if (auto* am = std::get_if<AmendmentDecl>(&item)) {
        Error("amendment-in-rules", *tree, am->range,
              "an amendment goes in its own file, given with `--amendment`");
      } else if (auto* rp = std::get_if<RepealDecl>(&item)) {
        Error("repeal-outside-amendment", *tree, rp->range, "`repeal` is only allowed in an amendment file");
      } else if (auto* st = std::get_if<SetDecl>(&item)) {
        Error("set-outside-amendment", *tree, st->range, "`set` is only allowed in an amendment file");
      }
    }
  }
}

// An amendment may declare the acts, enums, facts (`extend`, entities) and
// definitions its rules need; they join the schema like any rule file's.
void Checker::CollectAmendmentDeclarations(const SyntaxTree& tree) {
  for (const Item& item : tree.items) {
    if (auto* a = std::get_if<ActDecl>(&item)) {
      if (Register(first_def_source_, first_def_range_, "act", a->name, tree, sink_)) act_decls_.push_back({a, &tree});
    } else if (auto* e = std::get_if<EnumDecl>(&item)) {
      if (Register(first_def_source_, first_def_range_, "enum", e->name, tree, sink_)) enum_decls_.push_back({e, &tree});
    } else if (auto* en = std::get_if<EntityDecl>(&item)) {
      if (Register(first_def_source_, first_def_range_, "entity", en->name, tree, sink_)) {
        entity_decls_.push_back({en, &tree});
      }
    } else if (auto* x = std::get_if<ExtendDecl>(&item)) {
      extend_decls_.push_back({x, &tree});
    } else if (auto* d = std::get_if<DefineDecl>(&item)) {
      define_decls_.push_back({d, &tree});
    }
  }
}

// An amendment takes effect on one date: a repealed rule's version in force on
// that date ends the day before; a replacing rule starts on it; new parameter
// values start on it and cut the values they overlap.
void Checker::ApplyAmendment(const SyntaxTree& tree) {
  const AmendmentDecl* header = nullptr;
  if (!tree.items.empty()) header = std::get_if<AmendmentDecl>(&tree.items.front());
  if (header == nullptr) {
    SourceRange r = tree.items.empty() ? SourceRange{} : ItemRange(tree.items.front());
    Error("missing-amendment-header", tree, r, "an amendment file starts with `amendment`",
          "write `amendment ID kamerstuk \"...\" version introduced effective YYYY-MM-DD`");
    return;
  }
  auto effective = ParseDate(header->effective, tree);
  if (!effective) return;
  // An impact study may ask what the amendment would have changed had it taken effect earlier.
  if (options_.amendment_effective) effective = options_.amendment_effective;
  Date day_before = *Date::FromDaysSinceEpoch(effective->DaysSinceEpoch() - 1);
  AmendmentInfo info{header->id.text, header->title, header->kamerstuk, header->version, *effective, tree.source,
                     header->range};
  static const std::set<std::string> kVersions = {"introduced", "amended", "passed", "enacted"};
  if (!kVersions.count(header->version)) {
    Error("unknown-version", tree, header->range,
          "unknown amendment version `" + header->version + "`",
          "use `introduced`, `amended`, `passed` or `enacted`");
  }
  rs_.amendments.push_back(info);

  auto end_versions_at = [&](const std::string& id, SourceRange where) {
    bool found = false;
    for (WorkRule& w : rules_) {
      if (w.dropped || w.decl->id.text != id || !w.from) continue;
      found = true;
      if (*w.from >= *effective) {
        w.dropped = true;  // starts on or after the amendment: superseded entirely
      } else if (!w.to || *w.to > day_before) {
        w.to = day_before;
      }
    }
    if (!found) {
      std::vector<std::string> ids;
      for (const WorkRule& w : rules_) ids.push_back(w.decl->id.text);
      auto m = ClosestMatch(id, ids);
      Error("unknown-rule", tree, where, "the amendment names rule `" + id + "`, which does not exist",
            DidYouMean(m));
    }
  };

  for (size_t i = 1; i < tree.items.size(); ++i) {
    const Item& item = tree.items[i];
    if (auto* rp = std::get_if<RepealDecl>(&item)) {
      end_versions_at(rp->rule.text, rp->rule.range);
    } else if (auto* r = std::get_if<RuleDecl>(&item)) {
      if (r->action == RuleDecl::Action::kReplace) end_versions_at(r->id.text, r->id.range);
      WorkRule w;
      w.decl = r;
      w.tree = &tree;
      w.amended_by = header->id.text;
      w.from = effective;
      if (!r->valid_from.text.empty()) {
        w.from = ParseDate(r->valid_from, tree);
        if (w.from && *w.from < *effective) {
          Error("before-effective", tree, r->valid_from.range,
                "the rule starts before the amendment takes effect on " + effective->ToString());
        }
      }
      w.from_given = true;
      if (!r->valid_to.text.empty()) w.to = ParseDate(r->valid_to, tree);
      rules_.push_back(std::move(w));
    } else if (auto* s = std::get_if<SetDecl>(&item)) {
      auto it = std::find_if(params_.begin(), params_.end(),
                             [&](const WorkParam& p) { return p.decl->name.text == s->param.text; });
      if (it == params_.end()) {
        std::vector<std::string> names;
        for (const WorkParam& p : params_) names.push_back(p.decl->name.text);
        auto m = ClosestMatch(s->param.text, names);
        Error("unknown-parameter", tree, s->param.range, "unknown parameter `" + s->param.text + "`",
              DidYouMean(m));
        continue;
      }
      for (const ParamValue& v : s->values) {
        auto from = ParseDate(v.from, tree);
        if (!from) continue;
        if (*from < *effective) {
          Error("before-effective", tree, v.from.range,
                "the value starts before the amendment takes effect on " + effective->ToString());
          continue;
        }
        Date cut = *Date::FromDaysSinceEpoch(from->DaysSinceEpoch() - 1);
        std::vector<WorkValue> kept;
        for (WorkValue& old : it->values) {
          if (old.from >= *from) continue;
          if (!old.to || *old.to > cut) old.to = cut;
          kept.push_back(old);
        }
        std::optional<Date> to;
        if (!v.to.text.empty()) to = ParseDate(v.to, tree);
        kept.push_back(WorkValue{&v, &tree, *from, to});
        it->values = std::move(kept);
      }
    } else if (auto* p = std::get_if<ParamDecl>(&item)) {
      if (Register(first_def_source_, first_def_range_, "parameter", p->name, tree, sink_)) {
        WorkParam w{p, &tree, {}};
        for (const ParamValue& v : p->values) {
          auto from = ParseDate(v.from, tree);
          std::optional<Date> to;
          if (!v.to.text.empty()) to = ParseDate(v.to, tree);
          if (from) w.values.push_back(WorkValue{&v, &tree, *from, to});
        }
        params_.push_back(std::move(w));
      }
    } else if (auto* sc = std::get_if<ScenarioDecl>(&item)) {
      scenario_decls_.push_back({sc, &tree});
    } else if (std::holds_alternative<AmendmentDecl>(item)) {
      Error("second-amendment-header", tree, ItemRange(item), "an amendment file has one `amendment` header");
    } else if (std::holds_alternative<ActDecl>(item) || std::holds_alternative<EnumDecl>(item) ||
               std::holds_alternative<ExtendDecl>(item) || std::holds_alternative<DefineDecl>(item) ||
               std::holds_alternative<EntityDecl>(item)) {
      // Declarations were collected with the rule files' (CollectAmendmentDeclarations).
    } else {
      Error("not-in-amendment", tree, ItemRange(item),
            "an amendment may replace, add or repeal rules, set or add parameters and hold scenarios");
    }
  }
}

void Checker::CheckActs() {
  for (auto [a, tree] : act_decls_) {
    ActInfo info{a->name.text, a->title, a->id_kind, a->id, a->url, tree->source, a->range};
    if (a->id_kind == "bwb" && (a->id.size() < 5 || (a->id.rfind("BWBR", 0) != 0 && a->id.rfind("BWBV", 0) != 0))) {
      Error("bad-identifier", *tree, a->name.range, "`" + a->id + "` is not a BWB identifier",
            "BWB identifiers look like `BWBR0011173`");
    }
    if (a->id_kind.empty() && a->url.empty()) {
      Error("act-without-source", *tree, a->name.range,
            "act `" + a->name.text + "` has neither a `bwb` or `celex` identifier nor a `url`");
    }
    act_index_[info.name] = static_cast<uint32_t>(rs_.acts.size());
    rs_.acts.push_back(std::move(info));
  }
}

std::optional<CitationInfo> Checker::ResolveCitation(const Citation& c, const SyntaxTree& tree) {
  auto it = act_index_.find(c.act.text);
  if (it == act_index_.end()) {
    std::vector<std::string> names;
    for (const ActInfo& a : rs_.acts) names.push_back(a.name);
    auto m = ClosestMatch(c.act.text, names);
    Error("unknown-act", tree, c.act.range, "unknown act `" + c.act.text + "`",
          m ? std::optional<std::string>("did you mean `" + *m + "`?")
            : std::optional<std::string>("declare it with `act " + c.act.text + " \"title\" bwb BWBR...`"));
    return std::nullopt;
  }
  return CitationInfo{it->second, c.article, c.lid, c.sub, c.range};
}

std::vector<CitationInfo> Checker::ResolveCitations(const std::vector<Citation>& cs, const SyntaxTree& tree) {
  std::vector<CitationInfo> out;
  for (const Citation& c : cs) {
    if (auto r = ResolveCitation(c, tree)) out.push_back(*r);
  }
  return out;
}

Type Checker::ResolveType(const TypeRef& t, const SyntaxTree& tree, bool allow_collections) {
  static const std::map<std::string, TypeKind> kBuiltins = {
      {"bool", TypeKind::kBool},         {"integer", TypeKind::kInteger},   {"decimal", TypeKind::kDecimal},
      {"money", TypeKind::kMoney},       {"percentage", TypeKind::kPercentage}, {"date", TypeKind::kDate},
      {"datetime", TypeKind::kDateTime}, {"time", TypeKind::kTime},         {"duration", TypeKind::kDuration},
      {"timespan", TypeKind::kTimeSpan}, {"text", TypeKind::kText},         {"country", TypeKind::kCountry}};
  const std::string& n = t.name.text;
  if (t.kind == TypeRef::Kind::kList) {
    int32_t e = rs_.FindEntity(n);
    if (e < 0) {
      Error("unknown-type", tree, t.name.range, "`list of` needs an entity; `" + n + "` is not one");
      return {};
    }
    if (!allow_collections) Error("collection-not-allowed", tree, t.range, "a collection is not allowed here");
    return {TypeKind::kList, static_cast<uint32_t>(e)};
  }
  if (t.kind == TypeRef::Kind::kSet) {
    int32_t e = rs_.FindEnum(n);
    if (e < 0) {
      Error("unknown-type", tree, t.name.range, "`set of` needs an enum; `" + n + "` is not one");
      return {};
    }
    return {TypeKind::kSet, static_cast<uint32_t>(e)};
  }
  if (auto it = kBuiltins.find(n); it != kBuiltins.end()) return {it->second, 0};
  if (int32_t e = rs_.FindEnum(n); e >= 0) return {TypeKind::kEnum, static_cast<uint32_t>(e)};
  if (int32_t e = rs_.FindEntity(n); e >= 0) {
    if (!allow_collections) Error("collection-not-allowed", tree, t.range, "an entity is not allowed here");
    return {TypeKind::kEntity, static_cast<uint32_t>(e)};
  }
  std::vector<std::string> names;
  for (const auto& [k, v] : kBuiltins) names.push_back(k);
  for (const EnumInfo& e : rs_.enums) names.push_back(e.name);
  for (const EntityInfo& e : rs_.entities) names.push_back(e.name);
  auto m = ClosestMatch(n, names);
  Error("unknown-type", tree, t.name.range, "unknown type `" + n + "`",
        DidYouMean(m));
  return {};
}

void Checker::ResolveSchema() {
  // The built-in enum of legal sources comes first (kSourceLevelEnum).
  rs_.enums.push_back(EnumInfo{"source_level",
                               {"law", "cao", "works_agreement", "individual", "policy"},
                               {"wet", "cao", "regeling met ondernemingsraad", "individuele afspraak", "beleid"},
                               nullptr,
                               {}});
  for (auto [e, tree] : enum_decls_) {
    EnumInfo info{e->name.text, {}, {}, tree->source, e->range};
    std::set<std::string> seen;
    for (const EnumValue& v : e->values) {
      if (!seen.insert(v.name.text).second) {
        Error("duplicate-name", *tree, v.name.range, "enum value `" + v.name.text + "` appears twice");
      }
      info.values.push_back(v.name.text);
      info.labels.push_back(v.label);
    }
    if (info.values.size() > 64) Error("enum-too-large", *tree, e->name.range, "an enum has at most 64 values");
    if (e->name.text == "source_level") {
      Error("duplicate-name", *tree, e->name.range, "`source_level` is built in");
      continue;
    }
    rs_.enums.push_back(std::move(info));
  }
  for (auto [e, tree] : entity_decls_) {
    EntityInfo info;
    info.name = e->name.text;
    info.closed = e->closed;
    info.source = tree->source;
    info.range = e->range;
    rs_.entities.push_back(std::move(info));
  }
  // Fields of each entity: its own, then those of `extend` items in file order.
  std::vector<std::vector<std::pair<const FieldDecl*, const SyntaxTree*>>> all_fields(entity_decls_.size());
  for (size_t i = 0; i < entity_decls_.size(); ++i) {
    for (const FieldDecl& f : entity_decls_[i].first->fields) all_fields[i].push_back({&f, entity_decls_[i].second});
  }
  for (auto [x, tree] : extend_decls_) {
    int32_t e = rs_.FindEntity(x->entity.text);
    if (e < 0) {
      std::vector<std::string> names;
      for (const EntityInfo& en : rs_.entities) names.push_back(en.name);
      auto m = ClosestMatch(x->entity.text, names);
      Error("unknown-type", *tree, x->entity.range, "`extend` names unknown entity `" + x->entity.text + "`",
            DidYouMean(m));
      continue;
    }
    for (const FieldDecl& f : x->fields) all_fields[e].push_back({&f, tree});
  }
  for (size_t i = 0; i < entity_decls_.size(); ++i) {
    const EntityDecl* e = entity_decls_[i].first;
    std::set<std::string> seen;
    for (auto [fp, tree] : all_fields[i]) {
      const FieldDecl& f = *fp;
      if (!seen.insert(f.name.text).second) {
        Error("duplicate-name", *tree, f.name.range, "field `" + f.name.text + "` appears twice in `" + e->name.text + "`");
        continue;
      }
      FieldInfo fi;
      fi.name = f.name.text;
      fi.type = ResolveType(f.type, *tree, true);
      fi.optional = f.optional;
      fi.ask = f.ask;
      fi.open_norm = f.open_norm;
      fi.source = tree->source;
      fi.range = f.range;
      if (!f.open_norm.empty() && (fi.type.kind != TypeKind::kBool || !f.optional)) {
        Error("open-norm-type", *tree, f.range, "an open norm is an `optional bool`: the person's assessment");
      }
      if (fi.type.kind == TypeKind::kList && f.optional) {
        Error("optional-list", *tree, f.range, "a list is never unknown: an absent list is empty");
      }
      rs_.entities[i].fields.push_back(std::move(fi));
    }
  }
  // Owners: the one entity whose field holds each entity.
  for (uint32_t owner = 0; owner < rs_.entities.size(); ++owner) {
    for (uint32_t f = 0; f < rs_.entities[owner].fields.size(); ++f) {
      const FieldInfo& fi = rs_.entities[owner].fields[f];
      if (fi.type.kind != TypeKind::kList && fi.type.kind != TypeKind::kEntity) continue;
      EntityInfo& child = rs_.entities[fi.type.id];
      auto [decl, tree] = entity_decls_[fi.type.id];
      if (child.owner >= 0 && child.owner != static_cast<int32_t>(owner)) {
        Diagnostic d;
        d.code = "two-owners";
        d.source = fi.source;
        d.primary = fi.range;
        d.message = "`" + child.name + "` is already held by `" + rs_.entities[child.owner].name +
                    "`; an entity belongs to one other entity";
        d.secondary.push_back(Label{rs_.entities[child.owner].fields[child.owner_field].source,
                                    rs_.entities[child.owner].fields[child.owner_field].range, "held here"});
        sink_.Report(std::move(d));
        continue;
      }
      if (child.owner == static_cast<int32_t>(owner) && child.owner_field != static_cast<int32_t>(f)) {
        sink_.Error("two-owners", fi.source, fi.range,
                    "`" + child.name + "` is held by two fields of `" + rs_.entities[owner].name + "`");
        continue;
      }
      child.owner = static_cast<int32_t>(owner);
      child.owner_field = static_cast<int32_t>(f);
      if (!decl->part_of.text.empty() && decl->part_of.text != rs_.entities[owner].name) {
        Error("wrong-owner", *tree, decl->part_of.range,
              "`" + child.name + "` is declared part of `" + decl->part_of.text + "` but is held by `" +
                  rs_.entities[owner].name + "`");
      }
    }
  }
  int32_t root = rs_.FindEntity("case");
  for (size_t i = 0; i < rs_.entities.size(); ++i) {
    auto [decl, tree] = entity_decls_[i];
    if (static_cast<int32_t>(i) == root) {
      if (rs_.entities[i].owner >= 0) Error("root-owned", *tree, decl->name.range, "`case` is the root and cannot be held");
      continue;
    }
    if (rs_.entities[i].owner < 0) {
      Error("unreachable-entity", *tree, decl->name.range,
            "entity `" + decl->name.text + "` is not held by any other entity, so no document can contain it",
            "add a field `... : list of " + decl->name.text + "` to `case` or another entity");
    } else if (rs_.entities[i].fields.size() > 0) {
      // An owner reference field by the owner's name must not clash with a declared field.
      const std::string& owner_name = rs_.entities[rs_.entities[i].owner].name;
      if (rs_.FindField(static_cast<uint32_t>(i), owner_name) >= 0) {
        Error("owner-name-clash", *tree, decl->name.range,
              "field `" + owner_name + "` clashes with the reference to the owning `" + owner_name + "`");
      }
    }
  }
  if (root >= 0) rs_.root = static_cast<uint32_t>(root);
}

std::optional<Value> Checker::ConstantValue(const SyntaxTree& tree, ExprId id, Type type) {
  Scope scope;
  uint32_t c = CheckExpr(tree, id, scope, type);
  // A text literal given for a country parameter is a country code.
  if (type.kind == TypeKind::kCountry && rs_.expr(c).op == Op::kLiteral && rs_.expr(c).type.kind == TypeKind::kText) {
    const std::string code = rs_.texts[rs_.expr(c).literal.a];
    if (!IsIsoCountry(code)) {
      Error("bad-literal", tree, rs_.expr(c).range, "`" + code + "` is not an ISO 3166 country code");
      return std::nullopt;
    }
    return Value{(code[0] << 8) | code[1], 0};
  }
  const CExpr& ce = rs_.expr(c);
  if (ce.type.kind == TypeKind::kError) return std::nullopt;
  bool integer_as_decimal = (type.kind == TypeKind::kDecimal && ce.type.kind == TypeKind::kInteger);
  if (!(ce.type == type) && !integer_as_decimal) {
    Error("type-mismatch", tree, tree.expr(id).range,
          "the value is " + TypeName(rs_, ce.type) + " but the parameter is " + TypeName(rs_, type));
    return std::nullopt;
  }
  if (ce.op == Op::kLiteral) {
    if (integer_as_decimal) return Value{ce.literal.a, 1};
    return ce.literal;
  }
  if (ce.op == Op::kNeg && rs_.expr(ce.args[0]).op == Op::kLiteral) {
    Value v = rs_.expr(ce.args[0]).literal;
    v.a = -v.a;
    return v;
  }
  if (ce.op == Op::kSetLit) {
    Value v;
    for (uint32_t a : ce.args) v.a |= int64_t{1} << rs_.expr(a).literal.a;
    return v;
  }
  Error("not-constant", tree, tree.expr(id).range, "a parameter value must be a literal");
  return std::nullopt;
}

void Checker::CheckParams() {
  for (WorkParam& w : params_) {
    const ParamDecl& p = *w.decl;
    ParamInfo info;
    info.name = p.name.text;
    info.type = ResolveType(p.type, *w.tree, false);
    info.title = p.title;
    info.cites = ResolveCitations(p.cites, *w.tree);
    info.source = w.tree->source;
    info.range = p.range;
    if (p.name.text.find('.') == std::string::npos) {
      Error("unqualified-parameter", *w.tree, p.name.range,
            "parameter `" + p.name.text + "` needs the act's prefix, e.g. `wfw." + p.name.text + "`");
    }
    std::sort(w.values.begin(), w.values.end(), [](const WorkValue& a, const WorkValue& b) { return a.from < b.from; });
    for (size_t i = 0; i < w.values.size(); ++i) {
      WorkValue& v = w.values[i];
      // Without an explicit end, a value runs until the next one starts.
      if (!v.to && i + 1 < w.values.size()) v.to = *Date::FromDaysSinceEpoch(w.values[i + 1].from.DaysSinceEpoch() - 1);
      if (v.to && *v.to < v.from) {
        Error("invalid-period", *v.tree, v.decl->to.range,
              "the value ends on " + v.to->ToString() + ", before it starts on " + v.from.ToString());
      }
      if (i > 0 && w.values[i - 1].to && *w.values[i - 1].to >= v.from) {
        ErrorWithNote("overlapping-versions", *v.tree, v.decl->from.range,
                      "parameter `" + info.name + "` has two values on " + v.from.ToString(),
                      w.values[i - 1].tree->source, w.values[i - 1].decl->range, "the other value");
      } else if (i > 0 && w.values[i - 1].from == v.from) {
        ErrorWithNote("overlapping-versions", *v.tree, v.decl->from.range,
                      "parameter `" + info.name + "` has two values from " + v.from.ToString(),
                      w.values[i - 1].tree->source, w.values[i - 1].decl->range, "the other value");
      }
      if (info.type.kind == TypeKind::kError) continue;
      auto value = ConstantValue(*v.tree, v.decl->value, info.type);
      if (!value) continue;
      ParamVersion pv;
      pv.from = v.from;
      pv.to = v.to;
      pv.value = *value;
      pv.source_note = v.decl->source;
      pv.cites = ResolveCitations(v.decl->cites, *v.tree);
      pv.range = v.decl->range;
      info.versions.push_back(std::move(pv));
    }
    if (options_.require_citations && info.cites.empty() && p.cites.empty()) {
      bool every_value_cites = !w.values.empty();
      for (const WorkValue& v : w.values) every_value_cites = every_value_cites && !v.decl->cites.empty();
      if (!every_value_cites) {
        Error("missing-citation", *w.tree, p.name.range, "parameter `" + info.name + "` cites no article",
              "add `cites ACT art N lid M`");
      }
    }
    rs_.params.push_back(std::move(info));
  }
}

}  // namespace nw::dsl::internal
