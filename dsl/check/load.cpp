// Reads `.norm` files from disk and checks them together.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsl/check.hpp"
#include "dsl/parser.hpp"

namespace nw::dsl {
namespace fs = std::filesystem;

namespace {

// Files larger than this are refused: rule files are text written by people.
constexpr uintmax_t kMaxRuleFileBytes = 16u << 20;

std::unique_ptr<Source> ReadSource(const std::string& path, DiagnosticSink& sink) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) {
    sink.Error("io", nullptr, {}, "cannot read `" + path + "`: " + ec.message());
    return nullptr;
  }
  if (size > kMaxRuleFileBytes) {
    sink.Error("too-large", nullptr, {}, "`" + path + "` is larger than 16 MiB");
    return nullptr;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    sink.Error("io", nullptr, {}, "cannot open `" + path + "`");
    return nullptr;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return std::make_unique<Source>(path, ss.str());
}

}  // namespace

std::vector<std::string> ListNormFiles(const std::vector<std::string>& paths, DiagnosticSink& sink) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".norm") out.push_back(it->path().string());
      }
    } else if (fs::is_regular_file(p, ec)) {
      out.push_back(p);
    } else {
      sink.Error("io", nullptr, {}, "`" + p + "` does not exist");
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

LoadedRules LoadRules(const std::vector<std::string>& paths, const std::vector<std::string>& amendment_paths,
                      DiagnosticSink& sink, const CheckOptions& options) {
  LoadedRules out;
  std::vector<std::string> amendment_files = ListNormFiles(amendment_paths, sink);
  std::vector<std::string> files;
  for (const std::string& f : ListNormFiles(paths, sink)) {
    // An amendment given separately is not also read as a rule file.
    if (std::find(amendment_files.begin(), amendment_files.end(), f) == amendment_files.end()) files.push_back(f);
  }
  std::vector<const SyntaxTree*> trees, amendments;
  for (const std::string& f : files) {
    auto src = ReadSource(f, sink);
    if (!src) continue;
    auto tree = std::make_unique<SyntaxTree>(Parse(*src, sink));
    // A file whose first item is an amendment is an overlay, not a rule file.
    if (!tree->items.empty() && std::holds_alternative<AmendmentDecl>(tree->items.front())) {
      out.amendment_sources.push_back(std::move(src));
      out.amendment_trees.push_back(std::move(tree));
      continue;
    }
    trees.push_back(tree.get());
    out.sources.push_back(std::move(src));
    out.trees.push_back(std::move(tree));
  }
  for (const std::string& f : amendment_files) {
    auto src = ReadSource(f, sink);
    if (!src) continue;
    auto tree = std::make_unique<SyntaxTree>(Parse(*src, sink));
    amendments.push_back(tree.get());
    out.amendment_sources.push_back(std::move(src));
    out.amendment_trees.push_back(std::move(tree));
  }
  if (files.empty() && !sink.HasErrors()) {
    sink.Error("no-rules", nullptr, {}, "no `.norm` files found");
  }
  out.rules = Check(trees, amendments, sink, options);
  return out;
}

}  // namespace nw::dsl
