// The JSON case-file loader: a document of entity `case` into a FactStore.
// Errors name the JSON path; a document with any error leaves nothing behind.
//
// Documents are parsed with simdjson, which is fast enough for bulk loads
// (100,000 case files in a run), and the DOM is walked once: each key is
// looked up in a table of the entity's fields built once per rule set, and a
// JSON path is rendered only for an error. nlohmann/json is the reference
// for what a valid document is and for how a syntax error reads: a document
// simdjson refuses is parsed again with nlohmann/json, which either gives the
// error (with line and column) or accepts the document (a byte order mark,
// a whole number beyond 64 bits, nesting deeper than simdjson's limit), and
// then the same walker reads nlohmann/json's DOM.
#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string_view>

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "dsl/support/diagnostic.hpp"
#include "engine/facts.hpp"

namespace nw::engine {

using dsl::TypeKind;

namespace {

/// What a JSON value is, as far as the loader distinguishes. A whole number
/// above INT64_MAX (up to UINT64_MAX) is kept apart from the others; beyond
/// that both parsers give a floating-point number.
enum class Kind : uint8_t { kNull, kBool, kInteger, kBigInteger, kFloat, kString, kArray, kObject };

/// The type names of the messages (nlohmann/json's names).
const char* KindName(Kind k) {
  switch (k) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "boolean";
    case Kind::kString:
      return "string";
    case Kind::kArray:
      return "array";
    case Kind::kObject:
      return "object";
    default:
      return "number";
  }
}

/// simdjson's DOM.
struct SimdDom {
  using Value = simdjson::dom::element;
  static Kind KindOf(const Value& v) {
    switch (v.type()) {
      case simdjson::dom::element_type::ARRAY:
        return Kind::kArray;
      case simdjson::dom::element_type::OBJECT:
        return Kind::kObject;
      case simdjson::dom::element_type::INT64:
        return Kind::kInteger;
      case simdjson::dom::element_type::UINT64:
        return Kind::kBigInteger;  // only above INT64_MAX
      case simdjson::dom::element_type::DOUBLE:
        return Kind::kFloat;
      case simdjson::dom::element_type::STRING:
        return Kind::kString;
      case simdjson::dom::element_type::BOOL:
        return Kind::kBool;
      case simdjson::dom::element_type::NULL_VALUE:
        return Kind::kNull;
    }
    return Kind::kNull;
  }
  static bool Bool(const Value& v) { return v.get_bool().value_unsafe(); }
  static int64_t Integer(const Value& v) { return v.get_int64().value_unsafe(); }
  static double Float(const Value& v) { return v.get_double().value_unsafe(); }
  static std::string_view String(const Value& v) { return v.get_string().value_unsafe(); }
  template <class F>
  static void Members(const Value& v, F&& f) {
    const simdjson::dom::object object = v.get_object().value_unsafe();
    for (simdjson::dom::key_value_pair kv : object) f(kv.key, kv.value);
  }
  template <class F>
  static void Elements(const Value& v, F&& f) {
    const simdjson::dom::array array = v.get_array().value_unsafe();
    for (simdjson::dom::element e : array) f(e);
  }
};

/// nlohmann/json's DOM (objects are sorted maps that keep the last of
/// duplicate keys).
struct NlohmannDom {
  using Value = const nlohmann::json*;
  static Kind KindOf(const Value& v) {
    switch (v->type()) {
      case nlohmann::json::value_t::boolean:
        return Kind::kBool;
      case nlohmann::json::value_t::number_integer:
        return Kind::kInteger;
      case nlohmann::json::value_t::number_unsigned:
        return v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX) ? Kind::kBigInteger : Kind::kInteger;
      case nlohmann::json::value_t::number_float:
        return Kind::kFloat;
      case nlohmann::json::value_t::string:
        return Kind::kString;
      case nlohmann::json::value_t::array:
        return Kind::kArray;
      case nlohmann::json::value_t::object:
        return Kind::kObject;
      default:
        return Kind::kNull;  // null (binary and discarded values do not come from text)
    }
  }
  static bool Bool(const Value& v) { return v->get<bool>(); }
  static int64_t Integer(const Value& v) { return v->get<int64_t>(); }
  static double Float(const Value& v) { return v->get<double>(); }
  static std::string_view String(const Value& v) { return v->get_ref<const std::string&>(); }
  template <class F>
  static void Members(const Value& v, F&& f) {
    for (auto it = v->begin(); it != v->end(); ++it) f(std::string_view(it.key()), &it.value());
  }
  template <class F>
  static void Elements(const Value& v, F&& f) {
    for (const auto& e : *v) f(&e);
  }
};

/// Whether two byte strings of length n are equal (short field names: no call).
inline bool SameBytes(const char* a, const char* b, size_t n) {
  auto load8 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto load4 = [](const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (load8(a + i) != load8(b + i)) return false;
    }
    return load8(a + n - 8) == load8(b + n - 8);
  }
  if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

/// What the loader needs of a field on every row (dsl::FieldInfo is read for messages only).
struct FieldDesc {
  dsl::Type type;
  bool optional;
  bool derived;
  bool absent_when_missing;  // a closed entity's term: left out means known to be absent
};

/// Field name → field index for every entity of a rule set, each field's
/// FieldDesc, and each entity's facts and held fields in order; built once
/// per rule set.
///
/// Documents from one source write their keys in the same order, so the
/// lookup first tries the field that followed the previous key last time,
/// then a hash table (open addressing); a miss there is confirmed by
/// FindField. A rule set is recognised by its address, its hash (of the
/// canonical text of its files) and the address and size of each entity's
/// field list, so one checked later at the address of one that is gone is
/// not mistaken for it; the tables keep their own copy of the names.
class FieldIndex {
 public:
  /// Whether the tables were built for this rule set.
  bool Matches(const dsl::CheckedRuleSet& rules) const {
    if (rules_ != &rules || entities_.size() != rules.entities.size() || hash_ != rules.hash) return false;
    for (size_t e = 0; e < entities_.size(); ++e) {
      if (entities_[e].fields != rules.entities[e].fields.data() ||
          entities_[e].count != rules.entities[e].fields.size()) {
        return false;
      }
    }
    return true;
  }

  void Build(const dsl::CheckedRuleSet& rules) {
    rules_ = &rules;
    hash_ = rules.hash;
    entities_.clear();
    slots_.clear();
    lists_.clear();
    names_.clear();
    descs_.clear();
    chars_.clear();
    next_.clear();
    for (const dsl::EntityInfo& info : rules.entities) {
      const size_t n = info.fields.size();
      uint32_t size = 16;
      while (size < 4 * n) size *= 2;
      Entity e{static_cast<uint32_t>(slots_.size()),
               size - 1,
               info.fields.data(),
               n,
               static_cast<uint32_t>(names_.size()),
               static_cast<uint32_t>(next_.size()),
               0,
               0,
               0};
      for (const dsl::FieldInfo& field : info.fields) {
        names_.push_back({static_cast<uint32_t>(chars_.size()), static_cast<uint32_t>(field.name.size())});
        chars_ += field.name;
        // Questions (`ask`) and assessments (`open`) are about the world, not the text: they stay unknown.
        descs_.push_back({field.type, field.optional, field.definition >= 0,
                          info.closed && field.ask.empty() && field.open_norm.empty()});
      }
      next_.resize(next_.size() + n + 1, -1);
      slots_.resize(slots_.size() + size, -1);
      for (size_t f = 0; f < n; ++f) {
        uint32_t h = Hash(info.fields[f].name) & e.mask;
        while (slots_[e.first + h] >= 0) h = (h + 1) & e.mask;
        slots_[e.first + h] = static_cast<int32_t>(f);
      }
      // The declared facts in order, then the fields that hold entities.
      e.facts = static_cast<uint32_t>(lists_.size());
      for (size_t f = 0; f < n; ++f) {
        const dsl::FieldInfo& field = info.fields[f];
        if (field.definition < 0 && field.type.kind != TypeKind::kList && field.type.kind != TypeKind::kEntity) {
          lists_.push_back(static_cast<uint32_t>(f));
        }
      }
      e.held = static_cast<uint32_t>(lists_.size());
      for (size_t f = 0; f < n; ++f) {
        const dsl::FieldInfo& field = info.fields[f];
        if (field.type.kind == TypeKind::kList || field.type.kind == TypeKind::kEntity)
          lists_.push_back(static_cast<uint32_t>(f));
      }
      e.end = static_cast<uint32_t>(lists_.size());
      entities_.push_back(e);
    }
  }

  /// The field of the entity with this name (derived fields included), or -1.
  /// `previous` is the field of the key before it in the object (-1 for the first).
  int32_t Find(uint32_t entity, std::string_view key, int32_t previous) {
    const Entity& e = entities_[entity];
    int32_t& guess = next_[e.next + static_cast<uint32_t>(previous + 1)];
    if (guess >= 0 && Is(e, guess, key)) return guess;
    for (uint32_t h = Hash(key) & e.mask;; h = (h + 1) & e.mask) {
      int32_t f = slots_[e.first + h];
      if (f < 0) break;
      if (Is(e, f, key)) {
        guess = f;
        return f;
      }
    }
    return rules_->FindField(entity, key);
  }

  /// The fields of an entity, by field index.
  const FieldDesc* Descs(uint32_t entity) const { return descs_.data() + entities_[entity].names; }

  /// The entity's declared facts other than lists and held entities, in declaration order.
  std::span<const uint32_t> Facts(uint32_t entity) const {
    const Entity& e = entities_[entity];
    return {lists_.data() + e.facts, lists_.data() + e.held};
  }
  /// The entity's fields that hold a list or an entity, in declaration order.
  std::span<const uint32_t> Held(uint32_t entity) const {
    const Entity& e = entities_[entity];
    return {lists_.data() + e.held, lists_.data() + e.end};
  }

 private:
  struct Entity {
    uint32_t first;  // the entity's table in slots_
    uint32_t mask;   // table size - 1 (a power of two)
    const dsl::FieldInfo* fields;
    size_t count;
    uint32_t names;             // the entity's first field in names_ and descs_
    uint32_t next;              // the entity's guesses in next_ (one per field, and one for the first key)
    uint32_t facts, held, end;  // ranges in lists_
  };
  struct Name {
    uint32_t offset, size;  // in chars_
  };

  bool Is(const Entity& e, int32_t f, std::string_view key) const {
    const Name& name = names_[e.names + static_cast<uint32_t>(f)];
    return name.size == key.size() && SameBytes(chars_.data() + name.offset, key.data(), key.size());
  }

  // Length and three bytes: field names of one entity rarely agree on all four,
  // and a collision only costs a probe.
  static uint32_t Hash(std::string_view s) {
    if (s.empty()) return 0;
    uint32_t h = static_cast<uint32_t>(s.size()) * 0x9E3779B1u;
    h ^= static_cast<unsigned char>(s.front()) * 0x85EBCA77u;
    h ^= static_cast<unsigned char>(s.back()) * 0xC2B2AE3Du;
    h ^= static_cast<unsigned char>(s[s.size() / 2]) * 0x27D4EB2Fu;
    return h ^ (h >> 15);
  }

  const dsl::CheckedRuleSet* rules_ = nullptr;
  std::string hash_;
  std::vector<Entity> entities_;
  std::vector<int32_t> slots_;
  std::vector<uint32_t> lists_;
  std::vector<Name> names_;
  std::vector<FieldDesc> descs_;
  std::string chars_;
  std::vector<int32_t> next_;
};

/// One step of a JSON path: a field name, with an index for a list element.
struct Segment {
  std::string_view name;
  uint32_t index = 0;
  bool indexed = false;
};

/// The value of each field of the objects being read, on a stack (one frame
/// per nesting level), and the path to them.
template <class Dom>
struct WalkState {
  // values[top..] and present[top..] are free; they are not cleared when a frame is left.
  std::vector<typename Dom::Value> values;
  std::vector<uint8_t> present;
  size_t top = 0;
  std::vector<Segment> path;
};

constexpr const char* kFloatMessage = "write this number as a string (\"1.25\"): binary fractions are not exact";
constexpr const char* kRangeMessage =
    "this number is out of range: whole numbers go from -9223372036854775808 to 9223372036854775807";

// Whole numbers outside int64, which nlohmann/json gives as floating point.
// -9223372036854775809 rounds to -2^63, so that bound counts as outside: the
// whole number -2^63 itself always arrives as an integer.
bool OutsideInt64(double d) { return d >= 9223372036854775808.0 || d <= -9223372036854775808.0; }

template <class Dom>
class JsonLoader {
 public:
  using Value = typename Dom::Value;

  JsonLoader(FactStore& store, FieldIndex& index, WalkState<Dom>& state, const std::string& document,
             std::vector<FactError>& errors, const LoadLimits& limits)
      : store_(store),
        rules_(store.rules()),
        index_(index),
        state_(state),
        document_(document),
        errors_(errors),
        limits_(limits) {
    state_.top = 0;
    state_.path.clear();
  }

  void LoadEntity(uint32_t entity, const Value& j, uint32_t owner_row, uint32_t position, uint32_t depth) {
    const dsl::EntityInfo& info = rules_.entities[entity];
    if (depth > limits_.max_depth) {
      Fail(nullptr, "the document nests deeper than " + std::to_string(limits_.max_depth) + " levels");
      return;
    }
    if (Dom::KindOf(j) != Kind::kObject) {
      Fail(nullptr, "expected an object for `" + info.name + "`");
      return;
    }
    uint32_t row = store_.AddRow(entity, owner_row, position);
    // A frame with the value of each field of this object.
    const size_t n = info.fields.size();
    const size_t base = state_.top;
    state_.top += n;
    if (state_.values.size() < state_.top) {
      state_.values.resize(state_.top);
      state_.present.resize(state_.top);
    }
    std::memset(state_.present.data() + base, 0, n);
    // Each key to its field; of duplicate keys the last one counts.
    const FieldDesc* descs = index_.Descs(entity);
    bool unknown = false;
    int32_t previous = -1;
    Dom::Members(j, [&](std::string_view key, const Value& v) {
      int32_t f = index_.Find(entity, key, previous);
      previous = f;
      if (f < 0) {
        unknown = true;
        return;
      }
      if (descs[f].derived) unknown = true;
      state_.values[base + f] = v;
      state_.present[base + f] = 1;
    });
    if (unknown) ReportUnknownFields(entity, j);
    // Children are loaded after all scalar fields so rows stay grouped by owner.
    for (uint32_t f : index_.Facts(entity)) {
      LoadFact(entity, f, descs[f], row, state_.present[base + f] != 0, state_.values[base + f]);
    }
    for (uint32_t f : index_.Held(entity)) {
      const dsl::FieldInfo& field = info.fields[f];
      // Copies: loading the children grows the stack.
      const bool present = state_.present[base + f] != 0;
      const Value value = state_.values[base + f];
      state_.path.push_back({field.name});
      if (!present || Dom::KindOf(value) == Kind::kNull) {
        if (field.type.kind == TypeKind::kEntity && !field.optional)
          Fail(nullptr, "required `" + field.name + "` is missing");
      } else if (field.type.kind == TypeKind::kEntity) {
        LoadEntity(field.type.id, value, row, 0, depth + 1);
      } else if (Dom::KindOf(value) != Kind::kArray) {
        Fail(nullptr, "expected a list");
      } else {
        uint32_t i = 0;
        state_.path.back().indexed = true;
        Dom::Elements(value, [&](const Value& child) {
          state_.path.back().index = i;
          LoadEntity(field.type.id, child, row, i, depth + 1);
          ++i;
        });
      }
      state_.path.pop_back();
    }
    state_.top = base;
  }

  bool failed() const { return failed_; }

 private:
  /// One declared fact (not a list or a held entity) of a row.
  void LoadFact(uint32_t entity, uint32_t f, const FieldDesc& field, uint32_t row, bool present, const Value& j) {
    const std::string& name = rules_.entities[entity].fields[f].name;
    if (!present) {
      if (!field.optional) Fail(&name, "required fact `" + name + "` is missing");
      // In a closed entity (a document's provision) what is not stated is absent.
      if (field.absent_when_missing) store_.SetState(entity, f, row, State::kNone);
      return;
    }
    const Kind kind = Dom::KindOf(j);
    if (kind == Kind::kNull) {
      if (!field.optional) {
        Fail(&name, "`" + name + "` is required and cannot be null");
      } else {
        store_.SetState(entity, f, row, State::kNone);
      }
      return;
    }
    const bool number_field = field.type.kind == TypeKind::kInteger || field.type.kind == TypeKind::kDecimal;
    dsl::Value v;
    std::optional<std::string> err;
    if (field.type.kind == TypeKind::kSet) {
      if (kind != Kind::kArray) {
        err = "expected a list of values";
      } else {
        const dsl::Type element{TypeKind::kEnum, field.type.id};
        Dom::Elements(j, [&](const Value& e) {
          if (err) return;
          if (Dom::KindOf(e) != Kind::kString) {
            err = "expected text values";
            return;
          }
          dsl::Value ev;
          err = ParseFactValue(rules_, element, Dom::String(e), store_, ev);
          if (!err) v.a |= int64_t{1} << ev.a;
        });
      }
    } else if (kind == Kind::kString) {
      err = ParseFactValue(rules_, field.type, Dom::String(j), store_, v);
    } else if (kind == Kind::kBool && field.type.kind == TypeKind::kBool) {
      v.a = Dom::Bool(j) ? 1 : 0;
    } else if (kind == Kind::kInteger && number_field) {
      v = {Dom::Integer(j), 1};
    } else if (number_field && (kind == Kind::kBigInteger || (kind == Kind::kFloat && OutsideInt64(Dom::Float(j))))) {
      err = kRangeMessage;
    } else if (kind == Kind::kFloat) {
      err = kFloatMessage;
    } else {
      err = "expected " + dsl::TypeName(rules_, field.type) + ", found " + KindName(kind);
    }
    if (err) {
      Fail(&name, *err);
      return;
    }
    store_.Set(entity, f, row, v);
  }

  /// Keys that name no fact of the entity (or a derived one), in key order,
  /// each once, with the closest fact name as a suggestion.
  void ReportUnknownFields(uint32_t entity, const Value& j) {
    const dsl::EntityInfo& info = rules_.entities[entity];
    std::vector<std::string_view> keys;
    Dom::Members(j, [&](std::string_view key, const Value&) {
      int32_t f = index_.Find(entity, key, -1);
      if (f < 0 || info.fields[f].definition >= 0) keys.push_back(key);
    });
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<std::string> names;
    for (const auto& f : info.fields) {
      if (f.definition < 0) names.push_back(f.name);
    }
    for (std::string_view key : keys) {
      std::string k(key);
      std::string msg = "`" + info.name + "` has no fact `" + k + "`";
      if (auto m = ClosestMatch(k, names)) msg += "; did you mean `" + *m + "`?";
      Fail(&key, msg);
    }
  }

  /// An error at the current path, or at one of its fields.
  template <class Name>
  void Fail(const Name* field, const std::string& message) {
    failed_ = true;
    if (errors_.size() >= 1000) return;
    std::string path;
    for (const Segment& s : state_.path) {
      if (!path.empty()) path += '.';
      path += s.name;
      if (s.indexed) path += "[" + std::to_string(s.index) + "]";
    }
    if (field != nullptr) {
      if (!path.empty()) path += '.';
      path += *field;
    }
    errors_.push_back(FactError{document_, path.empty() ? "(top level)" : path, message});
  }
  void Fail(std::nullptr_t, const std::string& message) { Fail(static_cast<const std::string*>(nullptr), message); }

  FactStore& store_;
  const dsl::CheckedRuleSet& rules_;
  FieldIndex& index_;
  WalkState<Dom>& state_;
  const std::string& document_;
  std::vector<FactError>& errors_;
  const LoadLimits& limits_;
  bool failed_ = false;
};

/// What one thread keeps between documents: the parser's buffers, the field
/// tables and the walker's stacks.
struct ThreadState {
  simdjson::dom::parser parser;
  std::array<FieldIndex, 4> indexes;  // the rule sets read most recently (a drafter's diff reads two)
  size_t next = 0;                    // the one to build over next
  WalkState<SimdDom> walk;
  std::vector<uint32_t> rows;

  FieldIndex& IndexFor(const dsl::CheckedRuleSet& rules) {
    for (FieldIndex& index : indexes) {
      if (index.Matches(rules)) return index;
    }
    FieldIndex& index = indexes[next];
    next = (next + 1) % indexes.size();
    index.Build(rules);
    return index;
  }
};

/// Documents larger than this get a parser of their own, so a thread does not
/// keep the buffers of one large document.
constexpr size_t kSharedParserBytes = size_t{1} << 20;

template <class Dom>
bool Load(FactStore& store, FieldIndex& index, WalkState<Dom>& walk, std::vector<uint32_t>& rows,
          const std::string& name, const typename Dom::Value& root, std::vector<FactError>& errors,
          const LoadLimits& limits) {
  const dsl::CheckedRuleSet& rules = store.rules();
  // Remember the table sizes so a failed document leaves nothing behind.
  rows.resize(store.table_count());
  for (size_t e = 0; e < rows.size(); ++e) rows[e] = store.table(static_cast<uint32_t>(e)).rows;
  JsonLoader<Dom> loader(store, index, walk, name, errors, limits);
  loader.LoadEntity(rules.root, root, 0, 0, 0);
  if (loader.failed()) {
    store.Truncate(rows);
    return false;
  }
  store.SetDocumentName(store.table(rules.root).rows - 1, name);
  return true;
}

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
  thread_local ThreadState ts;
  FieldIndex& index = ts.IndexFor(rules);
  simdjson::dom::parser own;
  simdjson::dom::parser& parser = json_text.size() <= kSharedParserBytes ? ts.parser : own;
  simdjson::dom::element root;
  // The text is copied into the parser's padded buffer (simdjson reads past the end).
  if (parser.parse(json_text.data(), json_text.size(), true).get(root) == simdjson::SUCCESS) {
    return Load<SimdDom>(store, index, ts.walk, ts.rows, name, root, errors, limits);
  }

  // simdjson refused the document: nlohmann/json decides, and describes the error.
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
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line L, column C: WHAT";
    // WHAT may quote the token last read, which can hold anything: it is left out.
    std::string what = e.what();
    size_t at = what.find("column ");
    size_t colon = what.find(": ", at == std::string::npos ? 0 : at);
    std::string message = colon == std::string::npos ? what : what.substr(colon + 2);
    size_t last_read = message.find("; last read: ");
    if (last_read != std::string::npos) {
      size_t expected = message.rfind("; expected");
      message = message.substr(0, last_read) +
                (expected != std::string::npos && expected > last_read ? message.substr(expected) : "");
    }
    errors.push_back({name, "line " + std::to_string(line) + ", column " + std::to_string(col),
                      "not valid JSON: " + message});
    return false;
  } catch (const nlohmann::json::exception& e) {
    // A number beyond the range of floating point (1e400): nlohmann/json gives no position.
    std::string what = e.what();
    auto bracket = what.find("] ");
    errors.push_back({name, "(top level)",
                      "a number is out of range: " + (bracket == std::string::npos ? what : what.substr(bracket + 2))});
    return false;
  }
  WalkState<NlohmannDom> walk;
  return Load<NlohmannDom>(store, index, walk, ts.rows, name, &j, errors, limits);
}

}  // namespace nw::engine
