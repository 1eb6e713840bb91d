// `normwerk check` (evaluate case files, policies or CAOs) and `normwerk test`
// (run the scenarios written next to the rules).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/diagnostics_output.hpp"
#include "cli/report_output.hpp"
#include "cli/support.hpp"
#include "dsl/check.hpp"
#include "engine/program.hpp"

namespace nw::cli {

std::string Today() {
  auto now = std::chrono::system_clock::now();
  auto days = std::chrono::floor<std::chrono::days>(now);
  return Date::FromDaysSinceEpoch(days.time_since_epoch().count())->ToString();
}

int RunCheck(const Common& common, const CheckCommandOptions& options) {
  auto loaded = LoadRulesOrReport(common);
  if (!loaded) return kExitInput;
  auto as_of = ParseAsOf(options.as_of);
  if (!as_of) return kExitInput;
  auto fail_on = ParseFailOn(options.fail_on);
  if (!fail_on) return kExitInput;
  const dsl::CheckedRuleSet& rules = *loaded->rules;
  engine::FactStore facts(rules);
  std::vector<engine::FactError> errors;
  std::map<std::string, std::string> texts;
  for (const std::string& f : options.files) {
    std::string text;
    if (!ReadFile(f, text)) {
      errors.push_back({f, "(file)", "cannot read the file"});
      continue;
    }
    if (engine::LoadJsonDocument(facts, f, text, errors)) texts[f] = std::move(text);
  }
  if (!errors.empty()) {
    PrintFactErrors(errors);
    return kExitInput;
  }
  facts.Seal();
  engine::Program program = engine::Program::Compile(rules);
  engine::EvalOptions eval;
  eval.as_of = *as_of;
  engine::Report report = program.Evaluate(facts, eval);
  RenderReportOptions ro;
  ro.lang = common.lang;
  ro.explain = options.explain;
  ro.color = common.color && isatty(STDOUT_FILENO);
  WriteReport(report, rules, options.format, ro, texts, std::cout);
  std::cout.flush();
  for (const auto& f : report.findings) {
    if (f.kind != dsl::FindingKind::kInfo && f.severity >= *fail_on) return kExitFindings;
  }
  return report.errors.empty() ? kExitOk : kExitFindings;
}

int RunTest(const Common& common, const TestOptions& options) {
  DiagnosticSink sink;
  std::vector<std::string> paths = options.paths.empty() ? common.rule_paths : options.paths;
  // Scenarios next to the rules run against the whole rule set they belong to.
  std::vector<std::string> all = common.rule_paths;
  for (const auto& p : options.paths) {
    if (std::find(all.begin(), all.end(), p) == all.end()) all.push_back(p);
  }
  dsl::LoadedRules loaded = dsl::LoadRules(all, common.amendment_paths, sink);
  if (sink.HasErrors()) {
    std::cerr << RenderDiagnostics(sink.Sorted(), "text", common.color);
    return kExitInput;
  }
  std::set<std::string> selected;
  {
    DiagnosticSink s2;
    for (const auto& f : dsl::ListNormFiles(paths, s2)) selected.insert(f);
  }
  const dsl::CheckedRuleSet& rules = *loaded.rules;
  engine::Program program = engine::Program::Compile(rules);
  size_t passed = 0, failed = 0;
  std::map<std::string, std::pair<bool, bool>> fired;  // rule -> (seen firing, seen expected absent)
  for (const dsl::ScenarioInfo& sc : rules.scenarios) {
    if (!selected.count(sc.source->name())) continue;
    LineCol lc = sc.source->Position(sc.range.begin);
    std::string where = sc.source->name() + ":" + std::to_string(lc.line);
    std::string json = sc.facts_json;
    if (!sc.facts_file.empty() && !ReadFile(sc.facts_file, json)) {
      std::cout << "FAIL " << where << " " << sc.title << ": cannot read " << sc.facts_file << "\n";
      ++failed;
      continue;
    }
    engine::FactStore facts(rules);
    std::vector<engine::FactError> errors;
    if (!engine::LoadJsonDocument(facts, "scenario", json, errors)) {
      std::cout << "FAIL " << where << " " << sc.title << ": the facts do not fit the schema:\n";
      for (const auto& e : errors) std::cout << "       " << e.where << ": " << e.message << "\n";
      ++failed;
      continue;
    }
    facts.Seal();
    engine::EvalOptions eval;
    eval.as_of = sc.as_of;
    engine::Report report = program.Evaluate(facts, eval);
    std::vector<std::string> problems;
    auto subject_matches = [](const std::string& want, const std::string& got) {
      return want.empty() || got == want || got.rfind(want + " (", 0) == 0;
    };
    for (const dsl::ExpectationInfo& x : sc.expectations) {
      bool found = false;
      std::string seen;
      for (const auto& f : report.findings) {
        if (f.rule != x.rule || !subject_matches(x.subject, f.subject)) continue;
        if (x.absent) {
          found = true;
          seen = std::string(dsl::FindingKindName(f.kind)) + " on " + f.subject;
          break;
        }
        if (x.kind && f.kind != *x.kind) {
          seen = std::string(dsl::FindingKindName(f.kind)) + " on " + f.subject;
          continue;
        }
        bool all_missing = true;
        for (const auto& m : x.missing) {
          if (std::find(f.missing.begin(), f.missing.end(), m) == f.missing.end()) {
            all_missing = false;
            seen = "missing facts were:";
            for (const auto& g : f.missing) seen += " " + g;
          }
        }
        if (all_missing) found = true;
      }
      if (x.absent) {
        fired[x.rule].second = true;
        if (found) problems.push_back("expected no " + x.rule + (x.subject.empty() ? "" : " on " + x.subject) + ", got " + seen);
      } else {
        if (x.kind == dsl::FindingKind::kViolation || x.kind == dsl::FindingKind::kConflict || x.kind == dsl::FindingKind::kGap ||
            x.kind == dsl::FindingKind::kRisk || x.kind == dsl::FindingKind::kInfo || x.kind == dsl::FindingKind::kReview) {
          fired[x.rule].first = true;
        }
        if (!found) {
          problems.push_back("expected " + std::string(dsl::FindingKindName(*x.kind)) + " " + x.rule +
                             (x.subject.empty() ? "" : " on " + x.subject) + (seen.empty() ? ", got nothing" : ", got " + seen));
        }
      }
    }
    for (const auto& e : report.errors) problems.push_back("evaluation error in " + e.rule + ": " + e.message);
    if (problems.empty()) {
      ++passed;
      if (options.verbose) std::cout << "ok   " << where << " " << sc.title << "\n";
    } else {
      ++failed;
      std::cout << "FAIL " << where << " " << sc.title << "\n";
      for (const auto& p : problems) std::cout << "       " << p << "\n";
      RenderReportOptions ro;
      ro.lang = "en";
      std::string text = ReportText(report, ro);
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);) std::cout << "       | " << line << "\n";
    }
  }
  if (options.coverage) {
    std::set<std::string> ids;
    for (const auto& r : rules.rules) {
      if (r.produces_finding && selected.count(r.source->name())) ids.insert(r.id);
    }
    size_t full = 0;
    for (const auto& id : ids) {
      auto it = fired.find(id);
      bool fires = it != fired.end() && it->second.first;
      bool quiet = it != fired.end() && it->second.second;
      if (fires && quiet) {
        ++full;
        continue;
      }
      std::cout << "uncovered " << id << ":" << (fires ? "" : " no scenario where it fires;")
                << (quiet ? "" : " no scenario where it does not fire") << "\n";
    }
    std::cout << "coverage: " << full << " of " << ids.size() << " rules have a scenario where they fire and one where they do not\n";
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitOk : kExitFindings;
}

}  // namespace nw::cli
