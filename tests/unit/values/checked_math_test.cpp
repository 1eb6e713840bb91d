// Tests for the overflow-checked int64 helpers, plus one scenario using the umbrella header.
#include "dsl/support/values/checked_math.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "dsl/support/values/values.hpp"  // the umbrella header must compile on its own

namespace nw {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(CheckedMath, AddDetectsOverflow) {
  EXPECT_EQ(CheckedAdd(2, 3), 5);
  EXPECT_EQ(CheckedAdd(kMax, 0), kMax);
  EXPECT_EQ(CheckedAdd(kMax, 1), std::nullopt);
  EXPECT_EQ(CheckedAdd(kMin, -1), std::nullopt);
  EXPECT_EQ(CheckedAdd(kMin, kMax), -1);
}

TEST(CheckedMath, SubDetectsOverflow) {
  EXPECT_EQ(CheckedSub(2, 3), -1);
  EXPECT_EQ(CheckedSub(kMin, 1), std::nullopt);
  EXPECT_EQ(CheckedSub(0, kMin), std::nullopt);
  EXPECT_EQ(CheckedSub(-1, kMin), kMax);
}

TEST(CheckedMath, MulDetectsOverflow) {
  EXPECT_EQ(CheckedMul(-4, 5), -20);
  EXPECT_EQ(CheckedMul(kMax, 2), std::nullopt);
  EXPECT_EQ(CheckedMul(kMin, -1), std::nullopt);
  EXPECT_EQ(CheckedMul(int64_t{1} << 31, int64_t{1} << 31), int64_t{1} << 62);
  EXPECT_EQ(CheckedMul(int64_t{1} << 32, int64_t{1} << 31), std::nullopt);
}

TEST(CheckedMath, NegAndDiv) {
  EXPECT_EQ(CheckedNeg(5), -5);
  EXPECT_EQ(CheckedNeg(kMax), -kMax);
  EXPECT_EQ(CheckedNeg(kMin), std::nullopt);
  EXPECT_EQ(CheckedDiv(7, 2), 3);
  EXPECT_EQ(CheckedDiv(-7, 2), -3);  // truncates toward zero
  EXPECT_EQ(CheckedDiv(7, 0), std::nullopt);
  EXPECT_EQ(CheckedDiv(kMin, -1), std::nullopt);
  EXPECT_EQ(CheckedDiv(kMin, 1), kMin);
}

TEST(CheckedMath, UsableInConstantExpressions) {
  static_assert(CheckedAdd(1, 2) == 3);
  static_assert(!CheckedMul(kMax, kMax).has_value());
}

// A home-working allowance scenario combining the types: working days of June 2024 after a
// request, a rate per day, a percentage bonus and a decision deadline.
TEST(ValuesScenario, MonthlyAllowance) {
  const Date request = *Date::Parse("2024-03-31");
  const Date deadline = *AddMonths(request, 2, kLawMonthEnd);
  EXPECT_EQ(deadline.Format(Lang::kNl), "31 mei 2024");
  const Date june = *Date::FromYmd(2024, 6, 1);
  int working_days = 0;
  for (Date d = june; d <= june.EndOfMonth(); d = *d.AddDays(1)) {
    if (d.IsoWeekday() <= 5) ++working_days;
  }
  EXPECT_EQ(working_days, 20);
  const Money per_day = *Money::Parse("2.35");
  const Money base = *CheckedMul(per_day, working_days);
  const Percentage bonus = *Percentage::Parse("1.18%");
  const Money extra = *MulRound(base, bonus.fraction(), RoundingMode::kHalfAwayFromZero);
  EXPECT_EQ(base.Format(Lang::kEn), "\u20AC47.00");
  EXPECT_EQ(extra.ToString(), "0.55");  // 47.00 * 0.0118 = 0.5546
  EXPECT_EQ(CheckedAdd(base, extra)->Format(Lang::kNl), "\u20AC 47,55");
  EXPECT_EQ(CountryName("NL", Lang::kNl), "Nederland");
  EXPECT_EQ(WorkInterval(june, *TimeOfDay::Parse("22:00"), *TimeOfDay::Parse("01:00"))->Length(),
            *TimeSpan::Parse("3 hours"));
}

}  // namespace
}  // namespace nw
