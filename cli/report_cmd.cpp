// `normwerk report --db FILE [--run N]` renders a stored audit run in any
// format, streaming its findings from the database; `normwerk explain --db
// FILE --run N FINDING` prints the full explanation tree of one finding.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/formats/formats.hpp"
#include "cli/report_output.hpp"
#include "cli/store/audit_store.hpp"
#include "dsl/support/values/date.hpp"

namespace nw::cli {
namespace {

// Opens an existing audit database; prints why not and returns nullptr.
std::unique_ptr<AuditStore> OpenExisting(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::cerr << "normwerk: --db: `" << path << "` does not exist (run `normwerk audit` first)\n";
    return nullptr;
  }
  try {
    return std::make_unique<AuditStore>(path, false);
  } catch (const SQLite::Exception& e) {
    std::cerr << "normwerk: --db: cannot use `" << path << "` as an audit database: " << e.what() << "\n";
    return nullptr;
  }
}

// The run asked for (0: the newest); prints why not and returns nullopt.
std::optional<StoredRun> FindRun(AuditStore& store, int64_t id) {
  std::optional<StoredRun> run = id == 0 ? store.LastRun() : store.Run(id);
  if (!run) {
    if (id == 0) {
      std::cerr << "normwerk: --db: `" << store.path() << "` holds no audit runs\n";
    } else {
      std::cerr << "normwerk: --run: `" << store.path() << "` has no run " << id << "\n";
    }
  }
  return run;
}

// Hours worked per ISO week from the stored work days of one employee, for the chart.
nlohmann::json HoursPerWeek(AuditStore& store, const StoredDocument& worklog, int64_t emp) {
  nlohmann::json cols = nlohmann::json::parse(worklog.columns.empty() ? "[]" : worklog.columns);
  int start = -1, end = -1;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == "start") start = static_cast<int>(i);
    if (cols[i] == "end") end = static_cast<int>(i);
  }
  nlohmann::json weeks = nlohmann::json::array();
  if (start < 0 || end < 0) return weeks;
  SQLite::Statement q(store.db(), "SELECT date, cells FROM work_records WHERE doc = ? AND emp = ? ORDER BY date");
  q.bind(1, worklog.id);
  q.bind(2, emp);
  std::map<std::pair<int, int>, std::pair<double, std::string>> per_week;
  while (q.executeStep()) {
    auto d = Date::FromDaysSinceEpoch(q.getColumn(0).getInt64());
    if (!d) continue;
    std::string cells = q.getColumn(1).getString();
    std::vector<std::string> parts;
    size_t a = 0;
    while (true) {
      size_t p = cells.find('\x1f', a);
      parts.push_back(cells.substr(a, p == std::string::npos ? std::string::npos : p - a));
      if (p == std::string::npos) break;
      a = p + 1;
    }
    IsoWeek w = d->IsoWeek();
    auto& slot = per_week[{w.year, w.week}];
    if (slot.second.empty()) slot.second = d->StartOfIsoWeek().ToString();
    if (static_cast<size_t>(std::max(start, end)) >= parts.size()) continue;
    auto minutes = [](const std::string& t) -> int {
      if (t.size() < 5 || t[2] != ':') return -1;
      return std::stoi(t.substr(0, 2)) * 60 + std::stoi(t.substr(3, 2));
    };
    int s = minutes(parts[start]), e = minutes(parts[end]);
    if (s < 0 || e < 0) continue;
    int span = e > s ? e - s : e + 24 * 60 - s;  // past midnight
    slot.first += span / 60.0;
  }
  for (const auto& [wk, v] : per_week) {
    char label[16];
    std::snprintf(label, sizeof label, "%04d-W%02d", wk.first, wk.second);
    weeks.push_back({{"week", label}, {"start", v.second}, {"hours", v.first}});
  }
  return weeks;
}

nlohmann::json RunJson(const StoredRun& run, const std::optional<StoredDocument>& employer,
                       const std::optional<StoredDocument>& worklog) {
  return {{"id", run.id},
          {"status", run.status},
          {"started_at", run.started_at},
          {"finished_at", run.finished_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(run.finished_at)},
          {"command", run.command},
          {"employer", employer ? employer->path : ""},
          {"worklog", worklog ? worklog->path : ""},
          {"employees", run.employees},
          {"work_days", run.work_days},
          {"bad_rows", worklog ? worklog->bad_rows : 0},
          {"batches_done", run.batches_done},
          {"batches_total", run.batches_total}};
}

}  // namespace

int RunReport(const Common& common, const ReportOptions& options) {
  auto store = OpenExisting(options.db);
  if (!store) return kExitInput;
  auto run = FindRun(*store, options.run);
  if (!run) return kExitInput;
  if (run->status == "running") {
    std::cerr << "normwerk: warning: run " << run->id << " is not finished (" << run->batches_done << " of "
              << run->batches_total << " batches); the report shows what it found so far\n";
  }
  SQLite::Database& db = store->db();
  auto employer = store->Document(run->employer_doc);
  auto worklog = store->Document(run->worklog_doc);

  nlohmann::json head;
  head["as_of"] = run->as_of;
  head["rule_set"] = {{"name", run->rule_set_name}, {"hash", run->rule_set_hash}};
  head["run"] = RunJson(*run, employer, worklog);

  // Summary counts per kind, severity and rule, from the database.
  SummaryCounts counts;
  {
    SQLite::Statement q(db,
                        "SELECT rule, kind, severity, COUNT(*), MIN(seq) FROM findings WHERE run = ?"
                        " GROUP BY rule, kind, severity ORDER BY rule, kind, severity");
    q.bind(1, run->id);
    SQLite::Statement one(db, "SELECT json FROM findings WHERE run = ? AND seq = ?");
    while (q.executeStep()) {
      int64_t n = q.getColumn(3).getInt64();
      one.bind(1, run->id);
      one.bind(2, q.getColumn(4).getInt64());
      one.executeStep();
      nlohmann::json f = nlohmann::json::parse(one.getColumn(0).getString());
      one.reset();
      LocalizeFinding(f, common.lang);
      counts.Add(f);
      auto& rc = counts.by_rule[f.value("rule", "") + "\x1f" + f.value("kind", "")];
      rc.count += n - 1;
      counts.findings += n - 1;
      counts.by_kind[f.value("kind", "")] += n - 1;
      counts.by_severity[f.value("severity", "")] += n - 1;
    }
    counts.errors = run->errors;
  }
  head["summary"] = counts.Json();
  head["rules"] = nlohmann::json::array();
  {
    SQLite::Statement q(db, "SELECT json FROM run_rules WHERE run = ? ORDER BY rule");
    q.bind(1, run->id);
    while (q.executeStep()) head["rules"].push_back(nlohmann::json::parse(q.getColumn(0).getString()));
  }
  // Per-employee table and hours per week (not part of the JSON contract).
  if (options.format != "json" && options.format != "sarif") {
    constexpr int64_t kMaxRows = 500, kMaxCharts = 50;
    nlohmann::json emps = {{"total", run->employees}};
    SQLite::Statement cnt(db, "SELECT COUNT(DISTINCT emp) FROM findings WHERE run = ? AND emp IS NOT NULL");
    cnt.bind(1, run->id);
    cnt.executeStep();
    emps["with_findings"] = cnt.getColumn(0).getInt64();
    SQLite::Statement q(db,
                        "SELECT emp, employee, COUNT(*), MAX(rank), GROUP_CONCAT(DISTINCT rule) FROM findings"
                        " WHERE run = ? AND emp IS NOT NULL GROUP BY emp ORDER BY MAX(rank) DESC, COUNT(*) DESC, emp LIMIT ?");
    q.bind(1, run->id);
    q.bind(2, kMaxRows);
    SQLite::Statement days(db, "SELECT COUNT(*) FROM work_records WHERE doc = ? AND emp = ?");
    nlohmann::json rows = nlohmann::json::array();
    static const char* kSev[] = {"info", "low", "medium", "high", "critical"};
    while (q.executeStep()) {
      days.bind(1, run->worklog_doc);
      days.bind(2, q.getColumn(0).getInt64());
      days.executeStep();
      int rank = std::clamp(q.getColumn(3).getInt(), 0, 4);
      std::string rules = q.getColumn(4).getString();
      std::replace(rules.begin(), rules.end(), ',', ' ');
      rows.push_back({{"id", q.getColumn(1).getString()},
                      {"work_days", days.getColumn(0).getInt64()},
                      {"findings", q.getColumn(2).getInt64()},
                      {"highest", kSev[rank]},
                      {"rules", rules}});
      days.reset();
    }
    emps["shown"] = rows.size();
    emps["rows"] = rows;
    head["employees"] = emps;
    // Working-time findings: rules that cite the Arbeidstijdenwet.
    nlohmann::json hours = nlohmann::json::array();
    if (worklog) {
      SQLite::Statement wt(db,
                           "SELECT emp, employee FROM findings WHERE run = ? AND emp IS NOT NULL AND (rule LIKE 'atw.%'"
                           " OR json_extract(json, '$.citation.bwb') = 'BWBR0007671') GROUP BY emp ORDER BY emp LIMIT ?");
      wt.bind(1, run->id);
      wt.bind(2, kMaxCharts);
      while (wt.executeStep()) {
        hours.push_back({{"employee", wt.getColumn(1).getString()},
                         {"weeks", HoursPerWeek(*store, *worklog, wt.getColumn(0).getInt64())}});
      }
    }
    head["hours"] = hours;
  }

  FormatOptions fo;
  fo.lang = common.lang;
  fo.explain = options.explain;
  fo.color = common.color && isatty(STDOUT_FILENO);
  fo.max_details = options.max_findings;
  auto writer = MakeReportWriter(options.format, std::cout, fo);
  if (!writer) {
    std::cerr << "normwerk: --format: unknown format `" << options.format << "`\n";
    return kExitInput;
  }
  writer->Begin(head);
  SQLite::Statement q(db, "SELECT seq, json FROM findings WHERE run = ? ORDER BY seq");
  q.bind(1, run->id);
  while (q.executeStep()) {
    nlohmann::json f = nlohmann::json::parse(q.getColumn(1).getString());
    LocalizeFinding(f, common.lang);
    f["id"] = q.getColumn(0).getInt64();
    writer->Add(f);
  }
  nlohmann::json errors = nlohmann::json::array();
  SQLite::Statement qe(db, "SELECT rule, document, subject, message FROM run_errors WHERE run = ? ORDER BY seq");
  qe.bind(1, run->id);
  while (qe.executeStep()) {
    errors.push_back({{"rule", qe.getColumn(0).getString()},
                      {"subject", {{"document", qe.getColumn(1).getString()}, {"path", qe.getColumn(2).getString()}}},
                      {"message", qe.getColumn(3).getString()}});
  }
  writer->End(errors);
  std::cout.flush();
  return kExitOk;
}

int RunExplain(const Common& common, const ExplainOptions& options) {
  auto store = OpenExisting(options.db);
  if (!store) return kExitInput;
  auto run = FindRun(*store, options.run);
  if (!run) return kExitInput;
  SQLite::Statement q(store->db(), "SELECT json FROM findings WHERE run = ? AND seq = ?");
  q.bind(1, run->id);
  q.bind(2, options.finding);
  if (!q.executeStep()) {
    std::cerr << "normwerk: run " << run->id << " has no finding " << options.finding;
    if (run->findings > 0) std::cerr << " (its findings are numbered 1 to " << run->findings << ")";
    std::cerr << "\n";
    return kExitInput;
  }
  nlohmann::json f = nlohmann::json::parse(q.getColumn(0).getString());
  LocalizeFinding(f, common.lang);
  f["id"] = options.finding;
  if (options.format == "json") {
    std::cout << f.dump(2) << "\n";
    return kExitOk;
  }
  FormatOptions fo;
  fo.lang = common.lang;
  fo.explain = true;
  fo.color = common.color && isatty(STDOUT_FILENO);
  auto writer = MakeReportWriter("text", std::cout, fo);
  nlohmann::json head = {{"as_of", run->as_of}, {"summary", {{"findings", 1}, {"by_kind", {{f.value("kind", ""), 1}}}}}};
  writer->Begin(head);
  writer->Add(f);
  std::cout << "\n" << (common.lang == "nl" ? "run " : "run ") << run->id << (common.lang == "nl" ? ", peildatum " : ", as of ")
            << run->as_of << ", " << (common.lang == "nl" ? "regelset " : "rule set ") << run->rule_set_hash << "\n";
  return kExitOk;
}

}  // namespace nw::cli
