// Exact clock durations in whole minutes ("9 hours 30 minutes"), for working and rest times.
// Unlike Duration these are absolute lengths of time, so they are totally ordered.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/support/values/rational.hpp"

namespace nw {

// A signed length of time in whole minutes.
class TimeSpan {
 public:
  // Zero minutes.
  constexpr TimeSpan() = default;

  // n minutes.
  static constexpr TimeSpan Minutes(int64_t n) { return TimeSpan(n); }
  // n hours (int32 so that 60 n always fits).
  static constexpr TimeSpan Hours(int32_t n) { return TimeSpan(int64_t{n} * kMinutesPerHour); }
  // Deleted so that a 64-bit count is not silently truncated; use Minutes or Mul instead.
  static TimeSpan Hours(int64_t n) = delete;

  // Parses "11 hours", "1 hour", "30 minutes", "8 hours 30 minutes", "0 minutes", with an
  // optional leading '-' for the whole span ("-9 hours 30 minutes"). Words are separated by
  // single spaces; singular and plural are both accepted; with hours, minutes must be 0..59.
  // Nullopt on anything else or on overflow.
  static std::optional<TimeSpan> Parse(std::string_view text);

  // Minutes per hour.
  static constexpr int64_t kMinutesPerHour = 60;

  // Total length in minutes.
  constexpr int64_t minutes() const { return minutes_; }
  // True for zero.
  constexpr bool IsZero() const { return minutes_ == 0; }
  // True for negative spans.
  constexpr bool IsNegative() const { return minutes_ < 0; }

  // this + other; nullopt on overflow.
  std::optional<TimeSpan> Add(TimeSpan other) const;
  // this - other; nullopt on overflow.
  std::optional<TimeSpan> Sub(TimeSpan other) const;
  // this * factor; nullopt on overflow.
  std::optional<TimeSpan> Mul(int64_t factor) const;
  // -this; nullopt for INT64_MIN minutes.
  std::optional<TimeSpan> Negate() const;

  // "11 hours", "9 hours 30 minutes", "1 hour 1 minute", "45 minutes", "0 minutes",
  // "-9 hours 30 minutes".
  std::string ToString() const;

  // Same length.
  friend constexpr bool operator==(const TimeSpan&, const TimeSpan&) = default;
  // Shorter first.
  friend constexpr std::strong_ordering operator<=>(const TimeSpan&, const TimeSpan&) = default;

 private:
  constexpr explicit TimeSpan(int64_t minutes) : minutes_(minutes) {}

  int64_t minutes_ = 0;
};

// The exact ratio a / b (e.g. 30 hours / 40 hours = 3/4); nullopt when b is zero.
std::optional<Rational> Ratio(TimeSpan a, TimeSpan b);

// span * r rounded to the minute with `mode`; nullopt on overflow.
std::optional<TimeSpan> MulRational(TimeSpan span, Rational r, RoundingMode mode);

}  // namespace nw
