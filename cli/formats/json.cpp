// The JSON format (docs/schema/report.schema.json), written as a stream, and
// the JSON path → line index used for SARIF regions.
#include <cctype>

#include "cli/formats/formats.hpp"
#include "cli/formats/internal/util.hpp"

namespace nw::cli {
namespace {

// `value` dumped with two-space indentation, each line after the first indented by `indent`.
std::string Indented(const nlohmann::json& value, const std::string& indent) {
  std::string s = value.dump(2);
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    out.push_back(c);
    if (c == '\n') out += indent;
  }
  return out;
}

class JsonWriter : public ReportWriter {
 public:
  JsonWriter(std::ostream& out, const FormatOptions& o) : out_(out) { (void)o; }

  void Begin(const nlohmann::json& head) override {
    out_ << "{\n";
    out_ << "  \"as_of\": " << nlohmann::json(Str(head, "as_of")).dump() << ",\n";
    out_ << "  \"rule_set\": " << Indented(head["rule_set"], "  ") << ",\n";
    if (head.contains("run")) out_ << "  \"run\": " << Indented(head["run"], "  ") << ",\n";
    out_ << "  \"summary\": " << Indented(head["summary"], "  ") << ",\n";
    out_ << "  \"findings\": [";
  }

  void Add(const nlohmann::json& f) override {
    out_ << (first_ ? "\n    " : ",\n    ") << Indented(f, "    ");
    first_ = false;
  }

  void End(const nlohmann::json& errors) override {
    out_ << (first_ ? "],\n" : "\n  ],\n");
    out_ << "  \"errors\": " << Indented(errors, "  ") << "\n}\n";
  }

 private:
  std::ostream& out_;
  bool first_ = true;
};

// Walks JSON text and records the line on which each value starts.
class PathLines {
 public:
  explicit PathLines(const std::string& t) : t_(t) {}

  std::unordered_map<std::string, uint32_t> Run() {
    Skip();
    Value("");
    return std::move(lines_);
  }

 private:
  void Skip() {
    while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) {
      if (t_[i_] == '\n') ++line_;
      ++i_;
    }
  }
  std::string String() {
    std::string s;
    ++i_;  // opening quote
    while (i_ < t_.size() && t_[i_] != '"') {
      if (t_[i_] == '\\' && i_ + 1 < t_.size()) {
        s.push_back(t_[i_ + 1]);  // keys with escapes are rare; an approximation is enough here
        i_ += 2;
        continue;
      }
      s.push_back(t_[i_++]);
    }
    ++i_;
    return s;
  }
  void Value(const std::string& path) {
    Skip();
    if (i_ >= t_.size() || ++depth_ > 256) return;
    if (!path.empty()) lines_.emplace(path, line_);
    char c = t_[i_];
    if (c == '{') {
      ++i_;
      Skip();
      while (i_ < t_.size() && t_[i_] != '}') {
        if (t_[i_] == ',') {
          ++i_;
          Skip();
          continue;
        }
        std::string key = String();
        Skip();
        if (i_ < t_.size() && t_[i_] == ':') ++i_;
        Value(path.empty() ? key : path + "." + key);
        Skip();
      }
      ++i_;
    } else if (c == '[') {
      ++i_;
      Skip();
      size_t k = 0;
      while (i_ < t_.size() && t_[i_] != ']') {
        if (t_[i_] == ',') {
          ++i_;
          Skip();
          continue;
        }
        Value(path + "[" + std::to_string(k++) + "]");
        Skip();
      }
      ++i_;
    } else if (c == '"') {
      String();
    } else {
      while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '}' && t_[i_] != ']' &&
             !std::isspace(static_cast<unsigned char>(t_[i_]))) {
        ++i_;
      }
    }
    --depth_;
  }

  const std::string& t_;
  size_t i_ = 0;
  uint32_t line_ = 1;
  int depth_ = 0;
  std::unordered_map<std::string, uint32_t> lines_;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeJsonWriter(std::ostream& out, const FormatOptions& o) {
  return std::make_unique<JsonWriter>(out, o);
}

std::unordered_map<std::string, uint32_t> JsonPathLines(const std::string& text) { return PathLines(text).Run(); }

std::unique_ptr<ReportWriter> MakeReportWriter(const std::string& format, std::ostream& out, const FormatOptions& options) {
  if (format == "text") return MakeTextWriter(out, options);
  if (format == "json") return MakeJsonWriter(out, options);
  if (format == "sarif") return MakeSarifWriter(out, options);
  if (format == "markdown") return MakeMarkdownWriter(out, options);
  if (format == "html") return MakeHtmlWriter(out, options);
  return nullptr;
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace nw::cli
