// `normwerk audit WORKLOG.csv --employer EMPLOYER.json`: the inspector's
// workflow. Streams the work log into the audit database, then evaluates the
// employees in batches (a FactStore per batch: the employer's records of
// those employees plus their days read back from SQLite), storing each
// batch's findings and the run's progress in one transaction, so a run that
// is killed resumes at its next unfinished batch. Rules whose subject is not
// an employee or part of one (the employer, its documents) run once, in
// batch 0, over the employer file with every employee but without days.
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/report_output.hpp"
#include "cli/store/audit_store.hpp"
#include "cli/store/worklog.hpp"
#include "cli/support.hpp"
#include "engine/program.hpp"

namespace nw::cli {
namespace {

// Work days an audit holds at once for employer-level rules that read every
// employee's days (batch 0); beyond it those rules are reported, not run.
constexpr int64_t kEmployerDaysLimit = 200'000;
// Work days per batch when --batch is not given.
constexpr int64_t kDaysPerBatch = 25'000;

// Whether `entity` is `employee` or lies under it.
bool UnderEmployee(const dsl::CheckedRuleSet& rules, uint32_t entity, uint32_t employee) {
  int32_t e = static_cast<int32_t>(entity);
  while (e >= 0) {
    if (static_cast<uint32_t>(e) == employee) return true;
    e = rules.entities[e].owner;
  }
  return false;
}

// Whether an expression (following derived facts) reads rows of `entity`.
bool Touches(const dsl::CheckedRuleSet& rules, uint32_t node, uint32_t entity, std::vector<bool>& seen_defs, int depth = 0) {
  if (node == UINT32_MAX || node >= rules.exprs.size() || depth > 256) return false;
  const dsl::CExpr& e = rules.expr(node);
  bool is_ref = e.type.kind == dsl::TypeKind::kEntity || e.type.kind == dsl::TypeKind::kList || e.type.kind == dsl::TypeKind::kGroup;
  if (is_ref && e.type.id == entity) return true;
  if (e.op == dsl::Op::kField) {
    const dsl::CExpr& base = rules.expr(e.args[0]);
    if (base.type.kind == dsl::TypeKind::kEntity) {
      int32_t d = rules.entities[base.type.id].fields[e.index].definition;
      if (d >= 0 && !seen_defs[d]) {
        seen_defs[d] = true;
        if (Touches(rules, rules.definitions[d].body, entity, seen_defs, depth + 1)) return true;
      }
    }
  }
  for (uint32_t a : e.args) {
    if (Touches(rules, a, entity, seen_defs, depth + 1)) return true;
  }
  return false;
}

// Whether any version of a rule reads rows of `entity`.
bool RuleTouches(const dsl::CheckedRuleSet& rules, const dsl::RuleInfo& r, uint32_t entity) {
  std::vector<bool> seen(rules.definitions.size(), false);
  std::vector<uint32_t> roots = {r.when};
  roots.insert(roots.end(), r.unless.begin(), r.unless.end());
  for (const auto& b : r.bindings) {
    if (b.entity == entity) return true;
    roots.push_back(b.collection);
  }
  for (const auto& t : r.message) roots.insert(roots.end(), t.holes.begin(), t.holes.end());
  for (uint32_t n : roots) {
    if (Touches(rules, n, entity, seen)) return true;
  }
  return false;
}

// The employee row a row of an entity under `employee` belongs to.
std::optional<uint32_t> EmployeeRow(const engine::FactStore& facts, uint32_t entity, uint32_t row, uint32_t employee) {
  const dsl::CheckedRuleSet& rules = facts.rules();
  while (entity != employee) {
    int32_t owner = rules.entities[entity].owner;
    if (owner < 0) return std::nullopt;
    row = facts.table(entity).owner[row];
    entity = static_cast<uint32_t>(owner);
  }
  return row;
}

// The employer file, checked and split for batching.
struct EmployerFile {
  std::string text;
  nlohmann::json doc;                                   // the whole document
  std::vector<std::string> ids;                         // employee ids, in file order
  std::unordered_map<std::string, uint32_t> index;      // id → position
  std::unordered_map<std::string, uint32_t> lines;      // JSON path → line
};

std::optional<EmployerFile> ReadEmployer(const dsl::CheckedRuleSet& rules, const std::string& path) {
  EmployerFile ef;
  std::vector<engine::FactError> errors;
  if (!ReadFile(path, ef.text)) {
    PrintFactErrors({{path, "(file)", "cannot read the file"}});
    return std::nullopt;
  }
  {
    // Validates the whole document against the schema; errors name the JSON path.
    engine::FactStore scratch(rules);
    if (!engine::LoadJsonDocument(scratch, path, ef.text, errors)) {
      PrintFactErrors(errors);
      return std::nullopt;
    }
  }
  ef.doc = nlohmann::json::parse(ef.text);
  auto emp = ef.doc.find("employer");
  if (emp == ef.doc.end() || !emp->is_object() || !emp->contains("employees") || !(*emp)["employees"].is_array() ||
      (*emp)["employees"].empty()) {
    PrintFactErrors({{path, "employer.employees", "the employer file lists no employees to audit"}});
    return std::nullopt;
  }
  const nlohmann::json& list = (*emp)["employees"];
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = "employer.employees[" + std::to_string(i) + "]";
    const nlohmann::json& e = list[i];
    if (e.contains("days") && !e["days"].is_null() && !(e["days"].is_array() && e["days"].empty())) {
      errors.push_back({path, where + ".days", "work days come from the work log; leave `days` out of the employer file"});
      continue;
    }
    auto id = e.find("id");
    if (id == e.end() || !id->is_string()) {
      errors.push_back({path, where + ".id", "every employee needs an `id` that the work log refers to"});
      continue;
    }
    std::string s = id->get<std::string>();
    auto [it, fresh] = ef.index.emplace(s, static_cast<uint32_t>(i));
    if (!fresh) {
      errors.push_back({path, where + ".id",
                        "duplicate employee id `" + s + "` (also employer.employees[" + std::to_string(it->second) + "])"});
    }
    ef.ids.push_back(s);
  }
  if (!errors.empty()) {
    PrintFactErrors(errors);
    return std::nullopt;
  }
  ef.lines = JsonPathLines(ef.text);
  return ef;
}

// Evaluates one batch and stores its findings; returns false on an input error.
class BatchRunner {
 public:
  BatchRunner(AuditStore& store, const dsl::CheckedRuleSet& rules, const engine::Program& program, const EmployerFile& ef,
              const StoredDocument& worklog, const StoredRun& run, Date as_of, std::string employer_path)
      : store_(store), rules_(rules), program_(program), ef_(ef), worklog_(worklog), run_(run), as_of_(as_of),
        employer_path_(std::move(employer_path)) {
    employee_ = static_cast<uint32_t>(rules.FindEntity("employee"));
    work_day_ = static_cast<uint32_t>(rules.FindEntity("work_day"));
    std::vector<std::string> per_employee, employer_level;
    for (const auto& r : rules.rules) {
      if (!r.produces_finding || r.bindings.empty()) continue;
      auto& list = UnderEmployee(rules, r.bindings[0].entity, employee_) ? per_employee : employer_level;
      if (std::find(list.begin(), list.end(), r.id) == list.end()) list.push_back(r.id);
    }
    per_employee_ = per_employee;
    employer_level_ = employer_level;
    // Employer-level rules that read work days (an employer's yearly totals)
    // need every day in batch 0; the other batches hold one batch each.
    std::vector<std::string> day_rules;
    for (const auto& r : rules.rules) {
      if (std::find(employer_level_.begin(), employer_level_.end(), r.id) != employer_level_.end() &&
          RuleTouches(rules, r, work_day_) && std::find(day_rules.begin(), day_rules.end(), r.id) == day_rules.end()) {
        day_rules.push_back(r.id);
      }
    }
    if (!day_rules.empty() && worklog.rows <= kEmployerDaysLimit) {
      employer_needs_days_ = true;
    } else if (!day_rules.empty()) {
      // Too many days to hold at once: these rules are not evaluated, and the
      // run says so (an evaluation error per rule) instead of staying silent.
      for (const auto& id : day_rules) {
        employer_level_.erase(std::find(employer_level_.begin(), employer_level_.end(), id));
        skipped_.push_back(id);
      }
    }
    SQLite::Statement q(store.db(), "SELECT IFNULL(MAX(seq), 0) FROM findings WHERE run = ?");
    q.bind(1, run.id);
    q.executeStep();
    seq_ = q.getColumn(0).getInt64();
    SQLite::Statement qe(store.db(), "SELECT IFNULL(MAX(seq), 0) FROM run_errors WHERE run = ?");
    qe.bind(1, run.id);
    qe.executeStep();
    error_seq_ = qe.getColumn(0).getInt64();
  }

  // Batch 0: the employer-level rules over the whole employer file (without days).
  // Batch k > 0: the per-employee rules over employees [(k-1)·B, k·B).
  bool Run(int64_t batch, std::vector<engine::FactError>& errors) {
    engine::FactStore facts(rules_);
    std::vector<int64_t> csv_rows;
    uint32_t first = 0;
    const std::vector<std::string>* only = &employer_level_;
    if (batch == 0) {
      if (!engine::LoadJsonDocument(facts, employer_path_, ef_.text, errors)) return false;
      if (employer_needs_days_ && !employer_level_.empty() &&
          !LoadWorkDays(store_, rules_, worklog_, 0, static_cast<uint32_t>(ef_.ids.size()), facts, csv_rows, errors)) {
        return false;
      }
    } else {
      only = &per_employee_;
      first = static_cast<uint32_t>((batch - 1) * run_.batch_size);
      uint32_t last = std::min<uint32_t>(static_cast<uint32_t>(ef_.ids.size()), first + static_cast<uint32_t>(run_.batch_size));
      nlohmann::json doc = ef_.doc;
      nlohmann::json& list = doc["employer"]["employees"];
      nlohmann::json slice = nlohmann::json::array();
      for (uint32_t i = first; i < last; ++i) slice.push_back(std::move(list[i]));
      list = std::move(slice);
      if (!engine::LoadJsonDocument(facts, employer_path_, doc.dump(), errors)) return false;
      // Paths name the employee's place in the whole file, not in the batch.
      engine::Table& emps = facts.table(employee_);
      for (uint32_t r = 0; r < emps.rows; ++r) emps.position[r] = first + r;
      if (!LoadWorkDays(store_, rules_, worklog_, first, last, facts, csv_rows, errors)) return false;
    }
    facts.Seal();
    engine::Report report;
    report.as_of = as_of_;
    if (!only->empty()) {
      engine::EvalOptions eval;
      eval.as_of = as_of_;
      eval.only_rules = *only;
      report = program_.Evaluate(facts, eval);
    }
    if (batch == 0) {
      for (const auto& id : skipped_) {
        report.errors.push_back({id, employer_path_, "employer",
                                 "not evaluated: the rule reads the work days of every employee at once, and the work log has " +
                                     std::to_string(worklog_.rows) + " rows (an audit holds at most " +
                                     std::to_string(kEmployerDaysLimit) + " at once); check it on a smaller case file"});
      }
    }
    Store(batch, first, facts, csv_rows, report);
    return true;
  }

  int64_t findings_stored() const { return stored_; }
  bool employer_needs_days() const { return employer_needs_days_; }

 private:
  void Store(int64_t batch, uint32_t first, const engine::FactStore& facts, const std::vector<int64_t>& csv_rows,
             const engine::Report& report) {
    SQLite::Database& db = store_.db();
    SQLite::Transaction tx(db);
    SQLite::Statement ins(db,
                          "INSERT INTO findings(run, seq, batch, rule, kind, severity, rank, document, subject, emp, employee,"
                          " csv_row, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement rule_ins(db, "INSERT OR IGNORE INTO run_rules(run, rule, json) VALUES (?, ?, ?)");
    std::map<std::string, bool> rules_seen;
    int64_t n = 0;
    // Display order for an audit: employer-level findings first, then by
    // employee, then by subject with the most severe first.
    std::vector<const engine::Finding*> order = DisplayOrder(report);
    std::vector<std::pair<int64_t, const engine::Finding*>> keyed;
    for (const engine::Finding* f : order) {
      std::optional<uint32_t> er;
      if (UnderEmployee(rules_, f->entity, employee_)) er = EmployeeRow(facts, f->entity, f->row, employee_);
      keyed.emplace_back(er ? static_cast<int64_t>(*er) : -1, f);
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [key, f] : keyed) {
      nlohmann::json j = StoredFindingJson(*f);
      nlohmann::json& subject = j["subject"];
      std::optional<int64_t> csv_row;
      std::optional<uint32_t> emp_row;
      if (f->entity == work_day_ && f->row < csv_rows.size()) {
        csv_row = csv_rows[f->row];
        subject["document"] = worklog_.path;
        subject["row"] = *csv_row;
      } else {
        std::string path = f->subject.substr(0, f->subject.find(' '));
        auto it = ef_.lines.find(path);
        if (it != ef_.lines.end()) subject["line"] = it->second;
      }
      if (UnderEmployee(rules_, f->entity, employee_)) emp_row = EmployeeRow(facts, f->entity, f->row, employee_);
      if (emp_row) subject["employee"] = ef_.ids[first + *emp_row];
      if (j.contains("missing") && !csv_rows.empty()) AddMissingCells(j, first, facts, csv_rows);
      ++seq_;
      ++n;
      ins.bind(1, run_.id);
      ins.bind(2, seq_);
      ins.bind(3, batch);
      ins.bind(4, f->rule);
      ins.bind(5, dsl::FindingKindName(f->kind));
      ins.bind(6, dsl::SeverityName(f->severity));
      ins.bind(7, static_cast<int>(f->severity));
      ins.bind(8, subject["document"].get<std::string>());
      ins.bind(9, f->subject);
      if (emp_row) {
        ins.bind(10, static_cast<int64_t>(first + *emp_row));
        ins.bind(11, ef_.ids[first + *emp_row]);
      } else {
        ins.bind(10);
        ins.bind(11);
      }
      if (csv_row) {
        ins.bind(12, *csv_row);
      } else {
        ins.bind(12);
      }
      ins.bind(13, j.dump());
      ins.exec();
      ins.reset();
      if (!rules_seen[f->rule]) {
        rules_seen[f->rule] = true;
        rule_ins.bind(1, run_.id);
        rule_ins.bind(2, f->rule);
        rule_ins.bind(3, RuleJson(rules_, rules_.rules[f->rule_index], "en").dump());
        rule_ins.exec();
        rule_ins.reset();
      }
    }
    SQLite::Statement err(db, "INSERT INTO run_errors(run, seq, rule, document, subject, message) VALUES (?, ?, ?, ?, ?, ?)");
    for (const auto& e : report.errors) {
      err.bind(1, run_.id);
      err.bind(2, ++error_seq_);
      err.bind(3, e.rule);
      err.bind(4, e.document);
      err.bind(5, e.subject);
      err.bind(6, e.message);
      err.exec();
      err.reset();
    }
    SQLite::Statement up(db,
                         "UPDATE runs SET batches_done = ?, findings = findings + ?, errors = errors + ? WHERE id = ?");
    up.bind(1, batch + 1);
    up.bind(2, n);
    up.bind(3, static_cast<int64_t>(report.errors.size()));
    up.bind(4, run_.id);
    up.exec();
    tx.commit();
    stored_ += n;
  }

  // For missing facts of work days, the CSV row and column to fill in.
  void AddMissingCells(nlohmann::json& j, uint32_t first, const engine::FactStore& facts, const std::vector<int64_t>& csv_rows) {
    nlohmann::json cells = nlohmann::json::array();
    const engine::Table& days = facts.table(work_day_);
    for (const auto& m : j["missing"]) {
      std::string p = m.get<std::string>();
      // employer.employees[E].days[K].field
      size_t a = p.find("employees["), b = p.find("].days[");
      if (a == std::string::npos || b == std::string::npos) continue;
      size_t c = p.find(']', b + 7);
      if (c == std::string::npos || c + 2 > p.size()) continue;
      uint32_t e = static_cast<uint32_t>(std::stoul(p.substr(a + 10, b - a - 10)));
      uint32_t k = static_cast<uint32_t>(std::stoul(p.substr(b + 7, c - b - 7)));
      if (e < first || e - first + 1 >= days.begin.size()) continue;
      uint32_t row = days.begin[e - first] + k;
      if (row >= csv_rows.size()) continue;
      cells.push_back({{"document", worklog_.path}, {"row", csv_rows[row]}, {"column", p.substr(c + 2)}});
    }
    if (!cells.empty()) j["missing_cells"] = cells;
  }

  AuditStore& store_;
  const dsl::CheckedRuleSet& rules_;
  const engine::Program& program_;
  const EmployerFile& ef_;
  const StoredDocument& worklog_;
  const StoredRun& run_;
  Date as_of_;
  std::string employer_path_;
  uint32_t employee_ = 0, work_day_ = 0;
  std::vector<std::string> per_employee_, employer_level_;
  bool employer_needs_days_ = false;
  std::vector<std::string> skipped_;  // employer-level rules over all days, not evaluated (too many days)
  int64_t seq_ = 0, error_seq_ = 0, stored_ = 0;
};

void PrintSummary(AuditStore& store, const StoredRun& run, const StoredDocument& worklog, const std::string& employer_path,
                  const Common& common, const std::string& db_path) {
  bool nl = common.lang == "nl";
  std::cout << (nl ? "audit " : "audit ") << "run " << run.id << ": " << worklog.path << " (" << worklog.rows
            << (nl ? " rijen" : " rows");
  if (worklog.bad_rows > 0) std::cout << ", " << worklog.bad_rows << (nl ? " overgeslagen" : " skipped");
  std::cout << "), " << employer_path << " (" << run.employees << (nl ? " werknemers" : " employees") << ")"
            << (nl ? ", peildatum " : ", as of ") << run.as_of << "\n";
  std::cout << (nl ? "regelset " : "rule set ") << run.rule_set_name << " " << run.rule_set_hash << "\n";
  SQLite::Statement q(store.db(),
                      "SELECT rule, kind, severity, COUNT(*), COUNT(DISTINCT emp) FROM findings WHERE run = ?"
                      " GROUP BY rule, kind, severity ORDER BY MAX(rank) DESC, rule, kind");
  q.bind(1, run.id);
  std::vector<std::vector<std::string>> rows;
  int64_t total = 0;
  while (q.executeStep()) {
    rows.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                    std::to_string(q.getColumn(3).getInt64()), std::to_string(q.getColumn(4).getInt64())});
    total += q.getColumn(3).getInt64();
  }
  SQLite::Statement qe(store.db(), "SELECT COUNT(DISTINCT emp) FROM findings WHERE run = ? AND emp IS NOT NULL");
  qe.bind(1, run.id);
  qe.executeStep();
  int64_t with = qe.getColumn(0).getInt64();
  if (total == 0) {
    std::cout << (nl ? "geen bevindingen\n" : "no findings\n");
  } else {
    std::cout << total << (nl ? " bevindingen bij " : " findings for ") << with << (nl ? " van " : " of ") << run.employees
              << (nl ? " werknemers:\n" : " employees:\n");
    size_t w = 4;
    for (const auto& r : rows) w = std::max(w, r[0].size());
    for (const auto& r : rows) {
      bool one = r[3] == "1";
      std::cout << "  " << r[0] << std::string(w - r[0].size() + 2, ' ') << r[1] << " " << r[2] << "  " << r[3]
                << (nl ? (one ? " bevinding" : " bevindingen") : (one ? " finding" : " findings"));
      if (r[4] != "0") {
        std::cout << ", " << r[4] << (nl ? (r[4] == "1" ? " werknemer" : " werknemers") : (r[4] == "1" ? " employee" : " employees"));
      }
      std::cout << "\n";
    }
  }
  if (run.errors > 0) std::cout << run.errors << (nl ? " evaluatiefouten\n" : " evaluation errors\n");
  std::cout << (nl ? "rapport: " : "report: ") << "normwerk report --db " << db_path << " --run " << run.id
            << " --format html > audit-" << run.id << ".html\n";
}

}  // namespace

int RunAudit(const Common& common, const AuditOptions& options) {
  auto loaded = LoadRulesOrReport(common);
  if (!loaded) return kExitInput;
  const dsl::CheckedRuleSet& rules = *loaded->rules;
  auto as_of = ParseAsOf(options.as_of);
  if (!as_of) return kExitInput;
  auto fail_on = ParseFailOn(options.fail_on);
  if (!fail_on) return kExitInput;
  if (options.import_batch == 0) {
    std::cerr << "normwerk: --import-batch must be at least 1\n";
    return kExitInput;
  }
  // Test hook (tests/cli/cases/audit_resume.nwtest): NORMWERK_TEST_CRASH=import:N
  // or audit:N kills the process with SIGKILL after N committed batches.
  int crash_import = 0, crash_audit = 0;
  if (const char* crash = std::getenv("NORMWERK_TEST_CRASH")) {
    std::string c = crash;
    if (c.rfind("import:", 0) == 0) crash_import = std::atoi(c.c_str() + 7);
    if (c.rfind("audit:", 0) == 0) crash_audit = std::atoi(c.c_str() + 6);
  }
  for (const char* name : {"employee", "work_day"}) {
    if (rules.FindEntity(name) < 0) {
      std::cerr << "normwerk: the rules declare no entity `" << name << "`, which an audit needs\n";
      return kExitInput;
    }
  }
  auto ef = ReadEmployer(rules, options.employer);
  if (!ef) return kExitInput;

  std::unique_ptr<AuditStore> store;
  try {
    store = std::make_unique<AuditStore>(options.db);
  } catch (const SQLite::Exception& e) {
    std::cerr << "normwerk: --db: cannot use `" << options.db << "` as an audit database: " << e.what() << "\n";
    return kExitInput;
  }
  if (!store->LockForWriting()) {
    std::cerr << "normwerk: --db: another normwerk process is writing `" << options.db << "`; try again when it is done\n";
    return kExitInput;
  }
  const std::shared_ptr<spdlog::logger>& log = common.log;

  // The employer file, stored once per content.
  std::string employer_fp = HashHex(ef->text);
  int64_t employer_doc = 0;
  if (auto d = store->FindDocument("employer", employer_fp, 0)) {
    employer_doc = d->id;
  } else {
    StoredDocument d2;
    d2.kind = "employer";
    d2.path = options.employer;
    d2.fingerprint = employer_fp;
    d2.status = "complete";
    d2.content = ef->text;
    employer_doc = store->AddDocument(d2);
  }

  // The work log, streamed in batched transactions.
  ImportResult imported;
  {
    Progress bar(common.progress && !options.quiet, "import " + options.worklog);
    ImportOptions io;
    io.skip_bad_rows = options.skip_bad_rows;
    io.batch_rows = options.import_batch;
    io.crash_after_batches = crash_import;
    io.progress = &bar;
    io.log = log;
    imported = ImportWorklog(*store, rules, options.worklog, employer_doc, ef->index, io);
  }
  if (!imported.ok) {
    PrintFactErrors(imported.errors);
    if (imported.stopped_at_row) {
      std::cerr << "normwerk: the import stopped at the first bad row; nothing of its batch was stored"
                << " (use --skip-bad-rows to skip and count bad rows)\n";
    }
    return kExitInput;
  }
  if (!imported.errors.empty()) {
    PrintFactErrors(imported.errors, "warning");
  }
  if (imported.bad_rows > 0) {
    std::cerr << "normwerk: " << options.worklog << ": skipped " << imported.bad_rows << " bad row"
              << (imported.bad_rows == 1 ? "" : "s") << "\n";
  }
  if (log) {
    log->info("work log {}: document {}, {} rows{}", options.worklog, imported.doc.id, imported.doc.rows,
              imported.reused ? " (imported before)" : imported.resumed ? " (import resumed)" : "");
  }

  if (options.import_only) {
    std::cout << "imported " << options.worklog << ": " << imported.doc.rows << (common.lang == "nl" ? " rijen" : " rows")
              << (imported.reused ? (common.lang == "nl" ? " (al eerder ingelezen)" : " (imported before)") : "") << "\n";
    return kExitOk;
  }

  // The run: resume an unfinished one with the same inputs, or start a new one.
  StoredRun like;
  like.as_of = as_of->ToString();
  like.rule_set_name = "normwerk";
  like.rule_set_hash = rules.hash;
  like.command = common.command_line;
  like.lang = common.lang;
  like.employer_doc = employer_doc;
  like.worklog_doc = imported.doc.id;
  // Memory follows the work days (and findings) of a batch, so by default a
  // batch holds about kDaysPerBatch days, whatever the number of employees.
  int64_t per_employee = std::max<int64_t>(1, imported.doc.rows / std::max<int64_t>(1, static_cast<int64_t>(ef->ids.size())));
  like.batch_size = options.batch > 0 ? options.batch : std::clamp<int64_t>(kDaysPerBatch / per_employee, 1, 2000);
  like.employees = static_cast<int64_t>(ef->ids.size());
  like.work_days = imported.doc.rows;
  like.batches_total = 1 + (like.employees + like.batch_size - 1) / like.batch_size;
  std::optional<StoredRun> run = store->FindUnfinishedRun(like);
  if (run && options.restart) {
    if (log) log->info("abandoning unfinished run {}", run->id);
    store->AbandonRun(run->id);
    run.reset();
  }
  if (run) {
    if (log) log->info("resuming run {} at batch {} of {}", run->id, run->batches_done, run->batches_total);
  } else {
    int64_t id = store->AddRun(like);
    run = store->Run(id);
  }

  engine::Program program = engine::Program::Compile(rules);
  BatchRunner runner(*store, rules, program, *ef, imported.doc, *run, *as_of, options.employer);
  if (runner.employer_needs_days() && log) {
    log->info("employer-level rules read work days: batch 0 holds every day of the work log");
  }
  {
    Progress bar(common.progress && !options.quiet, "audit");
    for (int64_t b = run->batches_done; b < run->batches_total; ++b) {
      std::vector<engine::FactError> errors;
      if (!runner.Run(b, errors)) {
        bar.Finish();
        PrintFactErrors(errors);
        return kExitInput;
      }
      int64_t done_emps = std::min<int64_t>(run->employees, b * run->batch_size);
      bar.Update(static_cast<uint64_t>(b + 1), static_cast<uint64_t>(run->batches_total),
                 std::to_string(done_emps) + "/" + std::to_string(run->employees) + " employees");
      if (log) log->debug("run {}: batch {} of {} stored", run->id, b + 1, run->batches_total);
      if (crash_audit > 0 && b + 1 - run->batches_done >= crash_audit && b + 1 < run->batches_total) raise(SIGKILL);
    }
  }
  {
    SQLite::Statement done(store->db(), "UPDATE runs SET status = 'complete', finished_at = ? WHERE id = ?");
    done.bind(1, AuditStore::Now());
    done.bind(2, run->id);
    done.exec();
  }
  run = store->Run(run->id);
  if (log) log->info("run {} complete: {} findings", run->id, run->findings);
  PrintSummary(*store, *run, imported.doc, options.employer, common, options.db);

  SQLite::Statement q(store->db(), "SELECT COUNT(*) FROM findings WHERE run = ? AND kind <> 'info' AND rank >= ?");
  q.bind(1, run->id);
  q.bind(2, static_cast<int>(*fail_on));
  q.executeStep();
  return q.getColumn(0).getInt64() > 0 || run->errors > 0 ? kExitFindings : kExitOk;
}

}  // namespace nw::cli
