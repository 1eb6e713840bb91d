// Facts in columns: one table per entity, one column per field, rows of a
// child entity grouped by their owner. JSON case files, CSV work logs and the
// SQLite store all fill a FactStore; the engine reads only this.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dsl/checked.hpp"

namespace nw::engine {

/// Whether a fact is there. Unknown: not given. None: known to be absent.
/// Error: a computation failed (overflow, incomparable durations).
enum class State : uint8_t { kKnown = 0, kNone = 1, kUnknown = 2, kError = 3 };

/// Values of one field for every row of a table (representation: dsl::Value).
struct Column {
  std::vector<int64_t> a;
  std::vector<int64_t> b;  // only for decimal, percentage and duration
  std::vector<State> state;
  bool computed = false;   // derived fields: filled by the engine
};

/// The rows of one entity.
struct Table {
  uint32_t rows = 0;
  std::vector<Column> columns;       // one per field of the entity, derived fields included
  std::vector<uint32_t> owner;       // owner row (empty for the root)
  std::vector<uint32_t> position;    // index within the owner's collection (for paths)
  std::vector<uint32_t> begin;       // per owner row: first child row (size owner rows + 1); INVARIANT: rows sorted by owner
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
  /// Recomputes `begin` offsets after all rows are added (rows must be in owner order).
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
std::optional<std::string> ParseFactValue(const dsl::CheckedRuleSet& rules, dsl::Type type, const std::string& text,
                                          FactStore& store, dsl::Value& out);

}  // namespace nw::engine
