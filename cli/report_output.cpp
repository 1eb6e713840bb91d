// Text and JSON renderings of a report.
#include "cli/report_output.hpp"

#include <algorithm>
#include <map>

namespace nw::cli {
namespace {

nlohmann::json CitationJson(const engine::CitationRef& c) {
  nlohmann::json j;
  j["law"] = c.law;
  j["article"] = c.article;
  if (!c.lid.empty()) j["lid"] = c.lid;
  if (!c.sub.empty()) j["sub"] = c.sub;
  if (!c.bwb.empty()) j["bwb"] = c.bwb;
  if (!c.celex.empty()) j["celex"] = c.celex;
  j["url"] = c.url;
  j["text"] = c.text;
  return j;
}

nlohmann::json ExplainJson(const engine::ExplainNode& n) {
  nlohmann::json j;
  j["expr"] = n.expr;
  j["value"] = n.value;
  if (!n.note.empty()) j["note"] = n.note;
  if (!n.children.empty()) {
    j["children"] = nlohmann::json::array();
    for (const auto& c : n.children) j["children"].push_back(ExplainJson(c));
  }
  return j;
}

const char* Pick(const std::string& lang, const std::string& nl, const std::string& en) {
  return (lang == "nl" && !nl.empty()) || en.empty() ? nl.c_str() : en.c_str();
}

}  // namespace

nlohmann::json FindingJson(const engine::Finding& f, const std::string& lang) {
  nlohmann::json j;
  j["rule"] = f.rule;
  j["kind"] = dsl::FindingKindName(f.kind);
  j["severity"] = dsl::SeverityName(f.severity);
  j["subject"] = {{"document", f.document}, {"path", f.subject}};
  j["title"] = Pick(lang, f.title_nl, f.title_en);
  j["message"] = Pick(lang, f.message_nl, f.message_en);
  std::string remedy = Pick(lang, f.remedy_nl, f.remedy_en);
  if (!remedy.empty()) j["remedy"] = remedy;
  j["citation"] = f.citations.empty() ? nlohmann::json::object() : CitationJson(f.citations.front());
  j["citations"] = nlohmann::json::array();
  for (const auto& c : f.citations) j["citations"].push_back(CitationJson(c));
  j["parameters"] = nlohmann::json::array();
  for (const auto& p : f.parameters) {
    nlohmann::json pj = {{"name", p.name}, {"value", p.value}, {"valid_from", p.from.ToString()}, {"source", p.source}};
    if (p.to) pj["valid_to"] = p.to->ToString();
    j["parameters"].push_back(pj);
  }
  j["explanation"] = ExplainJson(f.explanation);
  if (f.kind == dsl::FindingKind::kUndetermined || f.kind == dsl::FindingKind::kReview) {
    j["missing"] = f.missing;
    j["questions"] = lang == "nl" ? f.questions_nl : f.questions_en;
  }
  if (!f.weigh.empty()) j["weigh"] = f.weigh;
  if (!f.assertions.empty()) j["assertions"] = f.assertions;
  if (!f.exceptions.empty()) {
    j["exceptions"] = nlohmann::json::array();
    for (const auto& x : f.exceptions) {
      nlohmann::json xj = {{"rule", x.rule}, {"outcome", x.outcome}, {"explanation", ExplainJson(x.explanation)}};
      xj["citations"] = nlohmann::json::array();
      for (const auto& c : x.citations) xj["citations"].push_back(CitationJson(c));
      j["exceptions"].push_back(xj);
    }
  }
  if (!f.decided_by.empty()) j["decided_by"] = f.decided_by;
  if (!f.amended_by.empty()) j["amended_by"] = f.amended_by;
  return j;
}

nlohmann::json ReportJson(const engine::Report& r, const RenderReportOptions& options) {
  nlohmann::json j;
  j["as_of"] = r.as_of.ToString();
  j["rule_set"] = {{"name", options.rule_set_name}, {"hash", r.rule_set_hash}};
  std::map<std::string, int> by_kind, by_severity;
  for (const auto& f : r.findings) {
    by_kind[dsl::FindingKindName(f.kind)]++;
    by_severity[dsl::SeverityName(f.severity)]++;
  }
  j["summary"] = {{"findings", r.findings.size()}, {"by_kind", by_kind}, {"by_severity", by_severity},
                  {"errors", r.errors.size()}};
  j["findings"] = nlohmann::json::array();
  for (const auto& f : r.findings) j["findings"].push_back(FindingJson(f, options.lang));
  j["errors"] = nlohmann::json::array();
  for (const auto& e : r.errors) {
    j["errors"].push_back({{"rule", e.rule}, {"subject", {{"document", e.document}, {"path", e.subject}}}, {"message", e.message}});
  }
  return j;
}

void ExplainLines(const engine::ExplainNode& n, int depth, std::string& out) {
  out += std::string(static_cast<size_t>(depth) * 2, ' ') + n.expr;
  if (!n.value.empty()) out += "  → " + n.value;
  if (!n.note.empty()) out += "  (" + n.note + ")";
  out += "\n";
  for (const auto& c : n.children) ExplainLines(c, depth + 1, out);
}

std::string ReportText(const engine::Report& r, const RenderReportOptions& options) {
  bool nl = options.lang == "nl";
  auto bold = [&](const std::string& s) { return options.color ? "\033[1m" + s + "\033[0m" : s; };
  auto colored = [&](const std::string& s, dsl::FindingKind k) {
    if (!options.color) return s;
    const char* c = k == dsl::FindingKind::kViolation || k == dsl::FindingKind::kConflict ? "\033[1;31m"
                     : k == dsl::FindingKind::kUndetermined || k == dsl::FindingKind::kReview ? "\033[1;33m"
                                                                                               : "\033[1;36m";
    return c + s + "\033[0m";
  };
  // Group by subject; within a subject the most severe first.
  std::vector<const engine::Finding*> fs;
  for (const auto& f : r.findings) fs.push_back(&f);
  std::stable_sort(fs.begin(), fs.end(), [](const engine::Finding* a, const engine::Finding* b) {
    if (a->document != b->document) return a->document < b->document;
    if (a->entity != b->entity || a->row != b->row || a->subject != b->subject) {
      return std::tie(a->entity, a->row, a->subject) < std::tie(b->entity, b->row, b->subject);
    }
    return a->severity > b->severity;
  });
  std::string out;
  std::string last;
  for (const engine::Finding* f : fs) {
    std::string key = f->document + ": " + (f->subject.empty() ? "(case)" : f->subject);
    if (key != last) {
      if (!last.empty()) out += "\n";
      out += bold(key) + "\n";
      last = key;
    }
    out += "  " + colored(std::string(dsl::FindingKindName(f->kind)), f->kind) + " " + dsl::SeverityName(f->severity) +
           "  " + f->rule + "  " + Pick(options.lang, f->title_nl, f->title_en) + "\n";
    std::string msg = Pick(options.lang, f->message_nl, f->message_en);
    if (!msg.empty()) out += "    " + msg + "\n";
    for (const auto& c : f->citations) out += "    " + c.text + "  " + c.url + "\n";
    std::string remedy = Pick(options.lang, f->remedy_nl, f->remedy_en);
    if (!remedy.empty()) out += std::string("    ") + (nl ? "te doen: " : "remedy: ") + remedy + "\n";
    const auto& questions = nl ? f->questions_nl : f->questions_en;
    for (const auto& q : questions) out += std::string("    ") + (nl ? "vraag: " : "question: ") + q + "\n";
    for (const auto& a : f->assertions) out += std::string("    ") + (nl ? "berust op: " : "rests on: ") + a + "\n";
    if (!f->decided_by.empty()) out += std::string("    ") + (nl ? "beslist door: " : "decided by: ") + f->decided_by + "\n";
    if (options.explain) {
      out += std::string("    ") + (nl ? "waarom:" : "why:") + "\n";
      std::string lines;
      ExplainLines(f->explanation, 3, lines);
      out += lines;
      for (const auto& p : f->parameters) {
        out += "      " + p.name + " = " + p.value + " (" + (nl ? "geldig vanaf " : "in force from ") + p.from.ToString() +
               (p.source.empty() ? "" : "; " + p.source) + ")\n";
      }
      for (const auto& x : f->exceptions) {
        out += std::string("      ") + (nl ? "uitzondering " : "exception ") + x.rule + ": " + x.outcome + "\n";
        std::string xl;
        ExplainLines(x.explanation, 4, xl);
        out += xl;
      }
    }
  }
  for (const auto& e : r.errors) {
    out += (nl ? "fout: " : "error: ") + e.document + ": " + e.subject + ": " + e.rule + ": " + e.message + "\n";
  }
  std::map<std::string, int> by_kind;
  for (const auto& f : r.findings) by_kind[dsl::FindingKindName(f.kind)]++;
  if (!out.empty()) out += "\n";
  if (r.findings.empty()) {
    out += nl ? "geen bevindingen" : "no findings";
  } else {
    out += std::to_string(r.findings.size()) + (nl ? " bevinding" : " finding") + (r.findings.size() == 1 ? "" : (nl ? "en" : "s")) + ":";
    bool first = true;
    for (const auto& [k, n] : by_kind) {
      out += std::string(first ? " " : ", ") + std::to_string(n) + " " + k;
      first = false;
    }
  }
  out += std::string(nl ? " (peildatum " : " (as of ") + r.as_of.ToString() + ")\n";
  return out;
}

}  // namespace nw::cli
