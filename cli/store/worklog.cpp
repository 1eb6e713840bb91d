// Work-log import (CSV → audit store) and read-back (audit store → FactStore).
#include "cli/store/worklog.hpp"

#include <algorithm>
#include <csignal>

#include <nlohmann/json.hpp>

#include "cli/store/csv_reader.hpp"
#include "dsl/support/diagnostic.hpp"

namespace nw::cli {
namespace {

constexpr char kCellSeparator = '\x1f';  // ASCII unit separator between stored cells

std::string Where(int64_t row, const std::string& column) {
  return column.empty() ? "row " + std::to_string(row) : "row " + std::to_string(row) + ", column `" + column + "`";
}

std::optional<uint32_t> WorkDayEntity(const dsl::CheckedRuleSet& rules, std::string& error) {
  int32_t wd = rules.FindEntity("work_day");
  if (wd < 0) {
    error = "the rules declare no entity `work_day`, so a work log cannot be read";
    return std::nullopt;
  }
  return static_cast<uint32_t>(wd);
}

// A stored cell split out of the separator-joined text.
void SplitCells(std::string_view text, std::vector<std::string_view>& out) {
  out.clear();
  size_t start = 0;
  while (true) {
    size_t p = text.find(kCellSeparator, start);
    if (p == std::string_view::npos) {
      out.push_back(text.substr(start));
      return;
    }
    out.push_back(text.substr(start, p - start));
    start = p + 1;
  }
}

}  // namespace

std::optional<WorklogLayout> MapWorklogHeader(const dsl::CheckedRuleSet& rules, const std::vector<std::string>& header,
                                              std::string& error) {
  auto wd = WorkDayEntity(rules, error);
  if (!wd) return std::nullopt;
  WorklogLayout layout;
  layout.work_day = *wd;
  layout.names = header;
  const dsl::EntityInfo& info = rules.entities[*wd];
  std::vector<std::string> names = {"employee"};
  for (const auto& f : info.fields) {
    if (f.definition < 0 && f.type.kind != dsl::TypeKind::kList && f.type.kind != dsl::TypeKind::kEntity) {
      names.push_back(f.name);
    }
  }
  std::vector<bool> seen(info.fields.size(), false);
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string& name = header[c];
    if (name == "employee") {
      if (layout.employee_col >= 0) {
        error = "column `employee` appears twice in the header";
        return std::nullopt;
      }
      layout.employee_col = static_cast<int>(c);
      continue;
    }
    int32_t f = rules.FindField(*wd, name);
    if (f < 0 || info.fields[f].definition >= 0) {
      error = "column " + std::to_string(c + 1) + " `" + name + "` is not a fact of `work_day`";
      if (auto m = ClosestMatch(name, names)) error += "; did you mean `" + *m + "`?";
      return std::nullopt;
    }
    const dsl::FieldInfo& field = info.fields[f];
    if (field.type.kind == dsl::TypeKind::kList || field.type.kind == dsl::TypeKind::kEntity) {
      error = "column `" + name + "` holds " + dsl::TypeName(rules, field.type) + ", which a CSV cell cannot";
      return std::nullopt;
    }
    if (seen[f]) {
      error = "column `" + name + "` appears twice in the header";
      return std::nullopt;
    }
    seen[f] = true;
    if (name == "date") {
      layout.date_col = static_cast<int>(c);
      layout.date_field = f;
      continue;
    }
    layout.cell_cols.push_back(static_cast<int>(c));
    layout.cell_fields.push_back(f);
  }
  if (layout.employee_col < 0) {
    error = "the header has no column `employee` (the employee id, as in the employer file)";
    return std::nullopt;
  }
  if (layout.date_col < 0 || info.fields[layout.date_field].type.kind != dsl::TypeKind::kDate) {
    error = "the header has no column `date` (a date YYYY-MM-DD)";
    return std::nullopt;
  }
  for (size_t f = 0; f < info.fields.size(); ++f) {
    const dsl::FieldInfo& field = info.fields[f];
    if (seen[f] || field.optional || field.definition >= 0 || field.type.kind == dsl::TypeKind::kList) continue;
    error = "the header has no column `" + field.name + "`, a required fact of `work_day`";
    return std::nullopt;
  }
  return layout;
}

std::optional<std::string> ParseCell(const dsl::CheckedRuleSet& rules, const dsl::FieldInfo& field, std::string_view text,
                                     engine::FactStore& store, dsl::Value& out, engine::State& state, bool validate_only) {
  out = {0, 1};
  if (text.empty()) {
    if (!field.optional) return "`" + field.name + "` is required and the cell is empty";
    state = engine::State::kUnknown;
    return std::nullopt;
  }
  if (text == "null") {
    if (!field.optional) return "`" + field.name + "` is required and cannot be null";
    state = engine::State::kNone;
    return std::nullopt;
  }
  state = engine::State::kKnown;
  if (field.type.kind == dsl::TypeKind::kText) {
    if (!validate_only) out.a = store.Intern(std::string(text));
    return std::nullopt;
  }
  if (field.type.kind == dsl::TypeKind::kSet) {
    // A set of enum values: `a;b;c`.
    out.a = 0;
    size_t start = 0;
    while (start <= text.size()) {
      size_t p = text.find(';', start);
      std::string_view part = text.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start);
      dsl::Value ev;
      auto err = engine::ParseFactValue(rules, dsl::Type{dsl::TypeKind::kEnum, field.type.id}, std::string(part), store, ev);
      if (err) return err;
      out.a |= int64_t{1} << ev.a;
      if (p == std::string_view::npos) break;
      start = p + 1;
    }
    return std::nullopt;
  }
  return engine::ParseFactValue(rules, field.type, std::string(text), store, out);
}

ImportResult ImportWorklog(AuditStore& store, const dsl::CheckedRuleSet& rules, const std::string& path,
                           int64_t employer_doc, const std::unordered_map<std::string, uint32_t>& employees,
                           const ImportOptions& options) {
  ImportResult result;
  auto fail = [&](const std::string& where, const std::string& message) {
    result.errors.push_back({path, where, message});
    return result;
  };
  CsvReader reader(path);
  if (!reader.ok()) return fail("(file)", "cannot read the file");
  std::string fingerprint = FingerprintFile(path);
  if (fingerprint.empty()) return fail("(file)", "cannot read the file");

  // The header decides the layout, also when the import resumes.
  std::vector<std::string_view> cells;
  if (!reader.Next(cells)) {
    return fail("row 1", reader.error().empty() ? "the file is empty: expected a header row" : reader.error());
  }
  if (!reader.error().empty()) return fail("row 1", reader.error());
  std::vector<std::string> header(cells.begin(), cells.end());
  if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0] = header[0].substr(3);  // UTF-8 BOM
  std::string error;
  auto layout = MapWorklogHeader(rules, header, error);
  if (!layout) return fail("row 1", error);
  nlohmann::json columns = nlohmann::json::array();
  for (int c : layout->cell_cols) columns.push_back(layout->names[c]);

  std::optional<StoredDocument> existing = store.FindDocument("worklog", fingerprint, employer_doc);
  if (existing && existing->status == "complete" && existing->columns == columns.dump()) {
    result.ok = true;
    result.reused = true;
    result.doc = *existing;
    result.bad_rows = existing->bad_rows;
    return result;
  }
  StoredDocument doc;
  if (existing && existing->columns == columns.dump()) {
    doc = *existing;
    result.resumed = true;
  } else {
    doc.kind = "worklog";
    doc.path = path;
    doc.fingerprint = fingerprint;
    doc.status = "importing";
    doc.columns = columns.dump();
    doc.employer = employer_doc;
    doc.next_offset = static_cast<int64_t>(reader.offset());
    doc.next_row = 2;
    doc.id = store.AddDocument(doc);
  }
  store.DropStaleImports(path, doc.id);
  if (options.log) {
    options.log->info("importing {} as document {} from row {} (byte {})", path, doc.id, doc.next_row, doc.next_offset);
  }
  if (!reader.Seek(static_cast<uint64_t>(doc.next_offset), static_cast<uint64_t>(doc.next_row))) {
    return fail("(file)", "cannot read the file");
  }

  // No checkpoints while the rows stream in: a checkpoint syncs the disk, and
  // one per batch would dominate the import. Committed batches stay in the
  // WAL (safe against a killed process) until the one checkpoint at the end.
  struct AutoCheckpoint {
    SQLite::Database& db;
    explicit AutoCheckpoint(SQLite::Database& d) : db(d) { db.exec("PRAGMA wal_autocheckpoint = 0"); }
    ~AutoCheckpoint() {
      try {
        db.exec("PRAGMA wal_autocheckpoint = 1000");
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (const SQLite::Exception&) {
        // The next connection checkpoints; nothing is lost.
      }
    }
  } checkpoint_guard(store.db());
  const dsl::EntityInfo& info = rules.entities[layout->work_day];
  const dsl::FieldInfo& date_field = info.fields[layout->date_field];
  engine::FactStore scratch(rules);  // for ParseFactValue; texts are not interned when validating
  SQLite::Database& db = store.db();
  SQLite::Statement insert(db, "INSERT INTO work_records(doc, emp, date, row, cells) VALUES (?, ?, ?, ?, ?)");
  SQLite::Statement progress(db,
                             "UPDATE documents SET rows = ?, bad_rows = ?, next_offset = ?, next_row = ? WHERE id = ?");
  const size_t ncols = header.size();
  std::string joined;
  int64_t rows = doc.rows, bad = doc.bad_rows;
  int committed = 0;
  bool more = true;
  while (more) {
    SQLite::Transaction tx(db);
    size_t in_batch = 0;
    while (in_batch < options.batch_rows) {
      if (!reader.Next(cells)) {
        if (!reader.error().empty()) {
          return fail(Where(static_cast<int64_t>(reader.record()), ""), reader.error());
        }
        more = false;
        break;
      }
      auto row = static_cast<int64_t>(reader.record());
      std::string bad_where, bad_message;
      if (!reader.error().empty()) {
        bad_where = Where(row, "");
        bad_message = reader.error();
      } else if (cells.size() == 1 && cells[0].empty() && !reader.quoted()[0]) {
        continue;  // a blank line
      } else if (cells.size() != ncols) {
        bad_where = Where(row, "");
        bad_message = "expected " + std::to_string(ncols) + " cells as in the header, found " + std::to_string(cells.size());
      } else {
        std::string_view emp_id = cells[layout->employee_col];
        auto emp = employees.find(std::string(emp_id));
        dsl::Value date;
        engine::State state = engine::State::kUnknown;
        if (emp == employees.end()) {
          bad_where = Where(row, "employee");
          bad_message = emp_id.empty() ? "the employee id is empty"
                                       : "unknown employee `" + std::string(emp_id) + "`: no employee with this id in the employer file";
        } else if (auto err = ParseCell(rules, date_field, cells[layout->date_col], scratch, date, state, true)) {
          bad_where = Where(row, "date");
          bad_message = *err;
        } else {
          joined.clear();
          for (size_t k = 0; k < layout->cell_cols.size(); ++k) {
            std::string_view cell = cells[layout->cell_cols[k]];
            const dsl::FieldInfo& field = info.fields[layout->cell_fields[k]];
            dsl::Value v;
            engine::State s;
            if (cell.find(kCellSeparator) != std::string_view::npos) {
              bad_where = Where(row, field.name);
              bad_message = "the cell holds a control character (unit separator)";
              break;
            }
            if (auto cell_err = ParseCell(rules, field, cell, scratch, v, s, true)) {
              bad_where = Where(row, field.name);
              bad_message = *cell_err;
              break;
            }
            if (k > 0) joined.push_back(kCellSeparator);
            joined.append(cell);
          }
          if (bad_where.empty()) {
            insert.bind(1, doc.id);
            insert.bind(2, static_cast<int64_t>(emp->second));
            insert.bind(3, date.a);
            insert.bind(4, row);
            insert.bindNoCopy(5, joined.data(), static_cast<int>(joined.size()));
            insert.exec();
            insert.reset();
            ++rows;
            ++in_batch;
          }
        }
      }
      if (!bad_where.empty()) {
        if (!options.skip_bad_rows) {
          result.stopped_at_row = true;
          return fail(bad_where, bad_message);
        }
        ++bad;
        ++in_batch;
        if (static_cast<size_t>(bad) <= options.max_reported) result.errors.push_back({path, bad_where, bad_message});
      }
      if (options.progress && (rows & 0xfff) == 0) {
        options.progress->Update(reader.offset(), reader.size(), std::to_string(rows) + " rows");
      }
    }
    progress.bind(1, rows);
    progress.bind(2, bad);
    progress.bind(3, static_cast<int64_t>(reader.offset()));
    progress.bind(4, static_cast<int64_t>(reader.record() + 1));
    progress.bind(5, doc.id);
    progress.exec();
    progress.reset();
    if (!more) {
      SQLite::Statement done(db, "UPDATE documents SET status = 'complete' WHERE id = ?");
      done.bind(1, doc.id);
      done.exec();
    }
    tx.commit();
    if (options.log) options.log->debug("committed {} rows of {} up to byte {}", rows, path, reader.offset());
    if (options.crash_after_batches > 0 && ++committed >= options.crash_after_batches && more) raise(SIGKILL);
  }
  if (options.progress) options.progress->Finish();
  result.ok = true;
  result.bad_rows = bad;
  doc.rows = rows;
  doc.bad_rows = bad;
  doc.status = "complete";
  result.doc = doc;
  return result;
}

bool LoadWorkDays(AuditStore& store, const dsl::CheckedRuleSet& rules, const StoredDocument& worklog, uint32_t first,
                  uint32_t last, engine::FactStore& facts, std::vector<int64_t>& csv_rows,
                  std::vector<engine::FactError>& errors) {
  std::string error;
  auto wd = WorkDayEntity(rules, error);
  if (!wd) {
    errors.push_back({worklog.path, "(file)", error});
    return false;
  }
  const dsl::EntityInfo& info = rules.entities[*wd];
  // The stored columns, mapped to the fields of these rules.
  std::vector<int32_t> fields;
  std::vector<std::string> names;
  for (const auto& c : nlohmann::json::parse(worklog.columns)) {
    std::string name = c.get<std::string>();
    int32_t f = rules.FindField(*wd, name);
    if (f < 0) {
      errors.push_back({worklog.path, "row 1, column `" + name + "`", "not a fact of `work_day` in these rules"});
      return false;
    }
    fields.push_back(f);
    names.push_back(name);
  }
  uint32_t date_field = static_cast<uint32_t>(rules.FindField(*wd, "date"));
  SQLite::Statement q(store.db(),
                      "SELECT emp, row, date, cells FROM work_records WHERE doc = ? AND emp >= ? AND emp < ?"
                      " ORDER BY emp, date, row");
  q.bind(1, worklog.id);
  q.bind(2, static_cast<int64_t>(first));
  q.bind(3, static_cast<int64_t>(last));
  std::vector<std::string_view> cells;
  int64_t current = -1;
  uint32_t position = 0;
  while (q.executeStep()) {
    int64_t emp = q.getColumn(0).getInt64();
    int64_t row = q.getColumn(1).getInt64();
    if (emp != current) {
      current = emp;
      position = 0;
    }
    uint32_t r = facts.AddRow(*wd, static_cast<uint32_t>(emp - first), position++);
    csv_rows.push_back(row);
    facts.Set(*wd, date_field, r, dsl::Value{q.getColumn(2).getInt64(), 1});
    const char* text = q.getColumn(3).getText();
    SplitCells(std::string_view(text, static_cast<size_t>(q.getColumn(3).getBytes())), cells);
    if (cells.size() != fields.size()) {
      errors.push_back({worklog.path, Where(row, ""), "the stored record does not match its columns"});
      return false;
    }
    for (size_t k = 0; k < fields.size(); ++k) {
      const dsl::FieldInfo& field = info.fields[fields[k]];
      dsl::Value v;
      engine::State s = engine::State::kUnknown;
      if (auto err = ParseCell(rules, field, cells[k], facts, v, s, false)) {
        errors.push_back({worklog.path, Where(row, names[k]), *err});
        return false;
      }
      if (s == engine::State::kKnown) facts.Set(*wd, static_cast<uint32_t>(fields[k]), r, v);
      else facts.SetState(*wd, static_cast<uint32_t>(fields[k]), r, s);
    }
  }
  return true;
}

}  // namespace nw::cli
