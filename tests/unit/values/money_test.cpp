// Tests for Money: strict parsing, checked arithmetic, explicit rounding, formatting.
#include "dsl/support/values/money.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace nw {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Money Eur(int64_t cents) { return Money::FromCents(cents); }
Rational R(int64_t num, int64_t den) { return *Rational::Make(num, den); }

TEST(Money, ParseAccepted) {
  EXPECT_EQ(Money::Parse("2.35"), Eur(235));
  EXPECT_EQ(Money::Parse("-0.19"), Eur(-19));
  EXPECT_EQ(Money::Parse("1234"), Eur(123400));
  EXPECT_EQ(Money::Parse("2.5"), Eur(250));
  EXPECT_EQ(Money::Parse("0"), Eur(0));
  EXPECT_EQ(Money::Parse("-0.00"), Eur(0));
  EXPECT_EQ(Money::Parse("\u20AC2.35"), Eur(235));
  EXPECT_EQ(Money::Parse("\u20AC 2.35"), Eur(235));
  EXPECT_EQ(Money::Parse("EUR 2.35"), Eur(235));
  EXPECT_EQ(Money::Parse("-\u20AC2.35"), Eur(-235));
  EXPECT_EQ(Money::Parse("\u20AC -2.35"), Eur(-235));
  EXPECT_EQ(Money::Parse("EUR -1234.56"), Eur(-123456));
}

TEST(Money, ParseRejected) {
  for (const char* bad : {"",
                          "-",
                          "2.345",
                          "2.",
                          ".5",
                          "1,234.56",
                          "2,35",
                          "\u20AC2,35",
                          "+2.35",
                          " 2.35",
                          "2.35 ",
                          "EUR2.35",
                          "eur 2.35",
                          "\u20AC  2.35",
                          "--2",
                          "-\u20AC-2",
                          "2.3a",
                          "1e3",
                          "2 .35",
                          "$2.35",
                          "\u20AC",
                          "EUR ",
                          "92233720368547758.08",
                          "-92233720368547758.09",
                          "123456789012345678901"}) {
    EXPECT_EQ(Money::Parse(bad), std::nullopt) << bad;
  }
}

TEST(Money, ParseRangeLimits) {
  EXPECT_EQ(Money::Parse("92233720368547758.07"), Eur(kMax));
  EXPECT_EQ(Money::Parse("-92233720368547758.08"), Eur(kMin));
}

TEST(Money, ToStringRoundTrips) {
  EXPECT_EQ(Eur(235).ToString(), "2.35");
  EXPECT_EQ(Eur(-19).ToString(), "-0.19");
  EXPECT_EQ(Eur(123400).ToString(), "1234.00");
  EXPECT_EQ(Eur(5).ToString(), "0.05");
  EXPECT_EQ(Eur(0).ToString(), "0.00");
  EXPECT_EQ(Eur(kMin).ToString(), "-92233720368547758.08");
  for (const int64_t cents : {int64_t{0}, int64_t{-1}, int64_t{99}, int64_t{-123456}, kMax, kMin}) {
    EXPECT_EQ(Money::Parse(Eur(cents).ToString()), Eur(cents)) << cents;
  }
}

TEST(Money, FormatEnglish) {
  EXPECT_EQ(Eur(235).Format(Lang::kEn), "\u20AC2.35");
  EXPECT_EQ(Eur(123456).Format(Lang::kEn), "\u20AC1,234.56");
  EXPECT_EQ(Eur(-19).Format(Lang::kEn), "-\u20AC0.19");
  EXPECT_EQ(Eur(100000000).Format(Lang::kEn), "\u20AC1,000,000.00");
  EXPECT_EQ(Eur(99999).Format(Lang::kEn), "\u20AC999.99");
}

TEST(Money, FormatDutch) {
  EXPECT_EQ(Eur(235).Format(Lang::kNl), "\u20AC 2,35");
  EXPECT_EQ(Eur(123456).Format(Lang::kNl), "\u20AC 1.234,56");
  EXPECT_EQ(Eur(-19).Format(Lang::kNl), "\u20AC -0,19");
  EXPECT_EQ(Eur(100000000).Format(Lang::kNl), "\u20AC 1.000.000,00");
}

TEST(Money, CheckedAddSubOverflow) {
  EXPECT_EQ(CheckedAdd(Eur(235), Eur(-19)), Eur(216));
  EXPECT_EQ(CheckedAdd(Eur(kMax), Eur(1)), std::nullopt);
  EXPECT_EQ(CheckedAdd(Eur(kMax), Eur(0)), Eur(kMax));
  EXPECT_EQ(CheckedSub(Eur(kMin), Eur(1)), std::nullopt);
  EXPECT_EQ(CheckedSub(Eur(100), Eur(250)), Eur(-150));
  EXPECT_EQ(CheckedNeg(Eur(kMin)), std::nullopt);
  EXPECT_EQ(CheckedNeg(Eur(5)), Eur(-5));
}

TEST(Money, CheckedMul) {
  EXPECT_EQ(CheckedMul(Eur(235), 3), Eur(705));
  EXPECT_EQ(CheckedMul(Eur(235), -2), Eur(-470));
  EXPECT_EQ(CheckedMul(Eur(kMax / 2 + 1), 2), std::nullopt);
  EXPECT_EQ(CheckedMul(Eur(kMin), -1), std::nullopt);
}

TEST(Money, MulRoundHalfAwayFromZeroAtTheCent) {
  const Rational half = R(1, 2);
  EXPECT_EQ(MulRound(Eur(5), half, RoundingMode::kHalfAwayFromZero), Eur(3));
  EXPECT_EQ(MulRound(Eur(-5), half, RoundingMode::kHalfAwayFromZero), Eur(-3));
  EXPECT_EQ(MulRound(Eur(5), half, RoundingMode::kHalfEven), Eur(2));
  EXPECT_EQ(MulRound(Eur(7), half, RoundingMode::kHalfEven), Eur(4));
  EXPECT_EQ(MulRound(Eur(5), half, RoundingMode::kDown), Eur(2));
  EXPECT_EQ(MulRound(Eur(-5), half, RoundingMode::kDown), Eur(-2));
  EXPECT_EQ(MulRound(Eur(-5), half, RoundingMode::kFloor), Eur(-3));
  EXPECT_EQ(MulRound(Eur(5), half, RoundingMode::kCeiling), Eur(3));
}

TEST(Money, MulRoundRatesAndOverflow) {
  // Home-working allowance: 21 days at €2.35 per day, or a rate of 1.18%.
  EXPECT_EQ(MulRound(Eur(235), Rational::FromInteger(21), RoundingMode::kHalfAwayFromZero),
            Eur(4935));
  EXPECT_EQ(MulRound(Eur(100000), *Rational::Parse("0.0118"), RoundingMode::kHalfAwayFromZero),
            Eur(1180));
  EXPECT_EQ(MulRound(Eur(1000), R(1, 3), RoundingMode::kHalfAwayFromZero), Eur(333));
  EXPECT_EQ(MulRound(Eur(2000), R(1, 3), RoundingMode::kHalfAwayFromZero), Eur(667));
  // A large exact intermediate is fine; a result out of range is not.
  EXPECT_EQ(MulRound(Eur(kMax), R(3, 7), RoundingMode::kDown),
            Eur(kMax / 7 * 3 + (kMax % 7) * 3 / 7));
  EXPECT_EQ(MulRound(Eur(kMax), R(3, 2), RoundingMode::kDown), std::nullopt);
}

TEST(Money, DivRound) {
  EXPECT_EQ(DivRound(Eur(100), 3, RoundingMode::kHalfAwayFromZero), Eur(33));
  EXPECT_EQ(DivRound(Eur(200), 3, RoundingMode::kHalfAwayFromZero), Eur(67));
  EXPECT_EQ(DivRound(Eur(-5), 2, RoundingMode::kHalfAwayFromZero), Eur(-3));
  EXPECT_EQ(DivRound(Eur(5), -2, RoundingMode::kHalfAwayFromZero), Eur(-3));
  EXPECT_EQ(DivRound(Eur(100), 0, RoundingMode::kHalfAwayFromZero), std::nullopt);
  EXPECT_EQ(DivRound(Eur(kMin), -1, RoundingMode::kDown), std::nullopt);
}

TEST(Money, Ratio) {
  EXPECT_EQ(Ratio(Eur(50), Eur(200)), R(1, 4));
  EXPECT_EQ(Ratio(Eur(-300), Eur(200)), R(-3, 2));
  EXPECT_EQ(Ratio(Eur(50), Eur(0)), std::nullopt);
}

TEST(Money, Comparison) {
  EXPECT_LT(Eur(-1), Eur(0));
  EXPECT_GT(Eur(235), Eur(234));
  EXPECT_EQ(*Money::Parse("2.50"), *Money::Parse("2.5"));
  EXPECT_TRUE(Eur(-1).IsNegative());
  EXPECT_TRUE(Money().IsZero());
  EXPECT_EQ(Money().currency(), Currency::kEur);
}

}  // namespace
}  // namespace nw
