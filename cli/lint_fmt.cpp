// `normwerk lint` and `normwerk fmt`.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/diagnostics_output.hpp"
#include "dsl/check.hpp"
#include "dsl/parser.hpp"
#include "dsl/print.hpp"

namespace nw::cli {

int RunLint(const Common& common, const LintOptions& options) {
  DiagnosticSink sink;
  std::vector<std::string> paths = options.paths.empty() ? common.rule_paths : options.paths;
  dsl::LoadedRules loaded = dsl::LoadRules(paths, common.amendment_paths, sink);
  std::cerr << RenderDiagnostics(sink.Sorted(), options.format, common.color);
  if (sink.HasErrors()) return kExitInput;
  if (options.format == "text") {
    const auto& rs = *loaded.rules;
    std::cerr << "ok: " << loaded.sources.size() + loaded.amendment_sources.size() << " files, " << rs.rules.size()
              << " rules, " << rs.params.size() << " parameters, " << rs.scenarios.size() << " scenarios\n";
  }
  return kExitOk;
}

int RunFmt(const Common& common, const FmtOptions& options) {
  DiagnosticSink sink;
  std::vector<std::string> files = dsl::ListNormFiles(options.files, sink);
  bool differs = false;
  std::vector<std::pair<std::string, std::string>> to_write;
  std::vector<std::unique_ptr<Source>> sources;  // diagnostics point into them until printed
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    sources.push_back(std::make_unique<Source>(f, ss.str()));
    Source& src = *sources.back();
    size_t errors_before = sink.ErrorCount();
    dsl::SyntaxTree tree = dsl::Parse(src, sink);
    if (sink.ErrorCount() > errors_before) continue;
    std::string formatted = dsl::Print(tree);
    // The canonical text must parse back to the same text; otherwise refuse to write.
    Source again(f, formatted);
    DiagnosticSink inner;
    dsl::SyntaxTree tree2 = dsl::Parse(again, inner);
    if (inner.HasErrors() || dsl::Print(tree2) != formatted) {
      sink.Error("fmt-internal", &src, {}, "the formatter could not lay out this file faithfully; it was left as it is");
      continue;
    }
    if (formatted != src.text()) {
      differs = true;
      if (options.check) {
        std::cout << f << ": not formatted\n";
      } else {
        to_write.push_back({f, formatted});
      }
    }
  }
  std::cerr << RenderDiagnostics(sink.Sorted(), "text", common.color);
  if (sink.HasErrors()) return kExitInput;
  for (const auto& [f, text] : to_write) {
    // Write beside the file and rename, so an interrupted run leaves either version whole.
    std::string tmp = f + ".normwerk-fmt.tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      if (!out) {
        std::cerr << "normwerk: cannot write `" << tmp << "`\n";
        std::filesystem::remove(tmp);
        return kExitInternal;
      }
    }
    std::filesystem::rename(tmp, f);
    std::cout << "formatted " << f << "\n";
  }
  return options.check && differs ? kExitFindings : kExitOk;
}

}  // namespace nw::cli
