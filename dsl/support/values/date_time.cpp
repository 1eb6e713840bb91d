// Local date-times and midnight-crossing work intervals.
#include "dsl/support/values/date_time.hpp"

#include <algorithm>

#include "dsl/support/values/checked_math.hpp"

namespace nw {

namespace {

// Minutes per day.
constexpr int64_t kDay = TimeOfDay::kMinutesPerDay;
// Minutes since the epoch of 0001-01-01 00:00.
constexpr int64_t kMinMinutes = int64_t{Date::kMinDays} * kDay;
// Minutes since the epoch of 9999-12-31 23:59.
constexpr int64_t kMaxMinutes = int64_t{Date::kMaxDays} * kDay + kDay - 1;

// floor(a / b) for b > 0.
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

// Length of [lo1, hi1) ∩ [lo2, hi2) in minutes, 0 when empty.
constexpr int64_t OverlapMinutes(int64_t lo1, int64_t hi1, int64_t lo2, int64_t hi2) {
  const int64_t lo = std::max(lo1, lo2);
  const int64_t hi = std::min(hi1, hi2);
  return hi > lo ? hi - lo : 0;
}

}  // namespace

std::optional<DateTime> DateTime::At(Date date, TimeOfDay time) {
  return FromMinutesSinceEpoch(int64_t{date.DaysSinceEpoch()} * kDay + time.minutes());
}

std::optional<DateTime> DateTime::FromMinutesSinceEpoch(int64_t minutes) {
  if (minutes < kMinMinutes || minutes > kMaxMinutes) return std::nullopt;
  return DateTime(minutes);
}

std::optional<DateTime> DateTime::Parse(std::string_view text) {
  if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  const auto date = Date::Parse(text.substr(0, 10));
  const auto time = TimeOfDay::Parse(text.substr(11));
  if (!date || !time) return std::nullopt;
  return At(*date, *time);
}

Date DateTime::date() const {
  // INVARIANT: minutes_ is in range, so the day is a valid Date.
  return *Date::FromDaysSinceEpoch(FloorDiv(minutes_, kDay));
}

TimeOfDay DateTime::time() const {
  // The remainder is always 0..1439.
  return *TimeOfDay::FromMinutes(static_cast<int>(minutes_ - FloorDiv(minutes_, kDay) * kDay));
}

std::optional<DateTime> DateTime::Add(TimeSpan span) const {
  const auto sum = CheckedAdd(minutes_, span.minutes());
  if (!sum) return std::nullopt;
  return FromMinutesSinceEpoch(*sum);
}

std::string DateTime::ToString() const { return date().ToString() + " " + time().ToString(); }

TimeSpan Interval::OverlapWith(DateTime a, DateTime b) const {
  return TimeSpan::Minutes(OverlapMinutes(start.MinutesSinceEpoch(), end.MinutesSinceEpoch(),
                                          a.MinutesSinceEpoch(), b.MinutesSinceEpoch()));
}

TimeSpan Interval::OverlapWithDaily(TimeOfDay from, TimeOfDay to) const {
  const int64_t lo = start.MinutesSinceEpoch();
  const int64_t hi = end.MinutesSinceEpoch();
  if (hi <= lo) return TimeSpan();
  const int64_t window_start = from.minutes() % kDay;  // 24:00 starts a window at 00:00
  const int64_t window_length = to.minutes() > window_start ? to.minutes() - window_start
                                                            : to.minutes() + kDay - window_start;
  // A window that starts the day before can reach into the first day; stop at the last day.
  int64_t total = 0;
  for (int64_t day = FloorDiv(lo, kDay) - 1; day <= FloorDiv(hi, kDay); ++day) {
    const int64_t open = day * kDay + window_start;
    total += OverlapMinutes(lo, hi, open, open + window_length);
  }
  return TimeSpan::Minutes(total);
}

std::optional<Interval> WorkInterval(Date day, TimeOfDay start, TimeOfDay end) {
  if (start.IsEndOfDay()) return std::nullopt;
  const auto begin = DateTime::At(day, start);
  if (!begin) return std::nullopt;
  const int64_t length =
      end > start ? end.minutes() - start.minutes() : end.minutes() + kDay - start.minutes();
  const auto finish = begin->Add(TimeSpan::Minutes(length));
  if (!finish) return std::nullopt;
  return Interval{*begin, *finish};
}

}  // namespace nw
