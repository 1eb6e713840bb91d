// `normwerk rules`: every rule version with its citation and validity, as
// text, JSON (docs/schema/rules.schema.json) or Markdown.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/formats/internal/util.hpp"
#include "cli/report_output.hpp"
#include "cli/support.hpp"

namespace nw::cli {

int RunRules(const Common& common, const RulesOptions& options) {
  auto loaded = LoadRulesOrReport(common);
  if (!loaded) return kExitInput;
  std::optional<Date> on;
  if (!options.as_of.empty()) {
    on = ParseAsOf(options.as_of);
    if (!on) return kExitInput;
  }
  const dsl::CheckedRuleSet& rules = *loaded->rules;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : rules.rules) {
    if (on && (*on < r.valid_from || (r.valid_to && *r.valid_to < *on))) continue;
    list.push_back(RuleJson(rules, r, common.lang));
  }
  bool nl = common.lang == "nl";
  if (options.format == "json") {
    std::cout << list.dump(2) << "\n";
  } else if (options.format == "markdown") {
    std::cout << "| " << (nl ? "regel" : "rule") << " | " << (nl ? "titel" : "title") << " | " << (nl ? "soort" : "kind")
              << " | " << (nl ? "ernst" : "severity") << " | " << (nl ? "grondslag" : "citation") << " | "
              << (nl ? "geldig" : "valid") << " |\n|---|---|---|---|---|---|\n";
    for (const auto& r : list) {
      std::string cite = Str(r["citation"], "text");
      std::string url = Str(r["citation"], "url");
      std::string title = Str(r, "title");
      for (char& c : title) {
        if (c == '|') c = '/';
      }
      std::cout << "| `" << Str(r, "id") << "` | " << title << " | " << Str(r, "kind") << " | "
                << (r["severity"].is_string() ? Str(r, "severity") : "") << " | "
                << (url.empty() ? cite : "[" + cite + "](" + url + ")") << " | " << Str(r, "valid_from") << " – "
                << (r["valid_to"].is_string() ? Str(r, "valid_to") : "") << " |\n";
    }
  } else {
    for (const auto& r : list) {
      std::cout << Str(r, "id") << "  " << Str(r, "kind");
      if (r["severity"].is_string()) std::cout << " " << Str(r, "severity");
      if (r["valid_to"].is_string()) {
        std::cout << "  " << (nl ? "geldig " : "valid ") << Str(r, "valid_from") << " – " << Str(r, "valid_to") << "\n";
      } else {
        std::cout << "  " << (nl ? "geldig vanaf " : "valid from ") << Str(r, "valid_from") << "\n";
      }
      if (!Str(r, "title").empty()) std::cout << "    " << Str(r, "title") << "\n";
      for (const auto& c : r["citations"]) std::cout << "    " << Str(c, "text") << "  " << Str(c, "url") << "\n";
      if (r.contains("exception_to")) std::cout << "    " << (nl ? "uitzondering op " : "exception to ") << Str(r, "exception_to") << "\n";
      if (r.contains("source")) {
        std::cout << "    " << Str(r["source"], "file") << ":" << r["source"].value("line", 0) << "\n";
      }
    }
    std::cout << list.size() << (nl ? " regels" : (list.size() == 1 ? " rule" : " rules")) << "\n";
  }
  return kExitOk;
}

}  // namespace nw::cli
