// The audit database: schema, documents and runs.
#include "cli/store/audit_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>

namespace nw::cli {
namespace {

constexpr int kSchemaVersion = 3;

// Every table the store needs. Work-log cells are stored as the text of the
// file (validated on import, parsed again when an audit reads them back), so
// the table does not depend on which facts the rules add to `work_day`.
//
// Findings are stored compactly: what a report shows, and no explanation
// tree (`normwerk explain` rebuilds it by evaluating the finding's employee
// again). One row per finding, except that the undetermined findings of one
// rule for one employee (or one subject owner) that lack the same facts are
// one row covering many subjects. Columns of `findings`:
//   run, seq        the run and the finding's number in it (`#seq`, display order)
//   batch           the batch that stored it (0: employer-level rules)
//   rule, kind, severity, rank   rank orders severities, info = 0 … critical = 4
//   document        the subject's document: the work log or the employer file
//   subject         JSON path of the (first) subject, with its period if any
//   line            its line in the employer file (JSON subjects)
//   emp, employee   position and id of the employee in the employer file
//   csv_row         CSV row of the (first) work day
//   count           subjects covered (1, or more for merged undetermined findings)
//   first_date, last_date, last_row   dates and last CSV row covered (merged)
//   message, message_nl, remedy, remedy_nl   texts in English and Dutch (a
//                   remedy without values of the subject is stored once, in run_rules)
//   params          key into run_params: the parameter versions the finding rests on
//   detail          JSON, only what a finding has: missing, missing_cells,
//                   questions, questions_nl, weigh, assertions, exceptions
//                   (rule, outcome), decided_by, amended_by, unit (merged)
// run_rules holds each rule's metadata once per run (title, citations, …; the
// English JSON of `normwerk rules` plus the Dutch title, and the remedy when
// it is the same for every finding); run_params each distinct parameter list
// once per run.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('employer', 'worklog')),
  path        TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('importing', 'complete')),
  content     TEXT,
  columns     TEXT,
  employer    INTEGER REFERENCES documents(id),
  rows        INTEGER NOT NULL DEFAULT 0,
  bad_rows    INTEGER NOT NULL DEFAULT 0,
  next_offset INTEGER NOT NULL DEFAULT 0,
  next_row    INTEGER NOT NULL DEFAULT 2,
  imported_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_fingerprint ON documents(kind, fingerprint);
CREATE TABLE IF NOT EXISTS work_records (
  doc   INTEGER NOT NULL REFERENCES documents(id),
  emp   INTEGER NOT NULL,
  date  INTEGER NOT NULL,
  row   INTEGER NOT NULL,
  cells TEXT NOT NULL,
  PRIMARY KEY (doc, emp, date, row)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  as_of         TEXT NOT NULL,
  rule_set_name TEXT NOT NULL,
  rule_set_hash TEXT NOT NULL,
  command       TEXT NOT NULL,
  lang          TEXT NOT NULL,
  employer_doc  INTEGER NOT NULL REFERENCES documents(id),
  worklog_doc   INTEGER NOT NULL REFERENCES documents(id),
  status        TEXT NOT NULL CHECK (status IN ('running', 'complete', 'abandoned')),
  batch_size    INTEGER NOT NULL,
  batches_total INTEGER NOT NULL,
  batches_done  INTEGER NOT NULL DEFAULT 0,
  employees     INTEGER NOT NULL DEFAULT 0,
  work_days     INTEGER NOT NULL DEFAULT 0,
  findings      INTEGER NOT NULL DEFAULT 0,
  errors        INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS findings (
  run        INTEGER NOT NULL REFERENCES runs(id),
  seq        INTEGER NOT NULL,
  batch      INTEGER NOT NULL,
  rule       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  severity   TEXT NOT NULL,
  rank       INTEGER NOT NULL,
  document   TEXT NOT NULL,
  subject    TEXT NOT NULL,
  line       INTEGER,
  emp        INTEGER,
  employee   TEXT,
  csv_row    INTEGER,
  count      INTEGER NOT NULL DEFAULT 1,
  first_date TEXT,
  last_date  TEXT,
  last_row   INTEGER,
  message    TEXT NOT NULL,
  message_nl TEXT NOT NULL,
  remedy     TEXT,
  remedy_nl  TEXT,
  params     TEXT,
  detail     TEXT,
  PRIMARY KEY (run, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS findings_by_rule ON findings(run, rule);
CREATE TABLE IF NOT EXISTS run_rules (
  run       INTEGER NOT NULL REFERENCES runs(id),
  rule      TEXT NOT NULL,
  json      TEXT NOT NULL,
  title_nl  TEXT NOT NULL,
  remedy    TEXT,
  remedy_nl TEXT,
  PRIMARY KEY (run, rule)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_params (
  run  INTEGER NOT NULL REFERENCES runs(id),
  key  TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (run, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_errors (
  run      INTEGER NOT NULL REFERENCES runs(id),
  seq      INTEGER NOT NULL,
  rule     TEXT NOT NULL,
  document TEXT NOT NULL,
  subject  TEXT NOT NULL,
  message  TEXT NOT NULL,
  PRIMARY KEY (run, seq)
) WITHOUT ROWID;
)sql";

StoredDocument ReadDocument(SQLite::Statement& q) {
  StoredDocument d;
  d.id = q.getColumn(0).getInt64();
  d.kind = q.getColumn(1).getString();
  d.path = q.getColumn(2).getString();
  d.fingerprint = q.getColumn(3).getString();
  d.status = q.getColumn(4).getString();
  d.content = q.getColumn(5).getString();
  d.columns = q.getColumn(6).getString();
  d.employer = q.getColumn(7).getInt64();
  d.rows = q.getColumn(8).getInt64();
  d.bad_rows = q.getColumn(9).getInt64();
  d.next_offset = q.getColumn(10).getInt64();
  d.next_row = q.getColumn(11).getInt64();
  return d;
}

constexpr const char* kDocumentColumns =
    "id, kind, path, fingerprint, status, content, columns, employer, rows, bad_rows, next_offset, next_row";

constexpr const char* kRunColumns =
    "id, started_at, finished_at, as_of, rule_set_name, rule_set_hash, command, lang, employer_doc, worklog_doc, "
    "status, batch_size, batches_total, batches_done, employees, work_days, findings, errors";

StoredRun ReadRun(SQLite::Statement& q) {
  StoredRun r;
  r.id = q.getColumn(0).getInt64();
  r.started_at = q.getColumn(1).getString();
  r.finished_at = q.getColumn(2).getString();
  r.as_of = q.getColumn(3).getString();
  r.rule_set_name = q.getColumn(4).getString();
  r.rule_set_hash = q.getColumn(5).getString();
  r.command = q.getColumn(6).getString();
  r.lang = q.getColumn(7).getString();
  r.employer_doc = q.getColumn(8).getInt64();
  r.worklog_doc = q.getColumn(9).getInt64();
  r.status = q.getColumn(10).getString();
  r.batch_size = q.getColumn(11).getInt64();
  r.batches_total = q.getColumn(12).getInt64();
  r.batches_done = q.getColumn(13).getInt64();
  r.employees = q.getColumn(14).getInt64();
  r.work_days = q.getColumn(15).getInt64();
  r.findings = q.getColumn(16).getInt64();
  r.errors = q.getColumn(17).getInt64();
  return r;
}

uint64_t Fnv1a(const char* p, size_t n, uint64_t h = 1469598103934665603ULL) {
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 1099511628211ULL;
  }
  return h;
}

std::string Hex(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

AuditStore::AuditStore(const std::string& path, bool create)
    : path_(path),
      db_(path, create ? (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) : SQLite::OPEN_READWRITE, 10'000) {
  // Larger pages: fewer B-tree levels and less per-page overhead for work logs.
  // Only takes effect when the file is new.
  db_.exec("PRAGMA page_size = 16384");
  db_.exec("PRAGMA foreign_keys = ON");
  db_.exec("PRAGMA journal_mode = WAL");
  // NORMAL in WAL mode: a transaction is durable once the WAL reaches the
  // disk at a checkpoint; a killed process loses nothing that was committed.
  db_.exec("PRAGMA synchronous = NORMAL");
  db_.exec("PRAGMA cache_size = -65536");  // 64 MiB
  CreateSchema();
}

AuditStore::~AuditStore() {
  if (lock_fd_ >= 0) close(lock_fd_);
}

void AuditStore::CreateSchema() {
  // Never add tables to someone else's database.
  {
    SQLite::Statement any(db_, "SELECT COUNT(*), SUM(name = 'meta') FROM sqlite_master WHERE type = 'table'");
    any.executeStep();
    if (any.getColumn(0).getInt64() > 0 && any.getColumn(1).getInt64() == 0) {
      throw SQLite::Exception("the database holds other tables and is not a normwerk audit database");
    }
  }
  SQLite::Transaction tx(db_);
  db_.exec(kSchema);
  SQLite::Statement q(db_, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!q.executeStep()) {
    SQLite::Statement ins(db_, "INSERT INTO meta(key, value) VALUES ('schema_version', ?)");
    ins.bind(1, std::to_string(kSchemaVersion));
    ins.exec();
  } else if (q.getColumn(0).getString() != std::to_string(kSchemaVersion)) {
    throw SQLite::Exception("the database has store schema version " + q.getColumn(0).getString() +
                            "; this normwerk reads version " + std::to_string(kSchemaVersion));
  }
  tx.commit();
}

bool AuditStore::LockForWriting() {
  if (lock_fd_ >= 0) return true;
  lock_fd_ = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (lock_fd_ < 0) return false;
  if (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    close(lock_fd_);
    lock_fd_ = -1;
    return false;
  }
  return true;
}

std::optional<StoredDocument> AuditStore::FindDocument(const std::string& kind, const std::string& fingerprint,
                                                       int64_t employer) {
  SQLite::Statement q(db_, std::string("SELECT ") + kDocumentColumns +
                               " FROM documents WHERE kind = ? AND fingerprint = ? AND IFNULL(employer, 0) = ?"
                               " ORDER BY (status = 'complete') DESC, id DESC LIMIT 1");
  q.bind(1, kind);
  q.bind(2, fingerprint);
  q.bind(3, employer);
  if (!q.executeStep()) return std::nullopt;
  return ReadDocument(q);
}

std::optional<StoredDocument> AuditStore::Document(int64_t id) {
  SQLite::Statement q(db_, std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return ReadDocument(q);
}

int64_t AuditStore::AddDocument(const StoredDocument& d) {
  SQLite::Statement q(db_,
                      "INSERT INTO documents(kind, path, fingerprint, status, content, columns, employer, rows, bad_rows,"
                      " next_offset, next_row, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, d.kind);
  q.bind(2, d.path);
  q.bind(3, d.fingerprint);
  q.bind(4, d.status);
  q.bind(5, d.content);
  q.bind(6, d.columns);
  if (d.employer != 0) {
    q.bind(7, d.employer);
  } else {
    q.bind(7);
  }
  q.bind(8, d.rows);
  q.bind(9, d.bad_rows);
  q.bind(10, d.next_offset);
  q.bind(11, d.next_row);
  q.bind(12, Now());
  q.exec();
  return db_.getLastInsertRowid();
}

void AuditStore::DropStaleImports(const std::string& path, int64_t keep) {
  SQLite::Transaction tx(db_);
  SQLite::Statement del(db_,
                        "DELETE FROM work_records WHERE doc IN (SELECT id FROM documents WHERE kind = 'worklog' AND"
                        " path = ? AND status = 'importing' AND id <> ? AND id NOT IN (SELECT worklog_doc FROM runs))");
  del.bind(1, path);
  del.bind(2, keep);
  del.exec();
  SQLite::Statement deld(db_,
                         "DELETE FROM documents WHERE kind = 'worklog' AND path = ? AND status = 'importing' AND id <> ?"
                         " AND id NOT IN (SELECT worklog_doc FROM runs)");
  deld.bind(1, path);
  deld.bind(2, keep);
  deld.exec();
  tx.commit();
}

std::optional<StoredRun> AuditStore::Run(int64_t id) {
  SQLite::Statement q(db_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return ReadRun(q);
}

std::optional<StoredRun> AuditStore::LastRun() {
  SQLite::Statement q(db_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE status <> 'abandoned' ORDER BY id DESC LIMIT 1");
  if (!q.executeStep()) return std::nullopt;
  return ReadRun(q);
}

std::optional<StoredRun> AuditStore::FindUnfinishedRun(const StoredRun& like) {
  SQLite::Statement q(db_, std::string("SELECT ") + kRunColumns +
                               " FROM runs WHERE status = 'running' AND as_of = ? AND rule_set_hash = ? AND"
                               " employer_doc = ? AND worklog_doc = ? AND batch_size = ? AND lang = ?"
                               " ORDER BY id DESC LIMIT 1");
  q.bind(1, like.as_of);
  q.bind(2, like.rule_set_hash);
  q.bind(3, like.employer_doc);
  q.bind(4, like.worklog_doc);
  q.bind(5, like.batch_size);
  q.bind(6, like.lang);
  if (!q.executeStep()) return std::nullopt;
  return ReadRun(q);
}

int64_t AuditStore::AddRun(const StoredRun& r) {
  SQLite::Statement q(db_,
                      "INSERT INTO runs(started_at, as_of, rule_set_name, rule_set_hash, command, lang, employer_doc,"
                      " worklog_doc, status, batch_size, batches_total, employees, work_days)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)");
  q.bind(1, Now());
  q.bind(2, r.as_of);
  q.bind(3, r.rule_set_name);
  q.bind(4, r.rule_set_hash);
  q.bind(5, r.command);
  q.bind(6, r.lang);
  q.bind(7, r.employer_doc);
  q.bind(8, r.worklog_doc);
  q.bind(9, r.batch_size);
  q.bind(10, r.batches_total);
  q.bind(11, r.employees);
  q.bind(12, r.work_days);
  q.exec();
  return db_.getLastInsertRowid();
}

void AuditStore::AbandonRun(int64_t id) {
  SQLite::Transaction tx(db_);
  for (const char* sql : {"DELETE FROM findings WHERE run = ?", "DELETE FROM run_errors WHERE run = ?",
                          "DELETE FROM run_rules WHERE run = ?", "DELETE FROM run_params WHERE run = ?",
                          "UPDATE runs SET status = 'abandoned', findings = 0, errors = 0 WHERE id = ?"}) {
    SQLite::Statement q(db_, sql);
    q.bind(1, id);
    q.exec();
  }
  tx.commit();
}

void AuditStore::AddFinding(const StoredFinding& f) {
  if (!add_finding_) {
    add_finding_ = std::make_unique<SQLite::Statement>(
        db_,
        "INSERT INTO findings(run, seq, batch, rule, kind, severity, rank, document, subject, line, emp, employee, csv_row,"
        " count, first_date, last_date, last_row, message, message_nl, remedy, remedy_nl, params, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }
  SQLite::Statement& q = *add_finding_;
  int i = 0;
  auto opt = [&](const std::optional<int64_t>& v) {
    if (v) q.bind(++i, *v); else q.bind(++i);
  };
  auto text = [&](const std::string& v) {
    if (v.empty()) q.bind(++i); else q.bind(++i, v);
  };
  q.bind(++i, f.run);
  q.bind(++i, f.seq);
  q.bind(++i, f.batch);
  q.bind(++i, f.rule);
  q.bind(++i, f.kind);
  q.bind(++i, f.severity);
  q.bind(++i, f.rank);
  q.bind(++i, f.document);
  q.bind(++i, f.subject);
  opt(f.line);
  opt(f.emp);
  text(f.employee);
  opt(f.csv_row);
  q.bind(++i, f.count);
  text(f.first_date);
  text(f.last_date);
  opt(f.last_row);
  q.bind(++i, f.message);
  q.bind(++i, f.message_nl);
  text(f.remedy);
  text(f.remedy_nl);
  text(f.params);
  text(f.detail);
  q.exec();
  q.reset();
}

int KindGroup(const std::string& kind) { return kind == "undetermined" ? 1 : kind == "info" ? 2 : 0; }

void AuditStore::ForEachFinding(int64_t run, std::optional<int64_t> seq,
                                const std::function<bool(const StoredFinding&)>& each, bool decided_first) {
  SQLite::Statement q(db_, std::string("SELECT run, seq, batch, rule, kind, severity, rank, document, subject, line, emp,"
                                       " employee, csv_row, count, first_date, last_date, last_row, message, message_nl,"
                                       " remedy, remedy_nl, params, detail FROM findings WHERE run = ?") +
                               (seq ? " AND seq = ?" : "") +
                               (decided_first ? " ORDER BY CASE kind WHEN 'undetermined' THEN 1 WHEN 'info' THEN 2 ELSE 0 END, seq"
                                              : " ORDER BY seq"));
  q.bind(1, run);
  if (seq) q.bind(2, *seq);
  auto opt = [&](int c) -> std::optional<int64_t> {
    if (q.getColumn(c).isNull()) return std::nullopt;
    return q.getColumn(c).getInt64();
  };
  StoredFinding f;
  while (q.executeStep()) {
    f.run = q.getColumn(0).getInt64();
    f.seq = q.getColumn(1).getInt64();
    f.batch = q.getColumn(2).getInt64();
    f.rule = q.getColumn(3).getString();
    f.kind = q.getColumn(4).getString();
    f.severity = q.getColumn(5).getString();
    f.rank = q.getColumn(6).getInt();
    f.document = q.getColumn(7).getString();
    f.subject = q.getColumn(8).getString();
    f.line = opt(9);
    f.emp = opt(10);
    f.employee = q.getColumn(11).getString();
    f.csv_row = opt(12);
    f.count = q.getColumn(13).getInt64();
    f.first_date = q.getColumn(14).getString();
    f.last_date = q.getColumn(15).getString();
    f.last_row = opt(16);
    f.message = q.getColumn(17).getString();
    f.message_nl = q.getColumn(18).getString();
    f.remedy = q.getColumn(19).getString();
    f.remedy_nl = q.getColumn(20).getString();
    f.params = q.getColumn(21).getString();
    f.detail = q.getColumn(22).getString();
    if (!each(f)) break;
  }
}

std::string AuditStore::Now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string HashHex(const std::string& data) { return Hex(Fnv1a(data.data(), data.size())); }

std::string FingerprintFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  constexpr size_t kPart = 64 * 1024;
  std::string head(kPart, '\0');
  in.read(head.data(), static_cast<std::streamsize>(kPart));
  head.resize(static_cast<size_t>(in.gcount()));
  uint64_t h = Fnv1a(head.data(), head.size());
  auto size = static_cast<uint64_t>(st.st_size);
  if (size > kPart) {
    in.clear();
    in.seekg(static_cast<std::streamoff>(size > 2 * kPart ? size - kPart : kPart));
    std::string tail(kPart, '\0');
    in.read(tail.data(), static_cast<std::streamsize>(kPart));
    tail.resize(static_cast<size_t>(in.gcount()));
    h = Fnv1a(tail.data(), tail.size(), h);
  }
  return std::to_string(size) + ":" + std::to_string(static_cast<int64_t>(st.st_mtim.tv_sec)) + "." +
         std::to_string(st.st_mtim.tv_nsec) + ":" + Hex(h);
}

}  // namespace nw::cli
