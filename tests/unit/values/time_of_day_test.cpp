// Tests for TimeOfDay: strict HH:MM parsing, the 24:00 end time, accessors and printing.
#include "dsl/support/values/time_of_day.hpp"

#include <gtest/gtest.h>

namespace nw {
namespace {

TEST(TimeOfDay, ParseValid) {
  const auto t = TimeOfDay::Parse("22:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->hour(), 22);
  EXPECT_EQ(t->minute(), 0);
  EXPECT_EQ(t->minutes(), 1320);
  EXPECT_EQ(TimeOfDay::Parse("07:30")->minutes(), 450);
  EXPECT_EQ(TimeOfDay::Parse("00:00"), TimeOfDay::Midnight());
  EXPECT_EQ(TimeOfDay::Parse("23:59")->minutes(), 1439);
}

TEST(TimeOfDay, TwentyFourOnlyWhenAllowed) {
  EXPECT_EQ(TimeOfDay::Parse("24:00"), std::nullopt);
  EXPECT_EQ(TimeOfDay::Parse("24:00", /*allow_24=*/true), TimeOfDay::EndOfDay());
  EXPECT_TRUE(TimeOfDay::Parse("24:00", true)->IsEndOfDay());
  EXPECT_EQ(TimeOfDay::Parse("24:00", true)->minutes(), 1440);
  EXPECT_EQ(TimeOfDay::Parse("24:01", true), std::nullopt);
  EXPECT_EQ(TimeOfDay::FromHm(24, 0), std::nullopt);
  EXPECT_EQ(TimeOfDay::FromHm(24, 0, true), TimeOfDay::EndOfDay());
  EXPECT_EQ(TimeOfDay::FromMinutes(1440), std::nullopt);
  EXPECT_EQ(TimeOfDay::FromMinutes(1440, true), TimeOfDay::EndOfDay());
}

TEST(TimeOfDay, ParseRejects) {
  for (const char* bad : {"25:00", "24:30", "12:60", "7:30", "07:3", "0730", "07.30", "07:30 ",
                          " 07:30", "07:30:00", "-1:00", "ab:cd", "", "1:2:3"}) {
    EXPECT_EQ(TimeOfDay::Parse(bad, true), std::nullopt) << bad;
  }
  EXPECT_EQ(TimeOfDay::FromHm(-1, 0), std::nullopt);
  EXPECT_EQ(TimeOfDay::FromHm(12, 60), std::nullopt);
  EXPECT_EQ(TimeOfDay::FromMinutes(-1), std::nullopt);
}

TEST(TimeOfDay, ToStringAndOrder) {
  EXPECT_EQ(TimeOfDay::Parse("07:05")->ToString(), "07:05");
  EXPECT_EQ(TimeOfDay::Midnight().ToString(), "00:00");
  EXPECT_EQ(TimeOfDay::EndOfDay().ToString(), "24:00");
  EXPECT_LT(*TimeOfDay::Parse("23:59"), TimeOfDay::EndOfDay());
  EXPECT_LT(TimeOfDay::Midnight(), *TimeOfDay::Parse("00:01"));
  for (int m = 0; m <= 1440; ++m) {
    const TimeOfDay t = *TimeOfDay::FromMinutes(m, true);
    ASSERT_EQ(TimeOfDay::Parse(t.ToString(), true), t);
  }
}

}  // namespace
}  // namespace nw
