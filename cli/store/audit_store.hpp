// The audit database (SQLite through SQLiteCpp): imported documents, work-log
// records, runs and their findings. WAL mode; every change is a transaction,
// so a process killed at any point leaves the database consistent, and each
// run records how far it got so that running the audit again resumes it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

namespace nw::cli {

/// An imported document: an employer file or a work log.
struct StoredDocument {
  int64_t id = 0;
  std::string kind;          // "employer" or "worklog"
  std::string path;          // as given on the command line
  std::string fingerprint;   // identifies the content (see Fingerprint*)
  std::string status;        // "importing" or "complete"
  std::string content;       // employer: the JSON text
  std::string columns;       // worklog: JSON array of the stored cell columns, in order
  int64_t employer = 0;      // worklog: the employer document its employees belong to
  int64_t rows = 0;          // worklog: data rows stored
  int64_t bad_rows = 0;      // worklog: rows skipped (--skip-bad-rows)
  int64_t next_offset = 0;   // worklog: byte offset where the import goes on
  int64_t next_row = 2;      // worklog: CSV row number there (the header is row 1)
};

/// One audit run.
struct StoredRun {
  int64_t id = 0;
  std::string started_at, finished_at;  // UTC, ISO 8601
  std::string as_of;
  std::string rule_set_name, rule_set_hash;
  std::string command;
  std::string lang;
  int64_t employer_doc = 0, worklog_doc = 0;
  std::string status;  // "running", "complete" or "abandoned"
  int64_t batch_size = 0, batches_total = 0, batches_done = 0;
  int64_t employees = 0, work_days = 0, findings = 0, errors = 0;
};

/// One stored finding (the `findings` table; see audit_store.cpp).
struct StoredFinding {
  int64_t run = 0, seq = 0, batch = 0;
  std::string rule, kind, severity;
  int rank = 0;
  std::string document, subject;
  std::optional<int64_t> line, emp, csv_row, last_row;
  std::string employee;
  int64_t count = 1;
  std::string first_date, last_date;
  std::string message, message_nl, remedy, remedy_nl;
  std::string params;  // key into run_params ("" = none)
  std::string detail;  // JSON object ("" = none)
};

/// The part of a report a kind of finding belongs to when decided findings
/// come first: 0 decided (violation, conflict, gap, risk) and review,
/// 1 undetermined, 2 info.
int KindGroup(const std::string& kind);

/// The audit database.
class AuditStore {
 public:
  /// Opens or creates the database and its tables. Throws SQLite::Exception
  /// when the file is not a database or cannot be opened.
  explicit AuditStore(const std::string& path, bool create = true);
  ~AuditStore();
  AuditStore(const AuditStore&) = delete;
  AuditStore& operator=(const AuditStore&) = delete;

  SQLite::Database& db() { return db_; }
  const std::string& path() const { return path_; }

  /// Takes an exclusive advisory lock for the duration of an import or audit;
  /// false when another process holds it.
  bool LockForWriting();

  std::optional<StoredDocument> FindDocument(const std::string& kind, const std::string& fingerprint, int64_t employer);
  std::optional<StoredDocument> Document(int64_t id);
  /// Inserts a document and returns its id.
  int64_t AddDocument(const StoredDocument& d);
  /// Deletes unfinished imports of `path` other than `keep`, with their records.
  void DropStaleImports(const std::string& path, int64_t keep);

  std::optional<StoredRun> Run(int64_t id);
  /// The newest run (complete or not), if any.
  std::optional<StoredRun> LastRun();
  /// An unfinished run with the same inputs and settings, to resume.
  std::optional<StoredRun> FindUnfinishedRun(const StoredRun& like);
  /// Inserts a run and returns its id.
  int64_t AddRun(const StoredRun& r);
  /// Marks a run abandoned and deletes its findings and errors.
  void AbandonRun(int64_t id);

  /// Appends a finding (within the caller's transaction).
  void AddFinding(const StoredFinding& f);
  /// Reads findings of a run in display order: all, or only `seq` when given.
  /// Calls `each` for every row; stops early when it returns false.
  /// `decided_first`: decided findings and reviews first, then undetermined
  /// ones, then info, each part in display order (KindGroup).
  void ForEachFinding(int64_t run, std::optional<int64_t> seq, const std::function<bool(const StoredFinding&)>& each,
                      bool decided_first = false);

  /// Now, UTC, ISO 8601 (the only clock the store reads).
  static std::string Now();

 private:
  void CreateSchema();

  std::string path_;
  SQLite::Database db_;
  std::unique_ptr<SQLite::Statement> add_finding_;
  int lock_fd_ = -1;
};

/// A 64-bit FNV-1a hash, as 16 hex digits.
std::string HashHex(const std::string& data);
/// Identifies a work log without reading it whole: size, modification time and
/// a hash of its first and last 64 KiB. Empty when the file cannot be read.
std::string FingerprintFile(const std::string& path);

}  // namespace nw::cli
