// A self-contained HTML report (inline style and SVG, no scripts, fonts or
// images fetched) that an inspector can attach to a case file: what was
// checked, the counts per kind and severity and per rule (decided findings
// before open questions), for audits the employees with violations and a
// chart of hours per week for those with working-time findings, then each
// finding with its citations as links.
#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "cli/formats/formats.hpp"
#include "cli/formats/internal/util.hpp"

namespace nw::cli {
namespace {

constexpr const char* kStyle = R"css(
:root{--red:#b03a2e;--orange:#b9770e;--blue:#1f618d;--grey:#6c757d;--line:#d5d8dc;--soft:#f4f6f7}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:75rem;padding:0 1.2rem;color:#1b1f23;line-height:1.45;font-size:15px}
h1{font-size:1.7rem;margin:0 0 .3rem}h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-bottom:.2rem;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:.1rem 0 .3rem}
nav{margin:.4rem 0 1rem;font-size:.92rem}nav a{margin-right:1rem}
a{color:#1a5a96}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border-bottom:1px solid var(--line);padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;font-size:.9rem}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.z{color:#b3b6b7}
table.meta td{border:none;padding:.15rem .8rem .15rem 0}table.meta td:first-child{font-weight:600;color:var(--grey);white-space:nowrap}
tr.total td{font-weight:600;border-top:2px solid var(--line)}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88em}
.muted{color:var(--grey)}
.kpis{display:flex;flex-wrap:wrap;gap:.8rem;margin:.6rem 0 1rem}
.kpi{border:1px solid var(--line);border-radius:6px;padding:.5rem .9rem;min-width:9rem}
.kpi b{display:block;font-size:1.5rem}.kpi.bad b{color:var(--red)}.kpi.open b{color:var(--orange)}
.finding{border:1px solid var(--line);border-left:6px solid var(--grey);padding:.6rem .9rem;margin:.9rem 0;border-radius:4px}
.k-violation,.k-conflict{border-left-color:var(--red)}.k-undetermined,.k-review{border-left-color:var(--orange)}
.k-gap,.k-risk{border-left-color:var(--blue)}.k-info{border-left-color:var(--grey)}
.finding p{margin:.3rem 0}.finding ul{margin:.3rem 0;padding-left:1.3rem}
.sub{font-size:.9rem;color:var(--grey)}
.badge{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.8rem;color:#fff;background:var(--grey);font-weight:600}
.s-critical{background:#78281f}.s-high{background:var(--red)}.s-medium{background:var(--orange)}.s-low{background:var(--blue)}
.kind{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.8rem;border:1px solid currentColor;white-space:nowrap}
.kind.violation,.kind.conflict{color:var(--red)}.kind.undetermined,.kind.review{color:var(--orange)}.kind.gap,.kind.risk{color:var(--blue)}
.covers{display:inline-block;background:var(--soft);border-radius:3px;padding:0 .4rem;font-size:.85rem}
pre{background:var(--soft);padding:.5rem;overflow-x:auto;font-size:.82em}
.chart{display:block;margin:.2rem 0 1.2rem}.chart text{font-family:system-ui,sans-serif;font-size:10px;fill:#444}
.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}
.sw{display:inline-block;width:.8rem;height:.8rem;vertical-align:-1px;margin-right:.25rem}
@media print{body{margin:0;max-width:none}nav{display:none}.finding{break-inside:avoid}h2{break-after:avoid}}
)css";

std::string H(const std::string& s) { return HtmlEscape(s); }

std::string Fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// 26308 → "26,308" (English) or "26.308" (Dutch).
std::string Num(int64_t v, const FormatOptions& o) {
  std::string d = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) out += o.lang == "nl" ? '.' : ',';
    out += d[i];
  }
  return v < 0 ? "-" + out : out;
}

const char* KindLabel(const std::string& kind, const FormatOptions& o) {
  static const std::map<std::string, std::pair<const char*, const char*>> kLabels = {
      {"violation", {"violation", "overtreding"}}, {"conflict", {"conflict", "conflict"}},
      {"gap", {"gap", "leemte"}},                  {"risk", {"risk", "risico"}},
      {"review", {"review", "te beoordelen"}},     {"info", {"info", "info"}},
      {"undetermined", {"undetermined", "onbepaald"}}};
  auto it = kLabels.find(kind);
  if (it == kLabels.end()) return "";
  return o.lang == "nl" ? it->second.second : it->second.first;
}

const char* UnitLabel(const std::string& unit, const FormatOptions& o) {
  bool nl = o.lang == "nl";
  if (unit == "days") return nl ? "dagen" : "days";
  if (unit == "weeks") return nl ? "weken" : "weeks";
  if (unit == "periods") return nl ? "perioden" : "periods";
  return nl ? "onderwerpen" : "subjects";
}

// Decided findings first, then what a person must weigh, then open questions.
int KindOrder(const std::string& kind) {
  if (kind == "violation" || kind == "conflict") return 0;
  if (kind == "gap" || kind == "risk") return 1;
  if (kind == "review") return 2;
  if (kind == "info") return 3;
  return 4;  // undetermined
}

std::string SeverityBadge(const std::string& sev) {
  return "<span class=\"badge s-" + H(sev) + "\">" + H(sev) + "</span>";
}

std::string KindTag(const std::string& kind, const FormatOptions& o) {
  return "<span class=\"kind " + H(kind) + "\">" + H(KindLabel(kind, o)) + "</span>";
}

std::string CitationLink(const nlohmann::json& c) {
  if (Str(c, "url").empty()) return H(Str(c, "text"));
  return "<a href=\"" + H(Str(c, "url")) + "\">" + H(Str(c, "text")) + "</a>";
}

// A bar chart of hours at work per ISO week, with a grid every 20 hours,
// dashed lines at 48 (the average the law allows over 16 weeks) and 60 (the
// most in one week), and the first week of each month labelled.
std::string Chart(const nlohmann::json& h, const FormatOptions& o) {
  const nlohmann::json& weeks = h["weeks"];
  int64_t most = 0;
  for (const auto& w : weeks) most = std::max(most, w.value("minutes", int64_t{0}));
  double top_hours = std::max(80.0, static_cast<double>((most / 60 / 20 + 1) * 20));
  const int bar = 11, gap = 2, plot_h = 150, left = 34, right = 44, top = 8, bottom = 22;
  int n = static_cast<int>(weeks.size());
  int width = left + std::max(n, 8) * (bar + gap) + right;
  int height = top + plot_h + bottom;
  auto y = [&](double hours) { return top + plot_h - hours / top_hours * plot_h; };
  std::string s = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
                  "\" height=\"" + std::to_string(height) + "\" role=\"img\" aria-label=\"" +
                  H(std::string(L(o, "hours per week of ", "uren per week van ")) + Str(h, "employee")) + "\">";
  int x_end = left + std::max(n, 8) * (bar + gap);
  for (int g = 0; g <= static_cast<int>(top_hours); g += 20) {
    std::string yy = Fixed1(y(g));
    s += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(x_end) + "\" y1=\"" + yy + "\" y2=\"" + yy +
         "\" stroke=\"#e5e7e9\"/>";
    s += "<text x=\"" + std::to_string(left - 4) + "\" y=\"" + Fixed1(y(g) + 3) + "\" text-anchor=\"end\">" +
         std::to_string(g) + "</text>";
  }
  int x = left + 1;
  std::string month;
  for (const auto& w : weeks) {
    double v = static_cast<double>(w.value("minutes", int64_t{0})) / 60.0;
    const char* fill = v > 60 ? "#b03a2e" : v > 48 ? "#b9770e" : "#5d8aa8";
    double t = y(v);
    s += "<rect x=\"" + std::to_string(x) + "\" y=\"" + Fixed1(t) + "\" width=\"" + std::to_string(bar) + "\" height=\"" +
         Fixed1(top + plot_h - t) + "\" fill=\"" + fill + "\"><title>" + H(Str(w, "week")) + " (" + H(Str(w, "start")) +
         "): " + HoursText(w.value("minutes", int64_t{0})) + " h</title></rect>";
    std::string m = Str(w, "start").substr(0, 7);
    if (m != month) {
      month = m;
      s += "<line x1=\"" + std::to_string(x) + "\" x2=\"" + std::to_string(x) + "\" y1=\"" + std::to_string(top + plot_h) +
           "\" y2=\"" + std::to_string(top + plot_h + 4) + "\" stroke=\"#888\"/>";
      s += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(top + plot_h + 15) + "\">" + H(m) + "</text>";
    }
    x += bar + gap;
  }
  for (double ref : {48.0, 60.0}) {
    std::string yy = Fixed1(y(ref));
    const char* color = ref == 60.0 ? "#b03a2e" : "#b9770e";
    s += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(x_end) + "\" y1=\"" + yy + "\" y2=\"" + yy +
         "\" stroke=\"" + color + "\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>";
    s += "<text x=\"" + std::to_string(x_end + 4) + "\" y=\"" + Fixed1(y(ref) + 3) + "\" fill=\"" + color + "\">" +
         std::to_string(static_cast<int>(ref)) + " h</text>";
  }
  s += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(x_end) + "\" y1=\"" + std::to_string(top + plot_h) +
       "\" y2=\"" + std::to_string(top + plot_h) + "\" stroke=\"#888\"/>";
  s += "</svg>";
  return s;
}

class HtmlWriter : public ReportWriter {
 public:
  HtmlWriter(std::ostream& out, const FormatOptions& o) : out_(out), o_(o) {}

  void Begin(const nlohmann::json& head) override {
    const FormatOptions& o = o_;
    bool audit = head.contains("run");
    std::string title = std::string(L(o, "normwerk report", "normwerk-rapport")) + " — " +
                        (audit ? std::string(L(o, "audit run ", "controle, run ")) +
                                     std::to_string(head["run"].value("id", int64_t{0}))
                               : std::string(L(o, "check", "toets"))) +
                        ", " + L(o, "as of ", "peildatum ") + Str(head, "as_of");
    out_ << "<!DOCTYPE html>\n<html lang=\"" << (o.lang == "nl" ? "nl" : "en") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << H(title)
         << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
    out_ << "<h1>" << H(title) << "</h1>\n";
    bool employees = head.contains("employees");
    bool hours = head.contains("hours") && !head["hours"].empty();
    out_ << "<nav><a href=\"#summary\">" << L(o, "Summary", "Samenvatting") << "</a>";
    if (employees) out_ << "<a href=\"#employees\">" << L(o, "Employees", "Werknemers") << "</a>";
    if (hours) out_ << "<a href=\"#hours\">" << L(o, "Hours per week", "Uren per week") << "</a>";
    out_ << "<a href=\"#findings\">" << L(o, "Findings", "Bevindingen") << "</a></nav>\n";
    out_ << "<table class=\"meta\">\n";
    Row(L(o, "as of", "peildatum"), H(Str(head, "as_of")));
    Row(L(o, "rule set", "regelset"), H(Str(head["rule_set"], "name")) + " <code>" + H(Str(head["rule_set"], "hash")) + "</code>");
    if (audit) {
      const nlohmann::json& r = head["run"];
      std::string status = Str(r, "status");
      Row("run", std::to_string(r.value("id", int64_t{0})) + " (" + H(status) + "), " + H(Str(r, "started_at")) +
                     (Str(r, "finished_at").empty() ? "" : " – " + H(Str(r, "finished_at"))));
      Row(L(o, "employer file", "werkgeversbestand"), "<code>" + H(Str(r, "employer")) + "</code>");
      Row(L(o, "work log", "urenregistratie"), "<code>" + H(Str(r, "worklog")) + "</code>, " +
                                                   Num(r.value("work_days", int64_t{0}), o) + L(o, " rows", " rijen") +
                                                   (r.value("bad_rows", int64_t{0}) > 0
                                                        ? ", " + Num(r["bad_rows"].get<int64_t>(), o) +
                                                              L(o, " bad rows skipped", " foute rijen overgeslagen")
                                                        : std::string()));
      Row(L(o, "employees", "werknemers"), Num(r.value("employees", int64_t{0}), o));
      Row(L(o, "command", "opdracht"), "<code>" + H(Str(r, "command")) + "</code>");
    } else if (head.contains("documents")) {
      std::string docs;
      for (const auto& d : head["documents"]) docs += (docs.empty() ? "" : ", ") + std::string("<code>") + H(d.get<std::string>()) + "</code>";
      Row(L(o, "documents", "documenten"), docs);
    }
    out_ << "</table>\n";
    Summary(head);
    if (employees) Employees(head["employees"]);
    if (hours) Hours(head["hours"]);
    if (!o.decided_first) out_ << "<h2 id=\"findings\">" << L(o, "Findings", "Bevindingen") << "</h2>\n";
    explain_command_ = Str(head, "explain_command");
  }

  void Add(const nlohmann::json& f) override {
    ++n_;
    if (o_.max_details != 0 && static_cast<size_t>(n_) > o_.max_details) return;
    const FormatOptions& o = o_;
    int64_t num = f.contains("id") ? f["id"].get<int64_t>() : n_;
    std::string kind = Str(f, "kind"), sev = Str(f, "severity");
    if (o.decided_first && PartOf(kind) != part_) {
      // Stored runs: decided findings and reviews, then open questions, then information.
      part_ = PartOf(kind);
      static const char* kParts[][2] = {{"Violations and findings to weigh", "Overtredingen en bevindingen om te wegen"},
                                        {"Undetermined: facts to ask for", "Onbepaald: op te vragen feiten"},
                                        {"Information", "Informatie"}};
      out_ << "<h2" << (n_ == 1 ? " id=\"findings\"" : "") << ">" << L(o, kParts[part_][0], kParts[part_][1]) << "</h2>\n";
    }
    out_ << "<section class=\"finding k-" << H(kind) << "\" id=\"f" << num << "\">\n<h3>" << num << ". " << H(Str(f, "title"))
         << "</h3>\n<p>" << SeverityBadge(sev) << " " << KindTag(kind, o) << " <code>" << H(Str(f, "rule")) << "</code>";
    if (!CoversText(f, o).empty()) out_ << " <span class=\"covers\">" << H(CoversText(f, o)) << "</span>";
    out_ << "</p>\n<p class=\"sub\">" << H(SubjectText(f["subject"])) << "</p>\n";
    if (!Str(f, "message").empty()) out_ << "<p>" << H(Str(f, "message")) << "</p>\n";
    out_ << "<ul>\n";
    std::string cites;
    for (const auto& c : f.value("citations", nlohmann::json::array())) cites += (cites.empty() ? "" : "; ") + CitationLink(c);
    if (!cites.empty()) out_ << "<li>" << L(o, "Law: ", "Grondslag: ") << cites << "</li>\n";
    if (!Str(f, "remedy").empty()) out_ << "<li>" << L(o, "Remedy: ", "Te doen: ") << H(Str(f, "remedy")) << "</li>\n";
    for (const auto& q : f.value("questions", nlohmann::json::array())) {
      out_ << "<li>" << L(o, "Question: ", "Vraag: ") << H(q.get<std::string>()) << "</li>\n";
    }
    for (const auto& w : f.value("weigh", nlohmann::json::array())) {
      out_ << "<li>" << L(o, "To weigh: ", "Te wegen: ") << H(w.get<std::string>()) << "</li>\n";
    }
    std::string missing;
    for (const auto& m : f.value("missing", nlohmann::json::array())) {
      missing += (missing.empty() ? "" : ", ") + std::string("<code>") + H(m.get<std::string>()) + "</code>";
    }
    if (!missing.empty()) out_ << "<li>" << L(o, "Missing: ", "Ontbreekt: ") << missing << "</li>\n";
    for (const auto& c : f.value("missing_cells", nlohmann::json::array())) {
      out_ << "<li>" << L(o, "Fill in: ", "Vul in: ") << H(CellText(c, o)) << "</li>\n";
    }
    for (const auto& p : f.value("parameters", nlohmann::json::array())) {
      out_ << "<li>" << L(o, "Parameter: ", "Parameter: ") << "<code>" << H(Str(p, "name")) << "</code> = " << H(Str(p, "value"))
           << " <span class=\"muted\">(" << L(o, "in force from ", "geldig vanaf ") << H(Str(p, "valid_from"))
           << (Str(p, "source").empty() ? "" : "; " + H(Str(p, "source"))) << ")</span></li>\n";
    }
    if (!Str(f, "decided_by").empty()) out_ << "<li>" << L(o, "Decided by: ", "Beslist door: ") << H(Str(f, "decided_by")) << "</li>\n";
    out_ << "</ul>\n";
    if (!f.contains("explanation") && f.contains("id") && !explain_command_.empty()) {
      // Stored audit findings: the explanation is rebuilt on demand.
      out_ << "<p class=\"sub\">" << L(o, "Why: ", "Waarom: ") << "<code>" << H(explain_command_) << " " << num
           << "</code></p>\n</section>\n";
      return;
    }
    std::string tree;
    if (f.contains("explanation")) ExplainLinesJson(f["explanation"], 0, tree);
    for (const auto& x : f.value("exceptions", nlohmann::json::array())) {
      tree += std::string(L(o, "exception ", "uitzondering ")) + Str(x, "rule") + ": " + Str(x, "outcome") + "\n";
      if (x.contains("explanation")) ExplainLinesJson(x["explanation"], 1, tree);
    }
    std::string label = f.contains("explained")
                            ? std::string(L(o, "Explanation (of the first: ", "Uitleg (van de eerste: ")) + Str(f, "explained") + ")"
                            : std::string(L(o, "Explanation", "Uitleg"));
    out_ << "<details><summary>" << H(label) << "</summary><pre>" << H(tree) << "</pre></details>\n</section>\n";
  }

  void End(const nlohmann::json& errors) override {
    const FormatOptions& o = o_;
    if (o_.max_details != 0 && static_cast<size_t>(n_) > o_.max_details) {
      out_ << "<p>" << Num(n_ - static_cast<int64_t>(o_.max_details), o)
           << L(o, " more findings are not shown here; use --format json or --max-findings 0.",
                " bevindingen meer staan hier niet; gebruik --format json of --max-findings 0.")
           << "</p>\n";
    }
    if (n_ == 0) {
      if (o.decided_first) out_ << "<h2 id=\"findings\">" << L(o, "Findings", "Bevindingen") << "</h2>\n";
      out_ << "<p>" << L(o, "No findings.", "Geen bevindingen.") << "</p>\n";
    }
    if (!errors.empty()) {
      out_ << "<h2>" << L(o, "Evaluation errors", "Evaluatiefouten") << "</h2>\n<ul>\n";
      for (const auto& e : errors) {
        out_ << "<li><code>" << H(Str(e, "rule")) << "</code> <code>" << H(Str(e["subject"], "document")) << ": "
             << H(Str(e["subject"], "path")) << "</code>: " << H(Str(e, "message")) << "</li>\n";
      }
      out_ << "</ul>\n";
    }
    out_ << "</body>\n</html>\n";
  }

 private:
  void Row(const std::string& k, const std::string& v_html) { out_ << "<tr><td>" << H(k) << "</td><td>" << v_html << "</td></tr>\n"; }

  // Counts per kind and severity, then per rule: decided findings first.
  void Summary(const nlohmann::json& head) {
    const FormatOptions& o = o_;
    const nlohmann::json& s = head["summary"];
    out_ << "<h2 id=\"summary\">" << L(o, "Summary", "Samenvatting") << "</h2>\n";
    const auto& rules = s.value("by_rule", nlohmann::json::array());
    static const char* kSeverities[] = {"critical", "high", "medium", "low", "info"};
    std::map<std::string, std::map<std::string, int64_t>> matrix;  // kind → severity → findings
    std::map<std::string, int64_t> subjects;                        // kind → subjects covered
    for (const auto& r : rules) {
      int64_t c = r.value("count", int64_t{0});
      matrix[Str(r, "kind")][Str(r, "severity")] += c;
      subjects[Str(r, "kind")] += std::max(c, r.value("subjects", int64_t{0}));
    }
    int64_t decided = 0, weigh = 0, open = 0, open_subjects = 0;
    for (const auto& [kind, per] : matrix) {
      int64_t sum = 0;
      for (const auto& [sev, c] : per) sum += c;
      int ko = KindOrder(kind);
      if (ko <= 1) decided += sum;
      if (ko == 2) weigh += sum;
      if (ko == 4) {
        open += sum;
        open_subjects += subjects[kind];
      }
    }
    out_ << "<div class=\"kpis\">";
    out_ << "<div class=\"kpi\"><b>" << Num(s.value("findings", int64_t{0}), o) << "</b>" << L(o, "findings", "bevindingen")
         << "</div>";
    out_ << "<div class=\"kpi bad\"><b>" << Num(decided, o) << "</b>"
         << L(o, "violations, conflicts, gaps and risks", "overtredingen, conflicten, leemtes en risico's") << "</div>";
    out_ << "<div class=\"kpi open\"><b>" << Num(weigh, o) << "</b>" << L(o, "for a person to weigh", "door een mens te wegen")
         << "</div>";
    out_ << "<div class=\"kpi open\"><b>" << Num(open, o) << "</b>" << L(o, "undetermined", "onbepaald");
    if (open_subjects > open) out_ << " <span class=\"muted\">(" << Num(open_subjects, o) << L(o, " subjects)", " onderwerpen)") << "</span>";
    out_ << "</div>";
    if (head.contains("employees")) {
      const nlohmann::json& e = head["employees"];
      out_ << "<div class=\"kpi\"><b>" << Num(e.value("with_decided", int64_t{0}), o) << "</b>"
           << L(o, "employees with violations", "werknemers met overtredingen") << " <span class=\"muted\">"
           << L(o, "of ", "van ") << Num(e.value("total", int64_t{0}), o) << "</span></div>";
    }
    if (s.value("errors", int64_t{0}) > 0) {
      out_ << "<div class=\"kpi bad\"><b>" << Num(s["errors"].get<int64_t>(), o) << "</b>"
           << L(o, "evaluation errors", "evaluatiefouten") << "</div>";
    }
    out_ << "</div>\n";
    // Kind × severity.
    std::vector<std::string> kinds;
    for (const auto& [kind, per] : matrix) kinds.push_back(kind);
    std::stable_sort(kinds.begin(), kinds.end(), [](const std::string& a, const std::string& b) { return KindOrder(a) < KindOrder(b); });
    if (!kinds.empty()) {
      out_ << "<table><tr><th>" << L(o, "kind", "soort") << "</th>";
      for (const char* sev : kSeverities) out_ << "<th class=\"n\">" << SeverityBadge(sev) << "</th>";
      out_ << "<th class=\"n\">" << L(o, "total", "totaal") << "</th></tr>\n";
      std::map<std::string, int64_t> col;
      int64_t all = 0;
      for (const auto& kind : kinds) {
        out_ << "<tr><td>" << KindTag(kind, o) << "</td>";
        int64_t sum = 0;
        for (const char* sev : kSeverities) {
          int64_t c = matrix[kind].count(sev) ? matrix[kind][sev] : 0;
          sum += c;
          col[sev] += c;
          out_ << "<td class=\"n" << (c == 0 ? " z" : "") << "\">" << (c == 0 ? "–" : Num(c, o)) << "</td>";
        }
        all += sum;
        out_ << "<td class=\"n\">" << Num(sum, o) << "</td></tr>\n";
      }
      out_ << "<tr class=\"total\"><td>" << L(o, "total", "totaal") << "</td>";
      for (const char* sev : kSeverities) {
        out_ << "<td class=\"n" << (col[sev] == 0 ? " z" : "") << "\">" << (col[sev] == 0 ? "–" : Num(col[sev], o)) << "</td>";
      }
      out_ << "<td class=\"n\">" << Num(all, o) << "</td></tr>\n</table>\n";
    }
    // Per rule: decided before open, most severe first, then most findings.
    std::vector<nlohmann::json> sorted(rules.begin(), rules.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
      int ka = KindOrder(Str(a, "kind")), kb = KindOrder(Str(b, "kind"));
      if (ka != kb) return ka < kb;
      int sa = SeverityRank(Str(a, "severity")), sb = SeverityRank(Str(b, "severity"));
      if (sa != sb) return sa > sb;
      return a.value("count", int64_t{0}) > b.value("count", int64_t{0});
    });
    bool with_employees = false, with_subjects = false;
    for (const auto& r : sorted) {
      with_employees = with_employees || r.contains("employees");
      with_subjects = with_subjects || r.contains("subjects");
    }
    out_ << "<table><tr><th>" << L(o, "rule", "regel") << "</th><th>" << L(o, "law", "grondslag") << "</th><th>"
         << L(o, "kind", "soort") << "</th><th>" << L(o, "severity", "ernst") << "</th><th class=\"n\">"
         << L(o, "findings", "bevindingen") << "</th>";
    if (with_subjects) out_ << "<th class=\"n\">" << L(o, "covering", "omvat") << "</th>";
    if (with_employees) out_ << "<th class=\"n\">" << L(o, "employees", "werknemers") << "</th>";
    out_ << "</tr>\n";
    for (const auto& r : sorted) {
      out_ << "<tr><td>";
      if (r.contains("first")) {
        out_ << "<a href=\"#f" << r["first"].get<int64_t>() << "\">" << H(Str(r, "title")) << "</a>";
      } else {
        out_ << H(Str(r, "title"));
      }
      out_ << "<br><code class=\"muted\">" << H(Str(r, "rule")) << "</code></td><td>";
      if (r.contains("citation")) out_ << CitationLink(r["citation"]);
      out_ << "</td><td>" << KindTag(Str(r, "kind"), o) << "</td><td>" << SeverityBadge(Str(r, "severity"))
           << "</td><td class=\"n\">" << Num(r.value("count", int64_t{0}), o) << "</td>";
      if (with_subjects) {
        out_ << "<td class=\"n\">";
        if (r.contains("subjects")) out_ << Num(r["subjects"].get<int64_t>(), o) << " " << UnitLabel(Str(r, "unit"), o);
        out_ << "</td>";
      }
      if (with_employees) out_ << "<td class=\"n\">" << (r.contains("employees") ? Num(r["employees"].get<int64_t>(), o) : "") << "</td>";
      out_ << "</tr>\n";
    }
    out_ << "</table>\n";
  }

  // Employees with decided findings (violations, reviews), most serious first.
  void Employees(const nlohmann::json& e) {
    const FormatOptions& o = o_;
    out_ << "<h2 id=\"employees\">" << L(o, "Employees", "Werknemers") << "</h2>\n<p>";
    int64_t total = e.value("total", int64_t{0}), with = e.value("with_findings", int64_t{0});
    int64_t decided = e.value("with_decided", int64_t{0}), only_open = with - decided;
    out_ << Num(decided, o) << L(o, " of ", " van ") << Num(total, o)
         << L(o, " employees have violations or findings a person must weigh", " werknemers hebben overtredingen of bevindingen die een mens moet wegen");
    if (only_open > 0) {
      out_ << "; " << Num(only_open, o)
           << (only_open == 1 ? L(o, " other has only undetermined findings", " andere heeft alleen onbepaalde bevindingen")
                              : L(o, " others have only undetermined findings", " andere hebben alleen onbepaalde bevindingen"))
           << L(o, " (facts to ask for: see the rules above)", " (op te vragen feiten: zie de regels hierboven)");
    }
    out_ << ".</p>\n";
    const auto& rows = e.value("rows", nlohmann::json::array());
    if (rows.empty()) return;
    out_ << "<table><tr><th>" << L(o, "employee", "werknemer") << "</th><th class=\"n\">" << L(o, "work days", "werkdagen")
         << "</th><th class=\"n\">" << L(o, "violations", "overtredingen") << "</th><th class=\"n\">"
         << L(o, "to weigh", "te wegen") << "</th><th class=\"n\">" << L(o, "undetermined", "onbepaald") << "</th><th>"
         << L(o, "most severe", "zwaarste") << "</th><th>" << L(o, "rules", "regels") << "</th></tr>\n";
    for (const auto& r : rows) {
      out_ << "<tr><td>";
      if (r.contains("first")) {
        out_ << "<a href=\"#f" << r["first"].get<int64_t>() << "\"><code>" << H(Str(r, "id")) << "</code></a>";
      } else {
        out_ << "<code>" << H(Str(r, "id")) << "</code>";
      }
      auto cell = [&](const char* k) {
        int64_t v = r.value(k, int64_t{0});
        out_ << "<td class=\"n" << (v == 0 ? " z" : "") << "\">" << (v == 0 ? "–" : Num(v, o)) << "</td>";
      };
      out_ << "</td><td class=\"n\">" << Num(r.value("work_days", int64_t{0}), o) << "</td>";
      cell("decided");
      cell("reviews");
      cell("open");
      out_ << "<td>" << (Str(r, "highest").empty() ? "" : SeverityBadge(Str(r, "highest"))) << "</td><td><code>"
           << H(Str(r, "rules")) << "</code></td></tr>\n";
    }
    out_ << "</table>\n";
    if (e.value("shown", int64_t{0}) < decided) {
      out_ << "<p class=\"muted\">" << L(o, "Only the first ", "Alleen de eerste ") << Num(e["shown"].get<int64_t>(), o)
           << L(o, " are listed; --format json has every finding.", " staan hier; --format json geeft elke bevinding.") << "</p>\n";
    }
  }

  void Hours(const nlohmann::json& hours) {
    const FormatOptions& o = o_;
    out_ << "<h2 id=\"hours\">" << L(o, "Hours per week", "Uren per week") << "</h2>\n<p>"
         << L(o, "Employees with working-time violations (Arbeidstijdenwet): hours at work per ISO week, from start to end of each "
                 "day (breaks included).",
              "Werknemers met overtredingen van de Arbeidstijdenwet: uren aan het werk per ISO-week, van begin tot einde van "
              "elke dag (pauzes inbegrepen).")
         << "</p>\n<p class=\"legend\"><span><span class=\"sw\" style=\"background:#5d8aa8\"></span>"
         << L(o, "up to 48 h", "tot 48 uur") << "</span><span><span class=\"sw\" style=\"background:#b9770e\"></span>"
         << L(o, "over 48 h (the 16-week average limit)", "boven 48 uur (grens van het 16-wekengemiddelde)")
         << "</span><span><span class=\"sw\" style=\"background:#b03a2e\"></span>"
         << L(o, "over 60 h (the weekly limit)", "boven 60 uur (weekgrens)") << "</span></p>\n";
    for (const auto& h : hours) {
      int64_t most = 0;
      for (const auto& w : h["weeks"]) most = std::max(most, w.value("minutes", int64_t{0}));
      out_ << "<h3><code>" << H(Str(h, "employee")) << "</code> <span class=\"sub\">" << Num(h.value("findings", int64_t{0}), o)
           << L(o, " working-time findings; most in a week: ", " bevindingen over arbeidstijd; meeste in een week: ")
           << HoursText(most) << " h</span></h3>\n"
           << Chart(h, o) << "\n";
    }
  }

  static int PartOf(const std::string& kind) { return kind == "undetermined" ? 1 : kind == "info" ? 2 : 0; }

  std::ostream& out_;
  FormatOptions o_;
  int64_t n_ = 0;
  int part_ = -1;                // decided_first: the part of the last finding written
  std::string explain_command_;  // stored runs: how to get a finding's explanation
};

}  // namespace

std::unique_ptr<ReportWriter> MakeHtmlWriter(std::ostream& out, const FormatOptions& o) {
  return std::make_unique<HtmlWriter>(out, o);
}

}  // namespace nw::cli
