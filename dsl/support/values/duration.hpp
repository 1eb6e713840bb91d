// Calendar durations ("2 months", "26 weeks") as whole months plus whole days. Months and
// days are not interconvertible, so only some durations can be compared (see Compare).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/support/values/date.hpp"

namespace nw {

// A calendar duration: `months` calendar months and `days` days (weeks are 7 days, years
// 12 months). Either part may be negative.
class Duration {
 public:
  // Zero.
  constexpr Duration() = default;

  // n calendar months.
  static constexpr Duration Months(int32_t n) { return Duration(n, 0); }
  // n days.
  static constexpr Duration Days(int32_t n) { return Duration(0, n); }
  // n years (12 n months); nullopt when 12 n does not fit int32.
  static std::optional<Duration> Years(int32_t n);
  // n weeks (7 n days); nullopt when 7 n does not fit int32.
  static std::optional<Duration> Weeks(int32_t n);
  // `months` months plus `days` days.
  static constexpr Duration FromParts(int32_t months, int32_t days) {
    return Duration(months, days);
  }

  // Parses one or more "<integer> <unit>" groups separated by single spaces, units in the
  // order year(s), month(s), week(s), day(s), each at most once: "2 months", "1 month",
  // "26 weeks", "3 days", "1 year", "5 years", "1 year 3 days", "-2 months". Singular and
  // plural are both accepted. Nullopt on anything else or on overflow.
  static std::optional<Duration> Parse(std::string_view text);

  // The month part (years included).
  constexpr int32_t months() const { return months_; }
  // The day part (weeks included).
  constexpr int32_t days() const { return days_; }
  // True when both parts are 0.
  constexpr bool IsZero() const { return months_ == 0 && days_ == 0; }

  // Part-wise sum; nullopt on overflow.
  std::optional<Duration> Add(Duration other) const;
  // Part-wise negation; nullopt on overflow (INT32_MIN).
  std::optional<Duration> Negate() const;

  // Canonical text: years when months % 12 == 0, else months; then weeks when days % 7 == 0,
  // else days: "2 months", "1 year", "26 weeks", "1 year 3 days", "-1 month"; zero is
  // "0 days". Parse(ToString()) gives the same duration back.
  std::string ToString() const;

  // Part-wise equality (1 month != 30 days).
  friend constexpr bool operator==(const Duration&, const Duration&) = default;

 private:
  constexpr Duration(int32_t months, int32_t days) : months_(months), days_(days) {}

  int32_t months_ = 0;
  int32_t days_ = 0;
};

// `date` plus `duration`: months first (with `mode`, see AddMonths), then days; nullopt when
// the result is out of range or kAbort hits a missing day.
std::optional<Date> Apply(Date date, Duration duration, MonthEnd mode);

// Orders a and b when the order is the same from every start date: both pure days, both pure
// months, or more generally one is at least the other in both parts. Nullopt otherwise
// (1 month vs 30 days is not comparable).
std::optional<std::strong_ordering> Compare(Duration a, Duration b);

}  // namespace nw
