// Tests for DateTime and work intervals, including midnight crossing and night-work overlap.
#include "dsl/support/values/date_time.hpp"

#include <gtest/gtest.h>

namespace nw {
namespace {

Date D(std::string_view iso) { return *Date::Parse(iso); }
TimeOfDay T(std::string_view hhmm) { return *TimeOfDay::Parse(hhmm, /*allow_24=*/true); }
DateTime DT(std::string_view text) { return *DateTime::Parse(text); }

TEST(DateTime, AtAndAccessors) {
  const DateTime dt = *DateTime::At(D("2024-03-05"), T("22:00"));
  EXPECT_EQ(dt.date(), D("2024-03-05"));
  EXPECT_EQ(dt.time(), T("22:00"));
  EXPECT_EQ(dt.ToString(), "2024-03-05 22:00");
  EXPECT_EQ(DateTime().ToString(), "1970-01-01 00:00");
  EXPECT_EQ(DateTime::At(D("1970-01-02"), T("00:01"))->MinutesSinceEpoch(), 1441);
  // Before the epoch the date and time still split correctly.
  const DateTime early = *DateTime::At(D("1969-12-31"), T("23:59"));
  EXPECT_EQ(early.MinutesSinceEpoch(), -1);
  EXPECT_EQ(early.date(), D("1969-12-31"));
  EXPECT_EQ(early.time(), T("23:59"));
}

TEST(DateTime, TwentyFourHundredIsNextMidnight) {
  EXPECT_EQ(DateTime::At(D("2024-02-28"), T("24:00")), DateTime::At(D("2024-02-29"), T("00:00")));
  EXPECT_EQ(DateTime::At(Date::Max(), T("24:00")), std::nullopt);
  EXPECT_TRUE(DateTime::At(Date::Max(), T("23:59")).has_value());
  EXPECT_TRUE(DateTime::At(Date::Min(), T("00:00")).has_value());
}

TEST(DateTime, Parse) {
  EXPECT_EQ(DT("2024-03-05T22:00"), DT("2024-03-05 22:00"));
  EXPECT_EQ(DT("2024-03-05T22:00").ToString(), "2024-03-05 22:00");
  for (const char* bad :
       {"2024-03-05", "2024-03-05T24:00", "2024-03-05t22:00", "2024-03-05  22:00",
        "2024-03-05T22:00:00", "2023-02-29 10:00", "2024-03-05T7:00", "2024-03-05T22:00Z", ""}) {
    EXPECT_EQ(DateTime::Parse(bad), std::nullopt) << bad;
  }
}

TEST(DateTime, AddAndSubtract) {
  EXPECT_EQ(DT("2024-02-28 23:30").Add(TimeSpan::Hours(1)), DT("2024-02-29 00:30"));
  EXPECT_EQ(DT("2024-03-01 00:30").Add(TimeSpan::Hours(-1)), DT("2024-02-29 23:30"));
  EXPECT_EQ(DT("9999-12-31 23:59").Add(TimeSpan::Minutes(1)), std::nullopt);
  EXPECT_EQ(DT("0001-01-01 00:00").Add(TimeSpan::Minutes(-1)), std::nullopt);
  EXPECT_EQ(DT("2024-01-01 00:00").Add(TimeSpan::Minutes(INT64_MAX)), std::nullopt);
  EXPECT_EQ(DT("2024-03-06 01:00") - DT("2024-03-05 22:00"), TimeSpan::Hours(3));
  EXPECT_EQ(DT("2024-03-05 22:00") - DT("2024-03-06 01:00"), TimeSpan::Hours(-3));
  EXPECT_EQ(DT("9999-12-31 23:59") - DT("0001-01-01 00:00"),
            TimeSpan::Minutes((int64_t{Date::kMaxDays} - Date::kMinDays + 1) * 1440 - 1));
  EXPECT_LT(DT("2024-03-05 22:00"), DT("2024-03-06 01:00"));
}

TEST(WorkInterval, SameDay) {
  const Interval shift = *WorkInterval(D("2024-03-05"), T("09:00"), T("17:30"));
  EXPECT_EQ(shift.start, DT("2024-03-05 09:00"));
  EXPECT_EQ(shift.end, DT("2024-03-05 17:30"));
  EXPECT_EQ(shift.Length(), TimeSpan::Minutes(510));
}

TEST(WorkInterval, CrossesMidnight) {
  const Interval night = *WorkInterval(D("2024-03-05"), T("22:00"), T("01:00"));
  EXPECT_EQ(night.end, DT("2024-03-06 01:00"));
  EXPECT_EQ(night.Length(), TimeSpan::Hours(3));
  // Equal start and end is a full 24-hour shift, not an empty one.
  EXPECT_EQ(WorkInterval(D("2024-03-05"), T("08:00"), T("08:00"))->Length(), TimeSpan::Hours(24));
  // The month and leap-day boundaries are crossed correctly.
  EXPECT_EQ(WorkInterval(D("2024-02-29"), T("23:00"), T("07:00"))->end, DT("2024-03-01 07:00"));
}

TEST(WorkInterval, EndOfDayAndLimits) {
  EXPECT_EQ(WorkInterval(D("2024-03-05"), T("16:00"), T("24:00"))->Length(), TimeSpan::Hours(8));
  EXPECT_EQ(WorkInterval(D("2024-03-05"), T("00:00"), T("24:00"))->Length(), TimeSpan::Hours(24));
  EXPECT_EQ(WorkInterval(D("2024-03-05"), T("24:00"), T("08:00")), std::nullopt);
  EXPECT_EQ(WorkInterval(Date::Max(), T("22:00"), T("01:00")), std::nullopt);
  EXPECT_EQ(WorkInterval(Date::Max(), T("22:00"), T("23:00"))->Length(), TimeSpan::Hours(1));
}

TEST(Interval, OverlapWith) {
  const Interval night = *WorkInterval(D("2024-03-05"), T("22:00"), T("07:00"));
  // Night work between 00:00 and 06:00 of the next day.
  EXPECT_EQ(night.OverlapWith(DT("2024-03-06 00:00"), DT("2024-03-06 06:00")), TimeSpan::Hours(6));
  EXPECT_EQ(night.OverlapWith(DT("2024-03-05 00:00"), DT("2024-03-05 06:00")), TimeSpan());
  EXPECT_EQ(night.OverlapWith(DT("2024-03-05 23:00"), DT("2024-03-05 23:30")),
            TimeSpan::Minutes(30));
  EXPECT_EQ(night.OverlapWith(DT("2024-03-06 07:00"), DT("2024-03-06 08:00")), TimeSpan());
  EXPECT_EQ(night.OverlapWith(DT("2024-03-06 06:00"), DT("2024-03-06 00:00")), TimeSpan());
}

TEST(Interval, OverlapWithDaily) {
  const TimeOfDay midnight = T("00:00");
  const TimeOfDay six = T("06:00");
  EXPECT_EQ(WorkInterval(D("2024-03-05"), T("22:00"), T("07:00"))->OverlapWithDaily(midnight, six),
            TimeSpan::Hours(6));
  EXPECT_EQ(WorkInterval(D("2024-03-05"), T("22:00"), T("01:00"))->OverlapWithDaily(midnight, six),
            TimeSpan::Hours(1));
  EXPECT_EQ(WorkInterval(D("2024-03-05"), T("09:00"), T("17:00"))->OverlapWithDaily(midnight, six),
            TimeSpan());
  EXPECT_EQ(WorkInterval(D("2024-03-05"), T("05:00"), T("05:00"))->OverlapWithDaily(midnight, six),
            TimeSpan::Hours(6));
  // A window crossing midnight, and a multi-day interval.
  EXPECT_EQ(
      WorkInterval(D("2024-03-05"), T("20:00"), T("02:00"))->OverlapWithDaily(T("22:00"), six),
      TimeSpan::Hours(4));
  const Interval three_days{DT("2024-03-05 00:00"), DT("2024-03-08 00:00")};
  EXPECT_EQ(three_days.OverlapWithDaily(T("22:00"), six), TimeSpan::Hours(24));
  EXPECT_EQ(three_days.OverlapWithDaily(midnight, T("24:00")), TimeSpan::Hours(72));
  EXPECT_EQ(three_days.OverlapWithDaily(T("24:00"), six), TimeSpan::Hours(18));
  EXPECT_EQ(
      (Interval{DT("2024-03-06 00:00"), DT("2024-03-05 00:00")}).OverlapWithDaily(midnight, six),
      TimeSpan());
  EXPECT_EQ(
      (Interval{DT("0001-01-01 00:00"), DT("0001-01-02 00:00")}).OverlapWithDaily(T("22:00"), six),
      TimeSpan::Hours(8));
}

}  // namespace
}  // namespace nw
