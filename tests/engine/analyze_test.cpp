// Rule-set analysis: each test's rule set holds exactly one defect.
#include <gtest/gtest.h>

#include "dsl/check.hpp"
#include "dsl/parser.hpp"
#include "dsl/support/render.hpp"
#include "engine/analyze.hpp"

namespace nw::engine {
namespace {

constexpr const char* kSchema = R"(
act t "Testwet" bwb BWBR0000001
enum colour { red, green, blue }
entity case { items : list of item }
entity item part of case {
  n : optional integer
  x : optional bool
  c : optional colour
  d : optional date
}
)";

std::string Rule(const std::string& id, const std::string& when, const std::string& extra = "") {
  return "\nrule " + id + "\n  title nl \"t\" en \"t\"\n  kind violation severity high\n  cites t art 1\n"
         "  valid from 2020-01-01\n" + extra + "  for item i\n  when " + when + "\n  message nl \"m\" en \"m\"\n";
}

std::vector<AnalysisFinding> Analyse(const std::string& rules) {
  static std::vector<std::unique_ptr<Source>> keep;  // findings point into the sources
  keep.push_back(std::make_unique<Source>("test.norm", std::string(kSchema) + rules));
  static std::vector<std::unique_ptr<dsl::SyntaxTree>> trees;
  DiagnosticSink sink;
  trees.push_back(std::make_unique<dsl::SyntaxTree>(dsl::Parse(*keep.back(), sink)));
  static std::vector<dsl::CheckedRuleSet> sets;
  auto rs = dsl::Check({trees.back().get()}, {}, sink);
  EXPECT_TRUE(rs.has_value()) << RenderAllHuman(sink.Sorted());
  if (!rs) return {};
  sets.push_back(std::move(*rs));
  AnalysisOptions options;
  options.as_of = *Date::Parse("2024-06-30");
  options.samples = 2048;
  return Analyze(sets.back(), options);
}

std::vector<std::string> Keys(const std::vector<AnalysisFinding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.key);
  return out;
}

TEST(Analyze, CleanRuleSetHasNoFindings) {
  auto fs = Analyse(Rule("t.a", "i.n > 3") + Rule("t.b", "i.x"));
  EXPECT_TRUE(fs.empty()) << ::testing::PrintToString(Keys(fs));
}

TEST(Analyze, DeadRule) {
  auto fs = Analyse(Rule("t.a", "i.n > 3") + Rule("t.dead", "i.n > 5 and i.n < 3"));
  EXPECT_EQ(Keys(fs), std::vector<std::string>{"dead-rule t.dead"});
}

TEST(Analyze, AlwaysOverridden) {
  std::string rules = Rule("t.base", "i.n > 3") +
                      "\nrule t.ex exception to t.base\n  cites t art 2\n  valid from 2020-01-01\n  when i.n >= 3\n";
  auto fs = Analyse(rules);
  EXPECT_EQ(Keys(fs), std::vector<std::string>{"always-overridden t.base"});
}

TEST(Analyze, Contradiction) {
  std::string rules = Rule("t.lawful", "i.x and i.n >= 10", "  concludes t.refusal_lawful = true\n") +
                      Rule("t.unlawful", "i.x and i.n < 12", "  concludes t.refusal_lawful = false\n");
  auto fs = Analyse(rules);
  ASSERT_EQ(Keys(fs), std::vector<std::string>{"contradiction t.lawful t.unlawful"});
  // The witness is a case for which both fire: x true and n of 10 or 11.
  EXPECT_NE(fs[0].witness.find("\"x\":true"), std::string::npos) << fs[0].witness;
  EXPECT_TRUE(fs[0].witness.find("\"n\":10") != std::string::npos || fs[0].witness.find("\"n\":11") != std::string::npos)
      << fs[0].witness;
}

TEST(Analyze, NoContradictionWhenConditionsExclude) {
  std::string rules = Rule("t.lawful", "i.n >= 10", "  concludes t.refusal_lawful = true\n") +
                      Rule("t.unlawful", "i.n < 10", "  concludes t.refusal_lawful = false\n");
  EXPECT_TRUE(Analyse(rules).empty());
}

TEST(Analyze, ParameterGap) {
  std::string rules = "\nparameter t.limit : integer\n  cites t art 1\n  from 2020-01-01 to 2023-12-31 = 10\n    source \"t\"\n" +
                      Rule("t.over", "i.n > t.limit");
  auto fs = Analyse(rules);
  ASSERT_EQ(Keys(fs), std::vector<std::string>{"parameter-gap t.over t.limit"});
  EXPECT_NE(fs[0].message.find("no value from 2024-01-01"), std::string::npos) << fs[0].message;
}

TEST(Analyze, UnmentionedEnumValue) {
  auto fs = Analyse(Rule("t.a", "i.c = red") + Rule("t.b", "i.c = green"));
  ASSERT_EQ(Keys(fs), std::vector<std::string>{"unmentioned-enum-value colour"});
  EXPECT_NE(fs[0].message.find("`blue`"), std::string::npos);
}

}  // namespace
}  // namespace nw::engine
