// Tests for Date: leap years, strict parsing, ISO weeks, month arithmetic, formatting.
#include "dsl/support/values/date.hpp"

#include <gtest/gtest.h>

namespace nw {
namespace {

Date D(std::string_view iso) { return *Date::Parse(iso); }

TEST(Date, LeapYears) {
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_FALSE(IsLeapYear(2100));
  EXPECT_TRUE(IsLeapYear(2400));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(2024, 4), 30);
  EXPECT_EQ(DaysInMonth(2024, 12), 31);
  EXPECT_EQ(DaysInMonth(2024, 13), 0);
}

TEST(Date, FromYmdValidates) {
  EXPECT_TRUE(Date::FromYmd(2024, 2, 29).has_value());
  EXPECT_FALSE(Date::FromYmd(2023, 2, 29).has_value());
  EXPECT_FALSE(Date::FromYmd(1900, 2, 29).has_value());
  EXPECT_TRUE(Date::FromYmd(2000, 2, 29).has_value());
  EXPECT_FALSE(Date::FromYmd(2024, 4, 31).has_value());
  EXPECT_FALSE(Date::FromYmd(2024, 0, 1).has_value());
  EXPECT_FALSE(Date::FromYmd(2024, 1, 0).has_value());
  EXPECT_FALSE(Date::FromYmd(0, 12, 31).has_value());
  EXPECT_FALSE(Date::FromYmd(10000, 1, 1).has_value());
  EXPECT_EQ(Date::FromYmd(1, 1, 1), Date::Min());
  EXPECT_EQ(Date::FromYmd(9999, 12, 31), Date::Max());
}

TEST(Date, EpochAndFields) {
  EXPECT_EQ(D("1970-01-01").DaysSinceEpoch(), 0);
  EXPECT_EQ(D("1970-01-02").DaysSinceEpoch(), 1);
  EXPECT_EQ(D("1969-12-31").DaysSinceEpoch(), -1);
  EXPECT_EQ(D("2000-03-01").DaysSinceEpoch(), 11017);
  EXPECT_EQ(Date(), D("1970-01-01"));
  const Date d = D("2024-02-29");
  EXPECT_EQ(d.year(), 2024);
  EXPECT_EQ(d.month(), 2);
  EXPECT_EQ(d.day(), 29);
  EXPECT_EQ(d.ToYmd(), (YearMonthDay{2024, 2, 29}));
  EXPECT_EQ(d.DayOfYear(), 60);
  EXPECT_EQ(D("2024-12-31").DayOfYear(), 366);
  EXPECT_EQ(D("2023-12-31").DayOfYear(), 365);
}

TEST(Date, RoundTripsEveryDayOfTwoCenturies) {
  Date d = D("1899-01-01");
  int expected_year = 1899, expected_month = 1, expected_day = 1;
  while (d <= D("2101-01-01")) {
    ASSERT_EQ(d.ToYmd(), (YearMonthDay{expected_year, expected_month, expected_day}));
    ASSERT_EQ(Date::Parse(d.ToString()), d);
    if (++expected_day > DaysInMonth(expected_year, expected_month)) {
      expected_day = 1;
      if (++expected_month > 12) {
        expected_month = 1;
        ++expected_year;
      }
    }
    d = *d.AddDays(1);
  }
}

// The civil conversions in both directions over every representable day: each
// day is the calendar day after the one before, and converts back to itself.
TEST(Date, ConvertsEveryRepresentableDay) {
  YearMonthDay expected{1, 1, 1};
  for (int64_t days = Date::kMinDays; days <= Date::kMaxDays; ++days) {
    const YearMonthDay ymd = Date::FromDaysSinceEpoch(days)->ToYmd();
    ASSERT_EQ(ymd, expected) << days;
    ASSERT_EQ(Date::FromYmd(ymd.year, ymd.month, ymd.day)->DaysSinceEpoch(), days);
    if (++expected.day > DaysInMonth(expected.year, expected.month)) {
      expected.day = 1;
      if (++expected.month > 12) {
        expected.month = 1;
        ++expected.year;
      }
    }
  }
  EXPECT_EQ(expected, (YearMonthDay{10000, 1, 1}));
}

TEST(Date, ParseStrict) {
  EXPECT_EQ(D("2024-02-29").ToString(), "2024-02-29");
  EXPECT_EQ(D("0001-01-01"), Date::Min());
  for (const char* bad : {"2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
                          "2024-01-00", "0000-01-01", "2024-1-01", "2024-01-1", "24-01-01",
                          "2024/01/01", "2024-01-01 ", " 2024-01-01", "2024-01-01T00:00",
                          "20240101", "+202-01-01", "2024-0a-01", "", "10000-01-01"}) {
    EXPECT_EQ(Date::Parse(bad), std::nullopt) << bad;
  }
}

TEST(Date, IsoWeekday) {
  EXPECT_EQ(D("1970-01-01").IsoWeekday(), 4);  // Thursday
  EXPECT_EQ(D("2024-06-30").IsoWeekday(), 7);  // Sunday
  EXPECT_EQ(D("2024-07-01").IsoWeekday(), 1);  // Monday
  EXPECT_EQ(D("1969-12-29").IsoWeekday(), 1);  // before the epoch
  EXPECT_EQ(Date::Min().IsoWeekday(), 1);      // 0001-01-01 was a Monday
  EXPECT_EQ(Date::Max().IsoWeekday(), 5);      // 9999-12-31 is a Friday
}

TEST(Date, IsoWeekAtYearBoundaries) {
  EXPECT_EQ(D("2020-12-31").IsoWeek(), (IsoWeek{2020, 53}));
  EXPECT_EQ(D("2021-01-03").IsoWeek(), (IsoWeek{2020, 53}));
  EXPECT_EQ(D("2021-01-04").IsoWeek(), (IsoWeek{2021, 1}));
  EXPECT_EQ(D("2024-12-30").IsoWeek(), (IsoWeek{2025, 1}));
  EXPECT_EQ(D("2024-12-29").IsoWeek(), (IsoWeek{2024, 52}));
  EXPECT_EQ(D("2024-01-01").IsoWeek(), (IsoWeek{2024, 1}));
  EXPECT_EQ(D("2023-01-01").IsoWeek(), (IsoWeek{2022, 52}));
  EXPECT_EQ(D("2026-12-31").IsoWeek(), (IsoWeek{2026, 53}));
  EXPECT_EQ(D("2008-12-29").IsoWeek(), (IsoWeek{2009, 1}));
  EXPECT_EQ(D("2010-01-03").IsoWeek(), (IsoWeek{2009, 53}));
  EXPECT_EQ(D("2024-06-30").IsoWeek(), (IsoWeek{2024, 26}));
}

TEST(Date, StartAndEndOfPeriods) {
  EXPECT_EQ(D("2024-06-30").StartOfIsoWeek(), D("2024-06-24"));
  EXPECT_EQ(D("2024-06-24").StartOfIsoWeek(), D("2024-06-24"));
  EXPECT_EQ(D("2021-01-03").StartOfIsoWeek(), D("2020-12-28"));
  EXPECT_EQ(Date::Min().StartOfIsoWeek(), Date::Min());
  EXPECT_EQ(D("2024-02-17").StartOfMonth(), D("2024-02-01"));
  EXPECT_EQ(D("2024-02-17").EndOfMonth(), D("2024-02-29"));
  EXPECT_EQ(D("2023-02-01").EndOfMonth(), D("2023-02-28"));
  EXPECT_EQ(D("2024-12-05").EndOfMonth(), D("2024-12-31"));
}

TEST(Date, AddDaysAndDaysUntil) {
  EXPECT_EQ(D("2024-02-28").AddDays(1), D("2024-02-29"));
  EXPECT_EQ(D("2024-02-29").AddDays(1), D("2024-03-01"));
  EXPECT_EQ(D("2024-01-01").AddDays(-1), D("2023-12-31"));
  EXPECT_EQ(Date::Max().AddDays(1), std::nullopt);
  EXPECT_EQ(Date::Min().AddDays(-1), std::nullopt);
  EXPECT_EQ(D("2024-01-01").AddDays(INT64_MAX), std::nullopt);
  EXPECT_EQ(D("2024-01-01").AddDays(INT64_MIN), std::nullopt);
  EXPECT_EQ(Date::Min().AddDays(Date::Min().DaysUntil(Date::Max())), Date::Max());
  EXPECT_EQ(D("2024-01-01").DaysUntil(D("2025-01-01")), 366);
  EXPECT_EQ(D("2025-01-01").DaysUntil(D("2024-01-01")), -366);
  EXPECT_EQ(Date::FromDaysSinceEpoch(Date::kMaxDays + 1), std::nullopt);
}

TEST(Date, AddMonthsClamp) {
  EXPECT_EQ(AddMonths(D("2024-03-31"), -1, MonthEnd::kClamp), D("2024-02-29"));
  EXPECT_EQ(AddMonths(D("2023-03-31"), -1, MonthEnd::kClamp), D("2023-02-28"));
  EXPECT_EQ(AddMonths(D("2024-02-29"), 12, MonthEnd::kClamp), D("2025-02-28"));
  EXPECT_EQ(AddMonths(D("2024-01-31"), 1, MonthEnd::kClamp), D("2024-02-29"));
  EXPECT_EQ(AddMonths(D("2023-01-31"), 1, MonthEnd::kClamp), D("2023-02-28"));
  EXPECT_EQ(AddMonths(D("2024-05-31"), 1, MonthEnd::kClamp), D("2024-06-30"));
  EXPECT_EQ(AddMonths(D("2024-01-15"), 2, MonthEnd::kClamp), D("2024-03-15"));
  EXPECT_EQ(AddMonths(D("2024-11-30"), 3, MonthEnd::kClamp), D("2025-02-28"));
  EXPECT_EQ(AddMonths(D("2024-01-15"), -13, MonthEnd::kClamp), D("2022-12-15"));
  EXPECT_EQ(kLawMonthEnd, MonthEnd::kClamp);
}

TEST(Date, AddMonthsRollOver) {
  EXPECT_EQ(AddMonths(D("2023-01-31"), 1, MonthEnd::kRollOver), D("2023-03-01"));
  EXPECT_EQ(AddMonths(D("2024-01-31"), 1, MonthEnd::kRollOver), D("2024-03-01"));
  EXPECT_EQ(AddMonths(D("2024-03-31"), -1, MonthEnd::kRollOver), D("2024-03-01"));
  EXPECT_EQ(AddMonths(D("2024-02-29"), 12, MonthEnd::kRollOver), D("2025-03-01"));
  EXPECT_EQ(AddMonths(D("2024-01-30"), 1, MonthEnd::kRollOver), D("2024-03-01"));
  EXPECT_EQ(AddMonths(D("2024-01-29"), 1, MonthEnd::kRollOver), D("2024-02-29"));
}

TEST(Date, AddMonthsAbort) {
  EXPECT_EQ(AddMonths(D("2023-01-31"), 1, MonthEnd::kAbort), std::nullopt);
  EXPECT_EQ(AddMonths(D("2024-03-31"), -1, MonthEnd::kAbort), std::nullopt);
  EXPECT_EQ(AddMonths(D("2024-02-29"), 12, MonthEnd::kAbort), std::nullopt);
  EXPECT_EQ(AddMonths(D("2024-02-29"), 48, MonthEnd::kAbort), D("2028-02-29"));
  EXPECT_EQ(AddMonths(D("2024-01-30"), 2, MonthEnd::kAbort), D("2024-03-30"));
}

TEST(Date, AddMonthsRange) {
  EXPECT_EQ(AddMonths(D("9999-12-01"), 1, MonthEnd::kClamp), std::nullopt);
  EXPECT_EQ(AddMonths(D("0001-01-31"), -1, MonthEnd::kClamp), std::nullopt);
  EXPECT_EQ(AddMonths(D("9999-11-30"), 1, MonthEnd::kClamp), D("9999-12-30"));
  EXPECT_EQ(AddMonths(D("2024-01-01"), INT32_MAX, MonthEnd::kClamp), std::nullopt);
  EXPECT_EQ(AddMonths(D("2024-01-01"), INT32_MIN, MonthEnd::kClamp), std::nullopt);
  EXPECT_EQ(AddMonths(D("2024-01-01"), 0, MonthEnd::kAbort), D("2024-01-01"));
}

TEST(Date, AddYears) {
  EXPECT_EQ(AddYears(D("2024-02-29"), 1, MonthEnd::kClamp), D("2025-02-28"));
  EXPECT_EQ(AddYears(D("2024-02-29"), 1, MonthEnd::kRollOver), D("2025-03-01"));
  EXPECT_EQ(AddYears(D("2024-02-29"), 1, MonthEnd::kAbort), std::nullopt);
  EXPECT_EQ(AddYears(D("2024-02-29"), -4, MonthEnd::kAbort), D("2020-02-29"));
  EXPECT_EQ(AddYears(D("2024-06-30"), INT32_MAX, MonthEnd::kClamp), std::nullopt);
}

TEST(Date, Format) {
  EXPECT_EQ(D("2024-06-30").Format(Lang::kEn), "30 June 2024");
  EXPECT_EQ(D("2024-06-30").Format(Lang::kNl), "30 juni 2024");
  EXPECT_EQ(D("2024-03-01").Format(Lang::kEn), "1 March 2024");
  EXPECT_EQ(D("2024-03-01").Format(Lang::kNl), "1 maart 2024");
  EXPECT_EQ(D("2025-05-17").Format(Lang::kNl), "17 mei 2025");
  EXPECT_EQ(D("0033-10-09").ToString(), "0033-10-09");
}

TEST(Date, Ordering) {
  EXPECT_LT(D("2023-12-31"), D("2024-01-01"));
  EXPECT_LT(D("1969-12-31"), D("1970-01-01"));
  EXPECT_EQ(D("2024-02-29"), *Date::FromYmd(2024, 2, 29));
}

}  // namespace
}  // namespace nw
