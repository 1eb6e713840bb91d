// The normwerk subcommands. Each returns the process exit code:
// 0 nothing at or above --fail-on, 1 findings at or above it,
// 2 usage or input error, 3 internal error (see docs/cli.md).
#pragma once

#include <string>
#include <vector>

namespace nw::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitInput = 2;
inline constexpr int kExitInternal = 3;

/// Settings every command shares.
struct Common {
  bool color = false;           // decided once in main from the terminal and NO_COLOR
  std::string lang = "en";      // nl or en
  std::vector<std::string> rule_paths;       // where the rules are (default: the shipped rules/)
  std::vector<std::string> amendment_paths;  // overlays
};

struct LintOptions {
  std::vector<std::string> paths;
  std::string format = "text";
};
int RunLint(const Common& common, const LintOptions& options);

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;
};
int RunFmt(const Common& common, const FmtOptions& options);

struct CheckCommandOptions {
  std::vector<std::string> files;
  std::string as_of;            // YYYY-MM-DD; default today
  std::string format = "text";  // text, json, sarif, markdown, html
  bool explain = false;
  std::string fail_on = "low";  // lowest severity that makes the exit code 1
};
int RunCheck(const Common& common, const CheckCommandOptions& options);

struct TestOptions {
  std::vector<std::string> paths;  // rule files or folders whose scenarios run (default: the rules)
  bool coverage = false;
  bool verbose = false;
};
int RunTest(const Common& common, const TestOptions& options);

/// Today's date from the system clock; only the command line reads a clock.
std::string Today();

}  // namespace nw::cli
