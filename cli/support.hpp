// Small helpers the commands share: reading files, loading the rules with
// their diagnostics, parsing dates and severities, printing input errors.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "dsl/check.hpp"
#include "engine/facts.hpp"

namespace nw::cli {

/// Reads a whole (small) file; false when it cannot be read or is a folder.
bool ReadFile(const std::string& path, std::string& out);

/// Loads and checks the rules; prints diagnostics and returns nullopt on errors.
std::optional<dsl::LoadedRules> LoadRulesOrReport(const Common& common);

/// Parses --as-of (default today); prints the error and returns nullopt when it is not a date.
std::optional<Date> ParseAsOf(const std::string& text);

/// Parses --fail-on; prints the error and returns nullopt when unknown.
std::optional<dsl::SeverityLevel> ParseFailOn(const std::string& text);

/// Prints input errors as `document: where: error: message`.
void PrintFactErrors(const std::vector<engine::FactError>& errors, const char* level = "error");

}  // namespace nw::cli
