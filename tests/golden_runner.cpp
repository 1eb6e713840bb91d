// The golden runner: one GoogleTest case per golden `.norm` file (its rendered
// diagnostics against `X.expected`), one round-trip case per `.norm` file in
// the repository, and a check that docs/diagnostics.md matches the goldens.
//
// Layout (paths relative to the repository root, NW_SOURCE_DIR):
//   tests/golden/parse/bad/*.norm   the parser reports at least one error
//   tests/golden/parse/good/*.norm  no diagnostics at all
//   tests/golden/check/bad/*.norm   parses cleanly; the checker reports at least one error
//   tests/golden/check/good/*.norm  no diagnostics at all
// Each file is parsed and checked alone, as `normwerk lint FILE` would. Its
// `.expected` holds the diagnostics as `normwerk lint` prints them without
// colour, or the single line `ok`. A line of `.expected` that starts with
// `<REGEX>:` matches an output line by ECMAScript regular expression.
//
// NW_UPDATE_GOLDEN=1 rewrites every `.expected` that no longer matches.
//
// `X.known-bug` next to a golden says, in one line, which bug of the parser or
// checker makes its output differ from `X.expected` (which holds the right
// output). Such a case is skipped while the output differs and fails once it
// matches, so the file is deleted when the bug is fixed. NW_UPDATE_GOLDEN
// leaves these `.expected` files alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "dsl/check.hpp"
#include "dsl/parser.hpp"
#include "dsl/print.hpp"
#include "dsl/support/diagnostic.hpp"
#include "dsl/support/render.hpp"

#ifndef NW_SOURCE_DIR
#error "NW_SOURCE_DIR must name the repository root"
#endif

namespace {
namespace fs = std::filesystem;

constexpr const char* kRegexPrefix = "<REGEX>:";

const fs::path& Root() {
  static const fs::path root = fs::path(NW_SOURCE_DIR).lexically_normal();
  return root;
}

bool Updating() {
  const char* v = std::getenv("NW_UPDATE_GOLDEN");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

// LF line endings only.
std::string Normalise(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
  return s;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in(s);
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// True when the actual output matches the expected text, honouring <REGEX>: lines.
bool Matches(const std::string& expected, const std::string& actual) {
  if (expected.find(kRegexPrefix) == std::string::npos) return expected == actual;
  std::vector<std::string> want = Lines(expected), got = Lines(actual);
  if (want.size() != got.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].rfind(kRegexPrefix, 0) == 0) {
      if (!std::regex_match(got[i], std::regex(want[i].substr(std::string(kRegexPrefix).size())))) return false;
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  return true;
}

// The `.norm` files directly in a folder, sorted; none when it does not exist.
std::vector<fs::path> NormFilesIn(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".norm") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The `.norm` files under a folder at any depth, sorted.
std::vector<fs::path> NormFilesUnder(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".norm") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Relative(const fs::path& p) { return p.lexically_relative(Root()).generic_string(); }

// A test name: the path relative to tests/golden/ (or to the root), without `.norm`.
std::string TestName(const fs::path& p, const fs::path& base) {
  fs::path rel = p.lexically_relative(base);
  rel.replace_extension();
  return rel.generic_string();
}

// ---------------------------------------------------------------------------
// Golden diagnostics.

struct Result {
  std::string rendered;  // what `normwerk lint` prints, or "ok\n"
  size_t parse_errors = 0;
  size_t check_errors = 0;
  size_t diagnostics = 0;
};

Result ParseAndCheck(const std::string& name, const std::string& text) {
  nw::Source source(name, text);
  nw::DiagnosticSink sink;
  nw::dsl::SyntaxTree tree = nw::dsl::Parse(source, sink);
  Result r;
  r.parse_errors = sink.ErrorCount();
  nw::dsl::Check({&tree}, {}, sink);
  r.check_errors = sink.ErrorCount() - r.parse_errors;
  std::vector<nw::Diagnostic> sorted = sink.Sorted();
  r.diagnostics = sorted.size();
  r.rendered = sorted.empty() ? "ok\n" : nw::RenderAllHuman(sorted, nw::RenderOptions{false});
  return r;
}

class GoldenTest : public testing::Test {
 public:
  GoldenTest(fs::path file, std::string stage, bool bad)
      : file_(std::move(file)), stage_(std::move(stage)), bad_(bad) {}

  void TestBody() override {
    const std::string rel = Relative(file_);
    auto text = ReadFile(file_);
    ASSERT_TRUE(text.has_value()) << "cannot read " << rel;
    Result r = ParseAndCheck(rel, *text);

    if (bad_) {
      if (stage_ == "parse") {
        EXPECT_GT(r.parse_errors, 0u) << rel << " is a parse/bad golden but parses without error";
      } else {
        EXPECT_EQ(r.parse_errors, 0u) << rel << " is a check/bad golden but does not parse:\n" << r.rendered;
        EXPECT_GT(r.check_errors, 0u) << rel << " is a check/bad golden but checks without error";
      }
    } else {
      EXPECT_EQ(r.diagnostics, 0u) << rel << " is a good golden but has diagnostics:\n" << r.rendered;
    }

    fs::path expected_path = file_;
    expected_path.replace_extension(".expected");
    auto expected = ReadFile(expected_path);
    fs::path known_bug_path = file_;
    known_bug_path.replace_extension(".known-bug");
    if (auto known_bug = ReadFile(known_bug_path)) {
      // `.expected` holds the right output and a known bug changes it: the case
      // is skipped while the bug lasts and fails once the output is right.
      ASSERT_TRUE(expected.has_value()) << Relative(known_bug_path) << " needs " << Relative(expected_path);
      if (Matches(Normalise(*expected), r.rendered)) {
        ADD_FAILURE() << "the known bug of " << rel << " is fixed: delete " << Relative(known_bug_path);
        return;
      }
      GTEST_SKIP() << "known bug: " << Normalise(*known_bug) << "the output is now:\n" << r.rendered;
    }
    if (expected && Matches(Normalise(*expected), r.rendered)) return;
    if (Updating()) {
      ASSERT_TRUE(WriteFile(expected_path, r.rendered)) << "cannot write " << Relative(expected_path);
      std::cerr << "updated " << Relative(expected_path) << "\n";
      return;
    }
    if (!expected) {
      ADD_FAILURE() << Relative(expected_path) << " does not exist; run with NW_UPDATE_GOLDEN=1 to create it.\n"
                    << "The output is:\n"
                    << r.rendered;
      return;
    }
    std::string want = Normalise(*expected);
    if (want.find(kRegexPrefix) == std::string::npos) {
      EXPECT_EQ(want, r.rendered) << "for " << rel << " (NW_UPDATE_GOLDEN=1 accepts the new output)";
    } else {
      ADD_FAILURE() << "for " << rel << " the output does not match " << Relative(expected_path)
                    << " (NW_UPDATE_GOLDEN=1 accepts the new output)\nexpected:\n"
                    << want << "\nactual:\n"
                    << r.rendered;
    }
  }

 private:
  fs::path file_;
  std::string stage_;
  bool bad_;
};

// ---------------------------------------------------------------------------
// Round trip: Parse(Print(Parse(x))) is Parse(x), and printing is idempotent.

// A position-free dump of a syntax tree: every field the parser fills, except
// byte ranges. Two trees with the same dump say the same thing.
class TreeDump {
 public:
  explicit TreeDump(const nw::dsl::SyntaxTree& tree) : tree_(tree) {}

  std::string Run() {
    for (const nw::dsl::Item& item : tree_.items) {
      std::visit([this](const auto& i) { Item(i); }, item);
      out_ += "\n";
    }
    for (const nw::dsl::Comment& c : tree_.comments) out_ += "comment " + Q(c.text) + "\n";
    return out_;
  }

 private:
  static std::string Q(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    return out + "\"";
  }

  std::string E(nw::dsl::ExprId id) {
    if (id == nw::dsl::kNoExpr) return "_";
    const nw::dsl::Expr& e = tree_.expr(id);
    std::string s = "(" + std::to_string(static_cast<int>(e.kind));
    switch (e.kind) {
      case nw::dsl::ExprKind::kLiteral: s += " lit" + std::to_string(static_cast<int>(e.literal)) + " " + Q(e.text); break;
      case nw::dsl::ExprKind::kPath:
        for (const auto& seg : e.path) s += " ." + seg;
        break;
      case nw::dsl::ExprKind::kUnary: s += " u" + std::to_string(static_cast<int>(e.unary_op)); break;
      case nw::dsl::ExprKind::kBinary: s += " b" + std::to_string(static_cast<int>(e.binary_op)); break;
      case nw::dsl::ExprKind::kCall: s += " " + e.text; break;
      case nw::dsl::ExprKind::kAggregate:
        s += " agg" + std::to_string(static_cast<int>(e.aggregate)) + " " + e.var;
        break;
      case nw::dsl::ExprKind::kIs:
        s += " is" + std::to_string(static_cast<int>(e.is_test)) + (e.negated ? " not" : "");
        break;
      case nw::dsl::ExprKind::kSet:
      case nw::dsl::ExprKind::kIf: break;
    }
    for (nw::dsl::ExprId a : e.args) s += " " + E(a);
    return s + ")";
  }

  std::string Texts(const std::vector<nw::dsl::LangText>& ts) {
    std::string s = "[";
    for (const auto& t : ts) {
      s += " " + t.lang + ":" + Q(t.value);
      for (nw::dsl::ExprId h : t.holes) s += " {" + E(h) + "}";
    }
    return s + " ]";
  }

  static std::string Cites(const std::vector<nw::dsl::Citation>& cs) {
    std::string s = "[";
    for (const auto& c : cs) s += " " + c.act.text + "/" + c.article + "/" + c.lid + "/" + c.sub;
    return s + " ]";
  }

  static std::string Type(const nw::dsl::TypeRef& t) {
    return std::to_string(static_cast<int>(t.kind)) + ":" + t.name.text;
  }

  static std::string Names(const std::vector<nw::dsl::Name>& ns) {
    std::string s = "[";
    for (const auto& n : ns) s += " " + n.text;
    return s + " ]";
  }

  void Value(const nw::dsl::ParamValue& v) {
    out_ += "  value " + v.from.text + ".." + v.to.text + " = " + E(v.value) + " source " + Q(v.source) + " cites " +
            Cites(v.cites) + "\n";
  }

  void Item(const nw::dsl::ActDecl& a) {
    out_ += "act " + a.name.text + " " + Q(a.title) + " " + a.id_kind + " " + a.id + " " + Q(a.url);
  }
  void Item(const nw::dsl::EnumDecl& e) {
    out_ += "enum " + e.name.text;
    for (const auto& v : e.values) out_ += " " + v.name.text + "=" + Q(v.label);
  }
  void Item(const nw::dsl::EntityDecl& e) {
    out_ += "entity " + e.name.text + " part of " + e.part_of.text + "\n";
    Fields(e.fields);
  }
  void Fields(const std::vector<nw::dsl::FieldDecl>& fields) {
    for (const auto& f : fields) {
      out_ += "  field " + f.name.text + (f.optional ? " optional " : " ") + Type(f.type) + " ask " + Texts(f.ask) +
              " open " + Q(f.open_norm) + "\n";
    }
  }
  void Item(const nw::dsl::ExtendDecl& e) {
    out_ += "extend " + e.entity.text + "\n";
    Fields(e.fields);
  }
  // An item kind added to the language after this dump was written: compared
  // by kind only (add an overload to compare its fields).
  template <class T>
  void Item(const T&) {
    out_ += std::string("item ") + typeid(T).name();
  }
  void Item(const nw::dsl::ParamDecl& p) {
    out_ += "parameter " + p.name.text + " " + Type(p.type) + " title " + Texts(p.title) + " cites " + Cites(p.cites) +
            "\n";
    for (const auto& v : p.values) Value(v);
  }
  void Item(const nw::dsl::DefineDecl& d) {
    out_ += "define " + d.name.text + " of " + d.entity.text + " " + d.var.text + " " + Type(d.type) + " cites " +
            Cites(d.cites) + " = " + E(d.body);
  }
  void Item(const nw::dsl::RuleDecl& r) {
    out_ += "rule " + std::to_string(static_cast<int>(r.action)) + " " + r.id.text + " exception to " +
            r.exception_to.text + "\n";
    out_ += "  title " + Texts(r.title) + "\n";
    out_ += "  kind " + r.kind + " severity " + r.severity + "\n";
    out_ += "  cites " + Cites(r.cites) + "\n";
    out_ += "  valid " + r.valid_from.text + ".." + r.valid_to.text + "\n";
    out_ += "  judged on " + E(r.judged_on) + "\n";
    out_ += "  deviable by " + Names(r.deviable_by) + " source " + E(r.source) + "\n";
    out_ += "  priority over " + Names(r.priority_over) + "\n";
    out_ += "  concludes " + r.concludes.text + "=" + (r.concludes_value ? "true" : "false") + "\n";
    for (const auto& b : r.bindings) {
      out_ += "  for " + std::to_string(static_cast<int>(b.kind)) + " " + b.type.text + " " + b.var.text + " " +
              b.var2.text + " " + b.group + " " + std::to_string(b.count) + " " + E(b.collection) + " by " +
              b.by.text + "\n";
    }
    out_ += "  when " + E(r.when) + "\n";
    for (nw::dsl::ExprId u : r.unless) out_ += "  unless " + E(u) + "\n";
    out_ += "  message " + Texts(r.message) + "\n";
    out_ += "  remedy " + Texts(r.remedy);
  }
  void Item(const nw::dsl::ScenarioDecl& s) {
    out_ += "scenario " + Q(s.title) + " as of " + s.as_of.text + " facts " + Q(s.facts_json) + " file " +
            Q(s.facts_file) + "\n";
    for (const auto& x : s.expectations) {
      out_ += "  expect " + std::string(x.absent ? "no " : "") + x.kind + " " + x.rule.text + " on " + x.subject +
              " missing";
      for (const auto& m : x.missing) out_ += " " + m;
      out_ += "\n";
    }
  }
  void Item(const nw::dsl::AmendmentDecl& a) {
    out_ += "amendment " + a.id.text + " title " + Texts(a.title) + " kamerstuk " + Q(a.kamerstuk) + " version " +
            a.version + " effective " + a.effective.text;
  }
  void Item(const nw::dsl::RepealDecl& r) { out_ += "repeal " + r.rule.text; }
  void Item(const nw::dsl::SetDecl& s) {
    out_ += "set " + s.param.text + "\n";
    for (const auto& v : s.values) Value(v);
  }

  const nw::dsl::SyntaxTree& tree_;
  std::string out_;
};

class RoundTripTest : public testing::Test {
 public:
  explicit RoundTripTest(fs::path file) : file_(std::move(file)) {}

  void TestBody() override {
    const std::string rel = Relative(file_);
    auto text = ReadFile(file_);
    ASSERT_TRUE(text.has_value()) << "cannot read " << rel;

    nw::Source original(rel, *text);
    nw::DiagnosticSink sink1;
    nw::dsl::SyntaxTree tree1 = nw::dsl::Parse(original, sink1);
    ASSERT_FALSE(sink1.HasErrors()) << rel << " does not parse:\n" << nw::RenderAllHuman(sink1.Sorted());
    const std::string printed1 = nw::dsl::Print(tree1);

    nw::Source again(rel + " (printed)", printed1);
    nw::DiagnosticSink sink2;
    nw::dsl::SyntaxTree tree2 = nw::dsl::Parse(again, sink2);
    ASSERT_FALSE(sink2.HasErrors()) << "the canonical text of " << rel << " does not parse:\n"
                                    << nw::RenderAllHuman(sink2.Sorted()) << "\nthe canonical text:\n"
                                    << printed1;
    const std::string printed2 = nw::dsl::Print(tree2);
    EXPECT_EQ(printed1, printed2) << "printing " << rel << " is not idempotent";
    EXPECT_EQ(TreeDump(tree1).Run(), TreeDump(tree2).Run())
        << "the canonical text of " << rel << " parses to another tree; the canonical text:\n"
        << printed1;
  }

 private:
  fs::path file_;
};

// ---------------------------------------------------------------------------
// Housekeeping: no `.expected` without its `.norm`, and docs/diagnostics.md
// agrees with the bad goldens.

class OrphansTest : public testing::Test {
 public:
  void TestBody() override {
    for (const char* stage : {"parse", "check"}) {
      for (const char* verdict : {"good", "bad"}) {
        fs::path dir = Root() / "tests/golden" / stage / verdict;
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
          fs::path p = entry.path();
          if (p.extension() == ".expected") {
            fs::path norm = p;
            norm.replace_extension(".norm");
            EXPECT_TRUE(fs::exists(norm)) << Relative(p) << " has no " << Relative(norm);
          } else if (p.extension() == ".known-bug") {
            fs::path norm = p;
            norm.replace_extension(".norm");
            EXPECT_TRUE(fs::exists(norm)) << Relative(p) << " has no " << Relative(norm);
          } else if (p.extension() != ".norm" && p.extension() != ".json") {
            ADD_FAILURE() << "unexpected file " << Relative(p) << " among the goldens";
          }
        }
      }
    }
  }
};

// docs/diagnostics.md lists codes in table rows: | `code` | meaning | `tests/golden/...norm` or — |
class CatalogueTest : public testing::Test {
 public:
  void TestBody() override {
    auto doc = ReadFile(Root() / "docs/diagnostics.md");
    ASSERT_TRUE(doc.has_value()) << "docs/diagnostics.md is missing";
    static const std::regex kRow(R"(^\|\s*`([a-z0-9-]+)`\s*\|.*\|\s*(.*?)\s*\|\s*$)");
    static const std::regex kFile(R"(`(tests/golden/[a-z]+/bad/[A-Za-z0-9_]+\.norm)`)");
    std::set<std::string> listed;
    for (const std::string& line : Lines(Normalise(*doc))) {
      std::smatch m;
      if (!std::regex_match(line, m, kRow)) continue;
      const std::string code = m[1];
      EXPECT_TRUE(listed.insert(code).second) << "`" << code << "` is listed twice in docs/diagnostics.md";
      // Every golden named in the last cell shows the code; a cell without
      // one is a code that no single file can show (I/O, amendments).
      const std::string golden_cell = m[2];
      for (auto f = std::sregex_iterator(golden_cell.begin(), golden_cell.end(), kFile); f != std::sregex_iterator();
           ++f) {
        const std::string file = (*f)[1];
        fs::path expected = Root() / file;
        expected.replace_extension(".expected");
        auto text = ReadFile(expected);
        if (!text) {
          ADD_FAILURE() << "docs/diagnostics.md names " << file << " for `" << code << "`, but it has no .expected";
          continue;
        }
        bool shown = text->find("[" + code + "]") != std::string::npos ||
                     text->find("\\[" + code + "\\]") != std::string::npos;  // in a <REGEX>: line
        EXPECT_TRUE(shown) << "docs/diagnostics.md says " << file << " shows `" << code << "`, but its output does not";
      }
    }
    // Every code a bad golden shows is in the catalogue.
    static const std::regex kCode(R"(^(?:<REGEX>:)?\S+: (error|warning|note): .* \\?\[([a-z0-9-]+)\\?\]$)");
    for (const char* stage : {"parse", "check"}) {
      for (const fs::path& norm : NormFilesIn(Root() / "tests/golden" / stage / "bad")) {
        fs::path expected = norm;
        expected.replace_extension(".expected");
        auto text = ReadFile(expected);
        if (!text) continue;
        for (const std::string& line : Lines(Normalise(*text))) {
          std::smatch m;
          if (std::regex_match(line, m, kCode)) {
            EXPECT_TRUE(listed.count(m[2])) << "`" << m[2] << "` (shown by " << Relative(norm)
                                            << ") is not in docs/diagnostics.md";
          }
        }
      }
    }
  }
};

void RegisterAll() {
  const fs::path golden = Root() / "tests/golden";
  for (const char* stage : {"parse", "check"}) {
    for (const char* verdict : {"bad", "good"}) {
      for (const fs::path& file : NormFilesIn(golden / stage / verdict)) {
        std::string name = TestName(file, golden);
        bool bad = std::string(verdict) == "bad";
        std::string s = stage;
        testing::RegisterTest("golden", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [file, s, bad]() -> testing::Test* { return new GoldenTest(file, s, bad); });
      }
    }
  }
  std::vector<fs::path> round_trip;
  for (const char* dir : {"rules", "corpus", "amendments"}) {
    for (const fs::path& f : NormFilesUnder(Root() / dir)) round_trip.push_back(f);
  }
  // Every good golden, and the check/bad goldens: they parse cleanly by
  // definition and hold constructs the good ones cannot (amendment syntax).
  for (const char* dir : {"parse/good", "check/good", "check/bad"}) {
    for (const fs::path& f : NormFilesUnder(golden / dir)) round_trip.push_back(f);
  }
  for (const fs::path& file : round_trip) {
    std::string name = TestName(file, Root());
    testing::RegisterTest("roundtrip", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [file]() -> testing::Test* { return new RoundTripTest(file); });
  }
  testing::RegisterTest("housekeeping", "orphans", nullptr, nullptr, __FILE__, __LINE__,
                        []() -> testing::Test* { return new OrphansTest(); });
  testing::RegisterTest("housekeeping", "diagnostics_catalogue", nullptr, nullptr, __FILE__, __LINE__,
                        []() -> testing::Test* { return new CatalogueTest(); });
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  // Scenario fact files are found relative to the rule file's name, which is
  // relative to the root: run from there wherever the binary was started.
  std::error_code ec;
  fs::current_path(Root(), ec);
  if (ec) {
    std::cerr << "golden_runner: cannot enter " << Root() << ": " << ec.message() << "\n";
    return 2;
  }
  RegisterAll();
  return RUN_ALL_TESTS();
}
