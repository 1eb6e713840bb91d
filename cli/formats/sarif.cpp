// SARIF 2.1.0: the `.norm` rule is the rule (with its file and line), the
// input document and JSON path or CSV row is the location, and the finding's
// kind, severity, citation, parameters and explanation are properties.
#include "cli/formats/formats.hpp"
#include "cli/formats/internal/util.hpp"

namespace nw::cli {
namespace {

// A relative path as a URI reference (RFC 3986): percent-encode what is not allowed.
std::string UriOf(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// SARIF result kind and level for a finding kind and severity (SARIF §3.27.9, §3.27.10).
std::pair<std::string, std::string> KindLevel(const std::string& kind, const std::string& severity) {
  if (kind == "review" || kind == "undetermined") return {"review", "none"};
  if (kind == "info") return {"informational", "none"};
  int rank = SeverityRank(severity);
  return {"fail", rank >= 3 ? "error" : rank >= 1 ? "warning" : "note"};
}

nlohmann::json Location(const std::string& file, int64_t line) {
  nlohmann::json pl = {{"artifactLocation", {{"uri", UriOf(file)}}}};
  if (line > 0) pl["region"] = {{"startLine", line}};
  return pl;
}

class SarifWriter : public ReportWriter {
 public:
  SarifWriter(std::ostream& out, const FormatOptions& o) : out_(out) { (void)o; }

  void Begin(const nlohmann::json& head) override {
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& r : head.value("rules", nlohmann::json::array())) {
      std::string id = Str(r, "id");
      index_[id] = rules.size();
      auto [kind, level] = KindLevel(Str(r, "kind"), r["severity"].is_string() ? Str(r, "severity") : "info");
      nlohmann::json d = {{"id", id},
                          {"name", id},
                          {"shortDescription", {{"text", Str(r, "title")}}},
                          {"defaultConfiguration", {{"level", level == "none" ? "note" : level}}}};
      const nlohmann::json& c = r["citation"];
      if (!Str(c, "text").empty()) d["fullDescription"] = {{"text", Str(c, "text")}};
      if (!Str(c, "url").empty()) d["helpUri"] = Str(c, "url");
      nlohmann::json props = {{"kind", Str(r, "kind")}, {"citation", c}, {"valid_from", Str(r, "valid_from")}};
      if (r["severity"].is_string()) props["severity"] = Str(r, "severity");
      if (r.contains("valid_to") && r["valid_to"].is_string()) props["valid_to"] = Str(r, "valid_to");
      if (r.contains("source")) props["source"] = r["source"];
      props["tags"] = {"normwerk", Str(r, "kind")};
      d["properties"] = props;
      rules.push_back(d);
      sources_[id] = r.value("source", nlohmann::json::object());
    }
    nlohmann::json driver = {{"name", "normwerk"},
                             {"version", "0.1.0"},
                             {"semanticVersion", "0.1.0"},
                             {"informationUri", "https://wetten.overheid.nl/"},
                             {"rules", rules}};
    nlohmann::json run_props = {{"as_of", Str(head, "as_of")}, {"rule_set", head["rule_set"]}};
    if (head.contains("run")) run_props["run"] = head["run"];
    out_ << "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
         << "  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": ";
    Write(driver, "        ");
    out_ << "\n      },\n"
         << "      \"columnKind\": \"unicodeCodePoints\",\n      \"properties\": ";
    Write(run_props, "      ");
    out_ << ",\n      \"results\": [";
  }

  void Add(const nlohmann::json& f) override {
    std::string rule = Str(f, "rule");
    auto [kind, level] = KindLevel(Str(f, "kind"), Str(f, "severity"));
    std::string text = Str(f, "title");
    if (!Str(f, "message").empty()) text += ": " + Str(f, "message");
    nlohmann::json res = {{"ruleId", rule}, {"kind", kind}, {"level", level}, {"message", {{"text", text}}}};
    auto it = index_.find(rule);
    if (it != index_.end()) res["ruleIndex"] = it->second;
    const nlohmann::json& s = f["subject"];
    int64_t line = s.contains("row") ? s["row"].get<int64_t>() : s.contains("line") ? s["line"].get<int64_t>() : 0;
    nlohmann::json loc = {{"physicalLocation", Location(Str(s, "document"), line)}};
    if (line > 0 && s.contains("last_row")) loc["physicalLocation"]["region"]["endLine"] = s["last_row"];
    if (!Str(s, "path").empty()) {
      loc["logicalLocations"] = {{{"fullyQualifiedName", Str(s, "path")}, {"kind", "object"}}};
    }
    res["locations"] = {loc};
    auto src = sources_.find(rule);
    if (src != sources_.end() && !Str(src->second, "file").empty()) {
      res["relatedLocations"] = {{{"id", 1},
                                  {"physicalLocation", Location(Str(src->second, "file"), src->second.value("line", int64_t{0}))},
                                  {"message", {{"text", "rule " + rule}}}}};
    }
    nlohmann::json props = {{"kind", Str(f, "kind")}, {"severity", Str(f, "severity")}};
    for (const char* k : {"id", "citation", "citations", "parameters", "explanation", "missing", "questions", "remedy",
                          "exceptions", "weigh", "assertions", "decided_by", "covers", "missing_cells"}) {
      if (f.contains(k)) props[k] = f[k];
    }
    res["properties"] = props;
    out_ << (first_ ? "\n        " : ",\n        ");
    Write(res, "        ");
    first_ = false;
  }

  void End(const nlohmann::json& errors) override {
    out_ << (first_ ? "]" : "\n      ]");
    // Evaluation errors are tool notifications, not results.
    nlohmann::json inv = {{"executionSuccessful", true}};
    if (!errors.empty()) {
      nlohmann::json notes = nlohmann::json::array();
      for (const auto& e : errors) {
        notes.push_back({{"level", "error"},
                         {"message", {{"text", Str(e, "rule") + ": " + Str(e["subject"], "path") + ": " +
                                                   Str(e, "message")}}},
                         {"locations", {{{"physicalLocation", Location(Str(e["subject"], "document"), 0)}}}}});
      }
      inv["toolExecutionNotifications"] = notes;
    }
    out_ << ",\n      \"invocations\": [\n        ";
    Write(inv, "        ");
    out_ << "\n      ]";
    out_ << "\n    }\n  ]\n}\n";
  }

 private:
  void Write(const nlohmann::json& j, const std::string& indent) {
    std::string s = j.dump(2);
    for (char c : s) {
      out_ << c;
      if (c == '\n') out_ << indent;
    }
  }

  std::ostream& out_;
  bool first_ = true;
  std::unordered_map<std::string, size_t> index_;
  std::unordered_map<std::string, nlohmann::json> sources_;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeSarifWriter(std::ostream& out, const FormatOptions& o) {
  return std::make_unique<SarifWriter>(out, o);
}

}  // namespace nw::cli
