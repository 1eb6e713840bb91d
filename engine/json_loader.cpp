// The JSON case-file loader: a document of entity `case` into a FactStore.
// Errors name the JSON path; a document with any error leaves nothing behind.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "dsl/support/diagnostic.hpp"
#include "engine/facts.hpp"

namespace nw::engine {

using dsl::TypeKind;

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
      if (field.type.kind == TypeKind::kList || field.type.kind == TypeKind::kEntity) continue;
      if (it == j.end()) {
        if (!field.optional) Fail(fpath, "required fact `" + field.name + "` is missing");
        // In a closed entity (a document's provision) what is not stated is absent.
        // Questions (`ask`) and assessments (`open`) are about the world, not the text: they stay unknown.
        if (info.closed && field.ask.empty() && field.open_norm.empty()) store_.SetState(entity, static_cast<uint32_t>(f), row, State::kNone);
        continue;
      }
      if (it->is_null()) {
        if (!field.optional) {
          Fail(fpath, "`" + field.name + "` is required and cannot be null");
        } else {
          store_.SetState(entity, static_cast<uint32_t>(f), row, State::kNone);
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
      store_.Set(entity, static_cast<uint32_t>(f), row, v);
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
  std::vector<uint32_t> before = store.RowCounts();
  JsonLoader loader(store, name, errors, limits);
  loader.LoadEntity(rules.root, j, 0, 0, "", 0);
  if (loader.failed()) {
    store.Truncate(before);
    return false;
  }
  store.SetDocumentName(store.table(rules.root).rows - 1, name);
  return true;
}

}  // namespace nw::engine
