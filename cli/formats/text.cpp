// The text format: for people, grouped by subject, most severe first.
#include <map>

#include "cli/formats/formats.hpp"
#include "cli/formats/internal/util.hpp"

namespace nw::cli {
namespace {

class TextWriter : public ReportWriter {
 public:
  TextWriter(std::ostream& out, const FormatOptions& o) : out_(out), o_(o), nl_(o.lang == "nl") {}

  void Begin(const nlohmann::json& head) override { head_ = head; }

  void Add(const nlohmann::json& f) override {
    std::string key = SubjectText(f["subject"]);
    if (key != last_) {
      if (!last_.empty()) out_ << "\n";
      out_ << Bold(key) << "\n";
      last_ = key;
    }
    std::string kind = Str(f, "kind");
    std::string line = "  ";
    if (f.contains("id")) {
      line += '#';
      line += std::to_string(f["id"].get<int64_t>());
      line += ' ';
    }
    line += Colored(kind) + " " + Str(f, "severity") + "  " + Str(f, "rule") + "  " + Str(f, "title");
    out_ << line << "\n";
    if (!Str(f, "message").empty()) out_ << "    " << Str(f, "message") << "\n";
    for (const auto& c : f.value("citations", nlohmann::json::array())) {
      out_ << "    " << Str(c, "text") << "  " << Str(c, "url") << "\n";
    }
    if (!Str(f, "remedy").empty()) out_ << "    " << (nl_ ? "te doen: " : "remedy: ") << Str(f, "remedy") << "\n";
    for (const auto& q : f.value("questions", nlohmann::json::array())) {
      out_ << "    " << (nl_ ? "vraag: " : "question: ") << q.get<std::string>() << "\n";
    }
    for (const auto& c : f.value("missing_cells", nlohmann::json::array())) {
      out_ << "    " << (nl_ ? "vul in: " : "fill in: ") << CellText(c, o_) << "\n";
    }
    for (const auto& a : f.value("assertions", nlohmann::json::array())) {
      out_ << "    " << (nl_ ? "berust op: " : "rests on: ") << a.get<std::string>() << "\n";
    }
    if (!Str(f, "decided_by").empty()) out_ << "    " << (nl_ ? "beslist door: " : "decided by: ") << Str(f, "decided_by") << "\n";
    if (o_.explain) {
      std::string lines;
      if (f.contains("explained")) {
        // A finding that covers many subjects: the explanation is that of the first.
        lines += std::string("    ") + (nl_ ? "waarom, voor de eerste (" : "why, for the first (") + Str(f, "explained") + "):\n";
      } else {
        lines += std::string("    ") + (nl_ ? "waarom:" : "why:") + "\n";
      }
      if (f.contains("explanation")) ExplainLinesJson(f["explanation"], 3, lines);
      for (const auto& p : f.value("parameters", nlohmann::json::array())) {
        lines += "      " + Str(p, "name") + " = " + Str(p, "value") + " (" + (nl_ ? "geldig vanaf " : "in force from ") +
                 Str(p, "valid_from") + (Str(p, "source").empty() ? "" : "; " + Str(p, "source")) + ")\n";
      }
      for (const auto& x : f.value("exceptions", nlohmann::json::array())) {
        lines += std::string("      ") + (nl_ ? "uitzondering " : "exception ") + Str(x, "rule") + ": " + Str(x, "outcome") + "\n";
        if (x.contains("explanation")) ExplainLinesJson(x["explanation"], 4, lines);
      }
      out_ << lines;
    }
    wrote_ = true;
  }

  void End(const nlohmann::json& errors) override {
    for (const auto& e : errors) {
      out_ << (nl_ ? "fout: " : "error: ") << Str(e["subject"], "document") << ": " << Str(e["subject"], "path") << ": "
           << Str(e, "rule") << ": " << Str(e, "message") << "\n";
      wrote_ = true;
    }
    if (wrote_) out_ << "\n";
    const nlohmann::json& s = head_["summary"];
    int64_t n = s.value("findings", int64_t{0});
    std::string line;
    if (n == 0) {
      line = nl_ ? "geen bevindingen" : "no findings";
    } else {
      line = std::to_string(n) + (nl_ ? " bevinding" : " finding") + (n == 1 ? "" : (nl_ ? "en" : "s")) + ":";
      bool first = true;
      for (const auto& [k, c] : s["by_kind"].items()) {
        line += std::string(first ? " " : ", ") + std::to_string(c.get<int64_t>()) + " " + k;
        first = false;
      }
    }
    line += std::string(nl_ ? " (peildatum " : " (as of ") + Str(head_, "as_of") + ")";
    out_ << line << "\n";
  }

 private:
  std::string Bold(const std::string& s) const { return o_.color ? "\033[1m" + s + "\033[0m" : s; }
  std::string Colored(const std::string& kind) const {
    if (!o_.color) return kind;
    const char* c = kind == "violation" || kind == "conflict"       ? "\033[1;31m"
                    : kind == "undetermined" || kind == "review"     ? "\033[1;33m"
                                                                     : "\033[1;36m";
    return c + kind + "\033[0m";
  }

  std::ostream& out_;
  FormatOptions o_;
  bool nl_;
  nlohmann::json head_;
  std::string last_;
  bool wrote_ = false;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeTextWriter(std::ostream& out, const FormatOptions& o) {
  return std::make_unique<TextWriter>(out, o);
}

}  // namespace nw::cli
