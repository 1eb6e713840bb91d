// The legal drafter's commands: `normwerk diff` (what an amendment changes for
// real cases) and `normwerk lint --analyze` (contradictions, dead rules,
// parameter gaps in a rule set).
#include "cli/drafting.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/diagnostics_output.hpp"
#include "dsl/check.hpp"
#include "engine/analyze.hpp"
#include "engine/diff.hpp"
#include "engine/program.hpp"

namespace nw::cli {
namespace fs = std::filesystem;

namespace {

bool ReadText(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// Case files under the paths: `.json` files, not the corpus's expected outputs.
std::vector<std::string> CaseFiles(const std::vector<std::string>& paths, std::vector<std::string>& missing) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (it->is_regular_file() && it->path().extension() == ".json" &&
            name.find(".expected.") == std::string::npos) {
          out.push_back(it->path().string());
        }
      }
    } else if (fs::is_regular_file(p, ec)) {
      out.push_back(p);
    } else {
      missing.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Side {
  dsl::LoadedRules loaded;
  std::unique_ptr<engine::Program> program;
};

std::string Html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Summary(const engine::Finding& f) {
  return std::string(dsl::FindingKindName(f.kind)) + " " + dsl::SeverityName(f.severity) + ": " + f.message_en;
}

}  // namespace

int RunDiff(const Common& common, const DiffOptions& options) {
  if (common.amendment_paths.empty()) {
    std::cerr << "normwerk: diff needs --amendment FILE\n";
    return kExitInput;
  }
  auto as_of = Date::Parse(options.as_of.empty() ? Today() : options.as_of);
  if (!as_of) {
    std::cerr << "normwerk: --as-of: `" << options.as_of << "` is not a date (YYYY-MM-DD)\n";
    return kExitInput;
  }
  std::optional<Date> effective;
  if (!options.effective.empty()) {
    effective = Date::Parse(options.effective);
    if (!effective) {
      std::cerr << "normwerk: --effective: `" << options.effective << "` is not a date (YYYY-MM-DD)\n";
      return kExitInput;
    }
  }
  // The current law over the amended fact model, and the amended law.
  DiagnosticSink sink;
  Side base, amended;
  dsl::CheckOptions base_options;
  base_options.amendment_schema_only = true;
  base.loaded = dsl::LoadRules(common.rule_paths, common.amendment_paths, sink, base_options);
  dsl::CheckOptions amended_options;
  amended_options.amendment_effective = effective;
  amended.loaded = dsl::LoadRules(common.rule_paths, common.amendment_paths, sink, amended_options);
  if (sink.HasErrors()) {
    std::cerr << RenderDiagnostics(sink.Sorted(), "text", common.color);
    return kExitInput;
  }
  base.program = std::make_unique<engine::Program>(engine::Program::Compile(*base.loaded.rules));
  amended.program = std::make_unique<engine::Program>(engine::Program::Compile(*amended.loaded.rules));

  std::vector<std::string> missing;
  std::vector<std::string> files = CaseFiles(options.paths, missing);
  for (const auto& m : missing) std::cerr << "normwerk: `" << m << "` does not exist\n";
  if (!missing.empty()) return kExitInput;

  engine::FactStore base_facts(*base.loaded.rules), amended_facts(*amended.loaded.rules);
  std::vector<engine::FactError> errors;
  for (const std::string& f : files) {
    std::string text;
    if (!ReadText(f, text)) {
      errors.push_back({f, "(file)", "cannot read the file"});
      continue;
    }
    engine::LoadJsonDocument(base_facts, f, text, errors);
    engine::LoadJsonDocument(amended_facts, f, text, errors);
  }
  if (!errors.empty()) {
    for (const auto& e : errors) std::cerr << e.document << ": " << e.where << ": error: " << e.message << "\n";
    return kExitInput;
  }
  base_facts.Seal();
  amended_facts.Seal();
  engine::EvalOptions eval;
  eval.as_of = *as_of;
  engine::Report before = base.program->Evaluate(base_facts, eval);
  engine::Report after = amended.program->Evaluate(amended_facts, eval);
  engine::DiffReport diff = engine::Diff(before, after);

  std::vector<std::string> amendments;
  for (const auto& a : amended.loaded.rules->amendments) {
    std::string title;
    for (const auto& t : a.title) {
      if (t.lang == common.lang) title = t.value;
    }
    amendments.push_back(a.id + " (Kamerstuk " + a.kamerstuk + ", " + a.version + ", effective " +
                         (effective ? effective->ToString() + " for this study" : a.effective.ToString()) + ")" +
                         (title.empty() ? "" : ": " + title));
  }

  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["as_of"] = as_of->ToString();
    j["amendments"] = amendments;
    j["documents"] = files.size();
    j["unchanged"] = diff.unchanged;
    j["changes"] = nlohmann::ordered_json::array();
    for (const auto& c : diff.changes) {
      nlohmann::ordered_json x;
      x["change"] = engine::ChangeKindName(c.kind);
      x["document"] = c.document;
      x["subject"] = c.subject;
      x["rule"] = c.rule;
      if (c.before) x["before"] = {{"kind", dsl::FindingKindName(c.before->kind)}, {"severity", dsl::SeverityName(c.before->severity)}, {"message", c.before->message_en}};
      if (c.after) x["after"] = {{"kind", dsl::FindingKindName(c.after->kind)}, {"severity", dsl::SeverityName(c.after->severity)}, {"message", c.after->message_en}};
      if (!c.what.empty()) x["what"] = c.what;
      j["changes"].push_back(x);
    }
    j["per_rule"] = nlohmann::ordered_json::object();
    for (const auto& [rule, t] : diff.per_rule) {
      j["per_rule"][rule] = {{"appears", t.appears}, {"disappears", t.disappears}, {"changes", t.changes}};
    }
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }

  if (options.format == "html") {
    // A self-contained page: no scripts, no external assets.
    std::string h = "<!DOCTYPE html>\n<html lang=\"" + common.lang + "\"><head><meta charset=\"utf-8\">"
                    "<title>Amendment impact</title><style>body{font-family:sans-serif;max-width:70em;margin:2em auto}"
                    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
                    ".appears{color:#a40000}.disappears{color:#2e6b00}.changes{color:#8a5a00}</style></head><body>\n";
    h += "<h1>Amendment impact</h1>\n<ul>";
    for (const auto& a : amendments) h += "<li>" + Html(a) + "</li>";
    h += "<li>as of " + as_of->ToString() + ", " + std::to_string(files.size()) + " documents, " +
         std::to_string(diff.changes.size()) + " findings change, " + std::to_string(diff.unchanged) + " stay the same</li></ul>\n";
    h += "<h2>Totals per rule</h2>\n<table><tr><th>rule</th><th>appears</th><th>disappears</th><th>changes</th></tr>\n";
    for (const auto& [rule, t] : diff.per_rule) {
      h += "<tr><td><code>" + Html(rule) + "</code></td><td>" + std::to_string(t.appears) + "</td><td>" +
           std::to_string(t.disappears) + "</td><td>" + std::to_string(t.changes) + "</td></tr>\n";
    }
    h += "</table>\n<h2>Changes per document</h2>\n<table><tr><th>document</th><th>subject</th><th>rule</th><th>change</th>"
         "<th>before</th><th>after</th></tr>\n";
    for (const auto& c : diff.changes) {
      std::string kind = engine::ChangeKindName(c.kind);
      std::string what;
      for (const auto& w : c.what) what += (what.empty() ? "" : "; ") + w;
      h += "<tr><td>" + Html(c.document) + "</td><td>" + Html(c.subject) + "</td><td><code>" + Html(c.rule) +
           "</code></td><td class=\"" + kind + "\">" + kind + (what.empty() ? "" : " (" + Html(what) + ")") + "</td><td>" +
           (c.before ? Html(Summary(*c.before)) : "") + "</td><td>" + (c.after ? Html(Summary(*c.after)) : "") + "</td></tr>\n";
    }
    h += "</table>\n</body></html>\n";
    std::cout << h;
    return kExitOk;
  }
  bool md = options.format == "markdown";
  std::string out;
  out += md ? "# Amendment impact\n\n" : "";
  for (const auto& a : amendments) out += (md ? "- amendment: " : "amendment: ") + a + "\n";
  auto plural = [](size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
  out += (md ? "- " : "") + std::string("as of ") + as_of->ToString() + ", " + plural(files.size(), "document", "documents") +
         ", " + plural(diff.changes.size(), "finding changes", "findings change") + ", " +
         plural(diff.unchanged, "stays the same", "stay the same") + "\n\n";
  std::string last;
  for (const auto& c : diff.changes) {
    if (c.document != last) {
      out += md ? "## " + c.document + "\n\n" : c.document + "\n";
      last = c.document;
    }
    std::string line = std::string(engine::ChangeKindName(c.kind)) + "  " + c.rule + "  on " +
                       (c.subject.empty() ? "(case)" : c.subject);
    out += md ? "- **" + line + "**\n" : "  " + line + "\n";
    if (c.before) out += std::string(md ? "  - before: " : "    before: ") + Summary(*c.before) + "\n";
    if (c.after) out += std::string(md ? "  - after: " : "    after:  ") + Summary(*c.after) + "\n";
    for (const auto& w : c.what) out += std::string(md ? "  - " : "    ") + w + "\n";
  }
  if (!diff.per_rule.empty()) {
    out += md ? "\n## Totals per rule\n\n| rule | appears | disappears | changes |\n|---|---|---|---|\n" : "\ntotals per rule\n";
    for (const auto& [rule, t] : diff.per_rule) {
      if (md) {
        out += "| " + rule + " | " + std::to_string(t.appears) + " | " + std::to_string(t.disappears) + " | " +
               std::to_string(t.changes) + " |\n";
      } else {
        out += "  " + rule + ": " + std::to_string(t.appears) + " appear, " + std::to_string(t.disappears) +
               " disappear, " + std::to_string(t.changes) + " change\n";
      }
    }
  }
  std::cout << out;
  return kExitOk;
}

int RunAnalyze(const Common& common, const AnalyzeOptions& options) {
  DiagnosticSink sink;
  std::vector<std::string> paths = options.paths.empty() ? common.rule_paths : options.paths;
  dsl::LoadedRules loaded = dsl::LoadRules(paths, common.amendment_paths, sink);
  std::cerr << RenderDiagnostics(sink.Sorted(), "text", common.color);
  if (sink.HasErrors()) return kExitInput;
  auto as_of = Date::Parse(options.as_of.empty() ? Today() : options.as_of);
  if (!as_of) {
    std::cerr << "normwerk: --as-of: `" << options.as_of << "` is not a date (YYYY-MM-DD)\n";
    return kExitInput;
  }
  engine::AnalysisOptions ao;
  ao.as_of = *as_of;
  ao.samples = options.samples;
  std::vector<engine::AnalysisFinding> findings = engine::Analyze(*loaded.rules, ao);
  // Findings the rule authors examined and accept, one key per line with the reason after `#`.
  std::map<std::string, std::string> accepted;
  if (!options.accepted.empty()) {
    std::ifstream in(options.accepted);
    if (!in) {
      std::cerr << "normwerk: cannot read `" << options.accepted << "`\n";
      return kExitInput;
    }
    for (std::string line; std::getline(in, line);) {
      auto hash = line.find('#');
      std::string key = line.substr(0, hash);
      while (!key.empty() && (key.back() == ' ' || key.back() == '\t' || key.back() == '\r')) key.pop_back();
      if (!key.empty()) accepted[key] = hash == std::string::npos ? "" : line.substr(hash + 1);
    }
  }
  size_t open = 0;
  std::set<std::string> used;
  for (const auto& f : findings) {
    bool ok = accepted.count(f.key) > 0;
    if (ok) used.insert(f.key);
    if (!ok) ++open;
    std::string where;
    if (f.source != nullptr) {
      LineCol lc = f.source->Position(f.range.begin);
      where = f.source->name() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": ";
    }
    std::cout << where << (ok ? "accepted " : "") << engine::AnalysisKindName(f.kind) << ": " << f.message << "\n";
    if (!f.witness.empty()) std::cout << "  witness: " << f.witness << "\n";
    if (ok && !accepted[f.key].empty()) std::cout << "  accepted because:" << accepted[f.key] << "\n";
  }
  for (const auto& [key, reason] : accepted) {
    if (!used.count(key)) std::cout << "note: accepted finding `" << key << "` no longer occurs; remove it from " << options.accepted << "\n";
  }
  std::cout << findings.size() << " analysis findings, " << (findings.size() - open) << " accepted, " << open << " open\n";
  return open == 0 ? kExitOk : kExitFindings;
}

}  // namespace nw::cli
