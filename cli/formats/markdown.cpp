// Markdown: a case-file attachment. Summary counts per rule and severity; for
// audits a per-employee table and hours per week; then each finding with its
// explanation and citation links.
#include <algorithm>
#include <sstream>
#include <vector>

#include "cli/formats/formats.hpp"
#include "cli/formats/internal/util.hpp"

namespace nw::cli {
namespace {

std::string Md(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '<' || c == '>' || c == '\\' ||
        c == '#') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

std::string Code(const std::string& s) {
  std::string t = s;
  for (char& c : t) {
    if (c == '`') c = '\'';
  }
  return "`" + t + "`";
}

// Unicode bars for hours per week: one character per week (full = 80 hours).
std::string Sparkline(const nlohmann::json& weeks) {
  static const char* kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::string out;
  for (const auto& w : weeks) {
    int64_t minutes = w.value("minutes", int64_t{0});
    int64_t k = minutes * 8 / (80 * 60);
    if (k < 0) k = 0;
    if (k > 7) k = 7;
    out += kBars[k];
  }
  return out;
}

class MarkdownWriter : public ReportWriter {
 public:
  MarkdownWriter(std::ostream& out, const FormatOptions& o) : out_(out), o_(o) {}

  void Begin(const nlohmann::json& head) override {
    const FormatOptions& o = o_;
    out_ << "# " << L(o, "normwerk report", "normwerk-rapport") << "\n\n";
    out_ << "| | |\n|---|---|\n";
    out_ << "| " << L(o, "as of", "peildatum") << " | " << Str(head, "as_of") << " |\n";
    out_ << "| " << L(o, "rule set", "regelset") << " | " << Md(Str(head["rule_set"], "name")) << " "
         << Code(Str(head["rule_set"], "hash")) << " |\n";
    if (head.contains("run")) {
      const nlohmann::json& r = head["run"];
      out_ << "| run | " << r.value("id", int64_t{0}) << " (" << Md(Str(r, "status")) << "), " << Md(Str(r, "started_at"))
           << " |\n";
      out_ << "| " << L(o, "documents", "documenten") << " | " << Md(Str(r, "employer")) << ", " << Md(Str(r, "worklog"))
           << " |\n";
      out_ << "| " << L(o, "employees", "werknemers") << " | " << r.value("employees", int64_t{0}) << " |\n";
      out_ << "| " << L(o, "work days", "werkdagen") << " | " << r.value("work_days", int64_t{0}) << " |\n";
    }
    const nlohmann::json& s = head["summary"];
    out_ << "\n## " << L(o, "Summary", "Samenvatting") << "\n\n";
    out_ << "**" << s.value("findings", int64_t{0}) << "** " << L(o, "findings", "bevindingen");
    if (s.value("errors", int64_t{0}) > 0) out_ << ", " << s["errors"].get<int64_t>() << " " << L(o, "errors", "fouten");
    out_ << ".\n\n";
    out_ << "| " << L(o, "severity", "ernst") << " | " << L(o, "findings", "bevindingen") << " |\n|---|---:|\n";
    for (const char* sev : {"critical", "high", "medium", "low", "info"}) {
      if (s["by_severity"].contains(sev)) out_ << "| " << sev << " | " << s["by_severity"][sev].get<int64_t>() << " |\n";
    }
    // Decided findings before reviews and open questions, most severe first.
    auto order = [](const std::string& kind) {
      return kind == "violation" || kind == "conflict" ? 0 : kind == "gap" || kind == "risk" ? 1 : kind == "review" ? 2
             : kind == "info"                                                                ? 3
                                                                                             : 4;
    };
    const auto& by_rule = s.value("by_rule", nlohmann::json::array());
    std::vector<nlohmann::json> rules(by_rule.begin(), by_rule.end());
    std::stable_sort(rules.begin(), rules.end(), [&](const nlohmann::json& a, const nlohmann::json& b) {
      if (order(Str(a, "kind")) != order(Str(b, "kind"))) return order(Str(a, "kind")) < order(Str(b, "kind"));
      if (SeverityRank(Str(a, "severity")) != SeverityRank(Str(b, "severity"))) {
        return SeverityRank(Str(a, "severity")) > SeverityRank(Str(b, "severity"));
      }
      return a.value("count", int64_t{0}) > b.value("count", int64_t{0});
    });
    bool covering = false;
    for (const auto& r : rules) covering = covering || r.contains("subjects");
    out_ << "\n| " << L(o, "rule", "regel") << " | " << L(o, "title", "titel") << " | " << L(o, "kind", "soort") << " | "
         << L(o, "severity", "ernst") << " | " << L(o, "findings", "bevindingen") << (covering ? L(o, " | covering", " | omvat") : "")
         << " |\n|---|---|---|---|---:|" << (covering ? "---:|" : "") << "\n";
    for (const auto& r : rules) {
      out_ << "| " << Code(Str(r, "rule")) << " | " << Md(Str(r, "title")) << " | " << Str(r, "kind") << " | "
           << Str(r, "severity") << " | " << r.value("count", int64_t{0});
      if (covering) {
        out_ << " | ";
        if (r.contains("subjects")) out_ << r["subjects"].get<int64_t>() << " " << Str(r, "unit");
      }
      out_ << " |\n";
    }
    if (head.contains("employees")) {
      const nlohmann::json& e = head["employees"];
      int64_t decided = e.value("with_decided", int64_t{0}), only_open = e.value("with_findings", int64_t{0}) - decided;
      out_ << "\n## " << L(o, "Employees", "Werknemers") << "\n\n";
      out_ << decided << L(o, " of ", " van ") << e.value("total", int64_t{0})
           << L(o, " employees have violations or findings a person must weigh",
                " werknemers hebben overtredingen of bevindingen die een mens moet wegen");
      if (only_open > 0) {
        out_ << "; " << only_open
             << (only_open == 1 ? L(o, " other has only undetermined findings", " andere heeft alleen onbepaalde bevindingen")
                                : L(o, " others have only undetermined findings", " andere hebben alleen onbepaalde bevindingen"));
      }
      out_ << ".\n";
      if (!e.value("rows", nlohmann::json::array()).empty()) {
        out_ << "\n| " << L(o, "employee", "werknemer") << " | " << L(o, "work days", "werkdagen") << " | "
             << L(o, "violations", "overtredingen") << " | " << L(o, "to weigh", "te wegen") << " | "
             << L(o, "undetermined", "onbepaald") << " | " << L(o, "most severe", "zwaarste") << " | "
             << L(o, "rules", "regels") << " |\n|---|---:|---:|---:|---:|---|---|\n";
        for (const auto& r : e["rows"]) {
          out_ << "| " << Code(Str(r, "id")) << " | " << r.value("work_days", int64_t{0}) << " | " << r.value("decided", int64_t{0})
               << " | " << r.value("reviews", int64_t{0}) << " | " << r.value("open", int64_t{0}) << " | " << Str(r, "highest")
               << " | " << Md(Str(r, "rules")) << " |\n";
        }
      }
      if (e.value("shown", int64_t{0}) < decided) {
        out_ << "\n" << L(o, "Only the first ", "Alleen de eerste ") << e["shown"].get<int64_t>() << L(o, " are listed.", " staan hier.") << "\n";
      }
    }
    if (head.contains("hours") && !head["hours"].empty()) {
      out_ << "\n## " << L(o, "Hours per week", "Uren per week") << "\n\n";
      out_ << L(o, "Employees with working-time violations; hours at work (breaks included), one bar per ISO week (full bar = 80 hours).",
                "Werknemers met overtredingen van de arbeidstijden; uren aan het werk (pauzes inbegrepen), één balk per ISO-week (volle balk = 80 uur).")
           << "\n\n| " << L(o, "employee", "werknemer") << " | " << L(o, "weeks", "weken") << " | "
           << L(o, "max hours", "max. uren") << " | " << L(o, "hours per week", "uren per week") << " |\n|---|---:|---:|---|\n";
      for (const auto& h : head["hours"]) {
        int64_t mx = 0;
        for (const auto& w : h["weeks"]) mx = std::max(mx, w.value("minutes", int64_t{0}));
        out_ << "| " << Code(Str(h, "employee")) << " | " << h["weeks"].size() << " | " << HoursText(mx) << " | "
             << Sparkline(h["weeks"]) << " |\n";
      }
    }
    if (!o.decided_first) out_ << "\n## " << L(o, "Findings", "Bevindingen") << "\n";
    total_ = s.value("findings", int64_t{0});
    head_ = {{"explain_command", Str(head, "explain_command")}};
  }

  void Add(const nlohmann::json& f) override {
    ++n_;
    if (o_.max_details != 0 && static_cast<size_t>(n_) > o_.max_details) return;
    const FormatOptions& o = o_;
    int64_t num = f.contains("id") ? f["id"].get<int64_t>() : n_;
    std::string kind = Str(f, "kind");
    int part = kind == "undetermined" ? 1 : kind == "info" ? 2 : 0;
    if (o.decided_first && part != part_) {
      // Stored runs: decided findings and reviews, then open questions, then information.
      part_ = part;
      static const char* kParts[][2] = {{"Violations and findings to weigh", "Overtredingen en bevindingen om te wegen"},
                                        {"Undetermined: facts to ask for", "Onbepaald: op te vragen feiten"},
                                        {"Information", "Informatie"}};
      out_ << "\n## " << L(o, kParts[part][0], kParts[part][1]) << "\n";
    }
    out_ << "\n### " << num << ". " << Str(f, "kind") << " · " << Str(f, "severity") << " · " << Code(Str(f, "rule")) << "\n\n";
    out_ << "**" << Md(Str(f, "title")) << "**\n\n";
    out_ << "- " << L(o, "Subject", "Onderwerp") << ": " << Code(SubjectText(f["subject"])) << "\n";
    if (!Str(f, "message").empty()) out_ << "- " << L(o, "Finding", "Bevinding") << ": " << Md(Str(f, "message")) << "\n";
    for (const auto& c : f.value("citations", nlohmann::json::array())) {
      out_ << "- " << L(o, "Citation", "Grondslag") << ": [" << Md(Str(c, "text")) << "](" << Str(c, "url") << ")\n";
    }
    if (!Str(f, "remedy").empty()) out_ << "- " << L(o, "Remedy", "Te doen") << ": " << Md(Str(f, "remedy")) << "\n";
    for (const auto& q : f.value("questions", nlohmann::json::array())) {
      out_ << "- " << L(o, "Question", "Vraag") << ": " << Md(q.get<std::string>()) << "\n";
    }
    for (const auto& m : f.value("missing", nlohmann::json::array())) {
      out_ << "- " << L(o, "Missing fact", "Ontbrekend feit") << ": " << Code(m.get<std::string>()) << "\n";
    }
    for (const auto& c : f.value("missing_cells", nlohmann::json::array())) {
      out_ << "- " << L(o, "Fill in", "Vul in") << ": " << Code(CellText(c, o)) << "\n";
    }
    for (const auto& p : f.value("parameters", nlohmann::json::array())) {
      out_ << "- " << L(o, "Parameter", "Parameter") << ": " << Code(Str(p, "name")) << " = " << Md(Str(p, "value")) << " ("
           << L(o, "in force from ", "geldig vanaf ") << Str(p, "valid_from") << ")\n";
    }
    std::string tree;
    if (f.contains("explanation")) ExplainLinesJson(f["explanation"], 0, tree);
    for (const auto& x : f.value("exceptions", nlohmann::json::array())) {
      tree += std::string(L(o, "exception ", "uitzondering ")) + Str(x, "rule") + ": " + Str(x, "outcome") + "\n";
      if (x.contains("explanation")) ExplainLinesJson(x["explanation"], 1, tree);
    }
    for (char& c : tree) {
      if (c == '`') c = '\'';
    }
    if (!f.contains("explanation") && f.contains("id") && !Str(head_, "explain_command").empty()) {
      // Stored audit findings: the explanation is rebuilt on demand.
      out_ << "- " << L(o, "Explanation", "Uitleg") << ": " << Code(Str(head_, "explain_command") + " " + std::to_string(num))
           << "\n";
    } else {
      out_ << "\n<details><summary>" << L(o, "Explanation", "Uitleg") << "</summary>\n\n```text\n" << tree
           << "```\n\n</details>\n";
    }
  }

  void End(const nlohmann::json& errors) override {
    const FormatOptions& o = o_;
    if (o_.max_details != 0 && static_cast<size_t>(n_) > o_.max_details) {
      out_ << "\n" << (n_ - static_cast<int64_t>(o_.max_details))
           << L(o, " more findings are not shown here; use --format json or --max-findings 0.",
                " bevindingen meer staan hier niet; gebruik --format json of --max-findings 0.")
           << "\n";
    }
    if (n_ == 0) {
      if (o.decided_first) out_ << "\n## " << L(o, "Findings", "Bevindingen") << "\n";
      out_ << "\n" << L(o, "No findings.", "Geen bevindingen.") << "\n";
    }
    if (!errors.empty()) {
      out_ << "\n## " << L(o, "Evaluation errors", "Evaluatiefouten") << "\n\n";
      for (const auto& e : errors) {
        out_ << "- " << Code(Str(e, "rule")) << " " << Code(Str(e["subject"], "document") + ": " + Str(e["subject"], "path"))
             << ": " << Md(Str(e, "message")) << "\n";
      }
    }
    (void)total_;
  }

 private:
  std::ostream& out_;
  FormatOptions o_;
  int64_t n_ = 0;
  int64_t total_ = 0;
  int part_ = -1;  // decided_first: the part of the last finding written
  nlohmann::json head_;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeMarkdownWriter(std::ostream& out, const FormatOptions& o) {
  return std::make_unique<MarkdownWriter>(out, o);
}

}  // namespace nw::cli
