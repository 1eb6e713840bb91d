// `normwerk corpus import DIR --db FILE`, `corpus list --db FILE` and
// `corpus check --db FILE`: the corpus of policies, CAO clauses and cases in
// SQLite, evaluated from there through the same loader as JSON files.
#include "cli/corpus_cmd.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/diagnostics_output.hpp"
#include "dsl/check.hpp"
#include "engine/program.hpp"

namespace nw::cli {
namespace fs = std::filesystem;

namespace {

void CreateSchema(SQLite::Database& db) {
  db.exec("PRAGMA journal_mode=WAL");
  db.exec(
      "CREATE TABLE IF NOT EXISTS corpus_documents ("
      "  id INTEGER PRIMARY KEY,"
      "  path TEXT NOT NULL UNIQUE,"
      "  collection TEXT NOT NULL,"
      "  title TEXT NOT NULL,"
      "  as_of TEXT,"
      "  json TEXT NOT NULL)");
}

// The as-of date of each item, from DIR/asof.tsv (`path<TAB>date<TAB>reason`).
std::map<std::string, std::string> ReadAsOf(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::ifstream in(dir / "asof.tsv");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string path, date;
    std::getline(fields, path, '\t');
    std::getline(fields, date, '\t');
    if (!path.empty() && !date.empty()) out[fs::path(path).lexically_normal().string()] = date;
  }
  return out;
}

std::string TitleOf(const nlohmann::json& j) {
  // A policy's or CAO's first document title, else the employer's name.
  if (j.contains("employer") && j["employer"].is_object()) {
    const auto& e = j["employer"];
    if (e.contains("documents") && e["documents"].is_array() && !e["documents"].empty() &&
        e["documents"][0].contains("title") && e["documents"][0]["title"].is_string()) {
      return e["documents"][0]["title"].get<std::string>();
    }
    if (e.contains("name") && e["name"].is_string()) return e["name"].get<std::string>();
  }
  return "";
}

}  // namespace

int RunCorpusImport(const Common& common, const CorpusOptions& options) {
  (void)common;
  fs::path dir(options.dir);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::cerr << "normwerk: `" << options.dir << "` is not a folder\n";
    return kExitInput;
  }
  std::map<std::string, std::string> as_of = ReadAsOf(dir);
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_regular_file() && it->path().extension() == ".json" && name.find(".expected.") == std::string::npos &&
        it->path().parent_path().filename() != "sources") {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  // Validate everything first: an import is all or nothing.
  struct Row {
    std::string path, collection, title, as_of, json;
  };
  std::vector<Row> rows;
  int bad = 0;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Row r;
    r.path = f.lexically_normal().string();
    r.json = ss.str();
    try {
      nlohmann::json j = nlohmann::json::parse(r.json);
      r.title = TitleOf(j);
    } catch (const nlohmann::json::parse_error& e) {
      std::cerr << r.path << ": error: not valid JSON: " << e.what() << "\n";
      ++bad;
      continue;
    }
    r.collection = f.parent_path().filename().string();
    auto a = as_of.find(r.path);
    if (a == as_of.end()) a = as_of.find(fs::relative(f, dir.parent_path(), ec).lexically_normal().string());
    if (a != as_of.end()) r.as_of = a->second;
    rows.push_back(std::move(r));
  }
  if (bad > 0) return kExitInput;
  SQLite::Database db(options.db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  CreateSchema(db);
  SQLite::Transaction tx(db);
  SQLite::Statement insert(db,
                           "INSERT INTO corpus_documents (path, collection, title, as_of, json) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT(path) DO UPDATE SET collection = excluded.collection, title = excluded.title, "
                           "as_of = excluded.as_of, json = excluded.json");
  for (const Row& r : rows) {
    insert.bind(1, r.path);
    insert.bind(2, r.collection);
    insert.bind(3, r.title);
    if (r.as_of.empty()) insert.bind(4); else insert.bind(4, r.as_of);
    insert.bind(5, r.json);
    insert.exec();
    insert.reset();
  }
  tx.commit();
  std::cout << "imported " << rows.size() << (rows.size() == 1 ? " document" : " documents") << " into " << options.db << "\n";
  return kExitOk;
}

int RunCorpusList(const Common& common, const CorpusOptions& options) {
  (void)common;
  if (!fs::exists(options.db)) {
    std::cerr << "normwerk: `" << options.db << "` does not exist; run `normwerk corpus import DIR --db FILE` first\n";
    return kExitInput;
  }
  SQLite::Database db(options.db, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT id, collection, path, COALESCE(as_of, ''), title FROM corpus_documents ORDER BY collection, path");
  size_t n = 0;
  while (q.executeStep()) {
    std::cout << q.getColumn(0).getInt64() << "\t" << q.getColumn(1).getString() << "\t" << q.getColumn(2).getString()
              << "\t" << q.getColumn(3).getString() << "\t" << q.getColumn(4).getString() << "\n";
    ++n;
  }
  std::cout << n << (n == 1 ? " document\n" : " documents\n");
  return kExitOk;
}

int RunCorpusCheck(const Common& common, const CorpusOptions& options) {
  if (!fs::exists(options.db)) {
    std::cerr << "normwerk: `" << options.db << "` does not exist; run `normwerk corpus import DIR --db FILE` first\n";
    return kExitInput;
  }
  DiagnosticSink sink;
  dsl::LoadedRules loaded = dsl::LoadRules(common.rule_paths, common.amendment_paths, sink);
  if (sink.HasErrors()) {
    std::cerr << RenderDiagnostics(sink.Sorted(), "text", common.color);
    return kExitInput;
  }
  engine::Program program = engine::Program::Compile(*loaded.rules);
  SQLite::Database db(options.db, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT path, COALESCE(as_of, ''), json FROM corpus_documents ORDER BY collection, path");
  size_t documents = 0, failed = 0;
  std::map<std::string, size_t> kinds;
  while (q.executeStep()) {
    std::string path = q.getColumn(0).getString();
    std::string date = q.getColumn(1).getString();
    auto as_of = Date::Parse(date.empty() ? (options.as_of.empty() ? Today() : options.as_of) : date);
    if (!as_of) {
      std::cerr << path << ": error: as-of date `" << date << "` is not a date\n";
      ++failed;
      continue;
    }
    engine::FactStore facts(*loaded.rules);
    std::vector<engine::FactError> errors;
    if (!engine::LoadJsonDocument(facts, path, q.getColumn(2).getString(), errors)) {
      for (const auto& e : errors) std::cerr << e.document << ": " << e.where << ": error: " << e.message << "\n";
      ++failed;
      continue;
    }
    facts.Seal();
    engine::EvalOptions eval;
    eval.as_of = *as_of;
    eval.explain = false;
    engine::Report report = program.Evaluate(facts, eval);
    std::map<std::string, size_t> per;
    for (const auto& f : report.findings) {
      per[dsl::FindingKindName(f.kind)]++;
      kinds[dsl::FindingKindName(f.kind)]++;
    }
    std::cout << path << " (as of " << as_of->ToString() << "):";
    if (per.empty()) std::cout << " no findings";
    for (const auto& [k, n] : per) std::cout << " " << n << " " << k;
    std::cout << "\n";
    ++documents;
  }
  std::cout << documents << (documents == 1 ? " document" : " documents") << " checked from " << options.db;
  for (const auto& [k, n] : kinds) std::cout << ", " << n << " " << k;
  std::cout << "\n";
  return failed == 0 ? kExitOk : kExitInput;
}

}  // namespace nw::cli
