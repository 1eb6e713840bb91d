// Tests for calendar durations: construction, parsing, printing, application, ordering.
#include "dsl/support/values/duration.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace nw {
namespace {

Date D(std::string_view iso) { return *Date::Parse(iso); }
Duration P(std::string_view text) { return *Duration::Parse(text); }

TEST(Duration, Construction) {
  EXPECT_EQ(Duration::Months(2).months(), 2);
  EXPECT_EQ(Duration::Days(3).days(), 3);
  EXPECT_EQ(Duration::Years(5), Duration::Months(60));
  EXPECT_EQ(Duration::Weeks(26), Duration::Days(182));
  EXPECT_EQ(Duration::Years(std::numeric_limits<int32_t>::max()), std::nullopt);
  EXPECT_EQ(Duration::Weeks(std::numeric_limits<int32_t>::min()), std::nullopt);
  EXPECT_TRUE(Duration().IsZero());
  EXPECT_NE(Duration::Months(1), Duration::Days(30));
}

TEST(Duration, Parse) {
  EXPECT_EQ(P("2 months"), Duration::Months(2));
  EXPECT_EQ(P("1 month"), Duration::Months(1));
  EXPECT_EQ(P("26 weeks"), Duration::Days(182));
  EXPECT_EQ(P("1 week"), Duration::Days(7));
  EXPECT_EQ(P("3 days"), Duration::Days(3));
  EXPECT_EQ(P("1 year"), Duration::Months(12));
  EXPECT_EQ(P("5 years"), Duration::Months(60));
  EXPECT_EQ(P("1 year 3 days"), Duration::FromParts(12, 3));
  EXPECT_EQ(P("1 year 2 months 1 week 1 day"), Duration::FromParts(14, 8));
  EXPECT_EQ(P("-2 months"), Duration::Months(-2));
  EXPECT_EQ(P("0 days"), Duration());
  EXPECT_EQ(P("2 month"), Duration::Months(2));  // singular/plural are not enforced
}

TEST(Duration, ParseRejects) {
  for (const char* bad :
       {"", "2", "months", "2months", "2  months", " 2 months", "2 months ", "2 Months",
        "2 maanden", "1.5 months", "+2 months", "3 days 1 month", "1 month 1 month",
        "2 months and 3 days", "99999999999 days", "2147483647 years", "- 2 months"}) {
    EXPECT_EQ(Duration::Parse(bad), std::nullopt) << bad;
  }
}

TEST(Duration, ToStringCanonical) {
  EXPECT_EQ(Duration::Months(2).ToString(), "2 months");
  EXPECT_EQ(Duration::Months(1).ToString(), "1 month");
  EXPECT_EQ(Duration::Days(182).ToString(), "26 weeks");
  EXPECT_EQ(Duration::Days(7).ToString(), "1 week");
  EXPECT_EQ(Duration::Days(3).ToString(), "3 days");
  EXPECT_EQ(Duration::Days(1).ToString(), "1 day");
  EXPECT_EQ(Duration::Months(12).ToString(), "1 year");
  EXPECT_EQ(Duration::Months(60).ToString(), "5 years");
  EXPECT_EQ(Duration::Months(14).ToString(), "14 months");
  EXPECT_EQ(Duration::FromParts(12, 3).ToString(), "1 year 3 days");
  EXPECT_EQ(Duration::FromParts(3, 14).ToString(), "3 months 2 weeks");
  EXPECT_EQ(Duration::Months(-1).ToString(), "-1 month");
  EXPECT_EQ(Duration().ToString(), "0 days");
  for (const Duration d : {Duration::Months(2), Duration::Days(182), Duration::FromParts(12, 3),
                           Duration::FromParts(-5, 9), Duration()}) {
    EXPECT_EQ(Duration::Parse(d.ToString()), d) << d.ToString();
  }
}

TEST(Duration, AddAndNegate) {
  EXPECT_EQ(Duration::Months(1).Add(Duration::Days(3)), Duration::FromParts(1, 3));
  EXPECT_EQ(Duration::FromParts(1, 3).Negate(), Duration::FromParts(-1, -3));
  EXPECT_EQ(Duration::Months(std::numeric_limits<int32_t>::max()).Add(Duration::Months(1)),
            std::nullopt);
  EXPECT_EQ(Duration::Days(std::numeric_limits<int32_t>::min()).Negate(), std::nullopt);
}

TEST(Duration, ApplyMonthsThenDays) {
  EXPECT_EQ(Apply(D("2024-01-31"), P("1 month"), MonthEnd::kClamp), D("2024-02-29"));
  // Months first, then days: Jan 31 + 1 month = Feb 29, + 1 day = Mar 1.
  EXPECT_EQ(Apply(D("2024-01-31"), P("1 month 1 day"), MonthEnd::kClamp), D("2024-03-01"));
  EXPECT_EQ(Apply(D("2024-01-31"), P("1 month"), MonthEnd::kAbort), std::nullopt);
  EXPECT_EQ(Apply(D("2024-01-31"), P("1 month"), MonthEnd::kRollOver), D("2024-03-01"));
  EXPECT_EQ(Apply(D("2024-03-31"), *P("1 month").Negate(), MonthEnd::kClamp), D("2024-02-29"));
  EXPECT_EQ(Apply(D("2024-01-01"), P("26 weeks"), MonthEnd::kClamp), D("2024-07-01"));
  EXPECT_EQ(Apply(D("9999-12-31"), P("1 day"), MonthEnd::kClamp), std::nullopt);
}

TEST(Duration, CompareComparableCases) {
  EXPECT_EQ(Compare(P("2 months"), P("3 months")), std::strong_ordering::less);
  EXPECT_EQ(Compare(P("1 year"), P("12 months")), std::strong_ordering::equal);
  EXPECT_EQ(Compare(P("26 weeks"), P("180 days")), std::strong_ordering::greater);
  EXPECT_EQ(Compare(Duration(), P("1 day")), std::strong_ordering::less);
  EXPECT_EQ(Compare(Duration(), P("1 month")), std::strong_ordering::less);
  EXPECT_EQ(Compare(P("1 month 3 days"), P("1 month 5 days")), std::strong_ordering::less);
  EXPECT_EQ(Compare(P("2 months 5 days"), P("1 month 3 days")), std::strong_ordering::greater);
}

TEST(Duration, CompareIncomparableCases) {
  EXPECT_EQ(Compare(P("1 month"), P("30 days")), std::nullopt);
  EXPECT_EQ(Compare(P("1 month"), P("1 day")), std::nullopt);  // one part larger, the other smaller
  EXPECT_EQ(Compare(P("2 months 1 day"), P("1 month 40 days")), std::nullopt);
}

}  // namespace
}  // namespace nw
