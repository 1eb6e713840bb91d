// `normwerk audit WORKLOG.csv --employer EMPLOYER.json`: the inspector's
// workflow. Streams the work log into the audit database, then evaluates the
// employees in batches (a FactStore per batch: the employer's records of
// those employees plus their days read back from SQLite), storing each
// batch's findings and the run's progress in one transaction, so a run that
// is killed resumes at its next unfinished batch. Rules whose subject is not
// an employee or part of one (the employer, its documents) run once, in
// batch 0, over the employer file with every employee but without days.
//
// A batch is decided without explanations, which is cheap, but with the
// facts each undetermined finding lacks (EvalOptions::missing); texts and
// parameters come from a second evaluation, employee by employee and rule by
// rule, that explains only the findings it needs: every violation, review,
// gap and so on, and one undetermined finding of each set of missing facts.
// Undetermined findings of one rule
// for one employee that lack the same facts are stored as one finding that
// covers them all (`undetermined on 247 days from … to …: break_minutes is not
// in the work log`). Explanation trees are not stored: `normwerk explain`
// evaluates the finding's employee again (cli/store/audit_eval.hpp).
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <set>
#include <tuple>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/report_output.hpp"
#include "cli/store/audit_eval.hpp"
#include "cli/store/audit_store.hpp"
#include "cli/store/worklog.hpp"
#include "cli/support.hpp"
#include "engine/program.hpp"

namespace nw::cli {
namespace {

// Work days per batch when --batch is not given.
constexpr int64_t kDaysPerBatch = 25'000;

// The employer file, checked; `index` maps employee ids to their place.
struct EmployerFile {
  std::string text;
  std::unordered_map<std::string, uint32_t> index;  // id → position
  AuditEmployer split;
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
  std::string error;
  if (!SplitEmployer(path, ef.text, ef.split, error) || ef.split.employees.empty()) {
    PrintFactErrors({{path, "employer.employees", "the employer file lists no employees to audit"}});
    return std::nullopt;
  }
  const nlohmann::json& list = ef.split.employees;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = "employer.employees[" + std::to_string(i) + "]";
    const nlohmann::json& e = list[i];
    if (e.contains("days") && !e["days"].is_null() && !(e["days"].is_array() && e["days"].empty())) {
      errors.push_back({path, where + ".days", "work days come from the work log; leave `days` out of the employer file"});
      continue;
    }
    const std::string& s = ef.split.ids[i];
    if (s.empty()) {
      errors.push_back({path, where + ".id", "every employee needs an `id` that the work log refers to"});
      continue;
    }
    auto [it, fresh] = ef.index.emplace(s, static_cast<uint32_t>(i));
    if (!fresh) {
      errors.push_back({path, where + ".id",
                        "duplicate employee id `" + s + "` (also employer.employees[" + std::to_string(it->second) + "])"});
    }
  }
  if (!errors.empty()) {
    PrintFactErrors(errors);
    return std::nullopt;
  }
  return ef;
}

// "a", "a and b", "a, b and c" (Dutch: "en").
std::string JoinWords(const std::vector<std::string>& words, bool nl) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? (nl ? " en " : " and ") : ", ";
    out += words[i];
  }
  return out;
}

// A missing fact of an undetermined finding, as the audit groups it: a fact
// of work days by its column (`break_minutes`), any other by its path.
struct MissingFact {
  std::string key;     // `employer.employees[3].days[*].break_minutes` or the path itself
  std::string column;  // work_day fact: its column name; else ""
};

MissingFact NormalizeMissing(const std::string& path) {
  // employer.employees[E].days[K].field
  size_t b = path.find("].days[");
  if (b != std::string::npos) {
    size_t c = path.find(']', b + 7);
    if (c != std::string::npos && c + 2 < path.size() && path[c + 1] == '.' &&
        path.find_first_of(".[", c + 2) == std::string::npos) {
      return {path.substr(0, b + 1) + ".days[*]." + path.substr(c + 2), path.substr(c + 2)};
    }
  }
  return {path, ""};
}

// The subject's period `(2024-03-04 to 2024-03-10)` at the end of a path, if any.
std::optional<std::pair<std::string, std::string>> PeriodOf(const std::string& subject) {
  size_t open = subject.rfind(" (");
  if (open == std::string::npos || subject.back() != ')') return std::nullopt;
  std::string inner = subject.substr(open + 2, subject.size() - open - 3);
  size_t to = inner.find(" to ");
  if (to == std::string::npos) return std::nullopt;
  return std::make_pair(inner.substr(0, to), inner.substr(to + 4));
}

// One finding of the cheap evaluation of a batch, with what the second
// evaluation adds.
struct Item {
  const engine::Finding* f = nullptr;        // decided, without texts
  size_t order = 0;                          // place in display order
  int64_t emp = -1;                          // employee position in the file (-1: employer level)
  std::string signature;                     // undetermined: the facts it lacks (normalised paths, sorted)
  const engine::Finding* explained = nullptr;
  std::string first_date, last_date;         // the subject's date or period
  std::optional<int64_t> csv_row;
};

// A finding as it is stored: one item, or several undetermined items merged.
struct Record {
  std::vector<Item*> items;                  // first: the subject shown
  const engine::Finding* texts = nullptr;    // the explained finding the texts come from
  std::vector<MissingFact> missing;          // merged undetermined findings
};

// Evaluates one batch and stores its findings; returns false on an input error.
class BatchRunner {
 public:
  BatchRunner(AuditStore& store, const dsl::CheckedRuleSet& rules, const engine::Program& program, const AuditEmployer& ef,
              const StoredDocument& worklog, const StoredRun& run, Date as_of, std::shared_ptr<spdlog::logger> log)
      : store_(store), rules_(rules), program_(program), ef_(ef), worklog_(worklog), run_(run), as_of_(as_of),
        log_(std::move(log)), plan_(PlanAudit(rules, worklog.rows)) {
    for (const auto& c : nlohmann::json::parse(worklog.columns.empty() ? "[]" : worklog.columns)) {
      std::string name = c.get<std::string>();
      columns_.push_back(name);
    }
    date_field_ = static_cast<uint32_t>(rules.FindField(plan_.work_day, "date"));
    // Test hook (tests/cli/cases/audit_merge.nwtest): explain every finding, so
    // that merging by the facts the engine names without explaining can be
    // compared with merging by each finding's explanation.
    explain_all_ = std::getenv("NORMWERK_TEST_EXPLAIN_ALL") != nullptr;
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
    uint32_t first = 0, last = 0;
    if (batch > 0) {
      first = static_cast<uint32_t>((batch - 1) * run_.batch_size);
      last = std::min<uint32_t>(static_cast<uint32_t>(ef_.ids.size()), first + static_cast<uint32_t>(run_.batch_size));
    }
    if (!LoadAuditFacts(store_, rules_, plan_, ef_, worklog_, batch == 0, first, last, facts, csv_rows, errors)) return false;
    const std::vector<std::string>& only = batch == 0 ? plan_.employer_level : plan_.per_employee;
    engine::Report decided;
    decided.as_of = as_of_;
    std::deque<engine::Report> explained;  // owns the explained findings items point to
    if (!only.empty()) {
      engine::EvalOptions eval;
      eval.as_of = as_of_;
      eval.only_rules = only;
      // Batch 0 holds few subjects: explain them all at once. Otherwise the
      // undetermined findings name their missing facts, which decides the merging.
      eval.explain = batch == 0;
      eval.missing = true;
      decided = program_.Evaluate(facts, eval);
    }
    if (batch == 0) {
      for (const auto& id : plan_.skipped) {
        decided.errors.push_back({id, ef_.path, "employer",
                                  "not evaluated: the rule reads the work days of every employee at once, and the work log has " +
                                      std::to_string(worklog_.rows) + " rows (an audit holds at most " +
                                      std::to_string(kEmployerDaysLimit) + " at once); check it on a smaller case file"});
      }
    }
    std::vector<Item> items = Items(decided, facts, csv_rows, first);
    if (batch == 0) {
      for (Item& it : items) it.explained = it.f;
    } else if (!ExplainNeeded(items, facts, explained, errors)) {
      return false;
    }
    std::vector<Record> records = Merge(items);
    Store(batch, first, facts, csv_rows, records, decided);
    return true;
  }

  int64_t findings_stored() const { return stored_; }
  bool employer_needs_days() const { return plan_.employer_needs_days; }

 private:
  // The findings in display order: employer-level first, then by employee,
  // then by subject with the most severe first.
  std::vector<Item> Items(const engine::Report& report, const engine::FactStore& facts, const std::vector<int64_t>& csv_rows,
                          uint32_t first) {
    std::vector<Item> items;
    std::vector<const engine::Finding*> order = DisplayOrder(report);
    items.reserve(order.size());
    const engine::Table* days = plan_.work_day < facts.table_count() && facts.table(plan_.work_day).rows > 0
                                    ? &facts.table(plan_.work_day)
                                    : nullptr;
    auto date_of = [&](uint32_t row) -> std::string {
      const engine::Column& dc = days->columns[date_field_];
      if (dc.state(row) != engine::State::kKnown) return "";
      auto d = Date::FromDaysSinceEpoch(dc.a(row));
      return d ? d->ToString() : "";
    };
    for (size_t k = 0; k < order.size(); ++k) {
      const engine::Finding* f = order[k];
      Item it;
      it.f = f;
      it.order = k;
      std::optional<uint32_t> er;
      if (UnderEmployee(rules_, f->entity, plan_.employee)) {
        er = EmployeeRow(facts, f->entity, f->row, plan_.employee);
        if (er) it.emp = static_cast<int64_t>(first + *er);
      }
      bool undetermined = f->kind == dsl::FindingKind::kUndetermined;
      if (f->entity == plan_.work_day && days != nullptr && f->row < days->rows) {
        if (f->row < csv_rows.size()) it.csv_row = csv_rows[f->row];
        it.first_date = it.last_date = date_of(f->row);
      } else if (auto p = PeriodOf(f->subject)) {
        it.first_date = p->first;
        it.last_date = p->second;
      }
      if (undetermined) {
        // The facts it lacks (the engine names them without explaining): the
        // undetermined findings of a rule for an employee that lack the same
        // facts are merged, and one of them is explained for the texts.
        std::set<std::string> keys;
        for (const std::string& path : f->missing) keys.insert(NormalizeMissing(path).key);
        for (const std::string& key : keys) it.signature += key + "\n";
      }
      items.push_back(std::move(it));
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.emp < b.emp; });
    return items;
  }

  // The second evaluation: for each employee and rule, explains the findings
  // that need texts, in a FactStore of that employee alone.
  bool ExplainNeeded(std::vector<Item>& items, engine::FactStore& batch_facts,
                     std::deque<engine::Report>& explained, std::vector<engine::FactError>& errors) {
    using Key = std::tuple<std::string, std::string, dsl::FindingKind>;  // rule, subject, kind
    auto key_of = [](const engine::Finding& f) { return Key{f.rule, f.subject, f.kind}; };
    // Points each item at its finding in an explained report, when the report has it.
    auto attach = [&](const engine::Report& report, const std::vector<Item*>& list) {
      std::map<Key, const engine::Finding*> got;
      for (const auto& g : report.findings) got[key_of(g)] = &g;
      for (Item* it : list) {
        auto g = got.find(key_of(*it->f));
        if (g != got.end()) it->explained = g->second;
      }
    };
    std::vector<Item*> unexplained;
    size_t i = 0;
    while (i < items.size()) {
      size_t j = i;
      while (j < items.size() && items[j].emp == items[i].emp) ++j;
      if (items[i].emp < 0) {
        for (size_t k = i; k < j; ++k) unexplained.push_back(&items[k]);
        i = j;
        continue;
      }
      // The findings of this employee by the rule that is evaluated for them.
      std::map<std::string, std::vector<Item*>> by_rule;
      for (size_t k = i; k < j; ++k) by_rule[EvaluatedRule(rules_, items[k].f->rule_index)].push_back(&items[k]);
      uint32_t emp = static_cast<uint32_t>(items[i].emp);
      engine::FactStore facts(rules_);
      std::vector<int64_t> rows;
      if (!LoadAuditFacts(store_, rules_, plan_, ef_, worklog_, false, emp, emp + 1, facts, rows, errors)) return false;
      for (auto& [rule, list] : by_rule) {
        // In the engine's order (by subject row), the findings needed: all but
        // the undetermined ones, and of those the first of each set of missing facts.
        std::stable_sort(list.begin(), list.end(), [](const Item* a, const Item* b) {
          return std::tie(a->f->entity, a->f->row, a->f->subject) < std::tie(b->f->entity, b->f->row, b->f->subject);
        });
        std::map<Key, Item*> needed;
        std::set<std::pair<std::string, std::string>> signatures;  // rule, signature
        size_t bound = 0;
        for (size_t k = 0; k < list.size(); ++k) {
          const engine::Finding& f = *list[k]->f;
          if (f.kind == dsl::FindingKind::kUndetermined && !explain_all_ &&
              !signatures.insert({f.rule, list[k]->signature}).second) {
            continue;
          }
          needed[key_of(f)] = list[k];
          bound = k + 1;
        }
        engine::Report r = ExplainRule(program_, facts, as_of_, rule, bound, [&](const engine::Report& rep) {
          size_t found = 0;
          for (const auto& g : rep.findings) found += needed.count(key_of(g));
          return found >= needed.size();
        });
        explained.push_back(std::move(r));
        attach(explained.back(), list);
        for (auto& [k, it] : needed) {
          if (it->explained == nullptr) unexplained.push_back(it);
        }
      }
      i = j;
    }
    if (!unexplained.empty()) {
      // A finding that its employee alone does not give (a rule that compares
      // employees): explain it over the whole batch.
      std::map<std::string, std::vector<Item*>> by_rule;
      for (Item* it : unexplained) by_rule[EvaluatedRule(rules_, it->f->rule_index)].push_back(it);
      for (auto& [rule, list] : by_rule) {
        if (log_) log_->debug("run {}: explaining {} findings of {} over the whole batch", run_.id, list.size(), rule);
        std::set<Key> wanted;
        for (Item* it : list) wanted.insert(key_of(*it->f));
        engine::Report r = ExplainRule(program_, batch_facts, as_of_, rule, SIZE_MAX / 8, [](const engine::Report&) { return true; });
        explained.push_back(std::move(r));
        attach(explained.back(), list);
      }
    }
    return true;
  }

  // One record per finding, except undetermined findings of one rule for one
  // employee (or owner) that lack the same facts: one record for them all.
  std::vector<Record> Merge(std::vector<Item>& items) {
    std::vector<Record> records;
    // An undetermined finding without its own explanation lacks what the
    // explained one with the same rule, employee and signature lacks.
    std::map<std::tuple<int64_t, std::string, std::string>, const engine::Finding*> by_signature;
    for (Item& it : items) {
      if (it.f->kind == dsl::FindingKind::kUndetermined && it.explained != nullptr) {
        by_signature.emplace(std::make_tuple(it.emp, it.f->rule, it.signature), it.explained);
      }
    }
    std::map<std::tuple<int64_t, std::string, std::string, std::string>, size_t> groups;  // emp, owner, rule, missing → record
    std::map<const engine::Finding*, std::pair<std::vector<MissingFact>, std::string>> normalized;
    for (Item& it : items) {
      if (it.f->kind != dsl::FindingKind::kUndetermined) {
        Record r;
        r.items.push_back(&it);
        r.texts = it.explained;
        records.push_back(std::move(r));
        continue;
      }
      const engine::Finding* texts = it.explained;
      if (texts == nullptr) {
        auto s = by_signature.find(std::make_tuple(it.emp, it.f->rule, it.signature));
        if (s != by_signature.end()) texts = s->second;
      }
      std::vector<MissingFact> missing;
      std::string key;
      if (texts != nullptr) {
        // Many findings share an explained one: normalise its facts once.
        auto [m, fresh] = normalized.try_emplace(texts);
        if (fresh) {
          std::set<std::string> seen;
          for (const auto& path : texts->missing) {
            MissingFact mf = NormalizeMissing(path);
            if (seen.insert(mf.key).second) m->second.first.push_back(mf);
          }
          std::vector<std::string> keys;
          for (const auto& f : m->second.first) keys.push_back(f.key);
          std::sort(keys.begin(), keys.end());
          for (const auto& k : keys) m->second.second += k + "\n";
        }
        missing = m->second.first;
        key = m->second.second;
      }
      // Employer-level subjects: their owner is the document part before the subject's last step.
      std::string owner = it.emp >= 0 ? "" : it.f->document;
      auto [g, fresh] = groups.emplace(std::make_tuple(it.emp, owner, it.f->rule, key), records.size());
      if (fresh) {
        Record r;
        r.texts = texts;
        r.missing = std::move(missing);
        records.push_back(std::move(r));
      }
      records[g->second].items.push_back(&it);
    }
    std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
      return std::make_pair(a.items.front()->emp, a.items.front()->order) <
             std::make_pair(b.items.front()->emp, b.items.front()->order);
    });
    return records;
  }

  // The message of merged undetermined findings, in English and Dutch.
  std::pair<std::string, std::string> UndeterminedMessage(const Record& r, const nlohmann::json& cells) const {
    const Item& a = *r.items.front();
    std::string from = a.first_date, to = a.last_date;
    for (const Item* it : r.items) {
      if (!it->first_date.empty() && (from.empty() || it->first_date < from)) from = it->first_date;
      if (!it->last_date.empty() && (to.empty() || it->last_date > to)) to = it->last_date;
    }
    size_t n = r.items.size();
    std::string en = "Undetermined", nl = "Onbepaald";
    if (n > 1) {
      auto [unit_en, unit_nl] = Unit(r);
      en += " on " + std::to_string(n) + " " + unit_en;
      nl += " op " + std::to_string(n) + " " + unit_nl;
      if (!from.empty()) {
        en += " from " + from + " to " + to;
        nl += " van " + from + " tot en met " + to;
      }
    }
    std::vector<std::string> absent, empty, other;
    for (const auto& m : r.missing) {
      if (m.column.empty()) {
        other.push_back(m.key);
      } else if (std::find(columns_.begin(), columns_.end(), m.column) == columns_.end()) {
        absent.push_back(m.column);
      } else {
        empty.push_back(m.column);
      }
    }
    std::vector<std::string> parts_en, parts_nl;
    if (!absent.empty()) {
      parts_en.push_back(JoinWords(absent, false) + (absent.size() == 1 ? " is" : " are") + " not in the work log");
      parts_nl.push_back(JoinWords(absent, true) + (absent.size() == 1 ? " staat" : " staan") + " niet in de urenregistratie");
    }
    for (const auto& column : empty) {
      // The rows, when they are few.
      std::vector<std::string> rows;
      for (const auto& c : cells) {
        if (c.value("column", "") == column && !c.contains("rows")) rows.push_back(std::to_string(c["row"].get<int64_t>()));
      }
      std::string where_en, where_nl;
      if (rows.size() == 1) {
        where_en = " (row " + rows.front() + ")";
        where_nl = " (rij " + rows.front() + ")";
      } else if (rows.size() > 1 && rows.size() <= 5) {
        where_en = " (rows " + JoinWords(rows, false) + ")";
        where_nl = " (rijen " + JoinWords(rows, true) + ")";
      } else if (rows.size() > 5) {
        where_en = " (" + std::to_string(rows.size()) + (rows.size() >= 100 ? " or more" : "") + " rows)";
        where_nl = " (" + std::to_string(rows.size()) + (rows.size() >= 100 ? " of meer" : "") + " rijen)";
      }
      parts_en.push_back(column + " is empty in the work log" + where_en);
      parts_nl.push_back(column + " is leeg in de urenregistratie" + where_nl);
    }
    if (!other.empty()) {
      // Facts of the employer file: an audit reads nothing else besides the work log.
      parts_en.push_back(JoinWords(other, false) + (other.size() == 1 ? " is" : " are") + " not in the employer file");
      parts_nl.push_back(JoinWords(other, true) + (other.size() == 1 ? " staat" : " staan") + " niet in het werkgeversbestand");
    }
    if (r.texts == nullptr) {
      // Not explained (a rule that compares employees, and the batch did not give it either).
      parts_en.push_back("the facts it waits for could not be traced (see `normwerk explain`)");
      parts_nl.push_back("de feiten waarop het wacht konden niet worden nagegaan (zie `normwerk explain`)");
    } else if (parts_en.empty()) {
      parts_en.push_back("an exception needs facts that are not known");
      parts_nl.push_back("een uitzondering vraagt feiten die niet bekend zijn");
    }
    auto join = [](const std::vector<std::string>& p) {
      std::string s;
      for (const auto& x : p) s += (s.empty() ? "" : "; ") + x;
      return s;
    };
    return {en + ": " + join(parts_en) + ".", nl + ": " + join(parts_nl) + "."};
  }

  // What the subjects of a merged finding are: days, weeks, periods.
  std::pair<std::string, std::string> Unit(const Record& r) const {
    const Item& a = *r.items.front();
    if (a.f->entity == plan_.work_day) return {"days", "dagen"};
    if (!a.first_date.empty()) {
      bool weeks = true;
      for (const Item* it : r.items) {
        auto f = Date::Parse(it->first_date), t = Date::Parse(it->last_date);
        if (!f || !t || t->DaysSinceEpoch() - f->DaysSinceEpoch() != 6) weeks = false;
      }
      return weeks ? std::make_pair(std::string("weeks"), std::string("weken"))
                   : std::make_pair(std::string("periods"), std::string("perioden"));
    }
    return {"subjects", "onderwerpen"};
  }

  // For missing facts of work days, the CSV row and column to fill in.
  nlohmann::json MissingCells(const engine::Finding& f, uint32_t first, const engine::FactStore& facts,
                              const std::vector<int64_t>& csv_rows) const {
    nlohmann::json cells = nlohmann::json::array();
    const engine::Table& days = facts.table(plan_.work_day);
    for (const auto& p : f.missing) {
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
    return cells;
  }

  // The missing facts of a record: a single finding's own paths where each
  // fact is one path, else the paths with `days[*]` for the days covered.
  nlohmann::json MissingList(const Record& r) const {
    nlohmann::json list = nlohmann::json::array();
    const Item& a = *r.items.front();
    bool own = r.items.size() == 1 && a.explained != nullptr && a.explained == r.texts;
    for (const auto& m : r.missing) {
      std::string shown = m.key;
      if (own) {
        std::vector<std::string> paths;
        for (const auto& p : a.explained->missing) {
          if (NormalizeMissing(p).key == m.key) paths.push_back(p);
        }
        if (paths.size() == 1) shown = paths.front();
      }
      list.push_back(shown);
    }
    return list;
  }

  // Where to fill in the missing work-day facts of a record: for a column the
  // work log does not have, the rows of the days covered; for a column with
  // empty cells, those cells (each merged finding names its own), at most 100.
  nlohmann::json UndeterminedCells(const Record& r, int64_t count, std::optional<int64_t> lo, std::optional<int64_t> hi,
                                   uint32_t first, const engine::FactStore& facts, const std::vector<int64_t>& csv_rows) const {
    nlohmann::json cells = nlohmann::json::array();
    if (csv_rows.empty()) return cells;
    std::set<std::pair<int64_t, std::string>> empty;  // row, column
    std::set<std::string> present;
    for (const auto& m : r.missing) {
      if (m.column.empty()) continue;
      if (std::find(columns_.begin(), columns_.end(), m.column) == columns_.end()) {
        if (!lo) continue;
        nlohmann::json c = {{"document", worklog_.path}, {"row", *lo}, {"column", m.column}};
        if (count > 1) {
          c["last_row"] = *hi;
          c["rows"] = count;
        }
        cells.push_back(c);
      } else {
        present.insert(m.column);
      }
    }
    if (present.empty()) return cells;
    for (const Item* it : r.items) {
      // Each merged finding names its own missing facts (the engine's `missing`).
      for (const auto& c : MissingCells(*it->f, first, facts, csv_rows)) {
        if (present.count(c["column"].get<std::string>())) empty.insert({c["row"].get<int64_t>(), c["column"].get<std::string>()});
      }
    }
    size_t shown = 0;
    for (const auto& [row, column] : empty) {
      if (++shown > 100) break;
      cells.push_back({{"document", worklog_.path}, {"row", row}, {"column", column}});
    }
    return cells;
  }

  // Whether a rule's remedy has no holes (then it is stored once per run, in
  // run_rules); its texts in English and Dutch.
  bool StaticRemedy(uint32_t rule_index, std::string& en, std::string& nl) const {
    const dsl::RuleInfo& r = rules_.rules[rule_index];
    if (r.remedy.empty()) return false;
    for (const auto& t : r.remedy) {
      if (!t.holes.empty() || t.pieces.size() != 1) return false;
      (t.lang == "nl" ? nl : en) = t.pieces.front();
    }
    if (en.empty()) en = nl;
    if (nl.empty()) nl = en;
    return true;
  }

  void Store(int64_t batch, uint32_t first, const engine::FactStore& facts, const std::vector<int64_t>& csv_rows,
             const std::vector<Record>& records, const engine::Report& report) {
    SQLite::Database& db = store_.db();
    SQLite::Transaction tx(db);
    SQLite::Statement rule_ins(db,
                               "INSERT OR IGNORE INTO run_rules(run, rule, json, title_nl, remedy, remedy_nl)"
                               " VALUES (?, ?, ?, ?, ?, ?)");
    SQLite::Statement param_ins(db, "INSERT OR IGNORE INTO run_params(run, key, json) VALUES (?, ?, ?)");
    auto note_rule = [&](const std::string& id, uint32_t index) {
      if (!rules_seen_.insert(id).second) return;
      rule_ins.bind(1, run_.id);
      rule_ins.bind(2, id);
      rule_ins.bind(3, RuleJson(rules_, rules_.rules[index], "en").dump());
      rule_ins.bind(4, RuleTitle(rules_.rules[index], "nl"));
      // A remedy without holes is the same for every finding: stored once.
      std::string en, nl;
      if (StaticRemedy(index, en, nl)) {
        rule_ins.bind(5, en);
        rule_ins.bind(6, nl);
      } else {
        rule_ins.bind(5);
        rule_ins.bind(6);
      }
      rule_ins.exec();
      rule_ins.reset();
    };
    auto rule_index = [&](const std::string& id) -> int64_t {
      for (uint32_t i = 0; i < rules_.rules.size(); ++i) {
        if (rules_.rules[i].id == id) return i;
      }
      return -1;
    };
    int64_t n = 0;
    for (const Record& r : records) {
      const Item& a = *r.items.front();
      const engine::Finding& f = *a.f;
      const engine::Finding* t = r.texts;
      StoredFinding s;
      s.run = run_.id;
      s.seq = ++seq_;
      s.batch = batch;
      s.rule = f.rule;
      s.kind = dsl::FindingKindName(f.kind);
      s.severity = dsl::SeverityName(f.severity);
      s.rank = static_cast<int>(f.severity);
      s.subject = f.subject;
      if (a.csv_row) {
        s.document = worklog_.path;
        s.csv_row = a.csv_row;
      } else {
        s.document = ef_.path;
        auto it = ef_.lines.find(f.subject.substr(0, f.subject.find(' ')));
        if (it != ef_.lines.end()) s.line = it->second;
      }
      if (a.emp >= 0) {
        s.emp = a.emp;
        s.employee = ef_.ids[static_cast<size_t>(a.emp)];
      }
      nlohmann::json detail = nlohmann::json::object();
      if (f.kind == dsl::FindingKind::kUndetermined) {
        s.count = static_cast<int64_t>(r.items.size());
        std::optional<int64_t> lo, hi;
        for (const Item* it : r.items) {
          if (!it->first_date.empty() && (s.first_date.empty() || it->first_date < s.first_date)) s.first_date = it->first_date;
          if (!it->last_date.empty() && (s.last_date.empty() || it->last_date > s.last_date)) s.last_date = it->last_date;
          if (it->csv_row) {
            lo = lo ? std::min(*lo, *it->csv_row) : *it->csv_row;
            hi = hi ? std::max(*hi, *it->csv_row) : *it->csv_row;
          }
        }
        if (s.count > 1) {
          s.last_row = hi;
          detail["unit"] = Unit(r).first;
        } else {
          s.first_date.clear();
          s.last_date.clear();
        }
        detail["missing"] = MissingList(r);
        nlohmann::json cells = UndeterminedCells(r, s.count, lo, hi, first, facts, csv_rows);
        auto [en, nl] = UndeterminedMessage(r, cells);
        s.message = en;
        s.message_nl = nl;
        if (t == nullptr && log_) log_->warn("run {}: finding {} ({} on {}) was not explained", run_.id, s.seq, f.rule, f.subject);
        if (!cells.empty()) detail["missing_cells"] = cells;
      } else if (t != nullptr) {
        s.message = t->message_en;
        s.message_nl = t->message_nl.empty() ? t->message_en : t->message_nl;
        if (f.kind == dsl::FindingKind::kReview) {
          detail["missing"] = t->missing;
          if (!csv_rows.empty()) {
            nlohmann::json cells = MissingCells(*t, first, facts, csv_rows);
            if (!cells.empty()) detail["missing_cells"] = cells;
          }
        }
      } else {
        s.message = "(the texts of this finding could not be built; see `normwerk explain`)";
        s.message_nl = "(de teksten van deze bevinding konden niet worden gemaakt; zie `normwerk explain`)";
        if (log_) log_->warn("run {}: finding {} ({} on {}) has no texts", run_.id, s.seq, f.rule, f.subject);
      }
      if (t != nullptr) {
        std::string en, nl;
        if (f.kind != dsl::FindingKind::kUndetermined && !StaticRemedy(t->rule_index, en, nl)) {
          s.remedy = t->remedy_en;
          s.remedy_nl = t->remedy_nl;
        }
        if (f.kind == dsl::FindingKind::kUndetermined || f.kind == dsl::FindingKind::kReview) {
          detail["questions"] = UniqueStrings(t->questions_en);
          detail["questions_nl"] = UniqueStrings(t->questions_nl);
        }
        if (!t->weigh.empty()) detail["weigh"] = t->weigh;
        if (!t->assertions.empty()) detail["assertions"] = t->assertions;
        if (!t->exceptions.empty()) {
          nlohmann::json xs = nlohmann::json::array();
          for (const auto& x : t->exceptions) {
            xs.push_back({{"rule", x.rule}, {"outcome", x.outcome}});
            int64_t xi = rule_index(x.rule);
            if (xi >= 0) note_rule(x.rule, static_cast<uint32_t>(xi));
          }
          detail["exceptions"] = xs;
        }
        if (!t->decided_by.empty()) detail["decided_by"] = t->decided_by;
        if (!t->amended_by.empty()) detail["amended_by"] = t->amended_by;
        if (!t->parameters.empty()) {
          std::string json = ParametersJson(t->parameters).dump();
          s.params = HashHex(json);
          if (params_seen_.insert(s.params).second) {
            param_ins.bind(1, run_.id);
            param_ins.bind(2, s.params);
            param_ins.bind(3, json);
            param_ins.exec();
            param_ins.reset();
          }
        }
      }
      if (!detail.empty()) s.detail = detail.dump();
      store_.AddFinding(s);
      note_rule(f.rule, f.rule_index);
      ++n;
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

  AuditStore& store_;
  const dsl::CheckedRuleSet& rules_;
  const engine::Program& program_;
  const AuditEmployer& ef_;
  const StoredDocument& worklog_;
  const StoredRun& run_;
  Date as_of_;
  std::shared_ptr<spdlog::logger> log_;
  AuditPlan plan_;
  std::vector<std::string> columns_;   // the work log's stored cell columns
  uint32_t date_field_ = 0;
  bool explain_all_ = false;
  std::set<std::string> rules_seen_, params_seen_;  // rows inserted (INSERT OR IGNORE keeps resumed runs right)
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
                      "SELECT rule, kind, severity, COUNT(*), COUNT(DISTINCT emp), SUM(count),"
                      " MAX(json_extract(detail, '$.unit')) FROM findings WHERE run = ?"
                      " GROUP BY rule, kind, severity ORDER BY MAX(rank) DESC, rule, kind");
  q.bind(1, run.id);
  struct Row {
    std::string rule, kind, severity, unit;
    int64_t findings = 0, employees = 0, subjects = 0;
  };
  std::vector<Row> rows;
  int64_t total = 0;
  while (q.executeStep()) {
    rows.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                    q.getColumn(6).getString(), q.getColumn(3).getInt64(), q.getColumn(4).getInt64(),
                    q.getColumn(5).getInt64()});
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
    for (const auto& r : rows) w = std::max(w, r.rule.size());
    for (const auto& r : rows) {
      bool one = r.findings == 1;
      std::cout << "  " << r.rule << std::string(w - r.rule.size() + 2, ' ') << r.kind << " " << r.severity << "  "
                << r.findings << (nl ? (one ? " bevinding" : " bevindingen") : (one ? " finding" : " findings"));
      if (r.subjects > r.findings) {
        // Merged undetermined findings: how many days (weeks, …) they cover.
        std::string unit = r.unit.empty() ? "subjects" : r.unit;
        if (nl) {
          unit = unit == "days" ? "dagen" : unit == "weeks" ? "weken" : unit == "periods" ? "perioden" : "onderwerpen";
        }
        std::cout << " (" << r.subjects << " " << unit << ")";
      }
      if (r.employees > 0) {
        std::cout << ", " << r.employees
                  << (nl ? (r.employees == 1 ? " werknemer" : " werknemers") : (r.employees == 1 ? " employee" : " employees"));
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
  int64_t per_employee = std::max<int64_t>(1, imported.doc.rows / std::max<int64_t>(1, static_cast<int64_t>(ef->split.ids.size())));
  like.batch_size = options.batch > 0 ? options.batch : std::clamp<int64_t>(kDaysPerBatch / per_employee, 1, 2000);
  like.employees = static_cast<int64_t>(ef->split.ids.size());
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
  BatchRunner runner(*store, rules, program, ef->split, imported.doc, *run, *as_of, log);
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
