// Wall-clock times "HH:MM" as minutes since midnight; "24:00" exists only as an end time.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nw {

// A time of day with minute precision.
// INVARIANT: 0 <= minutes_ <= kMinutesPerDay; kMinutesPerDay ("24:00") only when allowed.
class TimeOfDay {
 public:
  // Minutes in one day; as a TimeOfDay it is "24:00", the end of the day.
  static constexpr int kMinutesPerDay = 1440;

  // 00:00.
  constexpr TimeOfDay() = default;

  // These three are defined here, not out of line: inlined, the optional they return costs
  // nothing (returned from a call, GCC assembles it in memory and reloads it, a stall that
  // cost more than the parsing when a work log gives two times on every row).

  // hour:minute; nullopt unless 0 <= hour <= 23 and 0 <= minute <= 59, or it is 24:00 and
  // allow_24 is true.
  static constexpr std::optional<TimeOfDay> FromHm(int hour, int minute, bool allow_24 = false) {
    if (hour < 0 || hour > 24 || minute < 0 || minute > 59) return std::nullopt;
    return FromMinutes(hour * 60 + minute, allow_24);
  }

  // `minutes` after midnight; nullopt outside 0..1439 (0..1440 with allow_24).
  static constexpr std::optional<TimeOfDay> FromMinutes(int minutes, bool allow_24 = false) {
    const int limit = allow_24 ? kMinutesPerDay : kMinutesPerDay - 1;
    if (minutes < 0 || minutes > limit) return std::nullopt;
    return TimeOfDay(minutes);
  }

  // Strict "HH:MM" (exactly two digits each): "22:00", "07:30". "24:00" only with allow_24
  // (end times); "25:00", "7:30", "12:60" are rejected.
  static constexpr std::optional<TimeOfDay> Parse(std::string_view text, bool allow_24 = false) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    const int hour = TwoDigitValue(text[0], text[1]);
    const int minute = TwoDigitValue(text[3], text[4]);
    if (hour < 0 || minute < 0) return std::nullopt;
    return FromHm(hour, minute, allow_24);
  }

  // 00:00.
  static constexpr TimeOfDay Midnight() { return TimeOfDay(0); }
  // 24:00, the end of the day.
  static constexpr TimeOfDay EndOfDay() { return TimeOfDay(kMinutesPerDay); }

  // Hour, 0..23 (24 for 24:00).
  constexpr int hour() const { return minutes_ / 60; }
  // Minute within the hour, 0..59.
  constexpr int minute() const { return minutes_ % 60; }
  // Minutes since midnight, 0..1440.
  constexpr int minutes() const { return minutes_; }
  // True for 24:00.
  constexpr bool IsEndOfDay() const { return minutes_ == kMinutesPerDay; }

  // "HH:MM", e.g. "07:30", "24:00".
  std::string ToString() const;

  // Same time.
  friend constexpr bool operator==(const TimeOfDay&, const TimeOfDay&) = default;
  // Earlier first; 24:00 is after 23:59.
  friend constexpr std::strong_ordering operator<=>(const TimeOfDay&, const TimeOfDay&) = default;

 private:
  constexpr explicit TimeOfDay(int minutes) : minutes_(minutes) {}

  // Value of exactly two ASCII digits, or -1.
  static constexpr int TwoDigitValue(char tens, char ones) {
    if (tens < '0' || tens > '9' || ones < '0' || ones > '9') return -1;
    return (tens - '0') * 10 + (ones - '0');
  }

  int minutes_ = 0;
};

}  // namespace nw
