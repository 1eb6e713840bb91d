// Helpers shared by the commands.
#include "cli/support.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/diagnostics_output.hpp"

namespace nw::cli {

bool ReadFile(const std::string& path, std::string& out) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::optional<dsl::LoadedRules> LoadRulesOrReport(const Common& common) {
  DiagnosticSink sink;
  dsl::LoadedRules loaded = dsl::LoadRules(common.rule_paths, common.amendment_paths, sink);
  if (sink.HasErrors() || !loaded.rules) {
    std::cerr << RenderDiagnostics(sink.Sorted(), "text", common.color);
    return std::nullopt;
  }
  return loaded;
}

std::optional<Date> ParseAsOf(const std::string& text) {
  auto d = Date::Parse(text.empty() ? Today() : text);
  if (!d) std::cerr << "normwerk: --as-of: `" << text << "` is not a date (YYYY-MM-DD)\n";
  return d;
}

std::optional<dsl::SeverityLevel> ParseFailOn(const std::string& text) {
  auto s = dsl::ParseSeverity(text);
  if (!s) std::cerr << "normwerk: --fail-on: `" << text << "` is not a severity (info, low, medium, high, critical)\n";
  return s;
}

void PrintFactErrors(const std::vector<engine::FactError>& errors, const char* level) {
  for (const auto& e : errors) std::cerr << e.document << ": " << e.where << ": " << level << ": " << e.message << "\n";
}

}  // namespace nw::cli
