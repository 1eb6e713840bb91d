// Tests for exact rationals: parsing, normalisation, checked arithmetic, rounding, printing.
#include "dsl/support/values/rational.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace nw {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Rational R(int64_t num, int64_t den) { return *Rational::Make(num, den); }
Rational P(std::string_view text) { return *Rational::Parse(text); }

TEST(Rational, MakeNormalises) {
  EXPECT_EQ(R(2, 4).num(), 1);
  EXPECT_EQ(R(2, 4).den(), 2);
  EXPECT_EQ(R(3, -6).num(), -1);
  EXPECT_EQ(R(3, -6).den(), 2);
  EXPECT_EQ(R(0, -5), Rational());
  EXPECT_EQ(R(0, -5).den(), 1);
  EXPECT_EQ(Rational::Make(1, 0), std::nullopt);
  EXPECT_EQ(Rational::Make(kMin, -1), std::nullopt);  // 2^63 does not fit
  EXPECT_EQ(Rational::Make(1, kMin), std::nullopt);   // denominator 2^63 does not fit
  EXPECT_EQ(R(kMin, 2).num(), kMin / 2);
}

TEST(Rational, ParseDecimalsAndFractions) {
  EXPECT_EQ(P("12"), Rational::FromInteger(12));
  EXPECT_EQ(P("-1.18"), R(-118, 100));
  EXPECT_EQ(P("-1.18").den(), 50);
  EXPECT_EQ(P("0.5"), R(1, 2));
  EXPECT_EQ(P("1/3"), R(1, 3));
  EXPECT_EQ(P("-6/4"), R(-3, 2));
  EXPECT_EQ(P("007.250"), R(29, 4));
  EXPECT_EQ(P("-0"), Rational());
  EXPECT_EQ(P("9223372036854775807"), Rational::FromInteger(kMax));
  EXPECT_EQ(P("-9223372036854775808"), Rational::FromInteger(kMin));
}

TEST(Rational, ParseRejects) {
  for (const char* bad :
       {"", "-", "+1", " 1", "1 ", ".5", "5.", "1.2.3", "1/0", "1/", "/2", "1e3", "1,5", "0x10",
        "--1", "1/-2", "9223372036854775808", "0.00000000000000000001", "abc"}) {
    EXPECT_EQ(Rational::Parse(bad), std::nullopt) << bad;
  }
}

TEST(Rational, Arithmetic) {
  EXPECT_EQ(R(1, 2).Add(R(1, 3)), R(5, 6));
  EXPECT_EQ(R(1, 2).Sub(R(1, 3)), R(1, 6));
  EXPECT_EQ(R(2, 3).Mul(R(3, 4)), R(1, 2));
  EXPECT_EQ(R(1, 2).Div(R(1, 4)), Rational::FromInteger(2));
  EXPECT_EQ(R(1, 2).Div(R(-1, 4)), Rational::FromInteger(-2));
  EXPECT_EQ(R(1, 2).Div(Rational()), std::nullopt);
  EXPECT_EQ(R(-3, 7).Negate(), R(3, 7));
  EXPECT_EQ(R(-3, 7).Abs(), R(3, 7));
  EXPECT_EQ(Rational::FromInteger(kMin).Negate(), std::nullopt);
}

TEST(Rational, ArithmeticOverflowIsNullopt) {
  const Rational max = Rational::FromInteger(kMax);
  EXPECT_EQ(max.Add(Rational::FromInteger(1)), std::nullopt);
  EXPECT_EQ(max.Mul(Rational::FromInteger(2)), std::nullopt);
  EXPECT_EQ(R(1, kMax).Mul(R(1, 2)), std::nullopt);  // denominator too big
  // Large intermediates that reduce back into range are fine thanks to 128-bit math.
  EXPECT_EQ(R(kMax, 3).Mul(Rational::FromInteger(3)), max);
  EXPECT_EQ(R(1, kMax - 1).Add(R(1, kMax - 1)), R(2, kMax - 1));
  EXPECT_EQ(max.Sub(max), Rational());
}

TEST(Rational, ExactComparison) {
  EXPECT_LT(R(1, 3), R(1, 2));
  EXPECT_GT(R(-1, 3), R(-1, 2));
  EXPECT_EQ(P("0.50"), R(1, 2));
  EXPECT_NE(R(1, 3), R(333333, 1000000));
  // Values differing by far less than double precision still order correctly.
  EXPECT_LT(R(kMax - 2, kMax - 1), R(kMax - 1, kMax));
  EXPECT_EQ(R(kMax, kMax - 1) <=> R(kMax, kMax - 1), std::strong_ordering::equal);
}

TEST(Rational, RoundToIntegerEachMode) {
  struct Case {
    const char* value;
    int64_t half_away, half_even, down, floor, ceiling;
  };
  const Case cases[] = {
      {"2.5", 3, 2, 2, 2, 3},    {"3.5", 4, 4, 3, 3, 4},   {"-2.5", -3, -2, -2, -3, -2},
      {"2.4", 2, 2, 2, 2, 3},    {"2.6", 3, 3, 2, 2, 3},   {"-2.6", -3, -3, -2, -3, -2},
      {"-0.5", -1, 0, 0, -1, 0}, {"0.5", 1, 0, 0, 0, 1},   {"7", 7, 7, 7, 7, 7},
      {"1/3", 0, 0, 0, 0, 1},    {"-1/3", 0, 0, 0, -1, 0}, {"5/3", 2, 2, 1, 1, 2},
  };
  for (const Case& c : cases) {
    const Rational v = P(c.value);
    EXPECT_EQ(v.RoundToInteger(RoundingMode::kHalfAwayFromZero), c.half_away) << c.value;
    EXPECT_EQ(v.RoundToInteger(RoundingMode::kHalfEven), c.half_even) << c.value;
    EXPECT_EQ(v.RoundToInteger(RoundingMode::kDown), c.down) << c.value;
    EXPECT_EQ(v.RoundToInteger(RoundingMode::kFloor), c.floor) << c.value;
    EXPECT_EQ(v.RoundToInteger(RoundingMode::kCeiling), c.ceiling) << c.value;
  }
  EXPECT_EQ(Rational::FromInteger(kMin).RoundToInteger(RoundingMode::kFloor), kMin);
  EXPECT_EQ(R(kMax, 2).RoundToInteger(RoundingMode::kHalfAwayFromZero), kMax / 2 + 1);
}

TEST(Rational, RoundToDecimals) {
  EXPECT_EQ(R(1, 3).RoundToDecimals(2, RoundingMode::kHalfAwayFromZero), R(33, 100));
  EXPECT_EQ(R(2, 3).RoundToDecimals(2, RoundingMode::kHalfAwayFromZero), R(67, 100));
  EXPECT_EQ(P("0.125").RoundToDecimals(2, RoundingMode::kHalfEven), R(12, 100));
  EXPECT_EQ(P("-0.125").RoundToDecimals(2, RoundingMode::kHalfAwayFromZero), R(-13, 100));
  EXPECT_EQ(R(1, 3).RoundToDecimals(0, RoundingMode::kCeiling), Rational::FromInteger(1));
  EXPECT_EQ(R(1, 3).RoundToDecimals(19, RoundingMode::kDown), std::nullopt);
  EXPECT_EQ(R(1, 3).RoundToDecimals(-1, RoundingMode::kDown), std::nullopt);
}

TEST(Rational, ToStringExactWhenTerminating) {
  EXPECT_EQ(P("1.18").ToString(), "1.18");
  EXPECT_EQ(P("-1.18").ToString(), "-1.18");
  EXPECT_EQ(P("12").ToString(), "12");
  EXPECT_EQ(P("0.5").ToString(), "0.5");
  EXPECT_EQ(P("-0.05").ToString(), "-0.05");
  EXPECT_EQ(R(1, 1024).ToString(), "0.0009765625");  // exact even past max_decimals
  EXPECT_EQ(R(1, 1024).ToString(2), "0.0009765625");
  EXPECT_EQ(Rational::FromInteger(kMin).ToString(), "-9223372036854775808");
}

TEST(Rational, ToStringRoundsNonTerminating) {
  EXPECT_EQ(R(1, 3).ToString(), "0.333333");
  EXPECT_EQ(R(2, 3).ToString(), "0.666667");
  EXPECT_EQ(R(-2, 3).ToString(), "-0.666667");
  EXPECT_EQ(R(1, 7).ToString(3), "0.143");
  EXPECT_EQ(R(2, 3).ToString(0), "1");
  EXPECT_EQ(R(29999999, 3000000).ToString(2), "10.00");     // carry into the integer part
  EXPECT_EQ(R(-1, 30000000).ToString(), "0.000000");        // no "-0"
  EXPECT_EQ(R(1, 3).ToString(40), "0.333333333333333333");  // clamped to 18
}

TEST(Rational, ToFraction) {
  EXPECT_EQ(R(1, 3).ToFraction(), "1/3");
  EXPECT_EQ(R(-14, 4).ToFraction(), "-7/2");
  EXPECT_EQ(Rational::FromInteger(5).ToFraction(), "5");
  EXPECT_EQ(Rational::Parse(R(-7, 2).ToFraction()), R(-7, 2));
}

}  // namespace
}  // namespace nw
