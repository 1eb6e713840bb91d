// A self-contained HTML report (inline style and SVG, no external assets)
// that an inspector can attach to a case file.
#include <algorithm>
#include <cstdio>

#include "cli/formats/formats.hpp"
#include "cli/formats/internal/util.hpp"

namespace nw::cli {
namespace {

constexpr const char* kStyle = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
h3{font-size:1.05rem;margin:.2rem 0}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.finding{border:1px solid #ccc;border-left:6px solid #888;padding:.6rem .9rem;margin:1rem 0;border-radius:4px}
.k-violation,.k-conflict{border-left-color:#c0392b}.k-undetermined,.k-review{border-left-color:#d68910}
.k-gap,.k-risk{border-left-color:#2471a3}.k-info{border-left-color:#7f8c8d}
.badge{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.85em;color:#fff;background:#7f8c8d}
.s-critical,.s-high{background:#c0392b}.s-medium{background:#d68910}.s-low{background:#2471a3}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto;font-size:.85em}
.meta td:first-child{font-weight:600}.chart{margin:.5rem 0 1rem}
@media print{.finding{break-inside:avoid}}
)css";

std::string H(const std::string& s) { return HtmlEscape(s); }

std::string Fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A bar chart of hours per ISO week with reference lines at 48 and 60 hours.
std::string Chart(const nlohmann::json& h, const FormatOptions& o) {
  const nlohmann::json& weeks = h["weeks"];
  double mx = 70;
  for (const auto& w : weeks) mx = std::max(mx, w.value("hours", 0.0));
  const int bar = 10, gap = 2, height = 140, left = 34, bottom = 18;
  int width = std::max(220, left + static_cast<int>(weeks.size()) * (bar + gap) + 10);
  auto y = [&](double v) { return static_cast<double>(height - bottom) - v / mx * (height - bottom - 6); };
  std::string s = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
                  "\" height=\"" + std::to_string(height) + "\" role=\"img\" aria-label=\"" +
                  H(std::string(L(o, "hours per week of ", "uren per week van ")) + Str(h, "employee")) + "\">";
  for (double ref : {48.0, 60.0}) {
    std::string yy = Fixed1(y(ref));
    s += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(width) + "\" y1=\"" + yy + "\" y2=\"" + yy +
         "\" stroke=\"" + (ref == 60.0 ? "#c0392b" : "#d68910") + "\" stroke-dasharray=\"4 3\"/>";
    s += "<text x=\"2\" y=\"" + Fixed1(y(ref) + 4) + "\" font-size=\"10\">" + std::to_string(static_cast<int>(ref)) + "h</text>";
  }
  int x = left;
  for (const auto& w : weeks) {
    double v = w.value("hours", 0.0);
    const char* fill = v > 60 ? "#c0392b" : v > 48 ? "#d68910" : "#2471a3";
    double top = y(v);
    s += "<rect x=\"" + std::to_string(x) + "\" y=\"" + Fixed1(top) + "\" width=\"" + std::to_string(bar) + "\" height=\"" +
         Fixed1(static_cast<double>(height - bottom) - top) + "\" fill=\"" + fill + "\"><title>" + H(Str(w, "week")) + ": " +
         Fixed1(v) + " h</title></rect>";
    x += bar + gap;
  }
  if (!weeks.empty()) {
    s += "<text x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(height - 4) + "\" font-size=\"10\">" +
         H(Str(weeks.front(), "week")) + "</text>";
    if (weeks.size() > 8) {
      s += "<text x=\"" + std::to_string(x - 50) + "\" y=\"" + std::to_string(height - 4) + "\" font-size=\"10\">" +
           H(Str(weeks.back(), "week")) + "</text>";
    }
  }
  s += "</svg>";
  return s;
}

class HtmlWriter : public ReportWriter {
 public:
  HtmlWriter(std::ostream& out, const FormatOptions& o) : out_(out), o_(o) {}

  void Begin(const nlohmann::json& head) override {
    const FormatOptions& o = o_;
    std::string title = std::string(L(o, "normwerk report", "normwerk-rapport")) + " — " + Str(head, "as_of");
    out_ << "<!DOCTYPE html>\n<html lang=\"" << (o.lang == "nl" ? "nl" : "en") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << H(title)
         << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
    out_ << "<h1>" << H(L(o, "normwerk report", "normwerk-rapport")) << "</h1>\n<table class=\"meta\">\n";
    Row(L(o, "as of", "peildatum"), H(Str(head, "as_of")));
    Row(L(o, "rule set", "regelset"), H(Str(head["rule_set"], "name")) + " <code>" + H(Str(head["rule_set"], "hash")) + "</code>");
    if (head.contains("run")) {
      const nlohmann::json& r = head["run"];
      Row("run", std::to_string(r.value("id", int64_t{0})) + " (" + H(Str(r, "status")) + "), " + H(Str(r, "started_at")));
      Row(L(o, "documents", "documenten"), "<code>" + H(Str(r, "employer")) + "</code>, <code>" + H(Str(r, "worklog")) + "</code>");
      Row(L(o, "employees", "werknemers"), std::to_string(r.value("employees", int64_t{0})));
      Row(L(o, "work days", "werkdagen"), std::to_string(r.value("work_days", int64_t{0})));
      Row(L(o, "command", "opdracht"), "<code>" + H(Str(r, "command")) + "</code>");
    }
    out_ << "</table>\n";
    const nlohmann::json& s = head["summary"];
    out_ << "<h2>" << L(o, "Summary", "Samenvatting") << "</h2>\n<p><strong>" << s.value("findings", int64_t{0})
         << "</strong> " << L(o, "findings", "bevindingen");
    if (s.value("errors", int64_t{0}) > 0) out_ << ", " << s["errors"].get<int64_t>() << " " << L(o, "errors", "fouten");
    out_ << ".</p>\n<table><tr><th>" << L(o, "severity", "ernst") << "</th><th class=\"n\">" << L(o, "findings", "bevindingen")
         << "</th></tr>\n";
    for (const char* sev : {"critical", "high", "medium", "low", "info"}) {
      if (s["by_severity"].contains(sev)) {
        out_ << "<tr><td><span class=\"badge s-" << sev << "\">" << sev << "</span></td><td class=\"n\">"
             << s["by_severity"][sev].get<int64_t>() << "</td></tr>\n";
      }
    }
    out_ << "</table>\n<table><tr><th>" << L(o, "rule", "regel") << "</th><th>" << L(o, "title", "titel") << "</th><th>"
         << L(o, "citation", "grondslag") << "</th><th>" << L(o, "kind", "soort") << "</th><th>" << L(o, "severity", "ernst")
         << "</th><th class=\"n\">" << L(o, "findings", "bevindingen") << "</th></tr>\n";
    for (const auto& r : s.value("by_rule", nlohmann::json::array())) {
      out_ << "<tr><td><code>" << H(Str(r, "rule")) << "</code></td><td>" << H(Str(r, "title")) << "</td><td>";
      if (r.contains("citation") && !Str(r["citation"], "url").empty()) {
        out_ << "<a href=\"" << H(Str(r["citation"], "url")) << "\">" << H(Str(r["citation"], "text")) << "</a>";
      }
      out_ << "</td><td>" << H(Str(r, "kind")) << "</td><td><span class=\"badge s-" << H(Str(r, "severity")) << "\">"
           << H(Str(r, "severity")) << "</span></td><td class=\"n\">" << r.value("count", int64_t{0}) << "</td></tr>\n";
    }
    out_ << "</table>\n";
    if (head.contains("employees")) {
      const nlohmann::json& e = head["employees"];
      out_ << "<h2>" << L(o, "Employees with findings", "Werknemers met bevindingen") << "</h2>\n<p>"
           << e.value("with_findings", int64_t{0}) << " " << L(o, "of", "van") << " " << e.value("total", int64_t{0})
           << ".</p>\n<table><tr><th>" << L(o, "employee", "werknemer") << "</th><th class=\"n\">" << L(o, "work days", "werkdagen")
           << "</th><th class=\"n\">" << L(o, "findings", "bevindingen") << "</th><th>" << L(o, "highest severity", "hoogste ernst")
           << "</th><th>" << L(o, "rules", "regels") << "</th></tr>\n";
      for (const auto& r : e.value("rows", nlohmann::json::array())) {
        out_ << "<tr><td><code>" << H(Str(r, "id")) << "</code></td><td class=\"n\">" << r.value("work_days", int64_t{0})
             << "</td><td class=\"n\">" << r.value("findings", int64_t{0}) << "</td><td><span class=\"badge s-"
             << H(Str(r, "highest")) << "\">" << H(Str(r, "highest")) << "</span></td><td>" << H(Str(r, "rules")) << "</td></tr>\n";
      }
      out_ << "</table>\n";
      if (e.value("shown", int64_t{0}) < e.value("with_findings", int64_t{0})) {
        out_ << "<p>" << L(o, "Only the first ", "Alleen de eerste ") << e["shown"].get<int64_t>()
             << L(o, " are listed.", " staan hier.") << "</p>\n";
      }
    }
    if (head.contains("hours") && !head["hours"].empty()) {
      out_ << "<h2>" << L(o, "Hours per week", "Uren per week") << "</h2>\n<p>"
           << L(o, "Employees with working-time findings; one bar per ISO week; dashed lines at 48 and 60 hours.",
                "Werknemers met bevindingen over arbeidstijden; één balk per ISO-week; stippellijnen bij 48 en 60 uur.")
           << "</p>\n";
      for (const auto& h : head["hours"]) {
        out_ << "<h3><code>" << H(Str(h, "employee")) << "</code></h3>\n" << Chart(h, o) << "\n";
      }
    }
    out_ << "<h2>" << L(o, "Findings", "Bevindingen") << "</h2>\n";
  }

  void Add(const nlohmann::json& f) override {
    ++n_;
    if (o_.max_details != 0 && static_cast<size_t>(n_) > o_.max_details) return;
    const FormatOptions& o = o_;
    int64_t num = f.contains("id") ? f["id"].get<int64_t>() : n_;
    std::string kind = Str(f, "kind"), sev = Str(f, "severity");
    out_ << "<section class=\"finding k-" << H(kind) << "\" id=\"f" << num << "\">\n<h3>" << num << ". " << H(Str(f, "title"))
         << "</h3>\n<p><span class=\"badge s-" << H(sev) << "\">" << H(sev) << "</span> " << H(kind) << " · <code>"
         << H(Str(f, "rule")) << "</code> · <code>" << H(SubjectText(f["subject"])) << "</code></p>\n";
    if (!Str(f, "message").empty()) out_ << "<p>" << H(Str(f, "message")) << "</p>\n";
    out_ << "<ul>\n";
    for (const auto& c : f.value("citations", nlohmann::json::array())) {
      out_ << "<li>" << L(o, "Citation", "Grondslag") << ": <a href=\"" << H(Str(c, "url")) << "\">" << H(Str(c, "text"))
           << "</a></li>\n";
    }
    if (!Str(f, "remedy").empty()) out_ << "<li>" << L(o, "Remedy", "Te doen") << ": " << H(Str(f, "remedy")) << "</li>\n";
    for (const auto& q : f.value("questions", nlohmann::json::array())) {
      out_ << "<li>" << L(o, "Question", "Vraag") << ": " << H(q.get<std::string>()) << "</li>\n";
    }
    for (const auto& m : f.value("missing", nlohmann::json::array())) {
      out_ << "<li>" << L(o, "Missing fact", "Ontbrekend feit") << ": <code>" << H(m.get<std::string>()) << "</code></li>\n";
    }
    for (const auto& p : f.value("parameters", nlohmann::json::array())) {
      out_ << "<li>" << L(o, "Parameter", "Parameter") << ": <code>" << H(Str(p, "name")) << "</code> = " << H(Str(p, "value"))
           << " (" << L(o, "in force from ", "geldig vanaf ") << H(Str(p, "valid_from"))
           << (Str(p, "source").empty() ? "" : "; " + H(Str(p, "source"))) << ")</li>\n";
    }
    out_ << "</ul>\n";
    std::string tree;
    if (f.contains("explanation")) ExplainLinesJson(f["explanation"], 0, tree);
    for (const auto& x : f.value("exceptions", nlohmann::json::array())) {
      tree += std::string(L(o, "exception ", "uitzondering ")) + Str(x, "rule") + ": " + Str(x, "outcome") + "\n";
      if (x.contains("explanation")) ExplainLinesJson(x["explanation"], 1, tree);
    }
    out_ << "<details><summary>" << L(o, "Explanation", "Uitleg") << "</summary><pre>" << H(tree) << "</pre></details>\n</section>\n";
  }

  void End(const nlohmann::json& errors) override {
    const FormatOptions& o = o_;
    if (o_.max_details != 0 && static_cast<size_t>(n_) > o_.max_details) {
      out_ << "<p>" << (n_ - static_cast<int64_t>(o_.max_details))
           << L(o, " more findings are not shown here; use --format json or --max-findings 0.",
                " bevindingen meer staan hier niet; gebruik --format json of --max-findings 0.")
           << "</p>\n";
    }
    if (n_ == 0) out_ << "<p>" << L(o, "No findings.", "Geen bevindingen.") << "</p>\n";
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

  std::ostream& out_;
  FormatOptions o_;
  int64_t n_ = 0;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeHtmlWriter(std::ostream& out, const FormatOptions& o) {
  return std::make_unique<HtmlWriter>(out, o);
}

}  // namespace nw::cli
