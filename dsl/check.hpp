// Checks parsed `.norm` files into a CheckedRuleSet: names, types and units,
// dates and validity, exceptions and strata. Every pass reports all it finds.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dsl/checked.hpp"
#include "dsl/support/diagnostic.hpp"
#include "dsl/syntax.hpp"

namespace nw::dsl {

/// Options for the checker.
struct CheckOptions {
  bool require_citations = true;  // every rule and parameter cites an article
  bool amendment_schema_only = false;  // take amendments' declarations only (the base side of `normwerk diff`)
  std::optional<Date> amendment_effective;  // as if the amendments took effect on this date (impact studies)
};

/// Checks rule files together, with amendment files laid over them (an
/// amendment replaces, adds or repeals rules and sets parameter values from
/// its effective date). Returns nullopt when any error was reported.
std::optional<CheckedRuleSet> Check(const std::vector<const SyntaxTree*>& files,
                                    const std::vector<const SyntaxTree*>& amendments, DiagnosticSink& sink,
                                    const CheckOptions& options = {});

/// Files read from disk, their syntax trees and the checked rule set. Sources
/// and trees stay alive as long as diagnostics or findings point into them.
struct LoadedRules {
  std::vector<std::unique_ptr<Source>> sources;
  std::vector<std::unique_ptr<SyntaxTree>> trees;
  std::vector<std::unique_ptr<Source>> amendment_sources;
  std::vector<std::unique_ptr<SyntaxTree>> amendment_trees;
  std::optional<CheckedRuleSet> rules;
};

/// Reads every `.norm` file under the paths (files or folders, recursively,
/// in sorted order), parses and checks them. I/O errors become diagnostics.
LoadedRules LoadRules(const std::vector<std::string>& paths, const std::vector<std::string>& amendment_paths,
                      DiagnosticSink& sink, const CheckOptions& options = {});

/// Every `.norm` file under the paths, sorted; missing paths are reported.
std::vector<std::string> ListNormFiles(const std::vector<std::string>& paths, DiagnosticSink& sink);

}  // namespace nw::dsl
