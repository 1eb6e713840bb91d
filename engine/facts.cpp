// FactStore and the JSON case-file loader.
#include "engine/facts.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "dsl/support/diagnostic.hpp"
#include "dsl/support/values/country.hpp"
#include "dsl/support/values/date.hpp"
#include "dsl/support/values/date_time.hpp"
#include "dsl/support/values/duration.hpp"
#include "dsl/support/values/money.hpp"
#include "dsl/support/values/percentage.hpp"
#include "dsl/support/values/rational.hpp"
#include "dsl/support/values/time_of_day.hpp"
#include "dsl/support/values/timespan.hpp"

namespace nw::engine {

using dsl::TypeKind;

namespace {

bool NeedsB(TypeKind k) {
  return k == TypeKind::kDecimal || k == TypeKind::kPercentage || k == TypeKind::kDuration;
}

}  // namespace

FactStore::FactStore(const dsl::CheckedRuleSet& rules) : rules_(&rules) {
  tables_.resize(rules.entities.size());
  for (size_t e = 0; e < rules.entities.size(); ++e) tables_[e].columns.resize(rules.entities[e].fields.size());
}

uint32_t FactStore::AddRow(uint32_t entity, uint32_t owner_row, uint32_t position) {
  Table& t = tables_[entity];
  const auto& fields = rules_->entities[entity].fields;
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].definition >= 0) continue;  // derived columns are filled whole by the engine
    Column& c = t.columns[f];
    c.a.push_back(0);
    if (NeedsB(fields[f].type.kind)) c.b.push_back(1);
    c.state.push_back(State::kUnknown);
  }
  if (rules_->entities[entity].owner >= 0) {
    t.owner.push_back(owner_row);
    t.position.push_back(position);
  } else if (entity == rules_->root) {
    documents_.emplace_back();
  }
  return t.rows++;
}

void FactStore::SetDocumentName(uint32_t root_row, std::string name) { documents_[root_row] = std::move(name); }

void FactStore::DropDocumentsFrom(uint32_t root_rows) {
  if (documents_.size() > root_rows) documents_.resize(root_rows);
}

int64_t FactStore::Intern(std::string text) {
  texts_.push_back(std::move(text));
  return static_cast<int64_t>(rules_->texts.size() + texts_.size() - 1);
}

const std::string& FactStore::Text(int64_t id) const {
  if (id < static_cast<int64_t>(rules_->texts.size())) return rules_->texts[static_cast<size_t>(id)];
  return texts_[static_cast<size_t>(id) - rules_->texts.size()];
}

void FactStore::Seal() {
  for (size_t e = 0; e < tables_.size(); ++e) {
    int32_t owner = rules_->entities[e].owner;
    if (owner < 0) continue;
    Table& t = tables_[e];
    uint32_t owner_rows = tables_[owner].rows;
    t.begin.assign(owner_rows + 1, 0);
    for (uint32_t r = 0; r < t.rows; ++r) t.begin[t.owner[r] + 1]++;
    for (uint32_t i = 0; i < owner_rows; ++i) t.begin[i + 1] += t.begin[i];
  }
}

uint32_t FactStore::RootOf(uint32_t entity, uint32_t row) const {
  while (rules_->entities[entity].owner >= 0) {
    row = tables_[entity].owner[row];
    entity = static_cast<uint32_t>(rules_->entities[entity].owner);
  }
  return row;
}

std::string FactStore::PathOf(uint32_t entity, uint32_t row) const {
  std::vector<std::string> parts;
  while (rules_->entities[entity].owner >= 0) {
    const dsl::EntityInfo& info = rules_->entities[entity];
    const dsl::FieldInfo& holder = rules_->entities[info.owner].fields[info.owner_field];
    if (holder.type.kind == TypeKind::kList) {
      parts.push_back(holder.name + "[" + std::to_string(tables_[entity].position[row]) + "]");
    } else {
      parts.push_back(holder.name);
    }
    row = tables_[entity].owner[row];
    entity = static_cast<uint32_t>(info.owner);
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += (out.empty() ? "" : ".") + *it;
  return out;
}

std::optional<std::string> ParseFactValue(const dsl::CheckedRuleSet& rules, dsl::Type type, const std::string& text,
                                          FactStore& store, dsl::Value& out) {
  switch (type.kind) {
    case TypeKind::kBool:
      if (text == "true" || text == "yes" || text == "1") { out.a = 1; return std::nullopt; }
      if (text == "false" || text == "no" || text == "0") { out.a = 0; return std::nullopt; }
      return "expected true or false, found \"" + text + "\"";
    case TypeKind::kInteger: {
      auto r = Rational::Parse(text);
      if (!r || !r->IsInteger()) return "expected a whole number, found \"" + text + "\"";
      out.a = r->num();
      return std::nullopt;
    }
    case TypeKind::kDecimal: {
      auto r = Rational::Parse(text);
      if (!r) return "expected a number such as \"1.5\", found \"" + text + "\"";
      out = {r->num(), r->den()};
      return std::nullopt;
    }
    case TypeKind::kMoney: {
      auto m = Money::Parse(text);
      if (!m) return "expected an amount in euros such as \"2.35\", found \"" + text + "\"";
      out.a = m->cents();
      return std::nullopt;
    }
    case TypeKind::kPercentage: {
      auto p = Percentage::Parse(text);
      if (!p) return "expected a percentage such as \"25%\", found \"" + text + "\"";
      out = {p->fraction().num(), p->fraction().den()};
      return std::nullopt;
    }
    case TypeKind::kDate: {
      auto d = Date::Parse(text);
      if (!d) return "expected a date YYYY-MM-DD, found \"" + text + "\"";
      out.a = d->DaysSinceEpoch();
      return std::nullopt;
    }
    case TypeKind::kDateTime: {
      auto d = DateTime::Parse(text);
      if (!d) return "expected a date and time YYYY-MM-DDTHH:MM, found \"" + text + "\"";
      out.a = d->MinutesSinceEpoch();
      return std::nullopt;
    }
    case TypeKind::kTime: {
      auto t = TimeOfDay::Parse(text, true);
      if (!t) return "expected a time HH:MM, found \"" + text + "\"";
      out.a = t->minutes();
      return std::nullopt;
    }
    case TypeKind::kDuration: {
      auto d = Duration::Parse(text);
      if (!d) return "expected a duration such as \"2 months\", found \"" + text + "\"";
      out = {d->months(), d->days()};
      return std::nullopt;
    }
    case TypeKind::kTimeSpan: {
      auto t = TimeSpan::Parse(text);
      if (!t) return "expected a span of time such as \"11 hours\", found \"" + text + "\"";
      out.a = t->minutes();
      return std::nullopt;
    }
    case TypeKind::kText:
      out.a = store.Intern(text);
      return std::nullopt;
    case TypeKind::kCountry:
      if (!IsIsoCountry(text)) return "expected an ISO 3166 country code such as \"NL\", found \"" + text + "\"";
      out.a = (text[0] << 8) | text[1];
      return std::nullopt;
    case TypeKind::kEnum: {
      const auto& vals = rules.enums[type.id].values;
      auto it = std::find(vals.begin(), vals.end(), text);
      if (it == vals.end()) {
        std::string list;
        for (const auto& v : vals) list += (list.empty() ? "" : ", ") + v;
        std::string msg = "unknown value \"" + text + "\" for " + rules.enums[type.id].name + "; expected one of: " + list;
        if (auto m = ClosestMatch(text, vals)) msg += " (did you mean \"" + *m + "\"?)";
        return msg;
      }
      out.a = it - vals.begin();
      return std::nullopt;
    }
    default:
      return "this field cannot be given as text";
  }
}

namespace {

class JsonLoader {
 public:
  JsonLoader(FactStore& store, const std::string& document, std::vector<FactError>& errors, const LoadLimits& limits)
      : store_(store), rules_(store.rules()), document_(document), errors_(errors), limits_(limits) {}

  void LoadEntity(uint32_t entity, const nlohmann::json& j, uint32_t owner_row, uint32_t position,
                  const std::string& path, uint32_t depth) {
    if (depth > limits_.max_depth) {
      Fail(path, "the document nests deeper than " + std::to_string(limits_.max_depth) + " levels");
      return;
    }
    if (!j.is_object()) {
      Fail(path, "expected an object for `" + rules_.entities[entity].name + "`");
      return;
    }
    uint32_t row = store_.AddRow(entity, owner_row, position);
    const dsl::EntityInfo& info = rules_.entities[entity];
    std::vector<std::string> names;
    for (const auto& f : info.fields) {
      if (f.definition < 0) names.push_back(f.name);
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      int32_t f = rules_.FindField(entity, it.key());
      if (f < 0 || info.fields[f].definition >= 0) {
        std::string msg = "`" + info.name + "` has no fact `" + it.key() + "`";
        if (auto m = ClosestMatch(it.key(), names)) msg += "; did you mean `" + *m + "`?";
        Fail(Join(path, it.key()), msg);
      }
    }
    // Children are loaded after all scalar fields so rows stay grouped by owner.
    for (size_t f = 0; f < info.fields.size(); ++f) {
      const dsl::FieldInfo& field = info.fields[f];
      if (field.definition >= 0) continue;
      std::string fpath = Join(path, field.name);
      auto it = j.find(field.name);
      Column& col = store_.table(entity).columns[f];
      if (field.type.kind == TypeKind::kList || field.type.kind == TypeKind::kEntity) continue;
      if (it == j.end()) {
        if (!field.optional) Fail(fpath, "required fact `" + field.name + "` is missing");
        // In a closed entity (a document's provision) what is not stated is absent.
        // Questions (`ask`) and assessments (`open`) are about the world, not the text: they stay unknown.
        if (info.closed && field.ask.empty() && field.open_norm.empty()) col.state[row] = State::kNone;
        continue;
      }
      if (it->is_null()) {
        if (!field.optional) {
          Fail(fpath, "`" + field.name + "` is required and cannot be null");
        } else {
          col.state[row] = State::kNone;
        }
        continue;
      }
      dsl::Value v;
      std::optional<std::string> err;
      if (field.type.kind == TypeKind::kSet) {
        if (!it->is_array()) {
          err = "expected a list of values";
        } else {
          for (const auto& e : *it) {
            dsl::Value ev;
            if (!e.is_string()) {
              err = "expected text values";
              break;
            }
            err = ParseFactValue(rules_, dsl::Type{TypeKind::kEnum, field.type.id}, e.get<std::string>(), store_, ev);
            if (err) break;
            v.a |= int64_t{1} << ev.a;
          }
        }
      } else if (it->is_string()) {
        err = ParseFactValue(rules_, field.type, it->get<std::string>(), store_, v);
      } else if (it->is_boolean() && field.type.kind == TypeKind::kBool) {
        v.a = it->get<bool>() ? 1 : 0;
      } else if (it->is_number_integer() &&
                 (field.type.kind == TypeKind::kInteger || field.type.kind == TypeKind::kDecimal)) {
        v = {it->get<int64_t>(), 1};
      } else if (it->is_number_float()) {
        err = "write this number as a string (\"1.25\"): binary fractions are not exact";
      } else {
        err = "expected " + dsl::TypeName(rules_, field.type) + ", found " + std::string(it->type_name());
      }
      if (err) {
        Fail(fpath, *err);
        continue;
      }
      col.a[row] = v.a;
      if (!col.b.empty()) col.b[row] = v.b;
      col.state[row] = State::kKnown;
    }
    for (size_t f = 0; f < info.fields.size(); ++f) {
      const dsl::FieldInfo& field = info.fields[f];
      if (field.type.kind != TypeKind::kList && field.type.kind != TypeKind::kEntity) continue;
      std::string fpath = Join(path, field.name);
      auto it = j.find(field.name);
      if (it == j.end() || it->is_null()) {
        if (field.type.kind == TypeKind::kEntity && !field.optional) Fail(fpath, "required `" + field.name + "` is missing");
        continue;
      }
      if (field.type.kind == TypeKind::kEntity) {
        LoadEntity(field.type.id, *it, row, 0, fpath, depth + 1);
        continue;
      }
      if (!it->is_array()) {
        Fail(fpath, "expected a list");
        continue;
      }
      uint32_t i = 0;
      for (const auto& child : *it) {
        LoadEntity(field.type.id, child, row, i, fpath + "[" + std::to_string(i) + "]", depth + 1);
        ++i;
      }
    }
  }

  bool failed() const { return failed_; }

 private:
  static std::string Join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

  void Fail(const std::string& path, const std::string& message) {
    failed_ = true;
    if (errors_.size() < 1000) errors_.push_back(FactError{document_, path.empty() ? "(top level)" : path, message});
  }

  FactStore& store_;
  const dsl::CheckedRuleSet& rules_;
  const std::string& document_;
  std::vector<FactError>& errors_;
  const LoadLimits& limits_;
  bool failed_ = false;
};

}  // namespace

bool LoadJsonDocument(FactStore& store, const std::string& name, const std::string& json_text,
                      std::vector<FactError>& errors, const LoadLimits& limits) {
  const dsl::CheckedRuleSet& rules = store.rules();
  if (rules.root == dsl::kNoEntity) {
    errors.push_back({name, "(top level)", "the rules declare no `case` entity"});
    return false;
  }
  if (json_text.size() > limits.max_bytes) {
    errors.push_back({name, "(top level)", "the document is larger than the limit"});
    return false;
  }
  nlohmann::json j;
  try {
    // Depth is bounded by the loader; nlohmann's parser itself is iterative.
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    // Line and column of the byte offset.
    size_t line = 1, col = 1;
    for (size_t i = 0; i + 1 < e.byte && i < json_text.size(); ++i) {
      if (json_text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    auto colon = what.rfind(": ");
    errors.push_back({name, "line " + std::to_string(line) + ", column " + std::to_string(col),
                      "not valid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2))});
    return false;
  }
  // Remember the table sizes so a failed document leaves nothing behind.
  std::vector<uint32_t> before(store.table_count());
  for (size_t e = 0; e < store.table_count(); ++e) before[e] = store.table(static_cast<uint32_t>(e)).rows;
  JsonLoader loader(store, name, errors, limits);
  loader.LoadEntity(rules.root, j, 0, 0, "", 0);
  if (loader.failed()) {
    for (size_t e = 0; e < store.table_count(); ++e) {
      Table& t = store.table(static_cast<uint32_t>(e));
      uint32_t n = before[e];
      t.rows = n;
      for (Column& c : t.columns) {
        if (c.a.size() <= n) continue;  // derived columns have no rows yet
        c.a.resize(n);
        if (!c.b.empty()) c.b.resize(n);
        c.state.resize(n);
      }
      if (!t.owner.empty()) {
        t.owner.resize(n);
        t.position.resize(n);
      }
    }
    store.DropDocumentsFrom(before[rules.root]);
    return false;
  }
  store.SetDocumentName(store.table(rules.root).rows - 1, name);
  return true;
}

}  // namespace nw::engine
