// Reading the workloads' text formats into a FactStore (see engine_load.hpp).
// The CSV goes through the command line's streaming reader (cli/store/
// csv_reader.cpp), the cells through engine::ParseFactValue, as `normwerk
// audit` reads them, but straight into the store instead of through SQLite.
#include "bench/engine_load.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <unordered_map>

#include "cli/store/csv_reader.hpp"

namespace nw::bench {

bool LoadW1Jsonl(engine::FactStore& store, std::string_view text, std::vector<engine::FactError>& errors) {
  size_t pos = 0, line = 0;
  std::string doc;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    ++line;
    doc.assign(text.data() + pos, eol - pos);
    pos = eol + 1;
    if (doc.empty()) continue;
    if (!engine::LoadJsonDocument(store, "case " + std::to_string(line), doc, errors)) return false;
  }
  store.Seal();
  return true;
}

bool LoadW2(engine::FactStore& store, std::string_view employer_json, const std::string& csv_path,
            std::vector<engine::FactError>& errors) {
  const dsl::CheckedRuleSet& rules = store.rules();
  if (!engine::LoadJsonDocument(store, "employer.json", std::string(employer_json), errors)) return false;
  auto fail = [&](const std::string& where, const std::string& message) {
    errors.push_back({csv_path, where, message});
    return false;
  };
  const int32_t ee = rules.FindEntity("employee"), wd = rules.FindEntity("work_day");
  if (ee < 0 || wd < 0) return fail("(rules)", "the rules declare no `employee` or `work_day`");
  // Employee ids → rows.
  const engine::Table& employees = store.table(static_cast<uint32_t>(ee));
  const engine::Column& ids = employees.columns[rules.FindField(static_cast<uint32_t>(ee), "id")];
  std::unordered_map<std::string_view, uint32_t> by_id;
  by_id.reserve(employees.rows);
  for (uint32_t r = 0; r < employees.rows; ++r) by_id.emplace(store.Text(ids.a(r)), r);

  cli::CsvReader reader(csv_path);
  if (!reader.ok()) return fail("(file)", "cannot read the file");
  std::vector<std::string_view> cells;
  if (!reader.Next(cells)) return fail("row 1", "expected a header row");
  const dsl::EntityInfo& info = rules.entities[wd];
  engine::Table& days = store.table(static_cast<uint32_t>(wd));
  // What each column of the header holds, resolved once: its field, that
  // field's storage and a parser for its type.
  struct Fact {
    const dsl::FieldInfo* field;
    engine::Column* column;
    engine::FactParser parser;
  };
  int employee_col = -1;
  std::vector<Fact> facts;  // per column of the header; no field for `employee`
  facts.reserve(cells.size());
  for (size_t c = 0; c < cells.size(); ++c) {
    if (cells[c] == "employee") {
      employee_col = static_cast<int>(c);
      facts.push_back({nullptr, nullptr, engine::FactParser(rules, dsl::Type{})});
      continue;
    }
    int32_t f = rules.FindField(static_cast<uint32_t>(wd), cells[c]);
    if (f < 0 || info.fields[f].definition >= 0) return fail("row 1", "`" + std::string(cells[c]) + "` is not a fact of `work_day`");
    facts.push_back({&info.fields[f], &days.columns[f], engine::FactParser(rules, info.fields[f].type)});
  }
  if (employee_col < 0) return fail("row 1", "no column `employee`");
  int64_t current = -1;
  uint32_t position = 0;
  std::string current_id;  // the records of one employee come together
  uint64_t rows = 0;
  std::error_code size_error;
  const uint64_t file_bytes = std::filesystem::file_size(csv_path, size_error);
  while (reader.Next(cells)) {
    auto where = [&]() { return "row " + std::to_string(reader.record()); };
    if (cells.size() != facts.size()) return fail(where(), "wrong number of cells");
    if (current < 0 || cells[employee_col] != current_id) {
      auto it = by_id.find(cells[employee_col]);
      if (it == by_id.end()) return fail(where(), "unknown employee");
      if (static_cast<int64_t>(it->second) < current) {
        return fail(where(), "records must be grouped by employee in employer order");
      }
      current = it->second;
      current_id.assign(cells[employee_col]);
      position = 0;
    }
    if (++rows == 4096 && !size_error) {
      // Room for the whole log, estimated from the first rows' length (the rest is given back at Seal).
      uint64_t estimate = file_bytes / std::max<uint64_t>(1, reader.offset() / rows) * 105 / 100;
      store.Reserve(static_cast<uint32_t>(wd), static_cast<uint32_t>(std::min<uint64_t>(estimate, UINT32_MAX / 2)));
    }
    uint32_t row = store.AddRow(static_cast<uint32_t>(wd), static_cast<uint32_t>(current), position++);
    for (size_t c = 0; c < cells.size(); ++c) {
      const Fact& fact = facts[c];
      if (fact.field == nullptr) continue;
      std::string_view cell = cells[c];
      if (cell.empty() || cell == "null") {
        if (!fact.field->optional) {
          return fail(where() + ", column `" + fact.field->name + "`", "a required fact is missing");
        }
        if (!cell.empty()) fact.column->SetState(row, engine::State::kNone);
        continue;  // empty: unknown
      }
      dsl::Value v;
      if (!fact.parser.Parse(cell, store, v)) {
        return fail(where() + ", column `" + fact.field->name + "`", fact.parser.Error(cell));
      }
      fact.column->Set(row, v.a, v.b, engine::State::kKnown);
    }
  }
  if (!reader.error().empty()) return fail("row " + std::to_string(reader.record()), reader.error());
  store.Seal();
  return true;
}

}  // namespace nw::bench
