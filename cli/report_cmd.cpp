// `normwerk report --db FILE [--run N]` renders a stored audit run in any
// format, streaming its findings from the database; `normwerk explain --db
// FILE --run N FINDING` prints one finding with its full explanation tree.
// Findings are stored without explanations (cli/store/audit_store.cpp):
// `report` renders what is stored; `explain` and `report --explain` evaluate
// the finding's employee again with the run's rules, documents and as-of
// date (cli/store/audit_eval.hpp), after checking that the rules are the ones
// the run used.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/formats/formats.hpp"
#include "cli/report_output.hpp"
#include "cli/store/audit_eval.hpp"
#include "cli/store/audit_store.hpp"
#include "cli/support.hpp"
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

// Minutes at work per ISO week (start to end, breaks included) from the
// stored work days of one employee, for the chart.
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
  std::map<std::pair<int, int>, std::pair<int64_t, std::string>> per_week;
  auto minutes = [](const std::string& t) -> int {
    if (t.size() != 5 || t[2] != ':' || !isdigit(static_cast<unsigned char>(t[0])) || !isdigit(static_cast<unsigned char>(t[1])) ||
        !isdigit(static_cast<unsigned char>(t[3])) || !isdigit(static_cast<unsigned char>(t[4]))) {
      return -1;
    }
    return ((t[0] - '0') * 10 + (t[1] - '0')) * 60 + (t[3] - '0') * 10 + (t[4] - '0');
  };
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
    int s = minutes(parts[static_cast<size_t>(start)]), e = minutes(parts[static_cast<size_t>(end)]);
    if (s < 0 || e < 0) continue;
    slot.first += e > s ? e - s : e + 24 * 60 - s;  // past midnight
  }
  for (const auto& [wk, v] : per_week) {
    char label[16];
    std::snprintf(label, sizeof label, "%04d-W%02d", wk.first, wk.second);
    weeks.push_back({{"week", label}, {"start", v.second}, {"minutes", v.first}});
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

// What a run stores once: the rules that found something and the parameter lists.
struct RunMeta {
  struct Rule {
    nlohmann::json json;  // English, as `normwerk rules --format json`
    std::string title_nl;
    std::string remedy, remedy_nl;  // when the same for every finding
  };
  std::map<std::string, Rule> rules;
  std::map<std::string, nlohmann::json> params;

  void Load(SQLite::Database& db, int64_t run) {
    SQLite::Statement q(db, "SELECT rule, json, title_nl, remedy, remedy_nl FROM run_rules WHERE run = ? ORDER BY rule");
    q.bind(1, run);
    while (q.executeStep()) {
      rules[q.getColumn(0).getString()] = {nlohmann::json::parse(q.getColumn(1).getString()), q.getColumn(2).getString(),
                                           q.getColumn(3).getString(), q.getColumn(4).getString()};
    }
    SQLite::Statement p(db, "SELECT key, json FROM run_params WHERE run = ?");
    p.bind(1, run);
    while (p.executeStep()) params[p.getColumn(0).getString()] = nlohmann::json::parse(p.getColumn(1).getString());
  }
  std::string Title(const std::string& rule, const std::string& lang) const {
    auto it = rules.find(rule);
    if (it == rules.end()) return "";
    if (lang == "nl" && !it->second.title_nl.empty()) return it->second.title_nl;
    return it->second.json.value("title", "");
  }
  nlohmann::json Citation(const std::string& rule, const char* key) const {
    auto it = rules.find(rule);
    if (it == rules.end() || !it->second.json.contains(key)) {
      return std::string(key) == "citation" ? nlohmann::json::object() : nlohmann::json::array();
    }
    return it->second.json[key];
  }
};

// A stored finding as the report model has it (FindingJson's shape), in one language.
nlohmann::json FindingFromStore(const StoredFinding& s, const RunMeta& meta, const std::string& lang) {
  bool nl = lang == "nl";
  nlohmann::json j;
  j["id"] = s.seq;
  j["rule"] = s.rule;
  j["kind"] = s.kind;
  j["severity"] = s.severity;
  nlohmann::json subject = {{"document", s.document}, {"path", s.subject}};
  if (s.line) subject["line"] = *s.line;
  if (s.csv_row) subject["row"] = *s.csv_row;
  if (s.count > 1 && s.last_row && s.csv_row && *s.last_row != *s.csv_row) subject["last_row"] = *s.last_row;
  if (!s.employee.empty()) subject["employee"] = s.employee;
  j["subject"] = subject;
  j["title"] = meta.Title(s.rule, lang);
  j["message"] = nl && !s.message_nl.empty() ? s.message_nl : s.message;
  std::string remedy = nl && !s.remedy_nl.empty() ? s.remedy_nl : s.remedy;
  if (remedy.empty() && s.kind != "undetermined") {
    auto r = meta.rules.find(s.rule);
    if (r != meta.rules.end()) remedy = nl && !r->second.remedy_nl.empty() ? r->second.remedy_nl : r->second.remedy;
  }
  if (!remedy.empty()) j["remedy"] = remedy;
  j["citation"] = meta.Citation(s.rule, "citation");
  j["citations"] = meta.Citation(s.rule, "citations");
  auto p = meta.params.find(s.params);
  j["parameters"] = p != meta.params.end() ? p->second : nlohmann::json::array();
  nlohmann::json d = s.detail.empty() ? nlohmann::json::object() : nlohmann::json::parse(s.detail);
  if (s.count > 1) {
    nlohmann::json covers = {{"count", s.count}, {"unit", d.value("unit", "subjects")}};
    if (!s.first_date.empty()) {
      covers["from"] = s.first_date;
      covers["to"] = s.last_date;
    }
    if (s.csv_row) covers["first_row"] = *s.csv_row;
    if (s.last_row) covers["last_row"] = *s.last_row;
    j["covers"] = covers;
  }
  if (d.contains("missing")) j["missing"] = d["missing"];
  if (d.contains("missing_cells")) j["missing_cells"] = d["missing_cells"];
  if (s.kind == "undetermined" || s.kind == "review") {
    j["questions"] = d.value(nl ? "questions_nl" : "questions", nlohmann::json::array());
  }
  for (const char* k : {"weigh", "assertions"}) {
    if (d.contains(k)) j[k] = d[k];
  }
  if (d.contains("exceptions")) {
    nlohmann::json xs = nlohmann::json::array();
    for (const auto& x : d["exceptions"]) {
      nlohmann::json xj = x;
      xj["citations"] = meta.Citation(x.value("rule", ""), "citations");
      xs.push_back(xj);
    }
    j["exceptions"] = xs;
  }
  for (const char* k : {"decided_by", "amended_by"}) {
    if (d.contains(k)) j[k] = d[k];
  }
  return j;
}

// Adds the explanation trees that the engine gives for a finding evaluated again.
void AddExplanation(nlohmann::json& j, const engine::Finding& f) {
  j["explanation"] = ExplanationJson(f.explanation);
  if (j.contains("exceptions")) {
    for (auto& x : j["exceptions"]) {
      for (const auto& n : f.exceptions) {
        if (n.rule == x.value("rule", "")) x["explanation"] = ExplanationJson(n.explanation);
      }
    }
  }
  if (j.contains("covers")) j["explained"] = f.subject;
}

// Loads the rules for rebuilding explanations and checks they are the run's.
std::optional<dsl::LoadedRules> RulesOfRun(const Common& common, const StoredRun& run) {
  auto loaded = LoadRulesOrReport(common);
  if (!loaded) return std::nullopt;
  if (loaded->rules->hash != run.rule_set_hash) {
    std::cerr << "normwerk: the rules have changed since run " << run.id << " (rule set " << run.rule_set_hash
              << " then, " << loaded->rules->hash << " now); explanations are rebuilt by evaluating again and need the"
              << " rules the run used (the run was made with: " << run.command << ")\n";
    return std::nullopt;
  }
  return loaded;
}

}  // namespace

int RunReport(const Common& common, const ReportOptions& options) {
  auto store = OpenExisting(options.db);
  if (!store) return kExitInput;
  auto run = FindRun(*store, options.run);
  if (!run) return kExitInput;
  std::optional<dsl::LoadedRules> rules;
  std::unique_ptr<FindingExplainer> explainer;
  if (options.explain) {
    rules = RulesOfRun(common, *run);
    if (!rules) return kExitInput;
    explainer = std::make_unique<FindingExplainer>(*store, *rules->rules, *run);
    std::string error;
    if (!explainer->Ready(error)) {
      std::cerr << "normwerk: --db: " << error << "\n";
      return kExitInternal;
    }
  }
  if (run->status == "running") {
    std::cerr << "normwerk: warning: run " << run->id << " is not finished (" << run->batches_done << " of "
              << run->batches_total << " batches); the report shows what it found so far\n";
  }
  SQLite::Database& db = store->db();
  auto employer = store->Document(run->employer_doc);
  auto worklog = store->Document(run->worklog_doc);
  RunMeta meta;
  meta.Load(db, run->id);

  nlohmann::json head;
  head["as_of"] = run->as_of;
  head["rule_set"] = {{"name", run->rule_set_name}, {"hash", run->rule_set_hash}};
  head["run"] = RunJson(*run, employer, worklog);
  head["explain_command"] = "normwerk explain --db " + options.db + " --run " + std::to_string(run->id);

  // Markdown and HTML list decided findings first and show the first
  // --max-findings in full: which are shown, for links from the summary.
  bool decided_first = options.format == "markdown" || options.format == "html";
  std::unordered_set<int64_t> shown;  // empty: every finding is shown
  bool all_shown = !decided_first || options.max_findings == 0 || run->findings <= static_cast<int64_t>(options.max_findings);
  if (!all_shown) {
    std::vector<std::pair<int, int64_t>> order;
    SQLite::Statement q(db, "SELECT kind, seq FROM findings WHERE run = ?");
    q.bind(1, run->id);
    while (q.executeStep()) order.emplace_back(KindGroup(q.getColumn(0).getString()), q.getColumn(1).getInt64());
    std::sort(order.begin(), order.end());
    for (size_t i = 0; i < order.size() && i < options.max_findings; ++i) shown.insert(order[i].second);
  }
  auto is_shown = [&](int64_t seq) { return all_shown || shown.count(seq) > 0; };

  // Summary counts per kind, severity and rule, from the database.
  SummaryCounts counts;
  {
    SQLite::Statement q(db,
                        "SELECT rule, kind, severity, COUNT(*), SUM(count), COUNT(DISTINCT emp), MIN(seq),"
                        " MAX(json_extract(detail, '$.unit')) FROM findings WHERE run = ?"
                        " GROUP BY rule, kind, severity ORDER BY rule, kind, severity");
    q.bind(1, run->id);
    while (q.executeStep()) {
      std::string rule = q.getColumn(0).getString(), kind = q.getColumn(1).getString(), sev = q.getColumn(2).getString();
      int64_t n = q.getColumn(3).getInt64(), subjects = q.getColumn(4).getInt64();
      counts.findings += n;
      counts.by_kind[kind] += n;
      counts.by_severity[sev] += n;
      SummaryCounts::RuleCount& rc = counts.by_rule[rule + "\x1f" + kind];
      rc.rule = rule;
      rc.title = meta.Title(rule, common.lang);
      rc.kind = kind;
      rc.severity = sev;
      rc.citation = meta.Citation(rule, "citation");
      rc.count += n;
      rc.subjects += subjects;
      rc.employees += q.getColumn(5).getInt64();
      int64_t first = q.getColumn(6).getInt64();
      if (is_shown(first)) rc.first = rc.first == 0 ? first : std::min(rc.first, first);
      if (!q.getColumn(7).isNull()) rc.unit = q.getColumn(7).getString();
    }
    counts.errors = run->errors;
  }
  head["summary"] = counts.Json();
  head["rules"] = nlohmann::json::array();
  for (const auto& [id, r] : meta.rules) head["rules"].push_back(r.json);
  // Per-employee table and hours per week (not part of the JSON contract).
  if (options.format != "json" && options.format != "sarif") {
    constexpr int64_t kMaxRows = 500, kMaxCharts = 50;
    nlohmann::json emps = {{"total", run->employees}};
    SQLite::Statement cnt(db, "SELECT COUNT(DISTINCT emp) FROM findings WHERE run = ? AND emp IS NOT NULL");
    cnt.bind(1, run->id);
    cnt.executeStep();
    emps["with_findings"] = cnt.getColumn(0).getInt64();
    // Employees with decided findings (violations, conflicts, gaps, risks) or
    // findings a person must weigh, most serious first; those with only
    // undetermined findings are counted, not listed.
    SQLite::Statement q(db,
                        "SELECT emp, employee, COUNT(*),"
                        " SUM(kind IN ('violation', 'conflict', 'gap', 'risk')) AS decided, SUM(kind = 'review') AS reviews,"
                        " SUM(kind = 'undetermined'),"
                        " IFNULL(MAX(CASE WHEN kind NOT IN ('undetermined', 'info') THEN rank END), -1) AS highest,"
                        " GROUP_CONCAT(DISTINCT CASE WHEN kind NOT IN ('undetermined', 'info') THEN rule END),"
                        " MIN(CASE WHEN kind NOT IN ('undetermined', 'info') THEN seq END)"
                        " FROM findings WHERE run = ? AND emp IS NOT NULL GROUP BY emp HAVING decided + reviews > 0"
                        " ORDER BY highest DESC, decided DESC, reviews DESC, emp LIMIT ?");
    q.bind(1, run->id);
    q.bind(2, kMaxRows);
    SQLite::Statement days(db, "SELECT COUNT(*) FROM work_records WHERE doc = ? AND emp = ?");
    nlohmann::json rows = nlohmann::json::array();
    static const char* kSev[] = {"info", "low", "medium", "high", "critical"};
    while (q.executeStep()) {
      days.bind(1, run->worklog_doc);
      days.bind(2, q.getColumn(0).getInt64());
      days.executeStep();
      int rank = q.getColumn(6).getInt();
      std::string rule_list = q.getColumn(7).getString();
      std::replace(rule_list.begin(), rule_list.end(), ',', ' ');
      nlohmann::json row = {{"id", q.getColumn(1).getString()},
                            {"work_days", days.getColumn(0).getInt64()},
                            {"findings", q.getColumn(2).getInt64()},
                            {"decided", q.getColumn(3).getInt64()},
                            {"reviews", q.getColumn(4).getInt64()},
                            {"open", q.getColumn(5).getInt64()},
                            {"highest", rank >= 0 ? kSev[std::min(rank, 4)] : ""},
                            {"rules", rule_list}};
      if (is_shown(q.getColumn(8).getInt64())) row["first"] = q.getColumn(8).getInt64();
      rows.push_back(row);
      days.reset();
    }
    SQLite::Statement with(db,
                           "SELECT COUNT(*) FROM (SELECT emp FROM findings WHERE run = ? AND emp IS NOT NULL"
                           " AND kind IN ('violation', 'conflict', 'gap', 'risk', 'review') GROUP BY emp)");
    with.bind(1, run->id);
    with.executeStep();
    emps["with_decided"] = with.getColumn(0).getInt64();
    emps["shown"] = rows.size();
    emps["rows"] = rows;
    head["employees"] = emps;
    // Working-time findings: rules that cite the Arbeidstijdenwet, decided
    // ones (violations and reviews) rather than those waiting for facts.
    nlohmann::json hours = nlohmann::json::array();
    if (worklog) {
      SQLite::Statement wt(db,
                           "SELECT emp, employee, COUNT(*) FROM findings WHERE run = ? AND emp IS NOT NULL"
                           " AND kind NOT IN ('undetermined', 'info') AND rule IN (SELECT rule FROM run_rules WHERE run = ?"
                           " AND (rule LIKE 'atw.%' OR json_extract(json, '$.citation.bwb') = 'BWBR0007671'))"
                           " GROUP BY emp ORDER BY COUNT(*) DESC, emp LIMIT ?");
      wt.bind(1, run->id);
      wt.bind(2, run->id);
      wt.bind(3, kMaxCharts);
      while (wt.executeStep()) {
        hours.push_back({{"employee", wt.getColumn(1).getString()},
                         {"findings", wt.getColumn(2).getInt64()},
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
  fo.decided_first = decided_first;
  auto writer = MakeReportWriter(options.format, std::cout, fo);
  if (!writer) {
    std::cerr << "normwerk: --format: unknown format `" << options.format << "`\n";
    return kExitInput;
  }
  bool shown_all = options.format == "text" || options.format == "json" || options.format == "sarif";
  int64_t n = 0, not_explained = 0;
  writer->Begin(head);
  store->ForEachFinding(run->id, std::nullopt, [&](const StoredFinding& s) {
    nlohmann::json f = FindingFromStore(s, meta, common.lang);
    ++n;
    if (explainer && (shown_all || options.max_findings == 0 || static_cast<size_t>(n) <= options.max_findings)) {
      std::string error;
      if (auto g = explainer->Explain(s, error)) {
        AddExplanation(f, *g);
      } else {
        ++not_explained;
        if (common.log) common.log->warn("finding {}: {}", s.seq, error);
      }
    }
    writer->Add(f);
    return true;
  }, decided_first);
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
  if (not_explained > 0) {
    std::cerr << "normwerk: " << not_explained << " finding" << (not_explained == 1 ? "" : "s")
              << " could not be explained again (see the log with --verbose)\n";
    return kExitInternal;
  }
  return kExitOk;
}

int RunExplain(const Common& common, const ExplainOptions& options) {
  auto store = OpenExisting(options.db);
  if (!store) return kExitInput;
  auto run = FindRun(*store, options.run);
  if (!run) return kExitInput;
  std::optional<StoredFinding> stored;
  store->ForEachFinding(run->id, options.finding, [&](const StoredFinding& s) {
    stored = s;
    return false;
  });
  if (!stored) {
    std::cerr << "normwerk: run " << run->id << " has no finding " << options.finding;
    if (run->findings > 0) std::cerr << " (its findings are numbered 1 to " << run->findings << ")";
    std::cerr << "\n";
    return kExitInput;
  }
  auto rules = RulesOfRun(common, *run);
  if (!rules) return kExitInput;
  FindingExplainer explainer(*store, *rules->rules, *run);
  std::string error;
  if (!explainer.Ready(error)) {
    std::cerr << "normwerk: --db: " << error << "\n";
    return kExitInternal;
  }
  std::optional<engine::Finding> again = explainer.Explain(*stored, error);
  if (!again) {
    std::cerr << "normwerk: finding " << options.finding << " of run " << run->id << ": " << error << "\n";
    return kExitInternal;
  }
  RunMeta meta;
  meta.Load(store->db(), run->id);
  nlohmann::json f = FindingFromStore(*stored, meta, common.lang);
  AddExplanation(f, *again);
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
