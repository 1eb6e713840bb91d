// normwerk: checks home and hybrid working arrangements against Dutch and EU law.
// This file parses the command line, sets up logging and maps failures to exit codes.
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

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

  LintOptions lint;
  auto* lint_cmd = app.add_subcommand("lint", "parse and check rule files; exit 0 when clean, 2 with errors");
  lint_cmd->add_option("paths", lint.paths, "files or folders (default: the rules)");
  lint_cmd->add_option("--amendment", common.amendment_paths, "amendment files to lay over the rules");
  lint_cmd->add_option("--format", lint.format, "text, gnu or json")->check(CLI::IsMember({"text", "gnu", "json"}));
  lint_cmd->footer("example:\n  normwerk lint rules/\n  normwerk lint rules/ --amendment amendments/wwjw-passed.norm");

  FmtOptions fmt;
  auto* fmt_cmd = app.add_subcommand("fmt", "lay out rule files in the canonical form");
  fmt_cmd->add_option("files", fmt.files, "files or folders")->required();
  fmt_cmd->add_flag("--check", fmt.check, "change nothing; exit 1 when a file is not formatted");
  fmt_cmd->footer("example:\n  normwerk fmt rules/\n  normwerk fmt --check rules/");

  CheckCommandOptions check;
  auto* check_cmd = app.add_subcommand("check", "evaluate case files, policies or CAOs against the rules");
  check_cmd->add_option("files", check.files, "JSON case files")->required();
  check_cmd->add_option("--as-of", check.as_of, "evaluation date YYYY-MM-DD (default: today)");
  check_cmd->add_option("--format", check.format, "text, json, sarif, markdown or html")
      ->check(CLI::IsMember({"text", "json", "sarif", "markdown", "html"}));
  check_cmd->add_flag("--explain", check.explain, "show why each finding holds");
  check_cmd->add_option("--fail-on", check.fail_on, "lowest severity that makes the exit code 1 (default: low)")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));
  check_cmd->add_option("--amendment", common.amendment_paths, "evaluate under the law as amended");
  check_cmd->footer("example:\n  normwerk check examples/request-late.json --as-of 2024-06-30 --explain");

  TestOptions test;
  auto* test_cmd = app.add_subcommand("test", "run the scenarios written next to the rules");
  test_cmd->add_option("paths", test.paths, "rule files or folders whose scenarios run (default: all)");
  test_cmd->add_flag("--coverage", test.coverage, "list rules no scenario makes fire, or keeps quiet");
  test_cmd->add_flag("--verbose,-v", test.verbose, "list every scenario");
  test_cmd->add_option("--amendment", common.amendment_paths, "run under the law as amended");
  test_cmd->footer("example:\n  normwerk test\n  normwerk test rules/wfw --coverage");

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
  if (common.rule_paths.empty()) common.rule_paths.push_back(DefaultRulesDir());

  try {
    if (*lint_cmd) return RunLint(common, lint);
    if (*fmt_cmd) return RunFmt(common, fmt);
    if (*check_cmd) return RunCheck(common, check);
    if (*test_cmd) return RunTest(common, test);
  } catch (const std::exception& e) {
    std::cerr << "normwerk: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitInput;
}
