// The report model shared by every format: findings, rules and summaries as JSON.
#include "cli/report_output.hpp"

#include <algorithm>
#include <sstream>

namespace nw::cli {
namespace {

const std::string& Pick(const std::string& lang, const std::string& nl, const std::string& en) {
  return (lang == "nl" && !nl.empty()) || en.empty() ? nl : en;
}

nlohmann::json ExplainJson(const engine::ExplainNode& n) { return ExplanationJson(n); }
std::vector<std::string> Unique(const std::vector<std::string>& qs) { return UniqueStrings(qs); }

}  // namespace

nlohmann::json ExplanationJson(const engine::ExplainNode& n) {
  nlohmann::json j;
  j["expr"] = n.expr;
  j["value"] = n.value;
  if (!n.note.empty()) j["note"] = n.note;
  if (!n.children.empty()) {
    j["children"] = nlohmann::json::array();
    for (const auto& c : n.children) j["children"].push_back(ExplanationJson(c));
  }
  return j;
}

nlohmann::json ParametersJson(const std::vector<engine::ParamUse>& parameters) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : parameters) {
    nlohmann::json pj = {{"name", p.name}, {"value", p.value}, {"valid_from", p.from.ToString()}, {"source", p.source}};
    if (p.to) pj["valid_to"] = p.to->ToString();
    list.push_back(pj);
  }
  return list;
}

std::vector<std::string> UniqueStrings(const std::vector<std::string>& list) {
  std::vector<std::string> out;
  for (const auto& q : list) {
    if (std::find(out.begin(), out.end(), q) == out.end()) out.push_back(q);
  }
  return out;
}

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

nlohmann::json FindingJson(const engine::Finding& f, const std::string& lang) {
  nlohmann::json j;
  j["rule"] = f.rule;
  j["kind"] = dsl::FindingKindName(f.kind);
  j["severity"] = dsl::SeverityName(f.severity);
  j["subject"] = {{"document", f.document}, {"path", f.subject}};
  j["title"] = Pick(lang, f.title_nl, f.title_en);
  j["message"] = Pick(lang, f.message_nl, f.message_en);
  const std::string& remedy = Pick(lang, f.remedy_nl, f.remedy_en);
  if (!remedy.empty()) j["remedy"] = remedy;
  j["citation"] = f.citations.empty() ? nlohmann::json::object() : CitationJson(f.citations.front());
  j["citations"] = nlohmann::json::array();
  for (const auto& c : f.citations) j["citations"].push_back(CitationJson(c));
  j["parameters"] = ParametersJson(f.parameters);
  j["explanation"] = ExplainJson(f.explanation);
  if (f.kind == dsl::FindingKind::kUndetermined || f.kind == dsl::FindingKind::kReview) {
    j["missing"] = f.missing;
    j["questions"] = Unique(lang == "nl" ? f.questions_nl : f.questions_en);
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

nlohmann::json StoredFindingJson(const engine::Finding& f) {
  nlohmann::json j = FindingJson(f, "en");
  nlohmann::json nl = {{"title", Pick("nl", f.title_nl, f.title_en)}, {"message", Pick("nl", f.message_nl, f.message_en)}};
  const std::string& remedy = Pick("nl", f.remedy_nl, f.remedy_en);
  if (!remedy.empty()) nl["remedy"] = remedy;
  if (j.contains("questions")) nl["questions"] = Unique(f.questions_nl);
  j["nl"] = nl;
  return j;
}

void LocalizeFinding(nlohmann::json& j, const std::string& lang) {
  auto it = j.find("nl");
  if (it == j.end()) return;
  if (lang == "nl") {
    for (auto& [k, v] : it->items()) j[k] = v;
  }
  j.erase("nl");
}

std::string RuleTitle(const dsl::RuleInfo& rule, const std::string& lang) {
  std::string other;
  for (const auto& t : rule.title) {
    if (t.lang == lang) return t.value;
    if (other.empty()) other = t.value;
  }
  return other;
}

nlohmann::json RuleJson(const dsl::CheckedRuleSet& rules, const dsl::RuleInfo& rule, const std::string& lang) {
  nlohmann::json j;
  j["id"] = rule.id;
  j["title"] = RuleTitle(rule, lang);
  j["kind"] = rule.produces_finding ? dsl::FindingKindName(rule.kind) : "exception";
  j["severity"] = rule.produces_finding ? nlohmann::json(dsl::SeverityName(rule.severity)) : nlohmann::json(nullptr);
  std::vector<engine::CitationRef> cites = engine::Citations(rules, rule.cites);
  j["citation"] = cites.empty() ? nlohmann::json::object() : CitationJson(cites.front());
  j["citations"] = nlohmann::json::array();
  for (const auto& c : cites) j["citations"].push_back(CitationJson(c));
  j["valid_from"] = rule.valid_from.ToString();
  j["valid_to"] = rule.valid_to ? nlohmann::json(rule.valid_to->ToString()) : nlohmann::json(nullptr);
  if (!rule.exception_to_id.empty()) j["exception_to"] = rule.exception_to_id;
  if (!rule.amended_by.empty()) j["amended_by"] = rule.amended_by;
  if (rule.source != nullptr) {
    j["source"] = {{"file", rule.source->name()}, {"line", rule.source->Position(rule.range.begin).line}};
  }
  return j;
}

void SummaryCounts::Add(const nlohmann::json& f) {
  ++findings;
  std::string kind = f.value("kind", ""), severity = f.value("severity", ""), rule = f.value("rule", "");
  by_kind[kind]++;
  by_severity[severity]++;
  RuleCount& rc = by_rule[rule + "\x1f" + kind];
  if (rc.count == 0) {
    rc.rule = rule;
    rc.title = f.value("title", "");
    rc.kind = kind;
    rc.severity = severity;
    rc.citation = f.value("citation", nlohmann::json::object());
  }
  rc.count++;
}

nlohmann::json SummaryCounts::Json() const {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& [k, rc] : by_rule) {
    nlohmann::json r = {{"rule", rc.rule}, {"title", rc.title}, {"kind", rc.kind}, {"severity", rc.severity},
                        {"citation", rc.citation}, {"count", rc.count}};
    if (rc.subjects > rc.count) {
      r["subjects"] = rc.subjects;
      r["unit"] = rc.unit.empty() ? "subjects" : rc.unit;
    }
    if (rc.employees > 0) r["employees"] = rc.employees;
    if (rc.first > 0) r["first"] = rc.first;
    rules.push_back(r);
  }
  return {{"findings", findings}, {"by_kind", by_kind}, {"by_severity", by_severity}, {"by_rule", rules}, {"errors", errors}};
}

std::vector<const engine::Finding*> DisplayOrder(const engine::Report& r) {
  std::vector<const engine::Finding*> fs;
  for (const auto& f : r.findings) fs.push_back(&f);
  std::stable_sort(fs.begin(), fs.end(), [](const engine::Finding* a, const engine::Finding* b) {
    if (a->document != b->document) return a->document < b->document;
    if (a->entity != b->entity || a->row != b->row || a->subject != b->subject) {
      return std::tie(a->entity, a->row, a->subject) < std::tie(b->entity, b->row, b->subject);
    }
    return a->severity > b->severity;
  });
  return fs;
}

void WriteReport(const engine::Report& r, const dsl::CheckedRuleSet& rules, const std::string& format,
                 const RenderReportOptions& options, const std::map<std::string, std::string>& documents, std::ostream& out) {
  std::map<std::string, std::unordered_map<std::string, uint32_t>> lines;
  for (const auto& [name, text] : documents) lines[name] = JsonPathLines(text);
  std::vector<nlohmann::json> findings;
  SummaryCounts counts;
  counts.errors = static_cast<int64_t>(r.errors.size());
  std::map<std::string, nlohmann::json> used_rules;
  for (const engine::Finding* f : DisplayOrder(r)) {
    nlohmann::json j = FindingJson(*f, options.lang);
    auto doc = lines.find(f->document);
    if (doc != lines.end()) {
      // The line of the subject, or of the nearest enclosing path that has one.
      std::string path = f->subject.substr(0, f->subject.find(' '));
      while (!path.empty()) {
        auto it = doc->second.find(path);
        if (it != doc->second.end()) {
          j["subject"]["line"] = it->second;
          break;
        }
        size_t cut = path.find_last_of(".[");
        path = cut == std::string::npos ? "" : path.substr(0, cut);
      }
    }
    counts.Add(j);
    if (!used_rules.count(f->rule)) used_rules[f->rule] = RuleJson(rules, rules.rules[f->rule_index], options.lang);
    findings.push_back(std::move(j));
  }
  nlohmann::json head;
  head["as_of"] = r.as_of.ToString();
  head["rule_set"] = {{"name", options.rule_set_name}, {"hash", r.rule_set_hash}};
  head["summary"] = counts.Json();
  head["documents"] = nlohmann::json::array();
  for (const auto& [name, text] : documents) head["documents"].push_back(name);
  head["rules"] = nlohmann::json::array();
  for (auto& [id, rj] : used_rules) head["rules"].push_back(rj);
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : r.errors) {
    errors.push_back({{"rule", e.rule}, {"subject", {{"document", e.document}, {"path", e.subject}}}, {"message", e.message}});
  }
  FormatOptions fo;
  fo.lang = options.lang;
  fo.explain = options.explain;
  fo.color = options.color;
  fo.max_details = options.max_details;
  auto writer = MakeReportWriter(format, out, fo);
  writer->Begin(head);
  for (const auto& f : findings) writer->Add(f);
  writer->End(errors);
}

nlohmann::json ReportJson(const engine::Report& r, const RenderReportOptions& options) {
  SummaryCounts counts;
  counts.errors = static_cast<int64_t>(r.errors.size());
  nlohmann::json j;
  j["as_of"] = r.as_of.ToString();
  j["rule_set"] = {{"name", options.rule_set_name}, {"hash", r.rule_set_hash}};
  j["findings"] = nlohmann::json::array();
  for (const engine::Finding* f : DisplayOrder(r)) {
    nlohmann::json fj = FindingJson(*f, options.lang);
    counts.Add(fj);
    j["findings"].push_back(std::move(fj));
  }
  j["summary"] = counts.Json();
  j["errors"] = nlohmann::json::array();
  for (const auto& e : r.errors) {
    j["errors"].push_back({{"rule", e.rule}, {"subject", {{"document", e.document}, {"path", e.subject}}}, {"message", e.message}});
  }
  return j;
}

std::string ReportText(const engine::Report& r, const RenderReportOptions& options) {
  nlohmann::json j = ReportJson(r, options);
  std::ostringstream out;
  FormatOptions fo;
  fo.lang = options.lang;
  fo.explain = options.explain;
  fo.color = options.color;
  auto writer = MakeReportWriter("text", out, fo);
  writer->Begin(j);
  for (const auto& f : j["findings"]) writer->Add(f);
  writer->End(j["errors"]);
  return out.str();
}

}  // namespace nw::cli
