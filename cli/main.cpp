// normwerk: checks home and hybrid working arrangements against Dutch and EU law.
// This file parses the command line, sets up logging and maps failures to exit codes.
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <SQLiteCpp/Exception.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/corpus_cmd.hpp"
#include "cli/drafting.hpp"

namespace {

constexpr const char* kFooter = R"(exit codes:
  0  nothing at or above --fail-on (or: the files are clean)
  1  findings at or above --fail-on (fmt --check: files need formatting)
  2  usage or input error: the message says where
  3  internal error)";

std::string DefaultRulesDir() {
  if (const char* env = std::getenv("NORMWERK_RULES")) return env;
  return "rules";
}

// The operator log: warnings on stderr (everything with --verbose), and
// everything appended to --log-file, whose folder must exist. Findings and
// diagnostics never go here.
std::shared_ptr<spdlog::logger> MakeLogger(bool verbose, const std::string& log_file, std::string& error) {
  std::vector<spdlog::sink_ptr> sinks;
  auto err = std::make_shared<spdlog::sinks::stderr_sink_st>();
  err->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
  err->set_pattern("normwerk: [%l] %v");
  sinks.push_back(err);
  if (!log_file.empty()) {
    // Like a shell redirection: the file is created (or appended to), its
    // folder is not. A typo in the folder is an error, not a new folder.
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(log_file).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
      error = "the folder `" + parent.string() + "` does not exist";
      return nullptr;
    }
    if (std::filesystem::is_directory(log_file, ec)) {
      error = "it is a folder";
      return nullptr;
    }
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_st>(log_file);
      file->set_level(spdlog::level::debug);
      file->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l [%P] %v");
      sinks.push_back(file);
    } catch (const spdlog::spdlog_ex& e) {
      error = e.what();
      return nullptr;
    }
  }
  auto log = std::make_shared<spdlog::logger>("normwerk", sinks.begin(), sinks.end());
  log->set_level(spdlog::level::debug);
  log->flush_on(spdlog::level::info);
  return log;
}

std::string CommandLine(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    std::string a = i == 0 ? "normwerk" : argv[i];
    bool plain = !a.empty() && a.find_first_of(" \t\"'$\\") == std::string::npos;
    s += (i == 0 ? "" : " ") + (plain ? a : "'" + a + "'");
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nw::cli;
  CLI::App app{"normwerk checks home and hybrid working arrangements against Dutch and EU law", "normwerk"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  app.set_version_flag("--version", "normwerk 0.1.0");

  Common common;
  std::string lang;
  bool no_color = false;
  app.add_option("--lang", lang, "language of messages: nl or en (default from LANG)")->check(CLI::IsMember({"nl", "en"}));
  app.add_flag("--no-color", no_color, "never colour the output");
  app.add_option("--rules", common.rule_paths, "rule files or folders (default: rules/, or $NORMWERK_RULES)");
  bool verbose = false;
  std::string log_file;
  app.add_flag("--verbose,-v", verbose, "log what normwerk does on stderr (operator log, not findings)");
  app.add_option("--log-file", log_file, "append the operator log to this file");

  LintOptions lint;
  auto* lint_cmd = app.add_subcommand("lint", "parse and check rule files; exit 0 when clean, 2 with errors");
  lint_cmd->add_option("paths", lint.paths, "files or folders (default: the rules)");
  lint_cmd->add_option("--amendment", common.amendment_paths, "amendment files to lay over the rules")->allow_extra_args(false);
  lint_cmd->add_option("--format", lint.format, "text, gnu or json")->check(CLI::IsMember({"text", "gnu", "json"}));
  AnalyzeOptions analyze;
  bool analyze_flag = false;
  lint_cmd->add_flag("--analyze", analyze_flag,
                     "also search for contradicting, dead and always-overridden rules, parameter gaps and unused enum values");
  lint_cmd->add_option("--as-of", analyze.as_of, "--analyze: parameter values and rule versions on this date (default: today)");
  lint_cmd->add_option("--accepted", analyze.accepted, "--analyze: file of findings examined and accepted (key # reason)");
  lint_cmd->add_option("--samples", analyze.samples, "--analyze: fact combinations tried per rule (default 4096)");
  lint_cmd->footer("example:\n  normwerk lint rules/\n  normwerk lint rules/ --amendment amendments/wwjw-passed.norm\n"
                   "  normwerk lint --analyze rules/ --accepted rules/analysis-accepted.txt");



  FmtOptions fmt;
  auto* fmt_cmd = app.add_subcommand("fmt", "lay out rule files in the canonical form");
  fmt_cmd->add_option("files", fmt.files, "files or folders")->required();
  fmt_cmd->add_flag("--check", fmt.check, "change nothing; exit 1 when a file is not formatted");
  fmt_cmd->footer("example:\n  normwerk fmt rules/\n  normwerk fmt --check rules/");

  // check and report print findings the same ways and fail on the same severities.
  const std::vector<std::string> kReportFormats{"text", "json", "sarif", "markdown", "html"};
  const std::vector<std::string> kSeverities{"info", "low", "medium", "high", "critical"};

  CheckCommandOptions check;
  auto* check_cmd = app.add_subcommand("check", "evaluate case files, policies or CAOs against the rules");
  check_cmd->add_option("files", check.files, "JSON case files")->required();
  check_cmd->add_option("--as-of", check.as_of, "evaluation date YYYY-MM-DD (default: today)");
  check_cmd->add_option("--format", check.format, "text, json, sarif, markdown or html")
      ->check(CLI::IsMember(kReportFormats));
  check_cmd->add_flag("--explain", check.explain, "show why each finding holds");
  check_cmd->add_option("--fail-on", check.fail_on, "lowest severity that makes the exit code 1 (default: low)")
      ->check(CLI::IsMember(kSeverities));
  check_cmd->add_option("--amendment", common.amendment_paths, "evaluate under the law as amended")->allow_extra_args(false);
  check_cmd->footer(
      "example:\n  normwerk check examples/request-late.json --as-of 2024-06-30 --explain\n"
      "  normwerk check examples/request-late.json --as-of 2024-06-30 --format sarif > findings.sarif");

  AuditOptions audit;
  auto* audit_cmd = app.add_subcommand("audit", "import a work log into the audit database and evaluate every employee");
  audit_cmd->add_option("worklog", audit.worklog, "CSV work log: employee, date and work_day facts by name")->required();
  audit_cmd->add_option("--employer", audit.employer, "employer JSON file: the employer and its employees, without days")
      ->required();
  audit_cmd->add_option("--as-of", audit.as_of, "evaluation date YYYY-MM-DD (default: today)");
  audit_cmd->add_option("--db", audit.db, "the audit database (default: audit.db)");
  audit_cmd->add_option("--fail-on", audit.fail_on, "lowest severity that makes the exit code 1 (default: low)")
      ->check(CLI::IsMember(kSeverities));
  audit_cmd->add_flag("--skip-bad-rows", audit.skip_bad_rows, "skip and count bad rows instead of stopping at the first");
  audit_cmd->add_flag("--restart", audit.restart, "abandon an unfinished run with the same inputs instead of resuming it");
  audit_cmd->add_option("--batch", audit.batch, "employees evaluated together (default: about 25000 work days a batch)");
  audit_cmd->add_option("--import-batch", audit.import_batch, "work-log rows per import transaction (default: 100000)");
  audit_cmd->add_flag("--quiet,-q", audit.quiet, "no progress bar");
  audit_cmd->add_flag("--import-only", audit.import_only, "import the work log and stop (audit later)");
  audit_cmd->add_option("--amendment", common.amendment_paths, "evaluate under the law as amended")->allow_extra_args(false);
  audit_cmd->footer(
      "example:\n  normwerk audit examples/worklog.csv --employer examples/employer.json --as-of 2024-06-30 --db audit.db\n"
      "  normwerk report --db audit.db --format html > audit.html\n"
      "running it again resumes an interrupted import or run; nothing is stored twice");

  ReportOptions report;
  auto* report_cmd = app.add_subcommand("report", "render a stored audit run");
  report_cmd->add_option("--db", report.db, "the audit database")->required();
  report_cmd->add_option("--run", report.run, "run id (default: the newest run)");
  report_cmd->add_option("--format", report.format, "text, json, sarif, markdown or html")
      ->check(CLI::IsMember(kReportFormats));
  report_cmd->add_flag("--explain", report.explain, "text: show why each finding holds");
  report_cmd->add_option("--max-findings", report.max_findings,
                         "markdown, html: findings shown in full (default: 1000; 0: all)");
  report_cmd->footer("example:\n  normwerk report --db audit.db --run 1 --format html > audit.html");

  ExplainOptions explain;
  auto* explain_cmd = app.add_subcommand("explain", "the full explanation tree of one finding of a stored run");
  explain_cmd->add_option("--db", explain.db, "the audit database")->required();
  explain_cmd->add_option("--run", explain.run, "run id (default: the newest run)");
  explain_cmd->add_option("finding", explain.finding, "the finding's number (#N in `normwerk report`)")->required();
  explain_cmd->add_option("--format", explain.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  explain_cmd->footer("example:\n  normwerk explain --db audit.db --run 1 3");

  RulesOptions rules_opt;
  auto* rules_cmd = app.add_subcommand("rules", "list every rule with its citation and validity");
  rules_cmd->add_option("--format", rules_opt.format, "text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  rules_cmd->add_option("--as-of", rules_opt.as_of, "only the rule versions in force on this date");
  rules_cmd->footer("example:\n  normwerk rules\n  normwerk rules --format json --as-of 2024-06-30");

  TestOptions test;
  auto* test_cmd = app.add_subcommand("test", "run the scenarios written next to the rules");
  test_cmd->add_option("paths", test.paths, "rule files or folders whose scenarios run (default: all)");
  test_cmd->add_flag("--coverage", test.coverage, "list rules no scenario makes fire, or keeps quiet");
  test_cmd->add_flag("--verbose,-v", test.verbose, "list every scenario");
  test_cmd->add_option("--amendment", common.amendment_paths, "run under the law as amended")->allow_extra_args(false);
  test_cmd->footer("example:\n  normwerk test\n  normwerk test rules/wfw --coverage");

  DiffOptions diff;
  auto* diff_cmd = app.add_subcommand("diff", "what an amendment changes: findings that appear, disappear or change per case");
  diff_cmd->add_option("paths", diff.paths, "case files or folders (e.g. corpus/)")->required();
  diff_cmd->add_option("--amendment", common.amendment_paths, "the amendment file")->allow_extra_args(false)->required();
  diff_cmd->add_option("--as-of", diff.as_of, "evaluation date YYYY-MM-DD (default: today)");
  diff_cmd->add_option("--effective", diff.effective, "as if the amendment took effect on this date");
  diff_cmd->add_option("--format", diff.format, "text, json, markdown or html")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}));
  diff_cmd->footer("example:\n  normwerk diff --amendment amendments/wwjw-passed.norm --effective 2016-01-01 corpus/");

  CorpusOptions corpus;
  auto* corpus_cmd = app.add_subcommand("corpus", "the corpus of policies, CAO clauses and cases in SQLite");
  corpus_cmd->require_subcommand(1);
  auto* corpus_import = corpus_cmd->add_subcommand("import", "load a corpus folder into the database (all or nothing)");
  corpus_import->add_option("dir", corpus.dir, "the corpus folder")->required();
  corpus_import->add_option("--db", corpus.db, "SQLite file")->required();
  auto* corpus_list = corpus_cmd->add_subcommand("list", "list the documents in the database");
  corpus_list->add_option("--db", corpus.db, "SQLite file")->required();
  auto* corpus_check = corpus_cmd->add_subcommand("check", "evaluate every document in the database on its own as-of date");
  corpus_check->add_option("--db", corpus.db, "SQLite file")->required();
  corpus_check->add_option("--as-of", corpus.as_of, "for documents without an as-of date (default: today)");
  corpus_cmd->footer("example:\n  normwerk corpus import corpus --db corpus.db\n  normwerk corpus list --db corpus.db\n"
                     "  normwerk corpus check --db corpus.db");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInput;
  }

  if (lang.empty()) {
    const char* env = std::getenv("LANG");
    lang = (env != nullptr && std::string(env).rfind("nl", 0) == 0) ? "nl" : "en";
  }
  common.lang = lang;
  common.color = !no_color && std::getenv("NO_COLOR") == nullptr && isatty(STDERR_FILENO);
  common.progress = isatty(STDERR_FILENO);
  common.command_line = CommandLine(argc, argv);
  std::string log_error;
  common.log = MakeLogger(verbose, log_file, log_error);
  if (!common.log) {
    std::cerr << "normwerk: --log-file: cannot open `" << log_file << "`: " << log_error << "\n";
    return kExitInput;
  }
  if (common.rule_paths.empty()) common.rule_paths.push_back(DefaultRulesDir());

  try {
    if (*lint_cmd && analyze_flag) {
      int code = RunLint(common, lint);
      if (code != kExitOk) return code;
      analyze.paths = lint.paths;
      return RunAnalyze(common, analyze);
    }
    if (*lint_cmd) return RunLint(common, lint);
    if (*diff_cmd) return RunDiff(common, diff);
    if (*corpus_import) return RunCorpusImport(common, corpus);
    if (*corpus_list) return RunCorpusList(common, corpus);
    if (*corpus_check) return RunCorpusCheck(common, corpus);
    if (*fmt_cmd) return RunFmt(common, fmt);
    if (*check_cmd) return RunCheck(common, check);
    if (*test_cmd) return RunTest(common, test);
    if (*audit_cmd) return RunAudit(common, audit);
    if (*report_cmd) return RunReport(common, report);
    if (*explain_cmd) return RunExplain(common, explain);
    if (*rules_cmd) return RunRules(common, rules_opt);
  } catch (const SQLite::Exception& e) {
    if (common.log) common.log->error("sqlite: {}", e.what());
    std::cerr << "normwerk: internal error: database: " << e.what() << "\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    if (common.log) common.log->error("{}", e.what());
    std::cerr << "normwerk: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitInput;
}
