// Tests for Percentage: exact storage as a fraction, parsing, printing and ordering.
#include "dsl/support/values/percentage.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace nw {
namespace {

Rational R(int64_t num, int64_t den) { return *Rational::Make(num, den); }
Percentage P(std::string_view text) { return *Percentage::Parse(text); }

TEST(Percentage, ParseStoresExactFraction) {
  EXPECT_EQ(P("25%").fraction(), R(1, 4));
  EXPECT_EQ(P("1.18 %").fraction(), R(118, 10000));
  EXPECT_EQ(P("1.18%").fraction(), R(59, 5000));
  EXPECT_EQ(P("100%").fraction(), Rational::FromInteger(1));
  EXPECT_EQ(P("0%").fraction(), Rational());
  EXPECT_EQ(P("-0.5%").fraction(), R(-1, 200));
  EXPECT_EQ(P("150%").fraction(), R(3, 2));
  EXPECT_EQ(P("25%").percent(), Rational::FromInteger(25));
}

TEST(Percentage, ParseRejects) {
  for (const char* bad : {"", "%", "25", "25%%", "% 25", " 25%", "25 % ", "1/4%", "25 pct", "0.25",
                          "+25%", "2,5%", ".5%", "abc%"}) {
    EXPECT_EQ(Percentage::Parse(bad), std::nullopt) << bad;
  }
}

TEST(Percentage, FromFractionAndFromPercent) {
  EXPECT_EQ(Percentage::FromFraction(R(1, 4)), P("25%"));
  EXPECT_EQ(Percentage::FromPercent(Rational::FromInteger(25)), P("25%"));
  EXPECT_EQ(Percentage::FromPercent(R(1, std::numeric_limits<int64_t>::max())), std::nullopt);
}

TEST(Percentage, ToString) {
  EXPECT_EQ(P("25%").ToString(), "25%");
  EXPECT_EQ(P("1.18 %").ToString(), "1.18%");
  EXPECT_EQ(P("-0.5%").ToString(), "-0.5%");
  EXPECT_EQ(Percentage::FromFraction(R(1, 3)).ToString(), "33.333333%");
  EXPECT_EQ(Percentage::FromFraction(R(2, 3)).ToString(2), "66.67%");
  EXPECT_EQ(Percentage().ToString(), "0%");
  // Prints even when percent() itself would overflow int64.
  const Percentage huge =
      Percentage::FromFraction(Rational::FromInteger(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(huge.percent(), std::nullopt);
  EXPECT_EQ(huge.ToString(), "922337203685477580700%");
  EXPECT_EQ(Percentage::Parse(P("1.18%").ToString()), P("1.18%"));
}

TEST(Percentage, Comparison) {
  EXPECT_LT(P("1.18%"), P("1.2%"));
  EXPECT_GT(P("25%"), P("-25%"));
  EXPECT_EQ(P("25.0%"), P("25%"));
  EXPECT_EQ(P("50%"), Percentage::FromFraction(R(1, 2)));
}

}  // namespace
}  // namespace nw
