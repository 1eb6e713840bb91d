// Tests for TimeSpan: construction, checked arithmetic, ratios, parsing and printing.
#include "dsl/support/values/timespan.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace nw {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Rational R(int64_t num, int64_t den) { return *Rational::Make(num, den); }

TEST(TimeSpan, Construction) {
  EXPECT_EQ(TimeSpan::Hours(11).minutes(), 660);
  EXPECT_EQ(TimeSpan::Minutes(45).minutes(), 45);
  EXPECT_EQ(TimeSpan::Hours(-2).minutes(), -120);
  EXPECT_EQ(TimeSpan::Hours(std::numeric_limits<int32_t>::max()).minutes(),
            int64_t{std::numeric_limits<int32_t>::max()} * 60);
  EXPECT_TRUE(TimeSpan().IsZero());
  EXPECT_LT(TimeSpan::Minutes(599), TimeSpan::Hours(10));
}

TEST(TimeSpan, CheckedArithmetic) {
  EXPECT_EQ(TimeSpan::Hours(9).Add(TimeSpan::Minutes(30)), TimeSpan::Minutes(570));
  EXPECT_EQ(TimeSpan::Hours(9).Sub(TimeSpan::Hours(11)), TimeSpan::Hours(-2));
  EXPECT_EQ(TimeSpan::Hours(8).Mul(5), TimeSpan::Hours(40));
  EXPECT_EQ(TimeSpan::Minutes(kMax).Add(TimeSpan::Minutes(1)), std::nullopt);
  EXPECT_EQ(TimeSpan::Minutes(kMin).Sub(TimeSpan::Minutes(1)), std::nullopt);
  EXPECT_EQ(TimeSpan::Minutes(kMax).Mul(2), std::nullopt);
  EXPECT_EQ(TimeSpan::Minutes(kMin).Negate(), std::nullopt);
  EXPECT_EQ(TimeSpan::Minutes(5).Negate(), TimeSpan::Minutes(-5));
}

TEST(TimeSpan, RatioAndMulRational) {
  EXPECT_EQ(Ratio(TimeSpan::Hours(30), TimeSpan::Hours(40)), R(3, 4));
  EXPECT_EQ(Ratio(TimeSpan::Hours(30), TimeSpan()), std::nullopt);
  // Average over 16 weeks of 52 hours per week: 832 hours / 16.
  EXPECT_EQ(MulRational(TimeSpan::Hours(832), R(1, 16), RoundingMode::kDown), TimeSpan::Hours(52));
  EXPECT_EQ(MulRational(TimeSpan::Minutes(5), R(1, 2), RoundingMode::kHalfAwayFromZero),
            TimeSpan::Minutes(3));
  EXPECT_EQ(MulRational(TimeSpan::Minutes(5), R(1, 2), RoundingMode::kHalfEven),
            TimeSpan::Minutes(2));
  EXPECT_EQ(MulRational(TimeSpan::Minutes(kMax), R(2, 1), RoundingMode::kDown), std::nullopt);
}

TEST(TimeSpan, ToString) {
  EXPECT_EQ(TimeSpan::Hours(11).ToString(), "11 hours");
  EXPECT_EQ(TimeSpan::Minutes(570).ToString(), "9 hours 30 minutes");
  EXPECT_EQ(TimeSpan::Minutes(45).ToString(), "45 minutes");
  EXPECT_EQ(TimeSpan().ToString(), "0 minutes");
  EXPECT_EQ(TimeSpan::Hours(1).ToString(), "1 hour");
  EXPECT_EQ(TimeSpan::Minutes(61).ToString(), "1 hour 1 minute");
  EXPECT_EQ(TimeSpan::Minutes(-570).ToString(), "-9 hours 30 minutes");
  EXPECT_EQ(TimeSpan::Minutes(-1).ToString(), "-1 minute");
  EXPECT_EQ(TimeSpan::Minutes(kMin).ToString(), "-153722867280912930 hours 8 minutes");
}

TEST(TimeSpan, Parse) {
  EXPECT_EQ(TimeSpan::Parse("11 hours"), TimeSpan::Hours(11));
  EXPECT_EQ(TimeSpan::Parse("30 minutes"), TimeSpan::Minutes(30));
  EXPECT_EQ(TimeSpan::Parse("8 hours 30 minutes"), TimeSpan::Minutes(510));
  EXPECT_EQ(TimeSpan::Parse("1 hour"), TimeSpan::Hours(1));
  EXPECT_EQ(TimeSpan::Parse("1 minute"), TimeSpan::Minutes(1));
  EXPECT_EQ(TimeSpan::Parse("90 minutes"), TimeSpan::Minutes(90));
  EXPECT_EQ(TimeSpan::Parse("0 minutes"), TimeSpan());
  EXPECT_EQ(TimeSpan::Parse("-9 hours 30 minutes"), TimeSpan::Minutes(-570));
  for (const TimeSpan t : {TimeSpan::Minutes(570), TimeSpan::Minutes(-61), TimeSpan(),
                           TimeSpan::Minutes(kMax), TimeSpan::Minutes(kMin)}) {
    EXPECT_EQ(TimeSpan::Parse(t.ToString()), t) << t.ToString();
  }
}

TEST(TimeSpan, ParseRejects) {
  for (const char* bad : {"", "11", "hours", "11hours", "11  hours", " 11 hours", "11 hours ",
                          "1.5 hours", "30 minutes 8 hours", "8 hours 60 minutes", "8 hours 30",
                          "8 hours hours", "- 8 hours", "8 hours -30 minutes", "+8 hours", "8 uur",
                          "11 Hours", "153722867280912931 hours", "99999999999999999999 minutes"}) {
    EXPECT_EQ(TimeSpan::Parse(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace nw
