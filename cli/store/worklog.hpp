// Work logs: a CSV file with a header row, one row per employee per day. The
// columns are `employee` (an `employees[].id` of the employer file) and any
// fact of `work_day` by name. A cell is parsed as in JSON case files; an empty
// cell is unknown, the literal `null` is known to be absent. Import streams
// the file into the audit store in batched transactions; an audit reads the
// days of a batch of employees back into a FactStore.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <spdlog/logger.h>

#include "cli/progress.hpp"
#include "cli/store/audit_store.hpp"
#include "engine/facts.hpp"

namespace nw::cli {

/// How the columns of a work log map to `work_day` facts.
struct WorklogLayout {
  uint32_t work_day = 0;                // entity index of `work_day`
  int32_t date_field = -1;              // field index of `work_day.date`
  int employee_col = -1;                // CSV column of the employee id
  int date_col = -1;                    // CSV column of the date
  std::vector<std::string> names;       // header names, in file order
  std::vector<int> cell_cols;           // CSV columns stored as cells (all but employee and date), in order
  std::vector<int32_t> cell_fields;     // the work_day field of each stored cell
};

/// Maps a header row to `work_day` facts. On error returns nullopt and sets
/// `error` to a message that names the column.
std::optional<WorklogLayout> MapWorklogHeader(const dsl::CheckedRuleSet& rules, const std::vector<std::string>& header,
                                              std::string& error);

/// Parses one cell of a field: empty = unknown, `null` = known absent.
/// Returns an error message (naming no position) on failure.
std::optional<std::string> ParseCell(const dsl::CheckedRuleSet& rules, const dsl::FieldInfo& field, std::string_view text,
                                     engine::FactStore& store, dsl::Value& out, engine::State& state, bool validate_only);

/// Settings of an import.
struct ImportOptions {
  bool skip_bad_rows = false;     // go on past bad rows and count them
  size_t batch_rows = 100'000;    // rows per transaction
  size_t max_reported = 20;       // bad rows reported in detail
  int crash_after_batches = 0;    // test hook: SIGKILL after committing this many batches (0: never)
  Progress* progress = nullptr;
  std::shared_ptr<spdlog::logger> log;
};

/// What an import did.
struct ImportResult {
  bool ok = false;
  StoredDocument doc;
  bool reused = false;    // the same file was imported completely before
  bool resumed = false;   // an interrupted import of the same file went on
  int64_t bad_rows = 0;
  bool stopped_at_row = false;  // the import stopped at a bad data row
  std::vector<engine::FactError> errors;  // bad rows (reported) or the error that stopped the import
};

/// Imports a work log for the employees of `employer_doc` (id → index in its file).
ImportResult ImportWorklog(AuditStore& store, const dsl::CheckedRuleSet& rules, const std::string& path,
                           int64_t employer_doc, const std::unordered_map<std::string, uint32_t>& employees,
                           const ImportOptions& options);

/// Reads the stored work days of employees [first, last) (indices in the
/// employer file) into `facts`, whose employee rows 0..last-first-1 are those
/// employees, ordered by employee and date. `csv_rows` gets, per work_day row
/// added, its row in the CSV file. Errors name the CSV row and column.
bool LoadWorkDays(AuditStore& store, const dsl::CheckedRuleSet& rules, const StoredDocument& worklog, uint32_t first,
                  uint32_t last, engine::FactStore& facts, std::vector<int64_t>& csv_rows,
                  std::vector<engine::FactError>& errors);

}  // namespace nw::cli
