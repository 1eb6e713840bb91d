// Local civil date-times (no time zones) with minute precision, and work intervals that may
// cross midnight (22:00-01:00 is 3 hours, 08:00-08:00 is 24 hours).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/support/values/date.hpp"
#include "dsl/support/values/time_of_day.hpp"
#include "dsl/support/values/timespan.hpp"

namespace nw {

// A local date and time, as minutes since 1970-01-01 00:00.
// INVARIANT: the value lies in 0001-01-01 00:00 .. 9999-12-31 23:59.
class DateTime {
 public:
  // 1970-01-01 00:00.
  constexpr DateTime() = default;

  // `time` on `date`; 24:00 means 00:00 of the next day. Nullopt only for 9999-12-31 24:00.
  static std::optional<DateTime> At(Date date, TimeOfDay time);

  // The instant `minutes` after 1970-01-01 00:00; nullopt outside the range.
  static std::optional<DateTime> FromMinutesSinceEpoch(int64_t minutes);

  // Strict "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM" (see Date::Parse, TimeOfDay::Parse;
  // 24:00 is rejected). Nullopt otherwise.
  static std::optional<DateTime> Parse(std::string_view text);

  // Minutes since 1970-01-01 00:00.
  constexpr int64_t MinutesSinceEpoch() const { return minutes_; }
  // The calendar date.
  Date date() const;
  // The time of day, 00:00..23:59.
  TimeOfDay time() const;

  // This instant moved by `span`; nullopt when the result leaves the range.
  std::optional<DateTime> Add(TimeSpan span) const;

  // "2024-03-05 22:00".
  std::string ToString() const;

  // The time from b to a (positive when a is later); always representable.
  friend TimeSpan operator-(DateTime a, DateTime b) {
    return TimeSpan::Minutes(a.minutes_ - b.minutes_);
  }
  // Same instant.
  friend constexpr bool operator==(const DateTime&, const DateTime&) = default;
  // Chronological order.
  friend constexpr std::strong_ordering operator<=>(const DateTime&, const DateTime&) = default;

 private:
  constexpr explicit DateTime(int64_t minutes) : minutes_(minutes) {}

  int64_t minutes_ = 0;
};

// A half-open stretch of time [start, end).
struct Interval {
  DateTime start;  // first instant inside
  DateTime end;    // first instant after

  // end - start (negative if the interval is inverted).
  TimeSpan Length() const { return end - start; }

  // Length of the intersection with [a, b); zero when they do not meet.
  TimeSpan OverlapWith(DateTime a, DateTime b) const;

  // Total overlap with the daily window [from, to) on every day the interval touches; a
  // window with to <= from crosses midnight (22:00-06:00), from == to is the whole day.
  // Example: night work is OverlapWithDaily(00:00, 06:00) of a shift.
  TimeSpan OverlapWithDaily(TimeOfDay from, TimeOfDay to) const;

  // Same start and end.
  friend constexpr bool operator==(const Interval&, const Interval&) = default;
};

// The work period on `day` from `start` to `end`. If end <= start the work crosses midnight
// and ends on the next day (22:00-01:00 is 3 hours; 08:00-08:00 is 24 hours); `end` may be
// 24:00. Nullopt if start is 24:00 or the end falls after 9999-12-31.
std::optional<Interval> WorkInterval(Date day, TimeOfDay start, TimeOfDay end);

}  // namespace nw
