// The legal drafter's commands: amendment impact and rule-set analysis.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace nw::cli {

struct DiffOptions {
  std::vector<std::string> paths;  // case files or folders (corpus/)
  std::string as_of;
  std::string effective;           // as if the amendment took effect on this date
  std::string format = "text";     // text, json, markdown
};
/// `normwerk diff --amendment FILE [--as-of DATE] [--effective DATE] PATH...`
int RunDiff(const Common& common, const DiffOptions& options);

struct AnalyzeOptions {
  std::vector<std::string> paths;
  std::string as_of;
  std::string accepted;  // file of accepted finding keys
  uint32_t samples = 4096;
};
/// `normwerk lint --analyze`: exit 0 when every finding is accepted, 1 otherwise.
int RunAnalyze(const Common& common, const AnalyzeOptions& options);

}  // namespace nw::cli
