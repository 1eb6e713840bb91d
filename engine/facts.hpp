// Facts in columns: one table per entity, one column per field, rows of a
// child entity grouped by their owner. JSON case files, CSV work logs and the
// SQLite store all fill a FactStore; the engine reads only this.
#pragma once

#include <climits>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/checked.hpp"

namespace nw::engine {

/// Allocates like std::allocator, but a cell a vector adds without a value is
/// left as it is: derived columns and the evaluator's buffers are written whole
/// before they are read, so zeroing them first buys nothing. Debug builds fill
/// such cells with 0x5A, so that a reader of a cell nobody wrote shows up in
/// the tests.
template <class T>
struct UninitAllocator : std::allocator<T> {
  using value_type = T;
  UninitAllocator() noexcept = default;
  template <class U>
  UninitAllocator(const UninitAllocator<U>&) noexcept {}
  template <class U>
  struct rebind {
    using other = UninitAllocator<U>;
  };
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
#ifndef NDEBUG
    std::memset(static_cast<void*>(p), 0x5A, sizeof(U));
#endif
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
template <class T, class U>
bool operator==(const UninitAllocator<T>&, const UninitAllocator<U>&) noexcept {
  return true;
}

/// Whether a fact is there. Unknown: not given. None: known to be absent.
/// Error: a computation failed (overflow, incomparable durations).
enum class State : uint8_t { kKnown = 0, kNone = 1, kUnknown = 2, kError = 3 };

/// Values of one field for every row of a table (representation: dsl::Value).
///
/// Storage is as small as the values allow: 32-bit values until a value needs
/// 64 bits (the column then widens), a second part only for fractions and
/// durations, and no storage at all for a field that no row states (every row
/// has the column's fill state, unknown by default).
class Column {
 public:
  /// Sets the representation for a field of this type (before any row).
  void Configure(dsl::TypeKind kind);

  uint32_t rows() const { return rows_; }
  bool has_b() const { return has_b_; }
  int64_t a(uint32_t r) const { return !stored_ ? 0 : narrow_ ? a32_[r] : a64_[r]; }
  int64_t b(uint32_t r) const { return has_b_ && stored_ ? b_[r] : 1; }
  State state(uint32_t r) const { return stored_ ? s_[r] : fill_; }

  /// Appends a row in the fill state.
  void Append() {
    ++rows_;
    if (!stored_) return;
    if (narrow_) a32_.push_back(0);
    else a64_.push_back(0);
    if (has_b_) b_.push_back(1);
    s_.push_back(fill_);
  }
  /// Room for `rows` rows without growing (used when the first value is stored).
  void Reserve(uint32_t rows);
  /// Stores one row's value and state.
  void Set(uint32_t r, int64_t a, int64_t b, State s) {
    if (!stored_) Store();
    if (narrow_ && (a < INT32_MIN || a > INT32_MAX)) Widen();
    if (narrow_) a32_[r] = static_cast<int32_t>(a);
    else a64_[r] = a;
    if (has_b_) b_[r] = b;
    s_[r] = s;
  }
  void SetState(uint32_t r, State s);
  /// Keeps the first `rows` rows.
  void Truncate(uint32_t rows);
  /// Gives back growth slack of more than a quarter.
  void Shrink();

  /// Rows [first, first + len) into a chunk.
  void CopyOut(uint32_t first, size_t len, int64_t* oa, int64_t* ob, State* os) const;
  /// The rows named by `rows` into a chunk.
  void Gather(const int64_t* rows, size_t len, int64_t* oa, int64_t* ob, State* os) const;
  void Gather(const uint32_t* rows, size_t len, int64_t* oa, int64_t* ob, State* os) const;
  /// The states alone (`is known`, `is none`, `is unknown` read nothing else).
  void CopyStates(uint32_t first, size_t len, State* os) const;
  void GatherStates(const uint32_t* rows, size_t len, State* os) const;

  /// Derived columns: `rows` rows, filled chunk by chunk with Write.
  void Reset(uint32_t rows);
  void Write(uint32_t first, size_t len, const int64_t* a, const int64_t* b, const State* s);
  /// Derived columns computed on demand: every row pending until WriteRows.
  void ResetPending(uint32_t rows);
  /// Whether some rows are still pending, and whether this one is.
  bool has_pending() const { return pending_ > 0; }
  bool pending(uint32_t r) const { return pending_ > 0 && s_[r] == kPendingState; }
  /// Stores the values of the rows named by `rows` (each pending, each once).
  void WriteRows(const uint32_t* rows, size_t len, const int64_t* a, const int64_t* b, const State* s);

  /// Bytes held (capacity, so growth slack counts).
  size_t bytes() const;

  bool computed = false;  // derived fields: filled by the engine

 private:
  template <class Row>
  void GatherRows(const Row* rows, size_t len, int64_t* oa, int64_t* ob, State* os) const;
  void Store();   // materialises the fill state
  void Widen();   // 32 -> 64-bit values

  // Marks a pending row in s_ (never a value's state: readers resolve it first).
  static constexpr State kPendingState = static_cast<State>(0xff);

  uint32_t rows_ = 0;
  uint32_t reserve_ = 0;
  uint32_t pending_ = 0;  // rows still pending
  bool has_b_ = false;
  bool narrow_ = true;
  bool stored_ = false;
  State fill_ = State::kUnknown;
  std::vector<int32_t, UninitAllocator<int32_t>> a32_;
  std::vector<int64_t, UninitAllocator<int64_t>> a64_;
  std::vector<int64_t, UninitAllocator<int64_t>> b_;
  std::vector<State, UninitAllocator<State>> s_;
};

/// The rows of one entity.
struct Table {
  uint32_t rows = 0;
  std::vector<Column> columns;       // one per field of the entity, derived fields included
  std::vector<uint32_t> owner;       // owner row (empty for the root)
  std::vector<uint32_t> position;    // index within the owner's collection (for paths)
  std::vector<uint32_t> begin;       // per owner row: first child row (size owner rows + 1); INVARIANT: rows sorted by owner
  std::vector<uint32_t> declared;    // the fields given as facts (not derived)
};

/// An input error: where (document and JSON path or CSV row and column) and what.
struct FactError {
  std::string document;
  std::string where;
  std::string message;
};

/// All facts of one evaluation, by entity.
class FactStore {
 public:
  explicit FactStore(const dsl::CheckedRuleSet& rules);

  const dsl::CheckedRuleSet& rules() const { return *rules_; }
  Table& table(uint32_t entity) { return tables_[entity]; }
  const Table& table(uint32_t entity) const { return tables_[entity]; }
  size_t table_count() const { return tables_.size(); }

  /// Adds a row to an entity's table under an owner row; fields start unknown.
  /// Derived fields get no storage here: the engine fills their columns whole.
  uint32_t AddRow(uint32_t entity, uint32_t owner_row, uint32_t position);
  /// Room for `rows` more rows of an entity (bulk loads: no growth slack).
  void Reserve(uint32_t entity, uint32_t rows);
  /// A known value of a declared field.
  void Set(uint32_t entity, uint32_t field, uint32_t row, const dsl::Value& v) {
    tables_[entity].columns[field].Set(row, v.a, v.b, State::kKnown);
  }
  /// A field stated as absent (`null`) or, for errors, unknown.
  void SetState(uint32_t entity, uint32_t field, uint32_t row, State s) {
    tables_[entity].columns[field].SetState(row, s);
  }
  /// The number of rows of every table (to undo a failed load with Truncate).
  std::vector<uint32_t> RowCounts() const;
  /// Drops the rows added since RowCounts() returned `rows`.
  void Truncate(const std::vector<uint32_t>& rows);
  /// Names the document a root row came from.
  void SetDocumentName(uint32_t root_row, std::string name);
  /// Forgets the document names of root rows from `root_rows` on (a failed load).
  void DropDocumentsFrom(uint32_t root_rows);
  /// The document of a root row.
  const std::string& document(uint32_t root_row) const { return documents_[root_row]; }
  /// Interns a text value.
  int64_t Intern(std::string text);
  /// The text of an interned value (rule-set literals are offset by rules().texts.size()).
  const std::string& Text(int64_t id) const;
  /// Recomputes `begin` offsets after all rows are added (rows must be in owner
  /// order) and gives back the slack of grown columns.
  void Seal();
  /// The root row a row of an entity belongs to.
  uint32_t RootOf(uint32_t entity, uint32_t row) const;
  /// The JSON path of a row within its document: `employer.employees[3].requests[0]`.
  std::string PathOf(uint32_t entity, uint32_t row) const;

 private:
  const dsl::CheckedRuleSet* rules_;
  std::vector<Table> tables_;
  std::vector<std::string> documents_;
  std::deque<std::string> texts_;  // stable addresses
};

/// Limits for untrusted input.
struct LoadLimits {
  size_t max_bytes = size_t{512} << 20;
  uint32_t max_depth = 64;
};

/// Reads a JSON case document (an object of entity `case`) into the store.
/// Errors name the JSON path; on any error nothing of the document is added.
bool LoadJsonDocument(FactStore& store, const std::string& name, const std::string& json_text,
                      std::vector<FactError>& errors, const LoadLimits& limits = {});

/// Parses one scalar fact from its text form, as in JSON strings and CSV cells.
/// Returns an error message (without position) on failure.
std::optional<std::string> ParseFactValue(const dsl::CheckedRuleSet& rules, dsl::Type type, std::string_view text,
                                          FactStore& store, dsl::Value& out);

/// ParseFactValue for one type, split in two: whether the text is a value (and
/// which), and only then, for a text that is not, the message. Bulk loads keep
/// one per column, so a cell costs no type lookup and no message on success.
class FactParser {
 public:
  FactParser(const dsl::CheckedRuleSet& rules, dsl::Type type) : rules_(&rules), type_(type) {}

  /// Sets `out` to the value of `text` and returns true, or returns false
  /// (and leaves `out` alone) when `text` is not a value of the type.
  bool Parse(std::string_view text, FactStore& store, dsl::Value& out) const;
  /// Why Parse rejected `text`: ParseFactValue's message.
  std::string Error(std::string_view text) const;

 private:
  const dsl::CheckedRuleSet* rules_;
  dsl::Type type_;
};

}  // namespace nw::engine
