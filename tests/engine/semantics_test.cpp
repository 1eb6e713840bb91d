// The semantics of docs/semantics.md, one test per point: three-valued facts,
// resolution of exceptions and source levels, missing facts and open norms,
// time, groups and windows, money.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "dsl/check.hpp"
#include "dsl/parser.hpp"
#include "dsl/support/render.hpp"
#include "engine/program.hpp"

namespace nw::engine {
namespace {

// A small schema shared by the tests; each test adds its rules.
constexpr const char* kSchema = R"(
act t "Testwet" bwb BWBR0000001
enum level_kind { a, b }
entity case { items : list of item  people : list of person  docs : list of doc }
entity item part of case {
  x : optional bool
  y : optional bool
  d : optional date
  n : optional integer
  m : optional money
}
entity person part of case {
  days : list of day
}
entity day part of person {
  date : date
  start : optional time
  end : optional time
  home : optional bool
  hours : optional timespan
}
entity doc part of case {
  level : source_level
  value : optional integer
}
parameter t.limit : integer
  cites t art 1
  from 2020-01-01 to 2023-12-31 = 10
    source "test"
  from 2024-01-01 = 20
    source "test"
)";

struct Result {
  Report report;
  std::string diagnostics;
};

// Checks the schema plus `rules`, loads `facts`, evaluates as of `as_of`.
Result Evaluate(const std::string& rules, const std::string& facts, const std::string& as_of) {
  Source src("test.norm", std::string(kSchema) + rules);
  DiagnosticSink sink;
  dsl::SyntaxTree tree = dsl::Parse(src, sink);
  auto rs = dsl::Check({&tree}, {}, sink);
  Result out;
  out.diagnostics = RenderAllHuman(sink.Sorted());
  if (!rs) return out;
  FactStore store(*rs);
  std::vector<FactError> errors;
  bool ok = LoadJsonDocument(store, "case.json", facts, errors);
  if (!ok) {
    for (const auto& e : errors) out.diagnostics += e.where + ": " + e.message + "\n";
    return out;
  }
  store.Seal();
  Program program = Program::Compile(*rs);
  EvalOptions options;
  options.as_of = *Date::Parse(as_of);
  out.report = program.Evaluate(store, options);
  return out;
}

std::string Rule(const std::string& id, const std::string& extra, const std::string& when,
                 const std::string& subject = "item i", const std::string& kind = "violation") {
  return "\nrule " + id + "\n  title nl \"t\" en \"t\"\n  kind " + kind + " severity high\n  cites t art 1\n" +
         "  valid from 2020-01-01\n" + extra + "  for " + subject + "\n  when " + when +
         "\n  message nl \"m\" en \"m\"\n";
}

// Verdict for the single subject: "" (nothing) or the finding kind.
std::string Verdict(const Result& r, const std::string& rule = "") {
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics;
  std::string out;
  for (const auto& f : r.report.findings) {
    if (!rule.empty() && f.rule != rule) continue;
    out += (out.empty() ? "" : ",") + std::string(dsl::FindingKindName(f.kind));
  }
  if (!r.report.errors.empty()) out += (out.empty() ? "" : ",") + std::string("error");
  return out;
}

// JSON for one item with fields x and y in the given states: "t", "f", "n" (null), "u" (absent).
std::string Item(const std::string& x, const std::string& y) {
  auto field = [](const char* name, const std::string& v) -> std::string {
    if (v == "u") return "";
    std::string val = v == "t" ? "true" : v == "f" ? "false" : "null";
    return std::string("\"") + name + "\": " + val + ",";
  };
  std::string body = field("x", x) + field("y", y);
  if (!body.empty()) body.pop_back();
  return R"({"items": [{)" + body + "}]}";
}

TEST(Semantics, P1_KleeneAnd) {
  // Expected verdicts for x and y in {true, false, none, unknown}.
  const std::map<std::string, std::string> expected = {{"tt", "violation"},
                                                       {"tf", ""},
                                                       {"tn", ""},
                                                       {"tu", "undetermined"},
                                                       {"ft", ""},
                                                       {"ff", ""},
                                                       {"fn", ""},
                                                       {"fu", ""},
                                                       {"nt", ""},
                                                       {"nf", ""},
                                                       {"nn", ""},
                                                       {"nu", ""},
                                                       {"ut", "undetermined"},
                                                       {"uf", ""},
                                                       {"un", ""},
                                                       {"uu", "undetermined"}};
  for (const auto& [xy, want] : expected) {
    auto r = Evaluate(Rule("t.and", "", "i.x and i.y"), Item(xy.substr(0, 1), xy.substr(1, 1)), "2024-06-30");
    EXPECT_EQ(Verdict(r), want) << "x y = " << xy;
  }
}

TEST(Semantics, P1_KleeneOr) {
  const std::map<std::string, std::string> expected = {
      {"tt", "violation"},    {"tf", "violation"},    {"tu", "violation"},    {"ft", "violation"}, {"ff", ""},
      {"fu", "undetermined"}, {"uf", "undetermined"}, {"uu", "undetermined"}, {"nf", ""},          {"nt", "violation"}};
  for (const auto& [xy, want] : expected) {
    auto r = Evaluate(Rule("t.or", "", "i.x or i.y"), Item(xy.substr(0, 1), xy.substr(1, 1)), "2024-06-30");
    EXPECT_EQ(Verdict(r), want) << "x y = " << xy;
  }
}

// The engine evaluates the right operand of `and` / `or` only for the rows the
// left one leaves open (a compacted frame once most rows are decided). Over many
// subjects in every combination, each verdict must still be Kleene's.
TEST(Semantics, P1_KleeneOverManySubjects) {
  // Three-valued truth: 0 false, 1 true, 2 unknown.
  auto truth = [](char c) { return c == 't' ? 1 : c == 'u' ? 2 : 0; };  // n (null) reads as false
  auto kand = [](int a, int b) { return (a == 0 || b == 0) ? 0 : (a == 2 || b == 2) ? 2 : 1; };
  auto kor = [](int a, int b) { return (a == 1 || b == 1) ? 1 : (a == 2 || b == 2) ? 2 : 0; };
  // The right operand `i.y or i.n > 2` (more than a field, so it is evaluated apart).
  auto right = [&](char y, const std::string& n) {
    int cmp = n == "u" ? 2 : n == "n" ? 0 : (std::stoi(n) > 2 ? 1 : 0);
    return kor(truth(y), cmp);
  };
  const std::string xs = "ffffffftnu";  // most rows decided by x for `and`
  const std::string ys = "tfnu";
  const std::vector<std::string> ns = {"1", "5", "n", "u"};
  std::string facts = R"({"items": [)";
  std::vector<std::tuple<char, char, std::string>> rows;
  for (char x : xs) {
    for (char y : ys) {
      for (const std::string& n : ns) {
        rows.emplace_back(x, y, n);
        auto fact = [](const char* name, const std::string& v) -> std::string {
          if (v == "u") return "";
          std::string value = v == "t" ? "true" : v == "f" ? "false" : v == "n" ? "null" : v;
          return std::string("\"") + name + "\": " + value + ", ";
        };
        std::string item = fact("x", std::string(1, x)) + fact("y", std::string(1, y)) + fact("n", n);
        if (!item.empty()) item.resize(item.size() - 2);
        facts += (rows.size() > 1 ? ", {" : "{") + item + "}";
      }
    }
  }
  facts += "]}";
  for (bool is_and : {true, false}) {
    std::string op = is_and ? "and" : "or";
    auto r = Evaluate(Rule("t.k", "", "i.x " + op + " (i.y or i.n > 2)"), facts, "2024-06-30");
    ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
    std::map<std::string, std::string> got;
    for (const auto& f : r.report.findings) got[f.subject] = std::string(dsl::FindingKindName(f.kind));
    for (size_t k = 0; k < rows.size(); ++k) {
      const auto& [x, y, n] = rows[k];
      int want = is_and ? kand(truth(x), right(y, n)) : kor(truth(x), right(y, n));
      std::string expect = want == 1 ? "violation" : want == 2 ? "undetermined" : "";
      std::string path = "items[" + std::to_string(k) + "]";
      EXPECT_EQ(got.count(path) ? got[path] : "", expect) << op << " x=" << x << " y=" << y << " n=" << n;
    }
  }
}

// `and` / `or` over many subjects whose right operand is also an error (a
// derived fact that overflows): false decides `and` and true decides `or` even
// beside an error; otherwise an error wins over unknown. The left operand
// decides too few rows for the right one to be evaluated apart, so the rows
// are combined sixteen at a time.
TEST(Semantics, P1_KleeneWithErrorsOverManySubjects) {
  // 0 false, 1 true, 2 unknown, 3 error.
  auto kand = [](int a, int b) { return (a == 0 || b == 0) ? 0 : (a == 3 || b == 3) ? 3 : (a == 2 || b == 2) ? 2 : 1; };
  auto kor = [](int a, int b) { return (a == 1 || b == 1) ? 1 : (a == 3 || b == 3) ? 3 : (a == 2 || b == 2) ? 2 : 0; };
  const std::string xs = "tttuunf";
  // n: twice > 0 is true, false, false (null: absent), unknown, an error (out of range).
  const std::vector<std::pair<std::string, int>> ns = {
      {"1", 1}, {"-1", 0}, {"null", 0}, {"", 2}, {"4611686018427387904", 3}};
  std::string facts = R"({"items": [)";
  std::vector<std::pair<int, int>> rows;  // truth of x, of twice > 0
  for (int rep = 0; rep < 3; ++rep) {
    for (char x : xs) {
      for (const auto& [n, t] : ns) {
        std::string item;
        if (x != 'u') item += std::string(R"("x": )") + (x == 't' ? "true" : x == 'f' ? "false" : "null");
        if (!n.empty()) item += std::string(item.empty() ? "" : ", ") + R"("n": )" + n;
        facts += (rows.empty() ? "{" : ", {") + item + "}";
        rows.emplace_back(x == 't' ? 1 : x == 'u' ? 2 : 0, t);
      }
    }
  }
  facts += "]}";
  const std::string define = "\ndefine twice of item i : integer\n  = i.n * 2\n";
  for (bool is_and : {true, false}) {
    const std::string op = is_and ? "and" : "or";
    auto r = Evaluate(define + Rule("t.k", "", "i.x " + op + " i.twice > 0"), facts, "2024-06-30");
    ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
    std::map<std::string, std::string> got;
    for (const auto& f : r.report.findings) got[f.subject] = std::string(dsl::FindingKindName(f.kind));
    for (const auto& e : r.report.errors) got[e.subject] = "error";
    for (size_t k = 0; k < rows.size(); ++k) {
      const auto& [x, t] = rows[k];
      const int want = is_and ? kand(x, t) : kor(x, t);
      const std::string expect = want == 1 ? "violation" : want == 2 ? "undetermined" : want == 3 ? "error" : "";
      const std::string path = "items[" + std::to_string(k) + "]";
      EXPECT_EQ(got.count(path) ? got[path] : "", expect) << op << " row " << k;
    }
  }
}

TEST(Semantics, P1_NotAndIs) {
  EXPECT_EQ(Verdict(Evaluate(Rule("t.not", "", "not i.x"), Item("f", "u"), "2024-06-30")), "violation");
  EXPECT_EQ(Verdict(Evaluate(Rule("t.not", "", "not i.x"), Item("n", "u"), "2024-06-30")), "violation");
  EXPECT_EQ(Verdict(Evaluate(Rule("t.not", "", "not i.x"), Item("u", "u"), "2024-06-30")), "undetermined");
  EXPECT_EQ(Verdict(Evaluate(Rule("t.is", "", "i.x is unknown"), Item("u", "u"), "2024-06-30")), "violation");
  EXPECT_EQ(Verdict(Evaluate(Rule("t.is", "", "i.x is none"), Item("n", "u"), "2024-06-30")), "violation");
  EXPECT_EQ(Verdict(Evaluate(Rule("t.is", "", "i.x is known"), Item("n", "u"), "2024-06-30")), "");
  EXPECT_EQ(Verdict(Evaluate(Rule("t.is", "", "i.x is not known"), Item("u", "u"), "2024-06-30")), "violation");
}

TEST(Semantics, P1_NoneInComparisons) {
  std::string rule = Rule("t.late", "", "not (i.d <= 2024-03-01)");
  // A decision known to be absent missed the deadline; an unknown one is undetermined.
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"d": null}]})", "2024-06-30")), "violation");
  auto r = Evaluate(rule, R"({"items": [{}]})", "2024-06-30");
  EXPECT_EQ(Verdict(r), "undetermined");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_EQ(r.report.findings[0].missing, std::vector<std::string>{"items[0].d"});
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"d": "2024-03-01"}]})", "2024-06-30")), "");
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"d": "2024-03-02"}]})", "2024-06-30")), "violation");
  EXPECT_EQ(Verdict(Evaluate(Rule("t.ne", "", "i.n != 3"), R"({"items": [{"n": null}]})", "2024-06-30")), "violation");
}

// Without explanations (a batch audit), an undetermined finding still names
// the facts it waits on when asked to: the same ones an explained run names.
TEST(Semantics, P3_MissingFactsWithoutExplanations) {
  Source src("test.norm", std::string(kSchema) + Rule("t.late", "", "not (i.d <= 2024-03-01) and i.n > 2"));
  DiagnosticSink sink;
  dsl::SyntaxTree tree = dsl::Parse(src, sink);
  auto rs = dsl::Check({&tree}, {}, sink);
  ASSERT_TRUE(rs) << RenderAllHuman(sink.Sorted());
  Program program = Program::Compile(*rs);
  auto run = [&](bool explain, bool missing) {
    FactStore store(*rs);
    std::vector<FactError> errors;
    EXPECT_TRUE(LoadJsonDocument(store, "case.json",
                                 R"({"items": [{"n": 5}, {"d": null}, {"d": "2024-03-09", "n": 1}]})", errors));
    store.Seal();
    EvalOptions options;
    options.as_of = *Date::Parse("2024-06-30");
    options.explain = explain;
    options.missing = missing;
    std::vector<std::vector<std::string>> out;
    for (const auto& f : program.Evaluate(store, options).findings) out.push_back(f.missing);
    return out;
  };
  auto explained = run(true, false);
  ASSERT_EQ(explained.size(), 2u);
  EXPECT_EQ(explained[0], std::vector<std::string>{"items[0].d"});
  EXPECT_EQ(explained[1], std::vector<std::string>{"items[1].n"});
  EXPECT_EQ(run(false, true), explained);
  // Without either, the findings are decided but name nothing.
  EXPECT_EQ(run(false, false), (std::vector<std::vector<std::string>>{{}, {}}));
}

// A derived fact without aggregates is computed for the subjects whose rules
// read it, when they read it; a later rule that reads it for every subject
// gets the same values (and the rows computed earlier are not computed again).
TEST(Semantics, P4_DerivedFactsOnDemand) {
  std::string rules = "\ndefine twice of item i : integer\n  = i.n * 2\n" + Rule("t.first", "", "i.x and i.twice > 4") +
                      Rule("t.second", "", "i.twice = 10");
  auto r = Evaluate(rules, R"({"items": [{"x": true, "n": 3}, {"x": false, "n": 5}, {"x": true, "n": 1}, {"n": 9}]})",
                    "2024-06-30");
  ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
  std::vector<std::string> got;
  for (const auto& f : r.report.findings)
    got.push_back(f.rule + " " + f.subject + " " + std::string(dsl::FindingKindName(f.kind)));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"t.first items[0] violation", "t.first items[3] undetermined",
                                           "t.second items[1] violation"}));
}

// A derived fact computed whole (its body has an aggregate) whose values need
// 64 bits, with some rows not known: the column widens and keeps every value.
TEST(Semantics, P4_DerivedFactsBeyond32Bits) {
  std::string rules =
      "\ndefine big of day d : integer\n  = (count of x in d.person.days where x.home and x.date = d.date) * "
      "3000000000\n" +
      Rule("t.two", "", "d.big > 5000000000", "person p, each d in p.days") +
      Rule("t.one", "", "d.big = 3000000000", "person p, each d in p.days");
  // The values beyond 32 bits in the first eight rows (written four at a time), none in the last two.
  std::string facts =
      R"({"people": [{"days": [{"date": "2024-01-01", "home": true}, {"date": "2024-01-02", "home": true},
      {"date": "2024-01-02", "home": true}, {"date": "2024-01-05", "home": true}, {"date": "2024-01-06", "home": true},
      {"date": "2024-01-07", "home": true}, {"date": "2024-01-08", "home": true}, {"date": "2024-01-09", "home": false},
      {"date": "2024-01-03", "home": false}, {"date": "2024-01-04"}]}]})";
  auto r = Evaluate(rules, facts, "2024-06-30");
  ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
  std::vector<std::string> got;
  for (const auto& f : r.report.findings)
    got.push_back(f.rule + " " + f.subject + " " + std::string(dsl::FindingKindName(f.kind)));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"t.one people[0].days[0] violation", "t.one people[0].days[3] violation",
                                           "t.one people[0].days[4] violation", "t.one people[0].days[5] violation",
                                           "t.one people[0].days[6] violation", "t.one people[0].days[9] undetermined",
                                           "t.two people[0].days[1] violation", "t.two people[0].days[2] violation",
                                           "t.two people[0].days[9] undetermined"}));
}

// A definition computed on demand whose body reads its row only through a few
// facts is evaluated once per distinct combination of them in a chunk
// (Evaluator::MemoChunk), and a definition it reads on the same row is computed
// along. That takes at least 64 rows waiting at once: the same items split into
// documents of 60 are evaluated row by row, and must give the same findings and
// the same errors with the same messages. Small values pack the inputs into an
// exact key; large ones (beyond 64 bits together, and overflowing) take the
// hashed path. Dates before any version of the parameter make errors.
TEST(Semantics, P4_DerivedFactsOncePerDistinctInput) {
  const std::string rules = R"(
define base of item i : money
  = i.m * i.n + i.m
define fast of item i : money
  = if i.x then i.base * 2 - i.m else i.base + i.m * 3
define lim of item i : integer
  = if i.x then t.limit on i.d else (if i.y then t.limit on i.d else 7)
)" + Rule("t.fast", "", "i.fast > €100") +
                            Rule("t.base", "", "i.base > €50") + Rule("t.lim", "", "i.lim > 12");
  // (rule, item, kind or error message) over documents of `per` items each.
  using Outcome = std::set<std::tuple<std::string, int, std::string>>;
  auto outcomes = [&](const std::vector<std::string>& items, size_t per) {
    Outcome out;
    for (size_t from = 0; from < items.size(); from += per) {
      std::string facts = R"({"items": [)";
      for (size_t k = from; k < std::min(items.size(), from + per); ++k) facts += (k > from ? ", " : "") + items[k];
      auto r = Evaluate(rules, facts + "]}", "2024-06-30");
      EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics;
      auto item = [&](const std::string& subject) {
        return static_cast<int>(from) + std::stoi(subject.substr(subject.find('[') + 1));
      };
      for (const auto& f : r.report.findings) out.insert({f.rule, item(f.subject), dsl::FindingKindName(f.kind)});
      for (const auto& e : r.report.errors) out.insert({e.rule, item(e.subject), e.message});
    }
    return out;
  };
  // Small and large values with facts absent or not given, and small values
  // all given (every input known: the keys need no states).
  for (int mode = 0; mode < 3; ++mode) {
    const bool large = mode == 1, complete = mode == 2;
    uint64_t seed = large ? 7 : complete ? 9 : 5;
    auto next = [&]() {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      return static_cast<uint32_t>(seed >> 33);
    };
    const std::vector<std::string> bools =
        complete ? std::vector<std::string>{"true", "false"} : std::vector<std::string>{"", "null", "true", "false"};
    const std::vector<std::string> ns =
        large      ? std::vector<std::string>{"", "null", "1", "3", "1073741823", "-1073741824"}
        : complete ? std::vector<std::string>{"-5", "0", "1", "3", "7", "1000"}
                   : std::vector<std::string>{"", "null", "0", "1", "3", "7"};
    const std::vector<std::string> ms =
        large      ? std::vector<std::string>{"", "null", R"("9000000000.00")", R"("-9000000000.00")", R"("12.50")"}
        : complete ? std::vector<std::string>{R"("10.00")", R"("12.50")", R"("40.01")", R"("-3.00")"}
                   : std::vector<std::string>{"", "null", R"("10.00")", R"("12.50")", R"("40.01")"};
    const std::vector<std::string> ds =
        complete ? std::vector<std::string>{R"("2023-12-31")", R"("2024-01-01")", R"("2024-03-15")"}
                 : std::vector<std::string>{"", "null", R"("2019-06-01")", R"("2023-12-31")", R"("2024-01-01")"};
    std::vector<std::string> items;
    for (int k = 0; k < 300; ++k) {
      std::string item;
      auto add = [&](const char* name, const std::string& v) {
        if (!v.empty()) item += std::string(item.empty() ? "" : ", ") + "\"" + name + "\": " + v;
      };
      add("x", bools[next() % bools.size()]);
      add("y", bools[next() % bools.size()]);
      add("n", ns[next() % ns.size()]);
      add("m", ms[next() % ms.size()]);
      add("d", ds[next() % ds.size()]);
      items.push_back("{" + item + "}");
    }
    Outcome together = outcomes(items, items.size()), apart = outcomes(items, 60);
    EXPECT_EQ(together, apart) << (large ? "large values" : complete ? "every fact given" : "small values");
    // Every kind of outcome was compared, for each rule.
    for (const char* rule : {"t.fast", "t.base", "t.lim"}) {
      std::set<std::string> seen;
      for (const auto& [r, k, what] : together) {
        if (r == rule) seen.insert(what);
      }
      EXPECT_TRUE(seen.count("violation")) << rule;
      if (complete) {
        EXPECT_EQ(seen.size(), 1u) << rule;
        continue;
      }
      EXPECT_TRUE(seen.count("undetermined")) << rule;
      // Errors: parameters before their first version; overflow with large values.
      if (large || std::string(rule) == "t.lim") {
        EXPECT_GE(seen.size(), 3u) << rule << ": no error";
      }
    }
  }
}

TEST(Semantics, P2_1_ErrorIsReportedAndTheRunGoesOn) {
  std::string rules = Rule("t.over", "", "i.n * 9223372036854775807 > 0") + Rule("t.fine", "", "i.n = 2");
  auto r = Evaluate(rules, R"({"items": [{"n": 2}]})", "2024-06-30");
  EXPECT_EQ(r.report.errors.size(), 1u);
  EXPECT_EQ(r.report.errors[0].rule, "t.over");
  EXPECT_EQ(Verdict(r, "t.fine"), "violation,error");
}

// Sums and differences that overflow in some rows of a chunk: an error for
// those subjects only, with every operand known and with some not known
// (the two kernels of EvalArith), at even and odd positions.
TEST(Semantics, P2_1b_SumAndDifferenceOverflowPerRow) {
  const std::string facts = R"({"items": [{"n": -5}, {"n": 1}, {"n": -7}, {"n": 3}, {"n": -9}]})";
  const std::string facts_unknown = R"({"items": [{"n": -5}, {"n": 1}, {}, {"n": 3}, {"n": -9}]})";
  for (const std::string& op :
       {std::string("+ 9223372036854775807 > 0"), std::string("- (0 - 9223372036854775807) > 0")}) {
    for (const std::string& f : {facts, facts_unknown}) {
      auto r = Evaluate(Rule("t.sum", "", "i.n " + op), f, "2024-06-30");
      ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
      std::vector<std::string> got;
      for (const auto& e : r.report.errors) got.push_back(e.subject);
      for (const auto& x : r.report.findings)
        got.push_back(x.subject + " " + std::string(dsl::FindingKindName(x.kind)));
      std::sort(got.begin(), got.end());
      std::vector<std::string> want{"items[0] violation", "items[1]", "items[3]", "items[4] violation"};
      want.push_back(f == facts ? "items[2] violation" : "items[2] undetermined");
      std::sort(want.begin(), want.end());
      EXPECT_EQ(got, want) << op;
    }
  }
}

// `is known`, `is none` and `is unknown` over a chunk of more than sixteen rows
// whose operand takes every state: known, absent (null), unknown (not given)
// and an error (a derived fact that overflows). A stored fact of the subject
// is read by its states alone; a derived fact computed on demand is computed
// by its first reader (t.first) and read by its states by the next (t.second).
TEST(Semantics, P1_IsKnownNoneUnknownInALongChunk) {
  std::string items;
  std::map<std::string, int> state_of;  // of i.twice: 0 known, 1 none, 2 unknown, 3 error
  for (int k = 0; k < 45; ++k) {
    const int st = (k * 7 + k / 4) % 4;
    // x: whether t.unless decides the row (its `unless` reads the others' rows, gathered).
    const std::string x = k % 5 < 2 ? R"("x": true, )" : R"("x": false, )";
    if (st == 0) items += "{" + x + R"("n": )" + std::to_string(k) + "},";
    if (st == 1) items += "{" + x + R"("n": null},)";
    if (st == 2) items += "{" + x.substr(0, x.size() - 2) + "},";
    if (st == 3) items += "{" + x + R"("n": 4611686018427387904},)";  // twice is out of range
    state_of["items[" + std::to_string(k) + "]"] = st + (k % 5 < 2 ? 4 : 0);
  }
  items.pop_back();
  const std::string facts = R"({"items": [)" + items + "]}";
  const std::string define = "\ndefine twice of item i : integer\n  = i.n * 2\n";
  for (const char* test : {"is known", "is none", "is unknown"}) {
    const int want_state = std::string(test) == "is known" ? 0 : std::string(test) == "is none" ? 1 : 2;
    auto r = Evaluate(define + Rule("t.fact", "", std::string("i.n ") + test) +
                          Rule("t.first", "", std::string("i.twice ") + test) +
                          Rule("t.second", "", std::string("i.twice ") + test) +
                          Rule("t.unless", "", "i.x\n  unless i.twice " + std::string(test)),
                      facts, "2024-06-30");
    ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
    std::map<std::string, std::set<std::string>> got;  // rule -> "subject outcome"
    for (const auto& x : r.report.findings)
      got[x.rule].insert(x.subject + " " + std::string(dsl::FindingKindName(x.kind)));
    for (const auto& e : r.report.errors) got[e.rule].insert(e.subject + " error");
    std::set<std::string> want_fact, want_derived, want_unless;
    for (const auto& [subject, code] : state_of) {
      const int st = code % 4;
      const bool x = code >= 4;
      // i.n is known where twice overflows; twice is an error there.
      if ((st == 3 ? 0 : st) == want_state) want_fact.insert(subject + " violation");
      if (st == 3)
        want_derived.insert(subject + " error");
      else if (st == want_state)
        want_derived.insert(subject + " violation");
      if (x && st == 3)
        want_unless.insert(subject + " error");
      else if (x && st != want_state)
        want_unless.insert(subject + " violation");
    }
    EXPECT_EQ(got["t.fact"], want_fact) << test;
    EXPECT_EQ(got["t.first"], want_derived) << test;
    EXPECT_EQ(got["t.second"], want_derived) << test;
    EXPECT_EQ(got["t.unless"], want_unless) << test;
  }
}

// Comparisons over a chunk of more than sixteen rows with absent (null) and
// unknown (not given) operands: an absent fact equals nothing and orders
// before nothing, an unknown one leaves the row undetermined.
TEST(Semantics, P2_1c_ComparisonsWithAbsentOperandsInALongChunk) {
  std::string items;
  std::vector<std::string> want_eq, want_ne;
  for (int k = 0; k < 37; ++k) {
    const std::string path = "items[" + std::to_string(k) + "]";
    if (k % 5 == 1) {
      items += R"({"n": null},)";
      want_ne.push_back(path + " violation");
    } else if (k % 7 == 3) {
      items += "{},";
      want_eq.push_back(path + " undetermined");
      want_ne.push_back(path + " undetermined");
    } else {
      const int n = k % 3;
      items += R"({"n": )" + std::to_string(n) + "},";
      (n == 2 ? want_eq : want_ne).push_back(path + " violation");
    }
  }
  items.pop_back();
  const std::string facts = R"({"items": [)" + items + "]}";
  for (const auto& [when, want] :
       {std::pair{std::string("i.n = 2"), want_eq}, std::pair{std::string("i.n != 2"), want_ne}}) {
    auto r = Evaluate(Rule("t.cmp", "", when), facts, "2024-06-30");
    ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
    std::vector<std::string> got;
    for (const auto& x : r.report.findings) got.push_back(x.subject + " " + std::string(dsl::FindingKindName(x.kind)));
    std::vector<std::string> sorted_want = want;
    std::sort(got.begin(), got.end());
    std::sort(sorted_want.begin(), sorted_want.end());
    EXPECT_EQ(got, sorted_want) << when;
  }
}

// Orderings of integers far apart (differences that overflow 64 bits) over a
// chunk of more than sixteen rows, against the same comparisons in C++.
// Integers that fit in 32 bits are stored narrow and widened when a chunk is
// read (eight rows at a time, then one at a time): negative values, the
// 32-bit extremes, and a row count that is not a multiple of eight.
TEST(Semantics, P2_1c_NarrowIntegersKeepTheirSignWhenRead) {
  const std::vector<int64_t> values{
      INT32_MIN, INT32_MAX,     -1, 0, 1,  -2, 2,         -100000, 100000, -3, INT32_MIN + 1, 7,
      -7,        INT32_MAX - 1, -1, 5, -5, 9,  INT32_MIN, 3,       -4};
  std::string items;
  for (int64_t v : values) items += R"({"n": )" + std::to_string(v) + "},";
  items.pop_back();
  const std::string facts = R"({"items": [)" + items + "]}";
  const std::vector<std::pair<std::string, std::function<bool(int64_t)>>> cases{
      {"i.n < 0", [](int64_t v) { return v < 0; }},
      {"i.n = 0 - 1", [](int64_t v) { return v == -1; }},
      {"i.n < 0 - 2147483647", [](int64_t v) { return v < -INT32_MAX; }},
      {"i.n > 2147483646", [](int64_t v) { return v > INT32_MAX - 1; }},
      {"i.n + 1 > 0", [](int64_t v) { return v + 1 > 0; }}};
  for (const auto& [cond, holds] : cases) {
    auto r = Evaluate(Rule("t.narrow", "", cond), facts, "2024-06-30");
    ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
    std::set<std::string> got, want;
    for (const auto& f : r.report.findings) got.insert(f.subject);
    for (size_t i = 0; i < values.size(); ++i)
      if (holds(values[i])) want.insert("items[" + std::to_string(i) + "]");
    EXPECT_EQ(got, want) << cond;
  }
}

TEST(Semantics, P2_1d_OrderingsOfExtremeIntegersInALongChunk) {
  const std::vector<int64_t> values{
      INT64_MAX,  -INT64_MAX, 0,  -1, 1,  INT64_MAX - 1, -INT64_MAX + 1, 42, -42, 3, INT64_MAX, -7, 7, 0,
      -INT64_MAX, 5,          -5, 9,  100};
  std::string items;
  for (int64_t v : values) items += R"({"n": )" + std::to_string(v) + "},";
  items.pop_back();
  const std::string facts = R"({"items": [)" + items + "]}";
  const std::vector<std::pair<std::string, int64_t>> bounds{
      {"9223372036854775807", INT64_MAX}, {"0 - 9223372036854775807", -INT64_MAX}, {"0", 0}, {"1", 1}, {"0 - 1", -1}};
  for (const auto& [text, k] : bounds) {
    for (const std::string op : {"<", "<=", ">", ">="}) {
      auto r = Evaluate(Rule("t.ord", "", "i.n " + op + " " + text), facts, "2024-06-30");
      ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
      std::vector<std::string> got, want;
      for (const auto& x : r.report.findings) got.push_back(x.subject);
      for (size_t j = 0; j < values.size(); ++j) {
        const int64_t v = values[j];
        const bool holds = op == "<" ? v < k : op == "<=" ? v <= k : op == ">" ? v > k : v >= k;
        if (holds) want.push_back("items[" + std::to_string(j) + "]");
      }
      std::sort(got.begin(), got.end());
      std::sort(want.begin(), want.end());
      EXPECT_EQ(got, want) << "i.n " << op << " " << text;
    }
  }
}

// A day's aggregate over the records of its own date (a self plan), each date
// once: a record whose filter or value is unknown leaves its day
// undetermined, the others are decided by their own record.
TEST(Semantics, P2_1e_DayAggregateWithDistinctDatesAndUnknownFacts) {
  const std::string rules =
      "\ndefine home_hours of day d : timespan\n"
      "  = sum of x.hours for x in d.person.days where x.home and x.date = d.date\n" +
      Rule("t.day", "", "d.home_hours > 480 minutes", "person p, each d in p.days");
  const std::string facts = R"({"people": [{"days": [
      {"date": "2024-01-01", "home": true, "hours": "540 minutes"},
      {"date": "2024-01-02", "home": true},
      {"date": "2024-01-03", "home": false, "hours": "600 minutes"},
      {"date": "2024-01-04", "hours": "600 minutes"},
      {"date": "2024-01-05", "home": true, "hours": "300 minutes"},
      {"date": "2024-01-06", "home": true, "hours": "481 minutes"}]}]})";
  auto r = Evaluate(rules, facts, "2024-06-30");
  ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
  std::vector<std::string> got;
  for (const auto& f : r.report.findings) got.push_back(f.subject + " " + std::string(dsl::FindingKindName(f.kind)));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"people[0].days[0] violation", "people[0].days[1] undetermined",
                                           "people[0].days[3] undetermined", "people[0].days[5] violation"}));
}

std::string Exception(const std::string& id, const std::string& base, const std::string& when,
                      const std::string& kind_and_text = "", const std::string& extra = "") {
  std::string s = "\nrule " + id + " exception to " + base + "\n";
  if (!kind_and_text.empty()) s += "  title nl \"x\" en \"x\"\n  kind " + kind_and_text + " severity low\n";
  s += "  cites t art 2\n  valid from 2020-01-01\n" + extra + "  when " + when + "\n";
  if (!kind_and_text.empty()) s += "  message nl \"x\" en \"x\"\n";
  return s;
}

TEST(Semantics, P2_2_FalseConditionIgnoresExceptions) {
  std::string rules = Rule("t.base", "", "i.x") + Exception("t.ex", "t.base", "i.y", "info");
  EXPECT_EQ(Verdict(Evaluate(rules, Item("f", "t"), "2024-06-30")), "");
}

TEST(Semantics, P2_3_ExceptionOverrides) {
  std::string rules = Rule("t.base", "", "i.x") + Exception("t.ex", "t.base", "i.y");
  EXPECT_EQ(Verdict(Evaluate(rules, Item("t", "t"), "2024-06-30")), "");
  EXPECT_EQ(Verdict(Evaluate(rules, Item("t", "f"), "2024-06-30")), "violation");
}

TEST(Semantics, P2_4_ExceptionWithItsOwnFinding) {
  std::string rules = Rule("t.base", "", "i.x") + Exception("t.ex", "t.base", "i.y", "info");
  auto r = Evaluate(rules, Item("t", "t"), "2024-06-30");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_EQ(r.report.findings[0].rule, "t.ex");
  EXPECT_EQ(r.report.findings[0].kind, dsl::FindingKind::kInfo);
  EXPECT_EQ(r.report.findings[0].decided_by, "lex specialis: exception to t.base");
}

TEST(Semantics, P2_5_TwoDisagreeingExceptionsConflict) {
  std::string rules = Rule("t.base", "", "i.x") + Exception("t.e1", "t.base", "i.y", "info") +
                      Exception("t.e2", "t.base", "i.y", "risk");
  auto r = Evaluate(rules, Item("t", "t"), "2024-06-30");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_EQ(r.report.findings[0].kind, dsl::FindingKind::kConflict);
  EXPECT_EQ(r.report.findings[0].rule, "t.base");
  // A finding and a plain defeater disagree too.
  std::string mixed =
      Rule("t.base", "", "i.x") + Exception("t.e1", "t.base", "i.y", "info") + Exception("t.e2", "t.base", "i.y");
  EXPECT_EQ(Verdict(Evaluate(mixed, Item("t", "t"), "2024-06-30")), "conflict");
}

TEST(Semantics, P2_6_PriorityDecides) {
  std::string rules = Rule("t.base", "", "i.x") + Exception("t.e1", "t.base", "i.y", "info", "  priority over t.e2\n") +
                      Exception("t.e2", "t.base", "i.y", "risk");
  auto r = Evaluate(rules, Item("t", "t"), "2024-06-30");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_EQ(r.report.findings[0].rule, "t.e1");
}

TEST(Semantics, P2_7_PlainDefeatersAgree) {
  std::string rules =
      Rule("t.base", "", "i.x") + Exception("t.e1", "t.base", "i.y") + Exception("t.e2", "t.base", "i.y");
  EXPECT_EQ(Verdict(Evaluate(rules, Item("t", "t"), "2024-06-30")), "");
}

TEST(Semantics, P2_8_UnknownExceptionMakesUndetermined) {
  std::string rules = Rule("t.base", "", "i.x") + Exception("t.ex", "t.base", "i.y");
  auto r = Evaluate(rules, Item("t", "u"), "2024-06-30");
  EXPECT_EQ(Verdict(r), "undetermined");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_EQ(r.report.findings[0].missing, std::vector<std::string>{"items[0].y"});
}

TEST(Semantics, P2_8_ExceptionOfAnException) {
  std::string rules =
      Rule("t.base", "", "i.x") + Exception("t.ex", "t.base", "i.y") + Exception("t.exex", "t.ex", "i.n = 1");
  EXPECT_EQ(Verdict(Evaluate(rules, R"({"items": [{"x": true, "y": true, "n": 1}]})", "2024-06-30")), "violation");
  EXPECT_EQ(Verdict(Evaluate(rules, R"({"items": [{"x": true, "y": true, "n": 2}]})", "2024-06-30")), "");
}

TEST(Semantics, P2_9_DeviationBySource) {
  std::string rule = Rule("t.dev", "  deviable by cao, works_agreement\n  source p.level\n", "p.value > 3", "doc p");
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"docs": [{"level": "cao", "value": 5}]})", "2024-06-30")), "");
  auto r = Evaluate(rule, R"({"docs": [{"level": "policy", "value": 5}]})", "2024-06-30");
  EXPECT_EQ(Verdict(r), "violation");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_NE(r.report.findings[0].decided_by.find("lex superior"), std::string::npos);
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"docs": [{"level": "policy", "value": 2}]})", "2024-06-30")), "");
}

TEST(Semantics, P3_OpenNormMakesReview) {
  std::string schema_ext = "\nextend item { weighty : optional bool open \"zwaarwegend belang\" }\n";
  std::string rule = schema_ext + Rule("t.refusal", "", "i.x and not i.weighty");
  auto r = Evaluate(rule, R"({"items": [{"x": true}]})", "2024-06-30");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_EQ(r.report.findings[0].kind, dsl::FindingKind::kReview);
  EXPECT_EQ(r.report.findings[0].weigh, std::vector<std::string>{"zwaarwegend belang"});
  auto asserted = Evaluate(rule, R"({"items": [{"x": true, "weighty": false}]})", "2024-06-30");
  ASSERT_EQ(asserted.report.findings.size(), 1u);
  EXPECT_EQ(asserted.report.findings[0].kind, dsl::FindingKind::kViolation);
  ASSERT_EQ(asserted.report.findings[0].assertions.size(), 1u);
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"x": true, "weighty": true}]})", "2024-06-30")), "");
}

TEST(Semantics, P3_FalseConjunctIsNotAskedFor) {
  auto r = Evaluate(Rule("t.and", "", "i.x and i.y and i.n = 1"), R"({"items": [{"n": 1}]})", "2024-06-30");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_EQ(r.report.findings[0].missing, (std::vector<std::string>{"items[0].x", "items[0].y"}));
  auto r2 = Evaluate(Rule("t.and", "", "i.x and i.y and i.n = 1"), R"({"items": [{"n": 2}]})", "2024-06-30");
  EXPECT_TRUE(r2.report.findings.empty());
}

TEST(Semantics, P4_ParameterOnItsBoundaries) {
  std::string rule = Rule("t.limit", "", "i.n > t.limit");
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"n": 15}]})", "2023-12-31")), "violation");
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"n": 15}]})", "2024-01-01")), "");
  auto before = Evaluate(rule, R"({"items": [{"n": 15}]})", "2019-12-31");
  EXPECT_TRUE(before.report.findings.empty());  // the rule is not in force yet
  std::string no_value = Rule("t.limit2", "", "i.n > t.limit")
                             .replace(Rule("t.limit2", "", "i.n > t.limit").find("2020-01-01"), 10, "2010-01-01");
  auto r = Evaluate(no_value, R"({"items": [{"n": 15}]})", "2015-06-01");
  ASSERT_EQ(r.report.errors.size(), 1u);
  EXPECT_NE(r.report.errors[0].message.find("no value of parameter `t.limit`"), std::string::npos);
}

TEST(Semantics, P4_ParameterOnADate) {
  std::string rule = Rule("t.on", "", "i.n > t.limit on i.d");
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"n": 15, "d": "2023-12-31"}]})", "2025-01-01")), "violation");
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"n": 15, "d": "2024-01-01"}]})", "2025-01-01")), "");
}

TEST(Semantics, P4_JudgedOnTheSubjectsDate) {
  std::string rules =
      "\nrule t.old\n  title nl \"t\" en \"t\"\n  kind violation severity high\n  cites t art 1\n"
      "  valid from 2020-01-01 to 2023-12-31\n  judged on i.d\n  for item i\n  when i.n > t.limit\n"
      "  message nl \"{t.limit}\" en \"{t.limit}\"\n"
      "\nrule t.old\n  title nl \"t\" en \"t\"\n  kind risk severity high\n  cites t art 1\n"
      "  valid from 2024-01-01\n  judged on i.d\n  for item i\n  when i.n > t.limit\n"
      "  message nl \"{t.limit}\" en \"{t.limit}\"\n";
  auto r = Evaluate(
      rules, R"({"items": [{"n": 15, "d": "2023-06-01"}, {"n": 15, "d": "2024-06-01"}, {"n": 25, "d": "2024-06-01"}]})",
      "2025-06-30");
  ASSERT_EQ(r.report.findings.size(), 2u);
  EXPECT_EQ(r.report.findings[0].subject, "items[0]");
  EXPECT_EQ(r.report.findings[0].kind, dsl::FindingKind::kViolation);
  EXPECT_EQ(r.report.findings[0].message_en, "10");
  EXPECT_EQ(r.report.findings[1].subject, "items[2]");
  EXPECT_EQ(r.report.findings[1].kind, dsl::FindingKind::kRisk);
  EXPECT_EQ(r.report.findings[1].message_en, "20");
}

TEST(Semantics, P4_MonthEndsClamp) {
  std::string rule = Rule("t.month", "", "i.d - 1 month = 2024-02-29");
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"d": "2024-03-31"}]})", "2024-06-30")), "violation");
  std::string year = Rule("t.year", "", "i.d + 12 months = 2025-02-28");
  EXPECT_EQ(Verdict(Evaluate(year, R"({"items": [{"d": "2024-02-29"}]})", "2024-06-30")), "violation");
  std::string days = Rule("t.days", "", "i.d - 2024-01-01 = 60 days");
  EXPECT_EQ(Verdict(Evaluate(days, R"({"items": [{"d": "2024-03-01"}]})", "2024-06-30")), "violation");
}

TEST(Semantics, P4_WorkAcrossMidnight) {
  std::string rule = Rule("t.mid", "", "work_end(d.date, d.start, d.end) - (d.date at d.start) = 3 hours",
                          "person p, each d in p.days");
  EXPECT_EQ(
      Verdict(Evaluate(rule, R"({"people": [{"days": [{"date": "2024-01-05", "start": "22:00", "end": "01:00"}]}]})",
                       "2024-06-30")),
      "violation");
}

std::string Days(const std::vector<std::string>& dates) {
  std::string s = R"({"people": [{"days": [)";
  for (size_t i = 0; i < dates.size(); ++i)
    s += (i ? "," : "") + std::string(R"({"date": ")") + dates[i] + R"(", "home": true})";
  return s + "]}]}";
}

TEST(Semantics, P5_ConsecutivePairsInDateOrder) {
  std::string rule =
      Rule("t.gap", "", "b.date - a.date > 1 day", "person p, each consecutive (a, b) in p.days by date");
  auto r = Evaluate(rule, Days({"2024-01-10", "2024-01-01", "2024-01-02"}), "2024-06-30");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_EQ(r.report.findings[0].subject, "people[0].days[0]");  // 2024-01-02 → 2024-01-10
}

// Consecutive pairs by date over a work log out of date order, with a day's
// aggregate keyed on the same date (its index, sorted by (person, date), is
// shared with the pairs' order when every date is known). Each pair is
// judged at its later record.
TEST(Semantics, P5_ConsecutivePairsWithADayAggregateOnUnsortedDates) {
  const std::string rules =
      "\ndefine home_hours of day d : timespan\n"
      "  = sum of x.hours for x in d.person.days where x.home and x.date = d.date\n" +
      Rule("t.day", "", "d.home_hours > 480 minutes", "person p, each d in p.days") +
      Rule("t.gap", "", "b.date - a.date > 1 day", "person p, each consecutive (a, b) in p.days by date");
  auto subjects = [](const Result& r) {
    std::vector<std::string> got;
    for (const auto& f : r.report.findings)
      got.push_back(f.rule + " " + f.subject + " " + std::string(dsl::FindingKindName(f.kind)));
    std::sort(got.begin(), got.end());
    return got;
  };
  const std::string facts = R"({"people": [{"days": [
      {"date": "2024-01-10", "home": true, "hours": "540 minutes"},
      {"date": "2024-01-01", "home": true, "hours": "300 minutes"},
      {"date": "2024-01-02", "home": true, "hours": "240 minutes"},
      {"date": "2024-01-02", "home": true, "hours": "300 minutes"}]},
      {"days": [{"date": "2024-02-05", "home": false}, {"date": "2024-02-01", "home": true, "hours": "1 minute"}]}]})";
  auto r = Evaluate(rules, facts, "2024-06-30");
  ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
  EXPECT_EQ(subjects(r),
            (std::vector<std::string>{"t.day people[0].days[0] violation", "t.day people[0].days[2] violation",
                                      "t.day people[0].days[3] violation", "t.gap people[0].days[0] violation",
                                      "t.gap people[1].days[0] violation"}));
}

TEST(Semantics, P5_IsoWeekAcrossTheYear) {
  std::string rule = Rule("t.week", "", "(count of d in w) = 2", "person p, each week w in p.days by date");
  auto r = Evaluate(rule, Days({"2020-12-31", "2021-01-03", "2021-01-04"}), "2024-06-30");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_NE(r.report.findings[0].subject.find("2020-12-28 to 2021-01-03"), std::string::npos)
      << r.report.findings[0].subject;
}

TEST(Semantics, P5_RollingWindows) {
  // Records in 3 consecutive weeks give two 2-week windows.
  std::string rule =
      Rule("t.win", "", "(count of d in w) >= 1", "person p, each period w of 2 weeks in p.days by date");
  auto r = Evaluate(rule, Days({"2024-01-01", "2024-01-08", "2024-01-15"}), "2024-06-30");
  EXPECT_EQ(r.report.findings.size(), 2u);
  std::string months =
      Rule("t.mon", "", "(count of d in w) = 2", "person p, each period w of 2 months in p.days by date");
  // January–February holds 2 records, February–March 3.
  auto m = Evaluate(months, Days({"2024-01-31", "2024-02-01", "2024-03-01", "2024-03-02"}), "2024-06-30");
  ASSERT_EQ(m.report.findings.size(), 1u);
  EXPECT_NE(m.report.findings[0].subject.find("2024-01-01 to 2024-02-29"), std::string::npos)
      << m.report.findings[0].subject;
}

TEST(Semantics, P5_ShareAtTheBoundary) {
  std::string rule = Rule("t.share", "", "(share of d in p.days where d.home) >= 25%", "person p");
  std::string one_in_four =
      R"({"people": [{"days": [{"date": "2024-01-01", "home": true}, {"date": "2024-01-02", "home": false},
      {"date": "2024-01-03", "home": false}, {"date": "2024-01-04", "home": false}]}]})";
  EXPECT_EQ(Verdict(Evaluate(rule, one_in_four, "2024-06-30")), "violation");
  std::string one_in_five =
      R"({"people": [{"days": [{"date": "2024-01-01", "home": true}, {"date": "2024-01-02", "home": false},
      {"date": "2024-01-03", "home": false}, {"date": "2024-01-04", "home": false}, {"date": "2024-01-05", "home": false}]}]})";
  EXPECT_EQ(Verdict(Evaluate(rule, one_in_five, "2024-06-30")), "");
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"people": [{"days": []}]})", "2024-06-30")), "");  // a share of nothing is none
  std::string unknown = R"({"people": [{"days": [{"date": "2024-01-01"}]}]})";
  EXPECT_EQ(Verdict(Evaluate(rule, unknown, "2024-06-30")), "undetermined");
}

TEST(Semantics, P5_SumOfSpans) {
  std::string rule =
      Rule("t.sum", "", "(sum of d.hours for d in w) > 60 hours", "person p, each week w in p.days by date");
  std::string facts =
      R"({"people": [{"days": [{"date": "2024-01-01", "hours": "30 hours"}, {"date": "2024-01-02", "hours": "30 hours"},
      {"date": "2024-01-08", "hours": "30 hours"}, {"date": "2024-01-09", "hours": "30 hours 1 minute"}]}]})";
  auto r = Evaluate(rule, facts, "2024-06-30");
  ASSERT_EQ(r.report.findings.size(), 1u);
  EXPECT_NE(r.report.findings[0].subject.find("2024-01-08"), std::string::npos);
}

TEST(Semantics, P6_MoneyRoundsHalfAwayFromZero) {
  std::string rule = Rule("t.money", "", "i.m * 50% = €0.03");
  EXPECT_EQ(Verdict(Evaluate(rule, R"({"items": [{"m": "0.05"}]})", "2024-06-30")), "violation");
  std::string neg = Rule("t.neg", "", "-i.m * 50% = -€0.03");
  EXPECT_EQ(Verdict(Evaluate(neg, R"({"items": [{"m": "0.05"}]})", "2024-06-30")), "violation");
}

}  // namespace
}  // namespace nw::engine

namespace nw::engine {
namespace {

// Keyed aggregates over logs whose keys are already in order within each
// person (the index keeps the rows in place) with the unknown and absent keys
// last, and over a log where an unknown key sits between known ones (the
// index sorts): the keyed path agrees with the general one.
TEST(Semantics, P5_KeyedAggregatesOverOrderedKeysWithUnknownAndAbsentLast) {
  const std::string ordered = R"({"people": [{"days": [
      {"date": "2024-01-01", "hours": "1 hours", "home": true},
      {"date": "2024-01-02", "hours": "2 hours", "home": true},
      {"date": "2024-01-03", "hours": "2 hours", "home": false},
      {"date": "2024-01-04", "hours": "5 hours", "home": true},
      {"date": "2024-01-05", "home": true},
      {"date": "2024-01-06", "hours": null, "home": true}]},
      {"days": [{"date": "2024-01-01", "hours": "3 hours", "home": true},
      {"date": "2024-01-02", "hours": null, "home": true}]}]})";
  const std::string unordered = R"({"people": [{"days": [
      {"date": "2024-01-01", "hours": "4 hours", "home": true},
      {"date": "2024-01-02", "home": true},
      {"date": "2024-01-03", "hours": "1 hours", "home": true},
      {"date": "2024-01-04", "hours": null, "home": true},
      {"date": "2024-01-05", "hours": "2 hours", "home": false}]}]})";
  for (const std::string& facts : {ordered, unordered}) {
    for (const char* op : {"=", "<", "<=", ">", ">="}) {
      const std::string a = std::string("sum of x.hours for x in p.days where x.home and x.hours ") + op + " d.hours";
      const std::string b =
          std::string("sum of x.hours for x in p.days where x.home and x.hours + 0 minutes ") + op + " d.hours";
      const std::string rules = Rule("t.keyed", "", "(" + a + ") >= 3 hours", "person p, each d in p.days") +
                                Rule("t.general", "", "(" + b + ") >= 3 hours", "person p, each d in p.days");
      auto r = Evaluate(rules, facts, "2024-06-30");
      ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
      std::set<std::pair<std::string, int>> keyed, general;
      for (const auto& f : r.report.findings)
        (f.rule == "t.keyed" ? keyed : general).insert({f.subject, static_cast<int>(f.kind)});
      EXPECT_EQ(keyed, general) << op;
      EXPECT_FALSE(general.empty()) << op;
    }
  }
}

// The keyed path (items sorted once by key) and the full scan (every item per
// subject) give the same results; `x.date + 0 days` hides the key and forces the scan.
// `d.person.days` ranges over the subject's own list: the keyed path then
// computes each day's result once, from the day's own row (KeyedPlan::self).
// The logs are drawn twice: with several records on a date, and with one
// record a date (distinct keys, which ComputeSelf reads without looking for
// the end of each date's run).
class KeyedAgreement : public ::testing::TestWithParam<bool> {};

TEST_P(KeyedAgreement, P5_KeyedAggregatesAgreeWithTheGeneralPath) {
  const bool distinct = GetParam();
  std::string facts = R"({"people": [{"days": [)";
  uint64_t seed = 7;
  auto next = [&]() {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(seed >> 33);
  };
  // Two people: the first with some hours not given (an unknown key), the
  // second with every key known or null.
  for (int i = 0; i < 90; ++i) {
    if (i == 60) facts += R"(]}, {"days": [)";
    int day = distinct ? 1 + (i < 60 ? i : i - 60) % 31 : 1 + static_cast<int>(next() % 20);
    if (distinct) next();
    std::string date =
        std::string(distinct && i % 60 >= 31 ? "2024-02-" : "2024-01-") + (day < 10 ? "0" : "") + std::to_string(day);
    uint32_t h = next() % 14;
    std::string hours = h == 0 && i < 60 ? ""
                        : h <= 1         ? R"(, "hours": null)"
                                         : R"(, "hours": ")" + std::to_string(next() % 12) + R"( hours")";
    std::string home = next() % 5 == 0 ? "" : std::string(R"(, "home": )") + (next() % 2 ? "true" : "false");
    facts += (i % 60 ? "," : "") + std::string(R"({"date": ")") + date + "\"" + hours + home + "}";
  }
  facts += "]}]}";
  struct Case {
    const char* agg;
    const char* threshold;
  };
  const Case cases[] = {{"sum of x.hours for", " >= 10 hours"},
                        {"count of", " >= 2"},
                        {"max of x.hours for", " >= 5 hours"},
                        {"min of x.hours for", " <= 5 hours"},
                        {"exists", ""}};
  // Keys that are always known (dates) and keys that are sometimes unknown (hours).
  for (const char* key : {"date", "hours"}) {
    for (const char* op : {"=", "<", "<=", ">", ">="}) {
      for (const Case& c : cases) {
        std::string k = std::string(key);
        std::string plus = k == "date" ? " + 0 days " : " + 0 minutes ";
        std::string a = std::string(c.agg) + " x in p.days where x.home and x." + k + " " + op + " d." + k;
        // `x.date + 0 days` is not a key term: every item is scanned.
        std::string b = std::string(c.agg) + " x in p.days where x.home and x." + k + plus + op + " d." + k;
        if (std::string(c.agg) == "exists") {
          a = "exists x in p.days where x.home and x." + k + " " + op + " d." + k;
          b = "exists x in p.days where x.home and x." + k + plus + op + " d." + k;
        }
        std::string own = a;
        own.replace(own.find("p.days"), 6, "d.person.days");
        std::string rules = Rule("t.keyed", "", "(" + a + ")" + c.threshold, "person p, each d in p.days") +
                            Rule("t.own", "", "(" + own + ")" + c.threshold, "person p, each d in p.days") +
                            Rule("t.general", "", "(" + b + ")" + c.threshold, "person p, each d in p.days");
        auto r = Evaluate(rules, facts, "2024-06-30");
        ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
        std::set<std::pair<std::string, int>> keyed, self, general;
        for (const auto& f : r.report.findings) {
          (f.rule == "t.keyed" ? keyed
           : f.rule == "t.own" ? self
                               : general)
              .insert({f.subject, static_cast<int>(f.kind)});
        }
        EXPECT_EQ(keyed, general) << c.agg << " " << key << " " << op;
        EXPECT_EQ(self, general) << c.agg << " " << key << " " << op;
        EXPECT_FALSE(keyed.empty()) << c.agg << " " << key << " " << op;
      }
    }
  }
}
INSTANTIATE_TEST_SUITE_P(Logs, KeyedAgreement, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& logs) {
                           return logs.param ? std::string("OneRecordADate") : std::string("SeveralRecordsADate");
                         });

// The counting functions and integer sums over groups, windows and lists take
// a run of items at a time (EvalAggregate); they agree with formulations that
// take the item-by-item loop (a decimal sum) or other functions (`every` as
// `not exists not`, a share as two counts), with filters and values known,
// absent and not given.
TEST(Semantics, P5_GroupAggregatesAgreeWithTheirEquivalents) {
  uint64_t seed = 11;
  auto next = [&]() {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(seed >> 33);
  };
  std::string facts = R"({"people": [)";
  for (int p = 0; p < 4; ++p) {
    facts += std::string(p ? "," : "") + R"({"days": [)";
    int n = 0;
    for (int day = 1; day <= 60; ++day) {
      // Some dates without a record, some with two.
      int records = next() % 4 == 0 ? 0 : next() % 5 == 0 ? 2 : 1;
      for (int r = 0; r < records; ++r) {
        char date[16];
        std::snprintf(date, sizeof date, "2024-%02d-%02d", day <= 31 ? 1 : 2, day <= 31 ? day : day - 31);
        uint32_t h = next() % 12;
        std::string hours = h == 0   ? ""
                            : h == 1 ? R"(, "hours": null)"
                                     : R"(, "hours": ")" + std::to_string(h) + R"( hours")";
        uint32_t m = next() % (p == 3 ? 40 : 10);  // the last person: (almost) every fact given
        std::string home = m == 0   ? ""
                           : m == 1 ? R"(, "home": null)"
                                    : std::string(R"(, "home": )") + (m % 6 ? "true" : "false");
        facts += std::string(n++ ? "," : "") + R"({"date": ")" + date + "\"" + hours + home + "}";
      }
    }
    facts += "]}";
  }
  facts += "]}";
  struct Pair {
    const char* fast;
    const char* reference;
  };
  const Pair pairs[] = {
      {"(sum of d.hours for d in C where d.home) > 20 hours", "(sum of hours(d.hours) for d in C where d.home) > 20"},
      {"(sum of d.hours for d in C) >= 30 hours", "(sum of hours(d.hours) for d in C) >= 30"},
      {"every d in C satisfies d.home", "not (exists d in C where not d.home)"},
      {"(share of d in C where d.home) >= 50%", "(count of d in C where d.home) * 2 >= (count of d in C)"},
  };
  const std::pair<const char*, const char*> collections[] = {
      {"person p, each week w in p.days by date", "w"},
      {"person p, each period w of 2 weeks in p.days by date", "w"},
      {"person p", "p.days"},
  };
  for (const Pair& pair : pairs) {
    std::set<int> kinds;  // of the fast formulation's findings, over the collections
    for (const auto& [subject, coll] : collections) {
      auto with = [&](std::string text) {
        for (size_t at; (at = text.find(" C")) != std::string::npos;) text.replace(at + 1, 1, coll);
        return text;
      };
      std::string rules =
          Rule("t.fast", "", with(pair.fast), subject) + Rule("t.reference", "", with(pair.reference), subject);
      auto r = Evaluate(rules, facts, "2024-06-30");
      ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
      std::set<std::pair<std::string, int>> fast, reference;
      for (const auto& f : r.report.findings) {
        (f.rule == "t.fast" ? fast : reference).insert({f.subject, static_cast<int>(f.kind)});
        if (f.rule == "t.fast") kinds.insert(static_cast<int>(f.kind));
      }
      EXPECT_EQ(fast, reference) << subject << ": " << pair.fast;
    }
    // Both decided and undetermined results were compared.
    EXPECT_TRUE(kinds.count(static_cast<int>(dsl::FindingKind::kViolation))) << pair.fast;
    EXPECT_TRUE(kinds.count(static_cast<int>(dsl::FindingKind::kUndetermined))) << pair.fast;
  }
}

// An aggregate whose filter and value read only its item (and the owner of the
// list it ranges over) is evaluated once per item for the whole collection
// when its subjects read most of it (ItemwiseFor); the same aggregate with a
// condition that always holds but reads another variable takes the general
// path, item by item for each subject. Both give the same findings, for each
// function, with filters and values known, absent and not given.
// A part of an aggregate's filter that reads only the owner of its items
// (`not p.tall`) is evaluated once per owner and spread over the owner's items
// (EvalByRuns); a formulation that also reads the item (`d.date = d.date`
// always holds) is evaluated item by item. Both agree, over the item-wise
// path (a list of the subject's owner) and the general one (weeks), with the
// owner's fact true, false, absent and not given.
TEST(Semantics, P5_OwnerFactsInAnAggregateOncePerOwner) {
  uint64_t seed = 31;
  auto next = [&]() {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(seed >> 33);
  };
  std::string facts = R"({"people": [)";
  const char* tall[] = {R"("tall": true, )", R"("tall": false, )", R"("tall": null, )", "", R"("tall": false, )"};
  for (int p = 0; p < 5; ++p) {
    facts += std::string(p ? "," : "") + "{" + tall[p] + R"("days": [)";
    for (int day = 1; day <= 40; ++day) {
      char date[16];
      std::snprintf(date, sizeof date, "2024-05-%02d", day <= 31 ? day : day - 31);
      if (day > 31) std::snprintf(date, sizeof date, "2024-06-%02d", day - 31);
      const uint32_t h = next() % 7;
      std::string home = h == 0   ? ""
                         : h == 1 ? R"(, "home": null)"
                                  : std::string(R"(, "home": )") + (h % 2 ? "true" : "false");
      facts += std::string(day > 1 ? "," : "") + R"({"date": ")" + date + "\"" + home + "}";
    }
    facts += "]}";
  }
  facts += "]}";
  struct Case {
    const char* once;       // owner-only parts
    const char* reference;  // the same, read with the item
  };
  const Case cases[] = {
      {"d.home and not p.tall", "d.home and not (p.tall and d.date = d.date)"},
      {"d.home or p.tall = true", "d.home or (p.tall = true and d.date = d.date)"},
      {"(p.tall is known) and d.home", "(p.tall is known and d.date = d.date) and d.home"},
  };
  const std::pair<const char*, const char*> collections[] = {
      {"person p, each e in p.days", "(count of d in p.days where F) >= 12"},
      {"person p, each week w in p.days by date", "(count of d in w where F and d.date >= w.start) >= 3"},
  };
  std::set<int> kinds;
  for (const Case& c : cases) {
    for (const auto& [subject, aggregate] : collections) {
      auto with = [&](const char* filter) {
        std::string text = aggregate;
        text.replace(text.find('F'), 1, std::string("(") + filter + ")");
        return text;
      };
      std::string rules = "\nextend person { tall : optional bool }\n" + Rule("t.once", "", with(c.once), subject) +
                          Rule("t.reference", "", with(c.reference), subject);
      auto r = Evaluate(rules, facts, "2024-06-30");
      ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
      std::set<std::pair<std::string, int>> once, reference;
      for (const auto& f : r.report.findings) {
        (f.rule == "t.once" ? once : reference).insert({f.subject, static_cast<int>(f.kind)});
        kinds.insert(static_cast<int>(f.kind));
      }
      EXPECT_EQ(once, reference) << subject << ": " << c.once;
      EXPECT_FALSE(once.empty()) << subject << ": " << c.once;
    }
  }
  EXPECT_TRUE(kinds.count(static_cast<int>(dsl::FindingKind::kViolation)));
  EXPECT_TRUE(kinds.count(static_cast<int>(dsl::FindingKind::kUndetermined)));
}

// The logs are drawn twice: with facts not given and null, and with every
// fact given (the item-wise fold then needs no states).
class ItemwiseAgreement : public ::testing::TestWithParam<bool> {};

TEST_P(ItemwiseAgreement, P5_ItemwiseAggregatesAgreeWithTheGeneralPath) {
  const bool complete = GetParam();
  uint64_t seed = 23;
  auto next = [&]() {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(seed >> 33);
  };
  std::string facts = R"({"people": [)";
  for (int p = 0; p < 5; ++p) {
    // The owner's own fact, read by the filters below: true, false, null or not given.
    const char* tall[] = {R"("tall": true, )", R"("tall": false, )", R"("tall": null, )", "", R"("tall": true, )"};
    facts += std::string(p ? "," : "") + "{" + (complete ? tall[p % 2] : tall[p]) + R"("days": [)";
    int n = 0;
    for (int day = 1; day <= 45; ++day) {
      int records = next() % 5 == 0 ? 0 : next() % 6 == 0 ? 2 : 1;
      for (int r = 0; r < records; ++r) {
        char date[16];
        std::snprintf(date, sizeof date, "2024-%02d-%02d", day <= 31 ? 3 : 4, day <= 31 ? day : day - 31);
        uint32_t h = next() % 12;
        if (complete) h = 2 + h % 10;
        std::string hours = h == 0 && p != 4 ? ""
                            : h <= 1         ? R"(, "hours": null)"
                                             : R"(, "hours": ")" + std::to_string(h) + R"( hours")";
        uint32_t m = next() % (p == 4 ? 60 : 9);  // the last person: (almost) every fact given
        if (complete) m = 2 + m % 7;
        std::string home = m == 0 && p != 4 ? ""
                           : m == 1         ? R"(, "home": null)"
                                            : std::string(R"(, "home": )") + (m % 5 ? "true" : "false");
        facts += std::string(n++ ? "," : "") + R"({"date": ")" + date + "\"" + hours + home + "}";
      }
    }
    facts += "]}";
  }
  facts += "]}";
  // F: the filter; the general twin adds `and T`, a condition that always
  // holds and reads a variable other than the item and the list's owner.
  const char* aggregates[] = {
      "(sum of d.hours for d in C where F) > 12 hours",
      "(sum of d.hours for d in C where F) <= 4 hours",
      "(sum of hours(d.hours) for d in C where F) > 12",
      "(count of d in C where F) >= 3",
      "exists d in C where F",
      "every d in C satisfies F",
      "(share of d in C where F) >= 50%",
      "(max of d.hours for d in C where F) >= 9 hours",
      "(min of d.hours for d in C where F) <= 3 hours",
      "(average of d.hours for d in C where F) >= 6 hours",
  };
  struct Collection {
    const char* subject;
    const char* coll;
    const char* always;  // T
  };
  const Collection collections[] = {
      {"person p, each week w in p.days by date", "w", "d.date >= w.start"},
      {"person p, each period w of 2 weeks in p.days by date", "w", "d.date <= w.end"},
      {"person p, each e in p.days", "p.days", "d.date + 0 days >= e.date - 400 days"},
  };
  const char* filters[] = {"d.home", "d.home and d.hours > 2 hours", "d.home or p.tall", "not d.home"};
  std::set<int> kinds;
  for (const char* aggregate : aggregates) {
    for (const Collection& c : collections) {
      for (const char* filter : filters) {
        auto with = [&](std::string text, bool general) {
          std::string f = std::string("(") + filter + ")" + (general ? std::string(" and ") + c.always : "");
          for (size_t at; (at = text.find(" C")) != std::string::npos;) text.replace(at + 1, 1, c.coll);
          for (size_t at; (at = text.find("F")) != std::string::npos;) text.replace(at, 1, f);
          return text;
        };
        std::string rules = "\nextend person { tall : optional bool }\n" +
                            Rule("t.itemwise", "", with(aggregate, false), c.subject) +
                            Rule("t.general", "", with(aggregate, true), c.subject);
        auto r = Evaluate(rules, facts, "2024-06-30");
        ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics;
        std::set<std::pair<std::string, int>> itemwise, general;
        for (const auto& f : r.report.findings) {
          (f.rule == "t.itemwise" ? itemwise : general).insert({f.subject, static_cast<int>(f.kind)});
          kinds.insert(static_cast<int>(f.kind));
        }
        EXPECT_EQ(itemwise, general) << c.subject << ": " << with(aggregate, false);
      }
    }
  }
  // Decided results were compared, and undetermined ones where facts are missing.
  EXPECT_TRUE(kinds.count(static_cast<int>(dsl::FindingKind::kViolation)));
  EXPECT_EQ(kinds.count(static_cast<int>(dsl::FindingKind::kUndetermined)), complete ? 0u : 1u);
}
INSTANTIATE_TEST_SUITE_P(Logs, ItemwiseAgreement, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& logs) {
                           return logs.param ? std::string("EveryFactGiven") : std::string("SomeFactsMissing");
                         });

}  // namespace
}  // namespace nw::engine

namespace nw::engine {
namespace {

// The kind of a finding does not depend on whether it is explained.
TEST(Semantics, P3_ReviewAlsoWhenCompactOrUnexplained) {
  std::string rules = std::string(kSchema) + "\nextend item { weighty : optional bool open \"zwaarwegend belang\" }\n" +
                      Rule("t.refusal", "", "i.x and not i.weighty");
  Source src("test.norm", rules);
  DiagnosticSink sink;
  dsl::SyntaxTree tree = dsl::Parse(src, sink);
  auto rs = dsl::Check({&tree}, {}, sink);
  ASSERT_TRUE(rs.has_value()) << RenderAllHuman(sink.Sorted());
  Program program = Program::Compile(*rs);
  for (int mode = 0; mode < 3; ++mode) {
    FactStore store(*rs);
    std::vector<FactError> errors;
    ASSERT_TRUE(LoadJsonDocument(store, "case.json", R"({"items": [{"x": true}]})", errors));
    store.Seal();
    EvalOptions options;
    options.as_of = *Date::Parse("2024-06-30");
    options.explain = mode == 0;
    options.compact = mode == 2;
    Report r = program.Evaluate(store, options);
    dsl::FindingKind kind = mode == 2 ? r.compact.at(0).kind : r.findings.at(0).kind;
    EXPECT_EQ(kind, dsl::FindingKind::kReview) << "mode " << mode;
  }
}

}  // namespace
}  // namespace nw::engine
