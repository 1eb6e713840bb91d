// The normwerk subcommands. Each returns the process exit code:
// 0 nothing at or above --fail-on, 1 findings at or above it,
// 2 usage or input error, 3 internal error (see docs/cli.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/logger.h>

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
  bool progress = false;        // stderr is a terminal: draw progress bars
  std::string command_line;     // the command as typed, for run records
  std::shared_ptr<spdlog::logger> log;  // operator log (never findings or diagnostics)
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

struct AuditOptions {
  std::string worklog;          // CSV work log
  std::string employer;         // employer JSON (a case document without days)
  std::string as_of;            // YYYY-MM-DD; default today
  std::string db = "audit.db";  // the audit database
  std::string fail_on = "low";
  bool skip_bad_rows = false;   // count bad rows and go on
  bool restart = false;         // abandon an unfinished run instead of resuming it
  bool quiet = false;           // no progress bar
  bool import_only = false;     // stop after the import
  uint32_t batch = 0;           // employees evaluated together (0: about 25,000 work days per batch)
  uint32_t import_batch = 100'000;  // work-log rows per import transaction
};
int RunAudit(const Common& common, const AuditOptions& options);

struct ReportOptions {
  std::string db;
  int64_t run = 0;              // 0: the newest run
  std::string format = "text";  // text, json, sarif, markdown, html
  bool explain = false;
  size_t max_findings = 1000;   // markdown, html: findings shown in full (0 = all)
};
int RunReport(const Common& common, const ReportOptions& options);

struct ExplainOptions {
  std::string db;
  int64_t run = 0;
  int64_t finding = 0;          // the finding's number in the run (`#N` in reports)
  std::string format = "text";  // text or json
};
int RunExplain(const Common& common, const ExplainOptions& options);

struct RulesOptions {
  std::string format = "text";  // text, json or markdown
  std::string as_of;            // when set: only rule versions in force on that date
};
int RunRules(const Common& common, const RulesOptions& options);

/// Today's date from the system clock; only the command line reads a clock.
std::string Today();

}  // namespace nw::cli
